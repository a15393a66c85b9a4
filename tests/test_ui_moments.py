"""Moments of long takes in the app: a selection of the query waveform is the query (search gets its range),
results that are moments show and play their range, promote with it, list the file's other moments, export
and drag out their region as a WAV. The service is the real one with the moment ranking faked on top (the
segment index ranks moments for real): results for the long take come back as its 6-8 s moment."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from app.config import IndexConfig
from app.search_result import ResultPage
from app.service import SearchResult, SearchService
from tests.helpers import noise, tone, write_wav
from tests.test_ui_player import DeviceDouble
from tests.ui_support import WAIT_MS, close_window, make_sounds, open_window, results_after

LONG = "long_take.wav"
MOMENT = (6.0, 8.0)


class MomentService(SearchService):
    """Records the query ranges asked for; the long take's result is its 6-8 s moment (2 moments matched)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.ranges: list[tuple[float, float] | None] = []
        self.moment_calls: list[dict] = []

    def search(self, query, *args, query_range=None, **kwargs):
        self.ranges.append(query_range)
        results = super().search(query, *args, query_range=query_range, **kwargs)
        return ResultPage(replace(r, start=MOMENT[0], end=MOMENT[1], moments=2) if r.path.name == LONG else r
                          for r in results)

    alike = 2  # how many of the listed moments match about as well as the best (the service's count)

    def file_moments(self, path, query, text="", strength=1.0, query_range=None, top_k=10, **feedback):
        self.moment_calls.append(dict(path=path, query=query, text=text, query_range=query_range, top_k=top_k))
        record = self.file_info(path)
        return [SearchResult(Path(path), 0.9, 1, record, 6.0, 8.0, self.alike),
                SearchResult(Path(path), 0.7, 2, record, 1.0, 3.0, self.alike)]


@pytest.fixture
def moment_library(tmp_path: Path) -> Path:
    folder = tmp_path / "sounds"
    make_sounds(folder, n=4)
    sr = 16_000
    take = noise(12.0, sr=sr, amp=0.05, seed=7)
    take[6 * sr: 8 * sr] += tone(660.0, 2.0, sr=sr, amp=0.5)  # the moment
    write_wav(folder / LONG, take, sr=sr)
    return folder


@pytest.fixture
def moment_service(tmp_path: Path, encoder, moment_library: Path):
    svc = MomentService(tmp_path / "data", encoder=encoder, config=IndexConfig(workers=0))
    svc.import_folders([moment_library])
    yield svc
    svc.close()


def _viewport_x(waveform, seconds: float) -> QPointF:
    scene = waveform.getPlotItem().vb.mapViewToScene(QPointF(seconds, 0.0))
    point = waveform.mapFromScene(scene)
    return QPointF(point.x(), waveform.viewport().height() / 2)


def _mouse(widget, kind: QEvent.Type, pos: QPointF, buttons: Qt.MouseButton) -> None:
    button = Qt.MouseButton.LeftButton if kind != QEvent.Type.MouseMove else Qt.MouseButton.NoButton
    event = QMouseEvent(kind, pos, widget.mapToGlobal(pos), button, buttons, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, event)


def _drag(waveform, start: float, end: float) -> None:
    """A real left-button drag across the waveform from ``start`` to ``end`` seconds."""
    viewport, left = waveform.viewport(), Qt.MouseButton.LeftButton
    a, b = _viewport_x(waveform, start), _viewport_x(waveform, end)
    _mouse(viewport, QEvent.Type.MouseButtonPress, a, left)
    for k in range(1, 11):
        _mouse(viewport, QEvent.Type.MouseMove, a + (b - a) * (k / 10), left)
    _mouse(viewport, QEvent.Type.MouseButtonRelease, b, Qt.MouseButton.NoButton)


def _open_on_long_take(qtbot, tmp_path, service, library, backend=None):
    window = open_window(qtbot, service, tmp_path, audio=backend is not None, backend=backend)
    window.resize(1200, 800)
    window.start(offer_demo=False)
    with qtbot.waitSignal(window.query.overview_loaded, timeout=WAIT_MS):
        results_after(qtbot, window, lambda: window.load_query(library / LONG), text="")
    return window


