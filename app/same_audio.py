"""Results that are the same audio as a better-ranked one: a file copied into two folders, renamed, or converted
to another lossless format decodes to the same samples and so gets the same stored vector."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

SAME_VECTOR = 1.0 - 1e-6  # cosine of two whole-file vectors of the same samples (float32 rounding only)
SAME_SECONDS = 1e-3  # and their durations agree to the millisecond
QUERY_RANK = 0  # SearchResult.same_as of a result that is the same audio as the query sound
CHECKED_RESULTS = 1000  # results compared for copies (a page of the app shows 50)


def same_audio(a: np.ndarray, b: np.ndarray, seconds_a: float | None, seconds_b: float | None) -> bool:
    """Two whole-file unit vectors (and durations, None: unknown) of the same samples."""
    same_length = seconds_a is None or seconds_b is None or abs(seconds_a - seconds_b) <= SAME_SECONDS
    return same_length and float(np.dot(np.asarray(a, np.float64), np.asarray(b, np.float64))) >= SAME_VECTOR


def same_audio_ranks(vectors: np.ndarray, durations: Sequence[float | None], ranks: Sequence[int],
                     query: tuple[np.ndarray, float | None] | None = None, limit: int = CHECKED_RESULTS
                     ) -> list[int | None]:
    """Per result (best first): QUERY_RANK when it is the same audio as the query sound (``query``: A(query) and
    its seconds, if known), else the rank of the first better-ranked result with the same audio, else None.
    ``vectors``: the results' whole-file unit vectors (N, D). Only the first ``limit`` results are compared (one
    matrix product: the cost grows with the square of the count)."""
    found: list[int | None] = [None] * len(ranks)
    m = min(len(ranks), limit)
    if m == 0:
        return found
    unit = np.asarray(vectors[:m], dtype=np.float64)
    seconds = np.array([np.nan if d is None else float(d) for d in durations[:m]])
    unknown = np.isnan(seconds)
    same = (unit @ unit.T >= SAME_VECTOR) & (unknown[:, None] | unknown[None, :]
                                             | (np.abs(seconds[:, None] - seconds[None, :]) <= SAME_SECONDS))
    as_query = np.zeros(m, dtype=bool)
    if query is not None:
        q = np.asarray(query[0], dtype=np.float64) / max(float(np.linalg.norm(query[0])), 1e-12)
        length_ok = unknown | (True if query[1] is None else np.abs(seconds - float(query[1])) <= SAME_SECONDS)
        as_query = (unit @ q >= SAME_VECTOR) & length_ok
    for i in range(m):
        if as_query[i]:
            found[i] = QUERY_RANK
            continue
        found[i] = next((ranks[j] for j in np.flatnonzero(same[i, :i]) if found[j] is None), None)
    return found


def originals_first(hits: list, first_rows: np.ndarray, matrix: np.ndarray, keep: int | None = None,
                    limit: int = CHECKED_RESULTS) -> list:
    """Hits (app.moments.FileHit) with each run of the same audio (same whole-file vector, next to each other: a
    tie) led by the file kept (``keep``: the query file, in a search that keeps it) or else the one imported first
    (lowest file id). A tie's order put a stray copy in another folder above the library's own file, and which one
    stood for the group changed between searches (trial 54). Copies apart stay apart: a rule placed them (a file
    named for the words first). Only the first ``limit`` hits are compared."""
    m = min(len(hits), limit)
    if m < 2:
        return hits
    unit = np.asarray(matrix[[int(first_rows[h.block]) for h in hits[:m]]], dtype=np.float64)
    unit /= np.maximum(np.linalg.norm(unit, axis=1, keepdims=True), 1e-12)
    same_as_next = np.einsum("ij,ij->i", unit[:-1], unit[1:]) >= SAME_VECTOR
    out, i = list(hits), 0
    while i < m:
        end = i + 1
        while end < m and same_as_next[end - 1]:
            end += 1
        run = hits[i:end]
        lead = next((h for h in run if h.file_id == keep), None) or min(run, key=lambda h: h.file_id)
        out[i:end] = [lead] + [h for h in run if h is not lead]
        i = end
    return out


# versions: the same name (format, rate, bit depth and channel tags aside), about the same length and a sound close to
# it: "thunder.wav", "thunder_48k24.wav", "thunder_96k.flac", "thunder.mp3" (a trial's deliverables filled six rows
# with one sound; on its 6,012 files this caught 0.83 of the pairs of versions and 7 pairs of other recordings of 18M)
VERSION_VECTOR = 0.9  # cosine of two whole-file vectors of versions (a resampled or lossy copy moves the vector)
VERSION_LENGTH = 0.05  # their durations agree within this share (an MP3 encoder pads)
_TAGS = re.compile(r"(?:[ _.\-](?:\d+(?:[.,]\d+)?k(?:hz)?\d*|\d+ ?bits?|\d+b|mono|stereo|st|mn))+$", re.IGNORECASE)


def versions_alike(a: np.ndarray, b: np.ndarray, seconds_a: float | None, seconds_b: float | None, key_a: str,
                   key_b: str) -> bool:
    """Two whole-file unit vectors of versions of one sound: the same name key (name_key, not empty), lengths within
    VERSION_LENGTH of each other (None: unknown, no test) and a cosine of VERSION_VECTOR or more."""
    close_length = (seconds_a is None or seconds_b is None
                    or abs(seconds_a - seconds_b) <= VERSION_LENGTH * max(seconds_a, seconds_b))
    return bool(key_a) and key_a == key_b and close_length and float(
        np.dot(np.asarray(a, np.float64), np.asarray(b, np.float64))) >= VERSION_VECTOR


def name_key(name: str) -> str:
    """A file name without its extension and trailing format tags, lower case: "Thunder_48k24.WAV" -> thunder."""
    return _TAGS.sub("", os.path.splitext(os.path.basename(name))[0].lower()).strip(" _.-")


def version_ranks(vectors: np.ndarray, durations: Sequence[float | None], ranks: Sequence[int], names: Sequence[str],
                  found: list[int | None], query: tuple[np.ndarray, float | None, str] | None = None,
                  limit: int = CHECKED_RESULTS) -> tuple[list[int | None], list[bool]]:
    """``found`` (same_audio_ranks') with the results that are no copy but another version of the query (``query``:
    A(query), its seconds and file name) or of a better-ranked result filled in, and per result whether it is such
    a version."""
    out, version = list(found), [False] * len(found)
    m = min(len(ranks), limit)
    keys = [name_key(n) for n in names[:m]]
    unit = np.asarray(vectors[:m], dtype=np.float64)
    seconds = [None if d is None else float(d) for d in durations[:m]]

    def alike(i: int, vector: np.ndarray, key: str, length: float | None) -> bool:
        return versions_alike(unit[i], vector, seconds[i], length, keys[i], key)

    if query is not None:
        q = np.asarray(query[0], dtype=np.float64) / max(float(np.linalg.norm(query[0])), 1e-12)
        query_key = name_key(query[2])
    firsts: dict[str, list[int]] = {}  # per name key, the results so far that are no copy or version themselves
    for i in range(m):
        if out[i] is not None:
            continue
        if query is not None and alike(i, q, query_key, query[1]):
            out[i], version[i] = QUERY_RANK, True
            continue
        j = next((j for j in firsts.get(keys[i], ()) if alike(i, unit[j], keys[j], seconds[j])), None)
        if j is not None:
            out[i], version[i] = ranks[j], True
        elif keys[i]:
            firsts.setdefault(keys[i], []).append(i)
    return out, version


LOSSY = frozenset({".mp3", ".m4a", ".aac", ".opus", ".wma", ".mp2"})  # (Ogg Vorbis too, but game sounds ship as .ogg)


def _lead_key(result: Any) -> tuple:
    """How a group's row is chosen among a sound's versions (trial 58: an MP3 and a 22 kHz resample made for a test
    stood for the library's FLACs, and which one did changed between searches): unchanged on disk first, then a name
    with no format tag ("thunder" before "thunder_22k"), a lossless format, the higher rate, the first imported."""
    path, record = Path(result.path), getattr(result, "record", None)
    return (bool(result.changed), name_key(path.name) != path.stem.lower().strip(" _.-"), path.suffix.lower() in LOSSY,
            -(getattr(record, "sample_rate", None) or 0), getattr(record, "id", 0))


def _preferred_lead(row: Any, members: list[Any]) -> Any:
    """A row standing for versions of one sound (``members``: the results whose same_as is its rank), led by the
    member _lead_key prefers, the others among its copies;
    a row of exact copies only, by one that did not change on disk if it did (trial 57: Bark2_22k.wav, overwritten
    with another bark, stood for Bark2.ogg and played the other bark; copies otherwise keep originals_first's lead).
    The lead keeps its own rank: the group stands where it ranks, so the Match column still falls (trial 59: the
    original's 0.845 shown second above a 0.881)."""
    if not members or not (row.changed or any(r.same_version for r in members)):
        return row
    versions = any(r.same_version for r in members)
    pool = [*members, row] if versions else [r for r in members if not r.changed]
    if not pool:
        return row
    best = min(pool, key=_lead_key)
    if _lead_key(best) >= _lead_key(row):  # (ties keep the row)
        return row
    copies = (row.path, *(p for p in row.copies if p != best.path))
    return replace(best, same_as=None, same_version=False, copies=copies)


def _root_here(rank: int, links: dict, ranks: set[int]) -> bool:
    """Whether a copy's chain of same_as links ends on a row of this page (or at the query sound)."""
    seen = set()
    while rank != QUERY_RANK and rank in ranks and links.get(rank) is not None and rank not in seen:
        seen.add(rank)
        rank = links[rank]
    return rank == QUERY_RANK or rank in ranks


def fold_copies(results: list[Any]) -> tuple[list[Any], int]:
    """The results (SearchResults) without their copies (each first result carries its copies' paths), numbered
    1, 2, 3 ... again, and how many were folded. A trial's list began at #3 and read #1, #4, #7 where copies had
    been folded in: it looked broken."""
    ranks = {r.rank for r in results}
    links = {r.rank: r.same_as for r in results}
    kept = [r for r in results if r.same_as is None or not _root_here(r.same_as, links, ranks)]  # trial 58: a copy of
    firsts = {r.rank for r in kept}  # a row on an earlier page vanished from every page; it is a row of its own there
    copies: dict[int, list] = {}
    direct: dict[int, list] = {}  # per row, the results linked to it straight (its copies and versions)
    for r in results:
        if r.same_as in firsts:
            direct.setdefault(r.same_as, []).append(r)
        root, seen = r.same_as, set()
        while root not in firsts and root != QUERY_RANK and links.get(root) is not None and root not in seen:
            seen.add(root)  # a copy of a version of a row (trial 56: extra/Bark2.ogg was the same audio as #4,
            root = links[root]  # itself another version of #3, and vanished as "a copy of the query sound")
        if root is not None and root != QUERY_RANK and root in firsts:
            copies.setdefault(root, []).append(r.path)
    kept = [replace(r, copies=tuple(copies[r.rank])) if r.rank in copies else r for r in kept]
    leads = [_preferred_lead(r, direct.get(r.rank, [])) for r in kept]
    moved = any(lead.rank != row.rank for lead, row in zip(leads, kept, strict=True))  # a lead in its own place
    kept = sorted(leads, key=lambda r: r.rank) if moved else leads
    if len(kept) < len(results):
        first = min(r.rank for r in results)  # a later page goes on from its own first rank
        kept = [replace(r, rank=number) for number, r in enumerate(kept, first)]
    return kept, len(results) - len(kept)
