"""SearchService: the one object the GUI (and the CLI) talks to. Plain Python, no Qt.

Long calls (load_model, import_folders, the first search of a large library) are synchronous;
the GUI runs them in its worker threads. Searches may run while an import writes.
The model is one object (model.encoder.NudgeEncoder: YAMNet, the text backbone and the heads, all
without torch) loaded in one call of about a second (load_model); searches and imports load it first
when it is not in yet. install_vectors indexes precomputed vectors (the demo) without it.
"""

from __future__ import annotations

import math
import os
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from app.added_beyond import unknown_first
from app.ann import VectorIndex
from app.config import IndexConfig, default_data_dir
from app.db import FileRecord, LibraryDB
from app.db_blocks import Blocks, VectorRef, path_key
from app.db_metadata import FAVOURITE  # re-exported (__all__): the UI imports only app.service
from app.db_moves import forget_missing
from app.demo import DemoStatus
from app.errors import LibraryError
from app.export import ExportReport
from app.feedback import FeedbackMark, marked_vectors
from app.import_lock import import_lock, import_running
from app.indexer import EVIDENCE_STAGE, Importer, ImportProgress, ImportReport
from app.library_records import LibraryCounts, LibraryRecords
from app.metadata import FileMeta
from app.moment_rows import block_range_rows, match_or
from app.moment_terms import MomentTerms, moment_terms
from app.moments import FileHit, file_moments, lowered_out_of, rank_files
from app.named_sounds import NamedSoundNote, asked_sounds
from app.playback import PlaybackStream
from app.rerank import AlignedSearch, EarlierSteps, RerankState
from app.same_audio import CHECKED_RESULTS, QUERY_RANK, fold_copies, originals_first, same_audio_ranks, version_ranks
from app.scope import SearchScope
from app.search_result import HeardMoves, ResultPage, SearchResult, disk_state
from app.service_gallery import LibraryViews, heard_nowhere_note, little_change_note  # noqa: F401 - UI's notes
from app.service_model import ModelAccess, reading_lead  # noqa: F401 - the UI reads the reading's wording from here
from app.service_query import VERSION_QUERY_SECONDS, QuerySound
from app.sound_files import AudioDetails, SoundFiles
from app.sound_files import guarded as _guarded
from app.timefmt import clock, clock_range, tick_clock  # re-exported (__all__): the UI's clock
from app.vectors import VectorStore, class_matrix, compact, hnsw_path, open_store, unused_share
from model.feedback import rocchio
from model.own_sound import own_sound_text

__all__ = [
    "EVIDENCE_STAGE", "FAVOURITE", "AudioDetails", "DemoStatus", "EarlierSteps", "ExportReport", "FeedbackMark",
    "FileMeta", "FileRecord", "ImportProgress", "ImportReport", "LibraryCounts", "NamedSoundNote", "PlaybackStream",
    "QUERY_RANK", "SearchResult", "SearchScope", "SearchService", "VERSION_QUERY_SECONDS", "clock", "clock_range",
    "fold_copies", "tick_clock",
]


SPARE_HITS = 64  # hits ranked beyond the page asked for: they take the places of files deleted since the import


@dataclass
class _Snapshot:
    generation: int
    store: VectorStore
    index: VectorIndex
    blocks: Blocks  # the searchable files' vector blocks (whole-file row, then windows)
    classes: np.ndarray | None = None  # the store's class rows (app.vectors.class_matrix), None if it has none


