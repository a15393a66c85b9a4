"""A pairs CSV ranked the way search ranks: each pair's target among the CSV's targets, as the app's search lists them.

    python -m bench.bench_search_pairs data/ood/rain/pairs.csv [more CSVs ...] [--json OUT.json]

`main.py evaluate` ranks the targets by their whole-file vectors. Search ranks the files of a library: files over
14.4 s are stored cut into windows and ranked as long takes, copies are folded, and the first results are reordered
by the rules of app.rerank. This bench imports each CSV's targets as a library (symbolic links in a temporary
folder), searches with every pair's query file and words (and with no words: audio-only), and reports where the
target lands among the first --top results (beyond them: not found). Per CSV: R@1/5/10 with words and audio-only,
queries up to and over 14.4 s, one and two differences, and each difference type (the CSV's diff_types column);
and how long a search with words took: the first after the import (the model loaded and warmed up) and the median.
"""

from __future__ import annotations

import argparse
import csv
import json
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np

from app.config import IndexConfig
from app.service import SearchService
from model.segments import SHORT_FILE_SECONDS


def pair_paths(row: dict, base: Path) -> tuple[Path, Path]:
    query = row.get("query_path") or row["a_path"]
    target = row.get("target_path") or row["b_path"]
    return (base / query).resolve(), (base / target).resolve()


def read_rows(csv_path: Path, limit: int = 0) -> list[dict]:
    """The CSV's rows (the first ``limit`` of them; 0: all)."""
    with open(csv_path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return rows[:limit] if limit > 0 else rows


def link_files(files: Iterable[Path], library: Path) -> dict[Path, Path]:
    """Each distinct file linked into ``library`` under a name of its own; file -> its link."""
    links: dict[Path, Path] = {}
    for file in files:
        if file not in links:
            links[file] = library / f"{len(links):05d}_{file.name}"
            links[file].symlink_to(file)
    return links


def rank_of(service: SearchService, query: Path, words: str, name: str, top: int) -> tuple[int | None, float]:
    """The target's rank (None: beyond ``top``) and the search's seconds."""
    started = time.perf_counter()
    names = [Path(r.path).name for r in service.search(query, words, top_k=top)]
    return (names.index(name) + 1 if name in names else None), time.perf_counter() - started


def rank_pairs(csv_path: Path, top: int, config: IndexConfig) -> list[dict]:
    """Per pair: its rank with words and audio-only (None: beyond ``top``), the query's length and its differences."""
    rows, base = read_rows(csv_path), csv_path.parent
    with tempfile.TemporaryDirectory(prefix="nudge_search_pairs_") as tmp:
        library = Path(tmp) / "library"
        library.mkdir()
        names = {t: link.name for t, link in link_files((pair_paths(r, base)[1] for r in rows), library).items()}
        service = SearchService(Path(tmp) / "data", config=config)
        try:
            service.load_model()
            service.import_folders([library])
            service.warm_up()
            out = []
            for row in rows:
                query, target = pair_paths(row, base)
                rank, took = rank_of(service, query, row["text"], names[target], top)
                out.append({
                    "pair_id": row.get("pair_id", ""),
                    "rank": rank,
                    "audio_only_rank": rank_of(service, query, "", names[target], top)[0],
                    "seconds": float(row.get("a_duration") or "nan"),
                    "diff_types": [d for d in (row.get("diff_types") or "").split("|") if d],
                    "search_seconds": took,
                })
        finally:
            service.close()
    return out


def recall(ranks: list[int | None], k: int) -> float:
    return sum(r is not None and r <= k for r in ranks) / max(1, len(ranks))


def summary_lines(name: str, pairs: list[dict]) -> list[str]:
    groups: dict[str, list[dict]] = defaultdict(list)
    for p in pairs:
        groups["all"].append(p)
        groups[f"query over {SHORT_FILE_SECONDS:g} s" if p["seconds"] > SHORT_FILE_SECONDS else
               f"query up to {SHORT_FILE_SECONDS:g} s"].append(p)
        if p["diff_types"]:
            groups["two differences" if len(p["diff_types"]) > 1 else "one difference"].append(p)
        for d in p["diff_types"]:
            groups[d.split(":")[0]].append(p)
    took = [p["search_seconds"] for p in pairs if "search_seconds" in p]
    lines = [f"{name}" + (f": a search with words {1000 * took[0]:.0f} ms the first after the import, median "
                          f"{1000 * float(np.median(took)):.0f} ms" if took else "")]
    first = ["all", "one difference", "two differences", f"query up to {SHORT_FILE_SECONDS:g} s",
             f"query over {SHORT_FILE_SECONDS:g} s"]
    for group in [g for g in first if g in groups] + sorted(g for g in groups if g not in first):
        members = groups[group]
        words = [p["rank"] for p in members]
        alone = [p["audio_only_rank"] for p in members]
        lines.append(f"  {group:22s} n={len(members):4d}  R@1 {recall(words, 1):.3f} (audio-only "
                     f"{recall(alone, 1):.3f})  R@5 {recall(words, 5):.3f}  R@10 {recall(words, 10):.3f} "
                     f"(audio-only {recall(alone, 10):.3f})")
    return lines


def pair_set_arguments(ap: argparse.ArgumentParser) -> None:
    """The pairs CSVs and the setting compared (this bench's and bench.bench_search_refine's)."""
    ap.add_argument("csv", type=Path, nargs="+", help="pairs CSVs (query_path or a_path, text, target_path or b_path)")
    ap.add_argument("--versions-whole", choices=("on", "off"), default=None,
                    help="IndexConfig.versions_whole (default: the app's)")


def config_of(args: argparse.Namespace) -> IndexConfig:
    return IndexConfig() if args.versions_whole is None else IndexConfig(versions_whole=args.versions_whole == "on")


def run_per_csv(paths: list[Path], run: Callable[[Path], list[dict]], summary: Callable[[str, list[dict]], str],
                json_path: Path | None) -> None:
    """``run`` on each CSV, its ``summary`` printed as it ends (and all CSVs' pooled), every row kept in ``json_path``
    (this bench's and bench.bench_search_refine's)."""
    every: dict[str, list[dict]] = {}
    for path in paths:
        started = time.perf_counter()
        every[str(path)] = run(path)
        print(summary(f"{path} ({time.perf_counter() - started:.0f} s)", every[str(path)]), flush=True)
    if len(paths) > 1:
        print(summary("all CSVs pooled", [row for rows in every.values() for row in rows]))
    if json_path is not None:
        json_path.write_text(json.dumps(every, indent=1), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    pair_set_arguments(ap)
    ap.add_argument("--top", type=int, default=100, help="results read per search (default 100)")
    ap.add_argument("--json", type=Path, default=None, help="write every pair's ranks here")
    args = ap.parse_args(argv)
    config = config_of(args)
    run_per_csv(args.csv, lambda path: rank_pairs(path, args.top, config),
                lambda name, pairs: "\n".join(summary_lines(name, pairs)), args.json)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
