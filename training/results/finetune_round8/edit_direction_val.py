"""Val-only exploration (eighth round, MODEL_CARD): rank by cos(q, b) + mu * cos(offset, A(b) - A(a)).

    python training/results/finetune_round8/edit_direction_val.py assets/nudge_heads.safetensors
"""

import glob
import sys

import numpy as np

sys.path.insert(0, ".")  # run from the repository root
from model.checkpoint import load_heads  # noqa: E402
from training.pairset import PairSet, load_many  # noqa: E402
from training.retrieval import compose_rows, embed_pairset, scene_gallery  # noqa: E402

MUS = (0, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5)
SETS = {"v2val": "data/features_v2/*/val", "r1val": "data/finetune/features_r1/*/val"}


def unit(x: np.ndarray) -> np.ndarray:
    return x / np.maximum(np.linalg.norm(x, axis=-1, keepdims=True), 1e-9)


def recall_at_1(ps: PairSet, audio: np.ndarray, text: np.ndarray, heads, mu: float) -> dict[str, float]:
    hits = np.zeros(len(ps), bool)
    for scene in ps.scenes():
        pairs, gallery, target = scene_gallery(ps, scene)
        a = audio[ps.a[pairs]]
        q = compose_rows(heads, a, text[ps.t[pairs]], 1.0)
        offset, ua, ub = unit(q - a), unit(a), unit(audio[gallery])
        score = unit(q) @ ub.T
        if mu:  # cos(offset, ub - ua) = (offset . ub - offset . ua) / |ub - ua|
            along = offset @ ub.T - np.sum(offset * ua, 1, keepdims=True)
            score = score + mu * along / np.sqrt(np.maximum(2 - 2 * ua @ ub.T, 1e-6))
        hits[pairs] = score.argmax(1) == target
    return {sc: float(hits[ps.scene == sc].mean()) for sc in ps.scenes()} | {"all": float(hits.mean())}


for path in sys.argv[1:]:
    heads = load_heads(path)
    for name, pattern in SETS.items():
        ps = load_many(sorted(glob.glob(pattern)))
        audio, text = embed_pairset(heads, ps)
        for mu in MUS:
            r = recall_at_1(ps, audio, text, heads, mu)
            shown = " ".join(f"{k} {v:.3f}" for k, v in r.items() if k in ("rain", "traffic", "all"))
            print(path, name, mu, shown, flush=True)
