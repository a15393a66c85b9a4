"""The refine loop as a state object: current query, model status, searches, history.

Widgets subscribe to its signals and call its methods; it talks to the SearchService only through
the TaskRunner, so no service call ever runs on the GUI thread. Searches go through a ``Latest``
channel: when a newer search starts, the older one's results are dropped on arrival.
"""

from __future__ import annotations

import enum
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from app.errors import ModelNotReadyError
from app.scope import SearchScope
from app.service import SearchService
from app.ui.history import History, Step
from app.ui.workers import Latest, TaskRunner

QUEUED_UNTIL_LOADED = "Search queued: it runs as soon as the model has loaded…"


class ModelState(enum.Enum):
    LOADING = "loading"  # nothing can be searched yet
    STORED_READY = "stored_ready"  # indexed queries + empty or precomputed texts search; audio model loading
    AUDIO_READY = "audio_ready"  # any query, plain or precomputed text, searches; the text model is loading
    READY = "ready"
    TEXT_FAILED = "text_failed"  # the audio side works, other texts cannot be searched
    FAILED = "failed"

    @property
    def audio_ok(self) -> bool:
        """Imports and plain searches can run."""
        return self in (ModelState.AUDIO_READY, ModelState.READY, ModelState.TEXT_FAILED)

    @property
    def busy(self) -> bool:
        """A loading stage is still running."""
        return self in (ModelState.LOADING, ModelState.STORED_READY, ModelState.AUDIO_READY)


