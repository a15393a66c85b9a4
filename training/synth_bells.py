"""Procedural church bells: inharmonic bell partials with beating, strike and a little hall.

A tuned church bell's main partials, relative to the prime (strike) frequency, are
hum 0.5, prime 1, tierce 1.2 (minor third), quint 1.5, nominal 2, plus higher ones
(deciem 2.5, undeciem 2.67, upper octave 3, 4, 5.3...). Lower partials ring longest.
Each partial is a pair of slightly split frequencies, which gives the typical beating.
Writes `data/sources/church_bells/synth_*.wav` (our own sounds, CC0).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from scipy.signal import fftconvolve

from training.audio_utils import butter_filter, write_pcm16
from training.scenes import SAMPLE_RATE

REPO_ROOT = Path(__file__).resolve().parents[1]

# (ratio to prime, relative amplitude, decay time constant in seconds at prime=300 Hz)
BELL_PARTIALS: tuple[tuple[float, float, float], ...] = (
    (0.5, 0.55, 3.2),   # hum
    (1.0, 0.85, 2.2),   # prime
    (1.2, 0.70, 1.8),   # tierce
    (1.5, 0.35, 1.4),   # quint
    (2.0, 1.00, 1.3),   # nominal
    (2.5, 0.30, 0.8),   # deciem
    (2.67, 0.25, 0.7),  # undeciem
    (3.0, 0.35, 0.6),   # upper octave
    (4.0, 0.20, 0.4),
    (5.33, 0.12, 0.25),
    (6.67, 0.08, 0.18),
)


def bell_strike(rng: np.random.Generator, prime_hz: float, seconds: float,
                sr: int = SAMPLE_RATE) -> np.ndarray:
    """One strike of one bell, peak-normalized to 1."""
    t = np.arange(int(seconds * sr)) / sr
    out = np.zeros_like(t)
    size_scale = (300.0 / prime_hz) ** 0.6  # bigger (lower) bells ring longer
    for ratio, amp, tau in BELL_PARTIALS:
        f = prime_hz * ratio * (1 + rng.normal(0, 0.004))  # imperfect tuning
        if f > sr * 0.45:
            continue
        beat_hz = rng.uniform(0.3, 2.5)
        decay = np.exp(-t / (tau * size_scale * rng.uniform(0.8, 1.25)))
        phase = rng.uniform(0, 2 * np.pi, 2)
        pair = (np.sin(2 * np.pi * (f - beat_hz / 2) * t + phase[0])
                + rng.uniform(0.5, 1.0) * np.sin(2 * np.pi * (f + beat_hz / 2) * t + phase[1]))
        out += amp * rng.uniform(0.7, 1.3) * decay * pair
    # Strike: a short burst of clapper noise, band-limited around the upper partials.
    n_hit = int(0.03 * sr)
    hit = rng.normal(0, 1, n_hit) * np.exp(-np.arange(n_hit) / (0.006 * sr))
    hi = min(prime_hz * 12, sr * 0.45)
    out[:n_hit] += 0.6 * butter_filter(hit.astype(np.float32), "bandpass", (prime_hz * 2, hi), 2)
    attack = np.minimum(1.0, t / 0.002)
    out *= attack
    return (out / (np.max(np.abs(out)) + 1e-9)).astype(np.float32)


def add_hall(rng: np.random.Generator, audio: np.ndarray, wet: float,
             sr: int = SAMPLE_RATE) -> np.ndarray:
    """Cheap reverb: convolve with exponentially decaying filtered noise."""
    n = int(rng.uniform(0.8, 1.8) * sr)
    ir = rng.normal(0, 1, n) * np.exp(-np.arange(n) / (0.25 * sr))
    ir = butter_filter(ir.astype(np.float32), "lowpass", 4000, 2)
    ir /= np.sqrt(np.sum(ir ** 2)) + 1e-9
    tail = fftconvolve(audio, ir)[: len(audio)]
    mixed = (1 - wet) * audio + wet * tail
    return (mixed / (np.max(np.abs(mixed)) + 1e-9)).astype(np.float32)


def single_strike_clip(rng: np.random.Generator) -> np.ndarray:
    """One bell struck 1-4 times at a slow, regular tempo."""
    prime = float(np.exp(rng.uniform(np.log(150), np.log(600))))
    n_strikes = int(rng.integers(1, 5))
    interval = rng.uniform(1.2, 2.2)
    ring = rng.uniform(2.5, 4.5)
    total = int((interval * (n_strikes - 1) + ring) * SAMPLE_RATE)
    out = np.zeros(total, dtype=np.float32)
    for k in range(n_strikes):
        strike = bell_strike(rng, prime, ring) * rng.uniform(0.8, 1.0)
        start = int(k * interval * SAMPLE_RATE)
        out[start:start + len(strike)] += strike[: total - start]
    return out


def peal_clip(rng: np.random.Generator) -> np.ndarray:
    """Several bells of a diatonic set ringing in rounds (a short peal)."""
    top = float(np.exp(rng.uniform(np.log(300), np.log(600))))
    n_bells = int(rng.integers(3, 7))
    steps = [0, 2, 4, 5, 7, 9, 11, 12][:n_bells]  # major scale downwards from the treble
    primes = [top / 2 ** (s / 12) for s in steps]
    primes = [max(p, 150.0) for p in primes]
    gap = rng.uniform(0.22, 0.4)
    n_rounds = int(rng.integers(1, 4))
    order = list(range(n_bells))
    ring = 2.5
    total = int((gap * n_bells * n_rounds + ring) * SAMPLE_RATE)
    out = np.zeros(total, dtype=np.float32)
    k = 0
    for _ in range(n_rounds):
        for b in order:
            strike = bell_strike(rng, primes[b], ring) * rng.uniform(0.6, 1.0)
            start = int((k * gap + rng.normal(0, 0.015)) * SAMPLE_RATE)
            start = max(0, start)
            out[start:start + len(strike)] += strike[: total - start]
            k += 1
        if rng.random() < 0.5:  # change the order between rounds
            order = list(rng.permutation(order))
    return out


def make_bell_clip(seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    clip = peal_clip(rng) if rng.random() < 0.4 else single_strike_clip(rng)
    clip = add_hall(rng, clip, wet=rng.uniform(0.15, 0.45))
    return 0.9 * clip


def write_bells(out_dir: Path, n_clips: int = 40, seed: int = 0) -> list[Path]:
    """Write n_clips bell clips (skips files that already exist)."""
    paths = []
    for i in range(n_clips):
        path = out_dir / f"synth_bell_{i:03d}.wav"
        if not path.exists():
            write_pcm16(path, make_bell_clip(seed * 100_003 + i))
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Synthesize church bell clips.")
    ap.add_argument("--out", type=Path, default=REPO_ROOT / "data" / "sources" / "church_bells")
    ap.add_argument("--n", type=int, default=40)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    paths = write_bells(args.out, args.n, args.seed)
    print(f"[bells] {len(paths)} clips in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
