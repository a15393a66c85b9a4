"""Session-wide fixtures. Qt runs offscreen; caches live in a temp dir so tests never touch $HOME."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.helpers import make_random_heads  # noqa: E402


@pytest.fixture(scope="session")
def heads_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_random_heads(tmp_path_factory.mktemp("heads") / "heads.safetensors")


@pytest.fixture(scope="session")
def encoder(heads_path: Path):
    from model.encoder import NudgeEncoder

    return NudgeEncoder(heads_path)


@pytest.fixture(scope="session")
def demo_index(tmp_path_factory: pytest.TempPathFactory, heads_path: Path) -> Path:
    """The bundled demo library's index built for the test heads (A(audio) of the files, T(text) of the texts)."""
    from app.demo import DEMO_DIR, PAIRS_FILE, build_demo_index

    if not (DEMO_DIR / PAIRS_FILE).is_file():
        pytest.skip("demo library not built")
    return build_demo_index(heads_path, DEMO_DIR, tmp_path_factory.mktemp("demo") / "demo_index.npz")


@pytest.fixture(scope="session")
def toy_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Tiny generated source clips with split.csv, as training.prepare_sources writes them (training.toy_sources)."""
    from training.toy_sources import make_toy_sources

    return make_toy_sources(tmp_path_factory.mktemp("toy_sources"), seed=0)


_EXIT_STATUS: list[int] = []


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    _EXIT_STATUS.append(int(exitstatus))


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    """End a run that used Qt without Python's finalization: there PySide6 6.12 objects released True/False once
    too often and the process aborted after a green run ("Fatal Python error: bool_dealloc"; closing the tests'
    windows and collecting first did not stop it). The app tears its own window down (app.ui._tear_down)."""
    if "PySide6.QtWidgets" not in sys.modules or not _EXIT_STATUS:
        return
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(_EXIT_STATUS[-1])
