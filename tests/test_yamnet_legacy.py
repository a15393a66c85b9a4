"""training.yamnet_legacy: YAMNet as CPUs without VNNI ran it (pairs of products saturated to int16)."""

from __future__ import annotations

import numpy as np
import pytest

from training.yamnet_legacy import LegacyYamnetBackbone, _Layer, _risky_pairs, _saturated_gemm


def _brute_force(x: np.ndarray, weights: np.ndarray) -> np.ndarray:
    k = weights.shape[1] + weights.shape[1] % 2
    xp = np.pad(x, ((0, 0), (0, k - x.shape[1]))).reshape(len(x), -1, 2)
    wp = np.pad(weights, ((0, 0), (0, k - weights.shape[1]))).reshape(len(weights), -1, 2)
    return np.clip(np.einsum("pjk,cjk->pcj", xp, wp), -32768, 32767).sum(-1)


@pytest.mark.parametrize("k", [9, 32, 33])
def test_the_risky_pair_shortcut_equals_saturating_every_pair(k: int) -> None:
    rng = np.random.default_rng(k)
    weights = rng.integers(-128, 128, size=(24, k))
    x = rng.integers(0, 256, size=(50, k))
    x[0] = 255  # all-loud input: many pairs saturate
    layer = _Layer(kind="pointwise", weights=weights, offset=np.zeros(24, np.int64),
                   requant=np.ones(24, np.float32), x_zero=0, y_zero=0, y_scale=np.float32(1),
                   x_scale=np.float32(1), risky=_risky_pairs(weights))
    reference = _brute_force(x, weights)
    assert not np.array_equal(reference, x @ weights.T)  # saturation happens on these inputs
    np.testing.assert_array_equal(_saturated_gemm(layer, x), reference)


def test_legacy_backbone_agrees_with_the_app_graph_on_ordinary_audio() -> None:
    from model.frontend import waveform_to_patches
    from model.yamnet import YamnetBackbone
    from tests.helpers import noise, tone

    patches = waveform_to_patches(tone(440.0, 3.0) + noise(3.0, amp=0.3, seed=1))[:6]
    legacy_conv, legacy_raw = LegacyYamnetBackbone().run_raw(patches)
    conv, raw = YamnetBackbone(threads=1).run_raw(patches)
    assert legacy_conv.shape == conv.shape and legacy_raw.shape == raw.shape
    a, b = legacy_conv.reshape(6, -1), conv.reshape(6, -1)
    cosine = (a * b).sum(1) / np.linalg.norm(a, axis=1) / np.linalg.norm(b, axis=1)
    # both saturate the first conv; the pointwise layers' saturation (legacy only) is rare
    assert cosine.min() > 0.995
    assert np.abs(legacy_raw.astype(int) - raw).max() <= 2
