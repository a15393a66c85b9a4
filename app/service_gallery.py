"""Library-wide views for SearchService (a mixin): every file's vector for `main.py evaluate --gallery library`,
which files hold a sound the words ask for (app.named_sounds), and whether the words changed the results."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from app.named_files import NAME_CANDIDATES, NamedForItNote, named_for_it_notes, sounds_asked
from app.named_sounds import (
    HEARD_MIN,
    NAMED_FILES,
    NamedSoundNote,
    UnheardNote,
    asked_sounds,
    listed_files,
    name_sounds,
    named_sound_notes,
    sound_presence,
    unheard_in_query,
)
from app.scope import SearchScope
from app.sound_files import guarded as _guarded
from model.segments import EVIDENCE_SECONDS

if TYPE_CHECKING:
    from app.search_result import SearchResult
    from model.aligned_rerank import PatchEvidence

LEVEL_CHECKED = 10  # the first results whose loudness a level note compares with the query's
LEVEL_MARGIN_DB = 1.0  # a result this much quieter (louder) than the query counts as quieter (louder)
WORDS_CHECKED = 10  # the first results of a search with words, compared with the same search without them
LITTLE_CHANGE = 5  # this many first results or more the same, in the same order, without the words: they changed
# little (in a library of a few dozen clips most of the first 10 are shared anyway: order at the top is what moves)


def little_change_note(same: int | None, shown: int = WORDS_CHECKED) -> str:
    """What to tell the user when the words left the first results as they were ("" otherwise): the first thing to
    know when a search does not give what the words ask for. ``shown``: how many results there are (a small
    library's few results are all compared)."""
    compared = min(shown, WORDS_CHECKED)
    if same is None or compared < 2 or same < min(LITTLE_CHANGE, compared):
        return ""
    every = "both results are" if same == 2 else f"all {same} results are"
    which = every if same == compared < WORDS_CHECKED else f"the first {same} results are"
    return (f"the words changed little: {which} the same as without them, in the same order (raise the strength, "
            "or say it another way)")


def heard_nowhere_note(nowhere: Sequence[str]) -> str:
    """The line for words alone naming sounds Nudge hears in no library file (sounds_heard_nowhere), or "". The
    order still weighs how much of it Nudge hears, faintly, with the match (trial 57: "bubbles" put lava at 0.516
    above thunder at 0.624 under "these are the files that sound most like the words")."""
    return (f"Nudge clearly hears {' or '.join(nowhere)} in no library file (not even in those named for it): these "
            "files sound like the words, and those in which Nudge hears a little of it come first, above some closer "
            "matches") if nowhere else ""  # (trial 58: "in no library file" above six door files read as wrong;
    # trial 63: "named for it or not" read as "no file is named for it" beside four thunder files)


class LibraryViews:
    """Needs the host's db, load_model, _current_snapshot, _current_ref and _short_evidence
    (app.service.SearchService)."""

    @_guarded
    def library_gallery(self) -> tuple[list[Path], np.ndarray]:
        """Every searchable library file and its stored unit vector A(file) (N, D) for the loaded model:
        the gallery of `main.py evaluate --gallery library`. Loads the model if it is not in yet."""
        paths, _, vectors = self._gallery_rows()
        return paths, vectors

    @_guarded
    def library_class_maxima(self) -> np.ndarray | None:
        """YAMNet's class maxima (N, 521) uint8 of library_gallery's files, row for row (zeros: none kept for that
        file), or None when the library keeps none."""
        snap = self._current_snapshot()
        if snap.classes is None:
            return None
        from app.vectors import class_rows

        return class_rows(snap.classes, self._gallery_rows()[1])

    def _gallery_rows(self) -> tuple[list[Path], np.ndarray, np.ndarray]:
        """library_gallery's files, their whole-file store rows and unit vectors."""
        self.load_model()
        snap = self._current_snapshot()
        rows = snap.blocks.first  # whole-file vectors
        vectors = np.asarray(snap.store.matrix()[rows], dtype=np.float32).reshape(len(rows), snap.store.dim)
        finite = np.isfinite(vectors).all(axis=1)  # damaged rows wait for the next import to repair them
        ids, rows, vectors = snap.blocks.ids[finite], rows[finite], vectors[finite]
        records = self.db.records([int(i) for i in ids])
        keep = [k for k, i in enumerate(ids) if int(i) in records]
        return [records[int(ids[k])].path for k in keep], rows[keep], vectors[keep]

    @_guarded
    def library_evidence(self, paths: Sequence[str]) -> dict[str, PatchEvidence]:
        """The reranker's evidence of library files as search reads its results, for `main.py evaluate --gallery
        library`: a file search can read whole (no windows, or up to EVIDENCE_SECONDS: a possible version of a clip)
        from memory, the library database (kept at import) or YAMNet, then kept. Longer files (search reads long takes'
        moments by their mean) and paths the library does not hold are left out, as are files that cannot be read."""
        snap = self._current_snapshot()
        whole = [Path(path) for path in paths if (ref := self._current_ref(Path(path), snap)) is not None
                 and (ref.segments == 0 or (ref.duration or math.inf) <= EVIDENCE_SECONDS)]  # one lookup per file
        return {str(path): evidence for path, evidence in self._short_evidence(whole).items()}

    @_guarded
    def library_blocks(self):
        """Every searchable library file's vectors as blocks (whole-file row, then its windows): the gallery of
        `main.py evaluate --gallery library` on pairs with time ranges (app.evaluate_moments.BlockGallery)."""
        from app.evaluate_moments import BlockGallery

        self.load_model()
        snap = self._current_snapshot()
        records = self.db.records([int(i) for i in snap.blocks.ids])
        blocks = snap.blocks.keep(np.array([int(i) in records for i in snap.blocks.ids], dtype=bool))
        return BlockGallery.from_store(snap.store.matrix(), blocks, [str(records[int(i)].path) for i in blocks.ids],
                                       snap.classes)

    @_guarded
    def added_sound_names(self, text: str) -> list[str]:
        """Display names of the sounds the words add ("add a car horn" -> ["car horn"]), in order, once each."""
        from model.sound_vocab import BY_ID

        return [BY_ID[s].name for s in asked_sounds(text)]

    @_guarded
    def sounds_heard_alone(self, text: str) -> list[str]:
        """Display names of the sounds whose YAMNet class orders a search with these words and no query sound
        (search: the words name sounds, IndexConfig.words_alone_classes is on and the library keeps class rows);
        [] when the cosine alone orders it. Call after such a search (the model is in)."""
        if not self.config.words_alone_classes or self._current_snapshot().classes is None:
            return []
        return self.added_sound_names(self.words_alone_text(text))

    @_guarded
    def sounds_heard_nowhere(self, text: str) -> list[str]:
        """Of the sounds ordering a words-alone search (sounds_heard_alone), the display names of those Nudge hears
        clearly in no library file (trial 55: "church bells" listed other sounds, nothing saying that no file holds
        bells). Call after such a search (the model is in)."""
        from model.class_scores import main_sound_class
        from model.sound_vocab import BY_ID

        classes = self._current_snapshot().classes
        if not self.config.words_alone_classes or classes is None or not len(classes):
            return []
        return [BY_ID[s].name for s in asked_sounds(self.words_alone_text(text)) if main_sound_class(s) is not None
                and not (sound_presence(classes, s) >= HEARD_MIN).any()]

    def named_sound_notes(self, text: str, shown_ids: Sequence[int], exclude: Sequence[Path] = ()
                          ) -> list[NamedSoundNote | NamedForItNote]:
        """For each sound the words add or change the level of that none of the shown results (their file ids,
        ``SearchResult.record.id``) holds: the library files YAMNet hears it in (app.named_sounds); for the others,
        for sounds Nudge does not know and beside a YAMNet note naming fewer than NAMED_FILES, the library files named
        or tagged for it (app.named_files); the query (``exclude``) left out. Empty without words or results."""
        asked = sounds_asked(text)
        if not asked or not len(shown_ids):
            return []
        snap = self._current_snapshot()
        notes: list[NamedSoundNote | NamedForItNote] = []
        excluded_ids = {r.id for p in exclude if (r := self.db.record(Path(p))) is not None}
        known = [a.sound for a in asked if a.sound is not None]
        if known and snap.classes is not None:
            classes, blocks = snap.classes, snap.blocks
            excluded = [ref.row for p in exclude if (ref := self._current_ref(Path(p), snap)) is not None]
            inside = (blocks.first < len(classes)) & ~np.isin(blocks.first, excluded)
            shown_rows = blocks.first[inside & np.isin(blocks.ids, list(shown_ids))]
            rows, ids = blocks.first[inside], blocks.ids[inside]

            def resolve(picked: np.ndarray) -> list[Path | None]:
                records = self.db.records([int(ids[i]) for i in picked])
                return [records[int(ids[i])].path if int(ids[i]) in records else None for i in picked]

            found = named_sound_notes(known, len(shown_ids), shown_rows, classes, rows, resolve)
            notes = [replace(n, shared_names=self.db.shared_names(p.name for p in listed_files(n))) for n in found]
        few = {n.sound for n in notes if n.in_library < NAMED_FILES}  # YAMNet names few: the named files too (a
        heard = {n.sound for n in notes} - few  # trial: "add rain" named a city ambience, not rain.wav)
        listed = {r.id for n in notes if n.sound in few for p in listed_files(n) if (r := self.db.record(p))}
        notes += named_for_it_notes(
            [a for a in asked if a.name not in heard], set(map(int, shown_ids)), len(shown_ids),
            lambda a: self.db.keyword_candidates(SearchScope(" ".join(a.words)), NAME_CANDIDATES),
            excluded_ids | listed, self.db.shared_names)
        return notes

    def unheard_in_query(self, query: Path | None, text: str, query_range: tuple[float, float] | None = None
                         ) -> list[UnheardNote]:
        """Notes for the words' removals and level changes of a sound YAMNet does not hear in the query, and adds of
        one it hears clearly there (the query's class maxima: stored for a library file, read from the file else;
        app.named_sounds.unheard_in_query); none without a query, such edits or class scores."""
        from model.edits import ADD, LOUDER, QUIETER
        from model.modifier_parser import parse_modifier
        from model.sound_vocab import BY_ID

        edits = [e for e in parse_modifier(text).edits if e.sound is not None or e.kind in (LOUDER, QUIETER)
                 ] if text else []
        if query is None or not edits:
            return []
        classes = self._query_embedding(Path(query), self._current_snapshot(), query_range)[2]
        named = name_sounds(Path(query))
        return [replace(n, named=True) if isinstance(n, UnheardNote) and n.kind != ADD and n.sound in {
            BY_ID[s].name for s in named} else n for n in unheard_in_query(edits, classes)]

    def sounds_not_in_file(self, path: Path, text: str) -> list[str]:
        """The sounds the words name (display names) that Nudge does not hear anywhere in the file, by the unheard
        note's test (its class maxima; a file named for the sound counts as holding it): a file's moments listed for
        them are only the least unlike the words (trial 58: "thunder" on a rain take, "3 match about as well")."""
        from model.class_scores import added_sounds
        from model.edits import REMOVE, Edit
        from model.sound_vocab import BY_ID

        sounds = list(dict.fromkeys(s for group in added_sounds(text) for s in group)) if text.strip() else []
        sounds += [e.sound for e in self.read_modifier(text).edits if e.sound in BY_ID and e.sound not in sounds]
        if not sounds:
            return []
        classes = self._query_embedding(Path(path), self._current_snapshot(), None)[2]
        said = {BY_ID[s].name for s in name_sounds(Path(path))}
        return [n.sound for n in unheard_in_query([Edit(REMOVE, s) for s in sounds], classes)
                if isinstance(n, UnheardNote) and n.sound not in said]

    def not_in_file_note(self, path: Path, text: str, name: str = "this file") -> str:
        """The line of a file's moments listed for words naming sounds Nudge hears nowhere in it (sounds_not_in_file;
        ``name``: how the file is called there), or "", for the CLI's --moments and the app's "More moments"."""
        missing = self.sounds_not_in_file(path, text) if text.strip() else []
        return (f"{' or '.join(missing)}: Nudge does not hear it anywhere in {name}, so these moments are only the "
                "least unlike the words") if missing else ""

    def level_short_note(self, query: Path | None, text: str, results: Sequence[SearchResult],
                         query_range: tuple[float, float] | None = None) -> str:
        """For words that only make the query's own sound quieter or louder ("make it quieter", app.level_lean): a line
        saying that none of the first LEVEL_CHECKED results is, by LEVEL_MARGIN_DB or more of active level (a
        moment: its part; only the whole files of about the query's length among them, its versions, when there are
        any), or "" (trial 61: "make it quieter" listed its versions 2-5 dB louder, unsaid, and quieter other files
        further down)."""
        from app.level_lean import file_level, level_direction
        from app.rerank_reads import about_clip_length, query_length
        from model.own_sound import is_main_heard

        if query is None or not text.strip() or not results:
            return ""
        classes = self._query_embedding(Path(query), self._current_snapshot(), query_range)[2]
        direction = level_direction(self.read_modifier(text).edits, lambda sound: is_main_heard(classes, sound))
        start, end = query_range if query_range is not None else (0.0, None)
        own = file_level(Path(query), start, end) if direction else None
        if own is None:
            return ""
        first, length = results[:LEVEL_CHECKED], query_length(Path(query), query_range)
        versions = [r for r in first if r.end is None and about_clip_length(r.record.duration, length)]
        levels = [file_level(Path(r.path), r.start or 0.0, r.end) for r in versions or first]
        known = [level for level in levels if level is not None]
        if not known or any(direction * (level - own) >= LEVEL_MARGIN_DB for level in known):
            return ""
        word = "louder" if direction > 0 else "quieter"
        if versions:
            which, its = ("the one result", "version, it seems) is not") if len(known) == 1 else (
                f"none of the {len(known)} results", "versions, it seems) is")
            return (f"{which} of about the query's length (its {its} {word} than the query: the library may hold no "
                    f"{word} version of it")
        which = "the first result is not" if len(known) == 1 else f"none of the first {len(known)} results is"
        return (f"{which} {word} than the query (by their loudness): the library may hold no {word} take of this "
                "sound")

    def unchanged_by_words(self, results: Sequence[SearchResult], query: Path, words: str = "",
                           **search: Any) -> int | None:
        """How many of the first WORDS_CHECKED ``results`` of a search with words (all of them when fewer) come
        first in the same order without them (``search``: the search's other arguments: scope, marks,
        query_range); None with fewer than two results (nothing to compare), for ``words`` that only keep sounds
        ("keep the rain": they ask for no change, so none is no news), or that leave nothing to search with ("more
        reverb": an effect, said and left out; a trial was told to raise the strength)."""
        from model.modifier_parser import parse_modifier

        shown = [r.path for r in results[:WORDS_CHECKED]]
        reading = parse_modifier(words) if words else None
        if len(shown) < 2 or (reading is not None and (reading.kept_only or not reading.clauses)):
            return None
        plain = [r.path for r in self.search(query, "", top_k=len(shown), **search)] + [None] * len(shown)
        return next((i for i, path in enumerate(shown) if path != plain[i]), len(shown))
