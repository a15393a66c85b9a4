"""The main window's actions on moments of long files: the query panel's selection is the query (a new
step, searched), a promoted moment opens with its range selected, a click on the query waveform plays from
there, regions are exported, and "more moments in this file" lists one file's moments. A mixin of
MainWindow (uses its service, runner, player, session, panels, file actions and status bar)."""

from __future__ import annotations

import html
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

from app.service import clock_range
from app.ui.history import split_marks
from app.ui.result_moments import moment
from app.ui.step_text import warning_line

MOMENTS_TOP_K = 10


class MomentActions:
    """Mixed into MainWindow."""

    def _wire_moments(self) -> None:
        self.query.range_changed.connect(  # searched with the words box as it is now (trial 49)
            lambda chosen: self.session.select_range(chosen, self.query.modifier.text(), self.query.strength_value))
        self.query.seek_requested.connect(self.seek_query)
        self.query.export_region_requested.connect(self.files.export_region)
        self.results.export_region_requested.connect(self.files.export_region)
        self.results.moments_requested.connect(self.more_moments)

    def promote(self, path: Path, query_range: tuple[float, float] | None = None) -> None:
        """A result becomes the query; a moment's range becomes the query's selection. Words typed and not searched
        yet stay in the box for the new query (a trial lost them), which is first searched plain."""
        self.player.stop()
        self.moved_on()
        current = self.session.history.current
        typed = self.query.modifier.text().strip()
        kept = typed if typed and (current is None or typed != current.text) else ""
        self.query.set_modifier("", self.query.strength_value)
        self.session.promote(path, query_range)
        if kept:
            self.query.modifier.setText(kept)
            self.results_note = "The words you typed are kept for the new query: press Enter to search with them"
            self.show_message(self.results_note)  # the next search takes it away (trial 55: it stayed on)

    def play_query(self) -> None:
        """Play / stop the query: its selection when there is one, else the whole file."""
        query = self.session.query
        if not self.player.available:
            self.show_message(self.player.reason)
        elif query is not None:
            selected = self.query.selection
            self.player.toggle(query, *(selected or (0.0, None)))

    def seek_query(self, seconds: float) -> None:
        """A click on the query waveform: play from there (the playhead jumps there without audio)."""
        query = self.session.query
        if query is None:
            return
        if not self.player.available:
            self.query.timeline.set_position(seconds)
        elif self.player.playing and self.player.current == query:
            self.player.seek(seconds)
        else:
            self.player.play(query, seconds)

    def export_current_region(self) -> None:
        """File → Export region…: the current result's moment, else the query's selection."""
        row = self.results.current_row()
        result = self.results.model.rows[row] if 0 <= row < len(self.results.model.rows) else None
        focus = self.focusWidget()
        in_query = focus is not None and self.query.isAncestorOf(focus)
        found = moment(result) if result is not None and not in_query else None
        if found is not None:
            self.files.export_region(Path(result.path), *found)
        elif self.session.query is not None and self.query.selection is not None:
            self.files.export_region(self.session.query, *self.query.selection)
        else:
            self.show_message("Select a part of the query's waveform, or a result that is a moment, to export it")

    def more_moments(self, result: Any) -> None:
        """The other matching moments of a result's file for the current search, listed in the results."""
        step = self.session.history.current
        alone = self.alone if isinstance(self.alone, tuple) else None  # words alone: their sound in the file
        if self.alone == "text" or (alone is None and step is None):  # a text match: no sound to find moments of
            self.show_message("More moments in this file follows a search with a query sound or with words: use a "
                              "result as the query (double-click), or type the sound to find")
            return
        path, svc = Path(result.path), self.service
        self.results.show_message(f"Finding moments in {html.escape(path.name)}…")
        words = alone[0] if alone is not None else step.text

        def shown(found: tuple[list, str]) -> None:
            moments, absent = found
            times = ", ".join(clock_range(*m) for m in map(moment, moments[:3]) if m)
            rows = [replace(m, moments=1, score=m.plain_match) for m in moments]  # the count is in the header, not
            # on every row; no ▲ / ▼ here: standing out within its own take is not what the results list marked
            # (trial 55: one moment ▼ there and ▲ here)
            close = max(1, moments[0].moments) if moments else 1  # the Time column's count: the list's first ones
            lesser = ""
            if close < len(moments):
                which = "the first matches" if close == 1 else f"the first {close} match"
                lesser = f" · {which} about as well as the best (the results' moment count), the others less"
            asked = self._describe(step) if alone is None else f"“{html.escape(alone[0])}” on its own"
            self.results.show_moments(rows, f"<b>{len(moments)} moment{'s' if len(moments) != 1 else ''}</b> "
                                               f"in <i>{html.escape(path.name)}</i> for {asked}, "
                                               f"best first (how the words' sound stands out in a moment counts too: "
                                               f"Match is how alike they sound alone){lesser}"
                                               + (warning_line(html.escape(absent)) if absent else ""))
            self.results_note = (f"{len(moments)} moment{'s' if len(moments) != 1 else ''} in {path.name}"
                                 + (f": {times}" if times else ""))
            self.show_message(self.results_note)  # until the user moves on (trial 50: it outlived the next query)

        if alone is not None:  # (words, strength, marks, keyword): "find the thunder in this take"
            strength, feedback = alone[1:3]
            more, less = split_marks(feedback)
            find = partial(svc.file_moments, path, None, text=words, strength=strength, top_k=MOMENTS_TOP_K,
                           more_like=more, less_like=less)
        else:
            find = partial(svc.file_moments, path, step.query, text=step.text, strength=step.strength,
                           query_range=step.query_range, top_k=MOMENTS_TOP_K, more_like=step.more_like,
                           less_like=step.less_like)
        self.runner.submit(lambda: (find(), svc.not_in_file_note(path, words)),  # the note read off the GUI thread
                           shown, lambda exc: self._search_failed(str(exc)))
