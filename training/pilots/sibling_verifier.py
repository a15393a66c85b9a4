"""Pilot: a pairwise edit verifier that reranks the cosine search's top K (a val-only exploration).

On the v2 val split the shipped heads put a clip of the query's family (a's edited versions) first in 61%
of queries, but pick the right sibling in only 42% of those (audio-only 33%, chance about 31%): the words
hardly steer between a's versions. The verifier scores how well the change from a to a candidate b matches
the words, from the heads' own unit vectors (what the app stores): f([A(b) - A(a), T(t), (A(b) - A(a)) * T(t),
A(a)]) with a small MLP, trained listwise over the cosine search's top K of each dev pair (the target added if
missed) with the cosine as a fixed offset; ranking is cosine + weight * f over the top K.

    python -m training.pilots.sibling_verifier train --heads assets/nudge_heads.safetensors \
        --train data/features_v2/*/dev --out runs/pilot_verifier/verifier.pt
    python -m training.pilots.sibling_verifier score --heads ... --verifier ... --eval data/features_v2/*/val
    python -m training.pilots.sibling_verifier families --heads assets/nudge_heads.safetensors --eval ...
"""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path

import numpy as np
import torch
from torch import nn

from model.checkpoint import load_heads
from model.compose import l2_normalize
from training.pairset import PairSet, load_many
from training.retrieval import compose_rows, embed_pairset, scene_gallery


