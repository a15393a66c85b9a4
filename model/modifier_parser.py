"""Free modifier text -> edits and the canonical text the model embeds for each.

"the rain's too loud, pull it back + lose the horn" -> [quieter rain, remove car_horn] ->
["make the rain quieter", "remove the car horn"]. Training runs the same parser on its generated
descriptions, so the model sees exactly what a user's words turn into. Pieces the parser cannot read
are kept as raw text (never dropped), and a sound word Nudge has no class for is reported with the
nearest known classes instead of being read as another sound.

Rules (pure Python, well under 1 ms per text):
- Pieces: the text is cut at every natural joiner ("and", ", then", ". ", "+", "&", " - ", "also",
  "plus", "as well as", ";", ","). A piece naming a sound but no verb takes the previous piece's kind
  ("add rain and thunder"); a piece after a plain comma that names no sound and says the same thing
  (or nothing) belongs to the previous edit ("the rain's too loud, pull it back" is one edit).
- Kind of a piece: the strongest cue wins: complaints ("too loud") > phrasal verbs ("bring X up",
  "take X out"), comparatives ("louder") and "no more" > plain verbs ("kill", "boost") and
  "more"/"less" > add verbs ("add", "throw in", "needs") > bare "up"/"down".
  "more X"/"less X" always read as louder/quieter: whether X is already in the clip cannot be known
  from the text; training sees the same canonical text for such descriptions, whatever the true edit.
- Sound: the first known sound phrase of the piece (longest match, plurals, synonyms, one-letter
  misspellings of words of 5+ letters); none but "it", "this", "everything", "the whole thing" ->
  the main sound; leftover content words with a verb -> an unknown sound. A piece naming a sound
  but no verb continues a list only when nothing else is left in it ("... & could use a dog" stays raw).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from model.edits import ADD, LOUDER, QUIETER, REMOVE, Edit
from model.sound_lexicon import base_words, find_sounds, lexicon, nearest_known, tokens
from model.sound_vocab import BY_ID
from model.text_backbone import MAX_CLAUSES, split_clauses

READER_VERSION = 1  # bump when the clauses a text turns into change (feature caches are rebuilt)

# (cue words, kind, priority)
_CUES: tuple[tuple[str, str, int], ...] = (
    *((c, QUIETER, 5) for c in ("too loud", "too much", "too strong", "too prominent", "too hot", "overpowering")),
    *((c, LOUDER, 5) for c in ("too quiet", "too soft", "too low", "too faint", "not loud enough", "barely audible",
                               "can't hear", "cannot hear", "too weak")),
    *((c, REMOVE, 4) for c in ("no more", "get rid of", "do without", "don't want", "do not want", "leave out")),
    *((c, LOUDER, 4) for c in ("louder", "loud", "more prominent", "stronger", "higher", "upfront")),
    *((c, QUIETER, 4) for c in ("quieter", "softer", "quiet", "lower", "fainter", "weaker", "subtler",
                                "more distant")),
    *((c, REMOVE, 3) for c in ("remove", "lose", "kill", "cut", "drop", "mute", "delete", "eliminate", "ditch",
                               "erase", "without", "no", "silence", "strip", "scrap", "nix", "exclude", "axe")),
    *((c, LOUDER, 3) for c in ("more", "boost", "crank", "amplify", "raise", "increase", "louden", "emphasize",
                               "emphasise", "accentuate", "pump", "push", "heighten", "intensify", "highlight")),
    *((c, QUIETER, 3) for c in ("less", "fewer", "tame", "reduce", "soften", "decrease", "attenuate", "dim",
                                "lessen", "muffle", "tone down", "dial down", "back off")),
    *((c, ADD, 2) for c in ("add", "include", "insert", "layer", "put", "throw", "toss", "want", "needs", "need",
                            "give me", "with", "there should be", "overlay", "introduce", "sprinkle", "mix in",
                            "bring in", "fade in", "drop in", "as well", "too")),
    ("up", LOUDER, 1), ("down", QUIETER, 1), ("back", QUIETER, 1),
)
# verb ... particle anywhere later in the piece: "bring the birds up", "take the siren out"
_PHRASAL: dict[tuple[str, str], str] = {
    **{(v, "up"): LOUDER for v in ("bring", "turn", "crank", "pump", "dial", "push", "fade", "ramp", "jack", "kick")},
    **{(v, "down"): QUIETER for v in ("bring", "turn", "dial", "tone", "fade", "knock", "pull", "take", "back")},
    **{(v, "back"): QUIETER for v in ("pull", "dial", "turn", "roll", "knock", "ease", "scale", "push", "hold")},
    **{(v, "out"): REMOVE for v in ("take", "cut", "leave", "fade", "edit", "pull", "filter", "strip")},
    **{(v, "off"): REMOVE for v in ("turn", "switch", "shut", "kill", "cut")},
    **{(v, "away"): REMOVE for v in ("take", "get", "put")},
    ("bring", "back"): ADD, ("put", "back"): ADD,
    **{(v, "in"): ADD for v in ("bring", "put", "throw", "mix", "toss", "fade", "drop", "pop", "slip", "sneak")},
}
_START_ONLY: dict[str, str] = {"duck": QUIETER, "lift": LOUDER, "feature": LOUDER}  # verbs only at a piece's start
_PRONOUNS: tuple[tuple[str, ...], ...] = tuple(tuple(p.split()) for p in (
    "the whole thing", "whole thing", "everything", "the mix", "overall", "it", "this", "that", "all",
    "the clip", "the sound", "the scene", "the track"))
_FILLER = frozenset("""a an the some of sound sounds noise noises to in on at into onto over under with from for by
    please pls bit little lot much way very really slightly somewhat quite just also so tad touch notch
    make get i me we you can could would should be is are was it's its let lets let's now maybe again
    distance background foreground top bottom there here more less like kind sort level volume
    overhead far away close nearby behind around softly loudly gently big small huge tiny distant faint
    heavy light gentle deep long short occasional constant random few couple single another other extra new
    s one two three some any my our their them and or than then but if while as also plus okay ok yeah hey
    need needs want bring turn take put throw mix have has do does don't dont go going gonna kinda sorta
    up down back out off""".split())
_SPLIT = re.compile(
    r"(\s*[.;!?]+\s+|\s*;\s*|\s+[-+&\u2013\u2014]\s+|\s*,\s*then\s+|\s*,\s*and\s+also\s+|\s*,\s*and\s+then\s+"
    r"|\s*,\s*and\s+|\s*,\s*also\s+|\s*,\s*plus\s+|\s+and\s+then\s+|\s+and\s+also\s+|\s+as\s+well\s+as\s+"
    r"|\s+then\s+|\s+also\s+|\s+plus\s+|\s+and\s+|\s*&\s*|\s*\+\s*|\s*,\s*)", re.IGNORECASE)
# joiners after which a piece naming a sound but no verb continues a list ("add rain and thunder")
_LIST_JOINERS = frozenset({"and", "&", "+", "plus", "as well as", ",", ", and", "and also", ", and also", "also",
                           ", also", ", plus"})
_LEADING = re.compile(r"^(?:and\s+then|and\s+also|and|then|also|plus|\+|&|-)\s+", re.IGNORECASE)


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

    def messages(self) -> list[str]:
        """What the app and CLI tell the user about this reading."""
        out = [u.message() for u in self.unknown]
        for sound in self.untrained:
            out.append(f"{BY_ID[sound].name}: the current model was not trained on this sound, so it may be "
                       "read as a similar one (trained on: " + ", ".join(
                           BY_ID[c].name if c in BY_ID else c.replace("_", " ") for c in self.trained) + ")")
        if self.overflow:
            out.append(f"only {len(self.clauses)} edits are read apart; "
                       f"{', '.join(repr(c) for c in self.overflow)} shares the last one")
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


@cache
def _known_words() -> frozenset[str]:
    return frozenset(base_words() | _cue_words())


@cache
def _deletion_index() -> dict[str, tuple[str, ...]]:
    """Every known word of 5+ letters under itself and each one-letter deletion (symmetric-delete lookup)."""
    index: dict[str, list[str]] = {}
    for word in sorted(_known_words()):
        if len(word) >= 5:
            for key in {word, *(word[:i] + word[i + 1 :] for i in range(len(word)))}:
                index.setdefault(key, []).append(word)
    return {k: tuple(v) for k, v in index.items()}


def _distance_one(a: str, b: str) -> bool:
    """One substitution, insertion, deletion or swap of neighbours turns a into b."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


