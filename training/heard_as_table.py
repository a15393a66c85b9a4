"""What YAMNet hears the catalog's recordings as: for each of its 521 AudioSet classes, the vocabulary classes whose
recordings it scores highest on that class. The nearest known sounds of a word Nudge has no class for
(model.sound_lexicon.nearest_known; MODEL_CARD "Nearest known sounds for a word Nudge does not know").

A vocabulary class's score on an AudioSet class is the mean of its three highest clip maxima (YAMNet's probability,
the max over a clip's 0.96 s patches), over the catalog's train split only; classes with fewer than three train clips
are left out, and scores under FLOOR are not kept.

    python -m training.heard_as_table --catalog data/catalog --out assets/heard_as.json
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import tempfile
from pathlib import Path

import numpy as np

from model.sound_vocab import BY_ID

TOP_CLIPS = 3  # a vocabulary class's score: the mean of its this many highest clips on the AudioSet class
FLOOR = 0.05  # lower scores are no evidence
KEEP = 5  # vocabulary classes kept per AudioSet class


def heard_as(scores: np.ndarray, labels: list[str], names: list[str], statistic: str = "mean3",
             ) -> dict[str, list[list]]:
    """``scores``: (clips, 521) clip maxima; ``labels``: each clip's vocabulary class -> {AudioSet name: [[class id,
    score], ...] best first}. ``statistic``: a class's score, the mean of its TOP_CLIPS highest clips ("mean3") or
    its second-highest clip ("second": two recordings must agree)."""
    classes = sorted({label for label in labels if label in BY_ID})
    per_class = []
    for label in classes:
        rows = scores[[i for i, x in enumerate(labels) if x == label]]
        if len(rows) < TOP_CLIPS:
            per_class.append(np.full(scores.shape[1], -1.0))
            continue
        ranked = np.sort(rows, axis=0)
        per_class.append(ranked[-2] if statistic == "second" else ranked[-TOP_CLIPS:].mean(axis=0))
    table = np.stack(per_class)  # (classes, 521)
    out: dict[str, list[list]] = {}
    for j, name in enumerate(names):
        order = np.argsort(-table[:, j], kind="stable")[:KEEP]
        kept = [[classes[i], round(float(table[i, j]), 4)] for i in order if table[i, j] >= FLOOR]
        if kept:
            out[name] = kept
    return out


def build(catalog: Path, out: Path, statistic: str = "mean3") -> dict:
    data = np.load(catalog / "yamnet_scores.npz", allow_pickle=False)
    by_clip = {c: i for i, c in enumerate(data["clip_id"].tolist())}
    rows = [r for r in csv.DictReader(open(catalog / "catalog.csv", encoding="utf-8"))
            if r["split"] == "train" and r["label"] in BY_ID and r["clip_id"] in by_clip]
    scores = data["max"].astype(np.float32)[[by_clip[r["clip_id"]] for r in rows]]
    table = heard_as(scores, [r["label"] for r in rows], [str(n) for n in data["class_names"]], statistic)
    how = (f"the mean of each class's {TOP_CLIPS} highest clip maxima" if statistic == "mean3" else
           "each class's second-highest clip maximum")
    doc = {"about": "for each AudioSet class, the vocabulary classes whose catalog recordings (train split, "
                    f"{len(rows)} clips) YAMNet scores highest on it: {how}, at least {FLOOR} "
                    "(training/heard_as_table.py)", "statistic": statistic,
           "classes": table}
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out.parent, suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=0, sort_keys=True)
    os.chmod(tmp, 0o644)
    os.replace(tmp, out)
    return doc


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--catalog", type=Path, default=Path("data/catalog"))
    parser.add_argument("--out", type=Path, default=Path("assets/heard_as.json"))
    parser.add_argument("--statistic", choices=("mean3", "second"), default="mean3")
    args = parser.parse_args()
    doc = build(args.catalog, args.out, args.statistic)
    print(f"{len(doc['classes'])} AudioSet classes with a heard-as list -> {args.out}")


if __name__ == "__main__":
    main()
