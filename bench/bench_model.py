"""Embedding throughput (10 s clips, decoding included) and text-modifier latency.

Run: .venv/bin/python -m bench.bench_model [--clips 120] [--sr 44100] [--text-only]
Targets: >= 40 ten-second clips/s on 2 cores; text latency reported as p50/p95.
"""

from __future__ import annotations

import os

# Single-threaded BLAS/OpenMP (set before numpy loads): the mel matmul is tiny, and BLAS threads
# otherwise double the CPU per clip when two worker processes already fill both cores.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from concurrent.futures import ProcessPoolExecutor  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import soundfile as sf  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from model.audio_features import AudioFeatureExtractor  # noqa: E402
from model.checkpoint import audio_graph  # noqa: E402
from model.paths import heads_path  # noqa: E402
from model.yamnet import YamnetBackbone  # noqa: E402

GRAPH = audio_graph(heads_path())  # the YAMNet graph the shipped heads run on

TARGET_CLIPS_PER_S = 40.0
_worker: AudioFeatureExtractor | None = None


def make_clips(folder: Path, n: int, sr: int) -> list[Path]:
    rng = np.random.default_rng(0)
    t = np.arange(10 * sr) / sr
    paths = []
    for i in range(n):
        sig = 0.1 * rng.standard_normal(t.size) + 0.2 * np.sin(2 * np.pi * rng.uniform(100, 4000) * t)
        stereo = np.stack([sig, np.roll(sig, 100)], axis=1).astype(np.float32)
        path = folder / f"clip_{i:04d}.wav"
        sf.write(str(path), stereo, sr, subtype="PCM_16")
        paths.append(path)
    return paths


def _init_worker() -> None:
    global _worker
    _worker = AudioFeatureExtractor(backbone=YamnetBackbone(threads=1, arithmetic=GRAPH))


def _features(path: Path) -> np.ndarray:
    assert _worker is not None
    return _worker.from_file(path)


def bench_single_process(paths: list[Path]) -> float:
    extractor = AudioFeatureExtractor(backbone=YamnetBackbone(threads=2, arithmetic=GRAPH))
    extractor.from_file(paths[0])  # warm up
    start = time.perf_counter()
    for path in paths:
        extractor.from_file(path)
    return len(paths) / (time.perf_counter() - start)


def bench_two_processes(paths: list[Path]) -> float:
    with ProcessPoolExecutor(2, initializer=_init_worker) as pool:
        list(pool.map(_features, paths[:4]))  # warm up both workers
        start = time.perf_counter()
        list(pool.map(_features, paths, chunksize=4))
        return len(paths) / (time.perf_counter() - start)


def bench_text(n: int = 50) -> tuple[float, float, float, float]:
    """Load time of the whole run-time model (NudgeEncoder: YAMNet, MiniLM ONNX, heads) and the latency of
    T(text) of one new two-edit modifier (split into its edits for clause heads, then projected): wall p50,
    p95 and the CPU time p50 (all threads; on a busy machine it tells more than the wall time)."""
    from model.encoder import NudgeEncoder

    start = time.perf_counter()
    encoder = NudgeEncoder(threads=2)
    load_s = time.perf_counter() - start
    encoder.embed_text(["warm up"])
    times, cpu = [], []
    for i in range(n):
        start, start_cpu = time.perf_counter(), time.process_time()
        encoder.embed_text([f"add a dog barking and make the rain {i} times louder"])  # new text: not cached
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    times.sort()
    return load_s, statistics.median(times) * 1000, times[int(0.95 * (n - 1))] * 1000, statistics.median(cpu) * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clips", type=int, default=120)
    parser.add_argument("--sr", type=int, default=44_100, help="sample rate of the generated stereo clips")
    parser.add_argument("--text-only", action="store_true", help="only the model load and text rows")
    args = parser.parse_args(argv)
    single = pooled = float("nan")
    if not args.text_only:
        with tempfile.TemporaryDirectory() as tmp:
            paths = make_clips(Path(tmp), args.clips, args.sr)
            single = bench_single_process(paths)
            pooled = bench_two_processes(paths)
    load_s, p50, p95, cpu50 = bench_text()
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("command: .venv/bin/python -m bench.bench_model " +
          ("--text-only" if args.text_only else f"--clips {args.clips} --sr {args.sr}"))
    print(f"{'measure':<42}{'value':>12}{'target':>10}{'ratio':>8}")
    if not args.text_only:
        print(f"clips: {args.clips} x 10 s, {args.sr} Hz stereo PCM16 wav (decode + resample + features)")
        rows = (("1 process, 2 ORT threads (clips/s)", single), ("2 processes, 1 thread each (clips/s)", pooled))
        for name, value in rows:
            print(f"{name:<42}{value:>12.1f}{TARGET_CLIPS_PER_S:>10.0f}{value / TARGET_CLIPS_PER_S:>8.2f}")
    print(f"{'model load, NudgeEncoder (s)':<42}{load_s:>12.2f}")
    print(f"{'text embed latency p50 (ms)':<42}{p50:>12.1f}")
    print(f"{'text embed latency p95 (ms)':<42}{p95:>12.1f}")
    print(f"{'text embed CPU time p50 (ms)':<42}{cpu50:>12.1f}")
    print(f"load average at the end: {os.getloadavg()[0]:.2f}")
    print(f"{'peak RSS of the main process (MB)':<42}{rss_mb:>12.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
