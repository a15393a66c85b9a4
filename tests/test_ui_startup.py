"""Startup: demo library on first launch, staged model loading in the background, missing model files."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from app.demo import DEMO_DIR, ensure_demo_library
from app.ui.session import ModelState
from tests import ui_support
from tests.ui_support import WAIT_MS, close_window, make_service, open_window, results_after

library = ui_support.library  # fixture
needs_demo = pytest.mark.skipif(not (DEMO_DIR / "demo_pairs.csv").is_file(), reason="demo library not built")


@needs_demo
def test_first_launch_adds_demo_and_rain_add_thunder_works(qtbot, tmp_path, encoder, heads_path):
    svc = make_service(tmp_path, encoder, heads_path=heads_path)
    window = open_window(qtbot, svc, tmp_path)
    n = len([p for p in DEMO_DIR.iterdir() if p.suffix == ".ogg"])
    with qtbot.waitSignal(window.query.overview_loaded, timeout=WAIT_MS):
        first = results_after(qtbot, window, lambda: window.start(offer_demo=True), text="")
    assert window.settings.demo_offered and window.demo is not None
    assert first.step.query == DEMO_DIR.resolve() / "rain_01.ogg"
    # with test heads the shipped vectors do not fit: the demo is imported (shipped heads install instantly)
    qtbot.waitUntil(lambda: f"<b>{n}</b> indexed" in window.library.counts_label.text(), timeout=WAIT_MS)
    texts = [b.text() for b in window.query.suggestion_buttons]
    assert texts[0] == "add thunder"
    done = results_after(qtbot, window, lambda: qtbot.mouseClick(window.query.suggestion_buttons[0],
                                                                 Qt.MouseButton.LeftButton), text="add thunder")
    assert window.query.modifier.text() == "add thunder" and len(done.results) == min(n - 1, window.session.top_k)
    close_window(window)

    again = open_window(qtbot, svc, tmp_path)  # later launches never re-add a removed demo
    again.settings.demo_offered = True
    with qtbot.waitSignal(again.startup_done, timeout=WAIT_MS):
        again.start(offer_demo=True)
    assert again.demo is None
    close_window(again)
    svc.close()


@pytest.mark.slow
def test_model_loads_in_background_and_queued_search_runs(qtbot, tmp_path, heads_path, library):
    svc = make_service(tmp_path, heads_path=heads_path)  # no encoder: load_model does the real work
    window = open_window(qtbot, svc, tmp_path)
    with qtbot.waitSignal(window.library.refreshed, timeout=WAIT_MS):
        window.start(offer_demo=False)
    assert window.session.model_state is ModelState.LOADING
    assert "Loading model" in window.model_label.text() and window.model_busy.isVisible()
    window.library.start_import([library])
    assert "when the model has loaded" in window.library.import_label.text()
    with qtbot.waitSignal(window.session.search_queued, timeout=WAIT_MS):
        window.load_query(library / "rain_like_00.wav")
    window.query.modifier.setText("add dog bark")
    qtbot.keyClick(window.query.modifier, Qt.Key.Key_Return)
    assert window.session.model_state is ModelState.LOADING  # loading takes seconds, this took microseconds
    assert "queued" in window.results.header.text()
    with qtbot.waitSignal(window.library.import_finished, timeout=WAIT_MS * 2) as imported:
        results_after(qtbot, window, lambda: None, text="add dog bark", timeout=WAIT_MS * 2)
    assert window.session.model_state is ModelState.READY and "Model ready" in window.model_label.text()
    assert not window.model_busy.isVisible()
    assert imported.args[0].added == 8
    # the library changed under the search: it runs again and now finds the imported sounds
    qtbot.waitUntil(lambda: window.session.last is not None and len(window.session.last.results) == 7,
                    timeout=WAIT_MS)
    assert window.session.last.step.text == "add dog bark"
    close_window(window)
    svc.close()


def hold_stage(svc, stage: str = "text", fail: Exception | None = None) -> threading.Event:
    """Make the service's "audio" or "text" stage wait for the returned event (then load, or raise ``fail``).
    The event's ``started`` event is set when the stage begins."""
    release = threading.Event()
    release.started = threading.Event()
    name = f"load_{stage}_model"
    load = getattr(svc, name)

    def held() -> None:
        release.started.set()
        release.wait()
        if fail is not None:
            raise fail
        load()

    setattr(svc, name, held)
    return release


@needs_demo
def queue_text_then_release(qtbot, window, text: str, release: threading.Event):
    """Type a modifier the loaded stages cannot serve: it is queued; releasing the held stage runs it.

    Returns (the queued message, what the results header said while queued, the finished search)."""
    window.query.modifier.setText(text)
    with qtbot.waitSignal(window.session.search_queued, timeout=WAIT_MS) as queued:
        qtbot.keyClick(window.query.modifier, Qt.Key.Key_Return)
    header = window.results.header.text()
    assert window.session.last.step.text != text
    done = results_after(qtbot, window, release.set, text=text)
    return queued.args[0], header, done


