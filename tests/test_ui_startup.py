"""Startup: demo library on first launch, the model loading in the background (one load), missing model files."""

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
indexed_service = ui_support.indexed_service  # fixture
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


@needs_demo
def test_after_the_first_import_of_your_sounds_removing_the_demo_is_offered_once(qtbot, tmp_path, encoder, library):
    """A trial: the demo's synthetic clips filled the first 22 results of a rain query in the user's own library."""
    svc = make_service(tmp_path, encoder)
    svc.import_folders([DEMO_DIR])  # the first launch's demo
    window = open_window(qtbot, svc, tmp_path)
    asked: list[str] = []
    window.library.confirm = lambda question: asked.append(question) or True
    with qtbot.waitSignal(window.library.refreshed, timeout=WAIT_MS):
        window.start(offer_demo=False)
    results_after(qtbot, window, lambda: window.load_query(DEMO_DIR / "rain_01.ogg"), text="")
    with qtbot.waitSignal(window.library.folders_removed, timeout=WAIT_MS):
        window.library.start_import([library])  # Add folder…: the user's sounds come in
    assert len(asked) == 1 and "Remove the demo from the library?" in asked[0]
    assert svc.folders() == [library] and window.settings.demo_removal_offered
    # trial 49: the query no longer is the demo's clip, and the import's summary stays readable beside the removal's
    own = sorted(svc.list_files(), key=lambda r: r.display)[0].path
    assert window.session.history.current.query == own
    qtbot.waitUntil(lambda: window.session.last.step.query == own, timeout=WAIT_MS)  # searched by it
    label = window.library.import_label.text()
    assert label.startswith("Import finished") and "Removed" in label and "left the index" in label
    svc.import_folders([DEMO_DIR])  # added back by hand: never asked again
    with qtbot.waitSignal(window.library.import_finished, timeout=WAIT_MS):
        window.library.start_import([library])
    assert len(asked) == 1 and DEMO_DIR.resolve() in [f.resolve() for f in svc.folders()]
    close_window(window)
    svc.close()


@needs_demo
def test_no_demo_is_added_to_a_library_made_before(qtbot, tmp_path, encoder, library):
    """A library imported with the CLI, then the app's first launch: its results stay the user's own sounds."""
    svc = make_service(tmp_path, encoder)
    svc.import_folders([library])
    window = open_window(qtbot, svc, tmp_path)
    with qtbot.waitSignal(window.startup_done, timeout=WAIT_MS):
        window.start(offer_demo=True)
    assert window.demo is None and window.settings.demo_offered and svc.folders() == [library]
    close_window(window)
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


def hold_load(svc, fail: Exception | None = None) -> threading.Event:
    """Make the service's model load wait for the returned event (then load, or raise ``fail``).
    The event's ``started`` event is set when the load begins."""
    release = threading.Event()
    release.started = threading.Event()
    load = svc.load_model

    def held() -> None:
        release.started.set()
        release.wait()
        if fail is not None:
            raise fail
        load()

    svc.load_model = held
    return release


@needs_demo
def test_demo_installs_before_the_model_and_searches_wait_for_the_one_load(qtbot, tmp_path, heads_path, demo_index):
    svc = make_service(tmp_path, heads_path=heads_path, demo_index=demo_index)  # the real load, held
    release = hold_load(svc)
    window = open_window(qtbot, svc, tmp_path)
    try:
        with qtbot.waitSignal(window.session.search_queued, timeout=WAIT_MS) as queued:
            window.start(offer_demo=True)
        assert "queued" in queued.args[0] and "queued" in window.results.header.text()
        assert window.demo.installed > 0 and not window.demo.needs_import and not svc.model_ready
        assert window.session.model_state is ModelState.LOADING and window.model_busy.isVisible()
        assert window.model_label.text() == "Loading model…"
        done = results_after(qtbot, window, release.set, text="")
        assert done.step.query == DEMO_DIR.resolve() / "rain_01.ogg" and len(done.results) > 0
        assert window.session.model_state is ModelState.READY and window.model_label.text() == "Model ready"
        assert not window.model_busy.isVisible()
        window.query.modifier.setText("add a distant waterfall")  # any words, no second stage
        done = results_after(qtbot, window, lambda: qtbot.keyClick(window.query.modifier, Qt.Key.Key_Return),
                             text="add a distant waterfall")
        assert len(done.results) > 0
    finally:
        release.set()
        close_window(window)
        svc.close()


