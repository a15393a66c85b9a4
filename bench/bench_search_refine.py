"""The refine loop through the app's search: simulated sessions on a pairs CSV, as a user runs them in Nudge.

    python -m bench.bench_search_refine data/ood/rain/pairs.csv data/ood/traffic/pairs.csv [--json OUT.json]

Each CSV's clips a and b are imported as one library (symbolic links in a temporary folder). A session starts from a
pair's clip a and wants its clip b. At each step the simulated user states one remaining difference (the pair's
words as the app reads them into edits, stated in turn: edit 1, edit 2, edit 1, ...; a one-edit pair restates
its edit), searches as the app does after promoting a result (SearchService.search with the session's earlier
steps, app.rerank.EarlierSteps), and succeeds when b is among the first 10 results. Otherwise the user promotes the
result among the 10 that sounds closest to b, judged by YAMNet's pooled features (an "ear" independent of the
trained heads, as training.refine_bench's), and goes on. The audio-only loop is the same with no words. Printed per
CSV and pooled: the share of sessions that reach b within 1..4 steps, text loop (audio-only loop).
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import numpy as np

from app.config import IndexConfig
from app.rerank import EarlierSteps
from app.service import SearchService
from bench.bench_search_pairs import config_of, link_files, pair_paths, pair_set_arguments, read_rows, run_per_csv

MAX_STEPS = 4
TOP = 10


def unit(vector: np.ndarray) -> np.ndarray:
    vector = np.asarray(vector, dtype=np.float64).ravel()
    return vector / max(float(np.linalg.norm(vector)), 1e-12)


def run_session(service: SearchService, start: Path, target: Path, steps: list[str], ear: dict[Path, np.ndarray]
                ) -> int:
    """The first step (1-based) whose first TOP results hold ``target``; 0 = not within MAX_STEPS. ``steps``: the
    words stated in turn (empty: the audio-only loop)."""
    current, session = start, None
    for step in range(1, MAX_STEPS + 1):
        words = steps[(step - 1) % len(steps)] if steps else ""
        results = [Path(r.path) for r in service.search(current, words, top_k=TOP, earlier=session)]
        if target in results:
            return step
        known = [r for r in results if r in ear]
        if not known:
            return 0
        session = (session or EarlierSteps(start)).then(words)  # promoting a result keeps the session's words
        current = max(known, key=lambda r: float(ear[r] @ ear[target]))
    return 0


def run_csv(csv_path: Path, limit: int = 0, config: IndexConfig | None = None) -> list[dict]:
    rows, base = read_rows(csv_path, limit), csv_path.parent
    with tempfile.TemporaryDirectory(prefix="nudge_search_refine_") as tmp:
        library = Path(tmp) / "library"
        library.mkdir()
        links = link_files((clip for row in rows for clip in pair_paths(row, base)), library)  # every a and b
        service = SearchService(Path(tmp) / "data", config=config or IndexConfig())
        try:
            service.load_model()
            service.import_folders([library])
            extractor = service.encoder.features
            ear = {link: unit(extractor.from_file(link)) for link in links.values()}
            out = []
            for row in rows:
                a, b = pair_paths(row, base)
                steps = service.modifier_edits(row["text"]) or [row["text"]]
                out.append({"pair_id": row.get("pair_id", ""), "edits": len(steps),
                            "text": run_session(service, links[a], links[b], steps, ear),
                            "audio": run_session(service, links[a], links[b], [], ear)})
        finally:
            service.close()
    return out


def within(found: list[int]) -> str:
    n = max(1, len(found))
    return " / ".join(f"{sum(1 <= f <= k for f in found) / n:.3f}" for k in range(1, MAX_STEPS + 1))


def summary(name: str, sessions: list[dict]) -> str:
    return (f"{name}: {len(sessions)} sessions, target in the top {TOP} within 1 / 2 / 3 / 4 steps: text loop "
            f"{within([s['text'] for s in sessions])} (audio-only loop {within([s['audio'] for s in sessions])})")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    pair_set_arguments(ap)
    ap.add_argument("--limit", type=int, default=0, help="only the first N pairs of each CSV (0: all)")
    ap.add_argument("--json", type=Path, default=None, help="write every session's steps here")
    args = ap.parse_args(argv)
    config = config_of(args)
    run_per_csv(args.csv, lambda path: run_csv(path, args.limit, config), summary, args.json)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
