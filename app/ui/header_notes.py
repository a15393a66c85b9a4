"""The results header: what the search was and its notes, as tall as its text up to a few lines, then scrolled.

A trial at 1024x700 found seven lines of notes (the words' reading, earlier steps' edits, the moment-by-moment order,
long takes lifted) leaving three result rows on screen. The header now takes at most HEADER_SHARE of the results
panel's height (at least HEADER_MIN_LINES, at most MAX_LINES lines); the rest of the notes scroll inside it. The
library panel's import summary is held the same way (one line at least: trial 50 saw it take nine at 1024x640).
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QSizePolicy, QWidget

from app.ui.window_layout import HEADER_MIN_LINES, HEADER_SHARE

MAX_LINES = 8  # the header's greatest height, in lines of its text (the least: HEADER_MIN_LINES)


class NotesLabel(QLabel):
    """A rich-text label that tells its scroll area to fit its height again whenever its text changes. Its links are
    Tab stops (Return follows one) when it has any, a dotted frame showing the label has the focus; else it is no Tab
    stop (a keyboard-first trial met a stop that showed nothing, and could not reach a link)."""

    def __init__(self, *args) -> None:
        super().__init__(*args)
        self.setStyleSheet("NotesLabel { border: 1px solid transparent; } "
                           "NotesLabel:focus { border: 1px dotted #2a6fdb; }")

    def setText(self, text: str) -> None:  # Qt override
        super().setText(text)
        links = "<a " in text
        keys = Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        flags = self.textInteractionFlags() | keys if links else self.textInteractionFlags() & ~keys
        self.setTextInteractionFlags(flags)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus if links else Qt.FocusPolicy.NoFocus)
        area = self.parentWidget()
        while area is not None and not isinstance(area, HeaderNotes):
            area = area.parentWidget()
        if area is not None:
            area.updateGeometry()


class HeaderNotes(QScrollArea):
    """Holds ``label`` (a NotesLabel): as tall as the label's wrapped text, capped (min_lines..MAX_LINES lines,
    share of ``panel``'s height); a vertical scroll bar for the rest."""

    def __init__(self, label: NotesLabel, panel: QWidget):
        super().__init__(panel)
        self.label, self.panel = label, panel
        self.min_lines, self.share = HEADER_MIN_LINES[False], HEADER_SHARE[False]  # less in a short window
        # (ResultsPanel.set_compact)
        self.setWidget(label)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # a Tab stop that showed nothing (a keyboard-first trial); the
        # label's links take Tab themselves
        self.verticalScrollBar().setSingleStep(label.fontMetrics().lineSpacing())  # scrolled a line at a time

    def cap(self) -> int:
        """The greatest height: a whole number of lines (a trial at 1024x640 read a last line cut in half)."""
        line = max(self.label.fontMetrics().lineSpacing(), 1)
        share = int(self.panel.height() * self.share) // line
        return max(self.min_lines, min(MAX_LINES, share)) * line + 4

    def sizeHint(self) -> QSize:  # Qt override
        if not self.label.text():  # nothing to say (no import yet): no blank line
            return QSize(super().sizeHint().width(), 0)
        width = max(self.viewport().width(), 100)
        text_height = self.label.heightForWidth(width)
        if text_height < 0:
            text_height = self.label.sizeHint().height()
        return QSize(super().sizeHint().width(), min(text_height + 2, self.cap()))

    def minimumSizeHint(self) -> QSize:  # Qt override
        return self.sizeHint()

    def resizeEvent(self, event) -> None:  # Qt override: a new width wraps the text anew
        super().resizeEvent(event)
        if self.sizeHint().height() != self.height():
            self.updateGeometry()
