"""Metadata in the app: columns in the library list and the results (sortable, resizable, hideable,
remembered), and the keyword filter finds files by their embedded text."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QHeaderView

from app.ui.file_columns import column_menu
from app.ui.main_window import MainWindow
from app.ui.settings import Settings
from tests.test_metadata import IXML, write_bwf
from tests.ui_support import WAIT_MS, close_window, make_service, results_after


def _col(model, key: str) -> int:
    return next(i for i, c in enumerate(model.columns) if c.key == key)


def _texts(model, key: str) -> list[str]:
    return [model.data(model.index(r, _col(model, key))) for r in range(model.rowCount())]


def test_metadata_columns_sort_hide_and_keyword_filter(qtbot, tmp_path, encoder):
    lib = tmp_path / "lib"
    write_bwf(lib / "take_07.wav", description="Creaky wooden door, slow open", ixml=IXML, sr=48_000)
    write_bwf(lib / "DOORMetl_Slam_JD_Lib.wav", sr=96_000)
    write_bwf(lib / "room_tone.wav", subtype="PCM_16", sr=22_050)
    svc = make_service(tmp_path, encoder)
    svc.import_folders([lib])
    settings_path = tmp_path / "ui_settings.json"
    window = MainWindow(svc, Settings(), settings_path, audio=False)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.library.refreshed, timeout=WAIT_MS):
        window.start(offer_demo=False)
    files, view = window.library.files, window.library.file_view
    header = view.header()
    by_name = dict(zip(_texts(files, "name"), _texts(files, "description"), strict=True))
    assert by_name["take_07.wav"] == "Creaky wooden door, slow open"
    assert dict(zip(_texts(files, "name"), _texts(files, "category"), strict=True))["DOORMetl_Slam_JD_Lib.wav"] \
        == "DOORMetl"
    assert sorted(_texts(files, "rate")) == ["22.05 kHz", "48 kHz", "96 kHz"]
    # sortable: a click on the Rate header sorts by sample rate, a second click reverses
    rate = _col(files, "rate")
    at = QPoint(header.sectionViewportPosition(rate) + header.sectionSize(rate) // 2, header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=at)
    first = _texts(files, "rate")
    assert first in (["22.05 kHz", "48 kHz", "96 kHz"], ["96 kHz", "48 kHz", "22.05 kHz"])
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=at)
    assert _texts(files, "rate") == first[::-1]
    top = "DOORMetl_Slam_JD_Lib.wav" if first[0] == "22.05 kHz" else "room_tone.wav"
    assert files.path(0).name == top  # rows and paths stay together
    # resizable and hideable
    assert header.sectionResizeMode(rate) == QHeaderView.ResizeMode.Interactive
    bits = _col(files, "bits")
    assert header.isSectionHidden(bits)
    menu = column_menu(header, files.columns)
    next(a for a in menu.actions() if a.text() == "Bits").trigger()
    assert not header.isSectionHidden(bits)
    assert sorted(_texts(files, "bits")) == ["16", "24", "24"]
    next(a for a in column_menu(header, files.columns).actions() if a.text() == "Description").trigger()
    assert header.isSectionHidden(_col(files, "description"))
    # the keyword filter reads descriptions and iXML notes
    with qtbot.waitSignal(window.library.refreshed, timeout=WAIT_MS):
        window.library.filter_edit.setText("gulls")
    assert [r.path.name for r in files.records] == ["take_07.wav"]
    # results have the same columns, and sort too
    with qtbot.waitSignal(window.library.refreshed, timeout=WAIT_MS):
        window.library.filter_edit.clear()
    done = results_after(qtbot, window, lambda: window.load_query(lib / "room_tone.wav"), text="")
    model = window.results.model
    assert len(done.results) == 2
    assert "Creaky wooden door, slow open" in _texts(model, "description")
    window.results.view.sortByColumn(_col(model, "rate"), Qt.SortOrder.AscendingOrder)
    assert _texts(model, "rate") == ["48 kHz", "96 kHz"] and model.path(1).name == "DOORMetl_Slam_JD_Lib.wav"
    # hidden columns are remembered
    close_window(window)
    again = MainWindow(svc, Settings.load(settings_path), settings_path, audio=False)
    qtbot.addWidget(again)
    assert not again.library.file_view.header().isSectionHidden(bits)
    assert again.library.file_view.header().isSectionHidden(_col(files, "description"))
    again.close()
    svc.close()
    assert Path(settings_path).is_file()


def test_a_narrow_folder_column_keeps_the_last_folder_whole(qtbot):
    """Trial 46: the Folder column elided the middle ("…/ambi…eather"), cutting the folder the file is in."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QStandardItemModel
    from PySide6.QtWidgets import QStyleOptionViewItem, QTreeView

    from app.ui.file_columns import FILE_COLUMNS, setup_columns

    view = QTreeView()
    qtbot.addWidget(view)
    model = QStandardItemModel(1, len(FILE_COLUMNS))
    view.setModel(model)
    setup_columns(view, FILE_COLUMNS)
    modes = {}
    for i, col in enumerate(FILE_COLUMNS):
        delegate, option = view.itemDelegateForColumn(i), QStyleOptionViewItem()
        if delegate is not None:
            delegate.initStyleOption(option, model.index(0, i))
        modes[col.key] = option.textElideMode if delegate is not None else view.textElideMode()
    assert modes["folder"] == Qt.TextElideMode.ElideLeft and modes["name"] == Qt.TextElideMode.ElideMiddle
