"""Val-only pilot: does a two-edit text's target match each edit's own query? Cosine ranking, no reordering.

For a two-edit text the heads compose one query, A(a) + T(edit 1) + T(edit 2). A sibling version that shows one
edit strongly can lie nearer that query than the target, which shows both. Here each edit also gets its own query,
A(a) + T(edit i), and a two-edit pair's score is cos(query, b) + lam x min_i cos(query_i, b); one-edit pairs keep
the plain cosine. Printed per val set: R@1 of its two-edit pairs (their count) and of all pairs, for each lam.

    python -m training.pilots.per_edit_cosine
"""

from __future__ import annotations

import glob

import numpy as np

from model.checkpoint import load_heads
from model.compose import l2_normalize
from model.ranking import target_ranks
from training.pairset import load_many
from training.retrieval import compose_rows, embed_rows, scene_gallery

VAL_SETS = {"v2": "data/features_v2_fresh3_exact/*/val",
            "first-release": "data/finetune/features_r1_fresh3_exact/*/val",
            "demo-design": "data/features_demo_fam_exact/*/val"}
LAMBDAS = (0.0, 0.1, 0.25, 0.5, 1.0, -0.25)


def per_edit_recall(heads, pattern: str) -> dict[float, tuple[float, int, float]]:
    """lam -> (two-edit R@1, two-edit pairs, R@1 of all pairs) on one val set's caches."""
    ps = load_many(sorted(glob.glob(pattern)))
    clips = embed_rows(heads.embed_audio, ps.audio)
    clauses = ps.clause_text.astype(np.float32)
    width = clauses.shape[1] // 2
    empty = np.zeros_like(clauses[:, :width])
    text = embed_rows(heads.embed_text, clauses)
    per_edit = [embed_rows(heads.embed_text, np.concatenate([clauses[:, i * width:(i + 1) * width], empty], 1))
                for i in (0, 1)]
    two_edits = np.abs(clauses[:, width:]).sum(1) > 0
    out = {}
    for lam in LAMBDAS:
        two_hits, all_hits = [], []
        for scene in ps.scenes():
            pairs, gallery, target = scene_gallery(ps, scene)
            a, keys = clips[ps.a[pairs]], l2_normalize(clips[gallery]).T
            rows = ps.t[pairs]
            scores = l2_normalize(compose_rows(heads, a, text[rows], 1.0)) @ keys
            each = [l2_normalize(compose_rows(heads, a, t[rows], 1.0)) @ keys for t in per_edit]
            two = two_edits[rows]
            scores = scores + lam * np.where(two[:, None], np.minimum(*each), 0.0)
            hit = target_ranks(scores, target) == 1
            two_hits += list(hit[two])
            all_hits += list(hit)
        out[lam] = (float(np.mean(two_hits)), len(two_hits), float(np.mean(all_hits)))
    return out


def main() -> int:
    heads = load_heads("assets/nudge_heads.safetensors")
    heads.eval()
    for name, pattern in VAL_SETS.items():
        cells = "  ".join(f"lam {lam:+.2f}: {two:.4f} ({n}) / {every:.4f}"
                          for lam, (two, n, every) in per_edit_recall(heads, pattern).items())
        print(f"{name:14s} two-edit R@1 (pairs) / all R@1  {cells}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
