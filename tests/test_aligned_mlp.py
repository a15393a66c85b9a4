"""The reranker's network: the numpy twin the app runs scores as the torch model it was fitted as."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from model.aligned_rerank import ALL_FEATURES, AlignedReranker, RerankFileError
from model.edits import KINDS
from training.aligned_mlp import EditMLP


def _model_and_twin(hidden: int = 8, context: bool = False):
    torch.manual_seed(0)
    model = EditMLP(len(ALL_FEATURES), hidden, context)
    mean, std = torch.randn(len(ALL_FEATURES)), torch.rand(len(ALL_FEATURES)) + 0.5
    return model, mean, std, model.network(mean, std)


@pytest.mark.parametrize("context", [False, True])
def test_numpy_twin_matches_torch(context):
    model, mean, std, net = _model_and_twin(context=context)
    assert net.context is context
    feats = torch.randn(1, 2, 5, len(ALL_FEATURES))  # one query, two edits, five candidates
    kinds = torch.zeros(1, 2, len(KINDS))
    kinds[0, 0, 0] = kinds[0, 1, 3] = 1.0  # add, then quieter
    expected = model((feats - mean) / std, kinds)[0].detach().numpy()
    got = net.scores(feats[0].numpy().astype(np.float64), [0, 3])
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5)
    one = torch.zeros(1, 2, len(KINDS))
    one[0, 0, 2] = 1.0  # one edit ("louder"): the second slot is padding
    expected = model((feats - mean) / std, one)[0].detach().numpy()
    np.testing.assert_allclose(net.scores(feats[0, :1].numpy().astype(np.float64), [2]), expected, rtol=1e-5,
                               atol=1e-5)
    each = sum(net.scores(feats[0, i:i + 1].numpy().astype(np.float64), [kind]) for i, kind in enumerate((0, 3)))
    assert np.allclose(each, got) is not context  # with context, each edit's score depends on the other's kind


@pytest.mark.parametrize("context", [False, True])
def test_network_file_round_trip_and_errors(tmp_path, context):
    _, _, _, net = _model_and_twin(context=context)
    reranker = AlignedReranker(np.zeros((len(KINDS), len(ALL_FEATURES))), 20, 0.05, "", ALL_FEATURES, net)
    reranker.to_file(tmp_path / "net.json")
    loaded = AlignedReranker.from_file(tmp_path / "net.json")
    feats = np.random.default_rng(0).standard_normal((1, 4, len(ALL_FEATURES)))
    # the file keeps 7 decimals
    np.testing.assert_allclose(loaded.network.scores(feats, [1]), net.scores(feats, [1]), rtol=1e-6, atol=1e-6)
    data = json.loads((tmp_path / "net.json").read_text())
    data["network"]["w1"] = data["network"]["w1"][:-1]  # one input row short
    (tmp_path / "bad.json").write_text(json.dumps(data))
    with pytest.raises(RerankFileError, match="malformed"):
        AlignedReranker.from_file(tmp_path / "bad.json")


def test_training_gate_reads_the_lengths_the_app_reads():
    from model.aligned_rerank import patch_span_seconds, same_length
    from training.aligned_mlp import readable

    patches = torch.tensor([[10, 10, 13, 14, 7, 6, 1], [3, 3, 2, 4, 1, 5, 0]])  # query, then six candidates
    got = readable(patches, 0.3, 0.1).numpy()
    for i, row in enumerate(patches.tolist()):
        q = patch_span_seconds(row[0])
        expected = [same_length(q, patch_span_seconds(c), 0.3, 0.1) for c in row[1:]]
        assert got[i].tolist() == expected
    assert got[0].tolist() == [True, True, False, True, False, False]  # 10 patches 5.28 s: 1.58 s either way


def test_gated_evidence_in_training_is_the_apps():
    """Training fills a gated-out candidate with the readable ones' mean, as AlignedReranker.evidence does."""
    from training.aligned_mlp import gated

    model, mean, std, net = _model_and_twin()
    feats = torch.randn(1, 2, 5, len(ALL_FEATURES))
    kinds = torch.zeros(1, 2, len(KINDS))
    kinds[0, 0, 1] = 1.0  # one edit: remove
    mask = torch.tensor([[True, False, True, False, True]])
    got = gated(model((feats - mean) / std, kinds), mask)[0].detach().numpy()
    readable = net.scores(feats[0, :1, [0, 2, 4]].numpy().astype(np.float64), [1])
    expected = np.array([readable[0], readable.mean(), readable[1], readable.mean(), readable[2]])
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5)
    none = gated(model((feats - mean) / std, kinds), torch.zeros(1, 5, dtype=torch.bool))
    assert torch.all(none == 0)  # nothing readable: the cosine order stays


