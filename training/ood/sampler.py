"""Sample OOD families: a clip a and 2-3 edited versions b of it (hard negatives for each other).

Pure: every choice comes from the Generator passed in; no audio is touched. Parameters differ on
purpose from the training synthesis: event levels from a triangular distribution (not uniform),
level changes of 4-12 dB, clip lengths 4-20 s, a comb/multi-tap room per family, and per-file output
formats (training.ood.render). Levels are "active" levels in dB relative to the main sound of clip a.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from model.edits import ADD, LOUDER, QUIETER, REMOVE, Edit
from training.ood.scenes import SceneSources

DURATION_RANGE = (4.0, 20.0)
EVENT_SNR_TRIANGLE = (-4.0, 4.0, 14.0)  # (low, mode, high) dB over the bed's active level
ISOLATED_SNR_TRIANGLE = (-12.0, -4.0, 3.0)  # other sounds under an isolated main sound
FLOOR_DB_RANGE = (-42.0, -30.0)  # noise floor under an isolated sound
EDIT_DB_RANGE = (4.0, 12.0)
MIN_QUIETER_LEVEL_DB = -10.0  # an event is never turned down below this (it would vanish)
N_EVENTS_P = {0: 0.1, 1: 0.35, 2: 0.35, 3: 0.2}
N_EVENTS_ISOLATED_P = {0: 0.4, 1: 0.4, 2: 0.2}
P_TWO_EDITS = 0.4
VERSIONS_P = {2: 0.5, 3: 0.5}
FLOOR = "synth:floor"
DIFF_KINDS = ("main_louder", "main_quieter", "event_added", "event_removed", "event_louder", "event_quieter")


@dataclass(frozen=True)
class Layer:
    label: str | None  # sound class; None = unlabelled noise floor
    source: str  # catalog clip_id, "synth:<label>" (procedural bed) or FLOOR
    onset: float  # seconds into the clip
    offset: float  # seconds into the source
    length: float  # seconds
    level_db: float  # active level, dB re the main sound of clip a
    pan: float  # -1 (left) .. 1 (right)
    wet: float  # reverb send, 0..1
    is_main: bool = False
    loop: bool = False  # beds loop (with a crossfade) to fill the clip


@dataclass(frozen=True)
class Room:
    taps: tuple[tuple[float, float, float], ...]  # (delay s, gain, one-pole lowpass coefficient)
    comb_delay: float  # s
    comb_feedback: float
    lowpass_hz: float | None  # family-wide colouration of the whole mix
    highpass_hz: float | None


@dataclass(frozen=True)
class ClipSpec:
    scene: str
    duration: float
    layers: tuple[Layer, ...]
    room: Room
    seed: int  # seeds procedural beds and the noise floor (same in every clip of a family)

    def labels(self) -> set[str]:
        return {layer.label for layer in self.layers if layer.label}

    def layer(self, label: str) -> Layer:
        return next(layer for layer in self.layers if layer.label == label)


@dataclass(frozen=True)
class Version:
    edits: tuple[Edit, ...]
    spec: ClipSpec


def weighted_choice(rng: np.random.Generator, weights: dict) -> object:
    """One key of `weights`, drawn with probability proportional to its value."""
    keys = list(weights)
    return keys[int(rng.choice(len(keys), p=np.array(list(weights.values())) / sum(weights.values())))]


def sample_room(rng: np.random.Generator) -> Room:
    n_taps = int(rng.integers(3, 7))
    delays = np.sort(rng.uniform(0.007, 0.09, n_taps))
    taps = tuple((float(d), float(rng.uniform(0.3, 0.7) * 0.8 ** i), float(rng.uniform(0.2, 0.7)))
                 for i, d in enumerate(delays))
    return Room(taps, float(rng.uniform(0.023, 0.047)), float(rng.uniform(0.35, 0.7)),
                float(rng.uniform(3000, 7000)) if rng.random() < 0.4 else None,
                float(rng.uniform(80, 300)) if rng.random() < 0.3 else None)


def event_layer(rng: np.random.Generator, ss: SceneSources, pool_events: dict, label: str, duration: float,
                base_wet: float) -> Layer:
    source = pool_events[label][int(rng.integers(len(pool_events[label])))]
    length = float(min(source.duration, rng.uniform(1.0, 7.0), duration - 0.2))
    offset = float(rng.uniform(0, max(0.0, source.duration - length)))
    onset = float(rng.uniform(0, duration - length))
    snr = ISOLATED_SNR_TRIANGLE if ss.main is None else EVENT_SNR_TRIANGLE
    return Layer(label, source.clip_id, onset, offset, length, float(rng.triangular(*snr)),
                 float(rng.uniform(-0.8, 0.8)), float(np.clip(base_wet * rng.uniform(0.5, 1.5), 0, 0.8)))


def sample_clip_a(rng: np.random.Generator, ss: SceneSources, pool_events: dict, seed: int) -> ClipSpec:
    room = sample_room(rng)
    base_wet = float(rng.uniform(0.05, 0.45))
    if ss.main is not None:
        duration = float(rng.uniform(*DURATION_RANGE))
        bed = ss.beds[int(rng.integers(len(ss.beds)))]
        loop = bed.path is not None and bed.duration < duration
        offset = 0.0 if loop or bed.path is None else float(rng.uniform(0, bed.duration - duration))
        layers = [Layer(ss.main, bed.clip_id, 0.0, offset, duration, 0.0, 0.0, 0.0, is_main=True, loop=loop)]
        candidates, n_p = [e for e in ss.events if e != ss.main], N_EVENTS_P
    else:
        main_label = ss.events[int(rng.integers(len(ss.events)))]
        source = pool_events[main_label][int(rng.integers(len(pool_events[main_label])))]
        length = float(min(source.duration, rng.uniform(3.0, 12.0)))
        onset = float(rng.uniform(0.1, 0.8))
        duration = float(np.clip(onset + length + rng.uniform(0.3, 3.0), *DURATION_RANGE))
        length = min(length, duration - onset - 0.1)
        offset = float(rng.uniform(0, max(0.0, source.duration - length)))
        layers = [Layer(main_label, source.clip_id, onset, offset, length, 0.0, float(rng.uniform(-0.3, 0.3)),
                        base_wet, is_main=True),
                  Layer(None, FLOOR, 0.0, 0.0, duration, float(rng.uniform(*FLOOR_DB_RANGE)), 0.0, 0.0, loop=True)]
        candidates, n_p = [e for e in ss.events if e != main_label], N_EVENTS_ISOLATED_P
    n_events = min(int(weighted_choice(rng, n_p)), len(candidates) - 1)  # keep one class free for "add"
    for label in rng.choice(candidates, size=n_events, replace=False):
        layers.append(event_layer(rng, ss, pool_events, str(label), duration, base_wet))
    return ClipSpec(ss.scene.name, duration, tuple(layers), room, seed)


def _main(spec: ClipSpec) -> Layer:
    return next(layer for layer in spec.layers if layer.is_main)


def feasible(spec: ClipSpec, ss: SceneSources, taken: set[str]) -> dict[str, list[str]]:
    """Difference kind -> sounds it may apply to, excluding sounds already edited (`taken`)."""
    main = _main(spec).label
    events = [layer.label for layer in spec.layers if layer.label and not layer.is_main and layer.label not in taken]
    absent = [e for e in ss.events if e not in spec.labels() and e not in taken]
    quieter = [e for e in events if spec.layer(e).level_db - EDIT_DB_RANGE[0] >= MIN_QUIETER_LEVEL_DB]
    options = {"main_louder": [main], "main_quieter": [main], "event_added": absent, "event_removed": events,
               "event_louder": events, "event_quieter": quieter}
    if main in taken:
        options["main_louder"] = options["main_quieter"] = []
    return {k: v for k, v in options.items() if v}


def sample_edit(rng: np.random.Generator, spec: ClipSpec, ss: SceneSources, taken: set[str]) -> Edit | None:
    options = feasible(spec, ss, taken)
    if not options:
        return None
    kind = list(options)[int(rng.integers(len(options)))]
    sound = options[kind][int(rng.integers(len(options[kind])))]
    if kind == "event_quieter":  # cap the size so the event stays above MIN_QUIETER_LEVEL_DB
        high = min(EDIT_DB_RANGE[1], spec.layer(sound).level_db - MIN_QUIETER_LEVEL_DB)
        return Edit(QUIETER, sound, False, -round(float(rng.uniform(EDIT_DB_RANGE[0], high)), 1))
    amount = round(float(rng.uniform(*EDIT_DB_RANGE)), 1)
    return {"main_louder": Edit(LOUDER, sound, True, amount), "main_quieter": Edit(QUIETER, sound, True, -amount),
            "event_added": Edit(ADD, sound), "event_removed": Edit(REMOVE, sound),
            "event_louder": Edit(LOUDER, sound, False, amount)}[kind]


def apply_edits(rng: np.random.Generator, spec: ClipSpec, edits: tuple[Edit, ...], ss: SceneSources,
                pool_events: dict) -> ClipSpec:
    layers = list(spec.layers)
    base_wet = float(np.mean([layer.wet for layer in layers if layer.label and not layer.loop] or [0.2]))
    for edit in edits:
        if edit.kind == ADD:
            layers.append(event_layer(rng, ss, pool_events, edit.sound, spec.duration, base_wet))
            continue
        i = next(i for i, layer in enumerate(layers) if layer.label == edit.sound)
        if edit.kind == REMOVE:
            del layers[i]
        else:
            layers[i] = replace(layers[i], level_db=layers[i].level_db + edit.amount_db)
    return replace(spec, layers=tuple(layers))


def sample_family(rng: np.random.Generator, ss: SceneSources, pool_events: dict, seed: int,
                  max_versions: int | None = None) -> tuple[ClipSpec, list[Version]]:
    """Clip a and 2-3 versions, each with one (60 %) or two (40 %) edits; no two versions share edits."""
    a = sample_clip_a(rng, ss, pool_events, seed)
    n_versions = int(weighted_choice(rng, VERSIONS_P))
    if max_versions is not None:
        n_versions = min(n_versions, max_versions)
    versions: list[Version] = []
    seen: set[tuple] = set()
    for _ in range(20 * n_versions):
        if len(versions) == n_versions:
            break
        edits: list[Edit] = []
        for _ in range(2 if rng.random() < P_TWO_EDITS else 1):
            edit = sample_edit(rng, a, ss, {e.sound for e in edits})
            if edit is not None:
                edits.append(edit)
        key = tuple(sorted((e.kind, e.sound) for e in edits))
        if not edits or key in seen:
            continue
        seen.add(key)
        versions.append(Version(tuple(edits), apply_edits(rng, a, tuple(edits), ss, pool_events)))
    return a, versions
