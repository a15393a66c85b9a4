"""Fit model.aligned_rerank's weights on dev pairs, and score them on other sets.

Per parsed edit and candidate b among the heads' cosine top K, the features of the change from a to b read
patch by patch (model.aligned_rerank, tables from training.aligned_evidence). A candidate's score is
cos(query, b) / TAU + sum over the edits of w[kind] . features; w (one vector per edit kind) is fitted
listwise over the top K of each dev pair (cross-entropy on the target's place), the heads fixed.

    python -m training.aligned_fit HEADS --dev data/features_v2_r31_exact/*/dev --out assets/nudge_rerank.json \
        --eval data/features_v2_fresh3_exact/*/val
    python -m training.aligned_fit HEADS --weights assets/nudge_rerank.json --eval CACHES...   # score only
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import torch

from model.aligned_rerank import (
    ALL_FEATURES,
    FEATURES,
    AlignedReranker,
    candidate_features,
    feature_columns,
    file_sha256,
)
from model.edits import KINDS
from model.modifier_parser import parse_modifier
from training.aligned_scoring import ClipEvidence
from training.pairset import PairSet, concat, difference_groups, load_pairset
from training.retrieval import embed_pairset, scene_cosines

TAU = 0.05


class Candidates:
    """Top-K candidates of every pair, their cosines, the target's place among them and edit features."""

    def __init__(self, ps: PairSet, evidence: ClipEvidence, clips: np.ndarray, texts: np.ndarray, heads, k: int
                 ) -> None:
        self.cos, self.target, self.feats, self.kinds = [], [], [], []
        self.groups: list[list[str]] = []
        self.patches: list[list[int]] = []  # per pair: the query's patch count, then each candidate's
        for scene in ps.scenes():
            pairs, gallery, target, scores = scene_cosines(ps, scene, clips, texts, heads)
            top = np.argsort(-scores, axis=1, kind="stable")[:, :k]
            for i, p in enumerate(pairs):
                self.cos.append(scores[i, top[i]])
                hit = np.flatnonzero(top[i] == target[i])
                self.target.append(int(hit[0]) if len(hit) else -1)
                self.groups.append(difference_groups(ps.diff_types[p]))
                edits = parse_modifier(ps.texts[ps.t[p]]).edits
                self.kinds.append([KINDS.index(e.kind) for e in edits])
                cands = [evidence[int(g)] for g in gallery[top[i]]]
                query = evidence[int(ps.a[p])]
                self.feats.append(list(candidate_features(edits, query, cands)))
                self.patches.append([len(query)] + [len(c) for c in cands])

    def extend(self, other: Candidates) -> Candidates:
        for name in ("cos", "target", "feats", "kinds", "groups", "patches"):
            getattr(self, name).extend(getattr(other, name))
        return self

    def tensors(self) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
        """(cos (N, K), features (N, 2, K, F), kind one-hot (N, 2, KINDS), target (N,)) padded to two edits."""
        n, k = len(self.cos), len(self.cos[0])
        feats = np.zeros((n, 2, k, len(ALL_FEATURES)), dtype=np.float32)
        kinds = np.zeros((n, 2, len(KINDS)), dtype=np.float32)
        for i, (ks, fs) in enumerate(zip(self.kinds, self.feats, strict=True)):
            for j, (kind, f) in enumerate(list(zip(ks, fs, strict=True))[:2]):
                feats[i, j], kinds[i, j, kind] = f, 1.0
        return (torch.from_numpy(np.stack(self.cos).astype(np.float32)), torch.from_numpy(feats),
                torch.from_numpy(kinds), torch.tensor(self.target))

    def patch_counts(self) -> torch.Tensor:
        """(N, 1 + K) patch counts: each pair's query, then its candidates (for the length gate)."""
        return torch.tensor(self.patches, dtype=torch.int64)


def logits(w: torch.Tensor, cos: torch.Tensor, feats: torch.Tensor, kinds: torch.Tensor) -> torch.Tensor:
    """(N, K): cos / TAU + sum over the edits of w[kind] . features."""
    per_edit = torch.einsum("nekf,nec,cf->nk", feats, kinds, w)
    return cos / TAU + per_edit