def test_selection_of_the_query_waveform_is_the_query(qtbot, tmp_path, moment_service, moment_library):
    window = _open_on_long_take(qtbot, tmp_path, moment_service, moment_library)
    waveform = window.query.waveform
    assert moment_service.ranges[-1] is None and waveform.duration == pytest.approx(12.0)
    # zoom: buttons and keys change the visible time range, Fit shows the whole file
    window.query.timeline.zoom_in_button.click()
    low, high = waveform.visible_range
    assert high - low == pytest.approx(6.0, abs=0.1)
    waveform.setFocus()
    qtbot.keyClick(waveform, Qt.Key.Key_Plus)
    assert waveform.visible_range[1] - waveform.visible_range[0] == pytest.approx(3.0, abs=0.1)
    qtbot.waitUntil(lambda: waveform.detail is not None, timeout=WAIT_MS)  # zoomed in: finer peaks load
    low, high = waveform.visible_range
    assert waveform.detail[0] <= low and high <= waveform.detail[1]
    qtbot.keyClick(waveform, Qt.Key.Key_0)
    assert waveform.visible_range == pytest.approx((0.0, 12.0), abs=0.05)
    qtbot.waitUntil(lambda: waveform.detail is None, timeout=WAIT_MS)  # the whole file: the overview again
    # a drag with the mouse selects 3-6 s and searches with that part of the take
    done = results_after(qtbot, window, lambda: _drag(waveform, 3.0, 6.0))
    start, end = moment_service.ranges[-1]
    assert start == pytest.approx(3.0, abs=0.1) and end == pytest.approx(6.0, abs=0.1)
    assert done.step.query_range == (start, end) and window.query.selection == (start, end)
    assert "Selection <b>0:03.0–0:06.0</b>" in window.query.timeline.selection_label.text()
    assert "[0:03.0–0:06.0]" in window.results.header.text()
    assert "[0:03.0–0:06.0]" in window.query.crumbs.buttons[-1].text()
    # the selection drags out as a WAV of its range; Export selection… is offered
    dragged = window.query.timeline.drag_file()
    assert dragged.suffix == ".wav" and abs(sf.info(str(dragged)).frames - (end - start) * 16_000) <= 1
    assert window.query.timeline.export_button.isEnabled()
    # Delete on the waveform clears it: the whole file is the query again
    results_after(qtbot, window, lambda: qtbot.keyClick(waveform, Qt.Key.Key_Delete))
    assert moment_service.ranges[-1] is None and window.query.selection is None
    # Back returns to the step with the selection, shown on the waveform
    results_after(qtbot, window, window.session.back)
    assert moment_service.ranges[-1] == (start, end) and waveform.selected == pytest.approx((start, end))
    close_window(window)


