"""A long session does not run down the references of None, True and False (app.ui.keep_singletons_alive).

PySide6 6.12.0 hands None (a C++ method returning void) and True (``Signal.emit()``) back without a reference of
their own, the rule of Python >= 3.12 where they are immortal. On CPython 3.11 each such call drops one reference:
after a long GUI session (thousands of emits and calls) Python aborted at quit with "Fatal Python error:
bool_dealloc" (or "none_dealloc"), exit 134, in 3 runs of 3 of a tester's driver. The child process here makes the
same calls a long session makes, in a few thousand repetitions, then ends as the app ends: through Python's
finalization."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SCRIPT = """
import sys
sys.path.insert(0, {root!r})
import app.ui  # noqa: F401 - the app's Qt package: importing it guards the singletons
from PySide6.QtCore import QObject, QPoint, Signal


class Emitter(QObject):
    changed = Signal(int)
    flag = Signal(bool)


emitter, point = Emitter(), QPoint()
emitter.changed.connect(lambda value: None)
emitter.flag.connect(lambda value: None)
for i in range({n}):
    emitter.changed.emit(i)  # returns True without a reference of its own
    emitter.flag.emit(i % 2 == 0)
    point.setX(i)  # void: returns None without a reference of its own
print("left", sys.getrefcount(True) > 1, sys.getrefcount(None) > 1, flush=True)
"""


def test_emits_and_void_calls_do_not_abort_python_at_exit(tmp_path):
    script = tmp_path / "emits.py"
    script.write_text(SCRIPT.format(root=str(ROOT), n=20_000))
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, str(script)], env=env, cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert "Fatal Python error" not in done.stderr, done.stderr[-2000:]
    assert done.returncode == 0 and "left True True" in done.stdout, (done.returncode, done.stderr[-2000:])


def test_the_counts_have_room_for_a_long_session():
    import app.ui

    app.ui.keep_singletons_alive()  # a second call only adds room
    if sys.version_info >= (3, 12):  # immortal there
        return
    for singleton in (None, True, False):
        assert sys.getrefcount(singleton) > 1 << 39
