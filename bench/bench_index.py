"""Benchmarks for the library index: import throughput, query latency and recall, memory.

    python bench/bench_index.py                       # everything (1M build takes minutes; cached)
    python bench/bench_index.py --sizes 10000 100000 --clips 100

Import: generated 10 s clips (noise + tones, 16/22.05/44.1/48 kHz, mono and stereo) imported
with the real pipeline (process pool). Search: synthetic unit vectors (see synthetic(): the
default 'lowrank' mimics learned embeddings, 'clustered' is a hard case for graph indexes)
searched with the app's VectorIndex (exact below IndexConfig.exact_below, HNSW + exact re-rank above).
Targets (issue 3): import >= 40 files/s on 2 cores; p50 < 20 ms at 100k, < 5 ms at 1M with
recall@10 >= 0.99 of exact search.
"""

from __future__ import annotations

import argparse
import os
import resource
import shlex
import shutil
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.ann import VectorIndex  # noqa: E402
from app.config import IndexConfig  # noqa: E402

TARGET_IMPORT = 40.0  # files/s
TARGET_P50_MS = {100_000: 20.0, 1_000_000: 5.0}
TARGET_RECALL = 0.99
GENERATOR_VERSION = 1


def rss_mb() -> tuple[float, float]:
    """(current, peak) resident memory of this process in MiB."""
    with open("/proc/self/statm") as f:
        current = int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    return current, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "n/a"


def print_footer(module: str, argv: list[str] | None) -> None:
    """The closing lines of a benchmark's report: load average now and the command that reproduces it."""
    import shlex

    print(f"load average at end {load_average()}")
    args = argv if argv is not None else sys.argv[1:]
    print(f"reproduce: python -m {module} " + " ".join(shlex.quote(a) for a in args))


# import throughput ---------------------------------------------------------------------------------
def generate_clips(folder: Path, n: int, seconds: float = 10.0) -> None:
    import soundfile as sf

    folder.mkdir(parents=True, exist_ok=True)
    rates = (16_000, 22_050, 44_100, 48_000)
    for i in range(n):
        path = folder / f"clip_{i:04d}.wav"
        if path.exists():
            continue
        rng = np.random.default_rng(i)
        sr = rates[i % 4]
        t = np.arange(int(seconds * sr)) / sr
        x = 0.1 * rng.standard_normal(t.size) + 0.3 * np.sin(2 * np.pi * rng.uniform(80, 4000) * t)
        if i % 2:
            x = np.stack([x, 0.5 * x], axis=1)
        sf.write(path, x.astype(np.float32), sr, subtype="PCM_16")


def bench_import(args) -> dict:
    from app.service import SearchService
    from model.encoder import NudgeEncoder

    clips = args.cache / f"clips_{args.clips}"
    generate_clips(clips, args.clips)
    heads = bench_heads(args)
    data = Path(tempfile.mkdtemp(prefix="nudge_bench_data_"))
    try:
        svc = SearchService(data, encoder=NudgeEncoder(heads, load_audio=False),
                            config=IndexConfig(workers=args.workers))
        stamps: list[float] = []
        main_cpu = time.process_time()
        start = time.perf_counter()
        report = svc.import_folders([clips], progress=lambda p: p.done and stamps.append(time.perf_counter()))
        total = time.perf_counter() - start
        main_cpu = time.process_time() - main_cpu
        svc.close()
    finally:
        shutil.rmtree(data, ignore_errors=True)
    assert report.added == args.clips, report
    steady = (len(stamps) - 1) / (stamps[-1] - stamps[0])
    worker_ms = 1000 * report.extract_cpu_seconds / args.clips
    main_ms = 1000 * main_cpu / args.clips
    return {"files": args.clips, "total_s": total, "overall": args.clips / total, "steady": steady,
            "first_file_s": stamps[0] - start, "worker_cpu_ms": worker_ms, "main_cpu_ms": main_ms,
            "idle_projection": 1000 * args.workers / (worker_ms + main_ms)}


