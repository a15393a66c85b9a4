"""Retrieval metrics and the contrastive loss against brute-force references."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from training.losses import multi_positive_infonce
from training.metrics import grouped_recall, recall_at_k, retrieval_ranks, target_ranks
from training.pairset import difference_groups


def brute_rank(row: np.ndarray, target: int) -> int:
    """Pessimistic 1-based rank by sorting: position of the last item tied with the target."""
    order = sorted(range(len(row)), key=lambda j: (-row[j], j != target))
    tied_after = sum(1 for j in range(len(row)) if j != target and row[j] == row[target])
    return order.index(target) + 1 + tied_after


def test_target_ranks_match_brute_force() -> None:
    rng = np.random.default_rng(0)
    for _ in range(20):
        scores = np.round(rng.standard_normal((7, 11)), 1)  # rounding creates ties
        targets = rng.integers(0, 11, 7)
        expected = [brute_rank(scores[i], targets[i]) for i in range(7)]
        assert target_ranks(scores, targets).tolist() == expected


def test_constant_scores_rank_last() -> None:
    assert target_ranks(np.zeros((3, 5)), np.array([0, 2, 4])).tolist() == [5, 5, 5]


def test_recall_at_k_brute_force() -> None:
    ranks = np.array([1, 2, 5, 6, 10, 11, 1])
    r = recall_at_k(ranks)
    for k in (1, 5, 10):
        assert r[f"R@{k}"] == pytest.approx(sum(1 for x in ranks if x <= k) / len(ranks))
    assert r["n"] == 7 and r["MRR"] == pytest.approx(np.mean([1 / x for x in ranks]))
    assert set(recall_at_k(ranks, prefix="s/")) == {"s/R@1", "s/R@5", "s/R@10", "s/MRR", "s/n"}


def test_grouped_recall_counts_multi_membership() -> None:
    ranks = np.array([1, 3, 1, 1])
    groups = [["a"], ["a", "b"], ["b"], ["b", "b"]]  # a duplicate key counts once
    out = grouped_recall(ranks, groups)
    assert out == {"a": 0.5, "a/n": 2, "b": pytest.approx(2 / 3), "b/n": 3}


def test_retrieval_ranks_is_cosine() -> None:
    rng = np.random.default_rng(1)
    q, g = rng.standard_normal((4, 6)), rng.standard_normal((9, 6))
    targets = np.array([0, 3, 8, 2])
    scale = rng.uniform(0.1, 10, (9, 1))  # cosine ignores gallery norms
    ranks = retrieval_ranks(q, g * scale, targets)
    cos = (q / np.linalg.norm(q, axis=1, keepdims=True)) @ (g / np.linalg.norm(g, axis=1, keepdims=True)).T
    assert ranks.tolist() == [brute_rank(cos[i], targets[i]) for i in range(4)]


def test_difference_groups() -> None:
    keys = difference_groups(["bg_louder", "event_added:dog"])
    assert {"bg_louder", "kind:bg_louder", "family:background", "event_added:dog", "kind:event_added",
            "family:event", "n_diffs:2"} == set(keys)


def test_infonce_matches_reference() -> None:
    torch.manual_seed(0)
    q = torch.nn.functional.normalize(torch.randn(5, 8), dim=-1)
    k = torch.nn.functional.normalize(torch.randn(5, 8), dim=-1)
    scale = torch.tensor(10.0)
    eye = torch.eye(5, dtype=torch.bool)
    ref = 0.5 * (torch.nn.functional.cross_entropy(scale * q @ k.T, torch.arange(5))
                 + torch.nn.functional.cross_entropy(scale * k @ q.T, torch.arange(5)))
    assert float(multi_positive_infonce(q, k, eye, scale)) == pytest.approx(float(ref), rel=1e-5)
    # duplicate targets: pairs 0 and 1 share a target, both count as positives
    pos = eye.clone()
    pos[0, 1] = pos[1, 0] = True
    logits = scale * q @ k.T
    row0 = -(torch.logsumexp(logits[0, :2], 0) - torch.logsumexp(logits[0], 0))
    loss = multi_positive_infonce(q, k, pos, scale)
    assert float(loss) < float(ref) and row0 < -torch.log_softmax(logits[0], 0)[0]
