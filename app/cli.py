"""Command line: index folders, search, evaluate on pairs, library status. No Qt is imported here."""

from __future__ import annotations

import argparse
import json
import logging
import math
import os
import signal
import sqlite3
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from app.db import damaged_message
from app.errors import NudgeError, describe_path, printable

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_CANCELLED = 0, 1, 2, 130
STANDS_OUT = "^"  # after a result's match: a moment ranked above its cosine for standing out from its take
LOWERED = "v"  # ... a take ranked below its cosine for lacking the query's sound
STAND_OUT_MIN = 0.005  # score above the cosine by less than this: a plain match


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="main.py",
        description="Nudge: find a sound by example, then nudge it. Without a command, opens the app "
        "(python main.py [--data-dir DIR] [--heads FILE] [--no-audio] [--no-demo] [QUERY_FILE]).",
    )
    parser.add_argument("--data-dir", type=Path, help="library location (default: $NUDGE_DATA_DIR or user data dir)")
    parser.add_argument("--heads", type=Path, help="model heads file (default: $NUDGE_HEADS or assets/)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log details to stderr")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("index", help="import sound folders (recursive; only new or changed files are embedded)")
    p.add_argument("folders", nargs="*", type=Path, help="folders to add and import (default: all library folders)")
    p.add_argument("--workers", type=int, default=None, help="decoding processes (default 2; 0 = no pool)")
    p.add_argument("--commit-every", type=int, default=None, help="files per transaction (default 32)")

    p = sub.add_parser("search", help="find library sounds like a query file, nudged by words")
    p.add_argument("--query", type=Path, default=None,
                   help="query sound (library file or any file); without it, --keyword ranks by text match")
    p.add_argument("--modify", default="", help='modifier text, e.g. "add dog bark"')
    p.add_argument("--strength", type=float, default=1.0, help="weight of the modifier text (default 1.0)")
    p.add_argument("--top", type=int, default=10, help="number of results (default 10)")
    p.add_argument("--keyword", default="", help="only files whose path or metadata (tags, BWF/iXML "
                   "description, UCS category) contain all these words")
    p.add_argument("--folder", type=Path, default=None, help="only files inside this folder")
    p.add_argument("--min-duration", type=float, default=None, help="only files at least this long (seconds)")
    p.add_argument("--max-duration", type=float, default=None, help="only files at most this long (seconds)")
    p.add_argument("--min-sr", type=int, default=None, help="only files with at least this sample rate (Hz)")
    p.add_argument("--offset", type=int, default=0, help="skip this many results (pages: --offset 50 --top 50)")
    p.add_argument("--include-query", action="store_true", help="keep the query file itself in the results")
    p.add_argument("--range", dest="query_range", type=time_range, default=None, metavar="START-END",
                   help="use only this part of the query file as the query sound, e.g. 6:00-6:10 (m:ss or seconds)")
    p.add_argument("--query-start", type=seconds, default=None, metavar="TIME", help="start of the query part")
    p.add_argument("--query-end", type=seconds, default=None, metavar="TIME", help="end of the query part")
    p.add_argument("--more-like", action="append", type=marked_result, default=[], metavar="FILE[@START-END]",
                   help="move the search toward this library file, or this moment of it (e.g. take.wav@6:00-6:15, "
                   "as a result prints it); repeatable")
    p.add_argument("--less-like", action="append", type=marked_result, default=[], metavar="FILE[@START-END]",
                   help="move the search away from this library file or moment; repeatable")
    p.add_argument("--moments", type=Path, default=None, metavar="FILE",
                   help="list the matching moments of this library file instead of ranking files")
    p.add_argument("--json", action="store_true", help="machine-readable output")

    p = sub.add_parser("evaluate", help="R@1/5/10 on a CSV of query_path,text,target_path")
    p.add_argument("pairs", type=Path, help="CSV file; paths relative to its folder")
    p.add_argument("--gallery", choices=["targets", "library"], default="targets",
                   help="rank against the CSV's targets (default) or the whole indexed library")
    p.add_argument("--strength", type=float, default=1.0)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("status", help="library folders and counts")
    p.add_argument("--failures", action="store_true", help="list files that could not be imported")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("remove", help="forget a library folder and drop its files from the index")
    p.add_argument("folder", type=Path)
    return parser


