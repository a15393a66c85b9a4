"""The exact-arithmetic diagnostic's reading, fixed before its figures (MODEL_CARD)."""

from __future__ import annotations

import numpy as np

from training.exact_diag_tables import COLUMNS, reading


def table(v2: dict[str, list[float]], release1: dict[str, float]) -> dict[str, dict[str, np.ndarray]]:
    out = {}
    for arith in ("pairsat1", "exact"):
        cols = {label: np.full(3, 0.3) for label, *_ in COLUMNS}
        cols["v2 val R@1"] = np.array(v2[arith])
        cols["first-release val R@1 rain"] = cols["first-release val R@1 traffic"] = np.full(3, release1[arith])
        out[arith] = cols
    return out


def test_a_lever_needs_a_gain_beyond_the_seed_spread_and_no_loss_elsewhere() -> None:
    steady = {"pairsat1": [0.25, 0.25, 0.25], "exact": [0.28, 0.28, 0.28]}
    assert reading(table(steady, {"pairsat1": 0.3, "exact": 0.3}))[0].startswith("exact is a lever")
    small = {"pairsat1": [0.25, 0.25, 0.25], "exact": [0.255, 0.26, 0.255]}  # under the 0.01 floor of the margin
    assert reading(table(small, {"pairsat1": 0.3, "exact": 0.3}))[0].startswith("no clear gain")
    noisy = {"pairsat1": [0.20, 0.25, 0.30], "exact": [0.26, 0.28, 0.30]}  # +0.03 within 2 x std (0.041)
    verdict, margin = reading(table(noisy, {"pairsat1": 0.3, "exact": 0.3}))
    assert verdict.startswith("no clear gain") and margin > 0.08
    assert reading(table(steady, {"pairsat1": 0.3, "exact": 0.25}))[0].startswith("no clear gain")  # costs r1
