"""Results panel: ranked list with score and mini waveform (a moment of a long file shaded, its times in the Time
column); audition (from the moment), promote (with its range), drag out, export a region, more moments, copy,
reveal. The table itself (columns, model, waveform delegate, keys) is app.ui.results_table."""

from __future__ import annotations

import html
import os
import re
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QMenu,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.service import SearchService, fold_copies
from app.ui.copies import copies_note
from app.ui.file_columns import setup_columns
from app.ui.header_notes import HeaderNotes, NotesLabel
from app.ui.player import Player
from app.ui.result_moments import has_more_moments, moment, moment_text, stand_out_note
from app.ui.results_table import RESULT_COLUMNS, WAVEFORM_COLUMN, ResultsModel, ResultsView, WaveformDelegate
from app.ui.reveal import reveal_in_folder
from app.ui.scope_bar import ScopeBar
from app.ui.window_layout import HEADER_MIN_LINES, HEADER_SHARE, RESULT_ROW_HEIGHT
from app.ui.workers import TaskRunner

MINI_BINS = 160
NAME_SHARE = 0.45  # the Name column widens to fit names up to this share of the list's width
FOLDER_SHARE = 0.25  # ... and the Folder column its folders
NARROWEST = {"name": 140, "folder": 90}  # ... which a narrow list's found times may narrow them to (px)


