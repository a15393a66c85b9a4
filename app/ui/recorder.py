"""Microphone query: record from the default input (sounddevice), level meter, stop, trim; the take
becomes the query (saved in the data dir's recordings/ folder). Without an input device the record
button says why and everything else works. The PortAudio callback only copies blocks; a QTimer turns
them into the level meter."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.service import SearchService
from app.ui.player import probe_device
from app.ui.workers import TaskRunner

RECORD_RATE = 48_000
MAX_RECORD_SECONDS = 120


def probe_input(enabled: bool = True, backend: Any = None) -> tuple[Any, str]:
    """(sounddevice-like module, "") when recording can work, else (None, reason for the user)."""
    if not enabled or os.environ.get("NUDGE_NO_AUDIO"):
        return None, "Recording disabled (audio is off: --no-audio or NUDGE_NO_AUDIO)"
    return probe_device("input", "No microphone", backend)


class Recorder(QObject):
    """One take at a time from the default input, mono."""

    level_changed = Signal(float)  # peak of the last blocks, 0..1
    stopped = Signal()

    def __init__(self, backend: Any, rate: int = RECORD_RATE, parent: QObject | None = None):
        super().__init__(parent)
        self.backend, self.rate = backend, rate
        self._blocks: list[np.ndarray] = []
        self._lock = threading.Lock()
        self._peak = 0.0
        self._stream: Any = None
        self._timer = QTimer(self)
        self._timer.setInterval(50)
        self._timer.timeout.connect(self._tick)

    @property
    def recording(self) -> bool:
        return self._stream is not None

    @property
    def seconds(self) -> float:
        with self._lock:
            return sum(len(b) for b in self._blocks) / self.rate

    def start(self) -> None:
        with self._lock:
            self._blocks, self._peak = [], 0.0
        self._stream = self.backend.InputStream(samplerate=self.rate, channels=1, dtype="float32",
                                                callback=self._callback)
        self._stream.start()
        self._timer.start()

    def _callback(self, indata: np.ndarray, frames: int, time_info: Any, status: Any) -> None:
        block = np.array(indata[:, 0] if indata.ndim == 2 else indata, dtype=np.float32)
        with self._lock:
            self._blocks.append(block)
            self._peak = max(self._peak, float(np.abs(block).max(initial=0.0)))

    def _tick(self) -> None:
        with self._lock:
            peak, self._peak = self._peak, 0.0
        self.level_changed.emit(min(peak, 1.0))
        if self.seconds >= MAX_RECORD_SECONDS:
            self.stop()

    def stop(self) -> None:
        if self._stream is None:
            return
        stream, self._stream = self._stream, None
        self._timer.stop()
        try:
            stream.stop()
            stream.close()
        finally:
            self.stopped.emit()

    def take(self) -> np.ndarray:
        with self._lock:
            return np.concatenate(self._blocks) if self._blocks else np.zeros(0, np.float32)


class RecordDialog(QDialog):
    """Record, watch the level, stop, trim (start/end, preset to where the sound is), use as the query."""

    take_ready = Signal(object)  # Path of the saved, trimmed take
    trimmed = Signal(object)  # (start, end) seconds found after a take (tests wait on it)
    message = Signal(str)

    def __init__(self, service: SearchService, runner: TaskRunner, backend: Any, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Record a query")
        self.service, self.runner = service, runner
        self.recorder = Recorder(backend, parent=self)
        self.record_button = QPushButton("● Record")
        self.level = QProgressBar()
        self.level.setRange(0, 100)
        self.level.setTextVisible(False)
        self.time_label = QLabel("0.0 s")
        self.start_box, self.end_box = self._seconds_box("Trim: start"), self._seconds_box("Trim: end")
        self.use_button = QPushButton("Use as query")
        self.use_button.setEnabled(False)
        self.use_button.setDefault(True)
        row = QHBoxLayout()
        row.addWidget(self.record_button)
        row.addWidget(self.level, 1)
        row.addWidget(self.time_label)
        trim_row = QHBoxLayout()
        trim_row.addWidget(QLabel("Keep from"))
        trim_row.addWidget(self.start_box)
        trim_row.addWidget(QLabel("to"))
        trim_row.addWidget(self.end_box)
        trim_row.addStretch(1)
        trim_row.addWidget(self.use_button)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Imitate the sound, or do a quick Foley take, then stop. Silence at both "
                                "ends is trimmed; adjust the trim if needed."))
        layout.addLayout(row)
        layout.addLayout(trim_row)
        self.record_button.clicked.connect(self.toggle)
        self.use_button.clicked.connect(self.use_take)
        self.recorder.level_changed.connect(self._level)
        self.recorder.stopped.connect(self._stopped)

    @staticmethod
    def _seconds_box(tip: str) -> QDoubleSpinBox:
        box = QDoubleSpinBox()
        box.setDecimals(2)
        box.setSingleStep(0.05)
        box.setSuffix(" s")
        box.setToolTip(tip)
        box.setEnabled(False)
        return box

    def toggle(self) -> None:
        if self.recorder.recording:
            self.recorder.stop()
            return
        try:
            self.recorder.start()
        except Exception as exc:  # PortAudioError: the device went away, is busy, ...
            self.message.emit(f"Cannot record: {exc}")
            return
        self.record_button.setText("■ Stop")
        self.use_button.setEnabled(False)

    def _level(self, peak: float) -> None:
        self.level.setValue(round(peak * 100))
        self.time_label.setText(f"{self.recorder.seconds:.1f} s")

    def _stopped(self) -> None:
        self.record_button.setText("● Record again")
        take = self.recorder.take()
        duration = len(take) / self.recorder.rate
        self.time_label.setText(f"{duration:.1f} s")
        if not len(take):
            self.message.emit("Nothing was recorded")
            return
        svc, rate = self.service, self.recorder.rate

        def bounds(found: tuple[float, float]) -> None:
            for box, value in zip((self.start_box, self.end_box), found, strict=True):
                box.setRange(0.0, duration)
                box.setValue(value)
                box.setEnabled(True)
            self.use_button.setEnabled(True)
            self.trimmed.emit(found)

        self.runner.submit(lambda: svc.take_bounds(take, rate), bounds,
                           lambda exc: self.message.emit(f"Cannot read this take: {exc}"))

    def use_take(self) -> None:
        svc, rate, take = self.service, self.recorder.rate, self.recorder.take()
        start, end = self.start_box.value(), self.end_box.value()
        self.use_button.setEnabled(False)

        def saved(path: Path) -> None:
            self.take_ready.emit(Path(path))
            self.accept()

        def failed(exc: BaseException) -> None:
            self.use_button.setEnabled(True)
            self.message.emit(f"Cannot use this take: {exc}")

        self.runner.submit(lambda: svc.save_take(take, rate, start, end), saved, failed)

    def reject(self) -> None:  # Qt override: closing stops a running take
        self.recorder.stop()
        super().reject()
