"""Library files named (or tagged) for a sound the words ask for, when few shown results are: a note beside the results.

YAMNet misses many sounds the heads were not trained on, and a real library names its files: a trial's "add a rooster
crowing" left rooster.wav 52nd, "add seagulls" left gull1.wav to gull5.wav past the 100th, and "make the rain louder"
on one rain recording pushed the library's other rain.wav from 45th to 207th, with nothing pointing at them. When
the words add a sound or change its level (a sound Nudge knows: its file-name keywords, model.sound_vocab; or one it
does not: the word as typed) and fewer than a third of the shown results' names, metadata or tags say it, the app and
the CLI name a few library files that do: "chicken: 1 library file not among the 10 results shown is named or tagged
for it: rooster.wav". A claim about names only, never about what the files sound like.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from app.named_sounds import (
    LISTED_FILES,
    NAMED_FILES,
    beyond_first,
    fired,
    name_sounds,
    name_words,
    names_and_more,
    names_another_sound,
    other_names,
    path_words,
)

SHOWN_SHARE = 3  # no note once a third of the shown results are named for the sound (trial 48: 2 footstep files in
# a top 10 hid the 116 others of foley/footsteps; one named result used to hide them all)
NAME_CANDIDATES = 2000  # library files holding one of a sound's words read per note (a count past it is a floor)
KEEPS_NAMED = 0.8  # a suggested keyword keeps at least this share of files named for the sound
# sounds a weapon's folder may hold under their own names; for any other sound Nudge knows, a file in a weapon's
# path is the weapon's ("lightning" in weapons/openarena/lightning/ is a gun, "tuba" in weapons/nexuiz/ a weapon's note)
WEAPON_SOUNDS = frozenset({"explosion", "gunshot", "laser", "sword", "arrow", "whoosh", "metal_clank", "click",
                           "punch", "crash", "glass_break", "beep"})


@dataclass(frozen=True)
class NamedForItNote:
    sound: str  # the sound's display name ("chicken"), or the unknown word as typed ("theremin")
    shown: int  # results looked at
    in_library: int  # library files named or tagged for it, not shown
    examples: tuple[Path, ...]  # the first of them, at most NAMED_FILES
    shared_names: frozenset[str] = field(default_factory=frozenset)  # example names other library files share
    others: tuple[Path, ...] = ()  # the next of them, up to LISTED_FILES in all: what "and N more" stands for
    keyword: str = ""  # a --keyword that keeps mostly files named for it ("" for none: keeping_word; trial 48)
    evidence: ClassVar[str] = "name"  # what says the files hold it (--json's library_holds)

    def message(self) -> str:
        files = "1 library file" if self.in_library == 1 else f"{self.in_library} library files"
        verb = "is" if self.in_library == 1 else "are"
        return f"{self.sound}: {files} {beyond_first(self.shown)} {verb} named or tagged for it: {names_and_more(self)}"

    def other_names(self) -> list[str]:
        """The names of the files "and N more" stands for, in order (told apart by folder as the named ones are)."""
        return other_names(self)


@dataclass(frozen=True)
class AskedSound:
    name: str  # display name or the word as typed
    words: tuple[str, ...]  # lower-case words a file's name, metadata or tags say it with
    sound: str | None = None  # model.sound_vocab id, None for a sound Nudge does not know


def asked_sound(sound: str) -> AskedSound:
    """A sound Nudge knows (model.sound_vocab id) as the notes read names for it: its display name and keywords."""
    from model.sound_vocab import BY_ID

    return AskedSound(BY_ID[sound].name, tuple(BY_ID[sound].keywords), sound)


def sounds_asked(text: str) -> list[AskedSound]:
    """The sounds the words add or raise, once each: known ones with their file-name keywords, unknown ones ("add a
    theremin") as typed (a plural also as its singular); not removals, sounds made quieter (trial 43: "more birds,
    less wind" pointed at the wind files), effects or "it"."""
    from model.edits import QUIETER, REMOVE
    from model.modifier_parser import parse_modifier
    from model.sound_vocab import BY_ID

    if not text.strip():
        return []
    reading = parse_modifier(text)
    asked: dict[str, AskedSound] = {}
    for edit in reading.edits:
        if edit.kind not in (REMOVE, QUIETER) and edit.sound in BY_ID and edit.sound not in asked:
            asked[edit.sound] = asked_sound(edit.sound)
    for unknown in reading.unknown:
        words = unknown.word.lower().split()
        if unknown.effect or unknown.kind in (REMOVE, QUIETER) or len(words) != 1 or len(words[0]) < 3:
            continue
        word = words[0]
        forms = (word, word[:-1]) if word.endswith("s") and len(word) > 3 else (word,)
        asked.setdefault(word, AskedSound(unknown.word, forms))
    return list(asked.values())


def typed_sounds(text: str) -> list[AskedSound]:
    """Single words the reader took for a broader sound Nudge knows ("jackhammer" for power tool, "creak" for door,
    "crickets" for insects: no word of the sound's name), in words adding or raising it, as typed (sound None: names
    only), so that files named for them can come first (trial 53: jackhammer.mp3 was 5th for "add a jackhammer",
    gavel.wav first for the unknown "add a gavel")."""
    from app.named_sounds import name_words
    from model.edits import QUIETER, REMOVE
    from model.modifier_parser import parse_modifier
    from model.sound_lexicon import find_sounds, tokens
    from model.sound_vocab import BY_ID

    asked = {e.sound for e in parse_modifier(text).edits if e.kind not in (REMOVE, QUIETER) and e.sound in BY_ID}
    words = tokens(text)
    typed: dict[str, AskedSound] = {}
    for start, end, sound in find_sounds(words):
        word = words[start]
        if sound in asked and end - start == 1 and len(word) >= 3 and not (
                name_words(word) & name_words(BY_ID[sound].name)):
            typed.setdefault(word, AskedSound(word, tuple(sorted(name_words(word)))))
    return list(typed.values())


def says_it(display: str, text: str, asked: AskedSound) -> bool:
    """A file's name, folder, metadata or tags say the sound: one of its words whole ("rooster.wav", "gull1.wav":
    digits part words; "rainforest.wav" is no rain), and for a known sound, the name and folder say no other sound
    instead (a music track titled "Riding The Wind" in music/ is no wind: a trial's note named three)."""
    words = name_words(f"{Path(display).parent.name} {Path(display).stem} {text}")
    if not words.intersection(asked.words) or (asked.sound == "fire" and fired(Path(display))):
        return False  # (a weapon's "fire" is a shot: trial 45's bfg_fire.wav for "add a campfire")
    if asked.sound != "music" and in_music(Path(display)):
        return False  # a track's title is no sound's label (trial 46: "leaves" named music/Helen_Leaves_Sparta.ogg;
        # trial 49: "thunder" named music/supertux/forest/bright_thunders.ogg, a folder further down)
    if asked.sound is not None and asked.sound not in WEAPON_SOUNDS and fired(Path(display)):
        return False  # trial 49: "thunder" named the lightning gun's weapons/openarena/lightning/lg_fire.wav
    return asked.sound is None or not names_another_sound(Path(display), asked.sound)


def named_ids(db, asked: AskedSound) -> set[int]:
    """The ids of the library's files whose name, folder, metadata or tags say the sound (says_it), among the first
    NAME_CANDIDATES holding one of its words (``db``: app.db.LibraryDB, whose keyword_candidates are kept until the
    library changes)."""
    from app.scope import SearchScope

    return {fid for fid, display, text in db.keyword_candidates(SearchScope(" ".join(asked.words)), NAME_CANDIDATES)
            if says_it(display, text, asked)}


def in_music(path: Path) -> bool:
    """Whether a file's name or one of its last three folders says music ("music/supertux/forest/x.ogg")."""
    from model.sound_vocab import BY_ID

    return bool(path_words(path).intersection(BY_ID["music"].keywords))


def own_name_says_it(display: str, asked: AskedSound) -> bool:
    """Whether a file's own name, not only its folder, metadata or tags, says the sound (trial 45: the note for "add
    thunder" listed the lightning gun's weapons/lightning/lg_fire.wav before thunder1.ogg)."""
    return bool(name_words(Path(display).stem).intersection(asked.words))


def names_more(display: str, asked: AskedSound) -> bool:
    """Whether a file's name or folder also says another sound Nudge knows (trial 48: "add glass breaking" listed
    doors_glass_door_close.ogg and default_glass_footstep.ogg before breakglass01.ogg, under "10 more")."""
    return bool(name_sounds(Path(display)) - name_sounds(Path(asked.name)) - {asked.sound})  # "break": a crash too


def keeping_word(words: Sequence[str], holding: list[tuple[int, str, str]], saying: set[int]) -> str:
    """The one of a sound's ``words`` that, as a --keyword (a part of a path, metadata or tags), keeps the most files
    named for it (``saying``: their ids, among ``holding``: (id, display, text) of files holding any of the words)
    while at least KEEPS_NAMED of what it keeps are; "" when none does (trial 49: "lightning" kept only the
    lightning gun's sounds, "grenade" no explosion)."""
    best, most = "", 0
    for word in words:
        kept = [fid for fid, display, text in holding if word in f"{display} {text}".lower()]
        named = sum(fid in saying for fid in kept)
        if named > most and named >= KEEPS_NAMED * len(kept):
            best, most = word, named
    return best


def named_for_it_notes(asked: Sequence[AskedSound], shown: set[int], n_shown: int,
                       candidates: Callable[[AskedSound], list[tuple[int, str, str]]], excluded: set[int],
                       shared_names: Callable[[Iterable[str]], frozenset[str]]) -> list[NamedForItNote]:
    """A note per asked sound that fewer than a third of the shown results' names or tags say (``shown``: their file
    ids, ``n_shown`` of them) and some other library files' do (``candidates``: (id, display, metadata and tags text)
    of the library's files holding one of its words; ``excluded``: ids never named, such as the query's);
    ``shared_names(names)``: those of the names other library files have too, so same-named examples are told apart by
    their folder."""
    notes = []
    for sound in asked:
        holding = candidates(sound)
        saying = [(fid, display) for fid, display, text in holding if says_it(display, text, sound)]
        if SHOWN_SHARE * sum(fid in shown for fid, _ in saying) >= max(n_shown, 1):
            continue  # enough shown results are named for it already
        # thunder1.ogg before lightning/lg_fire.wav, breakglass01.ogg before doors_glass_door_close.ogg
        found = sorted({display for fid, display in saying if fid not in excluded and fid not in shown},
                       key=lambda d: (not own_name_says_it(d, sound), names_more(d, sound), d))
        if not found:
            continue
        listed = tuple(Path(d) for d in found[:LISTED_FILES])
        keyword = keeping_word(sound.words, holding, {fid for fid, _ in saying})
        notes.append(NamedForItNote(sound.name, n_shown, len(found), listed[:NAMED_FILES],
                                    shared_names(p.name for p in listed), others=listed[NAMED_FILES:],
                                    keyword=keyword))
    return notes
