"""Auxiliary training losses: per-class levels from Scaper annotations, level MSE, edit contrast."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch

from model.heads import HeadsConfig, NudgeHeads
from training.levels import clip_levels
from training.losses import masked_level_mse, nudge_loss
from training.pair_sampler import REF_DB
from training.scenes import ALL_CLASSES


def _jams(path: Path, ref_db: float, events: list[tuple[str, str, float]]) -> Path:
    data = [{"value": {"label": label, "role": role, "snr": snr}} for label, role, snr in events]
    doc = {"annotations": [{"namespace": "scaper", "sandbox": {"scaper": {"ref_db": ref_db}}, "data": data}]}
    path.write_text(json.dumps(doc))
    return path


def test_clip_levels_are_relative_to_the_reference(tmp_path: Path) -> None:
    path = _jams(tmp_path / "b.jams", REF_DB + 8.0,
                 [("rain", "background", 0.0), ("dog", "foreground", 5.5)])
    levels = clip_levels(path)
    assert levels.shape == (len(ALL_CLASSES),)
    assert levels[ALL_CLASSES.index("rain")] == pytest.approx(8.0)  # background made 8 dB louder
    assert levels[ALL_CLASSES.index("dog")] == pytest.approx(13.5)
    assert np.isnan(levels[ALL_CLASSES.index("thunder")])


def test_masked_level_mse_ignores_absent_classes() -> None:
    target = torch.tensor([[1.0, float("nan")], [float("nan"), -1.0]])
    predicted = torch.tensor([[0.0, 100.0], [100.0, 1.0]])
    assert float(masked_level_mse(predicted, target)) == pytest.approx((1.0 + 4.0) / 2)


def test_auxiliary_terms_add_to_the_loss_and_reach_every_head() -> None:
    torch.manual_seed(0)
    heads = NudgeHeads(HeadsConfig(embed_dim=16, class_names=list(ALL_CLASSES)))
    n = 6
    feat_a, feat_b = torch.randn(n, 1040), torch.randn(n, 1040)
    feat_t = torch.randn(n, 384)
    labels = torch.zeros(n, len(ALL_CLASSES))
    args = (heads, feat_a, feat_t, feat_b, torch.arange(n), labels, labels, torch.tensor(10.0), 0.0)
    base, parts = nudge_loss(*args)
    assert set(parts) == {"contrastive", "loss"}
    levels = torch.full((n, len(ALL_CLASSES)), float("nan"))
    levels[:, 0] = 0.5
    regressor = torch.nn.Linear(16, len(ALL_CLASSES))
    edit_ids = torch.tensor([0, 0, 1, 1, 2, 2])
    total, parts = nudge_loss(*args, levels=(levels, levels, regressor, 2.0), edits=(edit_ids, 0.5))
    assert float(total.detach()) == pytest.approx(parts["contrastive"] + 2.0 * parts["level_mse"] + 0.5 * parts["edit"],
                                         rel=1e-5)
    assert float(total.detach()) > float(base.detach())
    total.backward()
    assert regressor.weight.grad is not None and heads.text.linear1.weight.grad.abs().sum() > 0


def test_residual_composer_starts_as_the_sum_and_round_trips(tmp_path: Path) -> None:
    from model.checkpoint import load_heads, save_heads

    torch.manual_seed(0)
    heads = NudgeHeads(HeadsConfig(embed_dim=16, class_names=list(ALL_CLASSES), composer="residual")).eval()
    a, t = torch.randn(3, 16), torch.randn(3, 16)
    assert torch.allclose(heads.compose(a, t, 2.0), a + 2.0 * t)  # zero-initialized correction
    torch.nn.init.normal_(heads.composer[2].weight)
    moved = heads.compose(a, t)
    assert not torch.allclose(moved, a + t)
    save_heads(heads, tmp_path / "h.safetensors")
    loaded = load_heads(tmp_path / "h.safetensors")
    assert loaded.config.composer == "residual" and torch.allclose(loaded.compose(a, t), moved)
    with pytest.raises(ValueError, match="composer"):
        NudgeHeads(HeadsConfig(composer="concat"))


def test_self_negatives_add_only_each_marked_pairs_own_clip_a() -> None:
    from training.losses import multi_positive_infonce

    torch.manual_seed(1)
    heads = NudgeHeads(HeadsConfig(embed_dim=16, class_names=list(ALL_CLASSES)))
    heads.eval()
    n = 4
    feat_a, feat_b, feat_t = torch.randn(n, 1040), torch.randn(n, 1040), torch.randn(n, 384)
    labels = torch.zeros(n, len(ALL_CLASSES))
    b_ids, a_ids = torch.arange(10, 10 + n), torch.tensor([0, 0, 1, 12])  # pair 3's clip a is pair 2's target
    args = (heads, feat_a, feat_t, feat_b, b_ids, labels, labels, torch.tensor(10.0), 0.0)
    base = float(nudge_loss(*args)[0])
    none = torch.zeros(n, dtype=torch.bool)
    assert float(nudge_loss(*args, self_negatives=(a_ids, none))[0]) == pytest.approx(base)
    marked = torch.tensor([True, False, True, True])
    with_self = float(nudge_loss(*args, self_negatives=(a_ids, marked))[0])
    # the reference: each marked pair's own A(a) as one more negative of its query, nothing else
    from training.losses import compose

    emb_a, _, _, query, key = compose(heads, feat_a, feat_t, feat_b)
    extra = torch.nn.functional.normalize(emb_a, dim=-1)
    expected = multi_positive_infonce(query, key, torch.eye(n, dtype=torch.bool), torch.tensor(10.0), extra,
                                      torch.diag(marked))
    assert with_self == pytest.approx(float(expected), rel=1e-6) and with_self > base
    a_is_target = torch.tensor([0, 0, 1, 12]), torch.tensor([False, False, False, True])
    b_ids_3 = b_ids.clone()
    b_ids_3[3] = 12  # clip a of pair 3 is its own target: no self-negative
    args3 = (heads, feat_a, feat_t, feat_b, b_ids_3, labels, labels, torch.tensor(10.0), 0.0)
    assert float(nudge_loss(*args3, self_negatives=a_is_target)[0]) == pytest.approx(float(nudge_loss(*args3)[0]))
