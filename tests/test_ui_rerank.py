"""The results header says when the first results were reordered by reading the words' edits moment by moment."""

from __future__ import annotations

from tests import ui_support
from tests.helpers import ReverseReranker
from tests.ui_support import close_window, open_window, results_after, typed_search

library = ui_support.library  # fixtures
indexed_service = ui_support.indexed_service

K = 4  # the stand-in reorders its first K hits
NOTE = "ordered by how each shows the words' edits against the query, moment by moment"


def test_the_header_names_the_reordered_results(qtbot, tmp_path, indexed_service, library, monkeypatch):
    monkeypatch.setattr("app.rerank_reads.load_reranker",
                        lambda heads, weights=None: (ReverseReranker(k=K), "stand-in on"))
    monkeypatch.setattr(indexed_service.config, "rerank_version_reach", 0)  # the first K alone (the clips past them
    window = open_window(qtbot, indexed_service, tmp_path)  # are of the query's length: read as versions)
    done = typed_search(qtbot, window, library / "rain_like_00.wav", "add thunder")
    moved = sum(r.reranked for r in done.results)
    assert moved == K and done.results[0].score < done.results[K - 1].score
    assert f"The first {moved} are {NOTE}" in window.results.header.text()

    assert window.rerank_action.isCheckable() and window.rerank_action.isChecked()
    steps = len(window.session.history.steps)
    done = results_after(qtbot, window, window.rerank_action.trigger, text="add thunder")  # off: searched again
    said = window.statusBar().currentMessage()
    assert "keep their match order" in said and "aligned_rerank" not in said  # no setting or CLI flag names
    assert not window.settings.rerank and not indexed_service.config.aligned_rerank
    assert not any(r.reranked for r in done.results) and NOTE not in window.results.header.text()
    assert [r.score for r in done.results] == sorted((r.score for r in done.results), reverse=True)
    assert len(window.session.history.steps) == steps  # the same step, not a new one
    done = results_after(qtbot, window, window.rerank_action.trigger, text="add thunder")  # on again
    assert window.settings.rerank and sum(r.reranked for r in done.results) == K
    close_window(window)


def test_no_note_when_nothing_was_reordered(indexed_service, library):
    from app.ui.step_text import rerank_html

    results = indexed_service.search(library / "rain_like_00.wav", "", top_k=10)  # audio only: cosine order
    assert results and not any(r.reranked for r in results)
    assert rerank_html(results) == ""


def test_one_reordered_result_is_said_in_the_singular():
    from types import SimpleNamespace

    from app.ui.step_text import rerank_html

    one = [SimpleNamespace(reranked=True), SimpleNamespace(reranked=False)]
    assert "The first is placed by how" in rerank_html(one)
    assert "The first 2 are ordered" in rerank_html([SimpleNamespace(reranked=True)] * 2)
    assert rerank_html([SimpleNamespace(reranked=True)] * 2, in_order=2) == ""  # trial 58: left as without the words
    folded = [SimpleNamespace(reranked=True, same_as=None)] * 3 + [SimpleNamespace(reranked=True, same_as=1)]
    assert "The first 3 are ordered" in rerank_html(folded)  # trial 59: "first 50" over "48 results" (copies)


def test_moments_above_and_below_their_match_are_explained_without_contradiction():
    from types import SimpleNamespace

    from app.ui.result_moments import stand_out_note

    rows = [SimpleNamespace(rank=1, ranking_shift=0.2), SimpleNamespace(rank=4, ranking_shift=-0.05)]
    note = stand_out_note(rows)  # a take's moments: one stands out enough, one does not
    assert "▲ #1 scored above its match" in note
    assert "▼ #4 scored below its match: the long take as a whole holds less of the query's sound than the query, " \
           "and the moment does not stand out enough to make up for it" in note
