"""Peak memory and throughput importing long high-rate files (issue 13: a 2-hour 48 kHz stereo file must
import with peak RSS well under 1 GB; long files at >= 400 s of audio per second on 2 cores).

    python -m bench.bench_import_rss                          # one 2-hour 48 kHz stereo PCM-16 WAV
    python -m bench.bench_import_rss --files 4 --minutes 30   # throughput over several long files
    python -m bench.bench_import_rss --minutes 2 --subtype PCM_24

The files are synthesized in blocks into a temporary folder (noise, drifting tones and bursts, so the
decoder and the features see changing sound), then imported into a fresh library by a child process
(SearchService.import_folders with --workers worker processes). The parent samples the resident
memory of the child and all its descendants every 50 ms from /proc: peak of the largest single process
and peak of their sum. The files are deleted afterwards unless --keep.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_index import load_average, print_footer  # noqa: E402

TARGET_PEAK_MIB = 1024.0
TARGET_THROUGHPUT = 400.0
_PAGE = os.sysconf("SC_PAGE_SIZE")


def synthesize(path: Path, seconds: float, sr: int, channels: int, subtype: str, seed: int) -> None:
    """A long test recording written block by block (bounded memory)."""
    import soundfile as sf

    rng = np.random.default_rng(seed)
    block = 10 * sr
    phase = 0.0
    with sf.SoundFile(path, "w", samplerate=sr, channels=channels, subtype=subtype, format="WAV") as f:
        for lo in range(0, int(seconds * sr), block):
            n = min(block, int(seconds * sr) - lo)
            freq = 200 + 150 * np.sin(lo / sr / 60)  # drifts over minutes
            t = np.arange(n) / sr
            tone = 0.2 * np.sin(phase + 2 * np.pi * freq * t)
            phase = float((phase + 2 * np.pi * freq * n / sr) % (2 * np.pi))
            x = 0.05 * rng.standard_normal(n) + tone
            if rng.random() < 0.3:  # a burst now and then
                at = int(rng.integers(0, max(1, n - sr // 2)))
                x[at : at + sr // 2] += 0.5 * rng.standard_normal(min(sr // 2, n - at))
            frames = np.stack([x, np.roll(x, 7) * 0.8][:channels], axis=1)
            f.write(np.clip(frames, -1, 1).astype(np.float32))


def tree_rss(pid: int) -> list[int]:
    """Resident bytes of ``pid`` and every descendant (read from /proc; vanished processes skipped)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/statm") as f:
                out.append(int(f.read().split()[1]) * _PAGE)
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo += [int(c) for c in f.read().split()]
        except (FileNotFoundError, ProcessLookupError, ValueError):
            continue
    return out


def child(folder: Path, data_dir: Path, workers: int, heads: str | None) -> int:
    """Import ``folder`` into ``data_dir``; print a JSON line with the figures."""
    import resource

    from app.config import IndexConfig
    from app.service import SearchService

    svc = SearchService(data_dir, heads_path=heads, config=IndexConfig(workers=workers, in_process_below=0))
    svc.load_model()
    start, cpu = time.perf_counter(), time.process_time()
    report = svc.import_folders([folder])
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    svc.close()
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"added": report.added, "failed": report.failed, "wall_s": wall,
                      "cpu_s": report.extract_cpu_seconds, "main_cpu_s": cpu, "own_peak_mib": own}))
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--files", type=int, default=1)
    ap.add_argument("--minutes", type=float, default=120.0, help="length of each file")
    ap.add_argument("--rate", type=int, default=48_000)
    ap.add_argument("--channels", type=int, default=2)
    ap.add_argument("--subtype", default="PCM_16")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--heads", default=None, help="heads file (default: the shipped heads)")
    ap.add_argument("--tmp", type=Path, default=Path(tempfile.gettempdir()), help="where the files are written")
    ap.add_argument("--keep", action="store_true", help="keep the synthesized files (reused by the next run)")
    ap.add_argument("--child", nargs=2, metavar=("FOLDER", "DATA_DIR"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        return child(Path(args.child[0]), Path(args.child[1]), args.workers, args.heads)

    print(f"cpus {os.cpu_count()}, load average at start {load_average()}", flush=True)
    tag = f"nudge_rss_{args.files}x{args.minutes:g}min_{args.rate}_{args.channels}ch_{args.subtype}"
    folder = args.tmp / tag
    folder.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    for i in range(args.files):
        path = folder / f"long_{i:02d}.wav"
        if not path.exists():
            synthesize(path.with_suffix(".part"), args.minutes * 60, args.rate, args.channels, args.subtype, i)
            os.replace(path.with_suffix(".part"), path)
    size = sum(p.stat().st_size for p in folder.glob("*.wav"))
    print(f"files: {args.files} x {args.minutes:g} min, {args.rate} Hz, {args.channels} ch, {args.subtype}, "
          f"{size / 2**30:.2f} GiB in {folder} (ready in {time.perf_counter() - t0:.0f} s)", flush=True)
    data_dir = Path(tempfile.mkdtemp(prefix="nudge_rss_data_", dir=args.tmp))
    cmd = [sys.executable, "-m", "bench.bench_import_rss", "--workers", str(args.workers),
           "--child", str(folder), str(data_dir)] + (["--heads", args.heads] if args.heads else [])
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1]))
    peak_one = peak_sum = 0
    try:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, env=env)
        while proc.poll() is None:
            rss = tree_rss(proc.pid)
            if rss:
                peak_one, peak_sum = max(peak_one, max(rss)), max(peak_sum, sum(rss))
            time.sleep(0.05)
        out = proc.stdout.read() if proc.stdout else ""
        if proc.returncode:
            print(f"import child failed ({proc.returncode}): {out}")
            return 1
        r = json.loads(out.strip().splitlines()[-1])
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    audio_s = args.files * args.minutes * 60
    rate = audio_s / r["wall_s"]
    print(f"import: {r['added']} files ({audio_s:.0f} s of audio) in {r['wall_s']:.1f} s wall = {rate:.0f} s of audio "
          f"per s (target {TARGET_THROUGHPUT:.0f}, ratio {rate / TARGET_THROUGHPUT:.2f}); "
          f"failed {r['failed']}")
    cores = max(1, min(args.workers, args.files))  # one file is decoded by one worker
    idle = audio_s * cores / (r["cpu_s"] + r["main_cpu_s"])
    print(f"        CPU: {r['cpu_s']:.1f} s in the workers + {r['main_cpu_s']:.1f} s in the importing process; on "
          f"{cores} otherwise idle core(s) that is {idle:.0f} s of audio per s (projection; one file keeps one worker "
          f"busy, so {2 * audio_s / (r['cpu_s'] + r['main_cpu_s']):.0f} s/s on 2 cores needs 2 or more files)")
    print(f"peak RSS: largest process {peak_one / 2**20:.0f} MiB (sampled every 50 ms; the importer's own peak by "
          f"getrusage {r['own_peak_mib']:.0f} MiB), importer + workers together "
          f"{peak_sum / 2**20:.0f} MiB (target: well under {TARGET_PEAK_MIB:.0f} MiB, ratio "
          f"{TARGET_PEAK_MIB / max(peak_one / 2**20, 1):.2f} for the largest process)")
    print_footer("bench.bench_import_rss", argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
