"""How well do the frozen pooled audio features say which sounds a clip holds? A linear probe.

One logistic regression per class (C = 0.1, standardized features) on every other dev clip of both
scenes, ROC AUC on all eval clips (sources unseen in dev).

    python -m training.pilots.event_probe
"""

from __future__ import annotations

import numpy as np

from training.pairset import PairSet, load_many
from training.pilots.clip_tables import FEATURES, SCENES
from training.scenes import ALL_CLASSES


def clips_and_labels(ps: PairSet) -> tuple[np.ndarray, np.ndarray]:
    rows = np.concatenate([ps.a, ps.b])
    return np.asarray(ps.audio)[rows], np.concatenate([ps.labels_a, ps.labels_b])


def main() -> int:
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score

    x, y = clips_and_labels(load_many([FEATURES / s / "dev" for s in SCENES]))
    x_eval, y_eval = clips_and_labels(load_many([FEATURES / s / "eval" for s in SCENES]))
    mean, std = x.mean(0), x.std(0) + 1e-6
    x, x_eval = (x - mean) / std, (x_eval - mean) / std
    for j, name in enumerate(ALL_CLASSES):
        if y_eval[:, j].min() == y_eval[:, j].max():
            continue
        probe = LogisticRegression(max_iter=200, C=0.1).fit(x[::2], y[::2, j])
        auc = roc_auc_score(y_eval[:, j], probe.predict_proba(x_eval)[:, 1])
        print(f"{name:16s} ROC AUC {auc:.3f}  (share of eval clips holding it {y_eval[:, j].mean():.2f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
