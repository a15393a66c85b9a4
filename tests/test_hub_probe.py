"""training.hub_probe: hub levels and the clause count that picks two-edit texts (the sixtieth round)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from training.hub_probe import clause_counts, hub_levels


def test_clause_counts_counts_filled_slots():
    slots = np.zeros((3, 2 * 4), dtype=np.float32)
    slots[0, :4] = 1.0  # one clause
    slots[1, :] = 0.5  # two clauses
    ps = SimpleNamespace(text=np.zeros((3, 4)), text_features=lambda clauses: slots)
    assert clause_counts(ps, 2).tolist() == [1, 2, 0]
    assert clause_counts(ps, 1).tolist() == [1, 1, 1]


def test_hub_levels_is_the_mean_cosine_to_the_nearest_others():
    keys = np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]], dtype=np.float32)
    assert hub_levels(keys, k=1).tolist() == [1.0, 1.0, 0.0]
    assert hub_levels(keys[:1]).tolist() == [0.0]
