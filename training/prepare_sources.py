"""Turn raw source clips into Scaper's folder layout, with variants, and split them.

Input: `<sources>/manifest.csv` (from fetch_sources) plus our synthesized bells.
Output, all 16 kHz mono PCM-16 wav:
  <sources>/prepared/bg/<class>/...  10 s background segments (long files cut, short looped)
  <sources>/prepared/fg/<class>/...  event clips (silence-trimmed), footsteps as walks
  <sources>/split.csv                one row per prepared file
Every prepared file keeps its `group` (the raw source file it came from); the dev/eval
split and the train/val subset are drawn per group, so no source file, nor any of its
segments or variants, lands in two splits.
"""

from __future__ import annotations

import argparse
import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile as sf

from training.audio_utils import (
    butter_filter,
    change_speed,
    fade,
    load_mono,
    loop_to_length,
    stable_seed,
    trim_silence,
    write_pcm16,
)
from training.scenes import BACKGROUND_CLASSES, CLIP_SECONDS, EVENT_CLASSES, SAMPLE_RATE
from training.tables import write_csv_atomic

REPO_ROOT = Path(__file__).resolve().parents[1]
SPLIT_FIELDS = ["file", "class", "role", "group", "split", "subset", "kind", "duration",
                "package", "license"]
EVAL_FRACTION = 0.2
VAL_FRACTION = 0.15  # of the dev groups
MIN_BACKGROUND_SECONDS = 1.5
MAX_SEGMENTS_PER_FILE = 12
# Extra procedural variants per source file, for classes with few recordings.
VARIANTS_PER_FILE = {"dog": 4, "car_horn": 3, "rain": 2, "traffic": 3, "thunder": 1}
SYNTH_PACKAGE, SYNTH_LICENSE = "nudge-synth", "CC0-1.0"


@dataclass(frozen=True)
class RawSource:
    class_name: str
    path: Path  # absolute
    group: str  # identifies the source file, e.g. "dog/lugaru-data__Bark.ogg"
    package: str
    license: str
    duration: float


def read_manifest(sources_dir: Path) -> list[RawSource]:
    """Manifest rows usable for training, plus synthesized bells.

    The TSV's church_bells clips are game temple jingles, not bells, so they are left out
    and replaced by synth_bell_*.wav.
    """
    raws: list[RawSource] = []
    with open(sources_dir / "manifest.csv", newline="") as f:
        for row in csv.DictReader(f):
            if row["class"] == "church_bells":
                continue
            dur = float(row["duration"])
            if row["class"] in BACKGROUND_CLASSES and dur < MIN_BACKGROUND_SECONDS:
                continue  # too short to loop into a believable 10 s bed
            raws.append(RawSource(row["class"], sources_dir / row["file"], row["file"],
                                  row["package"], row["license"], dur))
    for bell in sorted((sources_dir / "church_bells").glob("synth_*.wav")):
        raws.append(RawSource("church_bells", bell, f"church_bells/{bell.name}",
                              SYNTH_PACKAGE, SYNTH_LICENSE, sf.info(str(bell)).duration))
    return raws


def stratified_pick(groups: list[str], durations: dict[str, float], fraction: float,
                    rng: np.random.Generator) -> set[str]:
    """Pick ~fraction of groups, one per duration stratum, so long files spread evenly."""
    n = len(groups)
    n_pick = max(1, int(round(fraction * n))) if n >= 3 else 0
    if n_pick == 0:
        return set()
    ordered = sorted(groups, key=lambda g: (-durations[g], g))
    strata = np.array_split(np.array(ordered, dtype=object), n_pick)
    return {str(s[int(rng.integers(len(s)))]) for s in strata}


def assign_splits(raws: list[RawSource], seed: int) -> dict[str, str]:
    """group -> subset ('train', 'val' or 'eval'), drawn per class."""
    subset: dict[str, str] = {}
    rng = np.random.default_rng(seed)
    for cls in sorted({r.class_name for r in raws}):
        durations = {r.group: r.duration for r in raws if r.class_name == cls}
        groups = sorted(durations)
        eval_groups = stratified_pick(groups, durations, EVAL_FRACTION, rng)
        dev_groups = [g for g in groups if g not in eval_groups]
        val_groups = stratified_pick(dev_groups, durations, VAL_FRACTION, rng)
        for g in groups:
            subset[g] = "eval" if g in eval_groups else "val" if g in val_groups else "train"
    return subset


def make_variant(audio: np.ndarray, seed: int) -> np.ndarray:
    """Deterministic speed (pitch) shift plus a random colouring filter."""
    rng = np.random.default_rng(seed)
    factor = float(rng.choice([rng.uniform(0.78, 0.94), rng.uniform(1.06, 1.28)]))
    out = change_speed(audio, factor)
    kind = rng.choice(["none", "lowpass", "highpass", "bandpass"])
    if kind == "lowpass":
        out = butter_filter(out, "lowpass", float(rng.uniform(1800, 5000)))
    elif kind == "highpass":
        out = butter_filter(out, "highpass", float(rng.uniform(150, 500)))
    elif kind == "bandpass":
        out = butter_filter(out, "bandpass", (float(rng.uniform(150, 400)),
                                              float(rng.uniform(2500, 6000))))
    return out


