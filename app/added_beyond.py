"""Files holding a sound the words add, from beyond the first K results (IndexConfig.added_pulled).

The added sounds' rules (app.heard_edits) reorder only the first K results. In a folder of single recordings the bed
with the added event in it seldom exists, and the event's own files often rank past K: trial 50's street bed + "add
gunfire" moved up the one gunshot file among the first 80 and left six others, named for it, further down. Up to
``limit`` short files (no windows: long takes are placed by the moment terms) in the search's scope that hold what
the rules look for (app.heard_edits.rule_sounds: an added event sound, heard by YAMNet on its main class at
HEARD_ADDED with the guard for names saying another sound, or said by the name or folder; a sound of both roles by
its name only; for level words, the query's own sound) join the first K, best match first; heard_order puts them
after the results there that hold it and before those that do not. docs/MEASUREMENTS.md ("Added sounds from further
down").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

from app.heard_edits import HEARD_ADDED, HeardMoves, held_added, hint_offset, lifted_count
from model.class_scores import probabilities

CHECKED_PER_PULL = 8  # heard files read (their paths, for the names' guard) per file wanted, best match first


def heard_positions(added: dict[str, np.ndarray], classes: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Which of these store rows' class maxima (whole-file rows) YAMNet hears an added sound's main class in, at
    HEARD_ADDED or more (rows the class file does not reach hold nothing)."""
    heard = np.zeros(len(rows), dtype=bool)
    inside = rows < len(classes)
    if not inside.any() or not added:
        return heard
    columns = np.unique(np.concatenate(list(added.values())))
    picked = rows[inside][:, None]  # one byte per row and column read, never whole rows (a memory-mapped table)
    values = probabilities(np.asarray(classes[picked, columns[None, :]])).max(axis=1)
    heard[inside] = values >= HEARD_ADDED
    return heard


def pulled_positions(added: dict[str, np.ndarray], named: Sequence, blocks, classes: np.ndarray,
                     matrix: np.ndarray, q: np.ndarray, allowed: np.ndarray, named_ids: set[int],
                     paths_of: Callable[[list[int]], dict[int, Path]], limit: int, apart: bool) -> list[int]:
    """Block positions of up to ``limit`` short files among ``allowed`` (a mask over the blocks: in scope, not the
    query, not already among the first K) that hold an added sound, best match (cosine of their whole-file row to
    ``q``) first. ``named_ids``: file ids whose names say an added sound (app.named_files.says_it, read by the
    caller from the library's keyword candidates); ``paths_of(ids)``: their paths, for the names' guard on heard
    files."""
    if limit <= 0 or not (added or named_ids):
        return []
    short = allowed & (blocks.segments == 0)
    heard = np.zeros(len(blocks.ids), dtype=bool)
    heard[short] = heard_positions(added, classes, blocks.first[short])
    said = short & np.isin(blocks.ids, list(named_ids)) if named_ids else np.zeros_like(short)
    candidates = np.flatnonzero(heard | said)
    if not len(candidates):
        return []
    scores = np.asarray(matrix[blocks.first[candidates]], dtype=np.float32) @ np.asarray(q, dtype=np.float32)
    ranked = candidates[np.argsort(-scores, kind="stable")]
    if not apart:
        return ranked[:limit].tolist()
    out: list[int] = []
    for start in range(0, len(ranked), limit * CHECKED_PER_PULL):  # the names' guard, best match first
        chunk = ranked[start: start + limit * CHECKED_PER_PULL]
        paths = paths_of([int(blocks.ids[p]) for p in chunk])
        for p in chunk:
            path = paths.get(int(blocks.ids[p]))
            rows = np.asarray(classes[blocks.first[p]]) if blocks.first[p] < len(classes) else np.zeros(0)
            if said[p] or held_added(added, named, rows, path, apart):
                out.append(int(p))
                if len(out) == limit:
                    return out
    return out


def pulled_columns(held: Callable[[int], bool], row: np.ndarray, top: np.ndarray, short: Callable[[int], bool],
                   limit: int) -> list[int]:
    """``evaluate``'s gallery: the columns of up to ``limit`` short files (``short(j)``) beyond the first K
    (``top``) that hold an added sound (``held(j)``), best score in ``row`` first."""
    if limit <= 0:
        return []
    have = set(map(int, top))
    out: list[int] = []
    for j in np.argsort(-row, kind="stable"):
        j = int(j)
        if j in have or not np.isfinite(row[j]) or not short(j) or not held(j):
            continue
        out.append(j)
        if len(out) == limit:
            break
    return out


