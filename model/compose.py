"""Query composition and scoring as pure numpy functions.

A query is ``A(audio) + strength * T(text)``; targets are ``A(target)``; ranking is by cosine.
Heads trained with a residual composer (HeadsConfig.composer) add a learned correction
``R([A(a); T(t)])`` to the text offset; ``ResidualComposer`` is its numpy twin.
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


def _gelu_tanh(x: np.ndarray) -> np.ndarray:
    return 0.5 * x * (1.0 + np.tanh(np.float32(0.7978845608028654) * (x + np.float32(0.044715) * x**3)))


class ResidualComposer:
    """R([A(a); T(t)]) = W2 gelu(W1 [A; T] + b1) + b2, the learned part of a residual composition."""

    def __init__(self, w1: np.ndarray, b1: np.ndarray, w2: np.ndarray, b2: np.ndarray):
        self.w1, self.b1, self.w2, self.b2 = (np.asarray(x, dtype=np.float32) for x in (w1, b1, w2, b2))

    @property
    def embed_dim(self) -> int:
        return int(self.w2.shape[0])

    def correction(self, audio: np.ndarray, text: np.ndarray) -> np.ndarray:
        """(..., D) correction; rows whose text vector is all zeros (no modifier) get none."""
        x = np.concatenate(np.broadcast_arrays(audio, text), axis=-1)
        out = _gelu_tanh(x @ self.w1.T + self.b1) @ self.w2.T + self.b2
        return np.where(np.any(text != 0, axis=-1, keepdims=True), out, np.float32(0.0))


def compose_query(
    audio_emb: np.ndarray, text_emb: np.ndarray | None = None, strength: float = 1.0,
    composer: ResidualComposer | None = None,
) -> np.ndarray:
    """Return the unit-length query ``A(a) + strength * (T(t) [+ R([A(a); T(t)])])``.

    ``audio_emb`` and ``text_emb`` are projected (head) outputs of shape (D,) or (N, D).
    ``text_emb=None`` or ``strength=0`` gives the audio-only baseline query.
    ``composer``: the heads' learned correction, None for heads that simply add.
    """
    query = np.asarray(audio_emb, dtype=np.float32)
    if text_emb is not None and strength != 0.0:
        text = np.asarray(text_emb, dtype=np.float32)
        if text.shape[-1] != query.shape[-1]:
            raise ValueError(f"dimension mismatch: audio {query.shape} vs text {text.shape}")
        offset = text if composer is None else text + composer.correction(query, text)
        query = query + np.float32(strength) * offset
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
