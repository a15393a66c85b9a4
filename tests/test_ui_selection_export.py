"""Selection and export: several results or library files at once, copied to a project folder with
progress (names never overwritten), dragged out together; favourites and tags, filterable."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, Qt

from app.export import export_files
from tests import ui_support
from tests.ui_support import WAIT_MS, close_window, open_window, results_after

library = ui_support.library  # fixtures
indexed_service = ui_support.indexed_service
SELECT = QItemSelectionModel.SelectionFlag


def _select_rows(view, model, rows: list[int]) -> None:
    view.selectionModel().clearSelection()
    for row in rows:
        view.selectionModel().select(model.index(row, 0), SELECT.Select | SELECT.Rows)
    view.selectionModel().setCurrentIndex(model.index(rows[0], 0), SELECT.NoUpdate)


def test_export_numbers_clashes_and_reports_failures(tmp_path, library):
    dest = tmp_path / "project"
    dest.mkdir()
    (dest / "tone_01.wav").write_bytes(b"already here")
    seen = []
    report = export_files([library / "tone_01.wav", library / "gone.wav", library / "tone_03.wav"], dest,
                          progress=lambda done, total, name: seen.append((done, total)))
    assert sorted(p.name for p in report.copied) == ["tone_01-2.wav", "tone_03.wav"]
    assert (dest / "tone_01.wav").read_bytes() == b"already here"
    assert (dest / "tone_03.wav").read_bytes() == (library / "tone_03.wav").read_bytes()
    assert [p.name for p, _ in report.failed] == ["gone.wav"] and seen == [(1, 3), (2, 3), (3, 3)]
    assert [(src.name, copy.name) for src, copy in report.renamed] == [("tone_01.wav", "tone_01-2.wav")]
    assert "1 renamed because the name was taken: sounds/tone_01.wav as tone_01-2.wav" in report.summary()
    assert "1 failed: gone.wav" in report.summary()

    again = export_files([library / "tone_01.wav", library / "tone_03.wav", library / "tone_05.wav"], dest)
    assert [p.name for p in again.copied] == ["tone_05.wav"] and not again.renamed  # only what is not there yet
    assert sorted(file.name for _, file in again.present) == ["tone_01-2.wav", "tone_03.wav"]
    assert again.summary() == f"Exported 1 file(s) to {dest}; 2 already there (same bytes), not copied again"
    assert sorted(p.name for p in dest.iterdir()) == ["tone_01-2.wav", "tone_01.wav", "tone_03.wav", "tone_05.wav"]


def test_select_several_results_export_drag_and_star(qtbot, tmp_path, indexed_service, library):
    window = open_window(qtbot, indexed_service, tmp_path)
    with qtbot.waitSignal(window.library.refreshed, timeout=WAIT_MS):
        window.start(offer_demo=False)
    done = results_after(qtbot, window, lambda: window.load_query(library / "rain_like_00.wav"), text="")
    view, model = window.results.view, window.results.model
    _select_rows(view, model, [0, 2, 4])
    view.setFocus()
    chosen = [done.results[i].path for i in (0, 2, 4)]
    assert window.selected_paths() == chosen
    mime = model.mimeData(view.selectionModel().selectedIndexes())  # what a drag out carries
    assert [Path(u.toLocalFile()) for u in mime.urls()] == chosen
    # export with progress; the folder dialog first opens in the home folder
    assert window.files.last_export_dir == str(Path.home())
    dest = tmp_path / "project"
    with qtbot.waitSignal(window.files.export_finished, timeout=WAIT_MS) as finished:
        window.files.export(window.selected_paths(), dest)
    report = finished.args[0]
    assert sorted(p.name for p in report.copied) == sorted(p.name for p in chosen)
    assert all((dest / p.name).read_bytes() == p.read_bytes() for p in chosen)
    assert "Exported 3 file(s)" in window.statusBar().currentMessage()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT_MS)  # the progress dialog gave the window back
    # favourites: Ctrl+D on the selection, then "★ only" in the library and in the results scope
    with qtbot.waitSignal(window.library.refreshed, timeout=WAIT_MS):
        with qtbot.waitSignal(window.files.tags_changed, timeout=WAIT_MS):
            qtbot.keyClick(view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    # the results read their stars in place: same rows, same selection (they were searched again and reset before)
    tags_col = next(i for i, c in enumerate(model.columns) if c.key == "tags")
    qtbot.waitUntil(lambda: model.data(model.index(0, tags_col)) == "★", timeout=WAIT_MS)
    assert [r.path for r in model.rows] == [r.path for r in done.results] and view.selected_paths() == chosen
    assert [model.data(model.index(i, tags_col)) for i in (0, 1, 2)] == ["★", "", "★"]
    col = next(i for i, c in enumerate(window.library.files.columns) if c.key == "tags")
    window.library.file_view.header().setSectionHidden(col, False)
    with qtbot.waitSignal(window.library.refreshed, timeout=WAIT_MS):
        window.library.favourites_only.setChecked(True)
    assert sorted(r.path for r in window.library.files.records) == sorted(chosen)
    assert {window.library.files.data(window.library.files.index(r, col)) for r in range(3)} == {"★"}
    starred = results_after(qtbot, window, lambda: window.results.scope_bar.favourites.setChecked(True))
    assert sorted(r.path for r in starred.results) == sorted(p for p in chosen if p != starred.step.query)
    assert "★ favourites" in window.results.header.text()
    # a tag, matched by the keyword filter
    window.files.tag([chosen[1]], ["thunder take"])
    qtbot.waitUntil(lambda: "thunder take" in indexed_service.all_tags(), timeout=WAIT_MS)
    with qtbot.waitSignal(window.library.refreshed, timeout=WAIT_MS):
        window.library.favourites_only.setChecked(False)
    with qtbot.waitSignal(window.library.refreshed, timeout=WAIT_MS):
        window.library.filter_edit.setText("take")
    assert [r.path for r in window.library.files.records] == [chosen[1]]
    # library rows: several selected, exported from the library
    window.library.filter_edit.clear()
    qtbot.waitUntil(lambda: len(window.library.files.records) == 8, timeout=WAIT_MS)
    files_view, files = window.library.file_view, window.library.files
    _select_rows(files_view, files, [1, 3])
    files_view.setFocus()
    picked = [files.path(1), files.path(3)]
    assert window.selected_paths() == picked and window.selection_name() == "library file(s)"
    # typing in a box in between (the filter, the modifier) leaves the File menu on the library's selection
    window.library.filter_edit.setFocus()
    qtbot.waitUntil(window.library.filter_edit.hasFocus, timeout=WAIT_MS)
    assert window.selected_paths() == picked
    with qtbot.waitSignal(window.library.refreshed, timeout=WAIT_MS):  # the list is read again with the tags
        window.files.tag(window.selected_paths(), ["wet", "exterior"], where=window.selection_name())
    assert window.selected_paths() == picked  # still selected: a second Ctrl+T acts on them again
    assert window.statusBar().currentMessage() == "Added tags “wet”, “exterior”: 2 library file(s)"
    assert all({"exterior", "wet"} <= set(indexed_service.file_info(p).tags) for p in picked)
    view.setFocus()
    qtbot.waitUntil(view.hasFocus, timeout=WAIT_MS)
    assert window.selected_paths() == view.selected_paths() and window.selection_name() == "result(s)"
    close_window(window)


def test_tags_typed_with_commas_are_several_tags():
    """'wet, exterior' made one tag named 'wet, exterior', shown exactly like two (a messy-library trial)."""
    from app.ui.file_actions import split_tags

    assert split_tags("wet, exterior") == ["wet", "exterior"]
    assert split_tags(" keeper ") == ["keeper"] and split_tags(", ,") == [] and split_tags("a, a,b") == ["a", "b"]
