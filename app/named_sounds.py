"""Where the library holds a sound the words ask for, as YAMNet hears it: a note beside the results.

The heads were trained on mixes, so "add thunder" to a rain clip finds rain-with-thunder mixes; in a library of
isolated sounds (one thunder clap per file) there is none, and the words alone cannot reach the thunder files.
When YAMNet hears a sound the words add in none of the shown results (not even faintly, as in a mix: SHOWN_MIN),
but clearly in files of the library (YAMNet's class maxima stored per file at import, model.class_scores), the app
and the CLI name a few of them:
"thunder: YAMNet hears it clearly in 4 library files not among the 10 results shown: thunder.flac, ...". It never
says that a shown result or the library lacks the sound: YAMNet misses many events in a mix, so a shown
rain-with-dog mix may well hold the dog it scores below the threshold.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import numpy as np

HEARD_MIN = 0.85  # YAMNet probability of the sound's main AudioSet class at which a file holds the sound: the
# lowest of 0.50, 0.55, ..., 0.95 with precision >= 0.9 on the catalog's val split, with the exact graph the shipped
# heads run (0.944; 0.7 gave 0.899; bench/bench_named_sounds.py; README)
NAMED_FILES = 3  # files named in a note's text
LISTED_FILES = 20  # files a note keeps: the named ones, then the rest its "and N more" lists (the app's menu, --json)
NAMES_CHECKED = 60  # the strongest holders whose names are read (names_another_sound) before a note gives up
SHOWN_MIN = 0.1  # a shown result YAMNet hears the sound in at least this clearly holds it (no note): a mix holds it
# under other sounds (the demo's thunder mixes 0.18-0.82, its other clips 0.002-0.011), where HEARD_MIN would miss it


@dataclass(frozen=True)
class NamedSoundNote:
    sound: str  # the sound's display name ("car horn")
    shown: int  # results looked at
    in_library: int  # library files YAMNet hears it in
    examples: tuple[Path, ...]  # the strongest of them, at most NAMED_FILES
    shared_names: frozenset[str] = frozenset()  # example names other library files share (told apart by folder)
    others: tuple[Path, ...] = ()  # the next strongest, up to LISTED_FILES in all: what "and N more" stands for
    evidence: ClassVar[str] = "yamnet"  # what says the files hold it (--json's library_holds)

    def message(self) -> str:
        files = "1 library file" if self.in_library == 1 else f"{self.in_library} library files"
        return f"{self.sound}: Nudge hears it clearly in {files} {beyond_first(self.shown)}: {names_and_more(self)}"

    def other_names(self) -> list[str]:
        """The names of the files "and N more" stands for, in order (told apart by folder as the named ones are)."""
        return other_names(self)


def names_and_more(note) -> str:
    """A note's named files and " and N more" (a NamedSoundNote or app.named_files.NamedForItNote)."""
    names = ", ".join(named_apart(note.examples, note.shared_names))
    return f"{names} and {more_count(note)} more" if more_count(note) else names


def more_count(note) -> int:
    """How many of a note's files its text does not name."""
    return max(0, note.in_library - len(note.examples))


def other_names(note) -> list[str]:
    """A note's unnamed files' names (its ``others``), same-named ones told apart by folder (named_apart)."""
    return named_apart(listed_files(note), note.shared_names)[len(note.examples):]


def listed_files(note) -> tuple[Path, ...]:
    """Every file a note keeps: the named ones, then the others (at most LISTED_FILES)."""
    return tuple(note.examples) + tuple(getattr(note, "others", ()))


def named_apart(paths: tuple[Path, ...], shared: frozenset[str] = frozenset()) -> list[str]:
    """File names, each with its folder when another of them, or another library file (``shared``: such names), has
    the same name ("loop.flac (in forest)"; a trial's note named "rain.wav" where the library holds two); where two
    of them share the folder's name too, the nearest folder that differs ("tank.wav (in apoc/…/explosions)")."""
    names = [p.name for p in paths]
    out = []
    for p in paths:
        if names.count(p.name) <= 1 and p.name not in shared:
            out.append(p.name)
            continue
        twins = [q.parent.parts for q in paths if q != p and q.name == p.name]
        parts = p.parent.parts
        depth = next((d for d in range(1, len(parts) + 1) if all(t[-d:] != parts[-d:] for t in twins)), len(parts))
        where = parts[-1] if depth == 1 else str(Path(parts[-depth], *(["\u2026"] if depth > 2 else []), parts[-1]))
        out.append(f"{p.name} (in {where})")
    return out


