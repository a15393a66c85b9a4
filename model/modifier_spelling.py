"""Misspelt modifier words -> the known words they were meant to be ("thundr" -> thunder, "rian" -> rain).

Known words: every sound word of model.sound_lexicon, the cue words of model.modifier_verbs, pronouns
and filler. A word is corrected only when it is not a common English word (the first 20,000 entries
of the text model's WordPiece vocabulary, which ships with the app and is ordered roughly by
frequency: "wings", "cows", "tuck" and "hiss" stay as typed, "tran" does not) and the closest known
words that mean something all mean the same thing. Candidates are one insertion, deletion,
substitution or swap of neighbours away (two for words of 7+ letters, when none is one away); a word
of 3-4 letters must keep its first letter ("dgo" -> dog, "wnid" -> wind). Slips are tried in order and
the first kind that explains the word decides: a swap of neighbours ("tunr"), a doubled letter
("crowws" -> crows, not crowds), a dropped letter ("ravn" -> raven, not rain), a wrong letter
("lowder" -> louder, not lower), an extra letter. At the start of a piece, where the verb stands, a
common word one added letter or swap from a verb is read as it ("boot" -> boost, "rise" -> raise). A rarer whole
word of that vocabulary one vowel from a known word is left as typed ("shutter", not "shatter"; reader 32). A word of 4+
letters that no slip explains, and that is no whole word of that vocabulary at all (not "sonar"), is read by a
rough spoken form with the same first two letters ("musick" -> music, "elafant" -> elephant; readers 26-27). Pure
Python; the vocabulary is read on first use.
"""

from __future__ import annotations

import json
import re
from functools import cache

from model.modifier_verbs import FILLER, PHRASAL, PRONOUNS, QUALITY_WORDS, cue_kind, cue_words, is_amount_word
from model.sound_lexicon import lexicon

_COMMON_RANK = 20_000  # WordPiece ids below this are common words (the vocabulary has 30,522 entries)
# Words for sounds that the vocabulary lacks or ranks low, never misspellings of the known words a slip or two away
# ("riser" is no river, "stinger" not stronger, "rattle" not cattle; reader 34): read as typed, so a sound Nudge has
# no class for is said to be unknown rather than read as another.
SOUND_WORDS_AS_TYPED = frozenset({"riser", "risers", "stinger", "stingers", "stutter", "stutters", "rattle", "rattles",
                                  "rattling", "whine", "whines", "whining", "plop", "plops",
                                  # reader 36: not softer, stream, whir
                                  "scooter", "scooters", "strum", "strums", "strumming", "whiz", "whizz", "whizzing",
                                  "sprinkler", "sprinklers"})  # reader 106: not the amount word "sprinkle"
# Known words read only as typed, never as the correction of a slip or an inflection's base ("mustt" is must and
# "mutted" muted, not a mutt; "stoms" stems, not stomps; reader 127)
TYPED_ONLY = frozenset({"mutt", "mutts", "stomp", "stomps", "stomping"})


@cache
def known_words() -> frozenset[str]:
    """Every word the parser gives a meaning to (or knows to mean nothing)."""
    sound_words = {w for phrase in lexicon() for w in phrase}
    return frozenset(sound_words | cue_words() | FILLER | {w for p in PRONOUNS for w in p})


@cache
def _wordpiece_ranks() -> dict[str, int]:
    """The text model's WordPiece vocabulary (whole words and pieces) by rank; empty without the text model."""
    try:
        from model.text_backbone import minilm_dir

        return json.loads((minilm_dir(weights=False) / "tokenizer.json").read_text())["model"]["vocab"]
    except Exception:  # noqa: BLE001 - no text model: correct by the known words alone
        return {}


@cache
def english_words() -> frozenset[str]:
    """Common whole words of the text model's WordPiece vocabulary; empty without the text model."""
    return frozenset(w for w, rank in _wordpiece_ranks().items() if rank < _COMMON_RANK and w.isalpha() and w.isascii())


def a_real_word(word: str) -> bool:
    """A whole word of the text model's vocabulary at any rank ("sonar", "shallows"), or a sound word read as typed;
    not a misspelling."""
    return word in SOUND_WORDS_AS_TYPED or word in QUALITY_WORDS or word in _wordpiece_ranks()


@cache
def _deletion_index() -> dict[str, tuple[str, ...]]:
    """Every known word of 3+ letters under itself and each one-letter deletion (symmetric-delete lookup)."""
    index: dict[str, list[str]] = {}
    for word in sorted(known_words() - TYPED_ONLY):
        if len(word) >= 3 and word.isalpha():
            for key in {word, *(word[:i] + word[i + 1 :] for i in range(len(word)))}:
                index.setdefault(key, []).append(word)
    return {k: tuple(v) for k, v in index.items()}


