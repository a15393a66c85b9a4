"""Frozen audio features: YAMNet last conv layer, max+mean pooled, plus loudness statistics.

The conv part follows the paper (max + mean over time, here also over the 3x2 map). The
loudness part (frame level percentiles and band levels from the log-mel front end) keeps
absolute level, which the paper's weak point (background louder/quieter) depends on.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

import numpy as np

from model.aligned_rerank import PatchEvidence
from model.audio_io import iter_blocks_16k, prepare_waveform
from model.class_scores import CLASS_COUNT, patch_maxima
from model.frontend import LOG_OFFSET, PATCH_HOP_SAMPLES, SAMPLE_RATE, stream_patches
from model.patch_evidence import patch_levels
from model.segments import EVIDENCE_PATCHES, SegmentedFeatures, WindowPooler
from model.yamnet import CONV_CHANNELS, YamnetBackbone

LOUDNESS_PERCENTILES = (5, 10, 25, 50, 75, 90, 95, 100)
LOUDNESS_BANDS = 6
LOUDNESS_DIM = len(LOUDNESS_PERCENTILES) + 2 + LOUDNESS_BANDS
FEATURE_DIM = CONV_CHANNELS + LOUDNESS_DIM
_LOG_FLOOR = float(np.log(LOG_OFFSET))
_LOUDNESS_SCALE = 0.1  # log-mel units -> roughly unit range


def frame_levels(frames: np.ndarray) -> np.ndarray:
    """(..., frames, 64) log-mel -> (..., frames) level of each frame (log of the mean mel energy)."""
    return np.log(np.exp(frames).mean(axis=-1) + 1e-10)


def frame_band_means(frames: np.ndarray) -> np.ndarray:
    """(..., frames, 64) log-mel -> (..., frames, LOUDNESS_BANDS) mean log-mel of each band per frame."""
    return np.stack([b.mean(axis=-1) for b in np.array_split(frames, LOUDNESS_BANDS, axis=-1)], axis=-1)


def pool_features(conv_max: np.ndarray, conv_mean: np.ndarray, levels: np.ndarray, band_sum: np.ndarray,
                  frames: int) -> np.ndarray:
    """The feature vector from pooled conv maps and the frames' levels: shared by files and windows."""
    conv = conv_max + conv_mean.astype(np.float32)
    loud = np.concatenate(
        [
            np.percentile(levels, LOUDNESS_PERCENTILES),
            [levels.mean(), levels.std()],
            band_sum / frames - _LOG_FLOOR,
        ]
    )
    return np.concatenate([conv, (loud * _LOUDNESS_SCALE).astype(np.float32)])


class _PoolAccumulator:
    """Running max and mean of conv maps plus the per-frame levels of every patch."""

    def __init__(self) -> None:
        self.max = np.full(CONV_CHANNELS, -np.inf, dtype=np.float32)
        self.sum = np.zeros(CONV_CHANNELS, dtype=np.float64)
        self.count = 0
        self.frame_levels: list[np.ndarray] = []
        self.band_sum = np.zeros(LOUDNESS_BANDS, dtype=np.float64)
        self.frames = 0

    def add(self, conv: np.ndarray, patches: np.ndarray) -> None:
        flat = conv.reshape(conv.shape[0], CONV_CHANNELS, -1)
        self.max = np.maximum(self.max, flat.max(axis=(0, 2)))
        self.sum += flat.sum(axis=(0, 2), dtype=np.float64)
        self.count += flat.shape[0] * flat.shape[2]
        # patches overlap by half: take the first 48 frames of each, the last patch whole
        frames = np.concatenate([patches[:-1, :48].reshape(-1, patches.shape[2]), patches[-1]])
        self.frame_levels.append(np.log(np.exp(frames).mean(axis=1) + 1e-10))
        bands = np.array_split(frames, LOUDNESS_BANDS, axis=1)
        self.band_sum += np.array([b.mean(axis=1).sum() for b in bands])
        self.frames += frames.shape[0]

    def result(self) -> np.ndarray:
        return pool_features(self.max, self.sum / self.count, np.concatenate(self.frame_levels), self.band_sum,
                             self.frames)


