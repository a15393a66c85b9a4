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
