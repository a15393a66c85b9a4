"""Files renamed, moved or deleted on disk (part of the db layer; LibraryDB mixes it in): what the library knows of a
file (its row and vectors, the user's stars and tags, metadata, waveform peaks, per-patch evidence) follows it, and
files deleted for good can be forgotten."""

from __future__ import annotations

import os
import sqlite3
import time

from app.db_blocks import path_key
from app.errors import describe_path

_PATH_TABLES = ("file_tags", "file_meta", "peaks", "patch_evidence")  # keyed by path, beside files


class MovesMixin:
    """LibraryDB's moves (static: they run inside the import's transactions)."""

    @staticmethod
    def move_files(conn: sqlite3.Connection, moves: list[tuple[int, bytes, str]]) -> None:
        """Files found under a new path, as (file id, old path key, new path): their rows and all kept by path
        follow them (what sits under a new path already is replaced)."""
        for file_id, old_key, new_path in moves:
            new_key = path_key(new_path)
            conn.execute("UPDATE files SET path = ?, display = ?, status = 'ok', updated_at = ? WHERE id = ?",
                         (new_key, describe_path(new_path), time.time(), file_id))
            _move_keyed(conn, old_key, new_key)

    @staticmethod
    def adopt_file(conn: sqlite3.Connection, old_id: int, new_path: str) -> None:
        """A renamed file embedded again under its new name: the stars, tags and the rest kept by path move from
        the old row's path to the new one, and the old row goes (the new row holds the fresh vectors)."""
        row = conn.execute("SELECT path FROM files WHERE id = ?", (old_id,)).fetchone()
        if row is None:
            return
        _move_keyed(conn, row[0], path_key(new_path))
        conn.execute("DELETE FROM files WHERE id = ?", (old_id,))

    @staticmethod
    def mark_missing(conn: sqlite3.Connection, paths: list[str]) -> int:
        """Known files among ``paths`` found gone: status missing (kept, with stars and vectors, until forgotten);
        how many were known."""
        keys = [(path_key(p),) for p in paths]
        before = conn.total_changes
        conn.executemany("UPDATE files SET status = 'missing' WHERE path = ? AND status != 'missing'", keys)
        return conn.total_changes - before

    def files_of_stamps(self, stamps: set[tuple[int, int]]) -> list[tuple]:
        """(id, path, size, mtime_ns, status, model_version, vector_row, duration, segment_layout) of the files not
        failed whose (size, mtime_ns) is among ``stamps``: the rows a new file may be a move or a link of."""
        if not stamps:
            return []
        rows = self.conn.execute("SELECT id, path, size, mtime_ns, status, model_version, vector_row, duration, "
                                 "segment_layout FROM files WHERE status != 'failed'")
        return [row for row in rows if (row[2], row[3]) in stamps]

    @staticmethod
    def drop_links(conn: sqlite3.Connection, links: list[tuple[int, str]]) -> None:
        """Forget the rows of paths that reach a file the library holds under another path ((row id, that path)):
        their stars and tags join the file's (a favourite set through a link is kept), their evidence goes."""
        for file_id, kept in links:
            row = conn.execute("SELECT path FROM files WHERE id = ?", (file_id,)).fetchone()
            if row is None:
                continue
            conn.execute("INSERT OR IGNORE INTO file_tags (path, tag, added_at) SELECT ?, tag, added_at FROM file_tags "
                         "WHERE path = ?", (path_key(kept), row[0]))
            conn.execute("DELETE FROM file_tags WHERE path = ?", (row[0],))
            conn.execute("DELETE FROM patch_evidence WHERE path = ?", (row[0],))
            conn.execute("DELETE FROM files WHERE id = ?", (file_id,))

    @staticmethod
    def renamed_candidates(conn: sqlite3.Connection, ids: tuple[int, ...], version: str
                           ) -> list[tuple[int, int, float | None]]:
        """(id, vector row, duration) of these files while their old path is still gone and their whole-file vector
        is in this model version's store: what a renamed file's fresh vector is compared with."""
        marks = ",".join("?" * len(ids))
        rows = conn.execute(f"SELECT id, path, vector_row, duration FROM files WHERE id IN ({marks}) AND "
                            "model_version = ? AND vector_row IS NOT NULL AND status != 'failed'", (*ids, version))
        return [(i, r, d) for i, p, r, d in rows if not os.path.lexists(os.fsdecode(p))]


def forget_missing(conn: sqlite3.Connection, offline: list[bytes]) -> list[bytes]:
    """Drop the rows of files missing at the last import, but those below a library folder not on disk (path keys
    in ``offline``: an unplugged drive's files are kept); returns their paths. Their stars and tags stay, keyed by
    path: a file that comes back under its path gets them again."""
    prefixes = tuple(folder + os.sep.encode() for folder in offline)
    gone = [(i, p) for i, p in conn.execute("SELECT id, path FROM files WHERE status = 'missing'")
            if not p.startswith(prefixes)]
    conn.executemany("DELETE FROM files WHERE id = ?", [(i,) for i, _ in gone])
    conn.executemany("DELETE FROM patch_evidence WHERE path = ?", [(p,) for _, p in gone])
    return [p for _, p in gone]


def _move_keyed(conn: sqlite3.Connection, old_key: bytes, new_key: bytes) -> None:
    for table in _PATH_TABLES:
        conn.execute(f"DELETE FROM {table} WHERE path = ?", (new_key,))
        conn.execute(f"UPDATE {table} SET path = ? WHERE path = ?", (new_key, old_key))
