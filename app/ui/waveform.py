"""The query waveform: pyqtgraph plot of the min/max envelope with a playhead.

Imported lazily (after the window has painted): pyqtgraph takes about a second to import.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QWidget

from app.ui.mini_waveform import PLAYHEAD_COLOR, WAVE_COLOR


class WaveformView(pg.PlotWidget):
    """Min/max envelope of the current query over time, with a playhead line.

    Clicking the waveform emits ``clicked`` (used as play/stop).
    """

    clicked = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent, background=None)
        self.setMinimumHeight(110)
        self.setMenuEnabled(False)
        self.setMouseEnabled(x=False, y=False)
        self.hideButtons()
        item = self.getPlotItem()
        item.hideAxis("left")
        item.setLabel("bottom", units="s")
        item.getAxis("bottom").setStyle(tickLength=-4)
        self.setYRange(-1.0, 1.0, padding=0.05)
        pen = pg.mkPen(WAVE_COLOR, width=1)
        self._top = pg.PlotDataItem(pen=pen)
        self._bottom = pg.PlotDataItem(pen=pen)
        self._fill = pg.FillBetweenItem(self._top, self._bottom, brush=pg.mkBrush(WAVE_COLOR.lighter(130)))
        for it in (self._fill, self._top, self._bottom):
            self.addItem(it)
        self.playhead = pg.InfiniteLine(pos=0.0, angle=90, movable=False, pen=pg.mkPen(PLAYHEAD_COLOR, width=2))
        self.playhead.setVisible(False)
        self.addItem(self.playhead)
        self._message = pg.TextItem("", color=(150, 150, 150), anchor=(0.5, 0.5))
        self.addItem(self._message)
        self.duration = 0.0
        self.clear_waveform("Load a query: pick a library file, open one, or drop it here")

    def set_peaks(self, peaks: np.ndarray, duration: float) -> None:
        """peaks (n, 2) min/max in [-1, 1] spanning ``duration`` seconds."""
        peaks = np.asarray(peaks, dtype=np.float32).reshape(-1, 2)
        self.duration = max(float(duration), 1e-3)
        x = np.linspace(0.0, self.duration, len(peaks), dtype=np.float32) if len(peaks) else np.zeros(0)
        self._bottom.setData(x, peaks[:, 0])
        self._top.setData(x, peaks[:, 1])
        self._message.setText("")
        self.setXRange(0.0, self.duration, padding=0.0)
        self.set_playhead(None)

    def clear_waveform(self, message: str = "") -> None:
        self._top.setData([], [])
        self._bottom.setData([], [])
        self.duration = 0.0
        self.setXRange(0.0, 1.0, padding=0.0)
        self._message.setText(message)
        self._message.setPos(0.5, 0.0)
        self.set_playhead(None)

    def set_playhead(self, seconds: float | None) -> None:
        """Show the playhead at ``seconds``; None hides it."""
        if seconds is None:
            self.playhead.setVisible(False)
            return
        self.playhead.setValue(min(seconds, self.duration))
        self.playhead.setVisible(True)

    def mouseReleaseEvent(self, ev) -> None:  # Qt override
        super().mouseReleaseEvent(ev)
        if ev.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()
