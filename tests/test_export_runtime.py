"""The release export's own steps (heads as arrays, fp16-stored ONNX weights) and where the run-time model
files are found. The MiniLM export itself is exercised by `python -m training.export_runtime` (it checks
parity before writing); tests/test_runtime_parity.py checks the committed file."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from model import paths
from model.checkpoint import model_version, read_metadata
from model.errors import ModelFileError
from model.runtime_heads import RuntimeHeads
from tests.helpers import make_random_heads


def test_exported_heads_keep_config_version_and_outputs(tmp_path: Path) -> None:
    from training.export_runtime import export_heads

    source = make_random_heads(tmp_path / "run" / "heads.safetensors", seed=3)
    out = export_heads(source, tmp_path / "heads.safetensors")
    assert read_metadata(out) == read_metadata(source)
    assert model_version(out) == model_version(source)  # libraries embedded with the run stay valid
    features = np.random.default_rng(0).standard_normal((3, 1040)).astype(np.float32)
    np.testing.assert_array_equal(RuntimeHeads.from_file(out).project_audio(features),
                                  RuntimeHeads.from_file(source).project_audio(features))


def test_fp16_stored_weights_keep_float32_math(tmp_path: Path) -> None:
    import onnx
    import onnxruntime as ort
    from onnx import TensorProto, helper, numpy_helper

    from training.export_runtime import _store_weights_as_fp16

    rng = np.random.default_rng(0)
    weight = rng.standard_normal((64, 32)).astype(np.float32)
    bias = rng.standard_normal(32).astype(np.float32)  # small: stays float32
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["x", "w"], ["xw"]), helper.make_node("Add", ["xw", "b"], ["y"])], "g",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [None, 64])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [None, 32])],
        [numpy_helper.from_array(weight, "w"), numpy_helper.from_array(bias, "b")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    _store_weights_as_fp16(model)
    onnx.checker.check_model(model)
    stored = {init.name: init.data_type for init in model.graph.initializer}
    assert stored == {"w_fp16": TensorProto.FLOAT16, "b": TensorProto.FLOAT}
    (tmp_path / "m.onnx").write_bytes(model.SerializeToString())
    x = rng.standard_normal((4, 64)).astype(np.float32)
    y = ort.InferenceSession(str(tmp_path / "m.onnx"), providers=["CPUExecutionProvider"]).run(None, {"x": x})[0]
    assert y.dtype == np.float32
    np.testing.assert_allclose(y, x @ weight.astype(np.float16).astype(np.float32) + bias, rtol=1e-5, atol=1e-5)
    assert np.abs(y - (x @ weight + bias)).max() < 0.05  # fp16 rounding of the weights only


def test_model_files_resolve_from_one_place(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("NUDGE_HEADS", raising=False)
    monkeypatch.delenv("NUDGE_MODEL_DIR", raising=False)
    assert paths.model_dir() == paths.ASSETS
    assert paths.heads_path() == paths.ASSETS / "nudge_heads.safetensors"
    monkeypatch.setenv("NUDGE_MODEL_DIR", str(tmp_path))
    assert paths.heads_path() == tmp_path / paths.HEADS_FILE
    assert paths.text_onnx_path() == tmp_path / paths.TEXT_ONNX_FILE
    monkeypatch.setenv("NUDGE_HEADS", str(tmp_path / "run.safetensors"))
    assert paths.heads_path() == tmp_path / "run.safetensors"
    assert paths.heads_path(tmp_path / "explicit.safetensors") == tmp_path / "explicit.safetensors"


def test_missing_or_foreign_text_model_is_explained(tmp_path: Path, heads_path: Path, monkeypatch) -> None:
    import onnx

    from model.encoder import NudgeEncoder

    monkeypatch.setenv("NUDGE_MODEL_DIR", str(tmp_path))
    with pytest.raises(ModelFileError, match="text model file is missing.*NUDGE_MODEL_DIR"):
        NudgeEncoder(heads_path, load_audio=False)
    model = onnx.load(str(paths.ASSETS / paths.TEXT_ONNX_FILE))
    for prop in model.metadata_props:
        if prop.key == "text_backbone":
            prop.value = "some-other-text-model"
    onnx.save(model, str(tmp_path / paths.TEXT_ONNX_FILE))
    with pytest.raises(ModelFileError, match="some-other-text-model"):
        NudgeEncoder(heads_path, load_audio=False)
    (tmp_path / paths.TEXT_ONNX_FILE).write_bytes(b"not a model")
    with pytest.raises(ModelFileError, match="cannot load the text model"):
        NudgeEncoder(heads_path, load_audio=False)


def test_yamnet_input_quantization_is_read_once_then_kept_beside_the_model(tmp_path: Path) -> None:
    import json
    import shutil

    from model.yamnet import YamnetBackbone, prepared_model_path

    model = Path(shutil.copy(prepared_model_path(), tmp_path / "yamnet_batched.onnx"))
    sidecar = tmp_path / "yamnet_batched.quant.json"
    params = YamnetBackbone._quantization_params(model)  # from the graph (imports onnx)
    assert set(params) == {"audio_scale", "audio_zero_point"} and params["audio_scale"] > 0
    assert json.loads(sidecar.read_text()) == params
    sidecar.write_text(json.dumps({"audio_scale": 1.0, "audio_zero_point": 2.0}))
    assert YamnetBackbone._quantization_params(model) == {"audio_scale": 1.0, "audio_zero_point": 2.0}
    sidecar.write_text("{not json")  # damaged: read from the graph again and rewritten
    assert YamnetBackbone._quantization_params(model) == params and json.loads(sidecar.read_text()) == params
