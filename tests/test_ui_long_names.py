"""A very long file name (no spaces: libraries name files with underscores) never widens the window past the
screen: the query title, the results header and the crumbs wrap or cut it."""

from __future__ import annotations

import shutil

from tests import ui_support
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
