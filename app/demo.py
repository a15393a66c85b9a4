"""The bundled demo library: precomputed embeddings at release time, installed on first launch.

Release (after the heads are trained)::

    python -m app.demo build        # writes assets/demo_index.npz for assets/nudge_heads.safetensors

The index holds A(audio) of every demo file and T(text) of every modifier the demo offers (the
demo pairs' texts, the modifier box's examples and the sound-word suggestions in a few phrasings),
so those searches run before the text model has loaded.

First launch (the GUI calls ``ensure_demo_library`` on a worker): the demo folder is added to the
library and, when the shipped vectors were computed with exactly the active heads and every demo
file is byte-identical to the one embedded, the vectors go straight into the index through the
normal import path (no model needed, well under a second). Otherwise the caller imports the folder
in the background once the model has loaded.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from app.config import IndexConfig
from app.errors import describe_path
from app.scan import is_audio_name
from model.modifier_parser import READER_VERSION

ASSETS = Path(__file__).resolve().parents[1] / "assets"
DEMO_DIR = ASSETS / "demo_library"
DEMO_INDEX = ASSETS / "demo_index.npz"
PAIRS_FILE = "demo_pairs.csv"
FORMAT = "nudge-demo-index-2"  # 2: adds texts + text_vectors
EXAMPLE_TEXTS = ("add thunder", "remove the car horn", "more rain")  # the modifier box's placeholder
WORD_TEMPLATES = ("{}", "add {}", "remove the {}", "more {}", "less {}")  # phrasings of a suggested word


def active_heads_path(service) -> Path:
    """The heads file the service will load; mirrors model.encoder.default_heads_path without importing torch."""
    return Path(service.heads_path or os.environ.get("NUDGE_HEADS") or ASSETS / "nudge_heads.safetensors")


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def demo_files(demo_dir: Path = DEMO_DIR) -> list[Path]:
    return sorted(p for p in demo_dir.iterdir() if p.is_file() and is_audio_name(p.name))


# release time ----------------------------------------------------------------------------------
def pair_texts(demo_dir: Path = DEMO_DIR) -> list[str]:
    """Every modifier text of the demo pairs (the "Try:" buttons), in file order."""
    pairs = demo_dir / PAIRS_FILE
    if not pairs.is_file():
        return []
    with open(pairs, newline="", encoding="utf-8") as f:
        return list(dict.fromkeys(r["text"] for r in csv.DictReader(f) if r.get("text")))


def demo_texts(heads_path: Path, demo_dir: Path = DEMO_DIR) -> list[str]:
    """The modifier texts the demo offers: pair texts, placeholder examples, suggested words x phrasings."""
    from model.checkpoint import sound_words
    from model.text_backbone import normalize_text

    words = sound_words(heads_path)
    texts = [*pair_texts(demo_dir), *EXAMPLE_TEXTS, *(t.format(w) for w in words for t in WORD_TEMPLATES)]
    unique: dict[str, str] = {}
    for text in texts:
        unique.setdefault(normalize_text(text), text)
    return list(unique.values())


def build_demo_index(heads_path: Path | None = None, demo_dir: Path = DEMO_DIR, out: Path = DEMO_INDEX) -> Path:
    """The one writer of the demo index: names, hashes and A(audio) of the demo files, projected T(text)
    of the demo's modifier texts, and the model version they were made with."""
    from model.encoder import NudgeEncoder, default_heads_path

    heads_path = Path(heads_path or default_heads_path())
    encoder = NudgeEncoder(heads_path)
    files = demo_files(demo_dir)
    if not files:
        raise FileNotFoundError(f"no demo sounds in {describe_path(demo_dir)}")
    vectors = np.stack([encoder.embed_file(p) for p in files]).astype(np.float32)
    texts = demo_texts(heads_path, demo_dir)
    text_vectors = encoder.embed_text(texts).astype(np.float32)
    meta = {"format": FORMAT, "model_version": encoder.version, "heads_sha256": sha256(heads_path),
            "embed_dim": encoder.embed_dim, "text_backbone": encoder.heads.config.text_backbone,
            "clause_reader": READER_VERSION}
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp.npz")
    np.savez(tmp, names=np.array([p.name for p in files]), sha256=np.array([sha256(p) for p in files]),
             sizes=np.array([p.stat().st_size for p in files], dtype=np.int64), vectors=vectors,
             texts=np.array(texts), text_vectors=text_vectors, meta=np.array(json.dumps(meta)))
    os.replace(tmp, out)
    return out


