"""Label a source recording with a sound class from its path and YAMNet's AudioSet scores.

Pure functions: the catalog step (training.catalog_assemble) calls `label_file` per file.

Evidence
    keywords  every class (model.sound_vocab) whose keyword is a whole word of the path: file name
              and folders are split at '/', '_', '-', '.', spaces, digits and camelCase humps, and
              a keyword also matches its plural ('s'/'es'). Each hit has a depth: 0 = file name,
              1 = its folder, 2 = the folder above; higher folders ("Aircraft/c172p/Sounds/lever.wav")
              are not read (MAX_DEPTH).
    support   YAMNet's support for a class: the highest, over the class's AudioSet names, of the
              clip's max-over-patches probability (`mean` scores: mean over patches).

Rules (first that applies)
    1. Confirmed: keyword classes with support >= CONFIRM. The most specific one (lowest depth,
       then highest support) is the label; source "keyword+yamnet".
    2. Keyword alone: no keyword class is confirmed. If one class holds the lowest depth and YAMNet
       does not contradict it (a specific AudioSet class of another sound class has a mean score
       >= CONTRADICT, or >= CONTRADICT_FOLDER for a keyword only in a folder name, while this
       class's support is < UNSURE), it is the label; source "keyword".
       Several classes at the lowest depth, or a contradiction: no label.
    3. YAMNet alone: no keyword hit at all, and one sound class's mean support over non-generic
       AudioSet names is >= ALONE (shared by no other class at that score): source "yamnet".
    4. Otherwise no label: the file is still usable as an anonymous sound in mixes.
Before the rules: a class named for an action on a material (footsteps on gravel, an arrow hitting
wood, a metal door) overrules the material class wherever both are named (OUTRANKS); 'death',
'hurt' (pain_grunt) yield to any other class named (WEAK_CLASSES); a few keywords are cancelled by
other path words ("attack/fire" is shooting, not fire: BLOCKED_BY).

A class of role background (rain, forest, room tone) never labels a file shorter than
AMBIENCE_LABEL_MIN_S: such a file is a sound of the level or area, not its ambience.

Role: "background" when the file lasts >= BACKGROUND_MIN_S and is ambience-like: its class has
role background, or role both and the path says loop/ambience or the file lasts >= 10 s; an
unlabelled file is a background when its path says loop/ambience. Every other file is an event.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from model.sound_vocab import BACKGROUND, EVENT, VOCAB, SoundClass

CONFIRM = 0.2  # max-over-patches probability that confirms a keyword
UNSURE = 0.02  # below this a keyword class counts as unsupported
CONTRADICT = 0.8  # mean probability of another class's specific AudioSet name that overrules a keyword
CONTRADICT_FOLDER = 0.5  # the same when the keyword is only in a folder name
ALONE = 0.6  # mean probability for a label from YAMNet alone
MAX_DEPTH = 2  # keywords count in the file name and its two nearest folders only
BACKGROUND_MIN_S = 4.0
AMBIENCE_LABEL_MIN_S = 2.0  # a class of role background ("forest") never names a shorter file
LONG_BOTH_S = 10.0

# AudioSet names too broad to name a sound class on their own (they still confirm keywords).
GENERIC_AUDIOSET = frozenset({
    "Sound effect", "Mechanisms", "Liquid", "Hum", "Outside, rural or natural", "Inside, small room",
    "Inside, large room or hall", "Bang", "Burst, pop", "Breaking", "Tick", "Run", "Whir", "Crack",
    "Knock", "Tap", "Scrape", "Rub", "Rustle", "Crunch", "Clatter", "Chirp tone", "Zing", "Boing",
    "Squeak", "Creak", "Ding", "Chink, clink", "Jingle, tinkle", "Thump, thud", "Whack, thwack",
    "Slap, smack", "Musical instrument", "Percussion", "Buzz", "Sine wave", "Ping",
    "Whoosh, swoosh, swish", "Flap", "Arrow", "Shuffle", "Gasp", "Pant", "Wood", "Chop", "Splinter",
    "Glass", "Boom", "Eruption", "Howl", "Growling", "Roar", "Squawk", "Hammer", "Gears", "Water",
    "Animal", "Wild animals", "Domestic animals, pets", "Livestock, farm animals, working animals",
})
AMBIENCE_WORDS = frozenset({
    "loop", "loops", "looped", "amb", "ambient", "ambience", "ambiance", "ambiences", "ambients",
    "atmo", "atmos", "atmosphere", "background", "bg", "environment", "env", "weather",
})
# class -> classes it overrules wherever both are named: an action on a material (footsteps on
# gravel, an arrow hitting wood, a metal door) is named by the action, not the material.
_MATERIALS = frozenset({"metal_clank", "wood_impact", "digging", "water_splash", "glass_break", "punch"})
OUTRANKS: dict[str, frozenset[str]] = {
    "footsteps": _MATERIALS, "digging": _MATERIALS - {"digging"}, "door": _MATERIALS,
    "arrow": _MATERIALS | {"whoosh"}, "sword": _MATERIALS, "horse": frozenset({"footsteps"}),
    "helicopter": frozenset({"car_engine"}), "aircraft": frozenset({"car_engine"}),  # their engines
    "music": frozenset(c.id for c in VOCAB) - {"music"},  # "music/forest/..." is a forest level's music
}
# 'death', 'die', 'hurt' say little about the sound: any other class named in the path wins.
WEAK_CLASSES = frozenset({"pain_grunt"})
# class -> path words that cancel its keyword ("attack/fire" is shooting, "machine gun" a gun)
BLOCKED_BY: dict[str, frozenset[str]] = {
    "fire": frozenset({"attack", "weapon", "weapons", "shoot", "gun", "guns", "cannon", "station"}),
    "machinery": frozenset({"gun", "guns"}),
    "aircraft": frozenset({"parkland"}),  # lincity's "ParklandPlane": plane trees
    "digging": frozenset({"track"}),  # "DirtTrack": a race track
    "gunshot": frozenset({"reload", "nexball"}),
    "thunder": frozenset({"weapon", "weapons", "gun", "lg"}),  # the lightning gun
    "water_splash": frozenset({"gib"}),  # gore
    "alarm": frozenset({"interface"}),  # 0ad's interface/alarm: horn and drum cues of the game
    "car_engine": frozenset({"interface"}),  # 0ad's "alarm_no_idle_unit"
}


@dataclass(frozen=True)
class Label:
    label: str  # vocab id or "" (no label)
    source: str  # "keyword", "yamnet", "keyword+yamnet" or ""
    role: str  # "background" or "event"
    reason: str  # short note on how the decision was made (for the hand check)


_HUMP = re.compile(r"(?<=[a-z])(?=[A-Z])")
_SPLIT = re.compile(r"[^a-z]+")


def path_words(path: str) -> list[list[str]]:
    """Words of each path component, file name first: depth 0 = name (without extension), 1 = folder..."""
    parts = [p for p in re.split(r"/|::", path) if p]
    if parts:
        parts[-1] = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", parts[-1])
    return [[w for w in _SPLIT.split(_HUMP.sub(" ", p).lower()) if w] for p in reversed(parts)]


def _matches(word: str, keyword: str) -> bool:
    return word == keyword or word == keyword + "s" or word == keyword + "es"


def _hit(words: Sequence[str], keyword: str) -> bool:
    """Whole-word hit; a keyword with separators ("power_up") must match consecutive words."""
    kw = [k for k in _SPLIT.split(keyword.lower()) if k]
    if not kw:
        return False
    if len(kw) == 1:
        return any(_matches(w, kw[0]) for w in words)
    return any(list(words[i : i + len(kw) - 1]) == kw[:-1] and _matches(words[i + len(kw) - 1], kw[-1])
               for i in range(len(words) - len(kw) + 1))


def keyword_hits(path: str, vocab: Sequence[SoundClass] = VOCAB) -> dict[str, int]:
    """{class id: depth of its most specific keyword hit} (0 = file name)."""
    hits: dict[str, int] = {}
    levels = path_words(path)[: MAX_DEPTH + 1]
    for depth, words in enumerate(levels):
        for c in vocab:
            if c.id not in hits and any(_hit(words, k) for k in c.keywords):
                hits[c.id] = depth
    for cid in blocked_classes(path) & hits.keys():
        del hits[cid]
    for winner, losers in OUTRANKS.items():
        if winner in hits:
            for loser in losers & hits.keys():
                del hits[loser]
    if hits.keys() - WEAK_CLASSES:
        for weak in WEAK_CLASSES & hits.keys():
            del hits[weak]
    return hits


def blocked_classes(path: str) -> set[str]:
    """Classes whose keywords this path cancels (BLOCKED_BY); YAMNet alone may not name them either."""
    words = {w for level in path_words(path)[: MAX_DEPTH + 1] for w in level}
    return {cid for cid, blockers in BLOCKED_BY.items() if blockers & words}


def class_support(scores: np.ndarray, names: Sequence[str], c: SoundClass, specific: bool = False) -> float:
    """Highest score over the class's AudioSet names (only non-generic names if `specific`)."""
    index = {n: i for i, n in enumerate(names)}
    cols = [index[a] for a in c.audioset if a in index and not (specific and a in GENERIC_AUDIOSET)]
    return float(np.max(scores[cols])) if cols else 0.0


