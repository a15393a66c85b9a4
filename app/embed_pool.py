"""Frozen-feature extraction for many files: a small process pool with a bounded window of work.

Each worker builds its own single-threaded YAMNet once and returns the 1040-d frozen features
(or the error) per file; projecting them with the heads is cheap and happens in the caller.
Workers decode one file at a time, so memory stays bounded whatever the library size.

Nothing one file does stops an import: a file that takes longer than the decode timeout is
stopped in the worker (SIGALRM) or, if it does not return to Python, its worker is killed; a
worker that dies (a crashing decoder, the OOM killer) breaks the pool, which is restarted, and the
files that were in flight are decoded again one at a time, so the file that kills a worker again
is recorded as failed and the rest are imported. Workers exit when the importing process dies.
"""

from __future__ import annotations

import itertools
import logging
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from app.errors import describe_path
from model.class_scores import CLASS_COUNT
from model.yamnet_graph import GRAPH_VERSION

if TYPE_CHECKING:  # a type only: worker processes do not load model.aligned_rerank for it
    from model.aligned_rerank import PatchEvidence

log = logging.getLogger(__name__)
DECODE_TIMEOUT = 300.0  # seconds per file: a 1-hour file decodes in about 10 s on one core


class DecodeTimeout(BaseException):
    """Raised in a worker when one file takes longer than the decode timeout (a BaseException, so that
    no ``except Exception`` on the way swallows it and lets the file run on untimed)."""


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
    windows: np.ndarray | None = None  # (W, F) features of the file's windows (model.segments); None or W = 0
    warning: str | None = None  # imported, but the user should know (a file cut short or damaged part-way)
    tail_start: float = 0.0  # start (s) of the last window (the others start every WINDOW_HOP_SECONDS)
    classes: np.ndarray | None = None  # (1 + W, 521) uint8 class maxima of the file, then its windows
    evidence: PatchEvidence | None = None  # a short file's per-patch evidence for the reranking (app.db_evidence)

    def class_rows(self, rows: int) -> np.ndarray:
        """The class rows of this result's block of ``rows`` rows (all zeros, "no class scores", when it came
        without them)."""
        if self.classes is not None and self.classes.shape == (rows, CLASS_COUNT):
            return self.classes
        return np.zeros((rows, CLASS_COUNT), dtype=np.uint8)


def extract_one(extractor, path: str) -> Extracted:
    """Never raises for a bad file: any failure becomes the file's error message."""
    started = time.process_time()
    try:
        result = _extract(extractor, path)
    except DecodeTimeout as exc:
        result = Extracted(path, None, f"{describe_path(path)}: decoding stopped after {exc} s (too slow)")
    result.cpu_seconds = time.process_time() - started
    return result


def read_header(result: Extracted) -> Extracted:
    """A file's metadata and header (duration, rate, channels) into ``result``; never raises (an
    unreadable header stays unknown: decoding reports why)."""
    from app.metadata import read_metadata
    from model.audio_io import audio_info

    result.meta = read_metadata(result.path)
    if _is_empty(result.path):
        return result
    try:
        info = audio_info(result.path)
        result.duration = float(info.duration)
        result.sample_rate, result.channels = int(info.samplerate), int(info.channels)
    except Exception:  # noqa: BLE001 - the header is optional
        pass
    return result


def _is_empty(path: str) -> bool:
    try:
        return os.path.isfile(path) and os.path.getsize(path) == 0
    except OSError:  # gone since: decoding reports it
        return False


def _extract(extractor, path: str) -> Extracted:
    from model.audio_io import take_damage
    from model.errors import AudioDecodeError
    from model.wav_header import cut_short_note

    take_damage()  # a note left by an earlier file is not this one's
    result = read_header(Extracted(path, None))
    if _is_empty(path):
        result.error = f"{describe_path(path)} is empty (0 bytes)"
        return result
    try:
        segmented = getattr(extractor, "segments_from_file", None)
        if segmented is not None:
            seg = segmented(path)
            result.features, result.tail_start = np.asarray(seg.whole, dtype=np.float32), seg.tail_start
            result.windows = np.asarray(seg.windows, dtype=np.float32)
            result.classes, result.evidence = seg.classes, seg.evidence
        else:  # an extractor of whole-file features only (tests)
            result.features = np.asarray(extractor.from_file(path), dtype=np.float32)
        windows_finite = result.windows is None or np.all(np.isfinite(result.windows))
        if not (np.all(np.isfinite(result.features)) and windows_finite):
            result.features, result.windows = None, None
            result.error = f"{describe_path(path)}: audio produced non-finite features"
    except AudioDecodeError as exc:
        result.error = str(exc)
    except MemoryError:
        result.error = f"{describe_path(path)}: out of memory while decoding"
    except Exception as exc:  # noqa: BLE001 - one odd file must never stop an import
        result.error = f"{describe_path(path)}: unexpected {type(exc).__name__}: {exc}"
    damaged, kept = take_damage()
    if result.error is None:
        result.warning = cut_short_note(path, describe_path(path)) or damaged
        if damaged is not None and kept is not None:
            result.duration = kept  # the header's length is not the file's
    return result


