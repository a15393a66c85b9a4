"""The mean of several reranker networks as one network, with its output (evidence) scaled (MODEL_CARD, fortieth round).

    python -m training.aligned_ensemble --scale 0.7 --out training/results/round40/E80_s70.json \
        training/results/round40/seed0.json training/results/round40/seed1.json training/results/round40/seed2.json

Networks fitted on the same dev data share their standardization (mean, std), so their mean is exact as one
EditNetwork: the hidden units side by side, each output weight and bias divided by the count. The scale multiplies
the output weights and bias. The files must agree on features, k, tau, heads and length gate.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from model.aligned_rerank import AlignedReranker, EditNetwork


def mean_network(networks: list[EditNetwork], scale: float = 1.0) -> EditNetwork:
    """One network whose scores are ``scale`` times the mean of the networks' scores."""
    first = networks[0]
    for net in networks[1:]:
        if not (np.allclose(net.mean, first.mean, rtol=1e-6, atol=1e-6)
                and np.allclose(net.std, first.std, rtol=1e-6, atol=1e-6)):
            raise ValueError("networks standardize their features differently: fitted on different dev data?")
    factor = scale / len(networks)
    return EditNetwork(first.mean, first.std, np.concatenate([n.w1 for n in networks], axis=1),
                       np.concatenate([n.b1 for n in networks]), np.concatenate([n.w2 for n in networks]) * factor,
                       float(sum(n.b2 for n in networks)) * factor)


READING = ("features", "k", "tau", "heads_sha256", "length_tolerance", "length_floor")  # what files joined must share


def first_difference(one: AlignedReranker, two: AlignedReranker) -> str | None:
    """The first of READING in which two reranker files differ (None: they read results the same way)."""
    return next((name for name in READING if getattr(one, name) != getattr(two, name)), None)


def combine(paths: list[Path], scale: float, out: Path) -> AlignedReranker:
    """Read the weights files, check they agree, write the mean network scaled by ``scale`` to ``out``."""
    rerankers = [AlignedReranker.from_file(p) for p in paths]
    if any(r.network is None for r in rerankers):
        raise ValueError("every file must hold a network")
    first = rerankers[0]
    for path, r in zip(paths[1:], rerankers[1:], strict=True):
        if (name := first_difference(first, r)) is not None:
            raise ValueError(f"{path} differs from {paths[0]} in {name}")
    net = mean_network([r.network for r in rerankers], scale)
    merged = AlignedReranker(first.weights, first.k, first.tau, first.heads_sha256, first.features, net,
                             first.length_tolerance, first.length_floor)
    source = json.loads(Path(paths[0]).read_text())
    merged.to_file(out, {"heads": source.get("heads", ""), "dev": source.get("dev", []),
                         "fit": {"mean_of": [Path(p).name for p in paths], "scale": scale,
                                 "members": [json.loads(Path(p).read_text()).get("fit", {}) for p in paths]}})
    return merged


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path, help="weights files with networks (aligned_mlp deep)")
    parser.add_argument("--scale", type=float, default=1.0, help="the mean network's output multiplied by this")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    combine(args.files, args.scale, args.out)
    print(f"{args.out}: mean of {len(args.files)} networks, scale {args.scale}")


if __name__ == "__main__":
    main()
