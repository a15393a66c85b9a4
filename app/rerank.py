"""Moment-by-moment reranking of a search's first results (model.aligned_rerank), for SearchService and evaluate.

When a search has a query file and its words parse into edits, the first K hits of the cosine ranking are
reordered by how each candidate shows the edits against the query clip, patch by patch from the start (an edited
version of a clip keeps its sounds at the same times). Only short files (no windows) are read that way: a moment
inside a long take shares no start with the query, so it gets the mean evidence of the others (None). Hits past
K keep their cosine order, so pages stay consistent. Short files' evidence is kept in the library database
(app.db_evidence), so YAMNet runs once per file, not once per process.

A search from a promoted result may carry the refine session so far (EarlierSteps): the edits its earlier steps
asked for that still hold (model.edits.carried_edits) keep counting, read against the session's first query, so
"add thunder", then "make the rain louder" from the clip it found, still wants the thunder (MODEL_CARD,
forty-third round).

The weights (model.paths.rerank_path, beside the default heads) are fitted for one heads file; with other heads,
or without a usable weights file, search ranks by cosine alone and ``rerank_status`` says why.

`main.py evaluate` reranks its proposed ranks the same way (app.evaluate_rerank.PairReranker).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from app.added_beyond import pulled_hits
from app.db_blocks import path_key
from app.errors import NudgeError
from app.heard_edits import (
    HeardMoves,
    heard_order,
    heard_sounds,
    held_added,
    lifted_count,
    removed_columns,
    rule_sounds,
    withheld_quieter,
)
from app.level_lean import lean_search_hits
from app.moment_rows import block_range_rows, match_or
from app.moments import FileHit
from app.rerank_reads import (  # noqa: F401 - re-exported: app.evaluate_rerank and the tests read them here
    CACHE_ENTRIES,
    OFF,
    ON,
    EvidenceCache,
    RerankState,
    _cache_key,
    candidate_seconds,
    file_evidence,
    file_seconds,
    min_match_for,
    near_best,
    query_length,
    query_seconds,
    version_positions,
    versions_in_reach,
    whole_file_evidence,
)
from app.search_result import STAND_OUT_MIN
from app.vectors import class_rows
from model.aligned_rerank import AlignedReranker, PatchEvidence
from model.class_scores import probabilities
from model.class_term import ClassTerm, class_term_for
from model.edits import Edit, carried_edits
from model.errors import AudioDecodeError
from model.own_sound import it_as_bed
from model.segments import SHORT_FILE_SECONDS

CARRY_WEIGHT = 1.0  # the carried edits' evidence weight (the forty-third round's pick, c = 1)


@dataclass(frozen=True)
class ClassVectors:
    """A search's class term (model.class_term): the term, the query sound's unit vector (D,), each candidate's
    (K, D; NaN rows for those it does not read) and the refine session's first query's (for its carried edits)."""

    term: ClassTerm
    query: np.ndarray
    candidates: np.ndarray
    first: np.ndarray | None = None


def rerank_order(reranker: AlignedReranker, edits: Sequence[Edit], query: PatchEvidence | None,
                 candidates: Sequence[PatchEvidence | None], scores: Sequence[float],
                 lengths: tuple[float, list[float | None]] | None = None,
                 carried: tuple[Sequence[Edit], PatchEvidence | None, tuple[float, list[float | None]]] | None = None,
                 evidence_scale: float = 1.0, classes: ClassVectors | None = None) -> np.ndarray:
    """Positions of the candidates best first (``scores``: their cosines, non-finite ones go last; ``lengths``: the
    query's and the candidates' seconds, for the reranker's length gate). ``query``: None when the query sound
    could not be read (only the class term counts then). ``carried``: a refine session's earlier edits, its first
    query's evidence and lengths for the gate against it; their evidence adds CARRY_WEIGHT x. ``evidence_scale``:
    the evidence's weight beside the cosines (IndexConfig.marked_evidence for a marked search). ``classes``: the
    reranker file's class term, added to the evidence (carried edits' against the first query)."""
    scores = np.asarray(scores, dtype=np.float64)
    finite = np.isfinite(scores)
    known = [c if ok else None for c, ok in zip(candidates, finite, strict=True)]
    evidence = (np.zeros(len(known)) if query is None
                else reranker.evidence(list(edits), query, known, lengths))
    earlier = list(carried[0]) if carried is not None else []
    if earlier and carried[1] is not None:
        evidence = evidence + CARRY_WEIGHT * reranker.evidence(earlier, carried[1], known, carried[2])
    if classes is not None:
        evidence = evidence + classes.term.evidence(list(edits), classes.query, classes.candidates)
        if earlier and classes.first is not None:
            evidence = evidence + CARRY_WEIGHT * classes.term.evidence(earlier, classes.first, classes.candidates)
    return reranker.order(np.where(finite, scores, -np.inf), evidence_scale * evidence)


@dataclass(frozen=True)
class EarlierSteps:
    """A refine session before this search: its first query (a file, or ``first_range`` of it) and the words of its
    earlier steps, oldest first."""

    first: Path
    texts: tuple[str, ...] = ()
    first_range: tuple[float, float] | None = None

    def then(self, text: str) -> EarlierSteps:
        """The session after one more step with these words (none: unchanged)."""
        return EarlierSteps(self.first, self.texts + (text,), self.first_range) if text.strip() else self


def still_asked(edits: Sequence[Edit], earlier_texts: Sequence[str]) -> tuple[Edit, ...]:
    """The edits that the words of a session's earlier steps asked for and that still hold beside this step's
    ``edits`` (model.edits.carried_edits)."""
    from model.modifier_parser import parse_modifier

    return tuple(carried_edits([parse_modifier(t).edits for t in earlier_texts], list(edits)))


@dataclass(frozen=True)
class RerankPlan:
    """A search that gets reranked: the reranker, the words' edits and the query sound; and the earlier steps'
    edits that still hold (``carried``), with the session's first query they are read against."""

    reranker: AlignedReranker
    edits: tuple[Edit, ...]
    query: Path
    query_range: tuple[float, float] | None = None
    carried: tuple[Edit, ...] = ()
    session: EarlierSteps | None = None
    evidence_scale: float = 1.0  # IndexConfig.marked_evidence when results are marked, else 1
    strength: float = 1.0  # the words' strength: below 1, that share of the added sounds' holders is lifted


