"""Build the OOD evaluation set: python -m training.ood.build --catalog data/catalog --out data/ood.

Never used for training, tuning or model selection. Per scene: <out>/<scene>/pairs.csv, audio/*.wav
and a JSON sidecar per file; over all scenes: <out>/all_pairs.csv (paths relative to <out>, with the
query_path,text,target_path columns of `main.py evaluate`), classes.txt and summary.json.
labels_a / labels_b are multi-hot over classes.txt (= data/catalog/classes.json); sounds_a / sounds_b
list every sound class in the clip, including sounds outside that list; edits_known = 1 when every
edited sound is in it.
Resumable: each family has its own Generator from (seed, scene, family), and files already written
are kept, so a rerun renders only what is missing and writes identical rows.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
import zlib
from collections import Counter
from pathlib import Path

import numpy as np

from model.edits import format_edits
from training.ood import render as rd
from training.ood.phrasing import PhrasingBank
from training.ood.sampler import ClipSpec, sample_family
from training.ood.scenes import BY_NAME, SCENES, SceneSources, resolve
from training.ood.sources import SourcePool, load_pool

COLUMNS = ("pair_id", "scene", "split", "a_path", "b_path", "query_path", "target_path", "text", "template_id",
           "is_heldout_phrasing", "phrasing_family", "edits", "diff_types", "n_edits", "labels_a", "labels_b",
           "sounds_a", "sounds_b", "edits_known", "family", "a_duration", "b_duration", "a_format", "b_format",
           "sources", "seed", "pair_index")


def family_rng(seed: int, scene: str, family: int) -> np.random.Generator:
    return np.random.default_rng([seed, zlib.crc32(scene.encode()), family])


def multi_hot(labels: set[str], classes: list[str]) -> str:
    return " ".join("1" if c in labels else "0" for c in classes)


def _render_file(path: Path, spec: ClipSpec, fmt: rd.FileFormat, sources: dict) -> None:
    sidecar = path.with_suffix(".json")
    if path.exists() and sidecar.exists():
        return
    rd.write(path, rd.render(spec, fmt, sources), fmt)
    sidecar.write_text(json.dumps(rd.sidecar(spec, fmt), indent=1))


def build_scene(ss: SceneSources, pool: SourcePool, bank: PhrasingBank, out: Path, n_pairs: int, seed: int,
                log=print) -> list[dict]:
    """Render one scene's families until it holds n_pairs pairs; returns its pairs.csv rows."""
    scene = ss.scene.name
    sources = {s.clip_id: s for group in (*pool.events.values(), ss.beds) for s in group}
    rows: list[dict] = []
    family_index, t0 = 0, time.monotonic()
    while len(rows) < n_pairs:
        rng = family_rng(seed, scene, family_index)
        a, versions = sample_family(rng, ss, pool.events, seed=int(rng.integers(2**31)),
                                    max_versions=n_pairs - len(rows))
        fam = f"{scene}-{family_index:04d}"
        a_fmt = rd.sample_format(rng)
        a_rel = f"audio/{fam}_a.wav"
        _render_file(out / scene / a_rel, a, a_fmt, sources)
        for k, version in enumerate(versions, start=1):
            fmt = rd.sample_format(rng)
            phrase = bank.render(version.edits, ss.main is not None, rng)
            b_rel = f"audio/{fam}_b{k}.wav"
            _render_file(out / scene / b_rel, version.spec, fmt, sources)
            used = sorted({layer.source for layer in (*a.layers, *version.spec.layers)})
            rows.append({
                "pair_id": f"ood-{scene}-{len(rows):04d}", "scene": scene, "split": "ood",
                "a_path": a_rel, "b_path": b_rel, "query_path": a_rel, "target_path": b_rel,
                "text": phrase.text, "template_id": phrase.template_id, "is_heldout_phrasing": 1,
                "phrasing_family": phrase.family, "edits": format_edits(version.edits),
                "diff_types": "|".join(f"{e.diff_type}:{e.sound}" for e in version.edits),
                "n_edits": len(version.edits),
                "labels_a": multi_hot(a.labels(), pool.classes),
                "labels_b": multi_hot(version.spec.labels(), pool.classes),
                "sounds_a": " ".join(sorted(a.labels())), "sounds_b": " ".join(sorted(version.spec.labels())),
                "edits_known": int(all(e.sound in pool.classes for e in version.edits)), "family": fam,
                "a_duration": f"{a.duration:.3f}", "b_duration": f"{version.spec.duration:.3f}",
                "a_format": a_fmt.describe(), "b_format": fmt.describe(), "sources": " ".join(used),
                "seed": seed, "pair_index": len(rows),
            })
        family_index += 1
        if family_index % 10 == 0:
            log(f"[ood] {scene}: {len(rows)}/{n_pairs} pairs, {time.monotonic() - t0:.0f} s")
    write_csv(out / scene / "pairs.csv", rows)
    return rows


