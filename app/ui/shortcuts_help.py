"""The Help menu's list of keys: the menus' shortcuts, then the keys the lists, the text box and the waveform
read themselves."""

from __future__ import annotations

import html

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMenu

FIRST_DEVICE_KEY = 0x01000061  # Qt.Key_Back and after: keys of multimedia keyboards (Open, Exit, Back...)

WIDGET_KEYS = (
    ("Audition result / library file", "click, Space (in the list)"),
    ("Use result / library file as query", "double-click, Return (in the list)"),
    ("The library filter's one file as query / into the list", "Return / Down (in the filter)"),
    ("Press the focused button, tick the focused box", "Space, Return"),
    ("Mark selected results more / less like this", "+, − (in the results)"),
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
