"""An unknown sound word's nearest known sounds are links in the results header: one click searches with it."""

from __future__ import annotations

from tests import ui_support
from tests.ui_support import close_window, open_window, results_after, typed_search

library = ui_support.library  # fixtures
indexed_service = ui_support.indexed_service


def test_a_nearest_known_sound_is_a_link_that_searches_with_it(qtbot, tmp_path, indexed_service, library):
    window = open_window(qtbot, indexed_service, tmp_path)
    typed_search(qtbot, window, library / "rain_like_00.wav", "add a Guitar")
    header = window.results.header.text()
    assert "guitar: not a sound Nudge knows; nearest known: <a href='use:0:0'>music</a>" in header

    used = results_after(qtbot, window, lambda: window.results.header.linkActivated.emit("use:0:0"),
                         text="add music")
    assert used.step.text == "add music" and window.query.modifier.text() == "add music"
    assert "not a sound Nudge knows" not in window.results.header.text()
    window.results.header.linkActivated.emit("use:0:5")  # no such word or choice: nothing happens
    window.results.header.linkActivated.emit("use:x:0")
    assert window.session.history.current == used.step
    close_window(window)


def test_with_known_sound_replaces_the_word_as_typed(indexed_service):
    assert indexed_service.with_known_sound("add a GUITAR and more rain", 0, 0) == "add music and more rain"
    assert indexed_service.with_known_sound("add a kazoo", 0, 0) is None  # no nearest known sound
    assert indexed_service.with_known_sound("add thunder", 0, 0) is None


def test_marks_stay_on_the_query_line_above_the_notes_about_the_words(indexed_service, library):
    """'· more like x.wav' follows the query and words, not the orange note about an unknown word (nor the blue
    line of earlier steps, whose 'forget them' link it seemed to belong to)."""
    from app.feedback import FeedbackMark
    from app.ui.history import Step
    from app.ui.step_text import describe_step

    step = Step(library / "rain_like_00.wav", "add a Guitar", feedback=((FeedbackMark(library / "rain_like_01.wav"),
                                                                         1),))
    first, _, notes = describe_step(indexed_service, step).partition("<br>")
    assert "“add a Guitar”" in first and first.endswith("· more like <i>rain_like_01.wav</i>")
    assert "guitar: not a sound Nudge knows" in notes and "more like" not in notes
