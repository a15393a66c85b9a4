"""Fit the edit-evidence probe (model.edit_rerank.EditProbe) and measure it on held-out clips.

Inputs: feature cache folders (data/features_v2/<scene>/<split>) and YAMNet class scores of their clips
(training.class_score_cache, data/rerank/scores/<scene>_<split>). The probe is ridge regression from
the heads' unit vector A(x) to YAMNet's max and mean class logits (clipped to [-20, 20]) and to the
clip's floor-minus-peak level (25th minus 100th percentile of frame levels, from the cached loudness
features).

    python -m training.edit_probe fit --heads assets/nudge_heads.safetensors \
        --fit data/features_v2/*/dev --held-out data/features_v2/*/val --out data/rerank/edit_probe.safetensors

Quality on the held-out clips (printed and kept in the probe's ``info``): for each sound class of the
catalog with positives among the held-out clips, ROC AUC of the probe's class evidence (max over the
class's AudioSet columns) against the clip's label, next to the AUC of YAMNet's own scores; Pearson r
between predicted and actual logits over those columns; R^2 of the level statistic.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from model.edit_rerank import EditProbe, RerankSettings
from training.class_score_cache import cache_name, load_scores
from training.pairset import PairSet, load_pairset

LOGIT_CLIP = 20.0
FLOOR_DIMS = (2, 7)  # loudness dims: 25th and 100th percentile of frame levels (model.audio_features)
LOUDNESS_DIM = 16
LABEL_ALPHA = 10.0  # ridge strength of the catalog-label output (held-out AUC 0.68-0.70 for 0.1-10)


def floor_level(features: np.ndarray) -> np.ndarray:
    """(N,) floor minus peak of raw frozen features (N, FEATURE_DIM)."""
    loud = np.asarray(features[:, -LOUDNESS_DIM:], dtype=np.float32)
    return loud[:, FLOOR_DIMS[0]] - loud[:, FLOOR_DIMS[1]]


def clip_labels(ps: PairSet) -> np.ndarray:
    """(n_clips, n_classes) multi-hot of each clip row (from the pairs that use it)."""
    labels = np.zeros((len(ps.audio), ps.labels_a.shape[1]), dtype=np.float32)
    labels[ps.a] = np.maximum(labels[ps.a], ps.labels_a)
    labels[ps.b] = np.maximum(labels[ps.b], ps.labels_b)
    return labels


def load_table(caches: list[Path], scores_root: Path, embed) -> dict[str, np.ndarray]:
    """Unit vectors, YAMNet targets, floor level and labels of every scored clip of the caches."""
    parts: dict[str, list[np.ndarray]] = {"x": [], "max": [], "mean": [], "floor": [], "labels": []}
    class_names = None
    for cache in caches:
        ps = load_pairset(cache)
        scores = load_scores(scores_root / cache_name(cache))
        n = len(scores)
        vectors = embed(np.asarray(ps.audio[:n], dtype=np.float32))
        parts["x"].append(vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12))
        parts["max"].append(np.clip(scores[:, 0], -LOGIT_CLIP, LOGIT_CLIP))
        parts["mean"].append(np.clip(scores[:, 1], -LOGIT_CLIP, LOGIT_CLIP))
        parts["floor"].append(floor_level(ps.audio[:n]))
        parts["labels"].append(clip_labels(ps)[:n])
        names = _class_names(cache, ps)
        if class_names not in (None, names):
            raise ValueError("feature caches with different class lists")
        class_names = names
    table = {k: np.concatenate(v) for k, v in parts.items()}
    table["class_names"] = np.array(class_names)
    return table


def label_table(caches: list[Path], embed) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Unit vectors and catalog labels of every clip of the caches (no YAMNet scores needed)."""
    xs, ys, names = [], [], None
    for cache in caches:
        ps = load_pairset(cache)
        x = embed(np.asarray(ps.audio, dtype=np.float32))
        xs.append(x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12))
        ys.append(clip_labels(ps))
        names = list(ps.class_names)
    return np.concatenate(xs), np.concatenate(ys), names


def _class_names(cache: Path, ps: PairSet) -> tuple[str, ...]:
    """The label columns' class ids: the pairs folder's classes.txt, or its parent's (the OOD set keeps one
    for all scenes)."""
    if len(ps.class_names) == ps.labels_a.shape[1]:
        return ps.class_names
    pairs_csv = Path(json.loads((cache / "index.json").read_text())["pairs_csv"])
    return tuple((pairs_csv.parent.parent / "classes.txt").read_text().split())


def fit_ridge(x: np.ndarray, y: np.ndarray, alpha: float) -> tuple[np.ndarray, np.ndarray]:
    """(weight (D, T), bias (T,)) of ridge regression with an unpenalised bias."""
    mx, my = x.mean(axis=0), y.mean(axis=0)
    xc = (x - mx).astype(np.float64)
    gram = xc.T @ xc + alpha * np.eye(x.shape[1])
    weight = np.linalg.solve(gram, xc.T @ (y - my).astype(np.float64)).astype(np.float32)
    return weight, (my - mx @ weight).astype(np.float32)


def _auc(y: np.ndarray, s: np.ndarray) -> float:
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(y, s))


