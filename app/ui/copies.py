"""Copies in the results list: a result that is the same audio as a better-ranked one or as the query sound (a backup,
a renamed copy, the same samples as FLAC: app.same_audio) is folded into that result by default, which then says
"(+1 copy)" and lists where the copies are in its tooltip. A trial found half of the first ten rows copies, and a copy
of the query itself ranked first and selected for "make the rain louder"."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from app.service import QUERY_RANK


def fold_copies(results: list[Any]) -> tuple[list[Any], int]:
    """The results (SearchResults) without their copies (each first result carries its copies' paths), and how many
    were folded."""
    kept = [r for r in results if r.same_as is None]
    firsts = {r.rank for r in kept}
    copies: dict[int, list] = {}
    for r in results:
        if r.same_as is not None and r.same_as != QUERY_RANK and r.same_as in firsts:
            copies.setdefault(r.same_as, []).append(r.path)
    kept = [replace(r, copies=tuple(copies[r.rank])) if r.rank in copies else r for r in kept]
    return kept, len(results) - len(kept)


def copies_note(folded: int, shown: int) -> str:
    """The header's line about copies: how many were folded in, with the link that shows them (or folds them)."""
    if folded:
        what = "copy" if folded == 1 else "copies"
        them = "it is a copy" if folded == 1 else f"{folded} of them are copies"
        return (f"<br><span style='color:#666'>{them} (the same audio as a result above or as the query), folded into "
                f"{'that result' if folded == 1 else 'those results'} · <a href='copies:show'>show {what}</a></span>")
    if shown:
        return (f"<br><span style='color:#666'>{shown} {'copy' if shown == 1 else 'copies'} shown (= #N: the same "
                "audio as result N) · <a href='copies:fold'>fold them in</a></span>")
    return ""


def copies_tip(result: Any) -> str:
    """The tooltip lines naming the copies folded into a result ("" when none)."""
    paths = result.copies
    return ("\nThe same audio also at:\n" + "\n".join(str(p) for p in paths)) if paths else ""
