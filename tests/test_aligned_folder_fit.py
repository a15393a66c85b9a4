"""training.aligned_folder_fit: the dev lists' loss, with two-edit lists counted more (the fifty-seventh round)."""

from __future__ import annotations

import torch

from model.aligned_rerank import ALL_FEATURES
from model.edits import KINDS
from training.aligned_folder_fit import train_mixed
from training.aligned_mlp import EditMLP

LISTS, CANDS = 12, 5


def _lists(seed: int) -> tuple[tuple[torch.Tensor, ...], tuple[torch.Tensor, ...]]:
    g = torch.Generator().manual_seed(seed)
    cos = torch.rand(LISTS, CANDS, generator=g)
    feats = torch.randn(LISTS, 2, CANDS, len(ALL_FEATURES), generator=g)
    kinds = torch.zeros(LISTS, 2, len(KINDS))
    kinds[:, 0, 0] = 1.0  # every list has an "add"
    kinds[LISTS // 2:, 1, 3] = 1.0  # the second half is two-edit ("add" + "quieter")
    target = torch.randint(0, CANDS, (LISTS,), generator=g)
    mask = torch.ones(LISTS, CANDS, dtype=torch.bool)
    folder = (cos[:2], feats[:2], kinds[:2], torch.ones(2, CANDS, dtype=torch.bool), mask[:2])
    return (cos, feats, kinds, target, mask), folder


def _fit(two_edit_weight: float) -> torch.Tensor:
    dev, folder = _lists(0)
    torch.manual_seed(0)
    model = EditMLP(len(ALL_FEATURES), 4, True)
    train_mixed(model, dev, folder, 0.0, epochs=3, lr=0.01, wd=0.0, batch=LISTS, two_edit_weight=two_edit_weight)
    return torch.cat([p.detach().flatten() for p in model.parameters()])


def test_weight_one_is_the_plain_mean_and_another_weight_changes_the_fit():
    plain = _fit(1.0)
    assert torch.equal(plain, _fit(1.0))
    assert not torch.allclose(plain, _fit(2.0))
    assert torch.allclose(plain, _fit(1.0 + 1e-9), atol=1e-5)  # the weighted path is the same mean at weight 1
