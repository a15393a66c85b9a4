"""Evaluate trained heads on the eval split: R@1/5/10 per scene, per difference, held-out phrasing.

Methods per scene (gallery = all distinct eval targets of that scene, as in the paper):
    raw-audio       cosine of the raw frozen features (1040-d) of a and b: no training at all
    <model>:audio   A(a) only, with that model's trained audio head (the paper's baseline)
    <model>         A(a) + T(t) (proposed)
    <model>+rerank  A(a) + T(t), top K rescored by edit consistency (model.edit_rerank; --probe NAME=PATH)

    python -m training.evaluate --model proposed=runs/proposed/heads.safetensors \
        --model rho0=runs/rho0/heads.safetensors --out-dir training/results
Writes results.json (flat dicts), results.md (tables) and umap_<model>.png.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

from model.change_term import ChangeWeights
from model.checkpoint import audio_graph, load_heads, read_metadata
from model.ranking import grouped_recall, recall_at_k
from training.pairset import PairSet, check_graph, difference_groups, load_many
from training.retrieval import embed_pairset, rank_pairs

REPO_ROOT = Path(__file__).resolve().parents[1]
FEATURES_ROOT = REPO_ROOT / "data" / "features"
log = logging.getLogger("evaluate")


def phrasing_groups(ps: PairSet, i: int) -> list[str]:
    """'heldout' or 'seen', plus the pair's phrasing family where the set records one."""
    family = ps.phrasing[i] if ps.phrasing else ""
    return ["heldout" if ps.heldout[i] else "seen"] + ([f"family:{family}"] if family else [])


def evaluate_ranks(ps: PairSet, ranks: np.ndarray) -> dict[str, float]:
    """Flat dict: overall and per-scene R@k, per-difference R@1, phrasing (held-out / seen, family) R@1."""
    out = recall_at_k(ranks, prefix="all/")
    for scene in ps.scenes():
        sel = np.flatnonzero(ps.scene == scene)
        out.update(recall_at_k(ranks[sel], prefix=f"{scene}/"))
        groups = [difference_groups(ps.diff_types[i]) for i in sel]
        out.update({f"{scene}/diff/{k}": v for k, v in grouped_recall(ranks[sel], groups).items()})
        phrasing = [phrasing_groups(ps, i) for i in sel]
        out.update({f"{scene}/phrasing/{k}": v for k, v in grouped_recall(ranks[sel], phrasing).items()})
    groups = [difference_groups(d) for d in ps.diff_types]
    out.update({f"all/diff/{k}": v for k, v in grouped_recall(ranks, groups).items()})
    phrasing = [phrasing_groups(ps, i) for i in range(len(ps))]
    out.update({f"all/phrasing/{k}": v for k, v in grouped_recall(ranks, phrasing).items()})
    return out


def with_split_reader(ps: PairSet) -> PairSet:
    """The same pairs with clause features read by the first releases' joiner split
    (model.text_backbone.split_clauses) instead of the modifier parser: how heads of those releases
    read text in the app before the parser existed."""
    from model.text_backbone import MiniLMBackbone, split_clauses

    clauses = MiniLMBackbone(threads=2).encode_clauses(list(ps.texts), reader=split_clauses)
    return replace(ps, clause_text=clauses)


def evaluate_models(ps: PairSet, models: dict[str, Path], split_reader: frozenset[str] = frozenset(),
                    probes: dict[str, Path] | None = None, change: ChangeWeights | None = None,
                    aligned=None) -> tuple[dict[str, dict], dict[str, tuple]]:
    """results[method] = flat metrics; embeddings[model] = (clip_emb, text_emb) for plots.

    Models named in ``split_reader`` read text with the first releases' joiner split; models with a
    probe in ``probes`` are also ranked with edit-aware reranking (``<model>+rerank``, the probe's settings).
    ``change``: every model's queries with words are ranked with model.change_term (audio-only ones are not);
    ``aligned`` (training.aligned_scoring.AlignedScorer): their first K are reordered by model.aligned_rerank."""
    results = {"raw-audio": evaluate_ranks(ps, rank_pairs(ps, np.asarray(ps.audio, dtype=np.float32), None))}
    embeddings = {}
    legacy = with_split_reader(ps) if split_reader & set(models) else None
    for name, path in models.items():
        heads = load_heads(path)
        clips, texts = embed_pairset(heads, legacy if name in split_reader else ps)
        embeddings[name] = (clips, texts)
        results[f"{name}:audio"] = evaluate_ranks(ps, rank_pairs(ps, clips, None))
        results[name] = evaluate_ranks(ps, rank_pairs(ps, clips, texts, heads=heads, change=change, aligned=aligned))
        if probes and name in probes:
            from model.edit_rerank import EditProbe
            from training.rerank_bench import composed_queries, rerank_ranks

            probe = EditProbe.from_file(probes[name])
            ranks = rerank_ranks(ps, clips, composed_queries(heads, ps, clips, texts), probe, probe.settings)
            results[f"{name}+rerank"] = evaluate_ranks(ps, ranks[probe.settings.weight])
    return results, embeddings


