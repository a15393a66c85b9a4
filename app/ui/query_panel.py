"""Query panel: the current query (timeline: waveform, zoom, seek, selection; play/stop, open, drop), history
and the modifier. A selection of the query file is the query (a moment of a long take)."""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSlider,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.service import SearchService
from app.ui.history import BreadcrumbBar, History
from app.ui.modifier_edit import ModifierEdit
from app.ui.player import Player
from app.ui.query_overview import QueryOverview, load_overview  # noqa: F401 - load_overview re-exported
from app.ui.query_timeline import QueryTimeline
from app.ui.recent_modifiers import RecentModifiers
from app.ui.workers import Latest, TaskRunner

if TYPE_CHECKING:
    from app.ui.waveform import WaveformView

Range = tuple[float, float]

AUDIO_FILTER = "Audio files (*.wav *.flac *.ogg *.oga *.mp3 *.aif *.aiff *.w64 *.caf);;All files (*)"
STRENGTH_DEBOUNCE_MS = 350  # the slider re-searches once it rests this long after a drag
STRENGTH_KEYS_REST_MS = 800  # ... after an arrow key (a trial's three presses, 330 ms apart, made two extra steps)


def local_audio_paths(urls: list) -> list[Path]:
    return [Path(u.toLocalFile()) for u in urls if u.isLocalFile() and Path(u.toLocalFile()).is_file()]


