"""How the reranker does on one-edit "add X" lists where X raises the clip's typical level (a dense, loud event).

The rebuilt demo showed rain_01 + "add footsteps" losing its target to a dog clip: the steps raise most patches, so
the per-edit feature `gain` (the median level change, meant for a file's gain) is high, and the network scores the
target low. This probe splits the cached candidate lists (training.aligned_mlp build --k 80) by the target's `gain`
for the add edit and prints R@1 of each part, then the median features of the target and of the winner in the
dense misses, and R@1 split again by whether some of the target's patches fell against the median (the event-free
patches of a dense addition do: the median rose with the event). Report only; nothing is fitted.

    python -m training.dense_add_probe features_demo_fam_exact_dev features_demo_fam_exact_val ...
    python -m training.dense_add_probe --zero gain features_demo_fam_exact_val ...   # an ablation
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import torch

from model.aligned_rerank import ALL_FEATURES, KINDS, AlignedReranker
from training.aligned_mlp import readable

LISTS = Path("data/pilots/aligned/k80")
SHOWN = ("gain", "logit_rise_top3", "align", "level_fall_top3", "other_rise")


def probe(rr: AlignedReranker, name: str, dense: float, zero: tuple[str, ...] = ()) -> list[str]:
    cos, feats, kinds, target, patches = (t.numpy() for t in torch.load(LISTS / f"{name}.pt", weights_only=False))
    mask = readable(torch.from_numpy(patches), rr.length_tolerance, rr.length_floor).numpy()
    names = [ALL_FEATURES[c] for c in rr.columns]
    gain, fall, shown = names.index("gain"), names.index("level_fall_top3"), [names.index(s) for s in SHOWN]
    zeroed = [names.index(z) for z in zero]
    parts: dict[bool, list[int]] = {True: [], False: []}
    by_fall: dict[tuple[bool, bool], list[int]] = {}
    misses, every = [], []
    for i in range(len(cos)):
        edits = [e for e in range(kinds.shape[1]) if kinds[i, e].sum() > 0]
        if target[i] < 0 or not edits:
            continue
        t, edit_kinds = int(target[i]), [int(kinds[i, e].argmax()) for e in edits]
        network = rr.two_edit_network if rr.two_edit_network is not None and len(edits) > 1 else rr.network
        read = feats[i, edits].copy()
        read[..., zeroed] = 0.0
        evidence = network.scores(read, edit_kinds)
        evidence = np.where(mask[i], evidence, evidence[mask[i]].mean() if mask[i].any() else 0.0)
        winner = int(np.argmax(cos[i] / rr.tau + evidence))
        every.append(int(winner == t))
        if len(edits) != 1 or KINDS[edit_kinds[0]] != "add":
            continue
        is_dense = bool(feats[i, edits[0], t, gain] > dense)
        parts[is_dense].append(int(winner == t))
        by_fall.setdefault((is_dense, bool(feats[i, edits[0], t, fall] > dense)), []).append(int(winner == t))
        if is_dense and winner != t:
            misses.append((feats[i, edits[0], t, shown], feats[i, edits[0], winner, shown]))
    zero_note = f" (features set to 0: {', '.join(zero)})" if zero else ""
    lines = [f"{name}{zero_note}: every list R@1 {np.mean(every):.4f} ({len(every)}); one-edit add lists, target gain "
             f"> {dense}: R@1 {np.mean(parts[True]):.3f} ({len(parts[True])}); the rest {np.mean(parts[False]):.3f} "
             f"({len(parts[False])})"]
    lines.append("  by the target's level_fall_top3 > " + str(dense) + ": " + ", ".join(
        f"{'dense' if d else 'other'} {'with' if f else 'without'} falls {np.mean(v):.3f} ({len(v)})"
        for (d, f), v in sorted(by_fall.items())))
    if misses:
        t_med, w_med = (np.median([m[k] for m in misses], axis=0) for k in (0, 1))
        lines.append("  dense misses, median target / winner: " + ", ".join(
            f"{s} {a:.2f} / {b:.2f}" for s, a, b in zip(SHOWN, t_med, w_med, strict=True)))
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("lists", nargs="+", help="list names in data/pilots/aligned/k80 (without .pt)")
    ap.add_argument("--rerank", type=Path, default=Path("assets/nudge_rerank.json"))
    ap.add_argument("--dense", type=float, default=0.3, help="the target's gain above which the add counts as dense")
    ap.add_argument("--zero", default="", help="comma-separated features set to 0 for every candidate (an ablation)")
    args = ap.parse_args(argv)
    rr = AlignedReranker.from_file(args.rerank)
    zero = tuple(z for z in args.zero.split(",") if z)
    for name in args.lists:
        print("\n".join(probe(rr, name, args.dense, zero)), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
