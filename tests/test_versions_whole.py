"""Versions over 14.4 s (IndexConfig.versions_whole): files stored cut into windows whose length is about a query
clip's are matched by their whole-file vector and read by the reranker, as short files are and as `evaluate` does."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from app.config import IndexConfig
from app.rerank import RerankState
from app.rerank_reads import version_positions
from app.service import SearchService
from tests.helpers import ReverseReranker, write_wav
from tests.library_helpers import clip
from tests.test_search_rerank import _gain_weights


class _Blocks(SimpleNamespace):
    def __len__(self) -> int:
        return len(self.duration)


def test_version_positions_are_the_cut_files_about_a_clips_length() -> None:
    b = _Blocks(duration=np.array([20.0, 20.0, 25.9, 13.0, 26.5, 60.0, np.nan]),
                segments=np.array([3, 0, 4, 2, 4, 11, 3]))
    assert version_positions(b, 20.0) == {0, 2}  # 25.9 within 30% of 20 s; 26.5 and 60 are not; short files are
    # matched whole anyway; an unknown length never counts
    assert version_positions(b, 20.0, on=False) == set()
    assert version_positions(_Blocks(duration=np.array([70.0, 61.0]), segments=np.array([12, 11])), 65.0) == set()
    # a query over 60 s is a take: its own length's files stay takes
    assert version_positions(_Blocks(duration=np.array([55.0, 60.0]), segments=np.array([10, 11])), 58.0) == {0, 1}
    assert version_positions(b, float("nan")) == set()
    assert version_positions(_Blocks(duration=np.array([15.05]), segments=np.array([1])), 15.0) == {0}


@pytest.fixture
def versions(tmp_path, encoder, heads_path):
    """A 20 s clip's quieter and louder versions (cut into windows) and a 20 s query at a level between them."""
    base = clip(5, 20.0)
    for name, gain in {"x0.5": 0.5, "x2": 2.0}.items():
        write_wav(tmp_path / "lib" / f"{name}.wav", base * gain)
    query = write_wav(tmp_path / "query.wav", base * 0.7)
    return tmp_path, query, _gain_weights(tmp_path, heads_path)


def search(tmp_path, encoder, weights, query, words: str, on: bool) -> list:
    with SearchService(tmp_path / "data", encoder=encoder, config=IndexConfig(workers=0, versions_whole=on)) as svc:
        svc._rerank = RerankState(weights)
        svc.import_folders([tmp_path / "lib"])
        assert svc.library_blocks().segments.min() > 0  # both versions are stored cut
        return svc.search(query, words, top_k=2)


def test_cut_versions_of_a_clip_are_matched_whole_and_read(versions, encoder):
    tmp_path, query, weights = versions
    louder = search(tmp_path, encoder, weights, query, "make it louder", True)
    quieter = search(tmp_path, encoder, weights, query, "make it quieter", True)
    assert [r.path.stem for r in louder] == ["x2", "x0.5"] and [r.path.stem for r in quieter] == ["x0.5", "x2"]
    assert all(r.reranked and r.start == 0.0 and r.end is None for r in louder + quieter)  # whole files, read


def test_without_the_setting_cut_versions_are_takes_the_reranker_does_not_read(versions, encoder):
    tmp_path, query, weights = versions
    results = search(tmp_path, encoder, weights, query, "make it louder", False)
    assert len(results) == 2 and not any(r.reranked for r in results)


def test_the_import_keeps_the_evidence_of_files_read_whole_up_to_78_s(tmp_path, encoder, heads_path, monkeypatch):
    """A 20 s file's per-patch evidence is kept at import, as YAMNet computes it for the file, so the first search
    from a 20 s clip reads its versions without running YAMNet on them; a 90 s take keeps none."""
    from app.db_blocks import path_key
    from model.patch_evidence import evidence_from_file

    version = write_wav(tmp_path / "lib" / "version.wav", clip(5, 20.0) * 2.0)
    take = write_wav(tmp_path / "lib" / "take.wav", clip(6, 90.0))
    query = write_wav(tmp_path / "query.wav", clip(5, 20.0) * 0.7)
    with SearchService(tmp_path / "data", encoder=encoder, config=IndexConfig(workers=0)) as svc:
        svc._rerank = RerankState(_gain_weights(tmp_path, heads_path))
        svc.import_folders([tmp_path / "lib"])
        kept = svc.db.stored_evidence([(path_key(p), p.stat().st_size, p.stat().st_mtime_ns) for p in (version, take)],
                                      svc.encoder.audio_graph)
        assert set(kept) == {path_key(version)}
        expected = evidence_from_file(encoder.features.backbone, version)
        np.testing.assert_array_equal(kept[path_key(version)].classes, expected.classes)
        np.testing.assert_allclose(kept[path_key(version)].levels, expected.levels, atol=1e-4)

        def no_yamnet(*args):
            raise AssertionError("YAMNet ran for a version whose evidence the import kept")

        monkeypatch.setattr("app.rerank.whole_file_evidence", no_yamnet)
        monkeypatch.setattr("app.rerank_reads.whole_file_evidence", no_yamnet)
        results = svc.search(query, "make it louder", top_k=2)
    assert results[0].path == version and results[0].reranked


