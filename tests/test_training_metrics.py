"""Difference groups and the contrastive loss against brute-force references."""

from __future__ import annotations

import pytest
import torch

from training.losses import multi_positive_infonce
from training.pairset import difference_groups


def test_difference_groups() -> None:
    keys = difference_groups(["bg_louder", "event_added:dog"])
    assert {"bg_louder", "kind:bg_louder", "family:background", "event_added:dog", "kind:event_added",
            "family:event", "n_diffs:2"} == set(keys)


def test_infonce_matches_reference() -> None:
    torch.manual_seed(0)
    q = torch.nn.functional.normalize(torch.randn(5, 8), dim=-1)
    k = torch.nn.functional.normalize(torch.randn(5, 8), dim=-1)
    scale = torch.tensor(10.0)
    eye = torch.eye(5, dtype=torch.bool)
    ref = 0.5 * (torch.nn.functional.cross_entropy(scale * q @ k.T, torch.arange(5))
                 + torch.nn.functional.cross_entropy(scale * k @ q.T, torch.arange(5)))
    assert float(multi_positive_infonce(q, k, eye, scale)) == pytest.approx(float(ref), rel=1e-5)
    # duplicate targets: pairs 0 and 1 share a target, both count as positives
    pos = eye.clone()
    pos[0, 1] = pos[1, 0] = True
    logits = scale * q @ k.T
    row0 = -(torch.logsumexp(logits[0, :2], 0) - torch.logsumexp(logits[0], 0))
    loss = multi_positive_infonce(q, k, pos, scale)
    assert float(loss) < float(ref) and row0 < -torch.log_softmax(logits[0], 0)[0]
