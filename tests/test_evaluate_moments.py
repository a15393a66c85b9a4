"""`evaluate` with time-range columns: query regions and target moments (app.evaluate_moments)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.errors import LibraryError
from app.evaluate import evaluate_pairs, read_pairs
from app.evaluate_moments import evaluate_moments, uses_ranges
from tests.helpers import write_wav
from tests.library_helpers import make_clips, service
from tests.test_moments import planted_take

HEADER = "query_path,text,target_path,query_start,query_end,target_start,target_end"


def write_csv(path, rows, header=HEADER):
    path.write_text("\n".join([header, *[",".join(r) for r in rows]]) + "\n")
    return path


def test_range_columns_are_read_in_seconds_or_minutes(tmp_path):
    pairs = read_pairs(write_csv(tmp_path / "p.csv", [("a.wav", "", "b.wav", "0:39", "43", "", ""),
                                                        ("a.wav", "", "b.wav", "", "", "1:00.5", "1:02")]))
    assert pairs[0].query_range == (39.0, 43.0) and pairs[0].target_range is None
    assert pairs[1].target_range == (60.5, 62.0) and pairs[1].query_range is None and uses_ranges(pairs)
    assert not uses_ranges(read_pairs(write_csv(tmp_path / "q.csv", [("a.wav", "", "b.wav", "", "", "", "")])))
    with pytest.raises(LibraryError, match="line 2.*not a time range"):
        read_pairs(write_csv(tmp_path / "bad.csv", [("a.wav", "", "b.wav", "5", "4", "", "")]))
    with pytest.raises(LibraryError, match="not a time range"):
        read_pairs(write_csv(tmp_path / "bad2.csv", [("a.wav", "", "b.wav", "", "", "x", "3")]))


@pytest.fixture(scope="module")
def takes(tmp_path_factory):
    root = tmp_path_factory.mktemp("evalmoments")
    make_clips(root / "lib", 6, seconds=5.0)
    write_wav(root / "lib" / "take_a.wav", planted_take(60.0, 40.0, seed=3))
    write_wav(root / "lib" / "take_b.wav", planted_take(60.0, 15.0, seed=4))
    return root


def test_a_hit_needs_the_right_file_and_an_overlapping_moment(takes, encoder):
    rows = [("lib/take_a.wav", "", "lib/take_b.wav", "39", "43", "14", "18"),  # the burst: found
            ("lib/take_a.wav", "", "lib/take_b.wav", "39", "43", "45", "55")]  # right file, wrong place
    pairs = read_pairs(write_csv(takes / "pairs.csv", rows))
    result = evaluate_moments(pairs, encoder, workers=0)
    m = result.metrics
    assert m["pairs"] == 2 and m["gallery"] == 1
    assert m["baseline_R@1"] == 0.5  # one target range overlaps the best moment, the other does not
    assert [(r.pair.line, r.baseline) for r in result.ranks] == [(2, 1), (3, None)]  # never found: no rank


def test_library_gallery_with_ranges_matches_the_search(takes, encoder):
    svc = service(takes, encoder)
    svc.import_folders([takes / "lib"])
    rows = [("lib/take_a.wav", "", "lib/take_b.wav", "39", "43", "14", "18"),
            ("lib/clip_000.wav", "", "lib/clip_003.wav", "", "", "", "")]
    pairs = read_pairs(write_csv(takes / "lib_pairs.csv", rows))
    result = evaluate_moments(pairs, encoder, workers=0, library=svc.library_blocks())
    m = result.metrics
    assert m["gallery"] == 8
    first = svc.search(takes / "lib" / "take_a.wav", top_k=1, query_range=(39.0, 43.0))[0]
    assert first.path.name == "take_b.wav" and first.start < 18 and first.end > 14  # search finds the burst ...
    assert Path(result.ranks[0].baseline_first).name == "take_b.wav"  # ... and evaluate puts the same file first
    assert m["baseline_R@1"] >= 0.5  # ... and so does evaluate (the second pair depends on the random heads)
    # without range columns nothing changes: the whole-file path gives the same figures as before
    plain = read_pairs(write_csv(takes / "plain.csv", [rows[1]], header="query_path,text,target_path"))
    library = svc.library_gallery()
    whole = evaluate_pairs(plain, encoder, workers=0, library=library).metrics
    blocks = evaluate_moments(plain, encoder, workers=0, library=svc.library_blocks()).metrics
    assert whole["baseline_R@1"] == blocks["baseline_R@1"] and whole["baseline_MRR"] == blocks["baseline_MRR"]
    svc.close()


def test_evaluate_scores_long_takes_with_the_words_as_search_does(takes, encoder, tmp_path):
    from app.evaluate_moments import _rank
    from app.moment_terms import moment_terms

    svc = service(tmp_path, encoder)
    svc.import_folders([takes / "lib"])
    gallery = svc.library_blocks()
    position = {p: i for i, p in enumerate(gallery.paths)}
    query, text = takes / "lib" / "clip_001.wav", "add a dog barking"
    found = {r.path.name: (r.start, r.end) for r in svc.search(query, text, top_k=8, exclude_query=False)}
    audio, classes = encoder.embed_file_with_classes(query)
    terms = moment_terms(encoder, text, audio, classes, 1.0, svc.config.moment_weights())
    assert terms is not None and terms.take_classes is not None  # the takes' class rows are used too
    q = encoder.query_vector(audio, text, 1.0)
    for take in ("take_a.wav", "take_b.wav"):
        start, end = found[take]
        pair = read_pairs(write_csv(tmp_path / "one.csv", [(str(tmp_path / "x.wav"), text, str(takes / "lib" / take),
                                                            "", "", f"{start + 0.1:.2f}", f"{end - 0.1:.2f}")]))[0]
        rank, first = _rank(gallery, position, pair, q, svc.config.moment_share, terms)
        assert rank == list(found).index(take) + 1  # same file rank and same moment as the search
        assert Path(gallery.paths[first]).name == next(iter(found))  # and the search's first result
    svc.close()


def test_evaluate_floors_takes_named_for_the_added_sound_as_search_does(takes, encoder, tmp_path):
    """Seventeenth long-recording round: a take named for a sound the words add keeps no row below its cosine, in a
    search and in `evaluate` with ranges alike."""
    import shutil

    from app.evaluate_moments import _rank, named_takes
    from app.moment_terms import moment_terms

    lib = tmp_path / "named" / "lib"  # a copy: the module's library stays as the other tests left it
    shutil.copytree(takes / "lib", lib)
    shutil.copy(lib / "take_b.wav", lib / "dog_barking_take.wav")
    svc = service(tmp_path, encoder)
    svc.import_folders([lib])
    gallery = svc.library_blocks()
    position = {p: i for i, p in enumerate(gallery.paths)}
    query, text = lib / "clip_001.wav", "add a dog barking"
    named = named_takes(gallery, text)
    assert [Path(gallery.paths[i]).name for i in named] == ["dog_barking_take.wav"]
    assert named_takes(gallery, "remove the dog") == named_takes(gallery, "") == set()
    found = {r.path.name: (r.start, r.end) for r in svc.search(query, text, top_k=8, exclude_query=False)}
    audio, classes = encoder.embed_file_with_classes(query)
    terms = moment_terms(encoder, text, audio, classes, 1.0, svc.config.moment_weights())
    q = encoder.query_vector(audio, text, 1.0)
    start, end = found["dog_barking_take.wav"]
    pair = read_pairs(write_csv(tmp_path / "one.csv", [(str(tmp_path / "x.wav"), text, str(
        lib / "dog_barking_take.wav"), "", "", f"{start + 0.1:.2f}", f"{end - 0.1:.2f}")]))[0]
    rank, _ = _rank(gallery, position, pair, q, svc.config.moment_share, terms, named)
    assert rank == list(found).index("dog_barking_take.wav") + 1  # the search's rank and moment
    svc.close()


def test_rows_without_ranges_keep_the_reranking_beside_rows_with_them(takes, tmp_path, heads_path, monkeypatch,
                                                                      capsys):
    """Trial 50: one long-take row in a pairs file turned the reranking off for every row (12/14 at R@1 -> 4/14).
    Whole-file rows are now ranked as search ranks them (reranked), rows with ranges by moments, over one library."""
    import json

    from app.cli import main
    from tests.helpers import ReverseReranker

    monkeypatch.setenv("NUDGE_HEADS", str(heads_path))
    monkeypatch.setattr("app.rerank_reads.load_reranker", lambda heads, weights=None: (ReverseReranker(),
                                                                                 "stand-in reranking on"))
    data = ["--data-dir", str(tmp_path / "data")]
    assert main([*data, "index", str(takes / "lib")]) == 0
    whole = [(str(takes / "lib" / f"clip_00{i}.wav"), "add a dog barking", str(takes / "lib" / f"clip_00{i + 1}.wav"),
              "", "", "", "") for i in range(3)]
    ranged = [(str(takes / "lib" / "take_a.wav"), "", str(takes / "lib" / "take_b.wav"), "39", "43", "14", "18")]
    capsys.readouterr()

    def evaluate(rows, name) -> dict:
        assert main([*data, "evaluate", str(write_csv(tmp_path / name, rows)), "--gallery", "library", "--json"]) == 0
        return json.loads(capsys.readouterr().out)

    alone, mixed = evaluate(whole, "whole.csv"), evaluate(whole + ranged, "mixed.csv")
    assert alone["reranked"] and mixed["reranked"] and "ranked by moments, without it" in mixed["rerank_status"]
    assert [p["rank"] for p in mixed["per_pair"][:3]] == [p["rank"] for p in alone["per_pair"]]
    assert [p["line"] for p in mixed["per_pair"]] == [2, 3, 4, 5] and mixed["pairs"] == 4
    assert mixed["per_pair"][3]["audio_only_rank"] == 1  # the burst's moment, as ranked alone by moments
