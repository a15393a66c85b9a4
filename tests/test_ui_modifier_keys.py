"""Keys in the modifier box: an entry picked in a popup with Down + Return is what is searched, once."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from app.ui.modifier_edit import complete_words
from tests import ui_support
from tests.ui_support import close_window, open_window

library = ui_support.library  # fixtures
indexed_service = ui_support.indexed_service


def test_a_completion_replaces_the_words_it_holds():
    assert complete_words("add a dog ba", 12, "barking dog") == ("add a barking dog", 17)
    assert complete_words("add thu", 7, "thunder") == ("add thunder", 11)
    assert complete_words("add thu and more rain", 7, "thunder") == ("add thunder and more rain", 11)
    assert complete_words("add a car ho", 12, "car horn") == ("add a car horn", 14)
    assert complete_words("Thu", 3, "thunder") == ("thunder", 7)


def test_down_and_return_take_the_entry_and_search_only_what_the_box_shows(qtbot, tmp_path, indexed_service):
    window = open_window(qtbot, indexed_service, tmp_path)
    panel, edit = window.query, window.query.modifier
    searched: list[str] = []
    panel.search_requested.connect(lambda text, _strength: searched.append(text))
    edit.set_words(["barking dog", "dog bark", "thunder"])
    edit.setFocus()
    qtbot.keyClicks(edit, "add a dog ba")
    popup = edit.word_completer.popup()
    assert popup.isVisible()
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert edit.text() == "add a barking dog" and not popup.isVisible()
    assert searched == []  # the Return took the entry; the half-typed "add a dog ba" was never searched
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert searched == ["add a barking dog"]

    panel.recent.set_texts(["add thunder", "add a barking dog"])  # a recent modifier: picked and searched once
    edit.clear()
    qtbot.keyClicks(edit, "add t")
    recent_popup = panel.recent.completer.popup()
    assert recent_popup.isVisible()
    qtbot.keyClick(recent_popup, Qt.Key.Key_Down)
    qtbot.keyClick(recent_popup, Qt.Key.Key_Return)
    assert edit.text() == "add thunder" and searched == ["add a barking dog", "add thunder"]
    close_window(window)


def test_escape_closes_the_suggestions_and_leaves_playback_alone(qtbot, tmp_path, indexed_service, library):
    window = open_window(qtbot, indexed_service, tmp_path)
    edit = window.query.modifier
    edit.set_words(["thunder", "thunderstorm"])
    edit.setFocus()
    qtbot.keyClicks(edit, "add thun")
    popup = edit.word_completer.popup()
    qtbot.waitUntil(popup.isVisible, timeout=3000)
    override = QKeyEvent(QEvent.Type.ShortcutOverride, Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier)
    override.ignore()
    QApplication.sendEvent(popup, override)
    assert override.isAccepted()  # the popup keeps Escape: the window's Escape (stop playback) does not fire
    qtbot.keyClick(popup, Qt.Key.Key_Escape)
    assert not popup.isVisible() and edit.text() == "add thun"
    close_window(window)


def test_suggestions_put_words_that_start_with_what_was_typed_first():
    from app.ui.modifier_edit import best_first

    words = sorted(["roll of thunder", "rumble of thunder", "thump", "thunder", "wooden thud", "bow shot", "car horn",
                    "chopper"])
    assert best_first(words, "thu")[:3] == ["thump", "thunder", "roll of thunder"]
    assert best_first(words, "car ho")[0] == "car horn"
    assert best_first(words, "Ho")[:1] == ["car horn"]  # a word of it starts so: before words only holding it
