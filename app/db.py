"""SQLite library database: file metadata, folders, vector-store bookkeeping, recorded migrations.

Paths are stored as bytes (os.fsencode) so any file name round-trips, plus a printable copy
for display and keyword search. One connection per thread (WAL), so the GUI can search while
an import writes. Every write is one explicit transaction.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from app.db_blocks import BLOCKS_MIGRATION, FileBlocksMixin, path_key
from app.db_evidence import EVIDENCE_MIGRATION, EvidenceStoreMixin
from app.db_folders import FoldersMixin
from app.db_metadata import MetadataTagsMixin
from app.db_moves import MovesMixin
from app.db_scope import ScopeClausesMixin, prefix_range
from app.db_stores import StoresMixin
from app.errors import LibraryError, describe_path
from app.metadata import FileMeta
from app.scope import SearchScope, fold, has_word
from model.errors import ABSENT_ERROR

DB_NAME = "library.sqlite3"

# (version, description, SQL script). Append only: never edit a shipped migration.
MIGRATIONS: list[tuple[int, str, str]] = [
    (
        1,
        "files, folders, vector stores, meta",
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE folders (id INTEGER PRIMARY KEY, path BLOB NOT NULL UNIQUE, added_at REAL NOT NULL);
        CREATE TABLE files (
            id INTEGER PRIMARY KEY,
            path BLOB NOT NULL UNIQUE,      -- os.fsencode(absolute path)
            display TEXT NOT NULL,          -- printable path: display and keyword filter
            size INTEGER NOT NULL,
            mtime_ns INTEGER NOT NULL,
            duration REAL,
            sample_rate INTEGER,
            channels INTEGER,
            status TEXT NOT NULL CHECK (status IN ('ok', 'failed', 'missing')),
            error TEXT,
            model_version TEXT,             -- model of the stored vector, NULL if none
            vector_row INTEGER,             -- row in that model's vector store
            norm REAL,                      -- |A(audio)|, the store keeps unit vectors
            updated_at REAL NOT NULL
        );
        CREATE INDEX files_status ON files (status, model_version);
        CREATE TABLE vector_stores (
            model_version TEXT PRIMARY KEY,
            dim INTEGER NOT NULL,
            filename TEXT NOT NULL,
            rows INTEGER NOT NULL          -- committed rows, bytes beyond are an aborted append
        );
        """,
    ),
    (
        2,
        "waveform peaks cache",
        """
        CREATE TABLE peaks (
            path BLOB NOT NULL, n_bins INTEGER NOT NULL, size INTEGER NOT NULL,
            mtime_ns INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (path, n_bins)
        );
        """,
    ),
    (
        3,
        "checksums of the vector rows each commit appended",
        """
        CREATE TABLE vector_checksums (
            model_version TEXT NOT NULL, first_row INTEGER NOT NULL, rows INTEGER NOT NULL,
            crc32 INTEGER NOT NULL, PRIMARY KEY (model_version, first_row)
        );
        """,
    ),
    (
        4,
        "file metadata: format, bit depth, tags, BWF/iXML text, UCS CatID",
        """
        CREATE TABLE file_meta (
            path BLOB PRIMARY KEY,          -- files.path
            size INTEGER NOT NULL,          -- of the file when read: stale when files.size/mtime differ
            mtime_ns INTEGER NOT NULL,
            format TEXT, subtype TEXT, bit_depth INTEGER,
            title TEXT, artist TEXT, comment TEXT, description TEXT, notes TEXT,
            ucs_catid TEXT, ucs_category TEXT, fx_name TEXT,
            search_text TEXT NOT NULL       -- every text field, lower case: the keyword filter
        );
        """,
    ),
    (
        5,
        "tags and favourites on files",
        """
        CREATE TABLE file_tags (
            path BLOB NOT NULL, tag TEXT NOT NULL, added_at REAL NOT NULL, PRIMARY KEY (path, tag)
        );
        CREATE INDEX file_tags_tag ON file_tags (tag);
        """,
    ),
]
MIGRATIONS.append(BLOCKS_MIGRATION)  # 6: vector blocks (app.db_blocks)
MIGRATIONS.append(EVIDENCE_MIGRATION)  # 7: per-patch evidence of short files (app.db_evidence)

