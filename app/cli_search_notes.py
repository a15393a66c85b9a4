"""What `main.py search` says beside its results: the words' reading, unknown and untrained sounds, the session's
earlier edits, files that hold a sound the words add, and the search that finds that sound on its own."""

from __future__ import annotations

import os
import shlex
from dataclasses import dataclass, field
from typing import Any

from app.cli_checks import marks_note
from app.cli_launch import program
from app.cli_search_output import words_left_in_place
from app.errors import printable
from app.heard_alone import heard_alone_note
from app.timefmt import clock
from model.segments import VERSION_QUERY_SECONDS


@dataclass
class SearchNotes:
    edits: list[str] = field(default_factory=list)  # the edits read (service.modifier_edits)
    shown: list[str] = field(default_factory=list)  # the reading to print (service.reading_to_show)
    messages: list[str] = field(default_factory=list)  # notes for stderr, in order
    unknown: list[dict] = field(default_factory=list)  # sound words Nudge does not know
    untrained: list[str] = field(default_factory=list)  # sounds the heads were not trained on
    carried: list[str] = field(default_factory=list)  # earlier steps' edits still asked
    named: list = field(default_factory=list)  # NamedSoundNotes: files holding a sound the words add
    unchanged: int | None = None  # first results in the same order without the words
    rerank_status: str | None = None
    alone: str = ""  # the command that finds the sound the words add on its own, without the query sound
    unknown_alone: bool = False  # words alone naming only unknown sounds: ranked by YAMNet's classes, or not at all


def alone_command(args: Any, sounds: list[str]) -> str:
    """`.venv/bin/python main.py [--data-dir DIR] [--heads FILE] search [--folder DIR ...] --modify "dog barking"`:
    the words' sounds with no query sound, in the same library, heads and scope (trial 53: --min-sr and
    --max-duration were dropped)."""
    given = (("--data-dir", getattr(args, "data_dir", None)), ("--heads", getattr(args, "heads", None)))
    options = "".join(f" {flag} {shlex.quote(os.fsdecode(value))}" for flag, value in given if value is not None)
    scope = (("--folder", "folder"), ("--keyword", "keyword"), ("--min-duration", "min_duration"),
             ("--max-duration", "max_duration"), ("--min-sr", "min_sr"))
    within = "".join(f" {flag} {shlex.quote(_arg(value))}" for flag, name in scope
                     if (value := getattr(args, name, None)))
    return f"{program()}{options} search{within} --modify {shlex.quote(' and '.join(sounds))}"


def _arg(value: Any) -> str:
    """An option's value as typed back: a path, words, or a number ("44100", "15")."""
    return value if isinstance(value, str) else os.fsdecode(value) if isinstance(value, os.PathLike) else f"{value:g}"


