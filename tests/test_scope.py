"""Search scope on ranked results (keyword over names and metadata, folder, duration, sample rate),
keyword-only search, result pages; in the service and in `main.py search`."""

from __future__ import annotations

import json

import pytest

from app.cli import main
from app.scope import SearchScope, text_match_score
from tests.helpers import tone, write_wav
from tests.test_metadata import write_bwf
from tests.ui_support import make_service


@pytest.fixture
def scoped_library(tmp_path):
    """foley/: 3 short 48 kHz files, one with a 'creaky door' description; field/: long 22.05 kHz files."""
    foley, field = tmp_path / "lib" / "foley", tmp_path / "lib" / "field"
    write_bwf(foley / "door_a.wav", description="creaky wooden door", sr=48_000)
    write_bwf(foley / "door_b.wav", sr=48_000)
    write_bwf(foley / "keys.wav", sr=48_000)
    for i in range(4):
        write_wav(field / f"wind_{i}.wav", tone(200 + 50 * i, 2.5, 22_050), 22_050)
    return tmp_path / "lib"


def test_scope_limits_ranked_results_and_pages(tmp_path, encoder, scoped_library):
    svc = make_service(tmp_path, encoder)
    svc.import_folders([scoped_library])
    query = scoped_library / "field" / "wind_0.wav"
    everything = svc.search(query, top_k=50)
    assert len(everything) == 6
    in_foley = svc.search(query, top_k=50, scope=SearchScope(folder=scoped_library / "foley"))
    assert {r.path.parent.name for r in in_foley} == {"foley"} and len(in_foley) == 3
    long_only = svc.search(query, top_k=50, scope=SearchScope(min_duration=2.0))
    assert {r.path.name for r in long_only} == {"wind_1.wav", "wind_2.wav", "wind_3.wav"}
    assert svc.search(query, top_k=50, scope=SearchScope(max_duration=1.0, min_sample_rate=44_100)) \
        == svc.search(query, top_k=50, scope=SearchScope(folder=scoped_library / "foley"))
    by_words = svc.search(query, top_k=50, scope=SearchScope(keyword="creaky"))  # in the description only
    assert [r.path.name for r in by_words] == ["door_a.wav"]
    # pages: results 3..4 are the 3rd and 4th of the full ranking, ranks continue
    page = svc.search(query, top_k=2, offset=2)
    assert [r.score for r in page] == pytest.approx([r.score for r in everything[2:4]])  # foley files tie
    assert [r.rank for r in page] == [3, 4]
    svc.close()


def test_keyword_only_search_ranks_by_text_match(tmp_path, encoder, scoped_library):
    svc = make_service(tmp_path, encoder)
    svc.import_folders([scoped_library])
    results = svc.search(None, scope=SearchScope(keyword="door creaky"), top_k=10)
    assert [r.path.name for r in results] == ["door_a.wav", "door_b.wav"]  # both words beat one
    assert results[0].score == pytest.approx((1.0 + 0.6) / 2) and results[1].score == pytest.approx(0.5)
    assert [r.rank for r in results] == [1, 2]
    assert svc.search(None, scope=SearchScope(keyword="door", folder=scoped_library / "field")) == []
    assert text_match_score(["wind"], "wind_1.wav", "", "/x/field") == 1.0
    assert text_match_score(["field"], "wind_1.wav", "", "/x/field") == 0.3
    svc.close()


def test_cli_search_scope_flags_and_keyword_only(tmp_path, heads_path, monkeypatch, capsys, scoped_library):
    monkeypatch.setenv("NUDGE_HEADS", str(heads_path))
    data = tmp_path / "data"

    def cli(*args) -> int:
        return main(["--data-dir", str(data), *map(str, args)])

    assert cli("index", scoped_library) == 0
    capsys.readouterr()
    query = scoped_library / "field" / "wind_0.wav"
    assert cli("search", "--query", query, "--folder", scoped_library / "foley", "--top", "10", "--json") == 0
    out = json.loads(capsys.readouterr().out)
    assert len(out["results"]) == 3 and all("/foley/" in r["path"] for r in out["results"])
    assert cli("search", "--query", query, "--min-duration", "2", "--max-duration", "3", "--min-sr", "16000",
               "--json") == 0
    names = sorted(r["path"].rsplit("/", 1)[1] for r in json.loads(capsys.readouterr().out)["results"])
    assert names == ["wind_1.wav", "wind_2.wav", "wind_3.wav"]
    assert cli("search", "--keyword", "creaky door") == 0  # no query sound: text match
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].split()[0] == "1" and lines[0].endswith("door_a.wav") and len(lines) == 2
    assert cli("search", "--query", query, "--top", "2", "--offset", "4", "--json") == 0
    assert [r["rank"] for r in json.loads(capsys.readouterr().out)["results"]] == [5, 6]
    assert cli("search") == 2
    assert "--keyword" in capsys.readouterr().err


def test_keyword_candidates_are_kept_until_the_library_changes(tmp_path, encoder, scoped_library):
    """One search asks for a sound's names up to three times (156 ms each over 100,000 files): the list is kept,
    and read again after a tag written here or by another process, or an import."""
    import threading

    from app.db import LibraryDB

    svc = make_service(tmp_path, encoder)
    svc.import_folders([scoped_library])
    db, thunder = svc.db, SearchScope("thunder")
    assert db.keyword_candidates(thunder) == []
    calls = []
    reads = db._keyword_candidates
    db._keyword_candidates = lambda *a: calls.append(a) or reads(*a)
    assert db.keyword_candidates(thunder) == [] and calls == []  # kept
    db.tag_files([scoped_library / "foley" / "keys.wav"], "thunder")
    assert [d for _, d, _ in db.keyword_candidates(thunder)] == [str(scoped_library / "foley" / "keys.wav")]
    other = LibraryDB(tmp_path / "data")  # another process's connection: its commit is seen here
    done = threading.Thread(target=lambda: other.tag_files([scoped_library / "foley" / "door_b.wav"], "thunder"))
    done.start()
    done.join()
    assert len(db.keyword_candidates(thunder)) == 2 and len(calls) == 2
    write_wav(scoped_library / "thunder_far.wav", tone(90, 1.0, 22_050), 22_050)
    svc.import_folders([scoped_library])
    assert len(db.keyword_candidates(thunder)) == 3
    svc.close()


def test_a_search_s_own_words_join_the_scope_s():
    from app.scope import SearchScope

    scope = SearchScope(keyword="rain", min_duration=1.0)
    assert scope.with_words("heli") == SearchScope(keyword="rain heli", min_duration=1.0)
    assert scope.with_words("  ") is scope and SearchScope().with_words("door").keyword == "door"