# worker process side -------------------------------------------------------------------------
_extractor = None
_timeout = DECODE_TIMEOUT


def _process_gone(pid: int, start_time: str | None) -> bool:
    """The process is dead: gone, a zombie (killed but not yet reaped), or its pid reused."""
    try:
        fields = _proc_stat(pid)
    except FileNotFoundError:
        return True
    except OSError:  # no /proc (macOS): signal 0 tells whether the pid exists
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            pass
        return False
    return fields[0] in ("Z", "X") or (start_time is not None and fields[19] != start_time)


def _proc_stat(pid: int) -> list[str]:
    """The fields of /proc/<pid>/stat after the command name (OSError without /proc)."""
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().rsplit(")", 1)[1].split()


def _start_time(pid: int) -> str | None:
    try:
        return _proc_stat(pid)[19]
    except OSError:
        return None


def _watch_parent(importer: int) -> None:
    """Exit when the importing process dies (e.g. kill -9, even while it is an unreaped zombie) or when
    our own parent (the forkserver, or the importer with spawn) goes, instead of lingering as an orphan."""
    parent, started = os.getppid(), _start_time(importer)
    while True:
        time.sleep(0.25)
        if os.getppid() != parent or _process_gone(importer, started):
            os._exit(0)


def _on_alarm(signum, frame) -> None:
    raise DecodeTimeout(f"{_timeout:g}")


def _init_worker(importer: int, timeout: float, audio_graph: str) -> None:
    global _extractor, _timeout
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the importer's business (it cancels)
    _timeout = timeout
    if hasattr(signal, "setitimer"):  # POSIX; elsewhere only the caller's stall limit applies
        signal.signal(signal.SIGALRM, _on_alarm)
    threading.Thread(target=_watch_parent, args=(importer,), daemon=True).start()
    from model.audio_features import AudioFeatureExtractor
    from model.yamnet import YamnetBackbone

    _extractor = AudioFeatureExtractor(backbone=YamnetBackbone(threads=1, arithmetic=audio_graph))


def _extract_batch(paths: list[str]) -> list[Extracted]:
    timer = hasattr(signal, "setitimer")
    out = []
    for path in paths:
        if timer:
            signal.setitimer(signal.ITIMER_REAL, _timeout)  # DecodeTimeout if this file takes too long
        try:
            out.append(extract_one(_extractor, path))
        finally:
            if timer:
                signal.setitimer(signal.ITIMER_REAL, 0)
    return out


# caller side ---------------------------------------------------------------------------------
def _start_method() -> str:
    # fork after torch/onnxruntime have started threads can deadlock; forkserver is fork-safe and
    # starts faster than spawn. Windows and macOS only offer spawn (macOS defaults to it).
    methods = multiprocessing.get_all_start_methods()
    return "forkserver" if "forkserver" in methods else "spawn"


