"""The sixth round's rule (MODEL_CARD "Release 2.2, sixth round"), applied to its val figures.

Eligible: R@1 with text on the first-release val split not below the shipped heads' (``S_s1``) in rain
and in traffic. The pick: the highest v2 val R@1 with text (all pairs) among the eligible; within 0.001,
the smaller text scale, then the smaller blend weight (nearer the shipped heads).

    python -m training.round6_pick training/results/finetune_round6
    python -m training.round6_pick training/results/finetune_round10 --margin 0.005   # the tenth round
    python -m training.round6_pick training/results/finetune_round13 --margin 0.005 --incumbent S2 --floor S2
    python -m training.round6_pick training/results/finetune_round14/exact --also training/results/finetune_round14/S2 \
        --margin 0.005 --incumbent S2 --floor S2    # the fourteenth: S2 scored on its own graph's caches
    python -m training.round6_pick training/results/finetune_round14/round19 \
        --also training/results/finetune_round14/S2 --margin 0.005 --incumbent S2 --floor S2 \
        --rank-by demo_family_val    # the nineteenth
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

SHIPPED = "S_s1"
SCENES = ("rain", "traffic")
TIE = 0.001


def blend_of(name: str) -> tuple[float, float]:
    """(text scale, blend weight) from a candidate name such as ``SF_a0.25_s1.5`` or ``W20_s2``."""
    scale = float(re.search(r"_s([\d.]+)$", name).group(1))
    alpha = re.search(r"_a([\d.]+)_", name)
    return scale, 0.0 if name.startswith("S_") else float(alpha.group(1)) if alpha else 1.0


def pick(release1: dict, v2: dict, incumbent: str | None = None, margin: float = 0.0, shipped: str = SHIPPED,
         rank: dict | None = None) -> tuple[str | None, list[str]]:
    """(the pick or None, one report line per candidate). ``shipped`` sets the floor and wins ties. With
    ``margin``, a new pick must beat the eligible ``incumbent``'s v2 val R@1 by at least that much, else the
    incumbent stays. With ``rank`` (results of another val set), the pick is the candidate highest there
    among those that are eligible and beat the incumbent so (ties within 0.001: the higher v2 val)."""
    if rank is not None:
        return pick_by_rank(release1, v2, rank, incumbent, margin, shipped)
    floor = {s: release1[shipped][f"{s}/R@1"] for s in SCENES}
    names = [m for m in release1 if not m.endswith(":audio") and m != "raw-audio"]
    ok = [m for m in names if all(release1[m][f"{s}/R@1"] >= floor[s] for s in SCENES)]
    lines = []
    for m in sorted(names, key=lambda m: -v2[m]["all/R@1"]):
        r1 = " ".join(f"{s} {release1[m][f'{s}/R@1']:.3f}" for s in SCENES)
        lines.append(f"{m:22s} v2 val {v2[m]['all/R@1']:.3f}  first-release val {r1}  "
                     + ("eligible" if m in ok else ""))
    if not ok:
        return None, lines
    best = max(v2[m]["all/R@1"] for m in ok)
    tied = [m for m in ok if v2[m]["all/R@1"] >= best - TIE]
    chosen = min(tied, key=lambda m: (0.0, 0.0) if m == shipped else blend_of(m))
    if margin and incumbent in ok and chosen != incumbent and v2[chosen]["all/R@1"] < v2[incumbent]["all/R@1"] + margin:
        lines.append(f"{chosen} does not beat {incumbent} by {margin}: {incumbent} stays")
        return incumbent, lines
    return chosen, lines


def pick_by_rank(release1: dict, v2: dict, rank: dict, incumbent: str | None, margin: float, shipped: str
                 ) -> tuple[str | None, list[str]]:
    floor = {s: release1[shipped][f"{s}/R@1"] for s in SCENES}
    bar = v2[incumbent]["all/R@1"] + margin if incumbent in v2 else -1.0
    lines, ok = [], []
    for m in sorted(rank, key=lambda m: -rank[m]["all/R@1"]):
        if m.endswith(":audio") or m == "raw-audio":
            continue
        good = all(release1[m][f"{s}/R@1"] >= floor[s] for s in SCENES) and v2[m]["all/R@1"] >= bar
        ok += [m] * good
        r1 = " ".join(f"{s} {release1[m][f'{s}/R@1']:.3f}" for s in SCENES)
        lines.append(f"{m:22s} ranked val {rank[m]['all/R@1']:.3f}  v2 val {v2[m]['all/R@1']:.3f}  "
                     f"first-release val {r1}  " + ("eligible" if good else ""))
    if not ok:
        lines.append(f"no candidate is eligible and beats {incumbent}'s v2 val by {margin}: {incumbent} stays")
        return incumbent, lines
    best = max(rank[m]["all/R@1"] for m in ok)
    return max((m for m in ok if rank[m]["all/R@1"] >= best - TIE), key=lambda m: v2[m]["all/R@1"]), lines


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("out", type=Path, help="the round's results folder (release1_val/, v2_val/)")
    p.add_argument("--margin", type=float, default=0.0, help="v2 val R@1 a new pick must add over --incumbent")
    p.add_argument("--incumbent", default="SF_a0.5_s1")
    p.add_argument("--floor", default=SHIPPED, help="the shipped heads' name: the floor, and the pick on ties")
    p.add_argument("--also", type=Path, action="append", default=[],
                   help="another results folder of the same pairs whose models join (e.g. heads of another "
                   "YAMNet graph, scored on that graph's caches)")
    p.add_argument("--rank-by", default="", help="a val results folder in OUT (e.g. demo_family_val) whose R@1 "
                   "ranks the eligible candidates that beat --incumbent by --margin (the nineteenth round)")
    args = p.parse_args(argv)
    out = args.out
    release1, v2 = ({} for _ in range(2))
    for folder in (out, *args.also):
        release1 |= json.loads((folder / "release1_val" / "results.json").read_text())["results"]
        v2 |= json.loads((folder / "v2_val" / "results.json").read_text())["results"]
    rank = json.loads((out / args.rank_by / "results.json").read_text())["results"] if args.rank_by else None
    chosen, lines = pick(release1, v2, args.incumbent, args.margin, args.floor, rank)
    print("\n".join(lines))
    floor = " ".join(f"{s} {release1[args.floor][f'{s}/R@1']:.3f}" for s in SCENES)
    print(f"floor (shipped, first-release val): {floor}")
    print("pick:", chosen or "none")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
