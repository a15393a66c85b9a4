"""Long takes lifted for words naming a sound they do not hold: the false-lift library (README "Long recordings",
fifth round).

    python -m bench.bench_false_lifts [--specific 0 0.5 1] [--out data/false_lifts]

The library: the 36 demo clips plus the non-music ambience takes of 45 s or more in the catalog's train and val
splits (data/catalog/catalog.csv; never the eval or ood rows). Each plain demo bed (rain_01-03, traffic_01-03) is
searched with "add X" for each event the demo mixes with that bed, as the app searches (SearchService.search:
moment terms, then the reranker). Printed per variant of IndexConfig.moment_specific: the mean number of demo files
holding X in the top 10, the share of searches with one first, and the number of long takes ranked above their
match (a ▲ in the app) in the top 10, with their summed lift.
"""

from __future__ import annotations

import argparse
import csv
import shutil
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

REPO = Path(__file__).resolve().parents[1]
CATALOG = REPO / "data" / "catalog"
DEMO = REPO / "assets" / "demo_library"
MIN_TAKE_S = 45.0
EVENTS = {"rain": ["thunder", "dog", "birds", "church bells", "footsteps"],
          "traffic": ["car horn", "dog", "church bells", "footsteps"]}
WORDS = {"thunder": "add thunder", "dog": "add a dog barking", "birds": "add birds", "church bells":
         "add church bells", "footsteps": "add footsteps", "car horn": "add a car horn"}


def take_rows(catalog: Path = CATALOG, min_take: float = MIN_TAKE_S, max_take: float = float("inf"),
              any_role: bool = False) -> list[dict]:
    """Catalog rows of the library's takes: train/val, not music, ambiences (``any_role``: any file) of at least
    ``min_take`` and under ``max_take`` seconds."""
    rows = csv.DictReader(open(catalog / "catalog.csv", newline=""))
    return [r for r in rows if r["split"] in ("train", "val") and (any_role or r["role"] == "background")
            and r["label"] != "music" and min_take <= float(r["duration"]) < max_take]


def build_library(folder: Path, takes: list[dict] | None = None) -> Path:
    """Copy the demo clips and the takes (default: take_rows()) into ``folder``/library (once)."""
    library = folder / "library"
    if library.exists():
        return library
    partial = folder / "library.partial"
    shutil.rmtree(partial, ignore_errors=True)
    (partial / "takes").mkdir(parents=True)
    for clip in sorted(DEMO.glob("*.ogg")):
        shutil.copy2(clip, partial / clip.name)
    for row in take_rows() if takes is None else takes:
        src = CATALOG / row["file"]
        shutil.copy2(src, partial / "takes" / f"{row['package']}_{src.name}")
    partial.rename(library)
    return library


def searches() -> list[tuple[str, str, str]]:
    """(query clip, words, event) for each plain demo bed and each event the demo mixes with it."""
    return [(f"{bed}_0{i}.ogg", WORDS[event], event) for bed, events in EVENTS.items() for i in (1, 2, 3)
            for event in events]


LABELS = {"thunder": "thunder", "dog": "dog", "birds": "chirping_birds", "church bells": "bell",
          "footsteps": "footsteps", "car horn": "car_horn"}  # the catalog label of each event's takes


def take_labels(takes: list[dict] | None = None) -> dict[str, str]:
    """The library name of each take (build_library) -> its catalog label."""
    rows = take_rows() if takes is None else takes
    return {f"{r['package']}_{(CATALOG / r['file']).name}": r["label"] for r in rows}


def holds(name: str, event: str) -> bool:
    return event.replace(" ", "_") in name


def bed_take_ranks(svc, library: Path, clip: str, words: str, labels: dict[str, str]) -> tuple[list[int], list[int]]:
    """Ranks of the takes whose catalog label is the clip's own bed (rain_01 -> rain takes), with the words and
    without them (twelfth round's measure (e): the trials' right-bed takes sent to the bottom)."""
    bed = clip.split("_")[0]
    if bed not in labels.values():
        return [], []
    everything = len(svc.list_files())
    ranks = []
    for text in (words, ""):
        results = svc.search(library / clip, text, top_k=everything)
        ranks.append([r.rank for r in results if labels.get(r.path.name) == bed])
    return ranks[0], ranks[1]


def measure(svc, library: Path, top: int = 10, takes: list[dict] | None = None) -> dict:
    hits, held, firsts, lifted, lift, bed_ranks, bed_plain = [], [], [], 0, 0.0, [], []
    labels = take_labels(takes)
    for clip, words, event in searches():
        with_words, without = bed_take_ranks(svc, library, clip, words, labels)
        bed_ranks += with_words
        bed_plain += without
        results = svc.search(library / clip, words, top_k=top)
        hits.append(sum(holds(r.path.name, event) for r in results))
        held.append(hits[-1] + sum(labels.get(r.path.name) == LABELS[event] for r in results))
        firsts.append(bool(results) and holds(results[0].path.name, event))
        for r in results:
            if r.path.parent.name == "takes" and r.ranking_shift > 0:
                lifted += 1
                lift += r.ranking_shift
    return {"hits": float(np.mean(hits)), "held": float(np.mean(held)), "first": float(np.mean(firsts)),
            "lifted": lifted, "lift": lift, "searches": len(hits),
            "bed_rank": float(np.mean(bed_ranks)) if bed_ranks else float("nan"),
            "bed_plain_rank": float(np.mean(bed_plain)) if bed_plain else float("nan"), "bed_takes": len(bed_ranks)}


