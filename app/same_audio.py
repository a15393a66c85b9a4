"""Results that are the same audio as a better-ranked one: a file copied into two folders, renamed, or converted
to another lossless format decodes to the same samples and so gets the same stored vector."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

SAME_VECTOR = 1.0 - 1e-6  # cosine of two whole-file vectors of the same samples (float32 rounding only)
SAME_SECONDS = 1e-3  # and their durations agree to the millisecond


def same_audio_ranks(vectors: np.ndarray, durations: Sequence[float | None], ranks: Sequence[int]
                     ) -> list[int | None]:
    """Per result (best first): the rank of the first better-ranked result with the same audio, else None.
    ``vectors``: the results' whole-file unit vectors (N, D)."""
    found: list[int | None] = [None] * len(ranks)
    if len(ranks) < 2:
        return found
    unit = np.asarray(vectors, dtype=np.float64)
    cos = unit @ unit.T
    for i in range(1, len(ranks)):
        for j in range(i):
            same_length = (durations[i] is None or durations[j] is None
                           or abs(durations[i] - durations[j]) <= SAME_SECONDS)
            if found[j] is None and cos[i, j] >= SAME_VECTOR and same_length:
                found[i] = ranks[j]
                break
    return found
