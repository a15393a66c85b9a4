"""Rank files and their moments on one scale: the cosine of each stored row (whole file or window) to the query.

Each file is one block of rows (app.db_blocks): its whole-file vector, then its windows (model.segments).
A file scores its best row. Its moment is the best window merged with the adjacent windows that score
within a margin of it: ``share`` of the way from the best window down to the file's median window (at
least MIN_MARGIN), so the margin follows how much the file's windows differ for this query (cosines of
one ambience's windows can lie within 0.03 of each other). ``moments`` counts the separate moments whose best
window lies within that margin of the file's best (best_moment). Short files have only the whole-file row:
their ranking is unchanged.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np

from app.ann import VectorIndex
from app.db_blocks import Blocks, VectorRef
from app.moment_terms import Contrast, MomentTerms, as_terms, place_scores, take_class_value
from model.class_scores import ClassQuery, has_classes
from model.segments import window_spans

DEFAULT_SHARE = 0.5  # windows above the midpoint between the best and the median window join the best one
MIN_MARGIN = 0.01  # cosine: a file whose windows all lie this close is one moment, the whole take


@dataclass(frozen=True)
class Moment:
    start: float  # seconds
    end: float | None  # None: to the end of the file (the whole-file vector matched best)
    score: float


@dataclass(frozen=True)
class FileHit:
    block: int  # position in the Blocks
    file_id: int
    score: float
    start: float
    end: float | None
    moments: int


def block_spans(segments: int, tail_start: float, duration: float) -> np.ndarray:
    """(segments, 2) window start/end seconds of a block (duration nan: ends uncapped)."""
    return window_spans(int(segments), float(tail_start), None if np.isnan(duration) else float(duration))


def overlapping_rows(ref: VectorRef, start: float, end: float) -> np.ndarray:
    """Rows of a file's block that cover any of [start, end): the whole-file row and the windows overlapping it."""
    spans = window_spans(ref.segments, ref.tail_start or 0.0, ref.duration)
    windows = np.flatnonzero((spans[:, 0] < end) & (spans[:, 1] > start))
    return np.concatenate([[ref.row], ref.row + 1 + windows]).astype(np.int64)


def moment_margin(windows: np.ndarray, share: float) -> float:
    """How far below the best window a window may score and still belong to its moment (see the module doc)."""
    finite = windows[np.isfinite(windows)]
    if not len(finite):
        return MIN_MARGIN
    return max(MIN_MARGIN, share * float(finite.max() - typical_window(finite)))


