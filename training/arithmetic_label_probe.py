"""Which YAMNet arithmetic hears the catalog's sounds better? A diagnostic for MODEL_CARD "Backbone arithmetic".

Two source catalogs of the same files, built with different arithmetic (`training.catalog --arithmetic
legacy` and `--arithmetic exact`), are compared on the files labelled from their path or file name
(label_source holding "keyword", classes with at least 3 source recordings): how well YAMNet's stored
class probabilities (log of mean and max over patches) predict the label, by the nearest file of another
source recording (cosine) and by a logistic probe in 5 folds grouped by source recording. Labels come from
the first catalog (the committed one).

    python -m training.arithmetic_label_probe data/catalog data/catalog_exact \
        --out training/results/arithmetic_check/label_probe.json
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

import numpy as np


def load_scores(catalog: Path) -> dict[str, np.ndarray]:
    scores = np.load(catalog / "yamnet_scores.npz")
    both = np.concatenate([scores["mean"], scores["max"]], axis=1).astype(np.float64)
    return dict(zip(scores["clip_id"], np.log(both + 1e-4), strict=True))


def labelled_files(catalog: Path, min_groups: int = 3) -> tuple[list[str], np.ndarray, np.ndarray]:
    with open(catalog / "catalog.csv", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["label"] and "keyword" in r["label_source"]]
    groups_of: dict[str, set[str]] = {}
    for r in rows:
        groups_of.setdefault(r["label"], set()).add(r["group"])
    rows = [r for r in rows if len(groups_of[r["label"]]) >= min_groups]
    return [r["clip_id"] for r in rows], np.array([r["label"] for r in rows]), np.array([r["group"] for r in rows])


def nearest_other_source(features: np.ndarray, labels: np.ndarray, groups: np.ndarray) -> float:
    centred = features - features.mean(0)
    unit = centred / np.linalg.norm(centred, axis=1, keepdims=True)
    sims = unit @ unit.T
    sims[groups[:, None] == groups[None, :]] = -np.inf
    return float((labels[sims.argmax(1)] == labels).mean())


def grouped_probe(features: np.ndarray, labels: np.ndarray, groups: np.ndarray, folds: int = 5) -> float:
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    correct = 0
    for train, test in GroupKFold(folds).split(features, labels, groups):
        probe = LogisticRegression(max_iter=2000).fit(features[train], labels[train])
        correct += int((probe.predict(features[test]) == labels[test]).sum())
    return correct / len(labels)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("catalogs", nargs="+", type=Path, help="catalog folders; labels from the first")
    ap.add_argument("--out", type=Path, help="JSON of the figures")
    args = ap.parse_args(argv)
    ids, labels, groups = labelled_files(args.catalogs[0])
    scores = [load_scores(c) for c in args.catalogs]
    keep = [i for i, c in enumerate(ids) if all(c in s for s in scores)]
    ids, labels, groups = [ids[i] for i in keep], labels[keep], groups[keep]
    result = {"files": len(ids), "classes": len(set(labels)), "source_recordings": len(set(groups)), "catalogs": {}}
    print(f"{len(ids)} files labelled by path or name, {result['classes']} classes, "
          f"{result['source_recordings']} source recordings")
    for catalog, table in zip(args.catalogs, scores, strict=True):
        features = np.stack([table[c] for c in ids])
        figures = {"nearest_other_source": nearest_other_source(features, labels, groups),
                   "grouped_logistic_probe": grouped_probe(features, labels, groups)}
        result["catalogs"][str(catalog)] = figures
        print(f"{catalog}: nearest file of another source {figures['nearest_other_source']:.3f}, "
              f"logistic probe (5 folds by source) {figures['grouped_logistic_probe']:.3f}")
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(result, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