def _fmt(v: float) -> str:
    return f"{v:.3f}"


def markdown_tables(results: dict[str, dict], scenes: list[str], models: list[str]) -> str:
    """Main table, per-difference R@1 (paper Table 3 style), phrasing, then every model summary."""
    lines = ["## Recall per scene (gallery = all eval targets of the scene)", "",
             "| method | " + " | ".join(f"{s} R@1 | {s} R@5 | {s} R@10" for s in scenes) + " |",
             "|---" * (1 + 3 * len(scenes)) + "|"]
    for method, r in results.items():
        cells = [_fmt(r[f"{s}/R@{k}"]) for s in scenes for k in (1, 5, 10)]
        lines.append(f"| {method} | " + " | ".join(cells) + " |")
    primary = models[0] if models else None
    if primary:
        lines += ["", f"## R@1 per difference ({primary}; a pair with two differences counts in both rows)", ""]
        methods = ["raw-audio", f"{primary}:audio", primary]
        lines.append("| difference | " + " | ".join(f"{s}: {m}" for s in scenes for m in methods) + " | n |")
        lines.append("|---" * (2 + len(scenes) * len(methods)) + "|")
        keys = sorted({k.split("/diff/", 1)[1] for k in results[primary] if "/diff/" in k and not k.endswith("/n")})
        keys.sort(key=lambda k: (not k.startswith("family:"), not k.startswith("kind:"), k))
        for key in keys:
            cells, n = [], []
            for s in scenes:
                for m in methods:
                    cells.append(_fmt(results[m].get(f"{s}/diff/{key}", float("nan"))))
                n.append(str(results[primary].get(f"{s}/diff/{key}/n", 0)))
            lines.append(f"| {key} | " + " | ".join(cells) + f" | {'/'.join(n)} |")
        lines += ["", "## Held-out vs seen phrasing (R@1)", "",
                  "| method | " + " | ".join(f"{s} seen | {s} held-out" for s in scenes) + " |",
                  "|---" * (1 + 2 * len(scenes)) + "|"]
        for m in models:
            cells = [_fmt(results[m].get(f"{s}/phrasing/{p}", float("nan")))
                     for s in scenes for p in ("seen", "heldout")]
            lines.append(f"| {m} | " + " | ".join(cells) + " |")
    lines += ["", "## Summary per model (R@1; bg = background louder/quieter pairs)", "",
              "| model | " + " | ".join(f"{s} R@1 | {s} R@10 | {s} bg R@1 | {s} x audio-only" for s in scenes) + " |",
              "|---" * (1 + 4 * len(scenes)) + "|"]
    for m in models + [f"{m}+rerank" for m in models if f"{m}+rerank" in results]:
        r, base = results[m], results[f"{m.removesuffix('+rerank')}:audio"]
        cells = []
        for s in scenes:
            ratio = r[f"{s}/R@1"] / max(base[f"{s}/R@1"], 1e-9)
            cells += [_fmt(r[f"{s}/R@1"]), _fmt(r[f"{s}/R@10"]),
                      _fmt(r.get(f"{s}/diff/family:background", float("nan"))), f"{ratio:.2f}"]
        lines.append(f"| {m} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def umap_plot(ps: PairSet, clips: np.ndarray, texts: np.ndarray, diff_pair: tuple[str, str], path: Path,
              seed: int = 0, max_per_type: int = 300) -> None:
    """Paper Fig. 3: UMAP of A(b)-A(a) and T(t) for single-difference pairs of two types."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import umap

    rng = np.random.default_rng(seed)
    chosen = []
    for d in diff_pair:
        idx = np.flatnonzero([ds == [d] for ds in ps.diff_types])
        chosen.append(rng.permutation(idx)[:max_per_type])
    idx = np.concatenate(chosen)
    kind = np.concatenate([np.full(len(c), i) for i, c in enumerate(chosen)])
    diff = clips[ps.b[idx]] - clips[ps.a[idx]]
    text = texts[ps.t[idx]]
    x = np.concatenate([diff, text])
    x = x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)
    xy = umap.UMAP(n_neighbors=15, min_dist=0.1, metric="cosine", random_state=seed).fit_transform(x)
    n = len(idx)
    fig, ax = plt.subplots(figsize=(6, 5))
    colors = ["tab:blue", "tab:red"]
    for i, d in enumerate(diff_pair):
        m = kind == i
        ax.scatter(xy[:n][m, 0], xy[:n][m, 1], s=8, c=colors[i], marker="o", alpha=0.6, label=f"A(b)-A(a): {d}")
        ax.scatter(xy[n:][m, 0], xy[n:][m, 1], s=18, c=colors[i], marker="x", alpha=0.8, label=f"T(t): {d}")
    ax.legend(fontsize=8)
    ax.set_title("UMAP of audio differences and text modifiers")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def change_weights(text: str) -> ChangeWeights:
    """'0.2,8' -> ChangeWeights(0.2, 8.0) (an argparse type)."""
    try:
        weight, power = (float(v) for v in text.split(","))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"expected WEIGHT,POWER, got {text!r}") from exc
    return ChangeWeights(weight, power)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--model", action="append", default=[], metavar="NAME=PATH", help="heads checkpoint (repeat)")
    p.add_argument("--eval", nargs="+", type=Path, help="feature cache folders (default data/features/*/eval)")
    p.add_argument("--out-dir", type=Path, default=REPO_ROOT / "training" / "results")
    p.add_argument("--umap", default="bg_louder,bg_quieter", help="two difference types for the UMAP plot ('' = off)")
    p.add_argument("--umap-models", default="", help="models to plot (default: the first)")
    p.add_argument("--split-reader", default="", help="comma-separated models that read text with the first "
                   "releases' joiner split instead of the modifier parser")
    p.add_argument("--probe", action="append", default=[], metavar="NAME=PATH",
                   help="edit-aware rerank probe of model NAME (adds method NAME+rerank)")
    p.add_argument("--change", type=change_weights, metavar="WEIGHT,POWER",
                   help="rank queries with words with this change term (model.change_term; default off)")
    p.add_argument("--rerank", type=Path, metavar="FILE",
                   help="reorder the first K of queries with words by this model.aligned_rerank file (needs the "
                   "caches' per-patch tables, training.aligned_evidence)")
    args = p.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s", stream=sys.stderr)
    models = dict(m.split("=", 1) for m in args.model)
    models = {k: Path(v) for k, v in models.items()}
    caches = args.eval or sorted(q.parent for q in FEATURES_ROOT.glob("*/eval/index.json"))
    check_graph({name: audio_graph(path) for name, path in models.items()}, caches)
    ps = load_many(caches)
    log.info("eval: %d pairs in %s", len(ps), ", ".join(ps.scenes()))
    probes = {k: Path(v) for k, v in (m.split("=", 1) for m in args.probe)}
    aligned = None
    if args.rerank:
        from training.aligned_scoring import load_scorer

        aligned = load_scorer(args.rerank, caches)
    results, embeddings = evaluate_models(ps, models, frozenset(filter(None, args.split_reader.split(","))), probes,
                                          args.change, aligned)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    meta = {name: read_metadata(path)["extra"] for name, path in models.items()}
    report = {"command": "python -m training.evaluate " + " ".join(argv if argv is not None else sys.argv[1:]),
              "eval_sources": ps.sources, "models": {k: str(v) for k, v in models.items()},
              "model_extra": meta, "results": results}
    (args.out_dir / "results.json").write_text(json.dumps(report, indent=1))
    md = markdown_tables(results, ps.scenes(), list(models))
    (args.out_dir / "results.md").write_text(f"Command: `{report['command']}`\n\n{md}")
    print(md)
    if args.umap and models:
        pair = tuple(args.umap.split(","))
        for name in (args.umap_models.split(",") if args.umap_models else list(models)[:1]):
            clips, texts = embeddings[name]
            umap_plot(ps, clips, texts, pair, args.out_dir / f"umap_{name}.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
