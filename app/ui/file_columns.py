"""Columns shared by the library list and the results: what each shows, how it sorts, which start
hidden; a header menu to show/hide them; a table-model base that sorts its rows itself (so row numbers
stay those of ``records``: no proxy model between the view and the data)."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QMenu, QStyledItemDelegate, QStyleOptionViewItem

from app.service import FAVOURITE

AnyIndex = QModelIndex | QPersistentModelIndex


def format_duration(seconds: float | None) -> str:
    if not seconds:
        return ""
    minutes, secs = divmod(float(seconds), 60.0)
    return f"{int(minutes)}:{secs:04.1f}"


def format_size(size: int | None) -> str:
    if not size:
        return ""
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return ""


def _meta(record: Any, name: str) -> Any:
    meta = getattr(record, "meta", None)
    return getattr(meta, name) if meta is not None else None


def describe(record: Any) -> str:
    """The most telling text a file carries: description, else comment, title, notes."""
    for name in ("description", "comment", "title", "notes"):
        value = _meta(record, name)
        if value:
            return value
    return ""


def format_tags(tags: tuple[str, ...]) -> str:
    """★ first (the favourite tag), then the other tags."""
    star = "★" if "favourite" in tags else ""
    rest = ", ".join(t for t in tags if t != "favourite")
    return f"{star} {rest}".strip()


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    text: Callable[[Any], str]  # of a FileRecord
    sort_key: Callable[[Any], Any]
    hidden: bool = False  # until the user shows it (header right-click)
    tip: str = ""  # the header's tooltip


def name_text(record: Any) -> str:
    """A file's name, starred when it is a favourite ("★ thunder_01.wav": a trial found favourites nowhere to see),
    and said to be imported in part when the import kept a note on it (a damaged or cut-short file: trial 62 was
    offered one whose 0.77 s of 119.6 s were imported, with a flat waveform and nothing said)."""
    name = Path(record.path).name
    name = f"{name}  (imported in part)" if imported_in_part(record) else name
    return f"★ {name}" if FAVOURITE in (getattr(record, "tags", None) or ()) else name


def imported_in_part(record: Any) -> bool:
    """Whether the import imported the file with a note (app.db_metadata.noted_files: damaged part-way, cut short)."""
    return getattr(record, "status", "ok") == "ok" and bool(getattr(record, "error", None))


FILE_COLUMNS: tuple[Column, ...] = (
    Column("name", "Name", name_text, lambda r: Path(r.path).name.lower()),
    Column("duration", "Duration", lambda r: format_duration(r.duration), lambda r: r.duration or 0.0),
    Column("rate", "Rate", lambda r: f"{r.sample_rate / 1000:g} kHz" if r.sample_rate else "",
           lambda r: r.sample_rate or 0),
    Column("bits", "Bits", lambda r: str(_meta(r, "bit_depth") or ""), lambda r: _meta(r, "bit_depth") or 0, True),
    Column("channels", "Ch", lambda r: str(r.channels or ""), lambda r: r.channels or 0),
    Column("format", "Format", lambda r: _meta(r, "format") or "", lambda r: _meta(r, "format") or "", True),
    Column("size", "Size", lambda r: format_size(r.size), lambda r: r.size or 0, True),
    Column("category", "Category", lambda r: _meta(r, "ucs_catid") or "", lambda r: _meta(r, "ucs_catid") or ""),
    Column("description", "Description", describe, lambda r: describe(r).lower()),
    Column("tags", "Tags", lambda r: format_tags(getattr(r, "tags", ())),
           lambda r: format_tags(getattr(r, "tags", ()))),
    Column("folder", "Folder", lambda r: str(Path(r.path).parent), lambda r: str(Path(r.path).parent).lower()),
)


def folders_from(folders: list[Path]) -> Path | None:
    """Where the Folder column starts: the parent of the folders' common folder, so each shows from the common
    folder's own name on ("demo_library", "sfx_lib/Ambiences/Wind"), not its whole path; None for no folders or none
    in common."""
    try:
        common = Path(os.path.commonpath([str(f) for f in folders])) if folders else None
    except ValueError:  # relative and absolute paths, or other drives
        return None
    return common.parent if common is not None and common != common.parent else None


def compact_folder(parts: tuple[str, ...], listed: list[tuple[str, ...]]) -> str:
    """A folder's parts as the Folder column shows them: whole up to three parts ("sfx/Ambiences/Wind"); deeper, the
    first part, then the last two ("sfx/…/Rain/Heavy"), or, where other ``listed`` folders end in the same parts, the
    nearest part that differs and the last ("sfx/…/none/…/explosions"). Where every listed folder starts with the same
    part (one library folder), it is left out: "…/none/…/explosions" (a trial's narrow column elided
    "trial40_folder/…/none/…/explosions" and ".../apoc/..." alike, to "trial40_…plosions"), "stux/sounds" (another
    showed "trial42_folder/lugaru" as "trial42_…r/lugaru")."""
    shared_first = all(p[0] == parts[0] for p in listed)  # left out, with what follows up to the parts kept
    if 1 < len(parts) <= 3:  # "stux/sounds", not "trial/stux/sounds" elided to "trial…/sounds" (a trial)
        return str(Path(*(parts[1:] if shared_first else parts)))
    if len(parts) <= 3:
        return str(Path(*parts))
    n = 1
    while n < len(parts) and sum(1 for p in listed if p[-n:] == parts[-n:]) > 1:
        n += 1
    kept = sorted({len(parts) - max(n, 2), len(parts) - 2 if n <= 2 else len(parts) - 1, len(parts) - 1}
                  | (set() if shared_first else {0}))
    shown: list[str] = ["\u2026"] if shared_first else []
    for before, at in zip([kept[0] - 1 if shared_first else -1, *kept], kept, strict=False):
        if at - before == 2:
            shown.append(parts[before + 1])  # one part left out: shown, not "…"
        elif at - before > 2:
            shown.append("\u2026")
        shown.append(parts[at])
    return str(Path(*shown))


class SortedTableModel(QAbstractTableModel):
    """Rows in ``self.rows``; ``columns`` give text and sort keys of ``record_of(row)``."""

    columns: tuple[Column, ...] = FILE_COLUMNS

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self.rows: list[Any] = []
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self._folders_from: Path | None = None  # the Folder column shows folders relative to this (folders_from) ...
        self.roots: list[Path] = []  # ... or, for a file inside one, from its library folder's own name on
        self._listed: tuple[tuple[Path, ...], dict[Path, tuple[str, ...] | None]] | None = None  # (roots, parts)

    def record_of(self, item: Any) -> Any:
        return item

    def set_rows(self, rows: list[Any]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self._folders_from = folders_from([Path(self.record_of(r).path).parent for r in self.rows])
        self._listed = None
        if self._sort is not None:
            self._apply_sort(*self._sort)
        self.endResetModel()

    def index(self, row: int, column: int = 0, parent: AnyIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        return super().index(row, column, parent)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].title
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole:
            return self.columns[section].tip or None
        return None

    def column_text(self, row: int, column: int) -> str:
        item = self.record_of(self.rows[row])
        if self.columns[column].key == "folder":
            return self.folder_text(Path(item.path).parent)
        return self.columns[column].text(item)

    def folder_text(self, folder: Path) -> str:
        """A file's folder from its library folder's name on ("sfx_lib/Ambiences/Wind", "demo_library"), else from
        the listed files' common folder's name on; the whole path when neither holds it. A deeper folder is shortened
        by compact_folder ("…/none/…/explosions" beside "…/apoc/…/explosions"); the tooltip gives the whole path."""
        listed = self._listed_parts()
        parts = listed[folder] if folder in listed else self._relative_parts(folder)
        return str(folder) if parts is None else compact_folder(parts, [p for p in listed.values() if p])

    def _relative_parts(self, folder: Path) -> tuple[str, ...] | None:
        root = max((r for r in self.roots if folder.is_relative_to(r)), key=lambda r: len(r.parts), default=None)
        base = root.parent if root is not None and root != root.parent else self._folders_from
        return folder.relative_to(base).parts if base is not None and folder.is_relative_to(base) else None

    def _listed_parts(self) -> dict[Path, tuple[str, ...] | None]:
        """Every listed file's folder as parts from where the column starts (None: shown whole), kept until the rows
        or the library folders change."""
        if self._listed is None or self._listed[0] != tuple(self.roots):
            folders = {Path(self.record_of(r).path).parent for r in self.rows}
            self._listed = (tuple(self.roots), {f: self._relative_parts(f) for f in folders})
        return self._listed[1]

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:  # Qt override
        if not 0 <= column < len(self.columns):
            return
        self.layoutAboutToBeChanged.emit()
        self._sort = (column, order)
        self._apply_sort(column, order)
        self.layoutChanged.emit()

    def _apply_sort(self, column: int, order: Qt.SortOrder) -> None:
        key = self.columns[column].sort_key
        self.rows.sort(key=lambda item: key(self.record_of(item)), reverse=order == Qt.SortOrder.DescendingOrder)


class ElideRightDelegate(QStyledItemDelegate):
    """Text that matters most at its start (a moment's times before "· 3 moments") keeps its start."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: AnyIndex) -> None:  # Qt override
        super().initStyleOption(option, index)
        option.textElideMode = Qt.TextElideMode.ElideRight


class ElideLeftDelegate(QStyledItemDelegate):
    """A folder keeps its end, the folder a file is in ("…t/weather", not "…/ambi…eather": trial 46)."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: AnyIndex) -> None:  # Qt override
        super().initStyleOption(option, index)
        option.textElideMode = Qt.TextElideMode.ElideLeft


def setup_columns(view: Any, columns: tuple[Column, ...], widths: dict[str, int] | None = None) -> None:
    """A file list: flat rows, several selectable, names elided in the middle; resizable, sortable, movable
    columns (initial ``widths`` by column key; the folder right after the name); right-click
    the header to show or hide them."""
    view.setRootIsDecorated(False)
    view.setUniformRowHeights(True)
    view.setAlternatingRowColors(True)
    view.setTextElideMode(Qt.TextElideMode.ElideMiddle)
    view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    header: QHeaderView = view.header()
    header.setSectionsMovable(True)
    header.setStretchLastSection(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # the service's order until a header is clicked
    view.setSortingEnabled(True)
    for i, col in enumerate(columns):
        header.setSectionHidden(i, col.hidden)
        if col.key == "moment":  # a moment's times first
            view.setItemDelegateForColumn(i, ElideRightDelegate(view))
        elif col.key == "folder":  # the folder its end: the last folder whole (a narrow column cut "weather")
            view.setItemDelegateForColumn(i, ElideLeftDelegate(view))
    for i, col in enumerate(columns):
        if widths and col.key in widths:
            header.resizeSection(i, widths[col.key])
    keys = [c.key for c in columns]
    if "folder" in keys and "name" in keys:  # the folder is a library's category: shown beside the name (a trial)
        header.moveSection(header.visualIndex(keys.index("folder")), header.visualIndex(keys.index("name")) + 1)
    header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    header.customContextMenuRequested.connect(lambda pos: column_menu(header, columns).exec(header.mapToGlobal(pos)))


def column_menu(header: QHeaderView, columns: tuple[Column, ...]) -> QMenu:
    """Checkable entries, one per column; the last visible column cannot be hidden."""
    menu = QMenu(header)
    visible = [i for i in range(len(columns)) if not header.isSectionHidden(i)]
    for i, col in enumerate(columns):
        action = menu.addAction(col.title)
        action.setCheckable(True)
        action.setChecked(i in visible)
        action.setEnabled(not (i in visible and len(visible) == 1))
        action.toggled.connect(lambda on, i=i: header.setSectionHidden(i, not on))
    return menu
