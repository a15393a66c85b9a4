"""Drop the synthesized pairs whose clip a or b is silent, before their features are cached.

A mix can come out silent (e.g. every event removed over a background gated to nothing); the extractor
refuses such a clip (as the app does), so its pairs cannot be trained on. The original CSV is kept beside as
``pairs.all.csv``; ``pairs.csv`` is rewritten atomically without them.

    python -m training.drop_silent_pairs data/pairs_v2_extra2/*/dev/pairs.csv
"""

from __future__ import annotations

import argparse
import csv
from multiprocessing import Pool
from pathlib import Path

from model.audio_io import iter_blocks_16k
from model.errors import AudioDecodeError
from training.tables import write_csv_atomic


def extractor_refuses(path: str) -> bool:
    """True when the extractor would refuse the clip (digital silence; also too short or non-finite samples)."""
    try:
        for _ in iter_blocks_16k(path, validate=True):
            pass
    except AudioDecodeError:
        return True
    return False


def drop_silent(pairs_csv: Path, workers: int = 2) -> tuple[int, int]:
    """(pairs kept, pairs dropped); rewrites ``pairs_csv`` only when something is dropped."""
    with open(pairs_csv, newline="") as f:
        reader = csv.DictReader(f)
        fields, rows = reader.fieldnames or [], list(reader)
    base = pairs_csv.parent
    clips = sorted({p for row in rows for p in (row["a_path"], row["b_path"])})
    with Pool(workers) as pool:
        flags = pool.map(extractor_refuses, [str(base / c) for c in clips], chunksize=64)
    silent = {c for c, s in zip(clips, flags, strict=True) if s}
    kept = [row for row in rows if row["a_path"] not in silent and row["b_path"] not in silent]
    if len(kept) < len(rows):
        original = base / "pairs.all.csv"
        if not original.exists():
            original.write_bytes(pairs_csv.read_bytes())
        write_csv_atomic(pairs_csv, fields, kept)
    return len(kept), len(rows) - len(kept)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("pairs", nargs="+", type=Path)
    p.add_argument("--workers", type=int, default=2)
    args = p.parse_args(argv)
    for pairs_csv in args.pairs:
        kept, dropped = drop_silent(pairs_csv, args.workers)
        print(f"{pairs_csv}: {kept} pairs kept, {dropped} dropped (a silent clip)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
