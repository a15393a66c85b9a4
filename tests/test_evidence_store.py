"""The per-patch evidence the reranking reads, kept in the library database (app.db_evidence): a later search, in
this service or a new one, reads it instead of running YAMNet again; a changed file is read again; a forgotten
folder takes its rows along; a malformed row is computed again."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from app.config import IndexConfig
from app.db_blocks import path_key
from app.db_evidence import decode, encode
from app.service import SearchService
from model.aligned_rerank import FEATURES, AlignedReranker, PatchEvidence, file_sha256
from model.edits import KINDS, LOUDER
from model.patch_evidence import evidence_from_file
from tests.helpers import write_wav
from tests.library_helpers import clip

WORDS = "make it louder"


def _weights(tmp_path: Path, heads: Path) -> Path:
    weights = np.zeros((len(KINDS), len(FEATURES)))
    weights[KINDS.index(LOUDER), FEATURES.index("gain")] = 1000.0  # louder copies first, far over the cosines
    path = tmp_path / "gain.json"
    AlignedReranker(weights, 20, 0.05, file_sha256(heads)).to_file(path)
    return path


@pytest.fixture
def library(tmp_path, encoder, heads_path):
    base = clip(5, 2.0)
    for name, gain in {"x0.5": 0.5, "x1": 1.0, "x2": 2.0}.items():
        write_wav(tmp_path / "lib" / f"{name}.wav", base * gain)
    query = write_wav(tmp_path / "lib" / "query.wav", base * 0.7)
    weights = _weights(tmp_path, heads_path)

    def service() -> SearchService:
        return SearchService(tmp_path / "data", encoder=encoder, config=IndexConfig(workers=0), rerank_weights=weights)

    with service() as svc:
        svc.import_folders([tmp_path / "lib"])
    return tmp_path, query, service


def _rows(svc: SearchService) -> dict[bytes, int]:
    return dict(svc.db.conn.execute("SELECT path, patches FROM patch_evidence").fetchall())


def test_a_new_service_reads_the_kept_evidence_instead_of_yamnet(library, encoder, monkeypatch):
    tmp_path, query, service = library
    with service() as svc:
        first = [r.path.name for r in svc.search(query, WORDS, top_k=3)]
        rows = _rows(svc)
    assert first == ["x2.wav", "x1.wav", "x0.5.wav"]
    assert set(rows) == {path_key(tmp_path / "lib" / f"{n}.wav") for n in ("x0.5", "x1", "x2", "query")}
    kept = evidence_from_file(encoder.features.backbone, tmp_path / "lib" / "x2.wav")
    assert rows[path_key(tmp_path / "lib" / "x2.wav")] == len(kept)

    def no_yamnet(*args):
        raise AssertionError("YAMNet ran again for kept evidence")

    monkeypatch.setattr("app.rerank.whole_file_evidence", no_yamnet)
    with service() as svc:
        again = svc.search(query, WORDS, top_k=3)
    assert [r.path.name for r in again] == first and all(r.reranked for r in again)


def test_a_changed_file_is_read_again(library):
    tmp_path, query, service = library
    with service() as svc:
        svc.search(query, WORDS, top_k=3)
        loud = tmp_path / "lib" / "x0.5.wav"
        write_wav(loud, clip(5, 2.0) * 3.0)  # edited in place: now the loudest
        st = loud.stat()
        os.utime(loud, ns=(st.st_atime_ns, st.st_mtime_ns + 2_000_000_000))
        svc.import_folders([tmp_path / "lib"])
        svc._rerank.cache.clear()  # as a new process has it
        names = [r.path.name for r in svc.search(query, WORDS, top_k=3)]
    assert names[0] == "x0.5.wav"


def test_forgetting_a_folder_drops_its_kept_evidence(library):
    tmp_path, query, service = library
    with service() as svc:
        svc.search(query, WORDS, top_k=3)
        assert len(_rows(svc)) == 4
        svc.remove_folder(tmp_path / "lib")
        assert _rows(svc) == {}


def test_a_malformed_row_is_computed_again(library):
    tmp_path, query, service = library
    with service() as svc:
        first = [r.path.name for r in svc.search(query, WORDS, top_k=3)]
        with svc.db.transaction() as conn:
            conn.execute("UPDATE patch_evidence SET classes = ?", (b"not zlib",))
        svc._rerank.cache.clear()
        assert [r.path.name for r in svc.search(query, WORDS, top_k=3)] == first
        assert decode(*svc.db.conn.execute("SELECT patches, classes, levels FROM patch_evidence").fetchone())


def test_encode_decode_round_trip():
    rng = np.random.default_rng(0)
    evidence = PatchEvidence(rng.integers(0, 256, (7, 521), dtype=np.uint8), rng.normal(size=7).astype(np.float32))
    back = decode(*encode(evidence))
    np.testing.assert_array_equal(back.classes, evidence.classes)
    np.testing.assert_array_equal(back.levels, evidence.levels)
    assert decode(3, encode(evidence)[1], encode(evidence)[2]) is None  # a count that does not fit


def test_the_demo_installs_with_its_evidence_kept(tmp_path, monkeypatch):
    """The bundled demo index carries the demo files' evidence: the first search with words runs no YAMNet on them,
    and what it kept is what YAMNet gives."""
    from app.demo import DEMO_DIR, ensure_demo_library
    from app.rerank import whole_file_evidence

    with SearchService(tmp_path / "data") as svc:
        status = ensure_demo_library(svc)
        assert status.installed == 36 and not status.needs_import
        rows = _rows(svc)
        assert len(rows) == 36
        svc.load_model()
        rain = DEMO_DIR.resolve() / "rain_01.ogg"
        kept = svc.db.stored_evidence([(path_key(rain), rain.stat().st_size, rain.stat().st_mtime_ns)],
                                      svc.encoder.audio_graph)[path_key(rain)]
        fresh = whole_file_evidence(svc.encoder.features.backbone, rain)
        np.testing.assert_array_equal(kept.classes, fresh.classes)
        np.testing.assert_allclose(kept.levels, fresh.levels, atol=1e-5)

        def no_yamnet(*args):
            raise AssertionError("YAMNet ran on a demo file")

        monkeypatch.setattr("app.rerank.whole_file_evidence", no_yamnet)
        results = svc.search(rain, "add thunder", top_k=5)
    assert "thunder" in results[0].path.name and results[0].reranked


def test_an_import_keeps_short_files_evidence_as_a_search_computes_it(tmp_path, encoder, heads_path, monkeypatch):
    """The import computes YAMNet's per-patch scores anyway: short files' evidence is kept with their rows, equal
    to what a search would compute; a long take (over 78 s: never read whole) keeps none. The first search then runs no
    YAMNet."""
    from app.rerank import whole_file_evidence

    short = write_wav(tmp_path / "lib" / "short.wav", clip(3, 4.0))
    write_wav(tmp_path / "lib" / "take.wav", clip(4, 90.0))
    query = write_wav(tmp_path / "lib" / "query.wav", clip(3, 4.0) * 0.5)
    with SearchService(tmp_path / "data", encoder=encoder, config=IndexConfig(workers=0),
                       rerank_weights=_weights(tmp_path, heads_path)) as svc:
        svc.import_folders([tmp_path / "lib"])
        assert set(_rows(svc)) == {path_key(short), path_key(query)}
        st = short.stat()
        kept = svc.db.stored_evidence([(path_key(short), st.st_size, st.st_mtime_ns)], encoder.audio_graph)
        fresh = whole_file_evidence(encoder.features.backbone, short)
        np.testing.assert_array_equal(kept[path_key(short)].classes, fresh.classes)
        np.testing.assert_array_equal(kept[path_key(short)].levels, fresh.levels)

        def no_yamnet(*args):
            raise AssertionError("YAMNet ran again after the import")

        monkeypatch.setattr("app.rerank.whole_file_evidence", no_yamnet)
        results = svc.search(query, WORDS, top_k=2)
    assert {r.path.name for r in results} == {"short.wav", "take.wav"} and all(r.reranked for r in results)