def write_csv(path: Path, rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)


def summarize(rows: list[dict], scenes: dict[str, SceneSources], pool: SourcePool) -> dict:
    def count(key) -> dict:
        return dict(sorted(Counter(key(r) for r in rows).items()))

    package_of = {s.clip_id: s.package for group in (*pool.beds.values(), *pool.events.values()) for s in group}
    used = {package_of.get(clip, "procedural") for r in rows for clip in r["sources"].split()}
    return {
        "pairs": len(rows), "packages": sorted(used),
        "scenes": {name: {"main": ss.main or "(isolated sound)", "bed_synthetic": ss.bed_synthetic,
                          "events": list(ss.events), "pairs": sum(r["scene"] == name for r in rows),
                          "families": len({r["family"] for r in rows if r["scene"] == name})}
                   for name, ss in scenes.items()},
        "diff_types": count_types(rows), "n_edits": count(lambda r: r["n_edits"]),
        "edits_known": count(lambda r: r["edits_known"]),
        "phrasing_family": count(lambda r: r["phrasing_family"]),
        "versions_per_family": dict(sorted(Counter(Counter(r["family"] for r in rows).values()).items())),
        "degradation": dict(Counter(f.split("/")[2] for r in rows for f in (r["a_format"], r["b_format"]))),
        "normalization": dict(Counter(f.split("/")[1] for r in rows for f in (r["a_format"], r["b_format"]))),
    }


def count_types(rows: list[dict]) -> dict[str, int]:
    return dict(sorted(Counter(t.split(":")[0] for r in rows for t in r["diff_types"].split("|")).items()))


def build(catalog: Path, out: Path, n_pairs: int, seed: int = 0, scenes: list[str] | None = None,
          log=print) -> dict:
    pool = load_pool(catalog)
    bank = PhrasingBank.load()
    out.mkdir(parents=True, exist_ok=True)
    (out / "classes.txt").write_text("\n".join(pool.classes) + "\n")
    resolved: dict[str, SceneSources] = {}
    for scene in [BY_NAME[s] for s in scenes] if scenes else SCENES:
        ss = resolve(scene, pool)
        if ss is None:
            log(f"[ood] {scene.name}: dropped, the ood sources hold too few of its sounds")
        else:
            resolved[scene.name] = ss
            log(f"[ood] {scene.name}: main {ss.main or '(isolated sound)'}"
                f"{' (procedural bed)' if ss.bed_synthetic else ''}, events {', '.join(ss.events)}")
    all_rows = []
    for name, ss in resolved.items():
        for row in build_scene(ss, pool, bank, out, n_pairs, seed, log):
            all_rows.append({**row, **{k: f"{name}/{row[k]}" for k in ("a_path", "b_path", "query_path",
                                                                          "target_path")}})
    write_csv(out / "all_pairs.csv", all_rows)
    summary = summarize(all_rows, resolved, pool)
    (out / "summary.json").write_text(json.dumps(summary, indent=1))
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--catalog", type=Path, default=Path("data/catalog"))
    parser.add_argument("--out", type=Path, default=Path("data/ood"))
    parser.add_argument("--pairs-per-scene", type=int, default=250)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--scenes", nargs="*", choices=sorted(BY_NAME), help="default: every scene")
    args = parser.parse_args(argv)
    t0 = time.monotonic()
    summary = build(args.catalog, args.out, args.pairs_per_scene, args.seed, args.scenes,
                    log=lambda m: print(m, file=sys.stderr, flush=True))
    summary["seconds"] = round(time.monotonic() - t0, 1)
    print(json.dumps(summary, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
