"""The library panel's file list: its table model (the shared columns; rows drag out as files) and its view
(Ctrl+C copies the selected files' paths)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QTreeView

from app.ui.file_columns import SortedTableModel, describe
from app.ui.file_drag import CopyPathsMixin, FileDragMixin

AnyIndex = QModelIndex | QPersistentModelIndex


class FileTableModel(FileDragMixin, SortedTableModel):
    """Library files in the shared columns (name, duration, rate, ..., folder); rows drag out as files."""

    @property
    def records(self) -> list[Any]:
        return self.rows

    def path(self, row: int) -> Path:
        return Path(self.rows[row].path)

    def set_records(self, records: list[Any]) -> None:
        self.set_rows(records)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        rec = self.rows[index.row()]
        path = Path(rec.path)
        if role == Qt.ItemDataRole.DisplayRole:
            return self.column_text(index.row(), index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            why = (f"\n{rec.status}: {rec.error or 'not found on disk'}" if rec.status != "ok" else
                   f"\nnote: {rec.error}" if rec.error else "")
            about = describe(rec)
            return str(path) + why + (f"\n{about}" if about else "")
        if role == Qt.ItemDataRole.ForegroundRole and rec.status != "ok":
            return QColor(200, 60, 60) if rec.status == "failed" else QColor(150, 150, 150)
        if role == Qt.ItemDataRole.FontRole and rec.status == "missing":
            font = QFont()
            font.setStrikeOut(True)
            return font
        if role == Qt.ItemDataRole.UserRole:
            return path
        return None


class LibraryFileView(CopyPathsMixin, QTreeView):
    """The library's file list; Ctrl+C copies the selected files' paths."""