# search latency -----------------------------------------------------------------------------------
def synthetic(n: int, dim: int, seed: int, distribution: str) -> np.ndarray:
    """Synthetic unit vectors; library and queries (other seeds) share the same structure.

    lowrank    2000 clusters whose centres lie in a 32-d subspace, spread within it, plus small
               full-rank noise: related sound kinds, most variance in few directions (as in learned
               embeddings). Nearest-neighbour cosines ~0.8.
    clustered  2000 clusters with random (nearly orthogonal) centres and full-rank isotropic noise
               (intra-cluster cosine ~0.65): a hard case for graph indexes.
    uniform    isotropic: no structure at all (nearest neighbours barely closer than random).
    """
    rng = np.random.default_rng(seed)
    fixed = np.random.default_rng(12345)  # structure independent of seed
    rank = 32 if distribution == "lowrank" else dim
    if distribution == "lowrank":
        basis = np.linalg.qr(fixed.standard_normal((dim, rank)))[0].T.astype(np.float32)  # (rank, dim)
    centers = fixed.standard_normal((2000, rank)).astype(np.float32)
    out = np.empty((n, dim), dtype=np.float32)
    for lo in range(0, n, 100_000):
        m = min(100_000, n - lo)
        if distribution == "lowrank":
            z = centers[rng.integers(0, 2000, m)] + 0.5 * rng.standard_normal((m, rank)).astype(np.float32)
            x = z @ basis + 0.1 * rng.standard_normal((m, dim)).astype(np.float32)
        elif distribution == "clustered":
            noise = rng.standard_normal((m, dim)).astype(np.float32)
            x = centers[rng.integers(0, 2000, m)] + 0.72 * noise
        else:
            x = rng.standard_normal((m, dim)).astype(np.float32)
        out[lo : lo + m] = x / np.linalg.norm(x, axis=1, keepdims=True)
    return out


def data_tag(args, n: int) -> str:
    """Cache key of a synthetic set; bump GENERATOR_VERSION whenever synthetic() changes."""
    return f"g{GENERATOR_VERSION}_{args.distribution}_{args.dim}_{n}"


def vectors_file(args, n: int) -> np.ndarray:
    """Memory-mapped store file like the app's (cached between runs)."""
    path = args.cache / f"vectors_{data_tag(args, n)}.f32"
    if not path.exists():
        tmp = path.with_suffix(".tmp")
        synthetic(n, args.dim, seed=1, distribution=args.distribution).tofile(tmp)
        os.replace(tmp, path)
    return np.memmap(path, dtype=np.float32, mode="r", shape=(n, args.dim))


def bench_search(args, n: int, config: IndexConfig) -> dict:
    vectors = vectors_file(args, n)
    queries = synthetic(args.queries, args.dim, seed=2 + n, distribution=args.distribution)
    tag = f"{data_tag(args, n)}_M{config.hnsw_m}_efc{config.hnsw_ef_construction}"
    graph = args.cache / f"{tag}.hnsw"
    cached = graph.exists()
    index = VectorIndex(vectors, np.arange(n), config, graph)
    start = time.perf_counter()
    index.prepare()
    build = time.perf_counter() - start
    k = 10
    index.search(queries[0], k)  # warm-up
    times, found = [], []
    for q in queries:
        t0 = time.perf_counter()
        rows, _ = index.search(q, k)
        times.append(time.perf_counter() - t0)
        found.append(rows)
    current, peak = rss_mb()  # before the exact reference below reads the whole vector file
    recall = []
    for lo in range(0, len(queries), 50):  # exact reference in blocks
        block = queries[lo : lo + 50]
        scores = np.concatenate([np.asarray(vectors[s : s + 200_000]) @ block.T for s in range(0, n, 200_000)])
        truth = np.argsort(-scores, axis=0)[:k].T
        recall += [len(np.intersect1d(t, f)) / k for t, f in zip(truth, found[lo : lo + 50], strict=True)]
    times_ms = np.array(times) * 1000
    return {"n": n, "method": "hnsw" if index.uses_hnsw else "exact", "build_s": build, "cached": cached,
            "p50": float(np.percentile(times_ms, 50)), "p95": float(np.percentile(times_ms, 95)),
            "recall": float(np.mean(recall)), "rss": current, "peak": peak}


