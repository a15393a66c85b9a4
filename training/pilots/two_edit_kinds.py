"""Which two-edit texts the reranker misses: R@1 of the val lists by the pair of edit kinds (val sets only).

Scores the cached top-80 val lists (training.aligned_mlp build --k 80) with a reranker file's network and length
gate, as the app orders them, and reports for each val set R@1 and the share of targets within the first 80 by
the kinds of the text's edits ("add" + "remove", "louder" + "quieter", ...); with --by-sound, R@1 of the lists whose
text adds or removes each sound (in at least 15 lists), worst first.

    python -m training.pilots.two_edit_kinds --rerank assets/nudge_rerank.json [--by-sound]
"""

from __future__ import annotations

import argparse
import glob
from collections import defaultdict
from pathlib import Path

import numpy as np
import torch

from model.aligned_rerank import AlignedReranker, EditNetwork, gelu
from model.edits import KINDS
from training.aligned_mlp import REPO_ROOT, VAL, deep_path, load_deep, readable


def network_evidence(net: EditNetwork, feats: np.ndarray, kinds: np.ndarray) -> np.ndarray:
    """(N, K) summed edit scores of cached lists (feats (N, E, K, F), kinds (N, E, KINDS) one-hot, 0 for an empty
    edit slot); a context network also reads the other edit's kind of a two-edit list (E = 2)."""
    n, e, k, _ = feats.shape
    x = (feats - net.mean) / net.std
    onehot = np.broadcast_to(kinds[:, :, None, :], (n, e, k, len(KINDS)))
    parts = [x, onehot]
    if net.context:
        two = (kinds.sum(-1) > 0).sum(1) == 2
        other = onehot[:, ::-1] if e == 2 else np.zeros_like(onehot)
        parts.append(np.where(two[:, None, None, None], other, 0.0))
    hidden = gelu(np.concatenate(parts, -1) @ net.w1 + net.b1)
    return ((hidden @ net.w2 + net.b2) * kinds.sum(-1)[:, :, None]).sum(1)


def list_scores(reranker: AlignedReranker, cos: np.ndarray, feats: np.ndarray, kinds: np.ndarray,
                mask: np.ndarray) -> np.ndarray:
    """(N, K) cosine / tau + evidence of cached lists (feats (N, E, K, F) in the file's feature order, kinds (N, E,
    KINDS) one-hot, 0 for an empty edit slot), a gated candidate getting the mean of the read ones; a file's
    two-edit network scores the lists of two or more edits."""
    net = reranker.network
    if net is None:
        raise ValueError("the reranker file has no network")
    evidence = network_evidence(net, feats, kinds)
    if reranker.two_edit_network is not None:
        two = (kinds.sum(-1) > 0).sum(1) >= 2
        evidence = np.where(two[:, None], network_evidence(reranker.two_edit_network, feats, kinds), evidence)
    read = mask.astype(np.float64)
    mean = (evidence * read).sum(1, keepdims=True) / np.maximum(read.sum(1, keepdims=True), 1.0)
    return cos / reranker.tau + np.where(mask, evidence, mean)


def kind_pairs(kinds: np.ndarray) -> list[tuple[str, ...]]:
    """Each list's edit kinds, sorted ((N, E, KINDS) one-hot; empty slots left out)."""
    return [tuple(sorted(KINDS[int(np.argmax(slot))] for slot in row if slot.sum() > 0)) for row in kinds]


def by_kinds(top: np.ndarray, target: np.ndarray, pairs: list[tuple[str, ...]], edits: int = 2
             ) -> dict[tuple[str, ...], tuple[int, float, float]]:
    """{kinds: (lists, R@1, share of targets within the lists)} over the lists with ``edits`` edits."""
    groups: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i, kinds in enumerate(pairs):
        if len(kinds) == edits:
            groups[kinds].append(i)
    return {k: (len(ix), float(np.mean(top[ix] == target[ix])), float(np.mean(target[ix] >= 0)))
            for k, ix in sorted(groups.items(), key=lambda kv: -len(kv[1]))}


def list_sounds(caches: list[Path]) -> list[list[tuple[str, str | None]]]:
    """Each cached list's (kind, sound) edits, in the order training.aligned_fit.Candidates built them."""
    from model.modifier_parser import parse_modifier
    from training.pairset import load_many
    from training.retrieval import scene_gallery

    ps = load_many(caches)
    return [[(e.kind, e.sound) for e in parse_modifier(ps.texts[ps.t[p]]).edits]
            for scene in ps.scenes() for p in scene_gallery(ps, scene)[0]]


def by_sound(reranker: AlignedReranker, least: int = 15) -> None:
    """Print, per val features folder, R@1 of the lists whose text adds or removes each sound, worst first."""
    from training.aligned_fit import by_folder

    for pattern in VAL:
        caches = [Path(c) for c in sorted(glob.glob(str(REPO_ROOT / pattern)))]
        for group in by_folder(caches).values():
            name = Path(group[0]).resolve().parents[1].name
            cos, feats, kinds, target, patches = (t.numpy() for t in torch.load(deep_path(80, name, "val")))
            k = reranker.k
            target = np.where(target < k, target, -1)
            mask = readable(torch.as_tensor(patches[:, :k + 1]), reranker.length_tolerance or np.inf,
                            reranker.length_floor).numpy()
            top = list_scores(reranker, cos[:, :k], feats[:, :, :k][..., reranker.columns], kinds, mask).argmax(1)
            counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
            for i, edits in enumerate(list_sounds(group)):
                for kind, sound in edits:
                    if kind in ("add", "remove") and sound:
                        counts[(kind, sound)][0] += 1
                        counts[(kind, sound)][1] += int(top[i] == target[i])
            print(f"{name}: lists whose text adds / removes a sound, R@1")
            for (kind, sound), (n, hits) in sorted(counts.items(), key=lambda kv: kv[1][1] / kv[1][0]):
                if n >= least:
                    print(f"  {kind:7s} {sound:20s} {n:5d}  R@1 {hits / n:.3f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rerank", type=Path, default=Path("assets/nudge_rerank.json"))
    parser.add_argument("--by-sound", action="store_true", help="R@1 per added / removed sound instead")
    args = parser.parse_args(argv)
    reranker = AlignedReranker.from_file(args.rerank)
    if args.by_sound:
        by_sound(reranker)
        return 0
    print(f"reranker {args.rerank} (first {reranker.k}); R@1 (targets within the first {reranker.k})")
    for name, lists in load_deep(80, "val", reranker.k).items():
        cos, feats, kinds, target, patches = (t.numpy() for t in lists)
        mask = readable(torch.as_tensor(patches), reranker.length_tolerance or np.inf, reranker.length_floor).numpy()
        top = list_scores(reranker, cos, feats[..., reranker.columns], kinds, mask).argmax(1)
        pairs = kind_pairs(kinds)
        print(f"{name}, all: {len(top)} lists, R@1 {np.mean(top == target):.4f}")
        for edits in (1, 2):
            rows = by_kinds(top, target, pairs, edits)
            lists_n = sum(n for n, _, _ in rows.values())
            overall = sum(n * r for n, r, _ in rows.values()) / max(lists_n, 1)
            print(f"{name}, {edits} edit(s): {lists_n} lists, R@1 {overall:.3f}")
            for kinds_, (n, r1, reach) in rows.items():
                print(f"  {' + '.join(kinds_):18s} {n:5d}  R@1 {r1:.3f}  ({reach:.3f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
