"""Searches in a folder of single recordings recorded as the reranker reads them (training.folder_lists), and the
fit's term on them (training.aligned_folder_fit)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest
import torch

from model.aligned_rerank import ALL_FEATURES, AlignedReranker, same_length
from model.edits import KINDS, LOUDER, QUIETER
from tests.helpers import write_wav
from tests.library_helpers import clip
from training.aligned_folder_fit import folder_loss, folder_top_share
from training.aligned_mlp import EditMLP
from training.folder_lists import build, searches

LABELS = ("dog", "dog", "dog", "car_horn", "car_horn", "thunder", "thunder", "rain", "rain")


def _catalog(root: Path) -> Path:
    """A catalog of the LABELS' files (one of 3 s among 1 s ones, so the length gate drops it for 1 s queries)."""
    (root / "audio").mkdir(parents=True)
    fields = ["clip_id", "file", "label", "split"]
    with open(root / "catalog.csv", "w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields)
        writer.writeheader()
        for i, label in enumerate(LABELS):
            name = f"audio/{label}_{i}.wav"
            write_wav(root / name, clip(i, 3.0 if i == 4 else 1.0))
            writer.writerow({"clip_id": f"c{i}", "file": name, "label": label, "split": "train"})
    return root


def test_every_file_gets_a_level_word_and_two_added_sounds():
    labels = {Path(f"/x/{i}.wav"): label for i, label in enumerate(LABELS)}
    plan = searches(labels, seed=0)
    assert len(plan) == 9 + 2 * 9  # every class has two files: one level search and two "add" searches each
    for query, words, wanted in plan:
        if words.startswith("make"):
            assert wanted == labels[query] and words.endswith(("quieter", "louder"))
        else:
            assert wanted != labels[query] and wanted not in ("rain",)  # a background is never "added"


def test_recorded_lists_hold_what_the_reranker_read(tmp_path, encoder):
    catalog = _catalog(tmp_path / "catalog")
    rerank = json.loads(Path("assets/nudge_rerank.json").read_text()) | {"heads_sha256": ""}
    (tmp_path / "rerank.json").write_text(json.dumps(rerank))
    lists = build(catalog, "train", 8, tmp_path / "rerank.json", tmp_path / "lists.pt", encoder=encoder, workers=0)
    saved = torch.load(tmp_path / "lists.pt")
    n = len(lists["cos"])
    assert n > 0 and torch.equal(saved["right"], lists["right"])
    assert lists["feats"].shape == (n, 2, 8, len(ALL_FEATURES)) and lists["kinds"].shape == (n, 2, len(KINDS))
    assert bool(lists["right"].any(1).all())  # lists without a right answer are left out
    level = lists["kinds"][:, 0, [KINDS.index(QUIETER), KINDS.index(LOUDER)]].sum(1) > 0
    assert bool(level.any()) and bool((~level).any())
    assert int(lists["right"][level].sum(1).max()) <= 2  # the query is not among its results: two other dogs at most
    assert torch.all(lists["kinds"].sum(-1)[:, 0] == 1)
    unread = ~lists["readable"]
    assert bool(unread.any())  # the 3 s file, for 1 s queries
    assert float(lists["feats"][:, 0][unread].abs().sum()) == 0.0  # no features where the gate read nothing
    gate = AlignedReranker.from_file(tmp_path / "rerank.json")
    assert not same_length(1.0, 3.0, gate.length_tolerance, gate.length_floor)


def test_folder_term_is_cross_entropy_with_one_right_answer_and_rewards_mass_on_several():
    logits = torch.tensor([[2.0, 1.0, 0.0, -1.0]])
    one = torch.tensor([[False, True, False, False]])
    expected = torch.nn.functional.cross_entropy(logits, torch.tensor([1]))
    assert torch.isclose(folder_loss(logits, one), expected)
    two = torch.tensor([[False, True, True, False]])
    assert folder_loss(logits, two) < folder_loss(logits, one)


def test_top_share_counts_the_right_answers_the_reranked_top_holds():
    torch.manual_seed(0)
    model = EditMLP(len(ALL_FEATURES), 4)
    for p in model.parameters():
        torch.nn.init.zeros_(p)  # no evidence: the order is the scores'
    cos = torch.tensor([[0.9, 0.8, 0.7, 0.6], [0.1, 0.2, 0.3, 0.4]])
    feats = torch.zeros(2, 2, 4, len(ALL_FEATURES))
    kinds = torch.zeros(2, 2, len(KINDS))
    kinds[:, 0, 0] = 1.0
    right = torch.tensor([[True, False, False, True], [True, False, False, False]])
    readable = torch.ones(2, 4, dtype=torch.bool)
    share = folder_top_share(model, (cos, feats, kinds, right, readable), top=2)
    assert np.isclose(share, (1 / 2 + 0 / 2) / 2)


def test_a_fit_can_start_from_a_fitted_network_and_stay_near_it():
    """start_from copies a network (the new context rows at zero, so it scores as before) and the anchor keeps a
    strongly pulled fit close to it."""
    from training.aligned_folder_fit import anchor_penalty, start_from, train_mixed

    torch.manual_seed(0)
    f, hidden = len(ALL_FEATURES), 8
    fitted = EditMLP(f, hidden)
    mean, std = torch.zeros(f, dtype=torch.float64), torch.ones(f, dtype=torch.float64)
    start = fitted.network(mean, std)
    model = EditMLP(f, hidden, context=True)
    start_from(model, start, mean, std)
    feats, kinds = torch.randn(3, 2, 5, f), torch.zeros(3, 2, len(KINDS))
    kinds[:, 0, 0] = 1.0
    kinds[:2, 1, 2] = 1.0  # two lists with two edits, one with one
    with torch.no_grad():
        plain = fitted(feats, kinds)
        assert torch.allclose(model(feats, kinds), plain, atol=1e-5)
    at_start = [p.detach().clone() for p in model.parameters()]
    assert float(anchor_penalty(model, at_start)) == 0.0
    dev = (torch.randn(3, 5), feats, kinds, torch.tensor([1, 2, 3]), torch.ones(3, 5, dtype=torch.bool))
    folder = (torch.randn(2, 5), feats[:2], kinds[:2], torch.zeros(2, 5, dtype=torch.bool).index_fill(1,
              torch.tensor([0]), True), torch.ones(2, 5, dtype=torch.bool))
    free = EditMLP(f, hidden, context=True)
    start_from(free, start, mean, std)
    train_mixed(free, dev, folder, 0.1, epochs=40, lr=0.05, wd=0.0)
    train_mixed(model, dev, folder, 0.1, epochs=40, lr=0.05, wd=0.0, anchor=100.0)
    assert float(anchor_penalty(model, at_start)) < 0.1 * float(anchor_penalty(free, at_start))
    other = EditMLP(f, hidden, context=True)  # fitted on other dev lists: another standardization
    start_from(other, start, mean + 1.0, std * 2.0)
    with torch.no_grad():
        assert torch.allclose(other((feats - 1.0) / 2.0, kinds), plain, atol=1e-5)  # the same raw features


def test_a_start_network_without_the_level_features_scores_as_before():
    """start_from maps a network's rows by feature name: the features it did not read (the fifty-second round's
    LEVEL_FEATURES) start at zero, so the new network scores as the old one on the shared features."""
    from training.aligned_folder_fit import start_from
    from training.aligned_mlp import LEVEL_NETWORK_FEATURES, NETWORK_FEATURES

    torch.manual_seed(1)
    old, new, hidden = len(NETWORK_FEATURES), len(LEVEL_NETWORK_FEATURES), 8
    fitted = EditMLP(old, hidden, context=True)
    mean, std = torch.randn(new, dtype=torch.float64), torch.rand(new, dtype=torch.float64) + 0.5
    start = fitted.network(mean[:old], std[:old])
    model = EditMLP(new, hidden, context=True)
    start_from(model, start, mean, std, LEVEL_NETWORK_FEATURES, NETWORK_FEATURES)
    feats, kinds = torch.randn(3, 2, 5, new), torch.zeros(3, 2, len(KINDS))
    kinds[:, 0, 1], kinds[:2, 1, 3] = 1.0, 1.0
    with torch.no_grad():
        assert torch.allclose(model(feats, kinds), fitted(feats[..., :old], kinds), atol=1e-5)
        assert not model.net[0].weight[:, old:new].any()
    with pytest.raises(ValueError, match="the new one does not"):
        start_from(EditMLP(old, hidden), fitted.network(mean, std), mean[:old], std[:old], NETWORK_FEATURES,
                   LEVEL_NETWORK_FEATURES)
