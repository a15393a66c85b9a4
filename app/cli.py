"""Command line: index folders, search, evaluate on pairs, library status. No Qt is imported here.

The arguments are app.cli_parser's; what `search` prints is app.cli_search_output's."""

from __future__ import annotations

import json
import logging
import os
import shlex
import sqlite3
import sys
from functools import partial
from pathlib import Path

from app.cli_checks import (
    durations_problem,
    earlier_steps,
    feedback_marks,
    index_folder_problems,
    indexed_problem,
    marks_problems,
    query_range_asked,
    removable_problem,
    scope_folder_problem,
)
from app.cli_interrupt import EXIT_CANCELLED, cancel_on_sigint
from app.cli_launch import dashed_file, first_positional, mistyped_command, no_display
from app.cli_parser import parse_arguments
from app.cli_progress import ImportBars, progress_bar
from app.cli_search_notes import search_notes
from app.cli_search_output import no_results_reason, offset_reason, print_results, rows_filled, search_json
from app.cli_sounds import cmd_sounds
from app.cli_stdout import WatchedOutput, silence
from app.db import damaged_message
from app.errors import NudgeError, describe_path, printable
from app.service_model import names_nothing_to_find

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2
NO_FOLDERS = "error: no library folders yet; give one or more folders: main.py index DIR..."


def _command_given(argv: list[str]) -> bool:
    """True when the first positional word is a command; anything else (a sound file, GUI flags) opens the app."""
    return first_positional(argv) in COMMANDS


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not _command_given(argv) and not {"-h", "--help"} & set(argv):
        problem = mistyped_command(argv, COMMANDS) or dashed_file(argv) or no_display()
        if problem:
            print(f"error: {problem}", file=sys.stderr)
            return EXIT_USAGE
        from app.ui import run_gui  # Qt only on this path; the app parses its own options

        return run_gui(argv)
    args = parse_arguments(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s: %(message)s")
    out = sys.stdout = WatchedOutput(sys.stdout)
    try:
        return _run(args, out)
    finally:
        sys.stdout = out.stream


def _run(args, out: WatchedOutput) -> int:
    """The command, its errors said on stderr (and as a --json document)."""
    from model.errors import NudgeModelError

    try:
        code = COMMANDS[args.command](args)
        sys.stdout.flush()  # a full disk behind `>` is met here, not at exit
        return code
    except (NudgeError, NudgeModelError) as exc:
        message = str(exc)
    except sqlite3.DatabaseError as exc:  # damaged library file met after it opened
        message = damaged_message(_library_file(args), exc)
    except BrokenPipeError:  # `main.py search ... | head`: the reader has what it wanted
        silence(out.stream)  # no second error when Python flushes
        return EXIT_OK
    except OSError as exc:  # disk full, permissions, a vanished folder; or the output itself (`> /dev/full`)
        if out.failed:  # and no --json error document: it would fail the same way
            silence(out.stream)
            kept = "; what the command changed in the library is kept" if args.command in ("index", "remove") else ""
            print(f"error: cannot write the output (standard output): {exc.strerror or exc}{kept}", file=sys.stderr)
            return EXIT_ERROR
        where = f" ({describe_path(exc.filename)})" if exc.filename else ""
        message = f"{exc.strerror or exc}{where}: check free disk space and that the library folder is writable"
    print("error: " + "\n".join(printable(line) for line in message.split("\n")), file=sys.stderr)  # lines kept
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
            "  It is written by the training pipeline (MODEL_CARD.md, 'Reproduce'); a fresh clone has it. Put it at "
            "assets/nudge_heads.safetensors, or pass --heads FILE, or set NUDGE_HEADS=FILE "
            "(or NUDGE_MODEL_DIR to a folder with the exported model)."
        )
    return NudgeEncoder(heads, load_audio=load_audio)


def _refused(args, message: str) -> int:
    """A usage problem: said on stderr, and as {"error": ...} on stdout with --json (scripts read stdout); exit 2."""
    print(message, file=sys.stderr)
    if getattr(args, "json", False):
        print(json.dumps({"error": message}))
    return EXIT_USAGE


