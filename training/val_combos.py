"""R@1 of the app per combination of differences, on pairs files it ranked with `main.py evaluate --json`.

Which two-edit combinations the app misses, read on dev or val pairs only (never the OOD set). For each scene:

    python main.py --data-dir $(mktemp -d) evaluate data/pairs_v2_fresh3/<scene>/val/pairs.csv --json > <scene>.json
    python -m training.val_combos data/pairs_v2_fresh3/*/val/pairs.csv --ranks-dir DIR   # DIR/<scene>.json
"""

from __future__ import annotations

import argparse
import csv
import json
from collections import defaultdict
from pathlib import Path


def combo(diff_types: str) -> tuple[int, str]:
    """("event_added:dog|bg_quieter:rain") -> (2, "bg_quieter + event_added")."""
    kinds = sorted(t.split(":")[0] for t in diff_types.split("|") if t)
    return len(kinds), " + ".join(kinds)


def table(pairs_files: list[Path], ranks_dir: Path) -> list[str]:
    cells: dict[tuple[int, str], list[tuple[bool, bool, bool]]] = defaultdict(list)
    for pairs_file in pairs_files:
        scene = pairs_file.parents[1].name
        ranked = json.loads((ranks_dir / f"{scene}.json").read_text())
        with open(pairs_file, newline="") as f:
            rows = {line: row for line, row in enumerate(csv.DictReader(f), start=2)}
        for p in ranked["per_pair"]:
            cells[combo(rows[p["line"]]["diff_types"])].append(
                (p["rank"] == 1, p["rank"] <= 10, p["audio_only_rank"] == 1))
    lines = ["| differences | pairs | R@1 | R@10 | audio-only R@1 |", "|---|---|---|---|---|"]
    for (_, name), hits in sorted(cells.items(), key=lambda kv: (kv[0][0], -len(kv[1]), kv[0][1])):
        r1, r10, audio = (sum(h[k] for h in hits) / len(hits) for k in range(3))
        lines.append(f"| {name} | {len(hits)} | {r1:.2f} | {r10:.2f} | {audio:.2f} |")
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pairs", nargs="+", type=Path, help="pairs.csv files (a diff_types column), one per scene")
    ap.add_argument("--ranks-dir", type=Path, required=True, help="<scene>.json from main.py evaluate --json")
    args = ap.parse_args(argv)
    print("\n".join(table(args.pairs, args.ranks_dir)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
