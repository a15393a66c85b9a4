"""Helpers for the library/search tests: small generated sound folders and a service factory."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from app.config import IndexConfig
from app.service import SearchService
from tests.helpers import noise, tone, write_wav

SAMPLE_RATES = (16_000, 22_050, 44_100, 48_000)


def clip(i: int, seconds: float = 1.0, sr: int = 16_000) -> np.ndarray:
    """A distinct little sound per index: a tone (frequency from i) over noise (seeded by i)."""
    freq = 150.0 * (1.0 + (i * 0.37) % 20)
    return tone(freq, seconds, sr, amp=0.2 + 0.05 * (i % 5)) + noise(seconds, sr, amp=0.05 * (1 + i % 3), seed=i)


def make_clips(folder: Path, n: int, seconds: float = 1.0, start: int = 0, stereo_every: int = 3) -> list[Path]:
    """n wav files with varied sample rates and channel counts."""
    paths = []
    for i in range(start, start + n):
        sr = SAMPLE_RATES[i % len(SAMPLE_RATES)]
        x = clip(i, seconds, sr)
        if stereo_every and i % stereo_every == 0:
            x = np.stack([x, 0.5 * x], axis=1)
        paths.append(write_wav(folder / f"clip_{i:03d}.wav", x, sr))
    return paths


def service(tmp_path: Path, encoder, **config) -> SearchService:
    """A service on a fresh data dir; in-process extraction unless workers is given."""
    cfg = IndexConfig(**({"workers": 0} | config))
    return SearchService(tmp_path / "data", encoder=encoder, config=cfg)


def imported_library(tmp_path: Path, encoder, n: int, **config) -> tuple[SearchService, list[Path]]:
    """A service with n clips of tmp_path/lib imported, and the clips' paths."""
    paths = make_clips(tmp_path / "lib", n)
    svc = service(tmp_path, encoder, **config)
    svc.import_folders([tmp_path / "lib"])
    return svc, paths
