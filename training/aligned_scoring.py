"""model.aligned_rerank in the offline benchmarks: the first K of each query's scores reordered by evidence.

Used by training.evaluate and training.refine_bench (``--rerank FILE``), with the per-patch tables of
training.aligned_evidence for the same caches (in the same order as training.pairset.load_many joins them).
The app's rule: only the first K results move; the rest keep their cosine order below them.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from model.aligned_rerank import AlignedReranker, PatchEvidence, floored_evidence, patch_span_seconds
from model.class_term import ClassTerm, class_term_for
from model.edits import Edit, carried_edits
from model.modifier_parser import parse_modifier
from model.paths import heads_path
from model.runtime_heads import RuntimeHeads
from training.aligned_evidence import PatchTable, out_path
from training.pairset import load_many, load_pairset

_ABOVE = 1e6  # added to the reranked first K so they stay above the rest


class ClipEvidence:
    """PatchEvidence of every clip row of caches joined by load_many (``clips``: each cache's clip count, when the
    caller has loaded them already)."""

    def __init__(self, caches: list[Path], clips: list[int] | None = None) -> None:
        self.tables = [PatchTable(out_path(Path(c))) for c in caches]
        counts = [len(t.offsets) - 1 for t in self.tables]
        expected = clips if clips is not None else [len(load_pairset(c).audio) for c in caches]
        if counts != expected:
            raise ValueError(f"per-patch tables do not match the caches' clips ({counts} vs {expected}); "
                             "rerun python -m training.aligned_evidence")
        self.table = np.concatenate([np.full(n, j) for j, n in enumerate(counts)])
        self.local = np.concatenate([np.arange(n) for n in counts])

    def __getitem__(self, row: int) -> PatchEvidence:
        return self.tables[self.table[row]].clip(int(self.local[row]))


class AlignedScorer:
    """Reorders the first K of score rows by the reranker's evidence (and its class term: ``classes``, the term and
    every clip row's unit vector A(x), when the reranker file asks for one)."""

    def __init__(self, reranker: AlignedReranker, evidence: ClipEvidence,
                 classes: tuple[ClassTerm, np.ndarray] | None = None) -> None:
        self.reranker, self.evidence, self.classes = reranker, evidence, classes
        self._edits: dict[str, list[Edit]] = {}

    def edits(self, text: str) -> list[Edit]:
        if text not in self._edits:
            self._edits[text] = parse_modifier(text).edits
        return self._edits[text]

    def rescore(self, scores: np.ndarray, query_rows: np.ndarray, gallery_rows: np.ndarray,
                texts: list[str], carried: list[tuple[int, list[str]]] | None = None,
                carry_weight: float = 1.0) -> np.ndarray:
        """scores (n, G) over gallery_rows (clip rows); query_rows (n,) clip rows; texts (n,) the words.
        The first K of each row get score _ABOVE + cosine + tau x evidence (the reranker's order), the rest stay.
        carried (n,): each row's refine session so far, (its first clip's row, the words of its earlier steps);
        their edits that still hold (model.edits.carried_edits) add carry_weight x their evidence against that
        first clip."""
        out = np.array(scores, dtype=np.float64)
        k = min(self.reranker.k, out.shape[1])
        for i, (row, text) in enumerate(zip(query_rows, texts, strict=True)):
            edits = self.edits(text)
            if not edits:
                continue
            top = np.argsort(-out[i], kind="stable")[:k]
            top = top[np.isfinite(out[i, top])]
            rows = np.asarray(gallery_rows)[top].astype(np.int64)
            cands = [self.evidence[int(r)] for r in rows]
            ev = self._evidence(edits, int(row), cands, rows)
            if carried is not None:
                first, earlier = carried[i]
                kept = carried_edits([self.edits(t) for t in earlier], edits)
                if kept:
                    ev = ev + carry_weight * self._evidence(kept, int(first), cands, rows)
            ev = floored_evidence(out[i, top], ev, self.reranker.match_floor)  # as AlignedReranker.order
            out[i, top] = _ABOVE + out[i, top] + self.reranker.tau * ev
        return out

    def _evidence(self, edits: list[Edit], query_row: int, cands: list[PatchEvidence], rows: np.ndarray) -> np.ndarray:
        query = self.evidence[query_row]
        lengths = (patch_span_seconds(len(query)), [patch_span_seconds(len(c)) for c in cands])
        out = self.reranker.evidence(edits, query, cands, lengths)
        if self.classes is not None:
            term, vectors = self.classes
            out = out + term.evidence(edits, vectors[query_row], vectors[rows])
        return out


def clip_vectors(heads_path: Path, caches: list[Path]) -> tuple[RuntimeHeads, np.ndarray]:
    """The heads and every clip row's unit vector A(x) of caches joined by load_many."""
    heads = RuntimeHeads.from_file(heads_path)
    vectors = heads.project_audio(np.asarray(load_many(caches).audio, dtype=np.float32)).astype(np.float64)
    return heads, vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def load_scorer(weights: Path, caches: list[Path]) -> AlignedScorer:
    """The scorer of a reranker file; its class term, when it names one, on the heads of NUDGE_RERANK_HEADS (the
    round scripts' heads; the shipped heads without it)."""
    reranker = AlignedReranker.from_file(weights)
    classes = None
    if reranker.class_term is not None:
        heads, vectors = clip_vectors(heads_path(os.environ.get("NUDGE_RERANK_HEADS")), caches)
        term = class_term_for(reranker, heads)
        if term is None:
            raise ValueError(f"{weights} asks for a class term, but the heads keep no classifier")
        classes = (term, vectors)
    return AlignedScorer(reranker, ClipEvidence(caches), classes)
