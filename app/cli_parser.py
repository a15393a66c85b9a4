"""The command line's arguments: build_parser (commands and options) and the argparse types of times, time
ranges and marked results (FILE[@START-END])."""

from __future__ import annotations

import argparse
import json
import math
import os
from pathlib import Path


class NudgeParser(argparse.ArgumentParser):
    """An argument error is also {"error": ...} on stdout when --json was asked for: a script parsing the output
    gets JSON whatever went wrong."""

    json_errors = False  # set by parse_arguments for this command line

    def error(self, message: str):  # type: ignore[override]
        if NudgeParser.json_errors:
            print(json.dumps({"error": message}))
        super().error(message)


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    """The command's arguments; an unknown one is reported with that command's usage (not the top level's), and a
    sound file given to search without --query says how to give it."""
    NudgeParser.json_errors = "--json" in argv
    argv = joined_dash_files(argv)
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra:
        command = parser.commands[args.command]
        hint = ""
        if args.command == "search" and any(not word.startswith("-") for word in extra):
            hint = " (give the query sound with --query FILE and the words with --modify WORDS)"
        command.error(f"unrecognized arguments: {' '.join(extra)}{hint}")
    return args


FILE_OPTIONS = ("--query", "--moments", "--more-like", "--less-like")


def joined_dash_files(argv: list[str]) -> list[str]:
    """``--query -bark.ogg`` as ``--query=-bark.ogg`` when that file exists: argparse reads a value starting with
    "-" as an option and stopped with "expected one argument" (trial 43)."""
    out: list[str] = []
    i = 0
    while i < len(argv):
        word = argv[i]
        following = argv[i + 1] if i + 1 < len(argv) else ""
        if word in FILE_OPTIONS and following.startswith("-") and os.path.exists(following.split("@")[0]):
            out.append(f"{word}={following}")
            i += 2
            continue
        out.append(word)
        i += 1
    return out


def _common_options(parser: argparse.ArgumentParser, default: object = None) -> None:
    """--data-dir, --heads and -v: before the command or after it (``default`` SUPPRESS on the commands, so
    the top level's value stands when they are not repeated there)."""
    parser.add_argument("--data-dir", type=path_arg, default=default,
                        help="library location (default: $NUDGE_DATA_DIR or user data dir)")
    parser.add_argument("--heads", type=path_arg, default=default,
                        help="model heads file (default: $NUDGE_HEADS or assets/)")
    parser.add_argument("-v", "--verbose", action="store_true", default=default or False,
                        help="log details to stderr")


