"""The results table: its columns (rank, name, Match, mini waveform, Time, file columns), ResultsModel (marks,
peaks, playhead), the mini waveform delegate and the view's keys (Space auditions, Return promotes, + / - mark)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QPainter
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QTreeView

from app.service import FeedbackMark
from app.ui.copies import copies_tip
from app.ui.file_columns import FILE_COLUMNS, Column, SortedTableModel, describe, imported_in_part, name_text
from app.ui.file_drag import CopyPathsMixin, FileDragMixin
from app.ui.history import feedback_sign
from app.ui.mini_waveform import paint_mini_waveform
from app.ui.result_moments import (
    RegionDragMixin,
    match_of,
    match_text,
    match_tooltip,
    moment,
    moment_text,
    moment_tooltip,
    region_shares,
)
from app.ui.window_layout import RESULT_ROW_HEIGHT

PathRole = Qt.ItemDataRole.UserRole + 1
AnyIndex = QModelIndex | QPersistentModelIndex


RESULT_COLUMNS: tuple[Column, ...] = (
    Column("rank", "#", lambda r: str(r.rank), lambda r: r.rank),
    Column("name", "Name", lambda r: name_text(r.record) + (f"  ({r.same_audio_mark})" if r.same_audio_mark else ""),
           lambda r: Path(r.path).name.lower(),
           tip="(+N copies): the same sound is also at N other places, copies or other formats and rates (folded in: "
               "its tooltip names them); (= #N): the same audio as result N, a copy under another name or in another "
               "folder; (\u2248 #N): another version of result N, the same name in another format or rate; (= query) "
               "/ (\u2248 query): of the query sound"),
    Column("score", "Match", match_text, lambda r: -match_of(r),
           tip="How alike each result and the query sound are, with the words' change (1 = the same sound, 0 = "
               "unrelated; words on their own: how much it sounds like them; Match names: how well the words match "
               "the name, 0-1). ▲ / ▼: a moment of a long take ranked above / below its match; ↑ / ↓: moved up / "
               "down for holding a sound the words add or change the level of / remove"),
    Column("waveform", "Waveform", lambda r: "", lambda r: r.rank),
    Column("moment", "Time", moment_text, lambda r: (r.end is None, r.start),
           tip="The moment of a long recording that matched (shaded on the waveform); empty: the whole file"),
    *(Column(c.key, c.title, lambda r, c=c: c.text(r.record), lambda r, c=c: c.sort_key(r.record), c.hidden)
      for c in FILE_COLUMNS if c.key != "name"),
)
WAVEFORM_COLUMN = 3


class ResultsModel(FileDragMixin, SortedTableModel):
    """SearchResult rows in columns (rank, name, score, mini waveform, file columns); the mini waveform
    peaks fill in as they load."""

    columns = RESULT_COLUMNS

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self.peaks: dict[Path, np.ndarray] = {}
        self.marks: tuple[tuple[FeedbackMark, int], ...] = ()  # the step's feedback: +1 more / -1 less like this
        self.alone: tuple[str, bool] | None = None  # words alone listed: (the words, ranked by what Nudge hears)
        self.playing: Path | None = None
        self.progress = 0.0

    @property
    def results(self) -> list[Any]:
        return self.rows

    def set_results(self, results: list[Any]) -> None:
        self.set_rows(results)

    def path(self, row: int) -> Path:
        return Path(self.rows[row].path)

    def mark_of(self, row: int) -> int:
        """+1 / -1 when this row's result (its moment, or the file) is marked more / less like this, else 0."""
        return feedback_sign(self.marks, FeedbackMark.of(self.rows[row]))

    def set_peaks(self, path: Path, peaks: np.ndarray) -> None:
        self.peaks[path] = peaks
        self._touch(path)

    def set_playing(self, path: Path | None, progress: float = 0.0) -> None:
        old, self.playing, self.progress = self.playing, path, progress
        for p in {old, path} - {None}:
            self._touch(p)

    def update_records(self, records: dict[Path, Any]) -> None:
        """New file records (stars, tags, metadata) for the shown results: rows, order and selection stay."""
        self.rows = [replace(r, record=records[Path(r.path)]) if records.get(Path(r.path)) is not None else r
                     for r in self.rows]
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, self.columnCount() - 1))

    def _touch(self, path: Path) -> None:
        for row, r in enumerate(self.rows):
            if Path(r.path) == path:
                idx = self.index(row, WAVEFORM_COLUMN)
                self.dataChanged.emit(idx, idx)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r = self.rows[index.row()]
        key = self.columns[index.column()].key
        if role == Qt.ItemDataRole.DisplayRole:
            mark = {1: "+ ", -1: "− "}.get(self.mark_of(index.row()), "") if index.column() == 0 else ""
            return mark + self.column_text(index.row(), index.column())
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 0 and self.mark_of(index.row()):
            return QColor(30, 140, 60) if self.mark_of(index.row()) > 0 else QColor(190, 50, 50)
        if role == Qt.ItemDataRole.ToolTipRole and key in ("score", "moment"):
            return match_tooltip(r, self.alone) if key == "score" else moment_tooltip(r)
        if role == Qt.ItemDataRole.ToolTipRole:
            about = describe(r.record) if r.record is not None else ""
            about += f"\n{r.record.error}" if r.record is not None and imported_in_part(r.record) else ""
            drag = ("\nDrag the waveform to take this moment out as a WAV file, the name for the whole file"
                    if moment(r) else "")
            return str(r.path) + (f"\n{about}" if about else "") + drag + copies_tip(r)
        if role == PathRole:
            return Path(r.path)
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in (0, 2):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class WaveformDelegate(QStyledItemDelegate):
    """The mini waveform cell, with the playhead while the result plays."""

    row_height = RESULT_ROW_HEIGHT[False]  # shorter in a short window (ResultsPanel.set_compact)

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        return QSize(160, self.row_height)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        model: ResultsModel = index.model()  # type: ignore[assignment]
        path = model.path(index.row())
        painter.save()
        style = option.widget.style() if option.widget else None
        if style:
            style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, option, painter, option.widget)
        progress = model.progress if model.playing == path else None
        paint_mini_waveform(painter, QRectF(option.rect).adjusted(3, 3, -3, -3), model.peaks.get(path),
                            progress=progress, region=region_shares(model.rows[index.row()]))
        painter.restore()


class ResultsView(RegionDragMixin, CopyPathsMixin, QTreeView):
    """Space auditions, Return promotes; everything else is standard list navigation."""

    audition = Signal(int)
    promote = Signal(int)
    mark = Signal(int)  # +1 / -1 for the selected rows ("+" / "-" keys)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # Qt override
        row = self.currentIndex().row()
        if event.text() in ("+", "-") and row >= 0:
            self.mark.emit(1 if event.text() == "+" else -1)
        elif event.key() == Qt.Key.Key_Space and not event.modifiers() and row >= 0:
            self.audition.emit(row)
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and row >= 0:
            self.promote.emit(row)
        elif event.key() == Qt.Key.Key_F10 and event.modifiers() == Qt.KeyboardModifier.ShiftModifier:
            # the context menu as most desktop apps open it (laptops often lack the Menu key: a keyboard-first trial)
            where = self.visualRect(self.currentIndex()).center() if row >= 0 else self.viewport().rect().center()
            self.customContextMenuRequested.emit(where)
        else:
            super().keyPressEvent(event)  # Ctrl+C: CopyPathsMixin
