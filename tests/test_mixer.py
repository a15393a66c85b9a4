"""The v2 mixer: levels and SNRs measured on rendered audio, the file chain, DSP helpers, sidecars."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from training import mixer_dsp as dsp
from training.mixer import EVENT, Bed, ClipSpec, Eq, FileChain, Placement, Room, Source, SourceCache, render
from training.mixer_sidecar import clip_levels, read_sidecar, write_clip

SR = 16_000


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> SourceCache:
    root = tmp_path_factory.mktemp("sources")
    rng = np.random.default_rng(0)
    sf.write(root / "bed.flac", (0.1 * rng.standard_normal(5 * SR)).astype(np.float32), SR, subtype="PCM_16")
    t = np.arange(int(1.5 * SR)) / SR
    sf.write(root / "tone.flac", (0.3 * np.sin(2 * np.pi * 700 * t)).astype(np.float32), SR, subtype="PCM_16")
    long = np.zeros(20 * SR, np.float32)  # 10 s of silence, then 10 s of a 300 Hz tone
    long[10 * SR:] = 0.3 * np.sin(2 * np.pi * 300 * np.arange(10 * SR) / SR)
    sf.write(root / "long.flac", long, SR, subtype="PCM_16")
    return SourceCache(root)


BED = Source("bed", "bed.flac", "rain", 5.0, "bed")
TONE = Source("tone", "tone.flac", "dog", 1.5, "tone")
DRY_ROOM = Room(rt60=0.3, ir_seed=1)
NO_FILE_CHAIN, NO_EQ = FileChain(), Eq()


def clip(sounds: tuple[Placement, ...] = (), bed_db: float = -30.0, room: Room = DRY_ROOM,
         file: FileChain = NO_FILE_CHAIN, duration: float = 8.0) -> ClipSpec:
    return ClipSpec("rain", duration, Bed(BED, 1.0, bed_db, 8.0), sounds, room, file)


def dog(level_db: float, onset: float = 2.0, eq: Eq = NO_EQ, distance: float = 0.0) -> Placement:
    return Placement(TONE, EVENT, onset, 1.5, 0.0, level_db, eq, distance)


@pytest.mark.parametrize("snr, eq, distance", [(-6.0, Eq(), 0.0), (6.0, Eq("high_shelf", 3000, -9), 0.7),
                                               (18.0, Eq("bandpass", 300, 0, 2500), 0.4)])
def test_event_snr_measured_on_the_mix_matches_the_spec(sources, snr, eq, distance):
    room = Room(rt60=0.8, ir_seed=3)
    without = render(clip(room=room), sources)
    with_dog = render(clip((dog(-30.0 + snr, eq=eq, distance=distance),), room=room), sources)
    event = with_dog.mix - without.mix  # the event alone, as mixed
    start, stop = with_dog.spans["sound0"]
    measured = dsp.rms_db(event[start:stop]) - dsp.rms_db(without.mix)
    assert measured == pytest.approx(snr, abs=0.5)


def test_bed_level_and_level_edits_measured_on_the_mix(sources):
    a = render(clip(bed_db=-30.0), sources)
    assert dsp.rms_db(a.mix) == pytest.approx(-30.0, abs=0.05)
    b = render(clip(bed_db=-21.0), sources)
    assert dsp.rms_db(b.mix) - dsp.rms_db(a.mix) == pytest.approx(9.0, abs=0.05)
    quiet, loud = (render(clip((dog(db),)), sources) for db in (-24.0, -12.0))
    diff = loud.mix - quiet.mix
    start, stop = quiet.spans["sound0"]
    assert np.max(np.abs(diff[:start])) < 1e-6  # the bed is untouched
    # louder by 12 dB: the residual is (10^(12/20) - 1) times the quiet event
    expected = -24.0 + 20 * np.log10(10 ** (12 / 20) - 1)
    assert dsp.rms_db(diff[start:stop]) == pytest.approx(expected, abs=0.3)


def test_added_event_energy_is_in_b_only_and_in_its_span(sources):
    a = render(clip(), sources)
    b = render(clip((dog(-20.0, onset=3.0),)), sources)
    start, stop = b.spans["sound0"]
    residual = b.mix - a.mix
    assert np.max(np.abs(residual[:start])) < 1e-6
    assert np.max(np.abs(residual[stop + int(0.4 * SR):])) < 1e-6  # after the span and the rt60 0.3 s tail
    assert dsp.rms_db(residual[start:stop]) == pytest.approx(-20.0, abs=0.3)


def test_rendering_is_deterministic_and_a_longer_clip_keeps_the_shorter_ones_samples(sources):
    room = Room(rt60=1.2, ir_seed=9, mic_highpass_hz=80.0, mic_tilt_db=-3.0, noise_db=-60.0, noise_seed=4)
    spec = clip((dog(-20.0, eq=Eq("low_shelf", 200, 6), distance=0.9),), room=room,
                file=FileChain("loudness", -20.0, 11025, "ogg", 0.5))
    first, second = render(spec, sources), render(spec, sources)
    np.testing.assert_array_equal(first.audio, second.audio)
    short = render(clip((dog(-20.0),)), sources)
    longer = render(replace(clip((dog(-20.0),)), duration=11.0), sources)
    np.testing.assert_array_equal(longer.stems["bed"][: len(short.mix)], short.stems["bed"])


def test_file_chain_normalizes_peak_or_loudness_and_never_clips():
    x = (0.05 * np.random.default_rng(1).standard_normal(3 * SR)).astype(np.float32)
    from training.mixer import apply_file_chain

    peak, gain, _ = apply_file_chain(x, FileChain("peak", -3.0))
    assert 20 * np.log10(np.max(np.abs(peak))) == pytest.approx(-3.0, abs=0.01)
    loud, _, _ = apply_file_chain(x, FileChain("loudness", -22.0))
    assert dsp.rms_db(loud) == pytest.approx(-22.0, abs=0.01)
    hot, gain, _ = apply_file_chain(x, FileChain("random", 40.0))
    assert np.max(np.abs(hot)) <= 0.999 and gain < 40.0
    same, gain, _ = apply_file_chain(x, FileChain("random", -6.0))
    assert gain == pytest.approx(-6.0) and dsp.rms_db(same) == pytest.approx(dsp.rms_db(x) - 6.0, abs=0.01)


def test_band_limit_removes_the_top_octaves():
    x = (0.1 * np.random.default_rng(2).standard_normal(2 * SR)).astype(np.float32)
    y = dsp.band_limit(x, 8000)
    spec = np.abs(np.fft.rfft(y)) ** 2
    freqs = np.fft.rfftfreq(len(y), 1 / SR)
    assert 10 * np.log10(spec[freqs > 4300].sum() / spec.sum()) < -30
    assert len(y) == len(x)


@pytest.mark.parametrize("codec", ["ogg", "mp3"])
def test_codec_round_trip_stays_aligned(codec):
    t = np.arange(2 * SR) / SR
    x = (0.3 * np.sin(2 * np.pi * 440 * t) * (np.sin(2 * np.pi * 2 * t) > 0)).astype(np.float32)
    y = dsp.codec_roundtrip(x, codec, 0.5)
    if y is None:
        pytest.skip(f"this libsndfile cannot write {codec}")
    assert len(y) == len(x)
    assert np.corrcoef(x, y)[0, 1] > 0.9


def test_noise_ir_decays_by_60_db_in_rt60():
    for rt60 in (0.2, 0.6, 1.4):
        ir = dsp.noise_ir(rt60, seed=5)
        edc = 10 * np.log10(np.cumsum(ir[::-1] ** 2)[::-1] + 1e-20)
        edc -= edc[0]
        t5, t25 = (np.argmax(edc < level) / SR for level in (-5.0, -25.0))
        assert 3 * (t25 - t5) == pytest.approx(rt60, rel=0.15)


def test_loop_is_prefix_stable_and_long_enough():
    x = np.random.default_rng(3).standard_normal(5000).astype(np.float32)
    full = dsp.loop_from(x, 1234, 40_000, crossfade=500)
    assert len(full) == 40_000
    for n in (100, 3000, 4500, 9000, 25_000):
        np.testing.assert_array_equal(dsp.loop_from(x, 1234, n, crossfade=500), full[:n])


def test_a_silent_cut_moves_to_the_loudest_window(sources):
    quiet_cut = Placement(Source("long", "long.flac", "engine", 20.0, "long"), EVENT, 1.0, 2.0, 3.0, -20.0)
    out = render(clip((quiet_cut,)), sources)
    assert out.offsets["sound0"] >= 10.0
    start, stop = out.spans["sound0"]
    assert dsp.rms_db(out.stems["sound0"][start:stop]) == pytest.approx(-20.0, abs=0.1)


def test_write_clip_writes_flac_and_sidecar_with_levels(sources, tmp_path: Path):
    spec = clip((dog(-18.0),), file=FileChain("peak", -1.0))
    doc = write_clip(spec, tmp_path / "x" / "clip_a.flac", sources, {"family": "f0"})
    audio, sr = sf.read(tmp_path / "x" / "clip_a.flac")
    assert sr == SR and audio.ndim == 1 and len(audio) == 8 * SR
    assert read_sidecar(tmp_path / "x" / "clip_a.flac") == json.loads(json.dumps(doc))
    assert doc["family"] == "f0" and doc["main"] == "rain" and doc["background"]["group"] == "bed"
    assert doc["sounds"][0]["snr_db"] == pytest.approx(12.0)
    levels = clip_levels(doc, ["rain", "dog", "thunder"])
    assert levels[:2].tolist() == pytest.approx([-30.0, -18.0]) and np.isnan(levels[2])
    in_file = clip_levels(doc, ["rain", "dog", "thunder"], in_file=True)
    assert in_file[0] == pytest.approx(-30.0 + doc["file_gain_db"], abs=1e-3)
    assert 20 * np.log10(np.max(np.abs(audio))) == pytest.approx(-1.0, abs=0.05)
