"""MODEL_CARD tables of a fine-tuning round, from the results `run_finetune.sh` evaluate writes.

    python -m training.finetune_tables training/results/finetune_round4 --models shipped rh4_a0

Reads <dir>/{v2_eval,v2_ood,release1_eval}/results.json and <dir>/{v2_eval,v2_ood}/refine.json;
prints markdown: R@1 per scene (audio-only in brackets), per difference and edit count, per
phrasing family, the refine loop, and the first release's eval split.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

SCENES = ("rain", "traffic", "forest", "city_street", "interior", "seaside", "isolated")
SETS = (("v2 eval", "v2_eval"), ("OOD", "v2_ood"))
DIFFS = ("family:background", "family:event", "kind:event_added", "kind:event_removed", "kind:event_louder",
         "kind:event_quieter", "kind:bg_louder", "kind:bg_quieter", "n_diffs:1", "n_diffs:2")
FAMILIES = ("caption", "imperative", "pronoun", "studio", "synonym", "typo", "request")


def _load(path: Path) -> dict:
    return json.loads(path.read_text())["results"]


def _fmt(value: float | None) -> str:
    return "" if value is None else f"{value:.3f}"


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def scene_table(root: Path, models: list[str]) -> list[str]:
    lines = [_row(["set", "heads", *SCENES, "all", "all R@10"]), _row(["---"] * (len(SCENES) + 4))]
    for label, folder in SETS:
        r = _load(root / folder / "results.json")
        for m in models:
            cells = [f"{_fmt(r[m].get(f'{s}/R@1'))} ({_fmt(r[f'{m}:audio'].get(f'{s}/R@1'))})"
                     for s in (*SCENES, "all")]
            lines.append(_row([label, m, *cells, _fmt(r[m]["all/R@10"])]))
    return lines


def diff_table(root: Path, models: list[str]) -> list[str]:
    lines = [_row(["set", "heads", *(d.split(":")[1] for d in DIFFS)]), _row(["---"] * (len(DIFFS) + 2))]
    for label, folder in SETS:
        r = _load(root / folder / "results.json")
        lines += [_row([label, m, *(_fmt(r[m].get(f"all/diff/{d}")) for d in DIFFS)]) for m in models]
    return lines


def phrasing_table(root: Path, models: list[str]) -> list[str]:
    lines = [_row(["set", "heads", *FAMILIES, "held-out / all"]), _row(["---"] * (len(FAMILIES) + 3))]
    for label, folder in SETS:
        r = _load(root / folder / "results.json")
        for m in models:
            last = r[m].get("all/phrasing/heldout") if folder == "v2_eval" else r[m]["all/R@1"]
            lines.append(_row([label, m, *(_fmt(r[m].get(f"all/phrasing/family:{f}")) for f in FAMILIES),
                               _fmt(last)]))
    return lines


def refine_table(root: Path, models: list[str]) -> list[str]:
    lines = [_row(["set", "heads, loop", "1", "2", "3", "4"]), _row(["---"] * 6)]
    for label, folder in SETS:
        r = _load(root / folder / "refine.json")
        for m in models:
            for loop, key in (("text", f"{m}:text"), ("audio only", f"{m}:audio")):
                lines.append(_row([label, f"{m}, {loop}", *(_fmt(r[key][f"all/within_{k}"]) for k in range(1, 5))]))
    return lines


def release1_table(root: Path, models: list[str]) -> list[str]:
    r = _load(root / "release1_eval" / "results.json")
    head = ["heads"] + [f"{s} {k}" for s in ("rain", "traffic") for k in ("R@1", "R@10", "audio-only R@1")]
    lines = [_row(head), _row(["---"] * len(head))]
    for m in models:
        lines.append(_row([m, *(_fmt(x) for s in ("rain", "traffic")
                                for x in (r[m][f"{s}/R@1"], r[m][f"{s}/R@10"], r[f"{m}:audio"][f"{s}/R@1"]))]))
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("root", type=Path, help="the round's results folder")
    ap.add_argument("--models", nargs="+", default=["shipped"])
    args = ap.parse_args(argv)
    for title, table in (("R@1 per scene", scene_table), ("R@1 per difference", diff_table),
                         ("R@1 per phrasing family", phrasing_table), ("Refine loop", refine_table),
                         ("First release's eval split", release1_table)):
        print(f"\n{title}\n")
        print("\n".join(table(args.root, args.models)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
