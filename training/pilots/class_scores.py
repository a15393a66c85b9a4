"""Pilot: do YAMNet's own class scores (max and mean over 0.96 s patches) help the heads?

The shipped features pool the last conv layer (max + mean) and add loudness. The failure breakdown
showed most top-1 misses hold a different set of events than the target, and a linear probe finds
short events only weakly in the pooled features. YAMNet's 521 AudioSet class scores are trained
event detectors; their max over patches keeps a short event that a pooled conv map blurs.

    python -m training.pilots.class_scores extract --split eval           # data/pilots/class_scores/
    python -m training.pilots.class_scores extract --split dev --pairs 3000
    python -m training.pilots.class_scores train --features pooled --pairs 3000
    python -m training.pilots.class_scores train --features pooled+scores --pairs 3000
    python -m training.pilots.class_scores auc --scene rain   # best single class per sound class
"""

from __future__ import annotations

import json
import sys

import numpy as np
import torch
from torch import nn

from model.heads import Projection
from training.pairset import PairSet, concat, load_pairset
from training.pilots.clip_tables import FEATURES, REPO_ROOT, SCENES, extract_tables, pilot_parser, run_clip
from training.pilots.per_patch import fit

OUT = REPO_ROOT / "data" / "pilots" / "class_scores"
N_CLASSES = 521


def score_features(path: str) -> np.ndarray:
    """(2 * 521,) float16: each class score's max and mean over the clip's patches."""
    _, scores = run_clip(path, with_classes=True)
    return np.concatenate([scores.max(axis=0), scores.mean(axis=0)]).astype(np.float16)


def extract(split: str, pairs: int | None) -> None:
    extract_tables(split, pairs, score_features, OUT)


def load(split: str, pairs: int | None, features: str, score_scale: float = 1.0) -> PairSet:
    """Pairs of both scenes whose audio table is the pooled features, plus the scores if asked."""
    parts = []
    for scene in SCENES:
        ps = load_pairset(FEATURES / scene / split)
        scores = score_scale * np.load(OUT / f"{scene}_{split}.npy").astype(np.float32)
        if pairs:
            ps = ps.subset(np.arange(pairs))
        audio = np.asarray(ps.audio[: len(scores)], dtype=np.float32)
        if "scores" in features:
            audio = np.concatenate([audio, scores], axis=1)
        if "max" in features:
            audio = np.concatenate([audio, scores[:, :N_CLASSES]], axis=1)
        ps.audio = audio
        parts.append(ps)
    return concat(parts)


def train(features: str, pairs: int, epochs: int, score_scale: float = 1.0, seed: int = 0) -> dict:
    torch.manual_seed(seed)
    torch.set_num_threads(1)
    train_ps, eval_ps = load("dev", pairs, features, score_scale), load("eval", None, features, score_scale)
    dim = train_ps.audio.shape[1]
    audio_head = nn.Sequential(nn.LayerNorm(dim, elementwise_affine=False), Projection(dim, 256, 0.2))
    text_head = Projection(384, 256, 0.2)
    train_audio, eval_audio = torch.from_numpy(train_ps.audio), torch.from_numpy(eval_ps.audio)
    return fit(features, audio_head, text_head, lambda rows: audio_head(train_audio[rows]),
               lambda rows: audio_head(eval_audio[rows]).numpy(), train_ps, eval_ps, epochs, seed)


def best_class_auc(scene: str, top: int = 3) -> None:
    """ROC AUC of each AudioSet class's max score for each of our sound classes, on eval clips."""
    from sklearn.metrics import roc_auc_score

    from model.yamnet import class_names
    from training.scenes import ALL_CLASSES

    ps = load_pairset(FEATURES / scene / "eval")
    scores = np.load(OUT / f"{scene}_eval.npy").astype(np.float32)[:, :N_CLASSES]
    labels = np.zeros((len(scores), len(ALL_CLASSES)))
    labels[ps.a], labels[ps.b] = ps.labels_a, ps.labels_b
    names = class_names()
    for j, sound in enumerate(ALL_CLASSES):
        if labels[:, j].min() == labels[:, j].max():
            continue
        auc = np.array([roc_auc_score(labels[:, j], scores[:, k]) for k in range(N_CLASSES)])
        print(sound, [(names[k], round(float(auc[k]), 3)) for k in np.argsort(-auc)[:top]])


def main(argv: list[str] | None = None) -> int:
    parser, tr, sub = pilot_parser(__doc__)
    tr.add_argument("--features", choices=["pooled", "pooled+scores", "pooled+max"], required=True)
    tr.add_argument("--score-scale", type=float, default=1.0, help="multiply the logits (they span about -45..8)")
    sub.add_parser("auc").add_argument("--scene", choices=SCENES, required=True)
    args = parser.parse_args(argv)
    if args.cmd == "extract":
        extract(args.split, args.pairs)
    elif args.cmd == "auc":
        best_class_auc(args.scene)
    else:
        best = train(args.features, args.pairs, args.epochs, args.score_scale)
        print("BEST", args.features, json.dumps({k: round(v, 3) for k, v in best.items()}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
