"""The fifty-eighth round's first measure (MODEL_CARD): R@1 and two-difference R@1 on val sets when each gallery clip's
cosine is corrected for how much of a hub it is, before the reranker reads the first K.

score(query, b) = cos(query, b) - beta x r(b), r(b) the mean cosine of A(b) to its ``k`` nearest other gallery clips
(CSLS, Lample et al. 2018); queries with words only, the audio-only baseline is unchanged. ``--two-strengths``: the
sixtieth round's scales of the words' offset for texts read into two or more clauses (1: the app).

    python -m training.hub_probe --heads assets/nudge_heads.safetensors --rerank assets/nudge_rerank.json \\
        --set v2_val data/features_v2_fresh3_exact/*/val --set release1_val ... --betas 0 0.25 0.5 1 --out X.json
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from model.checkpoint import load_heads
from model.compose import l2_normalize
from model.ranking import target_ranks
from training.evaluate import evaluate_ranks
from training.pairset import PairSet, load_many
from training.retrieval import embed_pairset, pair_queries, scene_gallery

HUB_NEIGHBOURS = 10


def hub_levels(keys: np.ndarray, k: int = HUB_NEIGHBOURS) -> np.ndarray:
    """(G,) mean cosine of each unit row of ``keys`` (G, D) to its k nearest other rows (0 for a gallery of one)."""
    n = len(keys)
    if n < 2:
        return np.zeros(n, dtype=np.float32)
    sims = keys @ keys.T
    np.fill_diagonal(sims, -np.inf)
    k = min(k, n - 1)
    top = np.partition(sims, n - k, axis=1)[:, n - k:]
    return top.mean(axis=1).astype(np.float32)


def clause_counts(ps: PairSet, clauses: int) -> np.ndarray:
    """(n_texts,) how many clause slots each text row's reading fills (1 for whole-text features)."""
    if clauses == 1:
        return np.ones(len(ps.text), dtype=np.int64)
    slots = ps.text_features(clauses).reshape(len(ps.text), clauses, -1)
    return np.count_nonzero(np.any(slots != 0, axis=2), axis=1)


def hub_ranks(ps: PairSet, clips: np.ndarray, texts: np.ndarray, heads, beta: float, aligned=None,
              two_strength: float = 1.0) -> np.ndarray:
    """Rank of every pair's target with the hub-corrected cosine (and the reranker, when given); the words' offset
    of texts read into two or more clauses scaled by ``two_strength`` (the sixtieth round)."""
    ranks = np.zeros(len(ps), dtype=np.int64)
    two = clause_counts(ps, heads.config.text_clauses)[ps.t] >= 2
    for scene in ps.scenes():
        pairs, gallery, target = scene_gallery(ps, scene)
        keys = l2_normalize(clips[gallery])
        query = pair_queries(ps, pairs, clips, texts, heads)
        if two_strength != 1.0:
            scaled = two[pairs]
            query[scaled] = pair_queries(ps, pairs[scaled], clips, texts, heads, two_strength)
        scores = l2_normalize(query) @ keys.T
        if beta:
            scores = scores - beta * hub_levels(keys)[None, :]
        if aligned is not None:
            scores = aligned.rescore(scores, ps.a[pairs], gallery, [ps.texts[ps.t[p]] for p in pairs])
        ranks[pairs] = target_ranks(scores, target)
    return ranks


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--heads", type=Path, required=True)
    p.add_argument("--rerank", type=Path)
    p.add_argument("--set", nargs="+", action="append", required=True, metavar="NAME CACHE",
                   help="a val set's name and its feature cache folders (repeat)")
    p.add_argument("--betas", nargs="+", type=float, default=[0.0, 0.25, 0.5, 1.0])
    p.add_argument("--two-strengths", nargs="+", type=float, default=[1.0],
                   help="scales of a two-clause text's offset (the sixtieth round)")
    p.add_argument("--out", type=Path, required=True)
    args = p.parse_args(argv)
    heads = load_heads(args.heads)
    out: dict[str, dict[str, dict[str, float]]] = {}
    for name, *caches in args.set:
        paths = [Path(c) for c in caches]
        ps = load_many(paths)
        aligned = None
        if args.rerank:
            from training.aligned_scoring import load_scorer

            aligned = load_scorer(args.rerank, paths)
        clips, texts = embed_pairset(heads, ps)
        for beta in args.betas:
            for strength in args.two_strengths:
                r = evaluate_ranks(ps, hub_ranks(ps, clips, texts, heads, beta, aligned, strength))
                key = f"{beta:g}" if strength == 1.0 else f"{beta:g}/two_strength={strength:g}"
                out.setdefault(key, {})[name] = {"R@1": r["all/R@1"], "two": r.get("all/diff/n_diffs:2", np.nan)}
                print(f"{key} {name}: R@1 {r['all/R@1']:.4f}, two differences "
                      f"{r.get('all/diff/n_diffs:2', np.nan):.4f}", flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