def sound_presence(classes: np.ndarray, sound: str, rows: np.ndarray | None = None) -> np.ndarray:
    """Probability that each class row (or each of ``rows``) holds ``sound`` (a model.sound_vocab id): its main
    AudioSet class (model.class_scores.main_sound_class; broader ones such as "Growling" for a dog name too much
    else); about 0 for rows without class scores (all zero: the lowest output), 0 for sounds without an AudioSet
    class. Reads one column, so a memory-mapped (n, 521) table is never copied whole."""
    from model.class_scores import main_sound_class, probabilities

    column = main_sound_class(sound)
    rows = np.arange(len(classes)) if rows is None else np.asarray(rows, dtype=np.int64)
    if column is None or not len(rows):
        return np.zeros(len(rows), dtype=np.float32)
    return probabilities(np.asarray(classes[:, column])[rows]).astype(np.float32)


def asked_sounds(text: str) -> list[str]:
    """The sound ids the words add ("add thunder", "needs a dog"), in order, once each; a sound made louder
    is one the query holds already, so it is not asked for here."""
    from model.edits import ADD
    from model.modifier_parser import parse_modifier
    from model.sound_vocab import BY_ID

    if not text.strip():
        return []
    return list(dict.fromkeys(e.sound for e in parse_modifier(text).edits if e.kind == ADD and e.sound in BY_ID))


def named_sound_notes(sounds: list[str], n_shown: int, shown_rows: np.ndarray, classes: np.ndarray,
                      library_rows: np.ndarray, resolve: Callable[[np.ndarray], list[Path | None]],
                      heard_min: float = HEARD_MIN) -> list[NamedSoundNote]:
    """Notes for the ``sounds`` the words add (asked_sounds) that no shown result holds but library files do.

    ``shown_rows``: the class rows of the shown results (``n_shown`` of them); ``library_rows``: the whole-file
    class rows of the files a note may name; ``resolve(indices into library_rows)``: their paths (None: gone).
    Only the named files are resolved, so a note costs one column read whatever the library's size."""
    from model.sound_vocab import BY_ID

    if not n_shown or not len(library_rows):
        return []
    notes = []
    for sound in sounds:
        if (sound_presence(classes, sound, shown_rows) >= min(SHOWN_MIN, heard_min)).any():
            continue  # a shown result holds it already, maybe under other sounds
        presence = sound_presence(classes, sound, library_rows)
        holders = np.flatnonzero(presence >= heard_min)
        ranked = holders[np.argsort(-presence[holders], kind="stable")]
        paths: list[Path] = []
        other = 0  # holders whose names say they are another sound
        for start in range(0, min(len(ranked), NAMES_CHECKED), NAMED_FILES * 2):
            for path in resolve(ranked[start : start + NAMED_FILES * 2]):
                if path is not None and names_another_sound(path, sound):
                    other += 1
                elif path is not None and len(paths) < LISTED_FILES:
                    paths.append(path)
            if len(paths) == LISTED_FILES:
                break
        if paths:  # else nowhere to point at: no claim at all
            notes.append(NamedSoundNote(BY_ID[sound].name, n_shown, len(holders) - other,
                                        tuple(paths[:NAMED_FILES]), others=tuple(paths[NAMED_FILES:])))
    return notes


# compounds whose halves are other sounds' keywords, written split in names ("WindMill1.wav" was offered for "add
# wind" (a trial), "RainCoat", "FireFly")
SPLIT_COMPOUNDS = frozenset({"windmill", "windshield", "windscreen", "rainbow", "raincoat", "firefly", "thunderbird",
                             "dogfight", "catwalk", "birdhouse", "seahorse", "horsepower", "cowboy", "cowbell"})


