"""Signal processing of the v2 mixer (training.mixer): filters, synthetic reverb, loops, noise,
band-limiting and lossy codec round trips. Pure numpy/scipy/soxr/soundfile on 16 kHz mono float32;
nothing here draws random numbers except from a seed it is given.
"""

from __future__ import annotations

import io
from functools import lru_cache

import numpy as np
import soundfile as sf
import soxr
from scipy.signal import butter, fftconvolve, lfilter, sosfilt

SR = 16_000
EPS = 1e-12

# soundfile format/subtype of each lossy codec the mixer may round-trip a file through
CODECS: dict[str, tuple[str, str]] = {"ogg": ("OGG", "VORBIS"), "mp3": ("MP3", "MPEG_LAYER_III")}


def rms_db(audio: np.ndarray) -> float:
    """RMS level in dB full scale (-120 for silence)."""
    if audio.size == 0:
        return -120.0
    return float(10 * np.log10(np.mean(np.square(audio, dtype=np.float64)) + EPS))


def db_to_gain(db: float) -> float:
    return float(10 ** (db / 20))


def shelf(audio: np.ndarray, freq: float, gain_db: float, high: bool, sr: int = SR) -> np.ndarray:
    """RBJ-cookbook low or high shelf (slope 1) of gain_db at corner freq."""
    a = 10 ** (gain_db / 40)
    w0 = 2 * np.pi * min(freq, 0.45 * sr) / sr
    cos_w, alpha = np.cos(w0), np.sin(w0) / 2 * np.sqrt(2)
    sq = 2 * np.sqrt(a) * alpha
    sign = -1.0 if high else 1.0  # the high shelf is the low shelf with the cosine terms negated
    b = np.array([a * ((a + 1) - sign * (a - 1) * cos_w + sq),
                  sign * 2 * a * ((a - 1) - sign * (a + 1) * cos_w),
                  a * ((a + 1) - sign * (a - 1) * cos_w - sq)])
    den = np.array([(a + 1) + sign * (a - 1) * cos_w + sq,
                    -sign * 2 * ((a - 1) + sign * (a + 1) * cos_w),
                    (a + 1) + sign * (a - 1) * cos_w - sq])
    return lfilter(b / den[0], den / den[0], audio).astype(np.float32)


@lru_cache(maxsize=4096)
def _butter(kind: str, cutoff: float | tuple[float, float], order: int, sr: int) -> np.ndarray:
    return butter(order, cutoff, btype=kind, fs=sr, output="sos")


def butter_sos(audio: np.ndarray, kind: str, cutoff: float | tuple[float, float], order: int = 2,
               sr: int = SR) -> np.ndarray:
    """kind 'lowpass' | 'highpass' | 'bandpass' Butterworth filter (designs cached, cutoffs to 1 Hz)."""
    key = tuple(round(float(c)) for c in cutoff) if isinstance(cutoff, tuple) else round(float(cutoff))
    return sosfilt(_butter(kind, key, order, sr), audio).astype(np.float32)


def noise_ir(rt60: float, seed: int, sr: int = SR) -> np.ndarray:
    """Late reverb: exponentially decaying white noise (-60 dB at rt60), unit energy, 1.2 x rt60 long.

    The first 5 ms fade in, so the wet part starts just after the direct sound.
    """
    n = max(int(1.2 * rt60 * sr), 16)
    t = np.arange(n) / sr
    ir = np.random.default_rng(seed).standard_normal(n) * np.exp(-6.9078 * t / rt60)
    onset = min(n, int(0.005 * sr))
    ir[:onset] *= np.linspace(0.0, 1.0, onset)
    return (ir / np.sqrt(np.sum(ir ** 2) + EPS)).astype(np.float32)


def reverberate(dry: np.ndarray, ir: np.ndarray, wet: float, max_tail: int) -> np.ndarray:
    """(1 - wet) * dry + wet * (dry * ir), keeping at most max_tail samples of the tail."""
    tail = int(max(0, min(len(ir) - 1, max_tail)))
    wet_sig = fftconvolve(dry, ir)[: len(dry) + tail]
    out = wet * wet_sig
    out[: len(dry)] += (1.0 - wet) * dry
    return out.astype(np.float32)


