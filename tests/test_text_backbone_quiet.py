"""Loading the text model prints no progress bars on the console."""

from __future__ import annotations

import pytest

from model.errors import ModelFileError


def test_text_model_loads_without_progress_bars(capfd):
    from model.text_backbone import MiniLMBackbone

    try:
        backbone = MiniLMBackbone(threads=1)
    except (ModelFileError, ImportError):
        pytest.skip("text model not installed")
    assert backbone.encode(["add thunder"]).shape == (1, 384)
    captured = capfd.readouterr()
    assert "Loading weights" not in captured.err + captured.out
    assert "it/s" not in captured.err