@cache
def _cue_words() -> frozenset[str]:
    return frozenset({w for cue, _, _ in _CUES for w in tokens(cue)} | {w for pair in _PHRASAL for w in pair}
                     | set(_START_ONLY))


def verb_base(word: str) -> str | None:
    """The cue verb an inflected word comes from ("adding" -> add, "removed" -> remove), else None."""
    for suffix in ("ing", "ed", "en", "es", "s"):
        stem = word[: -len(suffix)]
        if word.endswith(suffix) and len(stem) >= 2:
            doubled = stem[:-1] if len(stem) > 2 and stem[-1] == stem[-2] else None
            for base in (stem, stem + "e", doubled):
                if base in _cue_words():
                    return base
    return None


def _normalize(word: str) -> str:
    if word in _known_words() or word in _FILLER:
        return word
    return verb_base(word) or correct_spelling(word)


def correct_spelling(word: str) -> str:
    """A misspelt word one edit away from exactly one known word of 5+ letters becomes that word
    ("thuder" -> thunder, "tran" -> train)."""
    if len(word) < 4 or word in _known_words() or word in _FILLER or word.isdigit():
        return word
    index = _deletion_index()
    keys = {word, *(word[:i] + word[i + 1 :] for i in range(len(word)))}
    candidates = sorted({c for k in keys for c in index.get(k, ()) if len(c) >= 5 and _distance_one(word, c)})
    meanings = {_meaning(c) for c in candidates}
    return candidates[0] if len(meanings) == 1 else word  # "whosh": whoosh and woosh mean the same


def _meaning(word: str) -> str:
    """What a known word stands for alone: its sound class, else the word itself."""
    return lexicon().get((word,), word)