def measured(m: dict) -> str:
    """measure()'s figures as one printed line."""
    return (f"files holding the event in the top 10 {m['held']:.2f}, demo files {m['hits']:.2f} (first "
            f"{m['first']:.3f}), long takes ranked above their match in the top 10 {m['lifted']} (summed lift "
            f"{m['lift']:.3f}), {m['searches']} searches; the clip's own bed takes' mean rank {m['bed_rank']:.1f} "
            f"(without the words {m['bed_plain_rank']:.1f}; {m['bed_takes']} ranks)")


def add_variant_arguments(ap: argparse.ArgumentParser) -> None:
    """The IndexConfig moment variants a bench compares with the app (README "Long recordings", rounds 6-11)."""
    ap.add_argument("--take-cap", type=float, nargs="*", default=[],
                    help="also these IndexConfig.moment_take_cap values (with the config's moment_specific)")
    ap.add_argument("--take-relief", action="store_true", help="also IndexConfig.moment_take_relief on")
    ap.add_argument("--take-floor", action="store_true",
                    help="also IndexConfig.moment_take_floor on, alone and with the relief")
    ap.add_argument("--take-floor-at", type=float, nargs="*", default=[],
                    help="also these IndexConfig.moment_take_floor_at values")
    ap.add_argument("--min-windows", type=int, nargs="*", default=[], help="also these IndexConfig.moment_min_windows")
    ap.add_argument("--take-heard", type=float, nargs="*", default=[], help="also these IndexConfig.moment_take_heard")
    ap.add_argument("--take-floor-own", type=float, nargs="*", default=[],
                    help="also these IndexConfig.moment_take_floor_own")
    ap.add_argument("--bed-heard", type=float, nargs="*", default=[], help="also these IndexConfig.moment_bed_heard")
    ap.add_argument("--named-plain", action="store_true", help="also IndexConfig.moment_named_plain on")
    ap.add_argument("--named-floor", action="store_true", help="also IndexConfig.moment_named_floor on")
    ap.add_argument("--named-query", action="store_true", help="also IndexConfig.moment_named_query on")
    ap.add_argument("--row-floor", action="store_true", help="also IndexConfig.moment_row_floor on")


def config_variants(base, args: argparse.Namespace) -> list[tuple[str, object]]:
    """(label, IndexConfig) per variant asked by add_variant_arguments' flags."""
    variants = [(f"take cap {cap:g}", replace(base, moment_take_cap=cap)) for cap in args.take_cap]
    variants += [("take relief", replace(base, moment_take_relief=True))] if args.take_relief else []
    if args.take_floor:
        variants += [("take floor", replace(base, moment_take_floor=True)),
                     ("floor+relief", replace(base, moment_take_floor=True, moment_take_relief=True))]
    variants += [(f"floor at {v:g}", replace(base, moment_take_floor_at=v)) for v in args.take_floor_at]
    variants += [(f"min windows {k}", replace(base, moment_min_windows=k)) for k in args.min_windows]
    variants += [(f"take heard {h:g}", replace(base, moment_take_heard=h)) for h in args.take_heard]
    variants += [(f"floor own {v:g}", replace(base, moment_take_floor_own=v)) for v in args.take_floor_own]
    variants += [("named plain", replace(base, moment_named_plain=True))] if args.named_plain else []
    variants += [("named floor", replace(base, moment_named_floor=True))] if args.named_floor else []
    variants += [("named query", replace(base, moment_named_query=True))] if args.named_query else []
    variants += [("row floor", replace(base, moment_row_floor=True))] if args.row_floor else []
    return variants + [(f"bed heard {h:g}", replace(base, moment_bed_heard=h)) for h in args.bed_heard]


def main(argv: list[str] | None = None) -> int:
    from app.service import SearchService

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=REPO / "data" / "false_lifts")
    ap.add_argument("--specific", type=float, nargs="*", default=[0.0])
    add_variant_arguments(ap)
    ap.add_argument("--min-take", type=float, default=MIN_TAKE_S, help="the takes' shortest length (s)")
    ap.add_argument("--max-take", type=float, default=float("inf"), help="... and their length's bound (s)")
    ap.add_argument("--any-role", action="store_true", help="takes of any role (default: ambiences)")
    args = ap.parse_args(argv)
    takes = take_rows(min_take=args.min_take, max_take=args.max_take, any_role=args.any_role)
    library = build_library(args.out, takes)
    data_dir = args.out / "index"
    svc = SearchService(data_dir)
    svc.load_model()
    report = svc.import_folders([library])
    print(f"library: {sum(1 for _ in library.rglob('*') if _.is_file())} files "
          f"({len(takes)} takes); import added {report.added}, failed {report.failed}")
    base = svc.config
    for share in args.specific:
        svc.config = replace(base, moment_specific=share)
        m = measure(svc, library, takes=takes)
        print(f"specific {share:g}: {measured(m)}", flush=True)
    variants = config_variants(base, args)
    for label, config in variants:
        svc.config = config
        m = measure(svc, library, takes=takes)
        print(f"{label}: {measured(m)}", flush=True)
    svc.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
