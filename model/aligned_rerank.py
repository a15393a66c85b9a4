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

An edited version keeps its clip's length (or nearly: a trimmed or extended take). A weights file may name a
``length_tolerance`` T: a candidate whose length differs from the query's by more than max(F, T x the query's
length), F the file's ``length_floor`` (0.5 s when it names none), is then not read as a version of it (it gets
the others' mean evidence, and when none is left the cosine order stays). In a folder of single recordings,
where no file is a version of another, that keeps the evidence from reading noise.
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
from model.yamnet import CLASS_SCALE

FEATURES = ("rise_max", "rise_min", "rise_mean", "present_a", "present_b", "contrast", "level_at_sound",
            "gain", "bed_contrast", "bed_level_at_sound", "align", "role_bed", "role_event", "pronoun", "bias")
# Added later (a weights file names the features it uses, any of ALL_FEATURES): the named sound's three strongest
# rises / falls, how unevenly the level changed, and the largest rise / fall of any sound the words do not name.
EXTRA_FEATURES = ("rise_top3", "fall_top3", "level_spread", "other_rise", "other_fall")
# Added in the fifty-second round (MODEL_CARD): where the level rose or fell most against the clip's overall gain
# (its three strongest patches), and the named sound's rise at the patch of the largest rise / fall: a faint sound
# arriving or leaving shows as a local level change even where its class scores barely move.
LEVEL_FEATURES = ("level_rise_top3", "level_fall_top3", "rise_at_louder", "rise_at_quieter")
# Added in the fifty-fourth round: the named sound's rise in YAMNet's logits (its stored uint8 scores, before the
# sigmoid). In a mix the named sounds mostly score far under 0.5, where a clear rise in the logit barely moves the
# probability the features above read.
LOGIT_FEATURES = ("logit_rise_max", "logit_rise_top3", "logit_fall_top3", "logit_rise_mean")
ALL_FEATURES = FEATURES + EXTRA_FEATURES + LEVEL_FEATURES + LOGIT_FEATURES
FORMAT = "nudge-aligned-rerank-1"
LENGTH_FLOOR_SECONDS = 0.5  # default gate floor: lengths this close pass (decoders pad; patch counts step 0.48 s)
PATCH_SECONDS, PATCH_HOP_SECONDS = 0.96, 0.48


def patch_span_seconds(patches: int) -> float:
    """The length a clip's whole patch count spans (the offline benchmarks' clip length)."""
    return PATCH_SECONDS + PATCH_HOP_SECONDS * (patches - 1) if patches > 0 else 0.0


def same_length(query_seconds: float, candidate_seconds: float | None, tolerance: float,
                floor: float = LENGTH_FLOOR_SECONDS) -> bool:
    """Whether a candidate is long enough and short enough to be an edited version of the query (unknown lengths
    pass: the gate never drops evidence it cannot judge)."""
    if candidate_seconds is None or not np.isfinite(candidate_seconds) or not np.isfinite(query_seconds):
        return True
    return abs(candidate_seconds - query_seconds) <= max(floor, tolerance * query_seconds)


def feature_columns(features: tuple[str, ...]) -> np.ndarray:
    """Positions of ``features`` (any of ALL_FEATURES) in a row of every feature."""
    return np.array([ALL_FEATURES.index(f) for f in features], dtype=np.int64)


class RerankFileError(ValueError):
    """The reranker's weights file is missing, unreadable or not for these features."""


@dataclass(frozen=True)
class PatchEvidence:
    """One clip's patches: YAMNet's uint8 class scores (P, 521) and each patch's level (P,), log mean mel energy."""

    classes: np.ndarray
    levels: np.ndarray

    def __len__(self) -> int:
        return len(self.levels)


def alignment(pa: np.ndarray, pb: np.ndarray) -> float:
    """Mean over the shared patches (from the start) of the cosine between a's and b's class probabilities
    ((P, 521) each, model.class_scores.probabilities of their PatchEvidence classes)."""
    n = min(len(pa), len(pb))
    if not n:
        return 0.0
    pa, pb = pa[:n], pb[:n]
    num = (pa * pb).sum(axis=1)
    return float((num / (np.linalg.norm(pa, axis=1) * np.linalg.norm(pb, axis=1) + 1e-9)).mean())


def _top_mean(values: np.ndarray, count: int = 3) -> float:
    return float(np.sort(values)[-count:].mean()) if len(values) else 0.0


