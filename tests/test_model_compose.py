"""Composition and scoring math on tiny tensors."""

from __future__ import annotations

import numpy as np
import pytest

from model.compose import compose_query, cosine_scores, l2_normalize, top_k


def test_compose_is_normalized_sum() -> None:
    a, t = np.array([3.0, 0.0]), np.array([0.0, 4.0])
    np.testing.assert_allclose(compose_query(a, t), [0.6, 0.8], atol=1e-6)


def test_strength_weights_the_text() -> None:
    a, t = np.array([1.0, 0.0]), np.array([0.0, 1.0])
    np.testing.assert_allclose(compose_query(a, t, strength=0.5), l2_normalize(np.array([1.0, 0.5])), atol=1e-6)


@pytest.mark.parametrize("text", [None, np.array([5.0, 5.0])])
def test_baseline_is_the_audio_direction(text: np.ndarray | None) -> None:
    a = np.array([2.0, 0.0])
    np.testing.assert_allclose(compose_query(a, text, strength=0.0), [1.0, 0.0])


def test_batched_composition() -> None:
    a = np.array([[1.0, 0.0], [0.0, 2.0]])
    t = np.array([[1.0, 0.0], [0.0, -4.0]])
    np.testing.assert_allclose(compose_query(a, t), [[1.0, 0.0], [0.0, -1.0]], atol=1e-6)


def test_dimension_mismatch_is_an_error() -> None:
    with pytest.raises(ValueError, match="dimension"):
        compose_query(np.ones(3), np.ones(2))


def test_cosine_scores_against_reference() -> None:
    rng = np.random.default_rng(0)
    q, g = rng.standard_normal(4), rng.standard_normal((5, 4))
    expected = [float(q @ row / np.linalg.norm(q) / np.linalg.norm(row)) for row in g]
    np.testing.assert_allclose(cosine_scores(q, g), expected, atol=1e-6)


def test_zero_vector_stays_zero() -> None:
    np.testing.assert_array_equal(l2_normalize(np.zeros(3)), np.zeros(3))


def test_top_k_orders_best_first_and_clips_k() -> None:
    scores = np.array([0.1, 0.9, 0.5, 0.9, -1.0])
    assert top_k(scores, 3).tolist() == [1, 3, 2]
    assert top_k(scores, 10).tolist() == [1, 3, 2, 0, 4]
    assert top_k(scores, 0).size == 0


def test_encoder_compose_skips_the_correction_without_text(tmp_path) -> None:
    """NudgeEncoder.compose (the run-time composer; tests/test_runtime_parity.py ties it to the torch
    heads): a zero T(text) row or strength 0 gives the plain audio direction, correction or not."""
    import torch

    from model.checkpoint import save_heads
    from model.encoder import NudgeEncoder
    from model.heads import HeadsConfig, NudgeHeads

    torch.manual_seed(0)
    heads = NudgeHeads(HeadsConfig(embed_dim=8, class_names=["rain"], composer="residual")).eval()
    torch.nn.init.normal_(heads.composer[2].weight)
    torch.nn.init.normal_(heads.composer[2].bias)
    save_heads(heads, tmp_path / "residual.safetensors")
    encoder = NudgeEncoder(tmp_path / "residual.safetensors", load_audio=False)
    a, t = np.random.default_rng(0).standard_normal((2, 4, 8)).astype(np.float32)
    t[1] = 0.0
    with torch.inference_mode():
        expected = torch.nn.functional.normalize(heads.compose(torch.from_numpy(a), torch.from_numpy(t), 0.5),
                                                 dim=-1).numpy()
    got = encoder.compose(a, t, 0.5)
    np.testing.assert_allclose(got[[0, 2, 3]], expected[[0, 2, 3]], atol=1e-5)
    np.testing.assert_allclose(got[1], l2_normalize(a[1]), atol=1e-6)
    np.testing.assert_allclose(encoder.compose(a, t, 0.0), l2_normalize(a), atol=1e-6)
    with pytest.raises(ValueError, match="dimension"):
        encoder.compose(a, np.ones((4, 3)), 1.0)
