"""Every sound file is opened here: decoding to 16 kHz mono float32 (soundfile + soxr) in bounded-memory blocks,
header info, playback samples and waveform blocks at the file's own rate. Paths may be str, PathLike or bytes (POSIX
names that are not UTF-8). Only regular files are opened: a FIFO, device or socket is refused before soundfile could
block on it. Every failure is an AudioDecodeError whose message names the file and says what is wrong.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

import numpy as np
import soundfile as sf
import soxr

from model.errors import ABSENT_ERROR, AudioDecodeError, describe_path

TARGET_SR = 16_000
BLOCK_SECONDS = 30.0
LONG_PATH = 1000  # bytes: libsndfile refuses longer file names (about 1 KB); such files are opened by Python
MIN_SAMPLES = 64  # 4 ms at 16 kHz: shorter decoded audio (e.g. one sample) says nothing about a sound
SILENCE_PEAK = 1e-5  # -100 dBFS: below this everywhere the file is digital silence
# Extensions soundfile (libsndfile >= 1.1) decodes (app.scan imports only these).
AUDIO_EXTENSIONS = frozenset(
    ".wav .wave .bwf .rf64 .w64 .flac .ogg .oga .opus .mp3 .aif .aiff .aifc .caf .au .snd "
    ".voc .sd2 .htk .ircam .sf .nist .sph .paf .pvf .xi .mat .mat4 .mat5 .avr .svx .8svx .wve".split()
)
_READ_ERRORS = (sf.LibsndfileError, RuntimeError, OSError, ValueError, EOFError)
_KINDS = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISSOCK, "a socket"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"), (stat.S_ISDIR, "a folder"))


@dataclass(frozen=True)
class AudioInfo:
    samplerate: int
    channels: int
    frames: int
    format: str = ""  # container: WAV, FLAC, OGG, MP3, ...
    subtype: str = ""  # encoding: PCM_24, FLOAT, VORBIS, ...

    @property
    def duration(self) -> float:
        return self.frames / self.samplerate if self.samplerate else 0.0


def file_kind(mode: int) -> str | None:
    """None for a regular file, else what it is ("a FIFO (named pipe)", "a socket", ...)."""
    if stat.S_ISREG(mode):
        return None
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def check_regular_file(path: str | os.PathLike | bytes) -> os.stat_result:
    """stat() of a regular file (symlinks followed); AudioDecodeError for anything else, never opened."""
    try:
        st = os.stat(path)
    except FileNotFoundError as exc:
        raise AudioDecodeError(f"{describe_path(path)} {ABSENT_ERROR}") from exc
    except OSError as exc:
        raise AudioDecodeError(f"cannot read {describe_path(path)}: {exc.strerror or exc}") from exc
    kind = file_kind(st.st_mode)
    if kind == "a folder":
        raise AudioDecodeError(f"{describe_path(path)} is a folder, not an audio file")
    if kind is not None:
        raise AudioDecodeError(f"{describe_path(path)} is not a regular file ({kind}): it is never opened")
    if st.st_size == 0:
        raise AudioDecodeError(f"{describe_path(path)} is empty (0 bytes)")
    return st


# libsndfile decodes MP3 with mpg123, which prints "Note: ..." / "Warning: ..." lines about ID3 tags
# and resyncs straight to the process's stderr; they are noise for the user, so they are swallowed
MPG123_EXTENSIONS = (".mp3", ".mp2", ".mpga")
_MPG123_PREFIXES = (b"Note:", b"Warning:", b"[src/libmpg123", b"[libmpg123")
_stderr_lock = threading.Lock()


@contextlib.contextmanager
def quiet_decoder(path: str | os.PathLike | bytes) -> Iterator[None]:
    """Around libsndfile calls on an MPEG file: mpg123's stderr notes are dropped, other output kept."""
    if not os.fsdecode(path).lower().endswith(MPG123_EXTENSIONS):
        yield
        return
    with _stderr_lock, tempfile.TemporaryFile() as sink:
        sys.stderr.flush()
        saved = os.dup(2)
        os.dup2(sink.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            sink.seek(0)
            kept = [line for line in sink.read().splitlines(keepends=True)
                    if not line.lstrip().startswith(_MPG123_PREFIXES)]
            if kept:
                os.write(2, b"".join(kept))


def _sf_path(path: str | os.PathLike | bytes) -> str | bytes:
    """soundfile encodes str paths strictly as UTF-8; bytes on POSIX open any file name."""
    return os.fsencode(path) if os.name == "posix" else os.fsdecode(path)


@contextlib.contextmanager
def _sf_source(path: str | os.PathLike | bytes) -> Iterator[str | bytes | BinaryIO]:
    """What soundfile reads: the path, or for a path longer than libsndfile takes (LONG_PATH; the system allows 4
    KB) the file opened here ("Supplied filename too long" read as "not a valid .wav file")."""
    if len(os.fsencode(path)) < LONG_PATH:
        yield _sf_path(path)
        return
    with open(path, "rb") as f:
        yield f


def decode_error(path: str | os.PathLike | bytes, exc: BaseException) -> AudioDecodeError:
    """What a decoder failure means for the user (libsndfile's own texts can mislead)."""
    name = describe_path(path)
    if not os.path.lexists(path):
        return AudioDecodeError(f"{name} {ABSENT_ERROR}")
    if isinstance(exc, PermissionError) or not os.access(path, os.R_OK):
        return AudioDecodeError(f"cannot read {name}: permission denied")
    reason = str(getattr(exc, "error_string", "") or exc).strip().rstrip(".")
    ext = os.path.splitext(os.fsdecode(path))[1].lower() or "audio"
    if ext != "audio" and ext not in AUDIO_EXTENSIONS:
        return AudioDecodeError(f"cannot decode {name}: {ext} is not a sound file format Nudge reads (WAV, FLAC, "
                                "OGG, MP3, AIFF and the other formats libsndfile reads)")
    if ext not in (".mp3", ".aiff", ".aif", ".wav") and _starts_with(path, b"ID3"):  # trial 49: "embedding not ..."
        return AudioDecodeError(f"cannot decode {name}: it starts with an ID3 tag, which a {ext} file cannot hold "
                                "(remove the tag, or save the file again, and import it again)")
    if "possibly a pipe" in reason or reason == "System error":  # libsndfile's words for an unparsable file
        return AudioDecodeError(f"cannot decode {name}: not a valid {ext} file (damaged, or another format)")
    return AudioDecodeError(f"cannot decode {name}: not a valid {ext} file ({reason})")


def _starts_with(path: str | os.PathLike | bytes, head: bytes) -> bool:
    with contextlib.suppress(OSError), open(path, "rb") as f:
        return f.read(len(head)) == head
    return False


def audio_info(path: str | os.PathLike | bytes) -> AudioInfo:
    """Header info (samplerate, channels, frames, duration) or AudioDecodeError."""
    check_regular_file(path)
    try:
        with quiet_decoder(path), _sf_source(path) as source:
            info = sf.info(source)
    except _READ_ERRORS as exc:
        raise decode_error(path, exc) from exc
    return AudioInfo(int(info.samplerate), int(info.channels), int(info.frames), str(info.format),
                     str(info.subtype))


def to_mono(samples: np.ndarray) -> np.ndarray:
    """Average channels: (frames, channels) -> (frames,)."""
    if samples.ndim == 1:
        return samples.astype(np.float32, copy=False)
    mono = samples[:, 0].astype(np.float32)  # column adds beat mean(axis=1) by ~10x on interleaved data
    for channel in range(1, samples.shape[1]):
        mono += samples[:, channel]
    if samples.shape[1] > 1:
        mono *= np.float32(1.0 / samples.shape[1])
    return mono


def resample(samples: np.ndarray, sr: int, target_sr: int = TARGET_SR) -> np.ndarray:
    """Resample a mono signal with soxr (HQ)."""
    if sr == target_sr:
        return samples.astype(np.float32, copy=False)
    return soxr.resample(samples, sr, target_sr, quality="HQ").astype(np.float32, copy=False)


def iter_native_blocks(
    path: str | os.PathLike | bytes, block_seconds: float = BLOCK_SECONDS, max_seconds: float | None = None,
    start_seconds: float = 0.0,
) -> Iterator[tuple[np.ndarray, int, int]]:
    """(block (frames, channels) float32, rate, header frames) at the file's rate, from start_seconds (max_seconds)."""
    check_regular_file(path)
    try:
        with _sf_source(path) as source:
            yield from _read_blocks(path, source, block_seconds, max_seconds, start_seconds)
    except AudioDecodeError:
        raise
    except _READ_ERRORS as exc:
        raise decode_error(path, exc) from exc


def _read_blocks(path: str | os.PathLike | bytes, source: str | bytes | BinaryIO, block_seconds: float,
                 max_seconds: float | None, start_seconds: float) -> Iterator[tuple[np.ndarray, int, int]]:
    """iter_native_blocks' reading (its errors are said there)."""
    with quiet_decoder(path):
        f = sf.SoundFile(source)
    with f:
        if f.frames == 0:
            raise AudioDecodeError(f"{describe_path(path)} contains no audio (0 frames)")
        block = max(1, int(block_seconds * f.samplerate))
        first = min(f.frames, max(0, int(round(start_seconds * f.samplerate))))
        if start_seconds > 0 and first >= f.frames:
            raise AudioDecodeError(f"{describe_path(path)} is {f.frames / f.samplerate:.1f} s long: nothing "
                                   f"to read from {start_seconds:.1f} s on (a range past its end)")
        if first:
            with quiet_decoder(path):
                f.seek(first)
        left = f.frames - first
        if max_seconds is not None:
            left = min(left, max(1, int(max_seconds * f.samplerate)))
        at = first
        while left > 0:
            try:
                with quiet_decoder(path):
                    data = f.read(min(block, left), dtype="float32", always_2d=True)
            except _READ_ERRORS as exc:  # damaged part-way (an interrupted copy of a FLAC, OGG or MP3)
                yield from _read_up_to_damage(path, source, at, left, f.samplerate, f.frames, exc)
                return
            if data.shape[0] == 0:
                break  # the header promised more frames than the file holds
            left -= data.shape[0]
            at += data.shape[0]
            yield data, f.samplerate, f.frames


_damage = threading.local()  # the note and length of the last file this thread read up to its damage


def take_damage() -> tuple[str | None, float | None]:
    """What the last file decoded in this thread lost to damage part-way ("... is damaged after 2.3 s of its 5.0 s
    ...: the 2.3 s before were imported") and the seconds that decoded (the file's length as imported: a trial's FLAC
    cut after 1.8 s listed 0:17.7 from its header), then forgotten; (None, None) when it decoded whole."""
    note, kept = getattr(_damage, "note", None), getattr(_damage, "kept", None)
    _damage.note = _damage.kept = None
    return note, kept


_DAMAGE_STEP = 4096  # frames read at a time from a damaged block's start, to keep what precedes the damage


def _read_up_to_damage(path: str | os.PathLike | bytes, source: str | bytes | BinaryIO, at: int, left: int,
                       rate: int, frames: int, exc: BaseException) -> Iterator[tuple[np.ndarray, int, int]]:
    """The frames from ``at`` that still decode, in small reads from a fresh decoder (take_damage says how much
    was kept); the decoder's error when nothing at all decodes (the damage is at the start)."""
    got = 0
    try:
        if not isinstance(source, (str, bytes)):
            source.seek(0)
        with quiet_decoder(path), sf.SoundFile(source) as again:
            if at:
                again.seek(at)
            while got < left:
                data = again.read(min(_DAMAGE_STEP, left - got), dtype="float32", always_2d=True)
                if data.shape[0] == 0:
                    break
                got += data.shape[0]
                yield data, rate, frames
    except _READ_ERRORS:
        pass
    if at + got == 0:
        raise decode_error(path, exc) from exc
    _damage.kept = kept = (at + got) / rate
    there = f"{kept:.1f}" if kept >= 1 else f"{kept:.2f}"
    _damage.note = (f"{describe_path(path)} is damaged after {there} s of its {frames / rate:.1f} s (an interrupted "
                    f"copy?): the {there} s before were imported")


def read_native(path: str | os.PathLike | bytes, max_seconds: float | None = None,
                start_seconds: float = 0.0, finite: bool = True) -> tuple[np.ndarray, int]:
    """(frames, channels) float32 at the file's own rate (max_seconds from start_seconds), e.g. for playback
    or a region of a long take; NaN / infinite samples as 0 (``finite``), else kept for check_selection."""
    blocks, rates = [], []
    for data, rate, _ in iter_native_blocks(path, max_seconds=max_seconds, start_seconds=start_seconds):
        blocks.append(data)
        rates.append(rate)
    if not blocks:
        raise AudioDecodeError(f"{describe_path(path)} contains no audio")
    data = np.concatenate(blocks) if len(blocks) > 1 else blocks[0]
    return (np.nan_to_num(data, nan=0.0, posinf=0.0, neginf=0.0) if finite else data), rates[0]


class _Validator:
    """Refuses audio that cannot describe a sound: non-finite samples, too short, silent (``what``: how the messages
    name it, a file or a selection of one)."""

    def __init__(self, what: str) -> None:
        self.what, self.peak = what, 0.0

    def block(self, mono: np.ndarray) -> None:
        if not np.all(np.isfinite(mono)):
            raise AudioDecodeError(f"{self.what} contains NaN or infinite samples (damaged float audio)")
        if mono.size:
            self.peak = max(self.peak, float(np.max(np.abs(mono))))

    def finish(self, produced: int) -> None:
        """``produced``: samples at 16 kHz."""
        if produced < MIN_SAMPLES:
            raise AudioDecodeError(f"{self.what} is too short ({1000 * produced / TARGET_SR:.1f} ms of "
                                   f"audio; at least {1000 * MIN_SAMPLES / TARGET_SR:.0f} ms are needed)")
        if self.peak < SILENCE_PEAK:
            raise AudioDecodeError(f"{self.what} is silent (no sample above -100 dBFS)")


def check_selection(samples: np.ndarray, sr: int, what: str) -> None:
    """Refuse a decoded selection of a file (``what`` names it; its samples at rate ``sr``, NaN kept) as a whole file
    is refused (AudioDecodeError): non-finite, shorter than MIN_SAMPLES at 16 kHz, or digital silence."""
    samples = np.asarray(samples, dtype=np.float32)
    validator = _Validator(what)
    validator.block(to_mono(samples) if samples.ndim else samples.reshape(0))
    validator.finish(int(len(samples) * TARGET_SR / max(sr, 1)) if samples.ndim else 0)


def iter_blocks_16k(
    path: str | os.PathLike | bytes, block_seconds: float = BLOCK_SECONDS, validate: bool = False
) -> Iterator[np.ndarray]:
    """Yield the file as consecutive 16 kHz mono float32 blocks (memory bounded by block size).

    validate: also refuse non-finite samples, audio under MIN_SAMPLES and digital silence."""
    validator = _Validator(describe_path(path)) if validate else None
    stream = None
    produced = 0
    for data, sr, _ in iter_native_blocks(path, block_seconds):
        mono = to_mono(data)
        if validator is not None:
            validator.block(mono)
        if sr != TARGET_SR and stream is None:
            stream = soxr.ResampleStream(sr, TARGET_SR, 1, "float32", "HQ")
        out = mono if stream is None else stream.resample_chunk(mono)
        if out.size:
            produced += out.size
            yield out
    if stream is not None:
        tail = stream.resample_chunk(np.zeros(0, np.float32), last=True)
        if tail.size:
            produced += tail.size
            yield tail
    if validator is not None:
        validator.finish(produced)
    if produced == 0:
        raise AudioDecodeError(f"{describe_path(path)} contains no audio")


def load_audio_16k(path: str | os.PathLike | bytes) -> np.ndarray:
    """Decode a whole file to 16 kHz mono float32 (use iter_blocks_16k for very long files)."""
    blocks = list(iter_blocks_16k(path))
    return np.concatenate(blocks) if len(blocks) > 1 else blocks[0]


def prepare_waveform(samples: np.ndarray, sr: int) -> np.ndarray:
    """In-memory signal of any rate and channel layout -> 16 kHz mono float32."""
    samples = np.asarray(samples, dtype=np.float32)
    if samples.ndim == 2 and samples.shape[0] < samples.shape[1] and samples.shape[0] <= 8:
        samples = samples.T  # (channels, frames) -> (frames, channels)
    if samples.ndim > 2:
        raise ValueError(f"expected mono or (frames, channels) audio, got shape {samples.shape}")
    if not np.all(np.isfinite(samples)):
        samples = np.nan_to_num(samples, nan=0.0, posinf=0.0, neginf=0.0)
    return resample(to_mono(samples), sr)


def write_wav(path: str | os.PathLike, samples: np.ndarray, sr: int) -> None:
    """Write mono or (frames, channels) float audio as 24-bit WAV (recorded takes)."""
    sf.write(_sf_path(path), np.asarray(samples, dtype=np.float32), int(sr), subtype="PCM_24", format="WAV")


def write_blocks(path: str | os.PathLike | bytes, blocks: Iterable[np.ndarray], sr: int, channels: int,
                 subtype: str = "PCM_24", container: str = "WAV") -> int:
    """Write (frames, channels) float blocks as one file (WAV, or RF64 past 4 GB); returns frames written.
    Every write failure is an OSError (disk full, no permission): libsndfile's own error says only "System error."
    for a full disk, so its reason is found out here."""
    if not sf.check_format(container, subtype):
        raise ValueError(f"{container} cannot hold {subtype} audio")
    frames = 0
    try:
        with sf.SoundFile(_sf_path(path), "w", samplerate=int(sr), channels=int(channels), subtype=subtype,
                          format=container) as f:
            for block in blocks:
                f.write(np.asarray(block, dtype=np.float32).reshape(-1, channels))
                frames += len(block)
    except sf.LibsndfileError as exc:
        raise _write_error(path, exc) from exc
    return frames


def _write_error(path: str | os.PathLike | bytes, exc: BaseException) -> OSError:
    """An OSError saying why libsndfile could not write ``path``: a full disk (or quota), else its own words."""
    import errno
    import shutil

    folder = os.path.dirname(os.path.abspath(os.fsdecode(path)))
    try:
        full = shutil.disk_usage(folder).free < 1 << 20
    except OSError:
        full = False
    if full:
        return OSError(errno.ENOSPC, "no space left on the disk", os.fsdecode(path))
    return OSError(errno.EIO, f"the sound could not be written ({exc})", os.fsdecode(path))
