"""Screenshot of the main window after a refine step on the demo library, taken under Xvfb.

    python docs/make_screenshot.py            # re-runs itself under xvfb-run when there is no display
    python docs/make_screenshot.py --out /tmp/shot.png --text "add a dog barking"
    python docs/make_screenshot.py --long-file   # docs/long_file_result.png: a moment of a long take

Uses the shipped heads (assets/nudge_heads.safetensors, or --heads) and a fresh temporary data
dir, so it shows exactly what a first launch shows after typing the modifier and pressing Enter.
--long-file builds a temporary library instead: the demo clips and a 10-minute rain take made of them
with thunder from 6:00 to 6:11.5 (the two thunder clips used there are left out of the library); the query
rain_02.ogg + "add thunder" is searched and the long take's result (its moment shaded) is selected.
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
sys.path.insert(0, str(ROOT))
from bench.long_take_library import LONG_TAKE, build_long_library  # noqa: E402


def take(out: Path, heads: Path, text: str, timeout_ms: int, long_file: bool = False) -> int:
    sys.path.insert(0, str(ROOT))
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from app.service import SearchService
    from app.ui.main_window import MainWindow
    from app.ui.settings import Settings

    app = QApplication([sys.argv[0]])
    app.setApplicationName("Nudge")
    with tempfile.TemporaryDirectory() as tmp:
        service = SearchService(Path(tmp) / "data", heads_path=heads)
        query = None
        if long_file:
            library, query = build_long_library(Path(tmp) / "library")
            report = service.import_folders([library])
            print(f"imported {report.added} files ({report.seconds:.1f} s)")
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
            results = window.results.model.rows
            row = next((i for i, r in enumerate(results) if r.path.name == LONG_TAKE), None) if long_file else 0
            if row is None:
                failures.append(f"{LONG_TAKE} is not among the {len(results)} results")
                row = 0
            else:
                r = results[row]
                where = "the whole file" if r.end is None else f"the moment {r.start:.1f}-{r.end:.1f} s"
                match = r.score if r.match is None else r.match
                print(f"{r.path.name}: rank {r.rank}, score {r.score:.3f} (match {match:.3f}), {where}")
            window.results.view.setFocus()
            window.results.select_row(row)
            window.results.view.scrollTo(window.results.model.index(row, 0))
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
        QTimer.singleShot(0, lambda: window.start(query, offer_demo=not long_file))
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
    parser.add_argument("--out", type=Path, default=None,
                        help="default: docs/screenshot.png, with --long-file docs/long_file_result.png")
    parser.add_argument("--heads", type=Path, default=HEADS)
    parser.add_argument("--text", default="add thunder")
    parser.add_argument("--long-file", action="store_true",
                        help="a temporary library with a 10-minute take; its result's moment is shown")
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
    out = args.out or ROOT / "docs" / ("long_file_result.png" if args.long_file else "screenshot.png")
    return take(out.resolve(), args.heads.resolve(), args.text, args.timeout * 1000, args.long_file)


if __name__ == "__main__":
    sys.exit(main())
