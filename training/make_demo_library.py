"""Build the app's bundled demo library (assets/demo_library/) with the training synthesis code.

36 short (6 s, 16 kHz mono, Ogg Vorbis) soundscapes in families: each family shares one
background segment and one fixed instance of each event, so e.g. `rain_01` plus its
thunder gives exactly `rain_with_thunder_01`. Only CC0 / CC-BY / CC-BY-SA sources are
used (prepared originals, segments and walks, plus our CC0 synthesized bells); sources
from the eval split are preferred, and each family's instance of an event is one YAMNet hears in
the mix (training/demo_audibility.py). Also writes ATTRIBUTION.md and demo_pairs.csv
(query_path, text, target_path) for a quick retrieval check.
"""

from __future__ import annotations

import argparse
import csv
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import soundfile as sf

from training.demo_audibility import Audibility, EventAudibility, all_heard
from training.pair_sampler import ClipSpec, EventSpec, SourceFile, SourcePool, sample_event
from training.prepare_sources import read_split
from training.scenes import SAMPLE_RATE, SCENES

REPO_ROOT = Path(__file__).resolve().parents[1]
DEMO_SECONDS = 6.0
BG_DB = -30.0
DEMO_SNR_RANGE = (4.0, 12.0)
BG_EDIT_DB = 9.0
OPEN_LICENSE_PREFIXES = ("CC0", "CC-BY")  # CC-BY and CC-BY-SA
DEMO_KINDS = {"original", "original_segment", "walk"}  # no pitch/filter variants
DRAWS_PER_POOL = 40  # instances drawn per pool before the next (eval split, then every split)

# (file name stem, events, background change in dB); families 1-3, stem gets "_0k".
FAMILY_CLIPS: dict[str, list[tuple[str, tuple[str, ...], float, int]]] = {
    # (name, events, bg dB change, number of families that get this clip)
    "rain": [
        ("rain", (), 0.0, 3), ("rain_with_thunder", ("thunder",), 0.0, 3),
        ("rain_with_dog", ("dog",), 0.0, 3), ("rain_with_birds", ("chirping_birds",), 0.0, 2),
        ("rain_with_church_bells", ("church_bells",), 0.0, 2),
        ("rain_with_footsteps", ("footsteps",), 0.0, 2),
        ("rain_with_thunder_and_dog", ("thunder", "dog"), 0.0, 2),
        ("heavy_rain_with_thunder", ("thunder",), BG_EDIT_DB, 2),
    ],
    "traffic": [
        ("traffic", (), 0.0, 3), ("traffic_with_car_horn", ("car_horn",), 0.0, 3),
        ("traffic_with_dog", ("dog",), 0.0, 3), ("traffic_with_footsteps", ("footsteps",), 0.0, 2),
        ("traffic_with_church_bells", ("church_bells",), 0.0, 2),
        ("traffic_with_car_horn_and_dog", ("car_horn", "dog"), 0.0, 2),
        ("quiet_traffic_with_car_horn", ("car_horn",), -BG_EDIT_DB, 2),
    ],
}
# (query stem, text, target stem, family)
DEMO_PAIRS: list[tuple[str, str, str, int]] = [
    ("rain", "add thunder", "rain_with_thunder", 1),
    ("rain", "add thunder", "rain_with_thunder", 2),
    ("rain", "add a dog barking", "rain_with_dog", 1),
    ("rain", "put in some birdsong", "rain_with_birds", 2),
    ("rain", "add church bells", "rain_with_church_bells", 1),
    ("rain", "include footsteps", "rain_with_footsteps", 2),
    ("rain_with_thunder", "remove the thunder", "rain", 1),
    ("rain_with_dog", "get rid of the dog", "rain", 3),
    ("rain_with_thunder", "add a barking dog", "rain_with_thunder_and_dog", 2),
    ("rain_with_thunder_and_dog", "take out the barking", "rain_with_thunder", 1),
    ("rain_with_thunder", "make the rain louder", "heavy_rain_with_thunder", 1),
    ("heavy_rain_with_thunder", "make the rain quieter", "rain_with_thunder", 2),
    ("traffic", "add a car horn", "traffic_with_car_horn", 1),
    ("traffic", "add honking", "traffic_with_car_horn", 3),
    ("traffic", "add a dog barking", "traffic_with_dog", 2),
    ("traffic", "add footsteps", "traffic_with_footsteps", 1),
    ("traffic_with_car_horn", "remove the horn", "traffic", 2),
    ("traffic_with_car_horn", "add a dog", "traffic_with_car_horn_and_dog", 1),
    ("traffic_with_car_horn", "turn down the traffic", "quiet_traffic_with_car_horn", 2),
    ("traffic_with_dog", "add a car horn", "traffic_with_car_horn_and_dog", 1),
    ("traffic", "add bells", "traffic_with_church_bells", 2),
]


