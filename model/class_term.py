"""The heads' event classifier as reranking evidence: which trained sounds a candidate holds that the query does not.

The heads carry a classifier (Linear embed_dim -> the sounds they were trained on) fitted with the auxiliary loss
to say which sound events a clip holds. Read on the stored unit vectors A(x) of the query and of a candidate, its
logit rises tell a candidate with a dog added from one with thunder added, where YAMNet's per-patch scores
(model.aligned_rerank) often barely hear the added sound in a mix. Two terms, in units of the reranker's score:

- ``named``: for each edit that adds a sound the classifier knows, its logit rise from the query to the candidate;
  for each edit that removes one, its fall;
- ``other``: minus the largest rise of any sound the words do not name (a dog arriving is no door), for texts whose
  every edit names a sound the classifier knows (a pronoun or an untrained sound leaves the sounds the words
  mean unknown, so nothing is held against a candidate then).

Logits are read on unit vectors scaled by EMBED_NORM, the typical length of A(x) before normalization, so the
terms' weights read in logit units of the heads' classifier.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from model.edits import ADD, REMOVE, Edit

EMBED_NORM = 16.0  # |A(x)| of the shipped heads' layer-normed audio head is 16-17 for most clips


@dataclass(frozen=True)
class ClassTerm:
    names: tuple[str, ...]  # the classifier's classes (model.sound_vocab ids), in its row order
    rows: np.ndarray  # (C, D) the classifier's weights
    named: float  # weight of the named sounds' rise (add) or fall (remove)
    other: float  # weight of the largest rise of a sound the words do not name

    def logits(self, vectors: np.ndarray) -> np.ndarray:
        """(N, D) unit vectors -> (N, C) classifier logits without the bias (it cancels in every rise)."""
        return EMBED_NORM * np.asarray(vectors, dtype=np.float64) @ self.rows.T.astype(np.float64)

    def evidence(self, edits: Sequence[Edit], query: np.ndarray, candidates: np.ndarray) -> np.ndarray:
        """(K,) evidence of each candidate (unit vectors: query (D,), candidates (K, D)); rows of NaN give 0."""
        candidates = np.atleast_2d(np.asarray(candidates, dtype=np.float64))
        out = np.zeros(len(candidates))
        if not len(candidates) or not edits:
            return out
        rise = self.logits(candidates) - self.logits(np.asarray(query)[None])
        rise = np.nan_to_num(rise, nan=0.0)
        known = [e.sound in self.names for e in edits]
        for edit, ok in zip(edits, known, strict=True):
            if ok and edit.kind in (ADD, REMOVE):
                column = rise[:, self.names.index(edit.sound)]
                out += self.named * (column if edit.kind == ADD else -column)
        if self.other and all(known):
            unnamed = [j for j, name in enumerate(self.names) if name not in {e.sound for e in edits}]
            if unnamed:
                out -= self.other * np.maximum(rise[:, unnamed].max(axis=1), 0.0)
        return out

    @classmethod
    def from_heads(cls, names: Sequence[str], rows: np.ndarray, settings: dict) -> ClassTerm:
        """From the heads' class names and classifier weights and a reranker file's ``class_term`` settings
        ({"named": w, "other": w}); ValueError when they do not fit."""
        rows = np.asarray(rows, dtype=np.float64)
        named, other = float(settings.get("named", 0.0)), float(settings.get("other", 0.0))
        if rows.ndim != 2 or rows.shape[0] != len(names) or not np.all(np.isfinite(rows)):
            raise ValueError(f"classifier weights {rows.shape} do not fit {len(names)} class names")
        if not (np.isfinite(named) and np.isfinite(other) and named >= 0 and other >= 0):
            raise ValueError(f"class term weights must be numbers of at least 0 ({named}, {other})")
        return cls(tuple(names), rows, named, other)


def class_term_for(reranker, heads) -> ClassTerm | None:
    """The class term a reranker file asks for (model.aligned_rerank.AlignedReranker.class_term), on the classifier
    of ``heads`` (model.runtime_heads.RuntimeHeads); None when it asks for none or the heads keep no classifier."""
    weights = getattr(reranker, "class_term", None)
    if weights is None or getattr(heads, "classifier", None) is None:
        return None
    return ClassTerm.from_heads(heads.class_names, heads.classifier, {"named": weights[0], "other": weights[1]})


def classifier_columns(heads, sounds: Sequence[str]) -> list[int]:
    """The rows of the heads' classifier (model.runtime_heads.RuntimeHeads.classifier) of those ``sounds`` it was
    trained on, in their order; [] when the heads keep no classifier."""
    rows, names = getattr(heads, "classifier", None), list(getattr(heads, "class_names", []) or [])
    if rows is None or len(names) != len(rows):
        return []
    return [names.index(s) for s in sounds if s in names]


def classifier_presence(heads, vectors: np.ndarray, sound: str) -> np.ndarray | None:
    """Probability, per unit vector A(x) (N, D), that the clip holds ``sound`` as the heads' classifier sees it (its
    logit on the vector x EMBED_NORM, with its bias); None when the classifier was not trained on that sound."""
    bias = getattr(heads, "classifier_bias", None)
    columns = classifier_columns(heads, [sound])
    if bias is None or not columns:
        return None
    j = columns[0]
    with np.errstate(all="ignore"):
        logit = EMBED_NORM * np.asarray(vectors, dtype=np.float64) @ np.asarray(heads.classifier[j],
                                                                              dtype=np.float64) + bias[j]
        return np.nan_to_num(1.0 / (1.0 + np.exp(-logit)), nan=0.0).astype(np.float32)
