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


@pytest.mark.skipif(sys.platform != "linux", reason="PATH_MAX of 4 KB")
def test_a_path_longer_than_libsndfile_takes_decodes(tmp_path):
    """libsndfile refuses names over about 1 KB ("Supplied filename too long"), read as "not a valid .wav file"; the
    system allows 4 KB."""
    from model.audio_io import LONG_PATH, read_native

    deep = tmp_path
    while len(os.fsencode(deep)) < LONG_PATH + 200:
        deep = deep / ("d" * 200)
    deep.mkdir(parents=True)
    path = deep / "take.wav"
    os.rename(write_wav(tmp_path / "take.wav", tone(440, 0.5, 22_050), 22_050), path)  # written where it may be
    assert len(os.fsencode(path)) > LONG_PATH
    assert audio_info(path).samplerate == 22_050
    np.testing.assert_array_equal(load_audio_16k(path).shape, (8000,))
    samples, sr = read_native(path, max_seconds=0.25, start_seconds=0.1)
    assert sr == 22_050 and len(samples) == int(0.25 * 22_050)


def test_an_ogg_with_an_id3_tag_in_front_says_so(tmp_path):
    """Trial 49: a Vorbis file with an ID3 tag before it failed with libsndfile's "embedding not supported for this
    file format"; the message now says what is wrong and what to do."""
    import soundfile as sf

    from model.errors import AudioDecodeError

    ogg = tmp_path / "plain.ogg"
    sf.write(ogg, tone(440.0, 0.5), 16_000, format="OGG", subtype="VORBIS")
    tag = b"ID3\x03\x00\x00\x00\x00\x00\x0a" + b"\x00" * 10  # an empty ID3v2.3 tag, 10 bytes of padding
    tagged = tmp_path / "dummy.ogg"
    tagged.write_bytes(tag + ogg.read_bytes())
    with pytest.raises(AudioDecodeError, match="it starts with an ID3 tag, which a .ogg file cannot hold"):
        load_audio_16k(tagged)
    assert len(load_audio_16k(ogg)) > 0  # the same audio without the tag decodes
