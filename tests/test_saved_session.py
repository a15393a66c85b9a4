"""The refine session kept across restarts (app.ui.saved_session): what is kept, and what is not restored."""

from __future__ import annotations

import json
from pathlib import Path

from app.service import EarlierSteps, FeedbackMark
from app.ui.history import Step
from app.ui.saved_session import MAX_STEPS, restorable, restored_message, session_from_json, session_json
from app.ui.settings import Settings


def steps(folder: Path) -> list[Step]:
    first = Step(folder / "rain é & (1).wav", "", 1.0)
    marked = Step(folder / "rain é & (1).wav", "add thunder", 1.5, query_range=(0.5, 2.0),
                  feedback=((FeedbackMark(folder / "a.wav"), 1), (FeedbackMark(folder / "take.wav", 3.0, 9.5), -1)))
    promoted = Step(folder / "b.wav", "make the rain quieter", 1.0,
                    earlier=EarlierSteps(folder / "rain é & (1).wav", ("add thunder",), (0.5, 2.0)), forgot=False)
    return [first, marked, promoted, Step(folder / "b.wav", "", 1.0, forgot=True)]


def test_a_session_comes_back_as_it_was_through_the_settings_file(tmp_path):
    kept = steps(tmp_path)
    settings = Settings(last_session=session_json(kept, 2))
    assert settings.save(tmp_path / "s.json")
    loaded = Settings.load(tmp_path / "s.json")
    assert session_from_json(loaded.last_session) == (kept, 2)
    assert restorable(loaded.last_session) == (kept, 2)  # b.wav, the current query, is not on disk: restored too
    # (a trial: an unplugged drive dropped the whole session, and the next close erased it)
    assert "step 3 of 4" in restored_message(kept, 2) and restored_message(kept[:1], 0) == "Your last search is back"


def test_a_long_session_keeps_the_steps_around_the_current_one(tmp_path):
    many = [Step(tmp_path / f"{i}.wav") for i in range(3 * MAX_STEPS)]
    saved = session_from_json(json.loads(json.dumps(session_json(many, 10))))
    assert saved is not None and len(saved[0]) == MAX_STEPS and saved[0][saved[1]] == many[10]
    saved = session_from_json(session_json(many, len(many) - 1))
    assert saved[0][-1] == many[-1] and saved[1] == MAX_STEPS - 1
    assert session_json([], -1) == {} and session_from_json({}) is None


def test_a_saved_session_that_cannot_be_read_in_full_is_not_restored(tmp_path):
    good = session_json(steps(tmp_path), 1)

    def broken(change) -> dict:
        data = json.loads(json.dumps(good))
        change(data)
        return data

    for change in (lambda d: d.update(version=99), lambda d: d.update(index=7), lambda d: d.update(index="1"),
                   lambda d: d["steps"][1].update(strength="loud"), lambda d: d["steps"][1].update(strength=9.0),
                   lambda d: d["steps"][1].update(range=[2.0, 1.0]), lambda d: d["steps"][1].update(query=None),
                   lambda d: d["steps"][1]["feedback"][0].__setitem__(3, 0), lambda d: d["steps"][2].update(earlier=[]),
                   lambda d: d["steps"][1]["feedback"].append(["x.wav", 0.0]), lambda d: d.update(steps=[]),
                   lambda d: d["steps"][0].pop("text")):
        assert session_from_json(broken(change)) is None
    assert session_from_json("not a session") is None and session_from_json(good) is not None
