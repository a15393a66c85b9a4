"""Does the text override the clip, as the app ranks? Top-1 results from another clip's family, words vs audio only.

Issue 12 reports, on an independent set and with the first release's heads, that the number of top-1 results that
are unrelated clips rose by a third with the text. `training.pilots.top1_family` measures that on cosine ranks of
cached features; this reads what the app itself put first (`main.py evaluate --json`: each pair's `first` and
`audio_only_first`, reordered as search orders them), per scene:

    python main.py --data-dir $(mktemp -d) evaluate data/ood/<scene>/pairs.csv --json > DIR/<scene>.json
    python -m training.top1_family_app data/ood/*/pairs.csv --ranks-dir DIR

A family is a clip a and its edited versions (``family``). Reported per scene and overall: the share of pairs whose
first result is from another family, with the words and audio only, R@1 of one- and two-difference pairs, and R@1
of the pairs whose clip has several versions in the scene's gallery, per difference kind (a two-difference pair
counts in both).
Reads each pairs file's diff_types column only (never its texts).
"""

from __future__ import annotations

import argparse
import csv
import json
import re
from collections import defaultdict
from pathlib import Path

SPLITS = ("train", "dev", "val", "eval")
_VERSION = re.compile(r"_(?:a|b\d*)$")


def family(clip: str) -> str:
    """'rain/eval/audio/000/rain_eval_f000000_b0.flac' -> 'rain_eval_f000000'."""
    return _VERSION.sub("", Path(clip).stem)


def scene_name(pairs_file: Path) -> str:
    """data/ood/rain/pairs.csv -> rain; data/pairs_v2_fresh3/rain/val/pairs.csv -> rain."""
    folder = pairs_file.parent
    return folder.parent.name if folder.name in SPLITS else folder.name


def scene_rows(pairs_file: Path, ranks_dir: Path) -> list[dict]:
    """One record per ranked pair: other-family flags (words, audio only), R@1 flags, versions, difference kinds."""
    ranked = json.loads((ranks_dir / f"{scene_name(pairs_file)}.json").read_text())["per_pair"]
    with open(pairs_file, newline="") as f:
        kinds = {line: [d.split(":")[0] for d in row["diff_types"].split("|") if d]
                 for line, row in enumerate(csv.DictReader(f), start=2)}
    versions: dict[str, int] = defaultdict(int)
    for target in {p["target"] for p in ranked}:
        versions[family(target)] += 1
    out = []
    for p in ranked:
        own = family(p["query"])
        out.append({
            "other_words": p["first"] is not None and family(p["first"]) != own,
            "other_audio": p["audio_only_first"] is not None and family(p["audio_only_first"]) != own,
            "hit_words": p["rank"] == 1, "hit_audio": p["audio_only_rank"] == 1,
            "several": versions[own] > 1, "kinds": kinds[p["line"]],
        })
    return out


def _share(rows: list[dict], key: str) -> float:
    return sum(r[key] for r in rows) / max(len(rows), 1)


def table(pairs_files: list[Path], ranks_dir: Path) -> list[str]:
    by_scene = {scene_name(f): scene_rows(f, ranks_dir) for f in pairs_files}
    by_scene["all"] = [r for rows in by_scene.values() for r in rows]
    lines = ["| scene | pairs | first from another family, words / audio only | R@1 words / audio only "
             "| R@1 with words, one / two differences |", "|---|---|---|---|---|"]
    for scene, rows in by_scene.items():
        one, two = ([r for r in rows if len(r["kinds"]) == n] for n in (1, 2))
        lines.append(f"| {scene} | {len(rows)} | {_share(rows, 'other_words'):.3f} / {_share(rows, 'other_audio'):.3f} "
                     f"| {_share(rows, 'hit_words'):.3f} / {_share(rows, 'hit_audio'):.3f} "
                     f"| {_share(one, 'hit_words'):.3f} / {_share(two, 'hit_words'):.3f} ({len(one)} / {len(two)}) |")
    several = [r for r in by_scene["all"] if r["several"]]
    lines += ["", f"R@1 of pairs whose clip has several versions in the gallery ({len(several)} of "
              f"{len(by_scene['all'])}), words / audio only:", "",
              "| difference | pairs | R@1 words / audio only |", "|---|---|---|"]
    for kind in sorted({k for r in several for k in r["kinds"]}):
        rows = [r for r in several if kind in r["kinds"]]  # a pair with two differences of one kind counts once
        lines.append(f"| {kind} | {len(rows)} | {_share(rows, 'hit_words'):.3f} / {_share(rows, 'hit_audio'):.3f} |")
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pairs", nargs="+", type=Path, help="pairs.csv files (a diff_types column), one per scene folder")
    ap.add_argument("--ranks-dir", type=Path, required=True, help="<scene>.json from main.py evaluate --json")
    args = ap.parse_args(argv)
    print("\n".join(table(args.pairs, args.ranks_dir)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
