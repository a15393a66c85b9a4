"""The refine loop remembers: every search is a history step, recent modifiers are offered in the
text box, and the strength slider marks the results stale and re-searches once it rests."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.ui.main_window import MainWindow
from app.ui.settings import Settings
from tests import ui_support
from tests.ui_support import close_window, open_window, results_after

library = ui_support.library  # fixtures
indexed_service = ui_support.indexed_service

MODIFIERS = ["add thunder", "add dog bark", "more rain", "less wind"]


def test_every_search_is_a_step_and_back_walks_them_all(qtbot, tmp_path, indexed_service, library):
    window = open_window(qtbot, indexed_service, tmp_path)
    window.start(offer_demo=False)
    query = library / "rain_like_00.wav"
    results_after(qtbot, window, lambda: window.load_query(query), text="")
    answers = {}
    for text in MODIFIERS:  # four modifiers typed on one query
        answers[text] = results_after(qtbot, window, lambda t=text: window.session.search(t, 1.0), text=text)
    labels = [step.label for step in window.session.history.steps]
    assert labels == ["rain_like_00.wav", *(f"rain_like_00.wav + “{t}”" for t in MODIFIERS)]
    from app.ui.crumbs import CURRENT_CRUMB, OTHER_CRUMB, crumb_text

    shown = [b.text() for b in window.query.crumbs.buttons]  # the current step's crumb whole, the others shortened
    assert shown == [crumb_text(label, CURRENT_CRUMB if i == len(labels) - 1 else OTHER_CRUMB)
                     for i, label in enumerate(labels)]
    for text in reversed(MODIFIERS[:-1]):  # Back returns to each earlier search, with its results
        back = results_after(qtbot, window, window.query.back_button.click, text=text)
        assert window.query.modifier.text() == text and back.step.query == query
        assert [r.path for r in back.results] == [r.path for r in answers[text].results]
    results_after(qtbot, window, window.query.back_button.click, text="")
    assert not window.query.back_button.isEnabled()
    fwd = results_after(qtbot, window, window.query.forward_button.click, text=MODIFIERS[0])
    assert fwd.step.text == MODIFIERS[0]
    # a stronger version of the same words is a step too
    strong = results_after(qtbot, window, lambda: window.session.search(MODIFIERS[0], 1.5), text=MODIFIERS[0])
    assert strong.step.strength == 1.5
    assert window.query.crumbs.buttons[-1].text() == "rain_like_00.wav + “add thunder” ×1.50"
    assert len(window.session.history.steps) == 3  # the forward steps were dropped, like a browser
    close_window(window)


def test_recent_modifiers_are_offered_in_the_text_box(qtbot, tmp_path, indexed_service, library):
    settings = Settings(recent_texts=["make the rain louder", "add dog bark"])
    window = MainWindow(indexed_service, settings, tmp_path / "ui_settings.json", audio=False)
    qtbot.addWidget(window)
    window.show()
    window.start(offer_demo=False)
    results_after(qtbot, window, lambda: window.load_query(library / "tone_03.wav"), text="")
    recent = window.query.recent
    assert recent.texts == ["make the rain louder", "add dog bark"] and recent.button.isEnabled()
    edit = window.query.modifier
    edit.setFocus()
    qtbot.keyClicks(edit, "make t")
    assert recent.completer.popup().isVisible()
    assert recent.completer.currentCompletion() == "make the rain louder"
    # picking it fills the box and searches
    done = results_after(qtbot, window, lambda: recent.completer.activated.emit("make the rain louder"),
                         text="make the rain louder")
    assert edit.text() == "make the rain louder" and done.step.text == "make the rain louder"
    # a new modifier joins the list at the top, in the menu too
    results_after(qtbot, window, lambda: window.session.search("add thunder", 1.0), text="add thunder")
    assert recent.texts[0] == "add thunder" and settings.recent_texts[0] == "add thunder"
    assert [a.text() for a in recent.menu.actions()][:2] == ["add thunder", "make the rain louder"]
    edit.clear()
    qtbot.keyClick(edit, Qt.Key.Key_Down)  # Down in the box lists them all
    assert recent.completer.popup().isVisible() and recent.completer.completionCount() == 3
    recent.completer.popup().hide()
    done = results_after(qtbot, window, lambda: recent.menu.actions()[2].trigger(), text="add dog bark")
    assert edit.text() == "add dog bark"
    close_window(window)


def test_strength_slider_marks_results_stale_then_searches_once(qtbot, tmp_path, indexed_service, library):
    window = open_window(qtbot, indexed_service, tmp_path)
    window.start(offer_demo=False)
    results_after(qtbot, window, lambda: window.load_query(library / "rain_like_04.wav"), text="")
    window.query.modifier.setText("add thunder")
    results_after(qtbot, window, window.query.request_search, text="add thunder")
    started: list[object] = []
    window.session.search_started.connect(started.append)
    slider = window.query.strength

    def drag() -> None:
        for value in (110, 130, 150):
            slider.setValue(value)
        assert window.results.stale and "Strength 1.50" in window.results.header.text()
        assert started == []  # nothing searched while the slider moves

    done = results_after(qtbot, window, drag, text="add thunder")
    assert done.step.strength == 1.5 and len(started) == 1
    assert not window.results.stale and "strength 1.50" in window.results.header.text()
    # Back restores the strength without searching again because of the slider
    back = results_after(qtbot, window, window.query.back_button.click, text="add thunder")
    assert back.step.strength == 1.0 and slider.value() == 100
    qtbot.wait(600)
    assert len(started) == 2 and not window.results.stale
    # without words the strength changes nothing: no stale mark, no search
    results_after(qtbot, window, lambda: window.session.search("", 1.0), text="")
    window.query.modifier.clear()
    slider.setValue(60)
    qtbot.wait(600)
    assert len(started) == 3 and not window.results.stale
    close_window(window)


def test_the_breadcrumb_bar_folds_the_steps_that_do_not_fit_into_a_menu(qtbot):
    """With more steps than the bar shows, the current crumb is in view (it used to stay off to the right) and needs
    no scrollbar: the steps that do not fit fold into "…" buttons whose menus jump to them (a trial's bar needed a
    scrollbar after six steps, its crumbs cut at both ends). A wider bar shows them all."""
    from pathlib import Path

    from PySide6.QtWidgets import QToolButton

    from app.ui.history import BreadcrumbBar, History, Step

    history = History()
    bar = BreadcrumbBar(history)
    qtbot.addWidget(bar)
    bar.resize(700, 34)
    bar.show()
    for i in range(12):
        history.push(Step(Path(f"/lib/take_{i:02d}.wav"), f"add thunder number {i}"))

    def shown() -> list[QToolButton]:
        return [w for w in bar.widget().findChildren(QToolButton) if w.isVisible()]

    qtbot.waitUntil(lambda: bool(shown()) and shown()[0].text() == "…" and bar.buttons[11] in shown(), timeout=2000)
    current = bar.buttons[history.index]
    left = current.mapTo(bar.viewport(), current.rect().topLeft()).x()
    assert 0 <= left and left + current.width() <= bar.viewport().width()
    assert not bar.horizontalScrollBar().isVisible()
    earlier = shown()[0].menu().actions()
    assert 0 < len(earlier) < 11 and earlier[0].text().startswith("take_00.wav")
    with qtbot.waitSignal(bar.jump_requested) as jump:
        earlier[0].trigger()
    assert jump.args == [0]
    history.jump(0)  # the first step: later steps fold to the right
    qtbot.waitUntil(lambda: bar.buttons[0] in shown() and shown()[-1].text() == "…", timeout=2000)
    assert shown()[-1].menu().actions()[-1].text().startswith("take_11.wav")
    bar.resize(6000, 34)
    qtbot.waitUntil(lambda: len(shown()) == 12, timeout=2000)


def test_another_query_goes_after_the_trail_and_drops_no_step(qtbot, tmp_path, indexed_service, library):
    """A trial went Back two steps, loaded another sound from the library and lost the refinement made after them from
    the trail (it became a hidden branch). Another query now goes after the trail's last step; a promoted result still
    branches from the step it was promoted from."""
    window = open_window(qtbot, indexed_service, tmp_path)
    window.start(offer_demo=False)
    first, other = library / "rain_like_00.wav", library / "rain_like_02.wav"
    results_after(qtbot, window, lambda: window.load_query(first), text="")
    for text in MODIFIERS[:2]:
        results_after(qtbot, window, lambda t=text: window.session.search(t, 1.0), text=text)
    results_after(qtbot, window, window.query.back_button.click, text=MODIFIERS[0])
    results_after(qtbot, window, window.query.back_button.click, text="")
    results_after(qtbot, window, lambda: window.load_query(other), text="")
    history = window.session.history
    refined = [f"rain_like_00.wav + “{t}”" for t in MODIFIERS[:2]]
    assert [s.label for s in history.steps] == ["rain_like_00.wav", *refined, "rain_like_02.wav"]
    assert history.index == 3 and not history.has_other_branch
    results_after(qtbot, window, window.query.back_button.click, text=MODIFIERS[1])  # Back: the refinement made last
    promoted = window.results.model.rows[0].path
    results_after(qtbot, window, lambda: window.session.promote(promoted), text="")
    assert len(history.steps) == 4 and history.steps[-1].query == promoted and history.has_other_branch
    close_window(window)


def test_arrow_keys_on_the_strength_make_one_step(qtbot, tmp_path, indexed_service, library):
    """A keyboard-first trial pressed Left three times, about 330 ms apart: two extra steps came into the trail (the
    rest after a drag, 350 ms, was shorter than the gap between key presses)."""
    from PySide6.QtCore import Qt

    window = open_window(qtbot, indexed_service, tmp_path)
    window.start(offer_demo=False)
    results_after(qtbot, window, lambda: window.load_query(library / "rain_like_04.wav"), text="")
    window.query.modifier.setText("add thunder")
    results_after(qtbot, window, window.query.request_search, text="add thunder")
    steps = len(window.session.history.steps)
    started: list[object] = []
    window.session.search_started.connect(started.append)
    slider = window.query.strength

    def three_presses() -> None:
        for _ in range(3):
            qtbot.keyClick(slider, Qt.Key.Key_Left)
            qtbot.wait(400)

    done = results_after(qtbot, window, three_presses, text="add thunder")
    assert done.step.strength == 0.85 and len(started) == 1 and len(window.session.history.steps) == steps + 1
    close_window(window)


def test_a_crumb_keeps_its_words_whole_and_cuts_the_file_name():
    """Trial 43 read "rain_12.ogg + “a… thunder”": the words cut, the file's name whole."""
    from app.ui.crumbs import OTHER_CRUMB, crumb_text

    assert crumb_text("rain_12.ogg + “add thunder”", OTHER_CRUMB) == "rain_1…ogg + “add thunder”"
    long_words = "rain_01.ogg + “make the rain a lot louder and add a dog”"  # too long: cut in its middle
    assert len(crumb_text(long_words, OTHER_CRUMB)) == OTHER_CRUMB and "…" in crumb_text(long_words, OTHER_CRUMB)
    assert crumb_text("rain_12.ogg", OTHER_CRUMB) == "rain_12.ogg"
    louder, it = (crumb_text(f"rain_bed.wav + “{w}”", OTHER_CRUMB) for w in ("make the rain louder", "make it louder"))
    assert louder == "… + “make the rain louder”" and it == "… + “make it louder”"  # trial 58: "…n louder" twice
    assert crumb_text(long_words, OTHER_CRUMB).startswith("… + “make the")
    moment = "rain_11.flac [0:33.6–0:43.7]"  # trial 59: "rain_11.flac [0:…6–0:43.7]"
    assert crumb_text(moment, OTHER_CRUMB) == "rain_1…lac [0:33.6–0:43.7]"  # the range whole
