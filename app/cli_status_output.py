"""What `main.py status` prints: the library's folders, counts, whether an import stopped midway or runs now, and
its failed and missing files (--failures), or the --json document."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from app.errors import describe_path, printable, short_reason


def status_json(data_dir: Path, folders: list[Path], counts: Any, failures: list[Any], unfinished: bool,
                running: bool) -> dict:
    return {
        "data_dir": os.fsdecode(data_dir), "folders": [os.fsdecode(f) for f in folders],
        "indexed": counts.indexed, "failed": counts.failed, "missing": counts.missing, "pending": counts.pending,
        "offline": counts.offline, "import_unfinished": unfinished, "import_running": running,
        "failures": [{"path": os.fsdecode(r.path), "status": r.status, "error": r.error} for r in failures],
    }


def print_status(data_dir: Path, folders: list[Path], counts: Any, failures: list[Any], unfinished: bool,
                 running: bool) -> None:
    print(f"library: {describe_path(data_dir)}")
    for folder in folders:
        print(f"  folder {describe_path(folder)}{'' if folder.is_dir() else '  (not found)'}")
    offline = f" ({counts.offline} of them in a library folder not on disk)" if counts.offline else ""
    print(f"{counts.indexed} indexed{offline}, {counts.failed} failed, {counts.missing} missing")
    if counts.pending:
        print(f"{counts.pending} to re-index: their vectors are of an earlier model (the model changed); "
              "run main.py index to re-embed them")
    if unfinished:
        print("the last import stopped before its end: run main.py index to import the rest")
    if running:
        print("an import is running now (another command or an app window): these counts grow as it commits")
    for record in failures:
        reason = short_reason(record.path, record.error or "")
        print(f"  {printable(record.display)} ({record.status}): {printable(reason)}")
