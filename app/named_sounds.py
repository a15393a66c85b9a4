"""Where the library holds a sound the words ask for, as YAMNet hears it: a note beside the results.

The heads were trained on mixes, so "add thunder" to a rain clip finds rain-with-thunder mixes; in a library of
isolated sounds (one thunder clap per file) there is none, and the words alone cannot reach the thunder files.
When none of the shown results holds a sound the words add, but files of the library do (YAMNet's class
maxima stored per file at import, model.class_scores), the app and the CLI name a few of them:
"thunder: none of the 10 results sounds like it; 4 files of the library do (YAMNet): thunder.flac, ...".
Only files YAMNet hears the sound in are named, never a claim that the library lacks it: YAMNet misses many
events in a mix (the demo's thunder clips score no Thunder at all).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

HEARD_MIN = 0.7  # YAMNet probability of the sound's main AudioSet class at which a file holds the sound: the
# highest threshold with precision >= 0.9 on the catalog's val split (bench/bench_named_sounds.py; README)
NAMED_FILES = 3  # files named in a note


@dataclass(frozen=True)
class NamedSoundNote:
    sound: str  # the sound's display name ("car horn")
    shown: int  # results looked at
    in_library: int  # library files YAMNet hears it in
    examples: tuple[Path, ...]  # the strongest of them, at most NAMED_FILES

    def message(self) -> str:
        names = ", ".join(p.name for p in self.examples)
        more = f" and {self.in_library - len(self.examples)} more" if self.in_library > len(self.examples) else ""
        files = "1 file of the library does" if self.in_library == 1 else \
            f"{self.in_library} files of the library do"
        return (f"{self.sound}: none of the {self.shown} results sounds like it; {files} (YAMNet hears it): "
                f"{names}{more}")


def sound_presence(classes: np.ndarray, sound: str) -> np.ndarray:
    """(n,) probability that each class row holds ``sound`` (a model.sound_vocab id): its main AudioSet class
    (model.class_scores.main_sound_class; broader ones such as "Growling" for a dog name too much else); 0 for
    rows without class scores or sounds without an AudioSet class."""
    from model.class_scores import has_classes, main_sound_class, probabilities

    column = main_sound_class(sound)
    rows = np.asarray(classes)
    if column is None or not len(rows):
        return np.zeros(len(rows), dtype=np.float32)
    return np.where(has_classes(rows), probabilities(rows[:, column]), 0.0).astype(np.float32)


def asked_sounds(text: str) -> list[str]:
    """The sound ids the words add ("add thunder", "needs a dog"), in order, once each; a sound made louder
    is one the query holds already, so it is not asked for here."""
    from model.edits import ADD
    from model.modifier_parser import parse_modifier
    from model.sound_vocab import BY_ID

    if not text.strip():
        return []
    return list(dict.fromkeys(e.sound for e in parse_modifier(text).edits if e.kind == ADD and e.sound in BY_ID))


def named_sound_notes(text: str, shown: Sequence[Path], library: Sequence[Path], classes: np.ndarray,
                      heard_min: float = HEARD_MIN) -> list[NamedSoundNote]:
    """Notes for the sounds the words ask for that no shown result holds but library files do.

    ``library`` and ``classes`` are aligned: each library file and its whole-file class row."""
    from model.sound_vocab import BY_ID

    if not shown or not len(library):
        return []
    shown_set = set(shown)
    notes = []
    for sound in asked_sounds(text):
        heard = sound_presence(classes, sound) >= heard_min
        holders = np.flatnonzero(heard)
        if not len(holders) or any(library[i] in shown_set for i in holders):
            continue  # nowhere to point at, or a shown result holds it already
        strength = sound_presence(classes[holders], sound)
        best = [library[holders[k]] for k in np.argsort(-strength, kind="stable")[:NAMED_FILES]]
        notes.append(NamedSoundNote(BY_ID[sound].name, len(shown), len(holders), tuple(best)))
    return notes
