"""`main.py evaluate`'s reranking (PairReranker): the first K gallery items of a pair's cosine ranking reordered
as search reorders its first results (app.rerank), the pair's query file against each gallery file's start. A
target inside the first K takes its reordered place; one outside keeps its cosine rank (the first K are the same
items either way). Each pair's reordered first result is kept too (``first_columns``): what search shows first.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from app.added_beyond import pulled_columns
from app.config import IndexConfig
from app.heard_edits import heard_order, heard_sounds, held_added, lifted_count, removed_columns, rule_sounds
from app.rerank import (
    CACHE_ENTRIES,
    ClassVectors,
    EvidenceCache,
    candidate_seconds,
    file_evidence,
    file_seconds,
    min_match_for,
    near_best,
    query_length,
    query_seconds,
    rerank_order,
    rises,
)
from model.aligned_rerank import AlignedReranker, PatchEvidence
from model.class_term import ClassTerm
from model.own_sound import it_as_bed
from model.ranking import target_ranks
from model.segments import SHORT_FILE_SECONDS

# An evaluation reads each query and, per query, up to K gallery files; with a cache smaller than the files it
# reads, the same files are run through YAMNet again and again (a 1,000-pair set of 10 s clips took over half an
# hour with CACHE_ENTRIES). It keeps up to this many (a 10 s clip's evidence is ~11 KB: about 90 MB at most for
# clips of that length), so sets of a few thousand files read each file once.
EVALUATION_CACHE_ENTRIES = 8192


class PairReranker:
    """`main.py evaluate`: maps the proposed (Q, G) scores of the evaluated pairs to their reranked target ranks
    (the ``rerank`` of app.evaluate.retrieval_ranks). ``queries``/``texts``: each pair's query file and words, in
    score-row order; ``gallery``: the file of each gallery column. ``gallery_evidence``: gallery files' evidence as
    search reads them (SearchService.library_evidence, for a library gallery; a file it leaves out is not read),
    instead of each file's start read here."""

    def __init__(self, reranker: AlignedReranker, backbone, queries: Sequence[Path], texts: Sequence[str],
                 gallery: Sequence[Path | str], cancel: threading.Event | None = None,
                 cache: EvidenceCache | None = None,
                 gallery_evidence: Callable[[list[str]], dict[str, PatchEvidence]] | None = None,
                 class_vectors: tuple[ClassTerm, np.ndarray, np.ndarray] | None = None,
                 class_maxima: tuple[Sequence[np.ndarray | None], np.ndarray] | None = None,
                 added_heard: bool = True, added_named: bool = True, added_heard_apart: bool = True,
                 added_pulled: int = 10, added_named_both: bool = True, level_kept: bool = False,
                 added_named_beds: bool = True, strength: float = 1.0, level_named: bool = True,
                 match_vectors: tuple[np.ndarray, np.ndarray] | None = None, min_match: float | None = None) -> None:
        self.reranker = reranker
        self.class_maxima = class_maxima  # each query's YAMNet class maxima (None if unknown) and the gallery's
        # (G, 521) uint8, for the rules on results holding an added or removed sound (app.heard_edits); None: none
        self.added_heard = added_heard  # IndexConfig.added_heard: the added sounds' rule too
        self.added_named = added_named  # IndexConfig.added_named: ... counting files named for the sound
        self.added_heard_apart = added_heard_apart  # IndexConfig.added_heard_apart: ... not heard where named apart
        self.added_pulled = added_pulled  # IndexConfig.added_pulled: ... and files holding it from beyond the first K
        self.added_named_both = added_named_both  # IndexConfig.added_named_both: ... sounds of both roles by name
        self.level_kept = level_kept  # IndexConfig.level_kept: ... and the query's own sound for level words
        self.added_named_beds = added_named_beds  # IndexConfig.added_named_beds: ... and beds by name
        self.level_named = level_named  # IndexConfig.level_named: ... and named sounds whose level the words change
        self.strength = strength  # the words' strength: below 1 lifts and pulls that share (heard_edits.lifted_count)
        self.match_vectors = match_vectors  # the queries' and the gallery's unit vectors (Q, D), (G, D), or None
        self.config = IndexConfig()  # as search: the rules' settings it does not take from the caller
        self.min_match = self.config.rerank_min_match if min_match is None else min_match  # versions only, as search
        self._held: dict[tuple[int, tuple[str, ...]], bool] = {}  # (column, added sounds) -> holds one of them
        self.class_vectors = class_vectors  # the reranker file's class term, the queries' and the gallery's unit
        # vectors (Q, D) and (G, D) in score-row and column order; None without a class term
        self.backbone = backbone
        self.queries, self.texts, self.gallery = list(queries), list(texts), list(gallery)
        self.cancel = cancel
        self.gallery_evidence = gallery_evidence
        # a file can be read twice: as a query (its first minute) and as a result (up to the query's length)
        reads = len(set(map(str, self.queries))) + len(set(map(str, self.gallery)))
        self.cache = cache if cache is not None else EvidenceCache(min(max(CACHE_ENTRIES, reads),
                                                                       EVALUATION_CACHE_ENTRIES))
        self._lengths: dict[int, float] = {}
        self.first_columns: dict[int, int] = {}  # score row -> gallery column of its reordered first result

    def _length(self, column: int) -> float:
        """A gallery file's length (its header, read once)."""
        if column not in self._lengths:
            self._lengths[column] = file_seconds(self.gallery[column])
        return self._lengths[column]

    def __call__(self, scores: np.ndarray, targets: np.ndarray) -> np.ndarray:
        ranks = target_ranks(scores, targets)
        for i, (query, text) in enumerate(zip(self.queries, self.texts, strict=True)):
            if self.cancel is not None and self.cancel.is_set():
                break
            order = self._reordered(query, text, scores[i], i)
            if order is None:
                continue
            self.first_columns[i] = int(order[0])
            if int(targets[i]) in order:
                ranks[i] = 1 + int(np.flatnonzero(order == targets[i])[0])
        return ranks

    def _reordered(self, query: Path, text: str, row: np.ndarray, index: int = 0) -> np.ndarray | None:
        """The gallery columns of the first K results as search reorders them, or None where search keeps the
        cosine order (no edits, nothing of the query's length, the query or every result unreadable, and none moved
        for holding a sound the words add or remove: app.heard_edits)."""
        from model.modifier_parser import parse_modifier

        edits = parse_modifier(text).edits if text.strip() else []
        if not edits:
            return None
        top = np.argsort(-row, kind="stable")[: self.reranker.k]
        top = top[np.isfinite(row[top])]
        if not len(top):
            return None
        order, read = self._aligned(query, edits, row, top, index)
        if self.class_maxima is None:
            return order
        from app.heard_edits import withheld_quieter

        unheard = withheld_quieter(edits, self.class_maxima[0][index], query, None, self.config)
        added, named, _ = rule_sounds(edits, self.class_maxima[0][index], self.added_heard, self.added_named,
                                      self.added_named_both, self.level_kept, self.added_named_beds, self.level_named,
                                      self.config.level_quieter_own, unheard)
        removed = removed_columns(edits, self.class_maxima[0][index])
        if not added and not named and not removed:
            return order
        ranked = top if order is None else order
        gallery = self.class_maxima[1]

        def holds(j: int) -> list[str]:
            return held_added(added, named, gallery[j], self.gallery[j], self.added_heard_apart)

        if (added or named) and self.added_pulled > 0:  # held short files from beyond K join (app.added_beyond)
            key = tuple(sorted({*added, *(a.sound for a in named)}))
            ranked = np.concatenate([ranked, np.asarray(pulled_columns(
                lambda j: self._held.setdefault((j, key), bool(holds(j))), row, ranked,
                lambda j: self._length(j) <= SHORT_FILE_SECONDS, lifted_count(self.added_pulled, self.strength)),
                dtype=ranked.dtype)])
        rise, query_classes = self.config.read_needs_rise, self.class_maxima[0][index]
        if rise > 0 and added and query_classes is not None:  # a version keeps its slot holding more of it (search)
            read = {j for j in read if rises(added, gallery[j], query_classes, rise)}
        moved, what = heard_order(len(ranked), lambda i: int(ranked[i]) in read,  # its reading stands where it read
                                  lambda i: holds(int(ranked[i])), lambda i: heard_sounds(removed, gallery[ranked[i]]),
                                  share=self.strength, hint=self.config.hint_later)
        return ranked[moved] if what.up or what.down else order

    def _aligned(self, query: Path, edits: list, row: np.ndarray, top: np.ndarray, index: int
                 ) -> tuple[np.ndarray | None, set[int]]:
        """The first K gallery columns ``top`` as the moment-by-moment reranker orders them, or None where it keeps
        the cosine order; and the columns it read against the query's moments."""
        length = query_length(query)
        durations = [self._length(int(j)) for j in top]
        near = near_best(row[top], self.config.rerank_read_within)  # as search: none far below the first
        readable = [self.reranker.within_gate(length, d) and ok for d, ok in zip(durations, near, strict=True)]
        floor = min_match_for(length, self.min_match, self.config.rerank_min_match_short)  # as search
        if self.match_vectors is not None and floor > 0:  # versions of the clip only (as search)
            queries, gallery = self.match_vectors
            readable = [ok and float(gallery[int(j)] @ queries[index]) >= floor
                        for ok, j in zip(readable, top, strict=True)]
        classes = None
        if self.class_vectors is not None:
            term, queries, gallery = self.class_vectors
            classes = ClassVectors(term, queries[index], gallery[top])
        if not any(readable) and classes is None:
            return None, set()  # no result can be a version of the query: the cosine rank stands
        seconds = query_seconds(length)
        evidence = file_evidence(self.backbone, self.cache, query, seconds)
        if evidence is None and classes is None:
            return None, set()
        if self.gallery_evidence is None:
            candidates = [file_evidence(self.backbone, self.cache, self.gallery[j], candidate_seconds(seconds))
                          if ok else None for j, ok in zip(top, readable, strict=True)]
        else:
            wanted = [str(self.gallery[j]) if ok else None for j, ok in zip(top, readable, strict=True)]
            found = self.gallery_evidence([w for w in wanted if w is not None])
            candidates = [None if w is None else found.get(w) for w in wanted]
        if all(c is None for c in candidates) and classes is None:
            return None, set()  # none of the query's length could be read: the cosine rank stands, as in search
        lengths = (length, durations)
        read = {int(j) for j, c in zip(top, candidates, strict=True) if c is not None and evidence is not None}
        if self.config.it_as_bed and self.class_maxima is not None:  # "it": the bed heard most, as search reads it
            edits = it_as_bed(list(edits), self.class_maxima[0][index])
        return top[rerank_order(self.reranker, edits, evidence, candidates, row[top], lengths, classes=classes)], read
