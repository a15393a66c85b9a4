"""The setup script's last step: launching on a headless machine explains and succeeds."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_launch_without_a_display_explains_and_exits_zero():
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    done = subprocess.run(["bash", str(ROOT / "scripts" / "launch.sh")], env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "xvfb-run -a .venv/bin/python main.py" in done.stderr


def test_setup_app_ends_with_the_launch_script():
    lines = [ln.strip() for ln in (ROOT / "scripts" / "setup.sh").read_text().splitlines() if ln.strip()]
    assert lines[-1] == "exec bash scripts/launch.sh"
    assert "exit 1" not in (ROOT / "scripts" / "setup.sh").read_text().split('[ "$mode" = test ]')[-1]


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_launch_with_a_display_says_it_is_starting_the_app():
    """Trials 44 and 47: `setup.sh app` printed only pip's warnings, no line of its own before the window."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(["bash", str(ROOT / "scripts" / "launch.sh"), "--help"], env=env, capture_output=True,
                          text=True, timeout=60, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert "Nudge is installed; starting the app" in done.stderr and "usage: main.py" in done.stdout
