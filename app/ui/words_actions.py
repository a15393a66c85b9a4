"""The main window's actions on words: a search with words and no query sound ranks the library by how well each
file sounds like the words on their own; the results header's links (a named file, a nearest known sound, a sound
the words add "on its own"). A mixin of MainWindow (uses its service, runner, session, query and results panels)."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QMenu

from app.service import heard_nowhere_note
from app.ui.history import split_marks
from app.ui.session import NOTE_ROWS, empty_reason
from app.ui.step_text import SHOW_ALL, alone_html, marks_text, note_html, unknown_html, warning_line


class WordsActions:
    """Mixed into MainWindow."""

    _alone: tuple | str | None = None
    about_search = ""  # the status bar's last message about a search: the next search clears it
    restored_note = ""  # "Your last session is back ...": the user's next search, query or promotion clears it
    results_note = ""  # "8 moments in take.wav: ...": about the list on screen, cleared the same way

    @property
    def alone(self) -> tuple | str | None:
        """Results shown that are no history step: (words, strength, marks, keyword) or "text"; None: the current
        step's."""
        return self._alone

    @alone.setter
    def alone(self, value: tuple | str | None) -> None:
        self._alone = value
        self.query.set_results_away(value is not None)  # no crumb lit, Back returns to the step's results

    def go_back(self) -> None:
        """Back: from results of no step (words alone, a text match) to the current step's; else the step before."""
        if self.alone is not None and self.session.history.current is not None:
            self.session.jump(self.session.history.index)
        else:
            self.session.back()

    def show_search_message(self, text: str) -> None:
        """A status bar message about this search (it fails, or cannot run): the next search takes it away."""
        self.about_search = text
        self.show_message(text)

    def search_started(self, step) -> None:
        self.results.show_message(f"Searching… {self._describe(step)}")
        self._clear_search_message()

    def _clear_search_message(self) -> None:
        """The status bar's message about the search before goes when another search starts or shows."""
        if self.about_search and self.statusBar().currentMessage() == self.about_search:
            self.statusBar().clearMessage()

    def moved_on(self) -> None:
        """The user searched, chose a query or promoted a result: the note that the last session is back goes (trial
        48: it stayed in the status bar over the user's own first searches), and so does a note about the list
        on screen (trial 50: "8 moments in street_take_03min_48k.wav" stayed over the next take's results)."""
        if self.statusBar().currentMessage() in {self.restored_note, self.results_note} - {""}:
            self.statusBar().clearMessage()
        self.restored_note = self.results_note = ""

    def scope_changed(self, scope) -> None:  # noqa: ANN001 - app.db.SearchScope
        """A new scope: words-alone results on screen are found again within it (the files-named note's keyword link,
        trial 49), other results are the current step's, run again."""
        self.session.set_scope(scope, rerun=not isinstance(self.alone, tuple))
        if isinstance(self.alone, tuple):
            self.find_alone(*self.alone)

    def search_requested(self, text: str, strength: float) -> None:
        """The Search button or Return: refine the current query, or with no query yet, find the words' sound."""
        self.moved_on()
        if self.session.history.current is None and text.strip():
            self.find_alone(text.strip(), strength)
        else:
            self.session.search(text, strength)

    def strength_settled(self, text: str, strength: float) -> None:
        """The strength slider came to rest: the results shown again at that strength; words-alone ones stay as they
        are, and a message says why (a trial: they turned into a search of the query sound with the words)."""
        if isinstance(self.alone, tuple):  # trial 54: the list moved and its scores rose, meaning nothing to a designer
            self.show_search_message("The strength weighs the words against a query sound: the words on their own "
                                     "are searched as typed")
        else:
            self.search_requested(text, strength)

    def find_modifier_alone(self) -> None:
        """Search → "Find the words' sound on its own": the modifier box's words, without the query sound."""
        words = self.query.modifier.text().strip()
        if not words:
            self.show_search_message("Type the sound to find in the modifier box first (e.g. car horn)")
            self._focus_modifier()
            return
        self.query.modifier.word_completer.popup().hide()  # as a search does: it stayed over the results (a trial)
        self.query.recent.completer.popup().hide()
        self.find_alone(words, self.query.strength_value)

    def find_alone(self, words: str, strength: float = 1.0, feedback: tuple = (), keyword: str = "") -> None:
        """Rank the library (within the scope bar's limits) by the sound the words name on its own: no query sound.
        ``feedback``: results marked more / less like this, ((FeedbackMark, +1 / -1), ...), as a step's marks;
        ``keyword``: a note's "keep only files named <word>", for these results only (as Step.keyword)."""
        self.moved_on()
        if not self.service.has_words(words):  # trial 63: "!!!" searched as words
            self.show_search_message("Type the sound to find in the modifier box first (e.g. car horn)")
            return
        if self.service.words_name_no_sound(words):
            self.show_search_message(f"“{words}” changes or keeps a query sound: load one first (Open file…, or "
                              "double-click a library file), or type the sound to find (e.g. dog barking)")
            return
        scope, svc, limit = self.results.scope_bar.scope(), self.service, max(self.session.top_k, 200)
        scope = scope.with_words(keyword)
        quoted = html.escape(words)
        self.results.mark_stale(f"Finding what sounds like “{words}”…")  # the list below is the last search's,
        # dimmed until the answer (trial 58: the new header over the old results read as their header)
        more, less = split_marks(feedback)

        def search() -> tuple[list, list[str], list[str], str | None, list]:
            found = svc.search(None, words, strength, top_k=limit, scope=scope, more_like=more, less_like=less)
            unknown = svc.unknown_alone_note(words, len(found), getattr(found, "named_words", ()))  # only sounds
            # Nudge does not know: YAMNet's classes, or the files' names
            empty = [] if found or unknown else [r for r in [empty_reason(svc, scope, query_excluded=False)] if r]
            named = svc.named_sound_notes(svc.words_alone_text(words), [r.record.id for r in found[:NOTE_ROWS]]) \
                if found and unknown is None else []  # trial 49: the CLI named the 47 footstep files, the app none
            nowhere = svc.sounds_heard_nowhere(words) if found and unknown is None else []  # trial 55: "church bells"
            heard = [n for n in svc.sounds_heard_alone(words) if n not in nowhere]  # trial 57: not "ordered by" those
            said = [heard_nowhere_note(nowhere)] if nowhere else []
            return found, heard, empty + said + svc.words_alone_messages(words), unknown, named

        def shown(found: tuple[list, list[str], list[str], str | None, list]) -> None:
            results, names, messages, unknown, named = found
            heard = f", ordered with how clearly Nudge hears {html.escape(' and '.join(names))}" if names else ""
            n = len(results)
            only = f" · only {html.escape(scope.describe())} ({SHOW_ALL})" if scope.active else ""
            unknown_at = {u.message(): i for i, u in  # trial 55: "a kettle" found nothing, "bubbles" plain text
                          enumerate(svc.read_modifier(svc.words_alone_text(words)).unknown)}
            said = "".join(warning_line(unknown_html(html.escape(m), unknown_at[m]) if m in unknown_at else
                                        html.escape(m)) for m in messages)  # found nothing; its nearest: plain text
            said += "".join("<br>" + note_html(note, 0, files=False) for note in named)
            self.alone = (words, strength, feedback, keyword)  # what More / Less like this refine (mark_results)
            self.results.model.marks = feedback
            self.results.model.alone = (words, bool(unknown))
            head = (f"<b>{n} file{'s' if n != 1 else ''}</b> for “{quoted}”: {html.escape(unknown)}" if unknown else
                    f"<b>{n} file{'s' if n != 1 else ''}</b> ranked by how well they sound like “{quoted}” on its own"
                    f"{marks_text(feedback)} (no query sound: Nudge's guess{heard}; double-click one to use it as "
                    "the query)")
            self.results.show_results(results, f"{head}{only}{said}")
            self.words_results_ready.emit(results)
            self._clear_search_message()

        self.session.request_other(search, shown, lambda exc: self._search_failed(str(exc)))

    def mark_results(self, results: list, sign: int) -> None:
        """More (+1) / less (-1) like these results, or clear (0): words found on their own are searched again with
        the marks (no history step, as before); a text match has nothing to move; else the session's step."""
        if self.alone == "text":
            self.show_message("A text match has no sound to move: double-click a result to use it as the query, "
                              "then mark results more or less like it")
            return
        if self.alone is None:
            self.session.mark(results, sign)
            return
        from app.service import FeedbackMark

        words, strength, feedback, keyword = self.alone
        marks = [FeedbackMark.of(r) for r in results]
        kept = tuple((m, s) for m, s in feedback if not any(m.overlaps(new) for new in marks))  # as Step.marked
        self.find_alone(words, strength, kept + tuple((m, sign) for m in marks if sign), keyword)

    def clear_less_like(self) -> None:
        """The results marked "less like this" cleared of their marks, so they are listed again (the header's
        "list again"): a new step, or the words alone searched again."""
        if isinstance(self.alone, tuple):
            words, strength, feedback, keyword = self.alone
            self.find_alone(words, strength, tuple((m, 1) for m in split_marks(feedback)[0]), keyword)
        elif self.alone is None and self.session.history.current is not None:
            self.session.mark(list(self.session.history.current.less_like), 0)

    def set_rerank(self, on: bool) -> None:
        """Search → "Order the first results by the words' edits": app.rerank on or off for this and later searches
        (remembered), then the current search again."""
        self.service.config.aligned_rerank = self.settings.rerank = bool(on)
        problem = self.service.rerank_problem if on else ""  # its weights missing or for other heads: said as it is
        self.show_message(problem or ("The first results of a search with a sound and words are ordered by the "
                                      "words' edits" if on else "Results keep their match order: the words' edits "
                                      "no longer reorder them (Search → Order the first results by the words' edits)"))
        self.session.rerun()

    def words_links(self, text: str) -> str:
        """The header's line of links that find each sound the words add on its own ("" when they add none)."""
        return alone_html(self.service.added_sound_names(text))

    def show_all_results(self) -> None:
        """The results no longer limited: a note's "keep only files named" ends (the current step's limit, as a new
        step), the library filter's words stop applying to them (the filter itself stays on the library list) and
        every scope bar limit is cleared; searched once."""
        self.library.filter_results.blockSignals(True)
        self.library.filter_results.setChecked(False)
        self.library.filter_results.blockSignals(False)
        self.results.scope_bar.keyword_applied = False
        if isinstance(self.alone, tuple):  # words alone: found again by the limits' change (scope_changed)
            self.alone = (*self.alone[:3], "")
        unlimited = self.alone is None and self.session.unlimit_step()
        before = self.session.scope
        self.results.scope_bar.clear_limits()  # a changed scope searches the current step again
        if unlimited and self.session.scope == before:
            self.session.rerun()

    def _note_link(self, link: str) -> None:
        """A file named by a note was clicked: mark it "more like this" (a new step, searched); a nearest known
        sound of an unknown word ("use:<word>:<k>"): search again with it in place of the word; a sound the words
        add ("alone:<k>"): find it on its own; a sound to add instead of raising it ("addsound:<sound>"); the query's
        only sound's level as "it" ("itlevel:<sound>") or "it" named as the bed heard most ("namelevel:<sound>");
        "forget:": stop counting the earlier steps' edits; "keyword:<word>": keep only the files whose paths or tags
        hold the word (the filter, results too); "scope:all": show all results (show_all_results); "unmark:": list
        the results marked less like this again."""
        kind, _, index = link.partition(":")
        if kind == "forget":  # the earlier steps' edits: no longer counted
            self.session.forget_earlier()
            return
        if kind == "keyword":  # the files named for a sound, for these results only (trial 51: as the library filter,
            if isinstance(self.alone, tuple):  # the limit went on through Back, other queries and the next run)
                self.find_alone(*self.alone[:3], index)
            else:
                self.session.keep_named(index)
            return
        if kind == "scope":  # "show all results": the filter's words no longer limit them, nor do the scope bar's
            self.show_all_results()
            return
        if kind == "unmark":  # the results marked less like this, listed again: their marks cleared
            self.clear_less_like()
            return
        done = self.session.last  # the search the header shows
        word, _, choice = index.partition(":")
        if kind == "use" and isinstance(self.alone, tuple) and word.isdigit() and choice.isdigit():  # words alone
            read = self.service.words_alone_text(self.alone[0])  # "a kazoo" is read as "add a kazoo"
            text = self.service.with_known_sound(read, int(word), int(choice))
            if text is not None:
                text = text if read == self.alone[0] else text.removeprefix("add ")
                if self.query.modifier.text().strip() == self.alone[0]:  # the words box holds these words (trial
                    self.query.modifier.setText(text)  # 56: "a kettle" stayed there with a query loaded)
                self.find_alone(text, self.alone[1])
            return
        if kind == "use" and done is not None and word.isdigit() and choice.isdigit():
            text = self.service.with_known_sound(done.step.text, int(word), int(choice))
            if text is not None:
                self.query.modifier.setText(text)
                self.query.request_search()
            return
        if kind == "addsound" and done is not None:  # "make the wind louder" with no wind: "add wind" instead
            text = self.service.with_sound_added(done.step.text, index)
            if text is not None:
                self.query.modifier.setText(text)
                self.query.request_search()
            return
        if kind in ("itlevel", "namelevel") and done is not None:  # "make the rain louder" <-> "make it louder"
            rewrite = self.service.with_level_as_it if kind == "itlevel" else self.service.with_it_named
            text = rewrite(done.step.text, index)
            if text is not None:
                self.query.modifier.setText(text)
                self.query.request_search()
            return
        if kind == "alone" and done is not None and index.isdigit():
            names = self.service.added_sound_names(done.step.text)
            if int(index) < len(names):
                self.find_alone(names[int(index)])
            return
        if kind == "others" and done is not None and index.isdigit() and int(index) < len(done.notes):
            self.others_menu(done.notes[int(index)])
            return
        files = [p for note in done.notes for p in note.examples] if done is not None else []
        if kind == "more" and index.isdigit() and int(index) < len(files):
            self.session.mark([files[int(index)]], +1)

    def others_menu(self, note) -> None:  # noqa: ANN001 - app.service's NamedSoundNote or NamedForItNote
        """The files a note's "and N more" stands for, as a menu at the pointer: choosing one marks it "more like
        this" (as a named file's link does); files past the ones the note keeps are said, not listed."""
        menu = QMenu(self)
        for path, name in zip(note.others, note.other_names(), strict=True):
            action = menu.addAction(name)
            action.setToolTip(str(path))
            action.triggered.connect(lambda _=False, path=path: self.session.mark([path], +1))
        unlisted = note.in_library - len(note.examples) - len(note.others)
        if unlisted > 0:
            menu.addAction(f"and {unlisted} more not listed").setEnabled(False)
        menu.setToolTipsVisible(True)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # one menu per click, gone once closed
        menu.popup(QCursor.pos())
        self._others_menu = menu  # the open menu (tests choose from it)
