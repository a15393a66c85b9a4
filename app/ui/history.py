"""Refinement history: a list of steps (query file + modifier + strength) with back/forward, and its breadcrumb bar.

Every search is a step: searching the same query with another modifier or strength or promoting a result pushes a new
step and drops any forward steps, like a browser, so Back walks through every search made. Loading another query (from
the library, a file or a drop) drops nothing: it goes after the trail's last step (a trial went Back two steps, loaded
another sound and lost the refinement made after them from the trail).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMenu, QScrollArea, QToolButton, QWidget

from app.service import EarlierSteps, FeedbackMark, clock_range
from app.ui.crumbs import CURRENT_CRUMB, OTHER_CRUMB, crumb_text


def mark_name(mark: FeedbackMark) -> str:
    """A marked result as the user saw it: the file's name, with the moment's times when it is a moment."""
    return f"{mark.path.name} [{clock_range(mark.start, mark.end)}]" if mark.end is not None else mark.path.name


def split_marks(feedback: tuple) -> tuple[tuple[FeedbackMark, ...], tuple[FeedbackMark, ...]]:
    """((FeedbackMark, +1 / -1), ...) as the marks more like this and the marks less like this, in order."""
    return tuple(m for m, sign in feedback if sign > 0), tuple(m for m, sign in feedback if sign < 0)


def feedback_sign(feedback: tuple[tuple[FeedbackMark, int], ...], result: FeedbackMark) -> int:
    """+1 / -1 when this result (a file or a moment of it) is marked in ``feedback``, else 0: the mark of the same
    range, else the latest mark of an overlapping part (a moment that moved a little since it was marked)."""
    same = [s for m, s in feedback if m == result]
    near = [s for m, s in feedback if m.overlaps(result)]
    return (same or near or [0])[-1]


@dataclass(frozen=True)
class Step:
    query: Path
    text: str = ""
    strength: float = 1.0
    feedback: tuple[tuple[FeedbackMark, int], ...] = ()  # results marked +1 more / -1 less like this (a file or moment)
    query_range: tuple[float, float] | None = None  # the selected part of the query file; None: all of it
    earlier: EarlierSteps | None = None  # the refine session before a promoted result: its edits still count
    forgot: bool = False  # the step the user made by forgetting the session's earlier edits ("forget them")
    keyword: str = ""  # this step's results only: files whose names hold it (a note's "keep only files named X";
    # trial 51: as the library filter it went on limiting Back, later queries and the next run)

    @property
    def more_like(self) -> tuple[FeedbackMark, ...]:
        return split_marks(self.feedback)[0]

    @property
    def less_like(self) -> tuple[FeedbackMark, ...]:
        return split_marks(self.feedback)[1]

    def marked(self, marks: list[FeedbackMark], sign: int) -> Step:
        """This step with these results marked +1 / -1 (0 clears their marks); a new mark replaces the marks of
        the same part of its file (the whole file, or a moment sharing time with it)."""
        marks = [FeedbackMark.of(m) for m in marks]
        kept = tuple((m, s) for m, s in self.feedback if not any(m.overlaps(new) for new in marks))
        return replace(self, feedback=kept + (tuple((m, sign) for m in marks) if sign else ()))

    @property
    def query_name(self) -> str:
        """The query file's name, with the selected part's times when it is a part."""
        if self.query_range is None:
            return self.query.name
        return f"{self.query.name} [{clock_range(*self.query_range)}]"

    @property
    def label(self) -> str:
        marks = ""
        if self.feedback:
            marks = " ·" + "".join(f" {sign}{n}" for sign, n in (("+", len(self.more_like)), ("−", len(self.less_like)))
                                   if n)  # "+2 −3", "+1" (no "−0")
        if self.earlier is None and self.forgot:  # beside the same step with the session: tell them apart
            marks += " · earlier forgotten"
        if self.keyword:  # trial 52: the limited step's crumb read as the step before it
            marks += f" · only “{self.keyword}”"
        if not self.text.strip():
            return self.query_name + marks
        strength = f" ×{self.strength:.2f}" if self.strength != 1.0 else ""
        return f"{self.query_name} + “{self.text}”{strength}{marks}"

    def after(self) -> EarlierSteps | None:
        """The session a result promoted from this step continues: this step's first query and its words so far
        (None when no step had words: nothing to carry)."""
        session = (self.earlier or EarlierSteps(self.query, (), self.query_range)).then(self.text)
        return session if session.texts else None


class History(QObject):
    """State object: widgets subscribe to ``changed`` and render ``steps``/``index``."""

    changed = Signal()
    branched = Signal(int)  # a new step replaced this many later steps (other_branch brings them back)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.steps: list[Step] = []
        self.index = -1
        self._other: tuple[list[Step], int] | None = None  # the trail a branch replaced, and its step then

    @property
    def current(self) -> Step | None:
        return self.steps[self.index] if self.steps else None

    @property
    def can_back(self) -> bool:
        return self.index > 0

    @property
    def can_forward(self) -> bool:
        return 0 <= self.index < len(self.steps) - 1

    def push(self, step: Step, keep_later: bool = False) -> None:
        """New step: drop forward steps, append (unless it repeats the current step). Dropped steps are kept as the
        other branch (other_branch swaps back to them) until the next step that drops some. ``keep_later``: drop
        none, the step goes after the last one (another query, not a refinement of this step)."""
        if self.current == step:
            return
        if keep_later and self.steps:
            self.index = len(self.steps) - 1
            if self.current == step:  # the trail's last step already: shown again
                self.changed.emit()
                return
        dropped = len(self.steps) - self.index - 1
        if dropped > 0:
            self._other = (list(self.steps), self.index)
        del self.steps[self.index + 1 :]
        self.steps.append(step)
        self.index = len(self.steps) - 1
        self.changed.emit()
        if dropped > 0:
            self.branched.emit(dropped)

    def drop_last(self, step: Step) -> bool:
        """Take back ``step`` when it is the last and current step and not the first (a selection the search
        refused: Back must not walk into it again); whether it was."""
        if not (self.index == len(self.steps) - 1 > 0 and self.steps[self.index] is step):
            return False
        self.steps.pop()
        self.index -= 1
        self.changed.emit()
        return True

    def follow(self, moved: dict[Path, Path]) -> bool:
        """Files renamed or moved on disk (old path -> new, found by an import): every step's query, session start
        and results marked more / less like this follow their file, so Back and the next search still find them.
        True when a step changed."""
        def moved_step(step: Step) -> Step:
            earlier = step.earlier
            if earlier is not None and earlier.first in moved:
                earlier = replace(earlier, first=moved[earlier.first])
            feedback = tuple((replace(m, path=moved.get(m.path, m.path)), sign) for m, sign in step.feedback)
            return replace(step, query=moved.get(step.query, step.query), earlier=earlier, feedback=feedback)

        steps = [moved_step(step) for step in self.steps]
        if steps == self.steps:
            return False
        self.steps = steps
        self.changed.emit()
        return True

    @property
    def has_other_branch(self) -> bool:
        return self._other is not None

    def other_branch(self) -> Step | None:
        """Swap the trail with the one the last branch replaced (at the step it branched from, so Forward walks its
        later steps again); the trail left is kept in turn: calling again swaps back. None when there is none."""
        if self._other is None:
            return None
        (self.steps, self.index), self._other = self._other, (self.steps, self.index)
        self.changed.emit()
        return self.current

    def mark(self, marks: list[FeedbackMark], sign: int) -> Step | None:
        """Results marked more (+1) / less (-1) like this: a new step with the current query and modifier."""
        cur = self.current
        if cur is not None:
            self.push(cur.marked(marks, sign))
        return self.current

    def select(self, query_range: tuple[float, float] | None, text: str | None = None,
               strength: float | None = None) -> Step | None:
        """A new selection of the query file (None: the whole file): a new step with the current modifier, or with
        ``text`` and ``strength`` where given (the words box as it is now: trial 49 cleared it, dragged a region and
        was searched with the words it had cleared)."""
        cur = self.current
        if cur is not None:
            words = cur.text if text is None else text.strip()
            self.push(replace(cur, query_range=query_range, text=words, keyword="",
                              strength=cur.strength if strength is None else strength))
        return self.current

    def refine(self, text: str, strength: float) -> Step | None:
        """A search of the current query with this modifier: a new step (none if it repeats the current)."""
        cur = self.current
        if cur is not None:
            same = (text, strength) == (cur.text, cur.strength)  # a repeated search of a forgotten step stays it
            self.push(replace(cur, text=text, strength=strength, forgot=cur.forgot and same,
                              keyword=cur.keyword if text == cur.text else ""))  # new words: the whole library
        return self.current

    def back(self) -> Step | None:
        return self.jump(self.index - 1) if self.can_back else None

    def forward(self) -> Step | None:
        return self.jump(self.index + 1) if self.can_forward else None

    def jump(self, index: int) -> Step | None:
        if not 0 <= index < len(self.steps):
            return None
        if index != self.index:
            self.index = index
            self.changed.emit()
        return self.steps[index]

    def restore(self, steps: list[Step], index: int) -> Step | None:
        """Steps kept from an earlier run of the app (app.ui.saved_session), at step ``index``."""
        if not 0 <= index < len(steps):
            return self.current
        self.steps, self.index, self._other = list(steps), index, None
        self.changed.emit()
        return self.current

    def clear(self) -> None:
        self.steps, self.index, self._other = [], -1, None
        self.changed.emit()


AWAY_TIP = "The results shown are not this step's: click (or Back) to show its results again\n"


MORE_WIDTH = 28  # pixels of a "…" button standing for the steps that do not fit


def shown_window(widths: list[int], current: int, room: int, more: int) -> tuple[int, int]:
    """The steps [first, last] whose crumbs (``widths``, arrows included) fit in ``room`` pixels around the ``current``
    one, a "…" button of ``more`` pixels standing in for each hidden side: the next later step first, then the one
    before, and so on. The current step is always shown."""
    first = last = current
    used = widths[current]

    def fits(extra: int, lo: int, hi: int) -> bool:
        hidden_sides = (lo > 0) + (hi < len(widths) - 1)
        return used + extra + more * hidden_sides <= room

    grew = True
    while grew:
        grew = False
        if last + 1 < len(widths) and fits(widths[last + 1], first, last + 1):
            last, used, grew = last + 1, used + widths[last + 1], True
        if first > 0 and fits(widths[first - 1], first - 1, last):
            first, used, grew = first - 1, used + widths[first - 1], True
    return first, last


class BreadcrumbBar(QScrollArea):
    """One button per step, separated by arrows; clicking a crumb jumps there. Steps that do not fit around the
    current one fold into a "…" button whose menu lists them (a trial's bar needed a scrollbar after six steps, its
    crumbs cut at both ends)."""

    jump_requested = Signal(int)
    rendered = Signal()  # the crumbs were laid out anew (their Tab order follows: QueryPanel)

    def __init__(self, history: History, parent: QWidget | None = None):
        super().__init__(parent)
        self.history = history
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFixedHeight(34)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # its crumbs are the Tab stops
        self._inner = QWidget()
        self._layout = QHBoxLayout(self._inner)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(2)
        self.setWidget(self._inner)
        self.buttons: list[QToolButton] = []
        self.away = False  # the results shown belong to no step (words alone, a text match): no crumb is lit
        self._relayout = QTimer(self, singleShot=True, interval=120)  # a resize settles before the crumbs are laid out
        self._relayout.timeout.connect(self.render)
        history.changed.connect(self.render)
        self.render()

    def set_away(self, away: bool) -> None:
        """Light the current step's crumb (its results are shown), or none (results of no step are shown; the
        current crumb then says how to get its results back)."""
        self.away = away
        for i, button in enumerate(self.buttons):
            button.setChecked(not away and i == self.history.index)
            tip = button.toolTip().removeprefix(AWAY_TIP)
            button.setToolTip(AWAY_TIP + tip if away and i == self.history.index else tip)

    def resizeEvent(self, event) -> None:  # Qt override: which crumbs fit follows the bar's width
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._relayout.start()

    def render(self) -> None:
        while self._layout.count():
            item = self._layout.takeAt(0)
            if item.widget():
                item.widget().hide()  # gone at once: a grab before the event loop deletes it showed both crumbs
                item.widget().deleteLater()
        self.buttons = []
        if not self.history.steps:
            self._layout.addWidget(QLabel("<i>No refinement yet</i>"))
        for i, step in enumerate(self.history.steps):
            button = QToolButton()
            button.setText(crumb_text(step.label, CURRENT_CRUMB if i == self.history.index else OTHER_CRUMB))
            marks = "".join(f"\n{'more like' if sign > 0 else 'less like'} {mark_name(m)}"  # what "· +1 −2" means
                            for m, sign in step.feedback)  # (trial 53)
            earlier = ("" if step.earlier is None else f"\nafter {step.earlier.first.name}: "
                       + " › ".join(f"“{t}”" for t in step.earlier.texts))
            button.setToolTip(f"{step.query}\nwords: {step.text or '(none)'}  strength: {step.strength:.2f}{marks}"
                              f"{earlier}{chr(10) + 'only files named ' + step.keyword if step.keyword else ''}")
            button.setCheckable(True)
            button.setChecked(i == self.history.index and not self.away)
            button.setAutoRaise(True)
            button.clicked.connect(lambda _=False, i=i: self.jump_requested.emit(i))
            self.buttons.append(button)
        first, last = self._shown()
        if first > 0:
            self._layout.addWidget(self._more_button(range(first), "earlier"))
        for i in range(first, last + 1):
            if i:
                self._layout.addWidget(QLabel("›"))
            self._layout.addWidget(self.buttons[i])
        if last < len(self.buttons) - 1:
            self._layout.addWidget(QLabel("›"))
            self._layout.addWidget(self._more_button(range(last + 1, len(self.buttons)), "later"))
        self._layout.addStretch(1)
        self.set_away(self.away)
        self.rendered.emit()
        if self.buttons and self.history.index >= 0:  # once the new crumbs are laid out: not before, when it failed
            QTimer.singleShot(0, self, self.show_current)  # dropped with the bar

    def tab_stops(self) -> list[QToolButton]:
        """The crumbs and "…" buttons shown, left to right."""
        items = (self._layout.itemAt(i).widget() for i in range(self._layout.count()))
        return [w for w in items if isinstance(w, QToolButton)]

    def _shown(self) -> tuple[int, int]:
        """The steps whose crumbs the bar's width shows (all of them before it has a width)."""
        room = self.viewport().width()
        if not self.buttons or self.history.index < 0 or room < 2 * MORE_WIDTH:
            return 0, len(self.buttons) - 1
        arrow = self.fontMetrics().horizontalAdvance("›") + 2 * self._layout.spacing()
        widths = [b.sizeHint().width() + (arrow if i else 0) for i, b in enumerate(self.buttons)]
        return shown_window(widths, min(self.history.index, len(widths) - 1), room, MORE_WIDTH + arrow)

    def _more_button(self, steps: range, side: str) -> QToolButton:
        """"…" standing for these steps: its menu lists them, choosing one jumps there."""
        button = QToolButton()
        button.setText("…")
        button.setAutoRaise(True)
        button.setToolTip(f"{len(steps)} {side} step{'s' if len(steps) > 1 else ''}: click to choose one")
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(button)
        for i in steps:
            action = menu.addAction(crumb_text(self.history.steps[i].label, CURRENT_CRUMB))
            action.setToolTip(self.buttons[i].toolTip())
            action.triggered.connect(lambda _=False, i=i: self.jump_requested.emit(i))
        button.setMenu(menu)
        return button

    def show_current(self) -> None:
        """Scroll the bar so the current step's crumb is in view."""
        if 0 <= self.history.index < len(self.buttons):
            self._inner.adjustSize()
            self.ensureWidgetVisible(self.buttons[self.history.index], 8, 0)
