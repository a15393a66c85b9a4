"""A mixing desk's and a score's words (readers 115-116) and a cue sheet's labels (reader 124): "pad the wind
10dB", "the crowd should be pianissimo", "decrescendo on the rain bed", "have the siren lay out", "FX IN: crow", "rain
UNDER the dialogue". Rewritten into the plain level and removal words the reader knows, right after
model.modifier_spoken's idioms (model.modifier_idioms includes them in that order)."""

from __future__ import annotations

_IS = r"(?:\b(?:is|are)|[\u2019']s|[\u2019']re)"  # "the wind is", "the wind's", "they're"
_VERY = r"(?:(?:too|so|very|really)\s+)?"

DESK_IDIOMS: tuple[tuple[str, str], ...] = (
    # a desk's pad attenuates: "pad the wind 10dB", "pad the engine" ("pad it with crowd walla", "pad with room tone"
    # fill, and still add)
    (r"\bpad(?:s|ded)?\s+(?=(?:the|a|an|that|this|those|these)\s)", "duck "),
    # dynamics markings: said of the sound, a complaint; asked for, the level ("more forte" reads as before; "piano"
    # is an instrument)
    (rf"{_IS}\s+{_VERY}pianissimo\b", " too quiet"),
    (rf"{_IS}\s+{_VERY}sforzando(?:-loud)?\b", " too loud"),
    (rf"{_IS}\s+{_VERY}whisper[- ]quiet\b", " too quiet"),
    (r"\bpianissimo\b", "quieter"),
    (r"\bcrescendo\b", "louder"),
    (r"\b(?:decrescendo|diminuendo)\b", "quieter"),
    # a player who lays out stops playing: "have the siren lay out", "the crowd should lay out"
    (r"(?<=[a-z] )(?:lay|lays|laying) out\b", "stop"),
    # a cue sheet's labels (reader 124): "FX IN: crow. graveyard in the rain" adds the crow, "FX DOWN: traffic" lowers
    # it; "rain UNDER the dialogue" (the cue in capitals) lowers the rain, where "add rain under the dialogue" adds it
    (r"\bs?fx\s+in\s*:\s*", "add "), (r"\bs?fx\s+out\s*:\s*", "remove "),
    (r"\bs?fx\s+(up|down)\s*:\s*([a-z][a-z ]*[a-z])", r"\2 \1"),
    (r"(?-i:\bUNDER\b)", "DOWN"),
)
