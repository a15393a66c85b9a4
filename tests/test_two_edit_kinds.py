"""training.pilots.two_edit_kinds: lists grouped by their edits' kinds, R@1 and reach per group."""

import numpy as np

from model.edits import KINDS
from training.pilots.two_edit_kinds import by_kinds, kind_pairs


def _onehot(*kinds: str) -> np.ndarray:
    row = np.zeros((2, len(KINDS)))
    for slot, kind in enumerate(kinds):
        row[slot, KINDS.index(kind)] = 1.0
    return row


def test_lists_are_grouped_by_their_sorted_edit_kinds():
    kinds = np.stack([_onehot("remove", "add"), _onehot("add", "remove"), _onehot("louder"), _onehot("add", "add")])
    pairs = kind_pairs(kinds)
    assert pairs == [("add", "remove"), ("add", "remove"), ("louder",), ("add", "add")]
    top, target = np.array([0, 3, 0, 1]), np.array([0, -1, 0, 2])  # hit, out of reach, hit, miss
    assert by_kinds(top, target, pairs) == {("add", "remove"): (2, 0.5, 0.5), ("add", "add"): (1, 0.0, 1.0)}
    assert by_kinds(top, target, pairs, edits=1) == {("louder",): (1, 1.0, 1.0)}
