"""Synthesize (clip a, text, clip b) training pairs with Scaper.

Writes, per scene and split, to <out>/<scene>/<split>/:
  audio/NNN/<pair_id>_{a,b}.flac + .jams   (16 kHz mono 16-bit; JAMS written by Scaper)
  pairs.csv                                one row per pair (schema: PAIR_FIELDS)
  classes.txt                              label order of the multi-hot columns
Pair i is drawn from np.random.default_rng([seed, scene, split, i]) alone, so output does
not depend on --workers, and an interrupted run resumes where it stopped (pairs whose
files exist are not rendered again; their rows are rebuilt from the same seed).
Splits: dev = training pairs from the dev 'train' sources, val = model-selection pairs
from the dev 'val' sources, eval = pairs from eval sources (with held-out phrasings).
"""

from __future__ import annotations

import argparse
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

import numpy as np

from training.descriptions import HELDOUT_FRACTION_EVAL, describe
from training.pair_sampler import PairSpec, SourceFile, SourcePool, diff_string, sample_clip_a, sample_pair
from training.prepare_sources import read_split
from training.scenes import ALL_CLASSES, SCENES, format_multi_hot
from training.tables import write_csv_atomic

REPO_ROOT = Path(__file__).resolve().parents[1]
PAIR_FIELDS = ["pair_id", "scene", "split", "a_path", "b_path", "text", "template_id",
               "is_heldout_phrasing", "diff_types", "labels_a", "labels_b", "seed",
               "pair_index", "edit_db"]
SPLITS = ("dev", "val", "eval")
SUBSET_OF_SPLIT = {"dev": "train", "val": "val", "eval": "eval"}
CHUNK = 50
FAMILY_SALT = 7  # separates a family's clip-a stream from pair streams of the same index


def load_pool(sources_dir: Path, split: str) -> SourcePool:
    """Prepared source files of one split, from <sources_dir>/split.csv."""
    subset = SUBSET_OF_SPLIT[split]
    bgs: dict[str, list[SourceFile]] = {}
    events: dict[str, list[SourceFile]] = {}
    for row in read_split(sources_dir):
        if row["subset"] != subset:
            continue
        target = bgs if row["role"] == "bg" else events
        target.setdefault(row["class"], []).append(
            SourceFile(row["file"], row["class"], float(row["duration"])))
    return SourcePool(bgs, events)


def pair_rng(seed: int, scene: str, split: str, index: int) -> np.random.Generator:
    return np.random.default_rng([seed, list(SCENES).index(scene), SPLITS.index(split), index])


def make_pair(seed: int, scene: str, split: str, index: int,
              pool: SourcePool, family_size: int = 1) -> tuple[PairSpec, dict[str, str]]:
    """Spec and pairs.csv row of pair `index` (no audio rendered). With family_size K > 1, pairs come in
    families of K edits of one clip a (drawn from the family's own seed): a's versions are each other's hard
    negatives in a gallery, as in the v2 pairs and the demo library."""
    pair_id = f"{scene}_{split}_{index:06d}"
    folder = f"audio/{index // 1000:03d}"
    a_path = f"{folder}/{pair_id}_a.flac"
    if family_size > 1:
        family = index // family_size
        a_path = f"audio/{family * family_size // 1000:03d}/{scene}_{split}_f{family:06d}_a.flac"
        pair, rng = family_pair(seed, scene, split, index, pool, family_size)
    else:
        rng = pair_rng(seed, scene, split, index)
        pair = sample_pair(rng, SCENES[scene], pool)
    heldout = split == "eval" and rng.random() < HELDOUT_FRACTION_EVAL
    desc = describe(list(pair.diffs), rng, heldout=heldout)
    row = {
        "pair_id": pair_id, "scene": scene, "split": split,
        "a_path": a_path, "b_path": f"{folder}/{pair_id}_b.flac",
        "text": desc.text, "template_id": desc.template_id,
        "is_heldout_phrasing": str(int(desc.is_heldout)), "diff_types": diff_string(pair),
        "labels_a": format_multi_hot(pair.a.labels), "labels_b": format_multi_hot(pair.b.labels),
        "seed": str(seed), "pair_index": str(index),
        "edit_db": "|".join(f"{x:g}" for x in pair.edit_db),
    }
    if family_size > 1:  # only then: single-pair sets keep their pairs.csv byte for byte
        row["family"] = f"{scene}_{split}_f{index // family_size:06d}"
    return pair, row


