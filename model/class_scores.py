"""YAMNet's own AudioSet class scores, kept per window of a long take to find short events in it.

A 10 s window's pooled embedding barely moves when a 2 s bark happens in it; YAMNet's class scores of
the 0.96 s patch holding the bark do. The index keeps, per row (a whole file or one of its windows), the
maximum over the row's patches of each of the 521 class scores, as YAMNet's quantized uint8 output
(exact, 521 bytes a row). A row of zeros means "no class scores" (a file imported before they were kept):
real rows never are all zeros (the output's zero point is 190).

This module maps what a query asks for to classes: words that add or raise an event sound (a dog,
thunder; not a sound that can be a take's bed) to the AudioSet names of that sound (model.sound_vocab),
and a query clip to its own strongest classes.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from model.yamnet import CLASS_SCALE, CLASS_ZERO_POINT

CLASS_COUNT = 521
CLIP_TOP_CLASSES = 5  # a query clip's strongest classes that describe it


@lru_cache(maxsize=1)
def _probability_table() -> np.ndarray:
    """uint8 class output -> probability (sigmoid of the dequantized logit), for all 256 values."""
    logits = CLASS_SCALE * (np.arange(256, dtype=np.float64) - CLASS_ZERO_POINT)
    return (1.0 / (1.0 + np.exp(-logits))).astype(np.float32)


def probabilities(raw: np.ndarray) -> np.ndarray:
    """Stored uint8 class scores (any shape) -> float32 probabilities."""
    return _probability_table()[np.asarray(raw, dtype=np.uint8)]


def has_classes(raw: np.ndarray) -> np.ndarray:
    """Per row (last axis = classes): whether the row holds class scores (not the all-zero 'none' row)."""
    return np.asarray(raw).any(axis=-1)


def patch_maxima(raw_patches: np.ndarray) -> np.ndarray:
    """(P, 521) uint8 per-patch scores -> (521,) uint8 maximum over the patches (zeros when P = 0)."""
    raw_patches = np.asarray(raw_patches, dtype=np.uint8)
    return raw_patches.max(axis=0) if len(raw_patches) else np.zeros(CLASS_COUNT, dtype=np.uint8)


@dataclass(frozen=True)
class ClassQuery:
    """Classes to look for in a take's windows and how much each counts (weights sum to 1)."""

    indices: np.ndarray  # (k,) int class columns
    weights: np.ndarray  # (k,) float32
    pool: str  # "max": a window's value is its strongest of the classes; "mean": their weighted mean

    def window_values(self, raw_windows: np.ndarray) -> np.ndarray:
        """(W, 521) uint8 window maxima -> (W,) value of the classes per window."""
        p = probabilities(np.asarray(raw_windows)[:, self.indices])
        return p.max(axis=1) if self.pool == "max" else p @ self.weights


@lru_cache(maxsize=1)
def _class_columns() -> dict[str, int]:
    from model.yamnet import class_names

    return {name: i for i, name in enumerate(class_names())}


def class_column(name: str) -> int | None:
    """The column of an AudioSet display name ("Typewriter") in YAMNet's scores, None when it has none."""
    return _class_columns().get(name)


def sound_classes(sound_ids: list[str]) -> np.ndarray:
    """Class columns of the AudioSet names of Nudge sound ids (model.sound_vocab), sorted, unique."""
    from model.sound_vocab import BY_ID

    columns = _class_columns()
    found = {columns[name] for sid in sound_ids if sid in BY_ID for name in BY_ID[sid].audioset if name in columns}
    return np.array(sorted(found), dtype=np.int64)


def main_sound_class(sound_id: str) -> int | None:
    """The class column of a Nudge sound's first (most specific) AudioSet name ("Dog", not "Growling"); None if
    the sound has none in YAMNet's list."""
    from model.sound_vocab import BY_ID

    names = BY_ID[sound_id].audioset if sound_id in BY_ID else ()
    return _class_columns().get(names[0]) if names else None


def added_sounds(text: str, kinds: tuple[str, ...] | None = None) -> tuple[list[str], list[str], list[str]]:
    """The sound ids the words add or raise (``kinds``: only edits of these kinds, e.g. (ADD,)): (event sounds
    (role "event": a dog, thunder), bed sounds (role "background": rain, traffic), sounds that can be either (role
    "both": birds, an engine))."""
    from model.edits import ADD, LOUDER
    from model.modifier_parser import parse_modifier
    from model.sound_vocab import BACKGROUND, BOTH, BY_ID, EVENT

    if not text.strip():
        return [], [], []
    sounds = [e.sound for e in parse_modifier(text).edits if e.kind in (kinds or (ADD, LOUDER)) and e.sound in BY_ID]
    return tuple([s for s in sounds if BY_ID[s].role == role] for role in (EVENT, BACKGROUND, BOTH))


@lru_cache(maxsize=1)
def _column_roles() -> tuple[np.ndarray, list[str]]:
    """Class columns that name a Nudge sound, and that sound's role (the first sound naming a column)."""
    from model.sound_vocab import VOCAB

    columns, roles = _class_columns(), {}
    for cls in VOCAB:
        for name in cls.audioset:
            if name in columns:
                roles.setdefault(columns[name], cls.role)
    keys = sorted(roles)
    return np.array(keys, dtype=np.int64), [roles[k] for k in keys]


def clip_is_event(raw_clip: np.ndarray | None) -> bool | None:
    """Whether a clip sounds like an event rather than a bed: its strongest class of an event sound (a bark,
    thunder) is at least as strong as its strongest class of a bed sound (rain, wind); None without class
    scores. Classes of sounds that can be either (birds) are left out."""
    if raw_clip is None or not has_classes(raw_clip):
        return None
    from model.sound_vocab import BACKGROUND, EVENT

    columns, roles = _column_roles()
    p = probabilities(np.asarray(raw_clip)[columns])
    role = np.asarray(roles)
    return bool(p[role == EVENT].max(initial=0.0) >= p[role == BACKGROUND].max(initial=0.0))


def sounds_class_query(sound_ids: list[str]) -> ClassQuery | None:
    """The AudioSet classes of these sounds, a window's value being its strongest of them; None without any."""
    indices = sound_classes(sound_ids)
    if not len(indices):
        return None
    return ClassQuery(indices, np.full(len(indices), 1.0 / len(indices), dtype=np.float32), "max")


def clip_class_query(raw_clip: np.ndarray | None, top: int = CLIP_TOP_CLASSES) -> ClassQuery | None:
    """The query clip's ``top`` strongest classes (its (521,) uint8 patch maxima), weighted by probability;
    None without class scores."""
    if raw_clip is None or not has_classes(raw_clip):
        return None
    p = probabilities(raw_clip)
    indices = np.sort(np.argsort(-p, kind="stable")[:top])
    weights = p[indices] / max(float(p[indices].sum()), 1e-12)
    return ClassQuery(indices.astype(np.int64), weights.astype(np.float32), "mean")