def typical_window(windows: np.ndarray) -> float:
    """The median of a file's finite window scores (the upper one when even; -inf for none)."""
    finite = windows[np.isfinite(windows)]
    return float(np.partition(finite, len(finite) // 2)[len(finite) // 2]) if len(finite) else -np.inf


def best_moment(scores: np.ndarray, spans: np.ndarray, share: float) -> tuple[Moment, int]:
    """The best moment of a block's scores (whole-file row first, then windows) and how many separate moments
    match about as well: peak_moments' moments whose best window is within the margin of the file's best one, the
    first ones of its list ("More moments in this file" lists them first, then the lesser ones)."""
    windows = scores[1:]
    best = float(np.max(scores))
    if not len(windows) or not np.isfinite(windows).any():
        return Moment(0.0, None, best), 1
    close = peak_moments(scores, spans, share, len(windows), close_only=True)
    if scores[0] >= windows.max():
        return Moment(0.0, None, best), max(1, len(close))
    return Moment(close[0].start, close[0].end, best), len(close)


def peak_moments(scores: np.ndarray, spans: np.ndarray, share: float, limit: int, close_only: bool = False
                 ) -> list[Moment]:
    """A file's moments, best first: the best remaining window grown over adjacent windows within the file's
    margin (moment_margin) of it and above its typical (median) window; the windows it covers and their overlapping
    neighbours are then used up, and a later moment is cut where it would overlap an earlier one. Windows no better
    than the typical one start no moment (trial 50: the rest of a take was listed as two 72 s and 88 s "moments").
    A file without windows has one moment: the whole file. ``close_only``: only the moments whose best window is
    within the margin of the file's best window (above the typical one by construction: the rule above is not
    applied, so the count of close moments is as before)."""
    windows = np.where(np.isfinite(scores[1:]), scores[1:], -np.inf).astype(np.float64)
    if not len(windows):
        return [Moment(0.0, None, float(scores[0]))] if np.isfinite(scores[0]) else []
    margin, typical = moment_margin(windows, share), typical_window(windows)
    lowest = float(windows.max()) - margin if close_only else -np.inf
    out: list[Moment] = []
    while len(out) < limit and np.isfinite(windows).any() and windows.max() >= lowest and (
            close_only or not out or windows.max() > typical):  # the best moment is listed whatever its windows
        top = int(np.argmax(windows))
        floor = max(windows[top] - margin, np.nextafter(typical, np.inf) if out and not close_only else -np.inf)
        first, last = top, top
        while first > 0 and windows[first - 1] >= floor:
            first -= 1
        while last + 1 < len(windows) and windows[last + 1] >= floor:
            last += 1
        start, end = float(spans[first, 0]), float(spans[last, 1])
        for earlier in out:  # windows two apart still overlap by 0.5 s: moments are cut apart there
            if start < earlier.end and end > earlier.start:
                start, end = (earlier.end, end) if start >= earlier.start else (start, earlier.start)
        out.append(Moment(start, end, float(windows[top])))
        windows[max(0, first - 1) : last + 2] = -np.inf
    return out


def stand_out(windows: np.ndarray, direction: np.ndarray, typical: np.ndarray | None = None) -> np.ndarray:
    """Per window: how far (window - the take's median window) reaches along the unit ``direction``, minus its
    median over the take, so a take's typical window gets 0 and only moments that stand out along the
    direction gain. Not normalized by the length of the difference: a window barely apart from the rest
    (crossfades, noise) must not count as much as an event. ``typical``: the take's median window, if known."""
    with np.errstate(all="ignore"):
        apart = windows - (np.median(windows, axis=0) if typical is None else typical)
        term = apart @ direction
    term = np.nan_to_num(term, nan=0.0, posinf=0.0, neginf=0.0)
    return term - np.median(term)


def event_gate(windows: np.ndarray, typical: np.ndarray, rows: np.ndarray, logits: float) -> np.ndarray:
    """Per window, in [0, 1]: how far the largest rise, from the take's typical window, of the heads' classifier
    logits ``rows`` (E, D; the events the words add) reaches toward ``logits`` (read on unit vectors x EMBED_NORM,
    as model.class_term). A window where the named event does not rise gets no stand-out from the words: a louder
    stretch of bed, or another sound, projects along "add <anything>" too."""
    from model.class_term import EMBED_NORM

    with np.errstate(all="ignore"):
        rise = EMBED_NORM * ((windows - typical) @ np.asarray(rows, dtype=np.float32).T).max(axis=1)
    return np.clip(np.nan_to_num(rise, nan=0.0) / logits, 0.0, 1.0).astype(np.float32)


def toward(windows: np.ndarray, direction: np.ndarray, typical: np.ndarray | None = None) -> np.ndarray:
    """The unit direction from a take's typical window (its median window, made unit; ``typical`` if known)
    toward the unit ``direction``; ``direction`` itself when the two coincide or the windows give no median."""
    with np.errstate(all="ignore"):
        typical = np.median(windows, axis=0) if typical is None else typical
        norm = float(np.linalg.norm(typical))
        move = direction - typical / norm if norm > 0 and np.isfinite(norm) else direction
        length = float(np.linalg.norm(move))
    return (move / length).astype(np.float32) if length > 1e-6 and np.isfinite(length) else direction


def add_contrast(scores: np.ndarray, block: np.ndarray, terms: MomentTerms | Contrast | None,
                 classes: np.ndarray | None = None) -> None:
    """In place: a long take's window scores (``block`` rows 1..: its windows after the whole-file row) plus each
    contrast's weight x their stand_out along its direction (from the take's typical window toward it: toward,
    for a contrast ``from_take``); all its rows plus the take's class constant (<= 0,
    app.moment_terms; with its ``floor``, a row is lowered at most by what it gained from the contrasts;
    ``classes``: the block's stored class rows, None if the library has none). A file with fewer than two windows
    is left as it is; one with fewer than ``terms.min_windows`` gets the class constant only (no stand-out from a
    median of two or three windows). Search and evaluate both score with this."""
    terms = as_terms(terms)
    if terms is None or len(block) <= 2:
        return
    gained = np.zeros(len(block), dtype=np.float32)  # what each row gained from the contrasts
    if terms.contrasts and terms.applies(len(block)):  # a stand-out needs a typical window: enough windows
        windows = np.nan_to_num(np.asarray(block[1:], dtype=np.float32))
        with np.errstate(all="ignore"):
            typical = np.median(windows, axis=0)
        for contrast in terms.contrasts:
            if contrast.weight:
                direction = contrast.direction.astype(np.float32)
                direction = toward(windows, direction, typical) if contrast.from_take else direction
                term = stand_out(windows, direction, typical)
                if contrast.gate is not None and contrast.gate_logits > 0:
                    term = term * event_gate(windows, typical, contrast.gate, contrast.gate_logits)
                scores[1:] += np.float32(contrast.weight) * term
                gained[1:] += np.float32(contrast.weight) * term
    if terms.take_classes is not None and classes is not None and len(classes) == len(block):
        lowered = np.float32(take_class_value(terms.take_classes, np.asarray(classes[1:])))  # the whole take
        # floor: a row is lowered at most by its gain, so never below its own cosine to the query
        floors = terms.take_classes.floors(np.asarray(classes[1:]))
        if floors:
            scores += np.maximum(lowered, -np.maximum(gained, 0))
            return
        held = np.concatenate([[False], terms.take_classes.floored_windows(np.asarray(classes[1:]))])
        cosine = scores[held] - gained[held]  # a window that holds what the words ask for ends no lower than this
        scores += lowered
        scores[held] = np.maximum(scores[held], cosine)


def class_block(classes: np.ndarray | None, first: int, rows: int) -> np.ndarray | None:
    """Stored class rows of a block, or None when the class file does not reach them (an older library)."""
    if classes is None or first + rows > len(classes):
        return None
    return classes[first : first + rows]


def block_scores(matrix: np.ndarray, first: int, rows: int, q: np.ndarray, exclude: np.ndarray,
                 terms: MomentTerms | Contrast | None = None, classes: np.ndarray | None = None) -> np.ndarray:
    """Cosine of each row of a block to the unit query (windows of a long take plus the query's moment terms:
    add_contrast); excluded and damaged rows are -inf. ``classes``: the store's class rows (all blocks)."""
    block = np.asarray(matrix[first : first + rows], dtype=np.float32)
    with np.errstate(all="ignore"):
        scores = block @ q.astype(np.float32)
    terms = as_terms(terms)
    if terms is not None:
        add_contrast(scores, block, terms, class_block(classes, first, rows) if terms.take_classes else None)
    scores[~np.isfinite(scores)] = -np.inf
    if len(exclude):
        inside = exclude[(exclude >= first) & (exclude < first + rows)] - first
        scores[inside] = -np.inf
    return scores


def file_moments(matrix: np.ndarray, ref: VectorRef, q: np.ndarray, share: float, limit: int,
                 query_range: tuple[float, float] | Sequence[tuple[float, float]] | None = None,
                 terms: MomentTerms | Contrast | None = None, classes: np.ndarray | None = None
                 ) -> tuple[list[Moment], int]:
    """The moments of one file's block, best first (peak_moments), and how many of them match about as well as the
    best (best_moment's count: the search's ``moments``); ``query_range``: the query is that region of this same
    file, or ranges of it marked less like this (a list), so the windows overlapping them are left out."""
    ranges = [] if not query_range else [query_range] if np.isscalar(query_range[0]) else list(query_range)
    exclude = np.unique(np.concatenate([overlapping_rows(ref, *r)[1:] for r in ranges] or [np.empty(0, np.int64)]))
    scores = block_scores(matrix, ref.row, ref.rows, q, exclude, terms, classes)
    spans = window_spans(ref.segments, ref.tail_start or 0.0, ref.duration)
    placing = place_scores(scores, class_block(classes, ref.row, ref.rows), terms)
    return peak_moments(placing, spans, share, limit), best_moment(placing, spans, share)[1]


class RankedHits(list):
    """rank_files' hits, best first, and ``lowered``: each long take the moment terms scored below its plain match
    (block position -> that match), returned or not, so a search can say how many fell out of view."""

    def __init__(self, hits=(), lowered: dict[int, float] | None = None):
        super().__init__(hits)
        self.lowered = lowered or {}


def lowered_out_of(shown: list, lowered: dict[int, float], file_ids: np.ndarray,
                   moved_up: Collection[int] = frozenset(), before: Collection[int] = frozenset()) -> list[int]:
    """The long takes (block positions, best plain match first) the moment terms lowered out of ``shown``
    (SearchResults) though their plain match is at least the lowest shown (a trial: every ambience over 14.4 s fell
    from view with "add X", unsaid); results ``moved_up`` (file ids) for holding a sound the words add are there for
    that sound, not their match, and set no bar (session 47: "82 long takes" beside gull files of cosine 0); files
    shown on the pages ``before`` this one (file ids) are in view there (trial 59: page 5 named page 4's row 19)."""
    ranked = [r for r in shown if r.record.id not in moved_up]
    if not ranked or not lowered:
        return []
    ids, least = {r.record.id for r in shown} | set(before), min(r.plain_match for r in ranked)
    out = [(match, p) for p, match in lowered.items() if int(file_ids[p]) not in ids and match >= least]
    return [p for _, p in sorted(out, key=lambda item: -item[0])]


def rank_files(index: VectorIndex, blocks: Blocks, q: np.ndarray, wanted: int, subset: np.ndarray | None = None,
               exclude: np.ndarray | None = None, share: float = DEFAULT_SHARE,
               contrast: MomentTerms | Contrast | None = None, classes: np.ndarray | None = None,
               plain: Collection[int] = (), floored: Collection[int] = (), whole: Collection[int] = ()
               ) -> list[FileHit]:
    """The ``wanted`` best files by their best row (among ``subset`` rows, minus ``exclude`` rows), best first,
    each with its best moment. The index is asked again, without the rows of the files found so far, until
    ``wanted`` distinct files are found (long files have many close windows: over-fetching alone could need
    thousands of rows). With moment terms (``contrast``), long takes whose windows lie furthest along each of
    their directions are candidates too, and their windows are scored with them (block_scores; ``classes``: the
    store's class rows). ``plain``: positions of files the user marked "more like this", candidates whatever their
    rank and scored by their cosine alone: the terms' guesses never push down what the user asked for (a trial's
    rain take, lowered 1.8 for holding no rain YAMNet hears, stayed 201st once marked). ``floored``: positions of
    takes that are candidates whatever their rank, scored with the terms but no row below its cosine (takes named
    for a sound the words add: docs/MEASUREMENTS.md, seventeenth round). ``whole``: positions of cut files about
    the query's length, scored by their whole-file row alone with no terms, as short files are (edited versions of
    the query: app.rerank_reads.version_positions)."""
    terms = as_terms(contrast)
    exclude = np.asarray(exclude if exclude is not None else [], dtype=np.int64)
    if wanted <= 0 or not len(blocks):
        return []
    found: list[int] = []
    skip = exclude
    k = max(3 * wanted, 32)
    while len(found) < wanted:
        rows, scores = index.search(q, k, subset, skip)
        pos = blocks.block_of(rows[np.isfinite(scores)])
        _, first_seen = np.unique(pos[pos >= 0], return_index=True)
        new = pos[pos >= 0][np.sort(first_seen)].tolist()
        found += new
        if len(rows) < k or not new:
            break  # every allowed row has been seen
        # the next round skips every row of the files found: it returns the next files, best first
        skip = np.concatenate([skip, *(np.arange(blocks.first[p], blocks.end[p]) for p in new)])
    candidates = found[: wanted + 8]  # a few spare: HNSW's candidate order is nearly, not exactly, exact
    allowed = None if subset is None else set(np.asarray(subset).tolist())
    candidates += [p for p in (*plain, *floored)
                   if p not in candidates and (allowed is None or int(blocks.first[p]) in allowed)]
    for direction in [c.direction for c in (terms.contrasts if terms is not None else ()) if c.weight]:
        candidates += [p for p in _files_along(index, blocks, direction, wanted, subset, exclude)
                       if p not in candidates]
    if terms is not None and terms.take_classes is not None and classes is not None:
        candidates += [p for p in _takes_holding(blocks, classes, terms.take_classes.query, 4 * wanted, subset)
                       if p not in candidates]
    matrix = index.vectors
    scored, lowered = [], {}
    for p in candidates:
        first, n = int(blocks.first[p]), 1 if p in whole else int(1 + blocks.segments[p])
        scores = block_scores(matrix, first, n, q, exclude, None if p in plain or p in whole else terms, classes)
        if p in floored and p not in plain:
            scores = np.maximum(scores, block_scores(matrix, first, n, q, exclude))
        if np.isfinite(scores).any():
            scored.append((float(scores.max()), p, scores))
            if terms is not None and p not in plain and n > 1:  # a take: its plain match, if the terms lowered it
                match = float(block_scores(matrix, first, n, q, exclude).max())
                if scored[-1][0] < match - 1e-6:
                    lowered[p] = match
    scored.sort(key=lambda item: -item[0])
    hits = RankedHits(lowered=lowered)
    for score, p, scores in scored[:wanted]:
        spans = block_spans(blocks.segments[p], blocks.tail_start[p], blocks.duration[p])
        placing = place_scores(scores, class_block(classes, int(blocks.first[p]), len(scores)),
                               None if p in plain or p in whole else terms)
        moment, count = best_moment(placing, spans, share)  # the take ranks by its own best score
        hits.append(FileHit(p, int(blocks.ids[p]), score, moment.start, moment.end, count))
    return hits


def _files_along(index: VectorIndex, blocks: Blocks, direction: np.ndarray, wanted: int,
                 subset: np.ndarray | None, exclude: np.ndarray) -> list[int]:
    """Long takes (files with windows) holding the windows that lie furthest along ``direction``."""
    rows, scores = index.search(direction.astype(np.float32), max(8 * wanted, 64), subset, exclude)
    pos = blocks.block_of(rows[np.isfinite(scores)])
    pos = pos[pos >= 0]
    pos = pos[blocks.segments[pos] > 0]
    _, first_seen = np.unique(pos, return_index=True)
    return pos[np.sort(first_seen)][: 2 * wanted].tolist()


def _takes_holding(blocks: Blocks, classes: np.ndarray, query: ClassQuery, limit: int,
                   subset: np.ndarray | None) -> list[int]:
    """Long takes whose whole-file class maxima hold the query's classes most (one stored row per take is
    read): candidates for the take's class term, which no nearest-vector query would bring up."""
    takes = np.flatnonzero((blocks.segments > 0) & (blocks.first < len(classes)))
    if subset is not None:
        takes = takes[np.isin(blocks.first[takes], subset)]
    if not len(takes):
        return []
    rows = np.asarray(classes[blocks.first[takes]])
    values = np.where(has_classes(rows), query.window_values(rows), -np.inf)
    keep = np.isfinite(values)
    takes, values = takes[keep], values[keep]
    return takes[np.argsort(-values, kind="stable")[:limit]].tolist()
