"""What the reranker reads of the files (app.rerank): each file's PatchEvidence from its start, cached while the file
is unchanged, and how much of the query and of each candidate is read; and the reranker itself, loaded once per
heads file."""

from __future__ import annotations

import math
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from app.errors import describe_path
from model.aligned_rerank import AlignedReranker, PatchEvidence, RerankFileError
from model.audio_io import audio_info, read_native
from model.errors import AudioDecodeError
from model.paths import rerank_path
from model.segments import VERSION_FLOOR, VERSION_QUERY_SECONDS, VERSION_TOLERANCE

ON = "moment-by-moment reranking on"
OFF = "moment-by-moment reranking off"
CACHE_ENTRIES = 512  # PatchEvidence of a 10 s clip is ~11 KB, of a capped query ~65 KB
QUERY_SECONDS = 60.0  # the query clip's evidence covers at most its first minute
CANDIDATE_EXTRA_SECONDS = 1.0  # candidates are read at least this much past the query's length ...
CANDIDATE_STEP_SECONDS = 10.0  # ... rounded up to a multiple of this, so one read serves queries of similar length


class EvidenceCache:
    """Bounded LRU of PatchEvidence per (path, size, mtime_ns, start, seconds); safe across threads."""

    def __init__(self, entries: int = CACHE_ENTRIES) -> None:
        self.entries = entries
        self._items: OrderedDict[tuple, PatchEvidence] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)

    def get(self, key: tuple) -> PatchEvidence | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: tuple, evidence: PatchEvidence) -> None:
        with self._lock:
            self._items[key] = evidence
            self._items.move_to_end(key)
            while len(self._items) > self.entries:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


def _cache_key(path: Path | str, start: float, seconds: float) -> tuple | None:
    """The cache key of a file's span while its size and mtime hold; None if the file is gone."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return os.fsencode(path), st.st_size, st.st_mtime_ns, round(float(start), 3), round(float(seconds), 3)


def file_evidence(backbone, cache: EvidenceCache, path: Path | str | None, seconds: float,
                  start: float = 0.0) -> PatchEvidence | None:
    """PatchEvidence of ``seconds`` of a file from ``start`` (cached while its size and mtime hold); None for no path
    and for a file that cannot be read or decoded (a candidate without evidence, never an error)."""
    key = None if path is None else _cache_key(path, start, seconds)
    found = None if key is None else cache.get(key)
    if key is None or found is not None:
        return found
    from model.patch_evidence import evidence_from_file, evidence_from_waveform

    try:  # one file per YAMNet run: larger shared batches are no faster and grow its memory arena (~1 GB at 256)
        if start > 0:
            samples, sr = read_native(path, max_seconds=seconds, start_seconds=start)
            evidence = evidence_from_waveform(backbone, samples, sr)
        else:
            evidence = evidence_from_file(backbone, path, max_seconds=seconds)
    except (AudioDecodeError, OSError, ValueError):
        return None
    cache.put(key, evidence)
    return evidence


def file_seconds(path: Path | str) -> float:
    """A file's length from its header; NaN when unknown (the length gate then lets it pass)."""
    try:
        duration = float(audio_info(path).duration)
    except (AudioDecodeError, OSError):
        return math.nan
    return duration if duration > 0 else math.nan


def whole_file_evidence(backbone, path: Path) -> PatchEvidence | None:
    """A whole file's PatchEvidence; None when it cannot be read or decoded."""
    from model.patch_evidence import evidence_from_file

    try:
        return evidence_from_file(backbone, path)
    except (AudioDecodeError, OSError, ValueError):
        return None


ONE_SHOT_SECONDS = 3.0  # a query shorter than this is a one-shot (the shortest scene clip: 3 s)


def min_match_for(length: float, min_match: float, min_match_short: float) -> float:
    """The whole-file cosine to A(query sound) a result needs to be read as a version of a query of ``length``
    seconds (IndexConfig.rerank_min_match, and rerank_min_match_short for a one-shot: trial 59's dog kennel + "add
    rain" read a splash, a whip and a taser of its length as its versions)."""
    short = math.isfinite(length) and length < ONE_SHOT_SECONDS
    return max(min_match, min_match_short if short else 0.0)


def version_positions(blocks, length: float, on: bool = True) -> set[int]:
    """Positions of the cut files (over model.segments.SHORT_FILE_SECONDS, so stored with windows) whose length is
    about a query clip's ``length`` (up to VERSION_QUERY_SECONDS): edited versions of it are matched by their
    whole-file vector and read by the reranker, as short files and main.py evaluate are, not as long takes by
    their best window with the moment terms (v2 eval's clips over 14.4 s: R@1 0.06-0.18 in search against 0.44-0.60
    in evaluate; IndexConfig.versions_whole). Empty when off or for a longer or unknown length."""
    if not on or not math.isfinite(length) or length > VERSION_QUERY_SECONDS or not len(blocks):
        return set()
    near = np.abs(np.asarray(blocks.duration, dtype=np.float64) - length) <= _version_gap(length)
    return {int(p) for p in np.flatnonzero(near & (np.asarray(blocks.segments) > 0))}


