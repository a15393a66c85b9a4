"""Crash safety: kill -9 (and Ctrl-C) an import running in its own process, then resume it."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from app.db import DB_NAME, LibraryDB
from app.service import SearchService
from tests.library_helpers import make_clips

ROOT = Path(__file__).resolve().parents[1]
N_CLIPS = 40
pytestmark = [pytest.mark.slow, pytest.mark.skipif(os.name != "posix", reason="POSIX signals and /proc")]


@pytest.fixture(scope="module")
def clips(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("kill") / "lib"
    make_clips(folder, N_CLIPS, seconds=10.0)
    return folder


def start_import(data: Path, folder: Path, heads: Path) -> subprocess.Popen:
    env = os.environ | {"NUDGE_HEADS": str(heads)}
    cmd = [sys.executable, "main.py", "--data-dir", str(data), "index", str(folder), "--workers", "2",
           "--commit-every", "2"]
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)


def wait_for_committed(proc: subprocess.Popen, data: Path, at_least: int, timeout: float = 120.0) -> int:
    """Poll the database (read-only, as another process would) until some files are committed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"import ended before it could be interrupted: {proc.communicate()}"
        try:
            with sqlite3.connect(f"file:{data / DB_NAME}?mode=ro", uri=True) as conn:
                n = conn.execute("SELECT COUNT(*) FROM files WHERE status = 'ok'").fetchone()[0]
            if n >= at_least:
                return n
        except sqlite3.OperationalError:
            pass  # not created yet
        time.sleep(0.02)
    raise AssertionError("import made no progress")


def read_stderr_until(proc: subprocess.Popen, marker: bytes, timeout: float = 30.0) -> bytes:
    """What the process wrote on stderr up to and including ``marker`` (read as it comes)."""
    import select

    seen = b""
    deadline = time.monotonic() + timeout
    while marker not in seen:
        left = deadline - time.monotonic()
        assert left > 0 and proc.poll() is None, f"no {marker!r} on stderr: {seen!r}"
        if select.select([proc.stderr], [], [], min(left, 0.5))[0]:
            seen += os.read(proc.stderr.fileno(), 4096)
    return seen


def session_processes(sid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[3]) == sid and fields[0] != "Z":
                out.append(int(entry.name))
    return out