def other_changes(pa: np.ndarray, pb: np.ndarray, named: np.ndarray) -> tuple[float, float]:
    """The largest rise and the largest fall (both >= 0) of any class outside ``named`` over the shared patches
    (class probabilities of a and b, as for alignment)."""
    n = min(len(pa), len(pb))
    if not n:
        return 0.0, 0.0
    diff = pb[:n] - pa[:n]
    diff[:, named] = 0.0
    return float(max(diff.max(), 0.0)), float(max(-diff.min(), 0.0))


def edit_features(edit: Edit, a: PatchEvidence, b: PatchEvidence, align: float,
                  others: tuple[float, float] = (0.0, 0.0)) -> np.ndarray:
    """The ALL_FEATURES of one edit between clip a and candidate b, over the patches both have from the start
    (``others``: other_changes for the sounds the words name)."""
    n = min(len(a), len(b))
    f = dict.fromkeys(ALL_FEATURES, 0.0)
    f["bias"], f["align"] = 1.0, align
    f["other_rise"], f["other_fall"] = others
    if not n:
        return np.array([f[k] for k in ALL_FEATURES], dtype=np.float32)
    la, lb = a.levels[:n], b.levels[:n]
    dl = lb - la
    f["gain"] = float(np.median(dl))
    local = dl - f["gain"]
    f["level_spread"] = float(np.std(local))
    f["level_rise_top3"], f["level_fall_top3"] = _top_mean(local), _top_mean(-local)
    order = np.argsort(la, kind="stable")
    third = max(1, n // 3)
    f["contrast"] = float(dl[order[-third:]].mean() - dl[order[:third]].mean())
    cols = sound_classes([edit.sound]) if edit.sound else np.zeros(0, dtype=np.int64)
    if len(cols):
        raw_a, raw_b = a.classes[:n, cols].max(axis=1), b.classes[:n, cols].max(axis=1)  # the named sound's
        ea, eb = probabilities(raw_a), probabilities(raw_b)  # strongest column (the table rises with the score)
        rise = eb - ea
        f["rise_max"], f["rise_min"], f["rise_mean"] = float(rise.max()), float(rise.min()), float(rise.mean())
        f["rise_top3"], f["fall_top3"] = _top_mean(rise), _top_mean(-rise)
        f["rise_at_louder"], f["rise_at_quieter"] = float(rise[np.argmax(local)]), float(rise[np.argmin(local)])
        logit_rise = CLASS_SCALE * (raw_b.astype(np.float32) - raw_a.astype(np.float32))
        f["logit_rise_max"], f["logit_rise_mean"] = float(logit_rise.max()), float(logit_rise.mean())
        f["logit_rise_top3"], f["logit_fall_top3"] = _top_mean(logit_rise), _top_mean(-logit_rise)
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
    return np.array([f[k] for k in ALL_FEATURES], dtype=np.float32)


def candidate_features(edits: list[Edit], a: PatchEvidence, candidates: list[PatchEvidence]) -> np.ndarray:
    """(edits, candidates, ALL_FEATURES) for every parsed edit against every candidate."""
    out = np.zeros((len(edits), len(candidates), len(ALL_FEATURES)), dtype=np.float32)
    named = sound_classes([e.sound for e in edits if e.sound])
    pa = probabilities(a.classes)  # once for the query, once per candidate
    for j, b in enumerate(candidates):
        pb = probabilities(b.classes)
        align = alignment(pa, pb)
        others = other_changes(pa, pb, named)
        for i, edit in enumerate(edits):
            out[i, j] = edit_features(edit, a, b, align, others)
    return out


def gelu(x: np.ndarray) -> np.ndarray:
    """GELU in its tanh form (torch's approximate="tanh")."""
    return 0.5 * x * (1.0 + np.tanh(np.sqrt(2.0 / np.pi) * (x + 0.044715 * x ** 3)))


@dataclass(frozen=True)
class EditNetwork:
    """Per edit: standardized features + the kind's one-hot (+ the other edit's kind, one-hot, zeros for a one-edit
    text, when w1 has those rows: ``context``) -> Linear -> GELU -> Linear -> one score."""

    mean: np.ndarray  # (F,)
    std: np.ndarray  # (F,)
    w1: np.ndarray  # (F + len(KINDS), H)
    b1: np.ndarray  # (H,)
    w2: np.ndarray  # (H,)
    b2: float

    @property
    def context(self) -> bool:
        """Whether each edit also reads the other edit's kind (MODEL_CARD, forty-fifth round)."""
        return self.w1.shape[0] == len(self.mean) + 2 * len(KINDS)

    def scores(self, feats: np.ndarray, kinds: list[int]) -> np.ndarray:
        """(edits, K, F) features and each edit's kind -> (K,) summed over the edits."""
        x = (feats - self.mean) / self.std
        onehot = np.zeros((len(kinds), x.shape[1], len(KINDS)))
        onehot[np.arange(len(kinds)), :, kinds] = 1.0
        parts = [x, onehot]
        if self.context:  # the other edit of a two-edit text; none for one edit (the app reads at most two)
            parts.append(onehot[::-1] if len(kinds) == 2 else np.zeros_like(onehot))
        hidden = gelu(np.concatenate(parts, axis=-1) @ self.w1 + self.b1)
        return (hidden @ self.w2 + self.b2).sum(axis=0)

    def to_json(self) -> dict:
        return {name: np.round(np.asarray(getattr(self, name), dtype=np.float64), 7).tolist()
                for name in ("mean", "std", "w1", "b1", "w2", "b2")}

    @classmethod
    def from_json(cls, data: dict, features: int) -> EditNetwork:
        """KeyError / TypeError / ValueError when a part is missing or malformed."""
        net = cls(*(np.asarray(data[k], dtype=np.float64) for k in ("mean", "std", "w1", "b1", "w2")),
                  float(data["b2"]))
        hidden = net.b1.shape[0] if net.b1.ndim == 1 else -1
        inputs = features + (2 if net.context else 1) * len(KINDS)
        shapes = {"mean": (features,), "std": (features,), "w1": (inputs, hidden), "b1": (hidden,),
                  "w2": (hidden,)}
        for name, shape in shapes.items():
            value = getattr(net, name)
            if value.shape != shape or not np.all(np.isfinite(value)):
                raise ValueError(f"network part {name} is not a finite {shape} array")
        if np.any(net.std <= 0) or not np.isfinite(net.b2):
            raise ValueError("network deviations must be above 0 and b2 finite")
        return net


def floored_evidence(cosines: np.ndarray, evidence: np.ndarray, floor: float | None) -> np.ndarray:
    """The evidence with a match floor: a candidate whose cosine lies more than ``floor`` below the best candidate's
    gets at most the smallest evidence of those within it, so it can never rise above any of them (the words read
    against an unrelated clip, another scene's clip of the same length, must not outrank the query's own kind);
    unchanged without a floor. Non-finite cosines count as far below."""
    evidence = np.asarray(evidence, dtype=np.float64)
    cosines = np.asarray(cosines, dtype=np.float64)
    finite = np.isfinite(cosines)
    if floor is None or not finite.any():
        return evidence
    within = finite & (cosines >= cosines[finite].max() - floor)
    return np.where(within, evidence, np.minimum(evidence, evidence[within].min()))


def file_sha256(path: str | os.PathLike) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True)
class AlignedReranker:
    weights: np.ndarray  # (len(KINDS), len(features))
    k: int  # how many of the first results are reranked
    tau: float  # cosine scale: score = cosine / tau + evidence
    heads_sha256: str  # the heads file the weights were fitted with ("" = any)
    features: tuple[str, ...] = FEATURES  # which of ALL_FEATURES the weights read, in their order
    network: EditNetwork | None = None  # when set, it scores the edits instead of the linear weights
    length_tolerance: float | None = None  # the length gate's T (module docstring); None: no gate
    length_floor: float = LENGTH_FLOOR_SECONDS  # the gate's floor F in seconds
    two_edit_network: EditNetwork | None = None  # when set, it scores texts of two or more edits (forty-sixth round)
    match_floor: float | None = None  # a candidate whose cosine is more than this below the best one's is never
    # lifted above one within it (floored_evidence; sixty-seventh round); None: no floor
    class_term: tuple[float, float] | None = None  # (named, other) weights of model.class_term, read on the heads'
    # classifier by the caller (sixty-ninth round); None: no class term

    @property
    def columns(self) -> np.ndarray:
        return feature_columns(self.features)

    def within_gate(self, query_seconds: float, candidate_seconds: float | None) -> bool:
        """Whether the length gate lets a candidate of this length be read (always, without a gate)."""
        return self.length_tolerance is None or same_length(query_seconds, candidate_seconds, self.length_tolerance,
                                                            self.length_floor)

    def readable(self, candidates: list[PatchEvidence | None], lengths: tuple[float, list[float | None]] | None = None
                 ) -> list[PatchEvidence | None]:
        """The candidates the evidence reads; None for those it does not (no patches, or the length gate's)."""
        if lengths is None:
            return list(candidates)
        query_seconds, seconds = lengths
        return [c if self.within_gate(query_seconds, s) else None for c, s in zip(candidates, seconds, strict=True)]

    def evidence(self, edits: list[Edit], a: PatchEvidence, candidates: list[PatchEvidence | None],
                 lengths: tuple[float, list[float | None]] | None = None) -> np.ndarray:
        """(K,) evidence of each candidate; a candidate without patches (None), or of another length than the query
        (``lengths``: the query's and each candidate's seconds, read when the file has a length_tolerance), gets the
        others' mean."""
        candidates = self.readable(candidates, lengths)
        known = [j for j, c in enumerate(candidates) if c is not None]
        out = np.zeros(len(candidates), dtype=np.float64)
        if not edits or not known:
            return out
        feats = candidate_features(edits, a, [candidates[j] for j in known])[..., self.columns]
        kinds = [KINDS.index(e.kind) for e in edits]
        network = self.two_edit_network if self.two_edit_network is not None and len(edits) > 1 else self.network
        if network is not None:
            out[known] = network.scores(feats, kinds)
        else:
            out[known] = sum(feats[i] @ self.weights[kind] for i, kind in enumerate(kinds))
        missing = [j for j in range(len(candidates)) if candidates[j] is None]
        out[missing] = out[known].mean()
        return out

    def order(self, cosines: np.ndarray, evidence: np.ndarray) -> np.ndarray:
        """Positions of the candidates best first by cosine / tau + evidence (stable: ties keep cosine order), the
        evidence floored (floored_evidence)."""
        cosines = np.asarray(cosines, dtype=np.float64)
        score = cosines / self.tau + floored_evidence(cosines, evidence, self.match_floor)
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
        features = tuple(data.get("features", ()))
        if not features or not set(features) <= set(ALL_FEATURES) or len(set(features)) != len(features) \
                or tuple(data.get("kinds", ())) != KINDS:
            raise RerankFileError(f"{path} was fitted for other features; refit it (python -m training.aligned_fit)")
        try:
            network = EditNetwork.from_json(data["network"], len(features)) if "network" in data else None
            two = (EditNetwork.from_json(data["network_two_edits"], len(features))
                   if "network_two_edits" in data and network is not None else None)
            weights = np.asarray(data["weights"] if network is None else np.zeros((len(KINDS), len(features))),
                                 dtype=np.float64)
            k, tau = int(data["k"]), float(data["tau"])
            tolerance = data.get("length_tolerance")
            tolerance = None if tolerance is None else float(tolerance)
            floor = float(data.get("length_floor", LENGTH_FLOOR_SECONDS))
            match_floor = None if data.get("match_floor") is None else float(data["match_floor"])
            term = data.get("class_term")
            class_term = None if term is None else (float(term["named"]), float(term["other"]))
        except (KeyError, TypeError, ValueError) as exc:
            raise RerankFileError(f"{path}: weights, network, k, tau, length_tolerance, length_floor, match_floor or "
                                  f"class_term missing or malformed ({exc!r})") from exc
        for name, value in (("length_tolerance", tolerance), ("length_floor", floor), ("match_floor", match_floor),
                            *(() if class_term is None else (("class_term", w) for w in class_term))):
            if value is not None and not (np.isfinite(value) and value >= 0):
                raise RerankFileError(f"{path}: {name} must be a number of at least 0 ({value})")
        if weights.shape != (len(KINDS), len(features)) or not np.all(np.isfinite(weights)):
            raise RerankFileError(f"{path}: weights are not a finite {len(KINDS)} x {len(features)} table")
        if k < 1 or not (np.isfinite(tau) and tau > 0):
            raise RerankFileError(f"{path}: k must be at least 1 and tau a number above 0 (k {k}, tau {tau})")
        return cls(weights, k, tau, str(data.get("heads_sha256", "")), features, network, tolerance, floor, two,
                   match_floor, class_term)

    def to_file(self, path: str | os.PathLike, extra: dict | None = None) -> None:
        data = {"format": FORMAT, "features": list(self.features), "kinds": list(KINDS),
                **({"network": self.network.to_json()} if self.network is not None
                   else {"weights": np.round(self.weights, 6).tolist()}), "k": self.k, "tau": self.tau,
                "heads_sha256": self.heads_sha256,
                **({} if self.length_tolerance is None else {"length_tolerance": self.length_tolerance}),
                **({} if self.length_floor == LENGTH_FLOOR_SECONDS else {"length_floor": self.length_floor}),
                **({} if self.two_edit_network is None else {"network_two_edits": self.two_edit_network.to_json()}),
                **({} if self.match_floor is None else {"match_floor": self.match_floor}),
                **({} if self.class_term is None else {"class_term": {"named": self.class_term[0],
                                                                       "other": self.class_term[1]}}),
                **(extra or {})}
        tmp = Path(path).with_suffix(".tmp")
        tmp.write_text(json.dumps(data, indent=1) + "\n")
        os.replace(tmp, path)
