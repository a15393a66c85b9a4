"""Several reranker networks as one: the mean network scores as the scaled mean of their scores."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import torch

from model.aligned_rerank import ALL_FEATURES, AlignedReranker
from model.edits import KINDS
from training.aligned_ensemble import combine, mean_network
from training.aligned_mlp import EditMLP


def _networks(count: int, hidden: int = 8):
    mean, std = torch.randn(len(ALL_FEATURES)), torch.rand(len(ALL_FEATURES)) + 0.5
    nets = []
    for seed in range(count):
        torch.manual_seed(seed)
        nets.append(EditMLP(len(ALL_FEATURES), hidden).network(mean, std))
    return nets


def test_mean_network_scores_are_the_scaled_mean():
    nets = _networks(3)
    feats = np.random.default_rng(1).standard_normal((2, 6, len(ALL_FEATURES)))  # two edits, six candidates
    expected = 0.7 * np.mean([n.scores(feats, [0, 3]) for n in nets], axis=0)
    merged = mean_network(nets, 0.7)
    assert merged.w1.shape == (len(ALL_FEATURES) + len(KINDS), 24)
    np.testing.assert_allclose(merged.scores(feats, [0, 3]), expected, rtol=1e-10, atol=1e-10)


def test_networks_of_other_dev_data_are_refused():
    a, b = _networks(2)
    with pytest.raises(ValueError, match="standardize"):
        mean_network([a, dataclasses.replace(b, mean=b.mean + 1.0)])


def test_combine_writes_a_file_the_app_reads_and_checks_the_gate(tmp_path):
    nets = _networks(2)
    paths = []
    for i, net in enumerate(nets):
        paths.append(tmp_path / f"seed{i}.json")
        AlignedReranker(np.zeros((len(KINDS), len(ALL_FEATURES))), 80, 0.05, "", ALL_FEATURES, net, 0.3,
                        0.1).to_file(paths[-1], {"fit": {"seed": i}})
    combine(paths, 0.5, tmp_path / "mean.json")
    loaded = AlignedReranker.from_file(tmp_path / "mean.json")
    assert (loaded.k, loaded.length_tolerance, loaded.length_floor) == (80, 0.3, 0.1)
    feats = np.random.default_rng(2).standard_normal((1, 4, len(ALL_FEATURES)))
    expected = 0.5 * np.mean([n.scores(feats, [1]) for n in nets], axis=0)
    np.testing.assert_allclose(loaded.network.scores(feats, [1]), expected, rtol=1e-5, atol=1e-5)
    AlignedReranker(np.zeros((len(KINDS), len(ALL_FEATURES))), 60, 0.05, "", ALL_FEATURES, nets[1], 0.3,
                    0.1).to_file(paths[1])
    with pytest.raises(ValueError, match="differs"):
        combine(paths, 1.0, tmp_path / "other.json")
