"""Playback: the app runs without audio and says why; with a device, the playhead follows playback."""

from __future__ import annotations

import sys
import threading
import time

import numpy as np
import pytest
from PySide6.QtCore import Qt

from app.service import SearchService
from app.ui.player import Player, probe_backend
from app.ui.workers import TaskRunner
from tests import ui_support
from tests.helpers import noise, tone, write_wav
from tests.ui_support import WAIT_MS, close_window, open_window, results_after

library = ui_support.library  # fixtures
indexed_service = ui_support.indexed_service


class PortAudioError(Exception):
    pass


class CallbackStop(Exception):
    pass


class DeviceDouble:
    """Stands in for the sounddevice module: one output device whose stream pulls frames from a thread,
    four times faster than real time, exactly as PortAudio calls the callback."""

    PortAudioError = PortAudioError
    CallbackStop = CallbackStop

    def __init__(self, rates=(16_000, 44_100, 48_000)):
        self.rates = rates
        self.streams: list[DeviceDouble.Stream] = []

    def query_devices(self, kind=None):
        return {"name": "double", "max_output_channels": 2, "default_samplerate": 48_000}

    def OutputStream(self, samplerate, channels, dtype, callback):  # noqa: N802 - sounddevice's name
        if samplerate not in self.rates:
            raise PortAudioError(f"Invalid sample rate {samplerate}")
        stream = DeviceDouble.Stream(samplerate, channels, callback)
        self.streams.append(stream)
        return stream

    class Stream:
        def __init__(self, samplerate, channels, callback):
            self.samplerate, self.channels, self.callback = samplerate, channels, callback
            self.frames_played = 0
            self._stop = threading.Event()
            self._thread = threading.Thread(target=self._run, daemon=True)

        @property
        def active(self) -> bool:
            return self._thread.is_alive()

        def start(self):
            self._thread.start()

        def _run(self):
            block = 1024
            while not self._stop.is_set():
                out = np.full((block, self.channels), np.nan, dtype=np.float32)
                try:
                    self.callback(out, block, None, None)
                except CallbackStop:
                    return
                finally:
                    assert not np.isnan(out).any(), "callback must fill every frame"
                    self.frames_played += block
                time.sleep(block / self.samplerate / 4)

        def abort(self):
            self._stop.set()

        def close(self):
            self._stop.set()


def test_probe_reasons(monkeypatch):
    assert probe_backend(enabled=False)[1] == "Playback disabled (started with --no-audio)"
    monkeypatch.setenv("NUDGE_NO_AUDIO", "1")
    assert "NUDGE_NO_AUDIO" in probe_backend()[1]
    monkeypatch.delenv("NUDGE_NO_AUDIO")

    class NoDevice(DeviceDouble):
        def query_devices(self, kind=None):
            raise PortAudioError("Error querying device -1")

    backend, reason = probe_backend(backend=NoDevice())
    assert backend is None and reason.startswith("Playback disabled: no audio output device")
    monkeypatch.setitem(sys.modules, "sounddevice", None)  # package missing
    assert probe_backend() == (None, "Playback disabled: the sounddevice package is not installed")
    backend, reason = probe_backend(backend=DeviceDouble())
    assert backend is not None and reason == ""


def test_window_without_audio_device_says_so(qtbot, tmp_path, indexed_service, library):
    window = open_window(qtbot, indexed_service, tmp_path, audio=False)
    window.start(offer_demo=False)
    results_after(qtbot, window, lambda: window.load_query(library / "tone_01.wav"), text="")
    assert not window.player.available
    assert window.query.audio_label.isVisible() and "Playback disabled" in window.query.audio_label.text()
    assert not window.query.play_button.isEnabled() and not window.results.play_button.isEnabled()
    assert window.audio_label.text() == "No playback" and "Playback disabled" in window.audio_label.toolTip()
    window.results.view.setFocus()
    qtbot.keyClick(window.results.view, Qt.Key.Key_Space)
    assert window.statusBar().currentMessage().startswith("Playback disabled")
    assert not window.player.playing
    close_window(window)


