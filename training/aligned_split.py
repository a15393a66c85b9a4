"""One reranker file from two: one network for texts with one edit, another for two or more (MODEL_CARD,
forty-sixth round).

    python -m training.aligned_split --one training/results/round42/W80_w0.1.json \\
        --two training/results/round45/X80.json --out training/results/round46/H80.json

Both files must be for the same heads, with the same K, tau and length gate. When the two-edit file reads more
features than the one-edit file (the fifty-third round: WL80 reads LEVEL_FEATURES, WA80 does not), the one-edit
network is widened to them first, with zero weights on the features it did not read, so it scores as before.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import replace
from pathlib import Path

import numpy as np

from model.aligned_rerank import AlignedReranker, EditNetwork
from training.aligned_ensemble import first_difference


def widen(net: EditNetwork, features: tuple[str, ...], to: tuple[str, ...], mean: np.ndarray, std: np.ndarray
          ) -> EditNetwork:
    """``net`` (reading ``features``) over the features ``to`` (a superset): the features it did not read get the
    standardization ``mean`` / ``std`` (over ``to``) and zero weights, so it scores exactly as before."""
    if len(features) != len(net.mean) or not set(features) <= set(to):
        raise ValueError("the network reads features the new one does not")
    at = np.array([to.index(f) for f in features], dtype=np.int64)
    mean, std = np.array(mean, dtype=np.float64), np.array(std, dtype=np.float64)
    mean[at], std[at] = net.mean, net.std
    w1 = np.zeros((len(to) + net.w1.shape[0] - len(features), net.w1.shape[1]))
    w1[at] = net.w1[: len(features)]
    w1[len(to):] = net.w1[len(features):]  # the kind rows
    return EditNetwork(mean, std, w1, net.b1.copy(), net.w2.copy(), net.b2)


def restandardize(net: EditNetwork, mean: np.ndarray, std: np.ndarray) -> EditNetwork:
    """The same function of the raw features with the standardization ``mean`` / ``std``: the first layer's feature
    rows scaled by std / net.std and the shift folded into its bias (a network fitted on other dev lists, fifty-fifth
    round)."""
    mean, std = np.asarray(mean, dtype=np.float64), np.asarray(std, dtype=np.float64)
    n = len(net.mean)
    w1 = net.w1.copy()
    w1[:n] = net.w1[:n] * (std / net.std)[:, None]
    b1 = net.b1 + ((mean - net.mean) / net.std) @ net.w1[:n]
    return EditNetwork(mean, std, w1, b1, net.w2.copy(), net.b2)


def split_reranker(one: AlignedReranker, two: AlignedReranker) -> AlignedReranker:
    """``one`` with ``two``'s network for texts of two or more edits; ValueError when they do not fit together."""
    if one.network is None or two.network is None:
        raise ValueError("both files need a network")
    if one.features != two.features and set(one.features) <= set(two.features):
        one = replace(one, network=widen(one.network, one.features, two.features, two.network.mean,
                                         two.network.std),
                      weights=np.zeros((one.weights.shape[0], len(two.features))), features=two.features)
    if (name := first_difference(one, two)) is not None:
        raise ValueError(f"the files differ in {name}: {getattr(one, name)!r} vs {getattr(two, name)!r}")
    return replace(one, two_edit_network=two.network)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--one", type=Path, required=True, help="the file whose network scores one-edit texts")
    parser.add_argument("--two", type=Path, required=True, help="the file whose network scores two-edit texts")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    extra = {k: v for k, v in json.loads(args.one.read_text()).items()
             if k in ("heads", "dev", "fit", "folder")}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    split_reranker(AlignedReranker.from_file(args.one), AlignedReranker.from_file(args.two)).to_file(
        args.out, extra | {"two_edits_from": str(args.two), "one_edit_from": str(args.one)})
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
