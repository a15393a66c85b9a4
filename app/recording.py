"""Microphone takes: find the sound between silences (trim), and store a take as the query file."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from model.audio_io import write_wav

SILENCE_DB = -45.0  # below this (dBFS, 10 ms frames) is silence for trimming
PAD_SECONDS = 0.05  # kept around the sound


def sound_bounds(samples: np.ndarray, sr: int, threshold_db: float = SILENCE_DB,
                 pad: float = PAD_SECONDS) -> tuple[float, float]:
    """(start, end) seconds of the part louder than the threshold, padded; the whole take if all silent."""
    x = np.asarray(samples, dtype=np.float32).reshape(len(samples), -1).mean(axis=1)
    duration = len(x) / sr
    frame = max(1, int(0.01 * sr))
    n = len(x) // frame
    if n == 0:
        return 0.0, duration
    rms = np.sqrt(np.mean(x[: n * frame].reshape(n, frame) ** 2, axis=1))
    loud = np.flatnonzero(20 * np.log10(np.maximum(rms, 1e-10)) > threshold_db)
    if loud.size == 0:
        return 0.0, duration
    start = max(0.0, loud[0] * frame / sr - pad)
    end = min(duration, (loud[-1] + 1) * frame / sr + pad)
    return start, end


def trim(samples: np.ndarray, sr: int, start: float, end: float) -> np.ndarray:
    a, b = int(round(max(start, 0.0) * sr)), int(round(end * sr))
    if b - a < 1:
        raise ValueError("the trimmed take is empty: move the end after the start")
    return np.asarray(samples)[a:b]


def save_take(samples: np.ndarray, sr: int, folder: Path) -> Path:
    """Write a take as take-YYYYmmdd-HHMMSS.wav (numbered when taken) in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    stem = time.strftime("take-%Y%m%d-%H%M%S")
    path, n = folder / f"{stem}.wav", 2
    while path.exists():
        path, n = folder / f"{stem}-{n}.wav", n + 1
    write_wav(path, samples, sr)
    return path
