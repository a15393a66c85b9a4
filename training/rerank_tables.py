"""Markdown tables of the Release 2.1 (edit-aware scoring) results, from training/results/rerank/.

    python -m training.rerank_tables > training/results/rerank/tables.md
"""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "training" / "results" / "rerank"
SETS = (("v2 eval", "v2_eval"), ("OOD", "ood"), ("release-1 eval", "release1_eval"))
HEADS = ("shipped", "v2_scene")
KINDS = ("family:background", "kind:event_added", "kind:event_removed", "kind:event_louder", "kind:event_quieter",
         "kind:bg_louder", "kind:bg_quieter", "n_diffs:1", "n_diffs:2")
FAMILIES = ("caption", "imperative", "pronoun", "studio", "synonym", "typo", "request")
SHIPPED_CLASSES = ("rain", "traffic", "thunder", "dog", "chirping_birds", "car_horn", "church_bells", "footsteps")


def _load(folder: str) -> dict | None:
    path = ROOT / folder / "results.json"
    return json.loads(path.read_text())["results"] if path.exists() else None


def _f(v: float | None) -> str:
    return "" if v is None else f"{v:.3f}"


def _sound_group(r: dict, known: bool) -> float | None:
    """R@1 over the difference keys naming a sound the shipped heads were (not) trained on, n-weighted."""
    hits = n = 0.0
    for key, value in r.items():
        if key.startswith("all/diff/") and not key.endswith("/n") and ":" in key[9:] and "kind:" not in key:
            sound = key.rsplit(":", 1)[1]
            if sound != "it" and (sound in SHIPPED_CLASSES) == known:
                count = r[key + "/n"]
                hits, n = hits + value * count, n + count
    return hits / n if n else None


def main() -> int:
    lines = ["| set | heads | audio-only R@1 | text R@1 | text + rerank R@1 | ratio text / audio-only | "
             "ratio rerank / audio-only | text R@10 | rerank R@10 |", "|---" * 9 + "|"]
    per_kind = ["| set | heads, method | " + " | ".join(k.split(":", 1)[1] for k in KINDS)
                + " | trained sounds | other sounds |", "|---" * (4 + len(KINDS)) + "|"]
    scenes_rows = []
    for label, prefix in SETS:
        for heads in HEADS:
            r = _load(f"{prefix}_{heads}")
            if r is None:
                continue
            audio, text, rerank = r[f"{heads}:audio"], r[heads], r[f"{heads}+rerank"]
            lines.append(f"| {label} | {heads} | {_f(audio['all/R@1'])} | {_f(text['all/R@1'])} | "
                         f"{_f(rerank['all/R@1'])} | {text['all/R@1'] / audio['all/R@1']:.2f} | "
                         f"{rerank['all/R@1'] / audio['all/R@1']:.2f} | {_f(text['all/R@10'])} | "
                         f"{_f(rerank['all/R@10'])} |")
            for method, res in (("text", text), ("text + rerank", rerank)):
                per_kind.append(f"| {label} | {heads}, {method} | "
                                + " | ".join(_f(res.get(f"all/diff/{k}")) for k in KINDS)
                                + f" | {_f(_sound_group(res, True))} | {_f(_sound_group(res, False))} |")
            scenes = sorted({k.split("/", 1)[0] for k in text if k.endswith("/R@1") and not k.startswith("all")})
            scenes_rows.append(f"| {label} | {heads} | " + "; ".join(
                f"{s}: {_f(text[f'{s}/R@1'])} -> {_f(rerank[f'{s}/R@1'])}" for s in scenes) + " |")
    families = ["| set | heads, method | " + " | ".join(FAMILIES) + " |", "|---" * (2 + len(FAMILIES)) + "|"]
    for label, prefix in SETS[:2]:
        for heads in HEADS:
            r = _load(f"{prefix}_{heads}")
            for method, key in (("text", heads), ("text + rerank", f"{heads}+rerank")) if r else ():
                families.append(f"| {label} | {heads}, {method} | "
                                + " | ".join(_f(r[key].get(f"all/phrasing/family:{f}")) for f in FAMILIES) + " |")
    refine = ["| set | heads | loop | 1 | 2 | 3 | 4 |", "|---" * 7 + "|"]
    for label, prefix in SETS[:2]:
        for heads in HEADS:
            path = ROOT / f"{prefix}_{heads}" / "refine.json"
            if not path.exists():
                continue
            res = json.loads(path.read_text())["results"]
            for loop in ("audio", "text", "text+rerank"):
                r = res[f"{heads}:{loop}"]
                refine.append(f"| {label} | {heads} | {loop} | "
                              + " | ".join(_f(r[f"all/within_{k}"]) for k in range(1, 5)) + " |")
    print("\n".join(["### R@1, all pairs", "", *lines, "", "### R@1 per difference and edit count "
                     "(a two-edit pair counts in both of its kinds; sounds: differences naming a sound the "
                     "shipped heads were trained on or not)", "", *per_kind, "",
                     "### R@1 per scene (text -> text + rerank)", "", "| set | heads | scenes |", "|---|---|---|",
                     *scenes_rows, "", "### R@1 per phrasing family", "", *families, "",
                     "### Refine loop (share of sessions with the target in the top 10 within 1..4 steps)", "",
                     *refine]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
