"""The training curve of a run: train and full-gallery val loss, val R@1 / R@10 per epoch (curve.png)."""

from __future__ import annotations

import math
from pathlib import Path


def plot_curve(history: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    epochs = [h["epoch"] for h in history]
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.5))
    axes[0].plot(epochs, [h.get("train_loss", math.nan) for h in history], label="train loss")
    axes[0].plot(epochs, [h["val_loss"] for h in history], label="val loss (full gallery)")
    axes[0].set_xlabel("epoch")
    axes[0].legend()
    for key in ("val/R@1", "val/R@10"):
        axes[1].plot(epochs, [h[key] for h in history], label=key)
    axes[1].set_xlabel("epoch")
    axes[1].legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
