"""Plan a family of pairs: one clip a and 2-4 edited versions b (hard negatives of each other).

Pure: every random choice comes from the one Generator passed in; no audio is read (only catalog
durations). The same room/microphone chain serves a and every b of a family; each file (a, each b)
draws its own file chain (gain, band-limit, codec) and may be stored a little longer or shorter,
independent of its edit, so a file's level and length are weak evidence of "louder".
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from model.edits import ADD, LOUDER, QUIETER, REMOVE, Edit
from model.sound_vocab import BACKGROUND, BY_ID
from training.mixer import EVENT, MAIN, OTHER, Bed, ClipSpec, Eq, FileChain, Placement, Room, Source
from training.scenes_v2 import SceneV2
from training.source_pool import SourcePool

CLIP_SECONDS = (3.0, 30.0)  # log-uniform
BED_DB = (-34.0, -24.0)  # bed level in the mix, dBFS RMS
MAIN_DB = (-30.0, -16.0)  # main sound of an isolated clip
SNR_DB = (-6.0, 18.0)  # event level - reference level
SNR_BOUNDS = (-12.0, 30.0)  # no level edit may push a sound outside these
EDIT_DB = (3.0, 15.0)
EVENT_SECONDS = (1.0, 8.0)  # cut length from a long source (a source up to 8 s is used whole)
MAIN_CUT_SECONDS = (2.0, 25.0)  # cut length of an isolated clip's main sound from a long source
P_OTHER = 0.3  # an unlabelled distractor in clip a
P_TWO_EDITS = 0.4
FAMILY_SIZES = (2, 3, 4)
P_LENGTH_CHANGE, LENGTH_SCALE = 0.25, (0.8, 1.25)
DIFF_TYPES = ("bg_louder", "bg_quieter", "event_added", "event_removed", "event_louder", "event_quieter")


@dataclass(frozen=True)
class Member:
    edits: tuple[Edit, ...]
    b: ClipSpec


@dataclass(frozen=True)
class Family:
    a: ClipSpec
    members: tuple[Member, ...]


def _u(rng: np.random.Generator, lo_hi: tuple[float, float]) -> float:
    return float(rng.uniform(*lo_hi))


def _pick(rng: np.random.Generator, items: list):
    return items[int(rng.integers(len(items)))]


def pick_source(rng: np.random.Generator, sources: list[Source]) -> Source:
    """A recording family (group) uniformly, then one of its recordings: a family of 20 variants of
    one sound weighs as much as a single recording."""
    groups = sorted({s.group for s in sources})
    group = _pick(rng, groups)
    return _pick(rng, [s for s in sources if s.group == group])


def sample_eq(rng: np.random.Generator) -> Eq:
    r = rng.random()
    if r < 0.4:
        return Eq()
    if r < 0.6:
        return Eq("low_shelf", _u(rng, (80, 400)), _u(rng, (-12, 9)))
    if r < 0.85:
        return Eq("high_shelf", _u(rng, (1500, 6000)), _u(rng, (-12, 6)))
    return Eq("bandpass", _u(rng, (150, 800)), 0.0, _u(rng, (2000, 7000)))


def sample_room(rng: np.random.Generator) -> Room:
    return Room(rt60=float(np.exp(rng.uniform(np.log(0.1), np.log(1.5)))), ir_seed=int(rng.integers(2 ** 31)),
                mic_highpass_hz=_u(rng, (40, 150)) if rng.random() < 0.4 else 0.0,
                mic_tilt_db=_u(rng, (-6, 4)) if rng.random() < 0.5 else 0.0)


def sample_file_chain(rng: np.random.Generator) -> FileChain:
    r = rng.random()
    if r < 0.35:
        mode, target = "peak", _u(rng, (-6.0, -0.1))
    elif r < 0.7:
        mode, target = "loudness", _u(rng, (-28.0, -16.0))
    else:
        mode, target = "random", _u(rng, (-12.0, 12.0))
    r = rng.random()
    resample = 8000 if r < 0.1 else 11025 if r < 0.25 else 22050 if r < 0.35 else 0
    r = rng.random()
    codec = "ogg" if r < 0.15 else "mp3" if r < 0.25 else ""
    return FileChain(mode, round(target, 2), resample, codec, round(_u(rng, (0.1, 0.9)), 2) if codec else 0.0)


def sample_placement(rng: np.random.Generator, src: Source, role: str, clip_len: float,
                     level_db: float, distance: tuple[float, float] = (0.0, 1.0),
                     cut_seconds: tuple[float, float] = EVENT_SECONDS) -> Placement:
    """A sound from src: whole if short, else a cut (of a bed-like class: 40-90% of the clip)."""
    bed_like = src.label in BY_ID and BY_ID[src.label].role == BACKGROUND
    if src.duration <= EVENT_SECONDS[1] and not bed_like:
        dur, offset = min(src.duration, clip_len - 0.1), 0.0
    else:
        want = _u(rng, (0.4, 0.9)) * clip_len if bed_like else _u(rng, cut_seconds)
        dur = min(want, src.duration, clip_len - 0.1)
        offset = _u(rng, (0.0, src.duration - dur))
    dur = float(np.floor(dur * 1000) / 1000)
    onset = float(np.floor(_u(rng, (0.0, clip_len - dur)) * 1000) / 1000)
    return Placement(src, role, onset, dur, round(offset, 3), round(level_db, 2), sample_eq(rng),
                     round(_u(rng, distance), 3))


def _event_class(rng: np.random.Generator, scene: SceneV2, pool: SourcePool, exclude: set[str]) -> str | None:
    anywhere = [c for c in pool.event_classes() if c not in exclude]
    typical = [c for c in scene.typical if c in anywhere]
    if typical and rng.random() < scene.p_typical:
        return _pick(rng, typical)
    return _pick(rng, anywhere) if anywhere else None


def sample_clip_a(rng: np.random.Generator, scene: SceneV2, pool: SourcePool) -> ClipSpec:
    room = sample_room(rng)
    sounds: list[Placement] = []
    bed = None
    if scene.beds:
        bed_class = _pick(rng, scene.bed_choices(set(pool.bed_classes())))
        length = float(np.exp(rng.uniform(*np.log(CLIP_SECONDS))))
        src = pick_source(rng, pool.beds[bed_class])
        bed = Bed(src, round(_u(rng, (0.0, src.duration)), 3), round(_u(rng, BED_DB), 2), length)
        ref = bed.level_db
    else:  # isolated: one main sound over silence, a synthetic noise floor or a faint unnamed bed
        src = pick_source(rng, pool.events[_pick(rng, pool.event_classes())])
        ref = _u(rng, MAIN_DB)
        main = sample_placement(rng, src, MAIN, CLIP_SECONDS[1] - 2.5, ref, (0.0, 0.5), MAIN_CUT_SECONDS)
        pre, post = _u(rng, (0.1, 1.5)), _u(rng, (0.2, 2.5))
        length = float(np.clip(main.duration + pre + post, *CLIP_SECONDS))
        sounds.append(replace(main, onset=round(min(pre, length - main.duration), 3)))
        r = rng.random()
        if r < 0.4:
            room = replace(room, noise_db=round(ref - _u(rng, (35, 55)), 2), noise_alpha=_u(rng, (0, 2)),
                           noise_seed=int(rng.integers(2 ** 31)))
        elif r < 0.7 and pool.bed_classes():
            floor = pick_source(rng, pool.beds[_pick(rng, pool.bed_classes())])
            bed = Bed(floor, round(_u(rng, (0.0, floor.duration)), 3), round(ref - _u(rng, (30, 45)), 2),
                      length, named=False)
    length = round(length, 3)
    present = {bed.source.label} if bed is not None and bed.named else {sounds[0].label}
    n_events = int(rng.choice(len(scene.n_events_p), p=np.array(scene.n_events_p) / sum(scene.n_events_p)))
    for _ in range(n_events):
        label = _event_class(rng, scene, pool, present)
        if label is None:
            break
        present.add(label)
        sounds.append(sample_placement(rng, pick_source(rng, pool.events[label]), EVENT, length, ref + _u(rng, SNR_DB)))
    if pool.others and rng.random() < P_OTHER:
        sounds.append(sample_placement(rng, pick_source(rng, pool.others), OTHER, length, ref + _u(rng, (-6.0, 12.0))))
    return ClipSpec(scene.name, length, bed, tuple(sounds), room, sample_file_chain(rng))


def _snrs(clip: ClipSpec, roles: tuple[str, ...] = (EVENT, OTHER)) -> list[float]:
    return [s.level_db - clip.reference_db for s in clip.sounds if s.role in roles]


def _amount(rng: np.random.Generator, bound: float) -> float:
    return round(_u(rng, (EDIT_DB[0], min(EDIT_DB[1], bound))), 1)


def _feasible(clip: ClipSpec, pool: SourcePool, touched: set[str], main_done: bool) -> dict[str, list]:
    """Diff type -> candidates (sound indices, or classes to add; [bound] for main level edits)."""
    lo, hi = SNR_BOUNDS
    snrs = _snrs(clip)
    out: dict[str, list] = {}
    if not main_done:
        out["bg_louder"] = [min(snrs, default=99.0) - lo]
        out["bg_quieter"] = [hi - max(snrs, default=-99.0)]
    present = clip.labels
    out["event_added"] = [c for c in pool.event_classes() if c not in present and c not in touched]
    events = [i for i, s in enumerate(clip.sounds) if s.role == EVENT and s.label not in touched]
    ref = clip.reference_db
    out["event_removed"] = events
    out["event_louder"] = [i for i in events if hi - (clip.sounds[i].level_db - ref) >= EDIT_DB[0]]
    out["event_quieter"] = [i for i in events if (clip.sounds[i].level_db - ref) - lo >= EDIT_DB[0]]
    for key in ("bg_louder", "bg_quieter"):
        if key in out and out[key][0] < EDIT_DB[0]:
            del out[key]
    return {k: v for k, v in out.items() if v}


def _shift_main(clip: ClipSpec, db: float) -> ClipSpec:
    if clip.bed is not None and clip.bed.named:
        return replace(clip, bed=replace(clip.bed, level_db=round(clip.bed.level_db + db, 2)))
    return replace(clip, sounds=tuple(replace(s, level_db=round(s.level_db + db, 2)) if s.role == MAIN else s
                                      for s in clip.sounds))


def apply_random_edit(rng: np.random.Generator, clip: ClipSpec, pool: SourcePool, touched: set[str],
                      main_done: bool) -> tuple[Edit, ClipSpec] | None:
    """One edit drawn uniformly over the feasible difference types, then over its candidates."""
    options = _feasible(clip, pool, touched, main_done)
    if not options:
        return None
    kind = _pick(rng, [k for k in DIFF_TYPES if k in options])
    if kind in ("bg_louder", "bg_quieter"):
        db = _amount(rng, options[kind][0]) * (1 if kind == "bg_louder" else -1)
        edit = Edit(LOUDER if db > 0 else QUIETER, clip.main_label, True, db)
        return edit, _shift_main(clip, db)
    if kind == "event_added":
        label = _pick(rng, options[kind])
        placed = sample_placement(rng, pick_source(rng, pool.events[label]), EVENT, clip.duration,
                                  clip.reference_db + _u(rng, SNR_DB))
        return Edit(ADD, label), replace(clip, sounds=clip.sounds + (placed,))
    i = _pick(rng, options[kind])
    s = clip.sounds[i]
    if kind == "event_removed":
        return Edit(REMOVE, s.label), replace(clip, sounds=clip.sounds[:i] + clip.sounds[i + 1:])
    snr, (lo, hi) = s.level_db - clip.reference_db, SNR_BOUNDS
    db = _amount(rng, hi - snr) if kind == "event_louder" else -_amount(rng, snr - lo)
    edited = replace(s, level_db=round(s.level_db + db, 2))
    return (Edit(LOUDER if db > 0 else QUIETER, s.label, False, db),
            replace(clip, sounds=clip.sounds[:i] + (edited,) + clip.sounds[i + 1:]))


def sample_member(rng: np.random.Generator, a: ClipSpec, pool: SourcePool,
                  p_two: float = P_TWO_EDITS) -> Member | None:
    """1 edit or 2 (share p_two, 40% by default) on distinct sounds, then b's own file chain and maybe length."""
    n_edits = 2 if rng.random() < p_two else 1
    clip, edits, touched = a, [], set()
    for _ in range(n_edits):
        step = apply_random_edit(rng, clip, pool, touched, any(e.is_main for e in edits))
        if step is None:
            break
        edit, clip = step
        edits.append(edit)
        touched.add(edit.sound or "")
    if not edits:
        return None
    length = clip.duration
    if rng.random() < P_LENGTH_CHANGE:
        last_end = max((s.onset + s.duration for s in clip.sounds), default=0.0)
        length = float(np.clip(length * _u(rng, LENGTH_SCALE), max(CLIP_SECONDS[0], last_end + 0.05),
                               CLIP_SECONDS[1]))
    b = replace(clip, duration=round(length, 3), file=sample_file_chain(rng))
    return Member(tuple(edits), b)


def signature(edits: tuple[Edit, ...]) -> frozenset[str]:
    return frozenset(str(e) for e in edits)


def sample_family(rng: np.random.Generator, scene: SceneV2, pool: SourcePool, max_tries: int = 40,
                  p_two: float = P_TWO_EDITS) -> Family:
    """Clip a and 2-4 members whose edit sets all differ (p_two: share of members with two edits)."""
    a = sample_clip_a(rng, scene, pool)
    size = int(_pick(rng, list(FAMILY_SIZES)))
    members: list[Member] = []
    seen: set[frozenset[str]] = set()
    for _ in range(max_tries):
        if len(members) == size:
            break
        m = sample_member(rng, a, pool, p_two)
        if m is not None and signature(m.edits) not in seen:
            seen.add(signature(m.edits))
            members.append(m)
    return Family(a, tuple(members))
