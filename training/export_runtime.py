"""Release-time export of the run-time model: heads as plain arrays, MiniLM as ONNX (needs torch).

    python -m training.export_runtime --heads runs/X/heads.safetensors --out assets

writes ``<out>/nudge_heads.safetensors`` (every tensor of the heads as float32 arrays with their
HeadsConfig and extras in the header, readable with numpy alone) and ``<out>/nudge_text.onnx`` (the
frozen text backbone with mean pooling in the graph; weights stored as float16 initializers that
Cast nodes widen to float32, so the math stays float32). The app then runs on numpy, onnxruntime and
tokenizers only (model.encoder.NudgeEncoder). The export checks the ONNX text features and the
composed queries against the torch model and refuses to write files that miss the parity bar.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from model import text_backbone
from model.checkpoint import FORMAT, FORMAT_VERSION, load_heads, read_metadata, write_atomic
from model.paths import HEADS_FILE, TEXT_ONNX_FILE

PARITY_MIN_COSINE = 0.999
OPSET = 17


class _MeanPooledMiniLM:
    """torch module factory: (input_ids, attention_mask) -> mean-pooled (N, 384), as MiniLMBackbone.encode."""

    @staticmethod
    def build(model):
        import torch

        class MeanPooled(torch.nn.Module):
            def __init__(self) -> None:
                super().__init__()
                self.model = model

            def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
                hidden = self.model(input_ids=input_ids, attention_mask=attention_mask,
                                    token_type_ids=torch.zeros_like(input_ids)).last_hidden_state
                mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
                return (hidden * mask).sum(1) / mask.sum(1).clamp(min=1.0)

        return MeanPooled().eval()


def export_text_onnx(out: Path, fp16_weights: bool = True) -> Path:
    """MiniLM from the installed package -> ONNX with mean pooling; returns the written file."""
    import onnx
    import torch

    backbone = text_backbone.MiniLMBackbone(threads=2)
    module = _MeanPooledMiniLM.build(backbone.model)
    tokens = backbone.tokenizer(["add thunder", "make the rain a bit quieter"], padding=True,
                                truncation=True, max_length=text_backbone.MAX_TOKENS, return_tensors="pt")
    tmp = out.with_suffix(".tmp.onnx")
    with torch.inference_mode():
        torch.onnx.export(
            module, (tokens["input_ids"], tokens["attention_mask"]), str(tmp),
            input_names=["input_ids", "attention_mask"], output_names=["embedding"],
            dynamic_axes={"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"},
                          "embedding": {0: "batch"}},
            opset_version=OPSET, dynamo=False,
        )
    graph = onnx.load(str(tmp))
    tmp.unlink()
    if fp16_weights:
        _store_weights_as_fp16(graph)
    meta = {"text_backbone": text_backbone.BACKBONE_ID, "max_tokens": str(text_backbone.MAX_TOKENS),
            "pooling": "mean", "weights": "float16" if fp16_weights else "float32"}
    for key, value in meta.items():
        graph.metadata_props.add(key=key, value=value)
    onnx.checker.check_model(graph)
    data = graph.SerializeToString()
    write_atomic(out, lambda tmp: Path(tmp).write_bytes(data))
    return out


def _store_weights_as_fp16(graph, min_elements: int = 1024) -> None:
    """Large float32 initializers become float16 ones behind a Cast to float32 (half the file size)."""
    from onnx import TensorProto, helper, numpy_helper

    casts = []
    for init in graph.graph.initializer:
        if init.data_type != TensorProto.FLOAT or int(np.prod(init.dims)) < min_elements:
            continue
        weights = numpy_helper.to_array(init)
        half = numpy_helper.from_array(weights.astype(np.float16), init.name + "_fp16")
        name = init.name
        init.CopyFrom(half)
        casts.append(helper.make_node("Cast", [name + "_fp16"], [name], to=TensorProto.FLOAT,
                                      name=f"cast_{name}"))
    for node in reversed(casts):
        graph.graph.node.insert(0, node)


def export_heads(heads_path: Path, out: Path) -> Path:
    """The heads checkpoint rewritten from numpy arrays (float32), config and extras kept."""
    from safetensors import safe_open
    from safetensors.numpy import save_file

    load_heads(heads_path)  # refuse heads that do not fit the backbones or their config
    meta = read_metadata(heads_path)
    with safe_open(str(heads_path), framework="np") as f:
        arrays = {k: np.ascontiguousarray(f.get_tensor(k), dtype=np.float32) for k in f.keys()}
    header = {"format": FORMAT, "format_version": str(FORMAT_VERSION),
              "config": json.dumps(meta["config"]), "extra": json.dumps(meta["extra"])}
    write_atomic(out, lambda tmp: save_file(arrays, tmp, metadata=header))
    return out


def parity_texts(n: int = 300, seed: int = 0) -> list[str]:
    """Modifier texts as the training data phrases them: one or two random differences, training and
    held-out phrasings, plus the bare sound words."""
    from training import scenes
    from training.descriptions import Diff, describe

    rng = np.random.default_rng(seed)
    event_kinds = (scenes.EVENT_ADDED, scenes.EVENT_REMOVED, scenes.EVENT_LOUDER, scenes.EVENT_QUIETER)

    def diff() -> Diff:
        if rng.random() < 0.25:
            kind = str(rng.choice([scenes.BG_LOUDER, scenes.BG_QUIETER]))
            return Diff(kind, str(rng.choice(scenes.BACKGROUND_CLASSES)))
        return Diff(str(rng.choice(event_kinds)), str(rng.choice(scenes.EVENT_CLASSES)))

    texts = [c.replace("_", " ") for c in scenes.ALL_CLASSES]
    while len(texts) < n:
        texts.append(describe([diff() for _ in range(1 + int(rng.random() < 0.4))], rng,
                              heldout=bool(rng.random() < 0.3)).text)
    return texts[:n]


def check_parity(heads_path: Path, text_onnx: Path, texts: list[str], clips: int = 64,
                 seed: int = 0) -> dict[str, float]:
    """Smallest cosine between torch and run-time T(text), and between their composed queries for
    random stored A(audio) x these texts. The run-time side imports no torch itself."""
    import torch

    from model.encoder import NudgeEncoder
    from model.runtime_heads import RuntimeHeads

    heads = load_heads(heads_path)
    backbone = text_backbone.MiniLMBackbone(threads=2)
    k = heads.config.text_clauses
    frozen = backbone.encode(texts) if k == 1 else backbone.encode_clauses(texts, k)
    rng = np.random.default_rng(seed)
    features = rng.standard_normal((clips, heads.config.audio_feature_dim)).astype(np.float32)
    with torch.inference_mode():
        t_ref = heads.embed_text(torch.from_numpy(frozen))
        a_ref = heads.embed_audio(torch.from_numpy(features))
        pick = torch.from_numpy(rng.integers(0, clips, len(texts)))
        q_ref = heads.compose(a_ref[pick], t_ref).numpy()
        t_ref, a_ref = t_ref.numpy(), a_ref.numpy()
    encoder = NudgeEncoder(heads_path, load_audio=False, text_onnx=text_onnx)
    t_run = encoder.embed_text(texts)
    a_run = encoder.project_audio(features)
    q_run = RuntimeHeads.from_file(heads_path).compose(a_run[pick.numpy()], t_run)
    return {"text": _min_cosine(t_ref, t_run), "audio": _min_cosine(a_ref, a_run),
            "query": _min_cosine(q_ref, q_run)}


def _min_cosine(a: np.ndarray, b: np.ndarray) -> float:
    a = a / np.linalg.norm(a, axis=1, keepdims=True)
    b = b / np.linalg.norm(b, axis=1, keepdims=True)
    return float(np.min(np.sum(a * b, axis=1)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.export_runtime", description=__doc__.split("\n")[0])
    parser.add_argument("--heads", type=Path, required=True, help="trained heads checkpoint (safetensors)")
    parser.add_argument("--out", type=Path, required=True, help="model folder to write (e.g. assets)")
    parser.add_argument("--fp32", action="store_true", help="keep the text model's weights float32 (2x size)")
    parser.add_argument("--texts", type=int, default=300, help="texts of the parity check")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    heads_out = args.out / HEADS_FILE
    if heads_out.resolve() != args.heads.resolve():
        export_heads(args.heads, heads_out)
    text_out = export_text_onnx(args.out / TEXT_ONNX_FILE, fp16_weights=not args.fp32)
    parity = check_parity(heads_out, text_out, parity_texts(args.texts))
    print(f"wrote {heads_out} and {text_out} ({text_out.stat().st_size / 1e6:.1f} MB)")
    print(f"parity, smallest cosine over {args.texts} texts: "
          + ", ".join(f"{k} {v:.6f}" for k, v in parity.items()))
    if min(parity.values()) < PARITY_MIN_COSINE:
        print(f"error: parity below {PARITY_MIN_COSINE}; rerun with --fp32", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
