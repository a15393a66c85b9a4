"""A very long file name (no spaces: libraries name files with underscores) never widens the window past the
screen: the query title, the results header and the crumbs wrap or cut it."""

from __future__ import annotations

import shutil

from tests import ui_support
from tests.helpers import tone, write_wav
from tests.ui_support import close_window, results_after, started_window

library = ui_support.library  # fixtures
indexed_service = ui_support.indexed_service


def test_a_long_file_name_keeps_the_window_narrow(qtbot, tmp_path, indexed_service, library):
    window = started_window(qtbot, indexed_service, tmp_path)
    window.resize(1024, 700)
    narrow = window.minimumSizeHint().width()
    long_name = tmp_path / ("AMB_" + "_".join(f"take{i:02d}xx" for i in range(22)) + ".wav")
    assert len(long_name.name) > 200
    shutil.copy(sorted(library.iterdir())[2], long_name)
    results_after(qtbot, window, lambda: window.load_query(long_name), text="")
    results_after(qtbot, window, lambda: window.session.search("add thunder", 1.0), text="add thunder")
    qtbot.wait(50)
    assert long_name.name in window.results.header.text().replace("\u200b", "")
    assert window.minimumSizeHint().width() <= max(narrow, 1024), window.minimumSizeHint().width()
    assert window.width() <= 1024
    close_window(window)


def test_the_name_column_widens_to_the_results_names_up_to_a_share_of_the_list(qtbot, tmp_path, indexed_service,
                                                                                library):
    """A trial: names cut in the middle ("traffic_with_car…n_and_dog_02.ogg") hid what told two results apart."""
    source = sorted(library.iterdir())[2]
    for i in (1, 2):
        shutil.copy(source, library / f"traffic_with_car_horn_and_dog_and_church_bells_{i:02d}.wav")
    indexed_service.import_folders()
    window = started_window(qtbot, indexed_service, tmp_path)
    window.resize(1400, 800)
    view = window.results.view
    column = 1  # Name
    view.header().resizeSection(column, 120)  # a narrow width saved by an earlier run
    results_after(qtbot, window, lambda: window.load_query(sorted(library.iterdir())[0]), text="")
    widest = max(view.fontMetrics().horizontalAdvance(window.results.model.column_text(r, column))
                 for r in range(window.results.model.rowCount()))
    assert view.header().sectionSize(column) >= min(widest, int(view.viewport().width() * 0.45))
    assert view.header().sectionSize(column) <= int(view.viewport().width() * 0.45) + 1
    close_window(window)


def test_the_folder_column_widens_to_the_results_folders_up_to_a_share_of_the_list(qtbot, tmp_path, indexed_service,
                                                                                     library):
    """Trial 49: the Folder column cut "weapons/openarena/lightning" to "…narena/lightning" (read as weather) beside
    350 px of empty columns."""
    deep = library / "weapons" / "openarena" / "lightning"
    deep.mkdir(parents=True)
    write_wav(deep / "lg_hum.wav", tone(97.0, 1.5, amp=0.3))  # its own sound: not folded as a copy
    indexed_service.import_folders()
    window = started_window(qtbot, indexed_service, tmp_path)
    window.resize(1400, 800)
    view, model = window.results.view, window.results.model
    column = [c.key for c in model.columns].index("folder")
    view.header().resizeSection(column, 60)  # a narrow width saved by an earlier run
    results_after(qtbot, window, lambda: window.load_query(sorted(library.glob("*.wav"))[0]), text="")
    widest = max(view.fontMetrics().horizontalAdvance(model.column_text(r, column)) for r in range(model.rowCount()))
    assert "lightning" in {model.column_text(r, column).rsplit("/", 1)[-1] for r in range(model.rowCount())}
    assert view.header().sectionSize(column) >= min(widest, int(view.viewport().width() * 0.25))
    assert view.header().sectionSize(column) <= int(view.viewport().width() * 0.25) + 1
    close_window(window)


