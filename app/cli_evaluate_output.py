"""`main.py evaluate`'s report: the metrics table, each pair's ranks (--per-pair) and the JSON (--json).

Each pair also says how its words were read (the edits the model embeds, as `search` prints them) and what the
words and the clip alone put first, so a user can see where a wording is misread or loses its target.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from app.errors import printable
from app.evaluate import EvalResult, PairRanks
from app.service_model import embedded_edits, reading_differs
from model.modifier_parser import parse_modifier


def reader_of(encoder) -> Callable[[str], list[str]]:
    """text -> the edits the encoder's heads embed (app.service_model.embedded_edits)."""
    clauses = encoder.heads.text_clauses
    return lambda text: embedded_edits(text, clauses)


COUNTS = ("pairs", "gallery", "no_words", "unknown_words", "target_copies", "query_copies", "proposed_n",  # whole
          "baseline_n")  # numbers in --json


def evaluation_json(result: EvalResult, reranked: bool, rerank_status: str,
                    read: Callable[[str], list[str]]) -> dict:
    per_pair = [{"line": r.pair.line, "query": os.fsdecode(r.pair.query), "text": r.pair.text,
                 "read_as": read(r.pair.text), "target": os.fsdecode(r.pair.target), "rank": r.proposed,
                 "audio_only_rank": r.baseline, "first": r.proposed_first, "audio_only_first": r.baseline_first}
                for r in result.ranks]
    counts = {key: int(result.metrics[key]) for key in COUNTS if key in result.metrics}  # 22, not 22.0 (trial 50)
    return result.metrics | counts | {"skipped": len(result.skipped), "reranked": reranked,
                                      "rerank_status": rerank_status, "per_pair": per_pair}


def print_pair_ranks(ranks: list[PairRanks], read: Callable[[str], list[str]]) -> None:
    """One line per pair, the worst rank with the words first: where the words lose the target, how they were read
    when that is not the text as typed, and what the words put first instead."""
    print(f"{'line':>5s} {'words':>6s} {'audio':>6s}  text [read as] -> target  |  first with the words instead")
    for r in sorted(ranks, key=lambda r: (-(r.proposed or float("inf")), r.pair.line)):
        words, audio = ("-" if rank is None else str(rank) for rank in (r.proposed, r.baseline))
        edits = read(r.pair.text)
        reading = ""
        if reading_differs(edits, r.pair.text):
            reading = " [read as " + " + ".join(f'"{printable(e)}"' for e in edits) + "]"
        unknown = [u.word for u in parse_modifier(r.pair.text).unknown] if r.pair.text else []
        reading += f" [unknown: {', '.join(map(printable, unknown))}]" if unknown else ""  # trial 59: which pair
        instead = f"  |  {printable(Path(r.proposed_first).name)}" if r.proposed != 1 and r.proposed_first else ""
        print(f"{r.pair.line:5d} {words:>6s} {audio:>6s}  {printable(r.pair.text or '(no words)')}{reading} -> "
              f"{printable(r.pair.target.name)}{instead}")
    print()


def print_metrics(metrics: dict[str, float], on_library: bool, strength: float, rerank_status: str) -> None:
    pairs, gallery = int(metrics["pairs"]), int(metrics["gallery"])
    what = ("library sound" if on_library else "target") + ("" if gallery == 1 else "s")
    print(f"{pairs} pair{'' if pairs == 1 else 's'}, gallery of {gallery} {what}, strength {strength}")
    if gallery < 10:
        print(f"note: only {gallery} {what} to rank among, so every R@K with K >= {gallery} is 1.000; rank against "
              "more with --gallery library")
    bare = int(metrics.get("no_words", 0))
    if bare:
        print(f"note: {bare} pair{' has' if bare == 1 else 's have'} no words: ranked as audio only in both rows")
    unknown = int(metrics.get("unknown_words", 0))
    if unknown:  # trials 57 and 58: "add a kettle" scored with nothing said
        whose = "pair's" if unknown == 1 else "pairs'"
        print(f"note: {unknown} {whose} words name a sound Nudge does not know (--per-pair "
              "shows how each was read; search names the nearest known sounds)")
    copies = int(metrics.get("target_copies", 0))
    if copies:
        print(f"note: {copies} target{' has' if copies == 1 else 's have'} a copy in the gallery (the same audio "
              "under another name): a copy counts as its target, never as a result above it")
    of_query = int(metrics.get("query_copies", 0))
    if of_query:
        print(f"note: {of_query} quer{'y has' if of_query == 1 else 'ies have'} a copy in the gallery (the same audio "
              "under another name, or the same name in another format or rate): left out of its ranking, as search "
              "leaves it out")
    print(f"with words: {rerank_status}")
    print(f"{'':11s} {'R@1':>6s} {'R@5':>6s} {'R@10':>6s} {'MRR':>6s}")
    for name, label in (("proposed", "with words"), ("baseline", "audio only")):  # trial 55: "proposed / baseline"
        cells = " ".join(f"{metrics[f'{name}_{key}']:6.3f}" for key in ("R@1", "R@5", "R@10", "MRR"))
        print(f"{label:11s} {cells}")
    print("R@K: the share of pairs whose target is among the first K results; MRR: the mean of 1 / its rank")
