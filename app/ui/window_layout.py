"""The main window's layout kept across runs: its geometry, splitters and list headers (as hex in the UI settings),
and the scope of its results (the scope bar's limits, the library filter)."""

from __future__ import annotations

from PySide6.QtCore import QByteArray
from PySide6.QtWidgets import QHeaderView, QMainWindow, QSplitter

from app.service import SearchScope
from app.ui.settings import Settings

DEFAULT_SIZE = (1280, 800)  # the first launch's least size; on a larger screen, SCREEN_SHARE of its free area
SCREEN_SHARE = 0.9  # a trial's 1600x1000 screen opened the window at 1280x800, with nine result rows in view
FRAME_ROOM = 40  # pixels of a screen's free height left for the window manager's title bar
# a window shorter than this (logical pixels: a 1366x768 laptop at 125 % gives about 570) is laid out compact: a
# lower query waveform, shorter result rows, a two-line results header (a trial saw three and a half result rows)
COMPACT_BELOW = 640
WAVEFORM_HEIGHT = {False: 72, True: 44}  # the query waveform's least height (72: a 1024x700 window keeps its rows)
RESULT_ROW_HEIGHT = {False: 30, True: 24}
HEADER_MIN_LINES = {False: 3, True: 2}  # the results header's least height, in lines
HEADER_SHARE = {False: 0.22, True: 0.14}  # the results header's greatest share of its panel (above its least)


def compact_height(height: int) -> bool:
    """Whether a window of this height (logical pixels) is laid out compact."""
    return height < COMPACT_BELOW


def fit_to_screen(window: QMainWindow, size: tuple[int, int] | None = None) -> None:
    """Resize the window to ``size`` (its own size when None), no larger than its screen's free area: a trial's
    first launch on a 1366x768 laptop hid the status bar, and at 125 % scaling a third of the window."""
    free = window.screen().availableGeometry()
    width, height = size or (window.width(), window.height())
    fitted = (min(width, free.width()), min(height, free.height() - FRAME_ROOM))
    if fitted != (window.width(), window.height()):
        window.resize(*fitted)


def first_size(window: QMainWindow) -> tuple[int, int]:
    """The size a first launch opens at: DEFAULT_SIZE, or SCREEN_SHARE of the screen's free area where that is
    larger (fit_to_screen then keeps it inside)."""
    free = window.screen().availableGeometry()
    return (max(DEFAULT_SIZE[0], int(free.width() * SCREEN_SHARE)),
            max(DEFAULT_SIZE[1], int(free.height() * SCREEN_SHARE)))


def _hex(state: QByteArray) -> str:
    return bytes(state.toHex().data()).decode()


def restore_layout(window: QMainWindow, settings: Settings, splitters: tuple[QSplitter, QSplitter],
                   headers: tuple[QHeaderView, QHeaderView]) -> None:
    """The saved geometry, splitter sizes and headers (library list, results); the first launch's size (first_size)
    when none is saved or Qt cannot read it (not the window's minimum)."""
    try:
        saved = settings.window_geometry
        if not (saved and window.restoreGeometry(QByteArray.fromHex(saved.encode()))):
            fit_to_screen(window, first_size(window))
        else:  # saved on a larger screen, or at a smaller scale
            fit_to_screen(window)
        for widget, state in ((splitters[0], settings.splitter_state), (splitters[1], settings.query_splitter_state),
                              (headers[0], settings.library_columns), (headers[1], settings.results_header)):
            if state:
                widget.restoreState(QByteArray.fromHex(state.encode()))
    except (ValueError, TypeError):
        fit_to_screen(window, first_size(window))


def save_layout(window: QMainWindow, settings: Settings, splitters: tuple[QSplitter, QSplitter],
                headers: tuple[QHeaderView, QHeaderView]) -> None:
    settings.window_geometry = _hex(window.saveGeometry())
    settings.splitter_state, settings.query_splitter_state = (_hex(s.saveState()) for s in splitters)
    settings.library_columns, settings.results_header = (_hex(h.saveState()) for h in headers)


def restore_scope(settings: Settings, results, library) -> SearchScope:
    """The results panel's scope bar and copies choice, and the library filter (its words, its "results too"), as the
    last run left them (a trial: a restored session was searched in the whole library although its results had been
    limited). ``results``: the ResultsPanel, ``library``: the LibraryPanel."""
    results.scope_bar.restore(settings.last_scope)
    results.show_copies = settings.show_copies
    library.filter_edit.setText(settings.library_filter)
    library.filter_results.setChecked(settings.filter_results)
    return results.scope_bar.scope()


def save_scope(settings: Settings, results, library) -> None:
    settings.last_scope = results.scope_bar.state()
    settings.show_copies = results.show_copies
    settings.library_filter, settings.filter_results = library.filter_edit.text(), library.filter_results.isChecked()
