"""Level words leaning the first results toward louder / quieter files (app.level_lean; IndexConfig.level_lean, off:
docs/MEASUREMENTS.md "Level words lean toward louder or quieter files")."""

from __future__ import annotations

import os
from types import SimpleNamespace

import numpy as np
import pytest

from app.level_lean import active_level, file_level, lean_hits, leaned_order, level_direction
from model.edits import ADD, LOUDER, QUIETER, Edit
from tests.helpers import write_wav


def test_only_level_words_on_the_query_s_own_sound_lean():
    own = {"rain"}.__contains__
    assert level_direction([Edit(LOUDER, None, True)], own) == 1
    assert level_direction([Edit(QUIETER, "rain")], own) == -1
    assert level_direction([Edit(QUIETER, "dog")], own) == 0  # another sound's level
    assert level_direction([Edit(LOUDER, None, True), Edit(ADD, "dog")], own) == 0
    assert level_direction([Edit(LOUDER, None, True), Edit(QUIETER, "rain")], own) == 0  # both ways


def test_the_lean_reorders_by_score_plus_the_capped_level_difference():
    scores, levels = [0.80, 0.79, 0.70], [-30.0, -10.0, None]  # the query at -20 dBFS
    assert leaned_order(scores, levels, -20.0, +1, 0.05) == [1, 0, 2]  # 10 dB louder: +0.042
    assert leaned_order(scores, levels, -20.0, -1, 0.05) == [0, 1, 2]
    assert leaned_order(scores, [-60.0, -10.0, None], -20.0, +1, 0.0) == [0, 1, 2]  # no weight: the scores


def test_active_level_reads_the_loud_part_and_is_read_again_when_the_file_changes(tmp_path):
    sr = 16000
    burst = np.zeros(sr * 2, dtype=np.float32)
    burst[:sr // 2] = 0.5 * np.sin(np.linspace(0, 2 * np.pi * 440 * 0.5, sr // 2))
    path = write_wav(tmp_path / "burst.wav", burst, sr)
    loud = active_level(path)
    assert loud == pytest.approx(20 * np.log10(0.5 / np.sqrt(2)), abs=1.0)  # a silent tail does not make it quiet
    assert file_level(path) == pytest.approx(loud)
    write_wav(path, burst * 0.1, sr)
    os.utime(path, ns=(10**9, 10**9))  # the same size: its time tells it changed, however fast the rewrite
    assert file_level(path) == pytest.approx(loud - 20.0, abs=0.5)  # changed on disk: read again


def test_lean_hits_moves_only_the_movable_results_in_their_own_slots(tmp_path):
    sr = 16000
    paths = [write_wav(tmp_path / f"f{i}.wav", (0.02 * (i + 1) * np.ones(sr)).astype(np.float32), sr)
             for i in range(3)]
    hits = [SimpleNamespace(score=s) for s in (0.9, 0.8, 0.79, 0.78)]
    movable = [True, False, True, True]
    leaned = lean_hits(hits, lambda i: movable[i], lambda i: paths[[0, 0, 1, 2][i]], active_level(paths[0]), +1, 0.5)
    assert leaned[1] is hits[1]  # read by the reranker: its slot kept
    assert [leaned[i].score for i in (0, 2, 3)] == [0.78, 0.79, 0.9]  # the loudest first among the others
    assert lean_hits(hits, lambda i: True, lambda i: paths[0], None, +1, 0.5) is hits  # no query level: as they were