FILE_COLUMNS = "id, path, display, size, mtime_ns, duration, sample_rate, channels, status, error"


@dataclass(frozen=True)
class FileRecord:
    """One library file as the GUI sees it. ``display`` is ``path`` made printable."""

    id: int
    path: Path
    size: int
    mtime: float
    duration: float | None
    sample_rate: int | None
    channels: int | None
    status: str  # 'ok' | 'failed' | 'missing'
    error: str | None
    display: str = ""
    meta: FileMeta | None = None  # format, tags, BWF/iXML, UCS (SearchService attaches it)
    tags: tuple[str, ...] = ()  # the user's tags, "favourite" for the star (SearchService attaches them)

    @classmethod
    def from_row(cls, row: sqlite3.Row | tuple) -> FileRecord:
        fid, path, display, size, mtime_ns, duration, sr, channels, status, error = row
        return cls(fid, Path(os.fsdecode(path)), size, mtime_ns / 1e9, duration, sr, channels, status, error, display)


def _statements(script: str) -> list[str]:
    """Split a migration script into statements (sqlite3.complete_statement knows about quotes)."""
    out, buffer = [], ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            out.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        raise ValueError(f"incomplete SQL in migration: {buffer.strip()[:60]}")
    return out


def add_text_functions(conn: sqlite3.Connection) -> None:
    """The keyword filter's SQL functions (app.scope): fold(text) and has_word(text, word)."""
    conn.create_function("fold", 1, fold, deterministic=True)
    conn.create_function("has_word", 2, has_word, deterministic=True)


def writable(folder: Path) -> bool:
    """Whether this process may create files in ``folder``."""
    return os.access(folder, os.W_OK | os.X_OK)


def make_private_dir(folder: Path) -> None:
    """Create the data folder readable by its owner only (it lists the user's file paths)."""
    if folder.is_dir():
        return
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(folder, 0o700)  # mkdir's mode is masked by the umask


def damaged_message(path: Path, exc: BaseException) -> str:
    """What to say when SQLite reports a problem with the library database: what is wrong, what to do."""
    text = str(exc)
    if not Path(path).parent.is_dir():  # deleted or unmounted under a running app: nothing is damaged
        return (f"the library folder {describe_path(Path(path).parent)} is gone (deleted, moved or unmounted): "
                "restore or reconnect it, or start Nudge again to begin a new library there")
    if not Path(path).exists() and "unable to open" in text:
        return (f"the library database {describe_path(path)} is gone (deleted or moved away): restore it, or start "
                "Nudge again to begin a new library")
    if "disk is full" in text or "disk I/O error" in text:
        return (f"cannot write the library database {path} ({text}): free some disk space and try again; "
                "everything committed so far is kept")
    if "locked" in text or "busy" in text:
        return f"the library {path.parent} is busy (another Nudge is writing to it): try again in a moment"
    if "readonly" in text or "read-only" in text:
        return f"the library {path.parent} is read-only here ({text}): it can be searched but not changed"
    return (f"the library database {path} is damaged or unreadable ({text}). Move it away (with its -wal and "
            f"-shm files) and import your folders again: main.py index DIR...")


