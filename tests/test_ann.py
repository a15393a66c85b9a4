"""Nearest-neighbour search: exact path, HNSW path (recall vs exact), masks, persistence."""

from __future__ import annotations

import numpy as np
import pytest

from app.ann import VectorIndex, exact_top_k
from app.config import IndexConfig
from model.compose import l2_normalize


def clustered(n: int, dim: int = 32, clusters: int = 50, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centers = rng.standard_normal((clusters, dim))
    return l2_normalize(centers[rng.integers(0, clusters, n)] + 0.6 * rng.standard_normal((n, dim)))


def brute(vectors, rows, q, k):
    scores = vectors[rows] @ q
    order = np.argsort(-scores, kind="stable")[:k]
    return rows[order], scores[order]


HNSW = IndexConfig(exact_below=100, hnsw_m=16, hnsw_ef_construction=64, hnsw_ef_search=64)


def test_exact_top_k_matches_sort():
    v = clustered(300)
    q = v[7]
    pos, scores = exact_top_k(v, q, 10)
    ref = np.argsort(-(v @ q), kind="stable")[:10]
    np.testing.assert_array_equal(pos, ref)
    np.testing.assert_allclose(scores, (v @ q)[ref], rtol=1e-6)
    assert len(exact_top_k(v[:0], q, 5)[0]) == 0


def test_small_index_is_exact_with_subset_and_exclusion():
    v = clustered(500)
    valid = np.arange(0, 500, 2)  # odd rows are unused (e.g. replaced vectors)
    index = VectorIndex(v, valid, IndexConfig())
    assert not index.uses_hnsw
    q = v[10]
    rows, scores = index.search(q, 5, exclude=np.array([10]))
    ref_rows, ref_scores = brute(v, valid[valid != 10], q, 5)
    np.testing.assert_array_equal(rows, ref_rows)
    np.testing.assert_allclose(scores, ref_scores, rtol=1e-5)
    subset = np.array([4, 8, 10, 300])
    rows, _ = index.search(q, 10, subset=subset, exclude=np.array([10]))
    assert sorted(rows.tolist()) == [4, 8, 300]


def test_hnsw_recall_and_masking(tmp_path):
    data = clustered(6050, seed=1)  # queries from the same distribution as the library
    v, queries = data[:6000], data[6000:]
    valid = np.setdiff1d(np.arange(6000), np.arange(0, 6000, 7))  # every 7th row unused
    index = VectorIndex(v, valid, HNSW, tmp_path / "g.hnsw")
    assert index.uses_hnsw
    hits = 0
    for q in queries:
        rows, scores = index.search(q, 10)
        assert not np.isin(rows, np.arange(0, 6000, 7)).any()  # unused rows never come back
        assert np.all(np.diff(scores) <= 1e-6)
        np.testing.assert_allclose(scores, v[rows] @ q, rtol=1e-5)  # scores are exact cosines
        hits += len(np.intersect1d(rows, brute(v, valid, q, 10)[0]))
    assert hits / (10 * len(queries)) >= 0.95


def test_hnsw_subset_and_exclusion():
    v = clustered(3000, seed=3)
    index = VectorIndex(v, np.arange(3000), HNSW)
    q = v[5]
    rows, _ = index.search(q, 5, exclude=np.array([5]))
    assert 5 not in rows and len(rows) == 5
    big_subset = np.arange(1000, 3000)
    rows, _ = index.search(q, 10, subset=big_subset)
    assert np.all(rows >= 1000) and len(rows) == 10
    small_subset = np.array([3, 5, 2999])  # small subsets are searched exactly
    rows, _ = index.search(q, 10, subset=small_subset, exclude=np.array([5]))
    assert sorted(rows.tolist()) == [3, 2999]


def test_hnsw_is_persisted_and_extended(tmp_path):
    path = tmp_path / "g.hnsw"
    v = clustered(2000, seed=4)
    first = VectorIndex(v[:1500], np.arange(1500), HNSW, path)
    first.prepare()
    assert path.is_file()  # built from scratch: saved at once
    import faiss

    assert faiss.read_index(str(path)).ntotal == 1500
    # a new snapshot with more rows extends the previous graph, and persists it when asked
    second = VectorIndex(v, np.arange(2000), HNSW, path, previous=first)
    rows, _ = second.search(v[1999], 1)
    assert rows[0] == 1999
    assert faiss.read_index(str(path)).ntotal == 1500
    second.prepare(save=True)
    assert faiss.read_index(str(path)).ntotal == 2000
    # a fresh process loads the file; a file from a larger store generation is rebuilt, not trusted
    third = VectorIndex(v[:1000], np.arange(1000), HNSW, path)
    rows, _ = third.search(v[10], 3)
    assert rows.max() < 1000 and rows[0] == 10


def test_unreadable_hnsw_file_is_rebuilt(tmp_path):
    path = tmp_path / "g.hnsw"
    path.write_bytes(b"garbage")
    v = clustered(500, seed=5)
    index = VectorIndex(v, np.arange(500), HNSW, path)
    rows, _ = index.search(v[42], 1)
    assert rows[0] == 42


@pytest.mark.parametrize("k", [0, 1, 600])
def test_k_edge_cases(k):
    v = clustered(500)
    rows, scores = VectorIndex(v, np.arange(500), IndexConfig()).search(v[0], k)
    assert len(rows) == min(k, 500) == len(scores)
