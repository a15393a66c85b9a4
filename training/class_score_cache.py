"""YAMNet's own AudioSet class scores per cached clip: the targets of the edit-evidence probe.

For every clip of a feature cache folder (same row order as its audio.npy) this stores the max and
the mean over the clip's 0.96 s patches of YAMNet's 521 class logits, as float16 (N, 2, 521).
Resumable: clips are processed in chunks, each chunk written atomically as its own file, so a killed
run continues where it stopped; ``load_scores`` stacks the chunks once all are there.

    nice -n 10 python -m training.class_score_cache data/features_v2/*/val --out data/rerank/scores
    nice -n 10 python -m training.class_score_cache data/features_v2/*/dev --limit 600 --out data/rerank/scores
"""

from __future__ import annotations

import argparse
import json
import logging
import multiprocessing as mp
import os
import sys
import tempfile
from pathlib import Path

import numpy as np

CHUNK = 100
N_CLASSES = 521
log = logging.getLogger("class_score_cache")
_BACKBONE = None


def _init_worker() -> None:
    global _BACKBONE
    from model.yamnet import YamnetBackbone

    _BACKBONE = YamnetBackbone(threads=1)


def clip_scores(path: str) -> np.ndarray:
    """(2, 521) float16: max and mean over the patches of YAMNet's class logits for one file."""
    from model.audio_io import iter_blocks_16k
    from model.frontend import stream_patches

    rows = [_BACKBONE.run(patches, with_classes=True)[1] for patches in stream_patches(iter_blocks_16k(path))]
    scores = np.concatenate(rows)
    return np.stack([scores.max(axis=0), scores.mean(axis=0)]).astype(np.float16)


def cache_name(cache_dir: Path) -> str:
    """'rain_val' for data/features_v2/rain/val."""
    return f"{cache_dir.parent.name}_{cache_dir.name}"


def clip_paths(cache_dir: Path) -> list[str]:
    """Absolute audio paths of a feature cache's clips, in its audio.npy row order."""
    index = json.loads((cache_dir / "index.json").read_text())
    base = Path(index["pairs_csv"]).parent
    return [str(base / c) for c in index["clips"]]


def _save_atomic(path: Path, array: np.ndarray) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp.npy")
    os.close(fd)
    np.save(tmp, array)
    os.replace(tmp, path)


def extract(cache_dir: Path, out_root: Path, limit: int | None, pool) -> Path:
    """Score the first ``limit`` clips (all if None) of one cache folder; returns its output folder."""
    paths = clip_paths(cache_dir)[:limit]
    out = out_root / cache_name(cache_dir)
    out.mkdir(parents=True, exist_ok=True)
    (out / "meta.json").write_text(json.dumps({"cache": str(cache_dir), "clips": len(paths), "chunk": CHUNK}))
    for start in range(0, len(paths), CHUNK):
        target = out / f"chunk_{start // CHUNK:05d}.npy"
        if target.exists():
            continue
        _save_atomic(target, np.stack(pool.map(clip_scores, paths[start:start + CHUNK], chunksize=4)))
        log.info("%s: %d / %d clips", out.name, min(start + CHUNK, len(paths)), len(paths))
    return out


def load_scores(out_dir: Path) -> np.ndarray:
    """(N, 2, 521) float32 of a finished folder; ValueError if chunks are missing."""
    meta = json.loads((out_dir / "meta.json").read_text())
    n_chunks = -(-meta["clips"] // meta["chunk"])
    chunks = [out_dir / f"chunk_{i:05d}.npy" for i in range(n_chunks)]
    missing = [c.name for c in chunks if not c.exists()]
    if missing:
        raise ValueError(f"{out_dir}: {len(missing)} chunks still missing (run training.class_score_cache)")
    return np.concatenate([np.load(c) for c in chunks]).astype(np.float32)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("caches", nargs="+", type=Path, help="feature cache folders (holding index.json)")
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--limit", type=int, help="only the first N clips of each folder")
    p.add_argument("--workers", type=int, default=2)
    args = p.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s", stream=sys.stderr)
    with mp.get_context("spawn").Pool(args.workers, initializer=_init_worker) as pool:
        for cache in args.caches:
            extract(cache, args.out, args.limit, pool)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