def make_walk(step: np.ndarray, seed: int) -> np.ndarray:
    """Someone walking: 4-10 copies of one step at a human pace with small jitter."""
    rng = np.random.default_rng(seed)
    n_steps = int(rng.integers(4, 11))
    interval = rng.uniform(0.42, 0.62) * SAMPLE_RATE
    step = trim_silence(step)
    out = np.zeros(int(interval * (n_steps - 1)) + len(step) + 800, dtype=np.float32)
    for k in range(n_steps):
        start = int(k * interval + rng.normal(0, 0.02) * SAMPLE_RATE)
        start = min(max(start, 0), len(out) - len(step))
        gain = 10 ** (rng.uniform(-4, 0) / 20) * (1.0 if k % 2 else rng.uniform(0.7, 1.0))
        out[start:start + len(step)] += gain * step
    return out


def background_segments(audio: np.ndarray) -> list[np.ndarray]:
    """10 s beds: long audio cut into non-overlapping segments, short audio looped."""
    n = int(CLIP_SECONDS * SAMPLE_RATE)
    if len(audio) < n:
        return [fade(loop_to_length(audio, n), 1600, 1600)]
    return [fade(audio[i * n:(i + 1) * n], 1600, 1600)
            for i in range(min(len(audio) // n, MAX_SEGMENTS_PER_FILE))]


def derived_clips(raw: RawSource, seed: int) -> list[tuple[str, str, np.ndarray]]:
    """(name, kind, audio) of every prepared clip made from one raw source file."""
    audio = load_mono(raw.path)
    stem = Path(raw.group).stem
    versions = [("", "original", audio)]
    for k in range(VARIANTS_PER_FILE.get(raw.class_name, 0)):
        versions.append((f"_v{k + 1}", "variant",
                         make_variant(audio, stable_seed(seed, raw.group, k))))
    clips: list[tuple[str, str, np.ndarray]] = []
    for suffix, kind, a in versions:
        if raw.class_name in BACKGROUND_CLASSES:
            for i, seg in enumerate(background_segments(a)):
                clips.append((f"{stem}{suffix}_seg{i:02d}.wav", f"{kind}_segment", seg))
        elif raw.class_name == "footsteps":
            clips.append((f"{stem}{suffix}_walk.wav", "walk",
                          make_walk(a, stable_seed(seed, raw.group, "walk"))))
        else:
            clips.append((f"{stem}{suffix}.wav", kind, fade(trim_silence(a), 32, 320)))
    return clips


def prepare_library(raws: list[RawSource], sources_dir: Path, seed: int = 0) -> Path:
    """Write prepared/{bg,fg}/<class>/ clips and split.csv; returns split.csv's path."""
    subsets = assign_splits(raws, seed)
    rows = []
    for raw in raws:
        role = "bg" if raw.class_name in BACKGROUND_CLASSES else "fg"
        assert raw.class_name in BACKGROUND_CLASSES + EVENT_CLASSES, raw.class_name
        out_dir = sources_dir / "prepared" / role / raw.class_name
        for name, kind, audio in derived_clips(raw, seed):
            path = out_dir / name
            if not path.exists():
                write_pcm16(path, audio)
            subset = subsets[raw.group]
            rows.append({
                "file": path.relative_to(sources_dir).as_posix(), "class": raw.class_name,
                "role": role, "group": raw.group, "split": "eval" if subset == "eval" else "dev",
                "subset": subset, "kind": kind, "duration": f"{sf.info(str(path)).duration:.3f}",
                "package": raw.package, "license": raw.license,
            })
    return write_csv_atomic(sources_dir / "split.csv", SPLIT_FIELDS, rows)


def read_split(sources_dir: Path) -> list[dict[str, str]]:
    with open(sources_dir / "split.csv", newline="") as f:
        return list(csv.DictReader(f))


def main(argv: list[str] | None = None) -> int:
    from training.synth_bells import write_bells

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sources", type=Path, default=REPO_ROOT / "data" / "sources")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--n-bells", type=int, default=40)
    args = ap.parse_args(argv)
    write_bells(args.sources / "church_bells", args.n_bells, args.seed)
    split_csv = prepare_library(read_manifest(args.sources), args.sources, args.seed)
    rows = read_split(args.sources)
    for cls in BACKGROUND_CLASSES + EVENT_CLASSES:
        counts = {s: len({r["group"] for r in rows if r["class"] == cls and r["subset"] == s})
                  for s in ("train", "val", "eval")}
        n_files = sum(r["class"] == cls for r in rows)
        print(f"[prepare] {cls:15s} source files {counts}  prepared clips {n_files}")
    print(f"[prepare] wrote {split_csv}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