def versions_in_reach(hits: list, k: int, reach: int, blocks: Any, length: float, whole: set[int],
                      gate: Callable[[float, float | None], bool]) -> tuple[list, int]:
    """``hits`` with the possible versions of a query clip of ``length`` seconds (whole files, or cut ones in
    ``whole``, within the reranker's length ``gate``: as the reordering reads them) found beyond the first ``k`` but
    within the first ``reach`` x ``k`` moved to just after the first ``k``, and how many the reordering then reads (k
    plus them): by match alone other clips' windows can rank a short clip's version past K, where it was never read
    (v2 eval City street: 87th-100th; IndexConfig.rerank_version_reach, 0: none moved)."""
    far = [h for h in hits[k:reach * k] if (int(blocks.segments[h.block]) == 0 or h.block in whole)
           and gate(length, float(blocks.duration[h.block]))]
    if not far:
        return hits, k
    moved = {id(h) for h in far}
    return hits[:k] + far + [h for h in hits[k:] if id(h) not in moved], k + len(far)


def about_clip_length(duration: float | None, length: float) -> bool:
    """Whether a file of ``duration`` seconds is a possible version of a query clip of ``length`` (version_positions'
    test for one file)."""
    return (duration is not None and math.isfinite(length) and length <= VERSION_QUERY_SECONDS
            and abs(float(duration) - length) <= _version_gap(length))


def _version_gap(length: float) -> float:
    """How far a version's length may lie from a query clip's: the shipped reranker's length gate."""
    return max(VERSION_FLOOR, VERSION_TOLERANCE * length)


def near_best(scores: Sequence[float], within: float) -> list[bool]:
    """Per result, whether its match is within ``within`` of the best finite one (all True at 0): the reordering
    reads no result far below the first (trial 58: a helicopter cabin matching 0.065, 59th, read as a version of
    a street bed and kept second; IndexConfig.rerank_read_within)."""
    values = np.asarray(scores, dtype=np.float64)
    finite = np.isfinite(values)
    if within <= 0 or not finite.any():
        return [True] * len(values)
    return [bool(ok) for ok in finite & (values >= values[finite].max() - within)]


def query_length(query: Path | str, query_range: tuple[float, float] | None = None) -> float:
    """The query's length: its range's, or the file's (NaN when unknown)."""
    if query_range is not None:
        return float(query_range[1]) - float(query_range[0])
    return file_seconds(query)


def query_seconds(length: float) -> float:
    """How much of a query of ``length`` seconds (query_length) the evidence covers: at most QUERY_SECONDS."""
    return min(QUERY_SECONDS, length) if math.isfinite(length) and length > 0 else QUERY_SECONDS


def candidate_seconds(query_span: float) -> float:
    """How much of each candidate is read for a query of ``query_span`` seconds: its length plus a second, rounded
    up to the next CANDIDATE_STEP_SECONDS (the reranker compares only the patches both have, so reading a little
    more changes nothing, and the cached evidence then serves every query up to that length)."""
    steps = math.ceil((query_span + CANDIDATE_EXTRA_SECONDS) / CANDIDATE_STEP_SECONDS)
    return max(1, steps) * CANDIDATE_STEP_SECONDS


def load_reranker(heads_file: Path, weights: Path | None = None) -> tuple[AlignedReranker | None, str]:
    """The reranker fitted for ``heads_file`` (weights: model.paths.rerank_path()), or None; and a status line."""
    weights = rerank_path() if weights is None else Path(weights)
    if not weights.is_file():
        return None, f"{OFF}: its weights file {describe_path(weights)} is missing"
    try:
        reranker = AlignedReranker.from_file(weights)
        fits = reranker.matches(heads_file)
    except RerankFileError as exc:
        return None, f"{OFF}: {exc}"
    except OSError as exc:
        return None, f"{OFF}: cannot read the heads file {describe_path(heads_file)} ({exc.strerror or exc})"
    except Exception as exc:  # noqa: BLE001 - search works without it; the status says why
        return None, f"{OFF}: {describe_path(weights)} is unusable ({exc!r})"
    if not fits:
        return None, f"{OFF}: its weights were fitted for other heads than {describe_path(heads_file)}"
    return reranker, f"{ON} (the first {reranker.k} results of a search with a sound and edits)"


class RerankState:
    """A service's reranker, loaded once per heads file (the heads file is hashed then, not per search), and its
    evidence cache. ``weights``: the weights file (None: model.paths.rerank_path())."""

    def __init__(self, weights: Path | None = None, entries: int = CACHE_ENTRIES) -> None:
        self.weights = weights
        self.cache = EvidenceCache(entries)
        self._lock = threading.Lock()
        self._loaded: tuple[Path, AlignedReranker | None, str] | None = None

    def get(self, heads_file: Path) -> tuple[AlignedReranker | None, str]:
        with self._lock:
            if self._loaded is None or self._loaded[0] != Path(heads_file):
                self._loaded = (Path(heads_file), *load_reranker(Path(heads_file), self.weights))
            return self._loaded[1], self._loaded[2]