class LibraryDB(FoldersMixin, FileBlocksMixin, ScopeClausesMixin, MetadataTagsMixin, StoresMixin, EvidenceStoreMixin,
                MovesMixin):
    """Thread-safe access to the library database (one sqlite3 connection per thread). Its parts by table:
    vector blocks (app.db_blocks), keyword and scope clauses (app.db_scope), metadata and tags
    (app.db_metadata), vector stores, checksums and the peaks cache (app.db_stores).

    When the data folder is not writable (a library on read-only media, another user's library) the
    database is opened read-only and immutable: listing and search work, writes raise LibraryError."""

    def __init__(self, data_dir: Path):
        self.path = Path(data_dir) / DB_NAME
        try:
            make_private_dir(self.path.parent)
        except OSError as exc:
            what = ("is a file, not a folder" if self.path.parent.is_file() else
                    f"cannot be created ({exc.strerror or exc})")
            raise LibraryError(f"the library folder {describe_path(self.path.parent)} {what}") from exc
        self.read_only = not writable(self.path.parent)
        if self.read_only and not self.path.is_file():
            raise LibraryError(f"the library folder {self.path.parent} is not writable and holds no library yet")
        self._local = threading.local()
        self._lock = threading.Lock()
        self.migrate()

    # connections and transactions ------------------------------------------------------------
    @contextmanager
    def guard(self) -> Iterator[None]:
        """Any SQLite failure inside becomes a LibraryError that says what is wrong and what to do."""
        try:
            yield
        except sqlite3.DatabaseError as exc:
            raise LibraryError(damaged_message(self.path, exc)) from exc

    def _connect(self) -> sqlite3.Connection:
        if self.read_only:  # no -wal/-shm can be created: read the file as it is
            uri = self.path.absolute().as_uri() + "?mode=ro&immutable=1"
            conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
            add_text_functions(conn)
            return conn
        created = not self.path.exists()
        conn = sqlite3.connect(self.path, isolation_level=None, timeout=30.0, check_same_thread=False)
        add_text_functions(conn)
        if created:
            os.chmod(self.path, 0o600)  # SQLite gives its -wal and -shm files the same mode
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        return conn

    @property
    def conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            try:
                conn = self._connect()
            except sqlite3.DatabaseError as exc:
                raise LibraryError(damaged_message(self.path, exc)) from exc
            self._local.conn = conn
        return conn

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT; rolled back on any exception."""
        if self.read_only:
            raise LibraryError(f"the library in {self.path.parent} is read-only (the folder is not writable): "
                               "it can be searched but not changed")
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def close(self) -> None:
        """Close this thread's connection and let go of the others.

        Another thread may be inside a query on its connection (a search still running when the window
        closes); closing that connection under it crashes the process. Dropping the thread-local store
        instead closes each idle connection when it is collected and a busy one once its query lets go of it.
        """
        with self._lock:
            mine = getattr(self._local, "conn", None)
            self._local = threading.local()
        if mine is not None:
            mine.close()

    # migrations -----------------------------------------------------------------------------
    def schema_version(self) -> int:
        if not self.read_only:
            self.conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations "
                "(version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at REAL NOT NULL)"
            )
        row = self.conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone()
        return row[0] or 0

    def migrate(self) -> None:
        """Apply pending migrations, each in its own transaction together with its record."""
        try:
            current = self.schema_version()
        except sqlite3.DatabaseError as exc:
            raise LibraryError(damaged_message(self.path, exc)) from exc
        known = max(v for v, _, _ in MIGRATIONS)
        if current > known:
            raise LibraryError(
                f"the library {self.path} was written by a newer Nudge (schema {current}, this one knows {known})"
            )
        if self.read_only and current < known:
            raise LibraryError(f"the library in {self.path.parent} is read-only and was written by an older "
                               "Nudge: open it once with write access to update it")
        for version, description, sql in MIGRATIONS:
            if version <= current:
                continue
            with self.transaction() as conn:
                for statement in _statements(sql):
                    conn.execute(statement)
                conn.execute(
                    "INSERT INTO schema_migrations VALUES (?, ?, ?)", (version, description, time.time())
                )

    # meta ------------------------------------------------------------------------------------
    def generation(self) -> int:
        """Counter bumped by every write that changes what search can return."""
        row = self.conn.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
        return int(row[0]) if row else 0

    @staticmethod
    def bump_generation(conn: sqlite3.Connection) -> None:
        conn.execute(
            "INSERT INTO meta VALUES ('generation', '1') "
            "ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1"
        )

    # files -----------------------------------------------------------------------------------
    def files_under(self, folder: Path) -> dict[bytes, tuple]:
        """path -> (id, size, mtime_ns, status, model_version, vector_row, duration, segment_layout) for a
        folder's files."""
        low, high = prefix_range(path_key(folder))
        rows = self.conn.execute(
            "SELECT path, id, size, mtime_ns, status, model_version, vector_row, duration, segment_layout FROM files "
            "WHERE path >= ? AND path < ?",
            (low, high),
        )
        return {r[0]: tuple(r[1:]) for r in rows}

    def failed_as_absent(self, folder: Path) -> set[bytes]:
        """Path keys of a folder's files recorded as failed because they were not there when decoded (an older
        import, before a file gone mid-import was left unrecorded): a rescan tries them again."""
        low, high = prefix_range(path_key(folder))
        rows = self.conn.execute(
            "SELECT path FROM files WHERE path >= ? AND path < ? AND status = 'failed' AND (error LIKE ? OR error "
            "LIKE ?)", (low, high, f"%{ABSENT_ERROR}%", "%Not a directory%"))
        return {r[0] for r in rows}

    def record(self, path: str | os.PathLike | bytes) -> FileRecord | None:
        return self.records_at([path]).get(path_key(path))

    def records(self, ids: list[int]) -> dict[int, FileRecord]:
        return {r.id: r for r in self._records_where("id", ids)}

    def records_at(self, paths: list) -> dict[bytes, FileRecord]:
        """The records of these paths that are in the library, by path key."""
        return {path_key(r.path): r for r in self._records_where("path", [path_key(p) for p in paths])}

    def _records_where(self, column: str, values: list) -> list[FileRecord]:
        """The files whose ``column`` (id or path key) is one of ``values``, 500 a query."""
        out = []
        for start in range(0, len(values), 500):
            chunk = values[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self.conn.execute(f"SELECT {FILE_COLUMNS} FROM files WHERE {column} IN ({marks})", chunk)
            out += [FileRecord.from_row(row) for row in rows]
        return out

    def list_files(self, keyword: str = "", limit: int | None = None, status: str | None = None,
                   tag: str | None = None) -> list[FileRecord]:
        where, args = self.scope_clause(SearchScope(keyword, tag=tag))
        if status:
            where += " AND status = ?"
            args.append(status)
        sql = f"SELECT {FILE_COLUMNS} FROM files WHERE {where} ORDER BY display"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return [FileRecord.from_row(r) for r in self.conn.execute(sql, args)]

    # files: import writes (inside a transaction) ------------------------------------------------
    @staticmethod
    def set_status(conn: sqlite3.Connection, ids: list[int], status: str) -> None:
        conn.executemany("UPDATE files SET status = ? WHERE id = ?", [(status, i) for i in ids])

    @staticmethod
    def write_failed(conn: sqlite3.Connection, path: str, size: int, mtime_ns: int, error: str,
                     header: tuple | None = None) -> None:
        """Record a file that could not be imported (``header``: duration, sample rate, channels if known)."""
        duration, sample_rate, channels = header or (None, None, None)
        conn.execute(
            "INSERT INTO files (path, display, size, mtime_ns, duration, sample_rate, channels, status, error, "
            "model_version, vector_row, norm, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'failed', ?, NULL, NULL, "
            "NULL, ?) ON CONFLICT(path) DO UPDATE SET size = excluded.size, mtime_ns = excluded.mtime_ns, "
            "duration = excluded.duration, sample_rate = excluded.sample_rate, channels = excluded.channels, "
            "status = 'failed', error = excluded.error, model_version = NULL, vector_row = NULL, norm = NULL, "
            "updated_at = excluded.updated_at, segments = 0, segment_tail = NULL",
            (path_key(path), describe_path(path), size, mtime_ns, duration, sample_rate, channels, error,
             time.time()),
        )
