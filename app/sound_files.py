"""SoundFiles: the service's calls about sound files themselves and the demo, for the GUI (which never opens
files or imports app.demo itself): waveform peaks, header details, streamed playback, region export and
drag-out, microphone takes, the demo library and its example modifiers. A mixin of SearchService (it uses
``self.db`` and ``self.data_dir``)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from app.demo import DemoStatus
from app.errors import QueryFileError
from app.export import drag_region_file, export_region
from app.peaks import cached_peaks, compute_peaks
from app.playback import PlaybackStream
from model.audio_io import audio_info
from model.errors import AudioDecodeError


@dataclass(frozen=True)
class AudioDetails:
    duration: float
    sample_rate: int
    channels: int


def guarded(method: Callable) -> Callable:
    """SQLite failures of a service call become LibraryError messages (see LibraryDB.guard)."""

    @functools.wraps(method)
    def call(self, *args, **kwargs):
        with self.db.guard():
            return method(self, *args, **kwargs)

    return call


class SoundFiles:
    def save_take(self, samples: np.ndarray, sample_rate: int, start: float = 0.0, end: float | None = None) -> Path:
        """A microphone take, trimmed to [start, end] seconds, saved under the data dir's recordings/ folder
        (usable as a query like any file); returns its path."""
        from app.recording import save_take, trim

        end = len(samples) / sample_rate if end is None else end
        return save_take(trim(samples, sample_rate, start, end), sample_rate, self.data_dir / "recordings")

    def take_bounds(self, samples: np.ndarray, sample_rate: int) -> tuple[float, float]:
        """Where the sound is in a take (silence at both ends trimmed), in seconds."""
        from app.recording import sound_bounds

        return sound_bounds(samples, sample_rate)

    @guarded
    def waveform_peaks(self, path: Path, n_bins: int = 800, start: float = 0.0, end: float | None = None
                       ) -> np.ndarray:
        """(n_bins, 2) min/max in [-1, 1] of any readable audio file (cached), or of its ``start``-``end`` seconds
        (the detail of a zoomed view, not cached); QueryFileError if unreadable."""
        if start > 0 or end is not None:
            return compute_peaks(path, n_bins, start, end)
        return cached_peaks(self.db, path, n_bins)

    @staticmethod
    def audio_details(path: Path) -> AudioDetails:
        """Duration, rate and channels from the file's header (any file name); QueryFileError if unreadable."""
        try:
            info = audio_info(path)
        except AudioDecodeError as exc:
            raise QueryFileError(str(exc)) from exc
        return AudioDetails(info.duration, info.samplerate, info.channels)

    @staticmethod
    def playback_stream(path: Path, start: float = 0.0, end: float | None = None, rate: int | None = None,
                        channels: int | None = None) -> PlaybackStream:
        """The file from ``start`` to ``end`` seconds (None: its end) streamed for the player, any length (a
        reader thread decodes ahead; ``begin()`` starts it, ``read(frames)`` pulls), at ``rate`` Hz (None:
        the file's own) with at most ``channels`` channels. QueryFileError if the file cannot be read."""
        try:
            return PlaybackStream(path, start, end, rate, channels)
        except AudioDecodeError as exc:
            raise QueryFileError(str(exc)) from exc

    @staticmethod
    def export_region(path: Path, start: float, end: float | None, dest: Path) -> Path:
        """Write ``start``-``end`` seconds of the file (None: to its end) as a new WAV in the folder ``dest``: the
        file's own sample rate and channels, its bit depth or float kept, 5 ms fades where the range cuts the
        sound; a taken name gets -2, -3 (never overwritten). Returns the new file (app.export.export_region)."""
        return export_region(Path(path), start, end, Path(dest))

    def region_drag_file(self, path: Path, start: float, end: float | None) -> Path:
        """The range as a WAV file to drag out to a DAW (export_region into the data dir's drag/ folder; a
        repeated drag of the same range reuses it, files older than a week are removed)."""
        return drag_region_file(Path(path), start, end, self.data_dir / "drag")

    def install_demo_library(self) -> DemoStatus:
        """Add the bundled demo folder to the library (indexed from its shipped vectors when they fit)."""
        from app.demo import ensure_demo_library

        return ensure_demo_library(self)

    @staticmethod
    def demo_folder() -> Path:
        """The bundled demo library's folder."""
        from app.demo import DEMO_DIR

        return DEMO_DIR

    def demo_beside_yours(self) -> tuple[Path, int] | None:
        """The bundled demo folder and its file count when it is a library folder beside folders of the user's own
        (its synthetic clips then fill the first results of rain and traffic queries: a trial); else None."""
        from app.demo import DEMO_DIR

        folders = self.folders()
        demo = next((f for f in folders if f.resolve() == DEMO_DIR.resolve()), None)
        if demo is None or len(folders) < 2:
            return None
        return demo, self.files_under(demo)

    @staticmethod
    def example_modifiers() -> tuple[str, ...]:
        """Modifiers shown as examples in the modifier box."""
        from app.demo import EXAMPLE_TEXTS

        return EXAMPLE_TEXTS

    @staticmethod
    def suggested_modifiers(query: Path) -> list[str]:
        """Modifiers worth trying on this query (the demo pairs that start from it; empty outside the demo)."""
        from app.demo import demo_suggestions

        return demo_suggestions(query)