@dataclass(frozen=True)
class DemoClip:
    name: str  # file name without extension, e.g. rain_with_thunder_01
    spec: ClipSpec


def open_license_rows(sources_dir: Path) -> list[dict[str, str]]:
    """The split table's rows of openly licensed prepared files of the demo's kinds."""
    return [r for r in read_split(sources_dir)
            if r["license"].startswith(OPEN_LICENSE_PREFIXES) and r["kind"] in DEMO_KINDS]


def open_license_pool(sources_dir: Path, eval_preferred: bool = True, rows: list[dict[str, str]] | None = None
                      ) -> tuple[SourcePool, dict[str, dict[str, str]]]:
    """Openly licensed prepared files (eval split preferred per class, or every split); plus their rows
    (``rows``: open_license_rows, read here when not given)."""
    rows = open_license_rows(sources_dir) if rows is None else rows
    by_class: dict[str, list[dict[str, str]]] = {}
    for r in rows:
        by_class.setdefault(r["class"], []).append(r)
    bgs: dict[str, list[SourceFile]] = {}
    events: dict[str, list[SourceFile]] = {}
    for cls, cls_rows in by_class.items():
        chosen = ([r for r in cls_rows if r["split"] == "eval"] if eval_preferred else []) or cls_rows
        target = bgs if chosen[0]["role"] == "bg" else events
        target[cls] = [SourceFile(r["file"], cls, float(r["duration"])) for r in chosen]
    return SourcePool(bgs, events), {r["file"]: r for r in rows}


def audible_event(rng: np.random.Generator, label: str, pools: dict[str, SourcePool], bare: ClipSpec,
                  audibility: EventAudibility, partners: Sequence[tuple[EventSpec, ...]] = ()
                  ) -> tuple[EventSpec, Audibility]:
    """The first drawn instance YAMNet hears in a mix it leaves unscaled, also beside each group of ``partners``
    (the family's events drawn before it that share a clip with it); eval pool first, then every split. Else the
    best of the draws (unscaled, then heard together, then the largest rise)."""
    best: tuple[EventSpec, Audibility] | None = None
    draws = 0
    for pool_name, pool in pools.items():
        for _ in range(DRAWS_PER_POOL):
            e = sample_event(rng, label, pool, BG_DB, DEMO_SECONDS)
            e = replace(e, level_db=BG_DB + float(rng.uniform(*DEMO_SNR_RANGE)))
            draws += 1
            [(base, mix)], peak = audibility.measure(bare, (e,))
            together = all(all_heard(*audibility.measure(bare, group + (e,))) for group in partners)
            found = (e, Audibility(base, mix, peak, pool_name, draws, together))
            if found[1].kept:
                return found
            a, b = found[1], best[1] if best else None
            if b is None or (a.unscaled, a.together, a.rise) > (b.unscaled, b.together, b.rise):
                best = found
    assert best is not None
    return best


