"""The main window's start: the library listed, the model loaded, the demo library added on first launch, the
first query set (the last run's refine session restored where it was). A mixin of MainWindow (uses its service,
runner, settings, panels and session)."""

from __future__ import annotations

import os
from pathlib import Path

from app.service import DemoStatus
from app.ui.saved_session import restorable, restored_message
from app.ui.window_layout import restore_scope


class StartupActions:
    """Mixed into MainWindow."""

    def start(self, initial_query: Path | None = None, offer_demo: bool = True) -> None:
        """After show(): list the library, load the model, add the demo on first launch, set the first query (within
        the last run's scope)."""
        self.session.set_scope(restore_scope(self.settings, self.results, self.library))
        self.library.refresh()
        self.session.load_model()
        # suggestions come from the heads file's header: available before the model has loaded
        self.runner.submit(self.service.known_sound_words, self.query.modifier.set_words, lambda exc: None)
        demo = offer_demo and not self.settings.demo_offered
        if demo and self.service.folders():  # a library made before (the CLI): the demo is not mixed into it
            self.settings.demo_offered, demo = True, False
        if demo:
            self.show_message("Setting up the demo library…")
            self.runner.submit(self.service.install_demo_library,
                               lambda status: self._demo_ready(status, initial_query),
                               lambda exc: self._demo_failed(exc, initial_query))
        self.query.waveform  # noqa: B018 - import pyqtgraph while the workers above run
        if not demo:
            self._first_query(initial_query)
        if self.settings.problem:  # an unreadable settings file: said, not only logged
            self.show_message(self.settings.problem)
        self.query.modifier.setFocus()  # typed words go to the words box (a trial's went to the folder list)

    def _demo_ready(self, status: DemoStatus, initial_query: Path | None) -> None:
        self.settings.demo_offered = True
        if self.settings_path is not None:  # never offered again, even after a crash
            self.settings.save(self.settings_path)
        self.demo = status
        self.show_message(status.message)
        if status.needs_import and status.folder is not None:
            self.library.start_import([status.folder])
        self.library.refresh()
        self._first_query(initial_query or status.start_query)

    def _demo_failed(self, exc: BaseException, initial_query: Path | None) -> None:
        self.show_message(f"Could not add the demo library: {exc}")
        self._first_query(initial_query)

    def _first_query(self, query: Path | None) -> None:
        saved = restorable(self.settings.last_session)
        if saved is not None and query is None:  # the last run's refine session goes on where it was
            self.session.restore(*saved)
            self.restored_note = restored_message(*saved)
            self.show_message(self.restored_note)
            self.startup_done.emit()
            return
        if saved is not None:  # a file given at launch goes after the last run's steps, which Back still reaches
            self.session.history.restore(*saved)  # (a trial: an unreadable one had replaced a six-step session)
        last = Path(self.settings.last_query) if self.settings.last_query else None
        if query is None and last is not None and os.path.isfile(last):  # False too where a folder may not be read
            query = last
        if query is not None:
            part = tuple(self.settings.last_range) if query == last and self.settings.last_range else None
            if query != last:  # the last session's query goes on with its words; another one starts plain
                self.query.set_modifier("", self.query.strength_value)
            self.session.set_query(query, self.query.modifier.text(), self.query.strength_value, query_range=part)
        self.startup_done.emit()
