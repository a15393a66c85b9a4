"""Synthesize families of short soundscapes in the demo library's design, as (clip a, text, clip b) pairs.

A family is one background segment plus one fixed instance of each of the scene's events; its members are
that bed alone, with each event, with two events, and with the bed louder or quieter (as in
``training/make_demo_library.py``). Pairs are members that differ by one or two edits (event added or
removed, background louder or quieter), so in a gallery a query's right target sits beside its siblings:
the choice the demo asks for ("rain_01" + "add thunder": the thunder version, not the dog version).
Unlike the demo, lengths, event levels and bed changes are drawn from ranges, and sources come from the
split's own subset (dev: train sources, val: val sources), minus every recording the demo library uses.

Writes <out>/<scene>/<split>/ like ``training.synthesize_pairs`` (pairs.csv with a family column, audio/,
classes.txt). Family f is drawn from its own seed alone: output does not depend on --workers, and a
stopped run resumes (members whose JAMS exist are not rendered again).

    python -m training.demo_families --split dev --n-families 600 --seed 0 --workers 2 --out data/demo_fam
"""

from __future__ import annotations

import argparse
import itertools
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import replace
from pathlib import Path

import numpy as np

from training.descriptions import Diff, describe
from training.pair_sampler import EDIT_DB_RANGE, REF_DB, ClipSpec, SourcePool, sample_event
from training.prepare_sources import read_split
from training.scenes import ALL_CLASSES, BG_LOUDER, BG_QUIETER, EVENT_ADDED, EVENT_REMOVED, SCENES, format_multi_hot
from training.synthesize_pairs import PAIR_FIELDS, SPLITS, load_pool
from training.tables import write_csv_atomic

REPO_ROOT = Path(__file__).resolve().parents[1]
FAMILY_SECONDS = (4, 10)  # whole seconds: Scaper's sample counts stay consistent
EVENT_SNR = (0.0, 15.0)  # the demo's 4..12 dB inside the training range
PAIRS_PER_FAMILY = 12
FAMILY_SALT = 11

# a member: (events present, background change in steps: -1, 0 or +1)
Member = tuple[frozenset[str], int]


def family_members(rng: np.random.Generator, events: list[str]) -> list[Member]:
    """The bed, the bed with each event, with two pairs of events, and louder / quieter with one event each."""
    members: list[Member] = [(frozenset(), 0)] + [(frozenset([e]), 0) for e in events]
    two = [frozenset(p) for p in itertools.combinations(events, 2)]
    for i in rng.choice(len(two), size=min(2, len(two)), replace=False):
        members.append((two[int(i)], 0))
    louder, quieter = rng.choice(events, size=2, replace=False)
    members += [(frozenset([str(louder)]), 1), (frozenset([str(quieter)]), -1)]
    return members


def member_diffs(x: Member, y: Member, bg_label: str) -> list[Diff] | None:
    """The edits turning member x into y, or None when that takes more than two (or bed -1 to +1)."""
    diffs = [Diff(EVENT_ADDED, e) for e in sorted(y[0] - x[0])]
    diffs += [Diff(EVENT_REMOVED, e) for e in sorted(x[0] - y[0])]
    step = y[1] - x[1]
    if abs(step) > 1:
        return None
    if step:
        diffs.append(Diff(BG_LOUDER if step > 0 else BG_QUIETER, bg_label))
    return diffs if 1 <= len(diffs) <= 2 else None


def on_grid(seconds: float) -> float:
    """Floored to 1/64 s, exact in binary: Scaper's sample counts of a clip's parts then add up."""
    return float(np.floor(seconds * 64) / 64)


def demo_groups(sources_dir: Path) -> set[str]:
    """Recordings (manifest groups, so their variants too) that the bundled demo library (seed 0) was mixed from.

    The demo as it was when these families were built (first draws kept), so the families stay as trained on. The
    demo rebuilt on 2026-12-05 (events YAMNet hears) took two footsteps recordings from the dev split, which dev
    families may hold (MODEL_CARD, "Demo library rebuilt with events YAMNet hears").
    """
    from training.make_demo_library import demo_clips, open_license_pool

    pool, rows = open_license_pool(sources_dir)
    clips, _ = demo_clips({"eval": pool}, 0, None)
    used = {p for c in clips for p in [c.spec.bg_source, *(e.source for e in c.spec.events)]}
    return {rows[p]["group"] for p in used}


def pool_without_demo(sources_dir: Path, split: str) -> SourcePool:
    """The split's source pool minus every recording of the demo library: the demo stays a held-out check."""
    groups = demo_groups(sources_dir)
    excluded = {r["file"] for r in read_split(sources_dir) if r["group"] in groups}
    pool = load_pool(sources_dir, split)
    keep = lambda files: {k: [f for f in v if f.path not in excluded] for k, v in files.items()}  # noqa: E731
    return SourcePool(keep(pool.backgrounds), keep(pool.events))


def family_rng(seed: int, scene: str, split: str, family: int) -> np.random.Generator:
    return np.random.default_rng([seed, list(SCENES).index(scene), SPLITS.index(split), family, FAMILY_SALT])


