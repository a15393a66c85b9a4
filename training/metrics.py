"""Retrieval metrics as pure functions returning flat dicts (tested against brute force)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

import numpy as np

KS: tuple[int, ...] = (1, 5, 10)


def target_ranks(scores: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """1-based rank of each query's target in its score row.

    ``scores`` (Q, G), ``targets`` (Q,) gallery indices. Ties count against the target
    (pessimistic): rank = number of gallery items scoring >= the target, so constant scores
    never look good.
    """
    scores = np.asarray(scores)
    targets = np.asarray(targets, dtype=np.int64)
    target_scores = scores[np.arange(len(targets)), targets]
    return (scores >= target_scores[:, None]).sum(axis=1).astype(np.int64)


def recall_at_k(ranks: np.ndarray, ks: Sequence[int] = KS, prefix: str = "") -> dict[str, float]:
    """{"R@1": ..., "R@5": ..., "R@10": ...} (fraction of queries with rank <= k), plus n and MRR."""
    ranks = np.asarray(ranks)
    out: dict[str, float] = {f"{prefix}R@{k}": float((ranks <= k).mean()) if len(ranks) else float("nan") for k in ks}
    out[f"{prefix}MRR"] = float((1.0 / ranks).mean()) if len(ranks) else float("nan")
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


def retrieval_ranks(query: np.ndarray, gallery: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """Cosine-rank each query (Q, D) against gallery (G, D); targets (Q,) index the gallery."""
    q = query / np.maximum(np.linalg.norm(query, axis=1, keepdims=True), 1e-12)
    g = gallery / np.maximum(np.linalg.norm(gallery, axis=1, keepdims=True), 1e-12)
    return target_ranks(q @ g.T, targets)
