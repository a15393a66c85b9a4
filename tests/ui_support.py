"""Fixtures and helpers for the GUI tests (pytest-qt, offscreen): generated libraries and a ready window."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from app.config import IndexConfig
from app.service import SearchService
from tests.helpers import noise, tone, write_wav

WAIT_MS = 90_000  # generous: the CI machine has 2 cores and may be busy


def make_sounds(folder: Path, n: int = 8, seconds: float = 1.5) -> list[Path]:
    """Distinct little sounds: noise beds and tones, named after what they are."""
    paths = []
    for i in range(n):
        if i % 2 == 0:
            x = noise(seconds, amp=0.1 + 0.05 * (i % 4), seed=i)
            name = f"rain_like_{i:02d}.wav"
        else:
            x = tone(220.0 * (1 + i), seconds, amp=0.3) + noise(seconds, amp=0.02, seed=i)
            name = f"tone_{i:02d}.wav"
        paths.append(write_wav(folder / name, x))
    return paths


def make_corrupt(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"RIFF\x10\x00\x00\x00WAVEjunk" + bytes(range(64)))
    return path


def make_service(tmp_path: Path, encoder=None, heads_path: Path | None = None, demo_index: Path | None = None,
                 **config) -> SearchService:
    cfg = IndexConfig(**({"workers": 0} | config))
    return SearchService(tmp_path / "data", heads_path=heads_path, encoder=encoder, config=cfg, demo_index=demo_index)


@pytest.fixture
def library(tmp_path: Path) -> Path:
    folder = tmp_path / "sounds"
    make_sounds(folder)
    return folder


@pytest.fixture
def indexed_service(tmp_path: Path, encoder, library: Path) -> Iterator[SearchService]:
    """A service over the generated library, imported before the window opens."""
    svc = make_service(tmp_path, encoder)
    report = svc.import_folders([library])
    assert report.added == len(list(library.glob("*.wav")))
    yield svc
    svc.close()


def open_window(qtbot, service: SearchService, tmp_path: Path, audio: bool = False, backend=None, settings=None):
    from app.ui.main_window import MainWindow
    from app.ui.settings import Settings

    window = MainWindow(service, settings or Settings(), tmp_path / "ui_settings.json", audio=audio,
                        audio_backend=backend)
    qtbot.addWidget(window)
    window.show()
    return window


def started_window(qtbot, service: SearchService, tmp_path: Path, query: Path | None = None):
    """A window started on its library (no demo offered), its list read; with ``query``: loaded, its plain results
    in."""
    window = open_window(qtbot, service, tmp_path)
    with qtbot.waitSignal(window.library.refreshed, timeout=WAIT_MS):
        window.start(offer_demo=False)
    if query is not None:
        results_after(qtbot, window, lambda: window.load_query(query), text="")
    return window


def close_window(window) -> None:
    window.close()
    window.runner.wait_idle(30_000)


def results_after(qtbot, window, action, text: str | None = None, timeout: int = WAIT_MS):
    """Run ``action`` and wait until results of a search with this modifier text arrive; returns SearchDone."""
    with qtbot.waitSignal(
        window.session.results_ready, timeout=timeout,
        check_params_cb=(lambda done: text is None or done.step.text == text),
    ) as blocker:
        action()
    return blocker.args[0]


def typed_search(qtbot, window, query: Path, text: str):
    """Start the window on its library, take ``query`` and type ``text`` + Return; returns the SearchDone."""
    from PySide6.QtCore import Qt

    with qtbot.waitSignal(window.library.refreshed, timeout=WAIT_MS):
        window.start(offer_demo=False)
    window.session.set_query(query)
    window.query.modifier.setFocus()
    qtbot.keyClicks(window.query.modifier, text)
    return results_after(qtbot, window, lambda: qtbot.keyClick(window.query.modifier, Qt.Key.Key_Return), text=text)


def peaks_row(window, row: int) -> np.ndarray | None:
    return window.results.model.peaks.get(window.results.model.path(row))
