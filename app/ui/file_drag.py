"""Item-model mixin: rows drag out as the files themselves (to a DAW or a file manager); view mixin:
Ctrl+C copies the selected rows' file paths (Qt's views copy the display text, e.g. "3. rain.ogg 0.641")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QMimeData, QModelIndex, Qt, QUrl
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence


class FileDragMixin:
    """Put before the Qt model class in the bases; subclasses implement ``path(row)``."""

    def path(self, row: int) -> Path:
        raise NotImplementedError

    def flags(self, index: Any) -> Qt.ItemFlag:
        base = super().flags(index)  # type: ignore[misc]
        return base | Qt.ItemFlag.ItemIsDragEnabled if index.isValid() else base

    def mimeTypes(self) -> list[str]:
        return ["text/uri-list"]

    def mimeData(self, indexes: list[QModelIndex]) -> QMimeData:
        mime = QMimeData()
        rows = sorted({i.row() for i in indexes})
        paths = [self.path(r) for r in rows]  # a file deleted since it was listed is not handed to the DAW
        mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths if p.exists()])
        return mime


class CopyPathsMixin:
    """Put before the Qt view class in the bases; the view's model is a FileDragMixin model.
    Ctrl+C (the platform's Copy key) puts the selected files' paths on the clipboard, one per line."""

    def selected_paths(self) -> list[Path]:
        model = self.model()  # type: ignore[attr-defined]
        rows = sorted({i.row() for i in self.selectionModel().selectedIndexes()})  # type: ignore[attr-defined]
        if not rows and self.currentIndex().isValid():  # type: ignore[attr-defined]
            rows = [self.currentIndex().row()]  # type: ignore[attr-defined]
        return [model.path(r) for r in rows]

    def keyPressEvent(self, event: QKeyEvent) -> None:  # Qt override
        if event.matches(QKeySequence.StandardKey.Copy):
            paths = self.selected_paths()
            if paths:
                QGuiApplication.clipboard().setText("\n".join(str(p) for p in paths))
            event.accept()
            return
        super().keyPressEvent(event)  # type: ignore[misc]
