"""Imperative text modifiers ("add thunder", "make the rain quieter") for clip differences.

Pure functions: every random choice is drawn from the numpy Generator passed in.
Each template has an id; templates whose id is in HELDOUT_TEMPLATE_IDS (and the held-out
joiners) are used only for eval pairs flagged is_heldout_phrasing=1, so a model can be
tested on phrasings it never saw in training.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from training.scenes import (
    ALL_CLASSES,
    BG_LOUDER,
    BG_QUIETER,
    EVENT_ADDED,
    EVENT_LOUDER,
    EVENT_QUIETER,
    EVENT_REMOVED,
)


@dataclass(frozen=True)
class Diff:
    """One difference from clip a to clip b; label is the sound it applies to."""
    kind: str
    label: str

    def __str__(self) -> str:  # "bg_louder" for backgrounds, "event_added:dog" for events
        return self.kind if self.kind in (BG_LOUDER, BG_QUIETER) else f"{self.kind}:{self.label}"


@dataclass(frozen=True)
class Description:
    text: str
    template_id: str  # e.g. "add_03" or "add_03+join_02+quieter_05"
    is_heldout: bool


@dataclass(frozen=True)
class SoundNames:
    indefinite: tuple[str, ...]  # after "add": "a dog barking"
    definite: tuple[str, ...]  # after "remove" / "make ... louder": "the dog"
    bare: tuple[str, ...]  # after "more" / "less": "barking"


SOUND_NAMES: dict[str, SoundNames] = {
    "rain": SoundNames(("rain", "some rain", "rainfall", "a downpour"),
                       ("the rain", "the rainfall", "the downpour"),
                       ("rain", "rainfall")),
    "traffic": SoundNames(("traffic", "cars", "street noise", "traffic noise"),
                          ("the traffic", "the cars", "the street noise", "the traffic noise"),
                          ("traffic", "street noise", "car noise")),
    "thunder": SoundNames(("thunder", "a thunderclap", "a roll of thunder", "some thunder"),
                          ("the thunder", "the thunderclap", "the rumble of thunder"),
                          ("thunder",)),
    "dog": SoundNames(("a dog", "a dog barking", "a barking dog", "a dog bark", "dog barking"),
                      ("the dog", "the dog barking", "the barking dog", "the barking"),
                      ("dog", "barking", "dog barking")),
    "chirping_birds": SoundNames(("birds", "birdsong", "chirping birds", "some birds chirping"),
                                 ("the birds", "the birdsong", "the chirping birds",
                                  "the chirping"),
                                 ("birds", "birdsong", "chirping")),
    "church_bells": SoundNames(("bells", "church bells", "bell ringing", "a church bell"),
                               ("the bells", "the church bells", "the bell ringing"),
                               ("bells", "bell ringing", "church bells")),
    "footsteps": SoundNames(("footsteps", "steps", "someone walking", "the sound of footsteps"),
                            ("the footsteps", "the steps", "the walking"),
                            ("footsteps", "walking")),
    "car_horn": SoundNames(("a car horn", "honking", "a horn", "a honking car"),
                           ("the car horn", "the honking", "the horn"),
                           ("honking", "horn", "car horn")),
}

# Slots: {x} definite or indefinite noun phrase (by kind), {bare} bare noun.
TEMPLATES: dict[str, dict[str, str]] = {
    EVENT_ADDED: {
        "add_01": "add {x}", "add_02": "put in {x}", "add_03": "include {x}",
        "add_04": "add {x} to it", "add_05": "bring in {x}", "add_06": "mix in {x}",
        "add_07": "insert {x}", "add_08": "there should be {x} too",
        "add_09": "throw in {x}", "add_10": "layer {x} on top", "add_11": "I want {x} as well",
    },
    EVENT_REMOVED: {
        "remove_01": "remove {x}", "remove_02": "get rid of {x}", "remove_03": "take out {x}",
        "remove_04": "drop {x}", "remove_05": "without {x}", "remove_06": "delete {x}",
        "remove_07": "mute {x}", "remove_08": "cut {x}",
        "remove_09": "lose {x}", "remove_10": "no more {bare}", "remove_11": "I don't want {x}",
    },
    "louder": {
        "louder_01": "make {x} louder", "louder_02": "increase {x}", "louder_03": "turn up {x}",
        "louder_04": "boost {x}", "louder_05": "amplify {x}", "louder_06": "more {bare}",
        "louder_07": "raise the volume of {x}", "louder_08": "{x} louder",
        "louder_09": "bring {x} up", "louder_10": "crank up {x}", "louder_11": "I want more {bare}",
    },
    "quieter": {
        "quieter_01": "make {x} quieter", "quieter_02": "reduce {x}", "quieter_03": "turn down {x}",
        "quieter_04": "soften {x}", "quieter_05": "less {bare}", "quieter_06": "lower {x}",
        "quieter_07": "make {x} softer", "quieter_08": "decrease {x}",
        "quieter_09": "tone down {x}", "quieter_10": "bring {x} down",
        "quieter_11": "{x} should be quieter",
    },
}
JOINERS: dict[str, str] = {
    "join_01": "{0} and {1}", "join_02": "{0}, then {1}", "join_03": "{0}, and {1}",
    "join_04": "{0} and also {1}", "join_05": "{0}; also {1}", "join_06": "{0} plus {1}",
}
# Held out from dev/val: the last templates of each group and the last two joiners.
HELDOUT_TEMPLATE_IDS: frozenset[str] = frozenset({
    "add_09", "add_10", "add_11", "remove_09", "remove_10", "remove_11",
    "louder_09", "louder_10", "louder_11", "quieter_09", "quieter_10", "quieter_11",
    "join_05", "join_06",
})
HELDOUT_FRACTION_EVAL = 0.3

_TEMPLATE_GROUP = {
    EVENT_ADDED: EVENT_ADDED, EVENT_REMOVED: EVENT_REMOVED,
    BG_LOUDER: "louder", EVENT_LOUDER: "louder", BG_QUIETER: "quieter", EVENT_QUIETER: "quieter",
}

INVERSE_KIND = {
    BG_LOUDER: BG_QUIETER, BG_QUIETER: BG_LOUDER, EVENT_ADDED: EVENT_REMOVED,
    EVENT_REMOVED: EVENT_ADDED, EVENT_LOUDER: EVENT_QUIETER, EVENT_QUIETER: EVENT_LOUDER,
}


def invert_diff(diff: Diff) -> Diff:
    """The edit that undoes ``diff`` (added <-> removed, louder <-> quieter)."""
    return Diff(INVERSE_KIND[diff.kind], diff.label)


def _strip_article(phrase: str) -> str:
    for article in ("the sound of ", "the ", "a ", "some "):
        phrase = phrase.removeprefix(article)
    return phrase


# Class names and synonyms without articles, for the app's suggestion box.
KNOWN_SOUND_WORDS: list[str] = sorted({
    _strip_article(word)
    for cls in ALL_CLASSES
    for word in (cls.replace("_", " "), *SOUND_NAMES[cls].indefinite,
                 *SOUND_NAMES[cls].definite, *SOUND_NAMES[cls].bare)
})


def templates_for(kind: str, heldout: bool) -> dict[str, str]:
    """Templates of a diff kind: only held-out ones if heldout, else only seen ones."""
    group = TEMPLATES[_TEMPLATE_GROUP[kind]]
    return {tid: t for tid, t in group.items() if (tid in HELDOUT_TEMPLATE_IDS) == heldout}


def joiners_for(heldout: bool) -> dict[str, str]:
    return {jid: j for jid, j in JOINERS.items() if (jid in HELDOUT_TEMPLATE_IDS) == heldout}


def _pick(rng: np.random.Generator, options: dict[str, str] | tuple[str, ...]) -> str:
    keys = list(options)
    return keys[int(rng.integers(len(keys)))]


def describe_one(diff: Diff, rng: np.random.Generator, heldout: bool = False) -> tuple[str, str]:
    """(phrase, template_id) for a single diff."""
    templates = templates_for(diff.kind, heldout)
    tid = _pick(rng, templates)
    names = SOUND_NAMES[diff.label]
    x_forms = names.indefinite if diff.kind == EVENT_ADDED else names.definite
    phrase = templates[tid].format(x=_pick(rng, x_forms), bare=_pick(rng, names.bare))
    return phrase, tid


def describe(diffs: list[Diff], rng: np.random.Generator, heldout: bool = False) -> Description:
    """Imperative sentence for one or two diffs. heldout=True uses only held-out phrasings."""
    if not 1 <= len(diffs) <= 2:
        raise ValueError(f"expected 1 or 2 diffs, got {len(diffs)}")
    parts = [describe_one(d, rng, heldout) for d in diffs]
    if len(parts) == 1:
        text, template_id = parts[0]
    else:
        joiners = joiners_for(heldout)
        jid = _pick(rng, joiners)
        text = joiners[jid].format(parts[0][0], parts[1][0])
        template_id = f"{parts[0][1]}+{jid}+{parts[1][1]}"
    text = text[0].upper() + text[1:]
    if rng.random() < 0.3:
        text += "."
    return Description(text, template_id, heldout)


def template_ids(template_id: str) -> list[str]:
    """Split a composite template id ('add_01+join_02+quieter_03') into its parts."""
    return template_id.split("+")
