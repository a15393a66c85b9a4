"""A keyboard-first trial on a 1366x768 laptop: the words box has the first focus, F6 reaches the results, Shift+F10
opens their menu, Ctrl+E works from a text box, and a drop-down keeps Alt+Down."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QMenu

from tests import ui_support
from tests.ui_support import close_window, results_after, started_window

library = ui_support.library  # fixtures
indexed_service = ui_support.indexed_service



def next_tab_stop(widget, window):
    """The widget Tab moves to from ``widget``: the next in the focus chain that takes Tab and can be seen."""
    widget = widget.nextInFocusChain()
    while not (widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.isVisibleTo(window)):
        widget = widget.nextInFocusChain()
    return widget

def test_the_keyboard_reaches_the_results_and_the_menus_from_anywhere(qtbot, tmp_path, indexed_service, library,
                                                                      monkeypatch):
    window = started_window(qtbot, indexed_service, tmp_path, query=library / "rain_like_00.wav")
    assert window.focusWidget() is window.query.modifier  # typed words go to the words box at once
    results = window.results

    qtbot.keyClick(window.query.modifier, Qt.Key.Key_F6)  # was 9 to 11 Tabs away
    assert window.focusWidget() is results.view and results.current_row() == 0

    menus: list = []
    results.view.customContextMenuRequested.connect(menus.append)

    def close_menu() -> None:
        popup = QApplication.activePopupWidget()
        menus.append(popup)
        popup.close()

    QTimer.singleShot(300, close_menu)
    qtbot.keyClick(results.view, Qt.Key.Key_F10, Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: len(menus) == 2, timeout=3000)
    assert any(isinstance(m, QMenu) for m in menus)  # opened: laptops often lack the Menu key

    asked: list[str] = []
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: asked.append(a[1]) or "")
    for box in (window.query.modifier, window.library.filter_edit):  # a text box read Ctrl+E as "end of line"
        box.setFocus()
        qtbot.keyClick(box, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert len(asked) == 2 and all(a.startswith("Export 1 file(s)") for a in asked)
    window.query.modifier.setText("add thunder")
    window.query.modifier.setCursorPosition(0)
    qtbot.keyClick(window.query.modifier, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)  # editing keys stay
    assert window.query.modifier.selectedText() == "add thunder"

    combo = results.scope_bar.folder
    combo.setFocus()
    results.select_row(0)
    qtbot.keyClick(combo, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)  # opens the drop-down ...
    assert results.current_row() == 0  # ... and does not step to the next result
    qtbot.waitUntil(lambda: combo.view().isVisible(), timeout=2000)
    combo.hidePopup()
    close_window(window)


def test_tab_reaches_the_waveform_after_open_file_and_a_header_only_with_links(qtbot, tmp_path, indexed_service,
                                                                               library):
    """Tab never reached the query waveform (its keys + − 0, Left Right, Delete were out of reach), and stopped on
    the results header where it showed nothing."""
    from app.ui.header_notes import NotesLabel

    window = started_window(qtbot, indexed_service, tmp_path, query=library / "rain_like_00.wav")
    waveform = window.query.waveform
    assert next_tab_stop(window.query.open_button, window) is waveform
    label = NotesLabel()
    qtbot.addWidget(label)
    label.setText("<b>10 results</b>")
    assert not label.focusPolicy() & Qt.FocusPolicy.TabFocus
    label.setText("<b>10 results</b> · <a href='copies:show'>show copies</a>")
    assert label.focusPolicy() & Qt.FocusPolicy.TabFocus
    assert label.textInteractionFlags() & Qt.TextInteractionFlag.LinksAccessibleByKeyboard
    close_window(window)


def test_a_narrow_query_line_drops_whole_details_and_says_so(qtbot, tmp_path, indexed_service, library):
    """At 125 % on a 1366x768 laptop the query line read "6.0 s · 16000 H", cut mid-word by the Play button."""
    window = started_window(qtbot, indexed_service, tmp_path, query=library / "rain_like_00.wav")
    panel = window.query
    qtbot.waitUntil(lambda: bool(panel.details), timeout=10_000)
    assert "Hz" in panel.details and panel.details in panel.title.toolTip()
    panel.title.resize(panel.title.fontMetrics().horizontalAdvance("Query: rain_like_00.wav    1.5 s · … · library")
                       + 30, 20)
    shown = panel.title.text()
    assert "1.5 s · … · library" in shown and "Hz" not in shown and "rain_like_00.wav" in shown
    panel.title.resize(40, 20)  # where the file is stays
    assert "… · library" in panel.title.text()
    panel.title.resize(2000, 20)
    assert panel.details in panel.title.text()
    close_window(window)


def test_tab_follows_the_screen_through_the_crumbs_and_the_try_links(qtbot, tmp_path, indexed_service, library):
    """Made anew with each step, the crumbs and the "Try:" links came last in the Tab chain, after the results'
    buttons: Tab from Fit skipped the crumbs, and the links were reached only after the whole window."""
    window = started_window(qtbot, indexed_service, tmp_path, query=library / "rain_like_00.wav")
    panel = window.query

    qtbot.waitUntil(lambda: bool(panel.details), timeout=10_000)  # its own suggestions in, not made again below
    crumbs = panel.crumbs.tab_stops()
    assert crumbs
    qtbot.waitUntil(lambda: all(c.isVisibleTo(window) for c in crumbs), timeout=2000)  # shown by the event loop
    assert next_tab_stop(panel.forward_button, window) is crumbs[0]
    assert next_tab_stop(crumbs[-1], window) is panel.modifier
    panel.set_suggestions(["add thunder", "add rain"])
    first, second = panel.suggestion_buttons
    qtbot.waitUntil(second.isVisible, timeout=2000)  # shown by the event loop
    assert next_tab_stop(panel.search_button, window) is first and next_tab_stop(first, window) is second
    close_window(window)


def test_the_result_menu_offers_clear_mark_only_for_a_marked_row(qtbot, tmp_path, indexed_service, library):
    window = started_window(qtbot, indexed_service, tmp_path, query=library / "rain_like_00.wav")
    results = window.results
    seen: list[bool] = []

    def clear_mark_enabled() -> bool:
        def read() -> None:
            popup = QApplication.activePopupWidget()
            seen.append(next(a for a in popup.actions() if a.text() == "Clear mark").isEnabled())
            popup.close()

        QTimer.singleShot(200, read)
        results.select_row(0)
        results._context_menu(results.view.visualRect(results.model.index(0, 0)).center())
        return seen[-1]

    assert not clear_mark_enabled()  # nothing to clear
    results_after(qtbot, window, lambda: results.mark_selected(1))
    assert clear_mark_enabled()
    close_window(window)


def test_the_time_beside_the_zoom_buttons_says_the_part_on_screen(qtbot, tmp_path, indexed_service, library):
    """A re-trial read the bare length beside − + Fit as telling nothing once zoomed in."""
    window = started_window(qtbot, indexed_service, tmp_path, query=library / "rain_like_00.wav")
    timeline = window.query.timeline
    qtbot.waitUntil(lambda: timeline.duration > 0, timeout=10_000)
    assert timeline.time_label.text() == "0:01.5"
    timeline.waveform.zoom_to(0.5, 1.0)
    qtbot.waitUntil(lambda: " of 0:01.5" in timeline.time_label.text(), timeout=2000)
    assert timeline.time_label.text().startswith("0:00.5")
    timeline.fit_button.click()
    qtbot.waitUntil(lambda: timeline.time_label.text() == "0:01.5", timeout=2000)
    close_window(window)


def test_a_button_with_the_keyboards_focus_is_framed(qtbot, tmp_path, indexed_service, library):
    """A keyboard-first trial could not see the focus on the Search button: the native look draws the default button
    the same with and without it. Framed now; a button without the focus keeps its look."""
    window = started_window(qtbot, indexed_service, tmp_path, query=library / "rain_like_00.wav")
    button = window.query.search_button
    window.activateWindow()
    window.results.view.setFocus()
    qtbot.wait(50)
    unfocused = button.grab().toImage()
    button.setFocus()
    qtbot.waitUntil(button.hasFocus)
    qtbot.wait(50)
    assert button.grab().toImage() != unfocused
    close_window(window)
