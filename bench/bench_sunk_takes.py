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
    REPO,
    add_variant_arguments,
    build_library,
    config_variants,
    take_labels,
)

WORDS = {"chirping_birds": "add birds", "wind": "add wind", "rain": "add rain"}
BEDS = {"chirping_birds": ("rain", "traffic"), "wind": ("rain", "traffic"), "rain": ("traffic",)}


def searches() -> list[tuple[str, str, str]]:
    """(query clip, words, label of the takes asked for)."""
    return [(f"{bed}_0{i}.ogg", WORDS[label], label) for label, beds in BEDS.items() for bed in beds
            for i in (1, 2, 3)]


def measure(svc, library: Path, labels: dict[str, str]) -> dict:
    everything = len(svc.list_files())
    in_top, ranks, plain_ranks = 0, [], []
    for clip, words, label in searches():
        for text, out in ((words, ranks), ("", plain_ranks)):
            results = svc.search(library / clip, text, top_k=everything)
            found = [r.rank for r in results if labels.get(r.path.name) == label]
            out += found
            if text:
                in_top += sum(rank <= 10 for rank in found)
    return {"top10": in_top, "rank": float(np.mean(ranks)), "plain_rank": float(np.mean(plain_ranks)),
            "searches": len(searches()), "files": everything}


def main(argv: list[str] | None = None) -> int:
    from app.service import SearchService

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=REPO / "data" / "false_lifts")
    add_variant_arguments(ap)
    args = ap.parse_args(argv)
    library = build_library(args.out)
    svc = SearchService(args.out / "index")
    svc.load_model()
    svc.import_folders([library])
    labels = take_labels()
    base = svc.config
    variants = [(f"take cap {base.moment_take_cap:g}", base), *config_variants(base, args)]  # the app first
    for label, config in variants:
        svc.config = config
        m = measure(svc, library, labels)
        print(f"{label}: takes of the named sound in the top 10 {m['top10']} over {m['searches']} searches; "
              f"their mean rank {m['rank']:.1f} of {m['files']} (without the words {m['plain_rank']:.1f})", flush=True)
    svc.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
