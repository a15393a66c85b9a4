"""What `main.py search` prints: the ranked lines (match, ^ / v marks, moment range) with their notes on stderr,
or the --json document (score, match, stand_out, start/end per result)."""

from __future__ import annotations

import copy
import math
import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from app.errors import printable
from app.no_results import no_results
from app.same_audio import QUERY_RANK, fold_copies
from app.service_model import reading_lead
from app.timefmt import clock  # to a tenth as the app: a printed range given back to --more-like marks its moment

STANDS_OUT = "^"  # after a result's match: a moment scored above its cosine for standing out from its take
LOWERED = "v"  # ... a take scored below its cosine for lacking the query's sound
MOVED_UP = "*"  # ... moved up for holding a sound the words add (app.heard_edits), whatever its cosine
MOVED_DOWN = "_"  # ... moved down for still holding a sound the words remove (app.heard_edits)


def words_left_in_place(svc, args, results: list, **search) -> int | None:
    """How many first results the words of a first page left in place (service.unchanged_by_words with the
    search's own arguments ``search``); None at strength 0 or past the first page (nothing to compare)."""
    if args.strength <= 0 or args.offset != 0:
        return None
    return svc.unchanged_by_words(results, args.query, args.modify, exclude_query=not args.include_query, **search)


COPIES_ARE = "the same audio under another name or in another folder, or the same name in another format or rate"


def no_results_reason(counts, scoped: bool, query_excluded: bool, folder: Path | None = None,
                      inside: tuple[str, int, list[str]] = ("", 0, [])) -> str:
    """Why a search found nothing, in commands (app.no_results)."""
    return no_results(counts, scoped, query_excluded, folder, inside).for_cli()


def offset_reason(svc: Any, args: Any, **search: Any) -> str:
    """Why a search with --offset found nothing when it finds something from its first result; "" otherwise."""
    if args.offset <= 0 or args.moments is not None or not svc.search(
            args.query, args.modify, args.strength, 1, exclude_query=not args.include_query, **search):
        return ""
    return f"no results after the first {args.offset}: the search finds no more (--offset skips that many)"


