"""Shared test helpers: generated audio and a randomly initialised heads checkpoint."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import soundfile as sf

from training.random_heads import TEST_CLASSES, make_random_heads

__all__ = ["TEST_CLASSES", "make_random_heads", "noise", "tone", "write_wav"]


def tone(freq: float, seconds: float, sr: int = 16_000, amp: float = 0.5) -> np.ndarray:
    t = np.arange(int(seconds * sr)) / sr
    return (amp * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def noise(seconds: float, sr: int = 16_000, amp: float = 0.2, seed: int = 0) -> np.ndarray:
    return (amp * np.random.default_rng(seed).standard_normal(int(seconds * sr))).astype(np.float32)


def write_wav(path: Path, samples: np.ndarray, sr: int = 16_000) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    sf.write(str(path), samples, sr)
    return path


@dataclass
class ReverseReranker:
    """A stand-in: puts its first k hits in reverse cosine order and records what it was given."""

    k: int = 5
    calls: list = field(default_factory=list)

    lengths: list = field(default_factory=list)

    def evidence(self, edits, query, candidates, lengths=None) -> np.ndarray:
        self.calls.append((list(edits), query, list(candidates)))
        self.lengths.append(lengths)
        return np.zeros(len(candidates))

    def readable(self, candidates, lengths=None) -> list:
        return list(candidates)

    def within_gate(self, query_seconds, candidate_seconds) -> bool:
        return True

    def order(self, cosines, evidence) -> np.ndarray:
        return np.arange(len(cosines))[::-1]
