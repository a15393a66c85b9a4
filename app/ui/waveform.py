"""The query waveform: pyqtgraph plot of the min/max envelope with a playhead, zoom, click-to-seek and a
draggable selection (the part of a long take to search with).

Imported lazily (after the window has painted): pyqtgraph takes about a second to import.
Mouse: wheel zooms around the pointer, left drag selects (drag the selection's body or edges to move it),
a left click seeks there, right or middle drag pans. Keys (when the waveform has focus): + / - zoom,
0 shows the whole file, Left / Right pan, Delete clears the selection.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent
from PySide6.QtWidgets import QWidget

from app.service import tick_clock
from app.ui.mini_waveform import PLAYHEAD_COLOR, REGION_COLOR, WAVE_COLOR, display_scale
from app.ui.window_keys import FOCUS_COLOR
from app.ui.window_layout import WAVEFORM_HEIGHT

MIN_SELECTION = 0.05  # seconds: a shorter drag is not a selection
MIN_VIEW = 0.02  # seconds shown at the deepest zoom
ZOOM_STEP = 2.0
PAN_SHARE = 0.2  # Left / Right move the view by this share of its width


class TimeAxis(pg.AxisItem):
    """Bottom axis in m:ss (a long take reads 6:00, not 360 s or 0.36 ks)."""

    def tickStrings(self, values, scale, spacing):  # noqa: N802 - pyqtgraph's name
        return [tick_clock(v * scale, spacing * scale) for v in values]


class TimelineViewBox(pg.ViewBox):
    """Left click seeks, left drag selects, right/middle drag pans; the wheel zooms time only."""

    def __init__(self, view: WaveformView):
        super().__init__(enableMenu=False)
        self._view = view

    def mouseClickEvent(self, ev) -> None:  # noqa: N802 - pyqtgraph override
        if ev.button() == Qt.MouseButton.LeftButton and self._view.duration > 0:
            ev.accept()
            self._view.seek_requested.emit(self._view.clamp(self.mapSceneToView(ev.scenePos()).x()))
        else:
            ev.ignore()

    def mouseDragEvent(self, ev, axis=None) -> None:  # noqa: N802 - pyqtgraph override
        if self._view.duration <= 0:
            ev.ignore()
            return
        ev.accept()
        if ev.button() == Qt.MouseButton.LeftButton:
            a = self.mapSceneToView(ev.buttonDownScenePos()).x()
            b = self.mapSceneToView(ev.scenePos()).x()
            self._view.drag_selection(a, b, ev.isFinish())
        else:
            dx = self.mapSceneToView(ev.lastScenePos()).x() - self.mapSceneToView(ev.scenePos()).x()
            self.translateBy(x=dx)


class WaveformView(pg.PlotWidget):
    """Min/max envelope of the current query over time, with a playhead line and a selection."""

    seek_requested = Signal(float)  # seconds: a click on the waveform
    selection_changed = Signal(object)  # (start, end) seconds or None, when the user has set it
    selection_moving = Signal(object)  # (start, end) while a selection is dragged
    view_changed = Signal(float, float)  # the time range on screen

    def __init__(self, parent: QWidget | None = None):
        self.duration = 0.0
        self._overview: tuple[np.ndarray, np.ndarray] = (np.zeros(0), np.zeros((0, 2), np.float32))
        self.detail: tuple[float, float] | None = None  # the range drawn from finer peaks
        self._box = TimelineViewBox(self)
        super().__init__(parent, background=None, viewBox=self._box, axisItems={"bottom": TimeAxis("bottom")})
        self.set_compact(False)
        self.setMenuEnabled(False)
        self.setMouseEnabled(x=True, y=False)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        # the keys on the waveform (+ − 0, Left Right, Delete) need its focus seen: a keyboard-first trial saw none
        self.setStyleSheet("WaveformView { border: 2px solid transparent; } WaveformView:focus { border: 2px solid "
                           f"{FOCUS_COLOR}; }}")
        self.hideButtons()
        item = self.getPlotItem()
        item.hideAxis("left")
        item.getAxis("bottom").setStyle(tickLength=-4)
        self.setYRange(-1.0, 1.0, padding=0.05)
        pen = pg.mkPen(WAVE_COLOR, width=1)
        self._top = pg.PlotDataItem(pen=pen)
        self._bottom = pg.PlotDataItem(pen=pen)
        self._fill = pg.FillBetweenItem(self._top, self._bottom, brush=pg.mkBrush(WAVE_COLOR.lighter(130)))
        for it in (self._fill, self._top, self._bottom):
            self.addItem(it)
        shade = QColor(REGION_COLOR)
        shade.setAlpha(70)
        self.selection = pg.LinearRegionItem((0.0, 1.0), brush=pg.mkBrush(shade), pen=pg.mkPen(REGION_COLOR, width=2),
                                             movable=True, swapMode="sort")
        self.selection.setZValue(-5)
        self.selection.setVisible(False)
        self.selection.sigRegionChanged.connect(lambda: self.selection_moving.emit(self.selected))
        self.selection.sigRegionChangeFinished.connect(lambda: self.selection_changed.emit(self.selected))
        self.addItem(self.selection)
        self.playhead = pg.InfiniteLine(pos=0.0, angle=90, movable=False, pen=pg.mkPen(PLAYHEAD_COLOR, width=2))
        self.playhead.setVisible(False)
        self.addItem(self.playhead)
        self._message = pg.TextItem("", color=(150, 150, 150), anchor=(0.5, 0.5))
        self.addItem(self._message)
        self._box.sigXRangeChanged.connect(lambda _, r: self.view_changed.emit(float(r[0]), float(r[1])))
        self.clear_waveform("Load a query: pick a library file, open one, or drop it here")

    def set_compact(self, compact: bool) -> None:
        """The least height: lower in a short window (app.ui.window_layout.compact_height)."""
        self.setMinimumHeight(WAVEFORM_HEIGHT[compact])

    # content -----------------------------------------------------------------------------
    def set_peaks(self, peaks: np.ndarray, duration: float) -> None:
        """peaks (n, 2) min/max in [-1, 1] spanning ``duration`` seconds."""
        peaks = np.asarray(peaks, dtype=np.float32).reshape(-1, 2)
        self.getPlotItem().getAxis("bottom").setStyle(showValues=True)
        self.duration = max(float(duration), 1e-3)
        x = np.linspace(0.0, self.duration, len(peaks), dtype=np.float64) if len(peaks) else np.zeros(0)
        self._overview = (x, peaks)
        self.detail: tuple[float, float] | None = None
        limit = 1.0 / display_scale(peaks)  # a quiet file drawn magnified (mini_waveform.display_scale)
        self.setYRange(-limit, limit, padding=0.05)
        self._draw(x, peaks)
        self._message.setText("")
        self._box.setLimits(xMin=0.0, xMax=self.duration, minXRange=min(MIN_VIEW, self.duration))
        self.selection.setBounds((0.0, self.duration))
        self.set_selection(None)
        self.zoom_fit()
        self.set_playhead(None)

    def _draw(self, x: np.ndarray, peaks: np.ndarray) -> None:
        self._bottom.setData(x, peaks[:, 0])
        self._top.setData(x, peaks[:, 1])
        self._fill.setVisible(bool(len(x)))

    def set_detail(self, start: float, end: float, peaks: np.ndarray | None) -> None:
        """Finer peaks for ``start``-``end`` seconds (a zoomed view of a long take) drawn over the overview;
        None goes back to the overview alone."""
        x, overview = self._overview
        if peaks is None or not len(x):
            self.detail = None
            self._draw(x, overview)
            return
        peaks = np.asarray(peaks, dtype=np.float32).reshape(-1, 2)
        inner = np.linspace(start, end, len(peaks), dtype=np.float64)
        before, after = x < start, x > end
        self.detail = (start, end)
        self._draw(np.concatenate([x[before], inner, x[after]]),
                   np.concatenate([overview[before], peaks, overview[after]]))

    def clear_waveform(self, message: str = "") -> None:
        self._top.setData([], [])
        self._bottom.setData([], [])
        self._fill.setVisible(False)  # the fill keeps its last shape when its curves empty (a trial saw the previous
        # file's waveform under a failed one's message)
        self._overview = (np.zeros(0), np.zeros((0, 2), np.float32))
        self.detail = None
        self.duration = 0.0
        self._box.setLimits(xMin=None, xMax=None, minXRange=None)
        self.setXRange(0.0, 1.0, padding=0.0)
        self.getPlotItem().getAxis("bottom").setStyle(showValues=False)  # no file: no times to read
        self._message.setText(message)
        self._message.setPos(0.5, 0.0)
        self.set_selection(None)
        self.set_playhead(None)

    def set_playhead(self, seconds: float | None) -> None:
        """Show the playhead at ``seconds``; None hides it."""
        if seconds is None:
            self.playhead.setVisible(False)
            return
        self.playhead.setValue(min(seconds, self.duration))
        self.playhead.setVisible(True)

    def clamp(self, seconds: float) -> float:
        return min(max(float(seconds), 0.0), self.duration)

    # selection ---------------------------------------------------------------------------
    @property
    def selected(self) -> tuple[float, float] | None:
        if not self.selection.isVisible():
            return None
        start, end = self.selection.getRegion()
        return float(start), float(end)

    def set_selection(self, selected: tuple[float, float] | None) -> None:
        """Show this selection (no ``selection_changed``: that signal is for the user's edits)."""
        self.selection.blockSignals(True)
        try:
            if selected is None or self.duration <= 0:
                self.selection.setVisible(False)
            else:
                self.selection.setRegion((self.clamp(selected[0]), self.clamp(selected[1])))
                self.selection.setVisible(True)
        finally:
            self.selection.blockSignals(False)

    def drag_selection(self, a: float, b: float, finished: bool) -> None:
        """A left drag on the waveform: the selection follows it; the finished one is announced."""
        start, end = sorted((self.clamp(a), self.clamp(b)))
        if end - start < MIN_SELECTION:
            return
        self.set_selection((start, end))
        self.selection_moving.emit((start, end))
        if finished:
            self.selection_changed.emit((start, end))

    def clear_selection(self) -> None:
        if self.selected is not None:
            self.set_selection(None)
            self.selection_changed.emit(None)

    # zoom --------------------------------------------------------------------------------
    @property
    def visible_range(self) -> tuple[float, float]:
        low, high = self._box.viewRange()[0]
        return float(low), float(high)

    def zoom_to(self, start: float, end: float) -> None:
        self.setXRange(self.clamp(start), self.clamp(end), padding=0.0)

    def zoom_fit(self) -> None:
        self.setXRange(0.0, max(self.duration, 1e-3), padding=0.0)

    def zoom_by(self, factor: float) -> None:
        """factor > 1 zooms in around the playhead when it is on screen, else the view's centre."""
        low, high = self.visible_range
        centre = self.playhead.value() if self.playhead.isVisible() and low <= self.playhead.value() <= high \
            else (low + high) / 2
        half = max((high - low) / factor, MIN_VIEW) / 2
        if half * 2 >= self.duration:
            self.zoom_fit()
            return
        low = min(max(centre - half, 0.0), self.duration - 2 * half)
        self.zoom_to(low, low + 2 * half)

    def pan_by(self, share: float) -> None:
        low, high = self.visible_range
        shift = share * (high - low)
        shift = min(max(shift, -low), self.duration - high)
        self.zoom_to(low + shift, high + shift)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # Qt override
        key = event.key()
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_by(ZOOM_STEP)
        elif key == Qt.Key.Key_Minus:
            self.zoom_by(1 / ZOOM_STEP)
        elif key == Qt.Key.Key_0:
            self.zoom_fit()
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            self.pan_by(PAN_SHARE if key == Qt.Key.Key_Right else -PAN_SHARE)
        elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.clear_selection()
        else:
            super().keyPressEvent(event)
