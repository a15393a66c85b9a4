"""Small audio helpers: load as 16 kHz mono, write PCM-16, resample, filter, loop."""

from __future__ import annotations

import zlib
from pathlib import Path

import numpy as np
import soundfile as sf
import soxr
from scipy.signal import butter, sosfilt

from training.scenes import SAMPLE_RATE


def load_mono(path: str | Path, sr: int = SAMPLE_RATE) -> np.ndarray:
    """Read any soundfile-readable file as float32 mono at `sr`."""
    audio, file_sr = sf.read(str(path), dtype="float32", always_2d=True)
    mono = audio.mean(axis=1)
    if file_sr != sr:
        mono = soxr.resample(mono, file_sr, sr, quality="HQ")
    return np.ascontiguousarray(mono, dtype=np.float32)


def write_pcm16(path: str | Path, audio: np.ndarray, sr: int = SAMPLE_RATE) -> None:
    """Write mono audio as 16-bit PCM (wav/flac by extension), peak-limited to avoid wrap."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    peak = float(np.max(np.abs(audio))) if audio.size else 0.0
    if peak > 0.999:
        audio = audio * (0.999 / peak)
    sf.write(str(path), audio.astype(np.float32), sr, subtype="PCM_16")


def stable_seed(*parts: object) -> int:
    """Deterministic 32-bit seed from strings/ints (independent of PYTHONHASHSEED)."""
    return zlib.crc32("|".join(str(p) for p in parts).encode())


def change_speed(audio: np.ndarray, factor: float) -> np.ndarray:
    """Tape-style speed change: factor > 1 is faster and higher pitched."""
    n_out = max(1, int(round(len(audio) / factor)))
    return soxr.resample(audio, SAMPLE_RATE, n_out * SAMPLE_RATE / len(audio),
                         quality="HQ").astype(np.float32)[:n_out]


def butter_filter(audio: np.ndarray, kind: str, cutoff: float | tuple[float, float],
                  order: int = 4, sr: int = SAMPLE_RATE) -> np.ndarray:
    """kind: 'lowpass', 'highpass' or 'bandpass' (cutoff in Hz)."""
    sos = butter(order, cutoff, btype=kind, fs=sr, output="sos")
    return sosfilt(sos, audio).astype(np.float32)


def loop_to_length(audio: np.ndarray, n_samples: int, crossfade: int = 1600) -> np.ndarray:
    """Repeat `audio` with short crossfades until it is n_samples long."""
    if len(audio) >= n_samples:
        return audio[:n_samples].copy()
    crossfade = min(crossfade, len(audio) // 4)
    out = audio.astype(np.float32).copy()
    ramp = np.linspace(0.0, 1.0, crossfade, dtype=np.float32)
    while len(out) < n_samples:
        if crossfade:
            out[-crossfade:] = out[-crossfade:] * (1 - ramp) + audio[:crossfade] * ramp
        out = np.concatenate([out, audio[crossfade:]])
    return out[:n_samples]


def fade(audio: np.ndarray, fade_in: int = 160, fade_out: int = 800) -> np.ndarray:
    """Linear fades (in samples) so cut segments start and end without clicks."""
    out = audio.astype(np.float32).copy()
    if fade_in:
        n = min(fade_in, len(out))
        out[:n] *= np.linspace(0, 1, n, dtype=np.float32)
    if fade_out:
        n = min(fade_out, len(out))
        out[len(out) - n:] *= np.linspace(1, 0, n, dtype=np.float32)
    return out


def rms_db(audio: np.ndarray) -> float:
    return float(10 * np.log10(np.mean(np.square(audio, dtype=np.float64)) + 1e-12))


def trim_silence(audio: np.ndarray, threshold_db: float = -50.0, pad: int = 320) -> np.ndarray:
    """Strip leading/trailing samples quieter than threshold_db below the peak."""
    peak = float(np.max(np.abs(audio))) if audio.size else 0.0
    if peak == 0.0:
        return audio
    loud = np.flatnonzero(np.abs(audio) > peak * 10 ** (threshold_db / 20))
    start, end = max(0, loud[0] - pad), min(len(audio), loud[-1] + pad)
    return audio[start:end]
