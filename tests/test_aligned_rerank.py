"""model.aligned_rerank on synthetic patches: edit features, evidence, order, the weights file; model.patch_evidence
on tiny generated audio."""

from __future__ import annotations

import json

import numpy as np
import pytest

from model.aligned_rerank import (
    ALL_FEATURES,
    FEATURES,
    FORMAT,
    AlignedReranker,
    PatchEvidence,
    RerankFileError,
    edit_features,
    file_sha256,
    floored_evidence,
    patch_span_seconds,
    same_length,
)
from model.class_scores import CLASS_COUNT, sound_classes
from model.edits import ADD, KINDS, REMOVE, Edit
from model.yamnet import CLASS_SCALE

QUIET = 60  # uint8 class score well under YAMNet's zero point (190): a class not heard
LOUD = 250  # ... well over it: a class heard


def clip(patches: int = 8, seed: int = 0) -> PatchEvidence:
    rng = np.random.default_rng(seed)
    classes = rng.integers(QUIET - 20, QUIET + 20, size=(patches, CLASS_COUNT), dtype=np.uint8)
    classes[:, 0] = LOUD  # some sound heard all along (not the dog)
    return PatchEvidence(classes, rng.normal(-6.0, 0.5, patches).astype(np.float32))


def with_dog(a: PatchEvidence, where: slice) -> PatchEvidence:
    classes = a.classes.copy()
    classes[where, sound_classes(["dog"])] = LOUD
    return PatchEvidence(classes, a.levels.copy())


def weights_on(kind: str, feature: str, value: float = 1.0) -> np.ndarray:
    w = np.zeros((len(KINDS), len(FEATURES)))
    w[KINDS.index(kind), FEATURES.index(feature)] = value
    return w


def reranker(weights: np.ndarray, k: int = 20, tau: float = 0.05, sha: str = "") -> AlignedReranker:
    return AlignedReranker(weights, k, tau, sha)


ADD_DOG = Edit(ADD, "dog")


def test_a_dog_rising_in_some_patches_is_add_dog_evidence():
    a = clip()
    rising, unchanged = with_dog(a, slice(3, 6)), PatchEvidence(a.classes.copy(), a.levels.copy())
    f_rise, f_same = (edit_features(ADD_DOG, a, b, 1.0) for b in (rising, unchanged))
    assert f_rise[FEATURES.index("rise_max")] > 0.5 and f_same[FEATURES.index("rise_max")] == pytest.approx(0.0)
    evidence = reranker(weights_on(ADD, "rise_max")).evidence([ADD_DOG], a, [unchanged, rising])
    assert evidence[1] > evidence[0] + 0.5
    # the same candidates read for "remove the dog" with the same weight on rise_max: nothing to tell apart
    flat = reranker(weights_on(REMOVE, "rise_max")).evidence([ADD_DOG], a, [unchanged, rising])
    assert flat[0] == pytest.approx(flat[1])


def test_a_faint_sound_arriving_shows_as_a_local_level_rise():
    """The fifty-second round's LEVEL_FEATURES: the largest level rises / falls against the clip's overall gain, and
    the named sound's rise where the level rose most."""
    a = clip(patches=10)
    levels = a.levels + 2.0  # the whole file 2 louder (a gain, not a local change) ...
    levels[6] += 3.0  # ... and one patch 3 louder still, where a faint dog arrives
    classes = a.classes.copy()
    classes[6, sound_classes(["dog"])] = QUIET + 60
    f = dict(zip(ALL_FEATURES, edit_features(ADD_DOG, a, PatchEvidence(classes, levels), 1.0), strict=True))
    assert f["gain"] == pytest.approx(2.0, abs=1e-5)
    assert f["level_rise_top3"] == pytest.approx(1.0, abs=1e-4)  # (3 + 0 + 0) / 3
    assert f["level_fall_top3"] == pytest.approx(0.0, abs=1e-4)
    assert f["rise_at_louder"] == pytest.approx(f["rise_max"]) and f["rise_at_louder"] > 0.0
    quieter = a.levels.copy()
    quieter[2] -= 6.0  # a sound leaving: one patch quieter, the rest the same
    g = dict(zip(ALL_FEATURES, edit_features(ADD_DOG, a, PatchEvidence(a.classes, quieter), 1.0), strict=True))
    assert g["level_fall_top3"] == pytest.approx(2.0, abs=1e-4) and g["level_rise_top3"] == pytest.approx(0.0, abs=1e-4)
    assert g["rise_at_quieter"] == pytest.approx(0.0)


