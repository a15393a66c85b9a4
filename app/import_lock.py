"""One writer per library: the import lock a second import (another window, the CLI) meets, and whether one holds
it now (``status`` says an import runs; the app does not try to resume it)."""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

from app.errors import ImportBusy, LibraryError, describe_path

LOCK_NAME = "import.lock"


@contextmanager
def import_lock(data_dir: Path):
    """One writer per library: a second import (another window, the CLI) gets a clear error."""
    path = Path(data_dir) / LOCK_NAME
    try:
        handle = os.fdopen(os.open(path, os.O_RDWR | os.O_CREAT, 0o600), "r+b")
    except OSError as exc:
        raise LibraryError(f"cannot change the library in {describe_path(data_dir)}: {exc.strerror or exc}. "
                           "Check that the folder is writable (and the disk not full).") from exc
    try:
        try:
            if os.name == "nt":
                import msvcrt

                msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            raise ImportBusy(f"another import is already updating the library in {data_dir} (the command line, or "
                               "a second Nudge): try again once it has finished") from exc
        yield
    finally:
        handle.close()  # closing releases the lock (also when the process dies)


def import_running(data_dir: Path) -> bool:
    """Whether an import (this process's or another's) holds the library's import lock now; the lock is tried and
    let go at once. False when the lock file cannot be opened (a read-only library: nothing imports there)."""
    try:
        with import_lock(data_dir):
            return False
    except ImportBusy:
        return True
    except LibraryError:
        return False
