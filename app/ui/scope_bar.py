"""Scope of the ranked results: folder, duration and sample-rate limits, favourites, and the library filter's words
when its "results too" is ticked (off by default: typing part of a name to find a query file must not also cut its
results down), and "Match names": rank the library by keyword match, without a query sound."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QCheckBox, QComboBox, QDoubleSpinBox, QHBoxLayout, QLabel, QPushButton, QWidget

from app.service import FAVOURITE, SearchScope

SAMPLE_RATES = (0, 22_050, 44_100, 48_000, 96_000)  # 0: any


class SecondsBox(QDoubleSpinBox):
    """Seconds, where a box emptied with Backspace means "any" (its 0), as typing 0 does (a trial could not clear
    it)."""

    def _empty(self, text: str) -> bool:
        return not text.replace(self.suffix(), "").replace(self.specialValueText(), "").strip()

    def validate(self, text: str, pos: int):  # Qt override
        return (QValidator.State.Acceptable, text, pos) if self._empty(text) else super().validate(text, pos)

    def valueFromText(self, text: str) -> float:  # Qt override
        return self.minimum() if self._empty(text) else super().valueFromText(text)


class ScopeBar(QWidget):
    scope_changed = Signal(object)  # SearchScope
    find_by_words = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.keyword = ""
        self.folder = QComboBox()
        self.folder.setToolTip("Only results inside this library folder")
        self.folder.addItem("All folders", None)
        self.min_duration = self._seconds("Only results at least this long")
        self.max_duration = self._seconds("Only results at most this long")
        self.min_rate = QComboBox()
        self.min_rate.setToolTip("Only results with at least this sample rate")
        for rate in SAMPLE_RATES:
            self.min_rate.addItem("any rate" if not rate else f"≥ {rate / 1000:g} kHz", rate or None)
        self.keyword_applied = False  # the library filter's "results too"
        self.pending_folder: Path | None = None  # a restored folder scope the folder list has not shown yet
        self.favourites = QCheckBox("★ only")
        self.favourites.setToolTip("Only favourite files (Ctrl+D stars the selected files)")
        self.words_button = QPushButton("Match names")
        self.words_button.setToolTip("Rank the library by how well its names and text (descriptions, tags, UCS "
                                     "categories) match the library filter's words: a text match, not a sound one "
                                     "(to find what a sound is like, type it in the words box: Ctrl+Shift+Return)")
        self.words_button.setEnabled(False)
        self.words_button.setMinimumWidth(self.words_button.sizeHint().width())  # never clipped (trial 45)
        for box, least in ((self.folder, 70), (self.min_duration, 58), (self.max_duration, 58), (self.min_rate, 60)):
            box.setMinimumWidth(least)  # a narrow window (beside a DAW) squeezes them instead of setting its width
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("Only:"))
        layout.addWidget(self.folder, 1)
        layout.addWidget(QLabel("from"))
        layout.addWidget(self.min_duration)
        layout.addWidget(QLabel("to"))
        layout.addWidget(self.max_duration)
        layout.addWidget(self.min_rate)
        layout.addWidget(self.favourites)
        layout.addWidget(self.words_button)
        self.folder.currentIndexChanged.connect(lambda _: self._emit())
        self.min_duration.valueChanged.connect(lambda _: self._emit())
        self.max_duration.valueChanged.connect(lambda _: self._emit())
        self.min_rate.currentIndexChanged.connect(lambda _: self._emit())
        self.favourites.toggled.connect(lambda _: self._emit())
        self.words_button.clicked.connect(self.find_by_words)

    @staticmethod
    def _seconds(tip: str) -> QDoubleSpinBox:
        box = SecondsBox()
        box.setRange(0.0, 36_000.0)
        box.setDecimals(1)
        box.setSingleStep(0.5)
        box.setSuffix(" s")
        box.setSpecialValueText("any")  # 0 = no limit
        box.setToolTip(tip)
        return box

    def set_folders(self, folders: list[Path], subfolders: list[Path] = ()) -> None:
        """The library folders to choose from, each followed by its ``subfolders`` (indented, by path)."""
        current = self._chosen_folder()
        self.pending_folder = None
        self.folder.blockSignals(True)
        self.folder.clear()
        self.folder.addItem("All folders", None)
        for root in folders:
            inside = sorted((f for f in subfolders if f != root and f.is_relative_to(root)), key=str)
            for folder in (root, *inside):
                depth = len(folder.relative_to(root).parts)
                self.folder.addItem("    " * depth + (folder.name or str(folder)), folder)
                self.folder.setItemData(self.folder.count() - 1, str(folder), Qt.ItemDataRole.ToolTipRole)
        index = self._folder_index(current) if current is not None else 0
        self.folder.setCurrentIndex(max(index, 0))
        self.folder.blockSignals(False)
        if current is not None and index < 0:  # the chosen folder left the library
            self._emit()

    def _chosen_folder(self) -> Path | None:
        """The folder the results are limited to: a restored one still waiting for the folder list, else the box's."""
        return self.pending_folder or self.folder.currentData()

    def _folder_index(self, folder: Path) -> int:
        return next((i for i in range(1, self.folder.count()) if self.folder.itemData(i) == folder), -1)

    def set_keyword(self, keyword: str) -> None:
        """The library filter's words: they scope the results when its "results too" is ticked
        (apply_keyword), and "Match names" ranks the library by them."""
        keyword = keyword.strip()
        self.words_button.setEnabled(bool(keyword))
        if keyword != self.keyword:
            self.keyword = keyword
            if self.keyword_applied:
                self._emit()

    def apply_keyword(self, on: bool) -> None:
        """The library filter's "results too": its words limit the results (or no longer do)."""
        if on != self.keyword_applied:
            self.keyword_applied = on
            if self.keyword:
                self._emit()

    def state(self) -> dict:
        """What a restart brings back (UI settings' last_scope): the limits, not the filter's words (the library's)."""
        folder = self._chosen_folder()
        return {"folder": str(folder) if folder is not None else "", "min_duration": self.min_duration.value(),
                "max_duration": self.max_duration.value(), "min_rate": self.min_rate.currentData() or 0,
                "favourites": self.favourites.isChecked()}

    def restore(self, state: dict) -> None:
        """The limits of the last run (state()), set without a search; a folder waits for the folder list
        (set_folders), and is dropped there if it has left the library. Values of the wrong type are ignored."""
        with self._limits_quiet():
            for box, key in ((self.min_duration, "min_duration"), (self.max_duration, "max_duration")):
                value = state.get(key)
                if isinstance(value, int | float) and not isinstance(value, bool):
                    box.setValue(float(value))
            rate = self.min_rate.findData(state.get("min_rate") or None)
            self.min_rate.setCurrentIndex(max(rate, 0))
            self.favourites.setChecked(state.get("favourites") is True)
            folder = state.get("folder")
            if isinstance(folder, str) and folder:
                index = self._folder_index(Path(folder))
                if index >= 0:
                    self.folder.setCurrentIndex(index)
                else:
                    self.pending_folder = Path(folder)

    def clear_limits(self) -> None:
        """Every limit off (all folders, any length and rate, not only favourites), searched once (the header's "show
        all results": trial 50 met a restored limit it had forgotten)."""
        with self._limits_quiet():
            self.folder.setCurrentIndex(0)
            self.pending_folder = None
            self.min_duration.setValue(0.0)
            self.max_duration.setValue(0.0)
            self.min_rate.setCurrentIndex(0)
            self.favourites.setChecked(False)
        self._emit()

    @contextmanager
    def _limits_quiet(self) -> Iterator[None]:
        """The limit widgets' signals blocked meanwhile: several set at once search once, or not at all."""
        widgets = (self.folder, self.min_duration, self.max_duration, self.min_rate, self.favourites)
        for widget in widgets:
            widget.blockSignals(True)
        try:
            yield
        finally:
            for widget in widgets:
                widget.blockSignals(False)

    def scope(self) -> SearchScope:
        """The results' scope: the filter's words only when ticked."""
        folder = self._chosen_folder()
        return SearchScope(self.keyword if self.keyword_applied else "", folder,
                           self.min_duration.value() or None, self.max_duration.value() or None,
                           self.min_rate.currentData(), FAVOURITE if self.favourites.isChecked() else None)

    def words_scope(self) -> SearchScope:
        """The scope of "Match names": the filter's words always (they are what it ranks by)."""
        return replace(self.scope(), keyword=self.keyword)

    def _emit(self) -> None:
        self.scope_changed.emit(self.scope())
