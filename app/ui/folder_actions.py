"""The library panel's folder actions: add a folder (chosen, or dropped on the panel), locate a folder moved or
renamed (double-click it), and those that make the library forget files: Remove a folder, and forget the files
deleted from disk. Both ask first; the files on disk are
never touched. A mixin of LibraryPanel (uses its service, runner, labels and signals)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, Qt
from PySide6.QtGui import QColor, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QFileDialog, QListWidgetItem, QMessageBox

from app.errors import LibraryError


def folders_named(folders: list[Path]) -> str:
    """"/sounds/rain" for one folder, "these 3 folders" for more."""
    return str(folders[0]) if len(folders) == 1 else f"these {len(folders)} folders"


class FolderActions:
    """Mixed into LibraryPanel."""

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Add a folder of sounds")
        if folder:
            self.add_folder(Path(folder))

    def add_folder(self, folder: Path, import_now: bool = True) -> None:
        def add() -> str:
            return self.service.add_folder(folder)

        def added(note: str) -> None:
            self.message.emit(note or f"Added {folder}")  # a folder inside one, or holding some, says so
            if import_now:
                self.start_import([folder])
            self.refresh()

        self.runner.submit(add, added, lambda exc: self.message.emit(f"Cannot add {folder}: {exc}"))

    def locate_folder(self, item: QListWidgetItem) -> None:
        """A library folder not on disk, double-clicked: after a move or a rename the user points at its new place,
        and its files follow it there with their vectors, stars and tags (service.relocate_folder), then the new
        place is imported (trial 63: a renamed folder added again was embedded anew, its stars left behind)."""
        old = item.data(Qt.ItemDataRole.UserRole)
        if old is None or Path(old).is_dir():
            return
        chosen = QFileDialog.getExistingDirectory(self, f"Where is {Path(old).name} now? (moved or renamed)",
                                                  str(Path(old).parent))
        if not chosen:
            return
        new = Path(chosen)

        def located(counts: tuple[int, int]) -> None:
            followed, left = counts
            left_note = f"; {left} not found there stay listed under the old place" if left else ""
            self.message.emit(f"{followed} file(s) of {old} followed it to {new}{left_note}")
            self.start_import([new])
            self.refresh()

        self.runner.submit(lambda: self.service.relocate_folder(old, new), located,
                           lambda exc: self.message.emit(f"Cannot locate {old} at {new}: {exc}"))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # Qt override
        if self._dropped_folders(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # Qt override
        folders = self._dropped_folders(event.mimeData())
        if folders:
            event.acceptProposedAction()
            for folder in folders:
                self.add_folder(folder, import_now=False)
            self.start_import(folders)

    @staticmethod
    def _dropped_folders(mime: QMimeData) -> list[Path]:
        return [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile() and Path(u.toLocalFile()).is_dir()]

    def remove_selected_folders(self) -> None:
        """Forget the selected folders' files, once the user confirms (the files on disk are not touched)."""
        folders = self.selected_folders()
        if not folders:
            self.message.emit("Select a folder to remove")
            return
        if self.importing:
            self.message.emit("Wait for the import to finish (or cancel it) before removing a folder")
            return
        try:
            if self.service.import_running():  # another process's (a trial: asked first, then refused)
                self.message.emit("Cannot remove a folder now: another import (the command line, or a second Nudge) "
                                  "is updating the library; try again once it has finished")
                return
            held = sum(self.service.files_under(f) for f in folders)
        except LibraryError as exc:  # a damaged library says why instead of removing blindly
            self.message.emit(f"Cannot remove folder: {exc}")
            return
        named = folders_named(folders)
        if not self.confirm(f"Remove {named} from the library?\n\nNudge forgets its {held} file(s). The files on "
                            "disk are not touched, and their stars and tags come back if you add the folder again."):
            return
        self.remove_folders(folders)

    def remove_folders(self, folders: list[Path], summary: str = "") -> None:
        """Forget these folders' files (asked before: remove_selected_folders, or the demo's offer: ``summary``, the
        import's summary, is kept in front of the removal's; a trial never got to read it)."""
        named = folders_named(folders)

        def remove() -> int:
            return sum(self.service.remove_folder(f) for f in folders)

        def done(dropped: int) -> None:
            self._forgotten(f"Removed {named} from the library: {dropped} file(s) left the index (files on disk "
                            "untouched)", folders, summary)

        self.runner.submit(remove, done, lambda exc: self.message.emit(f"Cannot remove folder: {exc}"))

    def offer_demo_removal(self, report) -> bool:
        """After the first import that added the user's own sounds: offer once to take the demo library out, when it
        is still searched beside them. Returns whether the offer was made (the window remembers it)."""
        if report is None or not report.added or report.cancelled:  # a cancelled import is no "your sounds are in"
            return False
        try:
            kept = self.service.demo_beside_yours()
        except LibraryError:
            return False
        if kept is None:
            return False
        demo, held = kept
        if self.confirm(f"Your sounds are in the library. The demo library that came with Nudge ({held} synthetic rain "
                        "and traffic clips) is searched with them, and its clips can fill the first results of your "
                        f"rain and traffic queries.\n\nRemove the demo from the library? Its files stay in {demo}; "
                        "Add folder… brings them back."):
            self.remove_folders([demo], summary=self.import_label.text())
        return True

    def confirm(self, question: str) -> bool:
        """Ask before an action that forgets something (tests replace this)."""
        answer = QMessageBox.question(self, "Nudge", question, QMessageBox.StandardButton.Ok
                                      | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel)
        return answer == QMessageBox.StandardButton.Ok

    def forget_missing(self) -> None:
        """Drop the files not found at the last import (deleted for good) once the user confirms; an unplugged
        folder's files are kept."""
        gone = self.forgettable()
        if not gone:
            self.message.emit("No missing files to forget (files of a folder that is not on disk are kept)")
            return
        if self.importing:
            self.message.emit("Wait for the import to finish (or cancel it) first")
            return
        if not self.confirm(f"Forget the {len(gone)} missing file(s)?\n\nThey were not found at the last import "
                            "(deleted, or moved out of the library). Files of a folder that is not on disk (an "
                            "unplugged drive) are kept. A file that comes back gets its stars and tags again."):
            return

        self.runner.submit(self.service.forget_missing,
                           lambda dropped: self._forgotten(f"Forgot {dropped} missing file(s)", []),
                           lambda exc: self.message.emit(f"Cannot forget the missing files: {exc}"))

    def forgettable(self) -> list:
        """The missing files Forget would drop: not those of a library folder that is not on disk."""
        snap = self.snapshot
        if snap is None:
            return []
        offline = [folder for folder, exists in snap.folders if not exists]
        return [r for r in snap.failures if r.status == "missing"
                and not any(Path(r.path).is_relative_to(folder) for folder in offline)]

    def _forgotten(self, text: str, folders: list, summary: str = "") -> None:
        """Files left the index: say so where the last import's summary was (it no longer describes the library;
        ``summary``: kept in front), list the library again and let the results be read again."""
        self.import_label.setText(f"{summary} · {text}" if summary else text)
        self.message.emit(text)
        self.refresh()
        self.folders_removed.emit(folders)

    def _list_folders(self, folders: list) -> None:
        """The library's folders, (path, exists on disk), listed; a missing one in red, with what to do."""
        self.folder_list.clear()
        for folder, exists in folders:
            item = QListWidgetItem(str(folder) if exists else f"{folder}  (folder not found)")
            item.setData(Qt.ItemDataRole.UserRole, folder)
            if not exists:
                item.setForeground(QColor(200, 60, 60))
                item.setToolTip("This folder is not on disk. Moved or renamed? Double-click to say where it is "
                                "now: its files follow it with their stars and tags. Else reconnect the drive and "
                                "rescan, or remove the folder.")
            self.folder_list.addItem(item)
