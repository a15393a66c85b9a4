"""Python's cycle collector runs on the GUI thread while a main window is open (app.ui.gui_gc): a full test run once
died with a segmentation fault when a search worker's allocation set off a collection that freed Qt objects."""

from __future__ import annotations

import gc

import shiboken6

from app.ui.gui_gc import GuiThreadCollector, collect_due
from tests.ui_support import close_window, make_service, open_window


def test_automatic_collection_is_off_while_a_window_is_open_and_back_after(qtbot, tmp_path, encoder):
    assert gc.isenabled()
    svc = make_service(tmp_path, encoder)
    window = open_window(qtbot, svc, tmp_path)
    assert not gc.isenabled() and window.gc_collector.started
    close_window(window)
    assert gc.isenabled() and not window.gc_collector.started
    svc.close()


def test_nested_collectors_let_go_once_each_and_a_deleted_one_too(qapp):
    first, second = GuiThreadCollector(), GuiThreadCollector()
    first.start()
    second.start()
    first.start()  # started once
    first.stop()
    assert not gc.isenabled()  # the second still holds
    shiboken6.delete(second)  # deleted without being stopped (as a window's child is)
    assert gc.isenabled()
    first.stop()  # twice: nothing more
    assert gc.isenabled()


def test_due_generations_are_collected_on_the_calling_thread():
    gc.disable()
    try:
        gc.collect()
        for _ in range(gc.get_threshold()[0] + 10):
            a, b = [], []
            a.append(b)
            b.append(a)  # a cycle only the collector frees
        assert collect_due() > 0
        assert gc.get_count()[0] < gc.get_threshold()[0]
        assert collect_due() == 0  # nothing due now
    finally:
        gc.enable()
