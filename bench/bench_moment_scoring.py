"""Exploration: would another window score find more planted events? (set and index of bench_long_files)

    python -m bench.bench_moment_scoring                     # the default 30 x 10 min set, after bench_long_files
    python -m bench.bench_moment_scoring --gain 0.5 1 2

Scores every window of every take exactly (no HNSW) for each query of queries.csv and ranks the takes by
their best window, as app.moments does, under two scores: the app's cosine to the composed query s_q
(strength 1), and s_q + g * (s_q - s_a), which adds how much the words raised the window over the plain
audio query s_a ("text gain"). Found = the take in the top --top with its best window overlapping the
event (single windows, no merging, so the baseline differs a little from bench_long_files). Reads the
service's private query and snapshot helpers: an exploration for the ranking, not an app feature.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.moments import block_spans, overlapping_rows  # noqa: E402
from app.service import SearchService  # noqa: E402

REPO = Path(__file__).resolve().parents[1]


def take_hits(sq: np.ndarray, sa: np.ndarray, blocks, gain: float) -> list[tuple[float, int, int]]:
    """(score, block, best window) of every take, best first."""
    hits = []
    for i in range(len(blocks.ids)):
        first, n = int(blocks.first[i]), int(blocks.segments[i])
        wq, wa = sq[first + 1 : first + 1 + n], sa[first + 1 : first + 1 + n]
        if not n or not np.isfinite(wq).any():
            continue
        with np.errstate(invalid="ignore"):
            score = np.where(np.isfinite(wq), wq + gain * (wq - wa), -np.inf)
        best = int(np.argmax(score))
        hits.append((float(score[best]), i, best))
    return sorted(hits, reverse=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--set", type=Path, default=REPO / "data" / "segbench" / "long" / "set_30x600s_e4_s0")
    ap.add_argument("--gain", type=float, nargs="+", default=[0.5, 1.0, 2.0])
    ap.add_argument("--top", type=int, default=10)
    ap.add_argument("--heads", type=Path, default=None, help="heads file the set was imported with (default: shipped)")
    args = ap.parse_args(argv)
    rows = list(csv.DictReader(open(args.set / "queries.csv", newline="")))
    svc = SearchService(args.set / "index", heads_path=args.heads)
    svc.load_model()
    snap = svc._current_snapshot()
    blocks = svc.db.searchable_blocks(snap.store.version)
    matrix = np.asarray(snap.store.matrix())
    records = svc.db.records([int(i) for i in blocks.ids])
    names = [Path(records[int(i)].path).name for i in blocks.ids]
    spans = [block_spans(blocks.segments[i], blocks.tail_start[i], blocks.duration[i]) for i in range(len(names))]
    scored = []
    for row in rows:
        region = (float(row["query_start"]), float(row["query_end"])) if row.get("query_start") else None
        q, _, ref, *_ = svc._query(args.set / row["query_path"], row["text"], 1.0, region)
        a, *_ = svc._query(args.set / row["query_path"], "", 1.0, region)
        sq, sa = matrix @ q, matrix @ a
        if region is not None and ref is not None:
            sq[overlapping_rows(ref, *region)] = -np.inf  # the selection's own windows, as search leaves them out
        scored.append((row, sq, sa))
    svc.close()
    print(f"{len(rows)} queries on {len(names)} takes; found in the top {args.top} (best window overlaps the event)")
    for gain in [0.0, *args.gain]:
        found: dict[str, list[bool]] = defaultdict(list)
        for row, sq, sa in scored:
            ok = False
            for _, i, best in take_hits(sq, sa, blocks, gain)[: args.top]:
                if names[i] == Path(row["target_path"]).name:
                    start, end = spans[i][best]
                    ok = start < float(row["target_end"]) and float(row["target_start"]) < end
            found[row["kind"]].append(ok)
        label = "s_q (the app's score)" if gain == 0 else f"s_q + {gain:g} * (s_q - s_a)"
        print(f"{label:<28} " + "  ".join(f"{k} {np.mean(v):.3f}" for k, v in sorted(found.items())), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
