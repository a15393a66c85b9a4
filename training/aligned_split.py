"""One reranker file from two: one network for texts with one edit, another for two or more (MODEL_CARD,
forty-sixth round).

    python -m training.aligned_split --one training/results/round42/W80_w0.1.json \\
        --two training/results/round45/X80.json --out training/results/round46/H80.json

Both files must read the same features for the same heads, with the same K, tau and length gate.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import replace
from pathlib import Path

from model.aligned_rerank import AlignedReranker
from training.aligned_ensemble import first_difference


def split_reranker(one: AlignedReranker, two: AlignedReranker) -> AlignedReranker:
    """``one`` with ``two``'s network for texts of two or more edits; ValueError when they do not fit together."""
    if one.network is None or two.network is None:
        raise ValueError("both files need a network")
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
