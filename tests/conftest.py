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
