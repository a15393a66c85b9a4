"""Edit-aware reranking: do the words' edits show between the query clip a and a candidate b?

The parser reads a modifier into edits (add / remove / louder / quieter of a sound, or of the clip's
main sound). A small linear probe, fitted on YAMNet's own AudioSet class scores, reads class evidence
(521 AudioSet classes, max and mean over the clip's patches) and one level statistic (the clip's
floor relative to its peaks: files are often level-normalized, so absolute level says little) from
the stored vector A(x). For each edit the candidate gets a consistency score:

    add X          evidence_X(b) - evidence_X(a)
    remove X       evidence_X(a) - evidence_X(b)
    X louder       evidence_X(b) - evidence_X(a) + level term (bed classes: floor rises; events: falls)
    it louder      floor(b) - floor(a)                           (quieter: the opposite signs)

Each edit's scores are standardised over the top-K candidates of the cosine search, averaged over
the edits, and added to the cosine with a weight: ``cosine + weight * consistency``. Sounds named by
AudioSet classes only (words outside Nudge's vocabulary) are scored the same way, open-vocabulary.
Pure numpy; the probe file names the heads version it was fitted for (training/edit_probe.py fits one
per heads). Measured, not wired into the app: MODEL_CARD "Release 2.1".
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from model.edits import ADD, LOUDER, QUIETER
from model.errors import CheckpointError
from model.sound_vocab import BACKGROUND, BY_ID

PROBE_FORMAT = "nudge-edit-probe"
N_AUDIOSET = 521


@dataclass(frozen=True)
class RerankSettings:
    """How the consistency enters the ranking (tuned on validation pairs, stored in the probe file)."""

    top_k: int = 200  # candidates of the cosine search that are rescored
    weight: float = 0.0  # lambda: cosine + weight * consistency (0 = off)
    pool: str = "max"  # class evidence: AudioSet "max" or "mean" over patches, "both" (their sum), or "label"
    # (the probe's catalog-label output for sounds it has one for, AudioSet max for the others)
    level_weight: float = 1.0  # weight of the level term in level edits of named sounds
    enabled: bool = False  # used by the app's search by default


@dataclass(frozen=True)
class EditTarget:
    """One edit as the reranker scores it."""

    kind: str  # add / remove / louder / quieter
    label: str  # the sound as the user reads it ("dog barking", "helicopter", "it")
    columns: tuple[int, ...] = ()  # AudioSet class indices of the sound; () = the clip's main sound
    bed: bool = False  # a background-role sound: its level edits move the floor, not the peaks
    via_audioset: bool = False  # a word outside Nudge's vocabulary, matched through AudioSet classes
    label_column: int | None = None  # the sound's column in the probe's catalog-label output, if it has one


@dataclass
class Evidence:
    """Probe outputs for N clips."""

    max: np.ndarray  # (N, 521) predicted max-over-patches logit per AudioSet class
    mean: np.ndarray  # (N, 521) predicted mean-over-patches logit
    floor: np.ndarray  # (N,) predicted floor-minus-peak level (log-mel units x 0.1)
    labels: np.ndarray  # (N, L) predicted catalog labels (EditProbe.label_ids)

    def take(self, rows) -> Evidence:
        return Evidence(self.max[rows], self.mean[rows], self.floor[rows], self.labels[rows])

    def classes(self, pool: str) -> np.ndarray:
        if pool == "max":
            return self.max
        if pool == "mean":
            return self.mean
        return self.max + self.mean


@dataclass
class EditProbe:
    """Linear probe: unit A(x) -> [max logits | mean logits | floor | catalog labels]."""

    weight: np.ndarray  # (D, 2 * 521 + 1 + L)
    bias: np.ndarray  # (2 * 521 + 1 + L,)
    audioset: list[str]  # AudioSet display names, column order
    label_ids: list[str] = field(default_factory=list)  # model.sound_vocab ids of the label columns
    settings: RerankSettings = field(default_factory=RerankSettings)
    heads_version: str = ""
    info: dict = field(default_factory=dict)  # fit provenance and measured quality

    def evidence(self, vectors: np.ndarray) -> Evidence:
        """Unit vectors (N, D) -> Evidence (a probe fitted on unit vectors normalises its input)."""
        x = np.asarray(vectors, dtype=np.float32).reshape(-1, self.weight.shape[0])
        x = x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)
        out = x @ self.weight + self.bias
        n = len(self.audioset)
        return Evidence(out[:, :n], out[:, n:2 * n], out[:, 2 * n], out[:, 2 * n + 1:])

    def save(self, path: str | os.PathLike) -> None:
        from safetensors.numpy import save_file

        from model.checkpoint import write_atomic

        meta = {"format": PROBE_FORMAT, "audioset": json.dumps(self.audioset), "label_ids": json.dumps(self.label_ids),
                "settings": json.dumps(asdict(self.settings)), "heads_version": self.heads_version,
                "info": json.dumps(self.info)}
        arrays = {"weight": self.weight.astype(np.float16), "bias": self.bias.astype(np.float32)}
        write_atomic(Path(path), lambda tmp: save_file(arrays, tmp, metadata=meta))

    @classmethod
    def from_file(cls, path: str | os.PathLike) -> EditProbe:
        from safetensors import SafetensorError, safe_open

        try:
            with safe_open(str(path), framework="np") as f:
                meta = f.metadata() or {}
                if meta.get("format") != PROBE_FORMAT:
                    raise CheckpointError(f"{path} is not an edit probe file")
                weight, bias = f.get_tensor("weight").astype(np.float32), f.get_tensor("bias")
        except (SafetensorError, OSError, ValueError, KeyError) as exc:
            raise CheckpointError(f"edit probe file unreadable: {path} ({exc})") from exc
        return cls(weight, bias, json.loads(meta["audioset"]), json.loads(meta.get("label_ids", "[]")),
                   RerankSettings(**json.loads(meta["settings"])), meta.get("heads_version", ""),
                   json.loads(meta.get("info", "{}")))


def edit_targets(parsed, audioset: list[str], label_ids: list[str] = ()) -> list[EditTarget]:
    """The parsed modifier's edits (model.modifier_parser.ParsedModifier) as rerank targets: known
    sounds through their AudioSet classes, unknown words with a kind through the AudioSet classes that
    name them; sounds without any AudioSet column are left to the cosine."""
    index = {name: i for i, name in enumerate(audioset)}
    label_of = {c: i for i, c in enumerate(label_ids)}
    targets = []
    for edit in parsed.edits:
        if edit.sound is None:
            targets.append(EditTarget(edit.kind, "it"))
            continue
        cls = BY_ID[edit.sound]
        columns = tuple(index[n] for n in cls.audioset if n in index)
        if columns:
            targets.append(EditTarget(edit.kind, cls.name, columns, bed=cls.role == BACKGROUND,
                                      label_column=label_of.get(edit.sound)))
    for unknown in parsed.unknown:
        columns = tuple(index[n] for n in unknown.audioset if n in index)
        if columns and getattr(unknown, "kind", None):
            targets.append(EditTarget(unknown.kind, unknown.word, columns, via_audioset=True))
    return targets


def _standardise(x: np.ndarray) -> np.ndarray:
    return (x - x.mean()) / max(float(x.std()), 1e-6)


def edit_consistency(target: EditTarget, ev_a: Evidence, ev_b: Evidence, settings: RerankSettings) -> np.ndarray:
    """(K,) how well each candidate b differs from the query clip a as the edit says, each term
    standardised over the K candidates."""
    level = _standardise(ev_b.floor - ev_a.floor[0])
    sign = 1.0 if target.kind in (ADD, LOUDER) else -1.0
    if not target.columns:
        return sign * level
    if settings.pool == "label" and target.label_column is not None:
        column = target.label_column
        delta = _standardise(ev_b.labels[:, column] - ev_a.labels[0, column])
    else:
        cols = list(target.columns)
        pool = "max" if settings.pool == "label" else settings.pool
        delta = _standardise(ev_b.classes(pool)[:, cols].max(axis=1) - ev_a.classes(pool)[0, cols].max())
    if target.kind in (LOUDER, QUIETER) and settings.level_weight:
        delta = delta + settings.level_weight * (level if target.bed else -level)
    return sign * delta


def consistency(targets: list[EditTarget], ev_a: Evidence, ev_b: Evidence, settings: RerankSettings
                ) -> np.ndarray:
    """(K,) mean over the edits of each edit's consistency with the K candidates."""
    k = len(ev_b.floor)
    if not targets or k < 2:
        return np.zeros(k, dtype=np.float32)
    return np.mean([edit_consistency(t, ev_a, ev_b, settings) for t in targets], axis=0).astype(np.float32)


def rerank_scores(scores: np.ndarray, query: np.ndarray, candidates: np.ndarray, targets: list[EditTarget],
                  probe: EditProbe, weight: float | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(new scores, consistency) of K candidates: cosine ``scores`` (K,) + weight * consistency, from the
    query clip's vector (D,) and the candidates' vectors (K, D)."""
    settings = probe.settings
    w = settings.weight if weight is None else weight
    cons = consistency(targets, probe.evidence(query[None]), probe.evidence(candidates), settings)
    return np.asarray(scores, dtype=np.float32) + np.float32(w) * cons, cons
