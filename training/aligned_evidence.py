"""Per-patch evidence tables of feature caches' clips, for fitting and scoring model.aligned_rerank.

    python -m training.aligned_evidence data/features_v2_fresh3_exact/*/val

writes data/pilots/aligned/<features folder>/<scene>_<split>.npz: per clip row of the feature cache, its
patches' uint8 class scores and levels (model.patch_evidence; ragged, with offsets). Existing tables are kept.

The class scores come from the YAMNet graph of the cache's own features (``exact`` for the *_exact caches, as
the app reads evidence with its heads' graph), unless ``--graph`` or NUDGE_EVIDENCE_GRAPH (read by every consumer
of the tables) names another; tables of a graph other than ``pairsat1`` are <scene>_<split>.<graph>.npz. Every
round up to the sixtieth read ``pairsat1`` tables (MODEL_CARD, "The reranker's evidence").
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
from pathlib import Path

import numpy as np

from model.aligned_rerank import PatchEvidence
from model.yamnet_graph import GRAPH_VERSION, GRAPHS
from training.pilots.clip_tables import REPO_ROOT

OUT = REPO_ROOT / "data" / "pilots" / "aligned"
_BACKBONE = None


def evidence_graph(cache_dir: Path) -> str:
    """The YAMNet graph a cache's tables are read from: NUDGE_EVIDENCE_GRAPH, else the graph of the cache's own
    features (its index.json ``audio_graph``), as the app reads evidence with its heads' graph. Every round up to
    the sixtieth read ``pairsat1`` tables (NUDGE_EVIDENCE_GRAPH=pairsat1 reproduces them; MODEL_CARD)."""
    if os.environ.get("NUDGE_EVIDENCE_GRAPH"):
        return os.environ["NUDGE_EVIDENCE_GRAPH"]
    try:
        return json.loads((Path(cache_dir) / "index.json").read_text()).get("audio_graph") or GRAPH_VERSION
    except (OSError, ValueError):
        return GRAPH_VERSION


def _init_worker(graph: str) -> None:
    global _BACKBONE
    from model.yamnet import YamnetBackbone

    _BACKBONE = YamnetBackbone(threads=1, arithmetic=graph)


def clip_patches(path: str) -> tuple[np.ndarray, np.ndarray]:
    """One clip -> (P, 521) uint8 class scores and (P,) float32 patch levels (model.patch_evidence)."""
    import soundfile as sf

    from model.patch_evidence import evidence_from_waveform

    samples, sr = sf.read(path, dtype="float32")
    evidence = evidence_from_waveform(_BACKBONE, samples, sr)
    return evidence.classes, evidence.levels


def out_path(cache_dir: Path, graph: str | None = None) -> Path:
    cache_dir, graph = cache_dir.resolve(), graph or evidence_graph(cache_dir)
    suffix = "" if graph == GRAPH_VERSION else f".{graph}"
    return OUT / cache_dir.parents[1].name / f"{cache_dir.parent.name}_{cache_dir.name}{suffix}.npz"


def map_clips(cache_dir: Path, per_clip, initializer, graph: str) -> list[tuple[np.ndarray, ...]]:
    """``per_clip(path)`` of every clip row of a feature cache, in row order, in two worker processes that
    ``initializer(graph)`` prepares."""
    index = json.loads((cache_dir / "index.json").read_text())
    root = Path(index["pairs_csv"]).parent
    with mp.get_context("spawn").Pool(2, initializer=initializer, initargs=(graph,)) as pool:
        return pool.map(per_clip, [str(root / c) for c in index["clips"]], chunksize=8)


def save_ragged(target: Path, rows: list[tuple[np.ndarray, ...]], names: tuple[str, ...]) -> None:
    """Per clip row, its per-patch arrays -> one table: each named column concatenated over the rows, with the rows'
    ``offsets``; written to a temporary file first, so a killed run leaves no table."""
    counts = np.array([len(r[0]) for r in rows], dtype=np.int64)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".tmp.npz")
    np.savez(tmp, **{name: np.concatenate([r[i] for r in rows]) for i, name in enumerate(names)},
             offsets=np.concatenate([[0], np.cumsum(counts)]))
    tmp.rename(target)


def extract(cache_dir: Path, graph: str | None = None) -> Path:
    graph = graph or evidence_graph(cache_dir)
    target = out_path(cache_dir, graph)
    if not target.exists():
        save_ragged(target, map_clips(cache_dir, clip_patches, _init_worker, graph), ("classes", "levels"))
    return target


class PatchTable:
    """The per-patch class scores and levels of one cache's clip rows."""

    def __init__(self, path: Path) -> None:
        data = np.load(path)
        self.classes, self.levels, self.offsets = data["classes"], data["levels"], data["offsets"]

    def clip(self, row: int) -> PatchEvidence:
        lo, hi = self.offsets[row], self.offsets[row + 1]
        return PatchEvidence(self.classes[lo:hi], self.levels[lo:hi])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("caches", nargs="+", type=Path, help="feature cache folders (training.feature_cache)")
    parser.add_argument("--graph", choices=GRAPHS, help="YAMNet graph of the class scores (default: evidence_graph)")
    args = parser.parse_args()
    for cache in args.caches:
        print(extract(cache, args.graph), flush=True)


if __name__ == "__main__":
    main()
