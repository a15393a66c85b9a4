"""Whether finer YAMNet evidence than the stored class scores tells an added event apart (val only; MODEL_CARD, after
the fifty-ninth round).

The reranker reads YAMNet's class scores as the graph outputs them: logits quantized to uint8 (steps of 0.757). For
the pairs of training.added_event_probe (an edited version b holding an added event X against another version of
the same clip without it), this compares the AUC of five readings of the change from a to b:

- ``stored``: from the uint8 scores (the reranker's ``logit_rise_top3``);
- ``float``: from the float logits, YAMNet's classifier on the float patch embedding;
- ``cam_max``: from the classifier applied at each of the last conv map's 3 x 2 positions and max-pooled (a faint
  sound filling one corner of a patch is not averaged away);
- ``at_novel``: the float rise at the three patches whose embeddings changed most from a to b;
- ``novelty``: how much more the most-changed patch changed than the median patch (names no sound).

    python -m training.patch_detail_probe NAME=CACHE_GLOB ...   (tables kept in data/pilots/patch_detail/)
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from model.class_scores import sound_classes
from model.sound_vocab import BY_ID
from model.yamnet import CLASS_SCALE
from training.added_event_probe import added_pairs, auc, named_sets
from training.aligned_evidence import evidence_graph, map_clips, save_ragged
from training.pairset import load_many
from training.pilots.clip_tables import REPO_ROOT

OUT = REPO_ROOT / "data" / "pilots" / "patch_detail"
COLUMNS = np.unique(np.concatenate([sound_classes([s]) for s in BY_ID]))  # every class a known sound reads
_BACKBONE = None
_CLASSIFIER: tuple[np.ndarray, np.ndarray] | None = None


def yamnet_classifier(graph: str) -> tuple[np.ndarray, np.ndarray]:
    """YAMNet's last layer as the graph computes it: (521, 1024) int8-dequantized weights and (521,) bias."""
    import onnx
    from onnx import numpy_helper

    from model.yamnet import prepared_model_path

    model = onnx.load(str(prepared_model_path(arithmetic=graph)))
    inits = {i.name: numpy_helper.to_array(i) for i in model.graph.initializer}
    scale, zero = float(inits["model.classifier.weight_scale"]), float(inits["model.classifier.weight_zero_point"])
    codes = np.clip(np.rint(inits["model.classifier.weight"] / scale) + zero, -128, 127)
    return ((codes - zero) * scale).astype(np.float32), inits["model.classifier.bias"].astype(np.float32)


def _init_worker(graph: str) -> None:
    global _BACKBONE, _CLASSIFIER
    from model.yamnet import YamnetBackbone

    _BACKBONE = YamnetBackbone(threads=1, arithmetic=graph)
    _CLASSIFIER = yamnet_classifier(graph)


def clip_detail(path: str) -> tuple[np.ndarray, ...]:
    """One clip -> per patch: stored uint8 scores, float logits (521), CAM logits (len(COLUMNS), 6), embedding."""
    import soundfile as sf

    from model.audio_io import prepare_waveform
    from model.frontend import stream_patches

    weights, bias = _CLASSIFIER
    samples, sr = sf.read(path, dtype="float32")
    parts: list[list[np.ndarray]] = [[], [], [], []]
    for patches in stream_patches([prepare_waveform(samples, sr)]):
        conv, raw = _BACKBONE.run_raw(patches)
        conv = conv.reshape(len(conv), conv.shape[1], -1)  # (P, 1024, 6)
        embedding = conv.mean(axis=2)
        cam = np.einsum("kc,pcs->pks", weights[COLUMNS], conv) + bias[COLUMNS][None, :, None]
        for part, value in zip(parts, (raw, embedding @ weights.T + bias, cam, embedding), strict=True):
            part.append(value if value.dtype == np.uint8 else value.astype(np.float16))
    return tuple(np.concatenate(p) for p in parts)


def extract(cache: Path) -> Path:
    graph = evidence_graph(cache)  # the graph the reranker's tables of this cache read (the app's)
    target = OUT / f"{cache.resolve().parents[1].name}_{cache.parent.name}_{cache.name}.{graph}.npz"
    if not target.exists():
        save_ragged(target, map_clips(cache, clip_detail, _init_worker, graph), ("raw", "logits", "cam", "embedding"))
    return target


def _top3(values: np.ndarray) -> float:
    return float(np.sort(values)[-3:].mean()) if len(values) else 0.0


def readings(table: dict[str, np.ndarray], a: int, b: int, sound: str) -> dict[str, float]:
    """The five readings of "add <sound>" from clip row a to clip row b."""
    off = table["offsets"]
    lo_a, lo_b = off[a], off[b]
    n = min(off[a + 1] - lo_a, off[b + 1] - lo_b)
    if not n:
        return dict.fromkeys(("stored", "float", "cam_max", "at_novel", "novelty"), 0.0)
    cols = sound_classes([sound])
    cam_rows = np.searchsorted(COLUMNS, cols)

    def rows(name: str, lo: int) -> np.ndarray:
        return table[name][lo:lo + n].astype(np.float32)

    stored = CLASS_SCALE * (rows("raw", lo_b)[:, cols].max(1) - rows("raw", lo_a)[:, cols].max(1))
    rise = rows("logits", lo_b)[:, cols].max(1) - rows("logits", lo_a)[:, cols].max(1)
    cam = rows("cam", lo_b)[:, cam_rows].max(axis=(1, 2)) - rows("cam", lo_a)[:, cam_rows].max(axis=(1, 2))
    ea, eb = rows("embedding", lo_a), rows("embedding", lo_b)
    change = 1 - (ea * eb).sum(1) / (np.linalg.norm(ea, axis=1) * np.linalg.norm(eb, axis=1) + 1e-6)
    return {"stored": _top3(stored), "float": _top3(rise), "cam_max": _top3(cam),
            "at_novel": float(rise[np.argsort(change)[-3:]].mean()), "novelty": float(change.max() - np.median(change))}


def probe(caches: list[Path], seed: int = 0) -> dict[str, float]:
    target: dict[str, list[float]] = {}
    other: dict[str, list[float]] = {}
    for cache in caches:
        table = dict(np.load(extract(cache)))
        for a, b, o, sound in added_pairs(load_many([cache]), seed):
            if o is None:
                continue
            for key, value in readings(table, a, b, sound).items():
                target.setdefault(key, []).append(value)
            for key, value in readings(table, a, o, sound).items():
                other.setdefault(key, []).append(value)
    return {key: auc(np.array(target[key]), np.array(other[key])) for key in target} | {
        "pairs": len(next(iter(target.values()), []))}


def main(argv: list[str] | None = None) -> int:
    for name, caches in named_sets(argv, __doc__.splitlines()[0]):
        r = probe(caches)
        print(f"{name}: {r.pop('pairs')} pairs; AUC " + ", ".join(f"{k} {v:.3f}" for k, v in r.items()), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
