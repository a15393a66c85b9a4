"""Rank files and their moments on one scale: the cosine of each stored row (whole file or window) to the query.

Each file is one block of rows (app.db_blocks): its whole-file vector, then its windows (model.segments).
A file scores its best row. Its moment is the best window merged with the adjacent windows that score
within ``margin`` of it; ``moments`` counts the separate runs of windows within ``margin`` of the best
window. Short files have only the whole-file row, so their ranking is the whole-file ranking.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.ann import VectorIndex
from app.db_blocks import Blocks, VectorRef
from model.segments import window_spans

DEFAULT_MARGIN = 0.05  # cosine: windows this close to the best one belong to the same moment


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


def _runs(above: np.ndarray) -> list[tuple[int, int]]:
    """(first, last) index of each run of True values."""
    edges = np.diff(np.concatenate([[0], above.astype(np.int8), [0]]))
    return list(zip(np.flatnonzero(edges == 1).tolist(), (np.flatnonzero(edges == -1) - 1).tolist(), strict=True))


def best_moment(scores: np.ndarray, spans: np.ndarray, margin: float) -> tuple[Moment, int]:
    """The best moment of a block's scores (whole-file row first, then windows) and how many separate moments
    (runs of windows within ``margin`` of the best window) the file has."""
    windows = scores[1:]
    best = float(np.max(scores))
    if not len(windows) or not np.isfinite(windows).any():
        return Moment(0.0, None, best), 1
    above = windows >= np.nanmax(np.where(np.isfinite(windows), windows, -np.inf)) - margin
    runs = _runs(above)
    if scores[0] >= windows.max():
        return Moment(0.0, None, best), max(1, len(runs))
    top = int(np.argmax(windows))
    first, last = next((a, b) for a, b in runs if a <= top <= b)
    return Moment(float(spans[first, 0]), float(spans[last, 1]), best), len(runs)


def peak_moments(scores: np.ndarray, spans: np.ndarray, margin: float, limit: int) -> list[Moment]:
    """A file's moments, best first: the best remaining window grown over adjacent windows within ``margin`` of
    it; the windows it covers and their overlapping neighbours are then used up. A file without windows has one
    moment: the whole file."""
    windows = np.where(np.isfinite(scores[1:]), scores[1:], -np.inf).astype(np.float64)
    if not len(windows):
        return [Moment(0.0, None, float(scores[0]))] if np.isfinite(scores[0]) else []
    out: list[Moment] = []
    while len(out) < limit and np.isfinite(windows).any():
        top = int(np.argmax(windows))
        floor = windows[top] - margin
        first, last = top, top
        while first > 0 and windows[first - 1] >= floor:
            first -= 1
        while last + 1 < len(windows) and windows[last + 1] >= floor:
            last += 1
        out.append(Moment(float(spans[first, 0]), float(spans[last, 1]), float(windows[top])))
        windows[max(0, first - 1) : last + 2] = -np.inf
    return out


def block_scores(matrix: np.ndarray, first: int, rows: int, q: np.ndarray, exclude: np.ndarray) -> np.ndarray:
    """Cosine of each row of a block to the unit query; excluded and damaged rows are -inf."""
    block = np.asarray(matrix[first : first + rows], dtype=np.float32)
    with np.errstate(all="ignore"):
        scores = block @ q.astype(np.float32)
    scores[~np.isfinite(scores)] = -np.inf
    if len(exclude):
        inside = exclude[(exclude >= first) & (exclude < first + rows)] - first
        scores[inside] = -np.inf
    return scores


def rank_files(index: VectorIndex, blocks: Blocks, q: np.ndarray, wanted: int, subset: np.ndarray | None = None,
               exclude: np.ndarray | None = None, margin: float = DEFAULT_MARGIN) -> list[FileHit]:
    """The ``wanted`` best files by their best row (among ``subset`` rows, minus ``exclude`` rows), best first,
    each with its best moment. The index is asked for more rows until they hold ``wanted`` distinct files."""
    exclude = np.asarray(exclude if exclude is not None else [], dtype=np.int64)
    if wanted <= 0 or not len(blocks):
        return []
    available = (len(subset) if subset is not None else index.size) - len(exclude)
    k = max(4 * wanted, 64)
    while True:
        rows, scores = index.search(q, k, subset, exclude)
        pos = blocks.block_of(rows[np.isfinite(scores)])
        pos = pos[pos >= 0]
        _, first_seen = np.unique(pos, return_index=True)
        found = pos[np.sort(first_seen)]
        if len(found) >= wanted or k >= available or len(rows) < k:
            break
        k *= 4
    hits = []
    matrix = index.vectors
    for p in found[: wanted + 8].tolist():  # a few spare: HNSW's candidate order is nearly, not exactly, exact
        scores = block_scores(matrix, int(blocks.first[p]), int(1 + blocks.segments[p]), q, exclude)
        if not np.isfinite(scores).any():
            continue
        spans = block_spans(blocks.segments[p], blocks.tail_start[p], blocks.duration[p])
        moment, count = best_moment(scores, spans, margin)
        hits.append(FileHit(p, int(blocks.ids[p]), moment.score, moment.start, moment.end, count))
    hits.sort(key=lambda h: -h.score)
    return hits[:wanted]
