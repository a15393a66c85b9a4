"""Quitting the app ends the process cleanly: the real entry point (app.ui.run_gui) in a child process, with the
demo library searched and its waveforms shown, then the window closed as a user closes it.

Before the window and the application were torn down explicitly, Python aborted at exit in 3 runs of 4 under
Xvfb and in every run offscreen ("Fatal Python error: bool_dealloc"), after settings were saved."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SCRIPT = """
import sys
sys.path.insert(0, {root!r})
from PySide6.QtCore import QTimer
import app.ui as ui
from app.ui.main_window import MainWindow

start = MainWindow.start


def start_then_close(self, *args, **kwargs):
    start(self, *args, **kwargs)
    self.startup_done.connect(lambda: QTimer.singleShot(2500, self.close))  # the first query searched and shown
    QTimer.singleShot(60000, self.close)  # never hang the test


MainWindow.start = start_then_close
code = ui.run_gui(["--data-dir", sys.argv[1], "--no-audio"])
print("run_gui returned", code, flush=True)
sys.exit(code)
"""


def test_the_app_quits_without_a_crash_after_a_search(tmp_path):
    script = tmp_path / "quit.py"
    script.write_text(SCRIPT.format(root=str(ROOT)))
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "NUDGE_NO_AUDIO": "1"}
    for run in range(2):
        done = subprocess.run([sys.executable, str(script), str(tmp_path / f"data{run}")], env=env, cwd=ROOT,
                              capture_output=True, text=True, timeout=180)
        assert "run_gui returned 0" in done.stdout, done.stderr[-2000:]
        assert done.returncode == 0 and "Fatal Python error" not in done.stderr, done.stderr[-2000:]