def label_file(path: str, duration: float, mean: np.ndarray, peak: np.ndarray, names: Sequence[str],
               vocab: Sequence[SoundClass] = VOCAB) -> Label:
    """Apply the rules of the module docstring to one file (mean/peak: (521,) probabilities)."""
    by_id: Mapping[str, SoundClass] = {c.id: c for c in vocab}
    hits = {cid: d for cid, d in keyword_hits(path, vocab).items()
            if duration >= AMBIENCE_LABEL_MIN_S or by_id[cid].role != BACKGROUND}
    label, source, reason = "", "", "no keyword, YAMNet unsure"
    if hits:
        support = {cid: class_support(peak, names, by_id[cid]) for cid in hits}
        confirmed = [cid for cid in hits if support[cid] >= CONFIRM]
        if confirmed:
            label = min(confirmed, key=lambda cid: (hits[cid], -support[cid]))
            source, reason = "keyword+yamnet", f"confirmed {support[label]:.2f}"
        else:
            top = min(hits.values())
            best = [cid for cid, d in hits.items() if d == top]
            if len(best) > 1:
                reason = "ambiguous keywords " + "/".join(sorted(best))
            else:
                rival = _strongest_other(mean, names, vocab, exclude=best[0])
                limit = CONTRADICT if top == 0 else CONTRADICT_FOLDER
                if support[best[0]] < UNSURE and rival[1] >= limit:
                    reason = f"contradicted by {rival[0]} {rival[1]:.2f}"
                else:
                    label, source, reason = best[0], "keyword", f"keyword, support {support[best[0]]:.2f}"
    else:
        blocked = blocked_classes(path)
        ranked = sorted(((class_support(mean, names, c, specific=True), c.id) for c in vocab
                         if (duration >= AMBIENCE_LABEL_MIN_S or c.role != BACKGROUND) and c.id not in blocked),
                        reverse=True)
        (s1, c1), (s2, _) = ranked[0], ranked[1]
        if s1 >= ALONE and s2 < s1:
            label, source, reason = c1, "yamnet", f"YAMNet mean {s1:.2f}"
    return Label(label, source, file_role(path, duration, by_id[label] if label else None), reason)


