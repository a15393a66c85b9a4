"""More / less like this: Rocchio on the composed query, in the service and through the results panel."""

from __future__ import annotations

import numpy as np
import pytest

from app.service import FeedbackMark
from model.feedback import rocchio
from tests import ui_support
from tests.ui_support import close_window, open_window, results_after

library = ui_support.library  # fixtures
indexed_service = ui_support.indexed_service


def test_rocchio_moves_toward_positives_and_away_from_negatives():
    q = np.array([1.0, 0.0, 0.0], dtype=np.float32)
    pos = np.array([[0.0, 1.0, 0.0]], dtype=np.float32)
    neg = np.array([[0.0, 0.0, 1.0]], dtype=np.float32)
    out = rocchio(q * 3, pos, neg)  # the query's norm does not matter
    expected = np.array([1.0, 0.75, -0.25]) / np.linalg.norm([1.0, 0.75, -0.25])
    np.testing.assert_allclose(out, expected, rtol=1e-6)
    np.testing.assert_allclose(rocchio(q, None, np.zeros((0, 3))), q)
    assert out @ pos[0] > q @ pos[0] and out @ neg[0] < q @ neg[0]
    with pytest.raises(ValueError):
        rocchio(q, None, np.array([[4.0, 0.0, 0.0]]))


def test_service_feedback_reranks(indexed_service, library):
    svc = indexed_service
    query = library / "rain_like_00.wav"
    plain = svc.search(query, top_k=7)
    liked = plain[-1].path  # the least similar sound: "more like this one"
    moved = svc.search(query, top_k=7, more_like=[liked])
    score = {r.path: r.score for r in moved}
    assert score[liked] > plain[-1].score + 0.01  # the query moved toward it
    assert [r.path for r in moved].index(liked) <= [r.path for r in plain].index(liked)
    disliked = plain[0].path
    pushed = {r.path: r.score for r in svc.search(query, top_k=7, less_like=[disliked])}
    others = len(svc.search(query, top_k=100))  # every file but the query
    assert disliked not in pushed and len(pushed) == min(7, others - 1)  # left out, the page as full as it can be
    assert any(abs(pushed[p] - r.score) > 1e-4 for r in plain if (p := r.path) in pushed)  # the query moved
    # trial 52: a second mark halved how far the query moved from the first, which came back 4th
    both = [r.path for r in svc.search(query, top_k=others, less_like=[disliked, plain[1].path])]
    assert disliked not in both and plain[1].path not in both and len(both) == others - 2


def test_marking_results_is_a_history_step(qtbot, tmp_path, indexed_service, library):
    window = open_window(qtbot, indexed_service, tmp_path)
    window.start(offer_demo=False)
    first = results_after(qtbot, window, lambda: window.load_query(library / "rain_like_00.wav"), text="")
    view, model = window.results.view, window.results.model
    last_row = model.rowCount() - 1
    liked = model.path(last_row)
    window.results.select_row(last_row)
    marked = results_after(qtbot, window, window.results.more_like_button.click)
    assert marked.step.more_like == (FeedbackMark(liked),) and marked.step.query == first.step.query
    before = {r.path: r.score for r in first.results}
    after = {r.path: r.score for r in marked.results}
    assert after[liked] > before[liked] + 0.01  # the query moved toward it
    row = [model.path(i) for i in range(model.rowCount())].index(liked)
    assert model.data(model.index(row, 0)).startswith("+ ")
    assert window.query.crumbs.buttons[-1].text() == "rain_like_00.wav · +1"  # no "−0"
    assert f"more like <i>{liked.name}</i>" in window.results.header.text()
    # "-" on the top result: less like this, another step
    view.setFocus()
    window.results.select_row(0)
    top = model.path(0)
    less = results_after(qtbot, window, lambda: qtbot.keyClick(view, "-"))
    assert less.step.less_like == (FeedbackMark(top),) and less.step.more_like == (FeedbackMark(liked),)
    assert top not in [model.path(i) for i in range(model.rowCount())]  # marked less like this: not listed
    assert f"less like <i>{top.name}</i> (left out · <a href='unmark:'>list again</a>)" in window.results.header.text()
    again = results_after(qtbot, window, lambda: window.results.header.linkActivated.emit("unmark:"))
    assert again.step.less_like == () and again.step.more_like == (FeedbackMark(liked),)  # a step of its own
    assert top in [model.path(i) for i in range(model.rowCount())]
    results_after(qtbot, window, window.query.back_button.click)  # back to the "-" step
    # Back walks the feedback steps too
    back = results_after(qtbot, window, window.query.back_button.click)
    assert back.step.feedback == ((FeedbackMark(liked), 1),)
    assert [r.path for r in back.results] == [r.path for r in marked.results]
    results_after(qtbot, window, window.query.back_button.click)
    assert window.session.history.current.feedback == () and model.marks == ()
    close_window(window)
