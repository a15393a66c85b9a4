"""Playback of any length: a file streamed from an offset in blocks, read ahead on a thread.

No Qt. The audio device's callback pulls frames with ``read`` (never blocks, never opens the file); a
feeder thread decodes blocks through model.audio_io (resampled for a device that refuses the file's rate,
channels mixed down for a device with fewer) into a bounded queue, so memory stays small for a 2-hour take.
"""

from __future__ import annotations

import os
import queue
import threading

import numpy as np
import soxr

from model.audio_io import audio_info, iter_native_blocks

BLOCK_SECONDS = 0.25
AHEAD_BLOCKS = 16  # 4 s decoded ahead of the device
PRIME_TIMEOUT = 10.0  # seconds to wait for the first block before starting anyway


class PlaybackStream:
    """``path`` from ``start`` to ``end`` seconds (None: its end) at ``rate`` Hz (None: the file's own) with at
    most ``channels`` channels. ``position`` is the time in the file of the last frame handed out.
    AudioDecodeError from the constructor if the file cannot be read; a decode failure later ends the stream
    early with ``error`` set."""

    def __init__(self, path: str | os.PathLike | bytes, start: float = 0.0, end: float | None = None,
                 rate: int | None = None, channels: int | None = None):
        info = audio_info(path)
        self.path = path
        self.duration = info.duration
        self.native_rate = info.samplerate
        self.sample_rate = int(rate or info.samplerate)
        self.channels = min(info.channels, channels) if channels else info.channels
        self.start = min(max(0.0, float(start)), info.duration)
        self.end = info.duration if end is None else min(max(float(end), self.start), info.duration)
        self.error: str | None = None
        self.frames_out = 0  # at sample_rate
        self._queue: queue.Queue[np.ndarray | None] = queue.Queue(maxsize=AHEAD_BLOCKS)
        self._stop = threading.Event()
        self._primed = threading.Event()
        self._current = np.zeros((0, self.channels), np.float32)
        self._finished = False
        self._thread = threading.Thread(target=self._feed, name="playback-feeder", daemon=True)

    @property
    def position(self) -> float:
        return self.start + self.frames_out / self.sample_rate

    def begin(self, timeout: float = PRIME_TIMEOUT) -> None:
        """Start reading ahead; returns once the first block is decoded (or the file has ended)."""
        self._thread.start()
        self._primed.wait(timeout)

    def read(self, frames: int) -> tuple[np.ndarray, bool]:
        """Up to ``frames`` frames (frames, channels) float32 and whether the stream has ended. Fewer frames
        than asked without the end: the reader is behind (play silence, ask again)."""
        parts, want = [], frames
        while want > 0 and not self._finished:
            if not len(self._current):
                try:
                    block = self._queue.get_nowait()
                except queue.Empty:
                    break
                if block is None:
                    self._finished = True
                    break
                self._current = block
            take = self._current[:want]
            self._current = self._current[want:]
            parts.append(take)
            want -= len(take)
        out = np.concatenate(parts) if len(parts) > 1 else parts[0] if parts else self._current[:0]
        self.frames_out += len(out)
        return out, self._finished and not len(self._current)

    def close(self) -> None:
        self._stop.set()
        while True:  # unblock a feeder waiting on a full queue
            try:
                self._queue.get_nowait()
            except queue.Empty:
                break

    # feeder thread ------------------------------------------------------------------------
    def _put(self, item: np.ndarray | None) -> bool:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.1)
                self._primed.set()
                return True
            except queue.Full:
                continue
        return False

    def _shape(self, block: np.ndarray) -> np.ndarray:
        block = np.nan_to_num(block, nan=0.0, posinf=0.0, neginf=0.0)
        if block.shape[1] > self.channels:
            block = block[:, : self.channels] if self.channels > 1 else block.mean(axis=1, keepdims=True)
        return np.ascontiguousarray(block, dtype=np.float32)

    def _feed(self) -> None:
        resampler = None
        if self.sample_rate != self.native_rate:
            resampler = soxr.ResampleStream(self.native_rate, self.sample_rate, self.channels, "float32", "HQ")
        try:
            if self.end > self.start:
                blocks = iter_native_blocks(self.path, BLOCK_SECONDS, self.end - self.start, self.start)
                for block, _, _ in blocks:
                    out = self._shape(block)
                    if resampler is not None:
                        out = resampler.resample_chunk(out)
                    if len(out) and not self._put(out):
                        return
            if resampler is not None:
                tail = resampler.resample_chunk(np.zeros((0, self.channels), np.float32), last=True)
                if len(tail) and not self._put(tail):
                    return
        except Exception as exc:  # noqa: BLE001 - a damaged file ends playback with a message, never a crash
            self.error = str(exc)
        self._put(None)
        self._primed.set()
