"""Where do refine-loop sessions fail? The reranker's reach against the search's (val sets only).

Runs training.refine_bench's text loop with a reranker file and, for every session that does not reach its
target within 3 steps, reads the target's rank at each step before and after the rerank: a target inside the
reranker's first K at some step was the reranker's to find; one never inside them was the search's (the heads'
cosine) to bring up. Reported per val set, by number of edits and by difference type.

    python -m training.pilots.refine_failures --rerank assets/nudge_rerank.json \\
        --eval v2_val:'data/features_v2_fresh3_exact/*/val' \\
        release1_val:'data/finetune/features_r1_fresh3_exact/*/val' demo_val:'data/features_demo_fam_exact/*/val'
"""

from __future__ import annotations

import argparse
import glob
from collections import defaultdict
from pathlib import Path

import numpy as np

from training.refine_bench import run_sessions, scene_sessions

STEPS = 3


def _rank(scores: np.ndarray, target: int) -> int:
    """1-based rank of the target in one row of scores (ties count in its favour)."""
    return int((scores > scores[target]).sum()) + 1


def session_ranks(gallery_emb, ear, sessions, compose, step_text, rescore, top: int = 10
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(found step per session, cosine rank per session and step, final rank per session and step); 0 = not run."""
    n = len(sessions)
    cos_rank = np.zeros((n, STEPS), dtype=np.int64)
    final_rank = np.zeros((n, STEPS), dtype=np.int64)

    def trace(step, active, before, after, _clips):
        for row, i in enumerate(active):
            target = sessions[i].target
            cos_rank[i, step - 1] = _rank(before[row], target)
            final_rank[i, step - 1] = _rank(after[row], target)

    found = run_sessions(gallery_emb, ear, sessions, compose, step_text, STEPS, top, rescore=rescore, trace=trace)
    return found, cos_rank, final_rank


def _best(ranks: np.ndarray) -> np.ndarray:
    return np.where(ranks > 0, ranks, np.iinfo(np.int64).max).min(axis=1)


def failure_rows(found: np.ndarray, cos_rank: np.ndarray, k: int, final_rank: np.ndarray | None = None
                 ) -> dict[str, float]:
    """Shares of sessions: found within 3; failed with the target inside the first K at some step; failed with it
    never inside; the failures' median best cosine rank; failed with the target in the cosine top 10 at a step (the
    rerank pushed it out); with final ranks, the share of sessions that failed with
    the target at ranks 11-20 after the rerank at some step."""
    n = max(len(found), 1)
    failed = (found == 0) | (found > STEPS)
    best = _best(cos_rank)
    reach = failed & (best <= k)
    row = {"n": float(len(found)), "found": float((~failed).sum() / n), "failed, in first K": float(reach.sum() / n),
           "failed, never in first K": float((failed & ~reach).sum() / n),
           "failures' best cosine rank (median)": float(np.median(best[failed])) if failed.any() else 0.0}
    row["failed, cosine top 10 at a step"] = float((failed & (best <= 10)).sum() / n)
    if final_rank is not None:
        row["failed, reranked to 11-20"] = float((failed & (_best(final_rank) <= 20)).sum() / n)
    return row


def main(argv: list[str] | None = None) -> int:
    from model.checkpoint import load_heads
    from model.modifier_parser import modifier_clauses
    from model.text_backbone import MiniLMBackbone
    from training.aligned_scoring import load_scorer
    from training.pairset import load_many
    from training.refine_bench import stated_edits
    from training.retrieval import compose_rows, embed_rows

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--heads", type=Path, default=Path("assets/nudge_heads.safetensors"))
    p.add_argument("--rerank", type=Path, required=True)
    p.add_argument("--eval", nargs="+", required=True, metavar="NAME:GLOB", help="val feature caches")
    args = p.parse_args(argv)
    heads = load_heads(args.heads).eval()
    backbone = MiniLMBackbone(threads=2)
    for spec in args.eval:
        name, pattern = spec.split(":", 1)
        caches = [Path(c) for c in sorted(glob.glob(pattern))]
        ps = load_many(caches)
        scorer = load_scorer(args.rerank, caches)
        unique, pair_steps, step_text = stated_edits(heads, ps, backbone, modifier_clauses)
        clip_emb = embed_rows(heads.embed_audio, np.asarray(ps.audio))
        groups: dict[str, list[tuple[int, np.ndarray]]] = defaultdict(list)
        for scene in ps.scenes():
            sel = np.flatnonzero(ps.scene == scene)
            gallery, sessions = scene_sessions(ps.a[sel], ps.b[sel], [pair_steps[i] for i in sel])

            def compose(audio, text):
                return audio if text is None else compose_rows(heads, audio, text.astype(np.float32), 1.0)

            def rescore(scores, current, rows, _gallery=gallery, _scorer=scorer, _unique=unique):
                return _scorer.rescore(scores, _gallery[current], _gallery, [_unique[r] for r in rows])

            found, cos_rank, final_rank = session_ranks(clip_emb[gallery], np.asarray(ps.audio)[gallery], sessions,
                                                        compose, step_text, rescore)
            for j, i in enumerate(sel):
                diffs = ps.diff_types[i]
                keys = ["all", f"scene {scene}", f"{len(diffs)} edit(s)"] + sorted({d.split(":")[0] for d in diffs})
                for key in keys:
                    groups[key].append((int(found[j]), cos_rank[j], final_rank[j]))
        print(f"## {name} (reranker K {scorer.reranker.k})")
        for key in sorted(groups, key=lambda g: (g != "all", g)):
            found = np.array([f for f, _, _ in groups[key]])
            ranks, finals = (np.stack([g[i] for g in groups[key]]) for i in (1, 2))
            row = failure_rows(found, ranks, scorer.reranker.k, finals)
            print(f"{key:24s} " + "  ".join(f"{k} {v:.3f}" if k != "n" else f"n {int(v)}" for k, v in row.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
