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


def _network(features: int, context: bool, seed: int):
    from model.aligned_rerank import EditNetwork

    rng = np.random.default_rng(seed)
    rows = features + (2 if context else 1) * len(KINDS)
    return EditNetwork(rng.normal(size=features), rng.uniform(0.5, 2.0, features), rng.normal(size=(rows, 6)),
                       rng.normal(size=6), rng.normal(size=6), 0.3)


def test_cached_lists_are_scored_as_the_app_scores_them():
    """network_evidence / list_scores (the pilot's batch form) against EditNetwork.scores, one list at a time:
    a context network reads the other edit's kind only in a two-edit list, and a split file's two-edit network
    scores only the lists with two edits."""
    from dataclasses import replace

    from model.aligned_rerank import AlignedReranker
    from training.pilots.two_edit_kinds import list_scores, network_evidence

    rng = np.random.default_rng(0)
    f, k = 5, 4
    feats = rng.normal(size=(2, 2, k, f))
    kinds = np.stack([_onehot("add", "quieter"), _onehot("remove")])
    one, two = _network(f, False, 1), _network(f, True, 2)
    for net in (one, two):
        got = network_evidence(net, feats, kinds)
        assert np.allclose(got[0], net.scores(feats[0], [KINDS.index("add"), KINDS.index("quieter")]))
        assert np.allclose(got[1], net.scores(feats[1, :1], [KINDS.index("remove")]))
    reranker = replace(AlignedReranker(np.zeros((len(KINDS), f)), k, 0.05, "", network=one), two_edit_network=two)
    cos, mask = rng.normal(size=(2, k)), np.ones((2, k), dtype=bool)
    scores = list_scores(reranker, cos, feats, kinds, mask)
    assert np.allclose(scores[0], cos[0] / 0.05 + network_evidence(two, feats, kinds)[0])
    assert np.allclose(scores[1], cos[1] / 0.05 + network_evidence(one, feats, kinds)[1])
