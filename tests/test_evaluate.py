"""evaluate: pairs CSV parsing, metric plumbing on constructed embeddings, end to end on generated files."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from app.errors import LibraryError
from app.evaluate import Pair, PairRanks, evaluate_pairs, read_pairs, retrieval_ranks, scored_result
from tests.library_helpers import make_clips


def test_retrieval_ranks_and_metrics_proposed_vs_baseline(tmp_path):
    # audio says "x", text says "add y": the target is x+y, a distractor is pure x
    audio = np.array([[1.0, 0.0]])
    text = np.array([[0.0, 1.0]])
    gallery = np.array([[1.0, 1.0], [1.0, 0.0], [0.0, 1.0]])
    found = retrieval_ranks(audio, text, gallery, np.array([0]), np.array([-1]))
    pair = Pair(tmp_path / "x.wav", "add y", tmp_path / "xy.wav", 2)
    result = scored_result([pair], [], len(gallery), found.ranks)
    m = result.metrics
    assert m["proposed_R@1"] == 1.0 and m["baseline_R@1"] == 0.0 and m["baseline_R@5"] == 1.0
    assert m["pairs"] == 1 and m["gallery"] == 3
    assert result.ranks == [PairRanks(pair, 1, 2)]
    # what came first instead: the words find x+y, the clip alone pure x
    assert found.firsts["proposed"].tolist() == [0] and found.firsts["baseline"].tolist() == [1]
    # the query's own file in the gallery is excluded from its ranking
    found = retrieval_ranks(audio, text * 0, gallery, np.array([0]), np.array([1]))
    assert scored_result([pair], [], len(gallery), found.ranks).metrics["baseline_R@1"] == 1.0
    assert found.firsts["baseline"].tolist() == [0]
    # a gallery holding only the query's own file ranks nothing first
    alone = retrieval_ranks(audio, text, gallery[:1], np.array([0]), np.array([0]))
    assert alone.firsts["proposed"].tolist() == [-1] and alone.firsts["baseline"].tolist() == [-1]


def write_csv(path, rows, header="query_path,text,target_path"):
    path.write_text("\n".join([header, *[",".join(r) for r in rows]]) + "\n")
    return path


def test_read_pairs_takes_the_training_pairs_own_format_and_plain_names(tmp_path):
    """The training pairs' CSV (a_path, b_path: clip a, clip b) and plain header names read without converting."""
    header = "pair_id,scene,split,a_path,b_path,text,diff_types"
    (pair,) = read_pairs(write_csv(tmp_path / "pairs.csv", [("p0", "rain", "eval", "audio/a.flac", "audio/b.flac",
                                                             "add thunder", "event_added")], header=header))
    assert (pair.query, pair.text, pair.target) == (tmp_path / "audio/a.flac", "add thunder", tmp_path / "audio/b.flac")
    (pair,) = read_pairs(write_csv(tmp_path / "plain.csv", [("a.wav", "add a dog", "b.wav")],
                                   header="Query, Description ,Target"))
    assert (pair.query.name, pair.text, pair.target.name) == ("a.wav", "add a dog", "b.wav")
    (pair,) = read_pairs(write_csv(tmp_path / "paper.csv", [("a.wav", "add a dog", "b.wav")],
                                   header="Query Audio,Text-Modifier,Target Audio"))  # the paper's terms
    assert (pair.query.name, pair.text, pair.target.name) == ("a.wav", "add a dog", "b.wav")


def test_read_pairs_expands_the_home_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (pair,) = read_pairs(write_csv(tmp_path / "pairs.csv", [("~/Sounds/a.wav", "add a dog", "b.wav")]))
    assert pair.query == tmp_path / "home" / "Sounds" / "a.wav" and pair.target == tmp_path / "b.wav"


def test_read_pairs_takes_semicolons_and_tabs_as_spreadsheets_save_them(tmp_path):
    for name, sep in (("semi.csv", ";"), ("tabs.tsv", "\t")):
        path = tmp_path / name
        path.write_text(sep.join(["query_path", "text", "target_path"]) + "\n"
                        + sep.join(["a.wav", "add a dog, then more rain", "b.wav"]) + "\n")
        (pair,) = read_pairs(path)
        assert (pair.query.name, pair.text, pair.target.name) == ("a.wav", "add a dog, then more rain", "b.wav")


def test_read_pairs_resolves_relative_paths_and_reports_problems(tmp_path):
    csv_path = write_csv(tmp_path / "pairs.csv", [("q/a.wav", '"add dog, loud"', "t/b.wav")])
    (pair,) = read_pairs(csv_path)
    assert pair.query == tmp_path / "q" / "a.wav" and pair.target == tmp_path / "t" / "b.wav"
    assert pair.text == "add dog, loud" and pair.line == 2
    with pytest.raises(LibraryError, match=r"missing column\(s\) target_path \(or b_path"):
        read_pairs(write_csv(tmp_path / "bad.csv", [("a", "b", "c")], header="query,text,result"))
    with pytest.raises(LibraryError, match="line 2"):
        read_pairs(write_csv(tmp_path / "empty_cell.csv", [("", "x", "t.wav")]))
    with pytest.raises(LibraryError, match="no pairs"):
        read_pairs(write_csv(tmp_path / "none.csv", []))
    with pytest.raises(LibraryError, match="not found"):
        read_pairs(tmp_path / "nope.csv")


