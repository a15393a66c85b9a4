"""Long recordings (issue 13): are planted events found, how fast do long files import, how big is the index.

    nice -n 10 python -m bench.bench_long_files                    # 30 x 10 min takes (built once, cached)
    python -m bench.bench_long_files --files 6 --seconds 300       # smaller
    python -m bench.bench_long_files --tiny                        # smoke setting: synthetic sounds, seconds

Builds long takes with known events planted at known times (bench/long/: beds looped and crossfaded
from held-out recordings, events at 3-12 dB over the bed), imports them into a fresh library with
the app's importer (SearchService.import_folders, 2 worker processes) and runs every "audio + add X"
query of queries.csv through SearchService.search, with the words and without them (audio only).

A planted event is found when a result among the top --top is its take with a range overlapping the
event: a moment (start/end of at most --max-range s), not a whole-file match. "right take" counts the
take alone, whatever the range. The same CSV runs through `main.py evaluate` (query_path, text,
target_path, target_start, target_end columns).
Reports: fraction found (target: 0.8 in the top 10), import throughput in seconds of audio per second
of wall time (target: 400), index size on disk per hour of audio.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_index import load_average, print_footer  # noqa: E402
from bench.long.build import LongSetConfig, build_long_set  # noqa: E402
from bench.long.pool import project_pool, tiny_pool  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
TARGET_FOUND = 0.8
TARGET_THROUGHPUT = 400.0  # seconds of audio per second


def index_bytes(data_dir: Path) -> dict[str, int]:
    """Bytes on disk of the library database (+ WAL) and the vector store (+ its HNSW graph)."""
    sizes: dict[str, int] = defaultdict(int)
    for path in data_dir.iterdir():
        if path.name.startswith("library.sqlite3"):
            sizes["database"] += path.stat().st_size
        elif path.name.startswith("vectors-"):
            sizes["vectors"] += path.stat().st_size
    return dict(sizes)


def import_library(library: Path, data_dir: Path, heads: Path | None, workers: int) -> dict:
    from app.config import IndexConfig
    from app.service import SearchService

    svc = SearchService(data_dir, heads_path=heads, config=IndexConfig(workers=workers))
    svc.load_model()
    start, cpu = time.perf_counter(), time.process_time()
    report = svc.import_folders([library])
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    svc.close()
    return {"added": report.added + report.updated, "failed": report.failed, "wall_s": wall,
            "cpu_s": report.extract_cpu_seconds, "main_cpu_s": cpu}


def overlaps(a_start: float, a_end: float, b_start: float, b_end: float) -> bool:
    return a_start < b_end and b_start < a_end


def run_queries(svc, rows: list[dict], out: Path, durations: dict[str, float], top: int, max_range: float,
                with_words: bool, strength: float = 1.0) -> list[dict]:
    """One outcome per query row: rank of the right take, found (right take + overlapping moment)."""
    outcomes = []
    for row in rows:
        target = (out / row["target_path"]).resolve()
        t0 = time.perf_counter()
        region = (float(row["query_start"]), float(row["query_end"])) if row.get("query_start") else None
        results = svc.search(out / row["query_path"], row["text"] if with_words else "", strength, top_k=top,
                             query_range=region)
        seconds = time.perf_counter() - t0
        take_rank, found, length = None, False, None
        for r in results:
            if Path(r.path).resolve() != target:
                continue
            take_rank = take_rank or r.rank
            end = durations[row["target_path"]] if r.end is None else r.end
            moment = r.end is not None and end - r.start <= max_range
            if moment and overlaps(r.start, end, float(row["target_start"]), float(row["target_end"])):
                found, length = True, end - r.start
        outcomes.append({**row, "take_rank": take_rank, "found": found, "length": length, "seconds": seconds})
    return outcomes


def snr_band(db: float) -> str:
    low = 3 * int(db // 3)
    return f"{low}-{low + 3} dB"


def summarize(outcomes: list[dict], key: str) -> list[tuple[str, int, float, float]]:
    groups: dict[str, list[dict]] = defaultdict(list)
    for o in outcomes:
        groups[o[key]].append(o)
    return [(name, len(g), float(np.mean([o["found"] for o in g])),
             float(np.mean([o["take_rank"] is not None for o in g]))) for name, g in sorted(groups.items())]


def print_outcomes(words: list[dict], audio: list[dict], top: int, strength: float) -> None:
    print(f"\nstrength {strength:g}:")
    print(f"{'queries':<28} {'n':>4} {'found, words':>12} {'audio only':>10} {'right take, words':>17} "
          f"{'audio only':>10}")
    for key in ("kind", "event", "bed", "snr"):
        a = {name: (f, t) for name, _, f, t in summarize(audio, key)}
        for name, n, found, take in summarize(words, key):
            print(f"{key + ' ' + name:<28} {n:>4} {found:>12.3f} {a[name][0]:>10.3f} {take:>17.3f} {a[name][1]:>10.3f}")
    for kind in sorted({o["kind"] for o in words}):
        w = [o for o in words if o["kind"] == kind]
        a = [o for o in audio if o["kind"] == kind]
        fw, fa = np.mean([o["found"] for o in w]), np.mean([o["found"] for o in a])
        print(f"{kind}: planted events found in the top {top}: {fw:.3f} with words (strength {strength:g}), "
              f"{fa:.3f} audio only (target {TARGET_FOUND}, ratio {fw / TARGET_FOUND:.2f})")
    lengths = [o["length"] for o in words if o["found"]]
    if lengths:
        print(f"found moments (with words): median length {np.median(lengths):.1f} s, "
              f"90th percentile {np.percentile(lengths, 90):.1f} s")
    ms = 1000 * np.array([o["seconds"] for o in words + audio])
    print(f"search latency on this library: p50 {np.percentile(ms, 50):.1f} ms, p95 {np.percentile(ms, 95):.1f} ms")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--files", type=int, default=30)
    ap.add_argument("--seconds", type=float, default=600.0, help="length of each take")
    ap.add_argument("--events-per-file", type=int, default=4)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--tiny", action="store_true", help="smoke setting: a synthetic pool, 2 takes of 60 s")
    ap.add_argument("--sources", type=Path, default=REPO / "data" / "sources")
    ap.add_argument("--catalog", type=Path, default=REPO / "data" / "catalog")
    ap.add_argument("--out", type=Path, default=REPO / "data" / "segbench" / "long")
    ap.add_argument("--heads", type=Path, default=None, help="heads file (default: the shipped heads)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--top", type=int, default=10)
    ap.add_argument("--strength", type=float, nargs="+", default=[1.0, 2.0],
                    help="strengths of the words (the app's slider; 1: the default, the heads' training strength)")
    ap.add_argument("--max-range", type=float, default=60.0, help="longest result range that counts as a moment")
    ap.add_argument("--keep-index", action="store_true", help="reuse the imported library (no import timing)")
    args = ap.parse_args(argv)
    if args.tiny:
        args.files, args.seconds, args.events_per_file = min(args.files, 2), min(args.seconds, 60.0), 2
        pool = tiny_pool(args.out / "pool")
    else:
        pool = project_pool(args.sources, args.catalog)
    config = LongSetConfig(args.files, args.seconds, args.events_per_file, seed=args.seed)
    out = args.out / f"set_{args.files}x{args.seconds:g}s_e{args.events_per_file}_s{args.seed}"
    print(f"cpus {os.cpu_count()}, load average at start {load_average()}", flush=True)
    t0 = time.perf_counter()
    planted, rows = build_long_set(pool, config, out)
    snr = {(f"library/{p.file}", p.start): p.snr_db for p in planted}
    rows = [{**r, "snr": snr_band(snr[(r["target_path"], float(r["target_start"]))])} for r in rows]
    hours = args.files * args.seconds / 3600
    print(f"set: {out} ({args.files} takes x {args.seconds:g} s = {hours:.2f} h, {len(planted)} planted events, "
          f"{len(rows)} queries; ready in {time.perf_counter() - t0:.1f} s)", flush=True)

    data_dir = out / "index"
    if not args.keep_index:
        shutil.rmtree(data_dir, ignore_errors=True)
    if not data_dir.exists() or not args.keep_index:
        r = import_library(out / "library", data_dir, args.heads, args.workers)
        audio_s = args.files * args.seconds
        rate = audio_s / r["wall_s"]
        idle = audio_s * max(args.workers, 1) / (r["cpu_s"] + r["main_cpu_s"])  # as bench_index projects
        print(f"import: {r['added']} takes ({audio_s:.0f} s of audio) in {r['wall_s']:.1f} s wall = {rate:.0f} s of "
              f"audio per s (target {TARGET_THROUGHPUT:.0f}, ratio {rate / TARGET_THROUGHPUT:.2f}), "
              f"{args.workers} workers; failed {r['failed']}", flush=True)
        print(f"        CPU: {r['cpu_s']:.1f} s in the workers (decode, features) + {r['main_cpu_s']:.1f} s in the "
              f"importing process; on {max(args.workers, 1)} otherwise idle cores that is {idle:.0f} s of audio per s "
              f"(projection, ratio {idle / TARGET_THROUGHPUT:.2f})", flush=True)
    sizes = index_bytes(data_dir)
    total = sum(sizes.values())
    print("index on disk: " + ", ".join(f"{k} {v / 2**20:.2f} MiB" for k, v in sorted(sizes.items()))
          + f"; {total / 2**20 / hours:.2f} MiB per hour of audio", flush=True)

    from app.service import SearchService

    svc = SearchService(data_dir, heads_path=args.heads)
    durations = {f"library/{p.name}": args.seconds for p in (out / "library").iterdir()}
    audio = run_queries(svc, rows, out, durations, args.top, args.max_range, with_words=False)
    for strength in args.strength:
        words = run_queries(svc, rows, out, durations, args.top, args.max_range, True, strength)
        print_outcomes(words, audio, args.top, strength)
    svc.close()
    print(f"\nsame queries through the CLI: python main.py --data-dir {shlex.quote(str(data_dir))} evaluate "
          f"{shlex.quote(str(out / 'queries.csv'))} --gallery library")
    print_footer("bench.bench_long_files", argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
