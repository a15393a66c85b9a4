"""Window features of long files: pooled from per-patch YAMNet outputs, equal to pooling the window alone."""

from __future__ import annotations

import numpy as np
import pytest

from model.audio_features import AudioFeatureExtractor, _PoolAccumulator
from model.frontend import waveform_to_patches
from model.segments import (
    HOP_PATCHES,
    MIN_SEGMENTED_PATCHES,
    WINDOW_PATCHES,
    window_first_patches,
    window_spans,
    window_starts,
)
from tests.helpers import noise, tone


@pytest.fixture(scope="module")
def extractor(encoder) -> AudioFeatureExtractor:
    return encoder.features


def long_take(seconds: float = 60.0, burst_at: float = 40.0) -> np.ndarray:
    """Noise with a 2 s tone burst planted at ``burst_at``."""
    x = noise(seconds, amp=0.05, seed=3)
    start = int(burst_at * 16_000)
    x[start : start + 32_000] += tone(1500.0, 2.0, amp=0.4)
    return x


def test_window_layout():
    assert window_first_patches(MIN_SEGMENTED_PATCHES - 1) == []
    assert window_first_patches(MIN_SEGMENTED_PATCHES) == [0, HOP_PATCHES]
    firsts = window_first_patches(125)
    assert firsts[:3] == [0, 10, 20] and firsts[-1] == 125 - WINDOW_PATCHES
    assert all(b - a <= HOP_PATCHES for a, b in zip(firsts, firsts[1:], strict=False))
    spans = window_spans(4, 20.0, 29.0)
    np.testing.assert_allclose(window_starts(4, 20.0), [0.0, 4.8, 9.6, 20.0])
    assert spans[-1, 1] == 29.0 and spans[0, 1] == pytest.approx(10.095)


def test_window_vectors_equal_pooling_each_window_alone(extractor):
    x = long_take()
    seg = extractor.segments_from_16k_blocks([x[i : i + 50_000] for i in range(0, len(x), 50_000)])
    assert seg.whole.shape == (1040,)
    np.testing.assert_allclose(seg.whole, extractor.from_16k(x), rtol=1e-5, atol=1e-5)
    patches = waveform_to_patches(x)
    firsts = window_first_patches(len(patches))
    assert seg.windows.shape == (len(firsts), 1040) and len(firsts) == 12
    assert seg.tail_start == pytest.approx(firsts[-1] * 0.48)
    for k, first in enumerate(firsts):
        window = patches[first : first + WINDOW_PATCHES]
        acc = _PoolAccumulator()
        acc.add(extractor.backbone.run(window)[0], window)
        np.testing.assert_allclose(seg.windows[k], acc.result(), rtol=1e-4, atol=1e-4)


def test_short_clip_has_no_windows_and_its_whole_vector_unchanged(extractor):
    x = noise(10.0, seed=5)
    seg = extractor.segments_from_16k_blocks([x])
    assert seg.windows.shape == (0, 1040)
    np.testing.assert_array_equal(seg.whole, extractor.from_16k(x))
