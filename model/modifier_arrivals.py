"""Whether a piece of a modifier tells a sound arriving rather than an edit of a sound already there (readers 20-23):
"a plane flies overhead instead", "a horse whinnies at the rail", "a round of applause goes up".

Used by model.modifier_pieces when a piece is read; pure Python.
"""

from __future__ import annotations

from model.edits import LOUDER, QUIETER, REMOVE
from model.modifier_verbs import FILLER
from model.sound_vocab import BACKGROUND, BY_ID

Span = tuple[int, int, str]  # a sound named: first word, end, class id

# prepositions that place what comes after them: "footsteps on the path", "a horse whinnies at the rail"
WHERE = frozenset({"on", "in", "at", "across", "through", "along", "down", "outside", "inside", "from", "behind",
                   "near", "beyond", "around"})
ARTICLES = frozenset({"a", "an", "some", "another", "someone", "somebody", "one"})
# words saying a sound was not in the clip before: "a plane flies overhead instead", "a clank that wasn't there"
_ARRIVAL_MARKS = (("instead",), ("in", "its", "place"), ("in", "their", "place"), ("wasn", "t", "there"),
                  ("weren", "t", "there"), ("not", "there", "before"), ("followed", "by"))
_LEVEL_WORDS = frozenset({"louder", "quieter", "softer", "fainter", "more", "less", "too", "loud", "quiet", "soft",
                          "faint", "lower", "higher", "volume", "level", "turn", "bring"})
# verbs a particle after them makes a level change even for a sound just introduced: "a car dying down"
_FADING = frozenset({"die", "dies", "dying", "died", "trail", "trails", "trailing", "fade", "fades", "fading", "taper",
                     "tapers", "tapering", "tail", "tails", "tailing", "wind", "winds", "winding", "settle", "settles",
                     "settling", "calm", "calms", "calming", "drop", "drops", "dropping", "cut", "cuts"})


def introduced(words: list[str], sounds: list[Span]) -> bool:
    """A sound (not a bed) brought in by "a", "some", "someone": "a horse ...", "across the valley a train"."""
    return bool(sounds) and BY_ID[sounds[0][2]].role != BACKGROUND and (words[0] in ARTICLES or bool(
        ARTICLES & set(words[max(0, sounds[0][0] - 2) : sounds[0][0]])))


def moves_in(words: list[str], kind: str | None, priority: int) -> bool:
    """A sound just introduced whose only cue is a bare particle of its motion ("a scream echoes down", "a crow
    flaps up") or "goes up" ("a round of applause goes up"): it arrives; never after a fading verb ("a car dying
    down") or with a level word."""
    goes_up = kind == LOUDER and "up" in words and bool({"go", "goes", "went", "rises"} & set(words))
    return (kind in (LOUDER, QUIETER, REMOVE) and (priority <= 1 or goes_up)
            and not (_LEVEL_WORDS | _FADING) & set(words))


def acts_on(words: list[str], typed: list[str], sounds: list[Span]) -> bool:
    """A verb from the sound's last word up to any place: "a horse whinnies at the rail", "someone clicking a pen", "a
    man's voice is giving orders" (not "a fireplace in a log cabin", "a sheep pasture on a hill")."""
    end = sounds[0][1]
    where = next((i for i in range(end, len(words)) if words[i] in WHERE), len(words))
    nxt = words[end] if end < len(words) else "the"
    noun = nxt not in FILLER | WHERE and not nxt.endswith("ly")  # "a shooting range" (not "someone talking quietly")
    return any(w.endswith(("s", "ing", "ed")) and not w.endswith("ss")
               for w in map(str.lower, typed[end - 1 + noun : where]))


def said_new(words: list[str], sounds: list[Span]) -> bool:
    """A sound said to be new, with no cue: "a plane flies overhead instead", "a fire in its place", "a clank that
    wasn't there", "followed by debris falling"; an event (not a bed) "now": "tires squeal now"."""
    if not sounds:
        return False
    if any(tuple(words[i : i + len(m)]) == m for m in _ARRIVAL_MARKS for i in range(len(words) - len(m) + 1)):
        return True
    return "now" in words and BY_ID[sounds[0][2]].role != BACKGROUND