def _read_index(index_path: Path) -> tuple[dict | None, str]:
    """The index's arrays (numpy, no pickles) and parsed meta, or (None, why it cannot be used)."""
    if not index_path.is_file():
        return None, "no precomputed demo index is bundled"
    try:
        with np.load(index_path, allow_pickle=False) as data:
            arrays = {k: data[k] for k in data.files}
        meta = json.loads(str(arrays["meta"]))
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as exc:
        return None, f"the precomputed demo index is unreadable ({exc})"
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        found = meta.get("format") if isinstance(meta, dict) else None
        return None, f"the precomputed demo index has format {found!r}, this version reads {FORMAT!r}"
    arrays["meta"] = meta
    return arrays, ""


# first launch ----------------------------------------------------------------------------------
@dataclass
class DemoStatus:
    folder: Path | None
    installed: int = 0  # files indexed from the precomputed vectors
    needs_import: bool = False  # the caller should import ``folder`` once the model is loaded
    message: str = ""
    start_query: Path | None = None
    suggestions: list[str] = field(default_factory=list)


class _PrecomputedEmbeddings:
    """Encoder stand-in for Importer: 'features' of a file are its shipped A(audio), projection is identity.

    Only built after every file and the heads were checked to match the ones embedded at release.
    """

    def __init__(self, version: str, table: dict[str, np.ndarray]):
        self.version = version
        self.embed_dim = next(iter(table.values())).shape[0]
        self._table = table
        self.features = self

    def from_file(self, path: str | os.PathLike) -> np.ndarray:
        from model.errors import AudioDecodeError

        vector = self._table.get(os.path.abspath(path))
        if vector is None:  # cannot happen after the checks; never invent a vector
            raise AudioDecodeError(f"{describe_path(path)} has no precomputed demo vector")
        return vector

    def project_audio(self, features: np.ndarray) -> np.ndarray:
        return np.asarray(features, dtype=np.float32)


def load_precomputed(
    service, demo_dir: Path = DEMO_DIR, index_path: Path = DEMO_INDEX
) -> tuple[_PrecomputedEmbeddings | None, str]:
    """The shipped vectors if they fit the active heads and the files on disk, else (None, why not)."""
    data, why = _read_index(index_path)
    if data is None:
        return None, why
    meta = data["meta"]
    try:
        names, hashes, sizes = list(data["names"]), list(data["sha256"]), list(data["sizes"])
        vectors = np.asarray(data["vectors"], dtype=np.float32)
    except (KeyError, ValueError) as exc:
        return None, f"the precomputed demo index is unreadable ({exc})"
    if service.model_ready:
        same_model = service.encoder.version == meta.get("model_version")
    else:  # identical heads bytes mean the same model version, without loading the model
        heads = active_heads_path(service)
        same_model = heads.is_file() and sha256(heads) == meta.get("heads_sha256")
    if not same_model:
        return None, "the precomputed demo vectors were made with other model heads"
    on_disk = {p.name: p for p in demo_files(demo_dir)}
    if sorted(on_disk) != sorted(names) or len(vectors) != len(names):
        return None, "the demo folder's files differ from the precomputed index"
    table = {}
    for name, digest, size, vector in zip(names, hashes, sizes, vectors, strict=True):
        path = on_disk[name]
        if path.stat().st_size != int(size) or sha256(path) != digest:
            return None, f"{name} differs from the file the demo index was built from"
        table[os.path.abspath(path)] = vector
    return _PrecomputedEmbeddings(str(meta["model_version"]), table), ""


def seed_demo_texts(encoder, index_path: Path = DEMO_INDEX) -> tuple[int, str]:
    """Put the shipped T(text) of the demo's modifiers into the encoder's text cache when they were made
    with exactly its heads and text backbone; returns (texts seeded, why none were)."""
    from model.text_backbone import BACKBONE_ID

    data, why = _read_index(index_path)
    if data is None:
        return 0, why
    meta = data["meta"]
    if encoder.version != meta.get("model_version") or meta.get("text_backbone") != BACKBONE_ID:
        return 0, "the precomputed demo texts were made with other model heads"
    if meta.get("clause_reader") != READER_VERSION:
        return 0, "the precomputed demo texts were read into edits by another modifier parser"
    try:
        return encoder.seed_text_cache([str(t) for t in data["texts"]], data["text_vectors"]), ""
    except (KeyError, ValueError) as exc:
        return 0, f"the precomputed demo texts are unusable ({exc})"