class QueryPanel(QWidget):
    query_requested = Signal(object)  # Path: opened or dropped
    search_requested = Signal(str, float)
    play_requested = Signal()
    record_requested = Signal()
    back_requested = Signal()
    forward_requested = Signal()
    jump_requested = Signal(int)
    overview_loaded = Signal(object)  # QueryOverview (tests wait on it)
    strength_moved = Signal(float)  # by the user, with a modifier: the results shown are stale
    strength_settled = Signal(str, float)  # the slider came to rest: search again at this strength
    range_changed = Signal(object)  # the user's selection of the query file (start, end) | None: the query
    seek_requested = Signal(float)  # a click on the waveform: play from there
    export_region_requested = Signal(object, float, float)  # path, start, end ("Export selection…")
    message = Signal(str)

    def __init__(self, service: SearchService, runner: TaskRunner, player: Player, history: History,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.service, self.player, self.history = service, player, history
        self._overviews = Latest(runner)
        self.overview: QueryOverview | None = None
        self._pending_selection: Range | None = None  # shown once the waveform is in
        self.last_open_dir = ""
        self.setAcceptDrops(True)

        self.title = QLabel("<b>Query</b>: none")
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # a long file name is cut at the panel's edge (its tooltip has it whole), never widening the window
        self.title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.title.installEventFilter(self)
        self.details = ""  # length, rate, channels, where: shown after the name, cut first in a narrow window
        self.resting = False  # the results shown do not use the query (words alone): set_results_away
        self._title_name = "none"
        self.play_button = QPushButton("▶ Play")
        self.play_button.setToolTip("Play / stop the query, its selection when there is one (Space)")
        self.record_button = QPushButton("● Record")
        self.record_button.setToolTip("Record the query from the microphone (vocal imitation, a quick Foley take)")
        self.open_button = QPushButton("Open file…")
        self.open_button.setToolTip("Use any audio file on disk as the query (Ctrl+O); or drop a file here")
        self.audio_label = QLabel(player.reason)
        self.audio_label.setStyleSheet("color: #c05000;")
        self.audio_label.setVisible(not player.available)
        self.play_button.setEnabled(False)
        self.timeline = QueryTimeline(service, runner)  # its waveform is made on first use (pyqtgraph: slow import)
        self.back_button = QToolButton()
        self.back_button.setText("◀")
        self.back_button.setToolTip(f"Back ({QKeySequence('Alt+Left').toString()})")
        self.forward_button = QToolButton()
        self.forward_button.setText("▶")
        self.forward_button.setToolTip(f"Forward ({QKeySequence('Alt+Right').toString()})")
        self.crumbs = BreadcrumbBar(history)
        self.modifier = ModifierEdit()
        self.strength = QSlider(Qt.Orientation.Horizontal)
        self.strength.setRange(0, 200)
        self.strength.setValue(100)
        self.strength.setSingleStep(5)  # an arrow key: 0.05; Page Up / Down: 0.25
        self.strength.setPageStep(25)
        self.strength.setFixedWidth(140)
        self.strength.setToolTip("How strongly the words pull the search away from the query sound: below 1 a sound "
                                 "they add comes in as a hint, from 1 every file holding it found comes first. "
                                 "Words on their own, with no query sound, are searched as typed")
        self.strength_label = QLabel("1.00")
        self._strength_timer = QTimer(self)
        self._strength_timer.setSingleShot(True)
        self._strength_timer.setInterval(STRENGTH_DEBOUNCE_MS)
        self._setting_modifier = False  # set_modifier moves the slider: not the user
        self.recent = RecentModifiers(self.modifier, self)
        self.search_button = QPushButton("Search")
        self.search_button.setDefault(True)
        self.search_button.setToolTip("Search (Enter in the text box, or Ctrl+Return)")
        self.suggestion_row = QHBoxLayout()
        self.suggestion_buttons: list[QPushButton] = []

        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.play_button)
        top.addWidget(self.record_button)
        top.addWidget(self.open_button)
        crumbs = QHBoxLayout()
        crumbs.addWidget(self.back_button)
        crumbs.addWidget(self.forward_button)
        crumbs.addWidget(self.crumbs, 1)
        mod = QHBoxLayout()
        mod.addWidget(self.modifier, 1)
        mod.addWidget(self.recent.button)
        mod.addWidget(QLabel("Strength"))
        mod.addWidget(self.strength)
        mod.addWidget(self.strength_label)
        mod.addWidget(self.search_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.audio_label)
        layout.addWidget(self.timeline, 1)
        layout.addLayout(crumbs)
        layout.addLayout(mod)
        layout.addLayout(self.suggestion_row)

        self.play_button.clicked.connect(self.play_requested)
        self.open_button.clicked.connect(self.open_file_dialog)
        self.record_button.clicked.connect(self.record_requested)
        self.back_button.clicked.connect(self.back_requested)
        self.forward_button.clicked.connect(self.forward_requested)
        self.crumbs.jump_requested.connect(self.jump_requested)
        self.crumbs.rendered.connect(self._order_tabs)
        self.strength.valueChanged.connect(self._strength_changed)
        self._strength_timer.timeout.connect(self._strength_settled)
        self.recent.chosen.connect(lambda _: self.request_search())
        self.modifier.returnPressed.connect(self.request_search)
        self.search_button.clicked.connect(self.request_search)
        history.changed.connect(self._history_changed)
        player.started.connect(self._player_changed)
        player.stopped.connect(self._player_changed)
        player.position_changed.connect(self._position)
        self.timeline.seek_requested.connect(self.seek_requested)
        self.timeline.selection_changed.connect(self._user_selection)
        self.timeline.message.connect(self.message)
        self.timeline.export_requested.connect(
            lambda start, end: self.overview and self.export_region_requested.emit(self.overview.path, start, end))
        self._history_changed()

    @property
    def waveform(self) -> WaveformView:
        made = self.timeline.waveform
        if self.open_button.nextInFocusChain() is not made:  # made late, it came last in the Tab chain, past the
            QWidget.setTabOrder(self.open_button, made)  # results' buttons: a Tab stop before the zoom buttons
        return made

    @property
    def selection(self) -> Range | None:
        """The selected part of the query file (the query sound), None for the whole file."""
        return self.timeline.selection if self.overview is not None else self._pending_selection

    def _user_selection(self, selected: Range | None) -> None:
        self._pending_selection = selected
        self.range_changed.emit(selected)

    def set_selection(self, selected: Range | None, zoom: bool = False) -> None:
        """Show this selection (a history step's or a promoted moment's) once the waveform is in."""
        self._pending_selection = selected
        if self.overview is not None:
            self.timeline.set_selection(selected, zoom)

    def set_recording_available(self, reason: str) -> None:
        """No input device: the record button is disabled and says why."""
        self.record_button.setEnabled(not reason)
        if reason:
            self.record_button.setText("● Record (no microphone)")
            self.record_button.setToolTip(reason)

    # modifier ----------------------------------------------------------------------------
    @property
    def strength_value(self) -> float:
        return self.strength.value() / 100.0

    def set_modifier(self, text: str, strength: float) -> None:
        self.modifier.setText(text)
        self._setting_modifier = True
        try:
            self.strength.setValue(round(strength * 100))
        finally:
            self._setting_modifier = False

    def _strength_changed(self, value: int) -> None:
        self.strength_label.setText(f"{value / 100:.2f}")
        self.strength_label.setStyleSheet("" if value == 100 else "color: #b35c00; font-weight: bold")  # trial 55:
        self.strength_label.setToolTip("" if value == 100 else  # 2.00 kept from the last run went unnoticed
                                       f"The words count {'more' if value > 100 else 'less'} than as trained (1.00)")
        if self._setting_modifier or not self.modifier.text().strip():
            return  # strength only scales the words: nothing to redo without them
        self.strength_moved.emit(value / 100)
        dragged = self.strength.isSliderDown()
        self._strength_timer.start(STRENGTH_DEBOUNCE_MS if dragged else STRENGTH_KEYS_REST_MS)  # restarts on each move

    def _strength_settled(self) -> None:
        if self.modifier.text().strip():
            self.modifier.word_completer.popup().hide()
            self.recent.completer.popup().hide()
            self.strength_settled.emit(self.modifier.text().strip(), self.strength_value)

    def set_suggestions(self, texts: list[str]) -> None:
        """"Try:" buttons that fill in a modifier and search."""
        while self.suggestion_row.count():
            item = self.suggestion_row.takeAt(0)
            if item.widget():
                item.widget().hide()  # gone at once, not when the event loop deletes it
                item.widget().deleteLater()
        self.suggestion_buttons = []
        if not texts:
            return
        self.suggestion_row.addWidget(QLabel("Try:"))
        for text in texts[:6]:
            button = QPushButton(text)
            button.setFlat(True)
            button.setStyleSheet("QPushButton { color: #2a6fdb; text-decoration: underline; padding: 0 4px; "
                                 "border: 1px solid transparent; } QPushButton:focus { border: 1px dotted #2a6fdb; }")
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.clicked.connect(lambda _=False, t=text: self._try(t))
            self.suggestion_row.addWidget(button)
            self.suggestion_buttons.append(button)
        self.suggestion_row.addStretch(1)
        self._order_tabs()

    def _order_tabs(self) -> None:
        """Tab follows the screen: the crumbs after ◀ ▶ and before the words box, the "Try:" links after Search (made
        anew with each step, they came last in the chain: a keyboard-first trial)."""
        for chain in ([self.forward_button, *self.crumbs.tab_stops(), self.modifier],
                      [self.search_button, *self.suggestion_buttons]):
            for first, second in zip(chain, chain[1:], strict=False):
                QWidget.setTabOrder(first, second)

    def _try(self, text: str) -> None:
        self.modifier.setText(text)
        self.request_search()

    def request_search(self) -> None:
        self._strength_timer.stop()
        self.modifier.word_completer.popup().hide()
        self.recent.completer.popup().hide()
        self.search_requested.emit(self.modifier.text().strip(), self.strength_value)

    # query display -----------------------------------------------------------------------
    def show_query(self, path: Path | None, keep_waveform: bool = False, selection: Range | None = None) -> None:
        """Render the query header now and load its waveform in the background; ``selection``: the part of the
        file that is the query (shown, and zoomed to when the file is new)."""
        svc = self.service
        if keep_waveform and path is not None and self.overview is not None and self.overview.path == path:
            if selection != self.timeline.selection:
                self.set_selection(selection)
            self._overviews.request(lambda: load_overview(svc, path), lambda ov: self._overview_ready(ov, True),
                                    self._overview_failed)
            return
        self.overview = None
        self._pending_selection = selection
        self.set_suggestions([])
        if path is None:
            self._show_title(None, "")
            self.timeline.show_file(None, message="Load a query: pick a library file, open one, or drop it here")
            self.play_button.setEnabled(False)
            return
        self._show_title(path, "")
        self.title.setToolTip(str(path))
        self.timeline.show_file(None, message="Loading waveform…")
        self.play_button.setEnabled(self.player.available)
        self._overviews.request(lambda: load_overview(svc, path), self._overview_ready, self._overview_failed)

    def _show_title(self, path: Path | None, details: str) -> None:
        """"Query: name" and, in grey after it, the details: a narrow window loses the details before the name, whole
        ones from the end, "…" saying so (a trial at 125 % read "16000 H"); the tooltip holds them all."""
        self.details, self._title_name = details, path.name if path is not None else "none"
        self._fit_title()

    def _fit_title(self) -> None:
        """Drop details until the line fits: a drawn-louder note first, then the channels, the rate and the length;
        where the file is ("library", "cannot be read") stays."""
        every = self.details.split(" · ") if self.details else []
        places = [i for i, part in enumerate(every) if part in ("library", "not in the library", "cannot be read")]
        where = places[0] if places else len(every) - 1
        order = [i for i in range(len(every) - 1, -1, -1) if i > where] + [i for i in (2, 1, 0) if i < where]
        metrics, room, dropped = self.title.fontMetrics(), self.title.width(), set()
        if self.resting and self._title_name != "none":  # words-alone results: the name, and that it is not used
            every, order = ["not used by these results"], [0]
        while True:
            shown = " · ".join(dict.fromkeys("…" if i in dropped else part for i, part in enumerate(every)))
            if not order or metrics.horizontalAdvance(f"Query: {self._title_name}    {shown}") * 1.05 <= room:
                break
            dropped.add(order.pop(0))
        if self.resting and shown == "…":
            shown = "not used"
        grey = f"&nbsp;&nbsp;<span style='color: gray;'>{html.escape(shown)}</span>" if shown else ""
        self.title.setText(f"<b>Query</b>: {html.escape(self._title_name)}{grey}")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # Qt override: the details fit the title's width
        if watched is self.title and event.type() == QEvent.Type.Resize:
            self._fit_title()
        return False

    def _overview_ready(self, ov: QueryOverview, kept: bool = False) -> None:
        same = kept and self.overview is not None and self.overview.duration == ov.duration
        self.overview = ov
        self._show_title(ov.path, ov.details)
        self.title.setToolTip(f"{ov.path}\n{ov.details}")
        if not same:  # a refresh of the file shown keeps its zoom and selection
            self.timeline.show_file(ov.path, ov.peaks, ov.duration)
            if self._pending_selection is not None:
                self.timeline.set_selection(self._pending_selection, zoom=True)
        self.set_suggestions(ov.suggestions)
        self.overview_loaded.emit(ov)

    def _overview_failed(self, exc: BaseException) -> None:
        if self.history.current is not None:  # not the details of when it could be read (a deleted file: "library")
            self._show_title(self.history.current.query, "cannot be read")
        self.timeline.show_file(None, message=f"Cannot read this file: {exc}")
        self.message.emit(f"Cannot show the query waveform: {exc}")

    def set_results_away(self, away: bool) -> None:
        """The results shown belong to no step (words alone, a text match): no crumb lit, Back returns to the
        current step's results, and the title says the query is not used by them (trial 52: the query and its
        selection stayed above words-alone results as if searched)."""
        self.crumbs.set_away(away)
        self._history_changed()
        if away != self.resting:
            self.resting = away
            self._fit_title()

    def _history_changed(self) -> None:
        self.back_button.setEnabled(self.history.can_back or (self.crumbs.away and self.history.current is not None))
        self.forward_button.setEnabled(self.history.can_forward)

    def _player_changed(self, *_: object) -> None:
        mine = self.player.playing and self.overview is not None and self.player.current == self.overview.path
        self.play_button.setText("■ Stop" if mine else "▶ Play")
        if not mine:
            self.timeline.set_position(None)

    def _position(self, seconds: float) -> None:
        if self.overview is not None and self.player.current == self.overview.path:
            self.timeline.set_position(seconds)

    # open / drop -------------------------------------------------------------------------
    def open_file_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open a query sound", self.last_open_dir, AUDIO_FILTER)
        if path:
            self.last_open_dir = str(Path(path).parent)
            self.query_requested.emit(Path(path))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # Qt override
        if local_audio_paths(event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # Qt override
        paths = local_audio_paths(event.mimeData().urls())
        if paths:
            event.acceptProposedAction()
            self.query_requested.emit(paths[0])
