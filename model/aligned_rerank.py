"""Rerank a search's first results by reading the stated edits moment by moment (pure numpy).

An edited version b of a clip a keeps a's sounds at the same times from the same start. So the change from a
to a candidate b can be read patch by patch (YAMNet's 0.96 s patches, 0.48 s apart): the named sound's
class scores rising ("add a dog") or falling ("remove the horn"), the level changing where that sound is
against elsewhere ("make the dog quieter"), the clip's level contrast ("the rain louder" raises the quiet
patches against the loud ones, whatever gain the file was normalized to). Pooled over a clip this evidence
drowns in the clip's own content; patch by patch, the content shared by a and b cancels.

A candidate's score is ``cosine / tau + sum over the parsed edits of weights[kind] . features``; the weights
(one vector per edit kind over FEATURES) are fitted on dev pairs by training.aligned_fit for one heads file
and stored in a small JSON asset beside it.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from model.class_scores import probabilities, sound_classes
from model.edits import KINDS, Edit
from model.sound_vocab import BACKGROUND, BY_ID, EVENT

FEATURES = ("rise_max", "rise_min", "rise_mean", "present_a", "present_b", "contrast", "level_at_sound",
            "gain", "bed_contrast", "bed_level_at_sound", "align", "role_bed", "role_event", "pronoun", "bias")
FORMAT = "nudge-aligned-rerank-1"


class RerankFileError(ValueError):
    """The reranker's weights file is missing, unreadable or not for these features."""


@dataclass(frozen=True)
class PatchEvidence:
    """One clip's patches: YAMNet's uint8 class scores (P, 521) and each patch's level (P,), log mean mel energy."""

    classes: np.ndarray
    levels: np.ndarray

    def __len__(self) -> int:
        return len(self.levels)


def alignment(a: PatchEvidence, b: PatchEvidence) -> float:
    """Mean over the shared patches (from the start) of the cosine between a's and b's class probabilities."""
    n = min(len(a), len(b))
    if not n:
        return 0.0
    pa, pb = probabilities(a.classes[:n]), probabilities(b.classes[:n])
    num = (pa * pb).sum(axis=1)
    return float((num / (np.linalg.norm(pa, axis=1) * np.linalg.norm(pb, axis=1) + 1e-9)).mean())


