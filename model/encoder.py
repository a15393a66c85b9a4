"""NudgeEncoder: the one run-time model object. numpy, onnxruntime and tokenizers only (no torch).

It loads the three exported parts at once (well under 2 s): YAMNet ONNX (audio backbone), the MiniLM
ONNX text backbone and the trained heads as numpy arrays (model.runtime_heads). Training keeps the
torch model (model.heads.NudgeHeads); tests/test_runtime_parity.py ties the two.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from model import paths
from model.audio_features import AudioFeatureExtractor
from model.checkpoint import audio_graph, model_version
from model.compose import l2_normalize
from model.errors import AudioDecodeError
from model.runtime_heads import RuntimeHeads
from model.text_backbone import has_words, normalize_text
from model.text_onnx import OnnxTextBackbone
from model.words_alone import FLOOR_DISCOUNT, SAMPLE_RATE, floor_signal
from model.yamnet import YamnetBackbone


@dataclass
class FileEmbedding:
    """Result for one file of a batch: a vector, or the reason there is none."""

    path: str
    vector: np.ndarray | None
    error: str | None = None


class NudgeEncoder:
    """Frozen backbones + trained heads: A(audio), T(text) and the composed query.

    ``heads_path`` default: model.paths.heads_path() ($NUDGE_HEADS or the model folder's heads);
    ``text_onnx`` default: model.paths.text_onnx_path(). ``load_audio=False`` skips YAMNet (it then
    loads on first use), for callers that only project stored features or embed text.
    """

    def __init__(self, heads_path: str | os.PathLike | None = None, threads: int = 2, load_audio: bool = True,
                 text_onnx: str | os.PathLike | None = None):
        self.heads_path = paths.heads_path(heads_path)
        self.heads = RuntimeHeads.from_file(self.heads_path)
        self.version = model_version(self.heads_path)
        self.audio_graph = audio_graph(self.heads_path)  # the YAMNet graph the heads were trained on
        self.threads = threads
        self._text = OnnxTextBackbone(text_onnx or paths.text_onnx_path(), threads=threads)
        self._features = self._extractor() if load_audio else None
        self._features_lock = threading.Lock()
        self._text_cache: dict[str, np.ndarray] = {}
        self._floor: np.ndarray | None = None  # A(model.words_alone.floor_signal()), on first words_query

    @property
    def embed_dim(self) -> int:
        return self.heads.embed_dim

    @property
    def class_names(self) -> list[str]:
        return self.heads.class_names

    @property
    def features(self) -> AudioFeatureExtractor:
        with self._features_lock:
            if self._features is None:
                self._features = self._extractor()
            return self._features

    def _extractor(self) -> AudioFeatureExtractor:
        return AudioFeatureExtractor(YamnetBackbone(threads=self.threads, arithmetic=self.audio_graph))

    # audio -------------------------------------------------------------------------------
    def project_audio(self, features: np.ndarray) -> np.ndarray:
        """Frozen features (N, F) -> A(audio) (N, D) float32."""
        return self.heads.project_audio(features)

    def embed_audio(self, samples: np.ndarray, sr: int) -> np.ndarray:
        """In-memory signal (any rate, mono or stereo) -> A(audio) (D,)."""
        return self.project_audio(self.features.from_waveform(samples, sr)[None])[0]

    def embed_file(self, path: str | os.PathLike) -> np.ndarray:
        """Audio file -> A(audio) (D,); AudioDecodeError for unusable files."""
        return self.project_audio(self.features.from_file(path)[None])[0]

    def embed_audio_with_classes(self, samples: np.ndarray, sr: int) -> tuple[np.ndarray, np.ndarray]:
        """embed_audio plus the signal's (521,) uint8 class maxima (model.class_scores)."""
        features, classes = self.features.with_classes_from_waveform(samples, sr)
        return self.project_audio(features[None])[0], classes

    def embed_file_with_classes(self, path: str | os.PathLike) -> tuple[np.ndarray, np.ndarray]:
        """embed_file plus the file's (521,) uint8 class maxima (model.class_scores)."""
        features, classes = self.features.with_classes_from_file(path)
        return self.project_audio(features[None])[0], classes

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
    def encode_words(self, texts: Sequence[str]) -> np.ndarray:
        """The frozen text backbone's embeddings (n, 384) of ``texts``, before the text head."""
        return self._text.encode(list(texts))

    def embed_text(self, texts: Sequence[str]) -> np.ndarray:
        """Modifier texts -> T(text) (N, D) float32 (summed over the modifier's edits for heads with
        text_clauses > 1), cached per normalized text."""
        keys = [normalize_text(t) for t in texts]
        missing = [k for k in dict.fromkeys(keys) if k not in self._text_cache]
        if missing:
            clauses = self.heads.text_clauses
            frozen = self._text.encode(missing) if clauses == 1 else self._text.encode_clauses(missing, clauses)
            self._text_cache.update(zip(missing, self.heads.project_text(frozen), strict=True))
        if not keys:
            return np.zeros((0, self.embed_dim), dtype=np.float32)
        return np.stack([self._text_cache[k] for k in keys])

    def compose(self, audio_emb: np.ndarray, text_emb: np.ndarray, strength: float = 1.0) -> np.ndarray:
        """Unit queries (N, D) or (D,) from A(a) and T(t); rows whose T(t) is all zeros (no modifier) and
        strength 0 give the plain A(a) direction."""
        audio = np.asarray(audio_emb, dtype=np.float32)
        text = np.asarray(text_emb, dtype=np.float32)
        if text.shape[-1] != audio.shape[-1]:
            raise ValueError(f"dimension mismatch: audio {audio.shape} vs text {text.shape}")
        if strength == 0.0:
            return l2_normalize(audio)
        has_text = np.any(text != 0, axis=-1, keepdims=True)
        return l2_normalize(np.where(has_text, self.heads.compose(audio, text, strength), audio))

    def query_vector(self, audio_emb: np.ndarray, text: str | None = None, strength: float = 1.0) -> np.ndarray:
        """Unit query A(a) + strength * (T(text) [+ R]); plain similarity when text is empty."""
        if not has_words(text):  # none, spaces or punctuation alone
            return l2_normalize(audio_emb)
        return self.compose(audio_emb, self.embed_text([text])[0], strength)

    def words_query(self, text: str, strength: float = 1.0) -> np.ndarray:
        """Unit query for words with no query sound: A(a faint room floor) + strength * T(text), the sound the
        words name on its own, minus a little of the floor's own direction (model.words_alone)."""
        if self._floor is None:
            self._floor = self.embed_audio(floor_signal(), SAMPLE_RATE)
        composed = self.query_vector(self._floor, text, strength)
        return l2_normalize(composed - FLOOR_DISCOUNT * l2_normalize(self._floor))