def name_words(text: str) -> set[str]:
    """The lower-case words of a name, folder or tag text: letters only, camelCase split ("RainHeavy_02" -> rain,
    heavy), and each word's singular and stem too ("dogs" -> dog, "sirens" -> siren, "laughing" -> laugh,
    "clapping" -> clap), so a sound's keywords find "dogs_barking.wav" and "laughing_kids.wav" as the catalog's
    labels do ("rainforest" stays one word: no rain; so do split compounds: "WindMill1" is a windmill, no wind); a
    word with its digits too ("f16_1.wav": f, f16; trial 52: "add an f16" found no file named for it)."""
    lowered = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", text).lower()
    split = re.findall(r"[a-z]+", lowered)
    words = set(split) | set(re.findall(r"(?<![a-z0-9])[a-z]+\d+(?![0-9])", lowered))  # "f16_1.wav": f16 too
    for first, second in zip(split, split[1:], strict=False):
        if first + second in SPLIT_COMPOUNDS:
            words -= {first, second}
            words.add(first + second)
    forms = set(words)
    for w in words:
        if len(w) > 3 and w.endswith("es"):
            forms.add(w[:-2])
        if len(w) > 3 and w.endswith("s"):
            forms.add(w[:-1])
        if len(w) > 5 and w.endswith("ing"):
            forms.add(w[:-3])
            if w[-4] == w[-5]:  # "clapping" -> clap
                forms.add(w[:-4])
    return forms


# words of a weapon: "fire" beside them is firing it, not a fire (trial 45: "add a campfire" named bfg_fire.wav)
FIREARM_WORDS = frozenset({"weapon", "weapons", "gun", "guns", "rifle", "pistol", "shotgun", "cannon", "bfg", "rocket",
                           "railgun", "plasma", "blaster", "laser", "machinegun", "chaingun", "grenade", "missile"})


def path_words(path: Path) -> set[str]:
    """name_words of a file's name and its last three folders ("weapons/openarena/lightning/lg_fire.wav")."""
    return name_words(" ".join(path.parts[-4:]))


def fired(path: Path) -> bool:
    """Whether a path's folders or name are a weapon's, so that "fire" in it is a shot ("weapons/bfg/bfg_fire.wav")."""
    return bool(path_words(path) & FIREARM_WORDS)


def name_sounds(path: Path) -> set[str]:
    """The sounds (model.sound_vocab ids) a file's name and its folder's name say, by the sounds' path keywords
    ("Water/river_fast_21.flac" -> water_stream; "Rain/RAIN.flac" -> rain; "fire" in a weapon's path is no fire)."""
    from model.sound_vocab import VOCAB

    words = name_words(f"{path.parent.name} {path.stem}")
    said = {c.id for c in VOCAB if words.intersection(c.keywords)}
    return said - {"fire"} if "fire" in said and fired(path) else said


def sounds_added(text: str) -> set[str]:
    """The sound ids the words add or raise, whatever their role (model.class_scores.added_sounds): what a long
    take's name is checked against for the named-take floor (docs/MEASUREMENTS.md, seventeenth round)."""
    from model.class_scores import added_sounds

    return {s for group in added_sounds(text) for s in group} if text.strip() else set()


def takes_named_for(take_names: Iterable[tuple[int, set[str]]], asked: set[str]) -> set[int]:
    """The positions among ``take_names`` ((position, the sounds its name says: name_sounds)) whose names say one of
    the ``asked`` sound ids: the long takes floored for a search or an evaluation (seventeenth round)."""
    return {p for p, said in take_names if asked & said} if asked else set()


def names_another_sound(path: Path, sound: str) -> bool:
    """Whether a file's name (or its folder's) says it is some other sound and not ``sound``: YAMNet's Rain class
    fires on rivers and its Thunder class on jets, and a trial's note for "add rain" named river_fast_21.flac (six
    files in Ambiences/Rain went unnamed), for "add thunder" jet.flac."""
    said = name_sounds(path)
    return bool(said) and sound not in said


def with_named_classes(hits: list, first_rows: np.ndarray, classes: np.ndarray, sounds: list[str],
                       weight: float, said: Mapping[str, Collection[int]] | None = None) -> list:
    """Words with no query sound: the hits (app.moments.FileHit) in the order of cosine + ``weight`` x the mean
    presence of the named ``sounds`` in each file's whole-file class row (``first_rows[hit.block]``); their scores
    stay the cosines the results show. The cosine alone let hiss and room tone rank first for any words in a library
    that holds them. ``said``: per sound, the file ids whose names say it: their presence is 1 (trial 50: "wind"
    put ocean waves YAMNet hears as wind above 15 files named for it)."""
    if not hits or not sounds or weight <= 0:
        return hits
    rows = np.asarray([first_rows[h.block] for h in hits], dtype=np.int64)
    ids = np.asarray([h.file_id for h in hits], dtype=np.int64)
    said = said or {}
    presence = np.mean([np.maximum(sound_presence(classes, sound, rows), np.isin(ids, list(said.get(sound, ()))))
                        for sound in sounds], axis=0)
    combined = np.array([h.score for h in hits], dtype=np.float64) + weight * presence
    return [hits[i] for i in np.argsort(-combined, kind="stable")]


