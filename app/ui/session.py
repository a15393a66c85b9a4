"""The refine loop as a state object: current query, model status, searches, history.

Widgets subscribe to its signals and call its methods; it talks to the SearchService only through
the TaskRunner, so no service call ever runs on the GUI thread. Searches go through a ``Latest``
channel: when a newer search starts, the older one's results are dropped on arrival.
"""

from __future__ import annotations

import enum
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from app.errors import QueryFileError, SelectionRefused
from app.service import EarlierSteps, FeedbackMark, SearchScope, SearchService
from app.ui.history import History, Step
from app.ui.workers import Latest, TaskRunner

QUEUED_UNTIL_LOADED = "Search queued: it runs as soon as the model has loaded…"
RESCAN = "File → Import / rescan library, Ctrl+I, brings the library up to date"


class ModelState(enum.Enum):
    LOADING = "loading"  # searches wait (queued) until the model is in, about a second
    READY = "ready"
    FAILED = "failed"

    @property
    def busy(self) -> bool:
        return self is ModelState.LOADING


@dataclass(frozen=True)
class SearchDone:
    """One delivered search: what was asked, what came back, how long it took."""

    step: Step
    results: list[Any]
    seconds: float
    scope: SearchScope = SearchScope()  # what the results were limited to
    limit: int = 0  # how many were asked for (as many came back: there may be more)
    notes: tuple = ()  # NamedSoundNotes: library files holding a sound the words add that no result holds
    unchanged: int | None = None  # how many first results come in the same order without the words
    # (service.unchanged_by_words); None: not compared
    empty_reason: str = ""  # why nothing was found (service.no_results), when nothing was
    query_offline: str = ""  # why the query file could not be read (service.query_unreadable): its sound as imported
    # was searched; "" when it was read
    disk: str = ""  # results left out as gone, changed on disk since the import, or lowered out of view (ResultPage)
    moved: str = ""  # first results moved below the others for still holding a sound the words remove (ResultPage)
    named_first: tuple[str, ...] = ()  # unknown sounds whose named files came first (HeardMoves.named_first)
    query_changed: str = ""  # the query file cut short or changed since the import (service.query_file_note)
    start_out: str = ""  # the session's first sound left out of a refine step (ResultPage.start_note)
    long_query: str = ""  # a query over 60 s read as a long take (service.long_query_note)
    short_part: str = ""  # a selection too short to tell sounds apart (service.short_part_note)
    level_short: str = ""  # level words of its own sound and no result quieter / louder (service.level_short_note)


def unchanged_by_words(service, step: Step, results: list, scope: SearchScope) -> int | None:
    """How many first results of a search with a query sound and words come in the same order without the words
    (a hint like the notes: None when there is nothing to compare or it cannot be read)."""
    if not step.text or step.query is None or step.strength <= 0:
        return None
    try:
        return service.unchanged_by_words(results, step.query, step.text, scope=scope, more_like=step.more_like,
                                          less_like=step.less_like, query_range=step.query_range)
    except Exception:  # noqa: BLE001 - the results stand without it
        return None


def empty_reason(service, scope: SearchScope, query_excluded: bool = True) -> str:
    """Why a search found nothing (service.no_results); "" if that cannot be read (the search stands without it)."""
    try:
        return service.no_results(scope.active, query_excluded, scope).for_app()
    except Exception:  # noqa: BLE001 - e.g. the library changed under the search
        return ""


NOTE_ROWS = 10  # the results a note about files the search missed looks at: about what the window shows


def named_sound_notes(service, step: Step, results: list) -> tuple:
    """The notes on sounds the words add that the results lack but library files hold, and on sounds the words
    change or remove that YAMNet does not hear in the query; none if they cannot be read (they are a hint: the
    results stand without them)."""
    if not step.text or not results or step.strength <= 0:  # at strength 0 the words ask for nothing
        return ()
    first = results[:NOTE_ROWS]  # what is on screen: a file at #29 of 50 is as good as unseen (trial 44)
    try:
        notes = service.named_sound_notes(step.text, [r.record.id for r in first], exclude=[step.query])
        notes += service.unheard_in_query(step.query, step.text, step.query_range)  # "make the wind louder": no wind
    except Exception:  # noqa: BLE001 - e.g. the library changed under the search; the next search tries again
        return ()
    return tuple(notes)


