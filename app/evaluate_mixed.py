"""`main.py evaluate --gallery library` on a pairs file where only some rows have time ranges (trial 50).

Rows with time ranges (a moment of a long take) are ranked by moments (app.evaluate_moments), without the
moment-by-moment reranking; rows without them used to be ranked the same way then, so adding one long-take row to a
file of whole-file pairs dropped their R@1 from 12/14 to 4/14, figures no longer matching what `search` shows. Now
each kind of row is ranked as search ranks it, against the same library, and the figures are taken over both.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

import numpy as np

from app.errors import LibraryError
from app.evaluate import KS, EvalResult, Pair
from model.ranking import recall_at_k


def split_by_ranges(pairs: Sequence[Pair]) -> tuple[list[Pair], list[Pair]]:
    """(rows without time ranges, rows with them), each in file order."""
    return [p for p in pairs if not p.ranged], [p for p in pairs if p.ranged]


def merged(parts: Sequence[EvalResult]) -> EvalResult:
    """One result over several evaluations of disjoint rows against the same gallery: the per-pair ranks in file
    order, the figures over all of them, every skipped row."""
    ranks = sorted((r for part in parts for r in part.ranks), key=lambda r: r.pair.line)
    skipped = [line for part in parts for line in part.skipped]
    metrics: dict[str, float] = {"pairs": float(len(ranks)),
                                 "gallery": max((part.metrics.get("gallery", 0.0) for part in parts), default=0.0)}
    for name in ("proposed", "baseline"):
        found = np.array([_rank(getattr(r, name)) for r in ranks], dtype=np.float64)
        metrics.update({f"{name}_{key}": value for key, value in recall_at_k(found, KS).items()})
    return EvalResult(metrics, skipped, ranks)


def evaluate_both(whole: Callable[[], EvalResult], ranged: Callable[[], EvalResult],
                  cancel: threading.Event | None = None) -> EvalResult:
    """Both kinds of rows evaluated and merged; a kind whose every row was skipped leaves its reasons (LibraryError
    only when neither kind kept a row, or when ``cancel`` is set)."""
    parts, problems = [], []
    for evaluate in (whole, ranged):
        try:
            parts.append(evaluate())
        except LibraryError as exc:
            if cancel is not None and cancel.is_set():
                raise
            problems.append(exc)
    if not parts:
        raise problems[0]
    result = merged(parts)
    result.skipped += [str(exc) for exc in problems]
    return result


def _rank(rank: int | None) -> float:
    return float(rank) if rank is not None else np.inf

