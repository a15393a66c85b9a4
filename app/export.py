"""Copy selected library files into a project folder, with progress and cancel; write a region of a file
(a moment of a long take) as a new WAV, for an export or a drag out to a DAW."""

from __future__ import annotations

import contextlib
import errno
import filecmp
import hashlib
import math
import os
import secrets
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from app.errors import LibraryError, QueryFileError, describe_path
from model.audio_io import AudioInfo, audio_info, iter_native_blocks, write_blocks
from model.errors import AudioDecodeError


@dataclass
class ExportReport:
    dest: Path
    copied: list[Path] = field(default_factory=list)  # the new files
    failed: list[tuple[Path, str]] = field(default_factory=list)  # (source, why)
    cancelled: bool = False
    renamed: list[tuple[Path, Path]] = field(default_factory=list)  # (source, copy): its name was taken by another file
    present: list[tuple[Path, Path]] = field(default_factory=list)  # (source, file): already there byte for byte

    def summary(self) -> str:
        """One line for the status bar: what was copied, renamed, already there or failed."""
        text = f"Exported {len(self.copied)} file(s) to {self.dest}"
        if self.renamed:
            shown = ", ".join(f"{src.parent.name}/{src.name} as {copy.name}" for src, copy in self.renamed[:3])
            more = f" and {len(self.renamed) - 3} more" if len(self.renamed) > 3 else ""
            text += f"; {len(self.renamed)} renamed because the name was taken: {shown}{more}"
        if self.present:
            text += f"; {len(self.present)} already there (same bytes), not copied again"
        if self.failed:
            text += f"; {len(self.failed)} failed: " + ", ".join(f"{p.name} ({why})" for p, why in self.failed[:3])
        return text + (" (cancelled)" if self.cancelled else "")


def _names(dest: Path, name: str) -> Iterator[Path]:
    """dest/name, then dest/stem-2.ext, -3, ..."""
    stem, suffix = Path(name).stem, Path(name).suffix
    yield dest / name
    n = 2
    while True:
        yield dest / f"{stem}-{n}{suffix}"
        n += 1


def free_name(dest: Path, name: str) -> Path:
    """dest/name, or dest/stem-2.ext, -3, ... when taken: an export never overwrites."""
    return next(target for target in _names(dest, name) if not target.exists())


def _place(dest: Path, src: Path) -> tuple[Path, bool]:
    """Where src goes in dest (the name free_name gives), or (the file, True) when an identical copy is already
    there under its name or a numbered one."""
    size = src.stat().st_size
    for target in _names(dest, src.name):
        if not target.exists():
            return target, False
        with contextlib.suppress(OSError):
            if target.stat().st_size == size and filecmp.cmp(src, target, shallow=False):
                return target, True
    raise AssertionError("unreachable: _names never ends")


def export_files(paths: list[Path], dest: Path, progress: Callable[[int, int, str], None] | None = None,
                 cancel: threading.Event | None = None) -> ExportReport:
    """Copy each file (with its timestamps) into ``dest``: a taken name gets -2, -3 ..., a file already there byte for
    byte is not copied again; one bad file is reported, not fatal.
    ``progress(done, total, name)`` after each file."""
    try:
        dest.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=dest, prefix=".nudge-check-"):
            pass  # a folder that cannot be written to is said once, not as a failure of every file
    except OSError as exc:
        raise LibraryError(f"cannot write into the export folder {describe_path(dest)}: "
                           f"{exc.strerror or exc}") from exc
    report = ExportReport(dest)
    for done, src in enumerate(paths, start=1):
        if cancel is not None and cancel.is_set():
            report.cancelled = True
            break
        if not dest.is_dir():
            raise LibraryError(f"the export folder {describe_path(dest)} is gone (deleted or unmounted): "
                               f"{len(report.copied)} file(s) were copied before")
        try:
            target, present = _place(dest, src)
            if present:
                report.present.append((src, target))
            else:
                _copy_whole(src, target)
                report.copied.append(target)
                if target.name != src.name:
                    report.renamed.append((src, target))
        except OSError as exc:
            reading = (exc.filename is not None and Path(exc.filename) == src  # copy2 names the source for a full
                       and exc.errno not in WRITE_ERRNOS)  # disk too (sendfile): those are the target's
            where = "cannot read it" if reading else f"cannot write it into {describe_path(dest)}"
            report.failed.append((src, f"{where}: {exc.strerror or exc}"))
        if progress is not None:
            progress(done, len(paths), src.name)
    return report


WRITE_ERRNOS = frozenset(getattr(errno, n) for n in ("ENOSPC", "EDQUOT", "EROFS", "EFBIG") if hasattr(errno, n))


def part_file(target: Path) -> Path:
    """The hidden file a copy is written to before it takes ``target``'s name: its own for each copy, so two exports
    into one folder at once never write the same part file (a trial: both then reported "No such file")."""
    return target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")


def _copy_whole(src: Path, target: Path) -> None:
    """Copy src (with its timestamps) to target through a hidden part file renamed at the end: a full disk or a
    cancel never leaves a cut file under the real name."""
    part = part_file(target)
    try:
        shutil.copy2(src, part)
        os.replace(part, target)
    except BaseException:
        with contextlib.suppress(OSError):
            part.unlink()
        raise


# regions of a file (a moment of a long take) as new WAV files -------------------------------------
FADE_SECONDS = 0.005  # short fades where the region cuts into the sound (no click in the DAW)
DRAG_KEEP_SECONDS = 7 * 24 * 3600  # drag-out files older than this are removed at the next drag
_BYTES = {"PCM_U8": 1, "PCM_16": 2, "PCM_24": 3, "PCM_32": 4, "FLOAT": 4, "DOUBLE": 8}
WAV_LIMIT = 0xFFFFFFFF - (1 << 20)  # a plain WAV holds at most 4 GB of data: RF64 beyond


