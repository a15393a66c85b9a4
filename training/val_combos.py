"""R@1 of the app per combination of differences, on pairs files it ranked with `main.py evaluate --json`.

Which two-edit combinations the app misses, read on dev or val pairs only (never the OOD set). For each scene:

    python main.py --data-dir $(mktemp -d) evaluate data/pairs_v2_fresh3/<scene>/val/pairs.csv --json > <scene>.json
    python -m training.val_combos data/pairs_v2_fresh3/*/val/pairs.csv --ranks-dir DIR   # DIR/<scene>.json
    ... --cosine-dir DIR2   # the same pairs ranked with --no-rerank: how many are beyond the reranker's reach
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


def _ranks(pairs_file: Path, ranks_dir: Path) -> dict[int, dict]:
    ranked = json.loads((ranks_dir / f"{pairs_file.parents[1].name}.json").read_text())
    return {p["line"]: p for p in ranked["per_pair"]}


def table(pairs_files: list[Path], ranks_dir: Path, cosine_dir: Path | None = None, reach: int = 80) -> list[str]:
    cells: dict[tuple[int, str], list[tuple[bool, ...]]] = defaultdict(list)
    for pairs_file in pairs_files:
        ranked = _ranks(pairs_file, ranks_dir)
        cosine = _ranks(pairs_file, cosine_dir) if cosine_dir else {}
        with open(pairs_file, newline="") as f:
            rows = {line: row for line, row in enumerate(csv.DictReader(f), start=2)}
        for line, p in ranked.items():
            by_cosine = cosine[line]["rank"] if cosine else 0
            cells[combo(rows[line]["diff_types"])].append(
                (p["rank"] == 1, p["rank"] <= 10, p["audio_only_rank"] == 1, by_cosine == 1, by_cosine > reach))
    head = "| differences | pairs | R@1 | R@10 | audio-only R@1 |"
    if cosine_dir:
        head += f" cosine R@1 | beyond the first {reach} by cosine | R@1 of those within |"
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for (_, name), hits in sorted(cells.items(), key=lambda kv: (kv[0][0], -len(kv[1]), kv[0][1])):
        r1, r10, audio, cos1, beyond = (sum(h[k] for h in hits) / len(hits) for k in range(5))
        line = f"| {name} | {len(hits)} | {r1:.2f} | {r10:.2f} | {audio:.2f} |"
        if cosine_dir:
            within = [h[0] for h in hits if not h[4]]
            line += f" {cos1:.2f} | {beyond:.2f} | {sum(within) / max(len(within), 1):.2f} |"
        lines.append(line)
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pairs", nargs="+", type=Path, help="pairs.csv files (a diff_types column), one per scene")
    ap.add_argument("--ranks-dir", type=Path, required=True, help="<scene>.json from main.py evaluate --json")
    ap.add_argument("--cosine-dir", type=Path, help="the same with --no-rerank (adds cosine and reach columns)")
    args = ap.parse_args(argv)
    print("\n".join(table(args.pairs, args.ranks_dir, args.cosine_dir)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
