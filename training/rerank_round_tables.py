"""Val table of a reranker round: R@1, two-difference R@1 and the refine loop per val split, and the folder score.

    python -m training.rerank_round_tables training/results/round37 K20 K30 K40 > training/results/round37/val.md

Reads <dir>/val/<candidate>/<split>/{results,refine}.json (training.evaluate / training.refine_bench with
--rerank) and <dir>/val_folder/<candidate>.txt (bench.bench_real_folder --split val). The folder score is the
mean of three shares of the top 10 with words: "add <sound>", "make it quieter" and "make it louder".
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

SPLITS = ("v2_val", "release1_val", "demo_val")
FOLDER_LINES = ('"add <Y>"', '"make it quieter"', '"make it louder"')
_SHARE = re.compile(r"with words ([0-9.]+) of the top 10")


def folder_shares(path: Path) -> list[float] | None:
    """The three with-words shares of a folder bench's output, or None when it is missing."""
    if not path.is_file():
        return None
    shares = []
    for prefix in FOLDER_LINES:
        line = next((x for x in path.read_text().splitlines() if x.startswith(prefix)), "")
        match = _SHARE.search(line)
        if match is None:
            return None
        shares.append(float(match.group(1)))
    return shares


def split_figures(folder: Path) -> tuple[float, float, float] | None:
    """(R@1, two-difference R@1, refine within 3 steps) of one candidate on one val split, or None."""
    try:
        results = json.loads((folder / "results.json").read_text())["results"]["shipped"]
        refine = json.loads((folder / "refine.json").read_text())["results"]["shipped:text"]
    except (OSError, KeyError, ValueError):
        return None
    return results["all/R@1"], results.get("all/diff/n_diffs:2", float("nan")), refine["all/within_3"]


def _mean(values: list[float]) -> float:
    return sum(values) / len(values)


def table(root: Path, candidates: list[str]) -> list[str]:
    head = ["candidate", *(f"R@1 {s}" for s in SPLITS), "R@1 mean", *(f"two diff. {s}" for s in SPLITS),
            *(f"refine {s}" for s in SPLITS), "refine mean", "folder shares", "folder score"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for name in candidates:
        figures = [split_figures(root / "val" / name / s) for s in SPLITS]
        if any(f is None for f in figures):
            lines.append(f"| {name} | (not measured) |")
            continue
        r1, two, ref = ([f[i] for f in figures] for i in range(3))
        shares = folder_shares(root / "val_folder" / f"{name}.txt")
        folder = ("", "") if shares is None else (" / ".join(f"{s:.3f}" for s in shares), f"{_mean(shares):.3f}")
        cells = [name, *(f"{v:.4f}" for v in r1), f"{_mean(r1):.4f}", *(f"{v:.4f}" for v in two),
                 *(f"{v:.4f}" for v in ref), f"{_mean(ref):.4f}", *folder]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("root", type=Path, help="the round's results folder")
    p.add_argument("candidates", nargs="+")
    args = p.parse_args(argv)
    print("\n".join(table(args.root, args.candidates)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
