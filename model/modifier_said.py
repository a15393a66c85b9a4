"""A whole modifier text cut into pieces (model.modifier_pieces reads each one).

The text is cut at every natural joiner ("and", ", then", ". ", "+", "&", " - ", "also", "plus", "as well as",
"with", "but", "while", "as the", ";", ","), after the idioms (model.modifier_idioms) are rewritten and joiners
typed with a typo mended; a correction said mid-sentence ("add a dog no wait a cat") replaces what it corrects; two
edits typed without a joiner ("more rain less wind") or a sound arriving "over" another's level change ("dogs
barking over heavier rain") are cut too.
"""

from __future__ import annotations

import re
import unicodedata

from model.edits import ADD, LOUDER, QUIETER
from model.modifier_idioms import IDIOMS
from model.modifier_pieces import INTRODUCING, PARTICLES, WANTING, Piece, read_piece
from model.modifier_spelling import edit_distance, english_words, known_words
from model.modifier_verbs import FILLER
from model.sound_lexicon import lexicon, tokens

_SPLIT = re.compile(
    r"(\s*[.;!?]+\s+|\s*;\s*|\s+[-+&\u2013\u2014]\s+|\s*,\s*then\s+|\s*,?\s+followed\s+by\s+|\s*,\s*and\s+also\s+"
    r"|\s*,\s*and\s+then\s+"
    r"|\s*,\s*and\s+|\s*,\s*also\s+|\s*,\s*plus\s+|\s*,?\s+but\s+with\s+|\s*,\s*but\s+|\s+but\s+"
    r"|\s+and\s+then\s+|\s+and\s+also\s+|\s+as\s+well\s+as\s+|\s+(?:along|together)\s+with\s+|\s+with\s+"
    r"|\s*,?\s+whil(?:e|st)\s+|\s*,?\s+when\s+|\s*,?\s+as\s+(?=(?:the|a|an)\s)|\s*,?\s+where\s+|\s+then\s+|\s+also\s+|\s+plus\s+|\s+and\s+"
    r"|\s+or\s+|\s*&\s*|\s*\+\s*(?!\d)|\s+/\s+|\s*,\s*)",
    re.IGNORECASE)
_LEADING = re.compile(r"^(?:and\s+then|and\s+also|and|then|also|plus|but|so|oh|okay|ok|\+|&|-)\s+", re.IGNORECASE)


_JOINER_WORDS = ("and", "with", "then", "plus", "also", "but")


def _joiner_typo(match: re.Match[str]) -> str:
    """A joiner typed with two letters swapped or one doubled ("wiht", "adn", "thne", "annd") -> the joiner."""
    word = match.group(0)
    low = word.lower()
    if low in english_words() or low in known_words():
        return word
    for joiner in _JOINER_WORDS:
        swapped = len(low) == len(joiner) and sorted(low) == sorted(joiner) and edit_distance(low, joiner) == 1
        doubled = len(low) == len(joiner) + 1 and any(low[:i] + low[i + 1:] == joiner and low[i] == low[i - 1]
                                                      for i in range(1, len(low)))
        if swapped or doubled:
            return joiner
    return word


# the user corrects what they just said: "add a dog no wait a cat", "make it louder sorry quieter", "remove the cow
# no the horse" (dictation; reader 64)
_CORRECTION = re.compile(
    # "add thunder, no, scratch that, add rain", "add a dog, actually no, make it a cat" (reader 122; before ", no,")
    r"\s*,?\s+(?:no\s*,?\s+)?(?:scratch|forget|ignore)\s+that\s*,?\s+|\s*,?\s+never\s*mind(?:\s+that)?\s*,?\s+"
    r"|\s*,?\s+actually\s*,?\s+no\s*,?\s+(?:make\s+(?:that|it)\s+)?|"
    r"\s*,?\s+(?:(?:no\s*,?\s+(?:wait|sorry|i\s+mean)|(?:wait|sorry)\s*,?\s+no|i\s+mean|sorry|oops|whoops|or\s+rather)"
    r"\s*,?\s+|no\s*,?\s+(?=(?:the|a|an)\s))"
    # "add birds, no, church bells" (a comma after the no: "add birds, no church bells" still removes them), "add
    # birds... actually make that church bells", "add a dog, make that a cat" (reader 69)
    r"|\s*,\s*no\s*,\s+|\s*(?:,|\.{2,}|\u2026)\s*actually\s*,?\s*(?:make\s+(?:that|it)|i\s+mean)\s+"
    r"|\s*,\s*make\s+that\s+", re.IGNORECASE)
