"""Pairs of several scenes searched in one library, as a user's library mixes them (sixty-seventh round).

Every other set ranks a pair's query against its own scene's gallery, where a clip of another scene is never a
candidate. A real library holds rain beside traffic beside forests: there the reranker may read another scene's
clip of the query's length as a version of it ("lose the horn" on traffic lifting rain clips, which lack the horn).
This writes one CSV of every scene's pairs under a root (paths relative to the root, for ``main.py evaluate
--gallery library`` on a library of the root's audio), then summarizes the app's ``--json`` output: R@1 with the
words and audio-only, two differences, and the share of pairs whose first result is another scene's clip.

    python -m training.pooled_gallery write data/pairs_v2_fresh3 --split val --out data/pooled/v2_val.csv
    python -m training.pooled_gallery summary data/pooled/v2_val.csv RUN.json [RUN2.json ...]

Only the paths, scenes and difference types of the pairs are read here, never their texts.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
from collections.abc import Sequence
from pathlib import Path

COLUMNS = ("a_path", "text", "b_path", "scene", "diff_types")


def write_pooled(root: Path, split: str, out: Path) -> int:
    """One CSV of root/<scene>/<split>/pairs.csv (root/<scene>/pairs.csv for split ""), its paths made relative to
    ``out``'s folder; returns the pairs."""
    out.parent.mkdir(parents=True, exist_ok=True)
    rows = []
    for pairs in sorted(root.glob(f"*/{split}/pairs.csv" if split else "*/pairs.csv")):
        with open(pairs, newline="", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                rows.append({"a_path": _relative(pairs.parent / row["a_path"], out.parent), "text": row["text"],
                             "b_path": _relative(pairs.parent / row["b_path"], out.parent),
                             "scene": (pairs.parent.parent if split else pairs.parent).name,
                             "diff_types": row.get("diff_types", "")})
    tmp = out.with_suffix(".tmp")
    with open(tmp, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    tmp.replace(out)
    return len(rows)


def _relative(path: Path, base: Path) -> str:
    return os.path.relpath(Path(path).resolve(), base.resolve())


def scene_of(path: str, scenes: set[str]) -> str:
    """The scene folder a clip lies in: the last part of its path that names one of ``scenes``."""
    return next((part for part in reversed(Path(path).parts) if part in scenes), "")


def summarize(pooled_csv: Path, run: Path) -> dict[str, float]:
    """R@1 with the words and audio-only, two differences, and how often the first result is another scene's."""
    with open(pooled_csv, newline="", encoding="utf-8") as f:
        meta = {i + 2: row for i, row in enumerate(csv.DictReader(f))}  # by CSV line, as evaluate reports them
    per_pair = json.loads(run.read_text())["per_pair"]
    scenes = {row["scene"] for row in meta.values()}
    hits = audio_hits = two = two_hits = other = audio_other = 0
    for p in per_pair:
        row = meta[p["line"]]
        scene = row["scene"]
        hits += p["rank"] == 1
        audio_hits += p["audio_only_rank"] == 1
        other += scene_of(p["first"], scenes) != scene
        audio_other += scene_of(p["audio_only_first"], scenes) != scene
        if len([d for d in row["diff_types"].split("|") if d]) > 1:
            two += 1
            two_hits += p["rank"] == 1
    n = max(len(per_pair), 1)
    return {"pairs": len(per_pair), "R@1": hits / n, "audio_R@1": audio_hits / n,
            "two_differences_R@1": two_hits / max(two, 1), "two_differences": two,
            "first_other_scene": other / n, "audio_first_other_scene": audio_other / n}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    w = sub.add_parser("write", help="one CSV of every scene's pairs")
    w.add_argument("root", type=Path)
    w.add_argument("--split", default="val")
    w.add_argument("--out", type=Path, required=True)
    s = sub.add_parser("summary", help="figures of main.py evaluate --json runs on the pooled CSV")
    s.add_argument("pooled", type=Path)
    s.add_argument("runs", type=Path, nargs="+")
    args = parser.parse_args(argv)
    if args.command == "write":
        print(f"{write_pooled(args.root, args.split, args.out)} pairs -> {args.out}")
        return 0
    print("| run | pairs | R@1 (audio-only) | two differences R@1 (n) | first result of another scene (audio-only) |")
    print("|---|---|---|---|---|")
    for run in args.runs:
        f = summarize(args.pooled, run)
        print(f"| {run.stem} | {f['pairs']} | {f['R@1']:.4f} ({f['audio_R@1']:.4f}) | "
              f"{f['two_differences_R@1']:.4f} ({f['two_differences']}) | {f['first_other_scene']:.4f} "
              f"({f['audio_first_other_scene']:.4f}) |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
