"""Window features of long recordings, pooled from YAMNet's per-patch outputs computed once per file.

A file is cut into windows of WINDOW_PATCHES consecutive 0.96 s patches (the patch hop is 0.48 s):
20 patches span 10.1 s, what a 10 s training clip gives, so a window is pooled exactly like a training
clip. Windows start every HOP_PATCHES = 10 patches (4.8 s): each patch lies in two windows and any
event up to about 5 s lies whole inside one. The last window is aligned to the end of the file, so
every window has the full length. Files under WINDOW_PATCHES + HOP_PATCHES patches (14.4 s) are not
cut: their whole-file vector is the only one (a 10 s clip's window would be its whole-file vector).

Pooling is the whole-file feature's (model.audio_features._PoolAccumulator): conv max + mean over the
window's patches, loudness statistics over its frames (the first 48 frames of each patch, the last
patch whole). Only the patches that open windows still need are kept, so memory is bounded for any
length.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from model.frontend import PATCH_HOP_FRAMES, PATCH_HOP_SAMPLES, PATCH_SAMPLES, SAMPLE_RATE
from model.yamnet import CONV_CHANNELS

if TYPE_CHECKING:  # a type only: model.aligned_rerank is not loaded for it
    from model.aligned_rerank import PatchEvidence

WINDOW_PATCHES = 20
HOP_PATCHES = 10
MIN_SEGMENTED_PATCHES = WINDOW_PATCHES + HOP_PATCHES
PATCH_HOP_SECONDS = PATCH_HOP_SAMPLES / SAMPLE_RATE  # 0.48 s
WINDOW_SECONDS = ((WINDOW_PATCHES - 1) * PATCH_HOP_SAMPLES + PATCH_SAMPLES) / SAMPLE_RATE  # 10.095 s
WINDOW_HOP_SECONDS = HOP_PATCHES * PATCH_HOP_SECONDS  # 4.8 s
SEGMENT_LAYOUT = 2  # the layout above (2: with class maxima per window); stored per file, a long file cut
# with an older one is cut again by the next import
SHORT_FILE_SECONDS = 14.0  # files up to this long are never cut (a little under MIN_SEGMENTED_PATCHES)
VERSION_QUERY_SECONDS = 60.0  # a query up to this long is a clip (the reranker reads a query's first 60 s): the
VERSION_TOLERANCE, VERSION_FLOOR = 0.3, 0.1  # files within max(F, T x its length) of it (the shipped reranker's length
# gate) are its possible versions, matched whole and read by the reranker even when cut (app.rerank_reads)
EVIDENCE_SECONDS = VERSION_QUERY_SECONDS * (1 + VERSION_TOLERANCE)  # 78 s: the import keeps the per-patch evidence
# of files up to this long, every file the reranker can read whole
EVIDENCE_PATCHES = int((EVIDENCE_SECONDS * SAMPLE_RATE - PATCH_SAMPLES) // PATCH_HOP_SAMPLES) + 1


@dataclass
class SegmentedFeatures:
    """Whole-file feature (F,), window features (W, F) (W = 0 for short files) and the start of the last
    window in seconds (the others start every WINDOW_HOP_SECONDS); ``classes`` (1 + W, 521) uint8: YAMNet's
    class scores, maximum over the whole file's patches, then over each window's (model.class_scores)."""

    whole: np.ndarray
    windows: np.ndarray
    tail_start: float
    classes: np.ndarray | None = None
    evidence: PatchEvidence | None = None  # per-patch evidence of a file up to EVIDENCE_SECONDS, else None


def window_starts(n_windows: int, tail_start: float) -> np.ndarray:
    """Start times (s) of a file's windows: every WINDOW_HOP_SECONDS, the last at ``tail_start``."""
    starts = np.arange(n_windows, dtype=np.float64) * WINDOW_HOP_SECONDS
    if n_windows:
        starts[-1] = tail_start
    return starts


def window_spans(n_windows: int, tail_start: float, duration: float | None) -> np.ndarray:
    """(n_windows, 2) start and end seconds of a file's windows (ends capped at the duration)."""
    starts = window_starts(n_windows, tail_start)
    ends = starts + WINDOW_SECONDS
    if duration is not None and duration > 0:
        ends = np.minimum(ends, duration)
    return np.stack([starts, ends], axis=1).reshape(n_windows, 2)


def window_first_patches(n_patches: int) -> list[int]:
    """First patch of each window of a file of ``n_patches`` patches (empty for short files)."""
    if n_patches < MIN_SEGMENTED_PATCHES:
        return []
    firsts = list(range(0, n_patches - WINDOW_PATCHES + 1, HOP_PATCHES))
    if firsts[-1] != n_patches - WINDOW_PATCHES:
        firsts.append(n_patches - WINDOW_PATCHES)
    return firsts