Recipe = tuple[str, tuple[str, ...], float, int]  # (file name stem, events, bed change in dB, families)


def clip_partners(recipes: list[Recipe], family: int, label: str, drawn: dict[str, EventSpec]
                  ) -> list[tuple[EventSpec, ...]]:
    """The already drawn events that share one of this family's clips with ``label``."""
    groups = []
    for _stem, labels, _bg_change, n_families in recipes:
        if family <= n_families and label in labels and len(labels) > 1:
            others = tuple(drawn[lab] for lab in labels if lab != label and lab in drawn)
            if len(others) == len(labels) - 1:
                groups.append(others)
    return groups


def demo_clips(pools: dict[str, SourcePool], seed: int, audibility: EventAudibility | None
               ) -> tuple[list[DemoClip], dict[str, Audibility]]:
    """The demo's clips, and how well YAMNet hears each family's events (keyed like "rain_01/thunder").

    Without `audibility`, each event's first draw is kept: the demo as it was built until 2026-12-05.
    """
    clips, heard = [], {}
    pool = pools["eval"]
    for scene_name, recipes in FAMILY_CLIPS.items():
        scene = SCENES[scene_name]
        # Longest recordings first: family 1 (the most clips) gets the richest background.
        bgs = sorted(pool.backgrounds[scene.background], key=lambda f: (-f.duration, f.path))
        for family in (1, 2, 3):
            rng = np.random.default_rng([seed, list(SCENES).index(scene_name), family])
            bg = bgs[(family - 1) % len(bgs)]
            bg_time = round(float(rng.uniform(0, bg.duration - DEMO_SECONDS)), 3)
            bare = ClipSpec(scene_name, scene.background, bg.path, BG_DB, (), DEMO_SECONDS, bg_time)
            family_events: dict[str, EventSpec] = {}
            for label in scene.events:  # one fixed instance of each event per family, one YAMNet hears
                if audibility is None:
                    e = sample_event(rng, label, pool, BG_DB, DEMO_SECONDS)
                    family_events[label] = replace(e, level_db=BG_DB + float(rng.uniform(*DEMO_SNR_RANGE)))
                    continue
                family_events[label], heard[f"{scene_name}_{family:02d}/{label}"] = audible_event(
                    rng, label, pools, bare, audibility, clip_partners(recipes, family, label, family_events))
            for stem, labels, bg_change, n_families in recipes:
                if family > n_families:
                    continue
                spec = replace(bare, bg_db=BG_DB + bg_change, events=tuple(family_events[lab] for lab in labels))
                clips.append(DemoClip(f"{stem}_{family:02d}", spec))
    return clips, heard


def audibility_report(heard: dict[str, Audibility], beds: dict[str, float]) -> str:
    lines = ["| family / event | logit without | with | rise | heard | mix peak | heard in two-event clips | pool "
             "| draws |",
             "|---|---|---|---|---|---|---|---|---|"]
    for key, a in heard.items():
        lines.append(f"| {key} | {a.base:.2f} | {a.mix:.2f} | {a.rise:.2f} | {'yes' if a.heard else 'NO'} "
                     f"| {a.peak:.3f}{'' if a.unscaled else ' (scaled)'} | {'yes' if a.together else 'NO'} "
                     f"| {a.pool} | {a.draws} |")
    lines += ["", "| clip | bed level against the family's clip without events (dB) |", "|---|---|"]
    lines += [f"| {name} | {db:+.2f} |" for name, db in beds.items()]
    return "\n".join(lines) + "\n"


def bed_levels(clips: list[DemoClip], stems: dict[str, np.ndarray]) -> dict[str, float]:
    """Each clip's background stem level against its family's bare clip (e.g. rain_with_dog_01 vs rain_01), in dB:
    0 unless the clip changes the bed on purpose (heavy / quiet) or the clipping fix scaled the mix."""
    def rms(x: np.ndarray) -> float:
        return float(np.sqrt(np.mean(np.square(x))) + 1e-12)

    out = {}
    for clip in clips:
        bare = f"{clip.spec.scene}_{clip.name[-2:]}"
        if clip.name != bare:
            out[clip.name] = 20 * np.log10(rms(stems[clip.name]) / rms(stems[bare]))
    return out


