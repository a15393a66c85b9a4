"""Recent modifiers offered in the modifier box: a popup while typing the start of one, the whole list
on Down in the box, and a "Recent" menu button; choosing one fills the box and searches."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QStringListModel, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QCompleter, QLineEdit, QMenu, QToolButton

from app.ui.modifier_edit import popup_completer

MAX_RECENT = 15  # offered in the popup and the menu


class RecentModifiers(QObject):
    """Attach to the modifier QLineEdit; ``chosen`` fires with the text the user picked."""

    chosen = Signal(str)

    def __init__(self, edit: QLineEdit, parent: QObject | None = None):
        super().__init__(parent)
        self.edit = edit
        self.texts: list[str] = []
        self.model = QStringListModel(self)
        self.completer = popup_completer(self.model, edit, self, Qt.MatchFlag.MatchStartsWith, self._choose)
        self.menu = QMenu()
        self.button = QToolButton()
        self.button.setText("Recent")
        self.button.setToolTip("Modifiers you searched with before (Down in the text box)")
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.button.setMenu(self.menu)
        edit.textEdited.connect(self.offer)  # connected after the word completer: this one wins
        edit.installEventFilter(self)
        self.set_texts([])

    def set_texts(self, texts: list[str]) -> None:
        """Newest first; duplicates and blanks dropped."""
        unique = list(dict.fromkeys(t.strip() for t in texts if t.strip()))[:MAX_RECENT]
        self.texts = unique
        self.model.setStringList(unique)
        self.menu.clear()
        for text in unique:
            self.menu.addAction(text, lambda t=text: self._choose(t))
        self.button.setEnabled(bool(unique))

    def remember(self, text: str) -> None:
        self.set_texts([text, *self.texts])

    def offer(self, typed: str) -> bool:
        """While typing: show the recent modifiers that start with the whole text typed so far."""
        typed = typed.strip()
        matches = [t for t in self.texts if t.lower().startswith(typed.lower()) and t.lower() != typed.lower()]
        if not typed or not matches:
            self.completer.popup().hide()
            return False
        for completer in self.edit.findChildren(QCompleter):  # the word completer's popup gives way
            if completer is not self.completer:
                completer.popup().hide()
        self.completer.setCompletionPrefix(typed)
        self.completer.complete()
        return True

    def show_all(self) -> None:
        if self.texts:
            self.completer.setCompletionPrefix("")
            self.completer.complete()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # Qt override
        if (watched is self.edit and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Down
                and not self.completer.popup().isVisible()):
            self.show_all()
            return True
        return super().eventFilter(watched, event)

    def _choose(self, text: str) -> None:
        self.completer.popup().hide()
        self.edit.setText(text)
        self.chosen.emit(text)
