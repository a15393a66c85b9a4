"""The committed tables of the catalog: provenance/licence per package and counts per class."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from model.sound_vocab import BY_ID

PROVENANCE_FIELDS = ["package", "license", "files_used", "files_skipped", "path_pattern", "copyright_summary"]


def path_pattern(source_path: str, depth: int = 5) -> str:
    """Folder pattern of a file: the first `depth` folders, or the archive and its member's first folder."""
    if "::" in source_path:
        archive, member = source_path.split("::", 1)
        head = member.split("/")[0] if "/" in member else ""
        return f"{archive}::{head}/*" if head else f"{archive}::*"
    folders = source_path.strip("/").split("/")[:-1]
    return "/" + "/".join(folders[:depth]) + ("/**" if len(folders) > depth else "/*")


def patterns(paths: Iterable[str], top: int = 4) -> str:
    counts = Counter(path_pattern(p) for p in paths)
    shown = [f"{p} ({n})" for p, n in counts.most_common(top)]
    if len(counts) > top:
        shown.append(f"+{len(counts) - top} more folders")
    return "; ".join(shown)


def write_provenance(path: Path, catalog: list[dict], skipped: list[dict],
                     licenses: dict[str, dict[str, str]]) -> None:
    used = Counter(r["package"] for r in catalog)
    left = Counter(r["package"] for r in skipped)
    lines = ["\t".join(PROVENANCE_FIELDS)]
    for package in sorted(used.keys() | left.keys()):
        lic = licenses.get(package, {})
        cells = [package, lic.get("license", ""), str(used[package]), str(left[package]),
                 patterns(r["source_path"] for r in catalog if r["package"] == package),
                 lic.get("copyright_summary", "")]
        lines.append("\t".join(c.replace("\t", " ") for c in cells))
    _write_text(path, "\n".join(lines) + "\n")


def write_summary(path: Path, catalog: list[dict], counts: dict[str, dict[str, dict]],
                  ood_packages: Iterable[str], min_train: int = 5) -> None:
    """Markdown table: class, role, source recordings (files) per split, packages."""
    splits = ("train", "val", "eval", "ood")
    n_split = Counter(r["split"] for r in catalog)
    n_source = Counter(r["label_source"] or "none" for r in catalog)
    kept = [lab for lab in counts if counts[lab]["train"]["groups"] >= min_train]
    out = [
        "# Source catalog: counts per class",
        "",
        "Written by `python -m training.catalog` (training/catalog_assemble.py); do not edit by hand.",
        f"Files: {len(catalog)} ({', '.join(f'{s} {n_split[s]}' for s in splits)}); labels by "
        f"{', '.join(f'{k} {v}' for k, v in sorted(n_source.items()))}. "
        f"Held-out packages (ood): {', '.join(sorted(ood_packages))}.",
        f"Classes with >= {min_train} source recordings in train: **{len(kept)}** of {len(BY_ID)}.",
        "",
        "Cells: source recordings (families of variants) / files; bg = files usable as a background.",
        "",
        "| class | role | train | val | eval | ood | bg files | packages |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for label in sorted(counts, key=lambda x: -counts[x]["train"]["groups"]):
        per = counts[label]
        cells = [f"{per[s]['groups']} / {per[s]['files']}" for s in splits]
        bg = sum(per[s]["background"] for s in splits)
        pkgs = sorted(set().union(*(per[s]["packages"] for s in splits)))
        mark = "" if label in kept else " (dropped)"
        out.append(f"| {label}{mark} | {BY_ID[label].role} | {' | '.join(cells)} | {bg} | {', '.join(pkgs)} |")
    missing = sorted(set(BY_ID) - set(counts))
    if missing:
        out += ["", f"Classes with no labelled file: {', '.join(missing)}."]
    _write_text(path, "\n".join(out) + "\n")


def label_samples(catalog: list[dict], per_class: int = 10, seed: int = 0) -> str:
    """Per label (and unlabelled), `per_class` random files with duration, role, YAMNet top-3 and the
    labelling reason: the sheet for the hand check of the labels."""
    import random

    rng = random.Random(seed)
    by_label: dict[str, list[dict]] = {}
    for r in catalog:
        by_label.setdefault(r["label"], []).append(r)
    lines = []
    for label in sorted(by_label):
        rows = sorted(by_label[label], key=lambda r: r["clip_id"])
        lines.append(f"== {label or '(none)'}: {len(rows)} files")
        for r in rng.sample(rows, min(per_class, len(rows))):
            lines.append(f"  {r['label_source'] or '-':14} {r['package']}:{r['source_path'][-70:]} "
                         f"{float(r['duration']):.1f}s {r['role']} | {r['yamnet_top3']} | {r['label_reason']}")
    return "\n".join(lines) + "\n"


def _write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text)
    os.replace(tmp, path)
