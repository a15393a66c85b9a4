"""Shared test helpers: generated audio and a randomly initialised heads checkpoint."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import soundfile as sf
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


def tone(freq: float, seconds: float, sr: int = 16_000, amp: float = 0.5) -> np.ndarray:
    t = np.arange(int(seconds * sr)) / sr
    return (amp * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def noise(seconds: float, sr: int = 16_000, amp: float = 0.2, seed: int = 0) -> np.ndarray:
    return (amp * np.random.default_rng(seed).standard_normal(int(seconds * sr))).astype(np.float32)


def write_wav(path: Path, samples: np.ndarray, sr: int = 16_000) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    sf.write(str(path), samples, sr)
    return path
