"""Errors the app raises, each with a message a user can read and act on.

Model errors (model.errors.ModelFileError, CheckpointError) pass through unchanged.
"""

from __future__ import annotations

from model.errors import describe_path, printable

__all__ = [
    "LibraryError", "ModelNotReadyError", "NudgeError", "QueryFileError", "describe_path", "printable",
]


class NudgeError(Exception):
    """Base class for app errors; str(exc) is the user-facing message."""


class QueryFileError(NudgeError):
    """A file given by the user (search query, waveform request) cannot be used."""


class SelectionRefused(QueryFileError):
    """A selected part of a query file cannot describe a sound (silent, too short, damaged): a step to take back."""


class LibraryError(NudgeError):
    """The library index or a library folder cannot be used as asked."""


class ImportBusy(LibraryError):
    """Another import (the command line, a second Nudge) holds the library's import lock: not a failure, a wait."""


class ModelNotReadyError(NudgeError):
    """An operation needs a model stage that has not loaded yet: ``stage`` is "audio" (heads + YAMNet,
    for embedding sounds) or "text" (the text backbone, for modifiers without precomputed T(text))."""

    def __init__(self, message: str, stage: str = "audio"):
        super().__init__(message)
        self.stage = stage


def short_reason(path: object, error: str) -> str:
    """A problem's reason beside its file (the Problems tab's Why column, `status --failures`), the file's full
    path, shown beside it already, written "it" ("cannot decode it: not a valid .ogg file"; "it is empty")."""
    full = describe_path(path)
    if error.startswith(f"{full}: "):  # "<path>: unsupported audio format ..."
        return error[len(full) + 2:]
    return error.replace(full, "it")  # "<path> is empty", "cannot decode <path>: ..."
