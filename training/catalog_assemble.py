"""Assemble the catalog from the per-package results of training.catalog.

De-duplicates by decoded audio (md5 of the int16 16 kHz samples; the first file in package/path
order is kept), labels every file (training.labelling), splits by package and source recording,
and writes:
    <out>/catalog.csv            one row per kept file (CATALOG_FIELDS)
    <out>/yamnet_scores.npz      clip_id, mean (n, 521), max (n, 521) YAMNet probabilities, class_names
    <out>/classes.json           classes with >= MIN_TRAIN_GROUPS source recordings in train, counts per split
    <out>/skipped.csv            files left out and why (undecodable, too short, silent, duplicate)
    training/data/provenance.tsv and training/data/catalog_summary.md (committed tables)

Splits: OOD_PACKAGES are held out whole ("ood": never used for training or model selection). The
other packages' files are split by source-recording family (training.labelling.family_key) into
train / val / eval (about 80/10/10), stratified by the family's label, with a seeded generator;
a rare label keeps at least MIN_TRAIN_GROUPS families in train before val and eval get any.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np

from model.sound_vocab import BY_ID
from training.catalog import load_chunks
from training.labelling import family_key, label_file
from training.tables import write_csv_atomic

REPO_ROOT = Path(__file__).resolve().parents[1]
TABLES_DIR = REPO_ROOT / "training" / "data"
OOD_PACKAGES = ("scorched3d-data", "supertux-data")
VAL_FRACTION = EVAL_FRACTION = 0.1
MIN_TRAIN_GROUPS = 5
SPLITS = ("train", "val", "eval", "ood")
CATALOG_FIELDS = ["clip_id", "file", "package", "license", "source_path", "md5", "duration",
                  "orig_sample_rate", "orig_channels", "label", "role", "label_source", "yamnet_top3",
                  "split", "group", "label_reason"]


def clip_id(package: str, source_path: str) -> str:
    """Stable id of a source file: does not change when labels or other files change."""
    return hashlib.md5(f"{package}\n{source_path}".encode()).hexdigest()[:12]


def deduplicate(rows: list[dict]) -> tuple[list[int], dict[int, int]]:
    """Indices of rows to keep (first of each audio_md5, in the given order), and dropped -> kept."""
    first: dict[str, int] = {}
    keep, dropped = [], {}
    for i, row in enumerate(rows):
        key = row["audio_md5"]
        if key in first:
            dropped[i] = first[key]
        else:
            first[key] = i
            keep.append(i)
    return keep, dropped


def assign_splits(groups: Mapping[str, str], packages: Mapping[str, str], ood_packages: Iterable[str],
                  seed: int = 0) -> dict[str, str]:
    """{group: split}. groups: group -> its label ("" = none); packages: group -> package.

    Groups of an OOD package -> "ood". The rest, per label, in a seeded shuffle of the sorted group
    names: round(10%) -> eval and round(10%) -> val, but never so many that fewer than
    MIN_TRAIN_GROUPS stay in train (val gives way first): a label with 5 groups keeps all 5 in
    train, with 6 gives one to eval, with 7-14 one to eval and one to val."""
    ood = set(ood_packages)
    rng = np.random.default_rng(seed)
    by_label: dict[str, list[str]] = defaultdict(list)
    split: dict[str, str] = {}
    for g in sorted(groups):
        if packages[g] in ood:
            split[g] = "ood"
        else:
            by_label[groups[g]].append(g)
    for label in sorted(by_label):
        members = by_label[label]
        order = [members[i] for i in rng.permutation(len(members))]
        n = len(order)
        n_eval = n_val = int(EVAL_FRACTION * n + 0.5)
        while n_val and n - n_eval - n_val < MIN_TRAIN_GROUPS:
            n_val -= 1
        while n_eval and n - n_eval < MIN_TRAIN_GROUPS:
            n_eval -= 1
        for i, g in enumerate(order):
            split[g] = "eval" if i < n_eval else "val" if i < n_eval + n_val else "train"
    return split


def majority_label(labels: Iterable[str]) -> str:
    """The family's label: the most common non-empty label of its files ("" if none)."""
    counts = Counter(x for x in labels if x)
    return min(counts, key=lambda x: (-counts[x], x)) if counts else ""


def top3(scores: np.ndarray, names: list[str]) -> str:
    return "|".join(f"{names[k]}:{scores[k]:.2f}" for k in np.argsort(-scores.astype(np.float32))[:3])


def read_licenses(path: Path = TABLES_DIR / "package_licenses.tsv") -> dict[str, dict[str, str]]:
    """Hand-checked licence of each package's sound files (from its copyright file)."""
    if not path.exists():
        return {}
    with open(path, newline="") as f:
        return {r["package"]: r for r in csv.DictReader(f, delimiter="\t")}