def quality(probe: EditProbe, table: dict[str, np.ndarray]) -> dict:
    """Held-out quality: per catalog class AUC (probe vs YAMNet itself), logit r, level R^2."""
    from model.sound_vocab import BY_ID

    ev = probe.evidence(table["x"])
    index = {n: i for i, n in enumerate(probe.audioset)}
    per_class, used = {}, set()
    for j, cls_id in enumerate(table["class_names"].tolist()):
        y = table["labels"][:, j]
        cols = [index[n] for n in BY_ID[cls_id].audioset if n in index] if cls_id in BY_ID else []
        if not cols or y.sum() < 5 or y.sum() == len(y):
            continue
        used.update(cols)
        per_class[cls_id] = {"n_pos": int(y.sum()), "probe_auc": _auc(y, ev.max[:, cols].max(axis=1)),
                             "yamnet_auc": _auc(y, table["max"][:, cols].max(axis=1))}
        if cls_id in probe.label_ids:
            per_class[cls_id]["label_probe_auc"] = _auc(y, ev.labels[:, probe.label_ids.index(cls_id)])
    cols = sorted(used)
    r = [float(np.corrcoef(ev.max[:, c], table["max"][:, c])[0, 1]) for c in cols]
    resid = ev.floor - table["floor"]
    r2 = 1.0 - float(resid.var() / table["floor"].var())
    aucs = np.array([[v["probe_auc"], v["yamnet_auc"], v.get("label_probe_auc", np.nan)]
                     for v in per_class.values()])
    return {"clips": len(table["x"]), "classes": len(per_class), "mean_probe_auc": float(aucs[:, 0].mean()),
            "mean_yamnet_auc": float(aucs[:, 1].mean()),
            "mean_label_probe_auc": float(np.nanmean(aucs[:, 2])), "median_logit_r": float(np.median(r)),
            "floor_r2": r2, "per_class": per_class}


def fit_probe(heads_path: Path, fit: list[Path], held_out: list[Path], scores_root: Path, alpha: float,
              settings: RerankSettings) -> EditProbe:
    from model.checkpoint import load_heads, model_version
    from model.yamnet import class_names
    from training.retrieval import embed_rows

    heads = load_heads(heads_path).eval()

    def embed(features: np.ndarray) -> np.ndarray:
        return embed_rows(heads.embed_audio, features)

    train = load_table(fit, scores_root, embed)
    y = np.concatenate([train["max"], train["mean"], train["floor"][:, None]], axis=1)
    weight, bias = fit_ridge(train["x"], y, alpha)
    label_x, label_y, label_ids = label_table(fit, embed)
    label_w, label_b = fit_ridge(label_x, label_y, LABEL_ALPHA)
    probe = EditProbe(np.concatenate([weight, label_w], axis=1), np.concatenate([bias, label_b]), class_names(),
                      label_ids, settings, model_version(heads_path))
    report = quality(probe, load_table(held_out, scores_root, embed)) if held_out else {}
    probe.info = {"heads": str(heads_path), "fit": [str(c) for c in fit], "held_out": [str(c) for c in held_out],
                  "fit_clips": len(train["x"]), "alpha": alpha, "quality": report}
    return probe


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    f = sub.add_parser("fit")
    f.add_argument("--heads", type=Path, required=True)
    f.add_argument("--fit", nargs="+", type=Path, required=True)
    f.add_argument("--held-out", nargs="*", type=Path, default=[])
    f.add_argument("--scores", type=Path, default=Path("data/rerank/scores"))
    f.add_argument("--alpha", type=float, default=1.0)
    f.add_argument("--settings", default="{}", help="RerankSettings as JSON (tuned: training.rerank_bench)")
    f.add_argument("--out", type=Path, required=True)
    t = sub.add_parser("set", help="write the settings chosen on validation (training.rerank_bench tune) into a probe")
    t.add_argument("--probe", type=Path, required=True)
    t.add_argument("--tune", type=Path, required=True, help="the tune JSON whose 'best' settings to store")
    t.add_argument("--enable", action="store_true", help="make reranking the app's default (passed the ship gate)")
    t.add_argument("--out", type=Path, required=True)
    q = sub.add_parser("quality", help="measure a probe on other clips (reporting only, e.g. the OOD set)")
    q.add_argument("--probe", type=Path, required=True)
    q.add_argument("--heads", type=Path, required=True)
    q.add_argument("--caches", nargs="+", type=Path, required=True)
    q.add_argument("--scores", type=Path, default=Path("data/rerank/scores"))
    q.add_argument("--out", type=Path, required=True)
    args = p.parse_args(argv)
    if args.cmd == "quality":
        from model.checkpoint import load_heads
        from training.retrieval import embed_rows

        heads = load_heads(args.heads).eval()
        report = quality(EditProbe.from_file(args.probe),
                         load_table(args.caches, args.scores, lambda f: embed_rows(heads.embed_audio, f)))
        report["command"] = "python -m training.edit_probe " + " ".join(argv if argv is not None else sys.argv[1:])
        args.out.write_text(json.dumps(report, indent=1))
        print(json.dumps({k: v for k, v in report.items() if k != "per_class"}, indent=1))
        return 0
    if args.cmd == "set":
        probe = EditProbe.from_file(args.probe)
        best = json.loads(args.tune.read_text())["best"]
        probe.settings = RerankSettings(**{**best, "enabled": bool(args.enable)})
        probe.info["settings_from"] = str(args.tune)
        probe.save(args.out)
        print(probe.settings)
        return 0
    probe = fit_probe(args.heads, args.fit, args.held_out, args.scores, args.alpha,
                      RerankSettings(**json.loads(args.settings)))
    probe.info["command"] = "python -m training.edit_probe " + " ".join(argv if argv is not None else sys.argv[1:])
    args.out.parent.mkdir(parents=True, exist_ok=True)
    probe.save(args.out)
    q = probe.info["quality"]
    print(json.dumps({k: v for k, v in q.items() if k != "per_class"}, indent=1))
    for cls_id, v in sorted(q.get("per_class", {}).items()):
        print(f"{cls_id:18s} n={v['n_pos']:4d} probe AUC {v['probe_auc']:.3f}  YAMNet AUC {v['yamnet_auc']:.3f}"
              f"  label probe AUC {v.get('label_probe_auc', float('nan')):.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
