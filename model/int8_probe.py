"""Does this CPU add onnxruntime's uint8 x int8 products exactly? A one-conv probe graph says.

CPUs with VNNI add them exactly; x86 CPUs without it add pairs with int16 saturation (model.yamnet_graph).
The probe is the YAMNet pattern in small (QDQ 1x1 conv, int8 weights, float bias, fused by onnxruntime
into QLinearConv): 64 input channels of code 255 against weights of 127 sum to 2,072,640 exactly and
to 32 x 32,767 = 1,048,544 saturated; the output code (scale 16,384) is 127 or 64.
"""

from __future__ import annotations

import os
import tempfile
from functools import cache
from pathlib import Path

import numpy as np

_CHANNELS = 64
_OUTPUT_SCALE = 16384.0
_EXACT_CODE = 127  # rint(64 * 255 * 127 / 16384 = 126.5); saturated pairs give 64


def write_probe(path: Path) -> None:
    """Write the probe graph to ``path`` (atomically: a half-written probe is never read)."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    def const(name: str, value: np.ndarray):
        return numpy_helper.from_array(value, name)

    inits = [
        const("one", np.array(1.0, np.float32)), const("u8_zero", np.array(0, np.uint8)),
        const("s8_zero", np.array(0, np.int8)), const("out_scale", np.array(_OUTPUT_SCALE, np.float32)),
        const("weights", np.full((16, _CHANNELS, 1, 1), 127.0, np.float32)),
        const("bias", np.zeros(16, np.float32)),
    ]
    nodes = [
        helper.make_node("DequantizeLinear", ["x", "one", "u8_zero"], ["x_float"]),
        helper.make_node("QuantizeLinear", ["weights", "one", "s8_zero"], ["weights_q"]),
        helper.make_node("DequantizeLinear", ["weights_q", "one", "s8_zero"], ["weights_float"]),
        helper.make_node("Conv", ["x_float", "weights_float", "bias"], ["sums"], kernel_shape=[1, 1]),
        helper.make_node("QuantizeLinear", ["sums", "out_scale", "u8_zero"], ["y"]),
    ]
    graph = helper.make_graph(
        nodes, "int8_probe", [helper.make_tensor_value_info("x", TensorProto.UINT8, [1, _CHANNELS, 4, 4])],
        [helper.make_tensor_value_info("y", TensorProto.UINT8, [1, 16, 4, 4])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 20)])
    model.ir_version = 10
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".onnx.tmp")
    os.close(fd)
    onnx.save(model, tmp)
    os.replace(tmp, path)


@cache
def int8_sums_are_exact(path: Path) -> bool:
    """Run the probe at ``path`` with onnxruntime's default (fusing) optimizations."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.log_severity_level = 3
    session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    codes = session.run(["y"], {"x": np.full((1, _CHANNELS, 4, 4), 255, np.uint8)})[0]
    return bool(np.all(codes == _EXACT_CODE))
