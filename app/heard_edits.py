"""The first K results reordered by what YAMNet hears in them of the sounds the words add or remove (trial 49).

The moment-by-moment reranker (app.rerank) reads only results of about the query's length. In a folder of single
recordings it reads none, and the heads know few sounds: a rain bed + "add thunder" ranked a railgun hum and a
fireball above the library's thunder recordings, and a night ambience + "remove the crickets" put a cricket loop
first. YAMNet's class maxima, kept per row at import, tell such results apart. Two rules, on the first K results:

- added sounds: the slots of the results the reranker did not read are refilled with those same results, the ones
  in which YAMNet hears the main AudioSet class of an event sound the words add (a dog, thunder; not birds or rain,
  which long takes hold as their bed) at HEARD_ADDED or more first (each group in its order). Results the reranker
  read keep their slots: a gallery of a clip's versions ranks as before.
- removed sounds: a result the reranker did not read in which YAMNet clearly hears (HEARD) a sound the words remove,
  when it clearly hears that sound in the query too, goes below the others of the first K. A removed sound YAMNet
  does not hear in the query changes nothing: the words may name what it misses there.

Where the reranker compared a result's moments with the query's, its reading stands (a traffic bed keeps its horns
when the horn event is removed). Later rounds (rule_sounds): a sound of both roles (birds, a helicopter) the words add
counts by its names alone; for words changing only the level of "it", the query's own sound counts as added; a long
take's moment holds a sound heard at HEARD. docs/MEASUREMENTS.md ("Removed sounds still heard", "Added sounds heard"
and the rounds after them) has the rules' measurements.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from app.moment_terms import ROW_HELD
from app.named_sounds import HEARD_MIN
from model.class_scores import has_classes, main_sound_class, probabilities, sound_classes
from model.edits import ADD, LOUDER, QUIETER, REMOVE, Edit

if TYPE_CHECKING:
    from app.config import IndexConfig

HEARD = ROW_HELD  # YAMNet probability at which a removed sound counts as clearly heard (0.5, as for the window floor)
HEARD_ADDED = HEARD_MIN  # ... at which a result holds an added sound's main class (0.85: the named files' threshold,
# precision 0.944 on the catalog's val split)


@dataclass(frozen=True)
class HeardMoves:
    """What the rules moved among the first results: how many were moved up for holding a sound the words add, how
    many below for still holding one they remove, and those sounds (ids)."""

    up: int = 0
    up_sounds: tuple[str, ...] = ()
    down: int = 0
    down_sounds: tuple[str, ...] = ()
    up_ids: frozenset[int] = field(default=frozenset(), compare=False)  # the ids of those moved up (heard_order's
    # ``ident``: the search's file ids)
    down_ids: frozenset[int] = field(default=frozenset(), compare=False)  # ... of those moved down (trial 54: "moved
    # below the others" named no row)
    kept: bool = False  # the sounds moved up for are ones whose level the words change (named, or "it"'s)
    by_name: bool = False  # ... are sounds Nudge does not know, found by the files' names alone

    @property
    def named_first(self) -> tuple[str, ...]:
        """The sounds Nudge does not know whose named files were moved first (app.added_beyond.unknown_first)."""
        return self.up_sounds if self.by_name and self.up else ()

    def note(self) -> str:
        """"3 results holding thunder (Nudge hears it clearly or the name says it), which the words add, are moved
        up; 1 result in which Nudge clearly hears rain, which the words remove, is moved down, below the first results
        without it", or "" when none was."""
        parts = []
        if self.up:
            why = "the sound whose level the words change" if self.kept else "which the words add"
            how = "the name says it" if self.by_name else "Nudge hears it clearly or the name says it"
            parts.append(f"{_results(self.up)} holding {_names(self.up_sounds)} ({how}), {why}, "
                         f"{'is' if self.up == 1 else 'are'} moved up")
        if self.down:
            parts.append(f"{_results(self.down)} in which Nudge clearly hears "
                         f"{_names(self.down_sounds)}, which the words remove, {'is' if self.down == 1 else 'are'} "
                         "moved down, below the first results without it")
        return "; ".join(parts)


def _results(n: int) -> str:
    return f"{n} result{'s' if n != 1 else ''}"


def _names(sounds: Sequence[str]) -> str:
    from model.sound_vocab import BY_ID

    return " or ".join(BY_ID[s].name if s in BY_ID else s.replace("_", " ") for s in sounds)