class AlignedSearch:
    """Mixin of SearchService: needs the host's ``config``, ``db``, ``encoder``, ``_heads_file`` and ``_rerank``
    (a RerankState)."""

    _rerank: RerankState

    @property
    def rerank_status(self) -> str:
        """Whether searches with a sound and edits rerank their first results, and if not, why (one line)."""
        if not self.config.aligned_rerank:
            return f"{OFF}: turned off (the aligned_rerank setting, or search --no-rerank)"
        return self._rerank.get(self._heads_file())[1]

    @property
    def rerank_problem(self) -> str:
        """Why the reranking the settings ask for cannot run (its weights file missing, damaged, or fitted for other
        heads); "" when it runs or was turned off. Searches then keep their match order: the user is told."""
        if not self.config.aligned_rerank:
            return ""
        reranker, status = self._rerank.get(self._heads_file())
        return "" if reranker is not None else status

    def carried_to_show(self, text: str, earlier_texts: tuple[str, ...] | list[str]) -> list[str]:
        """The edits of earlier refine steps (their words, oldest first) that a search with ``text`` from a promoted
        result counts (EarlierSteps), each as one canonical phrase ("add thunder"); [] when none is: ``text`` reads
        as no edit, or searches are not reranked."""
        from model.modifier_parser import canonical_text, parse_modifier

        current = parse_modifier(text).edits if text.strip() else []
        if not current or not self.config.aligned_rerank or self._rerank.get(self._heads_file())[0] is None:
            return []
        return [canonical_text(e) for e in still_asked(current, earlier_texts)]

    def earlier_not_counted(self, text: str, earlier_texts: tuple[str, ...] | list[str]) -> list[str]:
        """The edits earlier refine steps asked for (canonical phrases) that this search does not count because its
        words read as no edit (trial 44: the "still asked" line vanished unsaid); [] otherwise."""
        from model.modifier_parser import canonical_text, parse_modifier

        if not earlier_texts or not text.strip() or parse_modifier(text).edits or not self.config.aligned_rerank:
            return []  # no words yet (a result just promoted): nothing said
        return [canonical_text(e) for e in still_asked([], earlier_texts)]

    def _rerank_plan(self, query: Path | None, text: str, query_range: tuple[float, float] | None,
                     earlier: EarlierSteps | None = None, marked: bool = False, strength: float = 1.0
                     ) -> RerankPlan | None:
        """The plan when this search is reranked (a query file, edits in the words, the setting on and weights
        fitted for these heads), else None; with the edits of ``earlier`` steps that still hold. ``marked``: results
        are marked more / less like this (the evidence then weighs IndexConfig.marked_evidence)."""
        if query is None or not text.strip() or not self.config.aligned_rerank:
            return None
        from model.modifier_parser import parse_modifier  # not at import: app start-up stays light

        edits = tuple(parse_modifier(text).edits)
        if not edits:
            return None
        reranker, _ = self._rerank.get(self._heads_file())
        if reranker is None:
            return None
        carried = () if earlier is None else still_asked(edits, earlier.texts)
        return RerankPlan(reranker, edits, Path(query), query_range, carried, earlier if carried else None,
                          self.config.marked_evidence if marked else 1.0, strength)

    def _reranked_hits(self, plan: RerankPlan, hits: list[FileHit], snap: Any, audio: np.ndarray | None = None,
                       query_classes: np.ndarray | None = None, q: np.ndarray | None = None,
                       subset: np.ndarray | None = None, exclude: np.ndarray | None = None
                       ) -> tuple[list[FileHit], int, HeardMoves]:
        """``hits`` with the first K reordered, K (0 when the reranker reordered nothing) and what of them was moved
        for holding a sound the words add or remove (app.heard_edits; ``query_classes``: the query's YAMNet class
        maxima, None if unknown; ``q``: the composed query, for a take's moment's plain match and the files pulled
        from further down, app.added_beyond, within the scope's rows ``subset`` less the query's ``exclude``).
        ``snap``: the search's snapshot; ``audio``: A(query sound)."""
        hits, reranked, read = self._aligned_hits(plan, hits, snap, audio, query_classes)
        hits = lean_search_hits(self, plan, hits, snap, read, query_classes)  # "make it louder" (app.level_lean)
        usable = snap.classes is not None and plan.evidence_scale > 0
        c = self.config
        unheard = withheld_quieter(plan.edits, query_classes, plan.query, plan.query_range, c)
        added, named, kept = rule_sounds(plan.edits, query_classes, usable and c.added_heard, c.added_named,
                                         c.added_named_both, c.level_kept, c.added_named_beds, c.level_named,
                                         c.level_quieter_own, unheard)
        removed = removed_columns(plan.edits, query_classes) if usable else {}
        if not added and not named and not removed:
            return hits, reranked, HeardMoves()
        top, b = hits[: plan.reranker.k], snap.blocks
        apart = bool(added) and self.config.added_heard_apart
        pull = lifted_count(self.config.added_pulled, plan.strength)
        if (added or named) and q is not None and pull > 0:  # held files from beyond K join them
            top = top + pulled_hits(self.db, snap, q, added, named, apart, {h.file_id for h in top},
                                    subset, np.empty(0, np.int64) if exclude is None else exclude,
                                    pull, self.config.moment_share)
        rows = [class_rows(snap.classes, hit_rows(b, h)) for h in top]
        records = self.db.records([h.file_id for h in top]) if named or apart else {}

        def holds(i: int) -> list[str]:  # heard by YAMNet, or named for it (IndexConfig.added_named)
            record, hit = records.get(top[i].file_id), top[i]
            moment = c.added_moment_heard and int(b.segments[hit.block]) > 0 and hit.end is not None
            return held_added(added, named, rows[i], record.path if record is not None else None, apart, moment)

        def placed(i: int) -> bool:  # a take's moment the moment terms scored above its match (a ▲) keeps its slot
            hit = top[i]
            return (self.config.added_takes_kept and q is not None and int(b.segments[hit.block]) > 0
                    and hit.score - match_or(snap.store.matrix(), hit_rows(b, hit), q, hit.score) >= STAND_OUT_MIN)

        if c.read_needs_rise > 0 and added and query_classes is not None:  # a version keeps its slot only holding
            read = {top[i].file_id for i in range(len(top))  # more of the added sound than the query (trial 53)
                    if top[i].file_id in read and rises(added, rows[i], query_classes, c.read_needs_rise)}
        order, moved = heard_order(len(top), lambda i: top[i].file_id in read, holds,
                                   lambda i: heard_sounds(removed, rows[i]), placed, lambda i: top[i].file_id,
                                   plan.strength, c.hint_later)
        if not (moved.up or moved.down):
            return hits, reranked, moved
        moved = replace(moved, kept=kept)
        pulled = {h.file_id for h in top[plan.reranker.k:]}  # its own note says what it moved
        return [top[i] for i in order] + [h for h in hits[plan.reranker.k:] if h.file_id not in pulled], reranked, moved

    def _aligned_hits(self, plan: RerankPlan, hits: list[FileHit], snap: Any, audio: np.ndarray | None = None,
                      query_classes: np.ndarray | None = None) -> tuple[list[FileHit], int, set[int]]:
        """``hits`` with the first K reordered by the reranker, K (0 when nothing was reordered: the query sound
        unreadable) and the file ids of the results it read against the query's moments. ``snap``: the search's
        snapshot (its blocks and stored vectors); ``audio``: A(query sound), for the reranker file's class term."""
        blocks, length = snap.blocks, query_length(plan.query, plan.query_range)
        whole = version_positions(blocks, length, self.config.versions_whole)  # cut files of about its length
        ranked, k = versions_in_reach(hits, plan.reranker.k, self.config.rerank_version_reach, blocks, length, whole,
                                      plan.reranker.within_gate)  # a version past K by match, read all the same
        top = ranked[:k]  # (nothing read: ``hits`` as they came)
        if len(top) < 2 or plan.evidence_scale <= 0:
            return hits, 0, set()
        session = plan.session
        first_length = math.nan if session is None else query_length(session.first, session.first_range)
        durations = [float(blocks.duration[h.block]) for h in top]
        records = self.db.records([h.file_id for h in top])
        near = near_best([h.score for h in top], self.config.rerank_read_within)  # none far below the first's match
        rows = [int(blocks.first[h.block]) for h in top]
        floor = min_match_for(length, self.config.rerank_min_match, self.config.rerank_min_match_short)
        versions = [v and n for v, n in zip(version_like(snap.store.matrix(), rows, audio, floor), near, strict=True)]
        paths = [records[h.file_id].path if h.file_id in records and (int(blocks.segments[h.block]) == 0
                                                                      or h.block in whole)
                 and np.isfinite(h.score) and v and (plan.reranker.within_gate(length, d) or (
                     session is not None and plan.reranker.within_gate(first_length, d))) else None
                 for h, d, v in zip(top, durations, versions, strict=True)]  # takes' moments, other lengths: the mean
        classes = self._class_vectors(plan, top, snap, audio, whole)
        if all(p is None for p in paths) and classes is None:
            return hits, 0, set()  # none can be a version of the query: cosine order, unmarked, and no YAMNet run
        query = self._query_evidence(plan.query, plan.query_range, length)
        if query is None and classes is None:
            return hits, 0, set()
        found = self._short_evidence([p for p in paths if p is not None])
        candidates = [None if path is None else found.get(path) for path in paths]
        if all(c is None for c in candidates) and classes is None:
            return hits, 0, set()  # none of the same length could be read: cosine order, unmarked
        first_evidence = (None if session is None
                          else self._query_evidence(session.first, session.first_range, first_length))
        carried = None if session is None else (plan.carried, first_evidence, (first_length, durations))
        edits = it_as_bed(list(plan.edits), query_classes) if self.config.it_as_bed else plan.edits  # "it": the bed
        order = rerank_order(plan.reranker, edits, query, candidates, [h.score for h in top], (length, durations),
                             carried=carried,  # the session's first sound gone: this step's words alone
                             evidence_scale=plan.evidence_scale, classes=classes)
        read = {h.file_id for h, c, d in zip(top, candidates, durations, strict=True)  # read against this query
                if c is not None and query is not None and plan.reranker.within_gate(length, d)}
        return [top[i] for i in order] + ranked[len(top):], len(top), read

    def _class_vectors(self, plan: RerankPlan, top: list[FileHit], snap: Any, audio: np.ndarray | None,
                       whole: set[int] = frozenset()) -> ClassVectors | None:
        """The class term's vectors for these results (the whole-file vectors of short files and of ``whole``, the cut
        files about the query's length; long takes' moments get none), or None when the reranker file names no class
        term or the query sound's vector is unknown."""
        term = class_term_for(plan.reranker, self.encoder.heads) if audio is not None else None
        if term is None:
            return None
        blocks = snap.blocks
        rows = np.array([int(blocks.first[h.block]) for h in top], dtype=np.int64)
        vectors = np.asarray(snap.store.matrix()[rows], dtype=np.float64).reshape(len(rows), snap.store.dim)
        vectors[[int(blocks.segments[h.block]) > 0 and h.block not in whole for h in top]] = np.nan
        first = None
        if plan.session is not None and plan.carried:
            try:
                first = self._query_embedding(plan.session.first, snap, plan.session.first_range)[0]
            except (NudgeError, AudioDecodeError, OSError):  # the first sound gone or unreadable: this step's words
                first = None
        return ClassVectors(term, _unit(audio), vectors, None if first is None else _unit(first))

    def _query_evidence(self, query: Path, query_range: tuple[float, float] | None, length: float
                        ) -> PatchEvidence | None:
        """A query sound's evidence: a short file's whole (as its results are read), else its range or first minute."""
        if query_range is None and length <= SHORT_FILE_SECONDS:
            return self._short_evidence([query], library_only=True).get(query)
        start = float(query_range[0]) if query_range is not None else 0.0
        return file_evidence(self.encoder.features.backbone, self._rerank.cache, query, query_seconds(length), start)

    def _short_evidence(self, paths: list[Path], library_only: bool = False) -> dict[Path, PatchEvidence]:
        """Whole-file evidence of short files (no windows: the reranker compares only the patches both clips have,
        so reading a result past the query's length changes nothing): from memory, then as the library database
        kept it (app.db_evidence), else computed and kept in both (``library_only``: in the database only for library
        files, looked up just when something was computed). A file that is gone or cannot be decoded is left out."""
        cache, graph = self._rerank.cache, self.encoder.audio_graph
        found: dict[Path, PatchEvidence] = {}
        missing: list[tuple[Path, tuple, tuple[bytes, int, int]]] = []  # path, memory key, database key
        for path in paths:
            key = _cache_key(path, 0.0, math.inf)
            evidence = None if key is None else cache.get(key)
            if evidence is not None:
                found[path] = evidence
            elif key is not None:
                missing.append((path, key, (path_key(path), key[1], key[2])))
        if not missing:
            return found
        stored = self.db.stored_evidence([db_key for _, _, db_key in missing], graph)
        computed = []
        for path, key, db_key in missing:
            evidence = stored.get(db_key[0])
            if evidence is None:
                evidence = whole_file_evidence(self.encoder.features.backbone, path)
                if evidence is None:
                    continue
                computed.append((db_key, evidence))
            cache.put(key, evidence)
            found[path] = evidence
        if library_only:
            computed = [(db_key, ev) for db_key, ev in computed if self.db.record(db_key[0]) is not None]
        self.db.keep_evidence(computed, graph)
        return found