def test_moment_results_show_play_promote_and_list_moments(qtbot, tmp_path, moment_service, moment_library):
    device = DeviceDouble()
    window = _open_on_long_take(qtbot, tmp_path, moment_service, moment_library, backend=device)
    done = results_after(qtbot, window, lambda: window.load_query(moment_library / "tone_01.wav"), text="")
    model, row = window.results.model, next(i for i, r in enumerate(done.results) if r.path.name == LONG)
    column = next(i for i, c in enumerate(model.columns) if c.key == "moment")
    assert model.data(model.index(row, column)) == "0:06.0–0:08.0 · 2 moments"
    others = [i for i in range(len(done.results)) if i != row]
    assert all(model.data(model.index(i, column)) == "" for i in others)  # whole-file matches: no range
    # the mini waveform shades the moment (a share of the file) and plays from its start
    from app.ui.result_moments import region_shares

    assert region_shares(done.results[row]) == pytest.approx((0.5, 8 / 12))
    positions: list[float] = []
    window.player.position_changed.connect(positions.append)
    window.results.select_row(row)
    with qtbot.waitSignal(window.player.started, timeout=WAIT_MS):
        window.results.audition(row)
    qtbot.waitUntil(lambda: bool(positions), timeout=WAIT_MS)
    assert positions[0] >= 6.0 and window.results.model.playing == moment_library / LONG
    qtbot.waitUntil(lambda: not window.player.playing, timeout=WAIT_MS)  # the moment's range only, 6-8 s
    assert max(positions) <= 8.0 + 0.3
    window.player.stop()
    # More moments in this file: the file's moments for the current step, then back to all results
    window.results.moments_requested.emit(done.results[row])
    qtbot.waitUntil(lambda: window.results.back_button.isVisible(), timeout=WAIT_MS)
    call = moment_service.moment_calls[-1]
    assert call["path"] == moment_library / LONG and call["query"] == moment_library / "tone_01.wav"
    # the moments' times, without "· 2 moments" on every row (the header gives the count)
    assert [model.data(model.index(i, column)) for i in range(2)] == ["0:06.0–0:08.0", "0:01.0–0:03.0"]
    assert "2 moments</b> in <i>long_take.wav</i>" in window.results.header.text()
    assert "about as well" not in window.results.header.text()  # the Time column counted both
    window.results.back_button.click()
    moment_service.alike = 1  # one of the two matches about as well as the best: said so
    window.results.moments_requested.emit(done.results[row])
    qtbot.waitUntil(lambda: "the first matches about as well as the best" in window.results.header.text(),
                    timeout=WAIT_MS)
    window.results.back_button.click()
    assert [r.path for r in model.rows] == [r.path for r in done.results]
    # promote the moment: the query is the long take with 6-8 s selected, and the search uses that range
    row = next(i for i, r in enumerate(model.rows) if r.path.name == LONG)
    with qtbot.waitSignal(window.query.overview_loaded, timeout=WAIT_MS):
        promoted = results_after(qtbot, window, lambda: window.results.promote(row), text="")
    assert promoted.step.query == moment_library / LONG and promoted.step.query_range == MOMENT
    assert moment_service.ranges[-1] == MOMENT and window.query.waveform.selected == pytest.approx(MOMENT)
    low, high = window.query.waveform.visible_range
    assert low <= 6.0 and high >= 8.0 and high - low < 12.0  # zoomed to the moment with context
    # Play plays the selection: from its start to its end
    positions.clear()
    with qtbot.waitSignal(window.player.started, timeout=WAIT_MS):
        window.query.play_button.click()
    qtbot.waitUntil(lambda: not window.player.playing, timeout=WAIT_MS)
    assert positions[0] >= 6.0 and positions[-1] == pytest.approx(8.0, abs=1e-3)
    # a click on the waveform plays from there (the first position read: the double plays 4x real time, so
    # under load the playhead may already have moved on when the test looks)
    positions.clear()
    with qtbot.waitSignal(window.player.started, timeout=WAIT_MS):
        qtbot.mouseClick(window.query.waveform.viewport(), Qt.MouseButton.LeftButton,
                         pos=_viewport_x(window.query.waveform, 7.0).toPoint())
    qtbot.waitUntil(lambda: bool(positions) and window.query.waveform.playhead.isVisible(), timeout=WAIT_MS)
    assert positions[0] == pytest.approx(7.0, abs=0.3) and window.query.waveform.playhead.value() >= 6.7
    assert " / 0:12.0" in window.query.timeline.time_label.text()
    window.player.stop()
    close_window(window)


def test_export_and_drag_a_moment_out(qtbot, tmp_path, moment_service, moment_library):
    window = _open_on_long_take(qtbot, tmp_path, moment_service, moment_library)
    done = results_after(qtbot, window, lambda: window.load_query(moment_library / "tone_01.wav"), text="")
    model, view = window.results.model, window.results.view
    row = next(i for i, r in enumerate(done.results) if r.path.name == LONG)
    dest = tmp_path / "project"
    with qtbot.waitSignal(window.files.region_exported, timeout=WAIT_MS) as exported:
        window.files.export_region(model.path(row), *MOMENT, dest=dest)
    target = exported.args[0]
    assert target == dest / "long_take_00m06.0s-00m08.0s.wav"
    data, sr = sf.read(str(target), dtype="float32")
    assert sr == 16_000 and len(data) == 2 * sr
    source, _ = sf.read(str(moment_library / LONG), start=6 * sr, stop=8 * sr, dtype="float32")
    np.testing.assert_allclose(data[200:-200], source[200:-200], atol=1e-4)
    # a drag from the mini waveform carries the moment as a WAV; other rows and columns carry whole files
    mime = view.region_mime([row, (row + 1) % len(done.results)])
    urls = [Path(u.toLocalFile()) for u in mime.urls()]
    assert urls[0].name == "long_take_00m06.0s-00m08.0s.wav" and urls[0].parent.parent == tmp_path / "data" / "drag"
    assert sf.info(str(urls[0])).frames == 2 * sr and urls[1] == model.path((row + 1) % len(done.results))
    whole = model.mimeData([model.index(row, 0)])
    assert [Path(u.toLocalFile()) for u in whole.urls()] == [moment_library / LONG]
    qtbot.waitUntil(lambda: window.query.timeline.path is not None, timeout=WAIT_MS)  # its waveform loads apart
    assert window.query.timeline.drag_file() == moment_library / "tone_01.wav"  # no selection: the whole file
    close_window(window)


