"""Level words on a folder of single recordings: do "make it quieter" / "make it louder" find quieter / louder files?

    python -m bench.bench_level_words --split val

Builds a library of one catalog split's labelled files (bench.bench_named_sounds.labelled_files), imports it as the
app does and searches with every file as the query: with no words, with "make it quieter" and "make it louder", and
with the query's own sound named ("make the dog quieter", "make the dog louder", "more dog").
Printed per words: the mean (and median) over the queries of the top 10's mean RMS level minus the query's own (dBFS,
the whole file), and the share of the top 10 holding the query's own sound. A trial saw "make it quieter" on a dog bark
bring louder files; this says whether that is the rule or the exception.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import numpy as np
import soundfile as sf

from app.config import IndexConfig
from app.service import SearchService
from bench.bench_named_sounds import labelled_files
from model.sound_vocab import BY_ID

WORDS = ("", "make it quieter", "make it louder", "make the {} quieter", "make the {} louder", "more {}")  # {}: the
# query's own sound by name (a trial's "make the rain louder" on one rain recording pushed the other rain files away)


def rms_db(path: Path) -> float:
    x, _ = sf.read(str(path), always_2d=True)
    x = x.mean(axis=1)
    return float(20 * np.log10(np.sqrt(np.mean(x ** 2)) + 1e-9)) if len(x) else -120.0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--catalog", type=Path, default=Path("data/catalog"))
    ap.add_argument("--split", default="val")
    ap.add_argument("--level-lean", type=float, default=None, metavar="W",
                    help="IndexConfig.level_lean (default: the app's)")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="nudge_levels_") as tmp:
        work = Path(tmp)
        (work / "lib").mkdir()
        files = labelled_files(args.catalog, args.split, work / "lib")
        lean = {} if args.level_lean is None else {"level_lean": args.level_lean}
        svc = SearchService(work / "data", config=IndexConfig(**lean))
        svc.load_model()
        svc.import_folders([work / "lib"])
        level = {p.resolve(): rms_db(p) for p in files}
        shift: dict[str, list[float]] = {w: [] for w in WORDS}
        same: dict[str, list[float]] = {w: [] for w in WORDS}
        for query in files:
            for words in WORDS:
                results = svc.search(query, words.format(BY_ID[files[query]].name), top_k=10)
                levels = [level[Path(r.path).resolve()] for r in results if Path(r.path).resolve() in level]
                if levels:
                    shift[words].append(float(np.mean(levels)) - level[query.resolve()])
                    same[words].append(float(np.mean([files.get(Path(r.path)) == files[query] for r in results])))
        svc.close()
    print(f"{args.split}: {len(files)} labelled files, each the query once")
    for words in WORDS:
        d = np.array(shift[words])
        print(f"{words.format('X') or '(no words)':18s} top 10's level minus the query's {d.mean():+.2f} dB "
              f"(median {np.median(d):+.2f}), the query's own sound {np.mean(same[words]):.4f} of the top 10 "
              f"({len(d)} queries)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
