"""What a query adds to the scores of a long take's windows, beyond their cosine to the query.

A query "audio + add X" asks for a take where X happens in a sound like the audio. The words say which part
is the event and which the bed:

* the words add or raise an **event** sound ("add dog barking"): the clip is the bed. Windows score by how
  far they stand out from the take's median window along T(words) (app.moments.stand_out), and a take whose
  typical window holds the clip's own strongest AudioSet classes (YAMNet's class scores, stored per window:
  model.class_scores) less than the clip does is pushed down by the shortfall, so a rain clip keeps rain
  takes above takes that merely have a dog;
* the words add a **bed** sound ("add rain" to a dog clip): the clip is the event. Windows score by how far
  they moved from the take's typical window toward A(clip) (app.moments.toward: the bed part the clip shares
  with the take does not count), and a take is pushed down by how far its typical window falls short of
  holding the bed the words name (its classes' probability 1).

A sound that can be either (birds, an engine) is the bed when the clip sounds like an event (its strongest
class of an event sound at least as strong as its strongest of a bed sound: a dog clip + "add birds"), else an
event in the take (a rain clip + "add birds").

The take's part is one constant for all its rows (from the median over its windows), and it only ever
lowers a take: a long take never climbs above short clips for it, and moments inside a take are still chosen
by the windows' own scores. Where in the take the moment lies is then chosen with one more
part that does not move the take (``place``): how far each window stands out from the take's median window
in the AudioSet classes of the event the words add (a bark lights up "Dog" in the 0.96 s patch that holds
it, where a 10 s window's embedding barely moves). Takes without stored class scores (imported before they
were kept) get no class part. Short files and whole-file rows keep their plain cosine.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model.class_scores import (
    ClassQuery,
    added_sounds,
    clip_class_query,
    clip_is_event,
    has_classes,
    sounds_class_query,
)
from model.edits import ADD


@dataclass(frozen=True)
class Contrast:
    """A unit direction (T(text) of words adding an event, or A(clip) of an event clip) and its weight: a
    window whose own part, what sets it apart from the take's median window, points along the direction
    scores higher. ``from_take``: the direction is taken per take, from the take's typical window toward
    ``direction`` (app.moments.toward): a window scores by how far it moved from the take's typical window
    toward the clip, not by how far its move reaches along the clip's whole direction, part of which the
    bed shares."""

    direction: np.ndarray
    weight: float
    from_take: bool = False
    gate: np.ndarray | None = None  # (E, D) the heads' classifier rows of the events the words add: a window counts
    # only as far as one of them rises there from the take's typical window (app.moments.event_gate)
    gate_logits: float = 0.0  # ... fully from a rise of this many logits on


ROW_HELD = 0.5  # a window holds a term's classes clearly from this YAMNet probability (or the reference, if lower)


@dataclass(frozen=True)
class TakeClasses:
    """Classes a take's typical window should hold, the weight of its shortfall and the value that counts as
    holding them (``reference``: the clip's own value, or 1 for a bed the words name)."""

    query: ClassQuery
    weight: float
    reference: float = 1.0
    cap: float = 0.0  # the take is lowered at most this much (0: no cap)
    relief: ClassQuery | None = None  # the event the words add: the term x (1 - the take's typical value of it)
    floor: bool = False  # a row is lowered at most by what it gained from the contrasts (app.moments.add_contrast)
    floor_query: ClassQuery | None = None  # ... or only in a take whose typical window holds these classes (the event
    floor_at: float = 0.0  # the words add) at least this much
    floor_own: float = 0.0  # ... or one whose typical window holds ``query``'s own classes this much (0: off)
    row_floor: bool = False  # ... and, in any take, a window that itself holds ``query``'s classes at the reference
    # or ROW_HELD and the event ``floor_query`` at ``floor_at`` scores no lower than its cosine: such a moment is
    # what the words ask for

    def floored_windows(self, window_classes: np.ndarray) -> np.ndarray:
        """Per window: whether it is floored on its own (``row_floor``, for words adding an event to the clip's bed:
        ``floor_query`` set): its own row holds the clip's classes at least at the reference (at most ROW_HELD) and
        the event at least ``floor_at`` (the nineteenth round's retry: beds the words add are left out)."""
        if (not self.row_floor or self.floor_query is None or not self.floor_at > 0 or not len(window_classes)
                or not has_classes(window_classes).all()):
            return np.zeros(len(window_classes), dtype=bool)
        held = self.query.window_values(window_classes) >= min(self.reference, ROW_HELD)
        return held & (self.floor_query.window_values(window_classes) >= self.floor_at)

    def floors(self, window_classes: np.ndarray) -> bool:
        """Whether the floor holds for a take with these window class rows (``floor``, or its typical value of
        ``floor_query`` at least ``floor_at``)."""
        if self.floor:
            return True
        if self.floor_own > 0 and len(window_classes) and float(
                np.median(self.query.window_values(window_classes))) >= self.floor_own:
            return True
        if self.floor_query is None or not self.floor_at > 0 or not len(window_classes):
            return False
        return float(np.median(self.floor_query.window_values(window_classes))) >= self.floor_at


@dataclass(frozen=True)
class MomentTerms:
    contrasts: tuple[Contrast, ...] = ()
    take_classes: TakeClasses | None = None
    place: TakeClasses | None = None  # classes whose stand-out places the moment inside a take (place_scores)
    min_windows: int = 2  # a file of fewer windows gets no stand-out and no placing (its median window is no typical
    # one), only the class constant

    def applies(self, rows: int) -> bool:
        """Whether a file of ``rows`` rows (whole-file row, then its windows) gets the stand-out and placing terms."""
        return rows - 1 >= max(2, self.min_windows)


@dataclass(frozen=True)
class TermWeights:
    """The weights (app.config.IndexConfig: moment_contrast, moment_clip_contrast, moment_bed_classes,
    moment_clip_classes)."""

    words: float  # T(words) contrast, x strength
    clip: float  # A(clip) contrast
    bed_words: float  # take classes of the bed the words name
    bed_clip: float  # take classes of the clip (the bed)
    place_words: float = 0.0  # stand-out in the classes of the event the words add, placing the moment, x strength
    event_gate: float = 0.0  # the words' contrast counts where the event's classifier logit rises this much (0: off)
    specific: float = 0.0  # share of the words' direction along every "add <sound>"'s common part left out
    take_cap: float = 0.0  # a take's class term lowers it at most this much (0: no cap)
    take_relief: bool = False  # the class term relieved as far as the take typically holds the event the words add
    take_floor: bool = False  # the class term lowers a row at most by what the row gained from the contrasts
    take_floor_at: float = 0.0  # ... only in takes typically holding the event the words add this much (0: off)
    min_windows: int = 2  # files of fewer windows get no stand-out (IndexConfig.moment_min_windows)
    take_heard: float = 0.0  # the class term's reference at most this (0: no bound; IndexConfig.moment_take_heard)
    take_floor_own: float = 0.0  # the floor for takes holding the term's own classes this much (0: off)
    bed_heard: float = 0.0  # the bed term's reference at most this (0: 1; IndexConfig.moment_bed_heard)
    row_floor: bool = False  # a window holding what the words ask for is floored alone (IndexConfig.moment_row_floor)
    raised_bed_plain: bool = False  # words only raising a bed, from a bed clip: no clip contrast (IndexConfig)


def unit(vector: np.ndarray) -> np.ndarray | None:
    v = np.asarray(vector, dtype=np.float32)
    norm = float(np.linalg.norm(v))
    return v / norm if norm > 0 and np.isfinite(norm) else None


def moment_terms(encoder, text: str, audio: np.ndarray | None, clip_classes: np.ndarray | None, strength: float,
                 weights: TermWeights) -> MomentTerms | None:
    """The terms of a query (see the module doc): ``audio`` A(clip) raw, ``clip_classes`` its (521,) uint8 class
    maxima (None: unknown); ``encoder``: model.encoder.NudgeEncoder (embed_text). None when the words add no
    sound or the strength is 0. Below 1 the strength scales the take's terms too (trial 51: at 0.05 "add a
    helicopter" lowered a forest clip's 14 forest takes out of view, as at 1)."""
    if not text.strip() or not strength > 0:
        return None
    scale = min(1.0, float(strength)) ** 2  # a hint stays a hint: at 0.3 a take lacking the added sound is lowered
    # 0.09 of what it is at 1 (trial 52: at 0.3 glass breaks and beeps had replaced the forest takes)
    events, beds, either = added_sounds(text)
    if clip_is_event(clip_classes) in (None, True):  # "add birds" to a dog clip: the birds are the bed ...
        beds += either
    else:  # ... to a rain clip: an event in it
        events += either
    clip_contrast = weights.clip > 0 and not (weights.raised_bed_plain and holds_raised_bed(text, beds, clip_classes))
    contrasts: list[Contrast] = []
    take = None
    place = None
    if events and weights.words > 0:
        direction = unit(encoder.embed_text([text])[0])
        if direction is not None and weights.specific:
            direction = specific_direction(encoder, direction, weights.specific)
        if direction is not None:
            gate = event_rows(getattr(encoder, "heads", None), events) if weights.event_gate > 0 else None
            contrasts.append(Contrast(direction, float(weights.words * strength), gate=gate,
                                      gate_logits=float(weights.event_gate)))
    if events and weights.place_words > 0:
        query = sounds_class_query(events)
        place = TakeClasses(query, float(weights.place_words * strength)) if query is not None else None
    if beds:
        direction = unit(audio) if audio is not None and clip_contrast else None  # "make the rain louder" from a
        # rain clip: the clip is the bed raised, not an event to find in a take of it
        if direction is not None:
            contrasts.append(Contrast(direction, float(weights.clip) * scale, from_take=True))
        query = sounds_class_query(beds)
        reference = heard_reference(min(1.0, weights.bed_heard) if weights.bed_heard > 0 else 1.0, weights)
        take = (TakeClasses(query, float(weights.bed_words) * scale, reference, cap=float(weights.take_cap),
                            floor=weights.take_floor, floor_own=float(weights.take_floor_own),
                            row_floor=weights.row_floor)
                if query is not None and weights.bed_words else None)
    elif events:
        query = clip_class_query(clip_classes)
        if query is not None and weights.bed_clip:
            own = float(query.window_values(np.asarray(clip_classes)[None])[0])
            relief = sounds_class_query(events) if weights.take_relief else None
            floor_query = sounds_class_query(events) if weights.take_floor_at > 0 else None
            take = TakeClasses(query, float(weights.bed_clip) * scale, heard_reference(own, weights),
                               cap=float(weights.take_cap), relief=relief, floor=weights.take_floor,
                               floor_query=floor_query, floor_at=float(weights.take_floor_at),
                               floor_own=float(weights.take_floor_own), row_floor=weights.row_floor)
    if not contrasts and take is None and place is None:
        return None
    return MomentTerms(tuple(contrasts), take, place, int(weights.min_windows))


def holds_raised_bed(text: str, beds: list[str], clip_classes: np.ndarray | None) -> bool:
    """Whether the words raise beds and add none, and the clip holds each of them (its YAMNet probability at least
    ROW_HELD): "make the rain louder" from a rain clip, whose clip is the bed, not an event to find in a take."""
    if not beds or clip_classes is None or not has_classes(clip_classes) or added_sounds(text, kinds=(ADD,))[1]:
        return False
    queries = [sounds_class_query([bed]) for bed in beds]
    clip = np.asarray(clip_classes)[None]
    return all(q is not None and float(q.window_values(clip)[0]) >= ROW_HELD for q in queries)


def heard_reference(reference: float, weights: TermWeights) -> float:
    """The class term's reference, at most ``weights.take_heard`` when set: a take whose typical window holds the
    classes that clearly is not lowered for holding them less clearly than the clip (twelfth round)."""
    return min(reference, float(weights.take_heard)) if weights.take_heard > 0 else reference


def common_add_direction(encoder) -> np.ndarray | None:
    """The unit mean of T("add <name>") over the vocabulary's sounds (model.sound_vocab): what any words adding a
    sound share. Kept on the encoder (one batch of about 40 texts per encoder)."""
    cached = getattr(encoder, "_common_add_direction", None)
    if cached is not None:
        return cached
    from model.sound_vocab import VOCAB

    vectors = np.asarray(encoder.embed_text([f"add {c.names[0]}" for c in VOCAB]), dtype=np.float32)
    vectors = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    common = unit(vectors.mean(axis=0))
    try:
        encoder._common_add_direction = common
    except AttributeError:  # an encoder that keeps no attributes: computed again next time
        pass
    return common


def specific_direction(encoder, direction: np.ndarray, share: float) -> np.ndarray:
    """unit(direction - share x its part along common_add_direction): what sets the named sound apart from any
    other, so a window where more of anything happens (a louder stretch of bed) does not stand out along it;
    ``direction`` itself when nothing is left."""
    common = common_add_direction(encoder)
    if common is None:
        return direction
    left = unit(direction - np.float32(share) * float(direction @ common) * common)
    return direction if left is None else left


def event_rows(heads, events: list[str]) -> np.ndarray | None:
    """The heads' event classifier rows (model.class_term.classifier_columns) of the events it knows; None when it
    knows none of them or the heads keep no classifier (the words' contrast then counts everywhere)."""
    from model.class_term import classifier_columns

    known = classifier_columns(heads, events)
    return np.asarray(heads.classifier, dtype=np.float32)[known] if known else None


def as_terms(terms: MomentTerms | Contrast | None) -> MomentTerms | None:
    """A lone Contrast as MomentTerms (callers that only have words' contrast)."""
    return MomentTerms((terms,)) if isinstance(terms, Contrast) else terms


def take_class_value(take: TakeClasses, window_classes: np.ndarray | None) -> float:
    """The take's constant (<= 0): weight x how far the median over its windows of the classes' value falls
    short of the reference, at most ``take.cap`` (when set); 0 without class scores (a take imported before they
    were kept)."""
    if window_classes is None or not len(window_classes) or not has_classes(window_classes).all():
        return 0.0
    lowered = take.weight * min(0.0, float(np.median(take.query.window_values(window_classes))) - take.reference)
    if take.relief is not None:  # a take that typically holds the event the words add: lowered little for the bed
        lowered *= 1.0 - min(1.0, max(0.0, float(np.median(take.relief.window_values(window_classes)))))
    return max(lowered, -take.cap) if take.cap > 0 else lowered


def place_scores(scores: np.ndarray, classes: np.ndarray | None, terms: MomentTerms | Contrast | None
                 ) -> np.ndarray:
    """The scores that choose the moment inside a take: a block's scores (whole-file row, then windows) plus
    ``terms.place``'s weight x each window's stand-out from the take's median window in its classes; the
    block's own scores when there is nothing to add (no place term, no class rows, not a take)."""
    terms = as_terms(terms)
    if (terms is None or terms.place is None or classes is None or not terms.applies(len(scores))
            or len(classes) != len(scores)):
        return scores
    windows = np.asarray(classes[1:])
    if not has_classes(windows).all():
        return scores
    values = terms.place.query.window_values(windows)
    out = np.array(scores, copy=True)
    out[1:] += (terms.place.weight * (values - np.median(values))).astype(out.dtype)
    return out
