"""Mini waveforms for result rows, drawn with QPainter (cheap enough for every row, no pyqtgraph)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen, QPolygonF

WAVE_COLOR = QColor(64, 156, 255)
PLAYHEAD_COLOR = QColor(255, 170, 0)
REGION_COLOR = QColor(230, 120, 20)  # the matching moment of a long file / the query's selection
QUIET_BELOW = 0.1  # a file peaking under -20 dBFS is quiet: drawn magnified (else a -40 dBFS file is a flat line)
QUIET_SHOWN_AT = 0.25  # ... so that its peak reaches this share of the height
MAX_MAGNIFY = 32.0  # at most +30 dB: digital near-silence stays flat


def display_scale(peaks: np.ndarray | None) -> float:
    """How much a file's envelope is magnified for display: 1 unless its peak is under QUIET_BELOW of full scale,
    then enough to draw its peak at QUIET_SHOWN_AT (at most MAX_MAGNIFY), so a quiet file still shows its shape,
    smaller than a loud one."""
    if peaks is None or not len(peaks):
        return 1.0
    top = float(np.max(np.abs(np.asarray(peaks, dtype=np.float32))))
    if not np.isfinite(top) or top <= 0 or top >= QUIET_BELOW:
        return 1.0
    return min(QUIET_SHOWN_AT / top, MAX_MAGNIFY)


def paint_mini_waveform(painter: QPainter, rect: QRectF, peaks: np.ndarray | None,
                        color: QColor = WAVE_COLOR, progress: float | None = None,
                        region: tuple[float, float] | None = None) -> None:
    """Draw a min/max envelope into ``rect``; ``progress`` in [0, 1] draws a playhead; ``region`` (start, end)
    as shares of the file in [0, 1] is shaded and outlined (the moment that matched)."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    mid, half = rect.center().y(), rect.height() / 2.0
    if region is not None:
        left = rect.left() + min(max(region[0], 0.0), 1.0) * rect.width()
        right = rect.left() + min(max(region[1], 0.0), 1.0) * rect.width()
        right = max(right, left + 2.0)  # a short moment of a long file stays visible
        shade = QColor(REGION_COLOR)
        shade.setAlpha(80)
        painter.fillRect(QRectF(left, rect.top(), right - left, rect.height()), shade)
    if peaks is None or len(peaks) == 0:
        painter.setPen(QPen(color.darker(160), 1, Qt.PenStyle.DotLine))
        painter.drawLine(QPointF(rect.left(), mid), QPointF(rect.right(), mid))
    else:
        peaks = np.asarray(peaks, dtype=np.float32) * np.float32(display_scale(peaks))
        n = len(peaks)
        xs = rect.left() + (np.arange(n) + 0.5) * rect.width() / n
        tops = [QPointF(x, mid - hi * half) for x, hi in zip(xs, peaks[:, 1], strict=True)]
        bottoms = [QPointF(x, mid - lo * half) for x, lo in zip(xs[::-1], peaks[::-1, 0], strict=True)]
        painter.setPen(QPen(color, 1))
        painter.setBrush(color.lighter(130))
        painter.drawPolygon(QPolygonF(tops + bottoms))
    if region is not None:
        painter.setPen(QPen(REGION_COLOR, 1.5))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(QRectF(left, rect.top(), right - left, rect.height()))
    if progress is not None:
        x = rect.left() + min(max(progress, 0.0), 1.0) * rect.width()
        painter.setPen(QPen(PLAYHEAD_COLOR, 2))
        painter.drawLine(QPointF(x, rect.top()), QPointF(x, rect.bottom()))
    painter.restore()