@needs_demo
def test_without_a_first_query_the_model_loads_at_once(qtbot, tmp_path, heads_path, demo_index):
    svc = make_service(tmp_path, heads_path=heads_path, demo_index=demo_index)
    assert ensure_demo_library(svc).installed > 0  # an earlier launch installed the demo; no query to restore
    window = open_window(qtbot, svc, tmp_path)
    warmed, real = [], svc.warm_up
    svc.warm_up = lambda: warmed.append(1) or real()  # trial 58: the first search paid the first-call costs
    with qtbot.waitSignal(window.session.model_state_changed, timeout=WAIT_MS * 2,
                          check_params_cb=lambda state, _: state is ModelState.READY):
        window.start(offer_demo=False)
    assert window.session.history.current is None and svc.model_ready
    qtbot.waitUntil(lambda: bool(warmed) and not window.runner.busy, timeout=WAIT_MS)  # with nothing asked yet
    close_window(window)
    svc.close()


def test_a_search_queued_during_a_failing_load_is_answered(qtbot, tmp_path, heads_path, library):
    from model.errors import ModelFileError

    svc = make_service(tmp_path, heads_path=heads_path)
    release = hold_load(svc, fail=ModelFileError("text model file missing"))
    window = open_window(qtbot, svc, tmp_path)
    try:
        with qtbot.waitSignal(window.library.refreshed, timeout=WAIT_MS):
            window.start(offer_demo=False)
        with qtbot.waitSignal(window.session.search_queued, timeout=WAIT_MS):
            window.load_query(library / "tone_01.wav")
        with qtbot.waitSignal(window.session.search_failed, timeout=WAIT_MS) as failed:
            release.set()
        assert failed.args[0] == "Cannot search: Model unavailable: text model file missing"
        assert window.session.model_state is ModelState.FAILED and window.banner.isVisible()
        assert "NUDGE_MODEL_DIR" in window.banner.text()
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


@pytest.mark.skipif(not hasattr(__import__("signal"), "SIGHUP"), reason="POSIX signals")
def test_sigterm_and_ctrl_c_close_the_window_as_ctrl_q_does(qtbot):
    """A trial: SIGTERM (a logout) lost the session and settings; Ctrl+C printed a traceback, the window stayed."""
    import os
    import signal

    from PySide6.QtWidgets import QWidget

    from app.ui import close_on_signals

    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):  # SIGHUP: closing the terminal killed it unsaved
        window = QWidget()
        qtbot.addWidget(window)
        window.show()
        before = signal.getsignal(sig)
        restore = close_on_signals(window)
        os.kill(os.getpid(), sig)
        qtbot.waitUntil(lambda w=window: not w.isVisible(), timeout=5000)
        restore()
        assert signal.getsignal(sig) is before


@needs_demo
def test_a_cancelled_import_offers_no_demo_removal(qtbot, tmp_path, encoder, library):
    """A trial cancelled its first import and was told "your sounds are in the library" with most of them not."""
    from types import SimpleNamespace

    svc = make_service(tmp_path, encoder)
    svc.import_folders([DEMO_DIR])  # the first launch's demo
    svc.import_folders([library])  # some of the user's sounds came in before the cancel
    window = open_window(qtbot, svc, tmp_path)
    asked: list[str] = []
    window.library.confirm = lambda question: asked.append(question) or True
    assert not window.library.offer_demo_removal(SimpleNamespace(added=120, cancelled=True)) and asked == []
    assert window.library.offer_demo_removal(SimpleNamespace(added=120, cancelled=False)) and len(asked) == 1
    close_window(window)
    svc.close()


def test_a_favourite_is_starred_in_the_lists():
    from types import SimpleNamespace

    from app.ui.file_columns import name_text

    assert name_text(SimpleNamespace(path="/lib/thunder_01.wav", tags=("favourite", "wet"))) == "★ thunder_01.wav"
    assert name_text(SimpleNamespace(path="/lib/thunder_01.wav", tags=())) == "thunder_01.wav"


def test_a_strength_kept_from_the_last_run_is_said_at_start(qtbot, tmp_path, indexed_service):
    """Trial 55: a strength of 2.00 left from the last run made the first search of a new query at 2x, unnoticed."""
    from app.ui.settings import Settings

    window = open_window(qtbot, indexed_service, tmp_path, settings=Settings(strength=2.0))
    with qtbot.waitSignal(window.library.refreshed, timeout=WAIT_MS):
        window.start(offer_demo=False)
    assert window.query.strength_label.text() == "2.00" and "bold" in window.query.strength_label.styleSheet()
    assert "count more than as trained" in window.query.strength_label.toolTip()
    close_window(window)
    plain = open_window(qtbot, indexed_service, tmp_path / "plain", settings=Settings())
    with qtbot.waitSignal(plain.library.refreshed, timeout=WAIT_MS):
        plain.start(offer_demo=False)
    assert plain.query.strength_label.styleSheet() == "" and plain.query.strength_label.toolTip() == ""
    close_window(plain)
