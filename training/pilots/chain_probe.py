"""How far does a library's file chain alone move A(clip), against the edits of its family? (val only)

A v2 or OOD clip and its edited versions are stored as separate files, each with its own file chain (peak or
loudness normalization or a random gain, band limit, codec: training.mixer.FileChain). This takes the first clips a
of some v2 val scenes, applies one more randomly drawn chain on top of each (seeded), and prints the cosine of the
shipped heads' A(a) to A(a with the extra chain), and with each part of that chain alone, beside its cosine to A(b)
of the family's edited versions.

    python -m training.pilots.chain_probe --pairs data/pairs_v2_fresh3 --heads assets/nudge_heads.safetensors
"""

from __future__ import annotations

import argparse
import csv
from collections import defaultdict
from pathlib import Path

import numpy as np
import soundfile as sf

from model.compose import l2_normalize
from model.encoder import NudgeEncoder
from training.mixer import FileChain, apply_file_chain
from training.pair_plan import sample_file_chain

SCENES = ("forest", "traffic", "interior", "seaside")


def chain_parts(chain: FileChain) -> dict[str, FileChain]:
    """The parts a chain applies, each as a chain of its own."""
    parts = {}
    if chain.gain_mode != "none":
        parts[f"the {chain.gain_mode} gain"] = FileChain(chain.gain_mode, chain.gain_target_db)
    if chain.resample_hz:
        parts["the band limit"] = FileChain(resample_hz=chain.resample_hz)
    if chain.codec:
        parts["the codec"] = FileChain(codec=chain.codec, codec_quality=chain.codec_quality)
    return parts


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pairs", type=Path, default=Path("data/pairs_v2_fresh3"))
    ap.add_argument("--heads", type=Path, default=Path("assets/nudge_heads.safetensors"))
    ap.add_argument("--families", type=int, default=25, help="per scene")
    ap.add_argument("--chains", type=int, default=2, help="extra chains per clip a")
    args = ap.parse_args(argv)
    encoder = NudgeEncoder(args.heads)
    rng = np.random.default_rng(0)
    cosines: dict[str, list[float]] = defaultdict(list)
    for scene in SCENES:
        base = args.pairs / scene / "val"
        families: dict[str, set[str]] = defaultdict(set)
        with open(base / "pairs.csv", newline="") as f:
            for row in csv.DictReader(f):
                families[row["a_path"]].add(row["b_path"])
        for a_path, b_paths in list(families.items())[: args.families]:
            audio, sr = sf.read(base / a_path, dtype="float32")
            mono = audio if audio.ndim == 1 else audio.mean(axis=1)
            a = l2_normalize(encoder.embed_audio(mono, sr))

            def near(signal: np.ndarray, rate: int, a: np.ndarray = a) -> float:
                return float(a @ l2_normalize(encoder.embed_audio(signal, rate)))

            for _ in range(args.chains):
                chain = sample_file_chain(rng)
                cosines["the same clip, one more file chain"].append(near(apply_file_chain(mono, chain)[0], sr))
                for part, alone in chain_parts(chain).items():  # what of the chain moves it
                    cosines[f"  of which {part} alone"].append(near(apply_file_chain(mono, alone)[0], sr))
            for b_path in sorted(b_paths):
                cosines["an edited version (its own chain)"].append(near(*sf.read(base / b_path, dtype="float32")))
    edited = "an edited version (its own chain)"
    for what, values in sorted(cosines.items(), key=lambda item: (item[0] == edited, not item[0].startswith("the"),
                                                                   item[0])):
        v = np.array(values)
        print(f"{what:38s} n {len(v):4d}  cos(A(a), .) median {np.median(v):.3f}  10th percentile "
              f"{np.percentile(v, 10):.3f}  90th {np.percentile(v, 90):.3f}  share below 0.85 {np.mean(v < 0.85):.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
