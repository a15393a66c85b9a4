"""Actions on the selected files of the library list or the results: export (copy) to a project
folder with a progress dialog, export of a region (a moment of a long take) as a new WAV, favourites (the
star) and tags."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QInputDialog, QProgressDialog, QWidget

from app.service import FAVOURITE, SearchService, clock_range
from app.ui.workers import TaskRunner


class FileActions(QObject):
    message = Signal(str)
    tags_changed = Signal()  # lists should re-read their records
    export_finished = Signal(object)  # ExportReport | None (failed)
    region_exported = Signal(object)  # the new WAV file's Path | None (failed)

    def __init__(self, service: SearchService, runner: TaskRunner, window: QWidget):
        super().__init__(window)
        self.service, self.runner, self.window = service, runner, window
        self.last_export_dir = str(Path.home())  # not the process's working folder (the app's own files)
        self.progress: QProgressDialog | None = None

    # export ------------------------------------------------------------------------------
    def export(self, paths: list[Path], dest: Path | None = None) -> None:
        """Copy the files into a folder (asked for when not given), with progress and cancel."""
        if not paths:
            self.message.emit("Select files to export first (results or library; Ctrl/Shift-click for several)")
            return
        if dest is None:
            chosen = QFileDialog.getExistingDirectory(self.window, f"Export {len(paths)} file(s) to…",
                                                      self.last_export_dir)
            if not chosen:
                return
            dest = Path(chosen)
        self.last_export_dir = str(dest)
        cancel = threading.Event()
        dialog = self.progress = QProgressDialog(f"Exporting {len(paths)} file(s) to {dest}…", "Cancel", 0,
                                                 len(paths), self.window)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(300)
        dialog.canceled.connect(cancel.set)
        svc = self.service

        def run(report: Any) -> Any:
            return svc.export_files(paths, dest, progress=lambda done, total, name: report((done, name)), cancel=cancel)

        def step(item: tuple[int, str]) -> None:
            dialog.setValue(item[0])
            dialog.setLabelText(f"Exporting {item[1]} to {dest}…")

        self.runner.submit(run, self._exported, self._export_failed, on_progress=step)

    def export_region(self, path: Path, start: float, end: float, dest: Path | None = None) -> None:
        """Write start-end seconds of the file as a new WAV in a folder (asked for when not given)."""
        if dest is None:
            chosen = QFileDialog.getExistingDirectory(
                self.window, f"Export {clock_range(start, end)} of {path.name} to…", self.last_export_dir)
            if not chosen:
                return
            dest = Path(chosen)
        self.last_export_dir = str(dest)
        svc = self.service

        def done(target: Path) -> None:
            self.message.emit(f"Exported {clock_range(start, end)} of {path.name} as {target}")
            self.region_exported.emit(target)

        def failed(exc: BaseException) -> None:
            self.message.emit(f"Export failed: {exc}")
            self.region_exported.emit(None)

        self.runner.submit(lambda: svc.export_region(path, start, end, dest), done, failed)

    def _exported(self, report: Any) -> None:
        self._close_progress()
        self.message.emit(report.summary())
        self.export_finished.emit(report)

    def _export_failed(self, exc: BaseException) -> None:
        self._close_progress()
        self.message.emit(f"Export failed: {exc}")
        self.export_finished.emit(None)

    def _close_progress(self) -> None:
        if self.progress is not None:
            self.progress.reset()
            self.progress.deleteLater()
            self.progress = None
            self.window.activateWindow()  # the window's shortcuts (Ctrl+D, ...) work again at once

    # the window's selection (the list the user last worked in: MainWindow.selected_paths) --------------------
    def export_selected(self) -> None:
        self.export(self.window.selected_paths())

    def favourite_selected(self, on: bool = True) -> None:
        self.favourite(self.window.selected_paths(), on, self.window.selection_name())

    def ask_tag_selected(self, add: bool = True) -> None:
        self.ask_tag(self.window.selected_paths(), add, self.window.selection_name())

    # favourites and tags -----------------------------------------------------------------
    def favourite(self, paths: list[Path], on: bool = True, where: str = "file(s)") -> None:
        self.tag(paths, [FAVOURITE], on, where)

    def ask_tag(self, paths: list[Path], add: bool = True, where: str = "file(s)") -> None:
        """Ask for tags to add (typed, several separated by commas) or for one of the tags to remove."""
        if not paths:
            self.message.emit("Select files to tag first")
            return
        tags = [t for t in self.service.all_tags() if t != FAVOURITE]
        if not add and not tags:
            self.message.emit("No file has a tag yet")
            return
        question = (f"Add tags to {files_text(paths, where)}; several: separate them with commas" if add
                    else f"Remove a tag from {files_text(paths, where)}:")
        text, ok = QInputDialog.getItem(self.window, "Tag", question, tags, 0, add)
        chosen = split_tags(text) if add else [text.strip()] if text.strip() else []
        if ok and chosen:
            self.tag(paths, chosen, add, where)

    def tag(self, paths: list[Path], tags: list[str], add: bool = True, where: str = "file(s)") -> None:
        """Add (or remove) tags on files in the background; one message says what was done."""
        if not paths:
            self.message.emit("Select files first")
            return
        svc = self.service

        def run() -> None:
            for tag in tags:
                svc.tag_files(paths, tag, add)

        def done(_: object) -> None:
            what = "★ favourites" if tags == [FAVOURITE] else (
                f"tag{'s' if len(tags) > 1 else ''} " + ", ".join(f"“{t}”" for t in tags))
            self.message.emit(f"{'Added' if add else 'Removed'} {what}: {files_text(paths, where)}")
            self.tags_changed.emit()

        self.runner.submit(run, done, lambda exc: self.message.emit(f"Cannot tag: {exc}"))


def files_text(paths: list[Path], where: str) -> str:
    """'3 result(s)', or the one file's name and its list ('“rain_03.ogg” (library file)'): the user sees which
    file a star or a tag went to."""
    return f"“{paths[0].name}” ({where.replace('(s)', '')})" if len(paths) == 1 else f"{len(paths)} {where}"


def split_tags(text: str) -> list[str]:
    """Tags typed in one box: "wet, exterior" is two tags, once each, in order ("a, a" is one)."""
    return list(dict.fromkeys(t.strip() for t in text.split(",") if t.strip()))
