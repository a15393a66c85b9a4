"""YAMNet's log-mel front end in numpy, and a streaming splitter into 0.96 s patches.

16 kHz mono, 25 ms periodic Hann window, 10 ms hop, FFT 512, magnitude spectrum,
64 HTK mel bins 125-7500 Hz, log(mel + 0.001); patches of 96 frames with a hop of 48.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache

import numpy as np

SAMPLE_RATE = 16_000
WINDOW = 400
HOP = 160
FFT = 512
MEL_BINS = 64
MEL_LOW_HZ = 125.0
MEL_HIGH_HZ = 7500.0
LOG_OFFSET = 0.001
PATCH_FRAMES = 96
PATCH_HOP_FRAMES = 48
PATCH_SAMPLES = (PATCH_FRAMES - 1) * HOP + WINDOW  # 15600 samples per patch
PATCH_HOP_SAMPLES = PATCH_HOP_FRAMES * HOP  # 7680


def _hz_to_mel(hz: np.ndarray) -> np.ndarray:
    return 1127.0 * np.log(1.0 + hz / 700.0)


@lru_cache(maxsize=1)
def mel_matrix() -> np.ndarray:
    """(FFT//2+1, MEL_BINS) HTK triangular weights, DC bin zeroed (as in YAMNet/VGGish)."""
    n_bins = FFT // 2 + 1
    bin_mel = _hz_to_mel(np.linspace(0.0, SAMPLE_RATE / 2, n_bins))
    edges = np.linspace(_hz_to_mel(np.array(MEL_LOW_HZ)), _hz_to_mel(np.array(MEL_HIGH_HZ)), MEL_BINS + 2)
    weights = np.empty((n_bins, MEL_BINS), dtype=np.float64)
    for i in range(MEL_BINS):
        lower, center, upper = edges[i : i + 3]
        lower_slope = (bin_mel - lower) / (center - lower)
        upper_slope = (upper - bin_mel) / (upper - center)
        weights[:, i] = np.maximum(0.0, np.minimum(lower_slope, upper_slope))
    weights[0, :] = 0.0
    return weights.astype(np.float32)


@lru_cache(maxsize=1)
def _window() -> np.ndarray:
    n = np.arange(WINDOW)
    return (0.5 - 0.5 * np.cos(2 * np.pi * n / WINDOW)).astype(np.float32)  # periodic Hann


def log_mel(waveform: np.ndarray) -> np.ndarray:
    """(samples,) 16 kHz -> (frames, 64) log-mel; frames = 1 + (samples - 400) // 160."""
    waveform = np.asarray(waveform, dtype=np.float32)
    if waveform.size < WINDOW:
        waveform = np.pad(waveform, (0, WINDOW - waveform.size))
    n_frames = 1 + (waveform.size - WINDOW) // HOP
    frames = np.lib.stride_tricks.as_strided(
        waveform, shape=(n_frames, WINDOW), strides=(waveform.strides[0] * HOP, waveform.strides[0])
    )
    import scipy.fft  # here, not at module level: searches of indexed sounds never pay its import

    # scipy's float32 FFT is ~5x faster than numpy's here and agrees to ~1e-6
    spectrum = np.abs(scipy.fft.rfft(frames * _window(), n=FFT, axis=1)).astype(np.float32, copy=False)
    return np.log(spectrum @ mel_matrix() + LOG_OFFSET)


def patches_from_log_mel(mel: np.ndarray) -> np.ndarray:
    """(frames, 64) -> (patches, 96, 64); the last partial patch is padded with silence."""
    if mel.shape[0] < PATCH_FRAMES:
        n_patches = 1
    else:
        n_patches = 1 + int(np.ceil((mel.shape[0] - PATCH_FRAMES) / PATCH_HOP_FRAMES))
    needed = (n_patches - 1) * PATCH_HOP_FRAMES + PATCH_FRAMES
    if mel.shape[0] < needed:
        pad = np.full((needed - mel.shape[0], MEL_BINS), np.log(LOG_OFFSET), dtype=np.float32)
        mel = np.concatenate([mel, pad])
    idx = np.arange(PATCH_FRAMES)[None, :] + PATCH_HOP_FRAMES * np.arange(n_patches)[:, None]
    return mel[idx]


def waveform_to_patches(waveform: np.ndarray) -> np.ndarray:
    """16 kHz mono signal -> (patches, 96, 64) log-mel patches (at least one)."""
    return patches_from_log_mel(log_mel(waveform))


def stream_patches(blocks: Iterable[np.ndarray], patches_per_chunk: int = 64) -> Iterator[np.ndarray]:
    """Turn 16 kHz blocks of any size into chunks of log-mel patches, memory bounded.

    Yields arrays of shape (<= patches_per_chunk, 96, 64) identical to waveform_to_patches
    on the concatenated signal.
    """
    chunk_samples = (patches_per_chunk - 1) * PATCH_HOP_SAMPLES + PATCH_SAMPLES
    advance = patches_per_chunk * PATCH_HOP_SAMPLES
    buffer = np.empty(0, dtype=np.float32)
    emitted_any = False
    for block in blocks:
        buffer = np.concatenate([buffer, np.asarray(block, dtype=np.float32)])
        while buffer.size >= chunk_samples + PATCH_HOP_SAMPLES:
            yield waveform_to_patches(buffer[:chunk_samples])
            emitted_any = True
            buffer = buffer[advance:]
    remaining_frames = 1 + (buffer.size - WINDOW) // HOP if buffer.size >= WINDOW else 0
    if remaining_frames > PATCH_HOP_FRAMES or not emitted_any:
        yield waveform_to_patches(buffer)
