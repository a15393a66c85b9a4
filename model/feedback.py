"""Relevance feedback on the composed query (Rocchio): move it toward results marked "more like this"
and away from results marked "less like this". Pure numpy; vectors are the library's unit vectors."""

from __future__ import annotations

import numpy as np

ALPHA, BETA, GAMMA = 1.0, 0.75, 0.25  # the classic SMART weights: query, positives, negatives


def rocchio(query: np.ndarray, positives: np.ndarray | None = None, negatives: np.ndarray | None = None,
            alpha: float = ALPHA, beta: float = BETA, gamma: float = GAMMA) -> np.ndarray:
    """Unit vector of alpha * q + beta * mean(positives) - gamma * mean(negatives); q is normalised first,
    so the weights mean the same whatever the query's norm. Empty or None example sets count as absent."""
    q = np.asarray(query, dtype=np.float32).reshape(-1)
    out = alpha * q / max(float(np.linalg.norm(q)), 1e-12)
    if positives is not None and len(positives):
        out = out + beta * np.asarray(positives, dtype=np.float32).reshape(-1, q.size).mean(axis=0)
    if negatives is not None and len(negatives):
        out = out - gamma * np.asarray(negatives, dtype=np.float32).reshape(-1, q.size).mean(axis=0)
    norm = float(np.linalg.norm(out))
    if norm < 1e-12:
        raise ValueError("feedback cancels the query out: mark fewer 'less like this' results")
    return (out / norm).astype(np.float32)
