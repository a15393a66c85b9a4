"""Edit-aware reranking on cached pair sets: ranks with rerank, and the validation grid that tunes it.

Used by training.evaluate (method ``<model>+rerank``) and training.refine_bench (``--probe``). Each pair's
modifier is read by the parser (as the app reads it), the scene gallery is ranked by cosine to the
composed query, the top K are rescored by model.edit_rerank, and the target's rank is taken from the
reranked list (a target outside the top K keeps its cosine rank).

    python -m training.rerank_bench tune --heads assets/nudge_heads.safetensors \
        --probe data/rerank/edit_probe.safetensors --val data/features_v2/*/val --out training/results/rerank/tune.json
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from dataclasses import asdict, replace
from pathlib import Path

import numpy as np

from model.edit_rerank import EditProbe, EditTarget, RerankSettings, consistency, edit_targets
from training.pairset import PairSet

WEIGHTS = (0.0, 0.005, 0.01, 0.02, 0.03, 0.05, 0.08, 0.12)
TOP_KS = (50, 100, 200)
POOLS = ("max", "mean", "both", "label")
LEVEL_WEIGHTS = (0.0, 0.5, 1.0, 2.0)


def text_targets(texts: list[str], probe: EditProbe) -> list[list[EditTarget]]:
    """The rerank targets of each text as the app's parser reads it."""
    from model.modifier_parser import parse_modifier

    return [edit_targets(parse_modifier(t), probe.audioset, probe.label_ids) for t in texts]


def reranked_rank(scores: np.ndarray, target: int, cons_of_top, top_k: int, weight: float) -> int:
    """1-based rank of ``target`` after rescoring the top ``top_k`` of ``scores`` (G,) with
    cons_of_top(top rows) -> (K,) consistency."""
    order = np.argsort(-scores, kind="stable")
    top = order[:top_k]
    position = np.flatnonzero(order == target)[0]
    if position >= top_k or weight == 0.0:
        return int(position) + 1
    new = scores[top] + weight * cons_of_top(top)
    reordered = top[np.argsort(-new, kind="stable")]
    return int(np.flatnonzero(reordered == target)[0]) + 1


