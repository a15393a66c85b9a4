"""Decoding errors say what is wrong with the file, and mpg123's notes stay off the console."""

from __future__ import annotations

import os

import numpy as np
import pytest
import soundfile as sf

from app.errors import QueryFileError
from app.peaks import compute_peaks
from model.audio_io import audio_info, load_audio_16k
from model.errors import AudioDecodeError
from tests.helpers import tone


def test_text_file_named_mp3_is_not_called_a_pipe(tmp_path, capfd):
    fake = tmp_path / "notes.mp3"
    fake.write_text("this is a text file, not audio\n" * 20)
    with pytest.raises(AudioDecodeError) as info:
        audio_info(fake)
    assert "not a valid .mp3 file" in str(info.value) and "pipe" not in str(info.value)
    with pytest.raises(AudioDecodeError) as decoded:
        load_audio_16k(fake)
    assert "pipe" not in str(decoded.value)
    with pytest.raises(QueryFileError) as peaks:
        compute_peaks(fake)
    assert "not a valid .mp3 file" in str(peaks.value)
    err = capfd.readouterr().err
    assert "Note:" not in err and "MPEG" not in err, err


def test_mp3_with_junk_id3_tag_decodes_quietly(tmp_path, capfd):
    clean = tmp_path / "clean.mp3"
    try:
        sf.write(clean, tone(440, 1.0, 44_100), 44_100, format="MP3")
    except (sf.LibsndfileError, TypeError, ValueError):
        pytest.skip("libsndfile without MP3 support")
    # an ID3v2.3 tag whose one frame claims more bytes than the tag holds: mpg123 warns about it
    frame = b"TIT2" + (5000).to_bytes(4, "big") + b"\x00\x00" + b"\x00bad"
    size = len(frame)
    syncsafe = bytes([(size >> 21) & 127, (size >> 14) & 127, (size >> 7) & 127, size & 127])
    tagged = tmp_path / "tagged.mp3"
    tagged.write_bytes(b"ID3\x03\x00\x00" + syncsafe + frame + clean.read_bytes())
    capfd.readouterr()
    samples = load_audio_16k(tagged)
    assert samples.size > 8000 and np.isfinite(samples).all()
    os.write(2, b"other output survives\n")
    err = capfd.readouterr().err
    assert "Note:" not in err and "Warning:" not in err and "id3" not in err.lower(), err
    assert "other output survives" in err


def test_empty_missing_and_non_sound_files_are_named_for_what_they_are(tmp_path):
    """An empty file as a query is 'empty', a text file is 'not a sound file format', a missing one 'does not
    exist': libsndfile's 'Format not recognised' said none of that (a newcomer trial)."""
    empty = tmp_path / "empty.wav"
    empty.write_bytes(b"")
    with pytest.raises(AudioDecodeError, match=r"is empty \(0 bytes\)"):
        load_audio_16k(empty)
    notes = tmp_path / "README.md"
    notes.write_text("# not a sound\n" * 20)
    with pytest.raises(AudioDecodeError, match=r"\.md is not a sound file format"):
        audio_info(notes)
    with pytest.raises(AudioDecodeError, match="does not exist"):
        load_audio_16k(tmp_path / "never_there.wav")
