"""Keyword and scope clauses: which files a search may return (part of the db layer; LibraryDB mixes it in).

A keyword matches the printable path, the metadata text (file_meta.search_text) or a tag; a scope adds a
folder (a range of path keys), duration, sample-rate and tag limits.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable

from app.db_blocks import path_key
from app.scope import SearchScope, fold


def prefix_range(folder_key: bytes) -> tuple[bytes, bytes]:
    """[low, high) range of keys of everything inside a folder (BLOBs compare bytewise)."""
    low = folder_key.rstrip(b"/" + os.sep.encode()) + os.sep.encode()
    return low, low[:-1] + bytes([low[-1] + 1])


KEYWORD_CACHE = 64  # keyword candidate lists kept (ScopeClausesMixin.keyword_candidates)


def like_pattern(word: str) -> str:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class ScopeClausesMixin:
    """LibraryDB's WHERE clauses of keywords and scopes, and the candidates of a keyword-only search
    (``self.conn``)."""

    @staticmethod
    def keyword_clause(keyword: str) -> tuple[str, list]:
        """Every whitespace-separated word must begin a word of the path or of the file's metadata (tags,
        BWF/iXML text, UCS fields), in any case and with or without accents: app.scope.has_word ("rain" finds
        rainfall, not train; "*storm" finds thunderstorm)."""
        words = keyword.split()
        if not words:
            return "1", []
        # LIKE first (the word occurs at all): only those rows call the Python functions fold() and has_word()
        clause = ("(((display LIKE ? ESCAPE '\\' OR fold(display) LIKE ? ESCAPE '\\') AND has_word(display, ?)) "
                  "OR path IN (SELECT path FROM file_meta WHERE fold(search_text) LIKE ? ESCAPE '\\' "
                  "AND has_word(search_text, ?)) OR path IN "
                  "(SELECT path FROM file_tags WHERE fold(tag) LIKE ? ESCAPE '\\' AND has_word(tag, ?)))")
        args = []
        for word in words:
            bare = word.strip("*") or word  # "*storm": the LIKE looks for "storm" ("*" alone: a literal star)
            pattern, folded = like_pattern(bare), like_pattern(fold(bare))
            args += [pattern, folded, word, folded, word, folded, word]
        return " AND ".join(clause for _ in words), args

    @classmethod
    def scope_clause(cls, scope: SearchScope) -> tuple[str, list]:
        """WHERE clause of the files a search scope allows (keyword, folder, duration, sample rate)."""
        where, args = cls.keyword_clause(scope.keyword)
        if scope.tag:
            where += " AND path IN (SELECT path FROM file_tags WHERE tag = ?)"
            args.append(scope.tag)
        if scope.folder is not None:
            low, high = prefix_range(path_key(scope.folder))
            where += " AND path >= ? AND path < ?"
            args += [low, high]
        for sql, value in (("duration >= ?", scope.min_duration), ("duration <= ?", scope.max_duration),
                           ("sample_rate >= ?", scope.min_sample_rate)):
            if value is not None:
                where += f" AND {sql}"
                args.append(value)
        return where, args

    def keyword_candidates(self, scope: SearchScope, limit: int = 20_000) -> list[tuple[int, str, str]]:
        """(file id, printable path, metadata text and the user's tags) of indexed files in the scope (the keyword
        not required) that hold at least one of its words: what a keyword-only search ranks. Kept until the library
        changes (its generation, this connection's writes, another connection's commits): one search asks for a
        sound's names up to three times (its note, the added sounds' pull, words alone), 156 ms each for three
        words over 100,000 files."""
        words = scope.keyword.split()
        if not words:
            return []
        conn = self.conn  # one per thread: its own writes in total_changes, the others' commits in data_version
        state = (id(conn), conn.execute("PRAGMA data_version").fetchone()[0], conn.total_changes, self.generation())
        key = (scope, int(limit), state)
        cache = self.__dict__.setdefault("_keyword_cache", {})
        if key not in cache:
            if len(cache) >= KEYWORD_CACHE:
                cache.clear()
            cache[key] = self._keyword_candidates(words, scope, limit)
        return list(cache[key])

    def inside_words(self, scope: SearchScope, listed: int = 3) -> tuple[str, int, list[str]]:
        """For a scope whose keyword has words that must begin a word ("scream"): that keyword matching anywhere
        ("*scream"), how many indexed files in the scope it finds and the first ``listed`` names; ("", 0, []) when
        every word already matches anywhere (trial 55: --keyword scream found none, civfemscream01a.ogg is there)."""
        words = scope.keyword.split()
        if not words or all(w.startswith("*") or not w[0].isalnum() for w in words):
            return "", 0, []
        anywhere = " ".join(w if w.startswith("*") or not w[0].isalnum() else f"*{w.rstrip('*')}" for w in words)
        where, args = self.scope_clause(SearchScope(anywhere, scope.folder, scope.min_duration, scope.max_duration,
                                                    scope.min_sample_rate, scope.tag))
        count = self.conn.execute(f"SELECT COUNT(*) FROM files WHERE status = 'ok' AND {where}", args).fetchone()[0]
        names = self.conn.execute(f"SELECT display FROM files WHERE status = 'ok' AND {where} ORDER BY display "
                                  f"LIMIT {int(listed)}", args).fetchall()
        return anywhere, int(count), [os.path.basename(r[0]) for r in names]

    def _keyword_candidates(self, words: list[str], scope: SearchScope, limit: int) -> list[tuple[int, str, str]]:
        where, args = self.scope_clause(SearchScope("", scope.folder, scope.min_duration, scope.max_duration,
                                                    scope.min_sample_rate, scope.tag))
        one_word = self.keyword_clause(words[0])[0]  # the clause of one word, OR-ed over the words
        any_word = " OR ".join([one_word] * len(words))
        rows = self.conn.execute(
            "SELECT id, display, COALESCE((SELECT search_text FROM file_meta m WHERE m.path = files.path), '') || ' ' "
            "|| COALESCE((SELECT group_concat(tag, ' ') FROM file_tags t WHERE t.path = files.path), '') "
            f"FROM files WHERE status = 'ok' AND ({any_word}) AND {where} LIMIT {int(limit)}",
            [a for w in words for a in self.keyword_clause(w)[1]] + args,
        ).fetchall()
        return [(r[0], r[1], r[2]) for r in rows]

    def shared_names(self, names: Iterable[str]) -> frozenset[str]:
        """Those of the file ``names`` that more than one indexed file (any status, in any folder) is called: one scan
        of the files for all of them (a note names up to 20 files)."""
        wanted = set(names)
        if not wanted:
            return frozenset()
        patterns = ["%" + n.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") for n in sorted(wanted)]
        rows = self.conn.execute("SELECT display FROM files WHERE " + " OR ".join(["display LIKE ? ESCAPE '\\'"]
                                                                                * len(patterns)), patterns).fetchall()
        counts = Counter(os.path.basename(display) for (display,) in rows)
        return frozenset(n for n in wanted if counts[n] > 1)
