"""Which background recording each cached pair was mixed over (read from Scaper's .jams files).

Eval galleries hold many targets over the same few background recordings, so the hard
negatives of a query are clips over its own background. 'background' batching in
training.train packs such pairs into one batch.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import numpy as np

_VARIANT = re.compile(r"(_v\d+)?(_seg\d+)?\.\w+$")


def recording_id(source_file: str) -> str:
    """'.../lincity-ng-data__TraficHigh2_v1_seg00.wav' -> 'lincity-ng-data__TraficHigh2'.

    Procedural variants (_vN) and segments (_segNN) of one recording, as training.prepare_sources
    names them, count as one recording (the `group` that split.csv records for them).
    """
    return _VARIANT.sub("", Path(source_file).name)


def clip_events(jams_path: Path) -> list[dict]:
    """Every event (background and foreground) Scaper wrote for one clip: its annotation values."""
    doc = json.loads(jams_path.read_text())
    return [obs["value"] for annotation in doc["annotations"] for obs in annotation["data"]]


def background_of(jams_path: Path) -> str:
    """Recording id of the background in one Scaper annotation file."""
    for value in clip_events(jams_path):
        if value.get("role") == "background":
            return recording_id(value["source_file"])
    raise ValueError(f"{jams_path}: no background event")


def pair_jams(cache_dir: str | Path, column: str = "a_path") -> list[Path]:
    """Scaper annotation file of clip a ("a_path") or b ("b_path") of every pair of a feature cache,
    in the cache's pair order."""
    cache_dir = Path(cache_dir)
    pairs_csv = Path(json.loads((cache_dir / "index.json").read_text())["pairs_csv"])
    with open(cache_dir / "pairs.csv", newline="") as f:
        clips = [row[column] for row in csv.DictReader(f)]
    return [(pairs_csv.parent / clip).with_suffix(".jams") for clip in clips]


def pair_backgrounds(cache_dir: str | Path) -> np.ndarray:
    """(n_pairs,) recording id of each pair of a feature cache, in the cache's pair order: the pairs'
    ``background_id`` column where the cache has one (v2 pairs; empty for scenes without a bed), else
    read from the Scaper annotations (first-release pairs)."""
    with open(Path(cache_dir) / "pairs.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    if rows and "background_id" in rows[0]:
        return np.array([row["background_id"] for row in rows])
    return np.array([background_of(path) for path in pair_jams(cache_dir)])
