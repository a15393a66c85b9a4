"""model.class_term: the heads' event classifier as reranking evidence (a sound the words add rising, one they
remove falling, another sound arriving held against a result), and its settings in the reranker's file."""

from __future__ import annotations

import json

import numpy as np
import pytest

from model.aligned_rerank import FEATURES, AlignedReranker, RerankFileError
from model.class_term import EMBED_NORM, ClassTerm, class_term_for
from model.edits import ADD, KINDS, LOUDER, REMOVE, Edit

NAMES = ("rain", "dog", "door")
D = 4


def unit(*values: float) -> np.ndarray:
    v = np.array(values, dtype=np.float64)
    return v / np.linalg.norm(v)


def term(named: float = 1.0, other: float = 0.0) -> ClassTerm:
    rows = np.eye(len(NAMES), D)  # class j reads the vector's j-th entry
    return ClassTerm.from_heads(NAMES, rows, {"named": named, "other": other})


QUERY = unit(1, 0, 0, 1)  # rain
WITH_DOG = unit(1, 1, 0, 1)
WITH_DOOR = unit(1, 0, 1, 1)


def test_the_sound_the_words_add_rising_is_evidence_and_removing_it_the_reverse() -> None:
    cands = np.stack([WITH_DOG, WITH_DOOR, QUERY])
    add = term().evidence([Edit(ADD, "dog")], QUERY, cands)
    assert add[0] > 0 and add[0] == add.max()
    assert add[0] == pytest.approx(EMBED_NORM * (WITH_DOG[1] - QUERY[1]))
    removed = term().evidence([Edit(REMOVE, "dog")], WITH_DOG, np.stack([QUERY, WITH_DOG]))
    assert removed[0] > 0 and removed[1] == 0.0


def test_another_sound_arriving_is_held_against_a_result() -> None:
    cands = np.stack([WITH_DOG, WITH_DOOR])
    plain = term(named=0.0, other=1.0).evidence([Edit(ADD, "door")], QUERY, cands)
    assert plain[0] < 0 and plain[1] == pytest.approx(0.0, abs=1e-12)  # a dog arriving is no door
    # a pronoun or a sound the classifier was not trained on leaves the sounds meant unknown: nothing held
    assert not term(0.0, 1.0).evidence([Edit(LOUDER, None, is_main=True)], QUERY, cands).any()
    assert not term(0.0, 1.0).evidence([Edit(ADD, "siren")], QUERY, cands).any()


def test_unreadable_vectors_and_no_edits_give_nothing() -> None:
    cands = np.stack([WITH_DOG, np.full(D, np.nan)])
    out = term(1.0, 1.0).evidence([Edit(ADD, "dog")], QUERY, cands)
    assert np.isfinite(out).all() and out[1] == 0.0
    assert not term().evidence([], QUERY, cands).any()


@pytest.mark.parametrize("rows, settings", [
    (np.eye(2, D), {"named": 1.0}),  # fewer rows than names
    (np.eye(3, D), {"named": -1.0}),
    (np.eye(3, D), {"other": float("nan")}),
])
def test_settings_that_do_not_fit_are_refused(rows, settings) -> None:
    with pytest.raises(ValueError):
        ClassTerm.from_heads(NAMES, rows, settings)


class _Heads:
    class_names = list(NAMES)
    classifier = np.eye(len(NAMES), D)


def test_a_reranker_file_names_its_class_term(tmp_path) -> None:
    plain = AlignedReranker(np.zeros((len(KINDS), len(FEATURES))), 20, 0.05, "")
    assert class_term_for(plain, _Heads()) is None
    with_term = AlignedReranker(plain.weights, 20, 0.05, "", class_term=(0.2, 0.1))
    with_term.to_file(tmp_path / "t.json")
    loaded = AlignedReranker.from_file(tmp_path / "t.json")
    assert loaded.class_term == (0.2, 0.1)
    found = class_term_for(loaded, _Heads())
    assert found is not None and (found.named, found.other) == (0.2, 0.1)

    class NoClassifier(_Heads):
        classifier = None

    assert class_term_for(loaded, NoClassifier()) is None
    plain.to_file(tmp_path / "p.json")
    assert "class_term" not in json.loads((tmp_path / "p.json").read_text())


@pytest.mark.parametrize("value", [{"named": -0.1, "other": 0.0}, {"named": 0.1}, "x"])
def test_a_bad_class_term_in_the_file_is_refused(tmp_path, value) -> None:
    AlignedReranker(np.zeros((len(KINDS), len(FEATURES))), 20, 0.05, "").to_file(tmp_path / "w.json")
    data = json.loads((tmp_path / "w.json").read_text())
    data["class_term"] = value
    (tmp_path / "w.json").write_text(json.dumps(data))
    with pytest.raises(RerankFileError):
        AlignedReranker.from_file(tmp_path / "w.json")


def test_classifier_presence_reads_the_logit_with_its_bias() -> None:
    from model.class_term import classifier_presence

    class Heads(_Heads):
        classifier_bias = np.array([0.0, -EMBED_NORM / 2, 0.0])

    p = classifier_presence(Heads(), np.stack([WITH_DOG, QUERY]), "dog")
    assert p[0] > 0.5 > p[1]  # the dog clip's logit clears the bias, the rain clip's does not
    assert classifier_presence(Heads(), np.stack([QUERY]), "siren") is None
    assert classifier_presence(_Heads(), np.stack([QUERY]), "dog") is None  # no bias kept: no probability
