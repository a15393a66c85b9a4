"""The results header's words for a search step: the query (with its selected part), the modifier as the
heads read it (its edits), unknown sound words, and the results marked more / less like this."""

from __future__ import annotations

import html
from typing import Any

from app.service import VERSION_QUERY_SECONDS, SearchService, little_change_note, reading_lead
from app.ui.history import mark_name, split_marks

NAMED_MARKS = 3  # marked results named in the header per direction; the rest are counted


UNMARK = "left out · <a href='unmark:'>list again</a>"  # results marked less like this (trial 52: one came back)
SHOW_ALL = "<a href='scope:all'>show all results</a>"  # the header's way out of a limit (trial 50: a restored
# "only words “heli”" went on through Back and a restart, said only by the filter box)


def warning_line(text_html: str) -> str:
    """A line of the results header that warns (orange): how the words were read, that they changed little ..."""
    return f"<br><span style='color:#b35c00'>{text_html}</span>"


def describe_step(service: SearchService, step: Any, named_first: tuple[str, ...] = ()) -> str:
    """HTML for "<n> results for ..." and "Searching… ...": the query and words, the marks on the same line, then
    the lines about the words (unknown sounds, earlier steps' edits); ``named_first``: unknown sounds whose named
    files the search put first (SearchDone.named_first)."""
    first, br, rest = describe_words(service, step, named_first).partition("<br>")
    return first + marks_text(step.feedback) + br + rest


def marks_text(feedback: tuple) -> str:
    """" · more like a.wav · less like b.wav (left out · list again)" for ((FeedbackMark, +1 / -1), ...) ("" without
    marks): results marked less like this are not listed (app.feedback.rejected_rows); "unmark:" clears those marks."""
    more, less = split_marks(feedback)
    return "".join(f" · {label} {describe_marks(found)}{tail}" for label, found, tail
                   in (("more like", more, ""), ("less like", less, f" ({UNMARK})")) if found)


def describe_marks(marks: tuple) -> str:
    """The marked results as the user saw them: names, a moment with its times (the part that was marked)."""
    names = [f"<i>{html.escape(mark_name(m))}</i>" for m in marks[:NAMED_MARKS]]
    rest = len(marks) - len(names)
    return ", ".join(names) + (f" and {rest} more" if rest else "")


def breakable(name: str) -> str:
    """A file name as HTML that may wrap after "_" or "-" (a zero-width space there): library names such as
    "AMB_City_Night_Traffic_Distant_..._MS.wav" have no spaces, and the header wraps rather than widen the window."""
    return html.escape(name).replace("_", "_\u200b").replace("-", "-\u200b")


def describe_words(service: SearchService, step: Any, named_first: tuple[str, ...] = ()) -> str:
    name = breakable(step.query_name)
    if not step.text:
        return f"sounds like <i>{name}</i>"
    described = f"<i>{name}</i> + “{html.escape(step.text)}” (strength {step.strength:.2f})"
    edits = service.reading_to_show(step.text)  # how the words were read, so a wrong reading can be rephrased
    reading = service.read_modifier(step.text)
    if len(edits) > 1:  # parts kept as typed are no edits (trial 45: "read as 2 edits", then "no edit read")
        lead = reading_lead(edits, not reading.edits)
        described += f" — {lead}: " + " + ".join(f"“{html.escape(e)}”" for e in edits)
    elif edits:
        described += f" — read as “{html.escape(edits[0])}”"
    unknown = {u.message(): i for i, u in enumerate(reading.unknown)}
    for message in reading.messages(named_first):  # unknown sound words: each nearest known one is a link that uses it
        shown = html.escape(message)
        if message in unknown:
            shown = unknown_html(shown, unknown[message])
        described += warning_line(shown)
    return described + earlier_html(service, step)


def earlier_html(service: SearchService, step: Any) -> str:
    """The earlier steps' edits this search still counts (a promoted result's refine session), with a link
    "forget:" that drops them; "" when none is counted."""
    if step.earlier is None:
        return ""
    carried = service.carried_to_show(step.text, step.earlier.texts)
    replaced = service.earlier_replaced(step.text, step.earlier.texts)
    if not carried and replaced:  # trial 52: the only earlier edit, replaced, went unsaid
        return (f"<br><span style='color:#1f5fa0'>From earlier steps, replaced by these words about the same sound: "
                f"{', '.join(f'“{html.escape(e)}”' for e in replaced)}</span>")
    if not carried:
        dropped = service.earlier_not_counted(step.text, step.earlier.texts)
        return (f"<br><span style='color:#1f5fa0'>Not counted now, from earlier steps: "
                f"{', '.join(f'“{html.escape(e)}”' for e in dropped)} (these words read as no edit; words that name "
                "one count them again)</span>") if dropped else ""
    edits = ", ".join(f"“{html.escape(e)}”" for e in carried)
    gave_way = (f" ({', '.join(f'“{html.escape(e)}”' for e in replaced)}: replaced by later words about the same "
                "sound)") if replaced else ""
    return (f"<br><span style='color:#1f5fa0'>Still asked from earlier steps, read against the session's first sound "
            f"<i>{breakable(step.earlier.first.name)}</i>: {edits}{gave_way} · <a href='forget:'>forget them</a>"
            "</span>")