class AudioFeatureExtractor:
    """Deterministic frozen features (FEATURE_DIM,) for files or in-memory signals."""

    def __init__(self, backbone: YamnetBackbone | None = None, threads: int = 2):
        self.backbone = backbone or YamnetBackbone(threads=threads)

    def _pool(self, patch_chunks: Iterable[np.ndarray]) -> np.ndarray:
        return self._pool_with_classes(patch_chunks)[0]

    def _pool_with_classes(self, patch_chunks: Iterable[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        """Feature vector and the (521,) uint8 class maxima over the patches (model.class_scores)."""
        acc, maxima = _PoolAccumulator(), np.zeros(CLASS_COUNT, dtype=np.uint8)
        for patches in patch_chunks:
            conv, raw = self.backbone.run_raw(patches)
            acc.add(conv, patches)
            np.maximum(maxima, patch_maxima(raw), out=maxima)
        return acc.result(), maxima

    def with_classes_from_waveform(self, samples: np.ndarray, sr: int) -> tuple[np.ndarray, np.ndarray]:
        """from_waveform plus the signal's class maxima (model.class_scores)."""
        return self._pool_with_classes(stream_patches([prepare_waveform(samples, sr)]))

    def with_classes_from_file(self, path: str | os.PathLike | bytes) -> tuple[np.ndarray, np.ndarray]:
        """from_file plus the file's class maxima (model.class_scores)."""
        return self._pool_with_classes(stream_patches(iter_blocks_16k(path, validate=True)))

    def from_waveform(self, samples: np.ndarray, sr: int) -> np.ndarray:
        """Any rate, mono or (frames, channels) signal -> feature vector."""
        return self._pool(stream_patches([prepare_waveform(samples, sr)]))

    def from_16k(self, waveform: np.ndarray) -> np.ndarray:
        """Already 16 kHz mono float32 -> feature vector."""
        return self._pool(stream_patches([waveform]))

    def segments_from_16k_blocks(self, blocks: Iterable[np.ndarray]) -> SegmentedFeatures:
        """Whole-file feature and the features of its windows (model.segments) in one pass over the patches:
        YAMNet runs once per patch."""
        acc, windows = _PoolAccumulator(), WindowPooler(pool_features)
        whole_classes = np.zeros(CLASS_COUNT, dtype=np.uint8)
        kept: list[tuple[np.ndarray, np.ndarray]] = []  # per-patch evidence while the file may still be read whole
        seen = 0
        for patches in stream_patches(blocks):
            conv, raw = self.backbone.run_raw(patches)
            acc.add(conv, patches)
            windows.add(conv, patches, frame_levels, frame_band_means, raw)
            np.maximum(whole_classes, patch_maxima(raw), out=whole_classes)
            if seen < EVIDENCE_PATCHES:
                kept.append((raw, patch_levels(patches)))
            seen += len(raw)
        features, last_first = windows.result()
        window_classes = windows.class_result().reshape(len(features), CLASS_COUNT)
        tail_start = last_first * PATCH_HOP_SAMPLES / SAMPLE_RATE
        evidence = None
        if kept and seen <= EVIDENCE_PATCHES:  # a file the reranking reads whole (model.patch_evidence), for free
            evidence = PatchEvidence(np.concatenate([c for c, _ in kept]), np.concatenate([lv for _, lv in kept]))
        return SegmentedFeatures(acc.result(), features.reshape(len(features), FEATURE_DIM), tail_start,
                                 np.vstack([whole_classes[None], window_classes]), evidence)

    def segments_from_file(self, path: str | os.PathLike | bytes) -> SegmentedFeatures:
        """from_file plus the file's window features (bounded memory for any length)."""
        return self.segments_from_16k_blocks(iter_blocks_16k(path, validate=True))

    def from_file(self, path: str | os.PathLike | bytes) -> np.ndarray:
        """Decode (bounded memory, any length) and pool over all patches. AudioDecodeError for a file that
        cannot describe a sound (undecodable, non-finite samples, shorter than 4 ms, digital silence)."""
        return self._pool(stream_patches(iter_blocks_16k(path, validate=True)))
