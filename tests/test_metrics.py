"""Retrieval metrics against a brute-force reference."""

from __future__ import annotations

import numpy as np
import pytest

from app.metrics import rank_summary, recall_at_k, target_ranks


def brute_force_ranks(scores: np.ndarray, target_index: np.ndarray) -> np.ndarray:
    ranks = []
    for row, target in zip(scores, target_index, strict=True):
        order = sorted(range(len(row)), key=lambda j: (-row[j], j))  # descending, ties by index
        ranks.append(order.index(target))
    return np.array(ranks)


@pytest.mark.parametrize("seed", range(5))
def test_ranks_and_recall_match_brute_force(seed):
    rng = np.random.default_rng(seed)
    q, g = 40, 25
    scores = np.round(rng.standard_normal((q, g)), 1)  # rounding makes many ties
    scores[rng.random((q, g)) < 0.05] = -np.inf
    target = rng.integers(0, g, q)
    scores[np.arange(q), target] = np.where(np.isinf(scores[np.arange(q), target]), 0.0, scores[np.arange(q), target])
    ref = brute_force_ranks(scores, target)
    np.testing.assert_array_equal(target_ranks(scores, target), ref)
    metrics = recall_at_k(scores, target, (1, 3, 5, 10))
    assert metrics == {f"R@{k}": float(np.mean(ref < k)) for k in (1, 3, 5, 10)}
    summary = rank_summary(scores, target)
    assert summary["MRR"] == pytest.approx(np.mean(1.0 / (ref + 1)))
    assert summary["median_rank"] == float(np.median(ref + 1))


def test_recall_known_values():
    scores = np.array([[0.9, 0.1, 0.5], [0.2, 0.3, 0.8], [0.7, 0.6, 0.65]])
    target = np.array([0, 0, 1])  # ranks 0, 2, 2
    assert recall_at_k(scores, target, (1, 2, 3)) == {"R@1": 1 / 3, "R@2": 1 / 3, "R@3": 1.0}


def test_bad_shapes_are_rejected():
    with pytest.raises(ValueError):
        recall_at_k(np.zeros((3, 4)), np.zeros(2, dtype=int))
    with pytest.raises(ValueError):
        recall_at_k(np.zeros((2, 4)), np.array([0, 4]))


def test_no_queries_gives_nan():
    assert np.isnan(recall_at_k(np.zeros((0, 3)), np.zeros(0, dtype=int))["R@1"])