def region_subtype(source_subtype: str) -> str:
    """The WAV encoding closest to the source's: PCM depths and float kept, lossy sources as float
    (their decoded samples may pass full scale), other codecs as the PCM depth they carry."""
    subtype = source_subtype.upper()
    if subtype in _BYTES:
        return subtype
    if subtype.startswith(("VORBIS", "OPUS", "MPEG")) or not any(ch.isdigit() for ch in subtype):
        return "FLOAT" if subtype.startswith(("VORBIS", "OPUS", "MPEG")) else "PCM_16"
    bits = int("".join(ch for ch in subtype.rsplit("_", 1)[-1] if ch.isdigit()) or 16)
    return "PCM_16" if bits <= 16 else "PCM_24" if bits <= 24 else "PCM_32"


def clock_name(seconds: float) -> str:
    """06m00.0s: a time for file names (no colons)."""
    minutes, rest = divmod(max(0.0, seconds), 60.0)
    return f"{int(minutes):02d}m{rest:04.1f}s"


def region_name(source: Path, start: float, end: float) -> str:
    return f"{source.stem}_{clock_name(start)}-{clock_name(end)}.wav"


def _faded(blocks: Iterator[np.ndarray], fade: int, fade_in: bool, fade_out: bool) -> Iterator[np.ndarray]:
    """The blocks with a half-cosine fade over the first / last ``fade`` frames (shorter for a tiny region);
    the last ``fade`` frames are held back until the end is known."""
    ramp = (0.5 - 0.5 * np.cos(np.pi * (np.arange(fade) + 0.5) / fade)).astype(np.float32)[:, None]
    held = np.zeros((0, 1), np.float32)
    done = 0
    for block in blocks:
        block = np.nan_to_num(block, nan=0.0, posinf=0.0, neginf=0.0)
        if fade_in and done < fade:
            n = min(fade - done, len(block))
            block[:n] *= ramp[done: done + n]
        done += len(block)
        held = np.concatenate([held, block]) if len(held) else block
        if len(held) > fade:
            yield held[:-fade]
            held = held[-fade:]
    if fade_out and len(held):
        held = held * ramp[::-1][-len(held):]
    if len(held):
        yield held


def export_region(source: Path, start: float, end: float | None, dest: Path, name: str | None = None) -> Path:
    """Write ``source`` from ``start`` to ``end`` seconds (None: its end) as a new WAV in ``dest`` at the
    source's own sample rate and channels, its encoding kept close (region_subtype), with FADE_SECONDS fades
    where the region cuts into the sound. Never overwrites (a taken name gets -2, -3, ...); returns the file.
    QueryFileError if the source cannot be read or the range is not in it, LibraryError if writing fails."""
    info = _info(source)
    end = info.duration if end is None else min(float(end), info.duration)
    start = float(start)
    if not (math.isfinite(start) and math.isfinite(end)) or start < 0 or end - start < 1.0 / info.samplerate:
        raise QueryFileError(f"{start:.2f}-{end:.2f} s is not a range of {describe_path(source)} "
                             f"({info.duration:.2f} s long)")
    subtype = region_subtype(info.subtype)
    frames = int(round((end - start) * info.samplerate))
    container = "RF64" if frames * info.channels * _BYTES[subtype] > WAV_LIMIT else "WAV"
    fade = max(1, min(int(round(FADE_SECONDS * info.samplerate)), frames // 2 or 1))
    fade_in, fade_out = start > 0, end < info.duration - 0.5 / info.samplerate
    part: Path | None = None
    try:
        dest.mkdir(parents=True, exist_ok=True)
        target = free_name(dest, name or region_name(source, start, end))
        part = part_file(target)
        blocks = (b for b, _, _ in iter_native_blocks(source, max_seconds=end - start, start_seconds=start))
        write_blocks(part, _faded(blocks, fade, fade_in, fade_out), info.samplerate, info.channels, subtype,
                     container)
        os.replace(part, target)
    except AudioDecodeError as exc:
        raise QueryFileError(str(exc)) from exc
    except OSError as exc:
        if part is not None:
            part.unlink(missing_ok=True)
        raise LibraryError(f"cannot write the region to {describe_path(dest)}: {exc.strerror or exc}") from exc
    return target


def drag_region_file(source: Path, start: float, end: float | None, cache: Path) -> Path:
    """The region as a WAV file for a drag out (to a DAW): written once under ``cache`` (named after the source
    file, its state and the range, so a repeated drag reuses it); files older than DRAG_KEEP_SECONDS are
    removed (kept that long because some DAWs use a dropped file in place)."""
    now = time.time()
    for old in cache.glob("*/*") if cache.is_dir() else []:
        with contextlib.suppress(OSError):
            if now - old.stat().st_mtime > DRAG_KEEP_SECONDS:
                old.unlink()
                old.parent.rmdir()
    try:
        st = os.stat(source)
    except OSError as exc:
        raise QueryFileError(f"cannot read {describe_path(source)}: {exc.strerror or exc}") from exc
    key = f"{os.fsencode(os.path.abspath(source)).hex()}|{st.st_size}|{st.st_mtime_ns}|{start:.4f}|{end}"
    folder = cache / hashlib.sha1(key.encode()).hexdigest()[:12]
    name = region_name(source, start, _info(source).duration if end is None else end)
    if (folder / name).is_file():
        return folder / name
    return export_region(source, start, end, folder, name)


def _info(source: Path) -> AudioInfo:
    try:
        return audio_info(source)
    except AudioDecodeError as exc:
        raise QueryFileError(str(exc)) from exc
