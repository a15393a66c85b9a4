"""Retrieval ranks and recall@k as pure functions, shared by the app's evaluate command and training.

Ranks are 1-based and ties count against the target (pessimistic): a target's rank is the number
of gallery items scoring at least as high as it, so constant scores never look good. Items scored
-inf (excluded) rank below everything else.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

import numpy as np

KS: tuple[int, ...] = (1, 5, 10)


def target_ranks(scores: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """1-based rank of each query's target in its row of ``scores`` (Q, G); ``targets`` (Q,) index G."""
    scores = np.asarray(scores)
    targets = np.asarray(targets, dtype=np.int64)
    if scores.ndim != 2 or targets.shape != (scores.shape[0],):
        raise ValueError(f"expected scores (Q, G) and targets (Q,), got {scores.shape} and {targets.shape}")
    if len(targets) and (targets.min() < 0 or targets.max() >= scores.shape[1]):
        raise ValueError("a target index is outside the gallery")
    target_scores = scores[np.arange(len(targets)), targets]
    return (scores >= target_scores[:, None]).sum(axis=1).astype(np.int64)


def cosine_ranks(query: np.ndarray, gallery: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """Ranks of the targets when each query (Q, D) is compared with the gallery (G, D) by cosine."""
    q = query / np.maximum(np.linalg.norm(query, axis=1, keepdims=True), 1e-12)
    g = gallery / np.maximum(np.linalg.norm(gallery, axis=1, keepdims=True), 1e-12)
    return target_ranks(q @ g.T, targets)


def recall_at_k(ranks: np.ndarray, ks: Sequence[int] = KS, prefix: str = "") -> dict[str, float]:
    """{"R@k": share of queries ranked <= k} for each k, plus "MRR", "median_rank" and "n" (nan when empty)."""
    ranks = np.asarray(ranks)
    empty = len(ranks) == 0
    out: dict[str, float] = {f"{prefix}R@{k}": float("nan") if empty else float((ranks <= k).mean()) for k in ks}
    out[f"{prefix}MRR"] = float("nan") if empty else float((1.0 / ranks).mean())
    out[f"{prefix}median_rank"] = float("nan") if empty else float(np.median(ranks))
    out[f"{prefix}n"] = int(len(ranks))
    return out


def grouped_recall(
    ranks: np.ndarray, groups: Sequence[Iterable[str]], k: int = 1
) -> dict[str, float]:
    """R@k per group key; a query may belong to several groups (e.g. two differences).

    Returns {"<key>": R@k, "<key>/n": count} for every key, sorted by key.
    """
    members: dict[str, list[int]] = defaultdict(list)
    for i, keys in enumerate(groups):
        for key in dict.fromkeys(keys):
            members[key].append(i)
    ranks = np.asarray(ranks)
    out: dict[str, float] = {}
    for key in sorted(members):
        sel = ranks[members[key]]
        out[key] = float((sel <= k).mean())
        out[f"{key}/n"] = len(sel)
    return out
