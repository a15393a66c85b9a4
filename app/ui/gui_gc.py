"""Python's cycle collector run on the GUI thread only.

The collector runs in whichever thread allocates when a generation's threshold is crossed, often a search or import
worker. A cycle it frees there that holds a Qt object (a window, menu or dialog closed, whose Python wrapper a lambda
slot refers back to) is then destroyed off the GUI thread, and Qt can crash: a full test run died so (a segmentation
fault while a worker read metadata, "Garbage-collecting"). While a main window is open, automatic collection is off
and a timer on the GUI thread collects each generation as its threshold is crossed, as the automatic collector would.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 500  # how often the GUI thread looks at the collector's counts

_holders = 0  # open windows that turned automatic collection off (nested in tests)
_was_enabled = True


class _Hold:
    """One started collector's hold on automatic collection, let go once (stopped, or destroyed unstopped)."""

    def __init__(self) -> None:
        global _holders, _was_enabled
        if _holders == 0:
            _was_enabled = gc.isenabled()
        _holders += 1
        gc.disable()
        self.held = True

    def release(self, *_: object) -> None:
        global _holders
        if not self.held:
            return
        self.held = False
        _holders -= 1
        if _holders == 0:
            gc.collect()
            if _was_enabled:
                gc.enable()


class GuiThreadCollector(QObject):
    """Turns automatic collection off while it is started and collects on its parent's (GUI) thread instead."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.timeout.connect(collect_due)
        self._hold: _Hold | None = None

    @property
    def started(self) -> bool:
        return self._hold is not None and self._hold.held

    def start(self) -> None:
        if self.started:
            return
        self._hold = _Hold()
        self.destroyed.connect(self._hold.release)  # a window deleted without being closed lets go too
        self._timer.start(INTERVAL_MS)

    def stop(self) -> None:
        """Automatic collection back as it was when the first collector started (after a last collection here)."""
        if self._hold is not None:
            self._timer.stop()
            self._hold.release()


def collect_due() -> int:
    """Collect the generations whose thresholds are crossed, as the automatic collector would; objects freed."""
    counts, thresholds = gc.get_count(), gc.get_threshold()
    freed = 0
    for generation in range(3):
        if counts[generation] <= thresholds[generation]:
            break
        freed += gc.collect(generation)
    return freed
