"""Nudge desktop app (PySide6 + pyqtgraph). ``run_gui`` is the entry point main.py calls.

Only this package imports Qt; it talks to the library and the model through app.service.SearchService.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path


def keep_singletons_alive() -> None:
    """Give None, True and False a reference count that cannot run out, as Python 3.12 makes them immortal.

    PySide6 6.12.0's binaries hand back None and True / False without taking a reference (the 3.12+ rule for
    immortal objects): each call of a C++ method returning void drops one reference of None, each
    ``Signal.emit()`` one of True (emit returns True). On CPython 3.11 these are ordinary counts: a long session
    (thousands of emits and calls) ran them down, and Python aborted at quit ("Fatal Python error:
    bool_dealloc" / "none_dealloc", exit 134), or mid-session once a count hit zero. Called when this package is
    imported, before any Qt call (every Qt-using module of the app is in this package). Python >= 3.12: nothing.
    """
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return
    import ctypes

    for singleton in (None, True, False):  # ob_refcnt is the object's first field (Py_ssize_t)
        ctypes.c_ssize_t.from_address(id(singleton)).value += 1 << 40


keep_singletons_alive()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="main.py", description="Nudge desktop app")
    parser.add_argument("--data-dir", type=Path, help="library location (default: $NUDGE_DATA_DIR or user data dir)")
    parser.add_argument("--heads", type=Path, help="model heads file (default: $NUDGE_HEADS or assets/)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log details to stderr")
    parser.add_argument("--no-audio", action="store_true", help="start with playback disabled")
    parser.add_argument("--no-demo", action="store_true", help="do not add the bundled demo library")
    parser.add_argument("query", nargs="?", type=Path, help="a sound file to open as the first query")
    return parser


def run_gui(argv: list[str] | None = None) -> int:
    """Open the main window and run the Qt event loop; returns the exit code."""
    args, qt_args = build_parser().parse_known_args(list(sys.argv[1:] if argv is None else argv))
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s: %(message)s")
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    own_app = QApplication.instance() is None  # else a host's (a test's): it outlives this window
    app = QApplication.instance() or QApplication([sys.argv[0], *qt_args])
    app.setApplicationName("Nudge")
    app.setOrganizationName("Nudge")
    app.setDesktopFileName("nudge")

    from app.errors import NudgeError
    from app.service import SearchService
    from app.ui.main_window import MainWindow
    from app.ui.settings import FILENAME, Settings

    try:
        service = SearchService(data_dir=args.data_dir, heads_path=args.heads)
    except NudgeError as exc:
        QMessageBox.critical(None, "Nudge cannot open its library", str(exc))
        return 1
    settings_path = service.data_dir / FILENAME
    window = MainWindow(service, Settings.load(settings_path), settings_path,
                       audio=not (args.no_audio or os.environ.get("NUDGE_NO_AUDIO")))
    window.show()
    query = args.query.expanduser().absolute() if args.query else None
    # heavy work (pyqtgraph import, library listing, model load) starts once the window is on screen
    started: list[bool] = []

    def start() -> None:
        if not started:
            started.append(True)
            window.start(query, offer_demo=not args.no_demo)

    window.first_painted.connect(lambda: QTimer.singleShot(0, start))
    QTimer.singleShot(1000, start)  # platforms that never report a paint
    restore = close_on_signals(window) if own_app else None
    try:
        return app.exec()
    finally:
        if restore is not None:
            restore()
        service.close()
        _tear_down(app if own_app else None, window)


def close_on_signals(window):
    """SIGTERM (a logout, a shutdown), SIGINT (Ctrl+C in the terminal) and SIGHUP (the terminal closed) close the window
    as Ctrl+Q does, so the session and settings are saved (trials: SIGTERM and SIGHUP lost them, Ctrl+C printed a
    traceback and left the window open). Python runs a signal handler only between its own bytecodes, so a timer
    wakes it while Qt waits. Returns a function that puts the previous handlers back."""
    import signal

    from PySide6.QtCore import QTimer

    def closed(signum, frame) -> None:  # noqa: ARG001 - the handler's signature
        QTimer.singleShot(0, window.close)

    hangup = (signal.SIGHUP,) if hasattr(signal, "SIGHUP") else ()  # the terminal closed (no SIGHUP on Windows)
    previous = {sig: signal.signal(sig, closed) for sig in (signal.SIGTERM, signal.SIGINT, *hangup)}
    wake = QTimer(window)
    wake.timeout.connect(lambda: None)
    wake.start(250)

    def restore() -> None:
        wake.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)

    return restore


def _tear_down(app, window) -> None:
    """Destroy the window, and the application when run_gui made it (``app``; None: a host's, left alone), before
    Python finalizes (the references PySide6 6.12 runs down are made safe by keep_singletons_alive; this keeps the
    teardown in a known order)."""
    import gc

    from PySide6.QtWidgets import QApplication

    window.deleteLater()
    QApplication.processEvents()
    gc.collect()
    if app is not None:
        app.shutdown()


__all__ = ["run_gui"]