# "add birds, actually church bells": a correction only when a sound alone follows ("the traffic, actually I hardly
# hear it" and "... actually just add thunder too" go on; reader 69)
_SOFT_CORRECTION = re.compile(r"\s*(?:,|\.{2,}|\u2026)\s*actually\s*,?\s+", re.IGNORECASE)


def _correct(pieces: list[Piece], fix: list[Piece]) -> list[Piece]:
    """The pieces said before a correction and after it: a whole edit replaces the last piece, a sound alone takes
    its place in it ("remove the cow, no, the horse"), a level or verb alone changes its kind."""
    if not pieces or not fix:
        return pieces + fix
    last, first = pieces[-1], fix[0]
    if sum(1 for p in fix if p.kind is not None and (p.sound is not None or p.pronoun)) >= 2:
        return fix  # two whole edits said again: the request restated ("... no wait the other way around: the rain
        # louder and the birds quieter"; reader 122)
    if first.kind is not None and (first.sound is not None or first.pronoun or first.leftover):
        first.joiner = last.joiner
        return pieces[:-1] + fix
    if first.sound is not None:
        last.sound, last.last_sound, last.leftover = first.sound, first.last_sound, first.leftover
    elif first.kind is not None:
        last.kind, last.priority = first.kind, first.priority
    return pieces + fix[1:]


def read_pieces(text: str) -> list[Piece]:
    pieces: list[Piece] = []
    for said in _CORRECTION.split(text):
        if said.strip():
            pieces = _correct(pieces, _said_with_soft_corrections(said))
    return pieces


def _said_with_soft_corrections(said: str) -> list[Piece]:
    """The pieces of a stretch of text with its ", actually <sound>" corrections made (_SOFT_CORRECTION)."""
    chunks = _SOFT_CORRECTION.split(said)
    if len(chunks) > 1 and chunks[0].strip():
        fixes = [_read_said(chunk) for chunk in chunks[1:]]
        if all(fix and fix[0].kind is None and fix[0].sound and not fix[0].pronoun and not fix[0].leftover
               for fix in fixes):
            pieces = _read_said(chunks[0])
            for fix in fixes:
                pieces = _correct(pieces, fix)
            return pieces
    return _read_said(said)


_HELD = re.compile(r"\b[A-Za-z]*([A-Za-z])\1{2,}[A-Za-z]*\b")


def held_letters(match: re.Match[str]) -> str:
    """A word with a letter held down ("sooo", "louderrrr", "moooing", "belll"): each run of three or more made one
    letter where that makes a word and two do not make one the reader knows, else two ("sooo" -> so, "belll" -> bell,
    "moooing" -> mooing; reader 73)."""
    word = match.group(0)
    doubled = re.sub(r"([A-Za-z])\1{2,}", r"\1\1", word)
    single = re.sub(r"([A-Za-z])\1{2,}", r"\1", word)
    return single if single.lower() in english_words() and doubled.lower() not in known_words() else doubled


def _read_said(text: str) -> list[Piece]:
    text = _HELD.sub(held_letters, text)
    text = re.sub(r"\b[A-Za-z]{3,5}\b", _joiner_typo, text)
    text = re.sub(r"\bn?nd\b|(?<=\s)n(?=\s)", "and", text, flags=re.IGNORECASE)  # "nd", "n": and
    for pattern, replacement in IDIOMS:
        text = pattern.sub(replacement, text)
    text = _LEADING.sub("", text.strip().rstrip(".!?;, ").strip())
    parts = _SPLIT.split(text)
    pieces, joiner = [], ""
    for i, part in enumerate(parts):
        if i % 2:
            joiner = " ".join(part.split())
        elif part.strip():
            pieces += _read_unjoined(part.strip(), joiner.lower())
    return pieces


