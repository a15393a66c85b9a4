"""Worker tasks for the pool tests: module-level so the worker processes can import them."""

from __future__ import annotations

import os
import signal
import time

import numpy as np

from app import embed_pool


class MarkerExtractor:
    """Features from the file name; names with 'hang' sleep (interruptible), 'stuck' block the timeout signal."""

    def from_file(self, path: str) -> np.ndarray:
        name = os.path.basename(path)
        if "crash" in name:
            os._exit(3)  # as a segfaulting decoder would: no exception, the process is gone
        if "stuck" in name:
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})  # like a C loop that never returns
            time.sleep(600)
        if "hang" in name:
            time.sleep(600)
        return np.full(4, float(len(name)), dtype=np.float32)


def marker_batch(paths: list[str]) -> list[embed_pool.Extracted]:
    """The real per-file loop (with its timeout) over the marker extractor."""
    embed_pool._extractor = MarkerExtractor()
    return embed_pool._extract_batch(paths)


def environment(paths: list[str]) -> list[embed_pool.Extracted]:
    """Reports the worker's ORT_DISABLE_TELEMETRY as the error text."""
    return [embed_pool.Extracted(p, None, os.environ.get("ORT_DISABLE_TELEMETRY")) for p in paths]
