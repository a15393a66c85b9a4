"""Which piece of a modifier names the clip's scene rather than an edit (model.modifier_parser's readers 11-62):
"Rain, with a dog barking" (the rain is the scene), "A thunderstorm with heavy rain" (the thunder is added, the rain
the scene), "Rain falling with a dog barking" (a bed doing its thing is the scene)."""

from __future__ import annotations

from model.edits import ADD
from model.modifier_pieces import Piece
from model.sound_lexicon import tokens
from model.sound_vocab import BACKGROUND, BOTH, BY_ID, EVENT

WITH_JOINERS = frozenset({"with", "but with", ", but with", "along with", "together with"})
# joiners after which a first piece that only names a sound was the scene, not an add: "Rain, with a dog barking"
SCENE_JOINERS = frozenset({"with", "but with", ", but with", ";", ".", "but", ", but", "-", "while", ", while", "as",
                           ", as", "where", ", where"})


def sentence_joiner(joiner: str) -> bool:
    """A joiner of punctuation only: ".", "!", "?!", "??", "..."."""
    return bool(joiner) and set(joiner) <= set(".!?;:")


def scene_with(piece: Piece) -> bool:
    """A sound read as an add only for its "with" ("Rain with music playing; music louder"): when the text edits the
    same sound later, it named the scene."""
    return piece.kind == ADD and piece.priority == 0 and piece.joiner in WITH_JOINERS


def named_only(piece: Piece) -> bool:
    """A sound read as an add for no verb of its own ("Rain with music playing", "There's a cow and some sheep", "a
    sneaky cat level"): when the text edits the same sound later, it only named it."""
    there = piece.kind == ADD and piece.priority <= 2 and piece.raw.lower().startswith("there")  # "There's a cow"
    return scene_with(piece) or there or (piece.priority == 0 and (
        piece.kind == ADD or (piece.kind is None and piece.bare)))


def is_scene(first: Piece, second: Piece) -> bool:
    """Whether a first piece that only names a sound names the clip's scene, as a caption of the wanted clip
    opens ("Rain, with a dog barking", "The street, minus the horn", "Forest ambience, birds quieter"), not
    a sound to add ("thunder and more rain", "a dog, a cat"): joined by with / but / a full stop, or by a
    comma after a bed sound or a definite "the"."""
    event = first.sound is not None and (BY_ID[first.sound].role == EVENT or (
        BY_ID[first.sound].role == BOTH and (first.article or first.placed or first.happening)))
    if event and second.joiner in ("while", ", while", "as", ", as"):  # "A dog barks while the traffic fades down",
        return False  # "an airplane roars overhead while ...": an event happening, not the scene
    if event and first.placed and second.joiner in WITH_JOINERS:  # "bells in the distance w/ the traffic pulled
        return False  # down": an event placed somewhere arrives (reader 60)
    bed = first.sound is not None and BY_ID[first.sound].role == BACKGROUND
    if bed and (second.joiner in ("plus", "+", ", plus") or (second.joiner in ("and", "&", ", and") and (
            second.article or second.placed or second.acting))):
        return True  # "Traffic plus a train passing": a bed is never added, it is the scene
    if "please" in tokens(first.raw):
        return False  # "Crickets please! And lose the traffic.": asked for (reader 39)
    if second.joiner in SCENE_JOINERS or sentence_joiner(second.joiner):
        return True
    if second.joiner != ",":
        return False
    bed = first.sound is not None and BY_ID[first.sound].role in (BACKGROUND, BOTH)
    return bed or first.raw.lower().startswith("the ")


def event_over_bed(first: Piece, second: Piece) -> bool:
    """A caption opening with an event sound, then "with" a bed named with no verb ("A thunderstorm with heavy rain",
    "a dog barking with rain in the background"): the event is what is added, the bed the scene (reader 56)."""
    named = (first.kind is None and first.bare) or (first.kind == ADD and first.priority == 0 and (
        first.acting or first.happening))  # "a dog barking with rain in the background" (reader 57)
    return (named and first.sound is not None and BY_ID[first.sound].role == EVENT
            and second.joiner in WITH_JOINERS and scene_with(second) and second.sound is not None
            and BY_ID[second.sound].role == BACKGROUND)


def bed_going_on(piece: Piece) -> bool:
    """A bed doing its thing, with no cue: "Rain falling", "wind howling" (a caption's scene; reader 56)."""
    return (piece.sound is not None and BY_ID[piece.sound].role == BACKGROUND and bool(piece.leftover)
            and all(w.endswith("ing") for w in piece.leftover) and not piece.pronoun)


def bed_described(first: Piece, second: Piece) -> bool:
    """A bed with a word or two of description, then "with": "A fast river with birds singing" (the scene; reader
    70); or then an edit of its own after a comma or a sentence's end: "market crowd, add a church bell" (reader
    104)."""
    described = (first.sound is not None and BY_ID[first.sound].role == BACKGROUND and 0 < len(first.leftover) <= 2
                 and not first.pronoun)
    edit_after = second.kind is not None and (second.joiner == "," or sentence_joiner(second.joiner))
    return described and (second.joiner in WITH_JOINERS or edit_after)
