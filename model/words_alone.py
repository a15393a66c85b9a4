"""Words with no query sound: the sound the words name, on its own.

The heads learned A(a) + T(words) ~ A(a changed as the words say). With a faint room floor as the clip a, the
composed query is the named sound over near-silence, which is what a file holding only that sound lies near: in a
folder of single recordings, "add a car horn" to a traffic or engine clip reaches horn files in few searches (the
query is a mix of both, and no file is), while "car horn" with no query sound does far more often
(bench/bench_alone_query.py; README "Command line"). The floor is synthetic and fixed, so the query depends on the
words and the heads only. The floor's own direction is discounted a little (FLOOR_DISCOUNT), or files that
merely sound like an empty room would rank high for any words.
"""

from __future__ import annotations

import numpy as np

FLOOR_DISCOUNT = 0.1  # the query is unit(q) - this x unit(A(floor)): files that merely sound like an empty room
# (hiss, room tone) rank lower. Chosen on the catalog's val-split folder among 0.1 ... 0.35 and 0.5 ... 1 (the largest
# share of classes with a file in the top 10, then of "add <Y>" searches reaching a Y file; bench_alone_query)
FLOOR_SECONDS = 6.0
FLOOR_DBFS = -50.0  # peak level: far under any recording, above the extractor's silence floor (-100 dBFS)
SAMPLE_RATE = 16000


def floor_signal(seconds: float = FLOOR_SECONDS, dbfs: float = FLOOR_DBFS) -> np.ndarray:
    """Pink noise peaking at ``dbfs``, 16 kHz mono float32, always the same (seed 0): a quiet room with nothing
    in it."""
    n = int(round(SAMPLE_RATE * seconds))
    spectrum = np.fft.rfft(np.random.default_rng(0).standard_normal(n))
    spectrum[1:] /= np.sqrt(np.arange(1, len(spectrum)))  # 1/f power
    spectrum[0] = 0.0
    noise = np.fft.irfft(spectrum, n)
    return (noise / np.abs(noise).max() * 10 ** (dbfs / 20)).astype(np.float32)