@pytest.fixture
def cli(tmp_path, heads_path, monkeypatch):
    """main.py on a library in tmp_path, with the stand-in reranker (it reorders whatever it reads)."""
    from app.cli import main

    monkeypatch.setenv("NUDGE_HEADS", str(heads_path))
    reranker = ReverseReranker()
    monkeypatch.setattr("app.rerank_reads.load_reranker", lambda *_, **__: (reranker, "stand-in reranking on"))
    return lambda *args: main(["--data-dir", str(tmp_path / "data"), *map(str, args)])


def test_the_cli_says_a_query_over_60_s_is_read_as_a_long_take(cli, tmp_path, capsys):
    """Trial 60: a 35 s mix's reordering switched off with the reason "no first result is within the query's length"
    beside a version of its exact length. Over 60 s the query is a take: said so, with the --range way out."""
    base = clip(5, 65.0)
    write_wav(tmp_path / "lib" / "louder.wav", base * 2.0)
    write_wav(tmp_path / "lib" / "quieter.wav", base * 0.5)
    query = write_wav(tmp_path / "query.wav", base * 0.7)
    assert cli("index", tmp_path / "lib") == 0
    capsys.readouterr()
    assert cli("search", "--query", query, "--modify", "make it louder", "--json") == 0
    out = json.loads(capsys.readouterr().out)
    assert not out["reranked"] and "a query over 60 s is read as a long take" in out["rerank_status"]
    assert "--range of up to 60 s" in out["rerank_status"]
    assert cli("search", "--query", query, "--modify", "make it louder") == 0  # trial 61: the text output too
    assert "a query over 60 s is read as a long take" in capsys.readouterr().err


def test_evaluate_on_the_library_reads_cut_versions_as_search_does(versions, encoder):
    """Trial 60: `evaluate --gallery library` left files cut into windows unread, so a 20-30 s mix's versions that
    search put first ranked far lower there. Files search can read whole now have their evidence there too."""
    tmp_path, _, _ = versions
    write_wav(tmp_path / "lib" / "take.wav", clip(7, 90.0))
    with SearchService(tmp_path / "data", encoder=encoder, config=IndexConfig(workers=0)) as svc:
        svc.import_folders([tmp_path / "lib"])
        found = svc.library_evidence([str(tmp_path / "lib" / n) for n in ("x0.5.wav", "x2.wav", "take.wav")])
    assert sorted(Path(p).name for p in found) == ["x0.5.wav", "x2.wav"]  # the 90 s take is read by its moments


@pytest.fixture(scope="module")
def shipped_encoder():
    """The shipped heads: their moment terms lower these tones' takes for "add a dog barking" (random heads may not)."""
    from model.encoder import NudgeEncoder
    from model.paths import heads_path

    return NudgeEncoder(heads_path())


@pytest.mark.parametrize("on", [True, False])
def test_a_versions_moments_keep_their_plain_match(versions, shipped_encoder, on):
    """Trial 60: `--moments` on a 25 s mix's version marked it v (lowered as a take lacking what the words add),
    though search lists it as a whole-file version with no mark. Its moments now keep their plain match."""
    tmp_path, query, _ = versions
    write_wav(tmp_path / "lib" / "other.wav", clip(8, 60.0))  # an unrelated take beside them
    config = IndexConfig(workers=0, versions_whole=on)
    with SearchService(tmp_path / "data", encoder=shipped_encoder, config=config) as svc:
        svc.import_folders([tmp_path / "lib"])
        moments = svc.file_moments(tmp_path / "lib" / "x2.wav", query, "add a dog barking")
    assert moments and all((r.score == pytest.approx(r.plain_match)) == on for r in moments)