class SearchService(QuerySound, ModelAccess, SoundFiles, LibraryRecords, LibraryViews, AlignedSearch):
    """Library index + model + search, for one data directory."""

    def __init__(self, data_dir: Path | None = None, heads_path=None, encoder=None, config: IndexConfig | None = None,
                 demo_index: Path | None = None, rerank_weights: Path | None = None):
        self.data_dir = Path(data_dir) if data_dir is not None else default_data_dir()
        self.heads_path = heads_path
        self.config = config or IndexConfig()
        self.db = LibraryDB(self.data_dir)
        self.demo_index = demo_index  # precomputed demo vectors; None = the bundled assets/demo_index.npz
        self._encoder = encoder
        self._config: dict | None = None  # the heads file's config (header, read lazily, once)
        self._snapshot: _Snapshot | None = None
        self._lock = threading.RLock()
        self._load_lock = threading.Lock()
        self._rerank = RerankState(rerank_weights)  # the moment-by-moment reranker (app.rerank), its evidence cache

    # folders and import ----------------------------------------------------------------------
    @_guarded
    def remove_folder(self, folder: Path) -> int:
        """Forget a folder and drop its files from the index; returns the number of files dropped."""
        with import_lock(self.data_dir):
            dropped = self.db.remove_folder(Path(folder).expanduser().absolute())
            if self._encoder is not None:
                store = open_store(self.db, self.data_dir, self._encoder.version, self._encoder.embed_dim, False)
                if store is not None and unused_share(self.db, store) > self.config.compact_above:
                    compact(self.db, store)
        return dropped

    @_guarded
    def forget_missing(self) -> int:
        """Drop the files not found at the last import from the index (deleted for good), but those of a library
        folder not on disk (an unplugged drive). Stars and tags stay for a file that comes back."""
        with import_lock(self.data_dir), self.db.transaction() as conn:
            gone = forget_missing(conn, [path_key(f) for f in self.db.offline_folders()])
            self.db.bump_generation(conn)
        return len(gone)

    @_guarded
    def import_unfinished(self) -> bool:
        """The last import stopped before its end (cancelled, the app closed or killed): files may be left out; not
        while an import runs (another process's, or a window's: it has not stopped)."""
        return self.db.import_unfinished() and not import_running(self.data_dir)

    def import_running(self) -> bool:
        """An import (another process's or this one's) is updating the library now."""
        return import_running(self.data_dir)

    @_guarded
    def import_folders(
        self,
        folders: list[Path] | None = None,
        progress: Callable[[ImportProgress], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> ImportReport:
        """Import new/changed files of the given folders (added to the library) or of all library folders;
        loads the model first if it is not in yet."""
        notes = []
        if folders is None:
            targets = self.db.folders()
        else:
            notes = [note for folder in folders if (note := self.add_folder(folder))]
            targets = [Path(os.path.abspath(Path(f).expanduser())) for f in folders]
        self.load_model()  # at once if loaded; waits for a load under way
        self.db.set_import_unfinished(True)  # until it ends: an import stopped midway is resumed (import_unfinished)
        report = Importer(self.db, self.data_dir, self.encoder, self.config).run(targets, progress, cancel)
        if not report.cancelled:
            self.db.set_import_unfinished(False)
        report.warnings[:0] = notes
        self._current_snapshot().index.prepare(save=True)  # first search after an import is fast
        return report

    def install_vectors(self, folder: Path, vectors: Mapping[Path, np.ndarray], model_version: str,
                        classes: Mapping[Path, np.ndarray] | None = None) -> ImportReport:
        """Index a folder's files from A(audio) vectors made at release time (the bundled demo), without
        loading the model, with their YAMNet class maxima when given ((1, 521) uint8 each). The caller vouches that
        each vector is of its file's current content; files without a vector are left for the next import.
        LibraryError if the vectors come from another model version than the active one (import the folder
        instead) or do not fit."""
        if model_version != self.model_version():
            raise LibraryError("the vectors were made with other model heads; import the folder instead")
        self.add_folder(folder)
        folder = Path(folder).expanduser().absolute()
        return Importer(self.db, self.data_dir, None, self.config).install(folder, vectors, model_version, classes)

    # library state ---------------------------------------------------------------------------
    def _version(self) -> str | None:
        """The active model version (None if the heads file is unusable: load_model says why)."""
        try:
            return self.model_version()
        except Exception:  # noqa: BLE001 - counts still work; load_model reports the real problem
            return None

    # search ----------------------------------------------------------------------------------
    def _current_snapshot(self) -> _Snapshot:
        """Vectors and index matching the database now; rebuilt after any write."""
        encoder = self.encoder
        version, dim = encoder.version, encoder.embed_dim
        with self._lock:
            generation = self.db.generation()
            snap = self._snapshot
            if snap is not None and snap.generation == generation and snap.store.version == version:
                return snap
            store = open_store(self.db, self.data_dir, version, dim)
            if store is None:  # read-only library without vectors of this model
                store = VectorStore(self.data_dir, version, "", dim, 0)
            blocks = self.db.searchable_blocks(version)
            blocks = blocks.keep(blocks.end <= store.rows)  # a read-only library's short file
            same_store = snap is not None and snap.store.filename == store.filename
            index = VectorIndex(
                store.matrix(), blocks.rows(), self.config, hnsw_path(store),
                previous=snap.index if same_store else None,
            )
            classes = class_matrix(store) if store.filename else None
            self._snapshot = _Snapshot(generation, store, index, blocks, classes)
            return self._snapshot

    @_guarded
    def search(
        self,
        query: Path | None,
        text: str = "",
        strength: float = 1.0,
        top_k: int = 20,
        keyword: str = "",
        exclude_query: bool = True,
        scope: SearchScope | None = None,
        offset: int = 0,
        more_like: Sequence[Path | FeedbackMark] = (),
        less_like: Sequence[Path | FeedbackMark] = (),
        query_range: tuple[float, float] | None = None,
        earlier: EarlierSteps | None = None,
    ) -> ResultPage:
        """Rank library files by cosine to A(query) + strength * T(text), best first; results ``offset + 1`` to
        ``offset + top_k`` (pages); loads the model first if it is not in yet (or waits for a load under way).
        ``scope`` (and ``keyword``, merged into it) limits which files can be returned. Without a query sound, files
        are ranked by how well they sound like the words on their own (``NudgeEncoder.words_query``), or by keyword
        match when there are no words either (``keyword_search``, no model).
        ``more_like`` / ``less_like``: results marked by the user (library files, or FeedbackMarks: a file or a moment
        of it); the query moves toward / away from their vectors, a moment's windows pooled (app.feedback).
        ``query_range``: (start, end) seconds of the query file to use as the query sound (a selection of a long take)
        instead of the whole file. With a query file and words read as edits, the first K results are reordered moment
        by moment (app.rerank); ``earlier``: the refine session before this step (a promoted result's), whose edits
        that still hold count there too."""
        scope = scope or SearchScope()
        scope = scope.with_words(keyword)
        if query is None and not text.strip():
            return self.keyword_search(scope, top_k, offset)
        if query is None:  # words alone: the sound they name on its own (model.words_alone), a caption's scene too
            text = self.words_alone_text(text)
            unknown = self.unknown_only(text)
            if unknown is not None:  # naming only sounds Nudge does not know: what YAMNet hears in the files, if any
                return self._heard_alone(unknown, scope, top_k, offset, text)
            q, snap, query_ref, terms, audio, classes = self._words_query(text, more_like, less_like)
        else:
            q, snap, query_ref, terms, audio, text, classes = self._query(Path(query), text, strength, query_range,
                                                                          more_like, less_like)
        if top_k <= 0:
            return ResultPage()
        subset = None
        if scope.active:
            blocks = self.db.searchable_blocks(snap.store.version, scope=scope)
            subset = blocks.keep(blocks.end <= snap.store.rows).rows()
        first = max(offset, 0)
        words = text if strength > 0 else ""  # at strength 0 the words count for nothing: no reordering by them
        plan = self._rerank_plan(query, words, query_range, earlier,  # None: cosine order alone (app.rerank)
                                 marked=bool(more_like or less_like), strength=strength)
        exclude, start = self._left_out_rows(snap, query_ref, exclude_query, query_range,
                                             self._marked_refs(less_like, snap), more_like, plan)
        wanted = first + top_k if plan is None else max(first + top_k, plan.reranker.k)
        named = asked_sounds(text) if query is None and snap.classes is not None else []  # words alone
        wanted += SPARE_HITS  # a page stays full when files deleted since the import are left out
        plain, floored, whole = self._block_roles(more_like, text, snap, earlier, query, query_range, terms)
        hits = rank_files(snap.index, snap.blocks, q, max(wanted, self.config.words_alone_pool) if named else wanted,
                          subset, exclude, self.config.moment_share, terms, snap.classes, plain, floored, whole)
        if named:  # the files YAMNet hears the sound in most, or named for it, are candidates whatever their rank
            hits = self._words_alone_order(hits, named, snap, q, subset, exclude)
        lowered = getattr(hits, "lowered", {})  # takes the moment terms lowered (app.moments.RankedHits)
        hits, reranked, moved = self._reranked_hits(plan, hits, snap, audio, classes, q, subset, exclude) if plan \
            else (hits, 0, None)
        if query is not None and words and self.config.added_unknown_named:  # "add a hawk": Hawk.ogg first
            hits, moved = unknown_first(self.db, snap, q, words, hits, subset, exclude, strength, self.config, moved)
        hits = originals_first(self._without_start_copies(hits, snap, start, plan), snap.blocks.first,  # the query,
                               snap.store.matrix(),  # or the first imported, leads
                               None if exclude_query or query_ref is None else query_ref.id, first + top_k + 50)
        whole = None if audio is None or query_range is not None else (  # a copy of the query sound is said so
            audio, query_ref.duration if query_ref is not None else None)
        page = self._results(hits, first, top_k, q, snap, reranked, whole,
                             None if query is None else Path(query).absolute(), lowered, moved)
        page.start_out = plan.session.first if start is not None else None
        return page

    def _words_query(self, text: str, more_like=(), less_like=()
                     ) -> tuple[np.ndarray, _Snapshot, None, None, None, None]:
        """_query for words with no query sound: no query file, no moment terms, no query class maxima. The
        strength is not used: it weighs words against a query sound (trial 54: with none, a lower strength moved the
        list and raised its scores, and a designer could not tell what it meant)."""
        self.load_model()
        snap = self._current_snapshot()
        q = self.encoder.words_query(text)
        if more_like or less_like:
            q = rocchio(q, self._marked_vectors(more_like, snap), self._marked_vectors(less_like, snap))
        return q, snap, None, None, None, None

    def _query(self, query: Path, text: str, strength: float, query_range, more_like=(), less_like=()
               ) -> tuple[np.ndarray, _Snapshot, VectorRef | None, MomentTerms | None, np.ndarray, str,
                          np.ndarray | None]:
        """The unit composed query, the snapshot it searches, the query file's vector block (if indexed), what
        the query adds to takes' windows (app.moment_terms), A(query sound) raw, the words as read (model.own_sound),
        and the query's YAMNet class maxima (None if unknown)."""
        if not math.isfinite(strength):
            raise ValueError("strength must be a finite number")
        self.load_model()  # at once if loaded; waits for a load under way
        snap = self._current_snapshot()
        audio, query_ref, classes = self._query_embedding(query, snap, query_range)
        text = own_sound_text(text, classes)
        q = self.encoder.query_vector(audio, text, strength)
        if more_like or less_like:
            q = rocchio(q, self._marked_vectors(more_like, snap), self._marked_vectors(less_like, snap))
        return q, snap, query_ref, moment_terms(self.encoder, text, audio, classes, strength,
                                                self.config.moment_weights()), audio, text, classes

    def _results(self, hits: list[FileHit], first: int, top_k: int, q: np.ndarray, snap: _Snapshot,
                 reranked: int = 0, query: tuple[np.ndarray, float | None] | None = None,
                 query_path: Path | None = None, lowered: dict[int, float] | None = None,
                 moved: HeardMoves | None = None) -> ResultPage:
        """Results first + 1 to first + top_k of the hits that can be shown (a file deleted since the import, removed
        by a concurrent write or with a damaged stored vector is left out, and the next hit takes its place, so a
        page stays full and pages never overlap); the first ``reranked`` hits were placed by app.rerank. ``query``:
        A(query sound) raw and its seconds (if known), to say which results are the same audio as it or as a
        better-ranked result (of this page or the ones before). ``lowered``: RankedHits.lowered, said if unseen beside
        the results not moved up for holding a sound the words add (``moved``: app.heard_edits)."""
        records = self.db.records([h.file_id for h in hits])
        shown: list[tuple[int, FileHit]] = []
        left_out, offline, changed = 0, 0, set()
        for i, hit in enumerate(hits):
            record = records.get(hit.file_id)
            state = disk_state(record) if self.config.leave_out_deleted and record is not None else ""
            left_out, offline = left_out + (state == "gone"), offline + (state == "offline")
            if record is not None and math.isfinite(hit.score) and state not in ("gone", "offline"):
                if state == "changed":
                    changed.add(hit.file_id)
                shown.append((i, hit))
                if len(shown) == first + top_k:
                    break
        page = shown[first:]
        with_meta = {r.id: r for r in self._with_meta([records[h.file_id] for _, h in page])}
        results, b = [], snap.blocks
        up_ids, down_ids = (moved.up_ids, moved.down_ids) if moved else (frozenset(), frozenset())
        for i, hit in page:
            rows = block_range_rows(int(b.first[hit.block]), int(b.segments[hit.block]), float(b.tail_start[hit.block]),
                                    float(b.duration[hit.block]), hit.start, hit.end)
            match = match_or(snap.store.matrix(), rows, q, hit.score)
            results.append(SearchResult(with_meta[hit.file_id].path, float(hit.score), first + len(results) + 1,
                                        with_meta[hit.file_id], hit.start, hit.end, hit.moments, match, i < reranked,
                                        changed=hit.file_id in changed, moved_up=hit.file_id in up_ids,
                                        moved_down=hit.file_id in down_ids))
        compared = shown[:min(first, CHECKED_RESULTS)] + page  # the pages before: their copies are named too
        rows = [int(b.first[h.block]) for _, h in compared]
        seconds = [None if math.isnan(d := float(b.duration[h.block])) else d for _, h in compared]
        before = len(compared) - len(page)
        vectors, ranks = snap.store.matrix()[rows], list(range(1, before + 1)) + [r.rank for r in results]
        copies = same_audio_ranks(vectors, seconds, ranks, query, limit=before + CHECKED_RESULTS)
        copies, versions = version_ranks(  # the same name in another format or rate (app.same_audio)
            vectors, seconds, ranks, [records[h.file_id].path.name for _, h in compared], copies,
            None if query is None or query_path is None else (*query, query_path.name), limit=before + CHECKED_RESULTS)
        out = ResultPage(replace(r, same_as=c, same_version=v) if c is not None and not (
            c == QUERY_RANK and r.path == query_path) else r
            for r, c, v in zip(results, copies[before:], versions[before:], strict=True))
        out.left_out, out.offline, (out.lowered_out, out.lowered_files) = left_out, offline, self._lowered_files(
            lowered_out_of(out, lowered or {}, b.ids, up_ids, {h.file_id for _, h in shown[:first]}), b,
            snap.store.matrix())  # (files on the pages before this one are in view there)
        out.heard_moves = moved or out.heard_moves
        return out

    @_guarded
    def file_moments(self, path: Path, query: Path | None, text: str = "", strength: float = 1.0,
                     query_range: tuple[float, float] | None = None, top_k: int = 10,
                     more_like: Sequence[Path | FeedbackMark] = (), less_like: Sequence[Path | FeedbackMark] = ()
                     ) -> ResultPage:
        """The moments of one library file for this query (with the search's marks), best first ("more moments in
        this file"): SearchResults with their ranges (``end`` None: a file too short for windows), ``moments`` = how
        many match about as well as the best; windows over ``query_range`` of the same file, or over a moment of it
        marked less like this (trial 54), left out. ``query`` None: the words' sound alone ("the thunder in it")."""
        if query is None:
            text = self.words_alone_text(text)
            if self.unknown_only(text) is not None:  # no sound Nudge knows: nothing to rank the moments by
                return ResultPage()
            q, snap, query_ref, terms, *_ = self._words_query(text, more_like, less_like)
        else:
            q, snap, query_ref, terms, *_ = self._query(Path(query), text, strength, query_range, more_like,
                                                        less_like)
        ref = self._current_ref(path, snap)
        record = self.db.record(path)
        if ref is None or record is None or top_k <= 0:
            return ResultPage()
        left_out = [query_range] if query_range and query_ref is not None and query_ref.id == ref.id else []
        left_out += [(m.start, m.end) for m in map(FeedbackMark.of, less_like) if m.path == Path(path) and m.end]
        found, close = file_moments(snap.store.matrix(), ref, q, self.config.moment_share, top_k, left_out,
                                    self._version_terms(ref, query, query_range, terms), snap.classes)
        record = self._with_meta([record])[0]
        matrix = snap.store.matrix()
        matches = [match_or(matrix, block_range_rows(int(ref.row or 0), ref.segments, ref.tail_start, ref.duration,
                                                     m.start, m.end), q, m.score) for m in found]
        return ResultPage(SearchResult(record.path, m.score, i + 1, record, m.start, m.end, close, match)  # as search
                          for i, (m, match) in enumerate(zip(found, matches, strict=True)))  # counts them

    def _marked_vectors(self, marks: Sequence[Path | FeedbackMark], snap: _Snapshot) -> np.ndarray:
        """Unit vectors of marked results: a file's whole-file vector, a moment's windows pooled (app.feedback);
        files not indexed with this model are skipped."""
        return marked_vectors(snap.store.matrix(), self._marked_refs(marks, snap))

    def _marked_refs(self, marks: Sequence[Path | FeedbackMark], snap: _Snapshot
                     ) -> list[tuple[VectorRef, FeedbackMark]]:
        """The marks of files indexed with this model, with their vector blocks."""
        return [(ref, mark) for mark in map(FeedbackMark.of, marks)
                if (ref := self._current_ref(mark.path, snap)) is not None]

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> SearchService:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
