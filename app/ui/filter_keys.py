"""The library filter's keys: Return with one file listed makes it the query, with more moves to the list's first;
Down moves into the list (a trial: Return did nothing, Down needed three Tabs). A mixin of LibraryPanel (uses its
filter box, snapshot, list and signals)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QItemSelectionModel, Qt


class FilterKeys:
    """Mixed into LibraryPanel."""

    _return_pending = False  # Return pressed before the list showed the filter's words

    def _filter_return(self) -> None:
        """Return in the filter: one file listed becomes the query; more: the list takes the focus on the first (once
        the list shows these words: it is read in the background)."""
        shown = self.snapshot
        if shown is None or shown.keyword != self.filter_edit.text().strip():
            self._return_pending = True
            return
        self._return_pending = False
        if len(shown.files) == 1:
            self.query_requested.emit(shown.files[0].path)
        elif shown.files:
            self._focus_list()
        else:
            self.message.emit("No file matches these words (a word must begin a word of the name; *word matches "
                              "inside words)")

    def _focus_list(self) -> None:
        if self.files.rowCount():
            self.file_view.setFocus()
            current = self.file_view.currentIndex()
            row = current.row() if current.isValid() else 0
            selection = self.file_view.selectionModel()
            if not selection.isRowSelected(row):  # highlighted, not a faint frame (a trial)
                flags = (QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
                         | QItemSelectionModel.SelectionFlag.Current)
                selection.setCurrentIndex(self.files.index(row, 0), flags)

    def eventFilter(self, watched, event) -> bool:  # Qt override: Down in the filter moves into the list
        if watched is self.filter_edit and event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Down:
            self._focus_list()
            return True
        return super().eventFilter(watched, event)
