"""Copies in the results list: a result that is the same audio as a better-ranked one or as the query sound (a backup,
a renamed copy, the same samples as FLAC: app.same_audio) is folded into that result by default, which then says
"(+1 copy)" and lists where the copies are in its tooltip. A trial found half of the first ten rows copies, and a copy
of the query itself ranked first and selected for "make the rain louder"."""

from __future__ import annotations

from typing import Any


def copies_note(kept: list[Any], folded: int, shown: int) -> str:
    """The header's line about copies: which rows the ``folded`` copies went into (``kept``: the rows shown, as
    fold_copies returns them) and how many were copies of the query, with the link that shows them; or, with the
    copies ``shown``, the link that folds them in. A trial read "it is a copy ..." with no row to look at."""
    if folded:
        into = [f"#{r.rank}" for r in kept if r.copies]
        of_query = folded - sum(len(r.copies) for r in kept)
        parts = []
        if into:
            rows = ", ".join(into[:3]) + (f" and {len(into) - 3} more" if len(into) > 3 else "")
            held = ("has" if len(into) == 1 else "have") + (" a copy" if folded - of_query == 1 else " copies")
            # (trial 57: "#14 have copies")
            parts.append(f"{rows} {held} further down (the same audio under another name or in another folder, or "
                         "the same name in another format or rate), folded in: \u201c+N copy\u201d on the row")
        if of_query > 0:
            parts.append(f"{of_query} {'copy' if of_query == 1 else 'copies'} of the query sound left out")
        what = "copy" if folded == 1 else "copies"
        return (f"<br><span style='color:#666'>{'; '.join(parts)} · <a href='copies:show'>show {what}</a></span>")
    if shown:
        return (f"<br><span style='color:#666'>{shown} {'copy' if shown == 1 else 'copies'} shown (= #N: the same "
                "audio as result N; ≈ #N: another version of it, another format or rate) · "
                "<a href='copies:fold'>fold them in</a></span>")  # (trial 58: "≈" on a row, only "=" said here)
    return ""


def copies_tip(result: Any) -> str:
    """The tooltip lines naming the copies folded into a result ("" when none)."""
    paths = result.copies
    return ("\nThe same sound also at (a copy, or another format or rate):\n" + "\n".join(str(p) for p in paths)
            if paths else "")
