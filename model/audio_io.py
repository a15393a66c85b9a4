"""Audio decoding to 16 kHz mono float32 with soundfile + soxr, in bounded-memory blocks."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import soundfile as sf
import soxr

from model.errors import AudioDecodeError

TARGET_SR = 16_000
BLOCK_SECONDS = 30.0


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


def _describe(path: str | os.PathLike) -> str:
    return os.fsdecode(path).encode("utf-8", "backslashreplace").decode("utf-8")


# libsndfile reports any file it cannot recognise as "not a regular file (possibly a pipe?)"
_PIPE_MESSAGE = "possibly a pipe"
# libsndfile decodes MP3 with mpg123, which prints "Note: ..." / "Warning: ..." lines about ID3 tags
# and resyncs straight to the process's stderr; they are noise for the user, so they are swallowed
MPG123_EXTENSIONS = (".mp3", ".mp2", ".mpga")
_MPG123_PREFIXES = (b"Note:", b"Warning:", b"[src/libmpg123", b"[libmpg123")
_stderr_lock = threading.Lock()


def explain_open_error(path: str | os.PathLike, exc: BaseException) -> str:
    """The reason a sound file cannot be opened, in the user's terms."""
    message = str(exc)
    if not os.path.isfile(path):
        return message
    if os.path.getsize(path) == 0:
        return "the file is empty"
    if _PIPE_MESSAGE in message:
        return "not an audio format Nudge can read, or the file is damaged"
    return message


@contextlib.contextmanager
def quiet_decoder(path: str | os.PathLike) -> Iterator[None]:
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


def _sf_path(path: str | os.PathLike) -> str | bytes:
    """soundfile encodes str paths strictly as UTF-8; bytes on POSIX open any file name."""
    return os.fsencode(path) if os.name == "posix" else os.fspath(path)


def audio_info(path: str | os.PathLike) -> sf._SoundFileInfo:
    """Header info (samplerate, channels, frames, duration) or AudioDecodeError."""
    try:
        with quiet_decoder(path):
            return sf.info(_sf_path(path))
    except (sf.LibsndfileError, RuntimeError, OSError) as exc:
        raise AudioDecodeError(f"cannot read {_describe(path)}: {explain_open_error(path, exc)}") from exc


def iter_blocks_16k(
    path: str | os.PathLike, block_seconds: float = BLOCK_SECONDS
) -> Iterator[np.ndarray]:
    """Yield the file as consecutive 16 kHz mono float32 blocks (memory bounded by block size)."""
    if Path(path).is_dir():
        raise AudioDecodeError(f"{_describe(path)} is a folder, not an audio file")
    try:
        with quiet_decoder(path):
            f = sf.SoundFile(_sf_path(path))
        with f:
            if f.frames == 0:
                raise AudioDecodeError(f"{_describe(path)} contains no audio (0 frames)")
            sr = f.samplerate
            stream = None if sr == TARGET_SR else soxr.ResampleStream(sr, TARGET_SR, 1, "float32", "HQ")
            block = max(1, int(block_seconds * sr))
            produced = 0
            while True:
                with quiet_decoder(path):
                    data = f.read(block, dtype="float32", always_2d=True)
                last = data.shape[0] < block
                mono = to_mono(data)
                out = mono if stream is None else stream.resample_chunk(mono, last=last)
                if out.size:
                    produced += out.size
                    yield out
                if last:
                    break
    except AudioDecodeError:
        raise
    except (sf.LibsndfileError, RuntimeError, OSError, ValueError) as exc:
        raise AudioDecodeError(f"cannot decode {_describe(path)}: {explain_open_error(path, exc)}") from exc
    if produced == 0:
        raise AudioDecodeError(f"{_describe(path)} contains no audio")


def load_audio_16k(path: str | os.PathLike) -> np.ndarray:
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
