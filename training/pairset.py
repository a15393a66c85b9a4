"""A cached pairs set in memory: feature matrices plus per-pair indices, labels and annotations."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from training.scenes import ALL_CLASSES


@dataclass
class PairSet:
    """Pairs (a, text, b) pointing into shared clip and text feature tables."""

    audio: np.ndarray  # (n_clips, FEATURE_DIM)
    text: np.ndarray  # (n_texts, TEXT_DIM)
    a: np.ndarray  # (n_pairs,) row in audio
    b: np.ndarray
    t: np.ndarray  # (n_pairs,) row in text
    labels_a: np.ndarray  # (n_pairs, n_classes) float32 multi-hot
    labels_b: np.ndarray
    scene: np.ndarray  # (n_pairs,) str
    split: np.ndarray
    diff_types: list[list[str]]  # e.g. [["bg_louder", "event_added:dog"], ...]
    heldout: np.ndarray  # (n_pairs,) bool
    pair_id: list[str]
    texts: list[str]  # description per text row
    clips: list[str]  # clip path per audio row (relative to its pairs folder, prefixed by scene/split)
    sources: list[str] = field(default_factory=list)  # pairs.csv sha256 of each part
    paraphrases: np.ndarray | None = None  # (n_pairs, K) alternative text rows, or None
    reversals: np.ndarray | None = None  # (n_pairs,) text row describing the inverse edit b -> a, or None
    clause_text: np.ndarray | None = None  # (n_texts, CLAUSES * TEXT_DIM) per-clause features, same rows as text
    class_names: tuple[str, ...] = ()  # label order of labels_a / labels_b (the pairs folder's classes.txt)
    phrasing: list[str] = field(default_factory=list)  # per pair: phrasing family ("" if the set has none)
    background: np.ndarray | None = None  # (n_pairs,) background recording id, where pairs.csv records it

    def text_features(self, clauses: int = 1) -> np.ndarray:
        """The text feature table a heads config reads: whole descriptions, or per-clause slots."""
        if clauses == 1:
            return self.text
        if self.clause_text is None or self.clause_text.shape[1] != clauses * self.text.shape[1]:
            raise ValueError(f"these feature caches hold no {clauses}-clause text features; "
                             "rebuild them with: python -m training.feature_cache --all")
        return self.clause_text

    def __len__(self) -> int:
        return len(self.a)

    def subset(self, mask: np.ndarray) -> PairSet:
        """Pairs selected by a boolean mask or index array (feature tables are shared)."""
        idx = np.flatnonzero(mask) if np.asarray(mask).dtype == bool else np.asarray(mask)
        return replace(
            self, a=self.a[idx], b=self.b[idx], t=self.t[idx], labels_a=self.labels_a[idx],
            labels_b=self.labels_b[idx], scene=self.scene[idx], split=self.split[idx],
            diff_types=[self.diff_types[i] for i in idx], heldout=self.heldout[idx],
            pair_id=[self.pair_id[i] for i in idx],
            phrasing=[self.phrasing[i] for i in idx] if self.phrasing else [],
            background=None if self.background is None else self.background[idx],
            paraphrases=None if self.paraphrases is None else self.paraphrases[idx],
            reversals=None if self.reversals is None else self.reversals[idx],
        )

    def with_reversed(self) -> PairSet:
        """These pairs plus each one run backwards (b, inverse text, a): twice the training pairs."""
        if self.reversals is None:
            raise ValueError("this feature cache has no reversal texts (build it with --reversals)")
        from training.descriptions import INVERSE_KIND

        def invert(d: str) -> str:
            kind, sep, label = d.partition(":")
            return INVERSE_KIND[kind] + sep + label

        return replace(
            self, a=np.concatenate([self.a, self.b]), b=np.concatenate([self.b, self.a]),
            t=np.concatenate([self.t, self.reversals]),
            labels_a=np.concatenate([self.labels_a, self.labels_b]),
            labels_b=np.concatenate([self.labels_b, self.labels_a]),
            scene=np.concatenate([self.scene, self.scene]), split=np.concatenate([self.split, self.split]),
            diff_types=self.diff_types + [[invert(d) for d in ds] for ds in self.diff_types],
            heldout=np.concatenate([self.heldout, self.heldout]),
            pair_id=self.pair_id + [f"{i}:reversed" for i in self.pair_id],
            phrasing=self.phrasing + self.phrasing,
            background=None if self.background is None else np.concatenate([self.background, self.background]),
            paraphrases=None if self.paraphrases is None else np.concatenate(
                [self.paraphrases, np.repeat(self.reversals[:, None], self.paraphrases.shape[1], axis=1)]),
            reversals=None,
        )

    def scenes(self) -> list[str]:
        return sorted(set(self.scene.tolist()))


def _multi_hot(column: list[str]) -> np.ndarray:
    return np.array([[float(v) for v in s.split()] for s in column], dtype=np.float32)


def load_pairset(cache_dir: str | Path, mmap: bool = True) -> PairSet:
    """Load one feature cache folder written by training.feature_cache."""
    cache_dir = Path(cache_dir)
    index = json.loads((cache_dir / "index.json").read_text())
    with open(cache_dir / "pairs.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    clip_row = {p: i for i, p in enumerate(index["clips"])}
    text_row = {t: i for i, t in enumerate(index["texts"])}
    audio = np.load(cache_dir / "audio.npy", mmap_mode="r" if mmap else None)
    text = np.load(cache_dir / "text.npy")
    prefix = f"{cache_dir.parent.name}/{cache_dir.name}/"
    para_path = cache_dir / "paraphrases.json"
    paraphrases = np.array(json.loads(para_path.read_text()), dtype=np.int64) if para_path.exists() else None
    if paraphrases is not None and paraphrases.ndim != 2:
        paraphrases = None
    clause_path = cache_dir / "text_clauses.npy"
    clause_text = np.load(clause_path) if clause_path.exists() else None
    if clause_text is not None and len(clause_text) != len(text):
        raise ValueError(f"{clause_path}: {len(clause_text)} rows, text.npy has {len(text)}")
    rev_path = cache_dir / "reversals.json"
    classes_txt = Path(index["pairs_csv"]).parent / "classes.txt"
    class_names = tuple(classes_txt.read_text().split()) if classes_txt.exists() else ALL_CLASSES
    reversals = np.array(json.loads(rev_path.read_text()), dtype=np.int64) if rev_path.exists() else None
    return PairSet(
        audio=audio,
        text=text,
        a=np.array([clip_row[r["a_path"]] for r in rows], dtype=np.int64),
        b=np.array([clip_row[r["b_path"]] for r in rows], dtype=np.int64),
        t=np.array([text_row[r["text"]] for r in rows], dtype=np.int64),
        labels_a=_multi_hot([r["labels_a"] for r in rows]),
        labels_b=_multi_hot([r["labels_b"] for r in rows]),
        scene=np.array([r["scene"] for r in rows]),
        split=np.array([r["split"] for r in rows]),
        diff_types=[r["diff_types"].split("|") for r in rows],
        heldout=np.array([r.get("is_heldout_phrasing", "0") in ("1", "True", "true") for r in rows]),
        pair_id=[r["pair_id"] for r in rows],
        texts=list(index["texts"]),
        clips=[prefix + c for c in index["clips"]],
        sources=[index["pairs_sha256"]],
        paraphrases=paraphrases,
        reversals=reversals,
        clause_text=clause_text,
        class_names=class_names,
        phrasing=[r.get("phrasing_family", "") or "" for r in rows],
        background=np.array([r["background_id"] for r in rows]) if rows and "background_id" in rows[0] else None,
    )


def concat(parts: list[PairSet]) -> PairSet:
    """One PairSet from several (e.g. both scenes); indices are offset into stacked tables."""
    if len(parts) == 1:
        return parts[0]
    if len({p.class_names for p in parts}) != 1:
        raise ValueError("feature caches with different class lists cannot be trained or evaluated together")
    a_off = np.cumsum([0] + [len(p.audio) for p in parts[:-1]])
    t_off = np.cumsum([0] + [len(p.text) for p in parts[:-1]])
    return PairSet(
        audio=np.concatenate([np.asarray(p.audio) for p in parts]),
        text=np.concatenate([p.text for p in parts]),
        a=np.concatenate([p.a + o for p, o in zip(parts, a_off, strict=True)]),
        b=np.concatenate([p.b + o for p, o in zip(parts, a_off, strict=True)]),
        t=np.concatenate([p.t + o for p, o in zip(parts, t_off, strict=True)]),
        labels_a=np.concatenate([p.labels_a for p in parts]),
        labels_b=np.concatenate([p.labels_b for p in parts]),
        scene=np.concatenate([p.scene for p in parts]),
        split=np.concatenate([p.split for p in parts]),
        diff_types=[d for p in parts for d in p.diff_types],
        heldout=np.concatenate([p.heldout for p in parts]),
        pair_id=[i for p in parts for i in p.pair_id],
        texts=[t for p in parts for t in p.texts],
        clips=[c for p in parts for c in p.clips],
        sources=[s for p in parts for s in p.sources],
        paraphrases=_concat_paraphrases(parts, t_off),
        reversals=None if any(p.reversals is None for p in parts)
        else np.concatenate([p.reversals + o for p, o in zip(parts, t_off, strict=True)]),
        clause_text=None if any(p.clause_text is None for p in parts)
        or len({p.clause_text.shape[1] for p in parts}) != 1 else np.concatenate([p.clause_text for p in parts]),
        class_names=parts[0].class_names,
        phrasing=[f for p in parts for f in (p.phrasing or [""] * len(p))],
        background=None if any(p.background is None for p in parts)
        else np.concatenate([p.background for p in parts]),
    )


def _concat_paraphrases(parts: list[PairSet], t_off: np.ndarray) -> np.ndarray | None:
    if any(p.paraphrases is None for p in parts) or len({p.paraphrases.shape[1] for p in parts}) != 1:
        return None
    return np.concatenate([p.paraphrases + o for p, o in zip(parts, t_off, strict=True)])


def cache_graph(cache_dirs: list[str | Path]) -> str:
    """The YAMNet graph (model.yamnet_graph) of the caches' audio rows; ValueError if they differ. Caches made
    before the field existed hold the app's first graph's features."""
    from model.yamnet_graph import GRAPH_VERSION

    graphs = {json.loads((Path(d) / "index.json").read_text()).get("audio_graph", GRAPH_VERSION): Path(d)
              for d in cache_dirs}
    if len(graphs) != 1:
        raise ValueError("feature caches of different YAMNet graphs: "
                         + ", ".join(f"{g} ({d})" for g, d in graphs.items()))
    return next(iter(graphs))


def check_graph(heads_graphs: dict[str, str], cache_dirs: list[str | Path]) -> None:
    """ValueError unless every heads file (name -> its checkpoint.audio_graph) was trained on the caches' graph."""
    graph = cache_graph(cache_dirs)
    wrong = [f"{name} ({g})" for name, g in heads_graphs.items() if g != graph]
    if wrong:
        raise ValueError(f"heads trained on another YAMNet graph than these caches' ({graph}): {', '.join(wrong)}")


def load_many(cache_dirs: list[str | Path]) -> PairSet:
    if not cache_dirs:
        raise ValueError("no feature cache folders given")
    return concat([load_pairset(d) for d in cache_dirs])


def difference_groups(diffs: list[str]) -> list[str]:
    """Group keys of one pair: each difference, its kind, and 'background' / 'event' families."""
    keys: list[str] = []
    for d in diffs:
        kind = d.split(":", 1)[0]
        keys += [d, f"kind:{kind}", "family:background" if kind.startswith("bg_") else "family:event"]
    keys.append(f"n_diffs:{len(diffs)}")
    return keys
