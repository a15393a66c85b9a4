"""Moments of long files in the results: a result is a file plus a time range (SearchResult.start / end; end
None = the whole file). Its times as text, its range as shares of the file (shaded on the mini waveform), and
the results view's drag of moments as WAV files of their range."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMimeData, Qt, QUrl
from PySide6.QtGui import QDrag, QMouseEvent

from app.service import clock, clock_range

Range = tuple[float, float]


def moment(result: Any) -> Range | None:
    """(start, end) seconds of a result that is a part of its file; None for a whole-file match."""
    end = getattr(result, "end", None)
    return (float(getattr(result, "start", 0.0)), float(end)) if end is not None else None


def has_more_moments(result: Any) -> bool:
    """Worth asking for this file's other moments: a moment, or several matched."""
    return moment(result) is not None or getattr(result, "moments", 1) > 1


def moment_text(result: Any) -> str:
    """6:00.0–6:10.0 (· 3 moments when several of the file matched); empty for a whole-file match."""
    found = moment(result)
    if found is None:
        return ""
    note = getattr(result, "moments_note", "")
    return clock_range(*found) + (f" · {note}" if note else "")


STANDS_OUT = "▲"
LOWERED = "▼"
MOVED_UP = "↑"  # moved up for holding a sound the words add (app.heard_edits)
MOVED_DOWN = "↓"  # moved down for still holding a sound the words remove (app.heard_edits)


def match_of(result: Any) -> float:
    """A result's plain cosine to the query (SearchResult.plain_match)."""
    return result.plain_match


def adjustment(result: Any) -> float:
    """What the ranking adds to the plain cosine (SearchResult.ranking_shift): positive for a long take's moment
    that stands out from the rest of its take, negative for a take lowered for lacking the query's sound, 0 for a
    plain cosine match."""
    return result.ranking_shift


def stand_out(result: Any) -> float:
    """How much the ranking adds to the plain cosine for a moment that stands out from its take (else 0)."""
    return max(adjustment(result), 0.0)


def lowered(result: Any) -> float:
    """How much the ranking takes off the plain cosine for a take that lacks the query's sound (else 0)."""
    return max(-adjustment(result), 0.0)


def match_text(result: Any) -> str:
    """The Match column: the cosine (never above 1), ▲ / ▼ when the ranking places the result above / below it, ↑
    when it was moved up for holding a sound the words add, ↓ down for still holding one they remove."""
    moved = MOVED_UP if getattr(result, "moved_up", False) else MOVED_DOWN if getattr(result, "moved_down", False) \
        else ""
    mark = STANDS_OUT if stand_out(result) else LOWERED if lowered(result) else moved
    return f"{match_of(result):.3f}" + mark


def match_tooltip(result: Any, alone: tuple[str, bool] | None = None) -> str:
    """What the Match column's number means for this result; ``alone``: a list for words on their own, (the words,
    whether it is ranked by how sure Nudge is that it hears them: a sound it was not trained on)."""
    if getattr(result, "match", None) is None:  # not ranked by sound ("Match names": a text match in [0, 1])
        return f"Match {match_of(result):.3f}: how well the words match its name, metadata and folder"
    what = "moment" if moment(result) else "sound"
    if alone is not None and alone[1]:  # trial 55: "how alike ... and the query sound" with no query sound
        text = (f"Match {match_of(result):.3f}: how sure Nudge is that it hears “{alone[0]}” in this {what} "
                "(1 = sure); Nudge can take one sound for another.")
    elif alone is not None:
        text = (f"Match {match_of(result):.3f}: how much this {what} sounds like “{alone[0]}” on its own "
                "(1 = the same sound, 0 = unrelated).")
    else:
        text = (f"Match {match_of(result):.3f}: how alike this {what} and the query sound are, with the words' change "
                "(1 = the same sound, 0 = unrelated).")
    if stand_out(result):  # trial 55: "ranking score -1.469" on a scale nobody was shown
        text += f"\n{STANDS_OUT} Ranked above this match: the moment stands out from the rest of its take."
    elif lowered(result):
        text += (f"\n{LOWERED} Ranked below this match: the take as a whole holds less of the sound the query asks "
                 "for (as Nudge hears it) than the query does, and this moment does not stand out enough to make up "
                 "for it.")
    if getattr(result, "moved_up", False):
        text += (f"\n{MOVED_UP} Moved up: it holds a sound the words add (Nudge hears it clearly or its name says "
                 "it); by its match alone it would rank lower.")
    if getattr(result, "moved_down", False):
        text += (f"\n{MOVED_DOWN} Moved down: it still holds a sound the words remove (Nudge hears it clearly); by its "
                 "match alone it would rank higher.")
    return text