def test_evaluate_pairs_end_to_end(tmp_path, encoder):
    queries = make_clips(tmp_path / "q", 6)
    (tmp_path / "t").mkdir()
    rows = []
    for i, q in enumerate(queries):
        target = tmp_path / "t" / f"target_{i}.wav"
        shutil.copyfile(q, target)  # same audio: the audio-only baseline must find it first
        rows.append((f"q/{q.name}", "add dog bark", f"t/{target.name}"))
    rows.append(("q/missing.wav", "add rain", "t/target_0.wav"))
    pairs = read_pairs(write_csv(tmp_path / "pairs.csv", rows))
    seen = []
    result = evaluate_pairs(pairs, encoder, strength=0.0, workers=0, progress=lambda d, t: seen.append((d, t)))
    m = result.metrics
    assert m["pairs"] == 6 and m["gallery"] == 6
    assert m["baseline_R@1"] == 1.0 and m["baseline_MRR"] == 1.0
    assert m["proposed_R@1"] == m["baseline_R@1"]  # strength 0: the text does nothing
    assert len(result.skipped) == 1 and "line 8" in result.skipped[0] and "missing.wav" in result.skipped[0]
    assert seen[-1] == (13, 13)
    assert [r.pair.line for r in result.ranks] == [2, 3, 4, 5, 6, 7]  # the skipped pair has no ranks
    assert all(r.baseline == 1 and r.proposed == 1 for r in result.ranks)
    assert result.ranks[0].pair.text == "add dog bark"
    nudged = evaluate_pairs(pairs, encoder, strength=1.0, workers=0).metrics
    assert set(nudged) == set(m) and 0.0 <= nudged["proposed_R@10"] <= 1.0


def test_evaluate_against_the_whole_library(tmp_path, encoder):
    from tests.library_helpers import service

    library = make_clips(tmp_path / "lib", 10)
    outside = tmp_path / "elsewhere.wav"
    shutil.copyfile(library[0], outside)
    svc = service(tmp_path, encoder)
    svc.import_folders([tmp_path / "lib"])
    gallery = svc.library_gallery()
    assert sorted(p.name for p in gallery[0]) == sorted(p.name for p in library)
    assert gallery[1].shape == (10, encoder.embed_dim)
    rows = [(f"lib/{q.name}", "", f"lib/{t.name}") for q, t in zip(library[:4], library[1:5], strict=True)]
    rows += [("elsewhere.wav", "", f"lib/{library[0].name}"), ("lib/" + library[0].name, "", "elsewhere.wav")]
    pairs = read_pairs(write_csv(tmp_path / "pairs.csv", rows))
    result = evaluate_pairs(pairs, encoder, workers=0, library=gallery)
    m = result.metrics
    assert m["gallery"] == 10 and m["pairs"] == 5  # the gallery is the whole library, not the 5 targets
    assert len(result.skipped) == 1 and "not in the library" in result.skipped[0]
    # the copy outside the library finds its twin first; the library queries never rank themselves
    by_targets = evaluate_pairs(pairs[4:5], encoder, workers=0)
    assert by_targets.metrics["gallery"] == 1
    svc.close()


def test_read_pairs_takes_a_file_without_a_header_and_spreadsheet_unicode_text(tmp_path):
    """Lines of query,text,target with no header (a hand-written list), and UTF-16 tab-separated text (what a
    spreadsheet saves as "Unicode text") read as the pairs they are."""
    path = tmp_path / "quick.csv"
    path.write_text("a.wav,add a dog,b.wav\nc.flac,more rain,d.flac\n")
    pairs = read_pairs(path)
    assert [(p.query.name, p.text, p.target.name, p.line) for p in pairs] == [
        ("a.wav", "add a dog", "b.wav", 1), ("c.flac", "more rain", "d.flac", 2)]
    path = tmp_path / "unicode.txt"
    path.write_bytes("query_path\ttext\ttarget_path\nä.wav\tadd thunder\tb.wav\n".encode("utf-16"))
    (pair,) = read_pairs(path)
    assert (pair.query.name, pair.text, pair.target.name) == ("ä.wav", "add thunder", "b.wav")


def test_read_pairs_says_what_to_do_with_other_encodings_and_lines_that_are_no_header(tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes("query_path,text,target_path\n\xe9.wav,add a dog,b.wav\n".encode("latin-1"))
    with pytest.raises(LibraryError, match="not UTF-8 or UTF-16 text .* save it as CSV UTF-8"):
        read_pairs(path)
    path = tmp_path / "notes.csv"
    path.write_text("first try,add a dog,second try\n")  # no sound file names: a header that names nothing
    with pytest.raises(LibraryError, match="missing column"):
        read_pairs(path)


def test_an_empty_pairs_file_is_called_empty(tmp_path):
    empty = tmp_path / "pairs.csv"
    empty.write_text("")
    with pytest.raises(LibraryError, match="is empty: give a header line"):
        read_pairs(empty)


def test_the_report_counts_in_the_singular_and_warns_of_a_tiny_gallery(capsys):
    from app.cli_evaluate_output import print_metrics

    metrics = {"pairs": 1, "gallery": 1} | {f"{m}_{k}": 1.0 for m in ("proposed", "baseline")
                                           for k in ("R@1", "R@5", "R@10", "MRR")}
    print_metrics(metrics, False, 1.0, "reranking on")
    out = capsys.readouterr().out
    assert out.startswith("1 pair, gallery of 1 target,") and "every R@K with K >= 1 is 1.000" in out
    print_metrics(metrics | {"pairs": 40, "gallery": 40}, True, 1.0, "reranking on")
    out = capsys.readouterr().out
    assert out.startswith("40 pairs, gallery of 40 library sounds,") and "note:" not in out
