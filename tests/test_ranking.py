"""Ranks and recall@k (model.ranking) against brute-force references."""

from __future__ import annotations

import numpy as np
import pytest

from model.ranking import cosine_ranks, grouped_recall, recall_at_k, target_ranks


def brute_rank(row: np.ndarray, target: int) -> int:
    """Pessimistic 1-based rank by sorting: position of the last item tied with the target."""
    order = sorted(range(len(row)), key=lambda j: (-row[j], j != target))
    tied_after = sum(1 for j in range(len(row)) if j != target and row[j] == row[target])
    return order.index(target) + 1 + tied_after


@pytest.mark.parametrize("seed", range(5))
def test_target_ranks_match_brute_force(seed: int) -> None:
    rng = np.random.default_rng(seed)
    scores = np.round(rng.standard_normal((40, 25)), 1)  # rounding creates ties
    scores[rng.random(scores.shape) < 0.05] = -np.inf  # excluded items
    targets = rng.integers(0, 25, 40)
    scores[np.arange(40), targets] = np.nan_to_num(scores[np.arange(40), targets], neginf=0.0)
    expected = [brute_rank(scores[i], targets[i]) for i in range(40)]
    assert target_ranks(scores, targets).tolist() == expected


def test_constant_scores_rank_last() -> None:
    assert target_ranks(np.zeros((3, 5)), np.array([0, 2, 4])).tolist() == [5, 5, 5]


def test_recall_known_values_and_brute_force() -> None:
    scores = np.array([[0.9, 0.1, 0.5], [0.2, 0.3, 0.8], [0.7, 0.6, 0.65]])
    ranks = target_ranks(scores, np.array([0, 0, 1]))
    assert ranks.tolist() == [1, 3, 3]
    r = recall_at_k(ranks, (1, 2, 3))
    assert (r["R@1"], r["R@2"], r["R@3"]) == (1 / 3, 1 / 3, 1.0)
    assert r["MRR"] == pytest.approx((1 + 1 / 3 + 1 / 3) / 3) and r["median_rank"] == 3.0 and r["n"] == 3
    ranks = np.array([1, 2, 5, 6, 10, 11, 1])
    r = recall_at_k(ranks, prefix="s/")
    for k in (1, 5, 10):
        assert r[f"s/R@{k}"] == pytest.approx(sum(1 for x in ranks if x <= k) / len(ranks))
    assert set(r) == {"s/R@1", "s/R@5", "s/R@10", "s/MRR", "s/median_rank", "s/n"}


def test_bad_shapes_are_rejected() -> None:
    with pytest.raises(ValueError):
        target_ranks(np.zeros((3, 4)), np.zeros(2, dtype=int))
    with pytest.raises(ValueError):
        target_ranks(np.zeros((2, 4)), np.array([0, 4]))


def test_no_queries_gives_nan() -> None:
    r = recall_at_k(target_ranks(np.zeros((0, 3)), np.zeros(0, dtype=int)))
    assert np.isnan(r["R@1"]) and np.isnan(r["MRR"]) and r["n"] == 0


def test_grouped_recall_counts_multi_membership() -> None:
    ranks = np.array([1, 3, 1, 1])
    groups = [["a"], ["a", "b"], ["b"], ["b", "b"]]  # a duplicate key counts once
    out = grouped_recall(ranks, groups)
    assert out == {"a": 0.5, "a/n": 2, "b": pytest.approx(2 / 3), "b/n": 3}


def test_cosine_ranks_ignore_gallery_norms() -> None:
    rng = np.random.default_rng(1)
    q, g = rng.standard_normal((4, 6)), rng.standard_normal((9, 6))
    targets = np.array([0, 3, 8, 2])
    scale = rng.uniform(0.1, 10, (9, 1))
    ranks = cosine_ranks(q, g * scale, targets)
    cos = (q / np.linalg.norm(q, axis=1, keepdims=True)) @ (g / np.linalg.norm(g, axis=1, keepdims=True)).T
    assert ranks.tolist() == [brute_rank(cos[i], targets[i]) for i in range(4)]