def test_a_query_over_60_s_is_said_to_be_read_as_a_long_take(tmp_path):
    """The service's sentence (the CLI's status and the app's header), only with words and over 60 s of query."""
    from types import SimpleNamespace

    from app.ui.step_text import after_results_html

    take = write_wav(tmp_path / "take.wav", clip(3, 65.0))
    clip_file = write_wav(tmp_path / "clip.wav", clip(3, 30.0))
    note = SearchService.long_query_note(take, "make it louder")
    assert note.startswith("a query over 60 s is read as a long take") and "edited version" in note
    assert SearchService.long_query_note(take, "") == SearchService.long_query_note(clip_file, "add thunder") == ""
    assert SearchService.long_query_note(take, "add thunder", (0.0, 30.0)) == ""  # a part of up to 60 s is a clip
    done = SimpleNamespace(results=[], query_offline="", disk="", unchanged=None, moved="", long_query=note)
    assert "A query over 60 s is read as a long take" in after_results_html(done)
    assert "select up to 60 s of it" in after_results_html(done)


def test_a_rescan_fills_the_evidence_of_an_older_librarys_versions(tmp_path, encoder):
    """A library imported before the import kept evidence of files up to 78 s gets it at the next rescan, so its first
    searches from a long clip run no YAMNet on the versions; a 90 s take still gets none."""
    from app.db_blocks import path_key

    version = write_wav(tmp_path / "lib" / "version.wav", clip(5, 20.0))
    write_wav(tmp_path / "lib" / "take.wav", clip(6, 90.0))
    with SearchService(tmp_path / "data", encoder=encoder, config=IndexConfig(workers=0)) as svc:
        svc.import_folders([tmp_path / "lib"])
        with svc.db.transaction() as conn:
            conn.execute("DELETE FROM patch_evidence")
        assert svc.import_folders(None).evidence_filled == 1
        kept = {row[0] for row in svc.db.conn.execute("SELECT path FROM patch_evidence")}
    assert kept == {path_key(version)}


def test_the_app_says_a_selection_is_too_short_to_tell_sounds_apart():
    """Trial 59: only the CLI said a query part under 0.25 s was too short to read; the app's header says it too."""
    from types import SimpleNamespace

    from app.ui.step_text import after_results_html

    note = SearchService.short_part_note(0.12)
    assert note.startswith("the query part is only 0.12 s long") and SearchService.short_part_note(0.5) == ""
    assert SearchService.short_part_note(0.3).startswith("the query part is only 0.30 s")  # trial 61: a bark onset
    done = SimpleNamespace(results=[], query_offline="", disk="", unchanged=None, moved="", short_part=note)
    assert "The query part is only 0.12 s long: Nudge hears too little of it" in after_results_html(done)


def test_versions_past_k_within_reach_join_the_results_the_reordering_reads():
    """v2 eval City street: a 5 s clip's version ranked 87th-100th by match, behind other clips' windows, was never
    read by the reordering (the first K = 80); within reach x K it joins them (IndexConfig.rerank_version_reach)."""
    from app.rerank_reads import versions_in_reach

    blocks = SimpleNamespace(segments=np.array([0, 0, 3, 0, 2, 0]), duration=np.array([5.0, 5.1, 20.0, 5.0, 16.0, 9.0]))
    hits = [SimpleNamespace(block=b) for b in (2, 4, 2, 1, 3, 5, 0)]  # positions past k=2: blocks 2, 1, 3, 5, 0

    def gate(query: float, seconds: float | None) -> bool:
        return seconds is not None and abs(seconds - query) <= 0.5

    moved, k = versions_in_reach(hits, 2, 2, blocks, 5.0, set(), gate)  # reach 2 x 2: positions 2 and 3
    assert k == 3 and [h.block for h in moved] == [2, 4, 1, 2, 3, 5, 0]  # block 1 (5.1 s, whole) joins; 20 s take not
    assert versions_in_reach(hits, 2, 0, blocks, 5.0, set(), gate) == (hits, 2)  # off
    wide, k = versions_in_reach(hits, 2, 4, blocks, 5.0, {2}, gate)  # reach 8: all; a cut file in ``whole`` of
    assert k == 5 and [h.block for h in wide] == [2, 4, 1, 3, 0, 2, 5]  # another length (20 s) is no version
