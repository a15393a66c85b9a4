"""One search result: a library file (or a moment of it), its rank and scores (app.service returns these)."""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path

from app.db import FileRecord
from app.heard_edits import HeardMoves
from app.same_audio import QUERY_RANK

STAND_OUT_MIN = 0.005  # a ranking score this close to the plain cosine counts as a plain match
SPREAD_MOMENTS = 10  # this many moments about as good as the best: none stands out (a take matching all over)


@dataclass(frozen=True)
class SearchResult:
    path: Path
    score: float  # cosine to the query (a long take's moment may add IndexConfig.moment_contrast x its stand-out)
    rank: int  # 1 = best
    record: FileRecord
    start: float = 0.0  # the matching moment, seconds from the file's start
    end: float | None = None  # None: to the end of the file (a whole-file match)
    moments: int = 1  # separate matching moments of this file among the ranked ones
    match: float | None = None  # the moment's plain cosine to the query (score may add its stand-out); None: score
    reranked: bool = False  # placed by reading the edits moment by moment (app.rerank): ranks need not follow score
    same_as: int | None = None  # rank of a better result with the same audio (a copy: app.same_audio); 0: the query
    same_version: bool = False  # ... not the same audio but another version of it (another format or rate of the same
    # name: app.same_audio.version_ranks)
    changed: bool = False  # its file changed on disk since the import (size or time): the match is for the old sound
    moved_up: bool = False  # moved up for holding a sound the words add (app.heard_edits): its match ranks it lower
    moved_down: bool = False  # moved down for still holding a sound the words remove (app.heard_edits)
    copies: tuple[Path, ...] = ()  # copies of it folded into it by the app's results list (app.ui.copies)

    @property
    def imported_in_part(self) -> bool:
        """Whether its file was imported with a note (damaged part-way, cut short: app.db_metadata.noted_files)."""
        return getattr(self.record, "status", None) == "ok" and bool(getattr(self.record, "error", None))

    @property
    def moments_note(self) -> str:
        """"3 moments", "24 places alike: no moment stands out" (a take that matches all over), or "" (one moment,
        or a whole-file match, whose moments the file's list gives)."""
        if self.moments <= 1 or self.end is None:
            return ""
        if self.moments >= SPREAD_MOMENTS:
            return f"{self.moments} places alike: no moment stands out"
        return f"{self.moments} moments"

    @property
    def same_audio_note(self) -> str:
        """"same audio as #2", "same audio as the query", "another version of #2" (another format or rate), or ""
        (same_as)."""
        if self.same_as is None:
            return ""
        what = "another version of" if self.same_version else "same audio as"
        return f"{what} the query" if self.same_as == QUERY_RANK else f"{what} #{self.same_as}"

    @property
    def same_audio_mark(self) -> str:
        """The short form for a table: "= #2", "= query", "≈ #2" (another version), "+1 copy" (copies and versions
        folded into it) or ""."""
        if self.same_as is None:
            n = len(self.copies)
            return f"+{n} {'copy' if n == 1 else 'copies'}" if n else ""
        sign = "\u2248" if self.same_version else "="  # "≈ #2": another version of it
        return f"{sign} query" if self.same_as == QUERY_RANK else f"{sign} #{self.same_as}"

    @property
    def plain_match(self) -> float:
        """The plain cosine to the query (the score when there is no separate match, as for keyword results)."""
        return float(self.score if self.match is None else self.match)

    @property
    def ranking_shift(self) -> float:
        """score - plain_match: > 0 for a long take's moment that stands out from its take, < 0 for a take lowered
        for lacking the query's sound (app.moment_terms); 0 for a plain match, under STAND_OUT_MIN or not finite."""
        delta = float(self.score) - self.plain_match
        return delta if math.isfinite(delta) and abs(delta) >= STAND_OUT_MIN else 0.0


