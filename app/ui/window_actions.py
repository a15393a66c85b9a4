"""The main window's browser actions: microphone query, the selection's files, tags refresh and
"Match names". A mixin of MainWindow (uses its service, runner, panels, session and status bar)."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractButton, QPushButton, QToolButton

from app.ui.recorder import RecordDialog


class BrowserActions:
    """Mixed into MainWindow."""

    def record_query(self) -> None:
        """Record a take from the microphone; it becomes the query."""
        if self.input_backend is None:
            self.show_message(self.input_reason)
            return
        self.player.stop()
        dialog = self.record_dialog = RecordDialog(self.service, self.runner, self.input_backend, self)
        dialog.message.connect(self.show_message)
        dialog.take_ready.connect(self.load_query)
        dialog.show()

    def _offer_demo_removal(self, report) -> None:
        """Once, after an import adds the user's own sounds while the demo library is still in: offer to remove it."""
        if not self.settings.demo_removal_offered and self.library.offer_demo_removal(report):
            self.settings.demo_removal_offered = True
            if self.settings_path is not None:
                self.settings.save(self.settings_path)

    def _folders_removed(self, folders: list[Path]) -> None:
        """Folders' files left the index: the results are read again; when the query was a clip of the demo library
        just taken out (trial 49: the user's own sounds were ranked against a synthetic rain clip), the first of the
        user's own sounds in the library list becomes the query instead, and the status bar says so."""
        step = self.session.history.current
        demo = self.service.demo_folder()
        query = step.query if step is not None else None
        gone = query is not None and any(f.resolve() == demo.resolve() for f in folders) and (
            demo.resolve() in Path(query).resolve().parents)
        first = next((r.path for r in self.service.list_files() if r.status == "ok"), None) if gone else None
        if first is None:
            self._library_changed()
            return
        self.load_query(first)
        self.show_message(f"The demo library is out: the query is now {first.name}, the first of your sounds in the "
                          "library list (double-click another to search by it)")

    selection_place = "results"  # the list of files the user last worked in: "results" or "library"

    def play_pause(self) -> None:
        """Space: press the focused button (or tick the focused box), audition the selected result or library file
        when that list has focus, else the query."""
        focus = self.focusWidget()
        library_file = self.library.current_path()
        if isinstance(focus, QAbstractButton):
            focus.animateClick()
        elif focus is self.results.view:
            self.results.audition(self.results.current_row())
        elif focus is self.library.file_view and library_file is not None:
            if self.player.available:
                self.player.toggle(library_file)
            else:
                self.show_message(self.player.reason)
        else:
            self.play_query()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # Qt override
        """Return or Enter on a focused push or tool button presses it (Qt does so only in dialogs): a button
        reached with Tab can be pressed from the keyboard."""
        focus = self.focusWidget()
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and isinstance(focus, QPushButton | QToolButton):
            focus.animateClick()
            return
        super().keyPressEvent(event)

    def step_results(self, step: int) -> None:
        """Alt+Down / Alt+Up: audition the next / previous result; the star and tag keys then act on the results
        (the focus may stay in the text box)."""
        self.selection_place = "results"
        self.results.step(step)

    def _focus_moved(self, _old, now) -> None:
        """Remember which list had the focus last: typing in a box in between does not change it."""
        if now is self.library.file_view:
            self.selection_place = "library"
        elif now is self.results.view:
            self.selection_place = "results"

    def selected_paths(self) -> list[Path]:
        """The selected files of the list the user last worked in (results, or library files); the library's when
        there are no results."""
        if self.selection_place == "library" or not self.results.model.rows:
            return self.library.file_view.selected_paths() if self.library.files.rows else []
        return self.results.view.selected_paths()

    def selection_name(self) -> str:
        """"library file(s)" or "result(s)": what selected_paths holds, for the actions' questions and messages."""
        from_library = self.selection_place == "library" or not self.results.model.rows
        return "library file(s)" if from_library else "result(s)"

    def _branched(self, dropped: int) -> None:
        """A search from an earlier step replaced the later ones: say so, and how to get them back."""
        self.show_message(f"Went on from an earlier step: its {dropped} later step{'s' if dropped != 1 else ''} "
                          "left the trail; Ctrl+B (Search menu) brings them back")

    def _other_branch(self) -> None:
        if not self.session.other_branch():
            self.show_message("No other branch: one starts when you search again from an earlier step")
            return
        history = self.session.history  # said: a trial read the first swap's landing as a different place
        later = len(history.steps) - history.index - 1
        self.show_message(f"Other branch of the trail, at step {history.index + 1} of {len(history.steps)}"
                          + (f": Forward (Alt+Right) walks its {later} later step{'s' if later > 1 else ''}"
                             if later else "") + "; Ctrl+B swaps back")

    def _focus_modifier(self) -> None:
        self.query.modifier.setFocus()
        self.query.modifier.selectAll()

    def _focus_results(self) -> None:
        """The results list takes the keyboard (+ / − marks, Return promotes, Shift+F10 its menu): it was 9 to 11 Tabs
        away from the words box, a count that changed with the filters (a keyboard-first trial)."""
        view = self.results.view
        view.setFocus()
        if not view.currentIndex().isValid() and self.results.model.rowCount():
            self.results.select_row(0)

    def _focus_filter(self) -> None:
        self.library.filter_edit.setFocus()
        self.library.filter_edit.selectAll()

    def _tags_changed(self) -> None:
        """Stars or tags changed: the library list and the shown results read them again. The results keep their
        order, selection and scroll, unless "★ only" limits them (then which results qualify changed: searched
        again)."""
        self.library.refresh()
        step = self.session.history.current
        if self.results.scope_bar.scope().tag and step is not None:
            self.session.search(step.text, step.strength)
            return
        paths = [Path(r.path) for r in self.results.model.rows]
        svc = self.service
        self.runner.submit(lambda: svc.files_info(paths), self.results.model.update_records,
                           lambda exc: self.show_message(f"Cannot read the tags: {exc}"))

    def find_by_words(self) -> None:
        """Rank the library by the library filter's words alone (names, metadata): no query sound."""
        scope, svc, limit = self.results.scope_bar.words_scope(), self.service, max(self.session.top_k, 200)
        if not scope.keyword:
            self.show_message("Type words in the library filter first")
            return
        self.results.show_message(f"Finding {html.escape(scope.describe())}…")

        def shown(results: list) -> None:
            n = len(results)
            self.alone = "text"  # no sound to mark more or less like (WordsActions.mark_results)
            self.results.model.marks = ()
            self.results.model.alone = None
            self.results.show_results(results, f"<b>{n} file{'s' if n != 1 else ''}</b> matching "
                                               f"{html.escape(scope.describe())} (text match, no query sound)")
            self.words_results_ready.emit(results)

        self.runner.submit(lambda: svc.search(None, scope=scope, top_k=limit), shown,
                           lambda exc: self._search_failed(str(exc)))