def rises(added: dict[str, np.ndarray], rows: np.ndarray, query_classes: np.ndarray, by: float) -> bool:
    """Whether YAMNet hears an added sound's classes (``added``: sound -> columns) in a result's class rows at least
    ``by`` (a probability) more than in the query's class maxima (IndexConfig.read_needs_rise)."""
    held = np.asarray(rows).reshape(-1, np.asarray(query_classes).shape[-1])
    return any(float(probabilities(held[:, cols]).max(initial=0.0)) - float(probabilities(
        np.asarray(query_classes)[cols]).max(initial=0.0)) >= by for cols in added.values() if len(cols))


def version_like(matrix: np.ndarray, rows: list[int], audio: np.ndarray | None, floor: float) -> list[bool]:
    """Per result (its whole-file row): whether its cosine to A(query sound) ``audio`` is at least ``floor``, as a
    version of the clip's is (IndexConfig.rerank_min_match; all True at 0 or without the query's vector)."""
    if floor <= 0 or audio is None or not rows:
        return [True] * len(rows)
    vectors = np.asarray(matrix[np.asarray(rows, dtype=np.int64)], dtype=np.float64)
    return [bool(m >= floor) for m in vectors @ _unit(np.asarray(audio, dtype=np.float64))]


def hit_rows(blocks, hit: FileHit) -> np.ndarray:
    """The store rows a hit stands for: a whole file's row, or the windows of a take's moment."""
    i = hit.block
    return block_range_rows(int(blocks.first[i]), int(blocks.segments[i]), float(blocks.tail_start[i]),
                            float(blocks.duration[i]), hit.start, hit.end)


def _unit(vector: np.ndarray) -> np.ndarray:
    vector = np.asarray(vector, dtype=np.float64).ravel()
    return vector / max(float(np.linalg.norm(vector)), 1e-12)
