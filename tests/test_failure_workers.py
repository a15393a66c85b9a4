"""Failure cases of the import's worker processes (issue 15): a dying worker, a hanging file,
the importer killed, onnxruntime telemetry."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.embed_pool import FeaturePool
from tests import worker_tasks
from tests.library_helpers import make_clips
from tests.test_kill_import import session_processes, start_import, wait_for_committed

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="POSIX signals and /proc")


def files(tmp_path, names):
    for name in names:
        (tmp_path / name).write_bytes(b"x")
    return [str(tmp_path / n) for n in names]


def test_a_dying_worker_fails_its_file_and_the_import_goes_on(tmp_path):
    names = [f"ok_{i}.wav" for i in range(9)]
    names.insert(4, "crash_me.wav")
    with FeaturePool(workers=2, batch=3, task=worker_tasks.marker_batch) as pool:
        results = {os.path.basename(r.path): r for r in pool.map(files(tmp_path, names))}
        assert pool.restarts >= 1
    assert sorted(results) == sorted(names)
    assert "crashed the worker process" in results["crash_me.wav"].error
    assert all(results[n].features is not None for n in names if n != "crash_me.wav")


def test_a_hanging_file_times_out(tmp_path):
    names = ["a.wav", "hang.wav", "b.wav", "stuck.wav", "c.wav"]
    started = time.monotonic()
    with FeaturePool(workers=2, batch=1, timeout=1.0, stall_grace=2.0, task=worker_tasks.marker_batch) as pool:
        results = {os.path.basename(r.path): r for r in pool.map(files(tmp_path, names))}
    assert time.monotonic() - started < 60
    assert "stopped after 1 s" in results["hang.wav"].error  # the worker's own timer
    assert "did not finish" in results["stuck.wav"].error  # the importer killed the worker
    assert all(results[n].features is not None for n in ("a.wav", "b.wav", "c.wav"))


def test_workers_see_telemetry_off(tmp_path):
    with FeaturePool(workers=1, task=worker_tasks.environment) as pool:
        assert [r.error for r in pool.map(files(tmp_path, ["a.wav"]))] == ["1"]


def test_no_telemetry_files_after_an_import(tmp_path, heads_path):
    make_clips(tmp_path / "lib", 8)
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("XDG_CACHE_HOME", "ORT_DISABLE_TELEMETRY")}
    env |= {"HOME": str(home), "NUDGE_HEADS": str(heads_path)}
    cmd = [sys.executable, "main.py", "--data-dir", str(tmp_path / "data"), "index", str(tmp_path / "lib"),
           "--workers", "2"]
    subprocess.run(cmd, cwd=ROOT, env=env, check=True, capture_output=True, timeout=300)
    found = sorted(str(p.relative_to(home)) for p in home.rglob("*"))
    assert not [p for p in found if "Microsoft" in p or "onnxruntime" in p], found


@pytest.mark.slow
def test_workers_exit_when_the_killed_importer_is_not_reaped(tmp_path, heads_path):
    make_clips(tmp_path / "lib", 40, seconds=10.0)
    proc = start_import(tmp_path / "data", tmp_path / "lib", heads_path)
    try:
        wait_for_committed(proc, tmp_path / "data", at_least=2)
        os.kill(proc.pid, signal.SIGKILL)  # and no wait(): the importer stays a zombie
        deadline = time.monotonic() + 10
        while [p for p in session_processes(proc.pid) if p != proc.pid] and time.monotonic() < deadline:
            time.sleep(0.1)
        left = [p for p in session_processes(proc.pid) if p != proc.pid]
        assert left == [], "workers or forkserver outlived the killed, unreaped import"
    finally:
        if session_processes(proc.pid):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
