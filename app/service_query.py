"""The query sound as a vector (a mixin of SearchService): a library file's stored vector when it is unchanged (or
not on disk now: its drive unplugged), else the file or the selected part of it embedded."""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any

import numpy as np

from app.db_blocks import VectorRef
from app.errors import QueryFileError, SelectionRefused, describe_path
from app.feedback import rejected_rows, start_copies, start_rows
from app.moments import class_block, overlapping_rows, rank_files
from app.rerank_reads import about_clip_length, query_length, version_positions
from app.scope import SearchScope
from app.search_result import ResultPage
from app.timefmt import clock_range
from model.audio_io import check_regular_file, check_selection, read_native, take_damage
from model.class_scores import has_classes
from model.errors import AudioDecodeError
from model.segments import VERSION_QUERY_SECONDS
from model.wav_header import cut_short

SHORT_PART_SECONDS = 0.48  # a query part shorter than this is said to be too short to tell sounds apart: YAMNet reads
# 0.96 s patches, so more than half of the one patch it reads is silence (trial 61: 0.3 s of a bark matched footsteps)


def query_unreadable(path: Path) -> str:
    """Why a query file cannot be read from disk now ("is not on disk", "cannot be read now (permission denied)": a
    folder on its way that may not be searched), or "" when it can be looked at."""
    try:
        os.stat(path)
    except FileNotFoundError:
        return "is not on disk"
    except OSError as exc:
        return f"cannot be read now ({(exc.strerror or type(exc).__name__).lower()})"
    return ""


