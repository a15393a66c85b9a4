"""File metadata read at import: format and bit depth (soundfile), tags (mutagen), BWF ``bext``
description, iXML notes and UCS fields and RIFF INFO (our own chunk reader), and the Universal
Category System CatID parsed from the file name (``CatID_FX Name_CreatorID_Source.wav``).

Never raises for a bad file: what cannot be read stays empty.
"""

from __future__ import annotations

import os
import re
import struct
import xml.etree.ElementTree as ET
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import BinaryIO

BIT_DEPTHS = {"PCM_S8": 8, "PCM_U8": 8, "PCM_16": 16, "PCM_24": 24, "PCM_32": 32, "FLOAT": 32, "DOUBLE": 64,
              "ALAC_16": 16, "ALAC_20": 20, "ALAC_24": 24, "ALAC_32": 32}
MAX_TEXT_CHUNK = 1 << 20  # bext / iXML / LIST chunks larger than this are skipped
# UCS CatID: an upper-case category code and a capitalised subcategory ("AMBForst", "DOORWood"),
# optionally "-UserCategory"; it is the first "_"-separated part of the name and a FX name follows
UCS_CATID = re.compile(r"^(?P<category>[A-Z]{2,6})(?P<sub>[A-Z][a-z0-9][A-Za-z0-9]*)(?:-[A-Za-z0-9]+)?$")


@dataclass(frozen=True)
class FileMeta:
    format: str = ""  # container: WAV, FLAC, OGG, MP3, AIFF, ...
    subtype: str = ""  # encoding: PCM_24, FLOAT, VORBIS, ...
    bit_depth: int | None = None
    title: str = ""
    artist: str = ""
    comment: str = ""
    description: str = ""  # BWF bext description, iXML USER DESCRIPTION
    notes: str = ""  # iXML NOTE, keywords
    ucs_catid: str = ""  # "AMBForst"
    ucs_category: str = ""  # "AMB"
    fx_name: str = ""  # UCS FX name from the file name

    @property
    def search_text(self) -> str:
        """Every text field, lower case: what the keyword filter matches besides the path."""
        parts = [self.format, self.subtype, self.title, self.artist, self.comment, self.description,
                 self.notes, self.ucs_catid, self.ucs_category, self.fx_name]
        return " ".join(p for p in parts if p).lower()

    def to_row(self) -> dict:
        return asdict(self)

    @classmethod
    def from_row(cls, row: dict) -> FileMeta:
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in row.items() if k in names and v is not None})


def parse_ucs_name(name: str) -> tuple[str, str, str]:
    """(CatID, category code, FX name) of a UCS file name; empty strings when it is not one."""
    parts = Path(name).stem.split("_")
    if len(parts) < 2:
        return "", "", ""
    match = UCS_CATID.match(parts[0])
    if match is None:
        return "", "", ""
    catid = parts[0].split("-")[0]
    return catid, match.group("category"), parts[1].strip()


def read_metadata(path: str | os.PathLike) -> FileMeta:
    """Everything we can tell about a sound file without decoding its audio. Only regular files are
    opened (a FIFO or device could block): anything else has no metadata."""
    from model.audio_io import check_regular_file
    from model.errors import AudioDecodeError

    try:
        check_regular_file(path)
    except AudioDecodeError:
        return FileMeta()
    values: dict[str, object] = {}
    values.update(_soundfile_info(path))
    if values.get("format") in ("WAV", "WAVEX", "RF64", "W64") or os.fsdecode(path).lower().endswith(".wav"):
        values.update({k: v for k, v in _riff_text(path).items() if v})
    for key, value in _mutagen_tags(path).items():
        if value and not values.get(key):
            values[key] = value
    catid, category, fx_name = parse_ucs_name(os.fsdecode(path))
    if catid:
        values["ucs_catid"], values["ucs_category"] = catid, category
        values.setdefault("fx_name", fx_name)
    elif values.get("ucs_catid"):  # from iXML: the code is the upper-case head of the CatID
        match = UCS_CATID.match(str(values["ucs_catid"]))
        values["ucs_category"] = match.group("category") if match else ""
    return FileMeta.from_row({k: _clean(v) for k, v in values.items()})


def _clean(value: object) -> object:
    if isinstance(value, str):
        return " ".join(value.replace("\x00", " ").split())[:2000]
    return value


def _soundfile_info(path: str | os.PathLike) -> dict[str, object]:
    from model.audio_io import audio_info
    from model.errors import AudioDecodeError

    try:
        info = audio_info(path)
    except AudioDecodeError:
        return {}
    return {"format": info.format, "subtype": info.subtype, "bit_depth": BIT_DEPTHS.get(info.subtype)}


