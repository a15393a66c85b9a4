"""`main.py evaluate`'s extraction: each file's frozen features and YAMNet class maxima, in a pool for many files."""

from __future__ import annotations

import threading
from collections.abc import Callable

import numpy as np

from app.embed_pool import Extracted, extract_all
from app.errors import LibraryError
from model.class_scores import CLASS_COUNT


def extract_with_classes(files: list[str], encoder, workers: int, progress: Callable[[int, int], None] | None,
                         cancel: threading.Event | None
                         ) -> tuple[dict[str, np.ndarray], dict[str, str], dict[str, np.ndarray]]:
    """Frozen features of each file (a pool for 8 or more), the error of each file that failed, and each file's
    YAMNet class maxima (files without them left out)."""
    done, errors = extract_results(files, encoder, workers, progress, cancel)
    classes = {path: result.classes[0] for path, result in done.items()
               if result.classes is not None and len(result.classes)}
    return {path: result.features for path, result in done.items()}, errors, classes


def gallery_class_maxima(files: list[str], classes: dict[str, np.ndarray]) -> np.ndarray:
    """(G, 521) uint8 class maxima of these gallery files (zeros, "none", for a file without them)."""
    out = np.zeros((len(files), CLASS_COUNT), dtype=np.uint8)
    for i, name in enumerate(files):
        if name in classes:
            out[i] = classes[name]
    return out


def extract_results(files: list[str], encoder, workers: int, progress: Callable[[int, int], None] | None,
                    cancel: threading.Event | None) -> tuple[dict[str, Extracted], dict[str, str]]:
    """Each file's extraction result (features, windows, header; a pool for 8 or more files), and the error of
    each file that failed; LibraryError when cancelled."""
    done_files: dict[str, Extracted] = {}
    errors: dict[str, str] = {}
    use_pool = workers if len(files) >= 8 else 0
    extractor = encoder.features if use_pool == 0 else None
    results = extract_all(files, use_pool, extractor, cancel, audio_graph=encoder.audio_graph)
    for done, result in enumerate(results, 1):
        if result.features is not None:
            done_files[result.path] = result
        else:
            errors[result.path] = result.error or "failed"
        if progress is not None:
            progress(done, len(files))
    if cancel is not None and cancel.is_set():
        raise LibraryError("evaluation cancelled")
    return done_files, errors