def test_a_refused_selection_leaves_no_step_to_walk_back_into(qtbot, tmp_path, moment_service, moment_library):
    """A silent selection was refused, but kept as a crumb: Back walked into it and failed again."""
    silent_tail = np.concatenate([tone(440.0, 4.0, amp=0.3), np.zeros(4 * 16_000, dtype=np.float32)])
    query = write_wav(tmp_path / "half_silent.wav", silent_tail)
    window = open_window(qtbot, moment_service, tmp_path)
    window.start(offer_demo=False)
    results_after(qtbot, window, lambda: window.load_query(query), text="")
    history = window.session.history
    before = list(history.steps)
    with qtbot.waitSignal(window.session.search_failed, timeout=WAIT_MS) as failed:
        window.session.select_range((5.0, 7.0))
    assert "is silent" in failed.args[0]
    assert history.steps == before and history.current.query_range is None  # taken back
    results_after(qtbot, window, lambda: window.session.select_range((1.0, 3.0)), text="")
    assert history.current.query_range == (1.0, 3.0) and history.steps[-2] == before[-1]
    close_window(window)


def test_a_selection_is_searched_with_the_words_box_as_it_is_now(qtbot, tmp_path, moment_service, moment_library):
    """Trial 49: after "add thunder", the user cleared the words box and dragged a region; the region was searched
    with "add thunder" while the box stayed empty. Typed words are searched with it too."""
    window = open_window(qtbot, moment_service, tmp_path)
    window.start(offer_demo=False)
    results_after(qtbot, window, lambda: window.load_query(moment_library / LONG), text="")
    results_after(qtbot, window, lambda: window.session.search("add thunder", 1.0), text="add thunder")
    window.query.modifier.clear()
    done = results_after(qtbot, window, lambda: window.query.range_changed.emit((1.0, 3.0)), text="")
    assert (done.step.text, done.step.query_range) == ("", (1.0, 3.0))
    window.query.modifier.setText("add rain")
    done = results_after(qtbot, window, lambda: window.query.range_changed.emit((2.0, 4.0)), text="add rain")
    assert (done.step.text, done.step.query_range) == ("add rain", (2.0, 4.0))
    close_window(window)


def test_a_found_moment_s_time_stays_in_view_at_1024x640(qtbot, tmp_path, moment_service, moment_library):
    """Trial 50: at 1024x640 the Time column ("44:52.8–45:12.5") lay past the results list's right edge, the Name
    and Folder columns fitted to long names. They narrow (not below NARROWEST) until the found times are in view; the
    waveform keeps its width."""
    from app.ui.results_panel import NARROWEST

    window = _open_on_long_take(qtbot, tmp_path, moment_service, moment_library)
    panel, keys = window.results, [c.key for c in window.results.model.columns]
    header, time = panel.view.header(), keys.index("moment")
    header.resizeSection(keys.index("name"), 420)  # as a library of long names fits them at 1600 px
    header.resizeSection(keys.index("folder"), 260)
    waveform = header.sectionSize(keys.index("waveform"))
    window.resize(1024, 640)
    results_after(qtbot, window, lambda: window.load_query(moment_library / "tone_01.wav"), text="")
    qtbot.wait(50)
    assert any(panel.model.column_text(r, time) for r in range(panel.model.rowCount()))
    shown = panel.view.fontMetrics().horizontalAdvance("0:06.0–0:08.0")  # the found times, whole
    assert header.sectionPosition(time) + shown <= panel.view.viewport().width()
    assert header.sectionSize(keys.index("name")) >= NARROWEST["name"]
    assert header.sectionSize(keys.index("waveform")) == waveform
    close_window(window)


def test_the_folder_column_gives_way_to_a_moment_s_count_too(qtbot, tmp_path, moment_service, moment_library):
    """Trial 53: at 1280 px "2:14.4–2:34.1 · 2 mon" was cut beside a wide Folder column: the Folder narrows for the
    times and their count, the Name only for the times."""
    window = _open_on_long_take(qtbot, tmp_path, moment_service, moment_library)
    panel, keys = window.results, [c.key for c in window.results.model.columns]
    header, time = panel.view.header(), keys.index("moment")
    window.resize(1280, 800)
    header.resizeSection(keys.index("folder"), 600)  # a wide Folder, as long folder names fit it
    results_after(qtbot, window, lambda: window.load_query(moment_library / "tone_01.wav"), text="")
    qtbot.wait(50)
    texts = [panel.model.column_text(r, time) for r in range(panel.model.rowCount())]
    widest = max(panel.view.fontMetrics().horizontalAdvance(t) for t in texts if t)
    assert header.sectionPosition(time) + min(header.sectionSize(time), widest) <= panel.view.viewport().width()
    close_window(window)
