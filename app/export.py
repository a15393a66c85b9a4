"""Copy selected library files into a project folder, with progress and cancel."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from app.errors import LibraryError, describe_path


@dataclass
class ExportReport:
    dest: Path
    copied: list[Path] = field(default_factory=list)  # the new files
    failed: list[tuple[Path, str]] = field(default_factory=list)  # (source, why)
    cancelled: bool = False


def free_name(dest: Path, name: str) -> Path:
    """dest/name, or dest/stem-2.ext, -3, ... when taken: an export never overwrites."""
    target = dest / name
    stem, suffix = Path(name).stem, Path(name).suffix
    n = 2
    while target.exists():
        target = dest / f"{stem}-{n}{suffix}"
        n += 1
    return target


def export_files(paths: list[Path], dest: Path, progress: Callable[[int, int, str], None] | None = None,
                 cancel: threading.Event | None = None) -> ExportReport:
    """Copy each file (with its timestamps) into ``dest``; one bad file is reported, not fatal.
    ``progress(done, total, name)`` after each file."""
    try:
        dest.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise LibraryError(f"cannot create the export folder {describe_path(dest)}: {exc}") from exc
    report = ExportReport(dest)
    for done, src in enumerate(paths, start=1):
        if cancel is not None and cancel.is_set():
            report.cancelled = True
            break
        try:
            target = free_name(dest, src.name)
            shutil.copy2(src, target)
            report.copied.append(target)
        except OSError as exc:
            report.failed.append((src, exc.strerror or str(exc)))
        if progress is not None:
            progress(done, len(paths), src.name)
    return report
