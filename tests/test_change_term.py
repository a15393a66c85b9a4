"""The change term: candidates changed the way the words point rank higher among the clip's near versions."""

import numpy as np
import pytest

from model.change_term import ChangeWeights, change_alignment, change_scores
from model.compose import l2_normalize


def _unit(*values: float) -> np.ndarray:
    return l2_normalize(np.array(values, dtype=np.float32))


def test_alignment_is_the_cosine_of_the_change_with_the_offset():
    clip, offset = _unit(1, 0, 0), _unit(0, 1, 0)
    rows = np.stack([_unit(1, 1, 0), _unit(1, -1, 0), _unit(1, 0, 1), _unit(1, 0, 0)])
    cosine, near = change_alignment(rows, clip, offset)
    # (1, 1, 0) / sqrt 2 - (1, 0, 0) points 22.5 degrees off the offset; the clip itself gives 0, not nan
    np.testing.assert_allclose(cosine[0], [np.cos(np.pi / 8), -np.cos(np.pi / 8), 0.0, 0.0], atol=1e-6)
    np.testing.assert_allclose(near[0], [np.sqrt(0.5), np.sqrt(0.5), np.sqrt(0.5), 1.0], atol=1e-6)


def test_scores_weight_by_closeness_to_the_clip_and_ignore_far_rows():
    clip, offset = _unit(1, 0, 0), _unit(0, 1, 0)
    near_right, far_right = _unit(1, 0.2, 0), _unit(-1, 0.2, 0)  # both moved along the offset
    term = change_scores(np.stack([near_right, far_right]), clip, offset, ChangeWeights(0.2, 8))[0]
    assert term[0] > 0.1
    assert term[1] == 0.0  # facing away from the clip: max(cos, 0) ** p is 0


def test_off_or_without_words_the_term_is_zero():
    rows = np.stack([_unit(1, 1, 0), _unit(0, 1, 1)])
    assert not change_scores(rows, _unit(1, 0, 0), _unit(0, 1, 0), ChangeWeights(0.0, 4)).any()
    zero_offset = np.zeros((1, 3), dtype=np.float32)
    assert not change_scores(rows, _unit(1, 0, 0), zero_offset, ChangeWeights(0.2, 4)).any()


def test_term_reorders_the_clips_versions_by_the_words():
    rng = np.random.default_rng(0)
    clip_raw = rng.standard_normal(16).astype(np.float32) * 3
    offset_raw = rng.standard_normal(16).astype(np.float32)
    clip = l2_normalize(clip_raw)
    # two versions as near the clip: one moved with the words, one moved against them
    right = l2_normalize(clip + 0.3 * l2_normalize(offset_raw))
    wrong = l2_normalize(clip - 0.3 * l2_normalize(offset_raw))
    values = change_scores(np.stack([right, wrong]), clip_raw, offset_raw, ChangeWeights(0.2, 8))[0]
    assert values[0] > 0 > values[1]


def test_non_finite_rows_give_no_term():
    rows = np.array([[np.nan, 0, 0], [1, 1, 0]], dtype=np.float32)
    term = change_scores(rows, _unit(1, 0, 0), _unit(0, 1, 0), ChangeWeights(0.2, 2))[0]
    assert np.isfinite(term).all()
    assert term[0] == pytest.approx(0.0)