def unknown_html(message: str, index: int) -> str:
    """An unknown word's message (escaped HTML: "kazoo: not a sound Nudge knows; nearest known: music, ...") with
    each nearest known sound a link "use:<index>:<k>": clicking it searches again with that sound in place of
    the word."""
    head, sep, tail = message.partition("; nearest known: ")
    if not sep:
        return message
    links = [f"<a href='use:{index}:{k}'>{name}</a>" for k, name in enumerate(tail.split(", "))]
    return f"{head}{sep}{', '.join(links)} (click one to use it)"


def note_html(note: Any, first_link: int, index: int = 0, files: bool = True) -> str:
    """A named-sound note (app.service.NamedSoundNote) with each named file a link "more:<n>" (n counting from
    ``first_link``): clicking one marks that file "more like this", which pulls the search toward the sound; its
    "and N more" a link "others:<index>" (``index``: the note's place among the search's notes) that lists the rest;
    an unheard-in-query note's suggestion ("add wind") a link "addsound:<sound>" that searches with it, an own-sound
    note's ("make it louder") a link "itlevel:<sound>"; a files-named note's keyword a link "keyword:<word>"."""
    message = html.escape(note.message())
    suggestion = html.escape(getattr(note, "suggestion", ""))
    if suggestion:  # "“add wind” asks for it": a link that asks for it (addsound:<sound>)
        link = f"<a href='{getattr(note, 'link', 'addsound')}:{html.escape(note.sound)}'>{suggestion}</a>"
        message = message.replace(f"\u201c{suggestion}\u201d", f"\u201c{link}\u201d", 1)
    start = message.find(": ") + 1  # names follow the sound's name; same-named files get a link each, in order
    for k, path in enumerate(note.examples if files else ()):  # (``files`` False: no file links, words alone)
        name = html.escape(path.name)
        at = message.find(name, start)
        if at < 0:
            continue
        link = f"<a href='more:{first_link + k}'>{name}</a>"
        message = message[:at] + link + message[at + len(name):]
        start = at + len(link)
    if files and getattr(note, "others", ()):  # "and 2 more": a menu of the files the note keeps but does not name
        rest = note.in_library - len(note.examples)
        more = f" and {rest} more"
        if message.endswith(more):
            message = f"{message[:-len(more)]} and <a href='others:{index}'>{rest} more</a>"
    click = " · click a name to search more like it" if files and note.examples else ""
    word = html.escape(getattr(note, "keyword", ""))
    if word:  # trial 48: nothing said how to keep only the files named for it (keyword:<word>)
        click += f" · <a href='keyword:{word}'>keep only files named \u201c{word}\u201d</a>"
    return f"<span style='color:#1f5fa0'>{message}{click}</span>"


def alone_html(names: list[str]) -> str:
    """Links "alone:<k>" that find each sound the words add on its own ("" for none): in a library of single
    recordings no file holds the clip and the sound together, but files of the sound alone may be there."""
    if not names:
        return ""
    links = ", ".join(f"<a href='alone:{k}'>{html.escape(name)}</a>" for k, name in enumerate(names))
    return f"<br><span style='color:#1f5fa0'>Find on its own, without the query sound: {links}</span>"


def rerank_html(results: list[Any], in_order: int = 0) -> str:
    """A line saying that the first results were reordered by reading the words' edits moment by moment (so their
    match column need not fall monotonically); "" when none was, or when the words left them all in place
    (``in_order`` first results as without the words; trial 58: "changed little" beside "not by match alone")."""
    moved = sum(1 for r in results if getattr(r, "reranked", False)  # rows, not the copies folded into them (trial
                and getattr(r, "same_as", None) is None)  # 59: "the first 50 are ordered" over "48 results")
    if not moved or moved <= in_order:
        return ""
    which = "The first is placed" if moved == 1 else f"The first {moved} are ordered"
    return (f"<br><span style='color:gray'>{which} by how each shows the words' edits against "
            "the query, moment by moment, not by match alone</span>")


def little_change_html(unchanged: int | None, shown: int) -> str:
    """A line saying that the words left the first results as they were (app.service_gallery.little_change_note;
    ``shown``: how many results there are); "" when they did change them, or nothing was compared."""
    note = little_change_note(unchanged, shown)
    return warning_line(html.escape(note[0].upper() + note[1:])) if note else ""


def after_results_html(done: Any) -> str:
    """The header's lines under a search's results (app.ui.session.SearchDone): the reordering by the edits, results
    moved below for holding a sound the words remove, a query over 60 s read as a long take, words that changed
    little, a query file not on disk searched with its sound as imported, or changed, a selection too short, or level
    words no result follows."""
    offline = (warning_line(f"The query file {html.escape(done.query_offline)}: searched with its sound as imported")
               if done.query_offline else "")
    for note in (getattr(done, "query_changed", ""), getattr(done, "short_part", ""),  # trial 59: the CLI alone
                 getattr(done, "level_short", "")):  # said a part was too short
        offline += warning_line(html.escape(_sentence(note))) if note else ""
    disk = warning_line(html.escape(_sentence(done.disk))) if done.disk else ""
    moved = f"<br><span style='color:gray'>{html.escape(done.moved)}</span>" if getattr(done, "moved", "") else ""
    long = getattr(done, "long_query", "")
    moved += (f"<br><span style='color:gray'>{html.escape(_sentence(long))} (select up to {VERSION_QUERY_SECONDS:g} "
              "s of it to search with that part as a clip)</span>") if long else ""
    return (rerank_html(done.results, done.unchanged or 0) + moved
            + little_change_html(done.unchanged, len(done.results)) + offline + disk)


def _sentence(note: str) -> str:
    return note[:1].upper() + note[1:]
