"""Level words on a single recording lean the first results toward louder or quieter files (IndexConfig.level_lean).

"Make it louder" asks for the same kind of sound, louder. The composed query leans that way only a little (on the
val-split folder the top 10's level is 1.0 dB over the query's with "make it louder", 2.1 dB under with "make it
quieter"), and newcomer trial 53 found "make it louder" on a door slam returned files 20 dB quieter. Here the first
LEAN_RESULTS short files the reranker did not read (versions of the clip keep their reading) are reordered by their
score plus ``weight`` x the level difference to the query in the asked direction, capped at LEAN_CAP_DB and scaled to
1 there. A file's level is its active level: the 90th percentile of its 50 ms frames' RMS, in dBFS (a one-shot's
silent tail does not make it quiet). docs/MEASUREMENTS.md ("Level words lean toward louder or quieter files").
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from model.audio_io import read_native
from model.edits import LOUDER, QUIETER, Edit
from model.errors import AudioDecodeError

LEAN_RESULTS = 20  # the first results reordered
LEAN_CAP_DB = 12.0  # a level difference counts up to this much
LEVEL_SECONDS = 30.0  # a file's level is read from its first seconds
FRAME_SECONDS = 0.05


def level_direction(edits: Sequence[Edit], own: Callable[[str | None], bool]) -> int:
    """+1 for words that only make the query's sound louder ("make it louder", or its own sound named: ``own(sound)``),
    -1 quieter, 0 otherwise (other edits, both ways, or another sound's level)."""
    kinds = {e.kind for e in edits}
    if not edits or not kinds <= {LOUDER, QUIETER} or len(kinds) != 1:
        return 0
    if not all(e.sound is None or own(e.sound) for e in edits):
        return 0
    return 1 if LOUDER in kinds else -1


def active_level(path: str | os.PathLike, start: float = 0.0, end: float | None = None) -> float | None:
    """The 90th percentile of a file's (or a part's) 50 ms frame RMS in dBFS; None when it cannot be read."""
    seconds = LEVEL_SECONDS if end is None else max(end - start, FRAME_SECONDS)
    try:
        samples, rate = read_native(path, max_seconds=seconds, start_seconds=start)
    except (AudioDecodeError, OSError, ValueError):
        return None
    mono = np.asarray(samples, dtype=np.float64).reshape(len(samples), -1).mean(axis=1)
    frame = max(int(rate * FRAME_SECONDS), 1)
    frames = len(mono) // frame
    if frames < 1:
        return None
    rms = np.sqrt(np.mean(mono[: frames * frame].reshape(frames, frame) ** 2, axis=1))
    return float(20 * np.log10(max(float(np.percentile(rms, 90)), 1e-9)))


def file_level(path: Path, start: float = 0.0, end: float | None = None) -> float | None:
    """active_level of a file as it is now: read once per (path, size, modification time, part), kept after."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return _level_of(os.fspath(path), st.st_size, st.st_mtime_ns, start, end)


@lru_cache(maxsize=4096)
def _level_of(path: str, size: int, mtime_ns: int, start: float, end: float | None) -> float | None:
    return active_level(path, start, end)  # size and time only key the cache: a changed file is read again


def leaned_order(scores: Sequence[float], levels: Sequence[float | None], query_level: float, direction: int,
                 weight: float) -> list[int]:
    """Positions in the new order: each score plus ``weight`` x its level difference to the query in ``direction``
    (capped at LEAN_CAP_DB, 1 there); a file whose level is unknown keeps its score."""
    def leaned(i: int) -> float:
        if levels[i] is None:
            return float(scores[i])
        lean = float(np.clip(direction * (levels[i] - query_level), -LEAN_CAP_DB, LEAN_CAP_DB)) / LEAN_CAP_DB
        return float(scores[i]) + weight * lean

    return sorted(range(len(scores)), key=lambda i: -leaned(i))


def lean_hits(hits: list, movable: Callable[[int], bool], path_of: Callable[[int], Path | None],
              query_level: float | None, direction: int, weight: float) -> list:
    """``hits`` (app.moments.FileHit) with the movable ones among the first LEAN_RESULTS reordered by leaned_order in
    their own slots (``movable(i)``: a short file the reranker did not read; ``path_of(i)``: its file)."""
    if not direction or weight <= 0 or query_level is None:
        return hits
    slots = [i for i in range(min(LEAN_RESULTS, len(hits))) if movable(i)]
    paths = {i: path_of(i) for i in slots}
    slots = [i for i in slots if paths[i] is not None]
    if len(slots) < 2:
        return hits
    levels = [file_level(paths[i]) for i in slots]
    order = leaned_order([hits[i].score for i in slots], levels, query_level, direction, weight)
    out = list(hits)
    for slot, k in zip(slots, order, strict=True):
        out[slot] = hits[slots[k]]
    return out


def lean_search_hits(search, plan, hits: list, snap, read: set[int], query_classes: np.ndarray | None) -> list:
    """A search's hits leaned for its level words (``search``: app.rerank.AlignedSearch, its db and config; ``plan``:
    its RerankPlan; ``read``: the file ids the reranker read, which keep their reading)."""
    from model.own_sound import is_main_heard

    weight = search.config.level_lean
    direction = level_direction(plan.edits, lambda sound: is_main_heard(query_classes, sound)) if weight > 0 else 0
    if not direction:
        return hits
    start, end = plan.query_range if plan.query_range is not None else (0.0, None)
    query_level = file_level(Path(plan.query), start, end)
    top = hits[:LEAN_RESULTS]
    records = search.db.records([h.file_id for h in top])
    blocks = snap.blocks

    def movable(i: int) -> bool:
        return hits[i].file_id not in read and int(blocks.segments[hits[i].block]) == 0

    def path_of(i: int) -> Path | None:
        record = records.get(hits[i].file_id)
        return None if record is None else Path(record.path)

    return lean_hits(hits, movable, path_of, query_level, direction, weight)
