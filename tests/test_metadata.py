"""Metadata at import: format, bit depth, tags, BWF bext, iXML, RIFF INFO, UCS CatID; stored through a
recorded migration, attached to records, searchable by keyword, filled in for older libraries."""

from __future__ import annotations

import struct
from pathlib import Path

import soundfile as sf

from app.metadata import parse_ucs_name, read_metadata
from tests.helpers import tone
from tests.ui_support import make_service


def chunk(chunk_id: bytes, body: bytes) -> bytes:
    return chunk_id + struct.pack("<I", len(body)) + body + (b"\x00" if len(body) % 2 else b"")


def write_bwf(path: Path, description: str = "", ixml: str = "", info: dict[bytes, str] | None = None,
              subtype: str = "PCM_24", sr: int = 48_000) -> Path:
    """A WAV file with bext / iXML / LIST-INFO chunks appended after the audio, as recorders do."""
    path.parent.mkdir(parents=True, exist_ok=True)
    sf.write(path, tone(330, 0.6, sr), sr, subtype=subtype)
    extra = b""
    if description:
        extra += chunk(b"bext", description.encode().ljust(256, b"\x00") + bytes(346))
    if ixml:
        extra += chunk(b"iXML", ixml.encode())
    if info:
        extra += chunk(b"LIST", b"INFO" + b"".join(chunk(k, v.encode() + b"\x00") for k, v in info.items()))
    raw = bytearray(path.read_bytes() + extra)
    raw[4:8] = struct.pack("<I", len(raw) - 8)
    path.write_bytes(bytes(raw))
    return path


IXML = ("<?xml version='1.0'?><BWFXML><PROJECT>Harbour</PROJECT><NOTE>gulls far away</NOTE>"
        "<USER><CATID>BIRDGull</CATID><FXNAME>Gull Flock</FXNAME><KEYWORDS>seabird coast</KEYWORDS></USER></BWFXML>")


def test_wav_chunks_flac_tags_and_ucs_names(tmp_path):
    bwf = write_bwf(tmp_path / "take_07.wav", description="Creaky wooden door, slow open", ixml=IXML,
                    info={b"INAM": "Door take", b"IART": "Jo Field", b"ICMT": "recorded at night"})
    meta = read_metadata(bwf)
    assert (meta.format, meta.subtype, meta.bit_depth) == ("WAV", "PCM_24", 24)
    assert meta.description == "Creaky wooden door, slow open"
    assert (meta.title, meta.artist, meta.comment) == ("Door take", "Jo Field", "recorded at night")
    assert "gulls far away" in meta.notes and "seabird" in meta.notes
    assert (meta.ucs_catid, meta.ucs_category, meta.fx_name) == ("BIRDGull", "BIRD", "Gull Flock")

    flac = tmp_path / "AMBForst_Morning Birds_JF_Field.flac"
    sf.write(flac, tone(440, 0.5, 44_100), 44_100, subtype="PCM_16")
    import mutagen.flac

    tagged = mutagen.flac.FLAC(flac)
    tagged["title"], tagged["artist"], tagged["comment"] = "Dawn chorus", "J. F.", "spring, light wind"
    tagged.save()
    meta = read_metadata(flac)
    assert (meta.format, meta.bit_depth, meta.title, meta.artist) == ("FLAC", 16, "Dawn chorus", "J. F.")
    assert meta.comment == "spring, light wind"
    assert (meta.ucs_catid, meta.ucs_category, meta.fx_name) == ("AMBForst", "AMB", "Morning Birds")

    float_wav = tmp_path / "plain.wav"
    sf.write(float_wav, tone(220, 0.3, 16_000), 16_000, subtype="FLOAT")
    meta = read_metadata(float_wav)
    assert (meta.subtype, meta.bit_depth, meta.description, meta.ucs_catid) == ("FLOAT", 32, "", "")
    broken = tmp_path / "broken.wav"
    broken.write_bytes(b"RIFF\x10\x00\x00\x00WAVEjunk")
    assert read_metadata(broken).format == ""  # never raises


def test_ucs_names():
    assert parse_ucs_name("DOORWood_Creaky Open_JD_Lib.wav") == ("DOORWood", "DOOR", "Creaky Open")
    assert parse_ucs_name("WATRSurf-Beach_Waves_AB.wav") == ("WATRSurf", "WATR", "Waves")
    for plain in ("rain_01.ogg", "RAIN_01.wav", "thunder.wav", "Rain_Heavy.wav", "ABC_x.wav"):
        assert parse_ucs_name(plain) == ("", "", "")


