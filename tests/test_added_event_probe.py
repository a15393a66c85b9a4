"""training.added_event_probe: the AUC and the named sound's rise on synthetic patches."""

from __future__ import annotations

import numpy as np
import pytest

from model.aligned_rerank import PatchEvidence
from model.class_scores import CLASS_COUNT, sound_classes
from training.added_event_probe import auc, named_rise


def test_auc_counts_pairs_and_half_ties():
    assert auc(np.array([2.0, 3.0]), np.array([1.0])) == 1.0
    assert auc(np.array([1.0]), np.array([2.0])) == 0.0
    assert auc(np.array([1.0, 2.0]), np.array([1.0])) == pytest.approx(0.75)
    assert np.isnan(auc(np.array([]), np.array([1.0])))


def test_named_rise_reads_the_largest_rises_of_the_named_sound():
    quiet = np.full((6, CLASS_COUNT), 60, dtype=np.uint8)
    a = PatchEvidence(quiet, np.zeros(6, dtype=np.float32))
    cols = sound_classes(["dog"])
    barking = quiet.copy()
    barking[2:4, cols] = 250
    top3, peak = named_rise(a, PatchEvidence(barking, np.zeros(6, dtype=np.float32)), "dog")
    assert top3 > 0 and peak > 0.5
    assert named_rise(a, a, "dog") == (0.0, pytest.approx(named_rise(a, a, "dog")[1]))
    assert named_rise(a, PatchEvidence(quiet[:0], np.zeros(0, dtype=np.float32)), "dog") == (0.0, 0.0)
