"""How much one round of "more like this / less like this" raises R@1 (pairs CSV), and how the reranker should
weigh its evidence once results are marked (IndexConfig.marked_evidence).

    python -m bench.bench_feedback [--pairs assets/demo_library/demo_pairs.csv ...] [--heads H]
        [--like family|labels] [--marked-evidence 1 0.5 0.25 0]

For each pair: search the pair's library folder (the CSV's folder) with query + modifier; a simulated user looks
at the top 10 and marks. Who is "like the target": ``--like family``, a result of the target's family (the file
name without its trailing number, e.g. rain_with_thunder_02 -> rain_with_thunder); ``--like labels``, a result
whose sound events and levels (the pairs' labels_a / labels_b columns) equal the target's. Two users:
  all 10   marks + every such result other than the target and - every other result of the top 10;
  one +    marks + only the best-ranked such result (the GUI's "+ More like this" on one row); its rank
           before and after the mark is printed too.
Then the search runs again with the marks (Rocchio on the composed query, model.feedback; the reranker's evidence
weighted by each --marked-evidence value). Marked files are taken out of both rankings (residual ranking, the usual
way to score relevance feedback), so R@k counts only what the marks did for the target; the full rankings (marked
files kept) are printed too.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.config import IndexConfig  # noqa: E402
from app.evaluate import read_pairs  # noqa: E402
from app.service import SearchService  # noqa: E402
from model.encoder import NudgeEncoder  # noqa: E402


def family(path: Path) -> str:
    return re.sub(r"_\d+$", "", Path(path).stem)


def recall(ranked: list[Path], target: Path, k: int) -> float:
    return float(target in ranked[:k])


def file_labels(pairs_csv: Path) -> dict[Path, str]:
    """Each clip's labels (events and levels) from the pairs' labels_a / labels_b columns."""
    found: dict[Path, str] = {}
    with open(pairs_csv, newline="") as f:
        for row in csv.DictReader(f):
            for side in ("a", "b"):
                found[(pairs_csv.parent / row[f"{side}_path"]).resolve()] = row[f"labels_{side}"]
    return found


def measure(svc: SearchService, pairs_csv: Path, like: str, scales: list[float], shown: int,
            max_pairs: int | None = None) -> tuple[dict[str, list], dict[str, list[int]]]:
    """name -> [R@1 sum, R@5 sum, pairs] over the CSV's pairs (its first ``max_pairs``); and the marked result's
    ranks in the one + runs."""
    pairs = read_pairs(pairs_csv)[:max_pairs]
    labels = file_labels(pairs_csv) if like == "labels" else {}

    def similar(path: Path, target: Path) -> bool:
        if like == "family":
            return family(path) == family(target)
        return labels.get(Path(path).resolve()) == labels.get(Path(target).resolve())

    everything = svc.counts().indexed
    totals: dict[str, list] = {}
    moved: dict[str, list[int]] = {}  # the one + result's rank before and after its mark

    def add(name: str, ranked: list[Path], marked: set[Path], target: Path) -> None:
        residual = [p for p in ranked if p not in marked]
        for key, order in ((name, residual), (f"{name} (full)", ranked)):
            row = totals.setdefault(key, [0.0, 0.0, 0])
            row[0] += recall(order, target, 1)
            row[1] += recall(order, target, 5)
            row[2] += 1

    def ranked(pair, **marks) -> list[Path]:
        return [r.path for r in svc.search(pair.query, pair.text, top_k=everything, **marks)]

    for pair in pairs:
        base = ranked(pair)
        top = base[:shown]
        plus = [p for p in top if similar(p, pair.target) and p != pair.target]
        minus = [p for p in top if not similar(p, pair.target)]
        add("before", base, set(plus) | set(minus), pair.target)
        add("before, one + left out", base, set(plus[:1]), pair.target)
        if plus:
            moved.setdefault("before", []).append(base.index(plus[0]) + 1)
        for scale in scales:
            svc.config.marked_evidence = scale
            add(f"all 10, evidence x{scale:g}", ranked(pair, more_like=plus, less_like=minus), set(plus) | set(minus),
                pair.target)
            after = ranked(pair, more_like=plus[:1]) if plus else base
            add(f"one +, evidence x{scale:g}", after, set(plus[:1]), pair.target)
            if plus:
                moved.setdefault(f"one +, evidence x{scale:g}", []).append(after.index(plus[0]) + 1)
    return totals, moved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pairs", type=Path, nargs="+",
                        default=[ROOT / "assets" / "demo_library" / "demo_pairs.csv"])
    parser.add_argument("--heads", type=Path, default=None)
    parser.add_argument("--shown", type=int, default=10, help="results the user looks at and marks")
    parser.add_argument("--like", choices=("family", "labels"), default="family")
    parser.add_argument("--marked-evidence", type=float, nargs="+", default=[IndexConfig().marked_evidence])
    parser.add_argument("--max-pairs", type=int, default=None, help="only each CSV's first pairs (the whole folder "
                        "is still the library)")
    args = parser.parse_args(argv)
    encoder = NudgeEncoder(args.heads)  # None: $NUDGE_HEADS or the shipped heads
    for pairs_csv in args.pairs:
        with tempfile.TemporaryDirectory() as tmp, SearchService(Path(tmp), encoder=encoder) as svc:
            svc.import_folders([pairs_csv.parent])
            totals, moved = measure(svc, pairs_csv, args.like, args.marked_evidence, args.shown, args.max_pairs)
            n = totals["before"][2]
            print(f"{pairs_csv}: {n} pairs, {svc.counts().indexed} library files, top {args.shown} looked at, "
                  f"like = {args.like}; residual ranking (marked files left out), then full")
            for name, (r1, r5, count) in sorted(totals.items(), key=lambda kv: kv[0].endswith("(full)")):
                print(f"  {name:34s} R@1 {r1 / count:.3f}  R@5 {r5 / count:.3f}")
            for name, ranks in moved.items():
                print(f"  the one + result, {name:25s} mean rank {sum(ranks) / len(ranks):.2f}, first in "
                      f"{sum(r == 1 for r in ranks)} of {len(ranks)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
