"""Fine-tuning trained heads on new data: start from a heads file, keep its classes, stay near it.

- ``merged_class_names``: the heads' classes first, in their order, then the data's new ones; the
  classifier grows by zero rows (``init_heads``), so old logits are unchanged at the start.
- ``relabel``: a PairSet's label columns in that merged order, plus which columns the data labels
  (a class the data never names is not "absent": its BCE is masked, not pushed to 0).
- ``load_relabelled``: caches with different class lists (e.g. the first release's 8 classes and the
  v2 data's 40, for rehearsal) as one PairSet, with a per-pair mask of the labelled columns.
- ``Anchor``: L2-SP, weight * sum of squared distances of the trainable weights to their start
  (Li et al., "Explicit inductive bias for transfer learning", ICML 2018).
- ``freeze``: named parts of the heads stop training.
- ``Distill``: learning without forgetting (Li & Hoiem, ECCV 2016) in embedding space: the heads'
  normalized A(a), A(b) and composed query stay near the frozen start's on chosen pairs
  (``pairs_of``: e.g. the first release's, whose pairs the start already fits).
"""

from __future__ import annotations

import copy
import csv
from dataclasses import replace
from pathlib import Path

import numpy as np
import torch

from model.checkpoint import load_heads
from model.heads import HeadsConfig, NudgeHeads
from training.pairset import PairSet, concat, load_pairset

# parts of NudgeHeads that --freeze can name, and the module attributes they cover
PARTS = {"audio": ("audio",), "text": ("text",), "composer": ("composer",), "classifier": ("classifier",)}


def merged_class_names(init_names: list[str], data_names: tuple[str, ...]) -> list[str]:
    """The initial heads' classes in their order, then the data's classes they do not know."""
    return list(init_names) + [c for c in data_names if c not in init_names]


def relabel(ps: PairSet, class_names: list[str]) -> tuple[PairSet, np.ndarray]:
    """The pairs with label columns in ``class_names`` order (unlabelled columns 0) and a bool mask of
    the columns this data labels."""
    missing = set(ps.class_names) - set(class_names)
    if missing:
        raise ValueError(f"classes of the data not in the class list: {sorted(missing)}")
    column = {c: i for i, c in enumerate(ps.class_names)}
    src = np.array([column.get(c, -1) for c in class_names])
    labelled = src >= 0

    def move(labels: np.ndarray) -> np.ndarray:
        out = np.zeros((len(labels), len(class_names)), dtype=np.float32)
        out[:, labelled] = labels[:, src[labelled]]
        return out

    return replace(ps, labels_a=move(ps.labels_a), labels_b=move(ps.labels_b),
                   class_names=tuple(class_names)), labelled


def load_relabelled(train_dirs: list[Path], val_dirs: list[Path], init_names: list[str]
                    ) -> tuple[PairSet, np.ndarray, PairSet, np.ndarray]:
    """Train and val caches relabelled to one class list (the heads' classes, then every cache's new
    ones in order) and concatenated; masks (n_pairs, n_classes) mark the columns each pair's cache labels."""
    train_parts, val_parts = [load_pairset(d) for d in train_dirs], [load_pairset(d) for d in val_dirs]
    names = list(init_names)
    for part in train_parts + val_parts:
        names = merged_class_names(names, part.class_names)

    def join(parts: list[PairSet]) -> tuple[PairSet, np.ndarray]:
        moved = [relabel(part, names) for part in parts]
        masks = np.concatenate([np.repeat(mask[None], len(part), axis=0) for part, mask in moved])
        return concat([part for part, _ in moved]), masks

    return (*join(train_parts), *join(val_parts))


