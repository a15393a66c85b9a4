"""A tiny catalog (16 kHz mono FLAC + catalog.csv + classes.json) for the OOD set tests."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import soundfile as sf

SR = 16_000
CLASSES = ["rain", "traffic", "thunder", "dog", "car_horn", "bell", "footsteps"]
COLUMNS = ["clip_id", "file", "package", "license", "source_path", "md5", "duration", "orig_sample_rate",
           "orig_channels", "label", "role", "label_source", "yamnet_top3", "split", "group"]


def _sound(label: str, seconds: float, rng: np.random.Generator) -> np.ndarray:
    t = np.arange(int(seconds * SR)) / SR
    if label in ("rain", "traffic"):  # hiss, kept below 600 Hz so tests can separate it from tonal events
        from scipy.signal import butter, sosfilt
        return sosfilt(butter(4, 500, "lowpass", fs=SR, output="sos"), rng.standard_normal(len(t))) * 0.3
    freq = {"thunder": 2200.0, "dog": 3000.0, "car_horn": 1800.0, "bell": 4000.0, "footsteps": 2600.0}[label]
    return 0.4 * np.sin(2 * np.pi * freq * t) * (0.6 + 0.4 * np.sin(2 * np.pi * 3 * t) ** 2)


def make_catalog(root: Path, n_per_class: int = 2) -> Path:
    """ood rows for every class but traffic (so its bed is procedural), plus train rows that must stay unused."""
    rng = np.random.default_rng(7)
    rows = []
    for split, package in (("ood", "oodpkg"), ("train", "trainpkg")):
        for label in CLASSES:
            if label == "traffic" and split == "ood":
                continue
            for i in range(n_per_class):
                seconds = 12.0 if label == "rain" else 3.0 + i
                rel = f"audio/{package}/{label}_{i}.flac"
                (root / rel).parent.mkdir(parents=True, exist_ok=True)
                sf.write(str(root / rel), _sound(label, seconds, rng).astype(np.float32), SR)
                rows.append({"clip_id": f"{split}-{label}-{i}", "file": rel, "package": package, "license": "x",
                             "source_path": rel, "md5": "", "duration": seconds, "orig_sample_rate": SR,
                             "orig_channels": 1, "label": label,
                             "role": "background" if label in ("rain", "traffic") else "event",
                             "label_source": "keyword", "yamnet_top3": "", "split": split, "group": rel})
    with open(root / "catalog.csv", "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    known = [c for c in CLASSES if c != "bell"]  # bell: an ood sound outside the catalog's classes
    (root / "classes.json").write_text(json.dumps({"classes": [{"id": c} for c in known]}))
    return root
