"""Errors the model package raises, each with a message a user can act on."""


ABSENT_ERROR = "does not exist (deleted, moved, or a wrong path)"  # after a file's name: it is not there


class NudgeModelError(Exception):
    """Base class for model package errors."""


class ModelFileError(NudgeModelError):
    """A backbone model file is missing or unreadable."""


class CheckpointError(NudgeModelError):
    """A heads checkpoint is missing, corrupt or incompatible with this version."""


class AudioDecodeError(NudgeModelError):
    """An audio file could not be decoded (corrupt, empty, unsupported or unreadable)."""


_CONTROL = {c: f"\\x{c:02x}" for c in [*range(0x20), 0x7F, *range(0x80, 0xA0)]} | {
    ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t",
}


def printable(text: str) -> str:
    """Text safe to print on a terminal: control characters (escape sequences, newlines) as backslash escapes."""
    return text.translate(_CONTROL)


def describe_path(path: object) -> str:
    """Printable form of any path: non-UTF-8 bytes and control characters shown as backslash escapes."""
    import os

    if not isinstance(path, (bytes, str, os.PathLike)):
        return printable(str(path))
    return printable(os.fsencode(path).decode("utf-8", "backslashreplace"))
