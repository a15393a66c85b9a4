"""Results that still clearly hold a sound the words remove go below the others of the first K (trial 49).

A night ambience + "remove the crickets" put a cricket loop first: the reader knows "crickets" (insects) but the
heads were not trained on it, and the moment-by-moment reranker reads only results of about the query's length,
so in a folder of single recordings nothing told the cricket loop apart. YAMNet's class maxima, kept per row at
import, do: a result in which YAMNet clearly hears a sound the words remove (probability >= HEARD for one of the
sound's AudioSet classes), when it clearly hears that sound in the query too, is the opposite of what was asked.
Such results are moved below the other reordered results (the first K), keeping their order among themselves;
results past K keep their places. Only results the reranker did not read count (another length, a long take's
moment, unreadable): where it compared a result's moments with the query's, its reading stands (a traffic bed
keeps its horns when the horn event is removed). A removed sound YAMNet does not hear in the query changes nothing:
the words may name what it misses there. docs/MEASUREMENTS.md, "Removed sounds still heard", has the measurements.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from app.moment_terms import ROW_HELD
from model.class_scores import has_classes, probabilities, sound_classes
from model.edits import REMOVE, Edit

HEARD = ROW_HELD  # YAMNet probability at which a sound counts as clearly heard (0.5, as for the window floor)


@dataclass(frozen=True)
class MovedBelow:
    """What the rule moved: how many of the first results, and the removed sounds they still hold (sound ids)."""

    count: int = 0
    sounds: tuple[str, ...] = ()

    def note(self) -> str:
        """"2 results in which YAMNet clearly hears insects, which the words remove, are moved below the others", or
        "" when none was."""
        if not self.count:
            return ""
        from model.sound_vocab import BY_ID

        what = " or ".join(BY_ID[s].name if s in BY_ID else s.replace("_", " ") for s in self.sounds)
        if self.count == 1:
            return f"1 result in which YAMNet clearly hears {what}, which the words remove, is moved below the others"
        return (f"{self.count} results in which YAMNet clearly hears {what}, which the words remove, are moved below "
                "the others")


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


def held_removed(removed: dict[str, np.ndarray], rows: np.ndarray) -> list[str]:
    """The removed sounds YAMNet clearly hears in a result, from its rows' (R, 521) uint8 class maxima (a whole file's
    row, or a moment's windows); rows without class scores hold nothing known."""
    rows = np.atleast_2d(np.asarray(rows))
    rows = rows[has_classes(rows)]
    if not len(rows):
        return []
    p = probabilities(rows).max(axis=0)
    return [sound for sound, columns in removed.items() if float(p[columns].max()) >= HEARD]


def moved_below(count: int, held: Callable[[int], list[str]]) -> tuple[list[int], MovedBelow]:
    """The order of the first ``count`` results with those still holding a removed sound (``held(i)``: the removed
    sounds result i holds) after the others, each group in its order; and what was moved."""
    keep, moved, sounds = [], [], []
    for i in range(count):
        found = held(i)
        (moved if found else keep).append(i)
        sounds += [s for s in found if s not in sounds]
    return keep + moved, MovedBelow(len(moved), tuple(sounds))
