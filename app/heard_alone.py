"""Words alone naming only sounds Nudge does not know ("typewriter"): the files YAMNet hears one of their AudioSet
classes in, most clearly first, and what the search says of them."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from app.named_sounds import HEARD_ALONE_MIN


def heard_hits(classes: np.ndarray, first_rows: np.ndarray, file_ids: np.ndarray, allowed: np.ndarray,
               columns: list[int], wanted: int, floor: float = HEARD_ALONE_MIN, tiebreak: np.ndarray | None = None
               ) -> list:
    """Words alone that name only a sound Nudge does not know but AudioSet does ("typewriter"): the files (blocks:
    their whole-file class rows ``first_rows``, those ``allowed``) in which YAMNet hears any of those ``columns`` at
    least ``floor``, most clearly first, as FileHits scored by that probability. The heads have no direction for the
    word, so the cosine would rank files at random (a trial: jet engines and fans for "a typewriter"); it only
    orders files YAMNet hears it in equally (``tiebreak``, per block: the stored scores are 8-bit, and trial 53 saw
    eight rows at 0.319 in no order), after the file heard in more of the classes."""
    from app.moments import FileHit
    from model.class_scores import probabilities

    if not columns or not len(first_rows):
        return []
    heard = np.asarray([probabilities(np.asarray(classes[:, c])[first_rows]) for c in columns])
    presence = np.where(allowed, heard.max(axis=0), -1.0)
    keys = (-heard.sum(axis=0), -presence) if tiebreak is None else (-tiebreak, -heard.sum(axis=0), -presence)
    order = [i for i in np.lexsort(keys) if presence[i] >= floor][:wanted]
    return [FileHit(int(i), int(file_ids[i]), float(presence[i]), 0.0, None, 1) for i in order]


def heard_alone_note(audioset: list[str], found: int, named_words: Sequence[str] = ()) -> str:
    """What a search by words alone naming only sounds Nudge does not know did (service.unknown_alone's classes;
    ``named_words``: the results are the files named for these words, YAMNet hearing none: ResultPage.named_words).
    "The words alone", not "no query sound": one may be loaded and not used (trial 57)."""
    if named_words and found:
        return (f"the words alone: Nudge does not clearly hear {' or '.join(named_words)} in any library "
                "file, so these are the files whose names, folders or tags say it (the score is a text match, "
                "1 = every word in the file name)")
    if not audioset:
        return ("the words alone name no sound Nudge knows or can hear: nothing to rank the library by (type a "
                "sound Nudge knows, or search with a query sound)")
    named = " or ".join(name.lower() for name in audioset)
    if not found:
        return f"the words alone: Nudge clearly hears {named} in no library file"
    return (f"the words alone: files in which Nudge hears {named}, most clearly first; the score is how sure Nudge "
            "is that it hears it, not a check: it takes some sounds for others (a door opening can score 0.95 as a "
            "typewriter); Nudge was not trained on this sound, so what it hears orders the files")
