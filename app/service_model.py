"""The model side of SearchService: loading the encoder once, its version and how its heads read a modifier.

The heads file's header (config, class names, sound words) is read without loading the model, so the UI can
show how words will be read before the first search.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from app.errors import ModelNotReadyError
from model import paths

if TYPE_CHECKING:
    from model.modifier_parser import ParsedModifier


class ModelAccess:
    """Mixin: the encoder (``_encoder``, loaded by load_model under ``_load_lock``) and the heads file's
    header (``heads_path``, ``_config``); the service sets these attributes in its __init__."""

    heads_path: Path | str | None
    _encoder: object | None
    _config: dict | None
    _lock: threading.RLock
    _load_lock: threading.Lock
    _neighbours: tuple | None = None  # (the encoder, its model.text_neighbours.TextNeighbours), made on first use

    def load_model(self) -> None:
        """Load the model (YAMNet, text backbone, heads; about a second) unless it is in; a second caller
        waits for a load under way. ModelFileError/CheckpointError if a model file is unusable."""
        with self._load_lock:
            if self._encoder is None:
                from model.encoder import NudgeEncoder

                encoder = NudgeEncoder(self.heads_path)
                with self._lock:
                    self._encoder = encoder

    def warm_up(self) -> None:
        """One small search with words and no query sound, its result dropped: it imports and opens on the first
        call what every search needs (the front end's FFT, the text model's session, the library's tables), so the
        user's first search does not (trial 58: the app's first words-alone search took 14.6 s on a loaded machine,
        later ones 1-2 s; 4.6 s against 0.6 s here, 1.6 s once warmed). Any failure is the search's to report."""
        try:
            self.search(None, "rain", top_k=1)  # type: ignore[attr-defined] - the service's own search
        except Exception:  # noqa: BLE001 - a warm-up never fails the app: the user's search says what is wrong
            pass

    @property
    def model_ready(self) -> bool:
        """The model is loaded: imports and searches with any sound file and any words work."""
        return self._encoder is not None

    @property
    def encoder(self):
        if self._encoder is None:
            raise ModelNotReadyError("the sound model is not loaded yet (SearchService.load_model)")
        return self._encoder

    def _heads_file(self) -> Path:
        """The heads file in use: the loaded encoder's, else the one load_model will read."""
        return getattr(self._encoder, "heads_path", None) or paths.heads_path(self.heads_path)

    def _heads_config(self) -> dict:
        """The heads' config from the file header, read once (no model load); raises if unusable."""
        if self._config is None:
            from model.checkpoint import read_metadata

            self._config = dict(read_metadata(self._heads_file())["config"])
        return self._config

    def model_version(self) -> str:
        """Version of the vectors the active model makes: the loaded encoder's, else read from the heads
        file (numpy, milliseconds). CheckpointError if the heads file is unusable."""
        if self._encoder is not None:
            return self._encoder.version
        from model.checkpoint import model_version

        return model_version(self._heads_file())

    def known_sound_words(self) -> list[str]:
        """Words for the modifier suggestions: the checkpoint's ``extra["sound_words"]`` if it has them,
        else its class names ("chirping birds"). Read from the file header; no model load needed."""
        from model.checkpoint import sound_words

        try:
            return sound_words(self._heads_file())
        except Exception:  # noqa: BLE001 - suggestions are optional; load_model reports the real problem
            return []

    def modifier_edits(self, text: str) -> list[str]:
        """How the heads read a modifier: its edits, each embedded on its own, or the whole text as one
        (heads without text_clauses). Read from the file header; no model load needed."""
        if not text.strip():
            return []
        try:
            clauses = int(self._heads_config().get("text_clauses", 1))
        except Exception:  # noqa: BLE001 - a display hint; load_model reports the real problem
            return [text.strip()]
        return embedded_edits(text, clauses)

    @staticmethod
    def has_words(text: str) -> bool:
        """Whether the words hold a letter, a digit or a symbol: punctuation alone ("!!!") is no words
        (model.text_backbone.has_words)."""
        from model.text_backbone import has_words

        return has_words(text)

    def words_name_no_sound(self, text: str) -> bool:
        """Whether the words only change the level of "it" ("make it quieter") or keep sounds: nothing to find
        without a query."""
        return names_nothing_to_find(text)

    def reading_to_show(self, text: str) -> list[str]:
        """The edits worth showing the user: two or more, or one that is not the text as typed ("Rain, with
        thunder rumbling in." -> ["add thunder"]), so a caption or a slang word can be checked; else []."""
        edits = self.modifier_edits(text)
        if not reading_differs(edits, text):
            return []
        raw = set(self.read_modifier(text).unparsed) if len(edits) > 1 else set()
        return [f"{e}{AS_TYPED}" if e in raw else e for e in edits]  # "don't touch the rain" is no edit

    def with_known_sound(self, text: str, unknown: int, choice: int) -> str | None:
        """The modifier with its ``unknown``-th unknown sound word replaced by the name of its ``choice``-th nearest
        known sound ("add a kazoo" -> "add a music"), or None when there is no such word or choice."""
        from model.sound_vocab import BY_ID

        words = self.read_modifier(text).unknown
        if not 0 <= unknown < len(words) or not 0 <= choice < len(words[unknown].nearest_known):
            return None
        word, sound = words[unknown].word, words[unknown].nearest_known[choice]
        name = BY_ID[sound].name  # "a hawk" -> "birds", "a kazoo" -> "music": the article follows the name
        article = ("an " if name[0] in "aeiou" else "a ") if BY_ID[sound].countable and not name.endswith("s") else ""
        replaced, n = re.subn(rf"\b(?:an?\s+)({re.escape(word)})\b", article + name, text, count=1, flags=re.IGNORECASE)
        if not n:
            replaced = re.sub(re.escape(word), name, text, count=1, flags=re.IGNORECASE)
        return replaced if replaced != text else None

    def with_sound_added(self, text: str, sound_name: str) -> str | None:
        """The modifier's edits with the louder one of the sound named ``sound_name`` (its display name) made an add,
        as canonical texts joined by "and" ("make the wind louder and remove the dog" -> "add wind and remove the dog
        barking"): the link of an unheard-in-query note (app.named_sounds.UnheardNote); None without such an edit."""
        from model.edits import ADD, LOUDER, Edit
        from model.modifier_parser import edits_text, parse_modifier
        from model.sound_vocab import BY_ID

        edits = parse_modifier(text).edits
        at = next((i for i, e in enumerate(edits) if e.kind == LOUDER and e.sound in BY_ID
                   and BY_ID[e.sound].name == sound_name), None)
        if at is None:
            return None
        edits[at] = Edit(ADD, edits[at].sound)
        return edits_text(edits)

    def with_level_as_it(self, text: str, sound_name: str) -> str | None:
        """The modifier's edits with each level edit of the sound named ``sound_name`` (its display name) said as "it",
        as canonical texts joined by "and" ("make the rain louder and add thunder" -> "make it louder and add
        thunder"): the link of an own-sound note (app.named_sounds.OwnSoundNote); None without such an edit."""
        from model.edits import LOUDER, QUIETER, Edit
        from model.modifier_parser import edits_text, parse_modifier
        from model.sound_vocab import BY_ID

        edits = parse_modifier(text).edits
        hits = [i for i, e in enumerate(edits) if e.kind in (LOUDER, QUIETER) and e.sound in BY_ID
                and BY_ID[e.sound].name == sound_name]
        if not hits:
            return None
        for i in hits:
            edits[i] = Edit(edits[i].kind, None, is_main=True)
        return edits_text(edits)

    def with_it_named(self, text: str, sound_name: str) -> str | None:
        """The modifier's edits with each level edit of "it" naming the sound of display name ``sound_name``, as
        canonical texts joined by "and" ("make it louder" -> "make the rain louder"): the link of an it-level note
        (app.named_sounds.ItLevelNote); None without such an edit or sound."""
        from model.edits import LOUDER, QUIETER, Edit
        from model.modifier_parser import edits_text, parse_modifier
        from model.sound_vocab import BY_ID

        sound = next((s for s, v in BY_ID.items() if v.name == sound_name), None)
        edits = parse_modifier(text).edits
        hits = [i for i, e in enumerate(edits) if e.kind in (LOUDER, QUIETER) and e.sound is None]
        if sound is None or not hits:
            return None
        for i in hits:
            edits[i] = Edit(edits[i].kind, sound)
        return edits_text(edits)

    def words_alone_text(self, words: str) -> str:
        """The words of a search with no query sound as the reader takes them: a bare sound ("kazoo", "a hawk") read
        as "add ..." so that an unknown or untrained sound is found and said; a caption's scene is asked for too ("a
        dog barking in the rain" -> "add dog barking and add rain": with a query sound the rain is the clip's, alone
        it is part of the sound wanted; a trial found the rain dropped); more or less of a named sound ("more rain",
        "make the rain louder", "heavy rain"; "light rain", "quiet stream") is that sound wanted (they ranked tire
        skids and boats, arrows and hoes first: with no query sound a level has nothing to act on)."""
        from model.edits import ADD, LOUDER, QUIETER
        from model.sound_lexicon import find_sounds, tokens
        from model.sound_vocab import BY_ID

        reading = self.read_modifier(words)
        if not reading.edits and reading.unparsed:
            return f"add {words.strip()}"
        if reading.edits and all(e.kind in (LOUDER, QUIETER) and e.sound in BY_ID for e in reading.edits):
            return " and ".join(f"add {BY_ID[e.sound].name}" for e in reading.edits)
        asked = [e.sound for e in reading.edits if e.kind == ADD and e.sound]
        if not asked or len(asked) != len(reading.edits) or len(asked) > 1:
            return words
        scene = [sid for *_, sid in find_sounds(tokens(words)) if sid not in asked]
        return " and ".join(f"add {BY_ID[sid].name}" for sid in [*asked, *scene][:2]) if scene else words

    def unknown_alone(self, words: str) -> list[str] | None:
        """Words with no query sound that name no sound Nudge knows, only sounds it does not (``["Typewriter"]``: the
        AudioSet classes those words name, maybe none, as for "kazoo"); None when they name a known sound (or
        nothing at all): the heads rank those."""
        return self.unknown_only(self.words_alone_text(words))

    def earlier_replaced(self, text: str, earlier_texts: tuple[str, ...] | list[str]) -> list[str]:
        """The edits earlier refine steps asked for that a later step's words, or this one's, replaced by naming the
        same sound again (canonical phrases, once each, oldest first; trial 50: "make the rain quieter" went unsaid
        once "remove the rain" followed); [] without words now or such edits."""
        from app.rerank import still_asked
        from model.modifier_parser import canonical_text, parse_modifier

        current = parse_modifier(text).edits if text.strip() else []
        if not current:
            return []
        kept = {canonical_text(e) for e in still_asked(current, earlier_texts)}
        kept |= {canonical_text(e) for e in current}  # asked again, not replaced (trial 56: "replaced by these words"
        # when they were the same words)
        stated = [canonical_text(e) for t in earlier_texts if t.strip() for e in parse_modifier(t).edits]
        return list(dict.fromkeys(e for e in stated if e not in kept))

    def unknown_only(self, alone_text: str) -> list[str] | None:
        """unknown_alone of words already in their words-alone form (words_alone_text)."""
        reading = self.read_modifier(alone_text)
        if reading.edits or not reading.unknown:
            return None
        return list(dict.fromkeys(name for u in reading.unknown for name in u.audioset))

    def unknown_alone_note(self, words: str, found: int, named_words: tuple[str, ...] = ()) -> str | None:
        """What a search by these words alone did when they name only sounds Nudge does not know (ranked by YAMNet's
        classes, by the files' names, ``named_words``: ResultPage.named_words, or not at all:
        app.heard_alone.heard_alone_note); None when they name a known sound."""
        from app.heard_alone import heard_alone_note

        unknown = self.unknown_alone(words)
        return None if unknown is None else heard_alone_note(unknown, found, named_words)

    def words_alone_messages(self, words: str) -> list[str]:
        """What to tell the user about words searched with no query sound: unknown and untrained sounds, never "no
        edit read" (without a query sound there is no edit to read)."""
        return [m for m in self.read_modifier(self.words_alone_text(words)).messages()
                if not m.startswith("no edit read")]

    def read_modifier(self, text: str) -> ParsedModifier:
        """The modifier parser's reading: edits, clauses, sound words Nudge does not know (with the
        nearest known classes; ``.messages()`` for the user), sounds the active heads were not trained
        on, and pieces kept as raw text. Pure Python (the heads' classes come from the file header)."""
        from dataclasses import replace

        from model.modifier_parser import parse_modifier
        from model.sound_vocab import vocab_id

        parsed = self._with_text_neighbours(parse_modifier(text))
        try:
            trained = [vocab_id(c) for c in self._heads_config().get("class_names") or []]
        except Exception:  # noqa: BLE001 - a display hint; load_model reports the real problem
            return parsed
        untrained = list(dict.fromkeys(e.sound for e in parsed.edits if e.sound and e.sound not in trained))
        return replace(parsed, untrained=untrained, trained=trained) if untrained and trained else parsed

    def _with_text_neighbours(self, parsed: ParsedModifier) -> ParsedModifier:
        """``parsed`` with the unknown sound words that neither AudioSet nor spelling relate to a known sound given
        the nearest known ones by the text model (model.text_neighbours), once the model is loaded (before, the
        reading stays pure Python and those words keep none)."""
        from dataclasses import replace

        lonely = [i for i, u in enumerate(parsed.unknown) if not u.nearest_known and not u.effect]
        encoder = self._encoder
        if not lonely or encoder is None:
            return parsed
        from model.text_neighbours import TextNeighbours

        neighbours = self._neighbours
        if neighbours is None or neighbours[0] is not encoder:
            neighbours = (encoder, TextNeighbours(encoder.encode_words))
            self._neighbours = neighbours
        found = neighbours[1].nearest([parsed.unknown[i].word for i in lonely])
        unknown = list(parsed.unknown)
        for i, known in zip(lonely, found, strict=True):
            unknown[i] = replace(unknown[i], nearest_known=known)
        return replace(parsed, unknown=unknown)


