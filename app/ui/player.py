"""Audio playback that degrades: without PortAudio or an output device the app runs with play disabled.

sounddevice is imported lazily. Files of any length are streamed (SearchService.playback_stream: a reader
thread decodes ahead from an offset); opening one runs on a worker, the PortAudio callback only pulls
frames, and a QTimer turns the stream's position into ``position_changed`` for the playhead and time.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal

from app.errors import describe_path
from app.ui.workers import TaskRunner

Opener = Callable[..., Any]  # SearchService.playback_stream(path, start, end, rate, channels) -> PlaybackStream


def probe_backend(enabled: bool = True, backend: Any = None) -> tuple[Any, str]:
    """(sounddevice-like module, "") when playback can work, else (None, reason for the user)."""
    if not enabled:
        return None, "Playback disabled (started with --no-audio)"
    if os.environ.get("NUDGE_NO_AUDIO"):
        return None, "Playback disabled (NUDGE_NO_AUDIO is set)"
    return probe_device("output", "Playback disabled", backend)


def probe_device(kind: str, prefix: str, backend: Any = None) -> tuple[Any, str]:
    """(sounddevice-like module, "") when the default ``kind`` ("input" / "output") device works,
    else (None, "<prefix>: why")."""
    if backend is None:
        try:
            import sounddevice as backend  # lazy: PortAudio may be missing
        except OSError as exc:
            return None, f"{prefix}: PortAudio library not found ({exc})"
        except ImportError:
            return None, f"{prefix}: the sounddevice package is not installed"
    try:
        device = backend.query_devices(kind=kind)
    except Exception as exc:  # PortAudioError, ValueError: no default device of that kind
        return None, f"{prefix}: no audio {kind} device ({exc})"
    if not device or int(device.get(f"max_{kind}_channels", 0)) < 1:
        return None, f"{prefix}: no audio {kind} device"
    return backend, ""


class Player(QObject):
    """Plays one file (or a range of it) at a time, streamed: any length. ``available``/``reason`` say whether
    and why not."""

    started = Signal(object)  # Path
    stopped = Signal()
    position_changed = Signal(float)  # seconds into the playing file
    error = Signal(str)

    def __init__(self, runner: TaskRunner, open_stream: Opener, enabled: bool = True,
                 backend: ModuleType | Any = None, parent: QObject | None = None):
        super().__init__(parent)
        self._runner = runner
        self._open_source = open_stream  # files are read by the service (model.audio_io), never here
        self._sd, self.reason = probe_backend(enabled, backend)
        self._seq = 0  # a newer play() or stop() makes sources still opening stale (closed on arrival)
        self._stream: Any = None
        self._source: Any = None
        self.current: Path | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(30)
        self._timer.timeout.connect(self._tick)

    @property
    def available(self) -> bool:
        return self._sd is not None

    @property
    def playing(self) -> bool:
        return self._stream is not None

    def play(self, path: Path, start: float = 0.0, end: float | None = None) -> None:
        """Play ``path`` from ``start`` to ``end`` seconds (None: its end). The file is opened and its first
        block decoded off the GUI thread, then the device starts; a newer play() supersedes a pending one."""
        if not self.available:
            return
        self.stop()
        self._request(Path(path), start, end, None)

    def toggle(self, path: Path, start: float = 0.0, end: float | None = None) -> None:
        if self.playing and self.current == Path(path):
            self.stop()
        else:
            self.play(path, start, end)

    def seek(self, seconds: float) -> None:
        """Jump to ``seconds`` in the playing file (kept within its range end when before it)."""
        if self._source is None or self.current is None:
            return
        end = self._source.end if seconds < self._source.end and self._source.end < self._source.duration else None
        self.play(self.current, max(0.0, seconds), end)

    def stop(self) -> None:
        self._seq += 1
        stream, self._stream = self._stream, None
        source, self._source = self._source, None
        if source is not None:
            source.close()
        if stream is None:
            return
        self._timer.stop()
        try:
            stream.abort()
            stream.close()
        except Exception:  # device vanished mid-play: nothing left to release
            pass
        self.stopped.emit()

    def position(self) -> float:
        return self._source.position if self._source is not None else 0.0

    # internals ---------------------------------------------------------------------------
    def _request(self, path: Path, start: float, end: float | None, rate: int | None) -> None:
        device = self._sd.query_devices(kind="output")
        channels = max(1, int(device.get("max_output_channels", 2)))
        seq, opener = self._seq, self._open_source

        def open_source() -> Any:
            source = opener(path, start, end, rate, channels)
            source.begin()  # the first block is decoded before the device asks for it
            return source

        def opened(source: Any) -> None:
            if seq != self._seq:  # stopped or superseded meanwhile
                source.close()
                return
            self._start(path, source, device, retry=rate is None)

        def failed(exc: BaseException) -> None:
            if seq == self._seq:
                self.error.emit(f"Cannot play {describe_path(path.name)}: {exc}")

        self._runner.submit(open_source, opened, failed)

    def _start(self, path: Path, source: Any, device: dict, retry: bool) -> None:
        sd = self._sd
        try:
            stream = self._open(source)
        except sd.PortAudioError as exc:
            source.close()
            if retry:  # the device refuses the file's rate: stream it resampled to the device's own
                self._request(path, source.start, source.end if source.end < source.duration else None,
                              int(device.get("default_samplerate") or 48_000))
            else:
                self.error.emit(f"Cannot play {path.name}: {exc}")
            return
        self._stream, self._source, self.current = stream, source, path
        stream.start()
        self._timer.start()
        self.started.emit(path)

    def _open(self, source: Any) -> Any:
        sd = self._sd

        def callback(outdata: np.ndarray, frames: int, _time: Any, _status: Any) -> None:
            chunk, ended = source.read(frames)
            outdata[: len(chunk)] = chunk
            outdata[len(chunk) :] = 0  # the reader fell behind (or the end): silence
            if ended:
                raise sd.CallbackStop

        return sd.OutputStream(samplerate=source.sample_rate, channels=source.channels, dtype="float32",
                               callback=callback)

    def _tick(self) -> None:
        stream, source = self._stream, self._source
        if stream is None:
            return
        active = stream.active  # read first: once inactive, the position below is the final one
        self.position_changed.emit(source.position)
        if not active:
            if source.error:
                self.error.emit(f"Playback of {describe_path(self.current.name)} stopped: {source.error}")
            self.stop()