class FeaturePool:
    """Process pool mapping paths to Extracted, with at most ``window`` batches in flight.

    ``task`` (a module-level function, paths -> list[Extracted]) runs in the workers; tests replace it."""

    def __init__(self, workers: int = 2, batch: int = 4, window: int | None = None,
                 timeout: float = DECODE_TIMEOUT, task: Callable[[list[str]], list[Extracted]] = _extract_batch,
                 stall_grace: float = 30.0, audio_graph: str = GRAPH_VERSION):
        self.workers = max(1, workers)
        self.audio_graph = audio_graph  # the YAMNet graph of the heads (NudgeEncoder.audio_graph)
        self.batch = batch
        self.window = window or 2 * self.workers
        self.timeout = timeout
        self.task = task
        self.stall_limit = timeout * batch + stall_grace  # no batch finished for this long: a worker hangs
        self.restarts = 0
        self._executor = self._start()

    def _start(self) -> ProcessPoolExecutor:
        # single-threaded numerics in the workers: two processes already fill two cores
        env = {k: "1" for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")}
        env["ORT_DISABLE_TELEMETRY"] = "1"  # offline, also before the workers import the model package
        saved = {k: os.environ.get(k) for k in env}
        os.environ.update(env)
        try:
            context = multiprocessing.get_context(_start_method())
            executor = ProcessPoolExecutor(
                self.workers, mp_context=context, initializer=_init_worker,
                initargs=(os.getpid(), self.timeout, self.audio_graph)
            )
            # start the workers now, while the environment is set (the executor spawns lazily)
            executor.submit(self.task, []).result()
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
        return executor

    def _restart(self) -> None:
        self._kill_workers()
        self._executor.shutdown(wait=True, cancel_futures=True)
        self.restarts += 1
        self._executor = self._start()

    def _kill_workers(self) -> None:
        for process in list((getattr(self._executor, "_processes", None) or {}).values()):
            if process.is_alive():
                process.kill()

    def map(self, paths: Iterable[str], cancel: threading.Event | None = None) -> Iterator[Extracted]:
        """Yield results as batches complete (not in input order); stops submitting on cancel.

        After a worker dies (or hangs past the timeout and is killed), the files that were in flight are
        suspects: they run again one at a time, alone in the pool, and the one that breaks it again is
        yielded as failed."""
        source = iter(paths)
        pending: dict[Future, list[str]] = {}
        suspects: list[str] = []
        solo: list[Future] = []  # the future of a suspect running alone
        stall_limit = self.stall_limit
        timed_out = False

        def fill() -> None:
            while not (cancel is not None and cancel.is_set()):
                if suspects:
                    if pending:
                        return  # a suspect runs alone, so a crash points at it
                    batch = [suspects.pop(0)]
                elif len(pending) < self.window:
                    batch = list(itertools.islice(source, self.batch))
                    if not batch:
                        return
                else:
                    return
                future = self._executor.submit(self.task, batch)
                pending[future] = batch
                solo[:] = [future] if len(pending) == 1 and len(batch) == 1 else []

        fill()
        last_done = time.monotonic()
        while pending:
            done, _ = wait(pending, timeout=1.0, return_when=FIRST_COMPLETED)
            if not done:
                if time.monotonic() - last_done > stall_limit:
                    log.warning("no file finished for %.0f s: stopping the workers", stall_limit)
                    timed_out = True
                    self._kill_workers()  # the pending futures fail with BrokenProcessPool
                continue
            broken = False
            for future in done:
                batch = pending.pop(future)
                try:
                    results = future.result()
                except BrokenProcessPool:
                    broken = True
                    if future in solo:  # it ran alone: this file broke the worker
                        why = (f"decoding did not finish in {stall_limit:.0f} s" if timed_out
                               else "decoding crashed the worker process")
                        yield Extracted(batch[0], None, f"{describe_path(batch[0])}: {why} (the file is probably "
                                                          "damaged)")
                    else:
                        suspects.extend(batch)
                    continue
                except (Exception, DecodeTimeout) as exc:  # noqa: BLE001 - e.g. a result that cannot be pickled
                    results = [Extracted(p, None, f"{describe_path(p)}: unexpected {type(exc).__name__}: {exc}")
                               for p in batch]
                last_done = time.monotonic()
                yield from results
            if broken:
                for batch in pending.values():  # every future in flight fails with the pool
                    suspects.extend(batch)
                pending.clear()
                log.warning("a worker process died: restarting the pool; %d files are retried one by one",
                            len(suspects))
                timed_out = False
                self._restart()
                last_done = time.monotonic()
            if cancel is not None and cancel.is_set():
                break
            fill()
        for future in pending:
            future.cancel()

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> FeaturePool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def extract_all(
    paths: list[str], workers: int, extractor=None, cancel: threading.Event | None = None,
    timeout: float = DECODE_TIMEOUT, audio_graph: str = GRAPH_VERSION,
) -> Iterator[Extracted]:
    """Extract features for many files: in this process with ``extractor`` when workers == 0, else in worker
    processes running the YAMNet graph ``audio_graph`` (the extractor's, NudgeEncoder.audio_graph)."""
    if workers <= 0:
        if extractor is None:
            raise ValueError("in-process extraction needs an extractor")
        for path in paths:
            if cancel is not None and cancel.is_set():
                return
            yield extract_one(extractor, path)
        return
    with FeaturePool(workers, timeout=timeout, audio_graph=audio_graph) as pool:
        yield from pool.map(paths, cancel)