def _strongest_other(mean: np.ndarray, names: Sequence[str], vocab: Sequence[SoundClass],
                     exclude: str) -> tuple[str, float]:
    own = next(c for c in vocab if c.id == exclude)
    index = {n: i for i, n in enumerate(names)}
    best = ("", 0.0)
    for c in vocab:
        if c.id == exclude:
            continue
        shared = set(c.audioset) & set(own.audioset)
        cols = [index[a] for a in c.audioset if a in index and a not in GENERIC_AUDIOSET and a not in shared]
        s = float(np.max(mean[cols])) if cols else 0.0
        if s > best[1]:
            best = (c.id, s)
    return best


def is_ambience_path(path: str) -> bool:
    return any(w in AMBIENCE_WORDS for words in path_words(path) for w in words)


def file_role(path: str, duration: float, c: SoundClass | None) -> str:
    if duration < BACKGROUND_MIN_S:
        return EVENT
    if c is None:
        return BACKGROUND if is_ambience_path(path) else EVENT
    if c.role == BACKGROUND:
        return BACKGROUND
    if c.role == EVENT:
        return EVENT
    return BACKGROUND if is_ambience_path(path) or duration >= LONG_BOTH_S else EVENT


_VARIANT_TAIL = re.compile(r"([_\-. ]?\d+|[_\-. ][a-z])+$", re.I)


def family_key(package: str, source_path: str) -> str:
    """Source-recording family: package, folder and file name without a trailing variant number/letter
    (foo1, foo_02, foo-b -> foo), so variants of one recording stay in one split."""
    path = source_path.replace("::", "/")
    folder, _, name = path.rpartition("/")
    stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", name)
    base = _VARIANT_TAIL.sub("", stem) or stem
    return f"{package}:{folder}/{base.lower()}"
