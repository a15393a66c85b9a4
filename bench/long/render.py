"""Signal side of the long files: beds of any length from short takes, events planted at a given SNR.

Levels are RMS in dB over a signal's active part (frames within 30 dB of its loudest 50 ms frame), so
a short bark and a steady bed compare as a listener would; the SNR of an event is its active level
over the bed's level.
"""

from __future__ import annotations

import numpy as np

SAMPLE_RATE = 16_000
CROSSFADE_SECONDS = 1.0
BED_DB = -28.0  # bed level, dBFS RMS
REPEAT_BELOW = 1.5  # events shorter than this (one honk, one bark) are repeated 2-4 times
_FRAME = 800  # 50 ms


def active_db(x: np.ndarray) -> float:
    """RMS level in dB of the frames within 30 dB of the loudest frame."""
    n = max(1, len(x) // _FRAME)
    frames = x[: n * _FRAME].reshape(n, -1) if len(x) >= _FRAME else x[None]
    power = (frames.astype(np.float64) ** 2).mean(axis=1) + 1e-20
    active = power[power >= power.max() * 1e-3]
    return float(10 * np.log10(active.mean()))


def set_level(x: np.ndarray, db: float) -> np.ndarray:
    return (x * 10 ** ((db - active_db(x)) / 20)).astype(np.float32)


def bed_track(take: np.ndarray, seconds: float, rng: np.random.Generator) -> np.ndarray:
    """``take`` looped to ``seconds``: chunks from random offsets (at least 2 s or the whole take), joined
    with equal-power crossfades, at BED_DB."""
    total = int(seconds * SAMPLE_RATE)
    fade = min(int(CROSSFADE_SECONDS * SAMPLE_RATE), len(take) // 4)
    ramp = np.sin(np.linspace(0, np.pi / 2, fade, dtype=np.float32)) if fade else np.zeros(0, np.float32)
    out = np.zeros(total + len(take), dtype=np.float32)
    pos = 0
    min_chunk = min(len(take), 2 * SAMPLE_RATE)
    while pos < total:
        length = int(rng.integers(min_chunk, len(take) + 1))
        start = int(rng.integers(0, len(take) - length + 1))
        chunk = take[start : start + length].astype(np.float32).copy()
        if fade and pos:
            chunk[:fade] *= ramp
            out[pos : pos + fade] *= ramp[::-1]
        out[pos : pos + length] += chunk
        pos += length - fade
    return set_level(out[:total], BED_DB)


def event_sound(clip: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A planted event: the clip, or for a very short one (a honk, a bark) 2-4 repeats 0.2-0.6 s apart."""
    if len(clip) >= REPEAT_BELOW * SAMPLE_RATE:
        return clip.astype(np.float32)
    parts = []
    for i in range(int(rng.integers(2, 5))):
        if i:
            parts.append(np.zeros(int(rng.uniform(0.2, 0.6) * SAMPLE_RATE), dtype=np.float32))
        parts.append(clip.astype(np.float32))
    return np.concatenate(parts)


def plant(track: np.ndarray, event: np.ndarray, at: float, snr_db: float) -> tuple[float, float]:
    """Add ``event`` to ``track`` at ``at`` seconds, ``snr_db`` over the bed; returns its (start, end) s."""
    start = int(at * SAMPLE_RATE)
    event = set_level(event, BED_DB + snr_db)[: len(track) - start]
    track[start : start + len(event)] += event
    return start / SAMPLE_RATE, (start + len(event)) / SAMPLE_RATE


def loop_to(clip: np.ndarray, seconds: float, rng: np.random.Generator) -> np.ndarray:
    """A query clip of ``seconds`` from ``clip`` (a random excerpt, or the clip looped when shorter)."""
    n = int(seconds * SAMPLE_RATE)
    if len(clip) >= n:
        start = int(rng.integers(0, len(clip) - n + 1))
        return set_level(clip[start : start + n], BED_DB)
    return bed_track(clip, seconds, rng)