def test_a_faint_sound_rises_in_the_logits_while_its_probability_barely_moves():
    """The fifty-fourth round's LOGIT_FEATURES read the stored scores before the sigmoid: a dog going from far
    under YAMNet's zero point to nearer it is a clear logit rise and a negligible probability one."""
    a = clip(patches=6)
    classes = a.classes.copy()
    cols = sound_classes(["dog"])
    classes[:, cols] = 150
    b_classes = classes.copy()
    b_classes[2, cols] = 170  # 20 steps nearer the zero point (190) in one patch, still far under it
    f = dict(zip(ALL_FEATURES, edit_features(ADD_DOG, PatchEvidence(classes, a.levels),
                                             PatchEvidence(b_classes, a.levels), 1.0), strict=True))
    assert f["rise_max"] < 1e-4  # probabilities about 1e-7 -> 3e-7
    assert f["logit_rise_max"] == pytest.approx(20 * CLASS_SCALE, rel=1e-5)
    assert f["logit_rise_top3"] == pytest.approx(20 * CLASS_SCALE / 3, rel=1e-5)
    assert f["logit_rise_mean"] == pytest.approx(20 * CLASS_SCALE / 6, rel=1e-5) and f["logit_fall_top3"] == 0.0


def test_evidence_reorders_only_when_it_outweighs_the_cosine_gap():
    a = clip()
    rising, unchanged = with_dog(a, slice(2, 5)), PatchEvidence(a.classes, a.levels)
    r = reranker(weights_on(ADD, "rise_max"), tau=0.05)
    evidence = r.evidence([ADD_DOG], a, [unchanged, rising])
    assert r.order(np.array([0.80, 0.79]), evidence).tolist() == [1, 0]  # 0.2 cosine/tau < the dog's rise
    assert r.order(np.array([0.90, 0.50]), evidence).tolist() == [0, 1]  # 8.0 cosine/tau > it
    assert r.order(np.array([0.5, 0.5, 0.5]), np.zeros(3)).tolist() == [0, 1, 2]  # ties keep cosine order


def test_candidates_without_patches_get_the_mean():
    a = clip()
    known = [with_dog(a, slice(0, 2)), PatchEvidence(a.classes, a.levels), with_dog(a, slice(1, 8))]
    r = reranker(weights_on(ADD, "rise_mean"))
    full = r.evidence([ADD_DOG], a, known)
    holes = r.evidence([ADD_DOG], a, [known[0], None, known[2], None])
    assert holes[[0, 2]] == pytest.approx(full[[0, 2]])
    assert holes[1] == holes[3] == pytest.approx(np.mean(full[[0, 2]]))
    assert r.evidence([], a, known).tolist() == [0.0, 0.0, 0.0]
    assert r.evidence([ADD_DOG], a, [None, None]).tolist() == [0.0, 0.0]


def test_weights_file_round_trip(tmp_path):
    rng = np.random.default_rng(3)
    r = reranker(rng.normal(size=(len(KINDS), len(FEATURES))), k=12, tau=0.04, sha="ab" * 32)
    r.to_file(tmp_path / "w.json", extra={"note": "test"})
    back = AlignedReranker.from_file(tmp_path / "w.json")
    np.testing.assert_allclose(back.weights, r.weights, atol=1e-6)
    assert (back.k, back.tau, back.heads_sha256) == (12, 0.04, "ab" * 32)
    assert json.loads((tmp_path / "w.json").read_text())["note"] == "test"


def test_matches_the_heads_file_by_hash(tmp_path):
    heads = tmp_path / "heads.bin"
    heads.write_bytes(b"some heads")
    assert reranker(np.zeros((len(KINDS), len(FEATURES))), sha=file_sha256(heads)).matches(heads)
    assert not reranker(np.zeros((len(KINDS), len(FEATURES))), sha="0" * 64).matches(heads)
    assert reranker(np.zeros((len(KINDS), len(FEATURES))), sha="").matches(heads)  # fitted for any heads


def _write(path, **changes):
    data = {"format": FORMAT, "features": list(FEATURES), "kinds": list(KINDS),
            "weights": np.zeros((len(KINDS), len(FEATURES))).tolist(), "k": 20, "tau": 0.05, "heads_sha256": ""}
    path.write_text(json.dumps(data | changes))
    return path


@pytest.mark.parametrize("changes, message", [
    ({"format": "something-else"}, "not a Nudge reranker file"),
    ({"features": list(FEATURES[:-1]) + ["loudness_of_the_moon"]}, "other features"),
    ({"features": list(FEATURES) + [FEATURES[0]]}, "other features"),  # a feature twice
    ({"features": list(FEATURES[:-1])}, "not a finite"),  # a known subset, but the weights do not fit it
    ({"weights": np.zeros((len(KINDS), len(FEATURES) - 1)).tolist()}, "not a finite"),
    ({"weights": np.full((len(KINDS), len(FEATURES)), np.nan).tolist()}, "not a finite"),
    ({"weights": [[0.0] * len(FEATURES), [0.0]]}, "malformed"),  # ragged
    ({"weights": None}, "not a finite"),
    ({"k": "twenty"}, "malformed"),
    ({"tau": 0.0}, "tau a number above 0"),
    ({"k": 0}, "k must be at least 1"),
])
def test_unusable_weights_files_say_why(tmp_path, changes, message):
    assert AlignedReranker.from_file(_write(tmp_path / "ok.json")).k == 20  # the unchanged file loads
    with pytest.raises(RerankFileError, match=message):
        AlignedReranker.from_file(_write(tmp_path / "bad.json", **changes))


