"""Per-class loudness of each clip (read from Scaper's .jams files) for a level-aware auxiliary loss.

Half of the six edits change a level (background or event louder/quieter by 6-12 dB), but the
classification loss only says which classes a clip holds. `--level-weight` in training.train adds
a regression of each present class's level from A(audio), so the embedding must carry levels
along directions a text offset can follow. Levels are in dB relative to clip a's background
reference (training.pair_sampler.REF_DB); absent classes are NaN and masked out of the loss.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from training.backgrounds import pair_jams
from training.pair_sampler import REF_DB
from training.scenes import ALL_CLASSES

LEVEL_SCALE_DB = 10.0  # regression targets are dB / LEVEL_SCALE_DB


def clip_levels(jams_path: Path) -> np.ndarray:
    """(n_classes,) level of every class in one clip, dB re REF_DB; NaN where the class is absent."""
    doc = json.loads(Path(jams_path).read_text())
    annotation = next(a for a in doc["annotations"] if a["namespace"] == "scaper")
    ref_db = float(annotation["sandbox"]["scaper"]["ref_db"])
    levels = np.full(len(ALL_CLASSES), np.nan, dtype=np.float32)
    for obs in annotation["data"]:
        value = obs["value"]
        if value["label"] in ALL_CLASSES:
            snr = 0.0 if value.get("role") == "background" else float(value["snr"])
            levels[ALL_CLASSES.index(value["label"])] = ref_db + snr - REF_DB
    return levels


def pair_levels(cache_dir: str | Path) -> tuple[np.ndarray, np.ndarray]:
    """(n_pairs, n_classes) levels of clips a and b of a feature cache, in the cache's pair order."""
    def read(column: str) -> np.ndarray:
        return np.stack([clip_levels(path) for path in pair_jams(cache_dir, column)])

    return read("a_path"), read("b_path")
