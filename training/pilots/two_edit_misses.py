"""What comes first when the reranker misses a two-difference val pair (val sets only).

For each val list of a pair with two differences whose target is within the first K but not first, the pair whose
clip b came first: another version of the same clip a (a sibling) or another clip's, and how many of the text's
differences it shares. For the siblings that share none, the median of each feature (top-1 minus target, per edit)
shows what the network preferred.

    python -m training.pilots.two_edit_misses features_v2_fresh3_exact "data/features_v2_fresh3_exact/*/val" \
        [--rerank assets/nudge_rerank.json]
"""

from __future__ import annotations

import argparse
import glob
from collections import Counter
from pathlib import Path

import numpy as np
import torch

from model.aligned_rerank import ALL_FEATURES, AlignedReranker
from model.checkpoint import load_heads
from training.aligned_mlp import HEADS, REPO_ROOT, load_deep, readable
from training.pairset import load_many
from training.pilots.two_edit_kinds import list_scores
from training.retrieval import embed_pairset, scene_cosines


def candidate_rows(caches: list[Path], k: int = 80) -> tuple[object, list[tuple[int, np.ndarray]]]:
    """The pair set and, per list in training.aligned_fit.Candidates' order, (pair, its first k gallery rows)."""
    ps = load_many(caches)
    heads = load_heads(HEADS)
    clips, texts = embed_pairset(heads, ps)
    rows = []
    for scene in ps.scenes():
        pairs, gallery, _, scores = scene_cosines(ps, scene, clips, texts, heads)
        top = np.argsort(-scores, axis=1, kind="stable")[:, :k]
        rows.extend((int(p), gallery[top[i]]) for i, p in enumerate(pairs))
    return ps, rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", help="a k80 val table's features folder, e.g. features_v2_fresh3_exact")
    parser.add_argument("caches", help="glob of that folder's val caches")
    parser.add_argument("--rerank", type=Path, default=Path("assets/nudge_rerank.json"))
    args = parser.parse_args(argv)
    r = AlignedReranker.from_file(args.rerank)
    cos, feats, kinds, target, patches = (t.numpy() for t in load_deep(80, "val", r.k)[args.folder])
    mask = readable(torch.as_tensor(patches), r.length_tolerance or np.inf, r.length_floor).numpy()
    top1 = list_scores(r, cos, feats[..., r.columns], kinds, mask).argmax(1)
    ps, rows = candidate_rows([Path(c) for c in sorted(glob.glob(str(REPO_ROOT / args.caches)))], r.k)
    if len(rows) != len(target):
        raise SystemExit(f"{len(rows)} lists rebuilt, {len(target)} in the table: other caches or heads?")
    kinds_of: Counter[str] = Counter()
    gaps: list[np.ndarray] = []
    for n, (p, cand) in enumerate(rows):
        if len(ps.diff_types[p]) != 2 or target[n] < 0 or top1[n] == target[n]:
            continue
        other = int(np.flatnonzero(ps.b == int(cand[top1[n]]))[0])
        if ps.a[other] != ps.a[p]:
            kinds_of["another clip's version"] += 1
            continue
        shared = len(set(ps.diff_types[p]) & set(ps.diff_types[other]))
        kinds_of[f"a sibling with {len(ps.diff_types[other])} difference(s), sharing {shared}"] += 1
        if not shared:
            gaps.append(feats[n, :, top1[n]] - feats[n, :, target[n]])
    total = sum(kinds_of.values())
    print(f"{args.folder}: {total} two-difference lists missed with the target within the first {r.k}")
    for key, count in kinds_of.most_common():
        print(f"  {count / total:.2f}  {key}")
    if gaps:
        g = np.stack(gaps)
        print(f"top-1 minus target where the sibling shares neither difference ({len(g)} lists; median, edit 1 / 2):")
        for j, name in enumerate(ALL_FEATURES[: g.shape[-1]]):
            print(f"  {name:18s} {np.median(g[:, 0, j]):+.3f} {np.median(g[:, 1, j]):+.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
