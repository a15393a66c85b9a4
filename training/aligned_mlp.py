"""A small network over the reranker's per-edit features (model.aligned_rerank.EditNetwork), fitted on dev pairs.

    python -m training.aligned_mlp build     # candidates of C's dev sets and the three val sets, cached
    python -m training.aligned_mlp fit       # linear (all features) and the networks E32 / E64: val R@1 per set,
                                             # weights files in training/results/round35/<name>.json

The candidates (top 20 of the shipped heads' cosine, every feature of model.aligned_rerank) are cached in
data/pilots/aligned/cands_<name>.pt so that variants fit in seconds (MODEL_CARD, thirty-fifth round).

Deeper lists, fitted as the app reads them (MODEL_CARD, thirty-ninth round):

    python -m training.aligned_mlp build --k 80          # top 80, cached per features folder in .../k80/
    python -m training.aligned_mlp deep --k 80 --use 60 --hidden 64 --tolerance 0.3 --floor 0.1 \
        --out training/results/round39/N60.json

fits on each dev pair's first ``--use`` candidates with the length gate applied in training (a candidate of
another length gets the others' mean evidence, as in AlignedReranker.evidence) and writes a weights file with
k = ``--use`` and that gate.
"""

from __future__ import annotations

import argparse
import glob
import os
from pathlib import Path

import numpy as np
import torch
from torch import nn

from model.aligned_rerank import (
    ALL_FEATURES,
    EXTRA_FEATURES,
    FEATURES,
    LEVEL_FEATURES,
    LOGIT_FEATURES,
    PATCH_HOP_SECONDS,
    PATCH_SECONDS,
    AlignedReranker,
    EditNetwork,
    feature_columns,
    file_sha256,
)
from model.edits import KINDS
from training.aligned_fit import TAU, candidates
from training.pilots.clip_tables import REPO_ROOT

OUT = REPO_ROOT / "data" / "pilots" / "aligned"
RESULTS = REPO_ROOT / "training" / "results" / "round35"
# The heads whose cosine top K the lists hold and the fits are for, and the folder of those lists (k<K>/): the
# shipped heads' by default; another heads file's lists go to a folder of their own (the sixty-fifth round).
HEADS = Path(os.environ.get("NUDGE_RERANK_HEADS") or REPO_ROOT / "assets" / "nudge_heads.safetensors")
LISTS = Path(os.environ.get("NUDGE_RERANK_LISTS") or OUT)
DEV = ("data/features_v2_r31_exact/*/dev", "data/finetune/features_r1_r31_exact/*/dev",
       "data/features_demo_fam_exact/*/dev")
VAL = ("data/features_v2_fresh3_exact/*/val", "data/finetune/features_r1_fresh3_exact/*/val",
       "data/features_demo_fam_exact/*/val")
# The features the networks read up to the fifty-first round; the fifty-second adds LEVEL_FEATURES, the
# fifty-fourth LOGIT_FEATURES too (MODEL_CARD).
NETWORK_FEATURES = FEATURES + EXTRA_FEATURES
LEVEL_NETWORK_FEATURES = NETWORK_FEATURES + LEVEL_FEATURES
LOGIT_NETWORK_FEATURES = LEVEL_NETWORK_FEATURES + LOGIT_FEATURES


def table_columns(width: int, features: tuple[str, ...]) -> torch.Tensor:
    """Positions of ``features`` in a cached table of ``width`` columns (ALL_FEATURES, or the prefix of it that
    existed when the table was built); SystemExit when the table predates one of them."""
    cols = feature_columns(features)
    if cols.max() >= width:
        raise SystemExit(f"the cached tables hold {width} features, not {', '.join(ALL_FEATURES[width:])}: rebuild "
                         "them (python -m training.aligned_mlp build --k 80, training.folder_lists)")
    return torch.as_tensor(cols)


