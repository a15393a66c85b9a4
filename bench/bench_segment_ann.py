"""Search latency and recall at 1M segment vectors (issue 13): the app's VectorIndex (faiss HNSW + exact
re-rank) on realistic vectors, against exact search.

    nice -n 10 python -m bench.bench_segment_ann                      # 1M vectors (graph cached)
    python -m bench.bench_segment_ann --size 200000 --ef-search 64 128 256
    python -m bench.bench_segment_ann --hnsw-m 32 --ef-construction 128   # another graph

Vectors: real A(audio) embeddings, made by projecting the cached frozen YAMNet features of 10 s mixes
(`<features>/*/*/audio.npy`: the training/evaluation clips built from the catalog and the first
release's sources) with the heads; a random tenth of the clips is held out for the queries.
The rest is expanded to N library vectors as a long recording's windows look: each vector is a random
mixture of a real embedding with weight w ~ U(0.55, 1) and another with 1 - w (a sound with some of
another, like a window over two events), plus Gaussian noise of relative size --noise (default 0.05),
then normalized. Queries: held-out real embeddings composed with real modifier texts (A + T with the
heads' composer, as a search with words builds it) and, one in four, plain audio.
Targets (issue 13): p50 < 10 ms and recall@10 >= 0.95 at 1M.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.ann import VectorIndex  # noqa: E402
from app.config import IndexConfig  # noqa: E402
from bench.bench_index import load_average, print_footer, rss_mb  # noqa: E402

TARGET_P50_MS = 10.0
TARGET_RECALL = 0.95
GENERATOR_VERSION = 1
MODIFIERS = ("add dog barking", "add thunder", "add birds", "add church bells", "add a car horn",
             "add footsteps", "remove the rain", "make the traffic louder", "add rain and a dog")
REPO = Path(__file__).resolve().parents[1]


def feature_files(root: Path) -> list[Path]:
    return sorted(root.glob("*/*/audio.npy")) + sorted(root.glob("*/audio.npy"))


def real_embeddings(feature_roots: list[Path], heads: Path, cache: Path) -> np.ndarray:
    """A(audio) of every cached clip feature under ``feature_roots`` (cached in ``cache``)."""
    from model.checkpoint import model_version
    from model.runtime_heads import RuntimeHeads

    files = [f for root in feature_roots for f in feature_files(root)]
    if not files:
        raise SystemExit(f"no audio.npy under {', '.join(map(str, feature_roots))}")
    out = cache / f"real_{model_version(heads)}_{len(files)}.npy"
    if out.exists():
        return np.load(out)
    runtime = RuntimeHeads.from_file(heads)
    parts = [runtime.project_audio(np.load(f)) for f in files]
    vectors = np.concatenate(parts).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    np.save(out, vectors)
    return vectors


def expand(base: np.ndarray, n: int, seed: int, noise: float) -> np.ndarray:
    """n unit vectors: mixtures of two base rows (weights w, 1 - w; w ~ U(0.55, 1)) plus relative noise."""
    rng = np.random.default_rng(seed)
    dim = base.shape[1]
    out = np.empty((n, dim), dtype=np.float32)
    for lo in range(0, n, 100_000):
        m = min(100_000, n - lo)
        w = rng.uniform(0.55, 1.0, (m, 1)).astype(np.float32)
        x = w * base[rng.integers(0, len(base), m)] + (1 - w) * base[rng.integers(0, len(base), m)]
        x += (noise / np.sqrt(dim)) * rng.standard_normal((m, dim)).astype(np.float32)
        out[lo : lo + m] = x / np.linalg.norm(x, axis=1, keepdims=True)
    return out


def library_file(base: np.ndarray, n: int, args) -> np.ndarray:
    """The expanded library as a memory-mapped float32 file, like the app's vector store (cached)."""
    path = args.cache / f"segments_g{GENERATOR_VERSION}_{len(base)}_{n}_noise{args.noise}.f32"
    if not path.exists():
        tmp = path.with_suffix(".tmp")
        expand(base, n, seed=1, noise=args.noise).tofile(tmp)
        os.replace(tmp, path)
    return np.memmap(path, dtype=np.float32, mode="r", shape=(n, base.shape[1]))


def query_vectors(held_out: np.ndarray, heads: Path, n: int, seed: int = 2) -> tuple[np.ndarray, list[str]]:
    """n unit queries: held-out A(audio) composed with a modifier (three in four) or alone."""
    from model.encoder import NudgeEncoder

    encoder = NudgeEncoder(heads, load_audio=False, threads=1)
    rng = np.random.default_rng(seed)
    rows = rng.choice(len(held_out), n, replace=n > len(held_out))
    texts = [MODIFIERS[i % len(MODIFIERS)] if i % 4 else "" for i in range(n)]
    queries = np.stack([encoder.query_vector(held_out[r], t) for r, t in zip(rows, texts, strict=True)])
    return queries.astype(np.float32), texts


def exact_truth(vectors: np.ndarray, queries: np.ndarray, k: int) -> np.ndarray:
    """(Q, k) exact best rows, read in blocks of the (memory-mapped) library."""
    best_rows = np.zeros((len(queries), 0), dtype=np.int64)
    best_scores = np.zeros((len(queries), 0), dtype=np.float32)
    for lo in range(0, len(vectors), 200_000):
        scores = queries @ np.asarray(vectors[lo : lo + 200_000]).T
        part = np.argpartition(-scores, k - 1, axis=1)[:, :k] if scores.shape[1] > k else \
            np.tile(np.arange(scores.shape[1]), (len(queries), 1))
        best_rows = np.concatenate([best_rows, part + lo], axis=1)
        best_scores = np.concatenate([best_scores, np.take_along_axis(scores, part, axis=1)], axis=1)
        keep = np.argsort(-best_scores, axis=1)[:, :k]
        best_rows = np.take_along_axis(best_rows, keep, axis=1)
        best_scores = np.take_along_axis(best_scores, keep, axis=1)
    return best_rows


