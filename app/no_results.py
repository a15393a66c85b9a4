"""Why a search found nothing, said the same way by the app and the command line (each with its own advice)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.errors import describe_path


@dataclass(frozen=True)
class NoResults:
    reason: str  # what is so ("the library is empty")
    cli: str = ""  # what to do, in commands
    app: str = ""  # what to do, in the app

    def for_cli(self) -> str:
        return f"no results: {self.reason}" + (f"; {self.cli}" if self.cli else "")

    def for_app(self) -> str:
        return self.reason + (f": {self.app}" if self.app else "")


def _files(n: int) -> str:
    return "1 file" if n == 1 else f"{n} files"


def no_results(counts: Any, scoped: bool, query_excluded: bool, folder: Path | None = None,
               inside: tuple[str, int, list[str]] = ("", 0, [])) -> NoResults:
    """From the library's counts (app.library_records.LibraryCounts), whether a scope limited the search, whether
    the query file was left out, the scope's folder (``folder``, if any) and its keyword matching anywhere, with the
    files it would find (``inside``: LibraryDB.inside_words)."""
    if counts.pending:
        return NoResults(f"{_files(counts.pending)} hold vectors of an earlier model (the model changed)",
                         "run main.py index DIR to re-embed them", "Import / rescan embeds them again")
    if counts.indexed == 0 and counts.missing:
        return NoResults(f"the library's {_files(counts.missing)} {'is' if counts.missing == 1 else 'are'} missing "
                         "(deleted, or their folder is not on disk)",
                         "reconnect or restore them and run main.py index; forget deleted ones with main.py remove "
                         "--missing, or a folder for good with main.py remove FOLDER",
                         "reconnect or restore them and Import / rescan, or remove their folder")
    if counts.indexed == 0:
        return NoResults("the library is empty", "add a folder with: main.py index DIR", "add a folder and import")
    if counts.offline:
        return NoResults(f"{counts.offline} of the {counts.indexed} indexed files are in a library folder not on disk "
                         "(a drive unplugged, a folder moved or renamed) and a search leaves them out",
                         "reconnect it, or after a move or rename: main.py index NEW_PLACE --moved-from OLD_PLACE",
                         "reconnect it, or after a move or rename double-click it in the library folders to say where "
                         "it is now")
    if folder is not None and not folder.is_dir():
        return NoResults(f"the folder {describe_path(folder)} is not on disk (a drive unplugged, moved or deleted): "
                         "its files are missing, and a search leaves missing files out")
    anywhere, found, names = inside
    plain = " ".join(w.strip("*") for w in anywhere.split())  # the keyword as typed, without its stars
    if scoped and found:  # trial 55: "scream" begins no word of civfemscream01a.ogg, and the scope was blamed
        more = f" and {found - len(names)} more" if found > len(names) else ""
        return NoResults(f"no file in the scope has a word beginning with \u201c{plain}\u201d, but {_files(found)} "
                         f"hold{'s' if found == 1 else ''} it inside a word ({', '.join(names)}{more})",
                         f"--keyword '{anywhere}' matches it anywhere", f"type {anywhere} to match it anywhere")
    if scoped and anywhere:  # trial 56: "roar" blamed the scope's folder, duration and sample rate
        return NoResults(f"no file in the scope has \u201c{plain}\u201d in its name, folder, tags or metadata",
                         "check the spelling (or drop the --folder, duration or rate limits, if any)",
                         "check the spelling (or clear the folder, duration or rate filters, if any)")
    if scoped:
        return NoResults(f"none of the {counts.indexed} indexed files passes the scope (keyword, folder, duration, "
                         "sample rate)", "widen it", "widen it")
    if query_excluded and counts.indexed == 1:
        return NoResults("the library's only indexed file is the query itself", "--include-query lists it",
                         "add a folder and import")
    return NoResults(f"none among the {counts.indexed} indexed files")
