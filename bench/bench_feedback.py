"""How much one round of "more like this / less like this" on the top 10 raises R@1 (pairs CSV).

    python -m bench.bench_feedback [--pairs assets/demo_library/demo_pairs.csv] [--heads H]

For each pair: search the pair's library folder with query + modifier; a simulated user looks at the
top 10 and marks + every result of the target's family (the file name without its trailing number,
e.g. rain_with_thunder_02 -> rain_with_thunder) other than the target, and - every other result;
then the search runs again with those marks (Rocchio on the composed query, model.feedback). Marked
files are taken out of both rankings (residual ranking, the usual way to score relevance feedback), so
R@k counts only what the marks did for the target, not the marked files themselves. The full
rankings (marked files kept) are printed too.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.evaluate import read_pairs  # noqa: E402
from app.service import SearchService  # noqa: E402
from model.encoder import NudgeEncoder  # noqa: E402


def family(path: Path) -> str:
    return re.sub(r"_\d+$", "", Path(path).stem)


def recall(ranked: list[Path], target: Path, k: int) -> float:
    return float(target in ranked[:k])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pairs", type=Path, default=ROOT / "assets" / "demo_library" / "demo_pairs.csv")
    parser.add_argument("--heads", type=Path, default=None)
    parser.add_argument("--shown", type=int, default=10, help="results the user looks at and marks")
    args = parser.parse_args(argv)
    pairs = read_pairs(args.pairs)
    encoder = NudgeEncoder(args.heads)  # None: $NUDGE_HEADS or the shipped heads
    totals = {f"{name}{view}": [0.0, 0.0] for view in ("", " (full)") for name in ("before", "after", "plus only")}
    marks_made = 0
    with tempfile.TemporaryDirectory() as tmp, SearchService(Path(tmp), encoder=encoder) as svc:
        svc.import_folders([args.pairs.parent])
        everything = svc.counts().indexed
        for pair in pairs:
            base = [r.path for r in svc.search(pair.query, pair.text, top_k=everything)]
            shown = base[: args.shown]
            plus = [p for p in shown if family(p) == family(pair.target) and p != pair.target]
            minus = [p for p in shown if family(p) != family(pair.target)]
            marked = set(plus) | set(minus)
            marks_made += len(marked)
            runs = {"before": base,
                    "after": [r.path for r in svc.search(pair.query, pair.text, top_k=everything,
                                                         more_like=plus, less_like=minus)],
                    "plus only": [r.path for r in svc.search(pair.query, pair.text, top_k=everything,
                                                             more_like=plus)]}
            for name, ranked in runs.items():
                residual = [p for p in ranked if p not in marked]
                for key, order in ((name, residual), (f"{name} (full)", ranked)):
                    totals[key][0] += recall(order, pair.target, 1)
                    totals[key][1] += recall(order, pair.target, 5)
    n = len(pairs)
    print(f"{n} pairs, {everything} library files, top {args.shown} marked "
          f"({marks_made / n:.1f} marks per pair on average); residual ranking")
    for name, (r1, r5) in totals.items():
        print(f"  {name:17s} R@1 {r1 / n:.3f}  R@5 {r5 / n:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