def scene_scores(ps: PairSet, clips: np.ndarray, queries: np.ndarray, scene: str
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(pair indices, gallery clip rows, cosine scores (n_pairs, G)) of one scene."""
    from training.retrieval import scene_gallery

    pairs, gallery, target = scene_gallery(ps, scene)
    keys = clips[gallery] / np.maximum(np.linalg.norm(clips[gallery], axis=1, keepdims=True), 1e-12)
    q = queries[pairs] / np.maximum(np.linalg.norm(queries[pairs], axis=1, keepdims=True), 1e-12)
    return pairs, gallery, (q @ keys.T, target)


def rerank_ranks(ps: PairSet, clips: np.ndarray, queries: np.ndarray, probe: EditProbe,
                 settings: RerankSettings, targets_of_text: list[list[EditTarget]] | None = None,
                 weights: tuple[float, ...] | None = None) -> dict[float, np.ndarray]:
    """{weight: ranks (n_pairs,)} with clip embeddings ``clips`` (rows of ps.audio) and composed
    (unnormalised) queries per pair ``queries`` (n_pairs, D); weights default to settings.weight."""
    weights = weights or (settings.weight,)
    targets_of_text = targets_of_text or text_targets(ps.texts, probe)
    evidence = probe.evidence(clips)
    ranks = {w: np.zeros(len(ps), dtype=np.int64) for w in weights}
    for scene in ps.scenes():
        pairs, gallery, (scores, target) = scene_scores(ps, clips, queries, scene)
        for row, i in enumerate(pairs):
            targets = targets_of_text[ps.t[i]]
            ev_a = evidence.take([ps.a[i]])
            cache: dict[str, np.ndarray] = {}

            def cons_of_top(top: np.ndarray, _t=targets, _a=ev_a, _c=cache, _g=gallery) -> np.ndarray:
                if "c" not in _c:  # the same top K for every weight
                    _c["c"] = consistency(_t, _a, evidence.take(_g[top]), settings)
                return _c["c"]

            for w in weights:
                ranks[w][i] = reranked_rank(scores[row], int(target[row]), cons_of_top, settings.top_k,
                                            w if targets else 0.0)
    return ranks


def refine_rescorer(probe: EditProbe, gallery_emb: np.ndarray, step_texts: list[str]):
    """rescore(scores (n, G), current (n,), step-text rows) for training.refine_bench.run_sessions: each
    session's top K rescored with the stated edit's consistency, the rest kept below them."""
    settings = probe.settings
    evidence = probe.evidence(gallery_emb)
    targets_of = text_targets(step_texts, probe)

    def rescore(scores: np.ndarray, current: np.ndarray, rows: list[int]) -> np.ndarray:
        out = scores.copy()
        for n, row in enumerate(rows):
            if not targets_of[row] or settings.weight == 0.0:
                continue
            top = np.argsort(-scores[n], kind="stable")[:settings.top_k]
            cons = consistency(targets_of[row], evidence.take([current[n]]), evidence.take(top), settings)
            out[n] = scores[n] - 1e3  # outside the rescored top K: after every candidate, in cosine order
            out[n, top] = scores[n, top] + settings.weight * cons
        return out

    return rescore


def composed_queries(heads, ps: PairSet, clips: np.ndarray, texts: np.ndarray) -> np.ndarray:
    from training.retrieval import compose_rows

    return compose_rows(heads, clips[ps.a].astype(np.float32), texts[ps.t].astype(np.float32), 1.0)


def tune(ps: PairSet, clips: np.ndarray, queries: np.ndarray, probe: EditProbe) -> tuple[RerankSettings, list]:
    """Grid over K, pool, level weight and weight on these (validation) pairs: the settings with the
    highest R@1 (ties: the smaller weight, then the earlier grid entry) and every grid point's R@1."""
    targets = text_targets(ps.texts, probe)
    grid, best = [], None
    for top_k, pool, level_weight in itertools.product(TOP_KS, POOLS, LEVEL_WEIGHTS):
        settings = RerankSettings(top_k=top_k, pool=pool, level_weight=level_weight)
        ranks = rerank_ranks(ps, clips, queries, probe, settings, targets, WEIGHTS)
        for w in WEIGHTS:
            r1 = float((ranks[w] == 1).mean())
            grid.append({**asdict(replace(settings, weight=w)), "R@1": r1, "R@10": float((ranks[w] <= 10).mean())})
            if best is None or r1 > best[0] + 1e-12:
                best = (r1, replace(settings, weight=w))
    return best[1], grid


def main(argv: list[str] | None = None) -> int:
    from model.checkpoint import load_heads
    from training.pairset import load_many
    from training.retrieval import embed_pairset

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("tune", help="choose the rerank settings on validation pairs")
    t.add_argument("--heads", type=Path, required=True)
    t.add_argument("--probe", type=Path, required=True)
    t.add_argument("--val", nargs="+", type=Path, required=True)
    t.add_argument("--out", type=Path, required=True)
    args = p.parse_args(argv)
    command = "python -m training.rerank_bench " + " ".join(argv if argv is not None else sys.argv[1:])
    heads = load_heads(args.heads).eval()
    ps = load_many(args.val)
    clips, texts = embed_pairset(heads, ps)
    queries = composed_queries(heads, ps, clips, texts)
    probe = EditProbe.from_file(args.probe)
    best, grid = tune(ps, clips, queries, probe)
    base = next(g for g in grid if g["weight"] == 0.0)
    report = {"command": command, "pairs": len(ps), "best": asdict(best), "best_R@1": max(g["R@1"] for g in grid),
              "no_rerank_R@1": base["R@1"], "grid": grid}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=1))
    print(json.dumps({k: v for k, v in report.items() if k != "grid"}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
