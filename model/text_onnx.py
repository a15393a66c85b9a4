"""Frozen text backbone at run time: all-MiniLM-L6-v2 exported to ONNX (mean pooling in the graph),
tokenized with ``tokenizers`` and the package's tokenizer.json. No torch, no transformers."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from model.errors import ModelFileError
from model.text_backbone import BACKBONE_ID, MAX_CLAUSES, MAX_TOKENS, TEXT_DIM, clause_features, minilm_dir


class OnnxTextBackbone:
    """Sentence embeddings (384-d, mean pooled over tokens) from the exported ONNX text model."""

    def __init__(self, onnx_path: str | os.PathLike, threads: int = 2):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        path = Path(onnx_path)
        if not path.is_file():
            raise ModelFileError(f"the text model file is missing: {path}. Reinstall Nudge (or set NUDGE_MODEL_DIR "
                                 "to a folder that holds it; developers write it with python -m "
                                 "training.export_runtime)")
        tokenizer_file = minilm_dir(weights=False) / "tokenizer.json"
        try:
            self.tokenizer = Tokenizer.from_file(str(tokenizer_file))
        except Exception as exc:  # noqa: BLE001 - tokenizers raises plain Exception on a bad file
            raise ModelFileError(f"cannot read the text tokenizer {tokenizer_file}: {exc}") from exc
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.enable_padding(pad_id=self.tokenizer.token_to_id("[PAD]") or 0, pad_token="[PAD]")
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        try:
            self._session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        except Exception as exc:  # noqa: BLE001 - onnxruntime raises its own exception types
            raise ModelFileError(f"cannot load the text model {path}: {exc}") from exc
        meta = self._session.get_modelmeta().custom_metadata_map
        if meta.get("text_backbone") != BACKBONE_ID:
            raise ModelFileError(f"{path} holds text model {meta.get('text_backbone')!r}; "
                                 f"this Nudge runs {BACKBONE_ID}")

    def encode(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        """(len(texts), 384) float32 mean-pooled token embeddings (not normalized)."""
        out = [np.zeros((0, TEXT_DIM), dtype=np.float32)]
        for start in range(0, len(texts), batch_size):
            batch = self.tokenizer.encode_batch([t.strip() for t in texts[start : start + batch_size]])
            ids = np.array([e.ids for e in batch], dtype=np.int64)
            mask = np.array([e.attention_mask for e in batch], dtype=np.int64)
            out.append(self._session.run(None, {"input_ids": ids, "attention_mask": mask})[0])
        return np.concatenate(out).astype(np.float32, copy=False)

    def encode_clauses(self, texts: list[str], max_clauses: int = MAX_CLAUSES) -> np.ndarray:
        """(len(texts), max_clauses * 384): each clause's embedding in its slot, zeros where absent."""
        return clause_features(self.encode, texts, max_clauses)