def search_notes(svc, args, results: list, *, by_sound: bool, by_words: bool, scope, query_range, more_like,
                 less_like, earlier) -> SearchNotes:
    """The notes of a search that ran (``by_sound``: with --query; ``by_words``: words alone; neither: keywords)."""
    from app.service_gallery import heard_nowhere_note, little_change_note

    model = by_sound or by_words
    notes = SearchNotes()
    if model:
        notes.edits = svc.modifier_edits(args.modify)
        notes.shown = svc.reading_to_show(args.modify) if not by_words else []  # no edits without a sound
        names = svc.added_sound_names(svc.words_alone_text(args.modify)) if by_words else []
        if names and " and ".join(names).lower() != args.modify.strip().lower():  # "chainsaw" -> power tool (a trial)
            notes.messages = [f"words read as the sound{'s' if len(names) > 1 else ''}: {' and '.join(names)}"]
        if names:  # a caption's scene too ("a dog barking in the rain": the dog and the rain), as the text says
            notes.edits = svc.modifier_edits(svc.words_alone_text(args.modify))
        reading = svc.read_modifier(svc.words_alone_text(args.modify) if by_words else args.modify)
        named_first = results.heard_moves.named_first if hasattr(results, "heard_moves") else ()  # "add a hawk"
        notes.messages = notes.messages + (svc.words_alone_messages(args.modify) if by_words else
                                           reading.messages(named_first))
        notes.unknown = [{"word": u.word, "nearest_known": u.nearest_known, "audioset": u.audioset,
                          "message": u.message()} for u in reading.unknown]
        notes.untrained = reading.untrained
    messages = notes.messages = notes.messages + marks_note(more_like, less_like)
    unknown = svc.unknown_alone(args.modify) if by_words else None
    if unknown is not None:  # only sounds Nudge does not know: what YAMNet hears, or nothing (app.named_sounds)
        notes.unknown_alone = True
        messages.append(heard_alone_note(unknown, len(results), getattr(results, "named_words", ())))
    elif by_words:
        ranked = "files" if args.moments is None else f"the moments of {printable(args.moments.name)}"
        messages.append(f"no query sound: {ranked} ranked by how well they sound like the words on their own")
    elif by_sound and (why := svc.query_unreadable(args.query)):  # a library file whose folder is not on disk now
        messages.append(f"the query file {why}: searched with the sound stored when it was imported")
    elif by_sound and (note := svc.query_file_note(args.query)):  # cut short or changed since the import
        messages.append(note)
    if by_sound and query_range is not None:  # the query file's length read once for both notes
        length = query_seconds(svc, args.query)
        if length < query_range[1]:  # trial 53: unsaid
            messages.append(f"the range ends past the query file's end ({clock(length)}): searched "
                            f"{clock(query_range[0])}-{clock(length)}")
        if note := svc.short_part_note(min(query_range[1], length) - query_range[0]):  # trial 59: 0.05 s
            messages.append(note)
    long = svc.long_query_note(args.query, args.modify, query_range) if by_sound and args.moments is None else ""
    long += f" (--range of up to {VERSION_QUERY_SECONDS:g} s reads a part as a clip)" if long else ""
    messages += [long] if long else []  # trial 61: said in the text output too, not only in --json's status
    level = svc.level_short_note(args.query, args.modify, results, query_range) if by_sound and args.moments is None \
        else ""  # trial 61: "make it quieter" listed only louder versions, unsaid
    messages += [level] if level else []
    if by_sound and notes.edits and args.moments is None and (problem := svc.rerank_problem):
        messages.append(f"warning: {problem}; the results keep their match order")
    if not model:
        messages.append("keyword search: the score is a text match, not a sound match (1 = every word in the "
                        "file name; 0.6 in its tags or metadata, 0.3 in its folder; less for fewer of the words)")
        anywhere, more = svc.keyword_inside_more(scope) if results and not args.offset else ("", 0)
        if more:  # trial 56: "hurt" listed 7 files, and malehurt03.ogg and 8 more went unsaid
            messages.append(f"{more} more file{'s hold' if more > 1 else ' holds'} \u201c{anywhere.strip('*')}\u201d "
                            f"inside a word: --keyword '{anywhere}' matches it anywhere")
    notes.carried = svc.carried_to_show(args.modify, earlier.texts) if earlier is not None else []
    if notes.carried:
        replaced = svc.earlier_replaced(args.modify, earlier.texts)
        gave_way = f" ({'; '.join(replaced)}: replaced by later words about the same sound)" if replaced else ""
        messages.append(f"still asked from earlier steps, read against the session's first sound "
                        f"{printable(earlier.first.name)}: " + "; ".join(notes.carried) + gave_way)
    elif earlier is not None and (replaced := svc.earlier_replaced(args.modify, earlier.texts)):  # trial 52: unsaid
        messages.append("from earlier steps, replaced by these words about the same sound: " + "; ".join(replaced))
    elif earlier is not None and (dropped := svc.earlier_not_counted(args.modify, earlier.texts)):
        messages.append("not counted now, from earlier steps: " + "; ".join(dropped)
                        + " (these words read as no edit; words that name one count them again)")
    listed = args.moments is None  # a file's moments: no YAMNet order, no other files named
    absent = "" if listed else svc.not_in_file_note(args.moments, args.modify, printable(args.moments.name))
    messages += [absent] if absent else []
    if not listed and len(results) == 1 and results[0].end is None:  # trial 55: one row, nothing said
        length = results[0].record.duration
        messages.append(f"{printable(args.moments.name)} is {'short' if length is None else f'{length:.1f} s'}: too "
                        "short to hold moments apart, so the whole file is its one match")
    first_page = not getattr(args, "offset", 0)  # the notes that count "the first N results" (trial 54: on page 2
    # they named files shown on page 1 as "not among the first 12 results")
    heard = svc.sounds_heard_alone(args.modify) if by_words and results and listed else []
    if heard:
        nowhere = svc.sounds_heard_nowhere(args.modify)
        if [h for h in heard if h not in nowhere]:  # trial 57: "ordered by how clearly it hears" what it hears nowhere
            messages.append(f"ordered by the match and by how clearly Nudge hears "
                            f"{' and '.join(h for h in heard if h not in nowhere)} in each file")
        if nowhere:  # trial 55: "church bells" gave other sounds, nothing saying no file holds bells
            messages.append(heard_nowhere_note(nowhere))
    if by_words and unknown is None and results and listed and first_page:  # trial 43: "footsteps" named none
        notes.named = svc.named_sound_notes(svc.words_alone_text(args.modify), [r.record.id for r in results])
        messages += [n.message() for n in notes.named]
        by_name = [n for n in notes.named if n.evidence == "name" and n.keyword]  # trial 48: nothing said how to
        if by_name:  # keep them (a keyword is a part of a name: "glass" keeps breakglass03.ogg)
            word = by_name[0].keyword
            messages.append(f"to keep only files whose paths or tags say {printable(word)}, run the same search with "
                            f"--keyword {printable(shlex.quote(word))}")
    if by_sound and args.modify and args.strength <= 0:
        messages.append("strength 0: the words count for nothing here (the sound alone ranks the results)")
    elif by_sound and args.modify and args.moments is None:
        notes.named = svc.named_sound_notes(args.modify, [r.record.id for r in results],
                                            exclude=[args.query.absolute()]) if first_page else []
        notes.unchanged = words_left_in_place(svc, args, results, scope=scope, query_range=query_range,
                                              more_like=more_like, less_like=less_like)
        little = little_change_note(notes.unchanged, len(results))
        unheard = svc.unheard_in_query(args.query, args.modify, query_range)  # "make the wind louder": no wind
        messages += [n.message() for n in notes.named]
        if notes.named:  # the notes give base names: the path to pull the search toward (the app's links do so)
            first = notes.named[0].examples[0]
            messages.append(f"to search more like {printable(first.name)}, run the same search with --more-like "
                            f"{printable(shlex.quote(os.fsdecode(first)))} (--json lists every file the notes keep)")
        messages += [n.message() for n in unheard] + ([little] if little else [])
        added = svc.added_sound_names(args.modify)
        if added and results:  # in a folder of single recordings no file holds the clip and the sound together
            # (README); with no result at all the same scope finds nothing alone either (trial 58: a missing --folder)
            notes.alone = alone_command(args, added)
            sounds = added[0] if len(added) == 1 else f"{', '.join(added[:-1])} and {added[-1]}"
            alone = "on its own" if len(added) == 1 else "on their own"  # trial 55: "thunder and birds and dog ..."
            messages.append(f"{sounds} {alone}, without the query sound: {printable(notes.alone)}")
    disk = results.disk_note("main.py index to update the library")
    moved = results.moves_note() if hasattr(results, "moves_note") and first_page else ""
    start = results.start_note(f"search --query {printable(shlex.quote(os.fsdecode(results.start_out)))} starts "
                               "from it again") if getattr(results, "start_out", None) and first_page else ""
    messages += [note for note in (disk, results.lowered_note(), moved, start) if note]
    lowered = results.lowered_takes_note() if hasattr(results, "lowered_takes_note") else None
    if lowered is not None and lowered.examples:  # how to bring one back (trial 46)
        first = lowered.examples[0]
        messages.append(f"to bring {printable(first.name)} back, run the same search with --more-like "
                        f"{printable(shlex.quote(os.fsdecode(first)))} (a take marked so is no longer lowered; files "
                        "moved up for holding the words' sound still come before it)")  # trial 53: 15th-25th
    if by_sound:
        notes.rerank_status = ("not used: a file's moments keep their match order" if args.moments is not None else
                               svc.rerank_status if notes.edits else "not used: no words that name an edit (such "
                               "as \"add thunder\")")
        if "reranking on" in notes.rerank_status and not any(r.reranked for r in results):  # said, not "on" alone
            notes.rerank_status += (f", but nothing was reordered: {long}" if long else  # no result read as a version
                                    ", but nothing was reordered: no first result is within the query's length (an "
                                    "edited version keeps it), or the edits name no sound it reads")
    return notes


def query_seconds(svc, query) -> float:
    """The query file's length in seconds (its library record, else its header; inf when unknown)."""
    record = svc.file_info(query)
    if record is not None and record.duration:
        return float(record.duration)
    try:
        return float(svc.audio_details(query).duration)
    except Exception:  # noqa: BLE001 - a file that cannot be read has its own note
        return float("inf")