def make_family(seed: int, scene_name: str, split: str, family: int, pool: SourcePool
                ) -> tuple[list[tuple[str, ClipSpec]], list[dict[str, str]]]:
    """(member path and spec per member, pairs.csv rows) of one family; no audio rendered."""
    rng = family_rng(seed, scene_name, split, family)
    scene = SCENES[scene_name]
    bgs = pool.backgrounds[scene.background]
    bg = bgs[int(rng.integers(len(bgs)))]
    seconds = float(min(rng.integers(FAMILY_SECONDS[0], FAMILY_SECONDS[1] + 1), np.floor(bg.duration - 0.1)))  # whole s
    bg_time = on_grid(float(rng.uniform(0, bg.duration - 0.05 - seconds)))  # inside the file
    labels = [c for c in scene.events if pool.events.get(c)]
    instances = {}
    for label in labels:
        e = sample_event(rng, label, pool, REF_DB, seconds)
        instances[label] = replace(e, level_db=REF_DB + float(rng.uniform(*EVENT_SNR)), duration=on_grid(e.duration),
                                   event_time=on_grid(e.event_time), source_time=on_grid(e.source_time))
    bed_step = float(rng.uniform(*EDIT_DB_RANGE))
    members = family_members(rng, labels)
    fam_id = f"{scene_name}_{split}_f{family:06d}"
    folder = f"audio/{family // 100:03d}"
    specs = []
    for k, (present, step) in enumerate(members):
        events = tuple(instances[lab] for lab in labels if lab in present)
        spec = ClipSpec(scene_name, scene.background, bg.path, REF_DB + step * bed_step, events, seconds, bg_time)
        specs.append((f"{folder}/{fam_id}_m{k:02d}.flac", spec))
    candidates = [(i, j, d) for i, j in itertools.permutations(range(len(members)), 2)
                  if (d := member_diffs(members[i], members[j], scene.background))]
    chosen = []  # half one-edit pairs, half two-edit pairs
    for n_edits in (1, 2):
        pool_k = [c for c in candidates if len(c[2]) == n_edits]
        picks = rng.choice(len(pool_k), size=min(PAIRS_PER_FAMILY // 2, len(pool_k)), replace=False)
        chosen += [pool_k[int(k)] for k in sorted(picks)]
    rows = []
    for n, (i, j, diffs) in enumerate(chosen):
        diffs = [diffs[int(k)] for k in rng.permutation(len(diffs))]
        desc = describe(diffs, rng)
        bg_sizes = [round(bed_step, 2) if d.kind in (BG_LOUDER, BG_QUIETER) else 0.0 for d in diffs]
        rows.append({
            "pair_id": f"{fam_id}_p{n:02d}", "scene": scene_name, "split": split,
            "a_path": specs[i][0], "b_path": specs[j][0], "text": desc.text, "template_id": desc.template_id,
            "is_heldout_phrasing": "0", "diff_types": "|".join(str(d) for d in diffs),
            "labels_a": format_multi_hot(specs[i][1].labels), "labels_b": format_multi_hot(specs[j][1].labels),
            "seed": str(seed), "pair_index": str(family * PAIRS_PER_FAMILY + n),
            "edit_db": "|".join(f"{x:g}" for x in bg_sizes), "family": fam_id,
        })
    return specs, rows


def synthesize_families(sources_dir: str, out_dir: str, pool: SourcePool, seed: int, scene: str, split: str,
                        start: int, stop: int) -> list[dict[str, str]]:
    """Worker: render families start..stop-1 (skipping rendered members); returns their rows."""
    from training.scaper_render import render_clip  # imports scaper in the worker only

    src, out = Path(sources_dir), Path(out_dir)
    rows = []
    for family in range(start, stop):
        specs, fam_rows = make_family(seed, scene, split, family, pool)
        used = {r["a_path"] for r in fam_rows} | {r["b_path"] for r in fam_rows}
        for path, spec in specs:
            audio = out / path
            if path in used and not audio.with_suffix(".jams").exists():
                render_clip(spec, src, audio, audio.with_suffix(".jams"))
        rows += fam_rows
    return rows


def synthesize(sources_dir: Path, out_dir: Path, scene: str, split: str, n_families: int,
               seed: int = 0, workers: int = 1, chunk: int = 10) -> Path:
    """n_families families for one scene/split into out_dir; returns pairs.csv's path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    pool = pool_without_demo(sources_dir, split)  # once: the workers get it with their chunks
    if not pool.backgrounds.get(SCENES[scene].background):
        raise ValueError(f"no {SCENES[scene].background} backgrounds in split {split}")
    (out_dir / "classes.txt").write_text("\n".join(ALL_CLASSES) + "\n")
    ranges = [(s, min(s + chunk, n_families)) for s in range(0, n_families, chunk)]
    args = (str(sources_dir), str(out_dir), pool, seed, scene, split)
    rows: list[dict[str, str]] = []
    t0 = time.time()
    with ProcessPoolExecutor(max_workers=max(workers, 1)) as ex:
        for done, fut in enumerate(as_completed([ex.submit(synthesize_families, *args, s, e) for s, e in ranges])):
            rows += fut.result()
            rate = (done + 1) * chunk / max(time.time() - t0, 1e-9)
            print(f"[demo-fam] {scene}/{split}: {min((done + 1) * chunk, n_families)}/{n_families} families, "
                  f"{rate:.2f} families/s", flush=True)
    rows.sort(key=lambda r: int(r["pair_index"]))
    return write_csv_atomic(out_dir / "pairs.csv", PAIR_FIELDS + ["family"], rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scene", choices=[*SCENES, "all"], default="all")
    ap.add_argument("--split", choices=SPLITS, default="dev")
    ap.add_argument("--n-families", type=int, default=10, help="families per scene")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--sources", type=Path, default=REPO_ROOT / "data" / "sources")
    ap.add_argument("--out", type=Path, default=REPO_ROOT / "data" / "demo_fam")
    ap.add_argument("--workers", type=int, default=1)
    args = ap.parse_args(argv)
    for scene in list(SCENES) if args.scene == "all" else [args.scene]:
        path = synthesize(args.sources, args.out / scene / args.split, scene, args.split, args.n_families,
                          args.seed, args.workers)
        print(f"[demo-fam] wrote {path}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
