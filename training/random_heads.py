"""Randomly initialised heads checkpoints: for plumbing tests and speed benchmarks, never for quality."""

from __future__ import annotations

from pathlib import Path

import torch

from model.checkpoint import save_heads
from model.heads import HeadsConfig, NudgeHeads

TEST_CLASSES = ["rain", "car_passing", "thunder", "dog", "car_horn", "church_bells", "chirping_birds", "footsteps"]


def make_random_heads(path: Path, seed: int = 0, embed_dim: int = 32) -> Path:
    """Untrained but valid heads: for plumbing tests, never for quality claims."""
    torch.manual_seed(seed)
    heads = NudgeHeads(HeadsConfig(embed_dim=embed_dim, class_names=list(TEST_CLASSES)))
    save_heads(heads.eval(), path, extra={"note": "random init for tests"})
    return path