def added_columns(edits: Sequence[Edit]) -> dict[str, np.ndarray]:
    """The event sounds the edits add (a dog, thunder: not birds or rain, which a long take holds as its bed), each
    with its main AudioSet class column ({} without such edits)."""
    from model.sound_vocab import BY_ID, EVENT

    found = {}
    for edit in edits:
        event = edit.kind == ADD and edit.sound in BY_ID and BY_ID[edit.sound].role == EVENT
        column = main_sound_class(edit.sound) if event else None
        if column is not None and edit.sound not in found:
            found[edit.sound] = np.array([column], dtype=np.int64)
    return found


def rule_sounds(edits: Sequence[Edit], query_classes: np.ndarray | None, heard: bool = True, named: bool = True,
                both: bool = True, kept: bool = True, beds: bool = True, level: bool = False,
                quieter_own: bool = False, not_heard: frozenset[str] = frozenset()
                ) -> tuple[dict[str, np.ndarray], list, bool]:
    """What the added sounds' rules look for: (sound -> YAMNet columns, AskedSounds of their names, whether they are
    sounds whose level the words change: named ones, or the query's own for "it"). ``heard``: the rules on
    (IndexConfig.added_heard); ``named``, ``both``, ``kept``, ``beds``, ``level``, ``quieter_own``:
    IndexConfig.added_named, added_named_both, level_kept, added_named_beds, level_named, level_quieter_own;
    ``not_heard``: sounds made quieter that are not lifted (quieter_unheard, IndexConfig.quieter_needs_heard)."""
    if not heard:
        return {}, [], False
    from app.named_files import asked_sound

    added = added_columns(edits)
    names = added_names(edits, both, beds) if named else []
    if added or names:
        return added, names, False
    leveled = [s for s in (level_sounds(edits, query_classes if quieter_own else None) if level else [])
               if s not in not_heard]
    if leveled:  # "more traffic", "bring the birds up": that sound as if added (trials 50-51)
        columns = added_columns([Edit(ADD, s) for s in leveled])
        return columns, [asked_sound(s) for s in leveled] if named else [], True
    if not kept:
        return {}, [], False
    own = kept_columns(edits, query_classes)
    return own, [asked_sound(s) for s in own] if named else [], bool(own)


def level_sounds(edits: Sequence[Edit], own_for_quieter: np.ndarray | None = None) -> list[str]:
    """The sounds Nudge knows whose level the edits change by name ("make the traffic louder", "bring the birds
    up"; not "it"), once each. ``own_for_quieter``: the query's class maxima; a sound made quieter then counts only
    when it is the query's own (model.own_sound.is_main_heard: other recordings of it, quieter), never one in a mix
    the words turn down (trial 54: "less wind" on wind + rain moved wind recordings up)."""
    from model.own_sound import is_main_heard
    from model.sound_vocab import BY_ID

    return list(dict.fromkeys(e.sound for e in edits if e.kind in (LOUDER, QUIETER) and e.sound in BY_ID and (
        own_for_quieter is None or e.kind == LOUDER or is_main_heard(own_for_quieter, e.sound))))


def kept_columns(edits: Sequence[Edit], query_classes: np.ndarray | None) -> dict[str, np.ndarray]:
    """Words that only change the level of "it" ("make it quieter"): the sound Nudge knows whose main AudioSet class
    YAMNet hears most in the query (its (521,) uint8 class maxima), at HEARD_ADDED or more, with that column; the
    added sounds' rules then keep it first (IndexConfig.level_kept). {} for other words or no such sound."""
    from model.sound_vocab import BY_ID

    if not edits or any(e.kind not in (LOUDER, QUIETER) or not e.is_main for e in edits):
        return {}
    if query_classes is None or not has_classes(query_classes):
        return {}
    p = probabilities(np.asarray(query_classes))
    heard = {s: float(p[c]) for s in BY_ID if (c := main_sound_class(s)) is not None}
    best = max(heard, key=heard.get, default=None)
    return {best: np.array([main_sound_class(best)], dtype=np.int64)} if best and heard[best] >= HEARD_ADDED else {}


