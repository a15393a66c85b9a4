"""What the moment-by-moment reranking (app.rerank) costs a search: latency with it on and off, cold and warm.

    python -m bench.bench_rerank [--runs 3] [--pairs assets/demo_library/demo_pairs.csv] [--heads FILE] [--rerank FILE]

The library is the bundled demo (36 sounds), installed from its precomputed vectors into a temporary data dir
(as the app installs it). Each pair of the pairs CSV whose words read as edits ("add thunder", "make the rain
louder", ...) is searched with its query file and words, top 10, through SearchService.search:

  off    the setting off: cosine order alone (what search cost before)
  cold   on, the evidence emptied before each search, in memory and in the library database (app.db_evidence):
         the query and its first K candidates are decoded and run through YAMNet (files never reranked before)
  kept   on, the memory emptied but the database's kept evidence left: what a new process (a CLI search, the app
         started again) pays for files reranked before
  warm   on, the same search again: every candidate's evidence in memory (paging, refining the strength, ...)
  carry  as kept, from a promoted result: one earlier step's edit ("add a dog barking") carried, read against the
         session's first clip (another demo file) as well (app.rerank.EarlierSteps)

Each search is timed --runs times; medians over all searches are printed, with on / off ratios. Which pairs' target
comes first is printed too, as a sanity check of the wiring (the demo pairs are no held-out set).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.demo import ensure_demo_library  # noqa: E402
from app.evaluate import Pair, read_pairs  # noqa: E402
from app.service import EarlierSteps, SearchService  # noqa: E402
from model.modifier_parser import parse_modifier  # noqa: E402

TOP = 10


def timed(svc: SearchService, pair: Pair, rerank: bool, cold: bool, kept: bool = False,
          earlier: EarlierSteps | None = None) -> tuple[float, list[Path]]:
    svc.config.aligned_rerank = rerank
    if cold or kept:
        svc._rerank.cache.clear()  # a measurement: the evidence in memory as a fresh service has it
    if cold:
        with svc.db.transaction() as conn:
            conn.execute("DELETE FROM patch_evidence")
    start = time.perf_counter()
    results = svc.search(pair.query, pair.text, top_k=TOP, earlier=earlier)
    return time.perf_counter() - start, [r.path for r in results]


def run(pairs_csv: Path, runs: int, heads: Path | None, rerank: Path | None = None) -> None:
    pairs = [p for p in read_pairs(pairs_csv) if parse_modifier(p.text).edits]
    with (tempfile.TemporaryDirectory() as tmp,
          SearchService(Path(tmp) / "data", heads_path=heads, rerank_weights=rerank) as svc):
        status = ensure_demo_library(svc)
        if status.needs_import:  # vectors of other heads: embed the folder instead
            svc.import_folders([status.folder])
        print(f"library: {svc.counts().indexed} demo sounds; {len(pairs)} searches with edits, top {TOP}; "
              f"cores: {os.cpu_count()}; load average before: {os.getloadavg()[0]:.2f}")
        print(svc.rerank_status)
        for pair in pairs:  # warm-up: the model, the words' embeddings, the snapshot
            timed(svc, pair, rerank=False, cold=False)
        times: dict[str, list[float]] = {"off": [], "cold": [], "kept": [], "warm": [], "carry": []}
        firsts = {"off": 0, "on": 0}
        for _ in range(runs):
            for pair in pairs:
                seconds, plain = timed(svc, pair, rerank=False, cold=False)
                times["off"].append(seconds)
                seconds, _ = timed(svc, pair, rerank=True, cold=True)
                times["cold"].append(seconds)
                seconds, _ = timed(svc, pair, rerank=True, cold=False, kept=True)
                times["kept"].append(seconds)
                seconds, reranked = timed(svc, pair, rerank=True, cold=False)
                times["warm"].append(seconds)
                first = next((p.query for p in pairs if p.query != pair.query), pair.target)  # the first clip
                seconds, _ = timed(svc, pair, rerank=True, cold=False, kept=True,
                                   earlier=EarlierSteps(first, ("add a dog barking",)))
                times["carry"].append(seconds)
                firsts["off"] += bool(plain) and plain[0] == pair.target
                firsts["on"] += bool(reranked) and reranked[0] == pair.target
    median = {name: statistics.median(values) for name, values in times.items()}
    for name, value in median.items():
        spread = f"min {min(times[name]) * 1000:.0f}, max {max(times[name]) * 1000:.0f}"
        ratio = "" if name == "off" else f"  ({value / median['off']:.1f}x off)"
        print(f"  {name:5s} median {value * 1000:7.1f} ms ({spread}; {len(times[name])} searches){ratio}")
    print(f"  cold / warm: {median['cold'] / median['warm']:.1f}x; cold / kept: {median['cold'] / median['kept']:.1f}x")
    n = runs * len(pairs)
    print(f"  target first (demo pairs, a wiring check): off {firsts['off'] / n:.2f}, on {firsts['on'] / n:.2f}")
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    options = (f" --heads {heads}" if heads else "") + (f" --rerank {rerank}" if rerank else "")
    print(f"reproduce: python -m bench.bench_rerank --runs {runs}{options}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pairs", type=Path, default=ROOT / "assets" / "demo_library" / "demo_pairs.csv")
    parser.add_argument("--runs", type=int, default=3, help="times each search is timed")
    parser.add_argument("--heads", type=Path, default=None, help="heads file (default: $NUDGE_HEADS or assets/)")
    parser.add_argument("--rerank", type=Path, default=None, help="reranker weights (default: the shipped ones)")
    args = parser.parse_args(argv)
    run(args.pairs, max(1, args.runs), args.heads, args.rerank)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
