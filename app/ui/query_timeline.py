"""The query's timeline: its waveform (zoom, click-to-seek, a draggable selection) and a row of controls:
zoom buttons, the play position, the selection's times with a clear button, "Export selection…" and a
handle that drags the selection (or the whole file) out as a WAV file, to a DAW or a file manager.

The pyqtgraph waveform (app.ui.waveform) is created on first use: pyqtgraph is slow to import.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QMimeData, QPoint, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDrag, QMouseEvent
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.service import SearchService, clock, clock_range
from app.ui.window_layout import WAVEFORM_HEIGHT
from app.ui.workers import Latest, TaskRunner

if TYPE_CHECKING:
    from app.ui.waveform import WaveformView

DETAIL_BINS = 2000  # finer peaks of a zoomed view: the visible part and half its width on each side
DETAIL_MAX_SECONDS = 600.0  # wider ranges keep the overview (decoding them would hold a worker for seconds)
DETAIL_DELAY_MS = 150  # the detail loads once the zoom or pan rests this long


class DragHandle(QLabel):
    """Press and drag: starts a file drag with what ``make_file()`` returns (None: nothing to drag)."""

    def __init__(self, text: str, make_file, parent: QWidget | None = None):
        super().__init__(text, parent)
        self._make_file = make_file
        self._pressed: QPoint | None = None
        self.setCursor(Qt.CursorShape.OpenHandCursor)
        self.setStyleSheet("QLabel { border: 1px solid #999; border-radius: 3px; padding: 2px 6px; }"
                           "QLabel:disabled { color: #aaa; border-color: #ccc; }")

    def mousePressEvent(self, event: QMouseEvent) -> None:  # Qt override
        if event.button() == Qt.MouseButton.LeftButton:
            self._pressed = event.position().toPoint()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # Qt override
        if self._pressed is None or not self.isEnabled():
            return
        if (event.position().toPoint() - self._pressed).manhattanLength() < QApplication.startDragDistance():
            return
        self._pressed = None
        path = self._make_file()
        if path is not None:
            mime = QMimeData()
            mime.setUrls([QUrl.fromLocalFile(str(path))])
            drag = QDrag(self)
            drag.setMimeData(mime)
            drag.exec(Qt.DropAction.CopyAction)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # Qt override
        self._pressed = None


class QueryTimeline(QWidget):
    seek_requested = Signal(float)  # a click on the waveform
    selection_changed = Signal(object)  # (start, end) | None, set by the user
    export_requested = Signal(float, float)  # "Export selection…"
    message = Signal(str)

    def __init__(self, service: SearchService, runner: TaskRunner, parent: QWidget | None = None):
        super().__init__(parent)
        self.service = service
        self._details = Latest(runner)
        self._detail_timer = QTimer(self, singleShot=True, interval=DETAIL_DELAY_MS)
        self._detail_timer.timeout.connect(self._load_detail)
        self.path: Path | None = None
        self.duration = 0.0
        self._position: float | None = None  # the playhead while playing
        self._waveform: WaveformView | None = None
        self._compact = False  # a short window: a lower waveform (set_compact)
        self._slot = QLabel("")
        self._slot.setMinimumHeight(WAVEFORM_HEIGHT[False])  # as the waveform's (WaveformView.set_compact)
        self.zoom_out_button = QToolButton(text="−", toolTip="Zoom out (-, or the mouse wheel)")
        self.zoom_in_button = QToolButton(text="+", toolTip="Zoom in (+, or the mouse wheel)")
        self.fit_button = QToolButton(text="Fit", toolTip="Show the whole file (0)")
        self.time_label = QLabel("")
        self.time_label.setToolTip("Play position / length; zoomed in: the part on screen. Click the waveform to play "
                                   "from there")
        self.selection_label = QLabel("")
        self.selection_label.setToolTip("Drag on the waveform to select a part of the file: the search then uses that "
                                        "part as the query")
        # the play position may be cut short rather than widen the window (trial 52: a 60-minute take's times and
        # selection made it 1044 px wide at 1024); its tooltip and the waveform's axis keep the times
        self.time_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.clear_button = QToolButton(text="✕", toolTip="Clear the selection: search with the whole file (Delete)")
        self.export_button = QPushButton("Export selection…")
        self.export_button.setToolTip("Write the selection as a new WAV file (original rate and channels)")
        self.drag_handle = DragHandle("⇲ Drag out", self.drag_file)
        self.drag_handle.setToolTip("Drag the selection (or the whole file without one) to a DAW or a folder")
        controls = QHBoxLayout()
        controls.setContentsMargins(0, 0, 0, 0)
        for w in (self.zoom_out_button, self.zoom_in_button, self.fit_button):
            controls.addWidget(w)
        controls.addWidget(self.time_label, 1)  # the room left over: cut short rather than widen the window
        controls.addWidget(self.selection_label, 1)
        for w in (self.clear_button, self.export_button, self.drag_handle):
            controls.addWidget(w)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self._slot, 1)
        layout.addLayout(controls)
        self.zoom_out_button.clicked.connect(lambda: self.waveform.zoom_by(0.5))
        self.zoom_in_button.clicked.connect(lambda: self.waveform.zoom_by(2.0))
        self.fit_button.clicked.connect(lambda: self.waveform.zoom_fit())
        self.clear_button.clicked.connect(lambda: self.waveform.clear_selection())
        self.export_button.clicked.connect(self._export)
        self._update_controls()

    @property
    def waveform(self) -> WaveformView:
        if self._waveform is None:
            from app.ui.waveform import WaveformView

            self._waveform = WaveformView()
            self._waveform.set_compact(self._compact)
            self._waveform.seek_requested.connect(self.seek_requested)
            self._waveform.selection_moving.connect(lambda _: self._update_controls())
            self._waveform.selection_changed.connect(self._selection_changed)
            self._waveform.view_changed.connect(lambda *_: (self._detail_timer.start(), self._show_time()))
            self.layout().replaceWidget(self._slot, self._waveform)
            self._slot.deleteLater()
        return self._waveform

    def set_compact(self, compact: bool) -> None:
        """A lower waveform in a short window (app.ui.window_layout.compact_height)."""
        self._compact = compact
        if self._waveform is not None:
            self._waveform.set_compact(compact)
        else:
            self._slot.setMinimumHeight(WAVEFORM_HEIGHT[compact])

    @property
    def selection(self) -> tuple[float, float] | None:
        return self._waveform.selected if self._waveform is not None else None

    def show_file(self, path: Path | None, peaks=None, duration: float = 0.0, message: str = "") -> None:
        """The file's waveform (``peaks`` over ``duration`` s), or ``message`` instead while there is none."""
        self.path, self.duration = path, (duration if peaks is not None else 0.0)
        if peaks is None:
            self.waveform.clear_waveform(message)
        else:
            self.waveform.set_peaks(peaks, duration)
        self.set_position(None)
        self._update_controls()

    def set_selection(self, selected: tuple[float, float] | None, zoom: bool = False) -> None:
        """Show a selection (a promoted moment, a history step); ``zoom`` brings it on screen with context."""
        self.waveform.set_selection(selected)
        if zoom and selected is not None and self.duration > 0:
            start, end = selected
            context = max(end - start, 1.0)
            if end - start < self.duration / 3:
                self.waveform.zoom_to(max(0.0, start - context), min(self.duration, end + context))
        self._update_controls()

    def set_position(self, seconds: float | None) -> None:
        """The playhead and the time label (None: not playing)."""
        if self._waveform is not None:
            self._waveform.set_playhead(seconds)
        self._position = seconds
        self._show_time()

    def _show_time(self) -> None:
        """Playing: the position / the length; zoomed in: the part on screen of the length ("0:02.0–0:03.5 of
        0:06.0": a trial read the bare length beside the zoom buttons as telling nothing); else the length."""
        length = clock(self.duration) if self.duration else ""
        if self._position is not None and length:
            self.time_label.setText(f"{clock(self._position)} / {length}")
            return
        low, high = self._waveform.visible_range if self._waveform is not None and length else (0.0, self.duration)
        zoomed = length and (max(low, 0.0) > 0.01 * self.duration or min(high, self.duration) < 0.99 * self.duration)
        shown = clock_range(max(low, 0.0), min(high, self.duration))
        self.time_label.setText(f"{shown} of {length}" if zoomed else length)

    def _load_detail(self) -> None:
        """A zoomed view of a long file gets finer peaks of what is on screen (the overview has 800 bins)."""
        waveform, path, duration = self._waveform, self.path, self.duration
        if waveform is None or path is None or duration <= 0:
            return
        low, high = waveform.visible_range
        start, end = max(0.0, low - (high - low) / 2), min(duration, high + (high - low) / 2)
        if high - low > duration / 2 or end - start > DETAIL_MAX_SECONDS:
            self._details.invalidate()
            if waveform.detail is not None:
                waveform.set_detail(0.0, 0.0, None)
            return
        if waveform.detail is not None and waveform.detail[0] <= low and high <= waveform.detail[1] \
                and waveform.detail[1] - waveform.detail[0] <= 4 * (high - low):
            return  # what is on screen is already drawn finely enough
        svc = self.service

        def shown(peaks) -> None:
            if self.path == path and self._waveform is not None:
                self._waveform.set_detail(start, end, peaks)

        self._details.request(lambda: svc.waveform_peaks(path, DETAIL_BINS, start, end), shown, lambda exc: None)

    def _selection_changed(self, selected: tuple[float, float] | None) -> None:
        self._update_controls()
        self.selection_changed.emit(selected)

    def _update_controls(self) -> None:
        loaded = self.duration > 0
        for w in (self.zoom_out_button, self.zoom_in_button, self.fit_button, self.drag_handle):
            w.setEnabled(loaded)
        selected = self.selection if loaded else None
        self.clear_button.setVisible(selected is not None)
        self.export_button.setEnabled(selected is not None)
        hint = selected is None  # the hint gives way to the length beside it (trial 53: the length read "0:")
        policy = QSizePolicy.Policy
        self.selection_label.setSizePolicy(policy.Ignored if hint else policy.Preferred, policy.Preferred)
        self.time_label.setSizePolicy(policy.Preferred if hint else policy.Ignored, policy.Preferred)
        if selected is None:
            self.selection_label.setText("<span style='color:gray'>Drag to search with a part of it</span>"
                                         if loaded else "")  # the tooltip says where
        else:
            start, end = selected
            self.selection_label.setText(f"Selection <b>{clock_range(start, end)}</b> ({end - start:.1f} s)")

    def _export(self) -> None:
        selected = self.selection
        if selected is not None:
            self.export_requested.emit(*selected)

    def drag_file(self) -> Path | None:
        """The file a drag carries: the selection written as a WAV (service.region_drag_file, about a few ms for
        seconds of sound: it must exist before the drag starts), or the whole file."""
        if self.path is None:
            return None
        selected = self.selection
        if selected is None:
            return self.path
        try:
            return self.service.region_drag_file(self.path, *selected)
        except Exception as exc:  # noqa: BLE001 - unreadable file, full disk: said, the drag does not start
            self.message.emit(f"Cannot drag the selection out: {exc}")
            return None
