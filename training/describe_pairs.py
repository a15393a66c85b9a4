"""Fill the description columns of pairs.csv files: text, template_id, is_heldout_phrasing, phrasing_family.

Each row's description is drawn from its own generator seeded by (seed, pair_id), so it does not
depend on row order or on other rows, and a rerun writes the same file. dev/val rows get only seen
phrasings; eval rows get held-out ones (templates, joiners, the request family) with probability
--heldout-fraction. The file is rewritten atomically; other columns are kept as they are.

    python -m training.describe_pairs data/pairs_v2/*/*/pairs.csv [--seed 0] [--heldout-fraction 0.3]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
from pathlib import Path

import numpy as np

from model.edits import Edit, parse_edits
from model.sound_vocab import BY_ID
from training.tables import write_csv_atomic
from training.wording import Description, describe

DESCRIPTION_FIELDS = ("text", "template_id", "is_heldout_phrasing", "phrasing_family")
HELDOUT_FRACTION_EVAL = 0.3


def pair_rng(seed: int, pair_id: str) -> np.random.Generator:
    digest = hashlib.sha256(f"{seed}\t{pair_id}".encode()).digest()
    return np.random.default_rng(int.from_bytes(digest[:8], "little"))


def main_sound_of(edits: list[Edit], scene: str) -> str | None:
    """The clip's main sound: named by an edit of it, else the scene when it is a sound class."""
    named = [e.sound for e in edits if e.is_main and e.sound is not None]
    if named:
        return named[0]
    return scene if scene in BY_ID else None


def describe_row(row: dict[str, str], seed: int, heldout_fraction: float) -> Description:
    rng = pair_rng(seed, row["pair_id"])
    edits = parse_edits(row["edits"])
    heldout = row["split"] == "eval" and rng.random() < heldout_fraction
    return describe(edits, rng, main_sound=main_sound_of(edits, row.get("scene", "")), heldout=heldout)


def describe_csv(path: Path, seed: int = 0, heldout_fraction: float = HELDOUT_FRACTION_EVAL) -> int:
    """Fill one pairs.csv in place; returns the number of rows."""
    with open(path, newline="") as f:
        reader = csv.DictReader(f)
        fields = list(reader.fieldnames or [])
        rows = list(reader)
    missing = {"pair_id", "split", "edits"} - set(fields)
    if missing:
        raise ValueError(f"{path}: missing columns {sorted(missing)}")
    fields += [c for c in DESCRIPTION_FIELDS if c not in fields]
    for row in rows:
        d = describe_row(row, seed, heldout_fraction)
        row.update(text=d.text, template_id=d.template_id, is_heldout_phrasing=str(int(d.is_heldout)),
                   phrasing_family=d.family)
    write_csv_atomic(path, fields, rows)
    return len(rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pairs", nargs="+", type=Path, help="pairs.csv files to fill")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--heldout-fraction", type=float, default=HELDOUT_FRACTION_EVAL,
                    help="share of eval rows phrased with held-out templates (dev/val: never)")
    args = ap.parse_args(argv)
    for path in args.pairs:
        n = describe_csv(path, args.seed, args.heldout_fraction)
        print(f"{path}: {n} descriptions")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
