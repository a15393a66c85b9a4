"""Background work for the GUI: run a callable on a thread pool, get result/error/progress on the GUI thread.

Workers never touch widgets: they only emit signals, which Qt queues to the runner living on the
GUI thread; the runner then calls the callbacks there. ``Latest`` drops results of superseded
requests (a newer search, a newer filter) so stale answers never reach the screen.
"""

from __future__ import annotations

import itertools
import logging
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)

ResultFn = Callable[[Any], None]
ErrorFn = Callable[[BaseException], None]


class _Relay(QObject):
    """Carries worker events to the GUI thread (signals are thread-safe to emit)."""

    result = Signal(int, object)
    error = Signal(int, object)
    progress = Signal(int, object)


class _Job(QRunnable):
    def __init__(self, job_id: int, fn: Callable[..., Any], relay: _Relay, with_progress: bool):
        super().__init__()
        self.setAutoDelete(True)
        self._id, self._fn, self._relay, self._with_progress = job_id, fn, relay, with_progress

    def run(self) -> None:
        try:
            if self._with_progress:
                value = self._fn(lambda item: self._relay.progress.emit(self._id, item))
            else:
                value = self._fn()
        except BaseException as exc:  # every failure must reach the GUI, never die silently
            log.debug("background job %d failed:\n%s", self._id, traceback.format_exc())
            self._relay.error.emit(self._id, exc)
        else:
            self._relay.result.emit(self._id, value)


@dataclass
class _Callbacks:
    on_result: ResultFn | None
    on_error: ErrorFn | None
    on_progress: ResultFn | None


class TaskRunner(QObject):
    """Runs callables off the GUI thread; callbacks always run on the GUI thread.

    ``busy_changed(n)`` reports how many jobs are in flight (tests and the status bar use it).
    """

    busy_changed = Signal(int)

    def __init__(self, max_threads: int = 4, parent: QObject | None = None):
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(max_threads)
        self._ids = itertools.count(1)
        self._pending: dict[int, _Callbacks] = {}
        self.closed = False
        self._relay = _Relay()
        self._relay.result.connect(self._on_result)
        self._relay.error.connect(self._on_error)
        self._relay.progress.connect(self._on_progress)

    def submit(
        self,
        fn: Callable[..., Any],
        on_result: ResultFn | None = None,
        on_error: ErrorFn | None = None,
        on_progress: ResultFn | None = None,
    ) -> int:
        """Run ``fn()`` in the pool (``fn(report)`` when on_progress is given); returns a job id (after close(): the
        job is not run)."""
        job_id = next(self._ids)
        if self.closed:
            return job_id
        self._pending[job_id] = _Callbacks(on_result, on_error, on_progress)
        self.pool.start(_Job(job_id, fn, self._relay, on_progress is not None))
        self.busy_changed.emit(len(self._pending))
        return job_id

    @property
    def busy(self) -> int:
        return len(self._pending)

    def close(self) -> None:
        """The window is closing: jobs asked from now on are not run, and answers still queued are not delivered
        (a queued answer's callback started work on a closed service while Python finalized: "Signal source has been
        deleted", "Qt Concurrent has caught an exception thrown from a worker thread")."""
        self.closed = True

    def wait_idle(self, msecs: int = 30_000) -> bool:
        """Block until worker threads finish (shutdown only; callbacks are not delivered)."""
        return self.pool.waitForDone(msecs)

    @Slot(int, object)
    def _on_progress(self, job_id: int, item: object) -> None:
        cb = self._pending.get(job_id)
        if cb and cb.on_progress and not self.closed:
            cb.on_progress(item)

    @Slot(int, object)
    def _on_result(self, job_id: int, value: object) -> None:
        cb = self._finish(job_id)
        if cb and cb.on_result and not self.closed:
            cb.on_result(value)

    @Slot(int, object)
    def _on_error(self, job_id: int, exc: object) -> None:
        cb = self._finish(job_id)
        if cb is None or self.closed:
            return
        if cb.on_error:
            cb.on_error(exc)  # type: ignore[arg-type]
        else:
            log.error("unhandled background error: %s", exc)

    def _finish(self, job_id: int) -> _Callbacks | None:
        cb = self._pending.pop(job_id, None)
        self.busy_changed.emit(len(self._pending))
        return cb


class Latest:
    """Request channel where only the newest request's answer is delivered.

    Each ``request`` gets a sequence number; results (or errors) of older requests that finish
    later are dropped and counted in ``dropped``.
    """

    def __init__(self, runner: TaskRunner):
        self._runner = runner
        self._seq = 0
        self.dropped = 0

    @property
    def seq(self) -> int:
        return self._seq

    def request(self, fn: Callable[[], Any], on_result: ResultFn, on_error: ErrorFn | None = None) -> int:
        self._seq += 1
        seq = self._seq

        def deliver(value: Any) -> None:
            if seq != self._seq:
                self.dropped += 1
                return
            on_result(value)

        def fail(exc: BaseException) -> None:
            if seq != self._seq:
                self.dropped += 1
                return
            if on_error:
                on_error(exc)

        self._runner.submit(fn, deliver, fail)
        return seq

    def invalidate(self) -> None:
        """Forget any in-flight request (its answer will be dropped)."""
        self._seq += 1
