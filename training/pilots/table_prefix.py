"""Whether rebuilt reranker tables keep the columns of older ones (MODEL_CARD, fifty-second round).

    python -m training.pilots.table_prefix data/pilots/aligned/k80_r51 data/pilots/aligned/k80

The fifty-second round appended model.aligned_rerank.LEVEL_FEATURES to ALL_FEATURES and rebuilt the k80 tables
(training.aligned_mlp build, training.folder_lists). For every table in OLD, this prints the number
of lists whose columns differ from the same first columns of NEW's table of that name, or whose scores (beyond
1e-5), kinds, targets or right answers differ: with none, the earlier rounds' fits read the same numbers.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import torch


def parts(path: Path) -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
    """A table's features and its other tensors, by name (training.aligned_mlp build or training.folder_lists)."""
    data = torch.load(path)
    if isinstance(data, dict):
        return data["feats"], {k: v for k, v in data.items() if k != "feats" and isinstance(v, torch.Tensor)}
    cos, feats, kinds, target, patches = data
    return feats, {"cos": cos, "kinds": kinds, "target": target, "patches": patches}


def compare(old_dir: Path, new_dir: Path) -> bool:
    same = True
    for old_path in sorted(old_dir.glob("*.pt")):
        new_path = new_dir / old_path.name
        if not new_path.exists():
            print(f"{old_path.name}: not rebuilt")
            same = False
            continue
        old_feats, old_rest = parts(old_path)
        new_feats, new_rest = parts(new_path)
        width = old_feats.shape[-1]
        if old_feats.shape[:-1] != new_feats.shape[:-1]:
            print(f"{old_path.name}: {tuple(old_feats.shape)} lists, now {tuple(new_feats.shape)}")
            same = False
            continue
        gaps = (new_feats[..., :width] - old_feats).abs().flatten(1).amax(1)
        differ = gaps > 1e-5
        for k in old_rest:
            differ |= (old_rest[k].float() - new_rest[k].float()).abs().reshape(len(differ), -1).amax(1) > 1e-5
        print(f"{old_path.name}: {width} -> {new_feats.shape[-1]} features; lists whose first {width} columns, "
              f"scores or answers differ: {int(differ.sum())} of {len(differ)}")
        same = same and not differ.any()
    return same


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path)
    args = parser.parse_args(argv)
    return 0 if compare(args.old, args.new) else 1


if __name__ == "__main__":
    raise SystemExit(main())
