"""The window from the keyboard: a button reached with Tab is pressed with Space or Return (Space is also the
window's play key), and stepping through results makes the star and tag keys act on the results."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests import ui_support
from tests.ui_support import WAIT_MS, close_window, results_after, started_window

library = ui_support.library  # fixtures
indexed_service = ui_support.indexed_service


def test_space_and_return_press_the_focused_button(qtbot, tmp_path, indexed_service, library):
    window = started_window(qtbot, indexed_service, tmp_path, library / "tone_03.wav")
    played: list[bool] = []
    window.play_query = lambda: played.append(True)  # the query would play if Space missed the focused control
    box = window.library.favourites_only
    box.setFocus()
    qtbot.waitUntil(box.hasFocus, timeout=WAIT_MS)
    with qtbot.waitSignal(window.library.refreshed, timeout=WAIT_MS):  # ticked: the list is read again
        qtbot.keyClick(box, Qt.Key.Key_Space)
    assert box.isChecked() and played == []

    results = window.results
    qtbot.waitUntil(lambda: len(results.model.rows) > 2, timeout=WAIT_MS)
    results.view.setCurrentIndex(results.model.index(2))
    chosen = results.model.path(2)
    results.promote_button.setFocus()
    qtbot.waitUntil(results.promote_button.hasFocus, timeout=WAIT_MS)
    qtbot.keyClick(results.promote_button, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.session.history.current.query == chosen, timeout=WAIT_MS)
    assert played == []

    space_pressed = []
    window.query.back_button.clicked.connect(lambda: space_pressed.append(True))
    window.query.back_button.setFocus()
    qtbot.waitUntil(window.query.back_button.hasFocus, timeout=WAIT_MS)
    qtbot.keyClick(window.query.back_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: space_pressed == [True], timeout=WAIT_MS)
    assert played == []
    slider = window.query.strength  # an arrow key moves the strength by 0.05, Page Up by 0.25
    slider.setFocus()
    qtbot.keyClick(slider, Qt.Key.Key_Right)
    assert window.query.strength_value == 1.05
    qtbot.keyClick(slider, Qt.Key.Key_PageUp)
    assert window.query.strength_value == 1.3
    close_window(window)


def test_stepping_through_results_makes_the_star_key_act_on_the_results(qtbot, tmp_path, indexed_service, library):
    window = started_window(qtbot, indexed_service, tmp_path, library / "tone_03.wav")
    window.library.file_view.setFocus()  # the user worked in the library list
    qtbot.waitUntil(lambda: window.selection_place == "library", timeout=WAIT_MS)
    window.query.modifier.setFocus()
    qtbot.keyClick(window.query.modifier, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert window.selection_place == "results" and window.selection_name() == "result(s)"
    heard = window.results.model.path(window.results.current_row())
    assert window.selected_paths() == [heard]
    with qtbot.waitSignal(window.files.tags_changed, timeout=WAIT_MS):
        qtbot.keyClick(window.query.modifier, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert window.statusBar().currentMessage() == f"Added ★ favourites: “{heard.name}” (result)"
    assert "favourite" in indexed_service.file_info(heard).tags
    close_window(window)


def test_a_branch_says_what_left_the_trail_and_ctrl_b_brings_it_back(qtbot, tmp_path, indexed_service, library):
    window = started_window(qtbot, indexed_service, tmp_path)
    session = window.session
    results_after(qtbot, window, lambda: window.load_query(library / "tone_03.wav"), text="")
    for words in ("add thunder", "add rain"):
        results_after(qtbot, window, lambda w=words: session.search(w, 1.0), text=words)
    results_after(qtbot, window, lambda: session.jump(0), text="")
    results_after(qtbot, window, lambda: session.search("add dog bark", 1.0), text="add dog bark")
    assert [s.text for s in session.history.steps] == ["", "add dog bark"]
    assert "its 2 later steps left the trail; Ctrl+B" in window.statusBar().currentMessage()
    results_after(qtbot, window, lambda: qtbot.keyClick(window, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier),
                  text="")
    assert [s.text for s in session.history.steps] == ["", "add thunder", "add rain"]
    assert session.history.index == 0
    assert window.statusBar().currentMessage() == ("Other branch of the trail, at step 1 of 3: Forward (Alt+Right) "
                                                   "walks its 2 later steps; Ctrl+B swaps back")  # where it landed
    close_window(window)


def test_return_in_the_library_filter_takes_its_one_file_and_down_moves_into_the_list(qtbot, tmp_path,
                                                                                       indexed_service, library):
    """A trial: Return in the filter with one match did nothing, and Down did not reach the list (three Tabs did)."""
    window = started_window(qtbot, indexed_service, tmp_path)
    panel = window.library
    one = sorted(library.iterdir())[2]
    panel.filter_edit.setFocus()
    qtbot.keyClicks(panel.filter_edit, one.stem)  # the list is read in the background: Return may come first
    with qtbot.waitSignal(panel.query_requested, timeout=WAIT_MS) as asked:
        qtbot.keyClick(panel.filter_edit, Qt.Key.Key_Return)
    assert asked.args[0] == one
    panel.filter_edit.clear()
    qtbot.waitUntil(lambda: panel.snapshot.keyword == "" and panel.files.rowCount() > 1, timeout=WAIT_MS)
    panel.filter_edit.setFocus()
    qtbot.keyClick(panel.filter_edit, Qt.Key.Key_Down)
    assert panel.file_view.hasFocus() and panel.file_view.currentIndex().row() == 0
    panel.file_view.setCurrentIndex(panel.files.index(2, 0))
    panel.file_view.clearSelection()  # a current row left unselected: a faint frame only (a trial)
    panel.filter_edit.setFocus()
    qtbot.keyClick(panel.filter_edit, Qt.Key.Key_Down)
    assert panel.file_view.selectionModel().isRowSelected(2)  # highlighted where the list was
    panel.file_view.clearSelection()
    panel.file_view.setCurrentIndex(panel.files.index(-1, -1))
    panel.use_button.click()  # nothing selected: said, not silent
    assert "Select a file" in window.statusBar().currentMessage()
    close_window(window)
