"""UI settings with declared defaults, stored as a small JSON file in the data dir.

Unknown keys are ignored and values of the wrong type fall back to the default, so a hand-edited
or older file never stops the app from starting. Library folders live in the service, not here.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

log = logging.getLogger(__name__)

FILENAME = "ui_settings.json"


@dataclass
class Settings:
    last_query: str = ""  # path of the query shown at exit
    last_text: str = ""  # the words of the search shown at exit (not text typed and never searched)
    last_range: list[float] = field(default_factory=list)  # [start, end] s of the query's selected part, [] = whole
    last_session: dict = field(default_factory=dict)  # the refine history at exit (app.ui.saved_session)
    strength: float = 1.0  # modifier strength, slider range 0..2
    top_k: int = 50  # results per search
    window_geometry: str = ""  # QWidget.saveGeometry() as hex
    splitter_state: str = ""  # main splitter sizes as hex
    query_splitter_state: str = ""  # query / results splitter sizes as hex
    library_columns: str = ""  # library list header (widths, order, hidden columns) as hex
    results_header: str = ""  # results header as hex (renamed when the Time column came: old layouts unused)
    last_open_dir: str = ""  # folder of the last "Open audio file" dialog
    last_export_dir: str = ""  # folder files were last exported to ("" = the home folder)
    demo_offered: bool = False  # the demo library was installed once; never re-add it after removal
    demo_removal_offered: bool = False  # after the first import of the user's own sounds, removing the demo was offered
    rerank: bool = True  # the first results of a search with edits ordered moment by moment (app.rerank)
    recent_texts: list[str] = field(default_factory=list)  # modifiers typed before, newest first
    last_scope: dict = field(default_factory=dict)  # the scope bar's limits at exit (ScopeBar.state)
    library_filter: str = ""  # the library filter's words at exit
    filter_results: bool = False  # its "results too" at exit
    show_copies: bool = False  # copies listed as rows of their own (else folded into their first result)

    @classmethod
    def load(cls, path: Path) -> Settings:
        settings = cls()
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return settings
        except (OSError, ValueError) as exc:
            log.warning("ignoring unreadable settings %s: %s", path, exc)
            settings.problem = f"The app's settings could not be read ({exc}): the defaults are used"
            return settings
        if not isinstance(raw, dict):
            settings.problem = f"The app's settings file {path} holds no settings: the defaults are used"
            return settings
        for f in fields(cls):
            if f.name not in raw:
                continue
            value, default = raw[f.name], getattr(settings, f.name)
            if isinstance(default, float) and isinstance(value, int | float) and not isinstance(value, bool):
                value = float(value)
            if type(value) is type(default):
                setattr(settings, f.name, value)
        settings.strength = min(max(settings.strength, 0.0), 2.0)
        settings.top_k = min(max(settings.top_k, 1), 500)
        settings.recent_texts = [t for t in settings.recent_texts if isinstance(t, str)][:50]
        ok_range = (len(settings.last_range) == 2 and all(isinstance(v, int | float) for v in settings.last_range)
                    and 0 <= settings.last_range[0] < settings.last_range[1])
        settings.last_range = [float(v) for v in settings.last_range] if ok_range else []
        return settings

    problem = ""  # why the file could not be read (load), or the last save failed; not saved itself

    def save(self, path: Path) -> bool:
        """Atomic write: a crash mid-save keeps the previous file. A failure is logged and kept in ``problem``;
        returns whether the file was written."""
        tmp = ""
        try:  # a read-only library folder or a full disk: the settings are just not saved
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".ui_settings", suffix=".tmp")  # mode 0600
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(asdict(self), f, indent=1)
            os.replace(tmp, path)
            return True
        except OSError as exc:
            log.warning("could not save settings to %s: %s", path, exc)
            self.problem = f"The app's settings could not be saved ({exc.strerror or exc})"
            if tmp and os.path.exists(tmp):
                os.unlink(tmp)
            return False

    def remember_text(self, text: str) -> None:
        text = text.strip()
        if text:
            self.recent_texts = [text] + [t for t in self.recent_texts if t != text][:49]