class Verifier(nn.Module):
    def __init__(self, dim: int, hidden: int = 512, dropout: float = 0.2, clip_dim: int | None = None):
        super().__init__()
        # raw backbone features (clip_dim) are projected to the text's dim first
        self.proj = nn.Linear(clip_dim, dim) if clip_dim and clip_dim != dim else nn.Identity()
        self.net = nn.Sequential(nn.LayerNorm(4 * dim), nn.Linear(4 * dim, hidden), nn.GELU(), nn.Dropout(dropout),
                                 nn.Linear(hidden, hidden // 2), nn.GELU(), nn.Linear(hidden // 2, 1))

    def forward(self, a: torch.Tensor, b: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        """a (Q, C), b (Q, K, C) clip vectors, t (Q, D) unit text vectors -> (Q, K) scores."""
        a, b = self.proj(a), self.proj(b)
        d = b - a[:, None]
        tt = t[:, None].expand_as(d)
        return self.net(torch.cat([d, tt, d * tt, a[:, None].expand_as(d)], dim=-1)).squeeze(-1)


def candidates(heads_path: Path, dirs: list[Path], k: int, force_target: bool, raw: bool = False,
               stats: tuple[np.ndarray, np.ndarray] | None = None):
    """Per pair: A(a), T(t) (unit), the top-k gallery rows of the composed query (target forced in when asked),
    their cosines, the target's slot (-1 if absent) and the embeddings of every clip."""
    heads = load_heads(heads_path)
    ps: PairSet = load_many(dirs)
    clip_emb, text_emb = embed_pairset(heads, ps)
    clip_u = l2_normalize(clip_emb.astype(np.float32))
    n = len(ps)
    top = np.zeros((n, k), dtype=np.int64)
    cos = np.zeros((n, k), dtype=np.float32)
    slot = np.full(n, -1, dtype=np.int64)
    full_rank = np.zeros(n, dtype=np.int64)
    for scene in ps.scenes():
        pairs, gallery, target = scene_gallery(ps, scene)
        q = l2_normalize(compose_rows(heads, clip_emb[ps.a[pairs]].astype(np.float32),
                              text_emb[ps.t[pairs]].astype(np.float32), 1.0))
        sims = q @ clip_u[gallery].T
        order = np.argsort(-sims, axis=1)[:, :k]
        tsim = sims[np.arange(len(pairs)), target]
        full_rank[pairs] = (sims >= tsim[:, None]).sum(1)
        for i, p in enumerate(pairs):
            row = order[i].copy()
            hit = np.flatnonzero(row == target[i])
            if hit.size:
                slot[p] = hit[0]
            elif force_target:
                row[-1] = target[i]
                slot[p] = k - 1
            top[p] = gallery[row]
            cos[p] = sims[i, row]
    text_u = l2_normalize(text_emb[ps.t].astype(np.float32))
    if raw:  # the frozen backbone features, standardised per dim (the training set's statistics)
        feats = np.asarray(ps.audio, dtype=np.float32)
        mean, std = stats if stats is not None else (feats.mean(0), feats.std(0) + 1e-6)
        clip_u = (feats - mean) / std
    return ps, clip_u, text_u, top, cos, slot, full_rank


def train(args: argparse.Namespace) -> None:
    torch.manual_seed(args.seed)
    ps, clip_u, text_u, top, cos, slot, _ = candidates(args.heads, args.train, args.k, force_target=True,
                                                       raw=args.raw)
    feats = np.asarray(ps.audio, dtype=np.float32)
    stats = (feats.mean(0), feats.std(0) + 1e-6)
    a = torch.from_numpy(clip_u[ps.a])
    t = torch.from_numpy(text_u)
    b_rows, cos_t, y = torch.from_numpy(top), torch.from_numpy(cos), torch.from_numpy(slot)
    clips = torch.from_numpy(clip_u)
    model = Verifier(text_u.shape[1], args.hidden, args.dropout, clip_dim=clip_u.shape[1])
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=1e-4)
    n = len(ps)
    for epoch in range(args.epochs):
        model.train()
        perm = torch.randperm(n)
        total = 0.0
        for i in range(0, n, args.batch_size):
            idx = perm[i : i + args.batch_size]
            logits = cos_t[idx] / args.tau + model(a[idx], clips[b_rows[idx]], t[idx])
            loss = nn.functional.cross_entropy(logits, y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
        print(f"epoch {epoch + 1}: loss {total / n:.4f}", flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    torch.save({"state": model.state_dict(), "dim": text_u.shape[1], "clip_dim": clip_u.shape[1],
                "raw": args.raw, "stats": stats, "hidden": args.hidden, "k": args.k,
                "tau": args.tau, "heads": str(args.heads)}, args.out)


@torch.inference_mode()
def score(args: argparse.Namespace) -> None:
    saved = torch.load(args.verifier, weights_only=False)
    model = Verifier(saved["dim"], saved["hidden"], clip_dim=saved["clip_dim"])
    model.load_state_dict(saved["state"])
    model.eval()
    ps, clip_u, text_u, top, cos, slot, full_rank = candidates(args.heads, args.eval, saved["k"], force_target=False,
                                                               raw=saved["raw"], stats=saved["stats"])
    f = model(torch.from_numpy(clip_u[ps.a]), torch.from_numpy(clip_u[top]), torch.from_numpy(text_u)).numpy()
    out = {"cosine R@1": float((full_rank == 1).mean()), "cosine R@10": float((full_rank <= 10).mean())}
    for w in args.weights:
        s = cos / saved["tau"] + w * f
        order = np.argsort(-s, axis=1)
        new_rank = np.where(slot >= 0, np.argmax(order == slot[:, None], axis=1) + 1, full_rank)
        out[f"w={w} R@1"] = float((new_rank == 1).mean())
        out[f"w={w} R@10"] = float((new_rank <= 10).mean())
    print(json.dumps(out, indent=1))


def families(args: argparse.Namespace) -> None:
    """How often the top-1 is a clip of the query's family (a's edited versions), and right given that."""
    heads = load_heads(args.heads)
    ps = load_many(args.eval)
    family = np.array([r["family"] for d in args.eval for r in csv.DictReader(open(Path(d) / "pairs.csv"))])
    clip_emb, text_emb = embed_pairset(heads, ps)
    for mode in ("text", "audio-only"):
        right = in_family = 0
        sizes = []
        for scene in ps.scenes():
            pairs, gallery, target = scene_gallery(ps, scene)
            q = clip_emb[ps.a[pairs]].astype(np.float32)
            if mode == "text":
                q = compose_rows(heads, q, text_emb[ps.t[pairs]].astype(np.float32), 1.0)
            top = (l2_normalize(q) @ l2_normalize(clip_emb[gallery].astype(np.float32)).T).argmax(1)
            gallery_family = dict(zip(target, family[pairs], strict=True))  # a gallery clip is some pair's b
            for i, p in enumerate(pairs):
                right += top[i] == target[i]
                in_family += gallery_family[top[i]] == family[p]
                sizes.append(sum(f == family[p] for f in gallery_family.values()))
        n = len(ps)
        print(f"{mode}: R@1 {right / n:.3f}, top-1 in the family {in_family / n:.3f}, right given the family at "
              f"the top {right / max(in_family, 1):.3f}, family clips in the gallery {np.mean(sizes):.2f}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    tr = sub.add_parser("train")
    tr.add_argument("--heads", type=Path, required=True)
    tr.add_argument("--train", nargs="+", type=Path, required=True)
    tr.add_argument("--out", type=Path, required=True)
    tr.add_argument("--k", type=int, default=20)
    tr.add_argument("--tau", type=float, default=0.05)
    tr.add_argument("--hidden", type=int, default=512)
    tr.add_argument("--dropout", type=float, default=0.2)
    tr.add_argument("--lr", type=float, default=1e-3)
    tr.add_argument("--epochs", type=int, default=15)
    tr.add_argument("--batch-size", type=int, default=256)
    tr.add_argument("--seed", type=int, default=0)
    tr.add_argument("--raw", action="store_true", help="verify on the frozen backbone features, not the heads' vectors")
    sc = sub.add_parser("score")
    sc.add_argument("--heads", type=Path, required=True)
    sc.add_argument("--verifier", type=Path, required=True)
    sc.add_argument("--eval", nargs="+", type=Path, required=True)
    sc.add_argument("--weights", nargs="+", type=float, default=[0.0, 0.25, 0.5, 1.0, 2.0])
    fa = sub.add_parser("families")
    fa.add_argument("--heads", type=Path, required=True)
    fa.add_argument("--eval", nargs="+", type=Path, required=True)
    args = ap.parse_args(argv)
    torch.set_num_threads(1)
    {"train": train, "score": score, "families": families}[args.cmd](args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
