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


def test_numpy_residual_composer_matches_the_heads(tmp_path) -> None:
    import torch

    from model.checkpoint import load_composer, save_heads
    from model.heads import HeadsConfig, NudgeHeads

    torch.manual_seed(0)
    heads = NudgeHeads(HeadsConfig(embed_dim=8, class_names=["rain"], composer="residual")).eval()
    torch.nn.init.normal_(heads.composer[2].weight)
    path = tmp_path / "residual.safetensors"
    save_heads(heads, path)
    composer = load_composer(path)
    assert composer is not None and composer.embed_dim == 8
    a, t = torch.randn(4, 8), torch.randn(4, 8)
    with torch.inference_mode():
        expected = torch.nn.functional.normalize(heads.compose(a, t, 0.5), dim=-1).numpy()
    got = compose_query(a.numpy(), t.numpy(), 0.5, composer)
    np.testing.assert_allclose(got, expected, atol=1e-5)
    # no text (zero row) or strength 0: the plain audio direction, correction or not
    np.testing.assert_allclose(compose_query(a.numpy()[0], np.zeros(8), 1.0, composer), l2_normalize(a.numpy()[0]))
    np.testing.assert_allclose(compose_query(a.numpy(), t.numpy(), 0.0, composer), l2_normalize(a.numpy()))
    plain = NudgeHeads(HeadsConfig(embed_dim=8, class_names=["rain"]))
    save_heads(plain, tmp_path / "plain.safetensors")
    assert load_composer(tmp_path / "plain.safetensors") is None
    from model.encoder import NudgeEncoder

    encoder = NudgeEncoder(path, load_audio=False)
    encoder.seed_text_cache(["add dog"], t.numpy()[:1])
    np.testing.assert_allclose(encoder.query_vector(a.numpy()[0], "add dog", 0.5), expected[0], atol=1e-5)