def bench_service(args, n: int, config: IndexConfig, heads: Path) -> dict:
    """End-to-end SearchService.search (library query + modifier text) on a synthetic library of n files."""
    from app.db import LibraryDB
    from app.service import SearchService
    from app.vectors import hnsw_path, open_store
    from model.checkpoint import model_version
    from model.encoder import NudgeEncoder

    tag = f"{data_tag(args, n)}_M{config.hnsw_m}_efc{config.hnsw_ef_construction}"
    data = args.cache / f"service_{tag}"
    query = args.cache / "query.wav"  # the one real file: a library query reuses its stored vector
    if not query.exists():
        generate_clips(args.cache / "query", 1)
        shutil.copyfile(args.cache / "query" / "clip_0000.wav", query)
    ready = data / "ready"
    if not ready.exists() or ready.read_text() != str(query.stat().st_mtime_ns):
        shutil.rmtree(data, ignore_errors=True)
        db = LibraryDB(data)
        store = open_store(db, data, model_version(heads), args.dim)
        store.path.unlink(missing_ok=True)
        store.path.symlink_to(args.cache / f"vectors_{data_tag(args, n)}.f32")
        st = query.stat()
        with db.transaction() as conn:
            db.write_indexed_many(conn, (
                (str(query) if i == 0 else f"/bench/sound_{i:07d}.wav", st.st_size if i == 0 else 1,
                 st.st_mtime_ns if i == 0 else 1, (10.0, None, None), store.version, i, 1.0) for i in range(n)))
            db.set_store(conn, store.version, n)
            db.bump_generation(conn)
        graph = args.cache / f"{tag}.hnsw"
        if graph.exists():
            hnsw_path(store).symlink_to(graph)
        db.close()
        ready.write_text(str(st.st_mtime_ns))
    svc = SearchService(data, encoder=NudgeEncoder(heads, load_audio=False), config=config)
    svc.encoder.embed_text(["add dog bark"])  # loads the text model once; T(text) is cached afterwards
    start = time.perf_counter()
    svc.search(query, "add dog bark", top_k=10)
    first = time.perf_counter() - start
    times = []
    for strength in np.linspace(0.0, 2.0, args.queries):  # a different query vector each time
        t0 = time.perf_counter()
        results = svc.search(query, "add dog bark", float(strength), top_k=10)
        times.append(time.perf_counter() - t0)
    assert len(results) == 10
    svc.close()
    times_ms = np.array(times) * 1000
    return {"first_s": first, "p50": float(np.percentile(times_ms, 50)), "p95": float(np.percentile(times_ms, 95))}


