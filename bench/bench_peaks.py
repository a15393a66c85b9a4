"""The waveform overview of a long take: how fast its peaks are computed (the app draws them on the first load of a
query; a 60-minute 48 kHz stereo take took 13 s, delaying its first search in the app).

    python -m bench.bench_peaks --minutes 10          # a generated 48 kHz stereo WAV, 2000 bins, median of 3
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import soundfile as sf

from app.peaks import compute_peaks

TARGET_SECONDS_PER_HOUR = 2.0  # a 60-minute take's overview within 2 s on the build machine


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    rate, rng = 48_000, np.random.default_rng(0)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "take.wav"
        with sf.SoundFile(path, "w", rate, 2, "PCM_16") as f:
            for _ in range(int(args.minutes)):
                f.write((0.1 * rng.standard_normal((rate * 60, 2))).astype(np.float32))
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            compute_peaks(path, 2000)
            times.append(time.perf_counter() - started)
    median = statistics.median(times)
    per_hour = median * 60 / args.minutes
    print(f"{args.minutes:g} min 48 kHz stereo: peaks in {median:.2f} s (median of {args.runs}); "
          f"{per_hour:.2f} s per hour of audio (target {TARGET_SECONDS_PER_HOUR:g} s, ratio "
          f"{TARGET_SECONDS_PER_HOUR / per_hour:.2f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
