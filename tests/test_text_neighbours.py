"""Unknown sound words that AudioSet and spelling leave alone get their nearest known sounds from the text model."""

from __future__ import annotations

import numpy as np

from model.sound_vocab import VOCAB
from model.text_neighbours import MIN_COSINE, TextNeighbours

NAMES = [name for c in VOCAB for name in c.names]


def _fake_encode(near: dict[str, list[tuple[str, float]]]):
    """Every known name its own axis; a word's vector has the given cosines to the named axes."""
    axis = {f"the sound of {n}": i for i, n in enumerate(NAMES)}

    def encode(texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), len(NAMES) + 1), dtype=np.float32)
        for row, text in enumerate(texts):
            if text in axis:
                out[row, axis[text]] = 1.0
                continue
            for name, cos in near.get(text.removeprefix("the sound of "), []):
                out[row, NAMES.index(name)] = cos
            out[row, -1] = np.sqrt(max(0.0, 1.0 - float((out[row] ** 2).sum())))
        return out

    return encode


def test_neighbours_within_the_margin_of_the_best_and_above_the_floor():
    encode = _fake_encode({"hawk": [("birds", 0.6), ("crow", 0.57), ("owl", 0.5)],
                           "kazoo": [("helicopter", MIN_COSINE - 0.02)]})
    hawk, kazoo, nothing = TextNeighbours(encode).nearest(["hawk", "kazoo", "zzz"])
    assert hawk == [] and kazoo == [] and nothing == []  # 0.6 is under the floor: no suggestion
    encode = _fake_encode({"hawk": [("birds", 0.72), ("crow", 0.69)], "eagle": [("birds", 0.74), ("owl", 0.6)]})
    assert TextNeighbours(encode).nearest(["hawk", "eagle"]) == [["chirping_birds", "crow"], ["chirping_birds"]]
    assert TextNeighbours(encode).nearest([]) == []


def test_the_text_model_relates_animals_and_instruments_it_has_no_class_for(encoder):
    neighbours = TextNeighbours(encoder.encode_words)
    hawk, parrot, violin, kazoo = neighbours.nearest(["hawk", "parrot", "violin", "kazoo"])
    assert hawk[0] == "chirping_birds" and parrot[0] == "chirping_birds"
    assert violin == ["music"]
    assert kazoo == []  # near nothing: better no suggestion than a helicopter


def test_the_service_suggests_them_once_the_model_is_loaded(tmp_path, encoder):
    from tests.ui_support import make_service

    svc = make_service(tmp_path, encoder)
    try:
        hawk = svc.read_modifier("add a hawk").unknown[0]
        assert hawk.nearest_known[0] == "chirping_birds"
        assert hawk.message().startswith("hawk: not a sound Nudge knows; nearest known: birds")
        assert svc.with_known_sound("add a hawk and more rain", 0, 0) == "add birds and more rain"  # no "a birds"
        guitar = svc.read_modifier("add a guitar").unknown[0]
        assert guitar.nearest_known == ["music"]  # found through AudioSet, as before
        assert svc.read_modifier("without the tail").unknown[0].nearest_known == []  # an effect: no neighbours
    finally:
        svc.close()


def test_a_real_word_is_no_misspelling_of_a_sound():
    from model.modifier_parser import parse_modifier

    grass = parse_modifier("add grass").unknown[0]
    assert grass.audioset == [] and grass.nearest_known == []  # not "Glass", not glass breaking
    xylofone = parse_modifier("add a xylofone").unknown[0]  # a misspelling still finds its AudioSet class
    assert xylofone.audioset == ["Marimba, xylophone"]