def bench_heads(args) -> Path:
    """Heads for the import/service benchmarks: --heads, the shipped heads, else random ones (same speed)."""
    from model.checkpoint import read_metadata
    from model.paths import heads_path as default_heads_path

    heads = args.heads or default_heads_path()
    if heads.is_file() and read_metadata(heads)["config"]["embed_dim"] == args.dim:
        return heads
    from training.random_heads import make_random_heads

    path = args.cache / f"random_heads_{args.dim}.safetensors"  # reused: re-saving changes model_version
    return path if path.is_file() else make_random_heads(path, embed_dim=args.dim)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clips", type=int, default=200, help="10 s clips for the import benchmark (0 = skip)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--heads", type=Path, help="heads file (default: shipped heads, else random ones)")
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--dim", type=int, default=256, help="embedding size (256 for the shipped heads)")
    parser.add_argument("--distribution", choices=("lowrank", "clustered", "uniform"), default="lowrank",
                        help="synthetic vectors (see synthetic()); clustered is the hard case")
    parser.add_argument("--ef-search", type=int, default=None, help="override IndexConfig.hnsw_ef_search")
    parser.add_argument("--service", action="store_true", help="also time SearchService.search end to end")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "nudge_bench")
    args = parser.parse_args(argv)
    args.cache.mkdir(parents=True, exist_ok=True)
    config = IndexConfig(leave_out_deleted=False)  # the synthetic libraries' paths do not exist
    if args.ef_search:
        config = replace(config, hnsw_ef_search=args.ef_search)
    print(f"cpus {os.cpu_count()}, load average at start {load_average()}", flush=True)

    if args.clips:
        r = bench_import(args)
        print(f"\nimport: {r['files']} clips x 10 s, {args.workers} workers: {r['steady']:.1f} files/s steady "
              f"(target {TARGET_IMPORT:.0f}, ratio {r['steady'] / TARGET_IMPORT:.2f}); {r['overall']:.1f} files/s "
              f"overall incl. {r['first_file_s']:.1f} s pool start-up, {r['total_s']:.1f} s total", flush=True)
        print(f"        CPU per file: {r['worker_cpu_ms']:.1f} ms in the workers (decode, resample, features) + "
              f"{r['main_cpu_ms']:.1f} ms in the importing process; on {args.workers} otherwise idle cores that is "
              f"{r['idle_projection']:.1f} files/s (projection, ratio {r['idle_projection'] / TARGET_IMPORT:.2f})",
              flush=True)

    if args.sizes:
        print(f"\nsearch: {args.distribution} unit vectors, dim {args.dim}, {args.queries} queries, k=10, "
              f"HNSW M={config.hnsw_m} efConstruction={config.hnsw_ef_construction} "
              f"efSearch={config.hnsw_ef_search}, exact below {config.exact_below}")
        print(f"{'vectors':>9} {'method':>6} {'build s':>8} {'p50 ms':>7} {'p95 ms':>7} {'recall@10':>9} "
              f"{'p50 target':>10} {'ratio':>6} {'RSS MiB':>8} {'peak MiB':>8}")
        for n in args.sizes:
            r = bench_search(args, n, config)
            target = TARGET_P50_MS.get(n)
            ratio = f"{target / r['p50']:.1f}" if target else "-"
            build = f"{r['build_s']:.1f}{'L' if r['cached'] and r['method'] == 'hnsw' else ''}"
            print(f"{n:>9} {r['method']:>6} {build:>8} {r['p50']:>7.2f} {r['p95']:>7.2f} "
                  f"{r['recall']:>9.4f} {(f'<{target:.0f} ms' if target else '-'):>10} {ratio:>6} "
                  f"{r['rss']:>8.0f} {r['peak']:>8.0f}", flush=True)
        print(f"(recall target >= {TARGET_RECALL}; ratio = target / measured, > 1 is better; build s: graph "
              f"build, or load of the graph cached in {args.cache} when marked L)")
        if args.service:
            heads = bench_heads(args)
            print("\nSearchService.search end to end (library query + cached modifier text, SQLite lookups):")
            print(f"{'vectors':>9} {'first s':>8} {'p50 ms':>7} {'p95 ms':>7}")
            for n in args.sizes:
                r = bench_service(args, n, config, heads)
                print(f"{n:>9} {r['first_s']:>8.2f} {r['p50']:>7.2f} {r['p95']:>7.2f}", flush=True)
            print("(first s = first search: loads the library snapshot and the graph)")
    print(f"\nload average at end {load_average()}")
    print("reproduce: python " + " ".join(shlex.quote(a) for a in [sys.argv[0], *(argv or sys.argv[1:])]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
