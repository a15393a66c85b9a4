"""The change from the query clip to a candidate should point where the words point: a ranking term.

The cosine of A(a) + offset to a candidate b rewards any b near the clip; a clip's edited versions all are. This
term adds, for a search with words, weight x cos(b - a, offset) x max(cos(a, b), 0)^power (a, b unit vectors,
offset the unit composed text offset: T(words) plus the composer's correction), so that among the versions near
the clip the one changed the way the words say ranks higher (MODEL_CARD, thirtieth round). It gained on val but not
on the held-out sets, so the app does not use it; `training.evaluate` and `training.refine_bench` take `--change`
to reproduce that round.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model.compose import l2_normalize


@dataclass(frozen=True)
class ChangeWeights:
    weight: float = 0.0  # 0: off
    power: float = 4.0

    @property
    def active(self) -> bool:
        return self.weight > 0


def change_alignment(rows: np.ndarray, clip: np.ndarray, offset: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For unit ``rows`` (G, D) and each query's unit ``clip`` and ``offset`` (Q, D): (cos(row - clip, offset),
    cos(clip, row)), both (Q, G). Rows equal to the clip give 0;
    non-finite rows give 0 (they are ranked out elsewhere)."""
    rows = np.nan_to_num(np.asarray(rows, dtype=np.float32), nan=0.0, posinf=0.0, neginf=0.0)
    clip = np.atleast_2d(np.asarray(clip, dtype=np.float32))
    offset = np.atleast_2d(np.asarray(offset, dtype=np.float32))
    near = clip @ rows.T
    # |row - clip|^2 = 2 - 2 cos for unit vectors; along = (row - clip) . offset
    along = offset @ rows.T - np.sum(clip * offset, axis=1, keepdims=True)
    distance = np.sqrt(np.maximum(2.0 - 2.0 * near, 0.0))
    with np.errstate(divide="ignore", invalid="ignore"):
        cosine = np.where(distance > 1e-4, along / distance, 0.0)
    return np.clip(cosine, -1.0, 1.0).astype(np.float32), near.astype(np.float32)


def change_scores(rows: np.ndarray, clip: np.ndarray, offset: np.ndarray, weights: ChangeWeights) -> np.ndarray:
    """The term for each query (Q) and row (G): weight x cos(row - clip, offset) x max(cos(clip, row), 0)^power;
    ``clip`` and ``offset`` need not be unit (made so here); a query with a zero offset (no words) gets 0."""
    clip = np.atleast_2d(np.asarray(clip, dtype=np.float32))
    offset = np.atleast_2d(np.asarray(offset, dtype=np.float32))
    if not weights.active:
        return np.zeros((len(clip), len(rows)), dtype=np.float32)
    has_offset = np.linalg.norm(offset, axis=1, keepdims=True) > 1e-8
    cosine, near = change_alignment(rows, l2_normalize(clip), l2_normalize(offset))
    term = weights.weight * cosine * np.clip(near, 0.0, 1.0) ** weights.power
    return np.where(has_offset, term, 0.0).astype(np.float32)
