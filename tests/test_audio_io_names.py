"""Regression: audio files whose names are not valid UTF-8 decode like any other file."""

from __future__ import annotations

import os
import sys

import numpy as np
import pytest

from model.audio_io import audio_info, load_audio_16k
from tests.helpers import tone, write_wav


@pytest.mark.skipif(sys.platform != "linux", reason="arbitrary byte file names are a POSIX thing")
def test_non_utf8_file_name_decodes(tmp_path):
    good = write_wav(tmp_path / "good.wav", tone(440, 0.5, 22_050), 22_050)
    odd = os.fsdecode(os.fsencode(tmp_path) + b"/caf\xe9-\xff.wav")  # str with surrogate escapes
    os.rename(good, odd)
    assert audio_info(odd).samplerate == 22_050
    np.testing.assert_array_equal(load_audio_16k(odd).shape, (8000,))
