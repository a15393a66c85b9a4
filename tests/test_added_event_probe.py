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


def test_added_pairs_finds_another_version_without_the_event():
    from types import SimpleNamespace

    from training.added_event_probe import added_pairs

    ps = SimpleNamespace(a=np.array([0, 0, 0, 5]), b=np.array([1, 2, 3, 6]),
                         diff_types=[["event_added:dog"], ["event_added:dog", "bg_louder"], ["bg_quieter"],
                                     ["event_added:dog"]])
    found = list(added_pairs(ps))
    assert found == [(0, 1, 3, "dog"), (0, 2, 3, "dog"), (5, 6, None, "dog")]  # only clip 3 lacks the dog


def test_patch_detail_readings_see_the_rise_where_the_patch_changed():
    from training.patch_detail_probe import COLUMNS, readings

    n, cols = 6, sound_classes(["dog"])
    raw = np.full((2 * n, CLASS_COUNT), 180, dtype=np.uint8)
    logits = np.full((2 * n, CLASS_COUNT), -8.0, dtype=np.float32)
    cam = np.full((2 * n, len(COLUMNS), 6), -8.0, dtype=np.float32)
    embedding = np.ones((2 * n, 8), dtype=np.float32)
    raw[n + 2, cols] = 185  # clip 1 (rows n..2n) is clip 0 with a faint dog in its third patch
    logits[n + 2, cols] = -4.0
    cam[n + 2, np.searchsorted(COLUMNS, cols), 0] = 4.0
    embedding[n + 2, :4] = -1.0
    table = {"raw": raw, "logits": logits, "cam": cam, "embedding": embedding, "offsets": np.array([0, n, 2 * n])}
    r = readings(table, 0, 1, "dog")
    assert r["stored"] > 0 and r["float"] == pytest.approx(4 / 3) and r["cam_max"] == pytest.approx(12 / 3)
    assert r["at_novel"] == pytest.approx(4 / 3) and r["novelty"] > 0.5
    assert all(v == pytest.approx(0.0) for v in readings(table, 0, 0, "dog").values())