def write_attribution(out_dir: Path, clips: list[DemoClip], rows: dict[str, dict[str, str]],
                      sources_dir: Path) -> None:
    manifest = {r["file"]: r for r in csv.DictReader(open(sources_dir / "manifest.csv"))}
    used = sorted({c.spec.bg_source for c in clips} | {e.source for c in clips for e in c.spec.events})
    lines = [
        "# Demo library attribution", "",
        "The soundscapes in this folder were mixed by `training/make_demo_library.py` (Scaper)",
        "from the source clips below, cut, resampled to 16 kHz mono and level-adjusted;",
        "footsteps are sequences of one recorded step. Because several sources are CC-BY-SA,",
        "the mixed clips are distributed under CC-BY-SA 3.0. The bells are synthesized by",
        "`training/synth_bells.py` (CC0).", "",
        "| source clip | package | licence | path in package | used in |",
        "| --- | --- | --- | --- | --- |",
    ]
    for src in used:
        r = rows[src]
        m = manifest.get(r["group"])
        path = m["source_path"] if m else "generated by training/synth_bells.py"
        users = ", ".join(sorted(c.name for c in clips if src in
                                 {c.spec.bg_source} | {e.source for e in c.spec.events}))
        lines.append(f"| `{Path(src).name}` | {r['package']} | {r['license']} | `{path}` | {users} |")
    (out_dir / "ATTRIBUTION.md").write_text("\n".join(lines) + "\n")


def build(sources_dir: Path, out_dir: Path, seed: int = 0, report_path: Path | None = None) -> list[Path]:
    from training.scaper_render import render_clip

    licensed = open_license_rows(sources_dir)  # the split table, read once for both pools
    pool, rows = open_license_pool(sources_dir, rows=licensed)
    every_split, _ = open_license_pool(sources_dir, eval_preferred=False, rows=licensed)
    clips, heard = demo_clips({"eval": pool, "all": every_split}, seed, EventAudibility(sources_dir))
    out_dir.mkdir(parents=True, exist_ok=True)
    paths, bed_stems = [], {}
    for clip in clips:
        mix, stems = render_clip(clip.spec, sources_dir, None, None)
        bed_stems[clip.name] = stems[clip.spec.bg_label]
        path = out_dir / f"{clip.name}.ogg"
        sf.write(str(path), np.clip(mix, -1, 1), SAMPLE_RATE, format="OGG", subtype="VORBIS")
        paths.append(path)
    names = {c.name for c in clips}
    with open(out_dir / "demo_pairs.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["query_path", "text", "target_path"])
        for query, text, target, family in DEMO_PAIRS:
            q, t = f"{query}_{family:02d}", f"{target}_{family:02d}"
            assert q in names and t in names, (q, t)
            w.writerow([f"{q}.ogg", text, f"{t}.ogg"])
    write_attribution(out_dir, clips, rows, sources_dir)
    report = audibility_report(heard, bed_levels(clips, bed_stems))
    print(report, end="")
    if report_path is not None:
        report_path.write_text(report)
    return paths


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sources", type=Path, default=REPO_ROOT / "data" / "sources")
    ap.add_argument("--out", type=Path, default=REPO_ROOT / "assets" / "demo_library")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--report", type=Path, help="also write the events' audibility table (markdown) here")
    args = ap.parse_args(argv)
    paths = build(args.sources, args.out, args.seed, args.report)
    size = sum(p.stat().st_size for p in args.out.iterdir())
    print(f"[demo] {len(paths)} clips, {size / 1e6:.1f} MB in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
