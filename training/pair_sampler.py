"""Sample a pair of soundscape specs (clip a, clip b) that differ by one or two edits.

Pure: all randomness comes from the Generator passed in, no audio is touched.
Levels are absolute (LUFS): the background sits at `bg_db` and each event at `level_db`.
Clip a's background is at the fixed reference REF_DB. An edit of the background moves
`bg_db` while every event keeps its absolute level, so the background-to-event ratio
changes by the edit's size; that ratio survives any later loudness normalization.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from training.descriptions import Diff
from training.scenes import (
    BG_LOUDER,
    BG_QUIETER,
    CLIP_SECONDS,
    DIFF_TYPES,
    EVENT_ADDED,
    EVENT_LOUDER,
    EVENT_REMOVED,
    Scene,
)

REF_DB = -32.0  # background loudness of clip a (LUFS)
EVENT_SNR_RANGE = (0.0, 15.0)  # event loudness relative to the background, dB
EDIT_DB_RANGE = (6.0, 12.0)  # size of louder/quieter edits, dB
EVENT_SECONDS_RANGE = (1.5, 6.0)  # cut length for long event sources
N_EVENTS_RANGE = (1, 3)
P_TWO_EDITS = 0.5


@dataclass(frozen=True)
class SourceFile:
    path: str  # relative to the sources dir
    label: str
    duration: float


@dataclass(frozen=True)
class EventSpec:
    label: str
    source: str
    source_time: float
    event_time: float
    duration: float
    level_db: float


@dataclass(frozen=True)
class ClipSpec:
    scene: str
    bg_label: str
    bg_source: str
    bg_db: float
    events: tuple[EventSpec, ...]
    duration: float = CLIP_SECONDS
    bg_time: float = 0.0  # offset into the background file

    @property
    def labels(self) -> set[str]:
        return {self.bg_label} | {e.label for e in self.events}


@dataclass(frozen=True)
class PairSpec:
    a: ClipSpec
    b: ClipSpec
    diffs: tuple[Diff, ...]
    edit_db: tuple[float, ...] = field(default=())  # size of each diff, 0 for add/remove


@dataclass(frozen=True)
class SourcePool:
    """Source files of one split: backgrounds and events by label."""
    backgrounds: dict[str, list[SourceFile]]
    events: dict[str, list[SourceFile]]


def sample_event(rng: np.random.Generator, label: str, pool: SourcePool,
                 bg_db: float, clip_seconds: float = CLIP_SECONDS) -> EventSpec:
    files = pool.events[label]
    src = files[int(rng.integers(len(files)))]
    if src.duration > EVENT_SECONDS_RANGE[1]:
        duration = float(rng.uniform(*EVENT_SECONDS_RANGE))
        source_time = float(rng.uniform(0, src.duration - duration))
    else:
        duration, source_time = src.duration, 0.0
    duration = min(duration, clip_seconds - 0.5)
    duration = float(np.floor(duration * 1000) / 1000)  # whole ms: never past the file end
    event_time = float(np.round(rng.uniform(0, clip_seconds - duration), 3))
    level = bg_db + float(rng.uniform(*EVENT_SNR_RANGE))
    return EventSpec(label, src.path, round(source_time, 3), event_time, duration, level)


def sample_clip_a(rng: np.random.Generator, scene: Scene, pool: SourcePool) -> ClipSpec:
    bgs = pool.backgrounds[scene.background]
    bg = bgs[int(rng.integers(len(bgs)))]
    available = [c for c in scene.events if pool.events.get(c)]
    n_events = int(rng.integers(N_EVENTS_RANGE[0], N_EVENTS_RANGE[1] + 1))
    labels = rng.choice(available, size=min(n_events, len(available)), replace=False)
    events = tuple(sample_event(rng, str(lab), pool, REF_DB) for lab in labels)
    return ClipSpec(scene.name, scene.background, bg.path, REF_DB, events)


def _compatible(kind: str, chosen: list[str], clip: ClipSpec, scene: Scene,
                pool: SourcePool, targeted: int) -> bool:
    """Can `kind` be applied after the edits in `chosen` (targeted = events already used)?"""
    if kind in (BG_LOUDER, BG_QUIETER):
        return not any(k in (BG_LOUDER, BG_QUIETER) for k in chosen)
    if kind == EVENT_ADDED:
        present = {e.label for e in clip.events}
        return any(c not in present and pool.events.get(c) for c in scene.events)
    return len(clip.events) - targeted > 0  # removed / louder / quieter need a fresh event


def sample_pair(rng: np.random.Generator, scene: Scene, pool: SourcePool, a: ClipSpec | None = None) -> PairSpec:
    """Clip a (sampled here unless given) plus one or two edits (each of the six kinds equally likely) giving b."""
    a = sample_clip_a(rng, scene, pool) if a is None else a
    n_edits = 2 if rng.random() < P_TWO_EDITS else 1
    b_events = list(a.events)
    untouched = list(range(len(a.events)))  # indices of a's events not yet edited
    bg_db = a.bg_db
    kinds: list[str] = []
    diffs: list[Diff] = []
    sizes: list[float] = []
    while len(kinds) < n_edits:
        kind = str(DIFF_TYPES[int(rng.integers(len(DIFF_TYPES)))])
        current = replace(a, events=tuple(e for e in b_events if e is not None))
        if not _compatible(kind, kinds, current, scene, pool, len(a.events) - len(untouched)):
            continue
        kinds.append(kind)
        size = float(rng.uniform(*EDIT_DB_RANGE)) if "louder" in kind or "quieter" in kind else 0.0
        if kind == BG_LOUDER:
            bg_db += size
            diffs.append(Diff(kind, a.bg_label))
        elif kind == BG_QUIETER:
            bg_db -= size
            diffs.append(Diff(kind, a.bg_label))
        elif kind == EVENT_ADDED:
            present = {e.label for e in b_events if e is not None}
            options = [c for c in scene.events if c not in present and pool.events.get(c)]
            label = options[int(rng.integers(len(options)))]
            b_events.append(sample_event(rng, label, pool, a.bg_db))  # level vs clip a's bg
            diffs.append(Diff(kind, label))
        else:
            idx = untouched.pop(int(rng.integers(len(untouched))))
            event = b_events[idx]
            assert event is not None
            if kind == EVENT_REMOVED:
                b_events[idx] = None
            else:
                sign = 1.0 if kind == EVENT_LOUDER else -1.0
                b_events[idx] = replace(event, level_db=event.level_db + sign * size)
            diffs.append(Diff(kind, event.label))
        sizes.append(round(size, 2))
    b = replace(a, bg_db=bg_db, events=tuple(e for e in b_events if e is not None))
    return PairSpec(a, b, tuple(diffs), tuple(sizes))


def diff_string(pair: PairSpec) -> str:
    """'bg_louder|event_added:dog' style summary of a pair's edits."""
    return "|".join(str(d) for d in pair.diffs)