def added_names(edits: Sequence[Edit], both: bool = False, beds: bool = False) -> list:
    """The event sounds the edits add, as the files-named note reads names for them (app.named_files.AskedSound);
    ``both``: and those of both roles (birds, a helicopter: an event or a bed; IndexConfig.added_named_both), ``beds``:
    and beds (rain, wind; IndexConfig.added_named_beds), for their names alone (added_columns leaves them out: YAMNet
    hears them in takes' beds)."""
    from app.named_files import asked_sound
    from model.sound_vocab import BACKGROUND, BOTH, BY_ID

    roles = {BOTH} if both else set()
    roles |= {BACKGROUND} if beds else set()
    sounds = list(added_columns(edits))
    sounds += [e.sound for e in edits if e.kind == ADD and e.sound in BY_ID and BY_ID[e.sound].role in roles]
    return [asked_sound(sound) for sound in dict.fromkeys(sounds)]


def named_sounds_of(asked: Sequence, path) -> list[str]:
    """Of these asked sounds, those a file's name or folder says, as the files-named note reads them (not a weapon's
    or music folder's file, nor one named for another sound: app.named_files.says_it)."""
    from app.named_files import says_it

    return [a.sound for a in asked if says_it(str(path), "", a)]


def held_added(added: dict[str, np.ndarray], named: Sequence, rows: np.ndarray, path, apart: bool = False,
               moment: bool = False) -> list[str]:
    """The added sounds a result holds: heard at HEARD_ADDED or more in its rows' class maxima, or said by its name
    or folder (``named``: added_names; ``path``: the result's file, None if unknown). ``apart``: YAMNet's hearing
    does not count for a file whose name or folder says another sound instead (jets heard as explosions; as the
    files-named note reads names, app.named_sounds.names_another_sound). ``moment``: the rows are a long take's
    moment, whose windows hold the take's bed beside the event: heard at HEARD, and the take's name (its bed's or
    scene's) no guard (IndexConfig.added_moment_heard)."""
    heard = heard_sounds(added, rows, HEARD if moment else HEARD_ADDED)
    if apart and path is not None and not moment:  # a take's name says its bed, not each event in it
        from pathlib import Path

        from app.named_sounds import names_another_sound

        heard = [s for s in heard if not names_another_sound(Path(path), s)]
    said = named_sounds_of(named, path) if path is not None else []
    return heard + [s for s in said if s not in heard]


def removed_columns(edits: Sequence[Edit], query_classes: np.ndarray | None) -> dict[str, np.ndarray]:
    """The sounds the edits remove that YAMNet clearly hears in the query (its (521,) uint8 class maxima), each with
    its AudioSet class columns; {} without query class scores or such edits."""
    if query_classes is None or not has_classes(query_classes):
        return {}
    p = probabilities(np.asarray(query_classes))
    found = {}
    for edit in edits:
        if edit.kind != REMOVE or edit.sound in found:
            continue
        columns = sound_classes([edit.sound])
        if len(columns) and float(p[columns].max()) >= HEARD:
            found[edit.sound] = columns
    return found


def heard_sounds(sounds: dict[str, np.ndarray], rows: np.ndarray, at: float = HEARD) -> list[str]:
    """Of these sounds (id -> class columns), those YAMNet hears at ``at`` or more in a result, from its rows' (R, 521)
    uint8 class maxima (a whole file's row, or a moment's windows); rows without class scores hold nothing known."""
    rows = np.atleast_2d(np.asarray(rows))
    rows = rows[has_classes(rows)]
    if not len(rows) or not sounds:
        return []
    p = probabilities(rows).max(axis=0)
    return [sound for sound, columns in sounds.items() if float(p[columns].max()) >= at]


