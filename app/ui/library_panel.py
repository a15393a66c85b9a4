"""Library panel: folders, import with progress and cancel, filtered file list, counts and failures."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.errors import ImportBusy, printable, short_reason
from app.service import EVIDENCE_STAGE, FAVOURITE, SearchService
from app.ui.file_columns import FILE_COLUMNS, setup_columns
from app.ui.filter_keys import FilterKeys
from app.ui.folder_actions import FolderActions
from app.ui.header_notes import HeaderNotes, NotesLabel
from app.ui.library_files import FileTableModel, LibraryFileView
from app.ui.session import ModelState
from app.ui.workers import Latest, TaskRunner

IMPORT_SHARE = 0.12  # the import summary's greatest share of the panel's height (at least a line), then it scrolls

FILE_LIMIT = 20_000  # rows shown in the file list (6,000 files read in 0.2 s); the filter narrows larger libraries
COUNTS_EVERY_S = 2.0  # the counts are read again this often while an import runs
LIST_EVERY_S = 15.0  # ... and the file list this often (a trial's list said "Files (36)" while 2,000 files came in)
CHANGES_EVERY_S = 3.0  # this often the panel looks whether another process (the CLI, a window) changed the library
AnyIndex = QModelIndex | QPersistentModelIndex


@dataclass
class LibrarySnapshot:
    """Everything the panel shows, gathered in one background call."""

    folders: list[tuple[Path, bool]]  # (folder, exists)
    counts: Any  # LibraryCounts
    failures: list[Any]  # FileRecord with .status and .error
    files: list[Any]  # FileRecord
    keyword: str
    generation: int = -1  # the library's change counter when it was read (service.library_generation)
    subfolders: list[Path] = field(default_factory=list)  # folders inside the library folders (service.subfolders)


class LibraryPanel(FolderActions, FilterKeys, QWidget):
    query_requested = Signal(object)  # Path
    folders_removed = Signal(object)  # list[Path]: their files left the index
    import_finished = Signal(object)  # ImportReport
    refreshed = Signal()  # a snapshot was rendered (tests wait on it)
    changed_elsewhere = Signal()  # another process (the CLI, a window) changed the library's files
    message = Signal(str)  # for the status bar
    message_over = Signal(str)  # a message of it that no longer holds: taken away if still shown

    def __init__(self, service: SearchService, runner: TaskRunner, parent: QWidget | None = None):
        super().__init__(parent)
        self.service, self.runner = service, runner
        self._snapshots = Latest(runner)
        self._cancel: threading.Event | None = None
        self._counted_at = 0.0  # when an import's progress last read the counts again
        self._listed_at = 0.0  # ... and the file list (set when an import starts: the list was read then)
        self._no_match = ""  # the status message saying the filter matches no file, while it holds
        self.model_state = ModelState.READY if service.model_ready else ModelState.LOADING
        self.model_message = ""
        self.snapshot: LibrarySnapshot | None = None
        self._changes = QTimer(self)  # another process's import or removal: the lists follow it
        self._changes.timeout.connect(self._look_for_changes)
        self._changes.start(int(CHANGES_EVERY_S * 1000))

        self.folder_list = QListWidget()
        self.folder_list.setMaximumHeight(90)
        self.folder_list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.add_button = QPushButton("Add folder…")
        self.remove_button = QPushButton("Remove")
        self.import_button = QPushButton("Import / rescan")
        self.import_button.setToolTip("Index new and changed files in all folders (Ctrl+I)")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setEnabled(False)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.progress.setFormat("%v / %m")
        self.import_label = NotesLabel("")
        self.import_label.setWordWrap(True)  # and a long file name never widens the window: cut at the edge
        self.import_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.import_area = HeaderNotes(self.import_label, self)  # trial 50: a summary took 9 lines of the panel at
        self.import_area.min_lines, self.import_area.share = 1, IMPORT_SHARE  # 1024x640; the rest scrolls
        self.counts_label = QLabel("")
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("Filter files by keyword…")
        self.filter_edit.setClearButtonEnabled(True)
        self.favourites_only = QCheckBox("★ only")
        self.favourites_only.setToolTip("List only favourite files (Ctrl+D stars the selected files)")
        self.filter_results = QCheckBox("results too")  # off: typing part of a name to find a query file must not
        # also cut that query's results down (a trial's searches came back with 0-1 results)
        self.filter_results.setToolTip("Limit the search results to files that hold the filter's words too (name, "
                                       "metadata, tags); off, the filter finds files in this list only")
        self.files = FileTableModel(self)
        self.file_view = LibraryFileView()
        self.file_view.setModel(self.files)
        self.file_view.setDragEnabled(True)
        self.file_view.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        setup_columns(self.file_view, FILE_COLUMNS, {"name": 170, "folder": 115, "duration": 58, "rate": 84,
                                                     "channels": 30, "description": 160})
        self.use_button = QPushButton("Use as query")
        self.problem_view = QTreeWidget()
        self.problem_view.setHeaderLabels(["File", "Status", "Why"])
        self.problem_view.setRootIsDecorated(False)
        self.tabs = QTabWidget()
        files_tab = QWidget()
        fl = QVBoxLayout(files_tab)
        fl.setContentsMargins(0, 4, 0, 0)
        filter_row = QHBoxLayout()
        filter_row.addWidget(self.filter_edit, 1)
        filter_row.addWidget(self.favourites_only)
        filter_row.addWidget(self.filter_results)
        fl.addLayout(filter_row)
        fl.addWidget(self.file_view, 1)
        fl.addWidget(self.use_button)
        self.tabs.addTab(files_tab, "Files")
        self.forget_button = QPushButton("Forget missing files…")
        self.forget_button.setToolTip("Drop the files deleted from disk from the library (an unplugged folder's "
                                      "files are kept)")
        problems_tab = QWidget()
        pl = QVBoxLayout(problems_tab)
        pl.setContentsMargins(0, 4, 0, 0)
        pl.addWidget(self.problem_view, 1)
        self.problem_detail = QLabel()  # the chosen file's path and reason in full (two trials read them cut short)
        self.problem_detail.setWordWrap(True)
        self.problem_detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problem_view.currentItemChanged.connect(lambda item, _: self.problem_detail.setText(
            "" if item is None else item.toolTip(2) if item.toolTip(0) in item.toolTip(2) else
            f"{item.toolTip(0)}: {item.toolTip(2)}"))
        pl.addWidget(self.problem_detail)
        pl.addWidget(self.forget_button)
        self.tabs.addTab(problems_tab, "Problems")
        self.setAcceptDrops(True)  # drop folders here to add them

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(QLabel("<b>Library folders</b>"))
        layout.addWidget(self.folder_list)
        row = QHBoxLayout()
        for b in (self.add_button, self.remove_button, self.import_button):
            row.addWidget(b)
        layout.addLayout(row)
        prow = QHBoxLayout()
        prow.addWidget(self.progress, 1)
        prow.addWidget(self.cancel_button)
        layout.addLayout(prow)
        layout.addWidget(self.import_area)
        layout.addWidget(self.counts_label)
        layout.addWidget(self.tabs, 1)

        self.add_button.clicked.connect(self.choose_folder)
        self.remove_button.clicked.connect(self.remove_selected_folders)
        self.folder_list.itemDoubleClicked.connect(self.locate_folder)  # a folder not on disk: where is it now?
        self.forget_button.clicked.connect(self.forget_missing)
        self.import_button.clicked.connect(lambda: self.start_import())
        self.cancel_button.clicked.connect(self.cancel_import)
        self.filter_edit.textChanged.connect(lambda _: self.refresh())
        self.filter_edit.returnPressed.connect(self._filter_return)
        self.filter_edit.installEventFilter(self)
        self.favourites_only.toggled.connect(lambda _: self.refresh())
        self.file_view.activated.connect(lambda idx: self.query_requested.emit(self.files.records[idx.row()].path))
        self.use_button.clicked.connect(self._use_selected)

    @staticmethod
    def _column(key: str) -> int:
        return next(i for i, c in enumerate(FILE_COLUMNS) if c.key == key)

    # library state -----------------------------------------------------------------------
    def refresh(self) -> None:
        """Re-read folders, counts, failures and the filtered file list in the background."""
        svc, keyword = self.service, self.filter_edit.text().strip()
        tag = FAVOURITE if self.favourites_only.isChecked() else None

        def gather() -> LibrarySnapshot:
            generation = svc.library_generation()  # first: a change while gathering is seen next time
            folders = [(Path(f), Path(f).is_dir()) for f in svc.folders()]
            return LibrarySnapshot(folders, svc.counts(), list(svc.failures(missing=True)),
                                   list(svc.list_files(keyword, limit=FILE_LIMIT, tag=tag)), keyword, generation,
                                   svc.subfolders())

        self._snapshots.request(gather, self._render, lambda exc: self.message.emit(f"Library error: {exc}"))

    def scope_folders(self) -> tuple[list[Path], list[Path]]:
        """The library folders and their subfolders as last read (for the results' scope bar)."""
        snap = self.snapshot
        return ([f for f, _ in snap.folders], snap.subfolders) if snap is not None else ([], [])

    def _look_for_changes(self) -> None:
        """Read the lists again when the library changed since they were read, or one of its folders went off disk or
        came back (not during this window's import, whose progress reads the counts)."""
        if self.importing or self.snapshot is None:
            return
        seen, svc = self.snapshot.generation, self.service
        folders = [folder for folder, _ in self.snapshot.folders]
        there = [exists for _, exists in self.snapshot.folders]

        def look() -> tuple[int, list[bool]]:  # a folder unplugged or plugged back changes no generation (a trial)
            return svc.library_generation(), [folder.is_dir() for folder in folders]

        def changed(now: tuple[int, list[bool]]) -> None:
            if (now[0] != seen or now[1] != there) and self.snapshot.generation == seen:
                self.refresh()
                self.changed_elsewhere.emit()

        self.runner.submit(look, changed, lambda exc: None)

    def _render(self, snap: LibrarySnapshot) -> None:
        self.snapshot = snap
        if self._return_pending and snap.keyword == self.filter_edit.text().strip():
            QTimer.singleShot(0, self._filter_return)  # after the list below shows them
        self._list_folders(snap.folders)
        self._show_counts(snap.counts)
        self._keep_selection(lambda: self.files.set_records(snap.files))
        shown = len(snap.files)
        if self._no_match and (shown or not snap.keyword):  # trial 56: it stayed once "*scream" matched
            self.message_over.emit(self._no_match)
            self._no_match = ""
        if not shown and snap.keyword:  # an empty list said why (a trial saw a blank list and no word)
            self._no_match = (f"No library file matches \u201c{snap.keyword}\u201d (its words are looked for at the "
                              "start of words in names, folders, tags and metadata; *word anywhere)")
            self.message.emit(self._no_match)
        capped = shown >= FILE_LIMIT  # a trial's 6,012 files showed as "Files (5000+)", with no word on the rest
        self.tabs.setTabText(0, f"Files (first {shown:,})" if capped else f"Files ({shown:,})")
        self.tabs.setTabToolTip(0, f"The list shows the first {FILE_LIMIT:,} files: type in the filter to find the "
                                   "others (searches always look at every file)" if capped else "")
        self.problem_view.clear()
        names = Counter(Path(rec.path).name for rec in snap.failures)
        for rec in snap.failures:
            path = Path(rec.path)  # two files of one name say their folders apart
            name = path.name if names[path.name] == 1 else f"{path.name}  (in {path.parent.name or path.parent})"
            name = printable(name)  # a newline in a name split its row in two (trial 53)
            item = QTreeWidgetItem([name, rec.status, short_reason(rec.path, rec.error or "")])
            item.setToolTip(0, str(rec.path))
            item.setToolTip(2, rec.error or "")
            self.problem_view.addTopLevelItem(item)
        for column in (0, 1):  # names and states whole (a trial saw names cut to 13 letters); the reason takes the rest
            self.problem_view.resizeColumnToContents(column)
        self.problem_view.setColumnWidth(0, min(self.problem_view.columnWidth(0), 260))
        if self.problem_view.topLevelItemCount():  # the first problem in full until another is chosen
            self.problem_view.setCurrentItem(self.problem_view.topLevelItem(0))
        self.tabs.setTabText(1, f"Problems ({len(snap.failures)})")
        self.forget_button.setEnabled(bool(self.forgettable()))
        self.refreshed.emit()

    def _keep_selection(self, reset: Callable[[], None]) -> None:
        """Run ``reset`` (the file list read again) keeping the selected files and the current one selected (a star
        or a tag on them lists them again)."""
        chosen, current = set(self.file_view.selected_paths()), self.current_path()
        reset()
        model, selection = self.files, self.file_view.selectionModel()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for row in range(model.rowCount()):
            path = model.path(row)
            if path in chosen:
                selection.select(model.index(row, 0), flags)
            if path == current:
                selection.setCurrentIndex(model.index(row, 0), QItemSelectionModel.SelectionFlag.NoUpdate)

    def selected_folders(self) -> list[Path]:
        return [i.data(Qt.ItemDataRole.UserRole) for i in self.folder_list.selectedItems()]

    def current_path(self) -> Path | None:
        row = self.file_view.currentIndex().row()
        return Path(self.files.records[row].path) if 0 <= row < len(self.files.records) else None

    def _use_selected(self) -> None:
        path = self.current_path()
        if path is not None:
            self.query_requested.emit(path)
        else:
            self.message.emit("Select a file in the list to use it as the query")

    # import ------------------------------------------------------------------------------
    @property
    def importing(self) -> bool:
        return self._cancel is not None

    def start_import(self, folders: list[Path] | None = None) -> None:
        if self.importing:
            self.message.emit("An import is already running")
            return
        if self.model_state is ModelState.FAILED:
            self.import_label.setText(f"Cannot import: {self.model_message}")
            self.message.emit(f"Cannot import: {self.model_message}")
            return
        cancel = self._cancel = threading.Event()
        self._listed_at = time.monotonic()
        self.progress.setRange(0, 0)  # busy until the first progress report gives a total
        self.progress.setVisible(True)
        self.cancel_button.setEnabled(True)
        self.import_button.setEnabled(False)
        # the service loads the model first if it is not in yet (a load under way is waited for)
        self.import_label.setText("Scanning folders…" if self.service.model_ready else
                                  "Import will start when the model has loaded…")
        svc = self.service

        def run(report: Callable[[Any], None]) -> tuple[Any, Any]:  # the counts read with it: they agree at the end
            return svc.import_folders(folders, progress=report, cancel=cancel), svc.counts()

        self.runner.submit(
            run,
            self._import_done,
            self._import_failed,
            on_progress=self._import_progress,
        )

    def model_state_changed(self, state: ModelState, message: str) -> None:
        """Imports refuse to start once the model failed to load (they say why)."""
        self.model_state, self.model_message = state, message

    def cancel_import(self) -> None:
        if self._cancel is not None:
            self._cancel.set()
            self.cancel_button.setEnabled(False)
            self.import_label.setText("Cancelling…")

    def _show_counts(self, c: Any) -> None:
        pending = f" · <b>{c.pending}</b> to re-index (model changed)" if getattr(c, "pending", 0) else ""
        offline = f" · <b>{c.offline}</b> in a folder not on disk" if getattr(c, "offline", 0) else ""
        locked = " · <b>read-only</b> here: search only" if getattr(c, "read_only", False) else ""  # said at start
        self.counts_label.setText(
            f"<b>{c.indexed}</b> indexed · <b>{c.failed}</b> failed · <b>{c.missing}</b> missing{pending}{offline}"
            f"{locked}")

    def _import_progress(self, p: Any) -> None:
        if self._cancel is None or self._cancel.is_set():
            return
        if time.monotonic() - self._counted_at > COUNTS_EVERY_S:  # the counts follow a long import
            self._counted_at = time.monotonic()
            self.runner.submit(self.service.counts, self._show_counts, lambda exc: None)
        if time.monotonic() - self._listed_at > LIST_EVERY_S:  # and, more slowly, the list
            self._listed_at = time.monotonic()
            self.refresh()
        self.progress.setRange(0, max(p.total, 1))
        self.progress.setValue(p.done)
        failed = f" · {p.failed} failed" if p.failed else ""
        # the count is of this import's files (new or changed), not the library's: a trial saw "1476 / 3475" beside
        # "3885 indexed" on a resumed import and could not tell the two apart
        verb, what = (("Reading sounds for the reranking", "sounds") if p.stage == EVIDENCE_STAGE else
                      ("Importing", "new or changed files"))
        self.import_label.setText(f"{verb} {p.done}/{p.total} {what}{failed}: {Path(p.current).name}")

    def _import_done(self, done: tuple[Any, Any]) -> None:
        """The import's report, said at once with the library's counts after it (a trial read "Import finished" beside
        counts that caught up 5 s later)."""
        report, counts = done
        self._end_import()
        self._show_counts(counts)
        verb = "Import cancelled" if report.cancelled else "Import finished"
        text = f"{verb}: {report.counts_text()}"
        if report.evidence_filled:
            text += f" · {report.evidence_filled} older sounds read for the reranking"
        if report.missing_folders:
            text += " · folder not found: " + ", ".join(str(f) for f in report.missing_folders)
        if report.warnings:  # unreadable subfolders, nested library folders, WAV files cut short ...
            more = len(report.warnings) - 1
            text += f" · {report.warnings[0]}" + (f" (and {more} more: point at this line)" if more else "")
        self.import_label.setText(text)
        self.import_label.setToolTip("\n".join(report.warnings))
        self.message.emit(text)
        self.refresh()
        self.import_finished.emit(report)

    def _import_failed(self, exc: BaseException) -> None:
        self._end_import()
        text = f"{'Import not started' if isinstance(exc, ImportBusy) else 'Import failed'}: {exc}"
        self.import_label.setText(text)
        self.message.emit(text)
        self.refresh()
        self.import_finished.emit(None)

    def _end_import(self) -> None:
        self._cancel = None
        self.progress.setVisible(False)
        self.cancel_button.setEnabled(False)
        self.import_button.setEnabled(True)
