"""The OOD set's sources: catalog rows with split == "ood" only, plus procedural beds where they lack one.

The catalog (data/catalog/catalog.csv, 16 kHz mono FLAC files relative to its folder) holds whole
Debian packages out of training as split "ood". This module reads those rows and nothing else, and
synthesizes a bed from noise for a scene whose background class has no ood recording (the set
says which beds are synthetic: their source id starts with "synth:").
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import soundfile as sf
from scipy.signal import butter, sosfilt

from model.sound_vocab import BY_ID

SR = 16_000  # catalog files are 16 kHz mono
OOD_SPLIT = "ood"
SYNTH_PREFIX = "synth:"
MIN_EVENT_SECONDS = 0.15
# Labels given here by hand to ood rows the catalog leaves unlabelled (their names are one word, so no
# keyword matched): (package, end of source_path) -> (label, role). Beds for seaside, city street and
# interior, and a few unambiguous events.
LABEL_OVERRIDES: dict[tuple[str, str], tuple[str, str]] = {
    ("scorched3d-data", "/misc/oceanwaves.wav"): ("sea_waves", "background"),
    ("scorched3d-data", "/misc/cheeringloop.wav"): ("crowd", "background"),
    ("scorched3d-data", "/misc/factoryloop1.wav"): ("machinery", "background"),
    ("scorched3d-data", "/misc/firetruck.wav"): ("siren", "event"),
    ("scorched3d-data", "/misc/t38.wav"): ("aircraft", "event"),
    ("scorched3d-data", "/misc/cessna.wav"): ("aircraft", "event"),
    ("scorched3d-data", "/misc/apache_1.wav"): ("helicopter", "event"),
}


@dataclass(frozen=True)
class Source:
    clip_id: str  # catalog clip_id, or "synth:<label>" for a procedural bed
    path: Path | None  # absolute FLAC path; None for procedural beds
    label: str
    role: str  # background | event
    duration: float
    package: str


@dataclass
class SourcePool:
    beds: dict[str, list[Source]]  # label -> background recordings
    events: dict[str, list[Source]]  # label -> event recordings
    classes: list[str]  # the catalog's class order (labels_a / labels_b); other vocab sounds may occur too

    def event_labels(self, min_sources: int = 1) -> list[str]:
        return sorted(k for k, v in self.events.items() if len(v) >= min_sources)


def read_classes(catalog_dir: Path) -> list[str]:
    """Class order of data/catalog/classes.json: a list of ids, or of objects with an "id"."""
    data = json.loads((catalog_dir / "classes.json").read_text())
    if isinstance(data, dict):
        data = data.get("classes", list(data))
    return [c["id"] if isinstance(c, dict) else str(c) for c in data]


def _label(row: dict) -> tuple[str, str]:
    for (package, suffix), label_role in LABEL_OVERRIDES.items():
        if row["package"] == package and row["source_path"].endswith(suffix) and not row.get("label"):
            return label_role
    return (row.get("label") or "").strip(), row["role"]


def load_pool(catalog_dir: str | Path) -> SourcePool:
    """Every ood row of the catalog labelled with a model.sound_vocab class, grouped by role and label.

    Sounds outside classes.json (too few training recordings) are kept: the set says which pairs
    edit only catalog classes (column edits_known)."""
    catalog_dir = Path(catalog_dir).resolve()
    classes = read_classes(catalog_dir)
    beds: dict[str, list[Source]] = {}
    events: dict[str, list[Source]] = {}
    with open(catalog_dir / "catalog.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            label, role = _label(row)
            if row.get("split") != OOD_SPLIT or label not in BY_ID:
                continue
            duration = float(row["duration"])
            if duration < MIN_EVENT_SECONDS:
                continue
            source = Source(row["clip_id"], catalog_dir / row["file"], label, role, duration, row["package"])
            (beds if role == "background" else events).setdefault(label, []).append(source)
    for group in (*beds.values(), *events.values()):
        group.sort(key=lambda s: s.clip_id)
    return SourcePool(beds, events, classes)


@lru_cache(maxsize=256)
def _read(path: Path) -> np.ndarray:
    audio, sr = sf.read(str(path), dtype="float32", always_2d=True)
    if sr != SR:
        raise ValueError(f"{path}: expected {SR} Hz catalog audio, got {sr}")
    return audio.mean(axis=1)


def read_source(source: Source, seconds: float, seed: int) -> np.ndarray:
    """A source's samples (16 kHz mono); procedural beds are rendered `seconds` long from `seed`."""
    if source.path is not None:
        return _read(source.path)
    return procedural_bed(source.label, seconds, np.random.default_rng(seed))