def build(k: int = 20, more_dev: list[str] | None = None, into: Path | None = None) -> None:
    """Candidates of the dev and val sets: K 20 in one file per set (the thirty-fifth round's), deeper ones in one
    file per features folder and split under k<K>/, two folders at a time (build_deep)."""
    if k != 20:
        return build_deep(k, more_dev, into)
    from model.checkpoint import load_heads

    heads = load_heads(HEADS)
    sets = {"dev": [Path(p) for g in DEV for p in sorted(glob.glob(str(REPO_ROOT / g)))]}
    for g in VAL:
        caches = [Path(p) for p in sorted(glob.glob(str(REPO_ROOT / g)))]
        sets[caches[0].resolve().parents[1].name] = caches
    for name, caches in sets.items():
        target = OUT / f"cands_{name}.pt"
        if target.exists():
            continue
        merged = candidates(caches, heads, 20)
        torch.save(merged.tensors(), target)
        print(name, len(merged.cos), flush=True)


# In a lists folder: the checksum of the heads whose cosine top K its lists hold, a line each (a second line: a copy
# of those heads with the same tensors in other bytes, e.g. training.export_runtime's).
HEADS_MARK = "heads_sha256.txt"


def deep_path(k: int, folder: str, split: str, root: Path | None = None) -> Path:
    return (root or LISTS / f"k{k}") / f"{folder}_{split}.pt"


def check_heads(folder: Path, heads: Path | None = None, mark: bool = False) -> None:
    """Stop when ``folder``'s lists were built for other heads than ``heads`` (default HEADS): lists hold one heads
    file's cosine top K, and a fit on another's would be fitted for the wrong results. ``mark``: write the
    checksum into a folder that has none yet (when its lists are built)."""
    sha = file_sha256(heads or HEADS)
    marker = folder / HEADS_MARK
    if marker.exists():
        built_for = marker.read_text().split()
        if sha not in built_for:
            raise SystemExit(f"the lists in {folder} were built for other heads (sha256 {built_for[0][:12]}, these "
                             f"{sha[:12]}): set NUDGE_RERANK_LISTS to a folder of their own, or NUDGE_RERANK_HEADS "
                             "to the heads they were built for")
    elif mark:
        folder.mkdir(parents=True, exist_ok=True)
        marker.write_text(sha + "\n")


def _build_one(job: tuple[int, str, str, list[str], Path | None]) -> str:
    from model.checkpoint import load_heads

    k, folder, split, caches, root = job
    target = deep_path(k, folder, split, root)
    check_heads(target.parent, mark=True)
    if not target.exists():
        cands = candidates([Path(c) for c in caches], load_heads(HEADS), k)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".tmp")
        torch.save((*cands.tensors(), cands.patch_counts()), tmp)
        tmp.replace(target)
    return f"{folder}/{split}"


def build_deep(k: int, more_dev: list[str] | None = None, into: Path | None = None) -> None:
    """The dev and val sets' tables under k<K>/, or with ``more_dev`` only those dev caches' tables, into ``into``
    (tables the fits read with --more-dev, apart from the ones every round reads)."""
    import multiprocessing as mp

    jobs = []
    groups = (("dev", tuple(more_dev)),) if more_dev else (("dev", DEV), ("val", VAL))
    for split, globs in groups:
        for g in globs:
            caches = sorted(glob.glob(str(REPO_ROOT / g)))
            if not caches:
                raise SystemExit(f"no feature caches match {g}: build them first (training/run_round39.sh)")
            jobs.append((k, Path(caches[0]).resolve().parents[1].name, split, caches, into))
    with mp.get_context("spawn").Pool(2) as pool:
        for done in pool.imap_unordered(_build_one, jobs):
            print("built", done, flush=True)


