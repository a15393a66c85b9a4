"""LibraryRecords: the service's calls about what the library holds (its folders, counts, failures, the file list
with its metadata and tags, tagging, copying files out). A mixin of SearchService (it uses ``self.db``,
``self.data_dir``, ``self._version()``, and ``self._encoder`` with ``self._current_snapshot()`` with the model in)."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

from app.db import FileRecord, path_key
from app.errors import LibraryError, describe_path
from app.export import ExportReport, export_files
from app.import_lock import import_lock
from app.metadata import FileMeta
from app.no_results import NoResults, no_results
from app.same_audio import same_audio_ranks
from app.scope import SearchScope, text_match_score, whole_word_matches
from app.search_result import ResultPage, SearchResult
from app.sound_files import guarded as _guarded
from app.vectors import VectorStore

MISSING_REASON = ("not found at the last import (moved, renamed or deleted): rescan once it is back, or forget it "
                  "(Forget missing files, main.py remove --missing)")
OFFLINE_REASON = ("its library folder is not on disk (a drive unplugged, or the folder moved): rescan once it is back; "
                  "it is kept until then")
SUBFOLDER_DEPTH = 2  # levels below a library folder the results' scope offers
SUBFOLDER_LIMIT = 400  # at most this many subfolders offered (shallowest first)


@dataclass(frozen=True)
class LibraryCounts:
    indexed: int
    failed: int
    missing: int
    pending: int = 0  # indexed with an older model: searchable again after the next import
    offline: int = 0  # indexed files of a library folder not on disk now (an unplugged drive): not in results
    read_only: bool = False  # the library's folder cannot be written here: searchable, not changeable


class LibraryRecords:
    @_guarded
    def folders(self) -> list[Path]:
        return self.db.folders()

    @_guarded
    def add_folder(self, folder: Path) -> str:
        """Add a library folder. Library folders never nest: a folder inside one is part of it already (not added),
        and a folder holding some replaces them (their files stay: it holds them). Returns a note saying which
        ("" when plainly added)."""
        folder = Path(os.path.abspath(Path(folder).expanduser()))  # "a/../a" is "a"
        if not folder.is_dir():
            raise LibraryError(f"folder not found: {describe_path(folder)}")
        own = Path(os.path.abspath(self.db.path.parent))
        if folder.is_relative_to(own) and not folder.is_relative_to(own / "recordings"):  # takes may be added
            raise LibraryError(f"{describe_path(folder)} is Nudge's own data folder (the library's index, drag-out "
                               "files), not a folder of sounds: add the folders your sounds are in")
        existing = self.db.folders()
        holder = next((f for f in existing if folder.is_relative_to(f)), None)
        if holder is not None:
            return "" if holder == folder else (f"{describe_path(folder)} is inside the library folder "
                                                f"{describe_path(holder)}: its files are part of it")
        real = Path(os.path.realpath(folder))  # a symbolic link to a library folder (or into one) adds nothing
        linked = next((f for f in existing if real.is_relative_to(os.path.realpath(f))), None)
        if linked is not None:
            same = real == Path(os.path.realpath(linked))
            where = "is the library folder" if same else "leads inside the library folder"
            return (f"{describe_path(folder)} {where} {describe_path(linked)} under another path (a symbolic link): "
                    "its files are imported there, so it is not added")
        self.db.add_folder(folder)
        held = [f for f in existing if f.is_relative_to(folder)]
        for inner in held:
            self.db.remove_folder(inner)  # drops no file: the new folder holds them
        return (f"{describe_path(folder)} holds the library folder{'s' if len(held) > 1 else ''} "
                + ", ".join(describe_path(f) for f in held) + ": it replaces them") if held else ""

    @_guarded
    def relocate_folder(self, old: Path, new: Path) -> tuple[int, int]:
        """A library folder moved or renamed on disk (``old``, not on disk now) found at ``new``: its files follow it
        there with their vectors, stars and tags (app.db_folders.relocate_folder; trial 63: a renamed folder was
        embedded again as new files, its stars and tags left behind); an import of ``new`` then brings in what else
        it holds. Returns (files that followed, files not found there)."""
        old, new = (Path(os.path.abspath(Path(f).expanduser())) for f in (old, new))
        existing = self.db.folders()
        if old not in existing:
            raise LibraryError(f"{describe_path(old)} is not a library folder (main.py status lists them)")
        if old.is_dir():
            raise LibraryError(f"{describe_path(old)} is still on disk, so it was not moved: to import a copy of it, "
                               "add the copy as a folder of its own")
        if not new.is_dir():
            raise LibraryError(f"folder not found: {describe_path(new)}")
        nested = next((f for f in existing if f != old and f != new and (new.is_relative_to(f) or f.is_relative_to(new))
                       ), None)
        if nested is not None:
            raise LibraryError(f"{describe_path(new)} and the library folder {describe_path(nested)} lie one inside "
                               "the other: remove that folder first, or locate the moved folder elsewhere")
        with import_lock(self.data_dir):
            return self.db.relocate_folder(old, new)

    @_guarded
    def no_results(self, scoped: bool, query_excluded: bool = True, scope: SearchScope | None = None) -> NoResults:
        """Why a search found nothing (app.no_results): the counts say whether the library is empty, missing, in
        folders not on disk, or the scope (``scope``) left nothing, maybe a keyword that matches inside words."""
        return no_results(self.counts(), scoped, query_excluded, None, self.keyword_inside(scope))

    @_guarded
    def keyword_inside_more(self, scope: SearchScope) -> tuple[str, int]:
        """For a one-word keyword ("hurt"): its form matching anywhere and how many more files in the scope hold it
        only inside a word (malehurt03.ogg) than begin a word with it (trial 56: unsaid beside 7 results)."""
        if len(scope.keyword.split()) != 1:
            return "", 0
        anywhere, found, _ = self.db.inside_words(scope)
        return anywhere, max(found - len(self.db.keyword_candidates(scope)), 0) if anywhere else 0

    @_guarded
    def keyword_inside(self, scope: SearchScope | None) -> tuple[str, int, list[str]]:
        """The scope's keyword matching anywhere, and the files it finds (LibraryDB.inside_words)."""
        return self.db.inside_words(scope) if scope is not None and scope.keyword.strip() else ("", 0, [])

    @_guarded
    def library_generation(self) -> int:
        """A number every change of the library's files bumps (this process's or another's: the CLI, a second
        window): the app reads its lists again when it moves."""
        return self.db.generation()

    @_guarded
    def counts(self) -> LibraryCounts:
        """Indexed = files whose vector is really in the store file (a truncated file counts its rest as pending)."""
        present = {}
        for version in self.db.store_versions():
            row = self.db.vector_store(version)
            if row is not None:
                present[version] = VectorStore(self.data_dir, version, row[1], row[0], row[2]).file_rows()
        c = self.db.counts(self._version(), present)
        offline = sum(row[3] == "ok" for folder in self.db.offline_folders()
                      for row in self.db.files_under(folder).values())
        return LibraryCounts(c["ok"], c["failed"], c["missing"], c["pending"], offline, self.db.read_only)

    @_guarded
    def failures(self, missing: bool = False) -> list[FileRecord]:
        """Files the import could not use, with their error, and imported files it noted something about (status
        "imported": a WAV cut short); ``missing``: then the files not found at the last import (moved, renamed or
        deleted; or in a library folder that is not on disk), their error saying so."""
        found = self.db.list_files(status="failed") + [replace(r, status="imported") for r in self.db.noted_files()]
        if missing:
            offline = self.db.offline_folders()
            found += [replace(r, error=OFFLINE_REASON if any(r.path.is_relative_to(f) for f in offline) else
                              MISSING_REASON) for r in self.db.list_files(status="missing")]
        return found

    @_guarded
    def list_files(self, keyword: str = "", limit: int | None = None, tag: str | None = None) -> list[FileRecord]:
        """Files whose path, metadata or tags hold every keyword (and that carry ``tag``), with their
        metadata (``record.meta``) and tags (``record.tags``)."""
        return self._with_meta(self.db.list_files(keyword, limit, tag=tag))

    @_guarded
    def tag_files(self, paths: list[Path], tag: str, add: bool = True) -> None:
        """Add (or remove) a tag on files; "favourite" is the star. Tags are matched by the keyword filter."""
        tag = " ".join(tag.split())
        if not tag:
            raise LibraryError("a tag needs at least one character")
        self.db.tag_files([Path(p) for p in paths], tag, add)

    @_guarded
    def subfolders(self, depth: int = SUBFOLDER_DEPTH, limit: int = SUBFOLDER_LIMIT) -> list[Path]:
        """The folders inside the library folders that hold indexed files, up to ``depth`` levels down (at most
        ``limit``, shallowest first, then by path): what the results can be scoped to besides the library folders (a
        trial: a library organised as ambiences/, animals/, vehicles/ under one root could not be chosen)."""
        roots = self.folders()
        found: set[Path] = set()
        for holder in self.db.indexed_folders():  # each folder once (100k files: ~50 ms)
            parent = Path(holder)
            root = next((r for r in roots if parent != r and parent.is_relative_to(r)), None)
            while root is not None and parent != root:
                if len(parent.relative_to(root).parts) <= depth:
                    found.add(parent)
                parent = parent.parent
        return sorted(found, key=lambda f: (len(f.parts), str(f)))[:limit]

    @_guarded
    def files_under(self, folder: Path) -> int:
        """How many files (indexed, failed or missing) the library holds below a folder."""
        return len(self.db.files_under(Path(folder).expanduser().absolute()))

    @_guarded
    def all_tags(self) -> list[str]:
        return self.db.all_tags()

    def export_files(self, paths: list[Path], dest: Path, progress=None, cancel=None) -> ExportReport:
        """Copy files into a project folder (names kept, clashes numbered); see app.export."""
        return export_files([Path(p) for p in paths], Path(dest), progress, cancel)

    @_guarded
    def keyword_search(self, scope: SearchScope, top_k: int = 20, offset: int = 0) -> ResultPage:
        """No query sound: indexed files in the scope holding any of the keyword's words, ranked by how well
        they match (scope.text_match_score over file name, metadata, folder; ties: the name's whole words as typed
        first, scope.whole_word_matches, then by path). No model needed."""
        words = scope.keyword.split()
        scored = []
        for fid, display, metadata in self.db.keyword_candidates(scope):
            path = Path(display)
            scored.append((-text_match_score(words, path.name, metadata, str(path.parent)),
                           -whole_word_matches(words, path.stem), display, fid))
        scored.sort()
        page = scored[max(offset, 0): max(offset, 0) + max(top_k, 0)]
        records = {r.id: r for r in self._with_meta(list(self.db.records([fid for *_, fid in page]).values()))}
        results = [SearchResult(records[fid].path, -neg, max(offset, 0) + i + 1, records[fid])
                   for i, (neg, _, _, fid) in enumerate(page) if fid in records]
        return ResultPage(self._flag_copies(results))

    def _flag_copies(self, results: list[SearchResult]) -> list[SearchResult]:
        """Keyword results that are the same audio as a better-ranked one, read from their stored whole-file
        vectors when the model is in (a keyword search never loads it)."""
        if not results or self._encoder is None:
            return results
        snap = self._current_snapshot()
        first_row = dict(zip(snap.blocks.ids.tolist(), snap.blocks.first.tolist(), strict=True))
        known = [r for r in results if r.record.id in first_row]
        vectors = snap.store.matrix()[[first_row[r.record.id] for r in known]]
        copies = dict(zip((r.record.id for r in known), same_audio_ranks(
            vectors, [r.record.duration for r in known], [r.rank for r in known]), strict=True))
        return [replace(r, same_as=copies.get(r.record.id)) for r in results]

    @_guarded
    def file_info(self, path: Path) -> FileRecord | None:
        return self.files_info([path]).get(Path(path))

    @_guarded
    def files_info(self, paths: list[Path]) -> dict[Path, FileRecord]:
        """The library records (with metadata and tags) of these files, by the path asked for; files not in the
        library are left out. One read for all (the shown results after a star or a tag)."""
        found = self.db.records_at(paths)
        records = dict(zip(found, self._with_meta(list(found.values())), strict=True))
        return {Path(p): records[key] for p in paths if (key := path_key(p)) in records}

    def _with_meta(self, records: list[FileRecord]) -> list[FileRecord]:
        paths = [r.path for r in records]
        found, tags = self.db.metadata(paths), self.db.tags(paths)
        return [replace(r, meta=FileMeta.from_row(found[r.path]) if r.path in found else None,
                        tags=tags.get(r.path, ())) for r in records]