def test_playhead_follows_playback(qtbot, tmp_path, indexed_service, library):
    device = DeviceDouble()
    window = open_window(qtbot, indexed_service, tmp_path, audio=True, backend=device)
    window.start(offer_demo=False)
    query = library / "rain_like_00.wav"
    with qtbot.waitSignal(window.query.overview_loaded, timeout=WAIT_MS):
        results_after(qtbot, window, lambda: window.load_query(query), text="")
    assert window.query.play_button.isEnabled() and not window.query.audio_label.isVisible()
    positions: list[float] = []
    window.player.position_changed.connect(positions.append)
    with qtbot.waitSignal(window.player.started, timeout=WAIT_MS):
        qtbot.mouseClick(window.query.play_button, Qt.MouseButton.LeftButton)
    assert window.query.play_button.text() == "■ Stop"
    qtbot.waitUntil(lambda: window.query.waveform.playhead.isVisible() and positions and positions[-1] > 0.2,
                    timeout=WAIT_MS)
    assert window.query.waveform.playhead.value() == pytest.approx(positions[-1], abs=0.05)
    qtbot.waitUntil(lambda: not window.player.playing, timeout=WAIT_MS)  # 1.5 s at 4x speed ends by itself
    assert positions == sorted(positions) and positions[-1] == pytest.approx(1.5, abs=0.01)
    assert not window.query.waveform.playhead.isVisible() and window.query.play_button.text() == "▶ Play"

    # Space on the results auditions the selected result; the mini waveform gets a playhead
    window.results.view.setFocus()
    with qtbot.waitSignal(window.player.started, timeout=WAIT_MS) as started:
        qtbot.keyClick(window.results.view, Qt.Key.Key_Space)
    assert started.args[0] == window.results.current_path()
    qtbot.waitUntil(lambda: window.results.model.playing == started.args[0] and window.results.model.progress > 0,
                    timeout=WAIT_MS)
    with qtbot.waitSignal(window.player.stopped, timeout=WAIT_MS):
        qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert window.results.model.playing is None

    # Space in the library list auditions the selected library file
    files = window.library.file_view
    qtbot.waitUntil(lambda: window.library.files.rowCount() == 8, timeout=WAIT_MS)
    files.setFocus()
    files.setCurrentIndex(window.library.files.index(2, 0))
    with qtbot.waitSignal(window.player.started, timeout=WAIT_MS) as started:
        qtbot.keyClick(files, Qt.Key.Key_Space)
    assert started.args[0] == window.library.current_path()
    window.player.stop()
    close_window(window)


def test_unsupported_rate_is_resampled_for_the_device(qtbot, tmp_path):
    path = write_wav(tmp_path / "odd_rate.wav", tone(440.0, 0.5, sr=11_025), sr=11_025)
    device = DeviceDouble()
    player = Player(TaskRunner(), SearchService.playback_stream, backend=device)
    with qtbot.waitSignal(player.stopped, timeout=WAIT_MS):
        player.play(path)
    assert device.streams[-1].samplerate == 48_000  # the device's default rate
    assert device.streams[-1].frames_played >= 24_000


def test_unreadable_file_reports_instead_of_playing(qtbot, tmp_path):
    bad = tmp_path / "bad.wav"
    bad.write_bytes(b"not audio")
    player = Player(TaskRunner(), SearchService.playback_stream, backend=DeviceDouble())
    with qtbot.waitSignal(player.error, timeout=WAIT_MS) as err:
        player.play(bad)
    assert err.args[0].startswith("Cannot play bad.wav") and not player.playing


@pytest.mark.skipif(sys.platform != "linux", reason="byte file names")
def test_file_with_a_non_utf8_name_plays(qtbot, tmp_path):
    import os

    odd = os.fsdecode(os.fsencode(tmp_path) + b"/caf\xe9-\xff.wav")
    write_wav(tmp_path / "x.wav", tone(440.0, 0.3), 16_000).rename(odd)
    device = DeviceDouble()
    player = Player(TaskRunner(), SearchService.playback_stream, backend=device)
    with qtbot.waitSignal(player.stopped, timeout=WAIT_MS):
        player.play(odd)  # UnicodeEncodeError when the player decoded files itself
    assert device.streams[-1].frames_played >= 4_800
    details = SearchService.audio_details(odd)
    assert (details.sample_rate, details.channels) == (16_000, 1) and abs(details.duration - 0.3) < 1e-3


def test_long_file_plays_past_600_s_seeks_and_plays_a_range(qtbot, tmp_path):
    """No cap on length: a 620 s file (at 1 kHz, so it stays small) plays from 596 s past 600 s, seeks, and a
    range stops at its end."""
    sr = 1_000
    path = write_wav(tmp_path / "long_take.wav", noise(620.0, sr=sr, amp=0.1), sr=sr)
    device = DeviceDouble(rates=(sr,))
    player = Player(TaskRunner(), SearchService.playback_stream, backend=device)
    positions: list[float] = []
    player.position_changed.connect(positions.append)
    with qtbot.waitSignal(player.started, timeout=WAIT_MS):
        player.play(path, start=596.0)
    qtbot.waitUntil(lambda: bool(positions) and positions[-1] > 601.0, timeout=WAIT_MS)
    assert min(positions) >= 596.0
    with qtbot.waitSignal(player.started, timeout=WAIT_MS):
        player.seek(10.0)
    qtbot.waitUntil(lambda: 10.5 < positions[-1] < 30.0, timeout=WAIT_MS)
    assert player.current == path and player.playing
    with qtbot.waitSignal(player.started, timeout=WAIT_MS):
        player.play(path, start=300.0, end=303.0)
    qtbot.waitUntil(lambda: not player.playing, timeout=WAIT_MS)  # a range ends by itself at its end
    assert positions[-1] == pytest.approx(303.0, abs=1e-3)
    assert device.streams[-1].frames_played < 5 * 1024  # 3 s at 1 kHz, not the rest of the file
