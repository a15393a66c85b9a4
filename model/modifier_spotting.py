"""A film sound editor's spotting notes (reader 126): timecodes ("car door slam @0:09 - add", "01:02:13:05"), the
verb after a dash that ends a note ("helicopter overhead - add, high & distant", "dog @0:06 - add; cat @0:07 - add",
"airplane overhead - down, birds - up") and "drop 4" for 4 dB down. Rewritten into the plain requests the reader
knows, after model.modifier_desk's idioms."""

from __future__ import annotations

_VERBS_AFTER = r"(?:add|lose|kill|cut|remove|mute)"  # "X - add": the verb that names the edit
_LEVELS_AFTER = r"(?:down|up|more|less|louder|quieter|lower|softer|pull down|bring up)"  # "X - down"

SPOTTING_IDIOMS: tuple[tuple[str, str], ...] = (
    (r"\s*@\s?\d+(?::\d{2}){0,3}(?:\.\d+)?\s?s?\b", " "),  # "@0:09", "@12s", "@ 0:03"
    (r"(?<![\d:])\b\d{1,2}:\d{2}(?::\d{2}){0,2}\b(?![\d:])", " "),  # "0:02", "01:02:13:05"
    # the verb (or level) after a dash that ends its note: "X - add", "X, far - add", "X - down" (not "push the crowd -
    # lose the music": two requests)
    (rf"(^|[;.,]\s*)([a-z][^-;.,]*?)\s*,?\s+-{{1,2}}\s+({_VERBS_AFTER})\s*(?=$|[;.,])", r"\1\3 \2"),
    (rf"\s+-{{1,2}}\s+(?={_LEVELS_AFTER}\s*(?:$|[;.,]))", " "),
    (r"\bdrop\s+(?=\d+(?:\.\d+)?\s*(?:db|dbs)?\b)", "down "),  # "voices too loud under rain, drop 4"
)
