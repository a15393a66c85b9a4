"""Refine-loop benchmark: sessions on a tiny hand-made gallery."""

import numpy as np

from training.refine_bench import Session, run_sessions, scene_sessions, success_table


def _compose(audio, text):
    return audio if text is None else audio + text


def test_text_reaches_target_in_one_step_audio_only_does_not():
    # gallery: 0 = start, 1..11 = near-duplicates of the start, 12 = target (start + direction e)
    rng = np.random.default_rng(0)
    start = np.array([1.0, 0.0, 0.0])
    near = start + 0.01 * rng.standard_normal((11, 3))
    target = np.array([1.0, 1.0, 0.0])
    gallery = np.vstack([start, near, target])
    step_text = np.array([[0.0, 3.0, 0.0]])  # "the edit": towards the target
    sessions = [Session(0, 12, (0,))]
    ear = gallery.copy()
    assert run_sessions(gallery, ear, sessions, _compose, step_text).tolist() == [1]
    # audio only: the 10 nearest are the near-duplicates; promoting the one closest to the target
    # does not leave the cluster within 4 steps
    assert run_sessions(gallery, ear, sessions, _compose, None).tolist() == [0]


def test_promotion_follows_the_ear_and_steps_cycle():
    # target is found only from clip 2, and only with edit 1 (text row 1)
    gallery = np.eye(4)[[0, 1, 2, 3]].astype(float)
    step_text = np.array([[0.0, 0.0, 5.0, 0.0], [0.0, 0.0, -5.0, 5.0]])
    ear = np.array([[1, 0, 0, 0], [0, 1, 0, 0], [0, 0.1, 0, 1.0], [0, 0, 0, 1]], dtype=float)
    sessions = [Session(0, 3, (0, 1))]
    found = run_sessions(gallery, ear, sessions, _compose, step_text, top=1)
    assert found.tolist() == [2]  # step 1 lands on clip 2 (not the target), step 2 from it finds 3


def test_success_table_and_scene_sessions():
    table = success_table(np.array([1, 2, 0, 4]), 4)
    assert table == {"within_1": 0.25, "within_2": 0.5, "within_3": 0.5, "within_4": 0.75, "n": 4.0}
    gallery, sessions = scene_sessions(np.array([5, 5]), np.array([7, 9]), [(0,), (1, 2)])
    assert gallery.tolist() == [5, 7, 9]
    assert sessions == [Session(0, 1, (0,)), Session(0, 2, (1, 2))]


def test_memory_carries_the_previous_query_into_the_next_step():
    # 0 = start, 1 and 2 = wrong clips, 3 = target between them; each step shows only its top result
    gallery = np.array([[1.0, 0, 0], [0, 1.0, 0], [0, 0, 1.0], [0, 0.7071, 0.7071]])
    step_text = np.array([[0.0, 2.0, 0.0], [0.0, -2.0, 2.0]])
    sessions = [Session(0, 3, (0, 1))]
    # step 1 lands on clip 1; step 2 alone (from clip 1, edit 2) lands on clip 2, step 3 finds the target
    assert run_sessions(gallery, gallery, sessions, _compose, step_text, top=1).tolist() == [3]
    # remembering step 1's query, step 2 lands between the two edits: on the target
    assert run_sessions(gallery, gallery, sessions, _compose, step_text, top=1, memory=1.0).tolist() == [2]


def test_result_files_say_how_to_make_them_again(tmp_path):
    import json

    from training.tables import write_results_json

    out = tmp_path / "deep" / "refine.json"
    write_results_json(out, "training.refine_bench", ["--memory", "0.5"], {"m:text": {"all/within_3": 0.7}})
    saved = json.loads(out.read_text())
    assert saved == {"command": "python -m training.refine_bench --memory 0.5",
                     "results": {"m:text": {"all/within_3": 0.7}}}



def test_failure_ranks_follow_the_sessions_steps():
    from training.pilots.refine_failures import failure_rows, session_ranks

    # the promotion test's gallery: with top 1, session 0 finds clip 3 at step 2 (clip 2 ranks above it at step 1)
    gallery = np.eye(4)
    step_text = np.array([[0.0, 0.0, 5.0, 0.0], [0.0, 0.0, -5.0, 5.0]])
    ear = np.array([[1, 0, 0, 0], [0, 1, 0, 0], [0, 0.1, 0, 1.0], [0, 0, 0, 1]], dtype=float)
    sessions = [Session(0, 3, (0, 1)), Session(0, 1, (0,))]
    found, cos_rank, final_rank = session_ranks(gallery, ear, sessions, _compose, step_text, None, top=1)
    assert found.tolist()[0] == 2
    assert cos_rank[0].tolist() == [2, 1, 0]  # 2nd at step 1, 1st at step 2, no step 3
    assert (final_rank == cos_rank).all()  # no rescore: the same ranks

    def reverse(scores, current, rows):  # a "reranker" that turns the order over
        return np.where(np.isfinite(scores), -scores, scores)

    _, cos_rev, final_rev = session_ranks(gallery, ear, sessions, _compose, step_text, reverse, top=1)
    # step 1's scores: clip 1 and clip 3 score 0, clip 2 scores 5; turned over, clip 2 falls below both (ties
    # count in the target's favour)
    assert cos_rev[:, 0].tolist() == [2, 2] and final_rev[:, 0].tolist() == [1, 1]
    rows = failure_rows(np.array([2, 0]), np.array([[2, 1, 0], [3, 2, 5]]), k=2)
    assert rows["found"] == 0.5 and rows["failed, in first K"] == 0.5 and rows["failed, never in first K"] == 0.0
    assert failure_rows(np.array([0]), np.array([[3, 4, 0]]), k=2)["failed, never in first K"] == 1.0


def test_carry_hands_the_rescore_each_sessions_earlier_steps():
    gallery = np.eye(4)
    step_text = np.array([[0.0, 5.0, 0.0, 0.0], [0.0, 0.0, 5.0, 0.0]])
    seen = []

    def rescore(scores, current, rows, history=None):
        seen.append((current.tolist(), rows, history))
        return scores

    sessions = [Session(0, 3, (0, 1))]
    run_sessions(gallery, gallery, sessions, _compose, step_text, max_steps=3, top=1, rescore=rescore, carry=True)
    assert seen == [([0], [0], [(0, ())]), ([1], [1], [(0, (0,))]), ([2], [0], [(0, (0, 1))])]
    seen.clear()
    run_sessions(gallery, gallery, sessions, _compose, step_text, max_steps=1, top=1, rescore=rescore)
    assert seen == [([0], [0], None)]


def test_a_text_read_as_nothing_is_stated_as_typed():
    """Reader 140 keeps nothing of one OOD text (a keep); its session crashed the loop (no step to state)."""
    from types import SimpleNamespace

    from training.refine_bench import stated_edits

    class Heads:
        config = SimpleNamespace(text_clauses=1)

        def embed_text(self, rows):
            return rows

    backbone = SimpleNamespace(encode=lambda texts: np.eye(3)[: len(texts)])
    ps = SimpleNamespace(texts=["add thunder", "keep it"], t=np.array([0, 1]), a=np.array([0, 1]))
    unique, steps, table = stated_edits(Heads(), ps, backbone, lambda t, n: [] if t == "keep it" else [t])
    assert unique == ["add thunder", "keep it"] and steps == [(0,), (1,)] and table.shape == (2, 3)