class ResultPage(list):
    """A page of SearchResults, best first, and what the search left out or could not vouch for: ``left_out`` hits
    whose files are gone from disk since the import, ``changed`` results whose files changed on disk since (their
    match is for the sound as imported). A rescan brings both up to date."""

    left_out: int = 0
    offline: int = 0  # hits left out because their folder is not on disk now (an unplugged drive)
    lowered_out: int = 0  # long takes the words' moment terms lowered out of view (app.moments.lowered_out_of)
    lowered_files: tuple[Path, ...] = ()  # the first of them, best plain match first (at most LISTED_FILES)
    heard_moves: HeardMoves = HeardMoves()  # first results moved for holding a sound the words add or remove
    # (app.heard_edits)
    named_words: tuple[str, ...] = ()  # words alone naming a sound neither Nudge nor YAMNet knows: ranked by the files'
    # names saying these words (a text match)
    start_out: Path | None = None  # a refine step's session start, left out: it lacks what earlier steps asked for

    def moves_note(self) -> str:
        """HeardMoves.note, saying when the results moved down are not among these rows (trial 56: "1 result ... is
        moved down" with no marked row in view: it was #77)."""
        if not self:  # trial 63: "5 results holding rain ... are moved up" beside "0 results" (all left out)
            return ""
        note = self.heard_moves.note()
        if self.heard_moves.down and not any(getattr(r, "moved_down", False) for r in self):
            note += f" ({'it is' if self.heard_moves.down == 1 else 'they are'} further down the list)"
        return note

    def start_note(self, back: str = "its step in the history goes back to it") -> str:
        """"the session's first sound, rain.wav, is left out: it lacks what the earlier steps asked for (``back``:
        how to return to it, the app's by default)", or ""."""
        if self.start_out is None:
            return ""
        return (f"the session's first sound, {self.start_out.name}, is left out: it lacks what the earlier steps "
                f"asked for ({back})")

    def lowered_note(self) -> str:
        """"3 long takes that match better than some results here are lowered out of view by the words: ...", or ""."""
        note = self.lowered_takes_note()
        return note.message() if note is not None else ""

    def lowered_takes_note(self) -> LoweredTakesNote | None:
        """The lowered takes as a note naming them (app.named_sounds' notes: the app makes each name a "more like this"
        link, the CLI prints --more-like for the first), or None when the words lowered none out of view."""
        if not self.lowered_out:
            return None
        from app.named_sounds import NAMED_FILES

        files = tuple(self.lowered_files)
        return LoweredTakesNote(self.lowered_out, files[:NAMED_FILES], others=files[NAMED_FILES:])

    @property
    def changed(self) -> int:
        return sum(r.changed for r in self)

    def disk_note(self, rescan: str) -> str:
        """"2 results left out: their files are gone since the last import; 1 result's file changed on disk since the
        import: the match is for the sound as imported (<rescan>)", or "" when nothing was."""
        parts = []
        if self.offline:
            s = "s" if self.offline > 1 else ""
            parts.append(f"{self.offline} result{s} left out: {'their folders are' if s else 'its folder is'} not on "
                         "disk now (an unplugged drive?)")
        if self.left_out:
            s = "s" if self.left_out > 1 else ""
            parts.append(f"{self.left_out} result{s} left out: {'their files are' if s else 'its file is'} gone since "
                         "the last import")
        names = [r.path.name for r in self if r.changed and r.same_as != QUERY_RANK]  # a copy of the query is left
        if names:  # out of what is shown, so no result to speak of (trial 54)
            whose = "results' files" if len(names) > 1 else "result's file"
            named = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
            parts.append(f"{len(names)} {whose} changed on disk since the import ({named}): the match is for the "
                         "sound as imported")
        return "; ".join(parts) + f" ({rescan})" if parts else ""


def disk_state(record: FileRecord) -> str:
    """A library file as its search result finds it on disk: "gone" (no file at its path, since the import),
    "offline" (its folder is not there either: an unplugged drive), "changed" (another size or modification time than
    at the import), or "" (as imported, or not to be told: a folder that may not be read)."""
    try:
        st = os.stat(record.path)
    except FileNotFoundError:
        if os.path.islink(record.path):
            return ""  # a dangling link: its import said so; not new
        return "gone" if os.path.isdir(record.path.parent) else "offline"  # its folder gone too: an unplugged drive
    except OSError:
        return ""
    return "changed" if st.st_size != record.size or abs(st.st_mtime_ns / 1e9 - record.mtime) > 1e-6 else ""


@dataclass(frozen=True)
class LoweredTakesNote:
    """Long takes that match better than some results shown but that the words' moment terms lowered out of view
    (trial 46: "102 long takes ... lowered out of view", none named, the bed's own sister takes among them at #464);
    shaped as app.named_sounds.NamedSoundNote, so its names are "more like this" links (a marked take is scored by
    its cosine alone: app.moments.rank_files)."""

    in_library: int  # how many
    examples: tuple[Path, ...]  # the first of them by plain match, named
    shared_names: frozenset[str] = frozenset()
    others: tuple[Path, ...] = ()  # the next of them: what "and N more" stands for
    sound: str = "long takes"

    def message(self) -> str:
        from app.named_sounds import names_and_more

        n = self.in_library
        they = ("s that match", "are", "they hold") if n > 1 else (" that matches", "is", "it holds")
        named = f": {names_and_more(self)}" if self.examples else ""
        return (f"{n} long take{they[0]} better than some results here {they[1]} lowered out of view by the words, as "
                f"a whole {they[2]} less of what the clip and the words ask for{named}")

    def other_names(self) -> list[str]:
        from app.named_sounds import other_names

        return other_names(self)
