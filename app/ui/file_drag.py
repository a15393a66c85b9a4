"""Item-model mixin: rows drag out as the files themselves (to a DAW or a file manager)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QMimeData, QModelIndex, Qt, QUrl


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
        mime.setUrls([QUrl.fromLocalFile(str(self.path(r))) for r in rows])
        return mime
