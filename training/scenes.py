"""Class list, label order and scene definitions shared by the data pipeline."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

BACKGROUND_CLASSES: tuple[str, ...] = ("rain", "traffic")
EVENT_CLASSES: tuple[str, ...] = (
    "thunder", "dog", "chirping_birds", "church_bells", "footsteps", "car_horn",
)
# Fixed label order of every multi-hot vector (labels_a / labels_b in pairs.csv).
ALL_CLASSES: tuple[str, ...] = BACKGROUND_CLASSES + EVENT_CLASSES

SAMPLE_RATE = 16_000
CLIP_SECONDS = 10.0

# Difference types between clip a and clip b.
BG_LOUDER, BG_QUIETER = "bg_louder", "bg_quieter"
EVENT_ADDED, EVENT_REMOVED = "event_added", "event_removed"
EVENT_LOUDER, EVENT_QUIETER = "event_louder", "event_quieter"
DIFF_TYPES: tuple[str, ...] = (
    BG_LOUDER, BG_QUIETER, EVENT_ADDED, EVENT_REMOVED, EVENT_LOUDER, EVENT_QUIETER,
)


@dataclass(frozen=True)
class Scene:
    name: str
    background: str
    events: tuple[str, ...]


SCENES: dict[str, Scene] = {
    "rain": Scene("rain", "rain",
                  ("thunder", "dog", "chirping_birds", "church_bells", "footsteps")),
    "traffic": Scene("traffic", "traffic",
                     ("car_horn", "dog", "footsteps", "church_bells", "chirping_birds")),
}


def multi_hot(labels: set[str] | list[str]) -> np.ndarray:
    """Multi-hot int8 vector over ALL_CLASSES."""
    present = set(labels)
    unknown = present - set(ALL_CLASSES)
    if unknown:
        raise ValueError(f"unknown classes: {sorted(unknown)}")
    return np.array([c in present for c in ALL_CLASSES], dtype=np.int8)


def format_multi_hot(labels: set[str] | list[str]) -> str:
    """Space-separated 0/1 string in ALL_CLASSES order, e.g. '1 0 0 1 0 0 0 0'."""
    return " ".join(str(int(v)) for v in multi_hot(labels))