def family_pair(seed: int, scene: str, split: str, index: int, pool: SourcePool,
                family_size: int) -> tuple[PairSpec, np.random.Generator]:
    """Pair `index` of its family: the family's clip a, edited differently from its earlier siblings (up to
    10 draws each, the siblings drawn in order), and the generator that drew it (the description continues
    from it)."""
    scene_i, split_i, family = list(SCENES).index(scene), SPLITS.index(split), index // family_size
    a = sample_clip_a(np.random.default_rng([seed, scene_i, split_i, family, FAMILY_SALT]), SCENES[scene], pool)
    taken: set[str] = set()
    for sibling in range(family * family_size, index + 1):
        for attempt in range(10):
            rng = np.random.default_rng([seed, scene_i, split_i, sibling, FAMILY_SALT, attempt])
            pair = sample_pair(rng, SCENES[scene], pool, a)
            if diff_string(pair) not in taken:
                break
        taken.add(diff_string(pair))
    return pair, rng


def synthesize_range(sources_dir: str, out_dir: str, seed: int, scene: str, split: str,
                     start: int, stop: int, family_size: int = 1) -> list[dict[str, str]]:
    """Worker: render pairs start..stop-1 (skipping finished ones); returns their rows."""
    from training.scaper_render import render_clip  # imports scaper in the worker only

    src, out = Path(sources_dir), Path(out_dir)
    pool = load_pool(src, split)
    rows = []
    for index in range(start, stop):
        pair, row = make_pair(seed, scene, split, index, pool, family_size)
        a_audio, b_audio = out / row["a_path"], out / row["b_path"]
        a_jams, b_jams = a_audio.with_suffix(".jams"), b_audio.with_suffix(".jams")
        if not a_jams.exists():  # a clip's JAMS is written after its audio; a family renders its a once
            render_clip(pair.a, src, a_audio, a_jams)
        if not b_jams.exists():
            render_clip(pair.b, src, b_audio, b_jams)
        rows.append(row)
    return rows


def synthesize(sources_dir: Path, out_dir: Path, scene: str, split: str, n_pairs: int,
               seed: int = 0, workers: int = 1, family_size: int = 1) -> Path:
    """Synthesize n_pairs for one scene/split into out_dir; returns pairs.csv's path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    pool = load_pool(sources_dir, split)
    if not pool.backgrounds.get(SCENES[scene].background):
        raise ValueError(f"no {SCENES[scene].background} backgrounds in split {split}")
    (out_dir / "classes.txt").write_text("\n".join(ALL_CLASSES) + "\n")
    chunk = CHUNK - CHUNK % family_size or family_size  # a family never spans two workers
    ranges = [(s, min(s + chunk, n_pairs)) for s in range(0, n_pairs, chunk)]
    args = (str(sources_dir), str(out_dir), seed, scene, split)
    rows: list[dict[str, str]] = []
    t0 = time.time()
    if workers <= 1:
        for start, stop in ranges:
            rows += synthesize_range(*args, start, stop, family_size)
            _progress(scene, split, len(rows), n_pairs, t0)
    else:
        with ProcessPoolExecutor(max_workers=workers) as ex:
            futures = [ex.submit(synthesize_range, *args, s, e, family_size) for s, e in ranges]
            for fut in as_completed(futures):
                rows += fut.result()
                _progress(scene, split, len(rows), n_pairs, t0)
    rows.sort(key=lambda r: int(r["pair_index"]))
    return write_csv_atomic(out_dir / "pairs.csv", PAIR_FIELDS + ["family"] * (family_size > 1), rows)


def _progress(scene: str, split: str, done: int, total: int, t0: float) -> None:
    rate = done / max(time.time() - t0, 1e-9)
    eta = (total - done) / rate if rate > 0 else float("inf")
    print(f"[synth] {scene}/{split}: {done}/{total} pairs, {rate:.2f} pairs/s, "
          f"ETA {eta / 60:.1f} min", flush=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scene", choices=[*SCENES, "all"], default="all")
    ap.add_argument("--split", choices=SPLITS, default="dev")
    ap.add_argument("--n-pairs", type=int, default=100, help="pairs per scene")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--sources", type=Path, default=REPO_ROOT / "data" / "sources",
                    help="folder with split.csv and prepared/ (prepare_sources or toy_sources)")
    ap.add_argument("--out", type=Path, default=REPO_ROOT / "data" / "pairs",
                    help="root; pairs go to <out>/<scene>/<split>/")
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--family-size", type=int, default=1,
                    help="K > 1: families of K edited versions of one clip a (hard negatives for each other)")
    args = ap.parse_args(argv)
    scenes = list(SCENES) if args.scene == "all" else [args.scene]
    for scene in scenes:
        pairs_csv = synthesize(args.sources, args.out / scene / args.split, scene, args.split,
                               args.n_pairs, args.seed, args.workers, args.family_size)
        print(f"[synth] wrote {pairs_csv}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
