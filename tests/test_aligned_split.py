"""training.aligned_split: one reranker file whose second network scores texts of two or more edits."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from model.aligned_rerank import ALL_FEATURES, EXTRA_FEATURES, FEATURES, AlignedReranker, EditNetwork, PatchEvidence
from model.class_scores import CLASS_ZERO_POINT
from model.edits import ADD, KINDS, LOUDER, Edit
from tests.test_aligned_mlp import _model_and_twin
from training.aligned_split import split_reranker


def _reranker(context: bool) -> AlignedReranker:
    net = _model_and_twin(context=context)[3]
    return AlignedReranker(np.zeros((len(KINDS), len(ALL_FEATURES))), 20, 0.05, "", ALL_FEATURES, net, 0.3, 0.1)


def _clip(seed: int) -> PatchEvidence:
    rng = np.random.default_rng(seed)
    classes = rng.integers(CLASS_ZERO_POINT - 40, 255, size=(6, 521)).astype(np.uint8)
    return PatchEvidence(classes, rng.standard_normal(6).astype(np.float32))


def test_one_edit_texts_use_the_first_network_and_two_edits_the_second(tmp_path):
    one, two = _reranker(False), _reranker(True)
    both = split_reranker(one, two)
    both.to_file(tmp_path / "both.json")
    loaded = AlignedReranker.from_file(tmp_path / "both.json")
    query, cands = _clip(0), [_clip(i) for i in range(1, 5)]
    single, double = [Edit(ADD, "dog")], [Edit(ADD, "dog"), Edit(LOUDER, "rain", True)]
    for reranker in (both, loaded):
        np.testing.assert_allclose(reranker.evidence(single, query, cands), one.evidence(single, query, cands),
                                   rtol=1e-5, atol=1e-5)  # the file keeps 7 decimals
        np.testing.assert_allclose(reranker.evidence(double, query, cands), two.evidence(double, query, cands),
                                   rtol=1e-5, atol=1e-5)
    assert not np.allclose(one.evidence(double, query, cands), two.evidence(double, query, cands))


def test_files_that_do_not_fit_together_are_refused():
    with pytest.raises(ValueError, match="differ in k"):
        split_reranker(_reranker(False), replace(_reranker(True), k=60))
    with pytest.raises(ValueError, match="need a network"):
        split_reranker(replace(_reranker(False), network=None), _reranker(True))


def _random_network(features: int, context: bool, seed: int) -> EditNetwork:
    rng = np.random.default_rng(seed)
    rows = features + (2 if context else 1) * len(KINDS)
    return EditNetwork(rng.normal(size=features), rng.uniform(0.5, 2.0, features), rng.normal(size=(rows, 6)),
                       rng.normal(size=6), rng.normal(size=6), 0.3)


def test_a_one_edit_file_reading_fewer_features_is_widened_and_scores_as_before():
    """The fifty-third round: WA80 (the networks' first 20 features) for one edit, WL80 (LEVEL_FEATURES too) for two."""
    fewer = FEATURES + EXTRA_FEATURES
    one = AlignedReranker(np.zeros((len(KINDS), len(fewer))), 20, 0.05, "", fewer,
                          _random_network(len(fewer), True, 1), 0.3, 0.1)
    two = AlignedReranker(np.zeros((len(KINDS), len(ALL_FEATURES))), 20, 0.05, "", ALL_FEATURES,
                          _random_network(len(ALL_FEATURES), True, 2), 0.3, 0.1)
    both = split_reranker(one, two)
    assert both.features == ALL_FEATURES and both.network.context
    query, cands = _clip(0), [_clip(i) for i in range(1, 5)]
    single, double = [Edit(ADD, "dog")], [Edit(ADD, "dog"), Edit(LOUDER, "rain", True)]
    np.testing.assert_allclose(both.evidence(single, query, cands), one.evidence(single, query, cands), rtol=1e-9)
    np.testing.assert_allclose(both.evidence(double, query, cands), two.evidence(double, query, cands), rtol=1e-9)
    with pytest.raises(ValueError, match="differ in features"):
        split_reranker(two, one)  # the wider file for one edit: not widened down
