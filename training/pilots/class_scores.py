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

import argparse
import json
import math
import multiprocessing as mp
import sys
from pathlib import Path

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from model.heads import Projection
from training.losses import multi_positive_infonce
from training.pairset import PairSet, concat, load_pairset
from training.pilots.per_patch import recall_table

REPO_ROOT = Path(__file__).resolve().parents[2]
FEATURES = REPO_ROOT / "data" / "features"
PAIRS = REPO_ROOT / "data" / "pairs"
OUT = REPO_ROOT / "data" / "pilots" / "class_scores"
SCENES = ("rain", "traffic")
N_CLASSES = 521
_BACKBONE = None


def _init_worker() -> None:
    global _BACKBONE
    from model.yamnet import YamnetBackbone

    _BACKBONE = YamnetBackbone(threads=1)


def score_features(path: str) -> np.ndarray:
    """(2 * 521,) float16: each class score's max and mean over the clip's patches."""
    import soundfile as sf

    from model.audio_io import prepare_waveform
    from model.frontend import stream_patches

    samples, sr = sf.read(path, dtype="float32")
    patches = np.concatenate(list(stream_patches([prepare_waveform(samples, sr)])))
    _, scores = _BACKBONE.run(patches, with_classes=True)
    return np.concatenate([scores.max(axis=0), scores.mean(axis=0)]).astype(np.float16)


def extract(split: str, pairs: int | None) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for scene in SCENES:
        clips = json.loads((FEATURES / scene / split / "index.json").read_text())["clips"]
        clips = clips[: 2 * pairs] if pairs else clips  # clips are listed a, b of pair 0, 1, ...
        paths = [str(PAIRS / scene / split / c) for c in clips]
        with mp.get_context("spawn").Pool(2, initializer=_init_worker) as pool:
            table = np.stack(pool.map(score_features, paths, chunksize=16))
        np.save(OUT / f"{scene}_{split}.npy", table)
        print(scene, split, table.shape, flush=True)


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
    log_scale = nn.Parameter(torch.tensor(math.log(1 / 0.07)))
    opt = torch.optim.Adam([*audio_head.parameters(), *text_head.parameters(), log_scale], lr=1e-3)
    train_audio, eval_audio = torch.from_numpy(train_ps.audio), torch.from_numpy(eval_ps.audio)

    @torch.inference_mode()
    def evaluate() -> dict[str, float]:
        audio_head.eval(), text_head.eval()
        table = recall_table(lambda rows: audio_head(eval_audio[rows]).numpy(), text_head, eval_ps)
        audio_head.train(), text_head.train()
        return table

    rng, best = np.random.default_rng(seed), None
    texts = torch.from_numpy(train_ps.text)
    for epoch in range(1, epochs + 1):
        order = rng.permutation(len(train_ps))
        for start in range(0, len(order) - 1, 128):
            idx = order[start : start + 128]
            query = F.normalize(audio_head(train_audio[train_ps.a[idx]]) + text_head(texts[train_ps.t[idx]]), dim=-1)
            key = F.normalize(audio_head(train_audio[train_ps.b[idx]]), dim=-1)
            b = torch.from_numpy(train_ps.b[idx])
            loss = multi_positive_infonce(query, key, b[:, None] == b[None, :], log_scale.exp().clamp(max=100))
            opt.zero_grad()
            loss.backward()
            opt.step()
        if epoch % 2 == 0:
            table = evaluate()
            score = table["rain/proposed R@1"] + table["traffic/proposed R@1"]
            print(features, epoch, {k: round(v, 3) for k, v in table.items()}, flush=True)
            if best is None or score > best["score"]:
                best = {"score": score, "epoch": epoch, **table}
    return best


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
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    ex = sub.add_parser("extract")
    ex.add_argument("--split", required=True)
    ex.add_argument("--pairs", type=int, help="only the first N pairs of each scene")
    tr = sub.add_parser("train")
    tr.add_argument("--features", choices=["pooled", "pooled+scores", "pooled+max"], required=True)
    tr.add_argument("--pairs", type=int, default=3000)
    tr.add_argument("--epochs", type=int, default=30)
    au = sub.add_parser("auc")
    au.add_argument("--scene", choices=SCENES, required=True)
    tr.add_argument("--score-scale", type=float, default=1.0, help="multiply the logits (they span about -45..8)")
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
