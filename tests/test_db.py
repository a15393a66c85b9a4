"""Library database: recorded migrations, odd paths, keyword filter, folder removal."""

from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path

import pytest

from app import db as dbmod
from app.db import LibraryDB, path_key
from app.errors import LibraryError


def insert_file(lib: LibraryDB, path: str | bytes, status: str = "ok") -> None:
    with lib.transaction() as conn:
        conn.execute(
            "INSERT INTO files (path, display, size, mtime_ns, status, updated_at) VALUES (?, ?, 1, 1, ?, 0)",
            (path_key(path), os.fsencode(path).decode("utf-8", "backslashreplace"), status),
        )


def test_migrations_are_recorded_and_idempotent(tmp_path):
    lib = LibraryDB(tmp_path)
    rows = lib.conn.execute("SELECT version, description FROM schema_migrations ORDER BY version").fetchall()
    assert [r[0] for r in rows] == [m[0] for m in dbmod.MIGRATIONS]
    lib.close()
    again = LibraryDB(tmp_path)  # re-opening applies nothing twice
    assert again.schema_version() == dbmod.MIGRATIONS[-1][0]
    assert again.conn.execute("SELECT COUNT(*) FROM schema_migrations").fetchone()[0] == len(dbmod.MIGRATIONS)


def test_new_migration_applies_to_existing_library(tmp_path, monkeypatch):
    LibraryDB(tmp_path).close()
    extra = (dbmod.MIGRATIONS[-1][0] + 1, "test column", "ALTER TABLE files ADD COLUMN rating INTEGER;")
    monkeypatch.setattr(dbmod, "MIGRATIONS", [*dbmod.MIGRATIONS, extra])
    lib = LibraryDB(tmp_path)
    columns = [r[1] for r in lib.conn.execute("PRAGMA table_info(files)")]
    assert "rating" in columns
    assert lib.schema_version() == extra[0]


