"""Ctrl-C in the long commands (index, evaluate): the first asks the work to stop after the current files (what is
done is kept), a second ends the process at once."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

EXIT_CANCELLED = 130  # the shell's code for a process ended by Ctrl-C


@contextmanager
def cancel_on_sigint() -> Iterator[threading.Event]:
    """First Ctrl-C sets the event (the import or evaluation stops after the current files, work done is kept); a
    second ends the process now: worker processes are terminated and nothing waits for them. Raising
    KeyboardInterrupt instead could land in the worker pool's shutdown and leave the process hanging for good. The
    library stays whole: its database rolls back an unfinished transaction, as after a kill."""
    cancel = threading.Event()

    def handler(signum, frame):
        if cancel.is_set():
            print("\naborted: the files finished before are kept; run the same command again to go on",
                  file=sys.stderr, flush=True)
            children = multiprocessing.active_children()
            for child in children:
                child.terminate()
            for child in children:  # gone before the shell prompt returns (a second or so at most)
                child.join(timeout=2)
            os._exit(EXIT_CANCELLED)
        cancel.set()
        print("\nstopping after the current files (Ctrl-C again to abort)...", file=sys.stderr, flush=True)

    if threading.current_thread() is not threading.main_thread():
        yield cancel
        return
    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield cancel
    finally:
        signal.signal(signal.SIGINT, previous)
