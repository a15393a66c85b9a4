"""model.aligned_rerank in the offline benchmarks: the first K of each query's scores reordered by evidence.

Used by training.evaluate and training.refine_bench (``--rerank FILE``), with the per-patch tables of
training.aligned_evidence for the same caches (in the same order as training.pairset.load_many joins them).
The app's rule: only the first K results move; the rest keep their cosine order below them.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from model.aligned_rerank import AlignedReranker, PatchEvidence, floored_evidence, patch_span_seconds
from model.edits import Edit, carried_edits
from model.modifier_parser import parse_modifier
from training.aligned_evidence import PatchTable, out_path
from training.pairset import load_pairset

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
    """Reorders the first K of score rows by the reranker's evidence."""

    def __init__(self, reranker: AlignedReranker, evidence: ClipEvidence) -> None:
        self.reranker, self.evidence = reranker, evidence
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
            cands = [self.evidence[int(gallery_rows[g])] for g in top]
            ev = self._evidence(edits, int(row), cands)
            if carried is not None:
                first, earlier = carried[i]
                kept = carried_edits([self.edits(t) for t in earlier], edits)
                if kept:
                    ev = ev + carry_weight * self._evidence(kept, int(first), cands)
            ev = floored_evidence(out[i, top], ev, self.reranker.match_floor)  # as AlignedReranker.order
            out[i, top] = _ABOVE + out[i, top] + self.reranker.tau * ev
        return out

    def _evidence(self, edits: list[Edit], query_row: int, cands: list[PatchEvidence]) -> np.ndarray:
        query = self.evidence[query_row]
        lengths = (patch_span_seconds(len(query)), [patch_span_seconds(len(c)) for c in cands])
        return self.reranker.evidence(edits, query, cands, lengths)


def load_scorer(weights: Path, caches: list[Path]) -> AlignedScorer:
    return AlignedScorer(AlignedReranker.from_file(weights), ClipEvidence(caches))