def check_consistent(data: Path, encoder) -> int:
    """Every indexed file points at a committed, correct vector; returns the number indexed."""
    lib = LibraryDB(data)
    rows = lib.conn.execute("SELECT path, vector_row, norm FROM files WHERE status = 'ok'").fetchall()
    dim, filename, committed = lib.conn.execute("SELECT dim, filename, rows FROM vector_stores").fetchone()
    assert len({r[1] for r in rows}) == len(rows) and all(r[1] < committed for r in rows)
    assert (data / filename).stat().st_size >= committed * dim * 4
    vectors = np.memmap(data / filename, dtype=np.float32, mode="r", shape=(committed, dim))
    for path, row, norm in rows[:: max(1, len(rows) // 4)]:
        np.testing.assert_allclose(vectors[row] * norm, encoder.embed_file(os.fsdecode(path)), rtol=1e-4, atol=1e-5)
    lib.close()
    return len(rows)


def resume_and_check(data: Path, folder: Path, encoder, done_before: int) -> None:
    svc = SearchService(data, encoder=encoder)
    svc.config.workers = 0
    report = svc.import_folders()
    assert report.added == N_CLIPS - done_before and report.unchanged == done_before and not report.cancelled
    counts = svc.db.conn.execute("SELECT COUNT(*), COUNT(DISTINCT path), COUNT(DISTINCT vector_row) FROM files "
                                 "WHERE status = 'ok'").fetchone()
    assert counts == (N_CLIPS, N_CLIPS, N_CLIPS)  # all files, no duplicates
    assert check_consistent(data, encoder) == N_CLIPS
    assert len(svc.search(folder / "clip_000.wav", top_k=100)) == N_CLIPS - 1
    svc.close()


def test_kill_9_during_import_then_resume(tmp_path, clips, heads_path, encoder):
    proc = start_import(tmp_path / "data", clips, heads_path)
    try:
        wait_for_committed(proc, tmp_path / "data", at_least=4)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        deadline = time.monotonic() + 10
        while session_processes(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert session_processes(proc.pid) == [], "worker processes outlived the killed import"
    finally:
        if proc.poll() is None or session_processes(proc.pid):
            os.killpg(proc.pid, signal.SIGKILL)
    done = check_consistent(tmp_path / "data", encoder)
    assert 4 <= done < N_CLIPS
    resume_and_check(tmp_path / "data", clips, encoder, done)


def test_ctrl_c_stops_cleanly_then_resume(tmp_path, clips, heads_path, encoder):
    proc = start_import(tmp_path / "data", clips, heads_path)
    try:
        wait_for_committed(proc, tmp_path / "data", at_least=2)
        os.kill(proc.pid, signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 130, err.decode()
    assert b"cancelled" in out and b"stopping after the current files" in err
    done = check_consistent(tmp_path / "data", encoder)
    assert 2 <= done < N_CLIPS
    resume_and_check(tmp_path / "data", clips, encoder, done)


def test_a_second_ctrl_c_ends_the_import_at_once_and_keeps_what_was_done(tmp_path, heads_path, encoder):
    """A trial's impatient second Ctrl-C (to the whole process group, as a terminal sends it) while long files were
    being finished raised KeyboardInterrupt inside the worker pool's shutdown: a traceback, and the process hung."""
    from tests.helpers import write_wav
    from tests.library_helpers import clip

    folder = tmp_path / "takes"
    for i in range(6):
        write_wav(folder / f"take_{i}.wav", np.concatenate([clip(i, 10.0, 16_000) for _ in range(12)]), 16_000)
    data = tmp_path / "data"
    proc = start_import(data, folder, heads_path)
    try:
        wait_for_committed(proc, data, at_least=2)
        os.killpg(proc.pid, signal.SIGINT)
        # the second comes once the first was taken (its message shown, as a user sees it): two signals that reach
        # a busy process before its handler runs are one signal to Python (a loaded CI machine saw that once)
        said = read_stderr_until(proc, b"stopping after the current files")
        assert proc.poll() is None, "the first Ctrl-C ended the import before the second came: files too short"
        os.killpg(proc.pid, signal.SIGINT)
        _, rest = proc.communicate(timeout=30)
        err = said + rest
    finally:
        if proc.poll() is None or session_processes(proc.pid):
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 130 and b"aborted: the files finished before are kept" in err, err.decode()
    assert b"Traceback" not in err and not session_processes(proc.pid)  # no worker left behind
    done = check_blocks(data, encoder)
    assert 2 <= done < 6
    svc = SearchService(data, encoder=encoder)
    svc.config.workers = 0
    assert svc.import_folders().added == 6 - done
    svc.close()


def check_blocks(data: Path, encoder, sample: int = 2) -> int:
    """Every indexed file's block (whole-file row, then windows) is committed, disjoint from the others and
    holds that file's vectors; returns the number of files with windows."""
    from model.compose import l2_normalize

    lib = LibraryDB(data)
    rows = lib.conn.execute("SELECT path, vector_row, segments FROM files WHERE status = 'ok' ORDER BY vector_row"
                            ).fetchall()
    dim, filename, committed = lib.conn.execute("SELECT dim, filename, rows FROM vector_stores").fetchone()
    ends = [row + 1 + segments for _, row, segments in rows]
    assert all(end <= committed for end in ends)
    assert all(ends[i] <= rows[i + 1][1] for i in range(len(rows) - 1))  # blocks do not overlap
    vectors = np.memmap(data / filename, dtype=np.float32, mode="r", shape=(committed, dim))
    for path, row, segments in rows[:sample]:
        seg = encoder.features.segments_from_file(os.fsdecode(path))
        assert segments == len(seg.windows) > 0
        expected = l2_normalize(encoder.project_audio(np.vstack([seg.whole[None], seg.windows])))
        np.testing.assert_allclose(vectors[row : row + 1 + segments], expected, rtol=1e-4, atol=1e-5)
    lib.close()
    return sum(1 for _, _, segments in rows if segments)


def test_kill_9_with_long_files_keeps_whole_blocks(tmp_path, heads_path, encoder):
    from tests.helpers import write_wav
    from tests.library_helpers import clip

    folder = tmp_path / "takes"
    takes = 20  # enough that the workers cannot embed them all before the first commits land (CI saw all 8 of 8
    # committed before the kill, on an idle machine)
    for i in range(takes):
        write_wav(folder / f"take_{i}.wav", np.concatenate([clip(i, 8.0, 16_000) for _ in range(5)]), 16_000)
    data = tmp_path / "data"
    proc = start_import(data, folder, heads_path)  # commits every 2 files, each a block of 1 + 7 rows
    try:
        wait_for_committed(proc, data, at_least=2)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None or session_processes(proc.pid):
            os.killpg(proc.pid, signal.SIGKILL)
    done = check_blocks(data, encoder)
    assert 2 <= done < takes
    svc = SearchService(data, encoder=encoder)
    svc.config.workers = 0
    report = svc.import_folders()
    assert report.added == takes - done and report.unchanged == done
    assert check_blocks(data, encoder, sample=8) == takes
    assert len(svc.search(folder / "take_0.wav", top_k=takes)) == takes - 1  # every other take, once
    svc.close()
