"""The command line's standard output, watched: a write that fails there (a full disk behind `> file`, /dev/full)
is told apart from the library's own write errors, and a failed output is silenced so Python's exit does not fail on
it again."""

from __future__ import annotations

import io
import os


class WatchedOutput:
    """Standard output that remembers a failed write (a full disk behind `> file`, /dev/full), so that error is told
    apart from the library's own write errors."""

    def __init__(self, stream) -> None:
        self.stream, self.failed = stream, False

    def write(self, text: str) -> int:
        try:
            return self.stream.write(text)
        except OSError:
            self.failed = True
            raise

    def flush(self) -> None:
        try:
            self.stream.flush()
        except OSError:
            self.failed = True
            raise

    def __getattr__(self, name: str):
        return getattr(self.stream, name)


def silence(stream) -> None:
    """Point a failed output at /dev/null: Python's flush at exit must not fail on it again."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), stream.fileno())
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        pass
