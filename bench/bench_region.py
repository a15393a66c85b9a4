"""Region export speed: a moment of a long take written as a WAV (the drag-out file is written on the GUI
thread when a drag starts, so it must be quick), and a whole long take exported.

    .venv/bin/python -m bench.bench_region [--minutes 10] [--rate 48000] [--channels 2]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from app.export import drag_region_file, export_region
from model.audio_io import write_blocks


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--rate", type=int, default=48_000)
    parser.add_argument("--channels", type=int, default=2)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    rng = np.random.default_rng(0)
    with tempfile.TemporaryDirectory() as tmp:
        take = Path(tmp) / "take.wav"
        blocks = (0.1 * rng.standard_normal((args.rate * 10, args.channels)).astype(np.float32)
                  for _ in range(int(args.minutes * 6)))
        write_blocks(take, blocks, args.rate, args.channels, "PCM_24")
        what = f"{args.rate} Hz, {args.channels} ch, PCM_24, {args.minutes:g} min take"
        for seconds in (10.0, 60.0):
            times = []
            for k in range(args.runs):
                started = time.perf_counter()
                drag_region_file(take, 120.0 + k, 120.0 + k + seconds, Path(tmp) / "drag")
                times.append(time.perf_counter() - started)
            print(f"drag-out file of a {seconds:g} s moment ({what}): median {statistics.median(times) * 1000:.0f} ms "
                  f"(min {min(times) * 1000:.0f}, {args.runs} runs)")
        started = time.perf_counter()
        export_region(take, 0.0, None, Path(tmp) / "out")
        took = time.perf_counter() - started
        print(f"whole take exported as a region: {took:.2f} s ({args.minutes * 60 / took:.0f} s of audio per second)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
