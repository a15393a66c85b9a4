"""Main window: lays out the three panels, wires them to the Session, owns menus and shortcuts."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QProgressBar,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.service import DemoStatus, SearchService
from app.ui.file_actions import FileActions
from app.ui.gui_gc import GuiThreadCollector
from app.ui.library_panel import LibraryPanel
from app.ui.moment_actions import MomentActions
from app.ui.player import Player
from app.ui.query_panel import QueryPanel
from app.ui.recorder import RecordDialog, probe_input
from app.ui.results_panel import ResultsPanel
from app.ui.saved_session import session_json
from app.ui.session import ModelState, SearchDone, Session
from app.ui.settings import Settings
from app.ui.shortcuts_help import ShortcutsDialog
from app.ui.startup_actions import StartupActions
from app.ui.step_text import SHOW_ALL, after_results_html, describe_step, note_html, warning_line
from app.ui.window_actions import BrowserActions
from app.ui.window_keys import FOCUS_STYLE, MenuKeysFirst
from app.ui.window_layout import compact_height, restore_layout, save_layout, save_scope
from app.ui.words_actions import WordsActions
from app.ui.workers import TaskRunner

STATUS_STYLE = {ModelState.LOADING: "color: #a06000;", ModelState.READY: "color: #208030;",
                ModelState.FAILED: "color: #c03030; font-weight: bold;"}


class MainWindow(StartupActions, MomentActions, BrowserActions, WordsActions, QMainWindow):
    startup_done = Signal()  # library shown and first query (if any) requested
    first_painted = Signal()  # the window is on screen (run_gui starts the heavy work after this)
    words_results_ready = Signal(object)  # list[SearchResult] of "Match names"

    def __init__(self, service: SearchService, settings: Settings, settings_path: Path | None = None,
                 audio: bool = True, audio_backend: object = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Nudge — find a sound, then nudge it with words")
        self.service, self.settings, self.settings_path = service, settings, settings_path
        service.config.aligned_rerank = settings.rerank
        self.gc_collector = GuiThreadCollector(self)  # cycles holding Qt objects are freed on this thread only
        self.gc_collector.start()
        self.runner = TaskRunner(parent=self)
        self.player = Player(self.runner, self.service.playback_stream, enabled=audio, backend=audio_backend,
                             parent=self)
        self.session = Session(service, self.runner, top_k=settings.top_k, parent=self)
        self.library = LibraryPanel(service, self.runner)
        self.query = QueryPanel(service, self.runner, self.player, self.session.history)
        self.query.last_open_dir = settings.last_open_dir
        self.query.set_modifier(settings.last_text, settings.strength)
        self.query.recent.set_texts(settings.recent_texts)
        self.results = ResultsPanel(service, self.runner, self.player)
        self.files = FileActions(service, self.runner, self)
        if settings.last_export_dir and Path(settings.last_export_dir).is_dir():
            self.files.last_export_dir = settings.last_export_dir
        self.input_backend, self.input_reason = probe_input(audio, audio_backend)
        self.query.set_recording_available(self.input_reason)
        self.record_dialog: RecordDialog | None = None
        right = self.query_splitter = QSplitter(Qt.Orientation.Vertical)  # query above, results below
        right.addWidget(self.query)
        right.addWidget(self.results)
        right.setStretchFactor(0, 1)  # a small window takes height from both, the results keep two thirds
        right.setStretchFactor(1, 2)
        right.setSizes([300, 500])
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.library)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([400, 900])
        self.banner = QLabel("")  # model or library problems that need the user's attention
        self.banner.setWordWrap(True)
        self.banner.setVisible(False)
        self.banner.setStyleSheet("background: #fde8e8; color: #802020; padding: 6px; border-radius: 3px;")
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(4, 4, 4, 0)
        layout.addWidget(self.banner)
        layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)
        self.model_label = QLabel("")
        self.audio_label = QLabel("No playback" if not self.player.available else "")
        self.audio_label.setToolTip(self.player.reason)
        self.model_busy = QProgressBar()  # indeterminate while the model loads
        self.model_busy.setRange(0, 0)
        self.model_busy.setFixedWidth(80)
        self.model_busy.setVisible(False)
        self.statusBar().addPermanentWidget(self.audio_label)
        self.statusBar().addPermanentWidget(self.model_busy)
        self.statusBar().addPermanentWidget(self.model_label)
        self.demo: DemoStatus | None = None
        self._painted = False
        self.compact = False  # laid out for a short window (resizeEvent; app.ui.window_layout.compact_height)
        self._first_done = False  # the last run's session restored (or another first query set): closing keeps it
        self.startup_done.connect(lambda: setattr(self, "_first_done", True))
        self._reindex_checked = False  # the pending-vectors check runs once, when the audio side is in
        self.setAcceptDrops(True)
        self._build_actions()
        self._wire()
        restore_layout(self, self.settings, *self._layout_parts())

    # construction ------------------------------------------------------------------------
    def _build_actions(self) -> None:
        def action(menu, text: str, slot, *keys: QKeySequence | str) -> QAction:
            act = QAction(text, self)
            seqs: list[QKeySequence] = []
            for k in keys:  # a standard key may equal an explicit one (Back is Alt+Left on Linux)
                standard = isinstance(k, QKeySequence.StandardKey)
                for seq in QKeySequence.keyBindings(k) if standard else [QKeySequence(k)]:
                    if seq not in seqs:
                        seqs.append(seq)
            act.setShortcuts(seqs)
            act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            act.triggered.connect(slot)
            menu.addAction(act)
            return act

        bar = self.menuBar()
        f = bar.addMenu("&File")
        action(f, "&Open query file…", self.query.open_file_dialog, QKeySequence.StandardKey.Open)
        action(f, "&Add library folder…", self.library.choose_folder, "Ctrl+Shift+O")
        action(f, "&Import / rescan library", lambda: self.library.start_import(), "Ctrl+I")
        action(f, "Filter library &files", self._focus_filter, "Ctrl+F")
        action(f, "&Export selected files…", self.files.export_selected, "Ctrl+E")
        action(f, "Export &region…", self.export_current_region, "Ctrl+Shift+E")
        action(f, "Add selected to ★ fa&vourites", lambda: self.files.favourite_selected(True), "Ctrl+D")
        action(f, "Remove selected from favourites", lambda: self.files.favourite_selected(False), "Ctrl+Shift+D")
        action(f, "&Tag selected files…", lambda: self.files.ask_tag_selected(True), "Ctrl+T")
        action(f, "&Untag selected files…", lambda: self.files.ask_tag_selected(False), "Ctrl+Shift+T")
        f.addSeparator()
        action(f, "&Quit", self.close, QKeySequence.StandardKey.Quit)
        s = bar.addMenu("&Search")
        action(s, "&Search", self.query.request_search, "Ctrl+Return", "Ctrl+Enter")
        action(s, "Edit &modifier", self._focus_modifier, "Ctrl+L")
        action(s, "&Go to the results", self._focus_results, "F6")
        action(s, "Find the words' sound on its own (no query sound)", self.find_modifier_alone, "Ctrl+Shift+Return",
               "Ctrl+Shift+Enter")
        self.rerank_action = action(s, "Order the first results by the words' &edits", self.set_rerank)
        self.rerank_action.setCheckable(True)
        self.rerank_action.setChecked(self.settings.rerank)
        action(s, "&Play / stop", self.play_pause, "Space")
        action(s, "S&top playback", self.player.stop, "Escape")
        action(s, "&Next result", lambda: self.step_results(1), "Alt+Down")
        action(s, "P&revious result", lambda: self.step_results(-1), "Alt+Up")
        action(s, "P&romote result to query", lambda: self.results.promote(self.results.current_row()), "Ctrl+P")
        action(s, "Forget the &earlier steps' words (the session goes on from this query)", self.session.forget_earlier)
        action(s, "&Back", self.go_back, QKeySequence.StandardKey.Back, "Alt+Left")
        action(s, "&Forward", self.session.forward, QKeySequence.StandardKey.Forward, "Alt+Right")
        action(s, "Other branch of the &trail (the steps a branch replaced)", self._other_branch, "Ctrl+B")
        action(s, "&Copy result path", lambda: self.results.copy_path(self.results.current_row()), "Ctrl+Shift+C")
        action(s, "Show result in fol&der", lambda: self.results.reveal(self.results.current_row()), "Ctrl+Shift+R")
        h = bar.addMenu("&Help")
        action(h, "&Keyboard shortcuts", self.show_shortcuts, QKeySequence.StandardKey.HelpContents)
        self.shortcut_menus = [f, s]
        QApplication.instance().installEventFilter(MenuKeysFirst(self, [f, s]))  # Ctrl+E in the words box too
        self.setStyleSheet(FOCUS_STYLE)  # a button with the keyboard's focus is framed (the Search button showed none)

    def _wire(self) -> None:
        s = self.session
        self.library.query_requested.connect(self.load_query)
        self.query.query_requested.connect(self.load_query)
        self.query.search_requested.connect(self.search_requested)
        self.query.strength_settled.connect(self.strength_settled)
        self.query.play_requested.connect(self.play_query)
        self.query.back_requested.connect(self.go_back)
        self.query.forward_requested.connect(s.forward)
        self.query.jump_requested.connect(s.jump)
        self.library.changed_elsewhere.connect(lambda: self.alone is None and s.rerun())  # results follow it too
        self.query.strength_moved.connect(  # words-alone results do not change with it (trial 56: "updating…" for ever)
            lambda v: isinstance(self.alone, tuple) or self.results.mark_stale(
                f"Strength {v:.2f}: these results are for the previous strength; updating…"))
        self.results.promote_requested.connect(self.promote)
        self.results.header.linkActivated.connect(self._note_link)
        s.query_changed.connect(self._query_changed)
        s.search_started.connect(self.search_started)
        s.search_queued.connect(lambda why: self.results.show_message(f"<i>{html.escape(why)}</i>"))
        s.results_ready.connect(self._results_ready)
        for ready in (s.results_ready, self.words_results_ready):  # trial 54: at 1024 px a list without "More
            ready.connect(lambda *_: QTimer.singleShot(0, self._hold_splitter))  # results" moved the splitter ~94 px
        s.search_failed.connect(self._search_failed)
        s.model_state_changed.connect(self._model_state)
        for panel in (self.library, self.results):
            panel.message.connect(self.show_message)
        self.library.message_over.connect(
            lambda text: self.statusBar().currentMessage() == text and self.statusBar().clearMessage())
        self.query.message.connect(self.show_search_message)  # about this query: the next search takes it away
        self.player.error.connect(self.show_message)
        self.library.import_finished.connect(
            lambda report: self._library_changed(dict(getattr(report, "moves", None) or [])))
        self.library.folders_removed.connect(self._folders_removed)  # their files leave the results
        self.library.import_finished.connect(self._offer_demo_removal)
        scope = self.results.scope_bar
        self.library.filter_edit.textChanged.connect(scope.set_keyword)  # the filter's words, if ticked, scope results
        self.library.filter_results.toggled.connect(scope.apply_keyword)
        self.library.refreshed.connect(lambda: scope.set_folders(*self.library.scope_folders()))
        self.library.refreshed.connect(self._folder_roots)
        scope.scope_changed.connect(self.scope_changed)
        scope.find_by_words.connect(self.find_by_words)
        self.results.more_requested.connect(s.more_results)
        self.results.mark_requested.connect(self.mark_results)
        self.files.message.connect(self.show_message)
        self.query.record_requested.connect(self.record_query)
        self.files.tags_changed.connect(self._tags_changed)
        s.history.branched.connect(self._branched)
        self._wire_moments()
        QApplication.instance().focusChanged.connect(self._focus_moved)  # which list the File menu acts on

    def _layout_parts(self) -> tuple:
        return ((self.splitter, self.query_splitter), (self.library.file_view.header(), self.results.view.header()))

    def resizeEvent(self, event) -> None:  # Qt override: a short window is laid out compact
        super().resizeEvent(event)
        compact = compact_height(self.height())
        if compact != self.compact:
            self.compact = compact
            self.query.timeline.set_compact(compact)
            self.results.set_compact(compact)

    # startup -----------------------------------------------------------------------------
    # drops anywhere on the window: folders join the library, a sound file becomes the query
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # Qt override
        if any(u.isLocalFile() and Path(u.toLocalFile()).exists() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # Qt override
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        folders, files = [p for p in paths if p.is_dir()], [p for p in paths if p.is_file()]
        if not folders and not files:
            return
        event.acceptProposedAction()
        if folders:
            self.library.start_import(folders)
        if files:
            self.load_query(files[0])

    def event(self, ev: QEvent) -> bool:  # Qt override
        if ev.type() == QEvent.Type.Paint and not self._painted:
            self._painted = True
            self.first_painted.emit()
        return super().event(ev)

    # actions -----------------------------------------------------------------------------
    def load_query(self, path: Path) -> None:
        """A query from the library, a file dialog or a drop: plain similarity first."""
        self.moved_on()
        self.query.set_modifier("", self.query.strength_value)
        self.session.set_query(Path(path), "", self.query.strength_value)

    def _library_changed(self, moved: dict[Path, Path] | None = None) -> None:
        """After an import the query may now be a library file (or have been renamed: ``moved``, old -> new path,
        the history follows it) and the results may differ: refresh both."""
        followed = bool(moved) and self.session.history.follow(moved)
        step = self.session.history.current
        if step is not None:  # a query that moved is read again at its new path
            self.query.show_query(step.query, keep_waveform=not followed, selection=step.query_range)
            self.session.search(step.text, step.strength)

    def _folder_roots(self) -> None:
        """Both lists' Folder column starts at the library folder's own name (app.ui.file_columns)."""
        roots = self.library.scope_folders()[0]
        self.library.files.roots = self.results.model.roots = roots

    def show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 8000)

    def show_shortcuts(self) -> None:
        ShortcutsDialog(self.shortcut_menus, self).exec()

    # session events ----------------------------------------------------------------------
    def _hold_splitter(self) -> None:
        """Keep the panels' widths as they are now: a results panel whose minimum width falls (no "More results"
        button) would otherwise give the room back to the library panel at the splitter's first proportions."""
        self.splitter.setSizes(self.splitter.sizes())

    def _describe(self, step, named_first: tuple[str, ...] = ()) -> str:
        return describe_step(self.service, step, named_first)

    def _query_changed(self, path: Path | None) -> None:
        step = self.session.history.current
        if step is not None:
            self.query.set_modifier(step.text, step.strength)
        overview = self.query.overview
        self.query.show_query(path, keep_waveform=overview is not None and overview.path == path,
                              selection=step.query_range if step is not None else None)

    def _results_ready(self, done: SearchDone) -> None:
        n = len(done.results)
        head = f"<b>{n} result{'s' if n != 1 else ''}</b> for {self._describe(done.step, done.named_first)}"
        if done.start_out:  # beside the earlier steps' line it follows from (trial 56: below the header's fold)
            head += warning_line(html.escape(done.start_out[:1].upper() + done.start_out[1:]))
        if not n and done.empty_reason:
            head += f" — {html.escape(done.empty_reason)}"
        if done.scope.active:
            head += f" · only {html.escape(done.scope.describe())} ({SHOW_ALL})"
        first = 0  # the header's links count the notes' files in order: "more:<n>" (_note_link)
        for index, note in enumerate(done.notes):  # files that hold a sound the words add, when no result does
            head += "<br>" + note_html(note, first, index)
            first += len(note.examples)
        head += self.words_links(done.step.text) + after_results_html(done)
        timing = f"<span style='color:gray'>· {done.seconds * 1000:.0f} ms</span>"
        self.alone = None  # the results are the session's step again
        self.results.model.marks = done.step.feedback
        self.results.model.alone = None
        self.results.show_results(done.results, f"{head} {timing}", more=bool(n) and n >= done.limit)
        if done.step.text:
            newest = self.settings.recent_texts[:1] == [done.step.text.strip()]
            self.settings.remember_text(done.step.text)
            self.query.recent.remember(done.step.text)
            if not newest and self.settings_path is not None:  # kept at once: a crash does not lose them
                if not self.settings.save(self.settings_path):
                    self.show_message(self.settings.problem)

    def _search_failed(self, message: str) -> None:
        """The header says why; the results of the search before stay, dimmed and said to be so (they looked like
        the failed query's)."""
        self.results.mark_stale("")
        shown = " The results below are from the search before." if self.results.model.rows else ""
        self.results.show_message(f"<span style='color:#c03030'><b>Search failed:</b> {html.escape(message)}</span>"
                                  f"<span style='color:gray'>{shown}</span>")
        self.show_search_message(message if message.startswith("Cannot search") else f"Search failed: {message}")

    def _model_state(self, state: ModelState, message: str) -> None:
        self.model_label.setText(message)
        self.model_busy.setVisible(state.busy)
        self.model_label.setStyleSheet(STATUS_STYLE[state])
        self.model_label.setToolTip(message)
        if state is ModelState.READY and not self._reindex_checked:
            self._reindex_checked = True
            svc = self.service
            self.runner.submit(lambda: (svc.counts(), svc.import_unfinished(), svc.rerank_problem),
                               self._import_left_over, lambda exc: None)
        self.library.model_state_changed(state, message)
        self.banner.setVisible(state is ModelState.FAILED)
        if state is ModelState.FAILED:
            self.banner.setText(f"<b>{html.escape(message)}</b><br>The library stays usable (browse, play); "
                                "importing and searching need the model. Reinstall Nudge, or set NUDGE_MODEL_DIR "
                                "to a model folder or NUDGE_HEADS to a heads file.")

    def _import_left_over(self, state) -> None:
        """Sounds embedded by an older model are not searchable until re-embedded, and an import stopped midway
        (the app closed, a cancel, a crash) left files out: import them now."""
        counts, unfinished, rerank_problem = state
        if rerank_problem:  # its weights file missing or damaged: searches keep their match order, said once
            self.model_label.setToolTip(f"{self.model_label.toolTip()}\n{rerank_problem}")
            self.show_message(f"{rerank_problem[0].upper()}{rerank_problem[1:]}: searches keep their match order")
        if self.library.importing or not (counts.pending or unfinished):
            return
        self.show_message(f"The model changed: re-indexing {counts.pending} sounds…" if counts.pending else
                          "The last import did not finish: importing the rest of the library…")
        self.library.start_import()

    # shutdown ----------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:  # Qt override
        self.player.stop()
        self.library.cancel_import()
        st = self.settings
        step = self.session.history.current  # the search shown: its query, part and words
        if self._first_done:  # closed before the last session came back (Ctrl+C at launch): it is kept as it was
            st.last_query = str(step.query) if step is not None else ""
            st.last_text = step.text if step is not None else ""
            st.last_range = list(step.query_range) if step is not None and step.query_range is not None else []
            st.strength = step.strength if step is not None else self.query.strength_value
            st.last_session = session_json(self.session.history.steps, self.session.history.index)
        st.last_open_dir, st.last_export_dir = self.query.last_open_dir, self.files.last_export_dir
        save_scope(st, self.results, self.library)
        save_layout(self, st, *self._layout_parts())
        if self.settings_path is not None:
            st.save(self.settings_path)
        self.runner.close()  # answers still queued start no work on the closing window and service
        self.runner.wait_idle(15_000)
        self.gc_collector.stop()
        super().closeEvent(event)
