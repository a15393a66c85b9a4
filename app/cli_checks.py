"""Checks of `main.py` arguments that need the library: a mark or a --moments file that is not an indexed file,
a range past a file's end, a folder that is a file or was never added. Each gives the message to print, or ""."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from app.errors import describe_path, printable
from app.timefmt import clock


def indexed_problem(svc: Any, path: Path, what: str, record: Any = None) -> str:
    """Why ``path`` cannot be used as an indexed library file ("" when it can); ``record``: its file_info, when
    the caller has it."""
    record = record or svc.file_info(path)
    if record is None:
        where = "no such file" if not os.path.lexists(path) else "not a file of the library"
        return (f"{what}: {where}: {describe_path(path)} (only files the library has indexed can be used: "
                "main.py index DIR)")
    if record.status != "ok":
        return f"{what}: {describe_path(path)} is {record.status} in the library ({record.error or 'not indexed'})"
    return ""


def range_problem(what: str, path: Path, start: float, duration: float | None) -> str:
    """A range starting at or after the file's end ("" when it starts inside it or the length is unknown)."""
    if duration is None or start < duration:
        return ""
    return (f"{what}: the range starting at {clock(start)} begins after the end of {describe_path(path)} "
            f"({clock(duration)} long)")


def mark_problems(svc: Any, flag: str, marks: Sequence[Any]) -> list[str]:
    """--more-like / --less-like marks that would be skipped silently: files not indexed, ranges past the end."""
    problems = []
    for mark in marks:
        record = svc.file_info(mark.path)
        problem = indexed_problem(svc, mark.path, flag, record)
        if not problem:
            problem = range_problem(flag, mark.path, mark.start, record.duration)
        if problem:
            problems.append(problem)
    return problems


def marks_problems(svc: Any, more_like: Sequence[Any], less_like: Sequence[Any]) -> list[str]:
    """mark_problems of both flags, and a file marked both more and less like this (trial 53: taken silently)."""
    both = sorted({os.fsdecode(m.path.absolute()) for m in more_like}
                  & {os.fsdecode(m.path.absolute()) for m in less_like})
    return (mark_problems(svc, "--more-like", more_like) + mark_problems(svc, "--less-like", less_like)
            + [f"--more-like and --less-like both mark {printable(p)}: mark it one way" for p in both])


def marks_note(more_like: Sequence[Any], less_like: Sequence[Any]) -> list[str]:
    """The text output's lines on the marks (trial 53: only --json said them)."""
    def names(marks: Sequence[Any]) -> str:
        return ", ".join(printable(m.path.name) + (f"@{clock(m.start)}-{clock(m.end)}" if m.end is not None else "")
                         for m in marks)

    return ([f"marked more like this (the query moves toward them): {names(more_like)}"] if more_like else []) + (
        [f"marked less like this (the query moves away, and they are left out of the results): {names(less_like)}"]
        if less_like else [])


def folder_problem(folder: Path) -> str:
    """`index DIR` given something that is not a folder ("" for a folder, or for one that has vanished: the
    import marks its files missing)."""
    if folder.is_file():
        return (f"error: {describe_path(folder)} is a file, not a folder: give its folder "
                f"(main.py index {describe_path(folder.parent)})")
    return ""


def index_folder_problems(folders: Sequence[Path], new_library: bool) -> list[str]:
    """`index DIR...`: each folder_problem, and for a library not made yet (``new_library``) each folder not
    there (a known folder that vanished is imported: its files are marked missing)."""
    problems = []
    for folder in folders:
        if problem := folder_problem(folder):
            problems.append(problem)
        elif folder.exists() and not folder.is_dir():
            problems.append(f"error: {describe_path(folder.absolute())} is not a folder")
        elif new_library and not folder.exists():
            problems.append(f"error: folder not found: {describe_path(folder.absolute())} (no library was made)")
    return problems


def durations_problem(low: float | None, high: float | None) -> str:
    """--min-duration above --max-duration ("" when they can both hold)."""
    if low is None or high is None or low <= high:
        return ""
    return f"--min-duration {low:g} is above --max-duration {high:g}: no file is both"


def removable_problem(folders: Sequence[Path], folder: Path) -> str:
    """`remove DIR` for a folder that is not one of the library's."""
    key = os.path.abspath(folder)
    if any(os.path.abspath(f) == key for f in folders):
        return ""
    known = ", ".join(describe_path(f) for f in folders) or "none yet"
    return f"error: {describe_path(folder)} is not a library folder; nothing removed (library folders: {known})"


def scope_folder_problem(folders: Sequence[Path], folder: Path | None) -> str:
    """`search --folder DIR` for a folder that is neither a library folder nor inside one: no file can be there
    (a typo, or a relative path read from another working folder)."""
    if folder is None:
        return ""
    asked = {Path(os.path.abspath(folder)), Path(folder).resolve()}
    if any(a.is_relative_to(f) or a.is_relative_to(f.resolve()) for a in asked for f in folders):
        return ""
    known = ", ".join(describe_path(f) for f in folders) or "none yet"
    return f"--folder {describe_path(folder)} is not a library folder nor inside one (library folders: {known})"


def query_range_asked(args) -> tuple[tuple[float, float] | None, str]:
    """The part of the query file asked for (None: all of it), or a usage problem to print."""
    if args.query_range is not None:
        return args.query_range, ""
    if args.query_start is None and args.query_end is None:
        return None, ""
    if args.query_end is None:  # from there to the file's end (trial 58: refused)
        import math

        from app.rerank_reads import file_seconds
        from app.timefmt import clock

        end = file_seconds(args.query) if args.query is not None else math.nan
        if not math.isfinite(end):
            return None, "--query-start needs --query-end here: the query file's length is unknown (or use --range)"
        if end <= args.query_start:
            return None, f"--query-start {clock(args.query_start)} is past the query file's end ({clock(end)})"
        return (args.query_start, end), ""
    if args.query_end <= (args.query_start or 0.0):
        return None, "--query-end must come after --query-start"
    return (args.query_start or 0.0, args.query_end), ""


def feedback_marks(marked: list[tuple[Path, tuple[float, float] | None]]) -> list:
    """--more-like / --less-like as app.feedback.FeedbackMarks (a whole file, or a moment of it)."""
    from app.feedback import FeedbackMark

    return [FeedbackMark(path, *(times or (0.0, None))) for path, times in marked]


def earlier_steps(args):
    """search's --session-start / --earlier as an EarlierSteps (None without them), or a usage problem."""
    from app.service import EarlierSteps

    if args.session_start is None and not args.earlier:
        return None, ""
    if args.session_start is None or not args.earlier or args.query is None:
        return None, "--session-start FILE and --earlier WORDS go together, with --query FILE (the promoted result)"
    if not args.session_start.is_file():
        return None, f"--session-start: no such file: {printable(os.fsdecode(args.session_start))}"
    return EarlierSteps(args.session_start.absolute(), tuple(args.earlier)), ""
