"""Regressions from issue 14: removed folders leave the results, Show in folder says when it cannot,
Ctrl+C copies file paths."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QGuiApplication

from tests import ui_support
from tests.ui_support import WAIT_MS, close_window, make_sounds, open_window, results_after

library = ui_support.library  # fixtures
indexed_service = ui_support.indexed_service


def test_removing_a_folder_drops_its_files_from_the_results(qtbot, tmp_path, indexed_service, library):
    extra = tmp_path / "extra"
    make_sounds(extra, n=4)
    assert indexed_service.import_folders([extra]).added == 4
    window = open_window(qtbot, indexed_service, tmp_path)
    with qtbot.waitSignal(window.library.refreshed, timeout=WAIT_MS):
        window.start(offer_demo=False)
    done = results_after(qtbot, window, lambda: window.load_query(library / "rain_like_00.wav"), text="")
    assert any(Path(r.path).parent == extra for r in done.results)
    panel = window.library
    items = [panel.folder_list.item(i) for i in range(panel.folder_list.count())]
    panel.folder_list.setCurrentItem(next(i for i in items if Path(i.data(Qt.ItemDataRole.UserRole)) == extra))
    panel.confirm = lambda question: True  # the question itself: tests/test_ui_library.py
    after = results_after(qtbot, window, panel.remove_button.click, text="")
    assert after.results and not any(Path(r.path).parent == extra for r in after.results)
    assert not any(Path(window.results.model.path(i)).parent == extra for i in range(window.results.model.rowCount()))
    close_window(window)


def test_show_in_folder_without_a_file_manager_says_so(qtbot, tmp_path, indexed_service, library, monkeypatch):
    import app.ui.reveal as reveal

    class NoDesktop:
        @staticmethod
        def openUrl(url) -> bool:  # noqa: N802 - Qt name
            return False

    monkeypatch.setattr(reveal, "show_item_over_dbus", lambda path: False)
    monkeypatch.setattr(reveal, "QDesktopServices", NoDesktop)
    window = open_window(qtbot, indexed_service, tmp_path)
    window.start(offer_demo=False)
    done = results_after(qtbot, window, lambda: window.load_query(library / "tone_07.wav"), text="")
    window.results.view.setCurrentIndex(window.results.model.index(1))
    with qtbot.waitSignal(window.results.message, timeout=WAIT_MS) as said:
        window.results.reveal_button.click()
    assert "No file manager" in said.args[0] and str(done.results[1].path) in said.args[0]
    assert "No file manager" in window.statusBar().currentMessage()
    assert QGuiApplication.clipboard().text() == str(done.results[1].path)
    close_window(window)


def test_ctrl_c_copies_paths_in_results_and_library(qtbot, tmp_path, indexed_service, library):
    window = open_window(qtbot, indexed_service, tmp_path)
    with qtbot.waitSignal(window.library.refreshed, timeout=WAIT_MS):
        window.start(offer_demo=False)
    done = results_after(qtbot, window, lambda: window.load_query(library / "rain_like_02.wav"), text="")
    view = window.results.view
    view.setFocus()
    select = QItemSelectionModel.SelectionFlag
    view.selectionModel().setCurrentIndex(window.results.model.index(2), select.ClearAndSelect | select.Rows)
    QGuiApplication.clipboard().setText("")
    qtbot.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == str(done.results[2].path)
    view.selectionModel().select(window.results.model.index(4), select.Select | select.Rows)
    qtbot.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text().splitlines() == [str(done.results[2].path), str(done.results[4].path)]

    files = window.library.file_view
    files.setFocus()
    model = window.library.files
    files.selectionModel().setCurrentIndex(model.index(3, 0), select.ClearAndSelect | select.Rows)
    qtbot.keyClick(files, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == str(model.path(3))
    close_window(window)


def test_a_long_file_name_as_the_query_never_widens_the_window(qtbot, tmp_path, encoder):
    """A 160-character name grew the window's minimum width past a 1600 px screen (a messy-library trial); the
    query title is cut at the panel's edge instead, with the whole path as its tooltip."""
    import shutil

    from tests.ui_support import make_service

    folder = tmp_path / "lib"
    paths = make_sounds(folder, n=3)
    long_name = folder / ("a very long take name from a field recorder " * 4 + "final.wav")
    shutil.copy(paths[0], long_name)
    svc = make_service(tmp_path, encoder)
    svc.import_folders([folder])
    window = open_window(qtbot, svc, tmp_path)
    window.start(offer_demo=False)
    before = window.minimumSizeHint().width()
    results_after(qtbot, window, lambda: window.load_query(long_name))
    assert window.minimumSizeHint().width() <= max(before, 1200)
    assert window.query.title.toolTip().split("\n")[0] == str(long_name)
    window.close()
    svc.close()