@dataclass(frozen=True)
class PrecomputedTexts:
    """What the demo index tells about the active heads without running them: the model version its
    vectors carry and the projected T(text) of the demo's modifiers, keyed by normalized text."""

    version: str
    embed_dim: int
    vectors: dict[str, np.ndarray]

    def vector(self, text: str) -> np.ndarray | None:
        from model.text_backbone import normalize_text

        return self.vectors.get(normalize_text(text))


def read_precomputed_texts(heads_path: Path, index_path: Path = DEMO_INDEX) -> tuple[PrecomputedTexts | None, str]:
    """The index's model version and T(text) when it was built from exactly these heads bytes (sha256)
    and this text backbone, else (None, why not). Needs numpy only, never torch."""
    from model.text_backbone import BACKBONE_ID, text_table

    data, why = _read_index(index_path)
    if data is None:
        return None, why
    meta = data["meta"]
    try:
        same_heads = sha256(Path(heads_path)) == meta.get("heads_sha256")
    except OSError as exc:
        return None, f"the model heads file is unreadable ({exc})"
    if not same_heads:
        return None, "the precomputed demo texts were made with other model heads"
    if meta.get("text_backbone") != BACKBONE_ID or not meta.get("model_version"):
        return None, "the precomputed demo texts were made with another text model"
    if meta.get("clause_reader") != READER_VERSION:
        return None, "the precomputed demo texts were read into edits by another modifier parser"
    try:
        dim = int(meta["embed_dim"])
        table = text_table([str(t) for t in data["texts"]], data["text_vectors"], dim)
    except (KeyError, TypeError, ValueError) as exc:
        return None, f"the precomputed demo texts are unusable ({exc})"
    return PrecomputedTexts(str(meta["model_version"]), dim, table), ""


def demo_suggestions(query: Path, demo_dir: Path = DEMO_DIR) -> list[str]:
    """Modifier texts of the demo pairs that start from this query file (empty outside the demo)."""
    pairs = demo_dir / PAIRS_FILE
    if Path(query).parent.resolve() != demo_dir.resolve() or not pairs.is_file():
        return []
    with open(pairs, newline="", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r.get("query_path") == Path(query).name and r.get("text")]
    return list(dict.fromkeys(r["text"] for r in rows))


def first_demo_query(demo_dir: Path = DEMO_DIR) -> Path | None:
    """The query of the first demo pair (a plain rain clip), or the first demo sound."""
    pairs = demo_dir / PAIRS_FILE
    if pairs.is_file():
        with open(pairs, newline="", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                candidate = demo_dir / row.get("query_path", "")
                if candidate.is_file():
                    return candidate
    files = demo_files(demo_dir) if demo_dir.is_dir() else []
    return files[0] if files else None


def ensure_demo_library(service, demo_dir: Path = DEMO_DIR, index_path: Path | None = None) -> DemoStatus:
    """Add the demo folder to the library; index it from the shipped vectors (default: the service's
    demo index) when they fit."""
    from app.indexer import Importer

    if not demo_dir.is_dir() or not demo_files(demo_dir):
        return DemoStatus(None, message="The demo library is not bundled with this installation")
    folder = demo_dir.resolve()
    start = first_demo_query(folder)
    status = DemoStatus(folder, start_query=start, suggestions=demo_suggestions(start, folder) if start else [])
    service.add_folder(folder)
    precomputed, why = load_precomputed(service, folder, index_path or service.demo_index or DEMO_INDEX)
    if precomputed is None:
        status.needs_import = True
        status.message = f"Demo library added; it will be indexed once the model has loaded ({why})"
        return status
    report = Importer(service.db, service.data_dir, precomputed, IndexConfig(workers=0)).run([folder])
    status.installed = report.added + report.updated
    status.message = f"Demo library ready: {status.installed} sounds"
    return status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m app.demo", description="Demo library tools")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("build", help="precompute the demo library's embeddings for the shipped heads")
    p.add_argument("--heads", type=Path, default=None)
    p.add_argument("--demo-dir", type=Path, default=DEMO_DIR)
    p.add_argument("--out", type=Path, default=DEMO_INDEX)
    args = parser.parse_args(argv)
    out = build_demo_index(args.heads, args.demo_dir, args.out)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
