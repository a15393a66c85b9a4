"""Keyboard reach: the menus' Ctrl shortcuts win over a text box's own keys, and a drop-down keeps its own.

On X11 a text box reads Ctrl+E as "end of line", so File → Export selected files (Ctrl+E) did nothing while the words
box or the library filter had focus, while Ctrl+D and Ctrl+Shift+C worked there (a keyboard-first trial). A text box
keeps the keys of editing itself (copy, paste, undo, select all, word moves), which no menu uses. A drop-down keeps
Alt+Down / Alt+Up, its own keys for opening, which the Search menu's next / previous result took away.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QComboBox, QLineEdit, QMainWindow, QMenu

EDITING_KEYS = frozenset(QKeySequence(k).toString() for k in (
    "Ctrl+A", "Ctrl+C", "Ctrl+V", "Ctrl+X", "Ctrl+Z", "Ctrl+Y", "Ctrl+Shift+Z", "Ctrl+Left", "Ctrl+Right",
    "Ctrl+Backspace", "Ctrl+Delete", "Ctrl+Shift+Left", "Ctrl+Shift+Right", "Ctrl+Home", "Ctrl+End"))
DROP_DOWN_KEYS = frozenset(QKeySequence(k).toString() for k in ("Alt+Down", "Alt+Up"))
# the keyboard's focus on a button: the native look draws the default button (Search) the same with it and without
# (a keyboard-first trial could not see it); a frame in the focus colour, the button native otherwise
FOCUS_COLOR = "#2a7ad5"  # the frame of whatever has the keyboard's focus: a button, the query waveform
FOCUS_STYLE = (f"QPushButton:focus, QToolButton:focus {{ border: 2px solid {FOCUS_COLOR}; border-radius: 4px; "
               "padding: 3px 10px; background-color: palette(button); }")


def menu_keys(menus: list[QMenu]) -> frozenset[str]:
    """The Ctrl shortcuts of the menus' actions, as QKeySequence strings, without the editing keys."""
    keys = {seq.toString() for menu in menus for act in menu.actions() for seq in act.shortcuts()
            if seq.count() and seq[0].keyboardModifiers() & Qt.KeyboardModifier.ControlModifier}
    return frozenset(keys - EDITING_KEYS)


class MenuKeysFirst(QObject):
    """Installed on the application: a text box of ``window`` lets the menus' Ctrl shortcuts through."""

    def __init__(self, window: QMainWindow, menus: list[QMenu]):
        super().__init__(window)
        self.window, self.keys = window, menu_keys(menus)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # Qt override
        if (event.type() != QEvent.Type.ShortcutOverride or not isinstance(event, QKeyEvent)
                or not isinstance(watched, (QLineEdit, QComboBox)) or watched.window() is not self.window):
            return False
        keys = QKeySequence(event.keyCombination()).toString()
        if isinstance(watched, QComboBox) and keys in DROP_DOWN_KEYS:
            event.accept()  # the drop-down's own key: it opens, no shortcut runs
            return True
        if isinstance(watched, QLineEdit) and keys in self.keys:
            event.ignore()  # not taken by the text box: the menu's shortcut runs
            return True
        return False