def init_heads(path: str | Path, class_names: list[str]) -> NudgeHeads:
    """The heads of ``path`` with the classifier extended to ``class_names`` (a superset of its own
    classes, which keep their rows; new rows start at zero). Training mode."""
    old = load_heads(path)
    old_names = list(old.config.class_names)
    if not set(old_names) <= set(class_names):
        raise ValueError(f"class list drops classes of {path}: {sorted(set(old_names) - set(class_names))}")
    config = HeadsConfig.from_dict({**old.config.to_dict(), "class_names": list(class_names)})
    heads = NudgeHeads(config)
    state = {k: v for k, v in old.state_dict().items() if not k.startswith("classifier.")}
    heads.load_state_dict(state, strict=False)
    with torch.no_grad():
        heads.classifier.weight.zero_()
        heads.classifier.bias.zero_()
        rows = [class_names.index(c) for c in old_names]
        heads.classifier.weight[rows] = old.classifier.weight
        heads.classifier.bias[rows] = old.classifier.bias
    return heads.train()


def freeze(heads: NudgeHeads, parts: list[str]) -> None:
    """Stop training the named parts (``PARTS``)."""
    for part in parts:
        if part not in PARTS:
            raise ValueError(f"unknown part {part!r}; choose from {sorted(PARTS)}")
        for attr in PARTS[part]:
            module = getattr(heads, attr, None)
            if module is None:
                raise ValueError(f"these heads have no {part} part")
            for p in module.parameters():
                p.requires_grad_(False)


class Anchor:
    """L2-SP penalty: weight * sum over trainable parameters of ||w - w_start||^2."""

    def __init__(self, heads: NudgeHeads, weight: float):
        self.weight = weight
        self.start = {n: p.detach().clone() for n, p in heads.named_parameters() if p.requires_grad}

    def squared_distance(self, heads: NudgeHeads) -> torch.Tensor:
        total = torch.zeros(())
        for name, p in heads.named_parameters():
            if name in self.start:
                total = total + (p - self.start[name]).pow(2).sum()
        return total

    def penalty(self, heads: NudgeHeads) -> torch.Tensor:
        return self.weight * self.squared_distance(heads)

    def distance(self, heads: NudgeHeads) -> float:
        """Euclidean distance of the trainable weights to their start (for the training log)."""
        with torch.no_grad():
            return float(self.squared_distance(heads)) ** 0.5


def pairs_of(caches: list[Path], chosen: list[Path]) -> np.ndarray:
    """(n_pairs,) bool over the caches' pairs concatenated in order: True for the chosen caches' pairs."""
    chosen_set = {Path(c).resolve() for c in chosen}
    if not chosen_set <= {Path(c).resolve() for c in caches}:
        raise ValueError(f"distilled caches must be training caches: {sorted(map(str, chosen))}")
    parts = []
    for cache in caches:
        with open(Path(cache) / "pairs.csv", newline="") as f:
            parts.append(np.full(sum(1 for _ in csv.DictReader(f)), Path(cache).resolve() in chosen_set))
    return np.concatenate(parts)


class Distill:
    """weight * mean over pairs of the summed squared distances of the normalized A(a), A(b) and
    composed query to those of the frozen start (in eval mode)."""

    def __init__(self, heads: NudgeHeads, weight: float):
        self.weight = weight
        self.start = copy.deepcopy(heads).eval()
        for p in self.start.parameters():
            p.requires_grad_(False)

    @staticmethod
    def outputs(heads: NudgeHeads, audio_a: torch.Tensor, text: torch.Tensor,
                audio_b: torch.Tensor) -> list[torch.Tensor]:
        a = heads.embed_audio(audio_a)
        query = heads.compose(a, heads.embed_text(text))
        return [torch.nn.functional.normalize(x, dim=-1) for x in (a, heads.embed_audio(audio_b), query)]

    def penalty(self, heads: NudgeHeads, audio_a: torch.Tensor, text: torch.Tensor,
                audio_b: torch.Tensor) -> torch.Tensor:
        with torch.no_grad():
            start = self.outputs(self.start, audio_a, text, audio_b)
        now = self.outputs(heads, audio_a, text, audio_b)
        return self.weight * sum((x - y).pow(2).sum(-1).mean() for x, y in zip(now, start, strict=True))