def edit_features(edit: Edit, a: PatchEvidence, b: PatchEvidence, align: float) -> np.ndarray:
    """The FEATURES of one edit between clip a and candidate b, over the patches both have from the start."""
    n = min(len(a), len(b))
    f = dict.fromkeys(FEATURES, 0.0)
    f["bias"], f["align"] = 1.0, align
    if not n:
        return np.array([f[k] for k in FEATURES], dtype=np.float32)
    la, lb = a.levels[:n], b.levels[:n]
    dl = lb - la
    f["gain"] = float(np.median(dl))
    order = np.argsort(la, kind="stable")
    third = max(1, n // 3)
    f["contrast"] = float(dl[order[-third:]].mean() - dl[order[:third]].mean())
    cols = sound_classes([edit.sound]) if edit.sound else np.zeros(0, dtype=np.int64)
    if len(cols):
        ea = probabilities(a.classes[:n, cols]).max(axis=1)
        eb = probabilities(b.classes[:n, cols]).max(axis=1)
        rise = eb - ea
        f["rise_max"], f["rise_min"], f["rise_mean"] = float(rise.max()), float(rise.min()), float(rise.mean())
        f["present_a"], f["present_b"] = float(ea.mean()), float(eb.mean())
        weight = ea + eb
        if weight.sum() > 1e-6:
            f["level_at_sound"] = float((dl * weight).sum() / weight.sum() - f["gain"])
    else:
        f["pronoun"] = 1.0
    role = BY_ID[edit.sound].role if edit.sound in BY_ID else None
    bed = role == BACKGROUND or (role != EVENT and f["present_a"] > 0.3)
    f["role_bed"], f["role_event"] = float(bed), float(role == EVENT)
    f["bed_contrast"] = f["contrast"] * float(bed)
    f["bed_level_at_sound"] = f["level_at_sound"] * float(bed)
    return np.array([f[k] for k in FEATURES], dtype=np.float32)


def candidate_features(edits: list[Edit], a: PatchEvidence, candidates: list[PatchEvidence]) -> np.ndarray:
    """(edits, candidates, FEATURES) for every parsed edit against every candidate."""
    out = np.zeros((len(edits), len(candidates), len(FEATURES)), dtype=np.float32)
    for j, b in enumerate(candidates):
        align = alignment(a, b)
        for i, edit in enumerate(edits):
            out[i, j] = edit_features(edit, a, b, align)
    return out


def file_sha256(path: str | os.PathLike) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True)
class AlignedReranker:
    weights: np.ndarray  # (len(KINDS), len(FEATURES))
    k: int  # how many of the first results are reranked
    tau: float  # cosine scale: score = cosine / tau + evidence
    heads_sha256: str  # the heads file the weights were fitted with ("" = any)

    def evidence(self, edits: list[Edit], a: PatchEvidence, candidates: list[PatchEvidence | None]) -> np.ndarray:
        """(K,) evidence of each candidate; a candidate without patches (None) gets the others' mean."""
        known = [j for j, c in enumerate(candidates) if c is not None]
        out = np.zeros(len(candidates), dtype=np.float64)
        if not edits or not known:
            return out
        feats = candidate_features(edits, a, [candidates[j] for j in known])
        kinds = [KINDS.index(e.kind) for e in edits]
        out[known] = sum(feats[i] @ self.weights[kind] for i, kind in enumerate(kinds))
        missing = [j for j in range(len(candidates)) if candidates[j] is None]
        out[missing] = out[known].mean()
        return out

    def order(self, cosines: np.ndarray, evidence: np.ndarray) -> np.ndarray:
        """Positions of the candidates best first by cosine / tau + evidence (stable: ties keep cosine order)."""
        score = np.asarray(cosines, dtype=np.float64) / self.tau + evidence
        return np.argsort(-score, kind="stable")

    def matches(self, heads_path: str | os.PathLike) -> bool:
        return not self.heads_sha256 or file_sha256(heads_path) == self.heads_sha256

    @classmethod
    def from_file(cls, path: str | os.PathLike) -> AlignedReranker:
        try:
            data = json.loads(Path(path).read_text())
        except (OSError, ValueError) as exc:
            raise RerankFileError(f"cannot read the reranker weights {path}: {exc}") from exc
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise RerankFileError(f"{path} is not a Nudge reranker file ({FORMAT})")
        if tuple(data.get("features", ())) != FEATURES or tuple(data.get("kinds", ())) != KINDS:
            raise RerankFileError(f"{path} was fitted for other features; refit it (python -m training.aligned_fit)")
        try:
            weights = np.asarray(data["weights"], dtype=np.float64)
            k, tau = int(data["k"]), float(data["tau"])
        except (KeyError, TypeError, ValueError) as exc:
            raise RerankFileError(f"{path}: weights, k or tau missing or not numbers ({exc!r})") from exc
        if weights.shape != (len(KINDS), len(FEATURES)) or not np.all(np.isfinite(weights)):
            raise RerankFileError(f"{path}: weights are not a finite {len(KINDS)} x {len(FEATURES)} table")
        if k < 1 or not (np.isfinite(tau) and tau > 0):
            raise RerankFileError(f"{path}: k must be at least 1 and tau a number above 0 (k {k}, tau {tau})")
        return cls(weights, k, tau, str(data.get("heads_sha256", "")))

    def to_file(self, path: str | os.PathLike, extra: dict | None = None) -> None:
        data = {"format": FORMAT, "features": list(FEATURES), "kinds": list(KINDS),
                "weights": np.round(self.weights, 6).tolist(), "k": self.k, "tau": self.tau,
                "heads_sha256": self.heads_sha256, **(extra or {})}
        tmp = Path(path).with_suffix(".tmp")
        tmp.write_text(json.dumps(data, indent=1) + "\n")
        os.replace(tmp, path)