def test_failed_migration_leaves_no_trace(tmp_path, monkeypatch):
    LibraryDB(tmp_path).close()
    bad = (dbmod.MIGRATIONS[-1][0] + 1, "broken", "CREATE TABLE t1 (x);\nCREATE TABLE nonsense syntax (;")
    monkeypatch.setattr(dbmod, "MIGRATIONS", [*dbmod.MIGRATIONS, bad])
    with pytest.raises(sqlite3.Error):
        LibraryDB(tmp_path)
    monkeypatch.undo()
    lib = LibraryDB(tmp_path)
    tables = {r[0] for r in lib.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "t1" not in tables  # the whole migration rolled back
    assert lib.schema_version() == dbmod.MIGRATIONS[-1][0]


def test_newer_schema_is_refused(tmp_path):
    lib = LibraryDB(tmp_path)
    with lib.transaction() as conn:
        conn.execute("INSERT INTO schema_migrations VALUES (999, 'future', 0)")
    lib.close()
    with pytest.raises(LibraryError, match="newer Nudge"):
        LibraryDB(tmp_path)


def test_garbage_database_file_gives_library_error(tmp_path):
    (tmp_path / dbmod.DB_NAME).write_bytes(b"this is not a database" * 100)
    with pytest.raises(LibraryError, match="unreadable"):
        LibraryDB(tmp_path)


@pytest.mark.skipif(sys.platform != "linux", reason="non-UTF-8 file names are a POSIX thing")
def test_non_utf8_path_round_trips(tmp_path):
    lib = LibraryDB(tmp_path)
    raw = os.fsencode(tmp_path) + b"/caf\xe9 \xff.wav"
    insert_file(lib, raw)
    record = lib.record(raw)
    assert record is not None and os.fsencode(record.path) == raw
    assert "\\xff" in record.display and "\\xe9" in record.display
    assert lib.list_files("caf")[0].path == record.path


def test_keyword_filter_words_and_wildcards(tmp_path):
    lib = LibraryDB(tmp_path)
    for name in ("Dog_Bark_01.wav", "dog-growl.wav", "rain 100%.wav", "thunder.wav"):
        insert_file(lib, f"/sounds/{name}")  # keywords match the whole path
    names = lambda kw: sorted(r.path.name for r in lib.list_files(kw))  # noqa: E731
    assert names("DOG") == ["Dog_Bark_01.wav", "dog-growl.wav"]
    assert names("dog bark") == ["Dog_Bark_01.wav"]  # all words must match
    assert names("_") == ["Dog_Bark_01.wav"]  # '_' is literal, not a LIKE wildcard
    assert names("%") == ["rain 100%.wav"]
    assert len(names("")) == 4
    assert len(lib.list_files("", limit=2)) == 2


def test_keywords_ignore_accents_and_case(tmp_path):
    """A trial typed "koln" and "strasse" for Kölner and STRASSE files and found nothing."""
    from app.scope import fold, text_match_score

    lib = LibraryDB(tmp_path)
    for name in ("Kirchenglocken Köln.ogg", "STRASSE_Verkehr.wav", "Café ambiance.wav", "rain.wav"):
        insert_file(lib, f"/sounds/{name}")
    names = lambda kw: sorted(r.path.name for r in lib.list_files(kw))  # noqa: E731
    assert names("koln") == names("KÖLN") == names("köln") == ["Kirchenglocken Köln.ogg"]
    assert names("strasse") == ["STRASSE_Verkehr.wav"] and names("cafe") == ["Café ambiance.wav"]
    assert names("straße") == ["STRASSE_Verkehr.wav"]  # casefold: ß is ss
    assert fold("Crème Brûlée") == "creme brulee" and fold("rain") == "rain" and fold(None) is None
    assert text_match_score(["koln"], "Kirchenglocken Köln.ogg", "", "/sounds") == 1.0


def test_keywords_match_where_a_word_begins(tmp_path):
    """A trial's filter "rain" listed train and drain recordings: a word must begin a word of the name (after
    punctuation, a case change or digits); "*storm" still matches inside a word."""
    from app.scope import text_match_score

    lib = LibraryDB(tmp_path)
    for name in ("train_pass.wav", "drain gurgle.wav", "HeavyRain.wav", "rainfall_02.wav", "thunderstorm.wav",
                 "Rain01.wav"):
        insert_file(lib, f"/sounds/{name}")
    names = lambda kw: sorted(r.path.name for r in lib.list_files(kw))  # noqa: E731
    assert names("rain") == ["HeavyRain.wav", "Rain01.wav", "rainfall_02.wav"]
    assert names("storm") == [] and names("*storm") == ["thunderstorm.wav"]
    assert names("01") == ["Rain01.wav"] and names("rain 02") == ["rainfall_02.wav"]
    assert text_match_score(["rain"], "train_pass.wav", "", "/sounds") == 0.0
    assert text_match_score(["rain"], "x.wav", "", "/sounds/Rain Takes") == 0.3


def test_remove_folder_keeps_files_of_other_folders(tmp_path):
    lib = LibraryDB(tmp_path)
    outer, inner, sibling = tmp_path / "a", tmp_path / "a" / "b", tmp_path / "ab"
    for folder in (outer, inner, sibling):
        lib.add_folder(folder)
    for path in (outer / "1.wav", inner / "2.wav", sibling / "3.wav"):
        insert_file(lib, str(path))
    assert lib.remove_folder(outer) == 1  # a/b/2.wav still belongs to library folder a/b
    assert sorted(p.name for p in lib.folders()) == ["ab", "b"]
    assert sorted(r.path.name for r in lib.list_files()) == ["2.wav", "3.wav"]  # 'ab' is not inside 'a'


def test_threads_get_their_own_connection(tmp_path):
    import threading

    lib = LibraryDB(tmp_path)
    seen = []
    thread = threading.Thread(target=lambda: seen.append(lib.conn))
    thread.start()
    thread.join()
    assert seen[0] is not lib.conn
    lib.close()
    assert Path(lib.path).is_file()