# ---- procedural beds (used only where the ood packages hold no recording of the class) ----

def _band(noise: np.ndarray, low: float | None, high: float | None, order: int = 2) -> np.ndarray:
    if low and high:
        sos = butter(order, (low, high), btype="bandpass", fs=SR, output="sos")
    elif high:
        sos = butter(order, high, btype="lowpass", fs=SR, output="sos")
    else:
        sos = butter(order, low, btype="highpass", fs=SR, output="sos")
    return sosfilt(sos, noise)


def _slow(rng: np.random.Generator, n: int, hz: float) -> np.ndarray:
    """A smooth random curve in [0, 1] changing about `hz` times a second."""
    knots = rng.random(max(2, int(n / SR * hz) + 2))
    return np.interp(np.arange(n), np.linspace(0, n, len(knots)), knots)


def procedural_bed(label: str, seconds: float, rng: np.random.Generator) -> np.ndarray:
    """Noise-based beds: rain (hiss + drops), traffic (brown-noise rumble with passes), sea (swells),
    room tone (hum + air), wind (gusting band noise). ValueError for any other label."""
    n = int(seconds * SR)
    white = rng.standard_normal(n)
    if label == "rain":
        hiss = _band(white, 800, 7000)
        drops = np.zeros(n)
        idx = rng.integers(0, n, size=int(seconds * rng.uniform(60, 160)))
        drops[idx] = rng.uniform(0.3, 1.0, size=idx.size) * rng.choice([-1, 1], size=idx.size)
        drops = _band(drops, 2000, 7500) * 6
        out = hiss * (0.7 + 0.3 * _slow(rng, n, 0.5)) + drops
    elif label == "traffic":
        brown = np.cumsum(white) / 80
        brown -= _band(brown, None, 8, 1)  # remove DC drift
        rumble = _band(brown, 30, 600)
        tyres = _band(white, 300, 3000) * 0.15
        passes = 0.25 + _slow(rng, n, 0.3) ** 2
        out = (rumble + tyres) * passes
    elif label == "sea_waves":
        swell = 0.15 + np.clip(np.sin(np.cumsum(np.full(n, 2 * np.pi * rng.uniform(0.08, 0.15) / SR)))
                               + 0.3 * _slow(rng, n, 0.4), 0, None) ** 2
        out = (_band(white, 150, 5000) + 0.4 * _band(white, 40, 300)) * swell
    elif label == "room_tone":
        t = np.arange(n) / SR
        mains = rng.choice([50.0, 60.0])
        harmonics = ((1, 0.3), (2, 0.15), (3, 0.08))
        hum = sum(a * np.sin(2 * np.pi * mains * k * t + rng.uniform(0, 6.3)) for k, a in harmonics)
        out = hum * 0.2 + _band(white, 60, 1500) * 0.5
    elif label == "wind":
        out = _band(white, 200, 1200) * (0.2 + _slow(rng, n, 0.7) ** 2) + _band(white, 30, 200) * 0.5
    else:
        raise ValueError(f"no procedural bed for {label!r}")
    out = out.astype(np.float32)
    return out / (np.max(np.abs(out)) + 1e-9) * 0.5


PROCEDURAL_BEDS = ("rain", "traffic", "sea_waves", "room_tone", "wind")


def synthetic_bed(label: str) -> Source:
    return Source(f"{SYNTH_PREFIX}{label}", None, label, "background", 0.0, "procedural")