def print_results(results: list, edits: list[str], messages: list[str], listing_moments: bool,
                  empty: str = "", fold: bool = True, in_order: int = 0) -> None:
    """The text output: the modifier's reading (``edits``: app.service's reading_to_show) and notes on stderr, one
    line per result on stdout.
    empty: why there is no result (no_results_reason), printed when there is none; ``fold``: copies folded into
    the first result of their audio (folded_rows), as the app does; ``in_order``: how many first results the words
    left as they were without them (words_left_in_place): rows the reranker placed within them are not said to be
    ordered other than by match (trial 58: "changed little" beside "not by match alone")."""
    found, moves = bool(results), getattr(results, "heard_moves", None)
    listed = sum(bool(r.moved_up) for r in results)  # copies folded in below are listed too (trial 52)
    if fold and not listing_moments:
        results, said = folded_rows(results)
        messages = [*messages, said] if said else messages
    nothing_read = any(m.startswith("no edit read") for m in messages)  # parts kept as typed are no edits
    if len(edits) > 1:  # the reading first: the notes after it may depend on it ("dog on its own: ...")
        print(f"modifier {reading_lead(edits, nothing_read)}: " + " + ".join(f'"{e}"' for e in edits), file=sys.stderr)
    elif edits:
        print(f'modifier read as "{edits[0]}"', file=sys.stderr)
    for message in messages:
        print(message, file=sys.stderr)
    if not found:
        print(empty or "no results", file=sys.stderr)
    for r in results:
        where = f"{clock(r.start)}-{clock(r.end)}  " if r.end is not None else ""
        more = f"  ({r.moments_note})" if r.moments_note and not listing_moments else ""
        more += f"  ({r.same_audio_note})" if r.same_audio_note else ""
        more += f"  (+{len(r.copies)} cop{'y' if len(r.copies) == 1 else 'ies'}: " \
                f"{', '.join(printable(str(p)) for p in r.copies)})" if r.copies else ""
        more += "  (changed on disk since the import)" if r.changed else ""
        more += "  (imported in part: status --failures says why)" if r.imported_in_part else ""
        mark = STANDS_OUT if stand_out(r) > 0 else LOWERED if stand_out(r) < 0 else MOVED_UP if r.moved_up else \
            MOVED_DOWN if getattr(r, "moved_down", False) else " "
        print(f"{r.rank:3d}  {match_of(r):+.3f}{mark} {where}{printable(r.record.display)}{more}")
    close = max(1, results[0].moments) if listing_moments and results else 0
    if 0 < close < len(results):  # trial 52: a search printed "(5 moments)" and --moments listed 7
        which = "the first matches" if close == 1 else f"the first {close} match"
        print(f"{which} about as well as the best (a search's \"({close} moment{'s' if close > 1 else ''})\"), the "
              "others less", file=sys.stderr)
    if any(stand_out(r) > 0 for r in results):
        print(f"{STANDS_OUT} a long take's moment, scored above its match (the figure shown) for how far it stands out "
              "from the rest of its take; --json gives score, match and stand_out", file=sys.stderr)
    marked = sum(bool(r.moved_up and not stand_out(r)) for r in results)
    if marked:
        later = bool(results) and results[0].rank > 1  # trial 56: a later page (--offset) cannot count the pages before
        more = moves.up - listed if moves is not None and not later else 0  # trial 51: "14 ... moved up" over 5 rows
        print(f"{MOVED_UP} moved up for holding a sound the words add or change the level of (Nudge hears it clearly "
              "or its name says it): by its match alone it would rank lower" + (f"; {more} more of those moved up "
                                                              f"{'is' if more == 1 else 'are'} further down (--top)"
                                                              if more > 0 else ""), file=sys.stderr)
    if any(getattr(r, "moved_down", False) and not stand_out(r) for r in results):
        print(f"{MOVED_DOWN} moved down for still holding a sound the words remove (Nudge hears it clearly): by its "
              "match alone it would rank higher", file=sys.stderr)
    reranked = [r.rank for r in results if r.reranked]
    if reranked and reranked[-1] > in_order:
        which = ("the first result is" if reranked == [1] else
                 f"the first {len(reranked)} results are" if reranked[0] == 1 else
                 f"results {reranked[0]}-{reranked[-1]} are" if len(reranked) > 1 else f"result {reranked[0]} is")
        print(f"{which} ordered by reading the words' edits moment by moment against the query, not by match alone "
              "(--no-rerank: by match)", file=sys.stderr)
    if any(stand_out(r) < 0 for r in results):
        print(f"{LOWERED} a long take scored below its match: the take as a whole holds less of the sound the query "
              "asks for (as Nudge hears it), and the moment does not stand out enough to make up for it; --json gives "
              "score, match and stand_out",
              file=sys.stderr)


def rows_filled(results: Any, top: int, find: Any, offset: int = 0) -> Any:
    """The page with as many more results as copies get folded into its rows, so ``top`` rows print (trial 52: --top
    10 printed 9 rows with a copy folded in); ``find(top_k=n, offset=k)``: the same search for n results from k. The
    page as it was when nothing is folded or the search finds no more. A later page (``offset``) is the rows after the
    first ``offset`` folded rows, so pages neither repeat nor skip one (trial 53)."""
    if offset > 0:
        wanted = offset + 2 * top
        while True:  # enough folded rows for the page, or the whole ranking
            whole = find(top_k=wanted, offset=0)
            kept = fold_copies(list(whole))[0]
            if len(kept) >= offset + top or len(whole) < wanted:
                break
            wanted *= 2
        if len(kept) == len(whole):  # nothing folded up to the page's end: the page as it came
            return results
        page = copy.copy(whole)  # its notes and marks (ResultPage's attributes) kept
        page[:] = kept[offset: offset + top]
        return page
    if len(results) < top:
        return results
    more = find(top_k=top + max(top, 20))  # looked ahead: a version ranked below the page can be the original that
    kept, folded = fold_copies(list(more))  # stands for one on it (trial 59: --top 6 showed dog3.mp3 alone)
    if not folded:
        return results
    members = {p for row in kept[:top] for p in (row.path, *row.copies)}
    last = max(r.rank for r in more if r.path in members)
    page = copy.copy(more)  # its notes and marks (ResultPage's attributes) kept
    page[:] = [r for r in more if r.path in members or (r.same_as == QUERY_RANK and r.rank <= last)]
    return page


