"""Keep the first data release's eval and val recordings out of the new catalog's training split.

The first release (training/fetch_sources.py, prepare_sources.py) split its 260 source clips into
train / val / eval; its Rain/Traffic eval split is still reported for comparison with the paper and
earlier releases. The new catalog splits every sound of the same packages afresh, so some of those
eval recordings would land in the new `train` split. This step moves each of those recordings (the
file, not its whole family: the first release split by file too) from `train`/`val` to `eval`
(`ood` rows are never touched), so the old eval figures of new models stay clean.

    python -m training.legacy_holdout --catalog data/catalog --sources data/sources
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

from training.tables import write_csv_atomic


def legacy_heldout_md5s(sources_dir: Path) -> set[str]:
    """md5 of the original files behind the first release's val and eval sources."""
    with open(sources_dir / "manifest.csv", newline="") as f:
        md5_of = {row["file"]: row["md5"] for row in csv.DictReader(f)}
    with open(sources_dir / "split.csv", newline="") as f:
        groups = {row["group"] for row in csv.DictReader(f) if row["subset"] in ("val", "eval")}
    return {md5_of[g] for g in groups if g in md5_of}


def hold_out(rows: list[dict[str, str]], md5s: set[str]) -> int:
    """Move every train/val row whose original file is one of ``md5s`` to eval, in place; rows moved."""
    moved = 0
    for r in rows:
        if r["md5"] in md5s and r["split"] in ("train", "val"):
            r["split"] = "eval"
            moved += 1
    return moved


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--catalog", type=Path, default=Path("data/catalog"))
    p.add_argument("--sources", type=Path, default=Path("data/sources"))
    args = p.parse_args(argv)
    path = args.catalog / "catalog.csv"
    with open(path, newline="") as f:
        reader = csv.DictReader(f)
        fields, rows = list(reader.fieldnames or []), list(reader)
    moved = hold_out(rows, legacy_heldout_md5s(args.sources))
    write_csv_atomic(path, fields, rows)
    print(f"[legacy_holdout] {moved} catalog rows moved to eval -> {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