def measure(index: VectorIndex, queries: np.ndarray, truth: np.ndarray, k: int) -> dict:
    index.search(queries[0], k)  # warm-up
    times, recall = [], []
    for q, t in zip(queries, truth, strict=True):
        t0 = time.perf_counter()
        rows, _ = index.search(q, k)
        times.append(time.perf_counter() - t0)
        recall.append(len(np.intersect1d(rows, t)) / k)
    ms = 1000 * np.array(times)
    return {"p50": float(np.percentile(ms, 50)), "p95": float(np.percentile(ms, 95)),
            "recall": float(np.mean(recall)), "min_recall": float(np.min(recall))}


def main(argv: list[str] | None = None) -> int:
    from model.paths import heads_path as default_heads

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", type=int, default=1_000_000, help="segment vectors in the library")
    ap.add_argument("--queries", type=int, default=400)
    ap.add_argument("--k", type=int, nargs="+", default=[10, 64],
                    help="rows asked for (10: the issue's recall@10; 64: what search asks for first to fill the top "
                         "10 files, app.moments.rank_files)")
    ap.add_argument("--noise", type=float, default=0.05, help="relative Gaussian noise of the expansion")
    ap.add_argument("--features", type=Path, nargs="*",
                    default=[REPO / "data" / "features_v2", REPO / "data" / "features"],
                    help="folders of cached frozen features (<scene>/<split>/audio.npy)")
    ap.add_argument("--heads", type=Path, default=None, help="heads file (default: the shipped heads)")
    ap.add_argument("--hnsw-m", type=int, default=None, help="override IndexConfig.hnsw_m")
    ap.add_argument("--ef-construction", type=int, default=None, help="override IndexConfig.hnsw_ef_construction")
    ap.add_argument("--ef-search", type=int, nargs="*", default=None,
                    help="efSearch values to measure on the same graph (default: IndexConfig's)")
    ap.add_argument("--cache", type=Path, default=REPO / "data" / "segbench" / "ann")
    args = ap.parse_args(argv)
    args.cache.mkdir(parents=True, exist_ok=True)
    heads = default_heads(args.heads)
    config = IndexConfig()
    config = replace(config, exact_below=0, hnsw_m=args.hnsw_m or config.hnsw_m,  # HNSW at any size
                     hnsw_ef_construction=args.ef_construction or config.hnsw_ef_construction)
    print(f"cpus {os.cpu_count()}, load average at start {load_average()}", flush=True)

    real = real_embeddings(args.features, heads, args.cache)
    held = np.random.default_rng(0).random(len(real)) < 0.1
    base, held_out = real[~held], real[held]
    vectors = library_file(base, args.size, args)
    queries, texts = query_vectors(held_out, heads, args.queries)
    print(f"library: {args.size} vectors (dim {real.shape[1]}) expanded from {len(base)} real clip embeddings "
          f"(noise {args.noise}); {len(queries)} queries from {len(held_out)} held-out clips "
          f"({sum(1 for t in texts if t)} with a modifier)", flush=True)
    t0 = time.perf_counter()
    truth = exact_truth(vectors, queries, max(args.k))
    exact_ms = 1000 * (time.perf_counter() - t0) / len(queries)

    graph = Path(vectors.filename).with_name(
        f"{Path(vectors.filename).stem}_M{config.hnsw_m}_efc{config.hnsw_ef_construction}.hnsw")
    cached = graph.exists()
    index = VectorIndex(vectors, np.arange(args.size), config, graph)
    t0 = time.perf_counter()
    index.prepare(save=True)
    build = time.perf_counter() - t0
    current, peak = rss_mb()
    what = "loaded from cache" if cached else "built"
    print(f"HNSW M={config.hnsw_m} efConstruction={config.hnsw_ef_construction}: {what} in {build:.1f} s "
          f"({graph.stat().st_size / 2**20:.0f} MiB on disk); RSS {current:.0f} MiB, peak {peak:.0f} MiB",
          flush=True)
    print(f"exact reference (numpy, blocks of 200k, batched): {exact_ms:.1f} ms per query")
    print(f"\n{'efSearch':>8} {'k':>4} {'candidates':>10} {'p50 ms':>7} {'p95 ms':>7} {'recall@k':>9} "
          f"{'min':>5} {'p50 ratio':>9} {'recall ratio':>12}")
    for ef in args.ef_search or [config.hnsw_ef_search]:
        index.config = replace(config, hnsw_ef_search=ef)
        for k in args.k:
            r = measure(index, queries, truth[:, :k], k)
            candidates = max(config.rerank_factor * k, config.rerank_min)
            print(f"{ef:>8} {k:>4} {candidates:>10} {r['p50']:>7.2f} {r['p95']:>7.2f} {r['recall']:>9.4f} "
                  f"{r['min_recall']:>5.2f} {TARGET_P50_MS / r['p50']:>9.1f} {r['recall'] / TARGET_RECALL:>12.3f}",
                  flush=True)
    print(f"(targets: p50 < {TARGET_P50_MS:.0f} ms, recall@10 >= {TARGET_RECALL}; ratio > 1 meets the target; "
          f"HNSW returns the candidates, re-scored exactly; efSearch is raised to the candidate count when lower)")
    print_footer("bench.bench_segment_ann", argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