def _service(args, encoder=None, create: bool = False):
    """The library of --data-dir (or $NUDGE_DATA_DIR, or the user's data folder). Only ``create`` (index) makes a
    folder that is not there: a mistyped --data-dir must not read as an empty library."""
    from app.config import DATA_DIR_ENV, default_data_dir
    from app.service import SearchService

    chosen = args.data_dir or (default_data_dir() if os.environ.get(DATA_DIR_ENV) else None)  # the user's own
    if chosen is not None and not create and not chosen.expanduser().exists():  # data folder may not be there yet
        raise NudgeError(f"no library at {describe_path(chosen.expanduser().absolute())} (a mistyped --data-dir or "
                         f"${DATA_DIR_ENV}?): `main.py --data-dir DIR index FOLDER` makes one there")
    return SearchService(args.data_dir, heads_path=args.heads, encoder=encoder)


# commands --------------------------------------------------------------------------------------
def cmd_index(args) -> int:
    from app.service import EVIDENCE_STAGE, SearchService

    new_library = not _library_file(args).exists()
    problems = index_folder_problems(args.folders, new_library)
    if args.moved_from is not None and len(args.folders) != 1:
        problems.append("--moved-from OLD goes with one folder: where OLD is now")
    if problems:  # before the library is opened: a mistyped folder creates no empty library
        return _refused(args, "\n".join(problems))
    if not args.folders and new_library:
        return _refused(args, NO_FOLDERS)
    svc: SearchService = _service(args, _encoder(args, load_audio=False), create=True)
    if args.workers is not None:
        svc.config.workers = args.workers
    if args.commit_every is not None:
        svc.config.commit_every = max(1, args.commit_every)
    if not args.folders and not svc.folders():
        svc.close()
        return _refused(args, NO_FOLDERS)
    if args.moved_from is not None:  # trial 63: a renamed library folder was embedded again, its stars left behind
        try:
            followed, left = svc.relocate_folder(args.moved_from, args.folders[0])
        except NudgeError as exc:
            svc.close()
            return _refused(args, str(exc))
        print(f"{followed} file{'s' if followed != 1 else ''} of {describe_path(args.moved_from)} followed it to "
              f"{describe_path(args.folders[0])} (vectors, stars and tags kept)" + (
                  f"; {left} not found there stay listed under the old folder" if left else ""), file=sys.stderr)
    bars = ImportBars(EVIDENCE_STAGE)
    with svc, cancel_on_sigint() as cancel:
        report = svc.import_folders(args.folders or None, bars, cancel)
        counts = svc.counts()
    bars.close()
    for folder in report.missing_folders:
        print(f"warning: library folder not found (its files are marked missing): {describe_path(folder)}; moved or "
              f"renamed? main.py index NEW_PLACE --moved-from {shlex.quote(str(folder))}", file=sys.stderr)
    for warning in report.warnings:
        print(f"warning: {printable(warning)}", file=sys.stderr)
    print(
        f"{'cancelled' if report.cancelled else 'done'} in {report.seconds:.1f} s: {report.counts_text()}. "
        f"Library: {counts.indexed} indexed, {counts.failed} failed, {counts.missing} missing."
    )
    if report.evidence_filled:
        print(f"  {report.evidence_filled} short files imported earlier were read for the reranking (once)")
    if report.failed:
        print("  see the failed files with: main.py status --failures")
    return EXIT_CANCELLED if report.cancelled else EXIT_OK