class QuerySound:
    """Needs the host's db and encoder (app.service.SearchService); ``snap`` is its _Snapshot."""

    @staticmethod
    def query_unreadable(path: Path) -> str:
        """Why the query file cannot be read from disk now, or "" (module function query_unreadable)."""
        return query_unreadable(Path(path))

    @staticmethod
    def short_part_note(part: float) -> str:
        """For a query part (a range or selection) of ``part`` seconds under SHORT_PART_SECONDS: Nudge hears too little
        of it (trial 59: 0.05 s of a rain take matched an arrow at 0.89); "" otherwise."""
        if not 0 < part < SHORT_PART_SECONDS:
            return ""
        return (f"the query part is only {part:.2f} s long: Nudge hears too little of it to tell sounds apart, so its "
                "matches say little (a second or more reads better)")

    @staticmethod
    def long_query_note(query: Path | None, text: str, query_range: tuple[float, float] | None = None) -> str:
        """For words with a query over VERSION_QUERY_SECONDS (60 s): it is read as a long take, so no result is read as
        an edited version of it (trial 60: a 35 s mix's reordering went off unsaid); "" otherwise."""
        if query is None or not text.strip():
            return ""
        length = query_length(query, query_range)
        if not (math.isfinite(length) and length > VERSION_QUERY_SECONDS):
            return ""
        return (f"a query over {VERSION_QUERY_SECONDS:g} s is read as a long take: the results are ranked by their "
                "moments and none is read as an edited version of it")

    def query_file_note(self, path: Path) -> str:
        """What the search did with a query file that is cut short or changed since the import (trial 53: a library
        file cut to 2,000 bytes was searched with no word, and gave junk); "" for a file as imported, or not read."""
        path = Path(path)
        if query_unreadable(path):
            return ""
        cut, ref = cut_short(path), self.db.vector_ref(path)
        try:
            st = os.stat(path)
        except OSError:
            return ""
        changed = ref is not None and ref.row is not None and (ref.size, ref.mtime_ns) != (st.st_size, st.st_mtime_ns)
        embedded = getattr(self, "_last_embedded", None)  # damaged part-way (a FLAC, OGG or MP3 cut short)
        if embedded is not None and embedded[0][:3] == (os.fspath(path), st.st_size, st.st_mtime_ns) and embedded[3]:
            damage = embedded[3].removeprefix(f"{describe_path(path)} is ").replace("were imported", "were searched")
            return f"the query file is {damage}"
        if cut is not None:
            held = f"{cut[1]:.1f}" if cut[1] >= 1 else f"{cut[1]:.2f}"
            done = ("searched with the sound stored when it was imported (a rescan reads it again)" if changed
                    else f"searched with the {held} s there")
            return (f"the query file is cut short (an interrupted copy?): its header promises {cut[0]:.1f} s, it "
                    f"holds {held} s; {done}")
        if changed:
            return ("the query file changed on disk since the import: searched with the sound in it now (a rescan "
                    "updates the library)")
        return ""

    def _left_out_rows(self, snap: Any, query: VectorRef | None, exclude_query: bool,
                       query_range: tuple[float, float] | None, less_like: list, more_like: Any, plan: Any
                       ) -> tuple[np.ndarray, VectorRef | None]:
        """Rows no result may come from: the query file's (``query``, unless ``exclude_query`` is False), or only
        its windows over the query range; the files marked less like this (``less_like``: _marked_refs;
        app.feedback.rejected_rows); and in a refine step whose earlier edits still hold (``plan``:
        app.rerank.RerankPlan), the session's first sound, which lacks them (app.feedback.start_rows). Also that
        first sound's vector block when it was left out (its copies go with _without_start_copies)."""
        exclude = np.empty(0, dtype=np.int64)
        if exclude_query and query is not None:
            exclude = (np.arange(query.row, query.row + query.rows) if query_range is None
                       else overlapping_rows(query, *query_range))
        if less_like:
            exclude = np.union1d(exclude, rejected_rows(less_like, more_like))
        start = self._current_ref(plan.session.first, snap) if plan and plan.carried and plan.session else None
        start_out = start_rows(start, plan.session.first_range, query) if start else np.empty(0, np.int64)
        return np.union1d(exclude, start_out), start if len(start_out) else None

    def _without_start_copies(self, hits: list, snap: Any, start: VectorRef | None, plan: Any) -> list:
        """The hits less the copies and versions of a refine session's first sound left out (``start``:
        _left_out_rows'; app.feedback.start_copies), their range of the first sound's where it had one."""
        if start is None or not hits:
            return hits
        copies = start_copies(snap.store.matrix(), snap.blocks, [h.block for h in hits], start,
                              lambda ids: {i: r.path.name for i, r in self.db.records(ids).items()},
                              Path(plan.session.first).name)
        span = plan.session.first_range
        return [h for h, copy in zip(hits, copies, strict=True) if not copy or (
            span is not None and h.end is not None and (h.end <= span[0] or h.start >= span[1]))]

    def _current_ref(self, path: Path, snap: Any, missing_too: bool = False) -> VectorRef | None:
        """The vector block of an indexed library file (``missing_too``: or of one found gone at the last import) if it
        holds vectors of the snapshot's model."""
        ref = self.db.vector_ref(path, missing_too)
        if ref is None or ref.model_version != snap.store.version or ref.row is None or \
                ref.row + ref.rows > snap.store.rows:
            return None
        return ref

    def _marked_blocks(self, marks: Any, snap: Any) -> set[int]:
        """Block positions of the whole files marked "more like this" (paths or app.feedback.FeedbackMarks; a marked
        moment of a long take marks that moment, not the take) that are indexed with this model:
        app.moments.rank_files scores them by their cosine alone."""
        from app.feedback import FeedbackMark

        rows = [ref.row for mark in map(FeedbackMark.of, marks or ())
                if mark.end is None and (ref := self._current_ref(mark.path, snap))]
        return set(np.flatnonzero(np.isin(snap.blocks.first, rows)).tolist()) if rows else set()

    def _heard_alone(self, audioset: list[str], scope: SearchScope, top_k: int, offset: int, text: str = ""
                     ) -> ResultPage:
        """Files in the scope in which YAMNet hears one of these AudioSet classes clearly, most clearly first, scored
        by that probability (app.heard_alone.heard_hits); when it hears none (or the words name no class: "kazoo"),
        the files whose names say the words as typed, by text match (trial 51: "hawk", "cuckoo", "f16" found
        nothing beside Hawk.ogg, cuckoo.wav, f16_1.wav; ResultPage.named_words says so); else none, and no ranking by
        a direction the heads never learned is shown."""
        from app.heard_alone import heard_hits
        from app.named_files import sounds_asked
        from app.named_sounds import audioset_columns
        from app.service import SPARE_HITS

        self.load_model()
        snap = self._current_snapshot()
        if top_k <= 0:
            return ResultPage()
        if snap.classes is not None and audioset:
            b = snap.blocks
            allowed = b.first < snap.store.rows
            if scope.active:
                allowed &= np.isin(b.first, self.db.searchable_blocks(snap.store.version, scope=scope).first)
            readable = np.minimum(b.first, max(snap.store.rows - 1, 0))  # rows past the store's are not allowed
            words = self.encoder.words_query(text, 1.0) if text.strip() else None  # orders only equal scores
            tiebreak = None if words is None else np.asarray(snap.store.matrix()[readable]) @ words
            hits = heard_hits(snap.classes, readable, b.ids, allowed,
                              audioset_columns(audioset), max(offset, 0) + top_k + SPARE_HITS, tiebreak=tiebreak)
            nowhere = np.full(snap.store.dim, np.nan, dtype=np.float32)  # no query vector: each match is its score
            if hits:
                return self._results(hits, max(offset, 0), top_k, nowhere, snap)
        unknown = [a for a in sounds_asked(text) if a.sound is None]
        if not unknown or not self.config.words_alone_named:
            return ResultPage()
        words = " ".join(w for a in unknown for w in a.words)
        page = self.keyword_search(scope.with_words(words), top_k, offset)
        page.named_words = tuple(dict.fromkeys(a.name for a in unknown))
        return page

    def _words_alone_order(self, hits: list, named: list[str], snap: Any, q: np.ndarray,
                           subset: np.ndarray | None, exclude: np.ndarray) -> list:
        """Words alone naming these sounds: ``hits`` with the files YAMNet hears them in most (_with_heard) and, with
        IndexConfig.words_alone_named, the best-matching files named for them (_named_ids) as candidates, ordered by
        cosine + words_alone_classes x presence, a named file holding its sound fully (app.named_sounds)."""
        from app.named_sounds import with_named_classes

        hits = self._with_heard(hits, named, snap, q, subset, exclude)
        said = self._named_ids(named) if self.config.words_alone_named else {}
        ids = {i for group in said.values() for i in group}
        if ids:
            b, have = snap.blocks, {h.file_id for h in hits}
            keep = np.isin(b.ids, list(ids - have)) & (b.end <= snap.store.rows)
            if subset is not None:
                keep &= np.isin(b.first, subset)
            positions = np.flatnonzero(keep)[: 20 * self.config.words_alone_heard]
            if len(positions):
                rows = np.concatenate([np.arange(b.first[p], b.end[p]) for p in positions])
                hits = [*hits, *rank_files(snap.index, b, q, min(len(positions), self.config.words_alone_heard),
                                           rows, exclude, self.config.moment_share)]
        return with_named_classes(hits, snap.blocks.first, snap.classes, named, self.config.words_alone_classes, said)

    def _named_ids(self, sounds: list[str]) -> dict[str, set[int]]:
        """Per sound (model.sound_vocab ids), the library's files whose name or folder says it, as the files-named
        note reads names (app.named_files.says_it; at most NAME_CANDIDATES read per sound)."""
        from app.named_files import asked_sound, named_ids

        return {sound: named_ids(self.db, asked_sound(sound)) for sound in sounds}

    def _with_heard(self, hits: list, named: list[str], snap: Any, q: np.ndarray, subset: np.ndarray | None,
                    exclude: np.ndarray) -> list:
        """Words alone: ``hits`` (app.moments.FileHit, the first words_alone_pool by cosine) and the
        IndexConfig.words_alone_heard files YAMNet hears the ``named`` sounds in most (mean presence, at least
        HEARD_ALONE_MIN) that they lack, each with its best moment by cosine, for app.named_sounds.with_named_classes
        to order: a page never depends on how many results were asked for (trial 47)."""
        from app.moments import rank_files
        from app.named_sounds import HEARD_ALONE_MIN, sound_presence

        b, limit = snap.blocks, self.config.words_alone_heard
        readable = b.first < len(snap.classes)
        if subset is not None:
            readable &= np.isin(b.first, subset)
        if limit <= 0 or not readable.any():
            return hits
        positions = np.flatnonzero(readable)
        presence = np.mean([sound_presence(snap.classes, s, b.first[positions]) for s in named], axis=0)
        most = np.argsort(-presence, kind="stable")[:limit]
        have = {h.block for h in hits}
        extra = [int(positions[i]) for i in most if presence[i] >= HEARD_ALONE_MIN and int(positions[i]) not in have]
        if not extra:
            return hits
        rows = np.concatenate([np.arange(b.first[p], b.end[p]) for p in extra])
        return [*hits, *rank_files(snap.index, b, q, len(extra), rows, exclude, self.config.moment_share)]

    def _lowered_files(self, positions: list[int], blocks: Any, matrix: np.ndarray) -> tuple[int, tuple[Path, ...]]:
        """(how many takes the words lowered out of view, the paths of the first LISTED_FILES of them) from their
        block positions (app.moments.lowered_out_of), for ResultPage.lowered_takes_note; a copy of a take counted
        is not counted or named again (trial 57: thunder2.ogg in two folders took two of the three names)."""
        from app.named_sounds import LISTED_FILES
        from app.same_audio import same_audio_ranks

        if len(positions) > 1:
            seconds = [None if math.isnan(d := float(blocks.duration[p])) else d for p in positions]
            copy_of = same_audio_ranks(matrix[[int(blocks.first[p]) for p in positions]], seconds,
                                       list(range(len(positions))))
            positions = [p for p, c in zip(positions, copy_of, strict=True) if c is None]
        first = [int(blocks.ids[p]) for p in positions[:LISTED_FILES]]
        records = self.db.records(first) if first else {}
        return len(positions), tuple(records[i].path for i in first if i in records)

    def _block_roles(self, marks: Any, text: str, snap: Any, earlier: Any, query: Path | None,
                     query_range: tuple[float, float] | None, terms: Any) -> tuple[set[int], set[int], set[int]]:
        """_plain_blocks (none without moment terms), then the cut files about the query clip's length, matched whole
        as its possible versions (app.rerank_reads.version_positions; none for words alone)."""
        plain, floored = self._plain_blocks(marks, text, snap, earlier, query) if terms is not None else (set(), set())
        whole = set() if query is None else version_positions(snap.blocks, query_length(query, query_range),
                                                                self.config.versions_whole)
        return plain, floored, whole - plain

    def _version_terms(self, ref: VectorRef, query: Path | None, query_range: tuple[float, float] | None,
                       terms: Any) -> Any:
        """The moment terms for one file's moments: none for a file search matches whole as a version of the query
        clip (trial 60: `--moments` on a 25 s mix's version marked it v, lowered as a take)."""
        if query is None or not ref.segments or not self.config.versions_whole:
            return terms
        return None if about_clip_length(ref.duration, query_length(query, query_range)) else terms

    def _plain_blocks(self, marks: Any, text: str, snap: Any, earlier: Any = None, query: Path | None = None
                      ) -> tuple[set[int], set[int]]:
        """(the blocks app.moments.rank_files scores by their cosine alone: the files marked "more like this", and
        with IndexConfig.moment_named_plain the long takes named for a sound the words add or raise; the blocks it
        floors at their cosine: those named takes with IndexConfig.moment_named_floor). ``earlier``: the session
        (app.rerank.EarlierSteps), whose edits still asked count with moment_named_carried; ``query``: the query
        file, whose own name's sounds count with moment_named_query (eighteenth round)."""
        named = self._named_takes(text, snap, self._also_named(text, earlier, query))
        plain = self._marked_blocks(marks, snap) | (named if self.config.moment_named_plain else set())
        return plain, named - plain if self.config.moment_named_floor else set()

    def _also_named(self, text: str, earlier: Any, query: Path | None) -> set[str]:
        """The sounds besides the words' own adds and raises that a take's name is checked against: those the session's
        earlier edits still add or raise (IndexConfig.moment_named_carried) and those the query file's name says
        (moment_named_query)."""
        from app.named_sounds import name_sounds
        from app.rerank import still_asked
        from model.edits import ADD, LOUDER
        from model.modifier_parser import parse_modifier

        also: set[str] = set()
        if self.config.moment_named_carried and earlier is not None and getattr(earlier, "texts", ()):
            carried = still_asked(parse_modifier(text).edits, earlier.texts)
            also |= {e.sound for e in carried if e.kind in (ADD, LOUDER) and e.sound}
        if self.config.moment_named_query and query is not None:
            also |= name_sounds(Path(query))
        return also

    def _named_takes(self, text: str, snap: Any, also: set[str] = frozenset()) -> set[int]:
        """Block positions of the long takes (files with windows) whose file or folder name names a sound the words
        add or raise (app.named_sounds.name_sounds), or one of ``also``, when IndexConfig.moment_named_plain or
        moment_named_floor is on (docs/MEASUREMENTS.md, sixteenth to eighteenth rounds)."""
        from app.named_sounds import sounds_added, takes_named_for

        if not (self.config.moment_named_plain or self.config.moment_named_floor) or not text.strip():
            return set()
        asked = sounds_added(text)
        asked = asked | set(also) if asked else asked  # (only when the words themselves add or raise a sound)
        return takes_named_for(self._take_names(snap), asked) if asked else set()

    def _take_names(self, snap: Any) -> list[tuple[int, set[str]]]:
        """(block position, the sounds its file or folder name says) of every long take in the snapshot, read once
        per snapshot (a search with words that add a sound asks for them)."""
        from app.named_sounds import name_sounds

        key = (snap.generation, snap.store.version)
        cached = getattr(self, "_take_names_of", None)  # (keyed by the library's state: no old snapshot kept alive)
        if cached is not None and cached[0] == key:
            return cached[1]
        takes = np.flatnonzero(snap.blocks.segments > 0)
        records = self.db.records([int(i) for i in snap.blocks.ids[takes]]) if len(takes) else {}
        names = [(int(p), name_sounds(Path(r.path))) for p in takes if (r := records.get(int(snap.blocks.ids[p])))]
        self._take_names_of = (key, names)
        return names

    def _query_embedding(self, query: Path, snap: Any, query_range: tuple[float, float] | None = None
                         ) -> tuple[np.ndarray, VectorRef | None, np.ndarray | None]:
        """A(query) raw (of the range ``query_range`` when given), the query's vector block if it is in the
        library with vectors of this model (for exclusion), and its YAMNet class maxima (None if unknown)."""
        why = query_unreadable(query)
        if why:
            return self._offline_query(query, snap, query_range, why)
        if query.is_dir():
            raise QueryFileError(f"the query {describe_path(query)} is a folder, not a sound file")
        try:
            st = check_regular_file(query)
        except AudioDecodeError as exc:
            raise QueryFileError(str(exc)) from exc
        ref = self._current_ref(query, snap)
        if query_range is None and ref is not None:
            stored = np.asarray(snap.store.matrix()[ref.row], dtype=np.float32) * np.float32(ref.norm)
            same = (ref.size, ref.mtime_ns) == (st.st_size, st.st_mtime_ns)
            if (same or cut_short(query) is not None) and np.all(np.isfinite(stored)):  # cut short since: as imported
                classes = class_block(snap.classes, ref.row, 1)  # a damaged stored vector: embedded fresh below
                return stored, ref, classes[0] if classes is not None and has_classes(classes[0]) else None
        # embedded from the file: a region, a file not in the library, or changed since. The last one is kept, since a
        # search asks again for its notes (the words changing little, a sound the query lacks) with the same query
        key = (os.fspath(query), st.st_size, st.st_mtime_ns, query_range, id(self.encoder), self.encoder.version)
        kept = getattr(self, "_last_embedded", None)
        if kept is not None and kept[0] == key:
            return kept[1], ref, kept[2]
        damage = None
        if query_range is not None:
            audio, classes = self._region_embedding(query, query_range)
        else:
            take_damage()  # a note left by an earlier read in this thread is not this file's
            try:
                audio, classes = self.encoder.embed_file_with_classes(query)
            except AudioDecodeError as exc:
                raise QueryFileError(str(exc)) from exc
            damage = take_damage()[0]  # trial 63: a FLAC cut short was searched with nothing said
        self._last_embedded = (key, audio, classes, damage)
        return audio, ref, classes

    def _offline_query(self, query: Path, snap: Any, query_range: tuple[float, float] | None, why: str
                       ) -> tuple[np.ndarray, VectorRef, np.ndarray | None]:
        """A library file not on disk now (its drive unplugged, its folder moved) or that cannot be read now (a folder
        on its way may not be searched: ``why``) searched with its stored vector: paging, the strength slider and
        marks go on; a part of it needs the file. A file a rescan found gone keeps its vectors until it is forgotten, so
        it is searched so too (trial 63: after a rescan with the drive unplugged, the query's search failed)."""
        ref = self._current_ref(query, snap, missing_too=True)
        stored = None if ref is None else np.asarray(snap.store.matrix()[ref.row], dtype=np.float32) * np.float32(
            ref.norm)
        if ref is None or query_range is not None or not np.all(np.isfinite(stored)):
            detail = " (a part of it is read from the file)" if ref is not None and query_range is not None else ""
            if os.path.islink(query):  # a link whose target is gone, or a loop of links
                detail = " (a symbolic link that leads to no file: its target is gone, or the links loop)"
            elif why != "is not on disk":  # there, but a folder on its way may not be searched
                raise QueryFileError(f"the query {describe_path(query)} {why}" + (
                    detail or ", and it is not in the library: there is no stored sound to search with"))
            raise QueryFileError(f"query file not found: {describe_path(query)}{detail}")
        classes = class_block(snap.classes, ref.row, 1)
        return stored, ref, classes[0] if classes is not None and has_classes(classes[0]) else None

    def _region_embedding(self, query: Path, query_range: tuple[float, float]) -> tuple[np.ndarray, np.ndarray]:
        start, end = (float(v) for v in query_range)
        if not (math.isfinite(start) and math.isfinite(end)) or start < 0 or end <= start:
            raise ValueError(f"query range {start:g}-{end:g} s is not a time range (start >= 0, end > start)")
        try:
            samples, sr = read_native(query, max_seconds=end - start, start_seconds=start, finite=False)
            try:
                check_selection(samples, sr, f"the selection {clock_range(start, end)} of {describe_path(query)}")
            except AudioDecodeError as exc:  # the file reads, the part does not describe a sound
                raise SelectionRefused(str(exc)) from exc
            return self.encoder.embed_audio_with_classes(samples, sr)
        except AudioDecodeError as exc:
            raise QueryFileError(str(exc)) from exc
