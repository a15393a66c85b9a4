"""Errors the app raises, each with a message a user can read and act on.

Model errors (model.errors.ModelFileError, CheckpointError) pass through unchanged.
"""

from __future__ import annotations


class NudgeError(Exception):
    """Base class for app errors; str(exc) is the user-facing message."""


class QueryFileError(NudgeError):
    """A file given by the user (search query, waveform request) cannot be used."""


class LibraryError(NudgeError):
    """The library index or a library folder cannot be used as asked."""


class ModelNotReadyError(NudgeError):
    """An operation needs the model, but SearchService.load_model() has not been called."""


def describe_path(path: object) -> str:
    """Printable form of any path, including non-UTF-8 names (shown with backslash escapes)."""
    import os

    if not isinstance(path, (bytes, str, os.PathLike)):
        return str(path)
    return os.fsencode(path).decode("utf-8", "backslashreplace")
