"""The front end reproduces YAMNet's expectations: its own class outputs must make sense."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from model.audio_io import load_audio_16k
from model.frontend import waveform_to_patches
from model.yamnet import YamnetBackbone, class_names
from tests.helpers import tone


@pytest.fixture(scope="module")
def backbone() -> YamnetBackbone:
    return YamnetBackbone(threads=2)


@pytest.fixture(scope="module")
def names() -> list[str]:
    return class_names()


def _top_classes(backbone: YamnetBackbone, names: list[str], waveform: np.ndarray, k: int) -> list[str]:
    _, scores = backbone.run(waveform_to_patches(waveform), with_classes=True)
    assert scores is not None
    mean = scores.mean(axis=0)
    return [names[i] for i in np.argsort(-mean)[:k]]


def test_class_map_has_521_classes(names: list[str]) -> None:
    assert len(names) == 521 and names[0] == "Speech"


def test_sine_tone_scores_sine_or_beep(backbone: YamnetBackbone, names: list[str]) -> None:
    top = _top_classes(backbone, names, tone(1000.0, 3.0), k=2)
    assert {"Sine wave", "Beep, bleep"} & set(top), top


def test_silence_scores_silence(backbone: YamnetBackbone, names: list[str]) -> None:
    assert _top_classes(backbone, names, np.zeros(32_000, dtype=np.float32), k=1) == ["Silence"]


def test_speech_scores_speech(backbone: YamnetBackbone, names: list[str], tmp_path: Path) -> None:
    espeak = shutil.which("espeak-ng")
    assert espeak, "espeak-ng is required for this test (the setup script installs it)"
    wav = tmp_path / "speech.wav"
    text = "The quick brown fox jumps over the lazy dog while the rain keeps falling on the roof."
    subprocess.run([espeak, "-w", str(wav), text], check=True, capture_output=True)
    assert _top_classes(backbone, names, load_audio_16k(wav), k=1) == ["Speech"]


def test_conv_output_shape(backbone: YamnetBackbone) -> None:
    conv, classes = backbone.run(waveform_to_patches(tone(440.0, 2.0)))
    assert conv.shape[1:] == (1024, 3, 2) and classes is None
    assert np.all(conv >= 0.0)  # ReLU output