def test_the_folder_shows_beside_the_name_in_both_lists(qtbot, tmp_path, indexed_service):
    """A trial: the Folder column (a library's category: Ambiences/Wind) was the last one, off-screen at 1280 px."""
    window = started_window(qtbot, indexed_service, tmp_path)
    for view, model in ((window.library.file_view, window.library.files), (window.results.view, window.results.model)):
        keys = [c.key for c in model.columns]
        header = view.header()
        assert header.visualIndex(keys.index("folder")) == header.visualIndex(keys.index("name")) + 1
        assert not header.isSectionHidden(keys.index("folder"))
    close_window(window)


def test_the_folder_shows_from_its_library_folder_on(qtbot):
    """A file's folder from its library folder's name on ("sfx/Ambiences/Wind"), not its whole path; else from the
    listed files' common folder on."""
    from pathlib import Path
    from types import SimpleNamespace

    from app.ui.library_files import FileTableModel

    model = FileTableModel()
    rows = [SimpleNamespace(path=Path(p)) for p in ("/home/me/sfx/Ambiences/Wind/wind.flac", "/opt/demo_library/a.ogg")]
    model.set_records(rows)
    column = [c.key for c in model.columns].index("folder")
    assert [model.column_text(i, column) for i in range(2)] == ["/home/me/sfx/Ambiences/Wind", "/opt/demo_library"]
    model.roots = [Path("/home/me/sfx"), Path("/opt/demo_library")]
    assert [model.column_text(i, column) for i in range(2)] == ["sfx/Ambiences/Wind", "demo_library"]


def test_deep_folders_keep_the_part_that_tells_them_apart(qtbot):
    """A trial's library held .../none/data/wav/explosions and .../apoc/data/wav/explosions: the column, elided in the
    middle, showed both as "trial40_…plosions"."""
    from pathlib import Path
    from types import SimpleNamespace

    from PySide6.QtCore import Qt

    from app.ui.library_files import FileTableModel

    model = FileTableModel()
    names = ("s3d/globalmods/none/data/wav/explosions/large.wav", "s3d/globalmods/apoc/data/wav/explosions/large.wav",
             "s3d/globalmods/none/data/wav/misc/rain.wav", "stux/sounds/rain.wav", "sfx/Ambiences/Rain/Heavy/a.wav")
    model.set_records([SimpleNamespace(path=Path("/lib/trial") / n, status="ok", error=None) for n in names])
    model.roots = [Path("/lib/trial")]
    column = [c.key for c in model.columns].index("folder")
    assert [model.column_text(i, column) for i in range(len(names))] == [  # one library folder: its name left out
        "\u2026/none/\u2026/explosions", "\u2026/apoc/\u2026/explosions", "\u2026/wav/misc",
        "stux/sounds", "\u2026/Rain/Heavy"]  # (a re-check: at its first width the column still showed
    # "trial40_…c/…/misc" and "trial40_…e/…/misc", one letter apart; another trial "trial42_…r/lugaru")
    two = [*model.rows, SimpleNamespace(path=Path("/lib/other/a/b/c/d/x.wav"), status="ok", error=None)]
    model.set_records(two)
    model.roots = [Path("/lib/trial"), Path("/lib/other")]
    assert [model.column_text(i, column) for i in (0, 1, 5)] == [
        "trial/\u2026/none/\u2026/explosions", "trial/\u2026/apoc/\u2026/explosions", "other/\u2026/c/d"]
    tip = model.data(model.index(0, column), Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("/lib/trial/s3d/globalmods/none/data/wav/explosions/large.wav")  # the whole path


def test_the_library_list_shows_name_folder_and_duration_whole_at_first_launch(qtbot, tmp_path, indexed_service):
    """A trial: at the first launch the library's Duration column was cut to "0:0" (name 235 px + folder 120 px left
    it past the panel's edge)."""
    window = started_window(qtbot, indexed_service, tmp_path)
    window.resize(1280, 800)
    qtbot.waitUntil(lambda: window.library.files.rowCount() > 0)
    view, model = window.library.file_view, window.library.files
    header = view.header()
    duration = [c.key for c in model.columns].index("duration")
    right_edge = header.sectionViewportPosition(duration) + header.sectionSize(duration)
    assert right_edge <= view.viewport().width(), (right_edge, view.viewport().width())
    widest = max(view.fontMetrics().horizontalAdvance(model.column_text(r, duration)) for r in range(model.rowCount()))
    assert header.sectionSize(duration) >= widest + 8  # the text and the cell's margins
    close_window(window)
