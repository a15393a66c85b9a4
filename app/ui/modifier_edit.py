"""The modifier text box: it completes the sound word being typed from the model's known sound words. A popup
entry highlighted with the arrow keys is taken by Return (the box's own Return, the search, waits for the next one),
so what is searched is always what the box shows."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QStringListModel, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QCompleter, QLineEdit, QWidget

from app.service import SearchService


class ReturnTakesEntry(QObject):
    """On a completer's popup: Return or Enter on a highlighted entry calls ``take`` with its text and goes no
    further (without this the box also got the Return and searched the half-typed text before the entry was in);
    Escape closes the popup and nothing else (the window's Escape stopped playback and left the popup open)."""

    def __init__(self, completer: QCompleter, take: Callable[[str], None]):
        super().__init__(completer)
        self.popup, self.take = completer.popup(), take
        self.popup.installEventFilter(self)  # installed after the completer's own filter: runs first

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # Qt override
        if (event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent)
                and event.key() == Qt.Key.Key_Escape and self.popup.isVisible()):
            event.accept()  # Escape closes the popup: the window's Escape (stop playback) must not take it
            return True
        if (event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and event.key() == Qt.Key.Key_Escape and self.popup.isVisible()):
            self.popup.hide()
            return True
        if (event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.popup.isVisible()):
            index = self.popup.currentIndex()
            if index.isValid():
                self.popup.hide()
                self.take(str(index.data()))
                return True
        return super().eventFilter(watched, event)


def popup_completer(model: QStringListModel, edit: QLineEdit, parent: QObject, match: Qt.MatchFlag,
                    take: Callable[[str], None]) -> QCompleter:
    """A case-blind popup completer of ``edit`` over ``model``: a click or Return on an entry calls ``take`` (and
    Return nothing else: ReturnTakesEntry)."""
    completer = QCompleter(model, parent)
    completer.setWidget(edit)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    completer.setFilterMode(match)
    completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
    completer.activated.connect(take)
    completer.return_takes = ReturnTakesEntry(completer, take)  # type: ignore[attr-defined]  # kept with it
    return completer


def complete_words(text: str, cursor: int, completion: str) -> tuple[str, int]:
    """The text with the word before the cursor replaced by ``completion``, and the new cursor. The words just
    before it that the completion holds too are replaced with it ("add a dog ba" + "barking dog" -> "add a barking
    dog", not "add a dog barking dog")."""
    head, tail = text[:cursor], text[cursor:]
    words = head.split()
    if words and not head[-1].isspace():
        words.pop()
    taken = {w.lower() for w in completion.split()}
    while words and words[-1].lower() in taken:
        words.pop()
    new_head = " ".join([*words, completion])
    return new_head + tail, len(new_head)


def best_first(words: list[str], typed: str) -> list[str]:
    """``words`` in the popup's order for the word being typed: those starting with it ("thunder" for "thu"), then
    those with a word starting with it ("roll of thunder"), then the rest that hold it ("car horn" for "orn")."""
    typed = typed.lower()

    def rank(word: str) -> tuple[int, str]:
        low = word.lower()
        return (0 if low.startswith(typed) else 1 if any(w.startswith(typed) for w in low.split()) else 2), low

    return sorted(words, key=rank)


class ModifierEdit(QLineEdit):
    """Modifier text box; completes the word being typed from the model's known sound words."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        examples = ", ".join(f"“{t}”" for t in SearchService.example_modifiers()[:2])
        # short enough to read whole in a 1024-px window (a trial saw it cut); the tooltip says the rest
        self.setPlaceholderText(f"A difference: {examples}… or a sound to find: “car horn”")
        self.setToolTip("A difference to hear (“add thunder”, “make the rain quieter”, “lose the horn”); empty: "
                        "similar sounds. With no query sound loaded, a sound to find on its own (“car horn”).")
        self.setClearButtonEnabled(True)
        self.words = QStringListModel(self)
        self.known: list[str] = []  # the known sound words, sorted; the model holds them in the popup's order
        self.word_completer = popup_completer(self.words, self, self, Qt.MatchFlag.MatchContains, self._insert)
        self.textEdited.connect(self._update_popup)

    def set_words(self, words: list[str]) -> None:
        self.known = sorted({w.replace("_", " ").strip() for w in words if w.strip()})
        self.words.setStringList(self.known)

    def _current_word(self) -> str:
        head = self.text()[: self.cursorPosition()]
        return head.split()[-1] if head and not head[-1].isspace() else ""

    def _update_popup(self, _: str) -> None:
        word = self._current_word()
        if len(word) < 2:
            self.word_completer.popup().hide()
            return
        self.words.setStringList(best_first(self.known, word))
        self.word_completer.setCompletionPrefix(word)
        if self.word_completer.completionCount() == 0:
            self.word_completer.popup().hide()
            return
        self.word_completer.complete()

    def _insert(self, completion: str) -> None:
        text, cursor = complete_words(self.text(), self.cursorPosition(), completion)
        self.setText(text)
        self.setCursorPosition(cursor)
