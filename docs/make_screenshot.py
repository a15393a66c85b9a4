"""Screenshot of the main window after a refine step on the demo library, taken under Xvfb.

    python docs/make_screenshot.py            # re-runs itself under xvfb-run when there is no display
    python docs/make_screenshot.py --out /tmp/shot.png --text "add a dog barking"

Uses the shipped heads (assets/nudge_heads.safetensors, or --heads) and a fresh temporary data
dir, so it shows exactly what a first launch shows after typing the modifier and pressing Enter.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEADS = ROOT / "assets" / "nudge_heads.safetensors"


def take(out: Path, heads: Path, text: str, timeout_ms: int) -> int:
    sys.path.insert(0, str(ROOT))
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from app.service import SearchService
    from app.ui.main_window import MainWindow
    from app.ui.settings import Settings

    app = QApplication([sys.argv[0]])
    app.setApplicationName("Nudge")
    with tempfile.TemporaryDirectory() as tmp:
        service = SearchService(Path(tmp), heads_path=heads)
        window = MainWindow(service, Settings(), None)
        window.resize(1360, 860)
        window.show()
        failures: list[str] = []
        state = {"refined": False}

        def on_results(done) -> None:
            if not done.step.text:
                window.query.modifier.setText(text)
                window.query.request_search()
            elif done.step.text == text and done.results and not state["refined"]:
                state["refined"] = True
                window.results.peaks_loaded.connect(lambda: QTimer.singleShot(400, shoot))

        def shoot() -> None:
            window.results.view.setFocus()
            window.results.view.setCurrentIndex(window.results.model.index(0))
            app.processEvents()
            if not window.grab().save(str(out)):
                failures.append(f"could not write {out}")
            window.close()
            app.quit()

        def give_up() -> None:
            failures.append("timed out before the refined results appeared")
            window.close()
            app.quit()

        window.session.results_ready.connect(on_results)
        window.session.search_failed.connect(lambda m: failures.append(m))
        QTimer.singleShot(0, lambda: window.start(offer_demo=True))
        QTimer.singleShot(timeout_ms, give_up)
        app.exec()
        service.close()
    if failures:
        print("screenshot failed:", "; ".join(failures), file=sys.stderr)
        return 1
    print(f"wrote {out}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshot.png")
    parser.add_argument("--heads", type=Path, default=HEADS)
    parser.add_argument("--text", default="add thunder")
    parser.add_argument("--timeout", type=int, default=180, help="seconds")
    args = parser.parse_args(argv)
    if not args.heads.is_file():
        print(f"no trained heads at {args.heads}: train them first (or pass --heads)", file=sys.stderr)
        return 2
    if not os.environ.get("DISPLAY") and not os.environ.get("QT_QPA_PLATFORM"):
        xvfb = shutil.which("xvfb-run")
        if xvfb is None:
            print("no display and no xvfb-run: install xvfb", file=sys.stderr)
            return 2
        cmd = [xvfb, "-a", "-s", "-screen 0 1600x1000x24", sys.executable, __file__, *(argv or sys.argv[1:])]
        return subprocess.call(cmd)
    return take(args.out.resolve(), args.heads.resolve(), args.text, args.timeout * 1000)


if __name__ == "__main__":
    sys.exit(main())
