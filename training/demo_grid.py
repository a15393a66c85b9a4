"""Every single-edit pair inside one demo family, for ranking against the whole demo library.

The demo's 21 pairs (demo_pairs.csv) are the examples the app suggests; this grid asks every "add X" and
"remove X" a newcomer could try within a family (rain_01 + "add footsteps" -> rain_with_footsteps_01, and back),
44 pairs in all, in plain words. Paths are absolute, so the CSV can live anywhere:

    python -m training.demo_grid --out /tmp/demo_grid.csv
    python main.py --data-dir D index assets/demo_library
    python main.py --data-dir D evaluate /tmp/demo_grid.csv --gallery library
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
# file-name event -> the words that add it (remove: "remove the" + the words without their article)
EVENT_WORDS = {"thunder": "thunder", "dog": "a dog barking", "birds": "birdsong", "church_bells": "church bells",
               "footsteps": "footsteps", "car_horn": "a car horn"}


def grid_pairs(library: Path) -> list[tuple[Path, str, Path]]:
    present = {p.stem: p.resolve() for p in library.glob("*.ogg")}
    pairs = []
    for scene in ("rain", "traffic"):
        for family in ("01", "02", "03"):
            base = present.get(f"{scene}_{family}")
            if base is None:
                continue
            for event, words in EVENT_WORDS.items():
                with_event = present.get(f"{scene}_with_{event}_{family}")
                if with_event is not None:
                    pairs.append((base, f"add {words}", with_event))
                    pairs.append((with_event, f"remove the {words.removeprefix('a ')}", base))
    return pairs


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--library", type=Path, default=REPO_ROOT / "assets" / "demo_library")
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)
    pairs = grid_pairs(args.library)
    with open(args.out, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["query_path", "text", "target_path"])
        w.writerows((str(q), text, str(t)) for q, text, t in pairs)
    print(f"{len(pairs)} pairs -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
