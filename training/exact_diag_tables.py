"""Tables and the fixed reading of the exact-arithmetic diagnostic (training/run_exact_diag.sh).

Reads ``<out>/<arithmetic>/{v2_val,release1_val}/results.json`` for the runs ``<arithmetic>_s<seed>`` and
prints per-seed figures, means and standard deviations, then the reading written before the figures
(MODEL_CARD "Exact arithmetic, a val-only diagnostic"): exact is a lever worth a full retrain if its mean
v2 val R@1 beats pairsat1's by more than a margin of max(0.01, 2 x the larger seed std), and its mean
first-release val R@1 (rain and traffic averaged) is not lower than pairsat1's by more than that margin.

    python -m training.exact_diag_tables training/results/exact_diag
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

ARITHMETICS = ("pairsat1", "exact")
SEEDS = (0, 1, 2)
# (label, split folder, results key, audio-only query?)
COLUMNS = (
    ("v2 val R@1", "v2_val", "all/R@1", False),
    ("v2 val R@1 audio-only", "v2_val", "all/R@1", True),
    ("v2 val R@10", "v2_val", "all/R@10", False),
    ("first-release val R@1 rain", "release1_val", "rain/R@1", False),
    ("first-release val R@1 traffic", "release1_val", "traffic/R@1", False),
)


def load(out: Path) -> dict[str, dict[str, np.ndarray]]:
    """arithmetic -> column label -> per-seed values."""
    table: dict[str, dict[str, np.ndarray]] = {}
    for arith in ARITHMETICS:
        results = {split: json.loads((out / arith / split / "results.json").read_text())["results"]
                   for split in ("v2_val", "release1_val")}
        table[arith] = {
            label: np.array([results[split][f"{arith}_s{s}" + (":audio" if audio else "")][key] for s in SEEDS])
            for label, split, key, audio in COLUMNS}
    return table


def reading(table: dict[str, dict[str, np.ndarray]]) -> tuple[str, float]:
    """The verdict fixed before the figures, and the margin it used."""
    v2 = {a: table[a]["v2 val R@1"] for a in ARITHMETICS}
    margin = max(0.01, 2 * max(float(v2[a].std()) for a in ARITHMETICS))
    release1 = {a: (table[a]["first-release val R@1 rain"] + table[a]["first-release val R@1 traffic"]).mean() / 2
                for a in ARITHMETICS}
    gain = float(v2["exact"].mean() - v2["pairsat1"].mean())
    loss = float(release1["pairsat1"] - release1["exact"])
    if gain > margin and loss <= margin:
        return f"exact is a lever: v2 val R@1 +{gain:.3f} (margin {margin:.3f}), first-release val {-loss:+.3f}", margin
    return (f"no clear gain: v2 val R@1 {gain:+.3f} (margin {margin:.3f}), first-release val {-loss:+.3f}",
            margin)


def render(table: dict[str, dict[str, np.ndarray]]) -> str:
    head = "| arithmetic | " + " | ".join(label for label, *_ in COLUMNS) + " |"
    lines = [head, "|" + " --- |" * (len(COLUMNS) + 1)]
    for arith in ARITHMETICS:
        for i, seed in enumerate(SEEDS):
            lines.append(f"| {arith} seed {seed} | " + " | ".join(f"{table[arith][label][i]:.3f}"
                                                                 for label, *_ in COLUMNS) + " |")
        lines.append(f"| **{arith} mean ± std** | " + " | ".join(
            f"**{table[arith][label].mean():.3f}** ± {table[arith][label].std():.3f}" for label, *_ in COLUMNS) + " |")
    verdict, _ = reading(table)
    return "\n".join(lines) + f"\n\nReading (fixed before the figures): {verdict}\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="the diagnostic's results folder")
    args = parser.parse_args(argv)
    print(render(load(args.out)), end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
