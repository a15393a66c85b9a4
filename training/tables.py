"""CSV tables of the data pipeline (manifest, split, pairs), written atomically."""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path


def write_csv_atomic(path: Path, fields: Sequence[str], rows: Iterable[dict]) -> Path:
    """Write rows to a temp file beside ``path``, then rename: readers never see half a table."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".csv.tmp")
    try:
        with os.fdopen(fd, "w", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=list(fields))
            writer.writeheader()
            writer.writerows(rows)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def write_results_json(path: Path, module: str, argv: Sequence[str] | None, results: dict) -> None:
    """``{"command": "python -m MODULE ARGS", "results": results}`` at ``path`` (folders made): a result file
    that says how to make it again."""
    import json
    import sys

    path.parent.mkdir(parents=True, exist_ok=True)
    args = list(argv) if argv is not None else sys.argv[1:]
    path.write_text(json.dumps({"command": f"python -m {module} " + " ".join(args), "results": results}, indent=1))
