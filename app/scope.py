"""Search scope: which library files a ranked search may return (keyword over names and metadata,
folder, duration and sample-rate limits), and the text-match score of a keyword-only search."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path


@dataclass(frozen=True)
class SearchScope:
    keyword: str = ""  # every word begins a word of the path or the metadata (has_word)
    folder: Path | None = None  # only files inside this folder
    min_duration: float | None = None  # seconds
    max_duration: float | None = None
    min_sample_rate: int | None = None  # Hz
    tag: str | None = None  # only files with this tag ("favourite": the starred ones)

    @property
    def active(self) -> bool:
        return bool(self.keyword.strip()) or any(
            v is not None for v in (self.folder, self.min_duration, self.max_duration, self.min_sample_rate, self.tag))

    def with_words(self, words: str) -> SearchScope:
        """This scope, its files also holding these words (a search's own keyword beside the library filter's)."""
        return replace(self, keyword=f"{self.keyword} {words}".strip()) if words.strip() else self

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
    total = 0.0
    for word in words:
        total += (1.0 if has_word(name, word) else 0.6 if has_word(metadata, word) else
                  0.3 if has_word(folder, word) else 0.0)
    return total / len(words)


def whole_word_matches(words: list[str], name: str) -> int:
    """How exactly the keywords name a file, to order files that match them equally well (text_match_score): per word,
    2 when a whole word of the name is the word as typed (case ignored, accents kept: "Tür" in "Tür Knall"), 1 when it
    is the word with accents ignored, 0 when the word only starts one ("tür" in "turbine")."""
    tokens = re.findall(r"[^\W_]+", name)
    typed = {t.casefold() for t in tokens}
    folded = {fold(t) for t in tokens}
    return sum(2 if w.casefold() in typed else 1 if fold(w) in folded else 0 for w in words if w)


@lru_cache(maxsize=4096)
def word_starts(text: str) -> tuple[str, frozenset[int]]:
    """``text`` folded, and the positions in it where a word begins: the start, after a character that is not
    a letter or digit, a lower-to-upper case change ("HeavyRain") or a change between letters and digits
    ("rain01")."""
    folded, starts = [], set()
    position, previous = 0, ""
    for char in text:
        piece = fold(char) or ""
        if piece and (not previous or not previous.isalnum()
                      or (previous.islower() and char.isupper())
                      or (previous.isalpha() and char.isdigit()) or (previous.isdigit() and char.isalpha())):
            starts.add(position)
        folded.append(piece)
        position += len(piece)
        previous = char
    return "".join(folded), frozenset(starts)


def has_word(text: str | None, word: str) -> bool:
    """Whether ``word`` begins a word of ``text`` (case and accents ignored): "rain" finds "Rain_01", "rainfall"
    and "HeavyRain", not "train" or "drain". A word starting with "*" ("*storm") or with punctuation ("_", "%")
    matches anywhere, as typed; a "*" at its end changes nothing ("rain*" is "rain": trial 56 typed "scream*").
    Also the SQL function has_word() of every library connection (app.db)."""
    if not text or not word:
        return False
    anywhere = word.startswith("*") or not word[0].isalnum()
    needle = fold(word.strip("*") or word) or ""  # "*" alone is a literal star
    folded, starts = word_starts(text)
    if anywhere:
        return needle in folded
    at = folded.find(needle)
    while at >= 0:
        if at in starts:
            return True
        at = folded.find(needle, at + 1)
    return False
