"""The Help menu's list of keys: the menus' shortcuts, then the keys the lists, the text box and the waveform
read themselves."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QMenu, QScrollArea, QVBoxLayout, QWidget

FIRST_DEVICE_KEY = 0x01000061  # Qt.Key_Back and after: keys of multimedia keyboards (Open, Exit, Back...)

WIDGET_KEYS = (
    ("Audition result / library file", "click, Space (in the list)"),
    ("Use result / library file as query", "double-click, Return (in the list)"),
    ("The library filter's one file as query / into the list", "Return / Down (in the filter)"),
    ("Press the focused button, tick the focused box", "Space, Return"),
    ("Mark selected results more / less like this", "+, − (in the results)"),
    ("The result's menu (copy, export, moments ...)", "Shift+F10, Menu (in the results)"),
    ("Copy the selected files' paths", "Ctrl+C (in a list)"),
    ("Recent modifiers", "Down (in the text box)"),
    ("Take a suggested word", "Down, then Return (in the text box)"),
    ("Zoom the query waveform in / out / to fit", "+, −, 0 (on the waveform)"),
    ("Move along the zoomed waveform", "Left, Right (on the waveform)"),
    ("Clear the selection: the whole file is the query again", "Delete (on the waveform)"),
    ("Search with a part of the query", "drag on its waveform"),
    ("Drag a result out", "drag to a DAW or file manager"),
    ("Drag a moment out as a WAV", "drag its mini waveform"),
)


def shown_keys(sequences: list[QKeySequence]) -> str:
    """The keys of an action as the user types them; a multimedia keyboard's own key that a standard binding adds
    (Open, Exit, Back, Forward) is left out of the list (it still works)."""
    keys = [seq for seq in sequences if seq.count() and (seq[0].keyboardModifiers().value
                                                        or seq[0].key().value < FIRST_DEVICE_KEY)]
    return ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in keys)


def shortcuts_table(menus: list[QMenu]) -> str:
    rows = []
    for menu in menus:
        for act in menu.actions():
            keys = shown_keys(act.shortcuts())
            if keys:
                rows.append((act.text().replace("&", ""), keys))
    rows += WIDGET_KEYS
    cells = "".join(f"<tr><td>{html.escape(what)}</td><td><b>{html.escape(keys)}</b></td></tr>" for what, keys in rows)
    return f"<table>{cells}</table>"


SCREEN_SHARE = 0.85  # the dialog's largest share of the screen's free height


class ShortcutsDialog(QDialog):
    """The keys in a list that scrolls, never taller than the screen: a trial's 1366x768 laptop showed neither the
    last rows nor the OK button of a message box 876 px tall (1,095 px at 125 %)."""

    def __init__(self, menus: list[QMenu], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.table = QLabel(shortcuts_table(menus))
        self.table.setTextFormat(Qt.TextFormat.RichText)
        self.table.setContentsMargins(8, 8, 8, 8)
        scroll = QScrollArea()
        scroll.setWidget(self.table)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)
        screen = (parent.screen() if parent is not None else self.screen()).availableGeometry()
        wanted = self.table.sizeHint()
        width = min(wanted.width() + 40, int(screen.width() * SCREEN_SHARE))
        height = min(wanted.height() + buttons.sizeHint().height() + 40, int(screen.height() * SCREEN_SHARE))
        self.resize(width, height)
