"""Free modifier text -> edits and the canonical text the model embeds for each.

"the rain's too loud, pull it back + lose the horn" -> [quieter rain, remove car_horn] ->
["make the rain quieter", "remove the car horn"]. Training runs the same parser on its generated
descriptions, so the model sees exactly what a user's words turn into. Pieces the parser cannot read
are kept as raw text (never dropped), and a sound word Nudge has no class for is reported with the
nearest known classes instead of being read as another sound.

Rules (pure Python, well under 1 ms per text; the words are in model.modifier_verbs, misspellings in
model.modifier_spelling, sound words in model.sound_lexicon):
- Pieces: the text is cut at every natural joiner ("and", ", then", ". ", "+", "&", " - ", "also",
  "plus", "as well as", "with", "but", ";", ","); "+" before a number is an amount ("rain +6dB").
- One edit told twice stays one: after a comma (or "but") a piece about the same sound or none goes
  with the previous one ("the rain's too loud, pull it back", "the rain, bring it up", "add thunder,
  but distant"); so does a complaint's fix with a pronoun, whatever the joiner ("the crowd is too loud
  - bring it down").
- A piece naming a sound but no verb: after "with", an add ("more rain with some thunder"); after a
  list joiner ("and", "then", ","), the previous edit's kind ("add rain and thunder"), but an add when
  it opens with "a" / "some" after a level change ("more footsteps plus a door slam"); alone, an add
  ("thunder please"). "The same X" names the clip, not an edit.
- Kind of a piece: its strongest cue (model.modifier_verbs); "more X"/"less X" always read as
  louder/quieter: whether X is already in the clip cannot be known from the text; training sees the
  same canonical text for such descriptions, whatever the true edit.
- Sound: the first known sound phrase of the piece (longest match: names, plurals, synonyms, AudioSet
  terms of one class); none but "it", "them", "everything" -> the main sound; leftover content words
  with a verb -> an unknown sound.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from model.edits import ADD, LOUDER, QUIETER, REMOVE, Edit
from model.modifier_spelling import correct_spelling, edit_distance, english_words, known_words
from model.modifier_verbs import FILLER, IDIOMS, PHRASAL, PRONOUNS, SOUND_VERBS, find_cues, is_amount_word, verb_base
from model.sound_lexicon import find_sounds, lexicon, nearest_known, tokens
from model.sound_vocab import BACKGROUND, BOTH, BY_ID
from model.text_backbone import MAX_CLAUSES, split_clauses

MAX_READ_CHARS = 300  # a modifier is a sentence or two; a pasted page is read up to here (the reader is not linear)
READER_VERSION = 4  # bump when the clauses a text turns into change (feature caches are rebuilt); 3 and 4: "Reader 3"

_SPLIT = re.compile(
    r"(\s*[.;!?]+\s+|\s*;\s*|\s+[-+&\u2013\u2014]\s+|\s*,\s*then\s+|\s*,\s*and\s+also\s+|\s*,\s*and\s+then\s+"
    r"|\s*,\s*and\s+|\s*,\s*also\s+|\s*,\s*plus\s+|\s*,?\s+but\s+with\s+|\s*,\s*but\s+|\s+but\s+"
    r"|\s+and\s+then\s+|\s+and\s+also\s+|\s+as\s+well\s+as\s+|\s+(?:along|together)\s+with\s+|\s+with\s+"
    r"|\s*,?\s+whil(?:e|st)\s+|\s+then\s+|\s+also\s+|\s+plus\s+|\s+and\s+|\s+or\s+|\s*&\s*|\s*\+\s*(?!\d)|\s*,\s*)",
    re.IGNORECASE)
# joiners after which a piece naming a sound but no verb continues a list ("add rain and thunder")
_LIST_JOINERS = frozenset({"and", "&", "+", "plus", "as well as", ",", ", and", "and also", ", and also", "also",
                           ", also", ", plus", "then", ", then", "and then", ", and then", "or"})
# joiners after which a piece about the same sound (or none) belongs to the previous edit
_SAME_EDIT_JOINERS = frozenset({",", ", but", "but"})
_WITH_JOINERS = frozenset({"with", "but with", ", but with", "along with", "together with"})
_LEADING = re.compile(r"^(?:and\s+then|and\s+also|and|then|also|plus|but|so|oh|okay|ok|\+|&|-)\s+", re.IGNORECASE)
_ARTICLES = frozenset({"a", "an", "some", "another"})
_KEEP = frozenset({"keep", "leave", "only"})  # "keep the rain, lose the thunder": the rain is not an edit
_KEPT = frozenset({"still", "remain", "remains", "kept", "unchanged", "untouched"})  # "the birds remain"
# joiners after which a first piece that only names a sound was the scene, not an add: "Rain, with a dog barking"
_SCENE_JOINERS = frozenset({"with", "but with", ", but with", ";", ".", "but", ", but", "-", "while", ", while"})
# adjectives of an added sound, not level changes: "add a loud explosion", "add muffled music"
_ADJECTIVES = frozenset({"loud", "quiet", "soft", "faint", "muffle", "subtle", "gentle", "low", "heavy", "lower",
                         "louder", "quieter", "softer", "bigger", "heavier", "lighter", "distant", "close"})
_ADD_VERBS = frozenset({"add", "ad", "include", "insert", "layer", "put", "throw", "toss", "overlay", "introduce",
                        "sprinkle", "want", "need", "needs", "give", "gimme", "drop", "stick", "hear"})


@dataclass(frozen=True)
class UnknownSound:
    word: str  # "kazoo"
    nearest_known: list[str]  # model.sound_vocab ids, nearest first
    audioset: list[str]  # YAMNet AudioSet display names that name the word
    kind: str | None = None  # the edit asked of it (add / remove / louder / quieter), if read
    scored: bool = False  # the search scores it through its AudioSet classes (model.edit_rerank)

    def message(self) -> str:
        """'kazoo: not a sound Nudge knows; nearest known: music', or for a word the search scores
        through AudioSet: 'helicopter: matched through AudioSet classes (Helicopter); nearest known: ...'."""
        text = f"{self.word}: not a sound Nudge knows"
        if self.scored and self.audioset:
            text = f"{self.word}: matched through AudioSet classes ({', '.join(self.audioset)})"
        if self.nearest_known:
            text += "; nearest known: " + ", ".join(BY_ID[c].name for c in self.nearest_known)
        return text


@dataclass(frozen=True)
class ParsedModifier:
    edits: list[Edit]  # the edits read, in order
    clauses: list[str]  # what the model embeds, one per slot: canonical texts, raw text where unread
    unknown: list[UnknownSound] = field(default_factory=list)
    unparsed: list[str] = field(default_factory=list)  # pieces kept as raw text (unknown sounds included)
    overflow: list[str] = field(default_factory=list)  # clauses beyond the slots, joined into the last one
    untrained: list[str] = field(default_factory=list)  # sounds read whose class the heads were not trained on
    trained: list[str] = field(default_factory=list)  # the heads' trained classes (set with ``untrained``)
    cut: bool = False  # the text was longer than MAX_READ_CHARS: only its start was read

    def messages(self) -> list[str]:
        """What the app and CLI tell the user about this reading."""
        out = [u.message() for u in self.unknown]
        for sound in self.untrained:
            out.append(f"{BY_ID[sound].name}: the current model was not trained on this sound, so it may be "
                       "read as a similar one (trained on: " + ", ".join(
                           BY_ID[c].name if c in BY_ID else c.replace("_", " ") for c in self.trained) + ")")
        if self.cut:
            out.append(f"only the first {MAX_READ_CHARS} characters of the words are read")
        if self.overflow:
            named = ", ".join(repr(c) for c in self.overflow[:3])
            more = f" and {len(self.overflow) - 3} more" if len(self.overflow) > 3 else ""
            shares = "share" if len(self.overflow) > 1 else "shares"
            out.append(f"only {len(self.clauses)} edits are read apart; {named}{more} {shares} the last one")
        return out


def canonical_text(edit: Edit) -> str:
    """'add dog barking', 'remove the car horn', 'make the rain louder', 'make it quieter'."""
    if edit.sound is None:
        return f"make it {edit.kind}" if edit.kind in (LOUDER, QUIETER) else f"{edit.kind} it"
    name = BY_ID[edit.sound].name
    if edit.kind == ADD:
        return f"add {name}"
    if edit.kind == REMOVE:
        return f"remove the {name}"
    return f"make the {name} {edit.kind}"


def _normalize(word: str, verb_slot: bool = False) -> str:
    if word in known_words():
        return word
    return verb_base(word) or _sound_base(word) or correct_spelling(word, verb_slot)


def _sound_base(word: str) -> str | None:
    """The sound word an inflected word comes from ("groaning" -> groan, "howls" -> howl), else None."""
    for suffix in ("ing", "ed", "es", "s"):
        stem = word[: -len(suffix)]
        if word.endswith(suffix) and len(stem) >= 3:
            for base in (stem, stem + "e", stem[:-1] if stem[-1:] == stem[-2:-1] else stem):
                if (base,) in lexicon():
                    return base
    return None


@dataclass
class _Piece:
    raw: str  # the piece as typed
    joiner: str  # what joined it to the previous piece ("" for the first)
    kind: str | None  # strongest cue's kind
    priority: int
    sound: str | None  # class id of the first sound named
    pronoun: bool
    leftover: list[str]  # content words that are neither cue, sound, pronoun nor filler
    article: bool = False  # opens with "a", "an", "some": introduces a sound ("more rain and a dog")
    context: bool = False  # names the clip as it is ("the same rain"), not an edit
    bare: bool = False  # names a sound and nothing else: an add unless the next piece gives a verb
    n_sounds: int = 0  # sound phrases named


def _verb_with_particle(words: list[str], start: int, end: int) -> bool:
    """Whether the one-word sound words[start:end] is a verb ("has been switched ... off"): a sound verb with its
    particle later in the piece, not after an article or another filler word ("turn the punch up")."""
    if end - start != 1 or words[start] not in SOUND_VERBS:
        return False
    after_filler = start > 0 and words[start - 1] in FILLER and words[start - 1] not in ("be", "is", "are", "was")
    return not after_filler and any((words[start], w) in PHRASAL for w in words[end:])


def _read_piece(raw: str, joiner: str) -> _Piece:
    typed = _split_compounds(tokens(raw.replace("'s ", " is ").replace("\u2019s ", " is ")))
    words = [_normalize(w, verb_slot=i == 0) for i, w in enumerate(typed)]
    sounds = find_sounds(words)
    if len(sounds) > 1 and sounds[0][:2] == (0, 1) and words[0] in SOUND_VERBS:
        sounds = sounds[1:]  # "switch the alarm off": the opening sound word is the verb
    if len(sounds) > 1:  # "the machinery has been switched off": a sound word that is a verb with its particle
        sounds = [(a, b, c) for a, b, c in sounds if not _verb_with_particle(words, a, b)]
    in_sound = {i for start, end, _ in sounds for i in range(start, end)}
    rest = [w if i not in in_sound else "\0" for i, w in enumerate(words)]
    start = sounds[0][0] if sounds else 0
    if start >= 2 and rest[start - 1] in _ADJECTIVES and _ADD_VERBS & set(rest[:start]):
        rest[start - 1] = "a"  # "add a loud explosion": the adjective describes the added sound
    cues, used = find_cues(rest, raw)
    priority, kind = cues[0] if cues else (0, None)
    pronoun = False
    for phrase in PRONOUNS:
        n = len(phrase)
        for i in range(len(rest) - n + 1):
            if tuple(rest[i : i + n]) == phrase and not used & set(range(i, i + n)):
                pronoun, used = True, used | set(range(i, i + n))
    leftover = [typed[i] for i, w in enumerate(rest)  # as typed: "chains rattling" is reported, not a guess
                if w != "\0" and i not in used and w not in FILLER and not is_amount_word(w)]
    return _Piece(raw, joiner, kind, priority, sounds[0][2] if sounds else None, pronoun, leftover,
                  article=bool(words) and words[0] in _ARTICLES,
                  context=("same" in words or (bool(words) and words[0] in _KEEP) or bool(_KEPT & set(words)))
                  and not cues,
                  n_sounds=len(sounds))


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


def _pieces(text: str) -> list[_Piece]:
    text = re.sub(r"\b[A-Za-z]{3,5}\b", _joiner_typo, text)
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


def _split_compounds(words: list[str]) -> list[str]:
    """Sound names typed as one word: "carhorn" -> car horn (when the word is not known or common)."""
    out: list[str] = []
    for word in words:
        if len(word) >= 6 and word not in known_words() and word not in english_words():
            for k in range(3, len(word) - 2):
                if (word[:k], word[k:]) in lexicon():
                    out += [word[:k], word[k:]]
                    break
            else:
                out.append(word)
        else:
            out.append(word)
    return out


_MAX_UNJOINED_WORDS = 24  # longer pieces are not tried as two unjoined edits (each try reads both halves)


def _read_unjoined(raw: str, joiner: str) -> list[_Piece]:
    """One piece, or two edits typed without a joiner ("more rain less wind", "lose the dog add a cat"):
    both halves name a different sound and a verb stronger than a bare particle, with nothing left over."""
    piece = _read_piece(raw, joiner)
    words = raw.split()
    if piece.n_sounds < 2 or piece.kind is None or len(words) > _MAX_UNJOINED_WORDS:
        return [piece]
    for k in range(1, len(words)):
        first, second = _read_piece(" ".join(words[:k]), joiner), _read_piece(" ".join(words[k:]), "")
        if (first.sound != second.sound and all(p.sound and p.priority >= 2 and not p.leftover
                                                 for p in (first, second))):
            return [first, second]
    return [piece]


def _fixes_complaint(prev: _Piece, piece: _Piece) -> bool:
    """A complaint, then its fix with a pronoun: "the engine is too much, take it out" (the fix says what to do)."""
    return prev.priority == 5 and piece.kind is not None and piece.pronoun


def _same_edit(prev: _Piece, piece: _Piece) -> bool:
    """Whether a piece only goes on about the previous one: "the rain's too loud, pull it back", "add a
    dog, barking far away", "the rain, bring it up", "the crowd is too loud - bring it down"."""
    if piece.sound not in (None, prev.sound) or (prev.kind is None and prev.sound is None):
        return False
    if piece.sound is None and _fixes_complaint(prev, piece):
        return True  # whatever the joiner
    if piece.joiner in _SAME_EDIT_JOINERS:
        return (piece.kind is None or prev.kind is None or piece.sound == prev.sound
                or (piece.kind == prev.kind and (piece.pronoun or not piece.leftover)))
    return False