def seconds(text: str) -> float:
    """"6:10", "1:02:03.5" or "370" -> seconds (argparse type)."""
    try:
        parts = [float(p) for p in text.strip().split(":")]
    except ValueError:
        parts = []
    if not parts or len(parts) > 3 or any(not math.isfinite(p) or p < 0 for p in parts):
        raise argparse.ArgumentTypeError(f"not a time: {text!r} (use seconds, m:ss or h:mm:ss)")
    value = 0.0
    for part in parts:
        value = value * 60 + part
    return value


def time_range(text: str) -> tuple[float, float]:
    """"6:00-6:10" -> (360.0, 370.0) (argparse type)."""
    start, sep, end = text.partition("-")
    if not sep:
        raise argparse.ArgumentTypeError(f"not a time range: {text!r} (use START-END, e.g. 6:00-6:10)")
    return seconds(start), seconds(end)


def marked_result(text: str) -> tuple[Path, tuple[float, float] | None]:
    """"take.wav@6:00-6:15" -> (take.wav, (360.0, 375.0)); "take.wav" -> the whole file (argparse type). A name
    that itself holds "@" stays whole when what follows its last "@" is not a time range."""
    name, sep, times = text.rpartition("@")
    if sep and name:
        try:
            start, end = time_range(times)
        except argparse.ArgumentTypeError:
            return Path(text).absolute(), None
        if end <= start:
            raise argparse.ArgumentTypeError(f"{times!r} ends before it starts")
        return Path(name).absolute(), (start, end)
    return Path(text).absolute(), None


def _marks(marked: list[tuple[Path, tuple[float, float] | None]]) -> list:
    from app.feedback import FeedbackMark

    return [FeedbackMark(path, *(times or (0.0, None))) for path, times in marked]


