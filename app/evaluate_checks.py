"""Checks of an evaluation's pairs against its gallery: a target that is the query file itself, a target that is
not in the library, a target whose audio is also in the gallery under another name (a copy counts as the target)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from app.errors import describe_path
from app.same_audio import SAME_VECTOR, VERSION_VECTOR, name_key, versions_alike
from model.compose import l2_normalize

if TYPE_CHECKING:
    from app.evaluate import Pair


def target_not_in_library(target: Path) -> str:
    """Why a pair's target is not in the gallery of the library: not on disk, or not indexed."""
    if not os.path.lexists(target):
        return f"the target {describe_path(target)} does not exist (deleted, moved, or a wrong path)"
    return f"the target {describe_path(target)} is not in the library (index its folder first)"


def without_self_targets(pairs: list[Pair]) -> tuple[list[Pair], list[str]]:
    """The pairs whose target is another file than the query, and why the others are skipped: the query's own file
    is left out of its results (as in search), so it could only rank last."""
    kept, skipped = [], []
    for p in pairs:
        same = os.path.realpath(p.query) == os.path.realpath(p.target)
        if same and p.query_range is None and p.target_range is None:
            skipped.append(f"line {p.line}: the target is the query file itself (a search leaves the query's own "
                           "file out of its results)")
        else:
            kept.append(p)
    return kept, skipped


def target_copies(gallery: np.ndarray, target_index: np.ndarray) -> list[np.ndarray]:
    """Per pair, the gallery columns holding the same audio as its target (app.same_audio: a copy under another
    name or folder, the same samples in another lossless format), the target left out."""
    g = l2_normalize(gallery)
    found: dict[int, np.ndarray] = {}
    for t in np.unique(target_index):
        same = np.flatnonzero(g @ g[t] >= SAME_VECTOR)
        found[int(t)] = same[same != t]
    return [found[int(t)] for t in target_index]


def query_copies(audio: np.ndarray, gallery: np.ndarray, target_index: np.ndarray,
                 self_index: np.ndarray | None = None, names: tuple[list[str], list[str]] | None = None
                 ) -> list[np.ndarray]:
    """Per pair, the gallery columns holding the query's own audio under another name (not the query's own file,
    ``self_index``, nor its target): search leaves them out (trial 53: `evaluate` ranked one first, over the target);
    with ``names`` (the queries' file names, the gallery's), its other versions too, the same name in another format
    or rate (app.same_audio.version_ranks; trial 57: a resampled FLAC of the query ranked first)."""
    g, queries = l2_normalize(gallery), l2_normalize(audio)
    own = np.full(len(target_index), -1) if self_index is None else self_index
    keys = None if names is None else ([name_key(n) for n in names[0]], [name_key(n) for n in names[1]])
    out = []
    for start in range(0, len(queries), 256):  # a block of queries at a time: a large library's gallery stays small
        cosines = queries[start:start + 256] @ g.T
        same = cosines >= SAME_VECTOR
        if keys is not None:  # lengths unknown here: the name and the sound decide
            for i, row in enumerate(cosines):
                same[i, [j for j in np.flatnonzero(row >= VERSION_VECTOR) if versions_alike(
                    queries[start + i], g[j], None, None, keys[0][start + i], keys[1][j])]] = True
        out += [np.setdiff1d(np.flatnonzero(row), [t, s]) for row, t, s in
                zip(same, target_index[start:start + 256], own[start:start + 256], strict=True)]
    return out