def test_missing_or_unreadable_weights_files(tmp_path):
    with pytest.raises(RerankFileError, match="cannot read"):
        AlignedReranker.from_file(tmp_path / "missing.json")
    (tmp_path / "junk.json").write_text("{not json")
    with pytest.raises(RerankFileError, match="cannot read"):
        AlignedReranker.from_file(tmp_path / "junk.json")
    no_weights = json.loads(_write(tmp_path / "ok.json").read_text())
    del no_weights["weights"]
    (tmp_path / "no_weights.json").write_text(json.dumps(no_weights))
    with pytest.raises(RerankFileError, match="missing or malformed"):
        AlignedReranker.from_file(tmp_path / "no_weights.json")
    (tmp_path / "list.json").write_text("[1, 2]")
    with pytest.raises(RerankFileError, match="not a Nudge reranker file"):
        AlignedReranker.from_file(tmp_path / "list.json")


def test_the_shipped_weights_load():
    from model.paths import rerank_path

    r = AlignedReranker.from_file(rerank_path())
    assert r.weights.shape == (len(KINDS), len(r.features)) and r.k >= 2 and r.tau > 0
    assert r.network is not None and set(r.features) <= set(ALL_FEATURES)  # the thirty-fifth round's E64 ...
    assert r.features[:len(FEATURES)] == FEATURES
    assert r.length_tolerance == 0.3  # ... with the thirty-sixth round's length gate (G30) ...
    assert r.k == 80 and r.length_floor == 0.1  # ... reading the first 80, floor 0.1 s (round 44's W80_w0.1)


# model.patch_evidence on tiny generated audio ------------------------------------------------------------------
def test_max_seconds_cuts_the_patches_from_the_start(encoder, tmp_path):
    from model.patch_evidence import evidence_from_file, evidence_from_waveform
    from tests.helpers import noise, tone, write_wav

    signal = tone(440.0, 5.0, 16_000, amp=0.3) + noise(5.0, 16_000, amp=0.05, seed=1)
    backbone = encoder.features.backbone
    whole = evidence_from_waveform(backbone, signal, 16_000)
    cut = evidence_from_waveform(backbone, signal, 16_000, max_seconds=2.0)
    assert whole.classes.shape == (len(whole), CLASS_COUNT) and whole.classes.dtype == np.uint8
    assert whole.levels.dtype == np.float32 and np.isfinite(whole.levels).all()
    assert 3 <= len(cut) <= 4 < len(whole)  # 2 s: three whole patches, then one padded with silence
    full = 3  # patches of the cut that end within its 2 s read the same as the whole signal's
    np.testing.assert_array_equal(cut.classes[:full], whole.classes[:full])
    np.testing.assert_allclose(cut.levels[:full], whole.levels[:full], atol=1e-5)
    from_file = evidence_from_file(backbone, write_wav(tmp_path / "x.wav", signal), max_seconds=2.0)
    assert len(from_file) == len(cut)
    np.testing.assert_allclose(from_file.levels, cut.levels, atol=1e-3)


def test_no_audio_gives_empty_evidence(encoder):
    from model.patch_evidence import evidence_of_patches

    empty = evidence_of_patches(encoder.features.backbone, [])
    assert len(empty) == 0 and empty.classes.shape == (0, CLASS_COUNT)
    assert empty.levels.shape == (0,) and empty.classes.dtype == np.uint8
    a = clip()  # no patches to compare: every candidate scores the same
    r = reranker(weights_on(ADD, "rise_max"))
    assert r.evidence([ADD_DOG], a, [empty, with_dog(a, slice(0, 3))])[0] == pytest.approx(0.0)



def test_a_weights_file_may_read_any_known_features_in_its_own_order(tmp_path) -> None:
    features = ("other_rise", "rise_top3", "align")
    weights = np.arange(len(KINDS) * 3, dtype=np.float64).reshape(len(KINDS), 3)
    AlignedReranker(weights, 5, 0.05, "", features).to_file(tmp_path / "w.json")
    loaded = AlignedReranker.from_file(tmp_path / "w.json")
    assert loaded.features == features and loaded.columns.tolist() == [ALL_FEATURES.index(f) for f in features]
    np.testing.assert_array_equal(loaded.weights, weights)