def folded_rows(results: list) -> tuple[list, str]:
    """The rows to print with the copies of a better result or of the query sound folded in (app.same_audio's
    fold_copies; trial 51: 4 of 10 rows were copies, and a copy of the query came first) and the line saying so ("" when
    none was)."""
    kept, folded = fold_copies(list(results))
    if not folded:  # numbered 1, 2, 3 ... even where the page left out a copy its lead below stands for (trial 60)
        first = min((r.rank for r in kept), default=1)
        return [replace(r, rank=number) for number, r in enumerate(kept, first)], ""
    of_query = folded - sum(len(r.copies) for r in kept)
    into = [f"#{r.rank}" for r in kept if r.copies]
    parts = [f"{folded - of_query} {'copy' if folded - of_query == 1 else 'copies'} ({COPIES_ARE}) folded into "
             f"{', '.join(into)}"] if into else []
    parts += [f"{of_query} {'copy' if of_query == 1 else 'copies'} of the query sound left out"] if of_query else []
    return kept, "; ".join(parts) + " (--copies lists them as rows of their own)"


def search_json(args, scope, query_range: tuple[float, float] | None, edits: list[str], unknown: list[dict],
                untrained: list, more_like: list, less_like: list, results: list) -> dict:
    """The --json document of a search."""
    by_sound = args.query is not None
    mode = "sound" if by_sound else "words" if args.modify.strip() else "keyword"
    return {
        "query": os.fsdecode(args.query) if by_sound else None, "mode": mode, "modify": args.modify, "edits": edits,
        "unknown": unknown, "untrained": untrained, "strength": args.strength, "scope": scope.describe(),
        "query_range": list(query_range) if query_range else None,
        "more_like": [mark_json(m) for m in more_like], "less_like": [mark_json(m) for m in less_like],
        "reranked": any(r.reranked for r in results), "results": [result_json(r) for r in results],
        "left_out_gone": getattr(results, "left_out", 0),  # hits whose files are gone since the import
        "left_out_offline": getattr(results, "offline", 0),  # ... in a library folder not on disk now (a trial)
        "lowered_out_of_view": getattr(results, "lowered_out", 0),  # long takes the words lowered out of the results
        "lowered_takes": [os.fsdecode(p) for p in getattr(results, "lowered_files", ())],  # ... the first of them
        **moved_json(getattr(results, "heard_moves", None)),  # moved for holding a sound the words add or remove
    }


def moved_json(moved) -> dict:
    """The first results moved up for holding a sound the words add, and below the others for still holding one they
    remove (app.heard_edits): {"moved_up": {"count", "sounds"}, "moved_below": {...}}."""
    up, up_sounds = (moved.up, list(moved.up_sounds)) if moved is not None else (0, [])
    down, down_sounds = (moved.down, list(moved.down_sounds)) if moved is not None else (0, [])
    return {"moved_up": {"count": up, "sounds": up_sounds}, "moved_below": {"count": down, "sounds": down_sounds}}


def match_of(r) -> float:
    """The result's plain cosine to the query (SearchResult.plain_match)."""
    return r.plain_match


def stand_out(r) -> float:
    """What the ranking adds to the cosine (SearchResult.ranking_shift: > 0 stands out, < 0 lowered, 0 plain)."""
    return r.ranking_shift


def mark_json(mark) -> dict:
    return {"path": os.fsdecode(mark.path), "start": mark.start if mark.end is not None else None, "end": mark.end}


def result_json(r) -> dict:
    """One result: ``start``/``end`` in seconds (a whole-file match ends at the file's duration); ``score`` ranks,
    ``match`` is the cosine to the query, ``stand_out`` score - match (a long take's moment standing out: > 0; a
    take lowered for lacking the query's sound: < 0); ``reranked``: placed by reading the edits moment by moment
    (app.rerank), so its rank need not follow ``score``; ``same_as``: the rank of a better result with the same audio
    (a copy under another name or folder), "query" for a copy of the query sound, else null; ``moved_up``: moved up
    for holding a sound the words add, ``moved_down`` down for still holding one they remove (app.heard_edits)."""
    end = r.end if r.end is not None else r.record.duration
    match = match_of(r)
    return {"rank": r.rank, "score": round(r.score, 6) if math.isfinite(r.score) else None,
            "match": round(match, 6) if math.isfinite(match) else None, "stand_out": round(stand_out(r), 6),
            "path": os.fsdecode(r.path), "duration": r.record.duration, "start": round(r.start, 3),
            "end": round(end, 3) if end is not None else None, "whole_file": r.end is None, "moments": r.moments,
            "reranked": r.reranked, "same_as": "query" if r.same_as == QUERY_RANK else r.same_as,
            "same_version": r.same_version, "moved_up": r.moved_up, "moved_down": r.moved_down,
            "changed_since_import": r.changed, "imported_in_part": r.imported_in_part}