def unknown_first(db, snap, q: np.ndarray, text: str, hits: list, subset: np.ndarray | None, exclude: np.ndarray,
                  strength: float, config, moved: HeardMoves | None = None) -> tuple[list, HeardMoves | None]:
    """``hits`` with up to ``limit`` short files named for a sound the words add that Nudge does not know ("add a
    hawk"; not YAMNet's hearing of the classes the word names: trial 52's door openings for "a typewriter") first,
    best match first, and what moved (HeardMoves: the ones not already in their place; trial 51: "add a hawk" left a
    forest page as it was, the note naming Hawk.ogg); this only where the rules moved nothing up; then files named
    for a word read as a broader sound Nudge knows (app.named_files.typed_sounds: "add a jackhammer") too, before the
    rules' holders (IndexConfig.added_typed_named). ``strength`` below 1: fewer of them (lifted_count), after
    hint_offset others (IndexConfig.hint_later); ``config``: the IndexConfig; ``moved``: what the rules moved, kept."""
    from app.named_files import sounds_asked, typed_sounds

    limit, share = lifted_count(config.added_pulled, strength), config.moment_share
    delay = hint_offset(strength, config.hint_later)
    if not (moved and moved.up):
        hits, moved = _named_first(db, snap, q, [a for a in sounds_asked(text) if a.sound is None], hits, subset,
                                   exclude, limit, share, moved, delay)
    if config.added_typed_named:
        hits, moved = _named_first(db, snap, q, typed_sounds(text), hits, subset, exclude, limit, share, moved, delay)
    return hits, moved


def _named_first(db, snap, q: np.ndarray, named: list, hits: list, subset: np.ndarray | None, exclude: np.ndarray,
                 limit: int, share: float, moved: HeardMoves | None, delay: int = 0) -> tuple[list, HeardMoves | None]:
    """unknown_first for these AskedSounds: the files named for them first, marked as moved up with what the rules
    moved up before (their sounds said; by name alone when the rules moved none)."""
    if not named or limit <= 0:
        return hits, moved
    first = pulled_hits(db, snap, q, {}, named, False, set(), subset, exclude, limit, share)  # names only: YAMNet
    # hears Typewriter in door openings (trial 52)
    if not first:
        return hits, moved
    ids = [h.file_id for h in first]
    chosen = set(ids)
    rest = [h for h in hits if h.file_id not in chosen]
    order = rest[:delay] + first + rest[delay:]  # at a low strength after a few others (hint_offset)
    before = [h.file_id for h in hits]
    up = {h.file_id for slot, h in enumerate(order) if h.file_id in chosen and (slot >= len(before)
                                                                                 or before[slot] != h.file_id)}
    below = moved or HeardMoves()
    if below.up:  # the rules' holders keep their marks and sounds
        return order, replace(below, up=len(below.up_ids | up), up_ids=below.up_ids | frozenset(up))
    return order, replace(below, up=len(up), up_sounds=tuple(a.name for a in named), up_ids=frozenset(up),
                          by_name=True)


def pulled_hits(db, snap, q: np.ndarray, added: dict[str, np.ndarray], named: Sequence, apart: bool, have: set[int],
                subset: np.ndarray | None, exclude: np.ndarray, limit: int, share: float) -> list:
    """The search's pulled files (pulled_positions) as app.moments.FileHit, best match first: ``have``, the file ids
    of the first K; ``subset``: the scope's rows (None: the whole library); ``exclude``: the query's rows."""
    from app.moments import rank_files
    from app.named_files import named_ids as ids_named

    b = snap.blocks
    if limit <= 0 or not (added or named) or snap.classes is None or not len(b.ids):
        return []
    allowed = (b.end <= snap.store.rows) & ~np.isin(b.first, exclude) & ~np.isin(b.ids, list(have))
    if subset is not None:
        allowed &= np.isin(b.first, subset)
    named_ids = {fid for a in named for fid in ids_named(db, a)}

    def paths_of(ids: list[int]) -> dict[int, Path]:
        return {i: r.path for i, r in db.records(ids).items()}

    positions = pulled_positions(added, named, b, snap.classes, snap.store.matrix(), q, allowed, named_ids,
                                 paths_of, limit, apart)
    if not positions:
        return []
    rows = np.asarray([b.first[p] for p in positions], dtype=np.int64)
    return rank_files(snap.index, b, q, len(positions), rows, exclude, share)
