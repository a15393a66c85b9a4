"""Chain twins: one clip through two file chains, a pair the heads should embed alike (MODEL_CARD, thirty-first round).

A v2 clip and each of its edited versions are stored through their own file chain (training.mixer.FileChain:
normalization, band limit, codec), and a chain alone moves A(clip) below 0.85 cosine for a fifth of v2 val clips
(training.pilots.chain_probe). ``build`` writes, for clips of a feature cache, the frozen features of the clip with
one more randomly drawn chain on top (``twins.npz`` beside the cache's ``audio.npy``); ``TwinTerm`` is the training
term that pulls A(clip) and A(twin) together against the other clips of its batch (InfoNCE, each twin its clip's
only positive), so that what moves A is the edit, not the chain.

    python -m training.chain_twins data/features_v2_r31_exact/*/dev --clips 1000 --seed 0
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

import numpy as np
import torch
from torch.nn import functional as F

from training.losses import multi_positive_infonce

log = logging.getLogger("chain_twins")
TWINS_FILE = "twins.npz"


def build(cache_dir: Path, n_clips: int, seed: int, extractor) -> Path:
    """``twins.npz`` of ``n_clips`` clips of the cache (drawn with ``seed``): the features of each clip as its file
    reads (``clip``) and of the clip through one more file chain (``twin``), both by ``extractor.from_waveform`` so
    that only the chain differs. Kept when one of that size and seed exists."""
    import soundfile as sf

    from training.mixer import apply_file_chain
    from training.pair_plan import sample_file_chain

    index = json.loads((cache_dir / "index.json").read_text())
    n = min(n_clips, len(index["clips"]))
    out = cache_dir / TWINS_FILE
    if out.is_file():
        with np.load(out) as done:
            if int(done["seed"]) == seed and len(done["rows"]) == n:
                log.info("%s: kept (%d twins)", out, n)
                return out
    base = Path(index["pairs_csv"]).parent
    rng = np.random.default_rng(seed)
    rows = np.sort(rng.choice(len(index["clips"]), size=n, replace=False))
    clips, twins = [], []
    for k, row in enumerate(rows):
        audio, sr = sf.read(base / index["clips"][row], dtype="float32", always_2d=True)
        mono = audio.mean(axis=1)
        clips.append(extractor.from_waveform(mono, sr))
        twins.append(extractor.from_waveform(apply_file_chain(mono, sample_file_chain(rng))[0], sr))
        if (k + 1) % 200 == 0:
            log.info("%s: %d / %d", cache_dir, k + 1, n)
    tmp = out.with_name(out.stem + ".partial.npz")
    np.savez(tmp, rows=rows, clip=np.stack(clips).astype(np.float32), twin=np.stack(twins).astype(np.float32),
             seed=seed)
    tmp.replace(out)
    return out


class TwinTerm:
    """weight x InfoNCE between A(clip) and A(twin) over a random batch of the caches' twins."""

    def __init__(self, clip: np.ndarray, twin: np.ndarray, weight: float, batch: int = 256):
        self.clip, self.twin = torch.from_numpy(clip), torch.from_numpy(twin)
        self.weight, self.batch = weight, batch

    @classmethod
    def from_caches(cls, caches: list[Path], weight: float, batch: int = 256) -> TwinTerm | None:
        """From the ``twins.npz`` of the caches that have one; None when none has (or weight is 0)."""
        found = [np.load(c / TWINS_FILE) for c in caches if (c / TWINS_FILE).is_file()]
        if weight <= 0 or not found:
            return None
        log.info("twin term: %d twins from %d caches, weight %g", sum(len(f["rows"]) for f in found), len(found),
                 weight)
        return cls(np.concatenate([f["clip"] for f in found]), np.concatenate([f["twin"] for f in found]), weight,
                   batch)

    def penalty(self, heads, logit_scale: torch.Tensor, rng: np.random.Generator) -> torch.Tensor:
        idx = torch.from_numpy(rng.choice(len(self.clip), size=min(self.batch, len(self.clip)), replace=False))
        a = F.normalize(heads.embed_audio(self.clip[idx]), dim=-1)
        b = F.normalize(heads.embed_audio(self.twin[idx]), dim=-1)
        same = torch.eye(len(idx), dtype=torch.bool)
        return self.weight * multi_positive_infonce(a, b, same, logit_scale)


def main(argv: list[str] | None = None) -> int:
    from model.audio_features import AudioFeatureExtractor
    from model.yamnet import YamnetBackbone

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("caches", nargs="+", type=Path, help="feature cache folders (their pairs' audio must exist)")
    ap.add_argument("--clips", type=int, default=1000, help="twins per cache")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--arithmetic", default="exact", help="the YAMNet graph of the caches")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s", stream=sys.stderr)
    extractor = AudioFeatureExtractor(YamnetBackbone(threads=2, arithmetic=args.arithmetic))
    for cache in args.caches:
        index = json.loads((cache / "index.json").read_text())
        if index.get("audio_graph") != args.arithmetic:
            raise SystemExit(f"{cache}: features of the graph {index.get('audio_graph')!r}, not {args.arithmetic!r}")
        print(build(cache, args.clips, args.seed, extractor))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