UNHEARD_MAX = SHOWN_MIN  # a sound whose AudioSet classes YAMNet hears under this in the query is not in it for a
# level change or a removal (no trace even as under a bed in a mix)
# classes that also count as hearing a sound for that note: a market crowd YAMNet hears as speech (0.95) and not as
# "Crowd" or "Chatter" was said to have no crowd to make quieter (a trial)
HEARD_ALSO = {"crowd": ("Speech", "Conversation", "Babbling", "Children shouting", "Children playing"),
              "speech": ("Babbling",)}  # (a voice's own classes already hold Conversation and Narration)


def beyond_first(shown: int) -> str:
    """Where the files a note names are: "not among the first 10 results" ("other than the first result")."""
    return "other than the first result" if shown == 1 else f"not among the first {shown} results"


@dataclass(frozen=True)
class UnheardNote:
    """Words that change or remove a sound YAMNet does not hear in the query ("make the wind louder" on a forest of
    birds): the search has nothing of it to act on, so its results can drift anywhere (a trial: glass and swords)."""

    sound: str  # the sound's display name
    kind: str  # remove / louder / quieter
    examples: tuple[Path, ...] = ()  # (as NamedSoundNote: no files to name)
    named: bool = False  # the query file's name (or its folder's) says the sound: YAMNet hardly hears it there

    @property
    def suggestion(self) -> str:
        """What to say instead ("add wind" for a louder wind the query lacks; "" for the others and for a query
        named for the sound)."""
        return f"add {self.sound}" if self.kind == "louder" and not self.named else ""

    def message(self) -> str:
        if self.kind == "add":  # heard clearly: "put the cow in the rain" read as "add cow" on a cow (a trial)
            return (f"{self.sound}: Nudge already hears it clearly in the query, so \u201cadd {self.sound}\u201d asks "
                    "for more of it (to put it in a place, add that place's sound instead, as \u201cadd rain\u201d)")
        if self.named:  # a trial: "YAMNet does not hear it" on helicopter.wav and jet_engine_outside.wav read as wrong
            verb = {"louder": "make louder", "quieter": "make quieter"}.get(self.kind, "remove")
            return (f"{self.sound}: the query's file name says it, but Nudge hardly hears it there, so the words "
                    f"have little of it to {verb} (the results may drift)")
        heard = f"{self.sound}: Nudge does not hear it in the query"
        if self.kind == "louder":
            return f"{heard}, so there is none to make louder (\u201c{self.suggestion}\u201d asks for it)"
        return f"{heard}, so there may be none to {'make quieter' if self.kind == 'quieter' else 'remove'}"


@dataclass(frozen=True)
class OwnSoundNote:
    """A level edit naming the Nudge sound YAMNet hears most in the query ("make the rain louder" on one rain take):
    the heads read a named level as that sound's level in a mix, while on a recording of it alone "make it louder"
    leans louder (README "Folders of single recordings"); the suggestion is a link ("itlevel:<sound>")."""

    sound: str  # the sound's display name
    kind: str  # louder / quieter
    examples: tuple[Path, ...] = ()  # (as NamedSoundNote: no files to name)
    link: str = "itlevel"

    @property
    def suggestion(self) -> str:
        return f"make it {self.kind}"

    def message(self) -> str:
        return (f"{self.sound}: the sound Nudge hears most in the query; if the query is {self.sound} alone, "
                f"\u201c{self.suggestion}\u201d leans a little toward {self.kind} takes of it among other recordings; "
                "naming the sound, as here, reads its level in edited versions of this clip better")
        # (trials 58-59: "asks for louder takes", and the link ranked the -8 dB version above the +8 dB one)