@dataclass
class _PatchStats:
    """What a window needs of one patch to pool like _PoolAccumulator."""

    conv_max: np.ndarray  # (1024,)
    conv_sum: np.ndarray  # (1024,) float64
    cells: int  # conv map positions
    head_levels: np.ndarray  # (48,) per-frame levels of the first 48 frames
    tail_levels: np.ndarray  # (48,) of the last 48 frames
    head_bands: np.ndarray  # (bands,) summed per-frame band means of the first 48 frames
    tail_bands: np.ndarray
    classes: np.ndarray | None  # (521,) uint8 class scores of the patch


class WindowPooler:
    """Fed every chunk of patches (and their conv maps) of one file in order; pools each window as soon as
    its last patch has arrived, keeping only the patches that still-open windows need."""

    def __init__(self, pool_window) -> None:
        """``pool_window(conv_max, conv_mean, levels, band_sum, frames) -> feature``: the pooling arithmetic
        of model.audio_features (shared, so windows and whole files cannot drift apart)."""
        self._pool_window = pool_window
        self._recent: deque[_PatchStats] = deque(maxlen=WINDOW_PATCHES)
        self._seen = 0
        self._regular: list[tuple[int, np.ndarray]] = []  # (first patch, feature) of the windows every hop
        self._regular_classes: list[np.ndarray] = []  # their class maxima (when the patches' classes are given)

    def add(self, conv: np.ndarray, patches: np.ndarray, levels, bands, classes: np.ndarray | None = None) -> None:
        """``levels(frames) -> (frames,)`` and ``bands(frames) -> (frames, bands)``: per-frame statistics;
        ``classes``: (P, 521) uint8 class scores of the patches (windows then keep their maxima)."""
        flat = conv.reshape(conv.shape[0], CONV_CHANNELS, -1)
        maxes, sums = flat[:, :, 0].copy(), flat[:, :, 0].astype(np.float64)
        for cell in range(1, flat.shape[2]):  # 4x faster than reducing over the short last axis
            np.maximum(maxes, flat[:, :, cell], out=maxes)
            sums += flat[:, :, cell]
        head_levels, tail_levels = levels(patches[:, :PATCH_HOP_FRAMES]), levels(patches[:, PATCH_HOP_FRAMES:])
        head_bands = bands(patches[:, :PATCH_HOP_FRAMES]).sum(axis=1)
        tail_bands = bands(patches[:, PATCH_HOP_FRAMES:]).sum(axis=1)
        for i in range(len(patches)):
            self._recent.append(_PatchStats(maxes[i], sums[i], flat.shape[2], head_levels[i], tail_levels[i],
                                            head_bands[i], tail_bands[i], None if classes is None else classes[i]))
            self._seen += 1
            first = self._seen - WINDOW_PATCHES
            if first >= 0 and first % HOP_PATCHES == 0:
                self._regular.append((first, self._pool(list(self._recent))))
                if classes is not None:
                    self._regular_classes.append(self._class_max(list(self._recent)))

    def _pool(self, stats: list[_PatchStats]) -> np.ndarray:
        conv_max = np.max([s.conv_max for s in stats], axis=0)
        conv_mean = np.sum([s.conv_sum for s in stats], axis=0) / sum(s.cells for s in stats)
        levels = np.concatenate([s.head_levels for s in stats] + [stats[-1].tail_levels])
        band_sum = np.sum([s.head_bands for s in stats], axis=0) + stats[-1].tail_bands
        frames = PATCH_HOP_FRAMES * (len(stats) + 1)
        return self._pool_window(conv_max, conv_mean, levels, band_sum, frames)

    @staticmethod
    def _class_max(stats: list[_PatchStats]) -> np.ndarray:
        return np.max([s.classes for s in stats], axis=0).astype(np.uint8)

    def class_result(self) -> np.ndarray | None:
        """(W, 521) uint8 class maxima of the windows (as result()), None when the patches came without classes."""
        firsts = window_first_patches(self._seen)
        if not firsts:
            return np.zeros((0, 0), dtype=np.uint8)
        if not self._recent or self._recent[-1].classes is None:
            return None
        maxima = list(self._regular_classes)
        if len(maxima) < len(firsts):
            maxima.append(self._class_max(list(self._recent)))
        return np.stack(maxima)

    def result(self) -> tuple[np.ndarray, int]:
        """(window features (W, F), first patch of the last window); W = 0 for a short file."""
        firsts = window_first_patches(self._seen)
        if not firsts:
            return np.zeros((0, 0), dtype=np.float32), 0
        features = [f for _, f in self._regular]  # every regular window fits: firsts[:len(self._regular)]
        if len(features) < len(firsts):  # the end-aligned last window
            features.append(self._pool(list(self._recent)))
        return np.stack(features).astype(np.float32), firsts[-1]
