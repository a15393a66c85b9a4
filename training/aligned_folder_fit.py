"""The reranker's network fitted on the synthesized dev lists and on searches in a folder of single recordings
(training.folder_lists) together (MODEL_CARD, forty-first round).

    python -m training.aligned_folder_fit --folder data/pilots/aligned/k80/folder_train.pt --folder-weight 1 \
        --seed 0 --out training/results/round41/seed0.json

As ``training.aligned_mlp deep --k 80 --use 80 --tolerance 0.3 --floor 0.1`` (the dev lists' top 80 with the
length gate in training), plus a second term: on each folder list, minus the log of the softmax mass on its right
answers (several files can be right), weighted by ``--folder-weight``. The folder lists carry the gate the app
applied when they were recorded. The features' standardization is the dev lists' alone, so fits with different
folder weights or seeds share it (training.aligned_ensemble can average them).

With ``--start FILE`` the fit begins from that file's network (its context rows, when ``--context`` adds them,
start at zero) and ``--anchor L`` adds L x the squared distance of the weights from that start to the loss, so the
fitted network stays a correction of it (MODEL_CARD, forty-seventh round). ``--level-features`` reads
model.aligned_rerank.LEVEL_FEATURES too (fifty-second round), ``--logit-features`` LOGIT_FEATURES as well
(fifty-fourth); their rows start at zero from a start network that lacks them. ``--more-dev DIR`` adds the dev
tables in DIR (fifty-fifth round); ``--two-edit-weight W`` counts each two-edit dev list W times (fifty-seventh).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import torch

from model.aligned_rerank import AlignedReranker, EditNetwork, file_sha256
from model.edits import KINDS
from training.aligned_fit import TAU
from training.aligned_mlp import (
    DEV,
    HEADS,
    LEVEL_NETWORK_FEATURES,
    LOGIT_NETWORK_FEATURES,
    NETWORK_FEATURES,
    EditMLP,
    _evidence,
    load_deep,
    pooled,
    r1,
    readable,
    standardize,
    table_columns,
)
from training.aligned_split import restandardize, widen


def folder_loss(logits: torch.Tensor, right: torch.Tensor) -> torch.Tensor:
    """Mean over lists of -log(softmax mass on the right answers)."""
    return (torch.logsumexp(logits, 1) - torch.logsumexp(logits.masked_fill(~right, -torch.inf), 1)).mean()


def folder_top_share(model: torch.nn.Module, folder: tuple[torch.Tensor, ...], top: int = 10) -> float:
    """Share of the reranked top ``top`` that are right, mean over the folder lists (the bench's measure)."""
    cos, feats, kinds, right, mask = folder
    with torch.no_grad():
        order = (cos / TAU + _evidence(model, feats, kinds, mask)).argsort(1, descending=True)[:, :top]
    return float(right.gather(1, order).float().mean())


def start_from(model: EditMLP, start: EditNetwork, mean: torch.Tensor, std: torch.Tensor,
               features: tuple[str, ...] | None = None, start_features: tuple[str, ...] | None = None) -> None:
    """Copy a fitted network into ``model`` (same hidden size), re-expressed in ``model``'s standardization
    (``mean`` / ``std``, as training.aligned_split.restandardize) so it scores the raw features as before; rows
    ``model`` reads that ``start`` lacks (features it did not read, the other edit's kind) start at zero.
    ``features`` / ``start_features`` name the two networks' features (default: the same). ValueError when they do
    not fit."""
    features = features or start_features or tuple(str(i) for i in range(len(start.mean)))
    wide = widen(start, start_features or features, features, mean.numpy(), std.numpy())
    # a start fitted on these dev lists is copied as it is (its file rounds the standardization at 5e-8)
    if not (np.allclose(wide.mean, mean.numpy(), atol=1e-5) and np.allclose(wide.std, std.numpy(), atol=1e-5)):
        wide = restandardize(wide, mean.numpy(), std.numpy())
    first, last = model.net[0], model.net[2]
    rows, hidden = wide.w1.shape
    if hidden != first.out_features or rows > first.in_features:
        raise ValueError(f"the start network's {start.w1.shape} does not fit ({first.in_features}, {hidden})")
    with torch.no_grad():
        first.weight.zero_()
        first.weight[:, :rows] = torch.as_tensor(wide.w1.T, dtype=first.weight.dtype)
        first.bias.copy_(torch.as_tensor(wide.b1))
        last.weight.copy_(torch.as_tensor(start.w2[None]))
        last.bias.fill_(start.b2)


def anchor_penalty(model: torch.nn.Module, anchor: list[torch.Tensor]) -> torch.Tensor:
    """Squared distance of the model's weights from ``anchor`` (its weights at the start)."""
    return sum(((p - a) ** 2).sum() for p, a in zip(model.parameters(), anchor, strict=True))


def train_mixed(model: torch.nn.Module, dev: tuple[torch.Tensor, ...], folder: tuple[torch.Tensor, ...],
                weight: float, epochs: int, lr: float, wd: float, batch: int = 2048, seed: int = 0,
                anchor: float = 0.0, two_edit_weight: float = 1.0) -> torch.nn.Module:
    """aligned_mlp.train's listwise cross-entropy on the dev lists, plus weight x folder_loss on an equal share of
    the folder lists with every dev batch (plus anchor x anchor_penalty from the weights the model starts with).
    ``two_edit_weight``: a dev list of a two-edit text counts this many times in the batch's mean (1: plain mean)."""
    torch.manual_seed(seed)
    start = [p.detach().clone() for p in model.parameters()]
    cos, feats, kinds, target, mask = dev
    use = (target >= 0) & (kinds.sum(dim=(1, 2)) > 0)
    cos, feats, kinds, target, mask = cos[use], feats[use], kinds[use], target[use], mask[use]
    f_cos, f_feats, f_kinds, f_right, f_mask = folder
    batches = max(1, -(-len(cos) // batch))
    f_batch = -(-len(f_cos) // batches)
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=wd)
    for _ in range(epochs):
        order, f_order = torch.randperm(len(cos)), torch.randperm(len(f_cos))
        for b in range(batches):
            idx, f_idx = order[b * batch:(b + 1) * batch], f_order[b * f_batch:(b + 1) * f_batch]
            opt.zero_grad()
            logits = cos[idx] / TAU + _evidence(model, feats[idx], kinds[idx], mask[idx])
            if two_edit_weight == 1.0:
                loss = torch.nn.functional.cross_entropy(logits, target[idx])
            else:
                w = torch.where(kinds[idx].sum(dim=(1, 2)) > 1, two_edit_weight, 1.0)
                loss = (w * torch.nn.functional.cross_entropy(logits, target[idx], reduction="none")).sum() / w.sum()
            if weight > 0 and len(f_idx):
                f_logits = f_cos[f_idx] / TAU + _evidence(model, f_feats[f_idx], f_kinds[f_idx], f_mask[f_idx])
                loss = loss + weight * folder_loss(f_logits, f_right[f_idx])
            if anchor > 0:
                loss = loss + anchor * anchor_penalty(model, start)
            loss.backward()
            opt.step()
    return model


def load_folder(path: Path, use: int, mean: torch.Tensor, std: torch.Tensor,
                features: tuple[str, ...] = NETWORK_FEATURES) -> tuple[torch.Tensor, ...]:
    """A folder_lists file cut to the first ``use`` results, its ``features`` standardized; lists left with no right
    answer dropped."""
    data = torch.load(path)
    right = data["right"][:, :use]
    keep = right.any(1)
    feats = data["feats"][keep, :, :use]
    feats = feats[..., table_columns(feats.shape[-1], features)]
    return (data["cos"][keep, :use], standardize(feats, mean, std), data["kinds"][keep], right[keep],
            data["readable"][keep, :use])


def fit(args: argparse.Namespace) -> str:
    features = (LOGIT_NETWORK_FEATURES if args.logit_features else LEVEL_NETWORK_FEATURES if args.level_features
                else NETWORK_FEATURES)
    dev = load_deep(80, "dev", args.use, features)
    for root in args.more_dev:
        more = load_deep(80, "dev", args.use, features, root)
        if not more:
            raise SystemExit(f"no dev tables in {root}: python -m training.aligned_mlp build --k 80 --more-dev ...")
        dev |= {f"{root.name}/{name}": d for name, d in more.items()}
    vals = load_deep(80, "val", args.use, features)
    if not dev or not vals:
        raise SystemExit("no k80 candidates: run python -m training.aligned_mlp build --k 80")
    joined, mean, std = pooled(dev)

    def prep(d):
        return d[0], standardize(d[1], mean, std), d[2], d[3], readable(d[4], args.tolerance, args.floor)

    folder = load_folder(args.folder, args.use, mean, std, features)
    torch.manual_seed(args.seed)  # the initial weights too
    model = EditMLP(len(features), args.hidden, args.context)
    if args.start is not None:
        start = AlignedReranker.from_file(args.start)
        start_from(model, start.network, mean, std, features, start.features)
    model = train_mixed(model, prep(joined), folder, args.folder_weight, args.epochs, args.lr, args.wd, seed=args.seed,
                        anchor=args.anchor, two_edit_weight=args.two_edit_weight)
    scores = {name: round(r1(model, prep(v)), 4) for name, v in vals.items()}
    line = (f"{args.out.stem} {scores} mean {np.mean(list(scores.values())):.4f}; folder lists' top-10 share "
            f"{folder_top_share(model, folder):.4f} (fitted on)")
    net = model.network(mean, std)
    names = ("use", "hidden", "epochs", "lr", "wd", "seed", "folder_weight", "context", "anchor", "level_features",
             "logit_features")
    fit_args = {k: getattr(args, k) for k in names} | {"start": str(args.start or "")}
    if args.more_dev:  # earlier files' fit arguments stay as they were
        fit_args["more_dev"] = [str(r) for r in args.more_dev]
    if args.two_edit_weight != 1.0:
        fit_args["two_edit_weight"] = args.two_edit_weight
    args.out.parent.mkdir(parents=True, exist_ok=True)
    AlignedReranker(np.zeros((len(KINDS), len(features))), args.use, TAU, file_sha256(HEADS), features, net,
                    args.tolerance, args.floor).to_file(args.out, {"heads": HEADS.name, "dev": list(DEV),
                                                                   "folder": str(args.folder), "fit": fit_args})
    with open(args.out.with_name("fit_val.txt"), "a") as fh:
        fh.write(line + "\n")
    return line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, required=True, help="a training.folder_lists file")
    parser.add_argument("--folder-weight", type=float, default=1.0)
    parser.add_argument("--use", type=int, default=80, help="the first this many results; the file's k")
    parser.add_argument("--hidden", type=int, default=64)
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--lr", type=float, default=0.003)
    parser.add_argument("--wd", type=float, default=0.01)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--context", action="store_true", help="each edit also reads the other edit's kind "
                        "(MODEL_CARD, forty-fifth round)")
    parser.add_argument("--start", type=Path, help="begin from this reranker file's network (its hidden size)")
    parser.add_argument("--anchor", type=float, default=0.0, help="weight of the squared distance from the start")
    parser.add_argument("--level-features", action="store_true", help="read LEVEL_FEATURES too (fifty-second round)")
    parser.add_argument("--logit-features", action="store_true", help="read LEVEL_FEATURES and LOGIT_FEATURES "
                        "(fifty-fourth round)")
    parser.add_argument("--more-dev", type=Path, action="append", default=[],
                        help="a folder of more k80 dev tables to fit on (training.aligned_mlp build --more-dev)")
    parser.add_argument("--two-edit-weight", type=float, default=1.0,
                        help="weight of a two-edit text's dev list in the loss (fifty-seventh round)")
    parser.add_argument("--tolerance", type=float, default=0.3)
    parser.add_argument("--floor", type=float, default=0.1)
    parser.add_argument("--out", type=Path, required=True)
    print(fit(parser.parse_args(argv)), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
