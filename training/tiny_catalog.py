"""A tiny generated source catalog in the layout of data/catalog (catalog.csv, classes.json, FLACs)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import soundfile as sf

SR = 16_000
BEDS = ("rain", "traffic", "forest_ambience", "sea_waves")
EVENTS = ("dog", "thunder", "car_horn", "bell", "footsteps", "chirping_birds")
SPLIT_COPIES = {"train": 2, "val": 1, "eval": 1, "ood": 1}
COLUMNS = ["clip_id", "file", "package", "license", "source_path", "md5", "duration", "orig_sample_rate",
           "orig_channels", "label", "role", "label_source", "yamnet_top3", "split", "group"]


def _sound(label: str, rng: np.random.Generator) -> np.ndarray:
    t = np.arange(int(SR * (6.0 if label in BEDS else rng.uniform(0.6, 2.5)))) / SR
    if label in BEDS:  # steady noise beds of different colours
        x = rng.standard_normal(len(t))
        if label != "rain":
            x = np.cumsum(x) * 0.05
            x -= np.convolve(x, np.ones(400) / 400, mode="same")
        return (0.1 * x / np.std(x)).astype(np.float32)
    f0 = {"dog": 500, "thunder": 80, "car_horn": 420, "bell": 880, "footsteps": 200, "chirping_birds": 3500,
          "": 1300}[label] * rng.uniform(0.9, 1.1)
    tone = np.sin(2 * np.pi * f0 * t) * (0.5 + 0.5 * np.sign(np.sin(2 * np.pi * 3 * t)))
    silence = np.zeros(int(0.3 * SR))  # leading / trailing silence, trimmed by the mixer
    return np.concatenate([silence, 0.3 * tone, silence]).astype(np.float32)


def make_tiny_catalog(root: Path, seed: int = 0) -> Path:
    """Every class with copies per split (ood ones prefixed 'ood_'), plus one unlabelled sound per split."""
    rng = np.random.default_rng(seed)
    rows = []
    for split, copies in SPLIT_COPIES.items():
        for label in (*BEDS, *EVENTS, ""):
            for k in range(copies):
                clip_id = f"{'ood_' if split == 'ood' else ''}{label or 'other'}_{split}_{k}"
                file = f"audio/{clip_id}.flac"
                audio = _sound(label, rng)
                (root / "audio").mkdir(parents=True, exist_ok=True)
                sf.write(root / file, audio, SR, subtype="PCM_16")
                rows.append({"clip_id": clip_id, "file": file, "package": "tiny", "license": "CC0",
                             "source_path": file, "md5": "", "duration": f"{len(audio) / SR:.3f}",
                             "orig_sample_rate": str(SR), "orig_channels": "1", "label": label,
                             "role": "background" if label in BEDS else "event", "label_source": "keyword",
                             "yamnet_top3": "", "split": split, "group": clip_id})
    with open(root / "catalog.csv", "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    (root / "classes.json").write_text(json.dumps([*BEDS, *EVENTS]))
    return root
