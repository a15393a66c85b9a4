"""A small window (a laptop, or beside a DAW) keeps the results readable: a long results header scrolls inside a few
lines, and the query panel gives up height too (a trial at 1024x700 saw three result rows)."""

from __future__ import annotations

from app.ui.header_notes import MAX_LINES
from app.ui.window_layout import HEADER_MIN_LINES, RESULT_ROW_HEIGHT, WAVEFORM_HEIGHT
from tests import ui_support
from tests.ui_support import close_window, open_window, typed_search

library = ui_support.library  # fixtures
indexed_service = ui_support.indexed_service


def test_a_long_header_scrolls_and_the_results_keep_their_rows_at_1024x700(qtbot, tmp_path, indexed_service, library):
    window = open_window(qtbot, indexed_service, tmp_path)
    window.resize(1024, 700)
    typed_search(qtbot, window, library / "rain_like_00.wav", "add thunder")
    notes = "<br>".join(f"note {i}: a line the search says beside its results" for i in range(12))
    window.results.header.setText(notes)  # as tall as seven trials' notes and more
    qtbot.wait(50)
    area, line = window.results.header_area, window.results.header.fontMetrics().lineSpacing()
    least, most = HEADER_MIN_LINES[False] * line, MAX_LINES * line + 8
    assert least <= area.height() <= most < window.results.header.sizeHint().height()
    assert area.verticalScrollBar().maximum() > 0  # the rest of the notes scroll
    rows = window.results.view.height() // max(window.results.view.sizeHintForRow(0), 1)
    assert rows >= 6, rows
    window.results.header.setText("<b>3 results</b>")  # a short header takes one line again
    qtbot.wait(50)
    assert area.height() < 2 * line + 8
    close_window(window)


def test_a_short_window_is_laid_out_compact_and_shows_more_result_rows(qtbot, tmp_path, indexed_service, library):
    """A 1366x768 laptop at 125 % gives a window about 1093x574 (logical): a trial saw three and a half result rows.
    Compact: a lower query waveform, shorter rows, a header of fewer lines; a taller window goes back."""
    window = open_window(qtbot, indexed_service, tmp_path)
    window.resize(1093, 574)
    typed_search(qtbot, window, library / "rain_like_00.wav", "add thunder and make the rain louder")
    qtbot.wait(50)
    view = window.results.view
    assert window.query.waveform.minimumHeight() == WAVEFORM_HEIGHT[True]
    assert view.sizeHintForRow(0) <= RESULT_ROW_HEIGHT[True] + 2
    rows = view.viewport().height() / max(view.sizeHintForRow(0), 1)
    assert rows >= 5, rows
    window.resize(1280, 800)
    qtbot.wait(50)
    assert window.query.waveform.minimumHeight() == WAVEFORM_HEIGHT[False]
    assert view.sizeHintForRow(0) >= RESULT_ROW_HEIGHT[False]
    close_window(window)


def test_a_long_import_summary_scrolls_and_leaves_the_file_list_its_rows_at_1024x640(qtbot, tmp_path, indexed_service,
                                                                                      library):
    """Trial 50: an import summary with a truncated-file warning took 9 lines of the library panel at 1024x640."""
    from app.ui.library_panel import IMPORT_SHARE

    window = open_window(qtbot, indexed_service, tmp_path)
    window.resize(1024, 640)
    panel = window.library
    summary = "Import finished: 792 new · " + " ".join(f"{i}_a_file_name_cut_short_at_{i}_s.wav" for i in range(20))
    panel.import_label.setText(summary)
    qtbot.wait(50)
    area, line = panel.import_area, panel.import_label.fontMetrics().lineSpacing()
    assert line <= area.height() <= max(int(panel.height() * IMPORT_SHARE) // line, 1) * line + 4
    assert area.height() < panel.import_label.sizeHint().height() and area.verticalScrollBar().maximum() > 0
    assert panel.import_label.text() == summary  # all of it, scrolled
    panel.import_label.setText("Import finished: 3 new")
    qtbot.wait(50)
    assert area.height() < 2 * line + 8
    panel.import_label.setText("")  # no import yet: no blank line above the counts
    qtbot.wait(50)
    assert area.height() == 0
    close_window(window)
