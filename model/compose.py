"""Query composition and scoring as pure numpy functions.

A query is ``A(audio) + strength * T(text)``; targets are ``A(target)``; ranking is by cosine.
Heads trained with a residual composer (HeadsConfig.composer) add a learned correction
``R([A(a); T(t)])`` to the text offset: that composition is ``NudgeEncoder.compose``.
Baseline mode (audio only) is the same call with no text embedding.
"""

from __future__ import annotations

import numpy as np

_EPS = 1e-12


def l2_normalize(x: np.ndarray, axis: int = -1) -> np.ndarray:
    """Scale vectors to unit length along ``axis`` (zero vectors stay zero)."""
    x = np.asarray(x, dtype=np.float32)
    norm = np.linalg.norm(x, axis=axis, keepdims=True)
    return x / np.maximum(norm, _EPS)


def compose_query(audio_emb: np.ndarray, text_emb: np.ndarray | None = None, strength: float = 1.0) -> np.ndarray:
    """Return the unit-length query ``A(audio) + strength * T(text)`` (the paper's composition).

    ``audio_emb`` and ``text_emb`` are projected (head) outputs of shape (D,) or (N, D).
    ``text_emb=None`` or ``strength=0`` gives the audio-only baseline query. Heads with a learned
    composer compose through ``NudgeEncoder.compose`` instead.
    """
    query = np.asarray(audio_emb, dtype=np.float32)
    if text_emb is not None and strength != 0.0:
        text = np.asarray(text_emb, dtype=np.float32)
        if text.shape[-1] != query.shape[-1]:
            raise ValueError(f"dimension mismatch: audio {query.shape} vs text {text.shape}")
        query = query + np.float32(strength) * text
    return l2_normalize(query)


def cosine_scores(query: np.ndarray, gallery: np.ndarray) -> np.ndarray:
    """Cosine similarity of query (D,) or (Q, D) against gallery (N, D)."""
    q = l2_normalize(query)
    g = l2_normalize(gallery)
    return q @ g.T


def top_k(scores: np.ndarray, k: int) -> np.ndarray:
    """Indices of the k highest scores of a 1-D array, best first (stable for ties)."""
    k = min(k, scores.shape[0])
    if k <= 0:
        return np.empty(0, dtype=np.int64)
    part = np.argpartition(-scores, k - 1)[:k]
    order = np.lexsort((part, -scores[part]))
    return part[order]
