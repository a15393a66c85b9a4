"""Search time with and without the nineteenth round's window floor (IndexConfig.moment_row_floor), interleaved.

    python -m bench.bench_row_floor_time [--rounds 5]

Runs the false-lift library's 27 searches (bench.bench_false_lifts: demo beds + "add <event>", long takes scored with
the moment terms; build the library first with `python -m bench.bench_false_lifts`) in alternating order with the
floor off and on, and prints each one's median search time and their ratio.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_false_lifts import REPO, searches  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    from app.service import SearchService

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=REPO / "data" / "false_lifts")
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args(argv)
    library, index = args.out / "library", args.out / "index"
    if not index.is_dir():
        print(f"no false-lift library at {args.out}: run python -m bench.bench_false_lifts first", file=sys.stderr)
        return 1
    svc = SearchService(index)
    svc.load_model()
    configs = {"off": replace(svc.config, moment_row_floor=False), "on": replace(svc.config, moment_row_floor=True)}
    times: dict[str, list[float]] = {name: [] for name in configs}
    for clip, words, _ in searches()[:3]:  # warm: the model, the index and the class rows in memory
        svc.search(library / clip, words, top_k=10)
    for turn in range(args.rounds):
        for name in ("off", "on") if turn % 2 == 0 else ("on", "off"):
            svc.config = configs[name]
            for clip, words, _ in searches():
                start = time.perf_counter()
                svc.search(library / clip, words, top_k=10)
                times[name].append(time.perf_counter() - start)
    svc.close()
    for name, spent in times.items():
        print(f"window floor {name}: median {np.median(spent) * 1000:.1f} ms a search ({len(spent)} searches)")
    print(f"ratio on / off: {np.median(times['on']) / np.median(times['off']):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
