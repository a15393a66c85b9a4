"""The rows of a file's vector block that make up a time range (a result's moment), for the two places a moment
is used again after the ranking: More / Less like this pools them (app.feedback), and the results show their
plain cosine to the query next to the ranking score (a moment of a long take may be ranked by more than its
cosine: app.moments.add_contrast).

A moment is the span of a run of windows (app.moments), so the windows making it up are those that overlap it
most: all windows whose overlap with the range is at least RANGE_SHARE of the largest overlap. Neighbours
overlapping a moment's ends by half a window are left out; a range shorter than a window keeps the windows
that hold it whole.
"""

from __future__ import annotations

import math

import numpy as np

from model.segments import window_spans

RANGE_SHARE = 0.75


def range_windows(spans: np.ndarray, start: float, end: float) -> np.ndarray:
    """Indices of the windows (``spans``: (W, 2) start/end seconds) making up [start, end); empty if none overlaps."""
    spans = np.asarray(spans, dtype=np.float64).reshape(-1, 2)
    overlap = np.minimum(spans[:, 1], end) - np.maximum(spans[:, 0], start)
    if not len(overlap) or overlap.max() <= 0:
        return np.empty(0, dtype=np.int64)
    return np.flatnonzero(overlap >= RANGE_SHARE * overlap.max()).astype(np.int64)


def block_range_rows(first: int, segments: int, tail_start: float | None, duration: float | None,
                     start: float, end: float | None) -> np.ndarray:
    """Store rows of a file's block (whole-file row ``first``, then ``segments`` windows) making up a range: its
    windows, or the whole-file row for a whole-file range (``end`` None), a file without windows or a range that
    misses every window."""
    if end is None or segments <= 0:
        return np.array([first], dtype=np.int64)
    if duration is not None and not np.isfinite(duration):
        duration = None
    spans = window_spans(int(segments), float(tail_start or 0.0), duration)
    windows = range_windows(spans, float(start), float(end))
    return first + 1 + windows if len(windows) else np.array([first], dtype=np.int64)


def pooled_vector(matrix: np.ndarray, rows: np.ndarray) -> np.ndarray | None:
    """Unit mean of these unit rows (damaged rows left out); None when no row is usable."""
    block = np.asarray(matrix[np.sort(rows)], dtype=np.float32).reshape(len(rows), -1)
    block = block[np.isfinite(block).all(axis=1)]
    if not len(block):
        return None
    mean = block.mean(axis=0)
    norm = float(np.linalg.norm(mean))
    return (mean / norm).astype(np.float32) if norm > 1e-12 else None


def match_or(matrix: np.ndarray, rows: np.ndarray, q: np.ndarray, score: float) -> float:
    """range_match of a result's moment (its windows) or whole file, or its score when that is not finite."""
    match = range_match(matrix, rows, q)
    return match if math.isfinite(match) else float(score)


def range_match(matrix: np.ndarray, rows: np.ndarray, q: np.ndarray) -> float:
    """The best plain cosine of these unit rows to the unit query ``q`` (nan when none is finite)."""
    block = np.asarray(matrix[np.sort(rows)], dtype=np.float32).reshape(len(rows), -1)
    with np.errstate(all="ignore"):
        scores = block @ np.asarray(q, dtype=np.float32)
    scores = scores[np.isfinite(scores)]
    return float(scores.max()) if len(scores) else float("nan")
