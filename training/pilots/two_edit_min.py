"""Val-only pilot: does a two-edit list need both edits to show? The reranker's network scores each parsed edit
and sums them, so a result that shows one edit strongly and the other not at all can outscore the target. Here a
second term, beta x the smaller of the two edits' scores (only for two-edit texts), is fitted with the network on
the thirty-ninth round's top-60 dev candidates with the length gate, and compared with the sum alone on the val
candidates (R@1 overall and on two-edit texts).

    python -m training.pilots.two_edit_min        # needs python -m training.aligned_mlp build --k 80
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from training.aligned_mlp import NETWORK_FEATURES, EditMLP, hits, load_deep, pooled, readable, standardize, train


class MinEditMLP(EditMLP):
    """EditMLP's sum over the edits plus beta x their minimum where a text has two edits."""

    def __init__(self, features: int, hidden: int) -> None:
        super().__init__(features, hidden)
        self.beta = nn.Parameter(torch.zeros(()))

    def forward(self, feats: torch.Tensor, kinds: torch.Tensor) -> torch.Tensor:
        per_edit = self.per_edit(feats, kinds)  # (N, E, K)
        two = (kinds.sum((1, 2)) == 2)[:, None]
        return per_edit.sum(1) + self.beta * torch.where(two, per_edit.min(1).values, torch.zeros_like(per_edit[:, 0]))


def main() -> None:
    dev, vals = load_deep(80, "dev", 60, NETWORK_FEATURES), load_deep(80, "val", 60, NETWORK_FEATURES)
    joined, mean, std = pooled(dev)

    def prep(d):
        return d[0], standardize(d[1], mean, std), d[2], d[3], readable(d[4], 0.3, 0.1)

    for name, make in (("sum (N60)", lambda: EditMLP(len(NETWORK_FEATURES), 64)),
                       ("sum + beta min", lambda: MinEditMLP(len(NETWORK_FEATURES), 64))):
        torch.manual_seed(0)  # the initial weights too
        model = train(make(), prep(joined), 30, 0.003, 0.01)
        row, means = [], []
        for split, v in vals.items():
            h = hits(model, prep(v))
            two = v[2].sum((1, 2)) == 2
            means.append(float(h.float().mean()))
            row.append(f"{split}: {means[-1]:.4f} (two edits {float(h[two].float().mean()):.4f})")
        extra = f", beta {float(model.beta.detach()):.3f}" if isinstance(model, MinEditMLP) else ""
        print(f"{name}{extra}: " + "; ".join(row) + f"; mean {np.mean(means):.4f}", flush=True)


if __name__ == "__main__":
    main()
