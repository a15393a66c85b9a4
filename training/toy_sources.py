"""Tiny generated source library for CI: no Debian packages, a few seconds to build.

make_toy_sources(dir, seed) writes raw toy clips (noise "rain", rumbling "traffic",
tonal "bells", clicks "footsteps", ...) to <dir>/raw/<class>/ and runs the same
prepare_library() as the real pipeline, giving <dir>/prepared/ and <dir>/split.csv,
which synthesize_pairs accepts via --sources <dir>.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

from training.audio_utils import butter_filter, write_pcm16
from training.prepare_sources import RawSource, prepare_library
from training.scenes import ALL_CLASSES, SAMPLE_RATE
from training.synth_bells import bell_strike

SR = SAMPLE_RATE
FILES_PER_CLASS = 5


def _t(seconds: float) -> np.ndarray:
    return np.arange(int(seconds * SR)) / SR


def toy_rain(rng: np.random.Generator) -> np.ndarray:
    noise = rng.normal(0, 0.3, int(rng.uniform(3, 12) * SR)).astype(np.float32)
    return butter_filter(noise, "highpass", float(rng.uniform(800, 2000)))


def toy_traffic(rng: np.random.Generator) -> np.ndarray:
    t = _t(rng.uniform(3, 8))
    rumble = butter_filter(rng.normal(0, 0.5, len(t)).astype(np.float32), "lowpass", 400)
    swell = 0.6 + 0.4 * np.sin(2 * np.pi * rng.uniform(0.1, 0.4) * t)
    return (rumble * swell).astype(np.float32)


def toy_thunder(rng: np.random.Generator) -> np.ndarray:
    t = _t(rng.uniform(1.5, 3))
    boom = rng.normal(0, 1, len(t)) * np.exp(-t / rng.uniform(0.4, 0.9))
    return butter_filter(boom.astype(np.float32), "lowpass", 250)


def toy_dog(rng: np.random.Generator) -> np.ndarray:
    f0 = rng.uniform(300, 600)
    t = _t(0.25)
    bark = sum(np.sin(2 * np.pi * f0 * k * t) / k for k in range(1, 6)) * np.exp(-t / 0.08)
    gap = np.zeros(int(0.15 * SR))
    return np.concatenate([bark, gap, 0.8 * bark]).astype(np.float32)


def toy_birds(rng: np.random.Generator) -> np.ndarray:
    t = _t(0.15)
    f = rng.uniform(2500, 4500)
    chirp = np.sin(2 * np.pi * (f * t + 8000 * t ** 2)) * np.hanning(len(t))
    gap = np.zeros(int(0.1 * SR))
    return np.concatenate([chirp, gap] * int(rng.integers(3, 6))).astype(np.float32)


def toy_bells(rng: np.random.Generator) -> np.ndarray:
    return bell_strike(rng, float(rng.uniform(200, 500)), 1.5)


def toy_footsteps(rng: np.random.Generator) -> np.ndarray:
    t = _t(0.08)
    click = rng.normal(0, 1, len(t)) * np.exp(-t / 0.01)
    return butter_filter(click.astype(np.float32), "bandpass", (200, 3000))


def toy_car_horn(rng: np.random.Generator) -> np.ndarray:
    t = _t(rng.uniform(0.4, 1.0))
    f = rng.uniform(350, 500)
    horn = np.sign(np.sin(2 * np.pi * f * t)) + np.sign(np.sin(2 * np.pi * f * 1.26 * t))
    return butter_filter((0.3 * horn).astype(np.float32), "lowpass", 3000)


TOY_GENERATORS: dict[str, Callable[[np.random.Generator], np.ndarray]] = {
    "rain": toy_rain, "traffic": toy_traffic, "thunder": toy_thunder, "dog": toy_dog,
    "chirping_birds": toy_birds, "church_bells": toy_bells, "footsteps": toy_footsteps,
    "car_horn": toy_car_horn,
}
assert set(TOY_GENERATORS) == set(ALL_CLASSES)


def make_toy_sources(directory: str | Path, seed: int = 0) -> Path:
    """Write a toy source library into `directory`; returns the directory."""
    directory = Path(directory)
    rng = np.random.default_rng(seed)
    raws = []
    for cls, generate in TOY_GENERATORS.items():
        for i in range(FILES_PER_CLASS):
            audio = generate(rng)
            audio = 0.5 * audio / (np.max(np.abs(audio)) + 1e-9)
            rel = f"raw/{cls}/toy_{cls}_{i}.wav"
            write_pcm16(directory / rel, audio)
            raws.append(RawSource(cls, directory / rel, rel, "toy", "CC0-1.0", len(audio) / SR))
    prepare_library(raws, directory, seed)
    return directory
