"""Microphone query with a stand-in input stream: record, level meter, stop, trim, the take becomes the
query; without an input device the button says why."""

from __future__ import annotations

import threading

import numpy as np

from app.recording import sound_bounds
from app.ui.recorder import probe_input
from tests import ui_support
from tests.ui_support import WAIT_MS, close_window, open_window, results_after

library = ui_support.library  # fixtures
indexed_service = ui_support.indexed_service
RATE = 48_000


def take_signal() -> np.ndarray:
    """0.4 s near-silence, 0.8 s of a loud tone, 0.4 s near-silence."""
    t = np.arange(int(0.8 * RATE)) / RATE
    quiet = np.full(int(0.4 * RATE), 1e-4, np.float32)
    return np.concatenate([quiet, (0.5 * np.sin(2 * np.pi * 440 * t)).astype(np.float32), quiet])


class StandInInput:
    """sounddevice stand-in: an input device whose stream plays ``take_signal`` into the callback."""

    def __init__(self, has_input: bool = True):
        self.has_input = has_input
        self.streams: list = []

    def query_devices(self, kind: str | None = None) -> dict:
        if kind == "input" and not self.has_input:
            raise ValueError("No input device matching ''")
        return {"name": "stand-in", "max_input_channels": 1, "max_output_channels": 2}

    def InputStream(self, samplerate, channels, dtype, callback):  # noqa: N802 - sounddevice's name
        stream = _Stream(callback, take_signal())
        self.streams.append((samplerate, channels, stream))
        return stream


class _Stream:
    def __init__(self, callback, signal: np.ndarray):
        self.callback, self.signal = callback, signal
        self.done = threading.Event()
        self.fed = threading.Event()
        self._stop = threading.Event()

    def start(self) -> None:
        def feed() -> None:
            for i in range(0, len(self.signal), 1024):
                if self._stop.is_set():
                    return
                block = self.signal[i : i + 1024].reshape(-1, 1)
                self.callback(block, len(block), None, None)
            self.fed.set()

        self._thread = threading.Thread(target=feed, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)

    def close(self) -> None:
        self.done.set()


def test_sound_bounds_trim_silence():
    start, end = sound_bounds(take_signal(), RATE)
    assert abs(start - 0.35) < 0.02 and abs(end - 1.25) < 0.02
    assert sound_bounds(np.zeros(RATE, np.float32), RATE) == (0.0, 1.0)


def test_record_a_take_and_search_with_it(qtbot, tmp_path, indexed_service, library):
    backend = StandInInput()
    window = open_window(qtbot, indexed_service, tmp_path, audio=True, backend=backend)
    window.start(offer_demo=False)
    assert window.query.record_button.isEnabled()
    window.query.record_button.click()
    dialog = window.record_dialog
    levels: list[float] = []
    dialog.recorder.level_changed.connect(levels.append)
    dialog.record_button.click()
    assert dialog.record_button.text() == "■ Stop" and backend.streams[0][:2] == (RATE, 1)
    stream = backend.streams[0][2]
    qtbot.waitUntil(stream.fed.is_set, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: max(levels, default=0) > 0.4, timeout=WAIT_MS)  # the meter saw the tone
    assert dialog.level.value() >= 0 and dialog.recorder.seconds > 1.5
    with qtbot.waitSignal(dialog.trimmed, timeout=WAIT_MS) as trimmed:
        dialog.record_button.click()  # stop
    assert stream.done.is_set() and not dialog.recorder.recording
    start, end = trimmed.args[0]
    assert abs(start - 0.35) < 0.02 and abs(end - 1.25) < 0.02
    assert dialog.start_box.value() == round(start, 2) and dialog.use_button.isEnabled()
    dialog.end_box.setValue(1.0)  # trim by hand too
    done = results_after(qtbot, window, dialog.use_button.click, text="")
    take = done.step.query
    assert take.parent == indexed_service.data_dir / "recordings" and take.suffix == ".wav"
    assert window.session.query == take and len(done.results) == 8  # the take is not in the library
    import soundfile as sf

    info = sf.info(str(take))
    assert info.samplerate == RATE and abs(info.duration - (1.0 - dialog.start_box.value())) < 0.01
    close_window(window)


def test_without_an_input_device_the_button_says_why(qtbot, tmp_path, indexed_service):
    backend, reason = probe_input(True, StandInInput(has_input=False))
    assert backend is None and reason.startswith("No microphone")
    window = open_window(qtbot, indexed_service, tmp_path, audio=True, backend=StandInInput(has_input=False))
    button = window.query.record_button
    assert not button.isEnabled() and "no microphone" in button.text()
    assert button.toolTip().startswith("No microphone: no audio input device")
    assert window.player.available  # playback still works
    close_window(window)
