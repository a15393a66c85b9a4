"""Render an OOD ClipSpec to a stereo file the way sound libraries differ from each other.

Mixing: each layer is scaled to its active level (mean power of its 50 ms frames within 30 dB of the
loudest), events go through the family's room (a few delayed, low-passed taps plus a feedback comb)
and are panned; beds are decorrelated between channels. Per file (FileFormat): 44.1 or 48 kHz,
loudness (-23 LUFS) or peak (-1 dBFS) normalization, then 8-bit, mu-law, MP3 or Ogg Vorbis damage
or none, written as 16/24-bit or float WAV. Pure numpy/scipy + soundfile/soxr/pyloudnorm.
"""

from __future__ import annotations

import io
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pyloudnorm
import soundfile as sf
import soxr
from scipy.signal import butter, lfilter, sosfiltfilt

from training.ood.sampler import FLOOR, ClipSpec, Layer, Room, weighted_choice
from training.ood.sources import SR, Source, read_source

REF_DBFS = -30.0  # active level of the main sound before normalization
TARGET_LUFS = -23.0
PEAK_DBFS = -1.0
LIMIT = 0.98
DEGRADATIONS = {"none": 0.35, "pcm8": 0.15, "mulaw": 0.15, "mp3": 0.2, "ogg": 0.15}
SUBTYPES = {"PCM_16": 0.6, "PCM_24": 0.3, "FLOAT": 0.1}


@dataclass(frozen=True)
class FileFormat:
    sample_rate: int  # 44100 | 48000
    normalization: str  # lufs | peak
    degradation: str  # key of DEGRADATIONS
    subtype: str  # WAV subtype
    codec_level: float  # compression level for mp3 / ogg (0 best .. 1 smallest)

    def describe(self) -> str:
        return f"{self.sample_rate}/{self.normalization}/{self.degradation}/{self.subtype}"


def sample_format(rng: np.random.Generator) -> FileFormat:
    sample_rate, normalization = int(rng.choice([44100, 48000])), "lufs" if rng.random() < 0.5 else "peak"
    degradation, subtype = weighted_choice(rng, DEGRADATIONS), weighted_choice(rng, SUBTYPES)
    return FileFormat(sample_rate, normalization, degradation, subtype, round(float(rng.uniform(0.2, 0.8)), 2))


