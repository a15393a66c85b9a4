"""The forty-third round's val table (MODEL_CARD): the refine loop within 3 steps per val split, the reference's
and each carry candidate's, and their mean.

    python -m training.carry_round_table training/results/round43 training/results/round42/val/F60 C0.5 C1
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

SPLITS = ("v2_val", "release1_val", "demo_val")
LOOP = "shipped:text"


def within(path: Path, steps: int = 3) -> float:
    """A refine_bench result file's share of text-loop sessions that found the target within ``steps``."""
    return json.loads(path.read_text())["results"][LOOP][f"all/within_{steps}"]


def row(name: str, folder: Path) -> str:
    figures = [within(folder / split / "refine.json") for split in SPLITS]
    cells = " | ".join(f"{f:.4f}" for f in figures)
    return f"| {name} | {cells} | {sum(figures) / len(figures):.4f} |"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="the round's folder (candidates under val/<name>/)")
    parser.add_argument("reference", type=Path, help="the reference's val folder (<split>/refine.json)")
    parser.add_argument("candidates", nargs="+")
    args = parser.parse_args(argv)
    print("| candidate | " + " | ".join(f"refine within 3, {s}" for s in SPLITS) + " | mean |")
    print("|---" * (len(SPLITS) + 2) + "|")
    print(row(f"{args.reference.name} (reference)", args.reference))
    for name in args.candidates:
        print(row(name, args.out / "val" / name))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
