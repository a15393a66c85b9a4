"""Wall time of one command-line search with a new modifier, process start to exit (imports included).

    python bench/bench_search_cli.py [--runs 5] [--python .venv/bin/python]

The library is the bundled demo (36 sounds), installed from its precomputed vectors into a temporary data
dir; each run is a fresh ``main.py search --query rain_01.ogg --modify "..."`` process with a modifier
not seen before (no cache can help). CPU seconds are reported too: on a busy machine they tell more
than the wall time. Target (issue 15): < 1.5 s on an idle 2-core machine.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_S = 1.5


def install_demo(data_dir: Path) -> int:
    sys.path.insert(0, str(ROOT))
    from app.demo import ensure_demo_library
    from app.service import SearchService

    with SearchService(data_dir) as svc:
        status = ensure_demo_library(svc)
        if status.needs_import:
            raise SystemExit(f"the demo cannot be installed from its vectors: {status.message}")
        return status.installed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--python", default=sys.executable, help="interpreter of the measured processes")
    args = parser.parse_args(argv)
    query = ROOT / "assets" / "demo_library" / "rain_01.ogg"
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        n = install_demo(data)
        env = dict(os.environ, NUDGE_DATA_DIR=str(data))
        print(f"library: {n} demo sounds; interpreter: {args.python}; cores: {os.cpu_count()}; "
              f"load average before: {os.getloadavg()[0]:.2f}")
        walls, cpus = [], []
        for i in range(args.runs):
            text = f"add a dog and make the rain {i + 2} times quieter"
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run([args.python, str(ROOT / "main.py"), "search", "--query", str(query), "--modify", text,
                            "--top", "5"], env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            walls.append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    median = statistics.median(walls)
    print(f"main.py search --modify, wall s: median {median:.2f}, min {min(walls):.2f}, max {max(walls):.2f} "
          f"({args.runs} runs); CPU (user + sys) s: median {statistics.median(cpus):.2f}; peak RSS {rss_mb:.0f} MB")
    print(f"vs target {TARGET_S:.1f} s: {median / TARGET_S:.2f}x ({'ok' if median <= TARGET_S else 'SLOW'}); "
          f"load average after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
