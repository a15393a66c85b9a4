"""Results that are the same audio as a better-ranked one: a file copied into two folders, renamed, or converted
to another lossless format decodes to the same samples and so gets the same stored vector."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

SAME_VECTOR = 1.0 - 1e-6  # cosine of two whole-file vectors of the same samples (float32 rounding only)
SAME_SECONDS = 1e-3  # and their durations agree to the millisecond
QUERY_RANK = 0  # SearchResult.same_as of a result that is the same audio as the query sound


def same_audio(a: np.ndarray, b: np.ndarray, seconds_a: float | None, seconds_b: float | None) -> bool:
    """Two whole-file unit vectors (and durations, None: unknown) of the same samples."""
    same_length = seconds_a is None or seconds_b is None or abs(seconds_a - seconds_b) <= SAME_SECONDS
    return same_length and float(np.dot(np.asarray(a, np.float64), np.asarray(b, np.float64))) >= SAME_VECTOR


def same_audio_ranks(vectors: np.ndarray, durations: Sequence[float | None], ranks: Sequence[int],
                     query: tuple[np.ndarray, float | None] | None = None) -> list[int | None]:
    """Per result (best first): QUERY_RANK when it is the same audio as the query sound (``query``: A(query) and
    its seconds, if known), else the rank of the first better-ranked result with the same audio, else None.
    ``vectors``: the results' whole-file unit vectors (N, D)."""
    found: list[int | None] = [None] * len(ranks)
    if query is not None:
        unit = np.asarray(query[0], np.float64) / max(float(np.linalg.norm(query[0])), 1e-12)
        found = [QUERY_RANK if same_audio(v, unit, d, query[1]) else None
                 for v, d in zip(vectors, durations, strict=True)]
    for i in range(1, len(ranks)):
        if found[i] is None:
            found[i] = next((ranks[j] for j in range(i) if found[j] is None
                             and same_audio(vectors[i], vectors[j], durations[i], durations[j])), None)
    return found