def cmd_search(args) -> int:
    from app.scope import SearchScope

    if args.query is None and not args.keyword.strip() and not args.modify.strip():
        return _refused(args, "search needs --query FILE, or --modify WORDS to find what sounds like them, or "
                        "--keyword WORDS to rank by text match")
    if problem := durations_problem(args.min_duration, args.max_duration):
        return _refused(args, problem)
    folder = args.folder.resolve() if args.folder is not None else None
    scope = SearchScope(args.keyword, folder, args.min_duration, args.max_duration, args.min_sr)
    by_sound = args.query is not None
    by_words = not by_sound and bool(args.modify.strip())  # the words' sound on its own (model.words_alone)
    if by_words and args.strength != 1.0:  # trial 54: it moved the list, and nobody could tell what it meant
        print("--strength weighs the words against a --query sound: with none, the words are searched as typed",
              file=sys.stderr)
    if by_words and names_nothing_to_find(args.modify):
        return _refused(args, f'"{printable(args.modify.strip())}" changes the level of the query sound or keeps it, '
                        'and there is none: give --query FILE, or name the sound to find (e.g. --modify "dog barking")')
    query_range, problem = query_range_asked(args)
    if problem:
        return _refused(args, problem)
    if args.moments is not None and not (by_sound or by_words):  # words alone: "find the thunder in this take"
        return _refused(args, "--moments needs --query FILE or --modify WORDS")
    if (args.more_like or args.less_like) and not (by_sound or by_words):
        return _refused(args, "--more-like / --less-like need --query FILE or --modify WORDS")
    more_like, less_like = feedback_marks(args.more_like), feedback_marks(args.less_like)
    earlier, problem = earlier_steps(args)
    if problem:
        return _refused(args, problem)
    model = by_sound or by_words  # else: keyword-only search, no model needed
    with _service(args, _encoder(args, load_audio=False) if model else None) as svc:  # YAMNet loads only
        problems = marks_problems(svc, more_like, less_like)
        if args.moments is not None:
            problems += [p for p in [indexed_problem(svc, args.moments.absolute(), "--moments")] if p]
        problems += [p for p in [scope_folder_problem(svc.folders(), folder)] if p]
        if problems:
            return _refused(args, "\n".join(problems))
        svc.config.aligned_rerank = not args.no_rerank
        if args.moments is not None:  # for a query not indexed
            results = svc.file_moments(args.moments.absolute(), args.query, args.modify, args.strength,
                                       query_range, args.top, more_like, less_like)
        else:
            find = partial(svc.search, args.query, args.modify, args.strength, exclude_query=not args.include_query,
                           scope=scope, offset=args.offset, query_range=query_range, more_like=more_like,
                           less_like=less_like, earlier=earlier)
            results = find(top_k=args.top)
        notes = search_notes(svc, args, results, by_sound=by_sound, by_words=by_words, scope=scope,
                             query_range=query_range, more_like=more_like, less_like=less_like, earlier=earlier)
        counts = (svc.counts(), svc.keyword_inside(scope)) if not results else None
        folds = not (args.json or args.copies or args.moments is not None)  # copies folded: as many rows as --top
        shown = rows_filled(results, args.top, find, args.offset) if folds else results
        past_end = offset_reason(svc, args, scope=scope, query_range=query_range, more_like=more_like,
                                 less_like=less_like, earlier=earlier) if not results and not args.json else ""
    if args.json:
        out = search_json(args, scope, query_range, notes.edits, notes.unknown, notes.untrained, more_like, less_like,
                          results)
        out["rerank_status"] = notes.rerank_status
        out["carried"] = notes.carried
        out["first_same_without_words"] = notes.unchanged  # of the first WORDS_CHECKED: how many come first without
        out["library_holds"] = [{"sound": n.sound, "files": n.in_library, "examples": [os.fsdecode(p) for p in
                                 n.examples], "others": [os.fsdecode(p) for p in n.others], "by": n.evidence,
                                 "message": n.message()} for n in notes.named]
        out["alone_command"] = notes.alone or None
        out["reading"] = notes.shown or notes.edits  # the edits as the text prints them: unread pieces marked
        out["notes"] = notes.messages  # what the text output says on stderr
        print(json.dumps(out, indent=2, allow_nan=False))
        return EXIT_OK
    empty = past_end or ("" if counts is None or notes.unknown_alone else no_results_reason(
        counts[0], scope.active, not args.include_query, folder, counts[1]))
    print_results(shown, notes.shown, notes.messages, args.moments is not None, empty, fold=not args.copies,
                  in_order=notes.unchanged or 0)
    return EXIT_OK


def cmd_evaluate(args) -> int:
    from app.evaluate import read_pairs
    from app.evaluate_moments import uses_ranges

    pairs = read_pairs(args.pairs)
    ranges = uses_ranges(pairs)  # time-range columns: files and moments ranked as search ranks them
    if args.gallery != "library":
        return _run_evaluation(args, pairs, ranges, _encoder(args, load_audio=False))
    with _service(args) as svc:  # open throughout: the reranking reads the evidence the library kept
        whole = (*svc.library_gallery(), svc.library_class_maxima()) if not all(p.ranged for p in pairs) else None
        blocks = svc.library_blocks() if ranges else None  # (each loads the model first)
        return _run_evaluation(args, pairs, ranges, svc.encoder, whole, svc.library_evidence, blocks)


