"""A clip's per-patch evidence for model.aligned_rerank: YAMNet's class scores and the level of each patch.

Only the start of a file matters to the reranker (it compares patches from the start, up to the query's
length), so a file is read no further than ``max_seconds``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator

import numpy as np

from model.aligned_rerank import PatchEvidence
from model.audio_io import iter_blocks_16k, prepare_waveform
from model.class_scores import CLASS_COUNT
from model.frontend import SAMPLE_RATE, stream_patches
from model.yamnet import YamnetBackbone


def patch_levels(patches: np.ndarray) -> np.ndarray:
    """(P, 96, 64) log-mel patches -> (P,) float32 level of each (log of its mean mel energy)."""
    return np.log(np.exp(patches).mean(axis=(1, 2)) + 1e-10).astype(np.float32)


def evidence_of_patches(backbone: YamnetBackbone, patch_chunks: Iterable[np.ndarray]) -> PatchEvidence:
    classes, levels = [], []
    for patches in patch_chunks:
        _, raw = backbone.run_raw(patches)
        classes.append(raw)
        levels.append(patch_levels(patches))
    if not classes:
        return PatchEvidence(np.zeros((0, CLASS_COUNT), dtype=np.uint8), np.zeros(0, dtype=np.float32))
    return PatchEvidence(np.concatenate(classes), np.concatenate(levels))


def _first_seconds(blocks: Iterable[np.ndarray], max_seconds: float | None) -> Iterator[np.ndarray]:
    left = None if max_seconds is None else int(max_seconds * SAMPLE_RATE)
    for block in blocks:
        if left is not None:
            if left <= 0:
                return
            block = block[:left]
            left -= len(block)
        yield block


def evidence_from_waveform(backbone: YamnetBackbone, samples: np.ndarray, sr: int,
                           max_seconds: float | None = None) -> PatchEvidence:
    """Any rate, mono or (frames, channels) signal -> its PatchEvidence (its first max_seconds)."""
    return evidence_of_patches(backbone, stream_patches(_first_seconds([prepare_waveform(samples, sr)], max_seconds)))


def evidence_from_file(backbone: YamnetBackbone, path: str | os.PathLike | bytes,
                       max_seconds: float | None = None) -> PatchEvidence:
    """A file's PatchEvidence over its first max_seconds (all of it if None); AudioDecodeError if unusable."""
    blocks = _first_seconds(iter_blocks_16k(path, validate=True), max_seconds)
    return evidence_of_patches(backbone, stream_patches(blocks))
