"""When a piece of a modifier goes on about the previous one (one edit, not two): "the rain's too loud, pull it
back", "there's a horn in there, lose it", "the crash needs to hurt. louder" (model.modifier_parser's merge)."""

from __future__ import annotations

from model.edits import ADD, LOUDER, QUIETER, REMOVE
from model.modifier_pieces import Piece
from model.modifier_scene import sentence_joiner
from model.sound_lexicon import tokens

# joiners after which a piece about the same sound (or none) belongs to the previous edit
_SAME_EDIT_JOINERS = frozenset({",", ", but", "but", "?"})
# joiners after which a fix still goes with a sound just mentioned ("there's a horn honking - ditch it"): these and
# any joiner of punctuation only (sentence_joiner)
_FIX_JOINERS = _SAME_EDIT_JOINERS | {"-"}


def _fix_joiner(joiner: str) -> bool:
    return joiner in _FIX_JOINERS or sentence_joiner(joiner)


def fix_decides(prev: Piece, piece: Piece) -> bool:
    """The piece is the fix of the previous one, so its kind is the edit's: a complaint's, a mention's, a locator's,
    a named sound's, a wanted sound's, or a level for a sound just told happening."""
    return (_levels_happening(prev, piece) or _fixes_complaint(prev, piece) or _fixes_mention(prev, piece)
            or _fixes_locator(prev, piece) or _fixes_named(prev, piece) or _fixes_wanted(prev, piece))


def _fixes_complaint(prev: Piece, piece: Piece) -> bool:
    """A complaint, then its fix with a pronoun: "the engine is too much, take it out" (the fix says what to do)."""
    return prev.priority == 5 and piece.kind is not None and piece.pronoun


def _fixes_mention(prev: Piece, piece: Piece) -> bool:
    """A sound mentioned with a weak add cue, then what to do with it: "there's a horn in there, lose it"."""
    said = "there" in tokens(prev.raw) or prev.happening  # "why is there music playing?? remove that"
    mention = said or prev.priority <= 1  # "I hear a dog, lose it"
    return (mention and (prev.kind == ADD or (prev.kind is None and said and not prev.context)) and prev.priority <= 2
            and piece.sound is None and piece.pronoun
            and piece.kind in (REMOVE, LOUDER, QUIETER) and _fix_joiner(piece.joiner))


def _fixes_locator(prev: Piece, piece: Piece) -> bool:
    """A sound placed or judged with no real cue, then what to do with it: "the birds in the back are nice, make them
    louder" (the pronoun's stronger cue decides)."""
    return (prev.sound is not None and prev.priority <= 1 and not prev.context and piece.sound is None and piece.pronoun
            and piece.kind is not None and piece.priority >= 2 and _fix_joiner(piece.joiner))


def _fixes_wanted(prev: Piece, piece: Piece) -> bool:
    """A sound the clip holds ("the"), wanted with a weak add cue, then a level or removal fix naming no sound: "the
    crash needs to hurt. louder", "I want to FEEL the rain. bring it up" (the fix decides; reader 107)."""
    return (prev.sound is not None and prev.definite and prev.kind == ADD and prev.priority <= 2
            and piece.sound is None and piece.kind in (LOUDER, QUIETER, REMOVE) and not piece.leftover
            and _fix_joiner(piece.joiner))


def names_complaint(prev: Piece, piece: Piece) -> bool:
    """A complaint about "it", then its fix naming the sound: "it's too busy. calm the traffic"; or an edit, then the
    same said of "it": "the traffic has to be quieter. It's far too much"."""
    if not _fix_joiner(piece.joiner) or piece.kind != prev.kind:
        return False
    named_fix = prev.priority == 5 and prev.sound is None and prev.pronoun and piece.sound is not None
    return named_fix or (prev.sound is not None and piece.sound is None and piece.pronoun and piece.priority == 5
                         and not piece.leftover)


def _fixes_named(prev: Piece, piece: Piece) -> bool:
    """A sound named (or complained about), then the fix in a sentence of its own: "the siren is piercing. Quieter,
    please"; "Too much honking. Cut the horns" (the fix decides)."""
    if not _fix_joiner(piece.joiner) or prev.sound is None or piece.kind is None or piece.leftover:
        return False
    bare_fix = ((prev.kind is None and not prev.context) or prev.priority == 5) and piece.sound is None and (
        not piece.pronoun and piece.kind != ADD)
    return bare_fix or (prev.priority == 5 and piece.sound == prev.sound)


def completes(prev: Piece, piece: Piece) -> bool:
    """A verb whose sound comes after a comma between its adjectives: "add a slow, distant thunder"."""
    return (piece.joiner == "," and prev.kind is not None and prev.sound is None and not prev.pronoun
            and (piece.kind is None or (piece.kind == prev.kind and not prev.leftover))  # "Bigger, louder crash"
            and piece.sound is not None and not piece.pronoun)


def _levels_happening(prev: Piece, piece: Piece) -> bool:
    """A level after a comma for a sound just told happening: "Coins jingling, more prominent now", "A shooting range,
    the gunshots quieter"."""
    return (prev.happening and prev.kind == ADD and prev.priority == 0 and piece.joiner == ","
            and piece.sound in (None, prev.sound) and not piece.pronoun and not piece.leftover
            and piece.kind in (LOUDER, QUIETER))


def topic(piece: Piece, nxt: Piece | None) -> bool:
    """A sound named as a topic, its edit told next with a pronoun: "..., and the rain, make it heavier"."""
    return (nxt is not None and nxt.joiner == "," and nxt.sound is None and nxt.pronoun and nxt.kind is not None
            and piece.kind is None)


def same_edit(prev: Piece, piece: Piece) -> bool:
    """Whether a piece only goes on about the previous one: "the rain's too loud, pull it back", "add a
    dog, barking far away", "the rain, bring it up", "the crowd is too loud - bring it down"."""
    if (completes(prev, piece) or names_complaint(prev, piece) or _fixes_named(prev, piece)
            or _levels_happening(prev, piece)):
        return True
    if piece.sound not in (None, prev.sound) or (prev.kind is None and prev.sound is None):
        return False
    if piece.sound is None and (_fixes_complaint(prev, piece) or _fixes_mention(prev, piece)
                                or _fixes_locator(prev, piece) or _fixes_wanted(prev, piece)):
        return True  # whatever the joiner
    if (piece.joiner in ("and", ", and") and piece.sound is None and piece.kind == prev.kind and prev.sound is not None
            and not piece.pronoun and not piece.leftover):
        return True  # "rain that is heavier and louder"
    if (piece.joiner in ("and", ", and") and piece.sound is None and piece.pronoun and piece.kind is not None
            and prev.context and prev.kind is None and prev.sound is not None and not piece.leftover):
        return True  # "Only the waves now, and they're softer": the sound just named (reader 45)
    if piece.joiner in _SAME_EDIT_JOINERS:
        return (piece.kind is None or prev.kind is None or piece.sound == prev.sound
                or (piece.kind == prev.kind and (piece.pronoun or not piece.leftover)))
    return False