def load_deep(k: int, split: str, use: int, features: tuple[str, ...] | None = None, root: Path | None = None
              ) -> dict[str, tuple[torch.Tensor, ...]]:
    """Per features folder: (cos, feats, kinds, target, patch counts) cut to each pair's first ``use`` candidates
    (a target beyond them counts as missed: -1); feats hold ``features`` (default: every column cached). The
    tables are read from ``root`` (default: k<K>/ of the cached candidates)."""
    out = {}
    folder = root or LISTS / f"k{k}"
    check_heads(folder)
    for path in sorted(folder.glob(f"*_{split}.pt")):
        cos, feats, kinds, target, patches = torch.load(path)
        if features is not None:
            feats = feats[..., table_columns(feats.shape[-1], features)]
        target = torch.where(target < use, target, torch.full_like(target, -1))
        out[path.stem[: -len(split) - 1]] = (cos[:, :use], feats[:, :, :use], kinds, target, patches[:, : use + 1])
    return out


class EditMLP(nn.Module):
    """Per edit: features and the kind one-hot (``context``: and the other edit's kind) -> hidden (GELU) -> one
    score; summed over the edits."""

    def __init__(self, features: int, hidden: int, context: bool = False) -> None:
        super().__init__()
        self.context = context
        inputs = features + (2 if context else 1) * len(KINDS)
        self.net = nn.Sequential(nn.Linear(inputs, hidden), nn.GELU(approximate="tanh"), nn.Linear(hidden, 1))

    def network(self, mean: torch.Tensor, std: torch.Tensor) -> EditNetwork:
        """The numpy twin the app runs (model.aligned_rerank.EditNetwork)."""
        first, last = self.net[0], self.net[2]

        def arr(t: torch.Tensor) -> np.ndarray:
            return t.detach().numpy().astype(np.float64)

        return EditNetwork(arr(mean), arr(std), arr(first.weight).T, arr(first.bias), arr(last.weight)[0],
                           float(last.bias.detach()[0]))

    def per_edit(self, feats: torch.Tensor, kinds: torch.Tensor) -> torch.Tensor:
        """(N, E, K) each edit's score, 0 in a padded edit slot."""
        n, e, k, _ = feats.shape
        parts = [feats, kinds[:, :, None, :].expand(n, e, k, len(KINDS))]
        if self.context:  # two edit slots: each reads the other's kind (zeros when the text has one edit)
            parts.append(kinds.flip(1)[:, :, None, :].expand(n, e, k, len(KINDS)))
        x = torch.cat(parts, dim=-1)
        present = kinds.sum(-1)[:, :, None]  # (N, E, 1): 0 for a padded edit slot
        return self.net(x)[..., 0] * present

    def forward(self, feats: torch.Tensor, kinds: torch.Tensor) -> torch.Tensor:
        return self.per_edit(feats, kinds).sum(1)


class Linear(nn.Module):
    def __init__(self, features: int) -> None:
        super().__init__()
        self.w = nn.Parameter(torch.zeros(len(KINDS), features))

    def forward(self, feats: torch.Tensor, kinds: torch.Tensor) -> torch.Tensor:
        return torch.einsum("nekf,nec,cf->nk", feats, kinds, self.w)


def standardize(feats: torch.Tensor, mean: torch.Tensor, std: torch.Tensor) -> torch.Tensor:
    return (feats - mean) / std


def readable(patches: torch.Tensor, tolerance: float, floor: float) -> torch.Tensor:
    """(N, K) whether the length gate reads each candidate (model.aligned_rerank.same_length on patch spans)."""
    seconds = torch.where(patches > 0, PATCH_SECONDS + PATCH_HOP_SECONDS * (patches.double() - 1), 0.0)
    query, cands = seconds[:, :1], seconds[:, 1:]
    return (cands - query).abs() <= torch.clamp(tolerance * query, min=floor)


