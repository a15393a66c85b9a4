"""Ranking nearer the clip: score = cos(query, b) + beta x cos(A(a), b), on val splits only (MODEL_CARD Limitations).

    python -m training.pilots.clip_anchor assets/nudge_heads.safetensors \
        --eval v2_val=data/features_v2_fresh3_exact release1_val=data/finetune/features_r1_fresh3_exact \
               demo_family_val=data/features_demo_fam_exact

Prints R@1 per scene and overall for each beta; nothing is chosen here.
"""

from __future__ import annotations

import argparse
import glob
from pathlib import Path

import numpy as np

from model.checkpoint import load_heads
from model.compose import l2_normalize
from model.ranking import target_ranks
from training.pairset import load_many
from training.retrieval import embed_pairset, pair_queries, scene_gallery

BETAS = (0.0, 0.05, 0.1, 0.2, 0.3)


def anchored_r1(heads, cache_root: str, betas: tuple[float, ...] = BETAS) -> dict[float, dict[str, float]]:
    ps = load_many(sorted(glob.glob(f"{cache_root}/*/val")))
    clips, texts = embed_pairset(heads, ps)
    out = {}
    for beta in betas:
        ranks = np.zeros(len(ps), dtype=np.int64)
        for scene in ps.scenes():
            pairs, gallery, target = scene_gallery(ps, scene)
            audio, query = (l2_normalize(pair_queries(ps, pairs, clips, t, heads)) for t in (None, texts))
            keys = l2_normalize(clips[gallery])
            ranks[pairs] = target_ranks(query @ keys.T + beta * (audio @ keys.T), target)
        out[beta] = {s: float((ranks[ps.scene == s] == 1).mean()) for s in ps.scenes()}
        out[beta]["all"] = float((ranks == 1).mean())
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("heads", type=Path)
    ap.add_argument("--eval", nargs="+", required=True, metavar="NAME=CACHE_ROOT")
    args = ap.parse_args(argv)
    heads = load_heads(args.heads)
    for spec in args.eval:
        name, _, root = spec.partition("=")
        for beta, r1 in anchored_r1(heads, root).items():
            print(f"{name} beta {beta:<5g} " + "  ".join(f"{k} {v:.3f}" for k, v in r1.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