@dataclass(frozen=True)
class SearchDone:
    """One delivered search: what was asked, what came back, how long it took."""

    step: Step
    results: list[Any]
    seconds: float
    scope: SearchScope = SearchScope()  # what the results were limited to
    limit: int = 0  # how many were asked for (as many came back: there may be more)


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
        self.model_state = ModelState.READY if service.text_model_ready else ModelState.LOADING
        self.model_message = ""
        self._searches = Latest(runner)
        self._pending: Step | None = None  # a search waiting for a model stage
        self._stage0_checked = False  # the stored-vector stage was tried (it may be unavailable)
        self._defer_model = False  # audio + text stages wait for the first search to land
        self._model_started = False  # the audio + text job was submitted
        self._in_flight = False  # the newest search has not landed yet
        self.last: SearchDone | None = None
        self.scope = SearchScope()  # limits every search (folder, duration, rate, library filter words)
        self._limit = top_k  # results asked for: grows by top_k with each "more results"
        self._last_step: Step | None = None

    @property
    def query(self) -> Path | None:
        step = self.history.current
        return step.query if step else None

    # model -------------------------------------------------------------------------------
    def load_model(self, after_first_search: bool = False) -> None:
        """Load the model in background stages: stored vectors + precomputed texts (milliseconds, no torch),
        then audio, then text. With ``after_first_search`` the audio and text stages start once the first
        search has landed and no newer one runs (their torch import would slow it down), or when
        ``load_rest_of_model`` is called.
        A search that needs a missing stage runs when it is in."""
        if self.service.text_model_ready:
            self._set_model(ModelState.READY, "Model ready")
            return
        self._set_model(ModelState.LOADING, "Loading model (audio, then text)…")
        self._defer_model = after_first_search
        self.runner.submit(self.service.load_search_stage, self._search_stage_done,
                           lambda _: self._search_stage_done(False))  # the later stages report real problems

    def _search_stage_done(self, ready: bool) -> None:
        self._stage0_checked = True
        if ready and not self.service.model_ready:
            self._stage_loaded("stored")  # runs a queued search that stored vectors can serve
            if self._defer_model and self._pending is None:
                return  # load_rest_of_model runs when the first search lands
        self.load_rest_of_model()

    def load_rest_of_model(self) -> None:
        """Start the audio and text stages now, unless they are under way or done."""
        if self._model_started or self.model_state is ModelState.READY:
            return
        self._model_started = True
        svc = self.service
        self.runner.submit(lambda stage: svc.load_model(on_stage=stage), lambda _: self._text_loaded(),
                           self._load_failed, on_progress=self._stage_loaded)

    def _stage_loaded(self, stage: str) -> None:
        n = self.service.precomputed_texts
        if stage == "stored":
            if self.model_state is ModelState.LOADING:
                what = "Demo searches ready" if n else "Library searches ready"
                self._set_model(ModelState.STORED_READY, f"{what} · loading audio model…")
        else:
            now = f" ({n} demo modifiers work already)" if n else ""
            self._set_model(ModelState.AUDIO_READY, f"Model: audio ready, loading text model…{now}")
        self._run_pending()

    def _text_loaded(self) -> None:
        self._set_model(ModelState.READY, "Model ready")
        self._run_pending()

    def _load_failed(self, exc: BaseException) -> None:
        if self.service.model_ready:  # only the text stage failed: plain searches still work
            self._set_model(ModelState.TEXT_FAILED, f"Text model unavailable: {exc}")
        else:
            self._set_model(ModelState.FAILED, f"Model unavailable: {exc}")
        pending, self._pending = self._pending, None
        if pending is not None:
            if self.model_state is ModelState.FAILED:
                self.search_failed.emit(f"Cannot search: {exc}")
            else:
                self.search_failed.emit(f"Cannot search with “{pending.text}”: {exc}")

    def _run_pending(self) -> None:
        pending, self._pending = self._pending, None
        if pending is not None and pending == self.history.current:
            self._run(pending)

    def _set_model(self, state: ModelState, message: str) -> None:
        self.model_state, self.model_message = state, message
        self.model_state_changed.emit(state, message)

    # query + search ----------------------------------------------------------------------
    def set_query(self, path: Path, text: str = "", strength: float = 1.0, search: bool = True) -> None:
        """A new query (from the library, disk, drop or a promoted result) becomes a new step."""
        self.history.push(Step(Path(path), text.strip(), strength))
        self.query_changed.emit(self.query)
        if search:
            self.search(text, strength)

    def promote(self, path: Path) -> None:
        """A result becomes the query; the modifier starts empty for the next refinement."""
        self.set_query(path, "", self.history.current.strength if self.history.current else 1.0)

    def search(self, text: str, strength: float) -> None:
        """A new modifier or strength keeps the results' marks (feedback) of the current step."""
        step = self.history.current
        if step is None:
            self.search_failed.emit("Load a query first: pick a library file, open a file, or drop one here.")
            return
        self._run(self.history.refine(text.strip(), strength))  # every search is a history step

    def set_scope(self, scope: SearchScope) -> None:
        """A new scope re-runs the current search within it."""
        if scope == self.scope:
            return
        self.scope = scope
        if self.history.current is not None:
            self._run(self.history.current)

    def mark(self, paths: list[Path], sign: int) -> None:
        """More (+1) / less (-1) like these results, or clear their marks (0): a new step, searched."""
        step = self.history.mark([Path(p) for p in paths], sign) if paths else None
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

    def _go(self, step: Step | None) -> bool:
        if step is None:
            return False
        self.query_changed.emit(step.query)
        self._run(step)
        return True

    def _run(self, step: Step) -> None:
        state = self.model_state
        if state is ModelState.FAILED and not self.service.search_ready:
            self._searches.invalidate()
            self._in_flight = False
            self.search_failed.emit(f"Cannot search: {self.model_message}")
            return
        if state is ModelState.LOADING:
            self._queue(step, QUEUED_UNTIL_LOADED)
            return
        if state.busy and self.service.needs_text_model(step.text):
            self._queue(step, self._wait_reason(step, "text"))
            return
        self._pending = None
        if step != self._last_step:  # a new step starts at the first page
            self._limit, self._last_step = self.top_k, step
        self.search_started.emit(step)
        started = time.perf_counter()
        svc, top_k, scope = self.service, self._limit, self.scope
        self._in_flight = True
        self._searches.request(
            lambda: svc.search(step.query, text=step.text, strength=step.strength, top_k=top_k, scope=scope,
                               more_like=step.more_like, less_like=step.less_like),
            lambda results: self._deliver(SearchDone(step, list(results), time.perf_counter() - started,
                                                     scope, top_k)),
            lambda exc: self._failed(step, exc),
        )

    def _queue(self, step: Step, why: str) -> None:
        self._searches.invalidate()
        self._in_flight = False
        self._pending = step
        self.search_queued.emit(why)
        if self._stage0_checked:  # the search waits for a model stage: load it now
            self.load_rest_of_model()

    def _deliver(self, done: SearchDone) -> None:
        self.last, self._in_flight = done, False
        self.results_ready.emit(done)
        if not self._in_flight:  # a search started from results_ready runs first (milliseconds)
            self.load_rest_of_model()

    @staticmethod
    def _wait_reason(step: Step, stage: str) -> str:
        if stage == "text":
            return (f"Search queued: “{step.text}” needs the text model, which is still loading; "
                    "the search runs as soon as it is ready…")
        return (f"Search queued: {step.query.name} is not indexed, so it needs the audio model, which is "
                "still loading; the search runs as soon as it is ready…")

    def _failed(self, step: Step, exc: BaseException) -> None:
        self._in_flight = False
        self.load_rest_of_model()
        if isinstance(exc, ModelNotReadyError):  # the search needs a stage that was not in when it ran
            if self.service.model_ready:  # the audio side came in meanwhile: decide again (never raises this)
                if step == self.history.current:
                    self._run(step)
                return
            if self.model_state is ModelState.STORED_READY:
                self._queue(step, self._wait_reason(step, exc.stage))
                return
            if self.model_state is ModelState.LOADING:
                self._queue(step, QUEUED_UNTIL_LOADED)
                return
            if self.model_state is ModelState.FAILED:
                self.search_failed.emit(f"Cannot search: {self.model_message}")
                return
        self.search_failed.emit(str(exc) or type(exc).__name__)

    @property
    def stale_dropped(self) -> int:
        """How many search answers arrived after a newer search had started (and were dropped)."""
        return self._searches.dropped
