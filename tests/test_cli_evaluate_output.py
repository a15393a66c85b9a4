"""`main.py evaluate`'s report: how each pair's words were read, and what came first instead."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from app.cli_evaluate_output import evaluation_json, print_pair_ranks, reader_of
from app.evaluate import EvalResult, Pair, PairRanks


def encoder(clauses: int) -> SimpleNamespace:
    return SimpleNamespace(heads=SimpleNamespace(text_clauses=clauses))


def test_the_reading_is_the_edits_the_heads_embed():
    read = reader_of(encoder(2))
    assert read("more rain") == ["make the rain louder"]
    assert read("add a dog and make the rain quieter") == ["add dog barking", "make the rain quieter"]
    assert read("  ") == []
    assert reader_of(encoder(1))("more rain") == ["more rain"]  # heads that read a modifier whole


def test_per_pair_lines_show_a_reading_that_differs_and_the_first_result_instead(capsys):
    ranks = [PairRanks(Pair(Path("a.wav"), "add thunder", Path("b.wav"), 2), 1, 3, "/lib/b.wav", "/lib/c.wav"),
             PairRanks(Pair(Path("a.wav"), "more rain", Path("d.wav"), 3), 4, 2, "/lib/e.wav", "/lib/d.wav")]
    print_pair_ranks(ranks, reader_of(encoder(2)))
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].split() == ["3", "4", "2", "more", "rain", "[read", "as", '"make', "the", "rain", 'louder"]', "->",
                                "d.wav", "|", "e.wav"]  # the worst first, read otherwise than typed, e.wav first
    assert lines[2].split() == ["2", "1", "3", "add", "thunder", "->", "b.wav"]  # read as typed, found first
    result = EvalResult({"pairs": 2.0}, [], ranks)
    per_pair = evaluation_json(result, True, "on", reader_of(encoder(2)))["per_pair"]
    assert [p["read_as"] for p in per_pair] == [["add thunder"], ["make the rain louder"]]
    assert [(p["first"], p["audio_only_first"]) for p in per_pair] == [("/lib/b.wav", "/lib/c.wav"),
                                                                        ("/lib/e.wav", "/lib/d.wav")]
