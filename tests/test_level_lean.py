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


def test_a_level_note_says_when_no_first_result_follows_the_level_words(tmp_path, encoder):
    """Trial 61: "make it quieter" listed versions 2-5 dB louder than the query, with nothing said."""
    from app.config import IndexConfig
    from app.service import SearchService
    from app.ui.step_text import after_results_html
    from tests.library_helpers import clip

    base = clip(6, 2.0)
    for name, gain in {"x2": 2.0, "x3": 3.0}.items():
        write_wav(tmp_path / "lib" / f"{name}.wav", base * gain)
    write_wav(tmp_path / "lib" / "other_quiet.wav", np.concatenate([base] * 3) * 0.1)  # 6 s: not a version of it
    query = write_wav(tmp_path / "query.wav", base * 0.7)
    with SearchService(tmp_path / "data", encoder=encoder, config=IndexConfig(workers=0)) as svc:
        svc.import_folders([tmp_path / "lib"])
        results = svc.search(query, "make it quieter", top_k=5)
        note = svc.level_short_note(query, "make it quieter", results)
        assert note.startswith("none of the 2 results of about the query's length (its versions, it seems) is quieter")
        assert svc.level_short_note(query, "make it louder", svc.search(query, "make it louder", top_k=5)) == ""
        one = [r for r in results if r.path.stem == "x2"]
        assert svc.level_short_note(query, "make it quieter", one).startswith(  # trial 63: "none of the 1 results"
            "the one result of about the query's length (its version, it seems) is not quieter than the query")
        assert svc.level_short_note(query, "add thunder", results) == ""  # not level words
        assert svc.level_short_note(None, "make it quieter", results) == ""
        write_wav(tmp_path / "lib" / "x0.25.wav", base * 0.25)  # a quieter version: nothing to say
        svc.import_folders([tmp_path / "lib"])
        assert svc.level_short_note(query, "make it quieter", svc.search(query, "make it quieter", top_k=5)) == ""
    done = SimpleNamespace(results=[], query_offline="", disk="", unchanged=None, moved="", level_short=note)
    assert "None of the 2 results of about the query&#x27;s length" in after_results_html(done)