def active_db(x: np.ndarray, frame: int = 800, range_db: float = 30.0) -> float:
    """Mean power (dB) of the 50 ms frames within `range_db` of the loudest frame."""
    n = max(1, len(x) // frame)
    power = np.mean(np.square(x[: n * frame].reshape(n, -1), dtype=np.float64), axis=1) if len(x) >= frame \
        else np.array([np.mean(np.square(x, dtype=np.float64))])
    db = 10 * np.log10(power + 1e-20)
    level = 10 * np.log10(np.mean(power[db >= db.max() - range_db]) + 1e-20)
    return round(float(level), 4)  # rounded: numpy sums may differ in the last bit with memory alignment


def _loop(x: np.ndarray, n: int, start: int, crossfade: int = 2400) -> np.ndarray:
    """n samples of x from `start`, wrapping around with a crossfade."""
    if len(x) == 0:
        return np.zeros(n, np.float32)
    x = np.roll(x, -start) if start else x
    if len(x) >= n:
        return x[:n].copy()
    crossfade = min(crossfade, len(x) // 4)
    out, ramp = x.astype(np.float64), np.linspace(0.0, 1.0, crossfade)
    while len(out) < n:
        if crossfade:
            out[-crossfade:] = out[-crossfade:] * (1 - ramp) + x[:crossfade] * ramp
        out = np.concatenate([out, x[crossfade:]])
    return out[:n]


def _fade(x: np.ndarray, fade_in: int = 80, fade_out: int = 480) -> np.ndarray:
    x = x.astype(np.float64).copy()
    for n, ramp in ((min(fade_in, len(x)), 1), (min(fade_out, len(x)), -1)):
        if n:
            env = np.linspace(0, 1, n)
            if ramp > 0:
                x[:n] *= env
            else:
                x[len(x) - n:] *= env[::-1]
    return x


def feedback_comb(x: np.ndarray, delay: int, feedback: float) -> np.ndarray:
    """y[n] = x[n] + feedback * y[n - delay], one delay-long block at a time."""
    y = x.astype(np.float64).copy()
    for start in range(delay, len(y), delay):
        stop = min(len(y), start + delay)
        y[start:stop] += feedback * y[start - delay:stop - delay]
    return y


def apply_room(x: np.ndarray, room: Room) -> np.ndarray:
    """Wet signal (same power as x, 0.6 s longer): delayed low-passed taps feeding a feedback comb."""
    tail = int(0.6 * SR)
    padded = np.concatenate([x, np.zeros(tail)])
    taps = np.zeros_like(padded)
    for delay, gain, coef in room.taps:
        d = int(delay * SR)
        lowpassed = lfilter([1 - coef], [1, -coef], padded)
        taps[d:] += gain * lowpassed[: len(padded) - d]
    comb = feedback_comb(taps, max(1, int(room.comb_delay * SR)), room.comb_feedback)
    wet = taps + 0.5 * comb
    scale = round(float(np.sqrt(np.mean(np.square(x)) / (np.mean(np.square(wet)) + 1e-20))), 6)
    return wet * scale


def _layer_audio(layer: Layer, spec: ClipSpec, sources: dict[str, Source]) -> tuple[np.ndarray, np.ndarray]:
    """(L, R) of one layer at its level, 16 kHz, positioned in a clip of spec.duration."""
    n = int(round(spec.duration * SR))
    if layer.source == FLOOR:
        rng = np.random.default_rng(spec.seed)
        noise = lfilter([1.0], [1.0, -0.95], rng.standard_normal((2, n)), axis=1)  # dull hiss, per channel
        gain = 10 ** ((REF_DBFS + layer.level_db - active_db(noise[0])) / 20)
        return noise[0] * gain, noise[1] * gain
    source = sources[layer.source]
    raw = read_source(source, spec.duration + 1.0, spec.seed)
    start = int(layer.offset * SR)
    if layer.loop or source.path is None:
        left = _loop(raw, n, start)
        right_alt = _loop(raw, n, (start + len(raw) // 2) % max(1, len(raw)))
        right = 0.6 * left + 0.8 * right_alt  # partly decorrelated stereo bed
        gain = 10 ** ((REF_DBFS + layer.level_db - active_db(left)) / 20)
        return left * gain, right * gain
    seg = _fade(raw[start:start + int(layer.length * SR)])
    gain = 10 ** ((REF_DBFS + layer.level_db - active_db(seg)) / 20)
    dry = seg * gain
    wet = apply_room(dry, spec.room) * layer.wet if layer.wet > 0 else np.zeros(0)
    angle = (layer.pan + 1) * np.pi / 4  # constant-power pan
    left, right = np.zeros(n), np.zeros(n)
    at = int(layer.onset * SR)
    end = min(n, at + len(dry))
    left[at:end] += np.cos(angle) * np.sqrt(1 - layer.wet ** 2) * dry[: end - at]
    right[at:end] += np.sin(angle) * np.sqrt(1 - layer.wet ** 2) * dry[: end - at]
    for channel, lag in ((left, 0), (right, int(0.007 * SR))):
        start_w = at + lag
        end = min(n, start_w + len(wet))
        if end > start_w:
            channel[start_w:end] += wet[: end - start_w] * np.sqrt(0.5)
    return left, right


def mix(spec: ClipSpec, sources: dict[str, Source]) -> np.ndarray:
    """(n, 2) float64 mix at 16 kHz before colouration, resampling and normalization."""
    n = int(round(spec.duration * SR))
    out = np.zeros((n, 2))
    for layer in spec.layers:
        left, right = _layer_audio(layer, spec, sources)
        out[:, 0] += left
        out[:, 1] += right
    return out


def colour(x: np.ndarray, room: Room) -> np.ndarray:
    if room.lowpass_hz:
        x = sosfiltfilt(butter(2, room.lowpass_hz, "lowpass", fs=SR, output="sos"), x, axis=0)
    if room.highpass_hz:
        x = sosfiltfilt(butter(2, room.highpass_hz, "highpass", fs=SR, output="sos"), x, axis=0)
    return x


def normalize(x: np.ndarray, sr: int, how: str) -> np.ndarray:
    if how == "lufs":
        loudness = pyloudnorm.Meter(sr).integrated_loudness(x) if len(x) > 0.4 * sr else -np.inf
        loudness = round(float(loudness), 4) if np.isfinite(loudness) else loudness
        if np.isfinite(loudness):
            x = x * 10 ** ((TARGET_LUFS - loudness) / 20)
        else:
            how = "peak"
    if how == "peak":
        x = x * round(float(10 ** (PEAK_DBFS / 20) / (np.max(np.abs(x)) + 1e-12)), 9)
    peak = np.max(np.abs(x))
    return x * (LIMIT / peak) if peak > LIMIT else x


def degrade(x: np.ndarray, sr: int, fmt: FileFormat) -> np.ndarray:
    if fmt.degradation == "pcm8":
        return np.round(x * 127) / 127
    if fmt.degradation == "mulaw":
        mu = 255.0
        q = np.round(np.sign(x) * np.log1p(mu * np.abs(x)) / np.log1p(mu) * 127) / 127
        return np.sign(q) * np.expm1(np.abs(q) * np.log1p(mu)) / mu
    if fmt.degradation in ("mp3", "ogg"):
        buf = io.BytesIO()
        container, subtype = ("MP3", "MPEG_LAYER_III") if fmt.degradation == "mp3" else ("OGG", "VORBIS")
        sf.write(buf, x.astype(np.float32), sr, format=container, subtype=subtype,
                 compression_level=fmt.codec_level)
        buf.seek(0)
        decoded, _ = sf.read(buf, dtype="float64", always_2d=True)
        out = np.zeros_like(x)
        n = min(len(x), len(decoded))
        out[:n] = decoded[:n]
        return out
    return x


def render(spec: ClipSpec, fmt: FileFormat, sources: dict[str, Source]) -> np.ndarray:
    """(frames, 2) float audio at fmt.sample_rate, normalized and degraded, clipped to [-1, 1]."""
    x = colour(mix(spec, sources), spec.room)
    x = soxr.resample(x, SR, fmt.sample_rate, quality="HQ")
    x = degrade(normalize(x, fmt.sample_rate, fmt.normalization), fmt.sample_rate, fmt)
    return np.clip(x, -1.0, 1.0)


def write(path: Path, audio: np.ndarray, fmt: FileFormat) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".part")
    sf.write(str(tmp), audio.astype(np.float32), fmt.sample_rate, format="WAV", subtype=fmt.subtype)
    tmp.replace(path)


def sidecar(spec: ClipSpec, fmt: FileFormat) -> dict:
    """JSON-able annotation of one file: its layers and levels, room and output format."""
    return {"spec": asdict(spec), "format": asdict(fmt)}
