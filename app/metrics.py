"""Retrieval metrics as pure functions returning flat dicts (shared with training evaluation)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def target_ranks(scores: np.ndarray, target_index: np.ndarray) -> np.ndarray:
    """0-based rank of each query's target in its score row (Q, G), best first.

    Ties are broken by gallery index, i.e. the position in a stable descending sort.
    Entries set to -inf (excluded items) rank last.
    """
    scores = np.asarray(scores, dtype=np.float64)
    target_index = np.asarray(target_index, dtype=np.int64)
    if scores.ndim != 2 or target_index.shape != (scores.shape[0],):
        raise ValueError(f"expected scores (Q, G) and target_index (Q,), got {scores.shape}, {target_index.shape}")
    if len(target_index) and (target_index.min() < 0 or target_index.max() >= scores.shape[1]):
        raise ValueError("target_index out of range")
    rows = np.arange(scores.shape[0])
    target = scores[rows, target_index][:, None]
    before = np.arange(scores.shape[1])[None, :] < target_index[:, None]
    return ((scores > target) | ((scores == target) & before)).sum(axis=1)


def recall_at_k(scores: np.ndarray, target_index: np.ndarray, ks: Sequence[int] = (1, 5, 10)) -> dict[str, float]:
    """{"R@k": share of queries whose target is among the k best} for each k."""
    ranks = target_ranks(scores, target_index)
    if len(ranks) == 0:
        return {f"R@{k}": float("nan") for k in ks}
    return {f"R@{k}": float(np.mean(ranks < k)) for k in ks}


def rank_summary(scores: np.ndarray, target_index: np.ndarray) -> dict[str, float]:
    """Mean reciprocal rank and median 1-based rank of the targets."""
    ranks = target_ranks(scores, target_index) + 1
    if len(ranks) == 0:
        return {"MRR": float("nan"), "median_rank": float("nan")}
    return {"MRR": float(np.mean(1.0 / ranks)), "median_rank": float(np.median(ranks))}