@dataclass(frozen=True)
class ItLevelNote(OwnSoundNote):
    """The other way round: a level edit of "it" on a query whose main sound is a bed ("make it louder" on a rain
    clip, ``sound`` the bed): "it" is the whole clip, which leans toward louder takes among other recordings, but in
    edited versions of the clip the reordering reads a named sound's level far better (trials 58, 62: "make it
    louder" put the -6 and -8 dB versions first, "make the rain louder" the louder ones); the suggestion is a link
    ("namelevel:<sound>") that names it."""

    link: str = "namelevel"

    @property
    def suggestion(self) -> str:
        return f"make the {self.sound} {self.kind}"

    def message(self) -> str:
        return (f"\u201cmake it {self.kind}\u201d reads the whole clip, which leans toward {self.kind} takes among "
                "other recordings; in edited versions of this clip a named sound's level reads far better: "
                f"\u201c{self.suggestion}\u201d ({self.sound}: the sound Nudge hears most in the query)")


def unheard_in_query(edits: list, query_classes: np.ndarray | None
                     ) -> list[UnheardNote | OwnSoundNote | ItLevelNote]:
    """Notes for the edits (model.edits.Edit) that remove or change the level of a named sound none of whose AudioSet
    classes YAMNet hears in the query's class maxima (``query_classes``, (521,) uint8; None: unknown, no note), for
    the adds of an event sound YAMNet hears clearly there already (more of the query's own sound), for level
    edits of the Nudge sound YAMNet hears most there (OwnSoundNote) and for those of "it" where that sound is a bed
    (ItLevelNote)."""
    from model import own_sound
    from model.class_scores import has_classes, sounds_class_query
    from model.edits import ADD, LOUDER, QUIETER, REMOVE
    from model.sound_vocab import BY_ID

    if query_classes is None or not has_classes(np.asarray(query_classes)):
        return []
    notes = []
    for edit in edits:
        if edit.sound is None and edit.kind in (LOUDER, QUIETER):  # "make it louder" on a rain clip
            bed = own_sound.main_bed(np.asarray(query_classes))
            notes += [ItLevelNote(BY_ID[bed].name, edit.kind)] if bed is not None else []
            continue
        if edit.kind == ADD and _heard_clearly(edit.sound, np.asarray(query_classes)):
            notes.append(UnheardNote(BY_ID[edit.sound].name, ADD))
            continue
        query = sounds_class_query([edit.sound]) if edit.sound in BY_ID else None
        if edit.kind in (REMOVE, LOUDER, QUIETER) and query is not None and float(
                query.window_values(np.asarray(query_classes)[None])[0]) < UNHEARD_MAX and not _heard_also(
                edit.sound, np.asarray(query_classes)):
            notes.append(UnheardNote(BY_ID[edit.sound].name, edit.kind))
        elif edit.kind in (LOUDER, QUIETER) and own_sound.OTHER_HEARD_MAX is None and own_sound.is_main_heard(
                query_classes, edit.sound):  # (the search reads it as "it" itself when the rule is on)
            notes.append(OwnSoundNote(BY_ID[edit.sound].name, edit.kind))
    return list(dict.fromkeys(notes))


def _heard_clearly(sound: str | None, query_classes: np.ndarray) -> bool:
    """Whether an event sound (not a bed: "add rain" to rain asks for more rain, as meant) is in the query for sure:
    YAMNet hears its main AudioSet class at least HEARD_MIN, as a library file named for holding it."""
    from model.class_scores import main_sound_class, probabilities
    from model.sound_vocab import BY_ID, EVENT

    column = main_sound_class(sound) if sound in BY_ID and BY_ID[sound].role == EVENT else None
    return column is not None and float(probabilities(query_classes)[column]) >= HEARD_MIN


def _heard_also(sound: str, query_classes: np.ndarray) -> bool:
    """Whether YAMNet hears one of the sound's HEARD_ALSO classes in the query at least UNHEARD_MAX."""
    from model.class_scores import probabilities

    columns = audioset_columns(list(HEARD_ALSO.get(sound, ())))
    return bool(columns) and float(probabilities(query_classes)[columns].max()) >= UNHEARD_MAX


HEARD_ALONE_MIN = 0.2  # words alone naming only a sound Nudge does not know: files YAMNet hears it in at least this


def audioset_columns(names: list[str]) -> list[int]:
    """YAMNet's class columns of AudioSet display names ("Typewriter"), once each, unknown names left out."""
    from model.class_scores import class_column

    return list(dict.fromkeys(c for c in map(class_column, names) if c is not None))