def _riff_text(path: str | os.PathLike) -> dict[str, str]:
    """bext description, iXML fields and LIST/INFO title, artist, comment of a RIFF/RF64 WAV file."""
    out: dict[str, str] = {}
    try:
        with open(path, "rb") as f:
            for chunk_id, data in _riff_chunks(f):
                if chunk_id == b"bext":
                    found = {"description": _text(data[:256])}
                elif chunk_id == b"iXML":
                    found = _ixml(data)
                elif chunk_id == b"LIST" and data[:4] == b"INFO":
                    found = _riff_info(data[4:])
                else:
                    continue
                for key, value in found.items():
                    if value and not out.get(key):  # the first chunk that has a field wins
                        out[key] = value
    except (OSError, struct.error):
        pass
    return out


def _riff_chunks(f: BinaryIO):
    """(id, bytes) of the text-sized chunks; big ones (audio) are skipped without reading."""
    head = f.read(12)
    if len(head) < 12 or head[:4] not in (b"RIFF", b"RF64", b"BW64") or head[8:12] != b"WAVE":
        return
    data_size = None  # RF64: the real size of the data chunk is in ds64
    while True:
        header = f.read(8)
        if len(header) < 8:
            return
        chunk_id, size = header[:4], struct.unpack("<I", header[4:])[0]
        if chunk_id == b"ds64":
            body = f.read(size)
            data_size = struct.unpack("<Q", body[8:16])[0] if len(body) >= 16 else None
            f.seek(size & 1, os.SEEK_CUR)
            continue
        if chunk_id == b"data" and size == 0xFFFFFFFF and data_size is not None:
            size = data_size
        if chunk_id in (b"bext", b"iXML", b"LIST") and size <= MAX_TEXT_CHUNK:
            yield chunk_id, f.read(size)
            f.seek(size & 1, os.SEEK_CUR)
        else:
            f.seek(size + (size & 1), os.SEEK_CUR)


def _text(raw: bytes) -> str:
    raw = raw.split(b"\x00", 1)[0]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _riff_info(data: bytes) -> dict[str, str]:
    keys = {b"INAM": "title", b"IART": "artist", b"ICMT": "comment", b"IKEY": "notes"}
    out, pos = {}, 0
    while pos + 8 <= len(data):
        sub_id, size = data[pos : pos + 4], struct.unpack("<I", data[pos + 4 : pos + 8])[0]
        if sub_id in keys:
            out[keys[sub_id]] = _text(data[pos + 8 : pos + 8 + size])
        pos += 8 + size + (size & 1)
    return out


def _ixml(data: bytes) -> dict[str, str]:
    try:
        root = ET.fromstring(data.split(b"\x00", 1)[0])
    except ET.ParseError:
        return {}

    def find(*paths: str) -> str:
        for p in paths:
            node = root.find(p)
            if node is not None and node.text and node.text.strip():
                return node.text.strip()
        return ""

    notes = " ".join(t for t in (find("NOTE"), find("USER/KEYWORDS"), find("SCENE"), find("PROJECT")) if t)
    return {"notes": notes, "description": find("USER/DESCRIPTION"), "ucs_catid": find("USER/CATID"),
            "fx_name": find("USER/FXNAME"), "artist": find("USER/DESIGNER")}


def _mutagen_tags(path: str | os.PathLike) -> dict[str, str]:
    try:
        import mutagen

        audio = mutagen.File(os.fsdecode(path))
    except Exception:  # noqa: BLE001 - mutagen raises many types for odd files; tags are optional
        return {}
    tags = getattr(audio, "tags", None)
    if not tags:
        return {}
    if hasattr(tags, "getall"):  # ID3 (MP3, AIFF, WAV id3 chunk)
        def id3(frame: str) -> str:
            return " ".join(str(t) for fr in tags.getall(frame) for t in getattr(fr, "text", []))
        return {"title": id3("TIT2"), "artist": id3("TPE1"), "comment": id3("COMM")}
    lowered = {str(k).lower(): v for k, v in tags.items()}

    def first(*keys: str) -> str:
        for key in keys:
            value = lowered.get(key)
            if value:
                return str(value[0] if isinstance(value, list) else value)
        return ""

    return {"title": first("title", "©nam"), "artist": first("artist", "©art"),
            "comment": first("comment", "©cmt"), "description": first("description", "desc")}