def test_import_stores_metadata_searchable_by_keyword(tmp_path, encoder):
    lib = tmp_path / "lib"
    write_bwf(lib / "take_07.wav", description="Creaky wooden door, slow open", ixml=IXML)
    write_bwf(lib / "DOORMetl_Slam_JD_Lib.wav")
    write_bwf(lib / "room_tone.wav", subtype="PCM_16", sr=44_100)
    svc = make_service(tmp_path, encoder)
    assert svc.import_folders([lib]).added == 3
    assert svc.db.schema_version() >= 3
    versions = [r[0] for r in svc.db.conn.execute("SELECT version FROM schema_migrations")]
    assert 3 in versions
    records = {r.path.name: r for r in svc.list_files()}
    assert records["take_07.wav"].meta.description == "Creaky wooden door, slow open"
    assert records["room_tone.wav"].meta.bit_depth == 16
    assert records["DOORMetl_Slam_JD_Lib.wav"].meta.ucs_category == "DOOR"
    # the keyword filter reads metadata too: description, iXML notes, UCS category
    assert [r.path.name for r in svc.list_files("creaky")] == ["take_07.wav"]
    assert [r.path.name for r in svc.list_files("GULLS door")] == ["take_07.wav"]
    assert [r.path.name for r in svc.list_files("doormetl")] == ["DOORMetl_Slam_JD_Lib.wav"]
    assert svc.file_info(lib / "take_07.wav").meta.ucs_catid == "BIRDGull"
    results = svc.search(lib / "room_tone.wav", top_k=5)
    assert all(r.record.meta is not None for r in results)
    scoped = svc.search(lib / "room_tone.wav", top_k=5, keyword="creaky")
    assert [r.path.name for r in scoped] == ["take_07.wav"]
    # a library imported before metadata was kept gets it at the next import
    svc.db.conn.execute("DELETE FROM file_meta")
    assert svc.list_files("creaky") == [] and svc.file_info(lib / "take_07.wav").meta is None
    report = svc.import_folders([lib])
    assert report.unchanged == 3
    assert [r.path.name for r in svc.list_files("creaky")] == ["take_07.wav"]
    svc.close()


def test_a_keyword_search_scores_a_tag_as_metadata(tmp_path, encoder):
    """A tag counts 0.6 like metadata text (a trial found tagged files scored 0 and ranked below untagged ones)."""
    from app.scope import SearchScope

    lib = tmp_path / "lib"
    for name in ("rain_roof.wav", "rain_street.wav", "birds.wav"):
        write_bwf(lib / name)
    svc = make_service(tmp_path, encoder)
    svc.import_folders([lib])
    svc.tag_files([lib / "birds.wav", lib / "rain_street.wav"], "wet")
    scores = {r.path.name: round(r.score, 3) for r in svc.keyword_search(SearchScope("wet"))}
    assert scores == {"birds.wav": 0.6, "rain_street.wav": 0.6}
    ranked = svc.keyword_search(SearchScope("rain wet"))
    assert [(r.path.name, round(r.score, 3)) for r in ranked] == [
        ("rain_street.wav", 0.8), ("rain_roof.wav", 0.5), ("birds.wav", 0.3)]
    svc.close()


def test_files_info_reads_records_with_tags_and_metadata_in_one_call(tmp_path, encoder, monkeypatch):
    """After a star the shown results are read again in one call: each asked path, as asked (relative too), with
    its tags and metadata; paths not in the library are left out."""
    lib = tmp_path / "lib"
    write_bwf(lib / "take_07.wav", description="Creaky wooden door, slow open", ixml=IXML)
    write_bwf(lib / "room_tone.wav")
    svc = make_service(tmp_path, encoder)
    svc.import_folders([lib])
    svc.tag_files([lib / "room_tone.wav"], "favourite")
    monkeypatch.chdir(lib)
    asked = [Path("take_07.wav"), lib / "room_tone.wav", lib / "not_there.wav"]
    found = svc.files_info(asked)
    assert list(found) == asked[:2]
    assert found[Path("take_07.wav")].meta.description == "Creaky wooden door, slow open"
    assert found[lib / "room_tone.wav"].tags == ("favourite",) and found[Path("take_07.wav")].tags == ()
    assert svc.file_info(lib / "not_there.wav") is None and svc.files_info([]) == {}
    svc.close()


def test_a_keyword_typed_as_a_whole_word_ranks_that_file_first(tmp_path, encoder):
    """A trial's "Tür" ranked turbine_*.wav above "Tür Knall.wav", all at 1.000: ties go to whole words as typed."""
    from app.scope import SearchScope, whole_word_matches

    lib = tmp_path / "lib"
    for name in ("turbine_shutdown.wav", "turbine_start.wav", "Tür Knall 01.wav", "tur_slam.wav"):
        write_bwf(lib / name)
    svc = make_service(tmp_path, encoder)
    svc.import_folders([lib])
    ranked = [r.path.name for r in svc.keyword_search(SearchScope("Tür"))]
    assert ranked == ["Tür Knall 01.wav", "tur_slam.wav", "turbine_shutdown.wav", "turbine_start.wav"]
    assert [r.path.name for r in svc.keyword_search(SearchScope("tur"))][:2] == ["tur_slam.wav", "Tür Knall 01.wav"]
    assert whole_word_matches(["rain"], "rain_01") == 2 and whole_word_matches(["rain"], "HeavyRain") == 0
    svc.close()