class Session(QObject):
    query_changed = Signal(object)  # Path | None
    model_state_changed = Signal(object, str)  # ModelState, message for the user
    search_started = Signal(object)  # Step
    search_queued = Signal(str)  # why it waits
    results_ready = Signal(object)  # SearchDone
    search_failed = Signal(str)

    def __init__(self, service: SearchService, runner: TaskRunner, top_k: int = 50,
                 parent: QObject | None = None):
        super().__init__(parent)
        self.service = service
        self.runner = runner
        self.top_k = top_k
        self.history = History(self)
        self.model_state = ModelState.READY if service.model_ready else ModelState.LOADING
        self.model_message = ""
        self._searches = Latest(runner)
        self._pending: Step | None = None  # a search waiting for the model
        self.last: SearchDone | None = None
        self.scope = SearchScope()  # limits every search (folder, duration, rate, library filter words)
        self._limit = top_k  # results asked for: grows by top_k with each "more results"
        self._last_step: Step | None = None

    @property
    def query(self) -> Path | None:
        step = self.history.current
        return step.query if step else None

    # model -------------------------------------------------------------------------------
    def load_model(self) -> None:
        """Load the model in the background (one load, about a second); a search asked meanwhile waits."""
        if self.service.model_ready:
            self._set_model(ModelState.READY, "Model ready")
            return
        self._set_model(ModelState.LOADING, "Loading model…")
        self.runner.submit(self.service.load_model, lambda _: self._loaded(), self._load_failed)

    def _loaded(self) -> None:
        self._set_model(ModelState.READY, "Model ready")
        if self._pending is None:  # nothing asked yet: the first-search costs are paid before one is (warm_up)
            self.runner.submit(self.service.warm_up, lambda _: None, lambda exc: None)
        self._run_pending()

    def _load_failed(self, exc: BaseException) -> None:
        self._set_model(ModelState.FAILED, f"Model unavailable: {exc}")
        if self._pending is not None:
            self._pending = None
            self.search_failed.emit(f"Cannot search: {self.model_message}")

    def _run_pending(self) -> None:
        pending, self._pending = self._pending, None
        if pending is not None and pending == self.history.current:
            self._run(pending)

    def _set_model(self, state: ModelState, message: str) -> None:
        self.model_state, self.model_message = state, message
        self.model_state_changed.emit(state, message)

    # query + search ----------------------------------------------------------------------
    def set_query(self, path: Path, text: str = "", strength: float = 1.0, search: bool = True,
                  query_range: tuple[float, float] | None = None, earlier: EarlierSteps | None = None,
                  promoted: bool = False) -> None:
        """A new query (from the library, disk, drop or a promoted result; ``query_range`` a part of the file)
        becomes a new step; ``earlier``: the refine session it continues (a promoted result's). A promoted result
        continues from the current step (later steps become the other branch); another query goes after the
        trail's last step, dropping none."""
        step = Step(Path(path), text.strip(), strength, query_range=query_range, earlier=earlier)
        self.history.push(step, keep_later=not promoted)
        self.query_changed.emit(self.query)
        if search:
            self.search(text, strength)

    def promote(self, path: Path, query_range: tuple[float, float] | None = None) -> None:
        """A result (its moment: ``query_range``) becomes the query; the modifier starts empty. The session goes
        on: the edits asked for so far keep counting in the next searches' ordering, against its first query
        (app.rerank), until the user forgets them or loads another query."""
        current = self.history.current
        self.set_query(path, "", current.strength if current else 1.0, query_range=query_range,
                       earlier=current.after() if current else None, promoted=True)

    def restore(self, steps: list[Step], index: int) -> bool:
        """The refine session of an earlier run (its steps, at step ``index``): the current step is shown and
        searched again; Back walks through the earlier ones."""
        return self._go(self.history.restore(steps, index))

    def keep_named(self, word: str) -> None:
        """A note's "keep only files named <word>": the current step limited to them, as a new step, searched (Back
        shows the step before as it was; other words or another query search the whole library again)."""
        step = self.history.current
        if step is not None and word.strip() and word.strip() != step.keyword:
            self.history.push(replace(step, keyword=word.strip()))
            self._run(self.history.current)

    def unlimit_step(self) -> bool:
        """The current step without its own limit (keep_named) as a new step, not searched yet; False if it had
        none."""
        step = self.history.current
        if step is None or not step.keyword:
            return False
        self.history.push(replace(step, keyword=""))
        return True

    def forget_earlier(self) -> None:
        """Stop counting the earlier steps' edits: the current query and words as a new step, searched."""
        step = self.history.current
        if step is not None and step.earlier is not None:
            self.history.push(replace(step, earlier=None, forgot=True))
            self._run(self.history.current)

    def select_range(self, query_range: tuple[float, float] | None, text: str | None = None,
                     strength: float | None = None) -> None:
        """The user selected a part of the query file (None: the whole file again): a new step, searched, with the
        words box's ``text`` and ``strength`` where given (History.select)."""
        if self.history.current is not None and self.history.current.query_range != query_range:
            self._run(self.history.select(query_range, text, strength))

    def search(self, text: str, strength: float) -> None:
        """A new modifier or strength keeps the results' marks (feedback) of the current step."""
        step = self.history.current
        if step is None:
            self.search_failed.emit("Load a query first: pick a library file, open a file, or drop one here.")
            return
        self._run(self.history.refine(text.strip(), strength))  # every search is a history step

    def rerun(self) -> None:
        """Search the current step again, as it is (a setting that changes the ranking changed)."""
        if self.history.current is not None:
            self._run(self.history.current)

    def set_scope(self, scope: SearchScope, rerun: bool = True) -> None:
        """A new scope re-runs the current search within it (``rerun`` False: kept for the next search, while the
        window shows results of no step, such as words alone)."""
        if scope == self.scope:
            return
        self.scope = scope
        if rerun:
            self.rerun()

    def mark(self, results: list[Any], sign: int) -> None:
        """More (+1) / less (-1) like these results (files, FeedbackMarks or SearchResults: a moment result marks
        its moment), or clear their marks (0): a new step, searched."""
        marks = [FeedbackMark.of(r) for r in results]
        step = self.history.mark(marks, sign) if marks else None
        if step is not None:
            self._run(step)

    def more_results(self) -> None:
        """The next page of the current search (same step: no new history entry)."""
        if self.history.current is not None:
            self._limit += self.top_k
            self._run(self.history.current)

    def back(self) -> bool:
        return self._go(self.history.back())

    def forward(self) -> bool:
        return self._go(self.history.forward())

    def jump(self, index: int) -> bool:
        return self._go(self.history.jump(index))

    def other_branch(self) -> bool:
        """Back to the trail a branch replaced (History.other_branch), searched at the step it branched from."""
        return self._go(self.history.other_branch())

    def _go(self, step: Step | None) -> bool:
        if step is None:
            return False
        self.query_changed.emit(step.query)
        self._run(step)
        return True

    def _run(self, step: Step) -> None:
        if self.model_state is ModelState.FAILED:
            self._searches.invalidate()
            self.search_failed.emit(f"Cannot search: {self.model_message}")
            return
        if self.model_state is ModelState.LOADING:
            self._searches.invalidate()
            self._pending = step
            self.search_queued.emit(QUEUED_UNTIL_LOADED)
            return
        self._pending = None
        if step != self._last_step:  # a new step starts at the first page
            self._limit, self._last_step = self.top_k, step
        self.search_started.emit(step)
        started = time.perf_counter()
        svc, top_k, scope = self.service, self._limit, self.scope
        scope = scope.with_words(step.keyword)  # this step's own limit (keep_named), within the session's

        def find() -> tuple[list, tuple, int | None, str, str, str, str, tuple, str, str, str, str, str]:
            results = svc.search(step.query, text=step.text, strength=step.strength, top_k=top_k, scope=scope,
                                 more_like=step.more_like, less_like=step.less_like, query_range=step.query_range,
                                 earlier=step.earlier)
            empty = "" if results else empty_reason(svc, scope)
            offline = svc.query_unreadable(step.query) if step.query is not None else ""  # a stat off the GUI thread
            changed = svc.query_file_note(step.query) if step.query is not None and not offline else ""
            disk = results.disk_note(RESCAN)
            lowered = results.lowered_takes_note()  # the takes' names are "more like this" links (trial 46)
            notes = named_sound_notes(svc, step, results) + ((lowered,) if lowered is not None else ())
            return (list(results), notes, unchanged_by_words(svc, step, results, scope), empty, offline, disk,
                    results.moves_note(), results.heard_moves.named_first, changed, results.start_note(),
                    svc.long_query_note(step.query, step.text, step.query_range),
                    svc.short_part_note(step.query_range[1] - step.query_range[0]) if step.query_range else "",
                    svc.level_short_note(step.query, step.text, results, step.query_range))

        self._searches.request(
            find,
            lambda found: self._deliver(SearchDone(step, found[0], time.perf_counter() - started, scope, top_k,
                                                   *found[1:])),
            lambda exc: self._failed(step, exc),
        )

    def request_other(self, find, on_result, on_error) -> None:
        """A search that is no history step (the words alone) on the steps' channel: whichever search started last
        is the one whose answer is shown, so a late answer never replaces a newer search's results."""
        self._pending = None
        self._searches.request(find, on_result, on_error)

    def _failed(self, step: Step, exc: BaseException) -> None:
        """A search that failed; a new selection the search refused (silent, too short) is taken back from the
        history, so Back does not walk into it again, and so is a file just loaded as the query that cannot be read
        as sound (corrupt, not audio: a trial's Back walked through five such steps, saved with the session): the
        query before it comes back. A step with words keeps its query: the panel says why it cannot be searched."""
        fresh_query = isinstance(exc, QueryFileError) and not step.text and not step.more_like and not step.less_like
        taken_back = (isinstance(exc, SelectionRefused) or fresh_query) and self.history.drop_last(step)
        if taken_back and fresh_query:  # the query before is shown again
            self.query_changed.emit(self.query)
        self.search_failed.emit(str(exc) or type(exc).__name__)

    def _deliver(self, done: SearchDone) -> None:
        self.last = done
        self.results_ready.emit(done)

    @property
    def stale_dropped(self) -> int:
        """How many search answers arrived after a newer search had started (and were dropped)."""
        return self._searches.dropped
