"""A small network over the reranker's per-edit features (model.aligned_rerank.EditNetwork), fitted on dev pairs.

    python -m training.aligned_mlp build     # candidates of C's dev sets and the three val sets, cached
    python -m training.aligned_mlp fit       # linear (all features) and the networks E32 / E64: val R@1 per set,
                                             # weights files in training/results/round35/<name>.json

The candidates (top 20 of the shipped heads' cosine, every feature of model.aligned_rerank) are cached in
data/pilots/aligned/cands_<name>.pt so that variants fit in seconds (MODEL_CARD, thirty-fifth round).
"""

from __future__ import annotations

import argparse
import glob
from pathlib import Path

import numpy as np
import torch
from torch import nn

from model.aligned_rerank import ALL_FEATURES, AlignedReranker, EditNetwork, file_sha256
from model.edits import KINDS
from training.aligned_fit import TAU, candidates
from training.pilots.clip_tables import REPO_ROOT

OUT = REPO_ROOT / "data" / "pilots" / "aligned"
RESULTS = REPO_ROOT / "training" / "results" / "round35"
HEADS = REPO_ROOT / "assets" / "nudge_heads.safetensors"
DEV = ("data/features_v2_r31_exact/*/dev", "data/finetune/features_r1_r31_exact/*/dev",
       "data/features_demo_fam_exact/*/dev")
VAL = ("data/features_v2_fresh3_exact/*/val", "data/finetune/features_r1_fresh3_exact/*/val",
       "data/features_demo_fam_exact/*/val")


def build() -> None:
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


class EditMLP(nn.Module):
    """Per edit: features and the kind one-hot -> hidden (GELU) -> one score; summed over the edits."""

    def __init__(self, features: int, hidden: int) -> None:
        super().__init__()
        self.net = nn.Sequential(nn.Linear(features + len(KINDS), hidden), nn.GELU(approximate="tanh"),
                                 nn.Linear(hidden, 1))

    def network(self, mean: torch.Tensor, std: torch.Tensor) -> EditNetwork:
        """The numpy twin the app runs (model.aligned_rerank.EditNetwork)."""
        first, last = self.net[0], self.net[2]

        def arr(t: torch.Tensor) -> np.ndarray:
            return t.detach().numpy().astype(np.float64)

        return EditNetwork(arr(mean), arr(std), arr(first.weight).T, arr(first.bias), arr(last.weight)[0],
                           float(last.bias.detach()[0]))

    def forward(self, feats: torch.Tensor, kinds: torch.Tensor) -> torch.Tensor:
        n, e, k, _ = feats.shape
        x = torch.cat([feats, kinds[:, :, None, :].expand(n, e, k, len(KINDS))], dim=-1)
        present = kinds.sum(-1)[:, :, None]  # (N, E, 1): 0 for a padded edit slot
        return (self.net(x)[..., 0] * present).sum(1)


class Linear(nn.Module):
    def __init__(self, features: int) -> None:
        super().__init__()
        self.w = nn.Parameter(torch.zeros(len(KINDS), features))

    def forward(self, feats: torch.Tensor, kinds: torch.Tensor) -> torch.Tensor:
        return torch.einsum("nekf,nec,cf->nk", feats, kinds, self.w)


def standardize(feats: torch.Tensor, mean: torch.Tensor, std: torch.Tensor) -> torch.Tensor:
    return (feats - mean) / std


def train(model: nn.Module, data, epochs: int, lr: float, wd: float, batch: int = 2048, seed: int = 0) -> nn.Module:
    torch.manual_seed(seed)
    cos, feats, kinds, target = data
    use = (target >= 0) & (kinds.sum(dim=(1, 2)) > 0)
    cos, feats, kinds, target = cos[use], feats[use], kinds[use], target[use]
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=wd)
    for _ in range(epochs):
        order = torch.randperm(len(cos))
        for i in range(0, len(cos), batch):
            idx = order[i:i + batch]
            opt.zero_grad()
            logits = cos[idx] / TAU + model(feats[idx], kinds[idx])
            torch.nn.functional.cross_entropy(logits, target[idx]).backward()
            opt.step()
    return model


@torch.no_grad()
def r1(model: nn.Module, data) -> float:
    cos, feats, kinds, target = data
    return float(((cos / TAU + model(feats, kinds)).argmax(1) == target).float().mean())


def fit() -> None:
    dev = torch.load(OUT / "cands_dev.pt")
    vals = {p.stem[6:]: torch.load(p) for p in sorted(OUT.glob("cands_features_*.pt"))}
    mean = dev[1].reshape(-1, len(ALL_FEATURES)).mean(0)
    std = dev[1].reshape(-1, len(ALL_FEATURES)).std(0).clamp_min(1e-6)

    def prep(d):
        return d[0], standardize(d[1], mean, std), d[2], d[3]

    dev_s, vals_s = prep(dev), {k: prep(v) for k, v in vals.items()}
    print("cosine:", {k: round(float((v[0].argmax(1) == v[3]).float().mean()), 4) for k, v in vals.items()})
    variants = {"linear": (lambda: Linear(len(ALL_FEATURES)), 30, 0.01, 0.0),
                "E32": (lambda: EditMLP(len(ALL_FEATURES), 32), 30, 0.003, 1e-3),
                "E64": (lambda: EditMLP(len(ALL_FEATURES), 64), 30, 0.003, 1e-2)}
    RESULTS.mkdir(parents=True, exist_ok=True)
    lines = []
    for name, (make, epochs, lr, wd) in variants.items():
        model = train(make(), dev_s, epochs, lr, wd)
        scores = {k: round(r1(model, v), 4) for k, v in vals_s.items()}
        lines.append(f"{name} {scores} mean {np.mean(list(scores.values())):.4f}")
        print(lines[-1], flush=True)
        if isinstance(model, EditMLP):
            net = model.network(mean, std)
            AlignedReranker(np.zeros((len(KINDS), len(ALL_FEATURES))), 20, TAU, file_sha256(HEADS), ALL_FEATURES,
                            net).to_file(RESULTS / f"{name}.json", {"heads": HEADS.name, "dev": list(DEV),
                                                                    "fit": {"epochs": epochs, "lr": lr, "wd": wd}})
    (RESULTS / "val.txt").write_text("python -m training.aligned_mlp fit\n" + "\n".join(lines) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cmd", choices=("build", "fit"))
    {"build": build, "fit": fit}[parser.parse_args().cmd]()


if __name__ == "__main__":
    main()