def fit(cands: Candidates, features: tuple[str, ...], epochs: int = 300, l2: float = 1e-3) -> torch.Tensor:
    """Weights (KINDS, features) for these of ALL_FEATURES."""
    cos, feats, kinds, target = cands.tensors()
    feats = feats[..., feature_columns(features)]
    use = (target >= 0) & (kinds.sum(dim=(1, 2)) > 0)
    cos, feats, kinds, target = cos[use], feats[use], kinds[use], target[use]
    w = torch.zeros(len(KINDS), len(features), dtype=torch.float32, requires_grad=True)
    opt = torch.optim.Adam([w], lr=0.05)
    for epoch in range(epochs):
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(logits(w, cos, feats, kinds), target)
        (loss + l2 * (w ** 2).sum()).backward()
        opt.step()
        if epoch % 50 == 0:
            print(f"epoch {epoch} loss {loss.item():.4f}", flush=True)
    return w.detach()


def hits_at_1(cands: Candidates, w: torch.Tensor | None, features: tuple[str, ...] = FEATURES) -> np.ndarray:
    cos, feats, kinds, target = cands.tensors()
    feats = feats[..., feature_columns(features)]
    scores = cos if w is None else logits(w, cos, feats, kinds)
    return (scores.argmax(dim=1) == target).numpy()


def report(name: str, cands: Candidates, w: torch.Tensor, features: tuple[str, ...]) -> None:
    base, new = hits_at_1(cands, None), hits_at_1(cands, w, features)
    print(f"{name}: cosine R@1 {base.mean():.4f}  reranked R@1 {new.mean():.4f}  ({len(base)} pairs)", flush=True)
    keys = sorted({k for g in cands.groups for k in g if k.startswith(("kind:", "n_diffs", "family:"))})
    for key in keys:
        sel = np.array([key in g for g in cands.groups])
        print(f"   {key:22s} {base[sel].mean():.3f} -> {new[sel].mean():.3f}  (n={sel.sum()})")


def load(caches: list[Path], heads) -> tuple[PairSet, ClipEvidence, np.ndarray, np.ndarray]:
    """The joined pairs of caches of one features folder, their clips' per-patch evidence and embeddings."""
    parts = [load_pairset(c) for c in caches]
    evidence = ClipEvidence(caches, [len(p.audio) for p in parts])
    ps = concat(parts)
    clips, texts = embed_pairset(heads, ps)
    return ps, evidence, clips, texts


def by_folder(caches: list[Path]) -> dict[str, list[Path]]:
    """Caches grouped by their features folder (data/<folder>/<scene>/<split>)."""
    groups: dict[str, list[Path]] = {}
    for cache in caches:
        groups.setdefault(cache.resolve().parents[1].name, []).append(cache)
    return groups


def candidates(caches: list[Path], heads, k: int) -> Candidates:
    """Candidates of every features folder (one class list each; folders cannot be joined), merged."""
    merged = None
    for group in by_folder(caches).values():
        part = Candidates(*load(group, heads), heads, k)
        merged = part if merged is None else merged.extend(part)
    return merged


def main() -> None:
    from model.checkpoint import load_heads

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("heads", type=Path)
    parser.add_argument("--dev", nargs="+", type=Path)
    parser.add_argument("--weights", type=Path, help="a fitted reranker file instead of --dev")
    parser.add_argument("--eval", nargs="+", type=Path, required=True, help="caches, reported per features folder")
    parser.add_argument("--k", type=int, default=20, help="results reranked (with --weights: the file's)")
    parser.add_argument("--features", default="base", help="'base' (FEATURES), 'all' (ALL_FEATURES) or a "
                        "comma-separated list of ALL_FEATURES")
    parser.add_argument("--out", type=Path, help="write the fitted reranker file here")
    args = parser.parse_args()
    heads = load_heads(args.heads)
    features = {"base": FEATURES, "all": ALL_FEATURES}.get(args.features) or tuple(args.features.split(","))
    unknown = set(features) - set(ALL_FEATURES)
    if unknown:
        parser.error(f"unknown features: {', '.join(sorted(unknown))}")

    if args.weights:
        fitted = AlignedReranker.from_file(args.weights)
        w, args.k = torch.from_numpy(fitted.weights.astype(np.float32)), fitted.k
        features = fitted.features
    else:
        w = fit(candidates(args.dev, heads, args.k), features)
        for kind, row in zip(KINDS, w.numpy(), strict=True):
            print(kind, " ".join(f"{f}={v:+.2f}" for f, v in zip(features, row, strict=True)))
    if args.out:
        dev = sorted(str(c) for c in args.dev or ())
        AlignedReranker(w.numpy().astype(np.float64), args.k, TAU, file_sha256(args.heads), features).to_file(
            args.out, {"heads": args.heads.name, "dev": dev})
    for name, caches in by_folder(args.eval).items():
        report(name, candidates(caches, heads, args.k), w, features)


if __name__ == "__main__":
    main()