def test_deep_tables_load_from_another_folder_cut_to_their_first_candidates(tmp_path):
    """load_deep(root=...) reads the tables of a --more-dev folder as it reads k<K>/: cut to the first ``use``
    candidates (a target beyond them is a miss) and to the features a fit names."""
    from training.aligned_mlp import NETWORK_FEATURES, load_deep

    n, k, f = 4, 6, len(ALL_FEATURES)
    cos, feats = torch.randn(n, k), torch.randn(n, 2, k, f)
    kinds, target = torch.zeros(n, 2, len(KINDS)), torch.tensor([0, 2, 5, -1])
    torch.save((cos, feats, kinds, target, torch.ones(n, k + 1, dtype=torch.long)), tmp_path / "extra_dev.pt")
    torch.save((cos,), tmp_path / "extra_val.pt")  # another split's table is not read
    got = load_deep(k, "dev", 3, NETWORK_FEATURES, root=tmp_path)
    assert list(got) == ["extra"]
    g_cos, g_feats, _, g_target, g_patches = got["extra"]
    assert g_cos.shape == (n, 3) and g_patches.shape == (n, 4)
    assert g_feats.shape == (n, 2, 3, len(NETWORK_FEATURES))
    assert torch.equal(g_feats, feats[:, :, :3, : len(NETWORK_FEATURES)])  # NETWORK_FEATURES lead ALL_FEATURES
    assert g_target.tolist() == [0, 2, -1, -1]
    assert load_deep(k, "dev", 3, root=tmp_path / "empty") == {}


def test_another_heads_files_lists_go_to_their_own_folder(monkeypatch, tmp_path):
    """NUDGE_RERANK_HEADS / NUDGE_RERANK_LISTS: the heads the lists and fits are for, and where those lists live;
    the shipped heads' lists stay where every earlier round wrote them."""
    import importlib

    import training.aligned_mlp as aligned_mlp

    heads = tmp_path / "other.safetensors"
    monkeypatch.setenv("NUDGE_RERANK_HEADS", str(heads))
    monkeypatch.setenv("NUDGE_RERANK_LISTS", str(tmp_path / "lists"))
    other = importlib.reload(aligned_mlp)
    assert other.HEADS == heads and other.deep_path(80, "v2", "dev") == tmp_path / "lists" / "k80" / "v2_dev.pt"
    monkeypatch.delenv("NUDGE_RERANK_HEADS")
    monkeypatch.delenv("NUDGE_RERANK_LISTS")
    shipped = importlib.reload(aligned_mlp)
    assert shipped.HEADS.name == "nudge_heads.safetensors" and shipped.deep_path(80, "v2", "dev").parent == \
        shipped.OUT / "k80"


def test_lists_built_for_other_heads_are_never_fitted_on(monkeypatch, tmp_path):
    """A lists folder names the heads its cosine top K came from; loading it for other heads stops with a message."""
    import training.aligned_mlp as aligned_mlp

    ours, other = tmp_path / "ours.safetensors", tmp_path / "other.safetensors"
    ours.write_bytes(b"heads one")
    other.write_bytes(b"heads two")
    n, k = 2, 4
    table = (torch.zeros(n, k), torch.zeros(n, 1, k, len(ALL_FEATURES)), torch.zeros(n, 1, len(KINDS)),
             torch.zeros(n, dtype=torch.long), torch.ones(n, k + 1, dtype=torch.long))
    torch.save(table, tmp_path / "v2_dev.pt")
    monkeypatch.setattr(aligned_mlp, "HEADS", ours)
    assert list(aligned_mlp.load_deep(k, "dev", k, root=tmp_path)) == ["v2"]  # an unmarked folder reads
    aligned_mlp.check_heads(tmp_path, mark=True)
    assert list(aligned_mlp.load_deep(k, "dev", k, root=tmp_path)) == ["v2"]
    monkeypatch.setattr(aligned_mlp, "HEADS", other)
    with pytest.raises(SystemExit, match="built for other heads"):
        aligned_mlp.load_deep(k, "dev", k, root=tmp_path)
    with pytest.raises(SystemExit, match="NUDGE_RERANK_LISTS"):
        aligned_mlp.check_heads(tmp_path, mark=True)  # a build into that folder stops too