def clock(value: float) -> str:
    """Seconds as m:ss (h:mm:ss from an hour on)."""
    whole = int(round(value))
    hours, rest = divmod(whole, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def _query_range(args) -> tuple[float, float] | None:
    if args.query_range is not None:
        return args.query_range
    if args.query_start is None and args.query_end is None:
        return None
    if args.query_end is None:
        raise NudgeError("--query-start needs --query-end (or use --range START-END)")
    return (args.query_start or 0.0, args.query_end)


def _command_given(argv: list[str]) -> bool:
    """True when the first positional word is a command; anything else (a sound file, GUI flags) opens the app."""
    i = 0
    while i < len(argv):
        word = argv[i]
        if word in ("--data-dir", "--heads"):
            i += 2
        elif word.startswith("-"):
            i += 1
        else:
            return word in COMMANDS
    return False


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not _command_given(argv) and not {"-h", "--help"} & set(argv):
        from app.ui import run_gui  # Qt only on this path; the app parses its own options

        return run_gui(argv)
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s: %(message)s")
    from model.errors import NudgeModelError

    try:
        return COMMANDS[args.command](args)
    except (NudgeError, NudgeModelError) as exc:
        message = str(exc)
    except sqlite3.DatabaseError as exc:  # damaged library file met after it opened
        message = damaged_message(_library_file(args), exc)
    except OSError as exc:  # disk full, permissions, a vanished folder
        where = f" ({describe_path(exc.filename)})" if exc.filename else ""
        message = f"{exc.strerror or exc}{where}: check free disk space and that the library folder is writable"
    print(f"error: {printable(message)}", file=sys.stderr)
    if getattr(args, "json", False):
        print(json.dumps({"error": message}))  # --json output stays parseable
    return EXIT_ERROR


def _library_file(args) -> Path:
    from app.config import default_data_dir
    from app.db import DB_NAME

    return (args.data_dir or default_data_dir()) / DB_NAME


# helpers ---------------------------------------------------------------------------------------
def _encoder(args, load_audio: bool = True):
    from model.encoder import NudgeEncoder
    from model.errors import CheckpointError
    from model.paths import heads_path

    heads = heads_path(args.heads)
    if not Path(heads).is_file():
        raise CheckpointError(
            f"the trained model file is missing: {describe_path(heads)}\n"
            "  It is written by the training pipeline (see README, 'Training'). Put it at "
            "assets/nudge_heads.safetensors, or pass --heads FILE, or set NUDGE_HEADS=FILE "
            "(or NUDGE_MODEL_DIR to a folder with the exported model)."
        )
    return NudgeEncoder(heads, load_audio=load_audio)


def _service(args, encoder=None):
    from app.service import SearchService

    return SearchService(args.data_dir, heads_path=args.heads, encoder=encoder)


@contextmanager
def _cancel_on_sigint() -> Iterator[threading.Event]:
    """First Ctrl-C finishes the current files and stops cleanly (work done is kept); a second aborts."""
    cancel = threading.Event()

    def handler(signum, frame):
        if cancel.is_set():
            raise KeyboardInterrupt
        cancel.set()
        print("\nstopping after the current files (Ctrl-C again to abort)...", file=sys.stderr)

    if threading.current_thread() is not threading.main_thread():
        yield cancel
        return
    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield cancel
    finally:
        signal.signal(signal.SIGINT, previous)


def _progress_bar(total: int | None, unit: str = "file"):
    from tqdm import tqdm

    return tqdm(total=total, unit=unit, file=sys.stderr, dynamic_ncols=True, mininterval=0.5)


# commands --------------------------------------------------------------------------------------
def cmd_index(args) -> int:
    from app.service import SearchService

    svc: SearchService = _service(args, _encoder(args, load_audio=False))
    if args.workers is not None:
        svc.config.workers = args.workers
    if args.commit_every is not None:
        svc.config.commit_every = max(1, args.commit_every)
    if not args.folders and not svc.folders():
        print("error: no library folders yet; give one or more folders: main.py index DIR...", file=sys.stderr)
        return EXIT_USAGE
    bar = None

    def progress(p) -> None:
        nonlocal bar
        if bar is None:
            bar = _progress_bar(p.total)
        bar.set_postfix_str(f"failed {p.failed}", refresh=False)
        bar.update(p.done - bar.n)

    with svc, _cancel_on_sigint() as cancel:
        report = svc.import_folders(args.folders or None, progress, cancel)
        counts = svc.counts()
    if bar is not None:
        bar.close()
    for folder in report.missing_folders:
        print(f"warning: library folder not found (its files are marked missing): {describe_path(folder)}",
              file=sys.stderr)
    for warning in report.warnings:
        print(f"warning: {printable(warning)}", file=sys.stderr)
    print(
        f"{'cancelled' if report.cancelled else 'done'} in {report.seconds:.1f} s: {report.added} added, "
        f"{report.updated} updated, {report.unchanged} unchanged, {report.failed} failed, {report.missing} missing. "
        f"Library: {counts.indexed} indexed, {counts.failed} failed, {counts.missing} missing."
    )
    if report.failed:
        print("  see the failed files with: main.py status --failures")
    return EXIT_CANCELLED if report.cancelled else EXIT_OK


def cmd_search(args) -> int:
    from app.scope import SearchScope

    if args.query is None and not args.keyword.strip():
        print("search needs --query FILE, or --keyword WORDS to rank by text match", file=sys.stderr)
        return EXIT_USAGE
    folder = args.folder.resolve() if args.folder is not None else None
    scope = SearchScope(args.keyword, folder, args.min_duration, args.max_duration, args.min_sr)
    by_sound = args.query is not None  # else: keyword-only search, no model needed
    query_range = _query_range(args)
    if args.moments is not None and not by_sound:
        print("--moments needs --query FILE", file=sys.stderr)
        return EXIT_USAGE
    if (args.more_like or args.less_like) and not by_sound:
        print("--more-like / --less-like need --query FILE", file=sys.stderr)
        return EXIT_USAGE
    more_like, less_like = _marks(args.more_like), _marks(args.less_like)
    with _service(args, _encoder(args, load_audio=False) if by_sound else None) as svc:  # YAMNet loads only
        if args.moments is not None:  # for a query not indexed
            results = svc.file_moments(args.moments.absolute(), args.query, args.modify, args.strength,
                                       query_range, args.top, more_like, less_like)
        else:
            results = svc.search(args.query, args.modify, args.strength, args.top, exclude_query=not args.include_query,
                                 scope=scope, offset=args.offset, query_range=query_range, more_like=more_like,
                                 less_like=less_like)
        edits = svc.modifier_edits(args.modify) if by_sound else []
        reading = svc.read_modifier(args.modify) if by_sound else None
        messages = reading.messages() if reading else []
        unknown = ([{"word": u.word, "nearest_known": u.nearest_known, "audioset": u.audioset, "message": u.message()}
                    for u in reading.unknown] if reading else [])
        untrained = reading.untrained if reading else []
    if args.json:
        out = {
            "query": os.fsdecode(args.query) if by_sound else None, "modify": args.modify, "edits": edits,
            "unknown": unknown, "untrained": untrained, "strength": args.strength, "scope": scope.describe(),
            "query_range": list(query_range) if query_range else None,
            "more_like": [_mark_json(m) for m in more_like], "less_like": [_mark_json(m) for m in less_like],
            "results": [_result_json(r) for r in results],
        }
        print(json.dumps(out, indent=2, allow_nan=False))
        return EXIT_OK
    for message in messages:
        print(message, file=sys.stderr)
    if len(edits) > 1:
        print(f"modifier read as {len(edits)} edits: " + " + ".join(f'"{e}"' for e in edits), file=sys.stderr)
    if not results:
        print("no results (is the library indexed? run: main.py index DIR)", file=sys.stderr)
    for r in results:
        where = f"{clock(r.start)}-{clock(r.end)}  " if r.end is not None else ""
        more = f"  ({r.moments} moments)" if r.moments > 1 and args.moments is None else ""
        mark = STANDS_OUT if _stand_out(r) > 0 else LOWERED if _stand_out(r) < 0 else " "
        print(f"{r.rank:3d}  {_match(r):+.3f}{mark} {where}{printable(r.record.display)}{more}")
    if any(_stand_out(r) > 0 for r in results):
        print(f"{STANDS_OUT} a long take's moment, ranked above its match (the cosine shown) for how far it stands out "
              "from the rest of its take; --json gives score, match and stand_out", file=sys.stderr)
    if any(_stand_out(r) < 0 for r in results):
        print(f"{LOWERED} a long take ranked below its match: the take as a whole holds less of the sound the query "
              "asks for (YAMNet's classes); --json gives score, match and stand_out", file=sys.stderr)
    return EXIT_OK


def _match(r) -> float:
    """The result's plain cosine to the query (its score when it has no separate match)."""
    return float(r.score if getattr(r, "match", None) is None else r.match)


def _stand_out(r) -> float:
    """What the ranking adds to the cosine (score - match): > 0 for a moment that stands out from its take, < 0
    for a take lowered for lacking the query's sound, 0 for a plain match (or under STAND_OUT_MIN)."""
    delta = float(r.score) - _match(r)
    return delta if math.isfinite(delta) and abs(delta) >= STAND_OUT_MIN else 0.0


def _mark_json(mark) -> dict:
    return {"path": os.fsdecode(mark.path), "start": mark.start if mark.end is not None else None, "end": mark.end}


def _result_json(r) -> dict:
    """One result: ``start``/``end`` in seconds (a whole-file match ends at the file's duration); ``score`` ranks,
    ``match`` is the cosine to the query, ``stand_out`` score - match (a long take's moment standing out: > 0; a
    take lowered for lacking the query's sound: < 0)."""
    end = r.end if r.end is not None else r.record.duration
    match = _match(r)
    return {"rank": r.rank, "score": round(r.score, 6) if math.isfinite(r.score) else None,
            "match": round(match, 6) if math.isfinite(match) else None, "stand_out": round(_stand_out(r), 6),
            "path": os.fsdecode(r.path), "duration": r.record.duration, "start": round(r.start, 3),
            "end": round(end, 3) if end is not None else None, "whole_file": r.end is None, "moments": r.moments}


def cmd_evaluate(args) -> int:
    from app.evaluate import evaluate_pairs, read_pairs
    from app.evaluate_moments import evaluate_moments, uses_ranges

    pairs = read_pairs(args.pairs)
    ranges = uses_ranges(pairs)  # time-range columns: files and moments ranked as search ranks them
    library = None
    if args.gallery == "library":
        with _service(args) as svc:
            library = svc.library_blocks() if ranges else svc.library_gallery()
            encoder = svc.encoder
    else:
        encoder = _encoder(args, load_audio=False)
    bar = _progress_bar(None)

    def progress(done: int, total: int) -> None:
        bar.total = total
        bar.update(done - bar.n)

    try:
        with _cancel_on_sigint() as cancel:
            run = evaluate_moments if ranges else evaluate_pairs
            result = run(pairs, encoder, args.strength, args.workers, progress, cancel, library)
    finally:
        bar.close()
    for line in result.skipped:
        print(f"skipped {printable(line)}", file=sys.stderr)
    m = result.metrics
    if args.json:
        print(json.dumps(m | {"skipped": len(result.skipped)}, indent=2))
        return EXIT_OK
    what = "library sounds" if library is not None else "targets"
    print(f"{int(m['pairs'])} pairs, gallery of {int(m['gallery'])} {what}, strength {args.strength}")
    print(f"{'':10s} {'R@1':>6s} {'R@5':>6s} {'R@10':>6s} {'MRR':>6s}")
    for name in ("proposed", "baseline"):
        cells = " ".join(f"{m[f'{name}_{key}']:6.3f}" for key in ("R@1", "R@5", "R@10", "MRR"))
        print(f"{name:10s} {cells}")
    return EXIT_OK


def cmd_status(args) -> int:
    with _service(args) as svc:
        folders, counts, failures = svc.folders(), svc.counts(), svc.failures() if args.failures else []
        data_dir = svc.data_dir
    if args.json:
        print(json.dumps({
            "data_dir": os.fsdecode(data_dir), "folders": [os.fsdecode(f) for f in folders],
            "indexed": counts.indexed, "failed": counts.failed, "missing": counts.missing,
            "failures": [{"path": os.fsdecode(r.path), "error": r.error} for r in failures],
        }, indent=2))
        return EXIT_OK
    print(f"library: {describe_path(data_dir)}")
    for folder in folders:
        print(f"  folder {describe_path(folder)}{'' if folder.is_dir() else '  (not found)'}")
    print(f"{counts.indexed} indexed, {counts.failed} failed, {counts.missing} missing")
    for record in failures:
        print(f"  {printable(record.display)}: {printable(record.error or '')}")
    return EXIT_OK


def cmd_remove(args) -> int:
    with _service(args) as svc:
        dropped = svc.remove_folder(args.folder)
    print(f"removed {describe_path(args.folder)} ({dropped} files dropped from the index)")
    return EXIT_OK


COMMANDS = {"index": cmd_index, "search": cmd_search, "evaluate": cmd_evaluate, "status": cmd_status,
            "remove": cmd_remove}
