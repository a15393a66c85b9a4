"""Long takes of the sound the words add, sunk by the take's class term: the false-lift library (README "Long
recordings", sixth round).

    python -m bench.bench_sunk_takes [--take-cap 0.1 0.2 0.4] [--take-relief] [--out data/false_lifts]

The library is bench.bench_false_lifts' (the 36 demo clips plus the catalog's non-music ambience takes of 45 s or
more, train and val splits only). Each plain demo bed (rain_01-03, traffic_01-03) is searched with "add birds" and
"add wind", and each traffic bed with "add rain": the sounds some of the library's takes hold by the catalog's labels.
Printed per variant of IndexConfig.moment_take_cap (0: the app): the takes of the named sound in the top 10, summed
over the searches, and their mean rank with the words against the same search without them.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_false_lifts import (  # noqa: E402
    MIN_TAKE_S,
    REPO,
    add_variant_arguments,
    build_library,
    config_variants,
    take_labels,
    take_rows,
)

WORDS = {"chirping_birds": "add birds", "wind": "add wind", "rain": "add rain", "water_stream": "add a stream",
         "sea_waves": "add waves"}
DEFAULT_LABELS = ("chirping_birds", "wind", "rain")


def searches(labels: tuple[str, ...] = DEFAULT_LABELS) -> list[tuple[str, str, str]]:
    """(query clip, words, label of the takes asked for): each plain demo bed (rain_01-03, traffic_01-03) + "add
    <label>", but no rain added to rain."""
    return [(f"{bed}_0{i}.ogg", WORDS[label], label) for label in labels for bed in ("rain", "traffic")
            if bed != label for i in (1, 2, 3)]


def measure(svc, library: Path, labels: dict[str, str], asked: tuple[str, ...] = DEFAULT_LABELS) -> dict:
    everything = len(svc.list_files())
    in_top, ranks, plain_ranks = 0, [], []
    for clip, words, label in searches(asked):
        for text, out in ((words, ranks), ("", plain_ranks)):
            results = svc.search(library / clip, text, top_k=everything)
            found = [r.rank for r in results if labels.get(r.path.name) == label]
            out += found
            if text:
                in_top += sum(rank <= 10 for rank in found)
    return {"top10": in_top, "rank": float(np.mean(ranks)), "plain_rank": float(np.mean(plain_ranks)),
            "searches": len(searches(asked)), "files": everything}


def main(argv: list[str] | None = None) -> int:
    from app.service import SearchService

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=REPO / "data" / "false_lifts")
    add_variant_arguments(ap)
    ap.add_argument("--min-take", type=float, default=MIN_TAKE_S, help="the takes' shortest length (s)")
    ap.add_argument("--max-take", type=float, default=float("inf"), help="... and their length's bound (s)")
    ap.add_argument("--any-role", action="store_true", help="takes of any role (default: ambiences)")
    ap.add_argument("--labels", nargs="*", default=list(DEFAULT_LABELS), choices=sorted(WORDS),
                    help="the sounds asked for (each with its words in WORDS)")
    args = ap.parse_args(argv)
    takes = take_rows(min_take=args.min_take, max_take=args.max_take, any_role=args.any_role)
    library = build_library(args.out, takes)
    svc = SearchService(args.out / "index")
    svc.load_model()
    svc.import_folders([library])
    labels = take_labels(takes)
    base = svc.config
    variants = [(f"take cap {base.moment_take_cap:g}", base), *config_variants(base, args)]  # the app first
    for label, config in variants:
        svc.config = config
        m = measure(svc, library, labels, tuple(args.labels))
        print(f"{label}: takes of the named sound in the top 10 {m['top10']} over {m['searches']} searches; "
              f"their mean rank {m['rank']:.1f} of {m['files']} (without the words {m['plain_rank']:.1f})", flush=True)
    svc.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
