"""Mini waveforms for result rows, drawn with QPainter (cheap enough for every row, no pyqtgraph)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen, QPolygonF

WAVE_COLOR = QColor(64, 156, 255)
PLAYHEAD_COLOR = QColor(255, 170, 0)


def paint_mini_waveform(painter: QPainter, rect: QRectF, peaks: np.ndarray | None,
                        color: QColor = WAVE_COLOR, progress: float | None = None) -> None:
    """Draw a min/max envelope into ``rect``; ``progress`` in [0, 1] draws a playhead."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    mid, half = rect.center().y(), rect.height() / 2.0
    if peaks is None or len(peaks) == 0:
        painter.setPen(QPen(color.darker(160), 1, Qt.PenStyle.DotLine))
        painter.drawLine(QPointF(rect.left(), mid), QPointF(rect.right(), mid))
        painter.restore()
        return
    peaks = np.asarray(peaks, dtype=np.float32)
    n = len(peaks)
    xs = rect.left() + (np.arange(n) + 0.5) * rect.width() / n
    tops = [QPointF(x, mid - hi * half) for x, hi in zip(xs, peaks[:, 1], strict=True)]
    bottoms = [QPointF(x, mid - lo * half) for x, lo in zip(xs[::-1], peaks[::-1, 0], strict=True)]
    painter.setPen(QPen(color, 1))
    painter.setBrush(color.lighter(130))
    painter.drawPolygon(QPolygonF(tops + bottoms))
    if progress is not None:
        x = rect.left() + min(max(progress, 0.0), 1.0) * rect.width()
        painter.setPen(QPen(PLAYHEAD_COLOR, 2))
        painter.drawLine(QPointF(x, rect.top()), QPointF(x, rect.bottom()))
    painter.restore()