def edit_distance(a: str, b: str) -> int:
    """Insertions, deletions, substitutions and swaps of neighbours that turn a into b (optimal string
    alignment)."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            row[j] = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], prev2[j - 2] + 1)
        prev2, prev = prev, row
    return prev[-1]


def _meaning(word: str) -> str:
    """What a known word stands for alone: its sound class, its cue kind, else the word itself."""
    return lexicon().get((word,)) or cue_kind(word) or ("<filler>" if word in FILLER else word)  # fillers all say
    # nothing: "lon" is read as one of lone / long / low, whichever (not left unread)


@cache
def _meaningful_words() -> frozenset[str]:
    """Words of sound names ("rotor" of "rotor blades") and verbs ("turn", "down", "quieter"), not fillers
    alone or pieces of a cue phrase ("don" of "don't want")."""
    sound_words = {w for phrase in lexicon() for w in phrase} - FILLER
    cues = {w for w in cue_words() if cue_kind(w) is not None}
    return frozenset(sound_words | cues | {w for pair in PHRASAL for w in pair})


@cache
def _verbs() -> frozenset[str]:
    """Cue words that open a piece: verbs with a kind of their own and the verbs of phrasal verbs."""
    return frozenset({w for w in cue_words() if cue_kind(w) is not None and w.isalpha()} | {v for v, _ in PHRASAL})


def _means_something(word: str) -> bool:
    return word in _meaningful_words()


def _sounds_like(word: str) -> str:
    """A rough spoken form: the first letter, then the consonants with doubles merged ("aplaws" and "applause" ->
    apls, "trane" and "train" -> trn, "lafing" and "laughing" -> lfng): ph, gh -> f; soft c -> s, other c, q, ck -> k;
    z -> s; soft g, dg -> j; a final "in" after a consonant of a longer word -> "ing"."""
    w = re.sub(r"(?<=[^aeiou])in$", "ing", word) if len(word) >= 6 else word  # "barkin" (not "train", "enjin")
    w = re.sub(r"ph|gh", "f", w)
    w = re.sub(r"c(?=[eiy])", "s", w)
    w = re.sub(r"dg|g(?=[eiy])", "j", w)  # "enjin", "engine"
    w = re.sub(r"ck|c|q", "k", w).replace("z", "s")
    rest = re.sub(r"[aeiouwhy]", "", w[1:])
    return re.sub(r"(.)\1+", r"\1", w[0] + rest)


@cache
def _sound_index() -> dict[str, tuple[str, ...]]:
    index: dict[str, list[str]] = {}
    for word in sorted(known_words() - TYPED_ONLY):
        if len(word) >= 3 and word.isalpha():
            index.setdefault(_sounds_like(word), []).append(word)
    return {k: tuple(v) for k, v in index.items()}


def _candidates(word: str) -> list[str]:
    keys = {word, *(word[:i] + word[i + 1 :] for i in range(len(word)))}
    near = {c for k in keys for c in _deletion_index().get(k, ()) if edit_distance(word, c) == 1}
    if not near and len(word) >= 7:
        near = {c for c in known_words() if abs(len(c) - len(word)) <= 2 and c[:1] == word[:1]
                and edit_distance(word, c) == 2}
    if len(word) <= 4:
        near = {c for c in near if c[0] == word[0]}
    return sorted(near)


def _whole_word(word: str) -> bool:
    """A whole word of the text model's vocabulary, or the plural of one ("shutters", "casings")."""
    return a_real_word(word) or (word[-1] == "s" and a_real_word(word[:-1]))


def _another_vowel(word: str, same_length: list[str]) -> bool:
    """Whether ``word`` (or its singular) is a whole word of the text model's vocabulary and each same-length
    candidate differs from it by one vowel only: it then sounds like another word, not a slip ("shutter" is no
    "shatter"; reader 32). A consonant that sounds alike stays a slip ("musik" -> music)."""
    if not _whole_word(word):
        return False
    vowels = set("aeiou")
    for c in same_length:
        diff = [(x, y) for x, y in zip(word, c, strict=True) if x != y]
        if len(diff) != 1 or not set(diff[0]) <= vowels:
            return False
    return True


