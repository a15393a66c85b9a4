"""NudgeEncoder: the one object the app uses to turn audio and text into query/target vectors."""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from model.audio_features import AudioFeatureExtractor
from model.checkpoint import load_composer, load_heads, model_version
from model.compose import compose_query
from model.errors import AudioDecodeError
from model.text_backbone import MiniLMBackbone, normalize_text, text_table

DEFAULT_HEADS_PATH = Path(__file__).resolve().parents[1] / "assets" / "nudge_heads.safetensors"


def default_heads_path() -> Path:
    """Shipped heads, unless NUDGE_HEADS points elsewhere."""
    return Path(os.environ.get("NUDGE_HEADS") or DEFAULT_HEADS_PATH)


@dataclass
class FileEmbedding:
    """Result for one file of a batch: a vector, or the reason there is none."""

    path: str
    vector: np.ndarray | None
    error: str | None = None


class NudgeEncoder:
    """Frozen backbones + trained heads. Audio backbone loads eagerly, text backbone on first use.

    T(text) is cached per normalized text; ``seed_text_cache`` fills that cache with vectors
    precomputed at release time, so those texts never need the text backbone.
    """

    def __init__(self, heads_path: str | os.PathLike | None = None, threads: int = 2, load_audio: bool = True):
        self.heads_path = Path(heads_path) if heads_path else default_heads_path()
        self.heads = load_heads(self.heads_path)
        self.version = model_version(self.heads_path)
        self.composer = load_composer(self.heads_path)  # None: the heads simply add A + T
        self.threads = threads
        self._features = AudioFeatureExtractor(threads=threads) if load_audio else None
        self._text: MiniLMBackbone | None = None
        self._text_lock = threading.Lock()
        self._text_cache: dict[str, np.ndarray] = {}

    @property
    def embed_dim(self) -> int:
        return self.heads.config.embed_dim

    @property
    def class_names(self) -> list[str]:
        return list(self.heads.config.class_names)

    @property
    def features(self) -> AudioFeatureExtractor:
        if self._features is None:
            self._features = AudioFeatureExtractor(threads=self.threads)
        return self._features

    # audio -------------------------------------------------------------------------------
    def project_audio(self, features: np.ndarray) -> np.ndarray:
        """Frozen features (N, F) -> A(audio) (N, D) float32."""
        with torch.inference_mode():
            x = torch.from_numpy(np.ascontiguousarray(features, dtype=np.float32))
            return self.heads.embed_audio(x).numpy()

    def embed_audio(self, samples: np.ndarray, sr: int) -> np.ndarray:
        """In-memory signal (any rate, mono or stereo) -> A(audio) (D,)."""
        return self.project_audio(self.features.from_waveform(samples, sr)[None])[0]

    def embed_file(self, path: str | os.PathLike) -> np.ndarray:
        """Audio file -> A(audio) (D,); AudioDecodeError for unusable files."""
        return self.project_audio(self.features.from_file(path)[None])[0]

    def embed_files(self, paths: Sequence[str | os.PathLike]) -> list[FileEmbedding]:
        """Batch API: one FileEmbedding per path, in order; bad files carry their error."""
        feats: list[np.ndarray] = []
        results: list[FileEmbedding] = []
        for path in paths:
            try:
                feats.append(self.features.from_file(path))
                results.append(FileEmbedding(os.fspath(path), None))
            except AudioDecodeError as exc:
                results.append(FileEmbedding(os.fspath(path), None, str(exc)))
        if feats:
            vectors = iter(self.project_audio(np.stack(feats)))
            for result in results:
                if result.error is None:
                    result.vector = next(vectors)
        return results

    # text --------------------------------------------------------------------------------
    @property
    def text_loaded(self) -> bool:
        """True once the text backbone (MiniLM) is in memory."""
        return self._text is not None

    def load_text_backbone(self) -> None:
        """Load MiniLM now (several seconds); safe to call from a worker thread.

        A second caller waits for a load already under way instead of loading twice."""
        with self._text_lock:
            if self._text is None:
                self._text = MiniLMBackbone(threads=self.threads)

    def has_text(self, text: str) -> bool:
        """True when T(text) is served without the text backbone (computed before or precomputed)."""
        return normalize_text(text) in self._text_cache

    def seed_text_cache(self, texts: Sequence[str], vectors: np.ndarray) -> int:
        """Serve these texts from projected T(text) vectors (N, D) made with these same heads.

        ValueError (cache unchanged) if the shape, dtype or values do not fit; returns N."""
        table = text_table(texts, vectors, self.embed_dim)
        self._text_cache.update(table)
        return len(texts)

    def embed_text(self, texts: Sequence[str]) -> np.ndarray:
        """Modifier texts -> T(text) (N, D) float32, cached per normalized text.

        Texts not in the cache load the text backbone first (blocking; see load_text_backbone)."""
        keys = [normalize_text(t) for t in texts]
        missing = [k for k in dict.fromkeys(keys) if k not in self._text_cache]
        if missing:
            self.load_text_backbone()
            assert self._text is not None
            clauses = self.heads.config.text_clauses
            frozen = self._text.encode(missing) if clauses == 1 else self._text.encode_clauses(missing, clauses)
            with torch.inference_mode():
                projected = self.heads.embed_text(torch.from_numpy(frozen)).numpy()
            self._text_cache.update(zip(missing, projected, strict=True))
        if not keys:
            return np.zeros((0, self.embed_dim), dtype=np.float32)
        return np.stack([self._text_cache[k] for k in keys])

    def query_vector(self, audio_emb: np.ndarray, text: str | None = None, strength: float = 1.0) -> np.ndarray:
        """Unit query A(a) + strength * T(text); plain similarity when text is empty."""
        if text is None or not text.strip():
            return compose_query(audio_emb)
        return compose_query(audio_emb, self.embed_text([text])[0], strength, self.composer)
