"""training.arithmetic_label_probe: label accuracy of stored YAMNet scores, never from the same recording."""

from __future__ import annotations

import numpy as np

from training.arithmetic_label_probe import grouped_probe, nearest_other_source


def test_the_nearest_file_is_never_of_the_same_source_recording() -> None:
    # two files per recording, identical features within a recording, labels alternate across recordings
    features = np.repeat(np.eye(4), 2, axis=0) + 0.01 * np.arange(8)[:, None]
    groups = np.repeat(np.array(["g0", "g1", "g2", "g3"]), 2)
    labels = np.repeat(np.array(["dog", "cat", "dog", "cat"]), 2)
    # a same-recording neighbour would always be right; other recordings are orthogonal (ties -> first)
    assert nearest_other_source(features, labels, groups) < 1.0


def test_informative_scores_beat_noise() -> None:
    rng = np.random.default_rng(0)
    labels = np.repeat(np.array(["dog", "cat", "rain"]), 20)
    groups = np.array([f"g{i // 2}" for i in range(60)])
    centres = {"dog": 0, "cat": 1, "rain": 2}
    informative = rng.normal(0, 0.3, (60, 6))
    informative[np.arange(60), [centres[x] for x in labels]] += 3.0
    noise = rng.normal(0, 1.0, (60, 6))
    assert nearest_other_source(informative, labels, groups) > 0.9 > nearest_other_source(noise, labels, groups)
    assert grouped_probe(informative, labels, groups) > 0.9 > grouped_probe(noise, labels, groups)
