"""How well YAMNet's stored class maxima say which files hold a named sound (app.named_sounds' notes).

    python -m bench.bench_named_sounds --catalog data/catalog --split val     # choose the rule here
    python -m bench.bench_named_sounds --catalog data/catalog --split eval    # report it here
    python -m bench.bench_named_sounds --timing 1000000                       # cost per search, 1M files

Builds a library of one catalog split's files (each labelled with one sound by its path and YAMNet,
training/catalog.py; the labels lean on YAMNet, so these figures flatter it), imports it as the app does,
and prints, per rule (which of the sound's AudioSet classes count, probability threshold): precision and
recall of "YAMNet hears <sound> in this file" against the labels, pooled over every file and sound asked,
and the share of sounds with at least one correct file among the three a note names.
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import tempfile
from pathlib import Path

import numpy as np

from app.service import SearchService
from model.class_scores import has_classes, probabilities
from model.sound_vocab import BY_ID
from model.yamnet import class_names

THRESHOLDS = (0.2, 0.3, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95)


def labelled_files(catalog: Path, split: str, folder: Path) -> dict[Path, str]:
    """Copy the split's labelled files (labels that are Nudge sounds) into ``folder``; path -> sound id."""
    out = {}
    with open(catalog / "catalog.csv", newline="") as f:
        for row in csv.DictReader(f):
            if row["split"] != split or row["label"] not in BY_ID:
                continue
            src = catalog / row["file"]
            dst = folder / f"{row['clip_id']}_{Path(row['file']).name}"
            if src.is_file():
                shutil.copy2(src, dst)
                out[dst] = row["label"]
    return out


def columns_of(sound: str, first_only: bool) -> list[int]:
    names = {n: i for i, n in enumerate(class_names())}
    wanted = BY_ID[sound].audioset[:1] if first_only else BY_ID[sound].audioset
    return [names[n] for n in wanted if n in names]


def timing(n_files: int) -> None:
    """Median time of one note lookup (thunder asked, nothing shown holds it) over a memory-mapped class table
    of n_files random rows, as the service reads it after a search."""
    import time

    from app.named_sounds import named_sound_notes

    rng = np.random.default_rng(0)
    with tempfile.TemporaryDirectory() as tmp:
        table = np.lib.format.open_memmap(Path(tmp) / "classes.npy", mode="w+", dtype=np.uint8, shape=(n_files, 521))
        for start in range(0, n_files, 100_000):
            table[start:start + 100_000] = rng.integers(0, 120, size=(min(100_000, n_files - start), 521))
        table.flush()
        del table
        classes = np.load(Path(tmp) / "classes.npy", mmap_mode="r")
        rows = np.arange(n_files)
        seconds = []
        for _ in range(5):
            start = time.perf_counter()
            named_sound_notes(["thunder"], 10, rows[:10], classes, rows,
                              lambda picked: [Path(f"/lib/{i}.wav") for i in picked])
            seconds.append(time.perf_counter() - start)
    print(f"note lookup, {n_files} files: median {1000 * float(np.median(seconds)):.1f} ms (5 runs)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--catalog", type=Path, default=Path("data/catalog"))
    parser.add_argument("--split", default="val")
    parser.add_argument("--timing", type=int, metavar="FILES", help="time the lookup on this many files instead")
    args = parser.parse_args(argv)
    if args.timing:
        timing(args.timing)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "library"
        folder.mkdir()
        labels = labelled_files(args.catalog, args.split, folder)
        with SearchService(Path(tmp) / "data") as svc:
            svc.import_folders([folder])
            snap = svc._current_snapshot()  # a measurement: the stored class rows as the app reads them
            records = svc.db.records([int(i) for i in snap.blocks.ids])
            paths = [records[int(i)].path for i in snap.blocks.ids]
            classes = np.asarray(snap.classes[snap.blocks.first])
    truth = np.array([labels.get(Path(os.fspath(p))) for p in paths], dtype=object)
    sounds = sorted({s for s in truth if s is not None and columns_of(s, True)})
    print(f"{args.split}: {len(paths)} files, {len(sounds)} sounds with AudioSet classes, "
          f"{int(has_classes(classes).sum())} files with class rows")
    print("classes      threshold  precision  recall  sounds with a right file among 3 named")
    for first_only in (True, False):
        for threshold in THRESHOLDS:
            tp = fp = fn = 0
            named_right = 0
            for sound in sounds:
                p = probabilities(classes[:, columns_of(sound, first_only)]).max(axis=1)
                heard, holds = p >= threshold, truth == sound
                tp += int((heard & holds).sum())
                fp += int((heard & ~holds).sum())
                fn += int((~heard & holds).sum())
                top = np.argsort(-np.where(heard, p, -1.0), kind="stable")[:3]
                named_right += bool(any(heard[i] and holds[i] for i in top))
            precision = tp / max(tp + fp, 1)
            recall = tp / max(tp + fn, 1)
            kind = "first" if first_only else "all"
            print(f"{kind:12s} {threshold:9.2f}  {precision:9.3f}  {recall:6.3f}  {named_right}/{len(sounds)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
