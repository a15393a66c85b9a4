"""A level edit naming the query's only sound, read as the pronoun the heads learned for it.

In training "make it louder" is the clip's main sound (a scene's bed, the one sound of an isolated clip), and "make
the dog louder" is read as the dog's level in a mix. On a recording of a dog alone the named edit loses the lean the
pronoun has (MODEL_CARD, seventieth round: the val folder's top 10 were 0.4 dB under the query with "make the dog
louder", 1.0 dB over with "make it louder"). So when YAMNet hears the named sound in the query and no other Nudge
sound, the edit can be read as "make it louder / quieter" before the words are embedded and the results reordered.

Off in the app (OTHER_HEARD_MAX None): the seventieth and seventy-first rounds found the lean on a folder of single
recordings, but in mixes of an event over a quiet room YAMNet hears the event alone, and there "it" is the room's
tone in training ("make the door louder" became the bed louder): v2 val's event_louder R@1 fell 0.014.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache

import numpy as np

from model.class_scores import has_classes, main_sound_class, probabilities, sound_classes
from model.edits import LOUDER, QUIETER, Edit

OWN_HEARD_MIN = 0.1  # the named sound's classes at least this in the query (under it a note says "not heard")
OTHER_HEARD_MAX: float | None = None  # another Nudge sound's main class at least this: the query is a mix; None: off
HINT_HEARD_MIN = 0.5  # the app's note suggesting "make it louder" instead (app.named_sounds.OwnSoundNote): the named
# sound heard at least this, and more than any other Nudge sound (a real rain take also sounds like a stream)
NOT_OTHER: frozenset[str] = frozenset()  # sounds never counted as another sound (seventieth round: room tone and
# forest ambience, which let an event over a room's tone read as the room's tone; the seventy-first counts them)


@cache
def _other_columns(sound: str, left_out: frozenset[str]) -> np.ndarray:
    """Main class columns of the Nudge sounds that count as another sound beside ``sound``."""
    from model.sound_vocab import BY_ID

    own = set(sound_classes([sound]).tolist())
    columns = {main_sound_class(s) for s in BY_ID if s != sound and s not in left_out}
    return np.array(sorted(c for c in columns if c is not None and c not in own), dtype=np.int64)


def _heard(query_classes: np.ndarray | None, sound: str | None, left_out: frozenset[str]) -> tuple[float, float]:
    """How clearly YAMNet hears ``sound`` in the query (its (521,) uint8 class maxima: the strongest of its classes)
    and the clearest other Nudge sound (main classes; ``left_out`` never counted); (0, 1) without class scores or
    for a sound with no AudioSet class."""
    own = sound_classes([sound]) if sound is not None else np.empty(0, dtype=np.int64)
    if query_classes is None or not has_classes(np.asarray(query_classes)) or not len(own):
        return 0.0, 1.0
    p = probabilities(np.asarray(query_classes))
    return float(p[own].max()), float(p[_other_columns(sound, left_out)].max(initial=0.0))


def is_only_sound(query_classes: np.ndarray | None, sound: str | None, other_max: float) -> bool:
    """Whether YAMNet hears ``sound`` in the query and no other Nudge sound at least ``other_max``."""
    own, other = _heard(query_classes, sound, NOT_OTHER)
    return own >= OWN_HEARD_MIN and other < other_max


def is_main_heard(query_classes: np.ndarray | None, sound: str | None) -> bool:
    """Whether YAMNet hears ``sound`` in the query at least HINT_HEARD_MIN and at least as clearly as any other Nudge
    sound's main class (the sounds a query of it alone could be)."""
    own, other = _heard(query_classes, sound, frozenset())
    return own >= HINT_HEARD_MIN and own >= other


def it_as_bed(edits: list[Edit], query_classes: np.ndarray | None) -> list[Edit]:
    """The edits with each louder / quieter edit of "it" naming the bed YAMNet hears most in the query (a background
    sound heard at HINT_HEARD_MIN or more and as clearly as any other Nudge sound: is_main_heard); as they are when no
    bed is. For the reordering alone (app: IndexConfig.it_as_bed): it reads a named sound's level in a version far
    better than the level of "it" (trials 58-60: "make it louder" on a rain bed put its -8 dB version first)."""
    if query_classes is None or not any(e.sound is None and e.kind in (LOUDER, QUIETER) for e in edits):
        return list(edits)
    bed = main_bed(query_classes)
    if bed is None:
        return list(edits)
    return [replace(e, sound=bed, is_main=False) if e.sound is None and e.kind in (LOUDER, QUIETER) else e
            for e in edits]


def main_bed(query_classes: np.ndarray | None) -> str | None:
    """The bed sound (rain, traffic, wind, stream, waves, crowd, forest, room tone) YAMNet hears most in the query, at
    HINT_HEARD_MIN or more and as clearly as any other Nudge sound (is_main_heard); None when no bed is."""
    from model.sound_vocab import BACKGROUND, BY_ID

    if query_classes is None:
        return None
    beds = [s for s, v in BY_ID.items() if v.role == BACKGROUND and is_main_heard(query_classes, s)]
    return max(beds, key=lambda s: _heard(query_classes, s, frozenset())[0]) if beds else None


def own_sound_edits(edits: list[Edit], query_classes: np.ndarray | None, other_max: float) -> list[Edit]:
    """The edits with each louder / quieter edit of the query's only sound made an edit of "it"."""
    return [replace(e, sound=None, is_main=True)
            if e.kind in (LOUDER, QUIETER) and is_only_sound(query_classes, e.sound, other_max) else e
            for e in edits]


def own_sound_text(text: str, query_classes: np.ndarray | None, other_max: float | None = None) -> str:
    """``text`` with a level edit of the query's only sound said as "it" ("make the rain louder" on a recording of
    rain alone -> "make it louder"; "more rain and add thunder" -> "make it louder and add thunder"); unchanged when
    the rule is off (``other_max`` None and OTHER_HEARD_MAX None), nothing changes, or the words are not read whole
    (an unknown word, a clause that is no edit)."""
    other_max = OTHER_HEARD_MAX if other_max is None else other_max
    if other_max is None or not text.strip() or query_classes is None:
        return text
    from model.modifier_parser import canonical_text, edits_text, parse_modifier

    parsed = parse_modifier(text)
    canonical = [canonical_text(e) for e in parsed.edits]
    if not parsed.edits or parsed.unknown or parsed.left_out or parsed.clauses != canonical:
        return text
    edits = own_sound_edits(list(parsed.edits), query_classes, other_max)
    if edits == list(parsed.edits):
        return text
    return edits_text(edits)