def correct_spelling(word: str, verb_slot: bool = False, article_next: bool = False) -> str:
    """The known word a misspelt word stands for, else the word unchanged (see the module rules).
    ``verb_slot``: the word opens a piece, where a verb stands: a common word one slip from a verb is
    read as that verb ("boot the crickets" -> boost, "rise the rain" -> raise); with ``article_next`` (the word
    after it is "the") also a verb with an "e" added ("cute the thunder" -> cut; not "cute dog barking")."""
    if len(word) < 3 or word in known_words() or word in SOUND_WORDS_AS_TYPED or word in QUALITY_WORDS \
            or not word.isalpha() or is_amount_word(word):
        return word
    if re.search(r"(.)\1\1", word):  # "dooog", "addd": a held key
        for collapsed in (re.sub(r"(.)\1+", r"\1\1", word), re.sub(r"(.)\1+", r"\1", word)):
            if collapsed in known_words():
                return collapsed
    candidates = _candidates(word)
    verbs = [c for c in candidates if c in _verbs() and (len(c) > len(word) or sorted(c) == sorted(word)
                                                          or (article_next and word == c + "e"))]  # reader 106
    if verb_slot and verbs:
        candidates = verbs
    elif word in english_words():
        return word
    if (not candidates or all(edit_distance(word, c) == 2 for c in candidates)) and len(word) >= 4 \
            and len(_sounds_like(word)) >= 2 and not a_real_word(word):  # "musick"; "laffing": laughing, not lapping
        spoken = sorted(c for c in _sound_index().get(_sounds_like(word), ())
                        if abs(len(c) - len(word)) <= 2 and c[:2] == word[:2]  # not "sonar" -> snare
                        and (len(word) >= 5 or ((c,) in lexicon() and len(c) <= 5)))  # "bote", not "spec"
        if candidates:  # two slips away against a word that sounds the same and is about as long: the latter
            spoken = [c for c in spoken if abs(len(c) - len(word)) <= 1]  # (not "scarier" -> score)
        candidates = spoken or candidates
    if candidates and _whole_word(word) and all(edit_distance(word, c) == 2 for c in candidates):
        return word  # a real word two slips from a known one was meant ("welding", not walking; reader 36)
    meaningful = [c for c in candidates if _means_something(c)] or candidates
    swaps = [c for c in meaningful if len(c) == len(word) and sorted(c) == sorted(word)]
    doubled = [c for c in meaningful if any(word[:i] + word[i + 1 :] == c for i in range(1, len(word))
                                            if word[i] == word[i - 1])]
    longer = [c for c in meaningful if len(c) > len(word)]
    same_length = [c for c in meaningful if len(c) == len(word)]
    for group in (swaps, doubled, longer, same_length, meaningful):
        if group is same_length and group and _another_vowel(word, group):
            return word  # a rare word (or its plural) typed whole, not a wrong vowel: "shutter", not "shatter"
        if group:  # the first kind of slip that explains the word decides; two meanings there: leave it
            return group[0] if len({_meaning(c) for c in group}) == 1 else word
    return word


_LETTERS = re.compile(r"[A-Za-z]{7,}")


def unglued(text: str) -> str:
    """Two known words a fast typist ran together read apart ("footstepsquieter" -> "footsteps quieter", "lowerthe" ->
    "lower the"): a word of seven or more letters Nudge does not know, no word of the text model's vocabulary and no
    slip of a known word, split into a sound's word and a cue word, or a cue verb and an article (the first part of
    three or more letters; the longest first part wins); "cowbell" and "getaway" stay as typed (reader 131)."""

    def apart(match: re.Match[str]) -> str:
        word = match.group(0)
        low = word.lower()
        if low in known_words() or a_real_word(low) or correct_spelling(low) != low:
            return word
        for cut in range(len(low) - 2, 2, -1):
            if _glued_pair(low[:cut], low[cut:]):
                return f"{word[:cut]} {word[cut:]}"
        return word

    return _LETTERS.sub(apart, text)


_ARTICLES = frozenset({"the", "a", "an", "some"})


def _glued_pair(first: str, second: str) -> bool:
    """A sound's word and a cue word, either way round, or a cue verb then an article (reader 131)."""
    sound, cues = _sound_and_cue_words()
    return ((first in sound and second in cues) or (first in cues and second in sound)
            or (first in _verbs() and second in _ARTICLES))


@cache
def _sound_and_cue_words() -> tuple[frozenset[str], frozenset[str]]:
    return (frozenset(w for phrase in lexicon() for w in phrase) - FILLER,
            frozenset(w for w in cue_words() if cue_kind(w) is not None))
