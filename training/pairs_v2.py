"""Synthesize v2 training/val/eval pairs from the source catalog, over many scenes.

    python -m training.pairs_v2 --catalog data/catalog --out data/pairs_v2 --seed 0 \
        --pairs-per-scene dev=3000,val=300,eval=300 --workers 2

Splits: dev <- catalog `train`, val <- `val`, eval <- `eval` (`ood` is never read). Per scene and
split, <out>/<scene>/<split>/ gets:
  audio/NNN/<family>_a.flac, <family>_b<k>.flac   16 kHz mono FLAC, each with a sidecar .json
  pairs.csv      one row per (a, edits, b) pair (PAIR_FIELDS); the description step fills `text`,
                 `template_id`, `is_heldout_phrasing`, `phrasing_family` later
  classes.txt    label order of labels_a / labels_b (classes.json order)
  summary.json   counts and render time
Families: clip a and 2-4 versions b with different edits (one family = one clip a; `family` column),
all in the same split, so a gallery holds hard negatives. Family f is drawn from
np.random.default_rng([seed, scene index, split index, f]) alone (its pairs must be drawn together to
differ), families are numbered until the pair count is reached, so output does not depend on
--workers and a larger count extends a smaller run. Resumable: clips whose FLAC and sidecar exist
from the same spec are not rendered again;
pairs.csv is rewritten from the plan.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import os
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

import numpy as np

from model.edits import format_edits
from training.mixer import ClipSpec, SourceCache
from training.mixer_sidecar import is_done, write_clip
from training.pair_plan import P_TWO_EDITS, Family, sample_family
from training.scenes_v2 import SCENE_ORDER, SCENES_V2, scene_index
from training.source_pool import SourcePool, load_pool, read_classes_text
from training.tables import write_csv_atomic

REPO_ROOT = Path(__file__).resolve().parents[1]
SPLITS = ("dev", "val", "eval")
PAIR_FIELDS = ["pair_id", "scene", "split", "a_path", "b_path", "edits", "diff_types", "labels_a", "labels_b",
               "family", "background_id", "a_duration", "b_duration", "seed", "pair_index",
               "text", "template_id", "is_heldout_phrasing", "phrasing_family"]
FAMILIES_PER_TASK = 8
NICE = 10
CACHE_MB = 1500  # decoded sources kept per worker (the whole catalog decodes to about 2 GB of float32)


def family_rng(seed: int, scene: str, split: str, family: int) -> np.random.Generator:
    return np.random.default_rng([seed, scene_index(scene), SPLITS.index(split), family])


def scene_possible(scene: str, pool: SourcePool) -> bool:
    s = SCENES_V2[scene]
    return bool(pool.event_classes()) and (not s.beds or bool(s.bed_choices(set(pool.bed_classes()))))


def plan(seed: int, scene: str, split: str, n_pairs: int, pool: SourcePool,
         p_two: float = P_TWO_EDITS) -> list[Family]:
    """Families 0, 1, ... until they hold at least n_pairs pairs."""
    families: list[Family] = []
    total = 0
    while total < n_pairs:
        fam = sample_family(family_rng(seed, scene, split, len(families)), SCENES_V2[scene], pool, p_two=p_two)
        families.append(fam)
        total += len(fam.members)
    return families


def family_name(scene: str, split: str, f: int) -> str:
    return f"{scene}_{split}_f{f:06d}"


def clip_paths(scene: str, split: str, f: int, n_members: int) -> tuple[str, list[str]]:
    """a path and b paths of family f, relative to the scene/split folder."""
    stem = f"audio/{f // 100:03d}/{family_name(scene, split, f)}"
    return f"{stem}_a.flac", [f"{stem}_b{k}.flac" for k in range(n_members)]


def _multi_hot(labels: set[str], classes: tuple[str, ...]) -> str:
    return " ".join("1" if c in labels else "0" for c in classes)


def background_id(clip: ClipSpec) -> str:
    """Recording family of the bed (of the main sound of an isolated clip): background batching key."""
    if clip.bed is not None and clip.bed.named:
        return clip.bed.source.group
    return next((s.source.group for s in clip.sounds if s.role == "main"), "")


def pair_rows(families: list[Family], scene: str, split: str, seed: int, classes: tuple[str, ...]
              ) -> list[dict[str, str]]:
    rows = []
    for f, fam in enumerate(families):
        a_path, b_paths = clip_paths(scene, split, f, len(fam.members))
        for m, b_path in zip(fam.members, b_paths, strict=True):
            i = len(rows)
            rows.append({
                "pair_id": f"{scene}_{split}_{i:06d}", "scene": scene, "split": split,
                "a_path": a_path, "b_path": b_path, "edits": format_edits(m.edits),
                "diff_types": "|".join(str(e) for e in m.edits),
                "labels_a": _multi_hot(fam.a.labels, classes), "labels_b": _multi_hot(m.b.labels, classes),
                "family": family_name(scene, split, f), "background_id": background_id(fam.a),
                "a_duration": f"{fam.a.duration:.3f}", "b_duration": f"{m.b.duration:.3f}",
                "seed": str(seed), "pair_index": str(i),
                "text": "", "template_id": "", "is_heldout_phrasing": "", "phrasing_family": "",
            })
    return rows


_CACHE: dict[str, SourceCache] = {}


def _init_worker(nice: int) -> None:
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = "1"
    current = os.nice(0)
    if nice > current:
        os.nice(nice - current)


def render_task(catalog: str, out_dir: str, jobs: list[tuple[str, ClipSpec, dict]],
                cache_mb: float = CACHE_MB) -> tuple[int, float]:
    """Worker: render the clips not yet done; returns (rendered, seconds)."""
    cache = _CACHE.setdefault(catalog, SourceCache(Path(catalog), cache_mb))
    t0, done = time.time(), 0
    for rel, spec, extra in jobs:
        path = Path(out_dir) / rel
        if not is_done(path, spec):
            write_clip(spec, path, cache, extra)
            done += 1
    return done, time.time() - t0


def clip_jobs(families: list[Family], scene: str, split: str, start: int, stop: int
              ) -> list[tuple[str, ClipSpec, dict]]:
    jobs = []
    for f in range(start, stop):
        fam = families[f]
        a_path, b_paths = clip_paths(scene, split, f, len(fam.members))
        name = family_name(scene, split, f)
        jobs.append((a_path, fam.a, {"family": name, "clip": "a"}))
        for k, (m, b) in enumerate(zip(fam.members, b_paths, strict=True)):
            jobs.append((b, m.b, {"family": name, "clip": f"b{k}", "edits": format_edits(m.edits)}))
    return jobs


def summarize(rows: list[dict[str, str]], families: list[Family], seconds: float, rendered: int) -> dict:
    diffs = Counter(d.split(":")[0] for r in rows for d in r["diff_types"].split("|"))
    n_edits = Counter(len(r["diff_types"].split("|")) for r in rows)
    durations = [fam.a.duration for fam in families] + [m.b.duration for fam in families for m in fam.members]
    return {"pairs": len(rows), "families": len(families), "clips": len(durations), "rendered_now": rendered,
            "render_worker_seconds": round(seconds, 1), "diff_types": dict(diffs),
            "n_edits": {str(k): v for k, v in sorted(n_edits.items())},
            "family_sizes": dict(Counter(len(f.members) for f in families)),
            "clip_seconds": {"mean": round(float(np.mean(durations)), 2),
                             "total_hours": round(sum(durations) / 3600, 2)}}


def parse_counts(text: str) -> dict[str, int]:
    counts = {}
    for part in filter(None, text.split(",")):
        split, _, n = part.partition("=")
        if split not in SPLITS:
            raise argparse.ArgumentTypeError(f"unknown split {split!r} (dev, val, eval)")
        counts[split] = int(n)
    return counts


def run(catalog: Path, out: Path, seed: int, counts: dict[str, int], scenes: list[str], workers: int,
        nice: int = NICE, cache_mb: float = CACHE_MB, p_two: float = P_TWO_EDITS) -> list[Path]:
    """Plan every scene/split, render all clips on a pool, write pairs.csv per scene/split."""
    catalog_bytes = (catalog / "catalog.csv").read_bytes()  # one version of the catalog for the whole run
    classes_text = (catalog / "classes.json").read_text()
    rows_all = list(csv.DictReader(io.StringIO(catalog_bytes.decode())))
    classes = read_classes_text(classes_text)
    out.mkdir(parents=True, exist_ok=True)
    (out / "catalog_used.json").write_text(json.dumps({
        "catalog_csv_sha256": hashlib.sha256(catalog_bytes).hexdigest(), "rows": len(rows_all),
        "classes": list(classes), "seed": seed, "counts": counts, "two_edit_share": p_two}, indent=1))
    work = []  # (scene, split, families, folder)
    for split, n in counts.items():
        pool = load_pool(catalog, split, rows_all, classes)
        for scene in scenes:
            if not scene_possible(scene, pool):
                print(f"[pairs_v2] skip {scene}/{split}: no bed or event sources in this split", flush=True)
                continue
            t0 = time.time()
            families = plan(seed, scene, split, n, pool, p_two)
            beds = SCENES_V2[scene].bed_choices(set(pool.bed_classes()))
            if SCENES_V2[scene].beds and not set(beds) & set(SCENES_V2[scene].beds):
                print(f"[pairs_v2] {scene}/{split}: none of {SCENES_V2[scene].beds} in this split, "
                      f"fallback beds {beds}", flush=True)
            folder = out / scene / split
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "classes.txt").write_text("\n".join(pool.classes) + "\n")
            work.append((scene, split, families, folder, pool.classes))
            print(f"[pairs_v2] planned {scene}/{split}: {len(families)} families in {time.time() - t0:.1f} s",
                  flush=True)
    written = []
    with ProcessPoolExecutor(max_workers=max(1, workers), initializer=_init_worker, initargs=(nice,)) as ex:
        futures = {}  # every task of every scene/split at once: the pool never idles between them
        # small splits (val, eval) first: a run stopped early still has complete evaluation sets
        for w in sorted(range(len(work)), key=lambda w: len(work[w][2])):
            scene, split, families, folder, _classes = work[w]
            for s in range(0, len(families), FAMILIES_PER_TASK):
                jobs = clip_jobs(families, scene, split, s, min(s + FAMILIES_PER_TASK, len(families)))
                futures[ex.submit(render_task, str(catalog), str(folder), jobs, cache_mb)] = w
        left = Counter(futures.values())
        rendered, seconds = Counter(), Counter()
        t0 = time.time()
        for k, fut in enumerate(as_completed(futures), 1):
            w = futures[fut]
            n, secs = fut.result()
            rendered[w] += n
            seconds[w] += secs
            left[w] -= 1
            if k % 20 == 0:
                print(f"[pairs_v2] {k}/{len(futures)} tasks, {sum(rendered.values())} clips rendered, "
                      f"{time.time() - t0:.0f} s", flush=True)
            if left[w] == 0:
                scene, split, families, folder, classes = work[w]
                rows = pair_rows(families, scene, split, seed, classes)
                written.append(write_csv_atomic(folder / "pairs.csv", PAIR_FIELDS, rows))
                summary = summarize(rows, families, seconds[w], rendered[w])
                (folder / "summary.json").write_text(json.dumps(summary, indent=1))
                print(f"[pairs_v2] wrote {folder / 'pairs.csv'}: {summary['pairs']} pairs, {summary['clips']} clips "
                      f"({rendered[w]} rendered now, {seconds[w]:.0f} worker-s)", flush=True)
    return written


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--catalog", type=Path, default=REPO_ROOT / "data" / "catalog",
                    help="folder with catalog.csv, classes.json and the FLACs they list")
    ap.add_argument("--out", type=Path, default=REPO_ROOT / "data" / "pairs_v2")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--pairs-per-scene", type=parse_counts, default=parse_counts("dev=3000,val=300,eval=300"))
    ap.add_argument("--scenes", default=",".join(SCENE_ORDER),
                    help="comma-separated subset of " + ",".join(SCENE_ORDER))
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--nice", type=int, default=NICE, help="niceness of the rendering processes")
    ap.add_argument("--cache-mb", type=float, default=CACHE_MB, help="decoded sources kept per worker, MB")
    ap.add_argument("--two-edit-share", type=float, default=P_TWO_EDITS,
                    help="share of edited versions with two edits (the rest have one)")
    args = ap.parse_args(argv)
    scenes = [s for s in args.scenes.split(",") if s]
    unknown = set(scenes) - set(SCENE_ORDER)
    if unknown:
        ap.error(f"unknown scenes: {sorted(unknown)}")
    t0 = time.time()
    run(args.catalog, args.out, args.seed, args.pairs_per_scene, scenes, args.workers, args.nice, args.cache_mb,
        args.two_edit_share)
    print(f"[pairs_v2] done in {time.time() - t0:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
