"""Nearest known sounds of a sound word Nudge has no class for, by what the text model makes of the words.

model.sound_lexicon.nearest_known finds neighbours through YAMNet's AudioSet ontology and close spellings; a word
with neither ("hawk", "parrot", "violin") gets none. Here the frozen text backbone embeds "the sound
of <word>" and every name of every known sound the same way; the known sounds whose best name is within MARGIN of
the best cosine, and at least MIN_COSINE, are its neighbours ("hawk" -> birds, crow; "violin" -> music).
A word near nothing ("kazoo", "typewriter") keeps none: no suggestion beats a wrong one. Pure numpy around any
``encode(texts) -> (n, d)`` function (the app's OnnxTextBackbone.encode).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from model.compose import l2_normalize
from model.sound_vocab import VOCAB

MIN_COSINE = 0.68  # below it the words are unrelated ("kazoo" is 0.65 from its nearest, helicopter)
MARGIN = 0.05  # neighbours within this of the best one
MAX_NEIGHBOURS = 3
_TEMPLATE = "the sound of {}"

Encode = Callable[[list[str]], np.ndarray]


class TextNeighbours:
    """The known sounds' names embedded once per text model; ``nearest(words)`` for any number of words."""

    def __init__(self, encode: Encode) -> None:
        self._encode = encode
        self._names = [(c.id, name) for c in VOCAB for name in c.names]
        self._keys: np.ndarray | None = None

    def _name_keys(self) -> np.ndarray:
        if self._keys is None:
            self._keys = l2_normalize(self._encode([_TEMPLATE.format(name) for _, name in self._names]))
        return self._keys

    def nearest(self, words: Sequence[str]) -> list[list[str]]:
        """For each word, its nearest known sound ids (model.sound_vocab), best first; [] when none is near."""
        if not words:
            return []
        cosines = l2_normalize(self._encode([_TEMPLATE.format(w.strip()) for w in words])) @ self._name_keys().T
        return [self._classes(row) for row in cosines]

    def _classes(self, cosines: np.ndarray) -> list[str]:
        best: dict[str, float] = {}
        for i in np.argsort(-cosines, kind="stable"):
            best.setdefault(self._names[i][0], float(cosines[i]))
        ranked = list(best.items())  # best first: each sound enters at its best name, in descending order
        top = ranked[0][1] if ranked else -1.0
        if top < MIN_COSINE:
            return []
        return [cid for cid, cos in ranked if cos >= max(MIN_COSINE, top - MARGIN)][:MAX_NEIGHBOURS]
