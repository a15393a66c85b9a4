"""The bundled demo library: precomputed embeddings at release time, installed on first launch.

Release (after the heads are trained and exported)::

    python -m app.demo build        # writes assets/demo_index.npz for the active heads

The index holds A(audio) of every demo file and the model version it was made with, and each file's per-patch
evidence for the moment-by-moment reranking (app.rerank), kept in the library database at install, so that the
first search with words does not run YAMNet on the demo files again.

First launch (the GUI calls ``ensure_demo_library`` on a worker): the demo folder is added to the
library and, when the shipped vectors were made with the active model version and every demo file is
byte-identical to the one embedded, they go into the index through ``SearchService.install_vectors``
(no model needed, well under a second). Otherwise the caller imports the folder once the model is in.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from app.errors import LibraryError, describe_path
from app.scan import is_audio_name
from model.aligned_rerank import file_sha256
from model.errors import CheckpointError

ASSETS = Path(__file__).resolve().parents[1] / "assets"
DEMO_DIR = ASSETS / "demo_library"
DEMO_INDEX = ASSETS / "demo_index.npz"
PAIRS_FILE = "demo_pairs.csv"
FORMAT = "nudge-demo-index-3"  # 3: A(audio) only (2 also carried precomputed T(text))
EXAMPLE_TEXTS = ("add thunder", "remove the car horn", "more rain")  # the modifier box's placeholder


def demo_files(demo_dir: Path = DEMO_DIR) -> list[Path]:
    return sorted(p for p in demo_dir.iterdir() if p.is_file() and is_audio_name(p.name))


# release time ----------------------------------------------------------------------------------
def build_demo_index(heads_path: Path | None = None, demo_dir: Path = DEMO_DIR, out: Path = DEMO_INDEX) -> Path:
    """The one writer of the demo index: names, hashes and A(audio) of the demo files, and the model
    version they were made with."""
    from model.encoder import NudgeEncoder

    encoder = NudgeEncoder(heads_path)
    files = demo_files(demo_dir)
    if not files:
        raise FileNotFoundError(f"no demo sounds in {describe_path(demo_dir)}")
    vectors = np.stack([encoder.embed_file(p) for p in files]).astype(np.float32)
    from model.patch_evidence import evidence_from_file

    evidence = [evidence_from_file(encoder.features.backbone, p) for p in files]
    meta = {"format": FORMAT, "model_version": encoder.version, "embed_dim": encoder.embed_dim,
            "audio_graph": encoder.audio_graph}
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp.npz")
    np.savez_compressed(tmp, names=np.array([p.name for p in files]), sha256=np.array([file_sha256(p) for p in files]),
             sizes=np.array([p.stat().st_size for p in files], dtype=np.int64), vectors=vectors,
             evidence_classes=np.concatenate([e.classes for e in evidence]),
             evidence_levels=np.concatenate([e.levels for e in evidence]),
             evidence_offsets=np.cumsum([0] + [len(e) for e in evidence]).astype(np.int64),
             meta=np.array(json.dumps(meta)))
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


def load_precomputed(demo_dir: Path = DEMO_DIR, index_path: Path = DEMO_INDEX
                     ) -> tuple[dict[Path, np.ndarray] | None, str, str]:
    """(the shipped A(audio) by file, the model version they were made with, "") when every demo file is
    byte-identical to the one embedded, else (None, "", why not)."""
    data, why = _read_index(index_path)
    if data is None:
        return None, "", why
    try:
        names, hashes, sizes = list(data["names"]), list(data["sha256"]), list(data["sizes"])
        vectors = np.asarray(data["vectors"], dtype=np.float32)
        version = str(data["meta"]["model_version"])
    except (KeyError, ValueError) as exc:
        return None, "", f"the precomputed demo index is unreadable ({exc})"
    on_disk = {p.name: p for p in demo_files(demo_dir)}
    if sorted(on_disk) != sorted(names) or len(vectors) != len(names):
        return None, "", "the demo folder's files differ from the precomputed index"
    table = {}
    for name, digest, size, vector in zip(names, hashes, sizes, vectors, strict=True):
        path = on_disk[name]
        if path.stat().st_size != int(size) or file_sha256(path) != digest:
            return None, "", f"{name} differs from the file the demo index was built from"
        table[path] = vector
    return table, version, ""


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


def _evidence_spans(data: dict | None) -> dict[str, slice]:
    """Each demo file's rows of the index's per-patch evidence (by file name), or {} for an index without it or with
    evidence that does not fit its names."""
    if data is None or "evidence_offsets" not in data:
        return {}
    names, offsets = list(data["names"]), np.asarray(data["evidence_offsets"], dtype=np.int64)
    rows = len(data["evidence_classes"])
    if len(offsets) != len(names) + 1 or offsets[-1] != rows or len(data["evidence_levels"]) != rows:
        return {}
    return {name: slice(int(offsets[i]), int(offsets[i + 1])) for i, name in enumerate(names)}


def demo_class_maxima(files: list[Path], index_path: Path) -> dict[Path, np.ndarray]:
    """Each demo file's YAMNet class maxima, as an import stores them ((1, 521) uint8: the maximum over its patches),
    from the index's per-patch evidence (made with the same graph as its vectors: install_vectors checks the model
    version); empty for an index without evidence. Without them the demo gave no notes that read YAMNet's classes
    ("wind: YAMNet does not hear it in the query", "thunder: YAMNet hears it clearly in ...")."""
    data, _ = _read_index(index_path)
    spans = _evidence_spans(data)
    if not spans:
        return {}
    classes = np.asarray(data["evidence_classes"], dtype=np.uint8)
    return {path: classes[spans[path.name]].max(axis=0)[None] for path in files
            if path.name in spans and spans[path.name].stop > spans[path.name].start}


def keep_demo_evidence(service, files: list[Path], index_path: Path) -> int:
    """Keep the index's per-patch evidence of the installed demo files in the library database (app.db_evidence);
    an index without it, or made with another YAMNet graph, keeps none (searches compute it). Returns files kept."""
    from app.db_blocks import path_key
    from model.aligned_rerank import PatchEvidence

    data, _ = _read_index(index_path)
    spans = _evidence_spans(data)
    if not spans or "audio_graph" not in data["meta"]:
        return 0
    classes, levels = np.asarray(data["evidence_classes"], dtype=np.uint8), data["evidence_levels"]
    rows = []
    for path in files:
        if path.name in spans:
            st, span = path.stat(), spans[path.name]
            rows.append(((path_key(path), st.st_size, st.st_mtime_ns), PatchEvidence(classes[span], levels[span])))
    service.db.keep_evidence(rows, str(data["meta"]["audio_graph"]))
    return len(rows)


def ensure_demo_library(service, demo_dir: Path = DEMO_DIR, index_path: Path | None = None) -> DemoStatus:
    """Add the demo folder to the library; index it from the shipped vectors (default: the service's
    demo index) when they fit the files and the active model."""
    if not demo_dir.is_dir() or not demo_files(demo_dir):
        return DemoStatus(None, message="The demo library is not bundled with this installation")
    folder = demo_dir.resolve()
    start = first_demo_query(folder)
    status = DemoStatus(folder, start_query=start, suggestions=demo_suggestions(start, folder) if start else [])
    service.add_folder(folder)
    index = index_path or service.demo_index or DEMO_INDEX
    vectors, version, why = load_precomputed(folder, index)
    if vectors is not None:
        try:
            report = service.install_vectors(folder, vectors, version, demo_class_maxima(list(vectors), index))
        except (LibraryError, CheckpointError) as exc:
            vectors, why = None, str(exc)
    if vectors is None:
        status.needs_import = True
        status.message = f"Demo library added; it will be indexed once the model has loaded ({why})"
        return status
    status.installed = report.added + report.updated
    keep_demo_evidence(service, list(vectors), index)
    status.message = f"Demo library ready: {status.installed + report.unchanged} sounds"
    return status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m app.demo", description="Demo library tools")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("build", help="precompute the demo library's embeddings for the active heads")
    p.add_argument("--heads", type=Path, default=None)
    p.add_argument("--demo-dir", type=Path, default=DEMO_DIR)
    p.add_argument("--out", type=Path, default=DEMO_INDEX)
    args = parser.parse_args(argv)
    out = build_demo_index(args.heads, args.demo_dir, args.out)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
