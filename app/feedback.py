"""More / less like this on results that may be moments of long takes.

A mark is a library file and the part of it the user heard: a whole-file result marks the file (its whole-file
vector), a moment marks its range (the unit mean of the window vectors making up the range: app.moment_rows).
So marking the dog at 6:00 of a 10-minute birds take moves the search toward that dog, not toward the take's
bed of birds, which is most of its whole-file vector. model.feedback.rocchio then moves the query, and what was
marked "less like this" is left out of the results (rejected_rows).
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from app.db_blocks import VectorRef
from app.moment_rows import block_range_rows, pooled_vector
from app.moments import overlapping_rows
from app.same_audio import VERSION_VECTOR, name_key, same_audio, versions_alike


@dataclass(frozen=True)
class FeedbackMark:
    """A marked result: a library file, or the moment ``start``-``end`` (seconds) of it (``end`` None: the whole
    file)."""

    path: Path
    start: float = 0.0
    end: float | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "path", Path(self.path))
        if self.end is None:
            object.__setattr__(self, "start", 0.0)
            return
        start, end = float(self.start), float(self.end)
        if not (math.isfinite(start) and math.isfinite(end)) or start < 0 or end <= start:
            raise ValueError(f"marked range {start:g}-{end:g} s of {self.path.name} is not a time range")
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)

    @classmethod
    def of(cls, item: Any) -> FeedbackMark:
        """A mark from a path (the whole file), a FeedbackMark, or a result (its ``path``, ``start``, ``end``)."""
        if isinstance(item, FeedbackMark):
            return item
        if isinstance(item, (str, bytes, os.PathLike)):
            return cls(Path(os.fsdecode(item)))
        return cls(Path(item.path), float(getattr(item, "start", 0.0)), getattr(item, "end", None))

    @property
    def is_moment(self) -> bool:
        return self.end is not None

    def overlaps(self, other: FeedbackMark) -> bool:
        """Same file, and the same part of it: the whole file covers all of it, moments must share some time."""
        if self.path != other.path:
            return False
        if self.end is None or other.end is None:
            return True
        return self.start < other.end and other.start < self.end


def mark_vector(matrix: np.ndarray, ref: VectorRef, mark: FeedbackMark) -> np.ndarray | None:
    """The unit vector a mark stands for: its moment's windows pooled, else the file's whole-file row (a file
    without windows, a whole-file mark); None if the rows are damaged."""
    rows = block_range_rows(int(ref.row or 0), ref.segments, ref.tail_start, ref.duration, mark.start, mark.end)
    return pooled_vector(matrix, rows)


def marked_vectors(matrix: np.ndarray, marked: list[tuple[VectorRef, FeedbackMark]]) -> np.ndarray:
    """(n, D) unit vectors of the marks whose rows are usable, in order."""
    vectors = [v for ref, mark in marked if (v := mark_vector(matrix, ref, mark)) is not None]
    return np.stack(vectors) if vectors else np.zeros((0, matrix.shape[1]), dtype=np.float32)


def rejected_rows(marked: list[tuple[VectorRef, FeedbackMark]], kept: Sequence[Any] = ()) -> np.ndarray:
    """Rows no search result may come from once marked "less like this": the marked file's whole block, a moment's
    file too (a result row is a file: trial 53 saw a take marked at 2:14 come back at 0:52), unless a part of the
    file is marked more like this too (``kept``: trial 54's "more like" moment vanished with the file). Trial 52:
    marking a second file brought the first back, as the marks' mean moves the query half as far from each."""
    liked = {FeedbackMark.of(m).path for m in kept}
    rows = [np.arange(ref.row, ref.row + ref.rows) for ref, mark in marked
            if ref.row is not None and mark.path not in liked]
    return np.unique(np.concatenate(rows)).astype(np.int64) if rows else np.empty(0, dtype=np.int64)


def start_rows(start: VectorRef, first_range: tuple[float, float] | None, query: VectorRef | None) -> np.ndarray:
    """Rows of a refine session's first sound to leave out of a step whose earlier edits still hold: it came before
    them, so it lacks what they asked for (trial 54: street_bed_B.wav came back 3rd for "add a dog barking", then
    "and a car horn", above every car horn file). Its range of the file (``first_range``) or the whole file; none
    when the whole file is the query's too (another moment of it may hold what was asked)."""
    if first_range is not None:
        return overlapping_rows(start, *first_range)
    if query is not None and query.id == start.id:
        return np.empty(0, dtype=np.int64)
    return np.arange(start.row, start.row + start.rows, dtype=np.int64)


def start_copies(matrix: np.ndarray, blocks: Any, positions: Sequence[int], start: VectorRef,
                 names: Callable[[list[int]], dict[int, str]] | None = None, start_name: str = "") -> np.ndarray:
    """Per block position (the hits of a search, ``blocks``: the snapshot's app.db_blocks.Blocks): whether that file
    is another copy of a session's first sound (the same whole-file vector and length; trial 55: a copy in another
    folder came back 3rd under the note saying the first sound was left out) or, with ``names`` (file ids -> names)
    and its ``start_name``, another version of it (the same name in another format or rate, as search folds them:
    app.same_audio.version_ranks; trial 56: an MP3 of it came back 3rd). Only these blocks are compared, so a
    library of any size costs the hits' count."""
    at = np.asarray(positions, dtype=np.int64)
    firsts = np.asarray(blocks.first, dtype=np.int64)[at]
    ids = np.asarray(blocks.ids, dtype=np.int64)[at]
    seconds = [None if math.isnan(d) else float(d) for d in np.asarray(blocks.duration, dtype=np.float64)[at]]
    vector = matrix[start.row]
    same = np.array([int(f) != start.row and same_audio(matrix[f], vector, d, start.duration)
                     for f, d in zip(firsts, seconds, strict=True)], dtype=bool)
    key = name_key(start_name) if names is not None else ""
    near = [i for i in range(len(at)) if key and not same[i] and int(firsts[i]) != start.row
            and float(np.dot(matrix[firsts[i]], vector)) >= VERSION_VECTOR]  # names read for these only
    named = names([int(ids[i]) for i in near]) if names is not None and near else {}
    for i in near:
        same[i] = versions_alike(matrix[firsts[i]], vector, seconds[i], start.duration,
                                 name_key(named.get(int(ids[i]), "")), key)
    return same
