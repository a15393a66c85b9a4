"""Search scope: which library files a ranked search may return (keyword over names and metadata,
folder, duration and sample-rate limits), and the text-match score of a keyword-only search."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class SearchScope:
    keyword: str = ""  # every word in the path or the metadata
    folder: Path | None = None  # only files inside this folder
    min_duration: float | None = None  # seconds
    max_duration: float | None = None
    min_sample_rate: int | None = None  # Hz
    tag: str | None = None  # only files with this tag ("favourite": the starred ones)

    @property
    def active(self) -> bool:
        return bool(self.keyword.strip()) or any(
            v is not None for v in (self.folder, self.min_duration, self.max_duration, self.min_sample_rate, self.tag))

    def describe(self) -> str:
        """Short text for headers: 'words “door”, in Foley, ≥ 1.0 s, ≥ 48 kHz'."""
        parts = []
        if self.keyword.strip():
            parts.append(f"words “{self.keyword.strip()}”")
        if self.folder is not None:
            parts.append(f"in {self.folder.name or self.folder}")
        if self.min_duration is not None:
            parts.append(f"≥ {self.min_duration:g} s")
        if self.max_duration is not None:
            parts.append(f"≤ {self.max_duration:g} s")
        if self.min_sample_rate is not None:
            parts.append(f"≥ {self.min_sample_rate / 1000:g} kHz")
        if self.tag:
            parts.append("★ favourites" if self.tag == "favourite" else f"tagged “{self.tag}”")
        return ", ".join(parts)


def fold(text: str | None) -> str | None:
    """Text as the keyword filter compares it: lower case, accents dropped ("Köln" and "koln" -> "koln"); also the SQL
    function fold() of every library connection (app.db)."""
    if text is None or text.isascii():
        return None if text is None else text.lower()
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).casefold()


def text_match_score(words: list[str], name: str, metadata: str, folder: str) -> float:
    """How well a file matches keywords, in [0, 1]: each word counts 1 in the file name, 0.6 in its
    metadata or tags, 0.3 in its folder path, averaged over the words (case and accents ignored: fold)."""
    if not words:
        return 0.0
    name, metadata, folder = fold(name), fold(metadata), fold(folder)
    total = 0.0
    for word in map(fold, words):
        total += 1.0 if word in name else 0.6 if word in metadata else 0.3 if word in folder else 0.0
    return total / len(words)
