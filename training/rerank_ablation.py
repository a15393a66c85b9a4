"""Where edit-aware reranking's evidence falls short: the same rerank on v2 val pairs with evidence from
the probe (what the app can read from a stored vector), from YAMNet's real class scores and the real
loudness features (what storing them per row at import would give), from a probe fitted on pair
differences (labels_b - labels_a and signed level changes, from A(b) - A(a) or from the raw features),
and from the true catalog labels (an oracle: the ceiling of this scoring).

    python -m training.rerank_ablation --heads assets/nudge_heads.safetensors \
        --probe data/rerank/edit_probe_shipped.safetensors --fit data/features_v2/*/dev \
        --val data/features_v2/*/val --out training/results/rerank/ablation_shipped.json

Validation pairs only: this informs the next step, it selects nothing.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

from model.edit_rerank import EditProbe, Evidence, RerankSettings
from model.edits import ADD, QUIETER, REMOVE, parse_edits
from training.class_score_cache import cache_name, load_scores
from training.edit_probe import LOGIT_CLIP, clip_labels, fit_ridge, floor_level
from training.pairset import load_many
from training.rerank_bench import composed_queries, rerank_ranks, text_targets

WEIGHTS = (0.0, 0.01, 0.02, 0.03, 0.05, 0.08)
MAIN = "_main"


class FixedEvidence(EditProbe):
    """A probe whose evidence is a precomputed table for the pair set's clip rows."""

    def __init__(self, probe: EditProbe, table: Evidence):
        super().__init__(probe.weight, probe.bias, probe.audioset, probe.label_ids, probe.settings)
        self.table = table

    def evidence(self, vectors: np.ndarray) -> Evidence:
        return self.table


def difference_targets(cache_dirs: list[Path], ids: list[str]) -> np.ndarray:
    """(n_pairs, len(ids)) per pair: +1 added / -1 removed / signed dB / 10 per class; MAIN = the main sound's."""
    import csv

    rows = []
    for cache in cache_dirs:
        with open(Path(cache) / "pairs.csv", newline="") as f:
            for r in csv.DictReader(f):
                y = np.zeros(len(ids), dtype=np.float32)
                for e in parse_edits(r["edits"]):
                    v = 1.0 if e.kind == ADD else -1.0 if e.kind == REMOVE else abs(e.amount_db) / 10.0
                    v = -v if e.kind == QUIETER else v
                    if e.is_main and e.kind not in (ADD, REMOVE):
                        y[ids.index(MAIN)] += v
                    if e.sound in ids:
                        y[ids.index(e.sound)] += v
                rows.append(y)
    return np.stack(rows)


def _unit(x: np.ndarray) -> np.ndarray:
    return x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)


def main(argv: list[str] | None = None) -> int:
    from model.checkpoint import load_heads
    from training.retrieval import embed_pairset

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--heads", type=Path, required=True)
    p.add_argument("--probe", type=Path, required=True)
    p.add_argument("--fit", nargs="+", type=Path, required=True, help="dev caches for the difference probes")
    p.add_argument("--val", nargs="+", type=Path, required=True)
    p.add_argument("--scores", type=Path, default=Path("data/rerank/scores"))
    p.add_argument("--out", type=Path, required=True)
    args = p.parse_args(argv)
    heads = load_heads(args.heads).eval()
    probe = EditProbe.from_file(args.probe)
    ps = load_many(args.val)
    clips, texts = embed_pairset(heads, ps)
    queries = composed_queries(heads, ps, clips, texts)
    targets = text_targets(ps.texts, probe)
    ids = probe.label_ids + [MAIN]
    dev = load_many(args.fit)
    dev_clips, _ = embed_pairset(heads, dev)
    y_dev = difference_targets(args.fit, ids)
    raw_dev = np.asarray(dev.audio, dtype=np.float32)
    mu, sd = raw_dev.mean(axis=0), raw_dev.std(axis=0) + 1e-3
    raw_val = (np.asarray(ps.audio, dtype=np.float32) - mu) / sd
    raw_dev = (raw_dev - mu) / sd

    own = probe.evidence(clips)
    scores = np.concatenate([load_scores(args.scores / cache_name(c)) for c in args.val])
    labels = clip_labels(ps)[:, [list(ps.class_names).index(c) for c in probe.label_ids]]
    real = Evidence(np.clip(scores[:, 0], -LOGIT_CLIP, LOGIT_CLIP), np.clip(scores[:, 1], -LOGIT_CLIP, LOGIT_CLIP),
                    floor_level(np.asarray(ps.audio)), labels)

    def difference_probe(x_dev: np.ndarray, x_val: np.ndarray, alpha: float) -> Evidence:
        w, _ = fit_ridge(x_dev[dev.b] - x_dev[dev.a], y_dev, alpha)
        out = x_val @ w
        return replace(own, floor=out[:, -1], labels=out[:, :-1])

    sources = {
        "probe (app)": (own, ("max", "both", "label")),
        "real YAMNet scores + loudness": (replace(real, labels=own.labels), ("max", "both")),
        "difference probe on A(x)": (difference_probe(_unit(dev_clips), _unit(clips), 1.0), ("label",)),
        "difference probe on raw features": (difference_probe(raw_dev, raw_val, 1e4), ("label",)),
        "true catalog labels (oracle)": (real, ("label",)),
    }
    report = {"command": "python -m training.rerank_ablation " + " ".join(argv if argv is not None else sys.argv[1:]),
              "pairs": len(ps), "rows": []}
    for name, (evidence, pools) in sources.items():
        for pool in pools:
            for level_weight in (0.0, 1.0):
                settings = RerankSettings(top_k=100, pool=pool, level_weight=level_weight)
                ranks = rerank_ranks(ps, clips, queries, FixedEvidence(probe, evidence), settings, targets, WEIGHTS)
                row = {"evidence": name, "pool": pool, "level_weight": level_weight,
                       **{f"R@1 w={w}": float((ranks[w] == 1).mean()) for w in WEIGHTS}}
                report["rows"].append(row)
                print(json.dumps(row), flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