def loop_from(audio: np.ndarray, offset: int, n: int, crossfade: int = 3200) -> np.ndarray:
    """n samples of `audio` read from `offset`, looping back to the start with equal-power crossfades.

    Prefix-stable: the first k samples do not depend on n, so a longer clip over the same bed and
    offset starts with exactly the shorter clip's bed.
    """
    if len(audio) == 0:
        return np.zeros(n, np.float32)
    offset = int(offset) % len(audio)
    xf = min(crossfade, len(audio) // 4)
    if offset + n <= len(audio) - xf:  # the last xf samples would be crossfaded if the loop went on
        return audio[offset: offset + n].astype(np.float32)
    fade_in = np.sin(np.linspace(0, np.pi / 2, xf)).astype(np.float32)
    fade_out = np.cos(np.linspace(0, np.pi / 2, xf)).astype(np.float32)
    out = audio[offset:].astype(np.float32)
    while len(out) < n:
        if xf and len(out) >= xf:
            head = audio[:xf] * fade_in
            out = np.concatenate([out[:-xf], out[-xf:] * fade_out + head, audio[xf:]])
        else:
            out = np.concatenate([out, audio])
    return out[:n]


def colored_noise(n: int, alpha: float, seed: int) -> np.ndarray:
    """Noise with power spectrum 1/f^alpha (0 white, 1 pink, 2 brown), unit RMS."""
    spec = np.fft.rfft(np.random.default_rng(seed).standard_normal(n))
    f = np.fft.rfftfreq(n)
    f[0] = f[1] if n > 1 else 1.0
    x = np.fft.irfft(spec / f ** (alpha / 2), n)
    return (x / (np.sqrt(np.mean(x ** 2)) + EPS)).astype(np.float32)


def fade_edges(audio: np.ndarray, fade_in: int = 80, fade_out: int = 800) -> np.ndarray:
    out = audio.astype(np.float32).copy()
    n_in, n_out = min(fade_in, len(out)), min(fade_out, len(out))
    out[:n_in] *= np.linspace(0, 1, n_in, dtype=np.float32)
    if n_out:
        out[len(out) - n_out:] *= np.linspace(1, 0, n_out, dtype=np.float32)
    return out


def trim_silence(audio: np.ndarray, threshold_db: float = -50.0, pad: int = 160) -> tuple[np.ndarray, int]:
    """Strip leading/trailing samples quieter than threshold_db below the peak; returns (audio, start)."""
    peak = float(np.max(np.abs(audio))) if audio.size else 0.0
    if peak == 0.0:
        return audio, 0
    loud = np.flatnonzero(np.abs(audio) > peak * 10 ** (threshold_db / 20))
    start, end = max(0, int(loud[0]) - pad), min(len(audio), int(loud[-1]) + pad)
    return audio[start:end], start


def loudest_window(audio: np.ndarray, n: int) -> int:
    """Start of the n-sample window with the most energy (hop 0.1 s)."""
    if n >= len(audio):
        return 0
    csum = np.concatenate([[0.0], np.cumsum(np.square(audio, dtype=np.float64))])
    starts = np.arange(0, len(audio) - n + 1, SR // 10)
    return int(starts[np.argmax(csum[starts + n] - csum[starts])])


def band_limit(audio: np.ndarray, via_sr: int, sr: int = SR) -> np.ndarray:
    """Round trip through a lower (or higher) sample rate, as a file stored at via_sr would sound."""
    low = soxr.resample(audio, sr, via_sr, quality="HQ")
    out = soxr.resample(low, via_sr, sr, quality="HQ")
    return _fit(out.astype(np.float32), len(audio))


def codec_roundtrip(audio: np.ndarray, codec: str, quality: float, sr: int = SR) -> np.ndarray | None:
    """Encode and decode in memory (quality 0 best .. 1 smallest); None if this libsndfile cannot.

    The decoded signal is realigned to the input by cross-correlation (MP3 encoders add delay).
    """
    fmt, subtype = CODECS[codec]
    buf = io.BytesIO()
    try:
        sf.write(buf, np.clip(audio, -1, 1), sr, format=fmt, subtype=subtype, compression_level=quality)
        buf.seek(0)
        decoded, _ = sf.read(buf, dtype="float32")
    except (sf.LibsndfileError, RuntimeError, TypeError, ValueError):
        return None
    decoded = decoded.reshape(len(decoded), -1).mean(axis=1) if decoded.ndim > 1 else decoded
    lag = _delay(audio, decoded)
    return _fit(decoded[lag:], len(audio))


def _delay(ref: np.ndarray, x: np.ndarray, max_lag: int = 4096) -> int:
    """Samples by which x lags ref (0..max_lag), from the cross-correlation of the first 2 s."""
    n = min(len(ref), len(x), 2 * SR)
    if n < 64:
        return 0
    corr = fftconvolve(x[: n + max_lag], ref[:n][::-1])[n - 1: n - 1 + max_lag + 1]
    return int(np.argmax(corr)) if corr.size else 0


def _fit(audio: np.ndarray, n: int) -> np.ndarray:
    if len(audio) >= n:
        return audio[:n]
    return np.concatenate([audio, np.zeros(n - len(audio), np.float32)])