def _cue_spans(words: list[str]) -> tuple[list[tuple[int, str]], set[int]]:
    """(priority, kind) of every cue in the piece and the token positions the cues use."""
    found: list[tuple[int, str]] = []
    used: set[int] = set()
    for cue, kind, priority in sorted(_CUES, key=lambda c: -len(c[0])):
        cue_words = tokens(cue)
        n = len(cue_words)
        for i in range(len(words) - n + 1):
            if words[i : i + n] == cue_words and not used & set(range(i, i + n)):
                found.append((priority, kind))
                used |= set(range(i, i + n))
    for i, verb in enumerate(words):
        for j in range(i + 1, len(words)):
            kind = _PHRASAL.get((verb, words[j]))
            if kind is not None:
                found.append((4, kind))
                used |= {i, j}
                break
    if words and words[0] in _START_ONLY:
        found.append((3, _START_ONLY[words[0]]))
        used.add(0)
    return found, used


@dataclass
class _Piece:
    raw: str  # the piece as typed
    joiner: str  # what joined it to the previous piece ("" for the first)
    kind: str | None  # strongest cue's kind
    priority: int
    sound: str | None  # class id of the first sound named
    pronoun: bool
    leftover: list[str]  # content words that are neither cue, sound, pronoun nor filler


def _read_piece(raw: str, joiner: str) -> _Piece:
    words = [_normalize(w) for w in tokens(raw.replace("'s ", " is ").replace("\u2019s ", " is "))]
    sounds = find_sounds(words)
    in_sound = {i for start, end, _ in sounds for i in range(start, end)}
    rest = [w if i not in in_sound else "\0" for i, w in enumerate(words)]
    cues, used = _cue_spans(rest)
    kind, priority = (None, 0)
    if cues:
        priority, kind = max(cues, key=lambda c: c[0])  # first of the strongest
        kind = next(k for p, k in cues if p == priority)
    pronoun = False
    for phrase in _PRONOUNS:
        n = len(phrase)
        for i in range(len(rest) - n + 1):
            if tuple(rest[i : i + n]) == phrase and not used & set(range(i, i + n)):
                pronoun, used = True, used | set(range(i, i + n))
    leftover = [w for i, w in enumerate(rest) if w != "\0" and i not in used and w not in _FILLER]
    return _Piece(raw, joiner, kind, priority, sounds[0][2] if sounds else None, pronoun, leftover)


def _pieces(text: str) -> list[_Piece]:
    text = _LEADING.sub("", text.strip().rstrip(".!?;, ").strip())
    parts = _SPLIT.split(text)
    pieces, joiner = [], ""
    for i, part in enumerate(parts):
        if i % 2:
            joiner = part
        elif part.strip():
            pieces.append(_read_piece(part.strip(), joiner.strip().lower()))
    return pieces


def _merge(pieces: list[_Piece]) -> list[_Piece | str]:
    """Pieces -> edits (pieces with a kind) or raw text; see the module rules."""
    items: list[_Piece | str] = []
    for piece in pieces:
        prev = items[-1] if items and isinstance(items[-1], _Piece) else None
        if prev is not None and piece.sound in (None, prev.sound) and piece.joiner == ",":
            # "the rain's too loud, pull it back", "add a dog, barking far away": one edit
            if piece.kind is None or (piece.kind == prev.kind and not piece.leftover):
                prev.raw += ", " + piece.raw
                continue
        if piece.kind is None and prev is not None and piece.joiner in _LIST_JOINERS:
            if piece.sound is not None and not piece.leftover:
                piece.kind = prev.kind  # "add rain and thunder" (not "... and could use a dog": unread verb)
            elif piece.leftover and not piece.pronoun and prev.kind in (ADD, REMOVE):
                piece.kind = prev.kind  # "add thunder and a kazoo"
        if piece.kind is None:
            if items and isinstance(items[-1], str):  # consecutive unread pieces stay one raw text
                items[-1] = f"{items[-1]} {piece.joiner} {piece.raw}".replace(" , ", ", ")
            else:
                items.append(piece.raw)
            continue
        items.append(piece)
    return items


def parse_modifier(text: str, max_clauses: int = MAX_CLAUSES, main_sound: str | None = None) -> ParsedModifier:
    """Read a modifier into edits and the clauses the model embeds (canonical or raw), at most
    ``max_clauses`` (the rest joins the last slot and is reported). ``main_sound``: the clip's main
    sound class, if known, marks edits of it as main."""
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
        return ParsedModifier([], split_clauses(text, max_clauses), [], [text.strip()] if text.strip() else [])
    overflow = slots[max_clauses:]
    if overflow:
        slots = slots[: max_clauses - 1] + [" and ".join(slots[max_clauses - 1 :])]
    return ParsedModifier(edits, slots, unknown, unparsed, overflow)


def modifier_clauses(text: str, max_clauses: int = MAX_CLAUSES) -> list[str]:
    """The texts the model embeds for a modifier, one per clause slot: the single place every
    embedding path (app encoder, feature caches, benchmarks) turns a modifier into clauses."""
    return parse_modifier(text, max_clauses).clauses
