"""File metadata and the user's tags (part of the db layer; LibraryDB mixes it in).

``file_meta`` holds what app.metadata read from a file (format, bit depth, tags, BWF/iXML text, UCS
fields) with its lower-case ``search_text``, keyed by path and valid for the size and mtime it was read
at; ``file_tags`` holds the user's tags of files, "favourite" for the star.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from app.db_blocks import path_key

FAVOURITE = "favourite"  # the tag behind the star
META_FIELDS = ("format", "subtype", "bit_depth", "title", "artist", "comment", "description", "notes",
               "ucs_catid", "ucs_category", "fx_name")


class MetadataTagsMixin:
    """LibraryDB's tags and file metadata (``self.conn``, ``self.transaction``)."""

    # what an import noted about an imported file ----------------------------------------------
    def noted_files(self) -> list:
        """Imported files the import had a note on (a WAV cut short), the note in ``error`` (FileRecords)."""
        ids = [r[0] for r in self.conn.execute("SELECT id FROM files WHERE status = 'ok' AND error IS NOT NULL")]
        return sorted(self.records(ids).values(), key=lambda r: r.display)

    @staticmethod
    def set_note(conn, path: str, note: str) -> None:
        """Keep what the import noted about an imported file (its error column; a re-import clears it)."""
        conn.execute("UPDATE files SET error = ? WHERE path = ? AND status = 'ok'", (note, path_key(path)))

    # tags ------------------------------------------------------------------------------------
    def tag_files(self, paths: list[Path], tag: str, add: bool = True) -> None:
        with self.transaction() as conn:
            if add:
                conn.executemany("INSERT OR IGNORE INTO file_tags VALUES (?, ?, ?)",
                                 [(path_key(p), tag, time.time()) for p in paths])
            else:
                conn.executemany("DELETE FROM file_tags WHERE path = ? AND tag = ?",
                                 [(path_key(p), tag) for p in paths])

    def tags(self, paths: list[Path]) -> dict[Path, tuple[str, ...]]:
        out: dict[Path, list[str]] = {}
        keys = [path_key(p) for p in paths]
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for key, tag in self.conn.execute(
                    f"SELECT path, tag FROM file_tags WHERE path IN ({marks}) ORDER BY tag", chunk):
                out.setdefault(Path(os.fsdecode(key)), []).append(tag)
        return {p: tuple(t) for p, t in out.items()}

    def all_tags(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT DISTINCT tag FROM file_tags ORDER BY tag")]

    # metadata --------------------------------------------------------------------------------
    @staticmethod
    def put_metadata(conn, path: str | os.PathLike | bytes, size: int, mtime_ns: int,
                     meta: dict, search_text: str) -> None:
        """Store a file's metadata (``META_FIELDS``) as read at this size and mtime."""
        cols = ", ".join(META_FIELDS)
        marks = ", ".join("?" * len(META_FIELDS))
        conn.execute(
            f"INSERT OR REPLACE INTO file_meta (path, size, mtime_ns, {cols}, search_text) "
            f"VALUES (?, ?, ?, {marks}, ?)",
            [path_key(path), size, mtime_ns, *(meta.get(k) for k in META_FIELDS), search_text],
        )

    def metadata(self, paths: list[Path]) -> dict[Path, dict]:
        """Current metadata (``META_FIELDS``) of these files: rows read at another size/mtime are left out."""
        out: dict[Path, dict] = {}
        keys = [path_key(p) for p in paths]
        cols = ", ".join(f"m.{c}" for c in META_FIELDS)
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self.conn.execute(
                f"SELECT f.path, {cols} FROM files f JOIN file_meta m ON m.path = f.path "
                f"AND m.size = f.size AND m.mtime_ns = f.mtime_ns WHERE f.path IN ({marks})", chunk)
            for row in rows:
                out[Path(os.fsdecode(row[0]))] = dict(zip(META_FIELDS, row[1:], strict=True))
        return out

    def files_without_metadata(self, limit: int = 1000) -> list[tuple[Path, int, int]]:
        """(path, size, mtime_ns) of indexed or failed files whose metadata is missing or stale."""
        rows = self.conn.execute(
            "SELECT f.path, f.size, f.mtime_ns FROM files f LEFT JOIN file_meta m ON m.path = f.path "
            "WHERE f.status != 'missing' AND (m.path IS NULL OR m.size != f.size OR m.mtime_ns != f.mtime_ns) "
            f"LIMIT {int(limit)}").fetchall()
        return [(Path(os.fsdecode(r[0])), r[1], r[2]) for r in rows]
