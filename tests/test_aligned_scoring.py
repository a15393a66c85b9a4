"""training.aligned_scoring: the offline benchmarks reorder only the first K, by the reranker's evidence."""

from __future__ import annotations

import numpy as np

from model.aligned_rerank import FEATURES, AlignedReranker, PatchEvidence
from model.class_scores import CLASS_ZERO_POINT, sound_classes
from model.edits import ADD, KINDS, LOUDER, QUIETER, REMOVE, Edit, carried_edits
from training.aligned_scoring import AlignedScorer

PATCHES = 8


def _clip(dog_patches: tuple[int, ...] = ()) -> PatchEvidence:
    classes = np.full((PATCHES, 521), CLASS_ZERO_POINT - 40, dtype=np.uint8)  # every class unlikely
    for p in dog_patches:
        classes[p, sound_classes(["dog"])] = 255
    return PatchEvidence(classes, np.linspace(-6, -2, PATCHES).astype(np.float32))


def _scorer(k: int) -> AlignedScorer:
    weights = np.zeros((len(KINDS), len(FEATURES)))
    weights[KINDS.index("add"), FEATURES.index("rise_max")] = 5.0
    clips = {0: _clip(), 1: _clip(), 2: _clip((3, 4)), 3: _clip((2,))}
    return AlignedScorer(AlignedReranker(weights, k, 0.05, ""), clips)  # type: ignore[arg-type]


def test_evidence_reorders_the_first_k_only() -> None:
    scores = np.array([[0.90, 0.85, 0.80]])  # gallery rows 1, 2, 3: row 2 adds a dog, and so does row 3
    out = _scorer(k=2).rescore(scores, np.array([0]), np.array([1, 2, 3]), ["add a dog"])
    assert list(np.argsort(-out[0])) == [1, 0, 2]  # the dog clip first; row 3, outside K, stays last


def test_no_edits_keeps_the_cosine_order() -> None:
    scores = np.array([[0.90, 0.85, 0.80]])
    out = _scorer(k=3).rescore(scores, np.array([0]), np.array([1, 2, 3]), ["something nice"])
    np.testing.assert_array_equal(out, scores)


def test_excluded_candidates_stay_excluded() -> None:
    scores = np.array([[-np.inf, 0.85, 0.80]])  # the query itself, left out
    out = _scorer(k=3).rescore(scores, np.array([0]), np.array([1, 2, 3]), ["add a dog"])
    assert out[0, 0] == -np.inf
    assert out[0, 1] > out[0, 2]


def test_carried_edits_keep_each_sounds_latest_and_leave_out_the_current_ones() -> None:
    dog_in, dog_out, rain_up, it_down = (Edit(ADD, "dog"), Edit(REMOVE, "dog"), Edit(LOUDER, "rain", True),
                                         Edit(QUIETER, None, True))
    assert carried_edits([[dog_in], [rain_up]], [it_down]) == [dog_in, rain_up]
    assert carried_edits([[dog_in, rain_up], [dog_out]], [it_down]) == [rain_up, dog_out]  # the dog revised
    assert carried_edits([[dog_in], [rain_up]], [Edit(QUIETER, "dog")]) == [rain_up]  # restated now
    assert carried_edits([], [dog_in]) == []


def test_a_refine_step_keeps_reading_what_the_session_asked_before() -> None:
    scores = np.array([[0.90, 0.85]])  # gallery rows 1 (no dog) and 2 (a dog)
    now = ["make it louder"]  # no weight for "louder": this step's words alone keep the cosine order
    plain = _scorer(k=2).rescore(scores, np.array([1]), np.array([1, 2]), now)
    assert list(np.argsort(-plain[0])) == [0, 1]
    carried = _scorer(k=2).rescore(scores, np.array([1]), np.array([1, 2]), now, [(0, ["add a dog"])])
    assert list(np.argsort(-carried[0])) == [1, 0]  # "add a dog", said at step 1 from clip 0, still counts
    off = _scorer(k=2).rescore(scores, np.array([1]), np.array([1, 2]), now, [(0, ["add a dog"])], 0.0)
    np.testing.assert_array_equal(off, plain)


def test_the_class_term_reorders_with_the_clips_vectors() -> None:
    from model.class_term import ClassTerm

    weights = np.zeros((len(KINDS), len(FEATURES)))  # no patch evidence at all: only the class term counts
    clips = {row: _clip() for row in range(4)}
    vectors = np.array([[1.0, 0, 0], [1.0, 0, 1.0], [1.0, 1.0, 0], [1.0, 0, 0]])  # row 2 holds a dog
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    term = ClassTerm.from_heads(("rain", "dog", "door"), np.eye(3), {"named": 1.0, "other": 1.0})
    scorer = AlignedScorer(AlignedReranker(weights, 3, 0.05, "", class_term=(1.0, 1.0)), clips,  # type: ignore[arg-type]
                           classes=(term, vectors))
    scores = np.array([[0.90, 0.85, 0.80]])  # gallery rows 1, 2, 3
    out = scorer.rescore(scores, np.array([0]), np.array([1, 2, 3]), ["add a dog"])
    assert list(np.argsort(-out[0])) == [1, 2, 0]  # the dog first, the door (another sound arriving) last
    plain = AlignedScorer(AlignedReranker(weights, 3, 0.05, ""), clips)  # type: ignore[arg-type]
    out = plain.rescore(scores, np.array([0]), np.array([1, 2, 3]), ["add a dog"])
    assert list(np.argsort(-out[0])) == [0, 1, 2]