# words that lead into what follows them: never the last word of the first of two unjoined edits
_LEADS = frozenset({"this", "that", "these", "those", "no", "not", "without", "add", "kill", "remove", "lose", "minus",
                    "more", "less", "with", "boost", "drop", "cut", "mute", "unmute", "too", "so", "very", "way"})
_KEYWORD_CUES = frozenset({"add", "more", "less", "louder", "quieter", "lighter", "softer", "heavier"})  # "hens less"
_MAX_UNJOINED_WORDS = 24  # longer pieces are not tried as two unjoined edits (each try reads both halves)


def _read_unjoined(raw: str, joiner: str) -> list[Piece]:
    """One piece, or two edits typed without a joiner ("more rain less wind", "lose the dog add a cat"):
    both halves name a different sound and a verb stronger than a bare particle, with nothing left over; or a sound
    arriving over another's level change (_over_split)."""
    over = _over_split(raw, joiner)
    if over:
        return over
    piece = read_piece(raw, joiner)
    words = raw.split()
    if piece.n_sounds + piece.pronoun < 2 or piece.kind is None or len(words) > _MAX_UNJOINED_WORDS:
        return [piece]
    for k in range(1, len(words)):
        short = k <= 3 and len(words) - k <= 3  # keywords: "rain owl louder crow off", "pig oink add hens less"
        postfix = short and k >= 2 and words[k - 1].lower() in ("add", "more", "less")  # "yelling less panting more"
        if (words[k - 1].lower() in _LEADS and not postfix) or (words[k - 1].lower(), words[k].lower()) in lexicon():
            continue  # "more of this rain less speech", "rain no crows add thunder": these words go with what follows
        first, second = read_piece(" ".join(words[:k]), joiner), read_piece(" ".join(words[k:]), "")
        said = set(tokens(first.raw))
        if (first.kind == ADD and first.priority <= 2 and second.pronoun and second.sound is None
                and said & WANTING and not said & INTRODUCING):
            continue  # "The frogs I want them more far": the pronoun is the sound named first (reader 48)
        halves = (first, second)
        if first.sound != second.sound and all((p.sound or p.pronoun) and not p.leftover and (
                p.priority >= 2 or (short and _keyword(p))) for p in halves):
            return [first, second]
    return [piece]


def _keyword(piece: Piece) -> bool:
    """A keyword half ending in a particle or level word ("crow off", "thunder on", "hens less"): at most three
    words, one of them a sound word typed as such (not a misspelling read as one: "giong off" is not "gong off")."""
    typed = tokens(piece.raw)
    return (piece.kind is not None and piece.priority >= 1 and len(typed) <= 3
            and (typed[-1] in PARTICLES or typed[-1] in _KEYWORD_CUES)
            and any((w,) in lexicon() and w not in FILLER for w in typed))


_OVER = re.compile(r"\s+(?:over|above)\s+", re.IGNORECASE)


def _over_split(raw: str, joiner: str) -> list[Piece] | None:
    """A sound arriving over another one's level change: "dogs barking over heavier rain", "footsteps now audible
    over quieter rain" (the first half opens with no "the": a sound not in the clip yet)."""
    halves = _OVER.split(raw, maxsplit=1)
    if len(halves) != 2 or halves[0].lower().startswith(("the ", "this ", "that ", "my ")):
        return None
    first, second = read_piece(halves[0], joiner), read_piece(halves[1], "with")
    if (first.sound and second.sound and first.sound != second.sound and first.kind in (None, ADD)
            and (not first.leftover or first.happening) and second.kind in (LOUDER, QUIETER)):
        first.kind, first.priority = ADD, max(first.priority, 2)
        return [first, second]
    return None


def folded(text: str) -> str:
    """Accented letters as their plain letters ("th\u00fcnder" -> "thunder"): the reader reads ASCII (reader 56)."""
    if text.isascii():
        return text
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
