"""One search result: a library file (or a moment of it), its rank and scores (app.service returns these)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from app.db import FileRecord
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
        """"same audio as #2", "same audio as the query", or "" (same_as)."""
        if self.same_as is None:
            return ""
        return "same audio as the query" if self.same_as == QUERY_RANK else f"same audio as #{self.same_as}"

    @property
    def same_audio_mark(self) -> str:
        """The short form for a table: "= #2", "= query" or ""."""
        if self.same_as is None:
            return ""
        return "= query" if self.same_as == QUERY_RANK else f"= #{self.same_as}"

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