def _is_scene(first: _Piece, second: _Piece) -> bool:
    """Whether a first piece that only names a sound names the clip's scene, as a caption of the wanted clip
    opens ("Rain, with a dog barking", "The street, minus the horn", "Forest ambience, birds quieter"), not
    a sound to add ("thunder and more rain", "a dog, a cat"): joined by with / but / a full stop, or by a
    comma after a bed sound or a definite "the"."""
    if second.joiner in _SCENE_JOINERS:
        return True
    if second.joiner != ",":
        return False
    bed = first.sound is not None and BY_ID[first.sound].role in (BACKGROUND, BOTH)
    return bed or first.raw.lower().startswith("the ")


def _merge(pieces: list[_Piece]) -> list[_Piece | str]:
    """Pieces -> edits (pieces with a kind) or raw text; see the module rules. Pieces that say nothing
    ("now", "please") and pieces naming the clip as it is ("the same rain", "the birds remain") are left out."""
    pieces = [p for p in pieces if p.kind is not None or p.sound is not None or p.pronoun or p.leftover]
    items: list[_Piece] = []
    for piece in pieces:
        prev = items[-1] if items else None
        if prev is not None and _same_edit(prev, piece):
            prev.raw += f"{piece.joiner} {piece.raw}" if piece.joiner in (",", "") else f" {piece.joiner} {piece.raw}"
            if prev.kind is None or _fixes_complaint(prev, piece):
                prev.kind, prev.priority = piece.kind, piece.priority
            continue
        edit_before = prev is not None and prev.kind is not None
        if piece.kind is None and piece.sound is not None and not piece.context:
            if piece.joiner in _WITH_JOINERS:
                piece.kind = ADD  # "more rain with some thunder", "the same forest with an owl hooting"
            elif edit_before and piece.joiner in _LIST_JOINERS and not piece.leftover:
                assert prev is not None and prev.kind is not None
                introduces = piece.article and prev.kind in (LOUDER, QUIETER)
                piece.kind = ADD if introduces else prev.kind  # "add rain and thunder", "more rain and a dog"
            elif (not piece.leftover or (len(pieces) == 1 and len(piece.leftover) <= 2)) and (
                    not edit_before or piece.joiner not in _LIST_JOINERS):
                piece.bare = True  # a sound alone: an add ("thunder please"), unless a verb follows
        elif (piece.kind is None and edit_before and piece.joiner in _LIST_JOINERS and piece.leftover
              and not piece.pronoun and not piece.context and prev is not None and prev.kind in (ADD, REMOVE)):
            piece.kind = prev.kind  # "add thunder and a kazoo"
        items.append(piece)
    if len(items) > 1 and items[0].bare and items[0].kind is None and _is_scene(items[0], items[1]):
        items[0].context = True  # "Rain, with a dog barking": the rain is the scene
    out: list[_Piece | str] = []
    for item in items:
        if item.context and item.kind is None:
            continue
        if item.kind is None and item.bare:
            item.kind = ADD  # "thunder please", "maybe a crow?" (but "the rain, bring it up" took a verb)
        if item.kind is not None:
            out.append(item)
        elif out and isinstance(out[-1], str):  # consecutive unread pieces stay one raw text
            out[-1] = f"{out[-1]} {item.joiner} {item.raw}".replace(" , ", ", ")
        else:
            out.append(item.raw)
    return out