class ResultsPanel(QWidget):
    promote_requested = Signal(object, object)  # Path, its moment (start, end) | None
    export_region_requested = Signal(object, float, float)  # Path, start, end
    moments_requested = Signal(object)  # the SearchResult whose file's other moments are wanted
    more_requested = Signal()  # the next page of results
    mark_requested = Signal(object, int)  # list[SearchResult] (a moment marks its range), +1 / -1 / 0 clear
    message = Signal(str)
    peaks_loaded = Signal()  # all mini waveforms of the current results are in

    def __init__(self, service: SearchService, runner: TaskRunner, player: Player, parent: QWidget | None = None):
        super().__init__(parent)
        self.service, self.runner, self.player = service, runner, player
        self._generation = 0
        self.stale = False  # the shown results are from older query settings
        self.header = NotesLabel("<b>Results</b>")
        self.header.setWordWrap(True)
        self.header.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.header.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse)  # notes' file links
        # a file name longer than the panel is wrapped (step_text.breakable) or cut, never widening the window
        size = self.header.sizePolicy()
        size.setHorizontalPolicy(QSizePolicy.Policy.Ignored)
        self.header.setSizePolicy(size)
        self.scope_bar = ScopeBar()
        self.more_button = QPushButton("More results")
        self.more_button.setToolTip("Show the next page of this search")
        self.more_button.setVisible(False)
        self.back_button = QPushButton("◀ All results")
        self.back_button.setToolTip("Back to the search's results")
        self.back_button.setVisible(False)
        self._saved: tuple[list[Any], str, bool] | None = None  # the results behind a file's moments list
        self._header = ""
        self._all: list[Any] = []  # the results as searched, copies too
        self.show_copies = False  # copies listed as rows of their own (else folded into their first: app.ui.copies)
        self.model = ResultsModel(self)
        self.view = ResultsView()
        self.view.setModel(self.model)
        self.waveform_cells = WaveformDelegate(self.view)
        self.view.setItemDelegateForColumn(WAVEFORM_COLUMN, self.waveform_cells)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        setup_columns(self.view, RESULT_COLUMNS, {"rank": 34, "name": 230, "folder": 120, "score": 62, "waveform": 170,
                                                  "moment": 165, "duration": 56, "rate": 84, "channels": 28,
                                                  "category": 80, "description": 180})
        self.view.setDragEnabled(True)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.region_file = service.region_drag_file
        self.view.drag_failed = self.message.emit
        self.play_button = QPushButton("▶ Audition")
        self.play_button.setEnabled(player.available)
        self.play_button.setToolTip("Play / stop the selected result (Space)" if player.available else player.reason)
        self.promote_button = QPushButton("⤴ Use as query")
        self.promote_button.setToolTip("Promote the selected result to be the new query (Ctrl+P, Return, double-click)")
        self.more_like_button = QPushButton("+ More like this")
        self.more_like_button.setToolTip("Move the search toward the selected results (+); a moment of a long take: "
                                         "toward that moment, not the whole take")
        self.less_like_button = QPushButton("− Less like this")
        self.less_like_button.setToolTip("Move the search away from the selected results (-); a moment of a long "
                                         "take: away from that moment")
        self.copy_button = QPushButton("Copy path")
        self.reveal_button = QPushButton("Show in folder")
        buttons = QHBoxLayout()
        for b in (self.play_button, self.promote_button, self.more_like_button, self.less_like_button,
                  self.copy_button, self.reveal_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.more_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.scope_bar)
        self.header_area = HeaderNotes(self.header, self)  # a long header scrolls: the results keep their rows
        self.header.linkActivated.connect(self._copies_link)
        layout.addWidget(self.header_area)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)

        self.view.clicked.connect(lambda idx: self.audition(idx.row(), toggle=False))
        self.view.doubleClicked.connect(lambda idx: self.promote(idx.row()))
        self.view.audition.connect(self.audition)
        self.view.promote.connect(self.promote)
        self.view.customContextMenuRequested.connect(self._context_menu)
        self.more_button.clicked.connect(self.more_requested)
        self.back_button.clicked.connect(self.back_to_results)
        self.more_like_button.clicked.connect(lambda: self.mark_selected(1))
        self.less_like_button.clicked.connect(lambda: self.mark_selected(-1))
        self.view.mark.connect(self.mark_selected)
        self.play_button.clicked.connect(lambda: self.audition(self.current_row()))
        self.promote_button.clicked.connect(lambda: self.promote(self.current_row()))
        self.copy_button.clicked.connect(lambda: self.copy_path(self.current_row()))
        self.reveal_button.clicked.connect(lambda: self.reveal(self.current_row()))
        player.position_changed.connect(self._player_position)
        player.stopped.connect(lambda: self.model.set_playing(None))
        self._update_buttons()
        self.view.selectionModel().currentChanged.connect(lambda *_: self._update_buttons())

    def resizeEvent(self, event) -> None:  # Qt override: the header's height cap follows the panel's height
        super().resizeEvent(event)
        self.header_area.updateGeometry()
        if self.model.rowCount():  # a narrower list keeps the found times in view, a wider one widens names again
            self._fit_names()
            self._keep_times_in_view()

    def set_compact(self, compact: bool) -> None:
        """Shorter rows and a header of fewer lines in a short window (app.ui.window_layout.compact_height)."""
        self.waveform_cells.row_height = RESULT_ROW_HEIGHT[compact]
        self.header_area.min_lines, self.header_area.share = HEADER_MIN_LINES[compact], HEADER_SHARE[compact]
        self.view.doItemsLayout()
        self.header_area.updateGeometry()

    # results -----------------------------------------------------------------------------
    def show_results(self, results: list[Any], header: str, more: bool = False) -> None:
        """``more``: the search may have further results (a full page came back)."""
        self._saved = None
        self.back_button.setVisible(False)
        self.more_button.setVisible(more)
        self.stale = False
        self.view.setStyleSheet("")
        self._header, self._all = header, list(results)  # the header without the notes that follow the results
        results, folded = (list(results), 0) if self.show_copies else fold_copies(list(results))
        copies = sum(r.same_as is not None for r in results)
        if folded:  # the count is of the rows listed (trial 53: "50 results" over 49 rows, a copy folded in)
            header = re.sub(r"^<b>\d+ (result|file)s?</b>", lambda m: f"<b>{len(results)} {m.group(1)}"
                            f"{'s' if len(results) != 1 else ''}</b>", header)
        self.header.setText(header + copies_note(results, folded, copies) + stand_out_note(results))
        self.model.set_results(results)
        self._fit_names()
        self._fit_times(results)
        self._keep_times_in_view()
        if results:
            self.select_row(0)
            self.view.scrollToTop()
        self._update_buttons()
        self._load_peaks([self.model.path(i) for i in range(len(results))])

    def _fit_names(self) -> None:
        """Widen the Name column (never narrow it) to the longest name of the first results, up to NAME_SHARE of the
        list's width: a trial's names were cut in the middle ("traffic_with_car…n_and_dog_02.ogg"), hiding what told
        two results apart; and the Folder column so, up to FOLDER_SHARE (trial 49: "…narena/lightning" read as
        weather beside 350 px of empty columns)."""
        for key, share in (("name", NAME_SHARE), ("folder", FOLDER_SHARE)):
            column = [c.key for c in RESULT_COLUMNS].index(key)
            header = self.view.header()
            rows = min(self.model.rowCount(), 200)
            if header.isSectionHidden(column) or not rows:
                continue
            metrics = self.view.fontMetrics()
            widest = max(metrics.horizontalAdvance(self.model.column_text(r, column)) for r in range(rows))
            needed = min(widest + 24, int(self.view.viewport().width() * share))  # the cell's padding and mark
            if header.sectionSize(column) < needed:
                header.resizeSection(column, needed)

    def _fit_times(self, results: list[Any]) -> None:
        """Widen the Time column (never narrow it) so that the moments' times and counts read whole: a width the
        user or an older version saved may be too narrow for "10:48.0–11:02.9 · 12 moments"."""
        texts = [moment_text(r) for r in results[:200]]
        if not any(texts):
            return
        column = [c.key for c in RESULT_COLUMNS].index("moment")
        needed = max(self.view.fontMetrics().horizontalAdvance(t) for t in texts) + 16  # the cell's padding
        header = self.view.header()
        if not header.isSectionHidden(column) and header.sectionSize(column) < needed:
            header.resizeSection(column, needed)

    def _keep_times_in_view(self) -> None:
        """Narrow the Folder, then the Name column (to NARROWEST at least) while a found moment's times in the Time
        column lie past the list's right edge: at 1024x640 a long take's "44:52.8–45:12.5" was off screen (trial 50).
        _fit_names widens them again in a wider list; the waveform keeps its width."""
        header, keys = self.view.header(), [c.key for c in RESULT_COLUMNS]
        time = keys.index("moment")
        texts = [self.model.column_text(r, time) for r in range(min(self.model.rowCount(), 200))]
        if header.isSectionHidden(time) or not any(texts):
            return
        metrics = self.view.fontMetrics()
        for key in ("folder", "name"):  # the Folder gives way to the times and their count (trial 53: "2:14.4–2:34.1
            # · 2 mon" cut at 1280 beside a wide Folder), the Name only to the times ("0:06.0–0:08.0")
            part = [t if key == "folder" else t.split(" · ")[0] for t in texts]
            shown = min(header.sectionSize(time), max(metrics.horizontalAdvance(t) for t in part) + 16)
            column = keys.index(key)
            excess = header.sectionPosition(time) + shown - self.view.viewport().width()
            if excess <= 0:
                return
            if not header.isSectionHidden(column) and header.visualIndex(column) < header.visualIndex(time):
                header.resizeSection(column, max(NARROWEST[key], header.sectionSize(column) - excess))

    def show_moments(self, results: list[Any], header: str) -> None:
        """One file's moments in place of the results ("◀ All results" brings them back)."""
        saved = self._saved or (self._all, self._header, self.more_button.isVisible())
        self.show_results(results, header)
        self._saved = saved
        self.back_button.setVisible(True)

    def set_show_copies(self, show: bool) -> None:
        """List copies as rows of their own, or fold them into their first (the header's link); the list shown again."""
        if show != self.show_copies:
            self.show_copies = show
            if self._all and self._saved is None:
                self.show_results(self._all, self._header, self.more_button.isVisible())

    def _copies_link(self, link: str) -> None:
        if link.startswith("copies:"):
            self.set_show_copies(link == "copies:show")

    def back_to_results(self) -> None:
        if self._saved is not None:
            self.show_results(*self._saved)

    def show_message(self, header: str) -> None:
        self.header.setText(header)

    def mark_stale(self, why: str) -> None:
        """The results no longer match the query settings (a new search is on its way): say so, dim them."""
        self.stale = True
        self.header.setText(f"<span style='color:#a06000'><i>{html.escape(why)}</i></span>")
        self.view.setStyleSheet("QTreeView { color: gray; }")
        self.view.viewport().update()

    def _load_peaks(self, paths: list[Path]) -> None:
        self._generation += 1
        gen, svc = self._generation, self.service
        todo = [p for p in paths if p not in self.model.peaks]

        def load(report: Any) -> None:
            for p in todo:
                if gen != self._generation:  # newer results are showing: stop drawing for old ones
                    return
                try:
                    report((p, svc.waveform_peaks(p, n_bins=MINI_BINS)))
                except Exception:  # unreadable file: its row keeps a flat line
                    report((p, None))

        def got(item: tuple[Path, np.ndarray | None]) -> None:
            if gen == self._generation and item[1] is not None:
                self.model.set_peaks(*item)

        def done(_: object) -> None:
            if gen == self._generation:
                self.peaks_loaded.emit()

        self.runner.submit(load, done, lambda exc: None, on_progress=got)

    # actions -----------------------------------------------------------------------------
    def select_row(self, row: int) -> None:
        """Make this row the current and only selected one (as a plain click does)."""
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        self.view.selectionModel().setCurrentIndex(self.model.index(row), flags)

    def current_row(self) -> int:
        return self.view.currentIndex().row()

    def current_path(self) -> Path | None:
        row = self.current_row()
        return self.model.path(row) if 0 <= row < len(self.model.results) else None

    def step(self, delta: int) -> None:
        """Select the next/previous result and audition it."""
        n = len(self.model.results)
        if not n:
            return
        row = min(max(self.current_row() + delta, 0), n - 1) if self.current_row() >= 0 else 0
        self.select_row(row)
        self.audition(row, toggle=False)

    def audition(self, row: int, toggle: bool = True) -> None:
        if not 0 <= row < len(self.model.results):
            return
        if not self.player.available:
            self.message.emit(self.player.reason)
            return
        result = self.model.rows[row]  # a moment plays its range, a whole-file match the whole file
        (self.player.toggle if toggle else self.player.play)(self.model.path(row), result.start, result.end)

    def promote(self, row: int) -> None:
        if 0 <= row < len(self.model.results):
            self.promote_requested.emit(self.model.path(row), moment(self.model.rows[row]))

    def mark_selected(self, sign: int) -> None:
        """Mark the selected results (a moment: its range, as heard) more / less like this, or clear (0)."""
        rows = sorted({i.row() for i in self.view.selectionModel().selectedIndexes()}) if self.model.rows else []
        if not rows and self.current_row() >= 0:
            rows = [self.current_row()]
        results = [self.model.rows[r] for r in rows if 0 <= r < len(self.model.rows)]
        if results:
            self.mark_requested.emit(results, sign)

    def copy_path(self, row: int) -> None:
        if 0 <= row < len(self.model.results):
            QGuiApplication.clipboard().setText(str(self.model.path(row)))
            self.message.emit(f"Copied {self.model.path(row)}")

    def reveal(self, row: int) -> None:
        if 0 <= row < len(self.model.results):
            path = self.model.path(row)
            if not os.path.exists(path):  # False too where a folder may not be read
                self.message.emit(f"{path} no longer exists")
                return
            if not reveal_in_folder(path):
                QGuiApplication.clipboard().setText(str(path))
                self.message.emit(f"No file manager could be opened to show {path.name}; "
                                  f"its path is on the clipboard: {path}")

    def _update_buttons(self) -> None:
        has = self.current_path() is not None
        for b in (self.promote_button, self.copy_button, self.reveal_button, self.more_like_button,
                  self.less_like_button):
            b.setEnabled(has)
        self.play_button.setEnabled(has and self.player.available)

    def _context_menu(self, pos: Any) -> None:
        row = self.view.indexAt(pos).row()
        if row < 0:
            return
        menu = QMenu(self)
        menu.addAction("Audition", lambda: self.audition(row)).setEnabled(self.player.available)
        menu.addAction("Use as query", lambda: self.promote(row))
        result, found = self.model.rows[row], moment(self.model.rows[row])
        export = menu.addAction("Export region…", lambda: found and self.export_region_requested.emit(
            self.model.path(row), *found))
        export.setEnabled(found is not None)
        menu.addAction("More moments in this file",
                       lambda: self.moments_requested.emit(result)).setEnabled(has_more_moments(result))
        this = "this moment" if found is not None else "this"
        menu.addAction(f"More like {this}", lambda: self.mark_selected(1))
        menu.addAction(f"Less like {this}", lambda: self.mark_selected(-1))
        menu.addAction("Clear mark", lambda: self.mark_selected(0)).setEnabled(  # only a marked row (a trial)
            any(self.model.mark_of(r) for r in {i.row() for i in self.view.selectionModel().selectedRows()} | {row}))
        menu.addAction("Copy path", lambda: self.copy_path(row))
        menu.addAction("Show in folder", lambda: self.reveal(row))
        menu.exec(self.view.viewport().mapToGlobal(pos))

    def _player_position(self, seconds: float) -> None:
        cur = self.player.current
        rec = next((r for r in self.model.results if Path(r.path) == cur), None)
        if rec is None:
            self.model.set_playing(None)
            return
        duration = getattr(rec.record, "duration", None) or 0.0
        self.model.set_playing(cur, seconds / duration if duration else 0.0)