def heard_order(count: int, read: Callable[[int], bool], added: Callable[[int], list[str]],
                removed: Callable[[int], list[str]], placed: Callable[[int], bool] = lambda i: False,
                ident: Callable[[int], int] = lambda i: i, share: float = 1.0, hint: bool = False
                ) -> tuple[list[int], HeardMoves]:
    """The order of the first ``count`` results (positions into them) after both rules, and what moved. ``read(i)``:
    the reranker read result i (it keeps its slot and is never moved); ``added(i)`` / ``removed(i)``: the added /
    removed sounds result i holds; ``placed(i)``: result i is a long take's moment, which the moment terms placed by
    its windows' class scores: it keeps its slot in the added sounds' rule (docs/MEASUREMENTS.md); ``ident(i)``: the
    id HeardMoves.up_ids gives result i by (its position unless said). ``share``: the words' strength below 1 lifts
    that share of the holders (lifted_count, the first in their order; trial 51: the slider was an on/off switch);
    ``hint``: below 1, hint_offset(share) of the other results keep the first slots before them
    (IndexConfig.hint_later), and a holder with fewer before it keeps its slot (trial 58: at 0.05 the mix holding
    the dog, second by its match, went sixth and was marked "moved up")."""
    unread = [i for i in range(count) if not read(i) and not placed(i)]
    holds = {i: added(i) for i in unread}
    holders = [i for i in unread if holds[i]]
    holders = holders[: lifted_count(len(holders), share)]
    chosen = set(holders)
    others = [i for i in unread if i not in chosen]
    delay = hint_offset(share, hint)
    after = {i: min(delay, sum(o < i for o in others)) for i in holders}  # how many others keep slots before it
    lifted = []
    for k, other in enumerate(others):
        lifted += [i for i in holders if after[i] == k] + [other]
    lifted += [i for i in holders if after[i] >= len(others)]
    refill = iter(lifted)
    order = [next(refill) if i in holds else i for i in range(count)]
    ups = [i for slot, i in zip(unread, lifted, strict=True) if i in chosen and slot < i]
    up = len(ups)
    up_sounds = _union(holds[i] for i in holders)
    keep, below, down_sounds = [], [], []
    for i in order:
        found = [] if read(i) else removed(i)
        (below if found else keep).append(i)
        down_sounds += [s for s in found if s not in down_sounds]
    return keep + below, HeardMoves(up, up_sounds if up else (), len(below), tuple(down_sounds),
                                     frozenset(map(ident, ups)), frozenset(map(ident, below)))


HINT_SLOTS = 5  # at a strength near 0 the files lifted for the words' sound come after this many others


def hint_offset(strength: float, on: bool = True) -> int:
    """How many results keep the first slots before the files lifted for the words' sound at this strength: 0 from
    1 up, up to HINT_SLOTS near 0 (trial 54: at 0.1 a bird recording matching 0.69 came first above forest beds
    matching 0.93; IndexConfig.hint_later, ``on``)."""
    return 0 if not on or strength >= 1 else int(math.floor((1 - max(strength, 0.0)) * HINT_SLOTS + 0.5))


def lifted_count(holders: int, share: float) -> int:
    """How many of ``holders`` files holding an added sound a search lifts (or pulls) at the words' strength
    ``share``: all from 1 up, else that share rounded up (a strength above 0 lifts at least one)."""
    if share >= 1:
        return holders
    return min(holders, math.ceil(max(share, 0.0) * holders))


def _union(groups) -> tuple[str, ...]:
    out: list[str] = []
    for group in groups:
        out += [s for s in group if s not in out]
    return tuple(out)


def withheld_quieter(edits: Sequence[Edit], query_classes: np.ndarray | None, query: Path | None,
                     query_range: tuple[float, float] | None, config: IndexConfig) -> frozenset[str]:
    """The sounds made quieter by name that no file is lifted for (quieter_unheard): with
    IndexConfig.quieter_needs_heard, in a query (or range) lasting quieter_unheard_seconds or more, a take or a bed,
    never a one-shot: "make the footsteps quieter" on a footstep Nudge hears as something else asks for quieter
    footsteps; "less thunder" on a rain take Nudge hears no thunder in asks for no thunder recording (trial 57)."""
    if not config.quieter_needs_heard or not any(e.kind == QUIETER for e in edits):
        return frozenset()
    from app.rerank_reads import query_length

    length = query_length(query, query_range) if query is not None else math.nan
    if not (math.isfinite(length) and length >= config.quieter_unheard_seconds):
        return frozenset()
    return quieter_unheard(edits, query_classes, query)


def quieter_unheard(edits: Sequence[Edit], query_classes: np.ndarray | None, query: Path | None) -> frozenset[str]:
    """The sounds the words make quieter by name that the unheard note says Nudge does not hear in the query
    (app.named_sounds.unheard_in_query; the query file's name saying one counts as hearing it): with
    IndexConfig.quieter_needs_heard none of them is lifted (trial 57: "less thunder" on a rain bed said "Nudge does
    not hear it" and lifted 12 thunder recordings above the rain beds)."""
    from app.named_sounds import UnheardNote, name_sounds, unheard_in_query
    from model.sound_vocab import BY_ID

    quieter = [e for e in edits if e.kind == QUIETER and e.sound in BY_ID]
    if not quieter:
        return frozenset()
    said = set(name_sounds(Path(query))) if query is not None else set()
    by_name = {BY_ID[s].name: s for s in BY_ID}
    return frozenset(by_name[n.sound] for n in unheard_in_query(quieter, query_classes)
                     if isinstance(n, UnheardNote) and n.kind == QUIETER and by_name.get(n.sound) not in said)