def parse_modifier(text: str, max_clauses: int = MAX_CLAUSES, main_sound: str | None = None) -> ParsedModifier:
    """Read a modifier into edits and the clauses the model embeds (canonical or raw), at most
    ``max_clauses`` (the rest joins the last slot and is reported). ``main_sound``: the clip's main
    sound class, if known, marks edits of it as main. Only the first MAX_READ_CHARS characters are read."""
    cut = len(text) > MAX_READ_CHARS
    if cut:  # up to the last whole word
        head = text[:MAX_READ_CHARS]
        text = head.rsplit(None, 1)[0] if len(head.split()) > 1 else head
    edits, slots, unknown, unparsed = [], [], [], []
    for item in _merge(_pieces(text)):
        if isinstance(item, str):
            slots.append(item)
            unparsed.append(item)
        elif item.sound is not None:
            edit = Edit(item.kind, item.sound, is_main=item.sound == main_sound)
            edits.append(edit)
            slots.append(canonical_text(edit))
        elif item.leftover and not (item.pronoun and item.kind in (LOUDER, QUIETER)):
            word = " ".join(item.leftover)
            known, audioset = nearest_known(word)
            unknown.append(UnknownSound(word, known, audioset, item.kind))
            slots.append(item.raw)
            unparsed.append(item.raw)
        elif item.kind in (LOUDER, QUIETER):
            edit = Edit(item.kind, None, is_main=True)
            edits.append(edit)
            slots.append(canonical_text(edit))
        else:  # "add it", "remove this": no sound to add or remove
            slots.append(item.raw)
            unparsed.append(item.raw)
    if not edits and not unknown:
        return ParsedModifier([], split_clauses(text, max_clauses), [], [text.strip()] if text.strip() else [],
                              cut=cut)
    overflow = slots[max_clauses:]
    if overflow:
        slots = slots[: max_clauses - 1] + [" and ".join(slots[max_clauses - 1 :])]
    return ParsedModifier(edits, slots, unknown, unparsed, overflow, cut=cut)


def modifier_clauses(text: str, max_clauses: int = MAX_CLAUSES) -> list[str]:
    """The texts the model embeds for a modifier, one per clause slot: the single place every
    embedding path (app encoder, feature caches, benchmarks) turns a modifier into clauses."""
    return parse_modifier(text, max_clauses).clauses
