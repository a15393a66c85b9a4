"""Frozen-feature extraction for many files: a small process pool with a bounded window of work.

Each worker builds its own single-threaded YAMNet once and returns the 1040-d frozen features
(or the error) per file; projecting them with the heads is cheap and happens in the caller.
Workers decode one file at a time, so memory stays bounded whatever the library size.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from typing import Any

import numpy as np

from app.errors import describe_path


@dataclass
class Extracted:
    """Outcome for one file: features, or the reason there are none. Header info when readable."""

    path: str
    features: np.ndarray | None
    error: str | None = None
    duration: float | None = None
    sample_rate: int | None = None
    channels: int | None = None
    cpu_seconds: float = 0.0  # CPU time the extraction took (for benchmarks)
    meta: Any = None  # app.metadata.FileMeta: format, tags, BWF/iXML text, UCS fields


def extract_one(extractor, path: str) -> Extracted:
    """Never raises for a bad file: any failure becomes the file's error message."""
    started = time.process_time()
    result = _extract(extractor, path)
    result.cpu_seconds = time.process_time() - started
    return result


def _extract(extractor, path: str) -> Extracted:
    from app.metadata import read_metadata
    from model.audio_io import audio_info
    from model.errors import AudioDecodeError

    result = Extracted(path, None)
    result.meta = read_metadata(path)
    try:
        if os.path.isfile(path) and os.path.getsize(path) == 0:
            result.error = f"{describe_path(path)} is empty (0 bytes)"
            return result
        info = audio_info(path)
        result.duration = float(info.duration)
        result.sample_rate, result.channels = int(info.samplerate), int(info.channels)
    except Exception:  # noqa: BLE001 - from_file below reports why
        pass
    try:
        result.features = np.asarray(extractor.from_file(path), dtype=np.float32)
        if not np.all(np.isfinite(result.features)):
            result.features, result.error = None, f"{describe_path(path)}: audio produced non-finite features"
    except AudioDecodeError as exc:
        result.error = str(exc)
    except MemoryError:
        result.error = f"{describe_path(path)}: out of memory while decoding"
    except Exception as exc:  # noqa: BLE001 - one odd file must never stop an import
        result.error = f"{describe_path(path)}: unexpected {type(exc).__name__}: {exc}"
    return result


# worker process side -------------------------------------------------------------------------
_extractor = None


def _watch_parent(importer: int) -> None:
    """Exit when the importing process dies (e.g. kill -9), instead of lingering as an orphan.

    Our parent is the importer (spawn) or the forkserver, which exits when the importer dies.
    """
    parent = os.getppid()
    while True:
        time.sleep(0.5)
        try:
            os.kill(importer, 0)
        except ProcessLookupError:
            os._exit(0)
        except PermissionError:
            pass  # pid reused by another user's process: the parent check below still applies
        if os.getppid() != parent:
            os._exit(0)


def _init_worker(importer: int) -> None:
    global _extractor
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the importer's business (it cancels)
    threading.Thread(target=_watch_parent, args=(importer,), daemon=True).start()
    from model.audio_features import AudioFeatureExtractor
    from model.yamnet import YamnetBackbone

    _extractor = AudioFeatureExtractor(backbone=YamnetBackbone(threads=1))


def _extract_batch(paths: list[str]) -> list[Extracted]:
    return [extract_one(_extractor, p) for p in paths]


# caller side ---------------------------------------------------------------------------------
def _start_method() -> str:
    # fork after torch/onnxruntime have started threads can deadlock; forkserver is fork-safe and
    # starts faster than spawn. Windows and macOS only offer spawn (macOS defaults to it).
    methods = multiprocessing.get_all_start_methods()
    return "forkserver" if "forkserver" in methods else "spawn"


class FeaturePool:
    """Process pool mapping paths to Extracted, with at most ``window`` batches in flight."""

    def __init__(self, workers: int = 2, batch: int = 4, window: int | None = None):
        self.workers = max(1, workers)
        self.batch = batch
        self.window = window or 2 * self.workers
        # single-threaded numerics in the workers: two processes already fill two cores
        env = {k: "1" for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")}
        saved = {k: os.environ.get(k) for k in env}
        os.environ.update(env)
        try:
            context = multiprocessing.get_context(_start_method())
            self._executor = ProcessPoolExecutor(
                self.workers, mp_context=context, initializer=_init_worker, initargs=(os.getpid(),)
            )
            # start the workers now, while the environment is set (the executor spawns lazily)
            self._executor.submit(_extract_batch, []).result()
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value

    def map(self, paths: Iterable[str], cancel: threading.Event | None = None) -> Iterator[Extracted]:
        """Yield results as batches complete (not in input order); stops submitting on cancel."""
        source = iter(paths)
        pending: set[Future] = set()

        def submit_next() -> bool:
            batch = [p for _, p in zip(range(self.batch), source, strict=False)]
            if batch:
                pending.add(self._executor.submit(_extract_batch, batch))
            return bool(batch)

        while len(pending) < self.window and submit_next():
            pass
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                pending.discard(future)
                yield from future.result()
            if cancel is not None and cancel.is_set():
                break
            while len(pending) < self.window and submit_next():
                pass
        for future in pending:
            future.cancel()

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> FeaturePool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def extract_all(
    paths: list[str], workers: int, extractor=None, cancel: threading.Event | None = None
) -> Iterator[Extracted]:
    """Extract features for many files: in this process with ``extractor`` when workers == 0."""
    if workers <= 0:
        if extractor is None:
            raise ValueError("in-process extraction needs an extractor")
        for path in paths:
            if cancel is not None and cancel.is_set():
                return
            yield extract_one(extractor, path)
        return
    with FeaturePool(workers) as pool:
        yield from pool.map(paths, cancel)