ARTICLES = frozenset({"a", "an", "the", "some"})


def _plain(text: str) -> str:
    """Lower case, words only, no articles: "Add a thunder." and "add thunder" read the same."""
    return " ".join(w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in ARTICLES)


def embedded_edits(text: str, clauses: int) -> list[str]:
    """A modifier as heads of ``clauses`` text slots embed it: its edits (model.modifier_parser.modifier_clauses), or
    the whole text for heads that read a modifier whole; [] for empty text."""
    if not text.strip():
        return []
    from model.modifier_parser import modifier_clauses

    return modifier_clauses(text, clauses) if clauses > 1 else [text.strip()]


AS_TYPED = " (as typed: no edit read)"  # a part of the reading (reading_to_show) kept as typed


def reading_lead(shown: list[str], nothing_read: bool = False) -> str:
    """How a reading of several parts (reading_to_show) is introduced: "read as 2 edits", "read as 1 edit and 1 part
    kept as typed", or "kept as typed in 2 parts" when no edit was read at all (trial 45 and 46: "read as 2 edits"
    over one edit and an unread part, or over no edit at all)."""
    typed = len(shown) if nothing_read else sum(p.endswith(AS_TYPED) for p in shown)
    read = len(shown) - typed
    if not read:
        return f"kept as typed in {typed} parts"
    plural = "" if read == 1 else "s"
    return f"read as {read} edit{plural}" + (f" and {typed} part{'' if typed == 1 else 's'} kept as typed"
                                             if typed else "")


def reading_differs(edits: list[str], text: str) -> bool:
    """Whether a modifier's reading is worth showing: two or more edits, or one that is not the text as typed
    (articles aside). A sound named alone with a query, "car horn", is read as adding it and says so (trial 58: it
    could as well have meant "more" of it or the sound on its own)."""
    return len(edits) > 1 or (len(edits) == 1 and _plain(edits[0]) != _plain(text))


def names_nothing_to_find(text: str) -> bool:
    """Whether the words only change the level of "it" ("make it quieter") or only keep sounds as they are ("keep
    the rain"): with no query sound they name nothing to find."""
    from model.modifier_parser import parse_modifier

    parsed = parse_modifier(text)
    return parsed.kept_only or (bool(parsed.edits) and all(e.sound is None for e in parsed.edits))