def _run_evaluation(args, pairs, ranges: bool, encoder, library=None, library_evidence=None, blocks=None) -> int:
    """`main.py evaluate`'s ranking and report, against the CSV's targets or the indexed library (``library``: its
    files for whole-file rows, ``blocks``: its moments for rows with time ranges; app.evaluate_mixed)."""
    from app.cli_evaluate_output import evaluation_json, print_metrics, print_pair_ranks, reader_of
    from app.evaluate import evaluate_pairs
    from app.evaluate_mixed import evaluate_both, split_by_ranges
    from app.evaluate_moments import evaluate_moments

    bar = None  # made at the first progress with something to do: no empty "0file [00:00, ?file/s]" first

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if not total:
            return
        if bar is None:
            bar = progress_bar(total)
        bar.total = total
        bar.update(done - bar.n)

    mixed = ranges and library is not None and blocks is not None  # whole-file rows ranked as search ranks them
    reranker, rerank_status = _evaluation_reranker(args, encoder, ranges, mixed)
    try:
        with cancel_on_sigint() as cancel:
            whole, ranged = split_by_ranges(pairs)
            if mixed:
                result = evaluate_both(
                    lambda: evaluate_pairs(whole, encoder, args.strength, args.workers, progress, cancel, library,
                                           reranker, library_evidence),
                    lambda: evaluate_moments(ranged, encoder, args.strength, args.workers, progress, cancel, blocks),
                    cancel)
            elif ranges:
                result = evaluate_moments(pairs, encoder, args.strength, args.workers, progress, cancel, blocks)
            else:
                result = evaluate_pairs(pairs, encoder, args.strength, args.workers, progress, cancel, library,
                                        reranker, library_evidence)
    except NudgeError:
        if not cancel.is_set():
            raise
        print("evaluation cancelled (Ctrl-C): no figures", file=sys.stderr)
        return EXIT_CANCELLED  # as a cancelled import
    finally:
        if bar is not None:
            bar.close()
    for line in result.skipped:
        print(f"skipped {printable(line)}", file=sys.stderr)
    read = reader_of(encoder)
    if args.json:
        print(json.dumps(evaluation_json(result, reranker is not None, rerank_status, read), indent=2))
        return EXIT_OK
    if args.per_pair:
        print_pair_ranks(result.ranks, read)
    print_metrics(result.metrics, library is not None, args.strength, rerank_status)
    return EXIT_OK


def _evaluation_reranker(args, encoder, ranges: bool, mixed: bool = False):
    """The reranker of the proposed ranks (as search reranks) and a status line; None when off or unusable.
    ``mixed``: only some rows have time ranges (those are ranked by moments without it; app.evaluate_mixed)."""
    from app.rerank_reads import OFF, load_reranker

    if args.no_rerank:
        return None, f"{OFF}: --no-rerank"
    if ranges and not mixed:
        return None, f"{OFF}: not used for pairs with time ranges (moments of long takes)"
    if not args.strength > 0:
        return None, f"{OFF}: --strength 0 (the words count for nothing)"
    reranker, status = load_reranker(encoder.heads_path)
    return reranker, status + ("; the rows with time ranges are ranked by moments, without it" if mixed else "")


def cmd_status(args) -> int:
    from app.cli_status_output import print_status, status_json

    with _service(args) as svc:
        listed = args.failures or args.json  # --json always lists them (trial 43: "failures": [] beside 4 failed)
        folders, counts, failures = svc.folders(), svc.counts(), svc.failures(missing=True) if listed else []
        state = (svc.data_dir, folders, counts, failures, svc.import_unfinished(), svc.import_running())
    if args.json:
        print(json.dumps(status_json(*state), indent=2))
    else:
        print_status(*state)
    return EXIT_OK


def cmd_remove(args) -> int:
    if (args.folder is None) == (not args.missing):
        return _refused(args, "remove needs a library FOLDER, or --missing (and not both)")
    if args.missing:
        with _service(args) as svc:
            gone, kept = svc.forget_missing(), svc.counts().missing
            offline = [f for f in svc.folders() if not f.is_dir()]
        away, one = " ".join(shlex.quote(os.fsdecode(f)) for f in offline), gone == 1  # (a trial: how to drop them)
        print(f"{gone} missing file{'' if one else 's'} dropped from the index ({'its' if one else 'their'} stars and "
              f"tags come back if {'it does' if one else 'they do'})"
              + (f"; {kept} kept: their library folder is not on disk (to forget that folder and its files: "
                 f"main.py remove {away or 'FOLDER'})" if kept else "")
              + ("" if gone else "; files deleted since the last import are found missing by `main.py index` first"))
        return EXIT_OK
    with _service(args) as svc:
        problem = removable_problem(svc.folders(), args.folder)
        if problem:
            return _refused(args, problem)
        dropped = svc.remove_folder(args.folder)
    print(f"removed {describe_path(args.folder)} ({dropped} file{'' if dropped == 1 else 's'} dropped from the index)")
    return EXIT_OK


COMMANDS = {"index": cmd_index, "search": cmd_search, "evaluate": cmd_evaluate, "status": cmd_status,
            "remove": cmd_remove, "sounds": cmd_sounds}
