"""Closing the library while other threads still query it (a search running when the window closes); the library
folder deleted under a running app."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import threading
from pathlib import Path

from app.db import DB_NAME, LibraryDB

ROOT = Path(__file__).resolve().parents[1]

# Threads write and read while the main thread closes the library, many times over. Closing a
# connection another thread is inside crashed the process (segmentation fault, exit code 139).
CLOSE_UNDER_WORK = """
import sys, threading, time
from pathlib import Path
from app.db import LibraryDB

def main(folder):
    for _ in range(60):
        db = LibraryDB(folder)
        stop = threading.Event()
        def work():
            while not stop.is_set():
                with db.transaction() as conn:
                    conn.execute("CREATE TABLE IF NOT EXISTS t (x)")
                    conn.execute("INSERT INTO t VALUES (1)")
                db.conn.execute("SELECT count(*) FROM t").fetchone()
        threads = [threading.Thread(target=work) for _ in range(3)]
        for thread in threads:
            thread.start()
        time.sleep(0.005)
        db.close()
        time.sleep(0.005)
        stop.set()
        for thread in threads:
            thread.join()
    print("closed 60 times")

if __name__ == "__main__":
    main(Path(sys.argv[1]))
"""


def test_closing_while_other_threads_query_does_not_crash(tmp_path):
    script = tmp_path / "close_under_work.py"
    script.write_text(CLOSE_UNDER_WORK)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, str(script), str(tmp_path / "lib")], capture_output=True, text=True,
                          env=env, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "closed 60 times" in done.stdout


def _open_handles(db_file: Path) -> int:
    fds = Path("/proc/self/fd")
    return sum(1 for fd in fds.iterdir() if _target(fd) == str(db_file))


def _target(fd: Path) -> str:
    try:
        return os.readlink(fd)
    except OSError:
        return ""


def test_close_lets_go_of_idle_connections_of_other_threads(tmp_path):
    db = LibraryDB(tmp_path)
    db_file = (tmp_path / DB_NAME).resolve()
    used, release = threading.Event(), threading.Event()

    def idle_after_one_query() -> None:
        db.conn.execute("SELECT 1").fetchone()
        used.set()
        release.wait(30)  # the thread lives on, idle, like a pool thread

    thread = threading.Thread(target=idle_after_one_query)
    thread.start()
    try:
        assert used.wait(30)
        assert _open_handles(db_file) >= 2  # the main thread's connection and the idle thread's
        db.close()
        gc.collect()  # a connection sits in a reference cycle with its statement cache
        assert _open_handles(db_file) == 0
    finally:
        release.set()
        thread.join()


def test_a_library_folder_deleted_under_a_running_app_is_said_to_be_gone(tmp_path, encoder):
    """rm -rf of the data folder while the app runs: every action said the database was damaged and to move it away."""
    import shutil

    import pytest

    from app.errors import LibraryError
    from tests.library_helpers import imported_library

    svc, paths = imported_library(tmp_path, encoder, 2)
    svc.db.close()  # a fresh connection is what the next action opens
    shutil.rmtree(tmp_path / "data")
    with pytest.raises(LibraryError, match="library folder .*data is gone .deleted, moved or unmounted."):
        svc.counts()