def build_parser() -> argparse.ArgumentParser:
    parser = NudgeParser(
        prog="main.py",
        description="Nudge: find a sound by example, then nudge it. Without a command, opens the app "
        "(python main.py [--data-dir DIR] [--heads FILE] [--no-audio] [--no-demo] [QUERY_FILE]).",
    )
    _common_options(parser)
    common = argparse.ArgumentParser(add_help=False)
    _common_options(common, argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    parser.commands = sub.choices  # type: ignore[attr-defined]  # parse_arguments reports with their usage

    p = sub.add_parser("index", parents=[common],
                       help="import sound folders (recursive; only new or changed files are embedded)")
    p.add_argument("folders", nargs="*", type=path_arg, help="folders to add and import (default: all library folders)")
    p.add_argument("--workers", type=count, default=None, help="decoding processes (default 2; 0 = no pool)")
    p.add_argument("--commit-every", type=positive_int, default=None, help="files per transaction (default 32)")
    p.add_argument("--moved-from", type=path_arg, default=None, metavar="OLD",
                   help="the one folder given is the library folder OLD moved or renamed: its files follow it with "
                   "their vectors, stars and tags, then the folder is imported")

    p = sub.add_parser("search", parents=[common], help="find library sounds like a query file, nudged by words")
    p.add_argument("--query", type=path_arg, default=None,
                   help="query sound (library file or any file); without it, --modify WORDS finds what sounds like "
                   "the words on their own, and --keyword alone ranks by text match")
    p.add_argument("--modify", default="", type=words, help='modifier text, e.g. "add dog bark"; with no --query, '
                   'the sound to find, e.g. "car horn" (punctuation alone counts as none)')
    p.add_argument("--strength", type=strength, default=1.0, help="weight of the modifier text (default 1.0, as "
                   "trained; 0 to 2 as the app's slider)")
    p.add_argument("--top", type=positive_int, default=10, help="number of results (default 10)")
    p.add_argument("--keyword", default="", help="with --query or --modify: only files whose path or metadata "
                   "(tags, BWF/iXML description, UCS category) contain all these words; alone: the files holding any "
                   "of them, the best text match first")
    p.add_argument("--folder", type=path_arg, default=None, help="only files inside this folder")
    p.add_argument("--min-duration", type=length, default=None, help="only files at least this long (seconds)")
    p.add_argument("--max-duration", type=length, default=None, help="only files at most this long (seconds)")
    p.add_argument("--min-sr", type=count, default=None, help="only files with at least this sample rate (Hz)")
    p.add_argument("--offset", type=count, default=0, help="skip this many results (pages: --offset 50 --top 50)")
    p.add_argument("--include-query", action="store_true", help="keep the query file itself in the results")
    p.add_argument("--range", dest="query_range", type=ordered_range, default=None, metavar="START-END",
                   help="use only this part of the query file as the query sound, e.g. 6:00-6:10 (m:ss or seconds)")
    p.add_argument("--query-start", type=seconds, default=None, metavar="TIME",
                   help="start of the query part (to the file's end without --query-end)")
    p.add_argument("--query-end", type=seconds, default=None, metavar="TIME", help="end of the query part")
    p.add_argument("--more-like", action="append", type=marked_result, default=[], metavar="FILE[@START-END]",
                   help="move the search toward this library file, or this moment of it (e.g. take.wav@6:00-6:15, "
                   "as a result prints it); repeatable")
    p.add_argument("--less-like", action="append", type=marked_result, default=[], metavar="FILE[@START-END]",
                   help="move the search away from this library file or moment, and leave it out of the results; "
                        "repeatable")
    p.add_argument("--moments", type=path_arg, default=None, metavar="FILE",
                   help="list the matching moments of this library file instead of ranking files")
    p.add_argument("--no-rerank", action="store_true", help="rank by the match alone: do not reorder the first "
                   "results by reading the words' edits moment by moment")
    p.add_argument("--session-start", type=path_arg, default=None, metavar="FILE",
                   help="refining a result: the sound the session started from; with --earlier, what earlier steps "
                   "asked for keeps counting in the ordering, read against this file")
    p.add_argument("--earlier", action="append", default=[], metavar="WORDS",
                   help='the words of an earlier step of the session, oldest first; repeatable (e.g. --query '
                   'found.wav --modify "make the rain louder" --session-start rain.wav --earlier "add thunder")')
    p.add_argument("--copies", action="store_true", help="list copies of a better result or of the query sound (the "
                   "same audio under another name or folder, or in another format) as rows of their own, not folded "
                   "into it as the app does; --json always lists them")
    p.add_argument("--json", action="store_true", help="machine-readable output")

    p = sub.add_parser("evaluate", parents=[common], help="R@1/5/10 on a CSV of query_path,text,target_path")
    p.add_argument("pairs", type=path_arg, help="CSV file; paths relative to its folder; columns query_path,text,"
                   "target_path (or a_path,text,b_path as the training pairs, or query,description,target)")
    p.add_argument("--gallery", choices=["targets", "library"], default="targets",
                   help="rank against the CSV's targets (default) or the whole indexed library")
    p.add_argument("--strength", type=strength, default=1.0, help="weight of the pairs' words (default 1.0, "
                   "as trained and as search uses it)")
    p.add_argument("--workers", type=count, default=2, help="decoding processes (default 2; 0 = no pool)")
    p.add_argument("--per-pair", action="store_true",
                   help="also list each pair's target rank with the words and audio only (misses first), and "
                   "what the words put first instead")
    p.add_argument("--no-rerank", action="store_true", help="rank with the words by match alone (the proposed "
                   "ranks are otherwise reranked moment by moment, as search does)")
    p.add_argument("--json", action="store_true", help="machine-readable output, each pair's ranks and "
                   "first results included")

    p = sub.add_parser("status", parents=[common], help="library folders and counts")
    p.add_argument("--failures", action="store_true",
                   help="list files that could not be imported or are missing (--json always lists them)")
    p.add_argument("--json", action="store_true", help="machine-readable output: folders, counts, the model")

    p = sub.add_parser("sounds", parents=[common], help="list the sounds the words know (no library needed)")
    p.add_argument("--json", action="store_true", help="machine-readable output")

    p = sub.add_parser("remove", parents=[common],
                       help="forget a library folder and drop its files from the index (the files on disk "
                       "are never touched); --missing: forget the files deleted from disk")
    p.add_argument("folder", type=path_arg, nargs="?", default=None,
                   help="a library folder as `status` lists it (its files leave the index)")
    p.add_argument("--missing", action="store_true", help="drop the files not found at the last import, in the "
                   "folders that are on disk (an unplugged folder's files are kept)")
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


def path_arg(text: str) -> Path:
    """A file or folder argument; an empty one (an unset shell variable: `index "$SFX_DIR"`) is refused, not read
    as the current folder (argparse type)."""
    if not text.strip():
        raise argparse.ArgumentTypeError("an empty path (an unset variable in a script?): give a file or folder")
    return Path(text)


def time_range(text: str) -> tuple[float, float]:
    """"6:00-6:10" -> (360.0, 370.0) (argparse type)."""
    start, sep, end = text.partition("-")
    if not sep:
        raise argparse.ArgumentTypeError(f"not a time range: {text!r} (use START-END, e.g. 6:00-6:10)")
    return seconds(start), seconds(end)


def ordered_range(text: str) -> tuple[float, float]:
    """A time range whose end comes after its start (argparse type of --range)."""
    start, end = time_range(text)
    if end <= start:
        raise argparse.ArgumentTypeError(empty_range(text, start, end))
    return start, end


def empty_range(text: str, start: float, end: float) -> str:
    """Why a range holds nothing: "'5-5' is empty (it ends where it starts)" (trial 57), or it ends before it
    starts."""
    return f"{text!r} is empty (it ends where it starts)" if end == start else f"{text!r} ends before it starts"


def marked_result(text: str) -> tuple[Path, tuple[float, float] | None]:
    """"take.wav@6:00-6:15" -> (take.wav, (360.0, 375.0)); "take.wav" -> the whole file (argparse type). A name
    that itself holds "@" stays whole when what follows its last "@" is not a time range."""
    path_arg(text)
    name, sep, times = text.rpartition("@")
    if sep and name:
        try:
            start, end = time_range(times)
        except argparse.ArgumentTypeError:
            return Path(text).absolute(), None
        if end <= start:
            raise argparse.ArgumentTypeError(empty_range(times, start, end))
        return Path(name).absolute(), (start, end)
    return Path(text).absolute(), None


def strength(text: str) -> float:
    """--strength: a finite number from 0 (the words count for nothing) to 2 (the app slider's end)."""
    return _finite_number(text, 2.0, "not a number",
                          f"{text} is outside 0..2 (1 = as trained; 0 = the words count for nothing)")


def _finite_number(text: str, most: float, not_number: str, outside: str) -> float:
    """A finite number from 0 to ``most``; else the argparse error ``not_number`` (with the text) or ``outside``."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{not_number}: {text!r}") from None
    if not math.isfinite(value) or not 0.0 <= value <= most:
        raise argparse.ArgumentTypeError(outside)
    return value


def _whole_number(text: str, least: int) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < least:
        raise argparse.ArgumentTypeError(f"{text}: give {least} or more")
    return value


def length(text: str) -> float:
    """--min-duration / --max-duration: seconds, a finite number of 0 or more."""
    return _finite_number(text, math.inf, "not a number of seconds", f"{text} is not a length in seconds (0 or more)")


def positive_int(text: str) -> int:
    """A whole number of 1 or more (--top)."""
    return _whole_number(text, 1)


def count(text: str) -> int:
    """A whole number of 0 or more (--workers, --offset, --min-sr)."""
    return _whole_number(text, 0)


def words(text: str) -> str:
    """--modify: the words, or "" for punctuation and spaces alone (trial 63: "!!!???" steered the search as typed)."""
    from model.text_backbone import has_words

    return text if has_words(text) else ""
