"""Val-only diagnostic: does the composed query leave its own clip a? (MODEL_CARD, nineteenth round)

For every pair: is cos(q, A(a)) above cos(q, A(b)) (the query stays nearer the unchanged clip than its target),
by edit kind and edit count; and of the wrong top-1 results (gallery = the scene's targets, as in evaluate),
how many are near-duplicates of clip a (cos(A(a), A(x)) above 0.9).

    python -m training.query_self_diag HEADS data/features_demo_fam_exact/*/val
    python -m training.query_self_diag HEADS data/features_demo_fam_exact/*/val --family-choice
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

import numpy as np

from model.checkpoint import load_heads
from model.compose import l2_normalize
from training.pairset import PairSet, load_many
from training.retrieval import compose_rows, embed_pairset, scene_gallery

NEAR_DUPLICATE = 0.9


def unit_clips_and_queries(heads_path: Path, ps: PairSet) -> tuple[np.ndarray, np.ndarray]:
    """Unit A(x) of every clip row and the unit composed query of every pair (default strength)."""
    heads = load_heads(heads_path)
    clips, texts = embed_pairset(heads, ps)
    return l2_normalize(clips), l2_normalize(compose_rows(heads, clips[ps.a], texts[ps.t], 1.0))


def query_self_figures(heads_path: Path, ps: PairSet) -> dict[str, float]:
    c, q = unit_clips_and_queries(heads_path, ps)
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


def family_choice(heads_path: Path, ps: PairSet) -> dict[str, float]:
    """Demo-design sets only: for one-edit pairs, is the target the top-1 among the other members of its family
    (every clip of the family but clip a)? By edit (e.g. event_added:thunder), the demo's first example's kind."""
    c, q = unit_clips_and_queries(heads_path, ps)
    family = np.array([pid.rsplit("_p", 1)[0] for pid in ps.pair_id])
    members: dict[str, set[int]] = defaultdict(set)
    for i, f in enumerate(family):
        members[f] |= {int(ps.a[i]), int(ps.b[i])}
    hits: dict[str, list[bool]] = defaultdict(list)
    for i, diffs in enumerate(ps.diff_types):
        if len(diffs) != 1:
            continue
        gallery = np.array(sorted(members[family[i]] - {int(ps.a[i])}))
        hit = gallery[np.argmax(c[gallery] @ q[i])] == ps.b[i]
        hits[diffs[0]].append(bool(hit))
        hits["all one-edit pairs"].append(bool(hit))
    return {f"{k} ({len(v)})": float(np.mean(v)) for k, v in sorted(hits.items())}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("heads", type=Path)
    ap.add_argument("caches", nargs="+", type=Path, help="val feature caches (never eval sets)")
    ap.add_argument("--family-choice", action="store_true", help="demo-design sets: top-1 within the family")
    args = ap.parse_args(argv)
    ps = load_many(args.caches)
    figures = (family_choice if args.family_choice else query_self_figures)(args.heads, ps)
    print(json.dumps({k: round(v, 3) if isinstance(v, float) else v for k, v in figures.items()}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
