"""The app's first search with words alone, in a library imported before: the words typed a few seconds after the
window opens, with no query sound, and the next ones.

    python -m bench.bench_first_words                 # the demo clips as the library, 3 runs each way
    python -m bench.bench_first_words --library DIR   # another folder (imported once into a temporary data dir)

Each run is a new process (``run_gui``, offscreen): the window opens on the library, the model loads, and WAIT
seconds after it is in, "car horn" is searched on its own, then "dog barking" and "thunder". Printed: the median
seconds from asking to results for the first search and for the later ones, with the app's warm-up after the model
loads (service.warm_up) and without it (--cold's runs), and their ratio (trial 58: the first took 14.6 s on a
loaded machine, later ones 1-2 s).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORDS = ("car horn", "dog barking", "thunder")


def child(out: Path, data_dir: Path, cold: bool, wait: float) -> int:
    """Runs inside the measured process: the app on ``data_dir``, the words searched once the model is in."""
    sys.path.insert(0, str(ROOT))
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from app.service import SearchService
    from app.ui.main_window import MainWindow

    if cold:  # the app as it was before the warm-up
        SearchService.warm_up = lambda self: None
    app = QApplication([sys.argv[0]])
    seconds: list[float] = []
    window: list[MainWindow] = []

    def ask(k: int) -> None:
        if k >= len(WORDS):
            out.write_text(json.dumps(seconds))
            app.quit()
            return
        w = window[0]
        started = time.perf_counter()

        def done(*_args) -> None:
            w.words_results_ready.disconnect(done)
            seconds.append(time.perf_counter() - started)
            QTimer.singleShot(1000, lambda: ask(k + 1))

        w.words_results_ready.connect(done)
        w.query.modifier.setText(WORDS[k])
        w.find_alone(WORDS[k])

    def hook() -> None:
        found = [t for t in app.topLevelWidgets() if isinstance(t, MainWindow)]
        if not found:
            QTimer.singleShot(50, hook)
            return
        window.append(found[0])
        s = found[0].session
        if s.service.model_ready:
            QTimer.singleShot(int(wait * 1000), lambda: ask(0))
        else:
            s.model_state_changed.connect(lambda state, _: state.value == "ready" and QTimer.singleShot(
                int(wait * 1000), lambda: ask(0)))

    QTimer.singleShot(0, hook)
    QTimer.singleShot(180_000, app.quit)
    from app.ui import run_gui

    return run_gui(["--data-dir", str(data_dir), "--no-audio"])


def launch(data_dir: Path, cold: bool, wait: float) -> list[float]:
    with tempfile.TemporaryDirectory() as tmp:
        run_dir, out = Path(tmp) / "data", Path(tmp) / "seconds.json"
        shutil.copytree(data_dir, run_dir)  # every run from the same state (no session, no settings)
        env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
        cmd = [sys.executable, "-m", "bench.bench_first_words", "--child", str(out), str(run_dir),
               "1" if cold else "0", str(wait)]
        subprocess.run(cmd, env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return json.loads(out.read_text()) if out.is_file() else []


def imported(library: Path, into: Path) -> Path:
    """A data dir holding ``library`` imported, no app settings (no last session to restore)."""
    from app.service import SearchService

    with SearchService(into) as svc:
        svc.import_folders([library])
    return into


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--library", type=Path, default=None, help="a folder of sounds (default: the demo clips)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--wait", type=float, default=3.0, help="seconds after the model is in before typing")
    ap.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        return child(Path(args.child[0]), Path(args.child[1]), args.child[2] == "1", float(args.child[3]))
    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory() as tmp:
        if args.library is None:
            from app.demo import ensure_demo_library
            from app.service import SearchService

            with SearchService(Path(tmp) / "data") as svc:
                ensure_demo_library(svc)
            data = Path(tmp) / "data"
        else:
            data = imported(args.library, Path(tmp) / "data")
        for settings in data.glob("ui_settings*"):
            settings.unlink()
        rows = {"warm-up": [], "cold": []}
        for _ in range(args.runs):  # the two ways in turn, so a change of load weighs on both
            for name in rows:
                rows[name].append(launch(data, name == "cold", args.wait))
    print(f"library: {args.library or 'the demo clips'}; words typed {args.wait:.1f} s after the model is in; "
          f"{args.runs} runs each, load average {os.getloadavg()[0]:.1f} at the end")
    first = {}
    for name, runs in rows.items():
        done = [r for r in runs if len(r) == len(WORDS)]
        if not done:
            print(f"  {name}: no run finished")
            continue
        first[name] = statistics.median(r[0] for r in done)
        later = statistics.median(x for r in done for x in r[1:])
        print(f"  {name:8s} first \"{WORDS[0]}\" {first[name]:.2f} s, later ones {later:.2f} s (median)")
    if len(first) == 2 and first["warm-up"] > 0:
        print(f"  cold / warm-up, first search: {first['cold'] / first['warm-up']:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