def test_the_length_gate_gives_other_lengths_the_mean(tmp_path):
    a = clip()
    known = [with_dog(a, slice(0, 2)), PatchEvidence(a.classes, a.levels), with_dog(a, slice(1, 8))]
    plain = reranker(weights_on(ADD, "rise_mean"))
    gated = AlignedReranker(plain.weights, plain.k, plain.tau, "", length_tolerance=0.1)
    full = plain.evidence([ADD_DOG], a, known, (10.0, [10.0, 14.0, 10.4]))  # no tolerance: no gate
    ev = gated.evidence([ADD_DOG], a, known, (10.0, [10.0, 14.0, 10.4]))
    assert ev[[0, 2]] == pytest.approx(full[[0, 2]]) and ev[1] == pytest.approx(np.mean(full[[0, 2]]))
    assert gated.evidence([ADD_DOG], a, known) == pytest.approx(full)  # lengths not given: nothing judged
    assert gated.evidence([ADD_DOG], a, known, (10.0, [30.0, 2.0, 20.0])).tolist() == [0.0, 0.0, 0.0]
    gated.to_file(tmp_path / "g.json")
    assert AlignedReranker.from_file(tmp_path / "g.json").length_tolerance == 0.1
    plain.to_file(tmp_path / "w.json")
    assert "length_tolerance" not in json.loads((tmp_path / "w.json").read_text())


def test_same_length_has_a_floor_and_lets_unknown_lengths_pass():
    assert same_length(10.0, 11.0, 0.1) and not same_length(10.0, 11.1, 0.1)  # 10% of 10 s
    assert same_length(1.0, 1.5, 0.1) and not same_length(1.0, 1.6, 0.1)  # the 0.5 s floor
    assert same_length(1.0, 1.2, 0.1, floor=0.2) and not same_length(1.0, 1.3, 0.1, floor=0.2)  # a file's own floor
    assert same_length(10.0, None, 0.0) and same_length(float("nan"), 3.0, 0.0)
    assert patch_span_seconds(20) == pytest.approx(10.08) and patch_span_seconds(0) == 0.0


@pytest.mark.parametrize("key", ["length_tolerance", "length_floor", "match_floor"])
@pytest.mark.parametrize("bad", [-0.1, "x", float("nan")])
def test_a_bad_length_tolerance_or_floor_is_refused(tmp_path, bad, key):
    path = tmp_path / "w.json"
    reranker(np.zeros((len(KINDS), len(FEATURES)))).to_file(path)
    data = json.loads(path.read_text())
    data[key] = bad
    path.write_text(json.dumps(data))
    with pytest.raises(RerankFileError, match=key):
        AlignedReranker.from_file(path)


def test_a_files_length_floor_round_trips_and_decides_short_clips(tmp_path):
    plain = reranker(np.zeros((len(KINDS), len(FEATURES))))
    gated = AlignedReranker(plain.weights, plain.k, plain.tau, "", length_tolerance=0.3, length_floor=0.1)
    gated.to_file(tmp_path / "f.json")
    loaded = AlignedReranker.from_file(tmp_path / "f.json")
    assert loaded.length_floor == 0.1 and loaded.within_gate(1.0, 1.25) and not loaded.within_gate(1.0, 1.45)
    default = AlignedReranker(plain.weights, plain.k, plain.tau, "", length_tolerance=0.3)
    assert default.within_gate(1.0, 1.45)  # the 0.5 s floor when a file names none
    default.to_file(tmp_path / "d.json")
    assert "length_floor" not in json.loads((tmp_path / "d.json").read_text())


def test_a_match_floor_keeps_results_far_below_the_best_under_those_near_it(tmp_path):
    cosines = np.array([0.77, 0.67, 0.25, 0.12, -np.inf])
    evidence = np.array([1.0, 2.0, 30.0, 25.0, 40.0])  # another scene's clips "show" the removal most
    floored = floored_evidence(cosines, evidence, 0.2)
    assert floored.tolist() == [1.0, 2.0, 1.0, 1.0, 1.0]  # at most the smallest evidence within 0.2 of the best
    np.testing.assert_array_equal(floored_evidence(cosines, evidence, None), evidence)  # no floor: as it was
    plain = reranker(np.zeros((len(KINDS), len(FEATURES))), tau=0.05)
    floor = AlignedReranker(plain.weights, plain.k, plain.tau, "", match_floor=0.2)
    assert plain.order(cosines, evidence).tolist()[:2] == [2, 3]  # no floor: the unrelated clips come first
    assert floor.order(cosines, evidence).tolist() == [0, 1, 2, 3, 4]
    floor.to_file(tmp_path / "m.json")
    assert AlignedReranker.from_file(tmp_path / "m.json").match_floor == 0.2
    plain.to_file(tmp_path / "p.json")
    assert "match_floor" not in json.loads((tmp_path / "p.json").read_text())
