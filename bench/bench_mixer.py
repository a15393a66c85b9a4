"""Render speed of the v2 mixer (training.mixer) on planned families, one process.

    python bench/bench_mixer.py --catalog data/catalog --scene city_street --pairs 60
    python bench/bench_mixer.py --tiny                 # a generated tiny catalog (no data needed)

Prints clips/s, seconds of audio rendered per second and where the time goes (render vs file
write). The full synthesis runs this on 2 worker processes (training.pairs_v2 --workers 2).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def main(argv: list[str] | None = None) -> int:
    from training.mixer import SourceCache, render
    from training.mixer_sidecar import write_clip
    from training.pairs_v2 import clip_jobs, plan
    from training.source_pool import load_pool

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--catalog", type=Path, default=Path("data/catalog"))
    ap.add_argument("--tiny", action="store_true", help="use a generated tiny catalog instead")
    ap.add_argument("--scene", default="city_street")
    ap.add_argument("--split", default="dev")
    ap.add_argument("--pairs", type=int, default=60)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        catalog = args.catalog
        if args.tiny:
            from training.tiny_catalog import make_tiny_catalog

            catalog = make_tiny_catalog(Path(tmp) / "catalog")
        families = plan(0, args.scene, args.split, args.pairs, load_pool(catalog, args.split))
        jobs = clip_jobs(families, args.scene, args.split, 0, len(families))
        cache = SourceCache(catalog)
        for _, spec, _ in jobs[:3]:
            render(spec, cache)  # warm the source cache, filter designs and imports
        t0 = time.perf_counter()
        for _, spec, _ in jobs:
            render(spec, cache)
        t_render = time.perf_counter() - t0
        t0 = time.perf_counter()
        for rel, spec, extra in jobs:
            write_clip(spec, Path(tmp) / "out" / rel, cache, extra)
        t_write = time.perf_counter() - t0
    seconds = sum(spec.duration for _, spec, _ in jobs)
    print(f"{len(jobs)} clips ({seconds / len(jobs):.1f} s mean) of {len(families)} families, "
          f"{args.scene}/{args.split}")
    print(f"render only:        {len(jobs) / t_render:.1f} clips/s, {seconds / t_render:.0f} s of audio per s")
    print(f"render + FLAC/JSON: {len(jobs) / t_write:.1f} clips/s ({(t_write - t_render) / len(jobs) * 1000:.0f} ms"
          f" per clip for writing)")
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