def gated(evidence: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Evidence of the candidates the gate does not read replaced by the mean of those it does (0 if none)."""
    m = mask.to(evidence.dtype)
    mean = (evidence * m).sum(1, keepdim=True) / m.sum(1, keepdim=True).clamp_min(1.0)
    return torch.where(mask, evidence, mean)


def _evidence(model: nn.Module, feats: torch.Tensor, kinds: torch.Tensor, mask: torch.Tensor | None) -> torch.Tensor:
    evidence = model(feats, kinds)
    return evidence if mask is None else gated(evidence, mask)


def train(model: nn.Module, data, epochs: int, lr: float, wd: float, batch: int = 2048, seed: int = 0) -> nn.Module:
    """Listwise cross-entropy on the target's place; data (cos, feats, kinds, target[, gate mask])."""
    torch.manual_seed(seed)
    cos, feats, kinds, target, *rest = data
    mask = rest[0] if rest else None
    use = (target >= 0) & (kinds.sum(dim=(1, 2)) > 0)
    cos, feats, kinds, target = cos[use], feats[use], kinds[use], target[use]
    mask = None if mask is None else mask[use]
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=wd)
    for _ in range(epochs):
        order = torch.randperm(len(cos))
        for i in range(0, len(cos), batch):
            idx = order[i:i + batch]
            opt.zero_grad()
            logits = cos[idx] / TAU + _evidence(model, feats[idx], kinds[idx], None if mask is None else mask[idx])
            torch.nn.functional.cross_entropy(logits, target[idx]).backward()
            opt.step()
    return model


@torch.no_grad()
def hits(model: nn.Module, data) -> torch.Tensor:
    """(N,) whether each list's target comes first; data (cos, feats, kinds, target[, gate mask])."""
    cos, feats, kinds, target, *rest = data
    return (cos / TAU + _evidence(model, feats, kinds, rest[0] if rest else None)).argmax(1) == target


def r1(model: nn.Module, data) -> float:
    return float(hits(model, data).float().mean())


def fit() -> None:
    dev = torch.load(OUT / "cands_dev.pt")
    vals = {p.stem[6:]: torch.load(p) for p in sorted(OUT.glob("cands_features_*.pt"))}
    width = dev[1].shape[-1]  # the thirty-fifth round's tables: the first columns of ALL_FEATURES
    mean = dev[1].reshape(-1, width).mean(0)
    std = dev[1].reshape(-1, width).std(0).clamp_min(1e-6)

    def prep(d):
        return d[0], standardize(d[1], mean, std), d[2], d[3]

    dev_s, vals_s = prep(dev), {k: prep(v) for k, v in vals.items()}
    print("cosine:", {k: round(float((v[0].argmax(1) == v[3]).float().mean()), 4) for k, v in vals.items()})
    variants = {"linear": (lambda: Linear(width), 30, 0.01, 0.0),
                "E32": (lambda: EditMLP(width, 32), 30, 0.003, 1e-3),
                "E64": (lambda: EditMLP(width, 64), 30, 0.003, 1e-2)}
    RESULTS.mkdir(parents=True, exist_ok=True)
    lines = []
    for name, (make, epochs, lr, wd) in variants.items():
        model = train(make(), dev_s, epochs, lr, wd)
        scores = {k: round(r1(model, v), 4) for k, v in vals_s.items()}
        lines.append(f"{name} {scores} mean {np.mean(list(scores.values())):.4f}")
        print(lines[-1], flush=True)
        if isinstance(model, EditMLP):
            net = model.network(mean, std)
            AlignedReranker(np.zeros((len(KINDS), width)), 20, TAU, file_sha256(HEADS), ALL_FEATURES[:width],
                            net).to_file(RESULTS / f"{name}.json", {"heads": HEADS.name, "dev": list(DEV),
                                                                    "fit": {"epochs": epochs, "lr": lr, "wd": wd}})
    (RESULTS / "val.txt").write_text("python -m training.aligned_mlp fit\n" + "\n".join(lines) + "\n")


