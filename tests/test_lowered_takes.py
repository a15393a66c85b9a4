"""Long takes the words' moment terms lower out of view are counted and said (app.moments.RankedHits, ResultPage)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from app.moment_terms import MomentTerms
from app.moments import lowered_out_of, rank_files
from app.search_result import ResultPage
from tests.test_moment_classes import planted_search


def test_the_takes_the_terms_lower_out_of_view_are_counted():
    """A trial: every ambience over 14.4 s fell out of view for any "add X", and nothing said so. rank_files keeps
    each lowered take's plain match (RankedHits.lowered), and a page counts those that match better than it shows."""
    vectors, classes, index, blocks, q, terms = planted_search()
    hits = rank_files(index, blocks, q, 1, contrast=terms, classes=classes)
    assert [h.file_id for h in hits] == [1] and set(hits.lowered) == {1}  # take 2 (no rain) lowered, out of view
    assert hits.lowered[1] == pytest.approx(float((vectors[10:20] @ q).max()), abs=1e-5)  # its plain match
    shown = [SimpleNamespace(record=SimpleNamespace(id=1), plain_match=hits.lowered[1] - 0.1)]
    assert lowered_out_of(shown, hits.lowered, blocks.ids) == 1
    assert lowered_out_of([SimpleNamespace(record=SimpleNamespace(id=1), plain_match=hits.lowered[1] + 0.1)],
                          hits.lowered, blocks.ids) == 0  # every result shown matches better
    assert lowered_out_of([SimpleNamespace(record=SimpleNamespace(id=2), plain_match=0.0)], hits.lowered,
                          blocks.ids) == 0  # shown, with its mark
    assert rank_files(index, blocks, q, 1, contrast=MomentTerms(terms.contrasts), classes=classes).lowered == {}
    page = ResultPage()
    assert page.lowered_note() == ""
    page.lowered_out = 1
    assert page.lowered_note() == (
        "1 long take that matches better than some results here is lowered out of view by the words: as a whole it "
        "holds less of what the clip and the words ask for (the same search without the words lists it by match)")
    page.lowered_out = 4
    assert page.lowered_note().startswith("4 long takes that match better than some results here are lowered")