def test_demo_searches_run_before_any_model_and_other_searches_wait_for_their_stage(
        qtbot, tmp_path, heads_path, demo_index, library):
    svc = make_service(tmp_path, heads_path=heads_path, demo_index=demo_index)  # the real staged load
    audio, text = hold_stage(svc, "audio"), hold_stage(svc, "text")
    window = open_window(qtbot, svc, tmp_path)
    audio_started_before: list[bool] = []
    window.session.results_ready.connect(lambda _: audio_started_before.append(audio.started.is_set()))
    try:
        with qtbot.waitSignal(window.query.overview_loaded, timeout=WAIT_MS):
            first = results_after(qtbot, window, lambda: window.start(offer_demo=True), text="")
        assert first.step.query == DEMO_DIR.resolve() / "rain_01.ogg" and len(first.results) > 0
        assert audio_started_before == [False]  # torch waits for the first search to land...
        qtbot.waitUntil(audio.started.is_set, timeout=WAIT_MS)  # ...and starts right after
        assert not svc.model_ready  # no encoder: stored vectors + precomputed texts only
        assert window.session.model_state is ModelState.STORED_READY and window.model_busy.isVisible()
        assert window.model_label.text() == "Demo searches ready · loading audio model…"
        done = results_after(qtbot, window, lambda: qtbot.mouseClick(window.query.suggestion_buttons[0],
                                                                     Qt.MouseButton.LeftButton), text="add thunder")
        assert len(done.results) > 0 and not svc.model_ready
        window.query.modifier.setText("add a distant waterfall")
        with qtbot.waitSignal(window.session.search_queued, timeout=WAIT_MS) as queued:
            qtbot.keyClick(window.query.modifier, Qt.Key.Key_Return)
        assert "needs the text model" in queued.args[0] and "queued" in window.results.header.text()
        outside = library / "tone_01.wav"  # not in the library: embedding it needs the audio model
        with qtbot.waitSignal(window.session.search_queued, timeout=WAIT_MS) as queued:
            window.load_query(outside)
        assert "tone_01.wav is not indexed" in queued.args[0] and "audio model" in queued.args[0]
        assert window.session.last.step.query != outside and window.session.model_state is ModelState.STORED_READY
        done = results_after(qtbot, window, audio.set, text="")
        assert done.step.query == outside and svc.model_ready and not svc.text_model_ready
        assert window.session.model_state is ModelState.AUDIO_READY and "audio ready" in window.model_label.text()
        _, _, done = queue_text_then_release(qtbot, window, "add a distant waterfall", text)
        assert done.step.query == outside and window.session.model_state is ModelState.READY
        assert window.model_label.text() == "Model ready" and not window.model_busy.isVisible()
    finally:
        audio.set()
        text.set()
        close_window(window)
        svc.close()


@needs_demo
def test_without_a_first_query_the_model_loads_at_once(qtbot, tmp_path, heads_path, demo_index):
    svc = make_service(tmp_path, heads_path=heads_path, demo_index=demo_index)
    assert ensure_demo_library(svc).installed > 0  # an earlier launch installed the demo; no query to restore
    window = open_window(qtbot, svc, tmp_path)
    with qtbot.waitSignal(window.session.model_state_changed, timeout=WAIT_MS * 2,
                          check_params_cb=lambda state, _: state is ModelState.READY):
        window.start(offer_demo=False)
    assert window.session.history.current is None and svc.text_model_ready
    close_window(window)
    svc.close()


@needs_demo
def test_demo_modifiers_search_before_the_text_model_and_other_texts_wait(qtbot, tmp_path, heads_path, demo_index):
    svc = make_service(tmp_path, heads_path=heads_path, demo_index=demo_index)  # the real staged load
    release = hold_stage(svc, "text")
    window = open_window(qtbot, svc, tmp_path)
    try:
        with qtbot.waitSignal(window.query.overview_loaded, timeout=WAIT_MS):
            results_after(qtbot, window, lambda: window.start(offer_demo=True), text="")
        assert window.demo.installed > 0 and not window.demo.needs_import
        qtbot.waitUntil(lambda: window.session.model_state is ModelState.AUDIO_READY, timeout=WAIT_MS)
        assert window.model_busy.isVisible()
        assert "audio ready" in window.model_label.text() and "loading text model" in window.model_label.text()
        for button in window.query.suggestion_buttons[:3]:  # every "Try:" modifier runs now
            done = results_after(qtbot, window, lambda b=button: qtbot.mouseClick(b, Qt.MouseButton.LeftButton),
                                 text=button.text())
            assert len(done.results) > 0
        assert not svc.encoder.text_loaded  # the demo texts came precomputed
        message, header, done = queue_text_then_release(qtbot, window, "add a distant waterfall", release)
        assert "needs the text model" in message and "queued" in header
        assert len(done.results) > 0 and svc.encoder.text_loaded
        assert window.session.model_state is ModelState.READY and "Model ready" in window.model_label.text()
        assert not window.model_busy.isVisible()
    finally:
        release.set()
        close_window(window)
        svc.close()