def pooled(parts: dict[str, tuple[torch.Tensor, ...]]) -> tuple[list[torch.Tensor], torch.Tensor, torch.Tensor]:
    """load_deep's folders joined into one set, and its features' mean and deviation (for standardize)."""
    joined = [torch.cat([d[i] for d in parts.values()]) for i in range(5)]
    flat = joined[1].reshape(-1, joined[1].shape[-1])
    return joined, flat.mean(0), flat.std(0).clamp_min(1e-6)


def deep(args: argparse.Namespace) -> None:
    """Fit one network on the dev candidates' first ``use`` with the length gate, report val R@1, write the file."""
    dev = load_deep(args.k, "dev", args.use, NETWORK_FEATURES)
    vals = load_deep(args.k, "val", args.use, NETWORK_FEATURES)
    if not dev or not vals:
        raise SystemExit(f"no candidates in {LISTS / f'k{args.k}'}: run "
                         f"python -m training.aligned_mlp build --k {args.k}")
    joined, mean, std = pooled(dev)

    def prep(d, gate: bool = True):
        mask = readable(d[4], args.tolerance, args.floor) if gate and args.tolerance is not None else None
        return (d[0], standardize(d[1], mean, std), d[2], d[3]) + ((mask,) if mask is not None else ())

    torch.manual_seed(args.seed)  # the network's initial weights too, not only the batches
    model = train(EditMLP(len(NETWORK_FEATURES), args.hidden), prep(joined, not args.ungated_training), args.epochs,
                  args.lr, args.wd, seed=args.seed)
    scores = {name: round(r1(model, prep(v)), 4) for name, v in vals.items()}
    cosine = {name: round(float((v[0].argmax(1) == v[3]).float().mean()), 4) for name, v in vals.items()}
    line = f"{args.out.stem} {scores} mean {np.mean(list(scores.values())):.4f} (cosine {cosine})"
    print(line, flush=True)
    net = model.network(mean, std)
    fit_args = {k: getattr(args, k) for k in ("k", "use", "hidden", "epochs", "lr", "wd", "seed", "ungated_training")}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    AlignedReranker(np.zeros((len(KINDS), len(NETWORK_FEATURES))), args.use, TAU, file_sha256(HEADS),
                    NETWORK_FEATURES, net, args.tolerance, args.floor).to_file(
        args.out, {"heads": HEADS.name, "dev": list(DEV), "fit": fit_args})
    with open(args.out.with_name("fit_val.txt"), "a") as fh:
        fh.write(line + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cmd", choices=("build", "fit", "deep"))
    parser.add_argument("--k", type=int, default=20, help="candidates per pair cached (build) or read (deep)")
    parser.add_argument("--use", type=int, help="deep: the first this many candidates (default --k); the file's k")
    parser.add_argument("--hidden", type=int, default=64)
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--lr", type=float, default=0.003)
    parser.add_argument("--wd", type=float, default=0.01)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--tolerance", type=float, help="deep: the length gate's T, applied in training (none: off)")
    parser.add_argument("--floor", type=float, default=0.5, help="deep: the length gate's floor in seconds")
    parser.add_argument("--ungated-training", action="store_true",
                        help="deep: fit without the gate (the file still names it, so it applies at use)")
    parser.add_argument("--out", type=Path, help="deep: the weights file to write")
    parser.add_argument("--more-dev", action="append", help="build, K > 20: only these dev caches (a glob, "
                        "repeatable), into --into")
    parser.add_argument("--into", type=Path, help="build with --more-dev: the tables' folder")
    args = parser.parse_args()
    if args.cmd == "build":
        if bool(args.more_dev) != bool(args.into) or (args.more_dev and args.k == 20):
            parser.error("--more-dev and --into go together, with --k above 20")
        build(args.k, args.more_dev, args.into)
    elif args.cmd == "fit":
        fit()
    else:
        if args.out is None:
            parser.error("deep needs --out")
        args.use = args.use or args.k
        deep(args)


if __name__ == "__main__":
    main()