def stand_out_note(results: list[Any]) -> str:
    """A line for the results header naming the results scored above (▲) or below (▼) their match, else "". The
    ranks are named: such a result may be further down the list, off the screen."""
    notes = []
    above = [r.rank for r in results if stand_out(r)]
    below = [r.rank for r in results if lowered(r)]
    if above:
        notes.append(f"{STANDS_OUT} {_ranks(above)} scored above {'its' if len(above) == 1 else 'their'} match for "
                     "how far the moment stands out from the rest of its long take")
    if below:
        notes.append(f"{LOWERED} {_ranks(below)} scored below {'its' if len(below) == 1 else 'their'} match: the long "
                     "take as a whole holds less of the query's sound than the query, and the moment does not stand "
                     "out enough to make up for it")
    if not notes:
        return ""
    return f"<br><span style='color:gray'>{'; '.join(notes)} (the tooltip says why)</span>"


def _ranks(ranks: list[int], shown: int = 4) -> str:
    """"#2, #7" or "#2, #7, #9, #12 and 3 more"."""
    text = ", ".join(f"#{r}" for r in ranks[:shown])
    return text + (f" and {len(ranks) - shown} more" if len(ranks) > shown else "")


def moment_tooltip(result: Any) -> str:
    """The Time column's tooltip: what the range is, and how to see the file's other moments."""
    found = moment(result)
    if found is None:
        return "The whole file matched (no moment of it stands out)"
    duration = getattr(getattr(result, "record", None), "duration", None)
    of = f" of {clock(duration)}" if duration else ""
    count = getattr(result, "moments", 1)
    text = f"The moment {clock_range(*found)}{of} matched best: Audition plays it, Use as query selects it"
    if count > 1:
        text += f"\n{count} separate moments of this file match: right-click → More moments in this file"
    return text


def region_shares(result: Any) -> Range | None:
    """The moment as shares of the file's duration (for the mini waveform), None without one."""
    found = moment(result)
    duration = getattr(getattr(result, "record", None), "duration", None)
    if found is None or not duration:
        return None
    return found[0] / duration, found[1] / duration


class RegionDragMixin:
    """Put before QTreeView in the bases (the model's rows are SearchResults). A drag that starts on the
    Waveform column carries each selected moment as a WAV file of its range (``region_file(path, start, end)``,
    written before the drag starts); from any other column, or for whole-file results, the files themselves."""

    region_file: Callable[[Path, float, float], Path] | None = None
    drag_failed: Callable[[str], None] | None = None
    _press_column = -1

    def mousePressEvent(self, event: QMouseEvent) -> None:  # Qt override
        self._press_column = self.indexAt(event.position().toPoint()).column()  # type: ignore[attr-defined]
        super().mousePressEvent(event)  # type: ignore[misc]

    def region_mime(self, rows: list[int]) -> QMimeData | None:
        """The drag's data for these rows with moments as region files; None if no row is a moment or a
        region cannot be written (``drag_failed`` says why)."""
        results = [self.model().rows[r] for r in rows]  # type: ignore[attr-defined]
        if self.region_file is None or not any(moment(r) for r in results):
            return None
        urls = []
        for result in results:
            found = moment(result)
            try:
                path = self.region_file(Path(result.path), *found) if found else Path(result.path)
            except Exception as exc:  # noqa: BLE001 - unreadable file, full disk: said, no drag
                if self.drag_failed is not None:
                    self.drag_failed(f"Cannot drag {Path(result.path).name} out: {exc}")
                return None
            urls.append(QUrl.fromLocalFile(str(path)))
        mime = QMimeData()
        mime.setUrls(urls)
        return mime

    def startDrag(self, supported: Qt.DropAction) -> None:  # Qt override
        model = self.model()  # type: ignore[attr-defined]
        columns = getattr(model, "columns", ())
        on_waveform = 0 <= self._press_column < len(columns) and columns[self._press_column].key == "waveform"
        rows = sorted({i.row() for i in self.selectionModel().selectedIndexes()})  # type: ignore[attr-defined]
        if not (on_waveform and any(moment(model.rows[r]) for r in rows)):
            super().startDrag(supported)  # type: ignore[misc]
            return
        mime = self.region_mime(rows)
        if mime is None:
            return
        drag = QDrag(self)  # type: ignore[arg-type]
        drag.setMimeData(mime)
        drag.exec(Qt.DropAction.CopyAction)