@needs_demo
def test_text_model_failure_keeps_plain_and_demo_searches(qtbot, tmp_path, heads_path, demo_index):
    from model.errors import ModelFileError

    svc = make_service(tmp_path, heads_path=heads_path, demo_index=demo_index)
    assert ensure_demo_library(svc).installed > 0
    svc.load_audio_model()

    def missing_weights() -> None:
        raise ModelFileError("text model weights missing")

    svc.encoder.load_text_backbone = missing_weights
    release = hold_stage(svc, "text")  # held, then the real stage runs into the missing weights
    window = open_window(qtbot, svc, tmp_path)
    try:
        with qtbot.waitSignal(window.library.refreshed, timeout=WAIT_MS):
            window.start(offer_demo=False)
        assert window.session.model_state is ModelState.AUDIO_READY
        query = DEMO_DIR.resolve() / "rain_01.ogg"
        results_after(qtbot, window, lambda: window.load_query(query), text="")
        window.query.modifier.setText("add a distant waterfall")
        with qtbot.waitSignal(window.session.search_queued, timeout=WAIT_MS):
            qtbot.keyClick(window.query.modifier, Qt.Key.Key_Return)
        with qtbot.waitSignal(window.session.search_failed, timeout=WAIT_MS) as failed:
            release.set()
        assert "add a distant waterfall" in failed.args[0] and "text model weights missing" in failed.args[0]
        assert window.session.model_state is ModelState.TEXT_FAILED and window.banner.isVisible()
        assert "Text model unavailable" in window.banner.text() and "suggested modifiers" in window.banner.text()
        window.query.modifier.setText("add thunder")
        done = results_after(qtbot, window, window.query.request_search, text="add thunder")
        assert len(done.results) > 0 and not svc.encoder.text_loaded
    finally:
        release.set()
        close_window(window)
        svc.close()


def test_missing_model_file_is_explained_and_library_stays_usable(qtbot, tmp_path, library):
    svc = make_service(tmp_path, heads_path=tmp_path / "gone" / "nudge_heads.safetensors")
    window = open_window(qtbot, svc, tmp_path)
    with qtbot.waitSignal(window.session.model_state_changed, timeout=WAIT_MS,
                          check_params_cb=lambda state, _: state is ModelState.FAILED):
        window.start(offer_demo=False)
    assert window.banner.isVisible()
    assert "not found" in window.banner.text() and "nudge_heads.safetensors" in window.banner.text()
    assert "Model unavailable" in window.model_label.text()
    with qtbot.waitSignal(window.session.search_failed, timeout=WAIT_MS) as failed:
        window.load_query(library / "tone_01.wav")
    assert failed.args[0].startswith("Cannot search: Model unavailable")
    window.library.start_import([library])
    assert window.library.import_label.text().startswith("Cannot import: Model unavailable")
    with qtbot.waitSignal(window.query.overview_loaded, timeout=WAIT_MS):  # the waveform still shows
        window.load_query(library / "tone_03.wav")
    assert Path(window.query.overview.path).name == "tone_03.wav"
    close_window(window)
    svc.close()


@pytest.mark.slow
def test_main_entry_opens_the_app_and_saves_settings_on_quit(qtbot, qapp, tmp_path, heads_path, library):
    from PySide6.QtCore import QTimer

    from app.cli import main
    from app.ui.main_window import MainWindow
    from app.ui.settings import FILENAME, Settings

    def close_when_ready() -> None:
        windows = [w for w in qapp.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        if windows and windows[0].session.last is not None:
            windows[0].close()
            qapp.quit()
        else:
            QTimer.singleShot(100, close_when_ready)

    QTimer.singleShot(100, close_when_ready)
    query = library / "tone_01.wav"
    # closing the last window would post a Quit that ends the event loops of later tests
    qapp.setQuitOnLastWindowClosed(False)
    try:
        code = main(["--data-dir", str(tmp_path / "data"), "--heads", str(heads_path), "--no-demo", "--no-audio",
                     str(query)])
    finally:
        qapp.setQuitOnLastWindowClosed(True)
    assert code == 0
    saved = Settings.load(tmp_path / "data" / FILENAME)
    assert saved.last_query == str(query) and not saved.demo_offered
