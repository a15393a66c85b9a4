"""Library folders and the import's state (part of the db layer; LibraryDB mixes it in): the folders the library
imports from, which of them are on disk now, and whether the last import ended."""

from __future__ import annotations

import os
import time
from pathlib import Path

from app.db_blocks import path_key
from app.db_scope import prefix_range


class FoldersMixin:
    """LibraryDB's folders (uses its connection, transaction, forget_evidence, bump_generation and move_files)."""

    def import_unfinished(self) -> bool:
        """An import started and did not finish (cancelled, the app closed, the process killed)."""
        row = self.conn.execute("SELECT value FROM meta WHERE key = 'import_unfinished'").fetchone()
        return row is not None and row[0] == "1"

    def set_import_unfinished(self, unfinished: bool) -> None:
        with self.transaction() as conn:
            conn.execute("INSERT INTO meta VALUES ('import_unfinished', ?) "
                         "ON CONFLICT(key) DO UPDATE SET value = excluded.value", ("1" if unfinished else "0",))

    def folders(self) -> list[Path]:
        rows = self.conn.execute("SELECT path FROM folders ORDER BY path").fetchall()
        return [Path(os.fsdecode(r[0])) for r in rows]

    def offline_folders(self) -> list[Path]:
        """Library folders not on disk now (an unplugged drive, a renamed share): their files are kept, never
        taken as gone, moved or forgettable."""
        return [f for f in self.folders() if not f.is_dir()]

    def add_folder(self, folder: Path) -> None:
        with self.transaction() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO folders (path, added_at) VALUES (?, ?)", (path_key(folder), time.time())
            )

    def remove_folder(self, folder: Path) -> int:
        """Forget a folder and its files (unless another folder contains them); returns files dropped."""
        key = path_key(folder)
        with self.transaction() as conn:
            conn.execute("DELETE FROM folders WHERE path = ?", (key,))
            others = [r[0] for r in conn.execute("SELECT path FROM folders")]
            low, high = prefix_range(key)
            rows = conn.execute("SELECT id, path FROM files WHERE path >= ? AND path < ?", (low, high)).fetchall()
            doomed = [(fid,) for fid, p in rows if not any(p.startswith(prefix_range(o)[0]) for o in others)]
            conn.executemany("DELETE FROM files WHERE id = ?", doomed)
            gone = {fid for (fid,) in doomed}
            self.forget_evidence(conn, [p for fid, p in rows if fid in gone])
            self.bump_generation(conn)
        return len(doomed)

    def relocate_folder(self, old: Path, new: Path) -> tuple[int, int]:
        """A library folder moved or renamed on disk: each file known under ``old`` whose counterpart under ``new``
        (the same path inside the folder, the same size and modification time) exists follows it, with its vectors,
        stars, tags and the rest kept by path (app.db_moves); a row an import already made for that new path gives
        way. ``new`` becomes a library folder, and ``old`` is forgotten once no file is left under it. Returns
        (files that followed, files left under ``old``: not found under ``new``)."""
        low, high = prefix_range(path_key(old))
        with self.transaction() as conn:
            rows = conn.execute("SELECT id, path, size, mtime_ns, status FROM files WHERE path >= ? AND path < ?",
                                (low, high)).fetchall()
            moves, retried = [], []
            for file_id, key, size, mtime_ns, status in rows:
                target = new / os.path.relpath(os.fsdecode(key), old)
                try:
                    st = os.stat(target)
                except OSError:
                    continue
                if status == "failed":  # no vectors to keep: the import of ``new`` tries it again
                    retried.append((file_id,))
                elif (st.st_size, st.st_mtime_ns) == (size, mtime_ns):
                    moves.append((file_id, key, str(target)))
            conn.executemany("DELETE FROM files WHERE id = ?", retried)
            conn.executemany("DELETE FROM files WHERE path = ? AND id != ?",
                             [(path_key(target), file_id) for file_id, _, target in moves])
            self.move_files(conn, moves)
            conn.execute("INSERT OR IGNORE INTO folders (path, added_at) VALUES (?, ?)", (path_key(new), time.time()))
            followed = len(moves) + len(retried)
            if followed == len(rows):
                conn.execute("DELETE FROM folders WHERE path = ?", (path_key(old),))
            self.bump_generation(conn)
        return followed, len(rows) - followed

    def indexed_folders(self) -> set[str]:
        """The printable folders that hold indexed files, each once."""
        return {os.path.dirname(display) for (display,) in
                self.conn.execute("SELECT display FROM files WHERE status = 'ok'")}
