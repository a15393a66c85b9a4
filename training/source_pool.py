"""The source catalog (data/catalog/catalog.csv + classes.json) as pools of recordings per split.

Catalog splits: train (-> dev pairs), val, eval; `ood` rows are never read. Beds are the
catalog's background recordings; a bed-capable class (sound_vocab role background/both) without
any in a split loops its recordings of at least 2 s instead, so small val/eval splits keep their
scenes. A row whose label is not
one of the training classes (classes.json) is an anonymous "other" sound: it may play in a mix as a
distractor but is never named, edited or labelled.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path

from model.sound_vocab import BACKGROUND, BOTH, BY_ID
from training.mixer import Source

FALLBACK_BED_SECONDS = 2.0  # shortest recording looped as a bed when a class has no background one
CATALOG_SPLIT_OF = {"dev": "train", "val": "val", "eval": "eval"}  # pairs split -> catalog split
FORBIDDEN_SPLITS = frozenset({"ood"})


@dataclass
class SourcePool:
    classes: tuple[str, ...]  # training classes, classes.json order (label order of pairs.csv)
    beds: dict[str, list[Source]] = field(default_factory=dict)  # class -> background recordings
    events: dict[str, list[Source]] = field(default_factory=dict)  # class -> any recording of it
    others: list[Source] = field(default_factory=list)  # unlabelled / non-training-class events

    def event_classes(self) -> list[str]:
        return [c for c in self.classes if self.events.get(c)]

    def bed_classes(self) -> list[str]:
        return [c for c in self.classes if self.beds.get(c)]


def read_classes(catalog_dir: Path) -> tuple[str, ...]:
    """Class ids in classes.json order (a list of ids or of {"id": ...}, or {"classes": ...})."""
    return read_classes_text((Path(catalog_dir) / "classes.json").read_text())


def read_classes_text(text: str) -> tuple[str, ...]:
    doc = json.loads(text)
    if isinstance(doc, dict):
        doc = doc.get("classes", doc)
    if isinstance(doc, dict):
        return tuple(doc)
    ids = []
    for item in doc:
        ids.append(item if isinstance(item, str) else item.get("id") or item.get("class") or item["label"])
    return tuple(ids)


def read_catalog(catalog_dir: Path) -> list[dict[str, str]]:
    with open(Path(catalog_dir) / "catalog.csv", newline="") as f:
        return list(csv.DictReader(f))


def load_pool(catalog_dir: Path, split: str, rows: list[dict[str, str]] | None = None,
              classes: tuple[str, ...] | None = None) -> SourcePool:
    """Recordings of one pairs split (dev / val / eval); rows and classes are read from catalog_dir
    unless given (pass both when building several splits, so they see one version of the catalog)."""
    if split not in CATALOG_SPLIT_OF:
        raise ValueError(f"unknown pairs split {split!r}; the catalog's {sorted(FORBIDDEN_SPLITS)} is never used")
    wanted = CATALOG_SPLIT_OF[split]
    pool = SourcePool(classes if classes is not None else read_classes(catalog_dir))
    known = set(pool.classes)
    for row in rows if rows is not None else read_catalog(catalog_dir):
        if row["split"] != wanted or row["split"] in FORBIDDEN_SPLITS:
            continue
        label = row.get("label", "") or ""
        src = Source(row["clip_id"], row["file"], label if label in known else "",
                     float(row["duration"]), row.get("group") or row["clip_id"])
        if not src.label:
            pool.others.append(src)
            continue
        pool.events.setdefault(src.label, []).append(src)
        if row.get("role") == "background":
            pool.beds.setdefault(src.label, []).append(src)
    for label, sources in pool.events.items():  # a bed class without a bed recording in this split
        vocab = BY_ID.get(label)
        if not pool.beds.get(label) and vocab is not None and vocab.role in (BACKGROUND, BOTH):
            loops = [s for s in sources if s.duration >= FALLBACK_BED_SECONDS]
            if loops:
                pool.beds[label] = loops
    return pool
