"""app.evaluate_rerank: an evaluation runs each file it reads through YAMNet once, even past the search cache's size."""

from __future__ import annotations

import numpy as np

import model.patch_evidence
from app.evaluate_rerank import PairReranker
from app.rerank import CACHE_ENTRIES
from model.aligned_rerank import AlignedReranker, PatchEvidence
from model.class_scores import CLASS_COUNT
from model.paths import rerank_path


def test_each_file_is_read_once(tmp_path, monkeypatch):
    reads: list[str] = []
    rng = np.random.default_rng(0)

    def fake_evidence(backbone, path, max_seconds=None):  # noqa: ANN001
        reads.append(str(path))
        return PatchEvidence(rng.integers(0, 255, (8, CLASS_COUNT), dtype=np.uint8), rng.random(8, dtype=np.float32))

    monkeypatch.setattr(model.patch_evidence, "evidence_from_file", fake_evidence)
    gallery = [tmp_path / f"g{i}.wav" for i in range(600)]
    queries = [tmp_path / f"q{i}.wav" for i in range(150)]
    for path in gallery + queries:
        path.write_bytes(b"")  # lengths unknown: the length gate lets every result be read
    reranker = AlignedReranker.from_file(rerank_path())
    scores = rng.random((len(queries), len(gallery)))
    targets = np.arange(len(queries))
    scores[targets, targets] = 2.0  # each target first by cosine, so every query is reranked
    rerank = PairReranker(reranker, None, queries, ["add thunder"] * len(queries), [str(g) for g in gallery])
    ranks = rerank(scores, targets)
    assert len(ranks) == len(queries) and ranks.min() >= 1
    distinct = set(reads)
    assert len(distinct) > CACHE_ENTRIES  # more files than the search cache holds were read ...
    assert len(reads) == len(distinct)  # ... each once
