"""More like this on a moment of a long take vs on the whole take (figures printed, nothing asserted).

    python -m bench.bench_feedback_moments [--heads H]

The library is the long-file screenshot's (docs/make_screenshot.py --long-file): the demo clips but two
thunder clips, and a 10-minute rain take with those thunder clips planted at 6:00. The query rain_02.ogg is
searched with "add thunder": the take comes back as its thunder moment. A user who hears thunder there
marks it "+ More like this"; the search then runs again with the words (and once without them) and with
the mark as the moment (the app now) or as the whole take (before: its whole-file vector, mostly rain).
Printed per run: where the other thunder clips rank (the first one, how many in the top 5 / 10, their
mean rank) among the short clips.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from app.service import FeedbackMark, SearchService
from bench import long_take_library as shot

ROOT = Path(__file__).resolve().parents[1]


def thunder_ranks(results, take: Path) -> list[int]:
    """Ranks (1 = best) of the thunder clips among the results other than the take."""
    others = [r for r in results if r.path != take]
    return [i + 1 for i, r in enumerate(others) if "thunder" in r.path.name]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--heads", type=Path, default=ROOT / "assets" / "nudge_heads.safetensors")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        library, query = shot.build_long_library(Path(tmp) / "library")
        take = library / shot.LONG_TAKE
        with SearchService(Path(tmp) / "data", heads_path=args.heads) as svc:
            svc.import_folders([library])
            found = next(r for r in svc.search(query, "add thunder", top_k=50) if r.path == take)
            print(f"{take.name} for rain_02.ogg + \"add thunder\": rank {found.rank}, moment "
                  f"{found.start:.1f}-{found.end} s (thunder planted at {shot.PLANTED_AT:.0f} s)")
            marks = {"no mark": [], "whole take marked": [FeedbackMark(take)],
                     "its moment marked": [FeedbackMark.of(found)]}
            print(f"{'words':<14} {'feedback':<20} {'first':>5} {'top5':>5} {'top10':>6} {'mean rank':>10}")
            for text in ("add thunder", ""):
                for label, more in marks.items():
                    ranks = thunder_ranks(svc.search(query, text, top_k=50, more_like=more), take)
                    top5, top10 = sum(r <= 5 for r in ranks), sum(r <= 10 for r in ranks)
                    mean = sum(ranks) / len(ranks)
                    print(f"{text or '(none)':<14} {label:<20} {ranks[0]:>5} {top5:>3}/{len(ranks)} "
                          f"{top10:>3}/{len(ranks)} {mean:>10.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
