"""One edit of a clip ("add a dog", "make the rain quieter"): the unit shared by data synthesis,
the description generator and the modifier parser.

Difference types keep the names of the first data release (bg_louder, event_added, ...), so
per-type reports stay comparable: a level change of the clip's main sound (the background of a
scene, or the one sound of an isolated clip) is bg_louder / bg_quieter.
"""

from __future__ import annotations

from dataclasses import dataclass

ADD, REMOVE, LOUDER, QUIETER = "add", "remove", "louder", "quieter"
KINDS: tuple[str, ...] = (ADD, REMOVE, LOUDER, QUIETER)


@dataclass(frozen=True)
class Edit:
    kind: str  # one of KINDS
    sound: str | None  # model.sound_vocab id; None = "it" (the main sound, not named)
    is_main: bool = False  # the clip's main sound (scene background / isolated sound)
    amount_db: float = 0.0  # size of a level change; 0 for add / remove

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown edit kind {self.kind!r}")
        if self.sound is None and not self.is_main:
            raise ValueError("an edit without a named sound must be of the main sound")

    @property
    def diff_type(self) -> str:
        """bg_louder / bg_quieter for the main sound's level, else event_<added|removed|louder|quieter>."""
        if self.is_main and self.kind in (LOUDER, QUIETER):
            return f"bg_{self.kind}"
        return "event_" + {ADD: "added", REMOVE: "removed", LOUDER: "louder", QUIETER: "quieter"}[self.kind]

    def __str__(self) -> str:  # "bg_quieter:rain", "event_added:dog", "bg_louder:it"
        return f"{self.diff_type}:{self.sound or 'it'}"


def format_edits(edits: list[Edit] | tuple[Edit, ...]) -> str:
    """'add:dog:0:0.0|quieter:rain:1:-6.0' (kind:sound or '-':main 0/1:dB), the pairs.csv `edits` column."""
    return "|".join(f"{e.kind}:{e.sound or '-'}:{int(e.is_main)}:{e.amount_db:.1f}" for e in edits)


def parse_edits(text: str) -> list[Edit]:
    """Inverse of format_edits."""
    edits = []
    for part in filter(None, text.split("|")):
        kind, sound, main, db = part.split(":")
        edits.append(Edit(kind, None if sound == "-" else sound, main == "1", float(db)))
    return edits


def carried_edits(earlier: list[list[Edit]], current: list[Edit]) -> list[Edit]:
    """The edits a refine session stated at earlier steps that still hold now, read against its first clip: the
    latest edit of each sound ("it" counts as one), leaving out the sounds the current step's edits name (it
    restates or revises them)."""
    named = {e.sound for e in current}
    latest: dict[str | None, Edit] = {}
    for edits in earlier:
        for edit in edits:
            latest.pop(edit.sound, None)  # re-inserted last: the order the user stated them in
            latest[edit.sound] = edit
    return [e for s, e in latest.items() if s not in named]
