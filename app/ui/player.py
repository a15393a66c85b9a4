"""Audio playback that degrades: without PortAudio or an output device the app runs with play disabled.

sounddevice is imported lazily. Decoding runs on a worker; the PortAudio callback only copies
frames and advances a counter, which a QTimer turns into ``position_changed`` for the playhead.
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
from app.ui.workers import Latest, TaskRunner

Decoder = Callable[[Path], tuple[np.ndarray, int]]  # SearchService.playback_audio: (frames, channels), rate


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
    """Plays one file at a time. ``available``/``reason`` say whether and why not."""

    started = Signal(object)  # Path
    stopped = Signal()
    position_changed = Signal(float)  # seconds into the playing file
    error = Signal(str)

    def __init__(self, runner: TaskRunner, decode: Decoder, enabled: bool = True, backend: ModuleType | Any = None,
                 parent: QObject | None = None):
        super().__init__(parent)
        self._decoder = decode  # files are decoded by the service (model.audio_io), never here
        self._sd, self.reason = probe_backend(enabled, backend)
        self._decode = Latest(runner)
        self._stream: Any = None
        self._data = np.zeros((0, 1), np.float32)
        self._frame = 0
        self._sr = 1
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

    def play(self, path: Path) -> None:
        """Decode off the GUI thread, then start; a newer play() supersedes a pending one."""
        if not self.available:
            return
        self.stop()
        path = Path(path)
        self._decode.request(lambda: self._decoder(path), lambda d: self._start(path, *d),
                             lambda exc: self.error.emit(f"Cannot play {describe_path(path.name)}: {exc}"))

    def toggle(self, path: Path) -> None:
        if self.playing and self.current == Path(path):
            self.stop()
        else:
            self.play(path)

    def stop(self) -> None:
        self._decode.invalidate()
        stream, self._stream = self._stream, None
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
        return self._frame / self._sr

    # internals ---------------------------------------------------------------------------
    def _start(self, path: Path, data: np.ndarray, sr: int) -> None:
        sd = self._sd
        device = sd.query_devices(kind="output")
        max_ch = max(1, int(device.get("max_output_channels", 2)))
        if data.shape[1] > max_ch:
            data = data[:, :max_ch] if max_ch > 1 else data.mean(axis=1, keepdims=True)
        try:
            stream = self._open(data, sr)
        except sd.PortAudioError:
            target = int(device.get("default_samplerate") or 48_000)
            import soxr

            data = soxr.resample(data, sr, target).astype(np.float32)
            sr = target
            try:
                stream = self._open(data, sr)
            except sd.PortAudioError as exc:
                self.error.emit(f"Cannot play {path.name}: {exc}")
                return
        self._stream, self.current = stream, path
        stream.start()
        self._timer.start()
        self.started.emit(path)

    def _open(self, data: np.ndarray, sr: int) -> Any:
        sd = self._sd
        self._data, self._sr, self._frame = np.ascontiguousarray(data), sr, 0

        def callback(outdata: np.ndarray, frames: int, _time: Any, _status: Any) -> None:
            start = self._frame
            chunk = self._data[start : start + frames]
            outdata[: len(chunk)] = chunk
            outdata[len(chunk) :] = 0
            self._frame = start + len(chunk)
            if len(chunk) < frames:
                raise sd.CallbackStop

        return sd.OutputStream(samplerate=sr, channels=data.shape[1], dtype="float32", callback=callback)

    def _tick(self) -> None:
        stream = self._stream
        if stream is None:
            return
        active = stream.active  # read first: once inactive, the position below is the final one
        self.position_changed.emit(self.position())
        if not active:
            self.stop()
