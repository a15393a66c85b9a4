"""A WAV file cut short (an interrupted copy or download): its header promises more audio than the file holds.

libsndfile reads such a file without complaint, as a shorter sound; the import says so instead of importing a
fragment silently. Only RIFF/WAVE headers are read (a few bytes); anything unexpected means "not known to be cut".
"""

from __future__ import annotations

import os
import struct

WAV_SUFFIXES = (".wav", ".wave", ".bwf")
_UNKNOWN_SIZE = 0xFFFFFFFF  # streamed writers leave the size open: nothing promised


def cut_short(path: str | os.PathLike | bytes) -> tuple[float, float] | None:
    """(seconds the header promises, seconds the file holds) for a WAV whose data chunk runs past the end of the
    file by more than one frame; None for a complete file, another format, or a header this does not read."""
    if not os.fsdecode(path).lower().endswith(WAV_SUFFIXES):
        return None
    try:
        with open(path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            if f.read(12)[:4] != b"RIFF":
                return None
            byte_rate = frame = 0
            while True:
                head = f.read(8)
                if len(head) < 8:
                    return None
                chunk, length = head[:4], struct.unpack("<I", head[4:])[0]
                if chunk == b"fmt ":
                    fmt = f.read(min(length, 16))
                    if len(fmt) < 14:
                        return None
                    byte_rate, frame = struct.unpack("<IH", fmt[8:14])
                    f.seek(length - len(fmt) + (length & 1), os.SEEK_CUR)
                elif chunk == b"data":
                    held = size - f.tell()
                    if length == _UNKNOWN_SIZE or byte_rate <= 0 or length <= held + max(frame, 1):
                        return None
                    return length / byte_rate, max(held, 0) / byte_rate
                else:
                    f.seek(length + (length & 1), os.SEEK_CUR)
    except (OSError, struct.error):
        return None


def cut_short_note(path: str | os.PathLike | bytes, name: str) -> str | None:
    """The import's warning for a WAV cut short, or None."""
    cut = cut_short(path)
    if cut is None:
        return None
    promised, held = cut
    there = f"{held:.1f}" if held >= 1 else f"{held:.2f}"  # 0.03 s, not "0.0 s"
    return (f"{name} is cut short (an interrupted copy?): its header promises {promised:.1f} s, the file holds "
            f"{there} s; the {there} s there were imported")
