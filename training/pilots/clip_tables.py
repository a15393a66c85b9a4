"""Shared plumbing of the pilots: run YAMNet over every cached clip of a split, one table row per clip."""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
from collections.abc import Callable
from pathlib import Path

import numpy as np

REPO_ROOT = Path(__file__).resolve().parents[2]
FEATURES = REPO_ROOT / "data" / "features"
PAIRS = REPO_ROOT / "data" / "pairs"
SCENES = ("rain", "traffic")
_BACKBONE = None


def _init_worker() -> None:
    global _BACKBONE
    from model.yamnet import YamnetBackbone

    _BACKBONE = YamnetBackbone(threads=1)


def run_clip(path: str, with_classes: bool = False) -> tuple[np.ndarray, np.ndarray | None]:
    """One clip file through this worker's YAMNet: (conv maps, class scores or None) per patch."""
    import soundfile as sf

    from model.audio_io import prepare_waveform
    from model.frontend import stream_patches

    samples, sr = sf.read(path, dtype="float32")
    patches = np.concatenate(list(stream_patches([prepare_waveform(samples, sr)])))
    return _BACKBONE.run(patches, with_classes=with_classes)


def extract_tables(split: str, pairs: int | None, row_of: Callable[[str], np.ndarray], out: Path) -> None:
    """out/<scene>_<split>.npy: row_of(clip path) for the clips of the first `pairs` pairs (all if None),
    in the feature cache's clip order. row_of must be a module-level function (it runs in workers)."""
    out.mkdir(parents=True, exist_ok=True)
    for scene in SCENES:
        clips = json.loads((FEATURES / scene / split / "index.json").read_text())["clips"]
        clips = clips[: 2 * pairs] if pairs else clips  # clips are listed a, b of pair 0, 1, ...
        paths = [str(PAIRS / scene / split / c) for c in clips]
        with mp.get_context("spawn").Pool(2, initializer=_init_worker) as pool:
            table = np.stack(pool.map(row_of, paths, chunksize=16))
        np.save(out / f"{scene}_{split}.npy", table)
        print(scene, split, table.shape, flush=True)


def pilot_parser(doc: str) -> tuple[argparse.ArgumentParser, argparse.ArgumentParser, argparse.ArgumentParser]:
    """(parser, its 'train' subparser with --pairs / --epochs, its subparsers) with 'extract' already in."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    ex = sub.add_parser("extract")
    ex.add_argument("--split", required=True)
    ex.add_argument("--pairs", type=int, help="only the first N pairs of each scene")
    tr = sub.add_parser("train")
    tr.add_argument("--pairs", type=int, default=3000)
    tr.add_argument("--epochs", type=int, default=30)
    return parser, tr, sub
