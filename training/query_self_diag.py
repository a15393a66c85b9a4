"""Val-only diagnostic: does the composed query leave its own clip a? (MODEL_CARD, nineteenth round)

For every pair: is cos(q, A(a)) above cos(q, A(b)) (the query stays nearer the unchanged clip than its target),
by edit kind and edit count; and of the wrong top-1 results (gallery = the scene's targets, as in evaluate),
how many are near-duplicates of clip a (cos(A(a), A(x)) above 0.9).

    python -m training.query_self_diag HEADS data/features_demo_fam_exact/*/val
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

import numpy as np

from model.checkpoint import load_heads
from training.pairset import PairSet, load_many
from training.retrieval import compose_rows, embed_pairset, scene_gallery

NEAR_DUPLICATE = 0.9


def unit(x: np.ndarray) -> np.ndarray:
    return x / np.linalg.norm(x, axis=-1, keepdims=True)


def query_self_figures(heads_path: Path, ps: PairSet) -> dict[str, float]:
    heads = load_heads(heads_path)
    clips, texts = embed_pairset(heads, ps)
    c = unit(clips)
    q = unit(compose_rows(heads, clips[ps.a], texts[ps.t], 1.0))
    nearer_a = np.sum(q * c[ps.a], 1) > np.sum(q * c[ps.b], 1)
    groups: dict[str, list[bool]] = defaultdict(list)
    for i, diffs in enumerate(ps.diff_types):
        groups[f"{len(diffs)} edit(s)"].append(bool(nearer_a[i]))
        for d in diffs:
            groups[d.split(":")[0]].append(bool(nearer_a[i]))
    wrong = near = 0
    for scene in ps.scenes():
        pairs, gallery, _ = scene_gallery(ps, scene)
        top = gallery[np.argmax(q[pairs] @ c[gallery].T, axis=1)]
        miss = top != ps.b[pairs]
        wrong += int(miss.sum())
        near += int(np.sum(np.sum(c[ps.a[pairs]][miss] * c[top[miss]], 1) > NEAR_DUPLICATE))
    out = {"pairs": len(ps), "query nearer a than b": float(nearer_a.mean())}
    out |= {f"nearer a, {k}": float(np.mean(v)) for k, v in sorted(groups.items())}
    return out | {"wrong top-1": wrong, "wrong top-1 near-duplicates of a": near}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("heads", type=Path)
    ap.add_argument("caches", nargs="+", type=Path, help="val feature caches (never eval sets)")
    args = ap.parse_args(argv)
    figures = query_self_figures(args.heads, load_many(args.caches))
    print(json.dumps({k: round(v, 3) if isinstance(v, float) else v for k, v in figures.items()}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