def assemble(out: Path, packages: list[str], seed: int = 0, ood_packages: Iterable[str] = OOD_PACKAGES,
             tables_dir: Path = TABLES_DIR) -> list[dict]:
    from model.yamnet import class_names

    names = class_names()
    licenses = read_licenses(tables_dir / "package_licenses.tsv")
    rows, scores, skipped = [], [], []
    for package in sorted(packages):
        pkg_rows, pkg_scores = load_chunks(out, package)
        for row, s in zip(pkg_rows, pkg_scores, strict=True):
            if row["skip"]:
                skipped.append({"package": package, "source_path": row["source_path"], "reason": row["skip"]})
            else:
                rows.append(row)
                scores.append(s)
    keep, dropped = deduplicate(rows)
    for i, kept in dropped.items():
        skipped.append({"package": rows[i]["package"], "source_path": rows[i]["source_path"],
                        "reason": f"duplicate of {rows[kept]['package']}:{rows[kept]['source_path']}"})
        (out / rows[i]["out_rel"]).unlink(missing_ok=True)
    rows = [rows[i] for i in keep]
    score_arr = np.stack([scores[i] for i in keep]) if keep else np.zeros((0, 2, 521), np.float16)

    catalog = []
    for row, s in zip(rows, score_arr, strict=True):
        lab = label_file(row["source_path"], row["duration"], s[0].astype(np.float32),
                         s[1].astype(np.float32), names)
        package = row["package"]
        catalog.append({
            "clip_id": clip_id(package, row["source_path"]), "file": row["out_rel"], "package": package,
            "license": licenses.get(package, {}).get("license", ""), "source_path": row["source_path"],
            "md5": row["md5"], "duration": row["duration"], "orig_sample_rate": row["orig_sample_rate"],
            "orig_channels": row["orig_channels"], "label": lab.label, "role": lab.role,
            "label_source": lab.source, "yamnet_top3": top3(s[1], names),
            "group": family_key(package, row["source_path"]), "label_reason": lab.reason,
        })
    family_labels: dict[str, list[str]] = defaultdict(list)
    family_package: dict[str, str] = {}
    for r in catalog:
        family_labels[r["group"]].append(r["label"])
        family_package[r["group"]] = r["package"]
    groups = {g: majority_label(labels) for g, labels in family_labels.items()}
    split = assign_splits(groups, family_package, ood_packages, seed)
    for r in catalog:
        r["split"] = split[r["group"]]

    write_csv_atomic(out / "catalog.csv", CATALOG_FIELDS, catalog)
    write_csv_atomic(out / "skipped.csv", ["package", "source_path", "reason"], skipped)
    _save_npz(out / "yamnet_scores.npz", clip_id=np.array([r["clip_id"] for r in catalog]),
              mean=score_arr[:, 0], max=score_arr[:, 1], class_names=np.array(names))
    counts = class_counts(catalog)
    _write_json(out / "classes.json", classes_json(counts, ood_packages))
    from training.catalog_tables import write_provenance, write_summary

    write_provenance(tables_dir / "provenance.tsv", catalog, skipped, licenses)
    write_summary(tables_dir / "catalog_summary.md", catalog, counts, ood_packages)
    n_classes = len(classes_json(counts, ood_packages)["classes"])
    print(f"[catalog] {len(catalog)} files kept, {len(skipped)} skipped; "
          f"{sum(1 for r in catalog if r['label'])} labelled; {n_classes} classes with "
          f">= {MIN_TRAIN_GROUPS} source recordings in train -> {out / 'catalog.csv'}", flush=True)
    return catalog


def class_counts(catalog: list[dict]) -> dict[str, dict[str, dict]]:
    """{label: {split: {"groups": n, "files": n, "background": n files, "packages": set}}}."""
    counts: dict[str, dict[str, dict]] = defaultdict(
        lambda: {s: {"groups": set(), "files": 0, "background": 0, "packages": set()} for s in SPLITS})
    for r in catalog:
        if not r["label"]:
            continue
        c = counts[r["label"]][r["split"]]
        c["groups"].add(r["group"])
        c["files"] += 1
        c["background"] += r["role"] == "background"
        c["packages"].add(r["package"])
    return {label: {s: {**v, "groups": len(v["groups"])} for s, v in splits.items()}
            for label, splits in counts.items()}


def classes_json(counts: dict[str, dict[str, dict]], ood_packages: Iterable[str]) -> dict:
    classes = []
    for label in sorted(counts):
        per = counts[label]
        if per["train"]["groups"] < MIN_TRAIN_GROUPS:
            continue
        c = BY_ID[label]
        classes.append({
            "id": label, "name": c.name, "role": c.role,
            "recordings": {s: per[s]["groups"] for s in SPLITS},
            "files": {s: per[s]["files"] for s in SPLITS},
            "background_files": {s: per[s]["background"] for s in SPLITS},
            "packages": sorted(set().union(*(per[s]["packages"] for s in SPLITS))),
        })
    return {"min_train_recordings": MIN_TRAIN_GROUPS, "ood_packages": sorted(ood_packages),
            "classes": classes}


def _save_npz(path: Path, **arrays: np.ndarray) -> None:
    tmp = path.with_name(path.name + ".tmp.npz")
    np.savez(tmp, **arrays)
    tmp.replace(path)


def _write_json(path: Path, data: dict) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=1) + "\n")
    tmp.replace(path)
