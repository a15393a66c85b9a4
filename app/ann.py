"""Nearest-neighbour search over stored unit vectors: exact below a size, faiss HNSW above.

HNSW positions are vector-store rows, so new rows are simply appended to a persisted graph.
Rows no file uses any more (replaced or removed vectors) stay in the graph and are masked out
with an ID selector until compaction rewrites the store. HNSW candidates are re-scored
exactly against the stored float32 vectors.
"""

from __future__ import annotations

import logging
import os
import tempfile
import threading
from pathlib import Path

import numpy as np

from app.config import IndexConfig
from model.compose import top_k

log = logging.getLogger(__name__)
_BUILD_CHUNK = 50_000


def exact_top_k(vectors: np.ndarray, q: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Positions and scores of the k best rows of ``vectors`` for the unit query ``q``."""
    if len(vectors) == 0:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32)
    # einsum runs single-threaded SIMD: multi-threaded BLAS matvec degrades badly on a busy machine
    # (e.g. while an import keeps both cores busy), see bench/bench_index.py
    scores = np.einsum("ij,j->i", vectors, q.astype(vectors.dtype, copy=False), optimize=False)
    best = top_k(scores, k)
    return best, scores[best]


def _faiss():
    import faiss

    return faiss


def load_or_build_hnsw(vectors: np.ndarray, path: Path | None, config: IndexConfig, index=None):
    """HNSW over all rows of ``vectors``: ``index`` or the file at ``path`` extended with new rows, or built.

    Returns (index, saved): a graph built from scratch is written to ``path`` straight away.
    """
    faiss = _faiss()
    if index is not None and (index.ntotal > len(vectors) or index.d != vectors.shape[1]):
        index = None
    if index is None and path is not None and path.is_file():
        try:
            index = faiss.read_index(str(path))
            if index.ntotal > len(vectors) or index.d != vectors.shape[1]:
                index = None  # from another store generation: rebuild
        except RuntimeError as exc:
            log.warning("ignoring unreadable HNSW file %s: %s", path, exc)
            index = None
    if index is None:
        index = faiss.IndexHNSWFlat(vectors.shape[1], config.hnsw_m, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = config.hnsw_ef_construction
    start = index.ntotal
    if start < len(vectors):
        log.info("adding %d vectors to the HNSW graph (%d already in)", len(vectors) - start, start)
    for lo in range(start, len(vectors), _BUILD_CHUNK):
        index.add(np.ascontiguousarray(vectors[lo : lo + _BUILD_CHUNK], dtype=np.float32))
    if path is not None and start == 0 and index.ntotal:
        return index, save_index(index, path)
    return index, index.ntotal == start


def save_index(index, path: Path) -> bool:
    """Atomic write: a crash leaves the old file or the new one, never half of one. The graph is only a
    cache: a read-only library folder or a full disk just leaves it unsaved (returns False)."""
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".faiss.tmp")
    except OSError as exc:
        log.warning("cannot save the search graph %s: %s", path, exc)
        return False
    os.close(fd)
    try:
        _faiss().write_index(index, tmp)
        os.replace(tmp, path)
        return True
    except (OSError, RuntimeError) as exc:
        log.warning("cannot save the search graph %s: %s", path, exc)
        return False
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


class VectorIndex:
    """Search the rows ``valid`` of ``vectors`` (R, D) unit float32, e.g. a memory-mapped store."""

    def __init__(
        self,
        vectors: np.ndarray,
        valid: np.ndarray,
        config: IndexConfig,
        hnsw_path: Path | None = None,
        previous: VectorIndex | None = None,
    ):
        """``previous``: an earlier snapshot of the same store whose graph is extended, not reloaded."""
        self.vectors = vectors
        self.valid = np.sort(np.asarray(valid, dtype=np.int64))
        self.config = config
        self.hnsw_path = hnsw_path
        self._previous = previous._hnsw if previous is not None else None
        self._unsaved = previous is not None and previous._unsaved
        self._hnsw = None
        self._prepare_lock = threading.Lock()  # two searching threads must not both build the graph
        self._dense: np.ndarray | None = None  # gathered valid rows, for exact search
        self._valid_bits: np.ndarray | None = None

    @property
    def size(self) -> int:
        return len(self.valid)

    @property
    def uses_hnsw(self) -> bool:
        return self.size > self.config.exact_below

    def prepare(self, save: bool = False) -> None:
        """Do the slow part now (gather rows, or load/extend/build the HNSW graph; ``save`` persists it)."""
        with self._prepare_lock:
            self._prepare(save)

    def _prepare(self, save: bool) -> None:
        if self.uses_hnsw:
            if self._hnsw is None:
                self._hnsw, saved = load_or_build_hnsw(self.vectors, self.hnsw_path, self.config, self._previous)
                self._unsaved = self._unsaved or not saved
                self._previous = None
            if save and self._unsaved and self.hnsw_path is not None:
                self._unsaved = not save_index(self._hnsw, self.hnsw_path)
        elif self._dense is None:
            self._dense = np.ascontiguousarray(self.vectors[self.valid])

    def search(
        self, q: np.ndarray, k: int, subset: np.ndarray | None = None, exclude: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Best k (rows, scores), best first, among ``subset`` rows (default: all valid) minus ``exclude``."""
        q = np.asarray(q, dtype=np.float32).reshape(-1)
        exclude = np.asarray(exclude if exclude is not None else [], dtype=np.int64)
        if subset is not None:
            subset = np.setdiff1d(np.asarray(subset, dtype=np.int64), exclude)
            if len(subset) <= self.config.exact_below or not self.uses_hnsw:
                pos, scores = exact_top_k(self.vectors[np.sort(subset)], q, k)
                return np.sort(subset)[pos], scores
        self.prepare()
        if not self.uses_hnsw:
            assert self._dense is not None
            pos, scores = exact_top_k(self._dense, q, k + len(exclude))
            rows = self.valid[pos]
            keep = ~np.isin(rows, exclude)
            return rows[keep][:k], scores[keep][:k]
        return self._hnsw_search(q, k, subset, exclude)

    def _hnsw_search(self, q, k, subset, exclude) -> tuple[np.ndarray, np.ndarray]:
        faiss = _faiss()
        n_candidates = max(self.config.rerank_factor * k, self.config.rerank_min)
        params = faiss.SearchParametersHNSW()
        params.efSearch = max(self.config.hnsw_ef_search, n_candidates)
        bits = self._selector_bits(subset, exclude)  # excluded rows are never returned: no extra candidates
        if bits is not None:
            selector = faiss.IDSelectorBitmap(len(self.vectors), faiss.swig_ptr(bits))
            params.sel = selector
        _, found = self._hnsw.search(q[None], n_candidates, params=params)
        rows = np.sort(found[0][found[0] >= 0])
        pos, scores = exact_top_k(np.asarray(self.vectors[rows]), q, k)  # exact re-rank
        return rows[pos], scores

    def _selector_bits(self, subset: np.ndarray | None, exclude: np.ndarray) -> np.ndarray | None:
        """Bitmap of allowed rows for faiss (``subset``, or the valid rows minus ``exclude``), or None when every
        row in the graph is allowed."""
        if subset is not None:  # search() already took the excluded rows out of the subset
            mask = np.zeros(len(self.vectors), dtype=bool)
            mask[subset] = True
            return np.packbits(mask, bitorder="little")
        if self.size == len(self.vectors) and not len(exclude):
            return None
        if self._valid_bits is None:
            mask = np.zeros(len(self.vectors), dtype=bool)
            mask[self.valid] = True
            self._valid_bits = np.packbits(mask, bitorder="little")
        if not len(exclude):
            return self._valid_bits
        bits = self._valid_bits.copy()
        np.bitwise_and.at(bits, exclude >> 3, ~np.left_shift(1, exclude & 7).astype(np.uint8))
        return bits
