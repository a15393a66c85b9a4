"""Idioms of notes written as reports: bug reports' labels, checklists and "missing" (reader 97), and clients'
labels and mild complaints (reader 98). Rewritten first, before model.modifier_idioms' own (which includes them at
the head of its list, in this order)."""

from __future__ import annotations

_COPULA_BEFORE = (r"(?<!\bis )(?<!\bare )(?<!\bwas )(?<!\bwere )(?<![\u2019']s )(?<![\u2019']re )"
                  r"(?<!\bgone )(?<!\bwent )(?<!\bbe )")  # "the horn is missing", "went missing": a caption of B

REPORT_IDIOMS: tuple[tuple[str, str], ...] = (
    # bug-report notes (reader 97): what A does wrong ("Actual: ...") and the report's labels are no edits; a ticked
    # checklist item is done, open boxes and "1)" enumerate the edits
    (r"\bactual(?:ly)?\s*:[^.!?;]*[.!?;]?", ""), (r"\bexpected\s*:\s*", ""),
    (r"\bexpected\s+(?=(?:more|less|louder|quieter|much)\b)", ""),
    (r"\bsev\s?\d\b(?:\s+cosmetic)?\s*[:\u2014\u2013-]?\s*", ""),
    (r"\b(?:qa fail(?:ed)?|repro(?: steps)?|regression(?:\s*\([^)]*\))?|fix(?: list)?|checklist|wrong version)"
     r"\s*[:\u2014\u2013-]\s*", ""),
    (r"\[\s*[x\u2713\u2714]\s*\][^\[]*", ""), (r"\[\s*\]", " ; "), (r"(?:^|(?<=\s))\d{1,2}\)\s*", " ; "),
    (r"\bdrop (?:the )?([a-z]+(?: [a-z]+)?) level\b", r"\1 quieter"),  # "drop traffic level ~3dB"
    (r"\b(?:the )?client (?:asked|says|said|notes?|requests?)?\s*:\s*", ""),  # a label (reader 98)
    # "bell a bit loud": a complaint, as "too loud" (not "a bit louder") (reader 98)
    (r"\b(?:a bit|a little|slightly|a touch|somewhat|rather|quite|kinda) (loud|quiet|soft|faint)\b", r"too \1"),
    (r"\b(?:is |are )?still in(?: the mix)?(?=\s*(?:$|[.,;!?)]|and\b|but\b))", " should go"),  # not "still there":
    # a caption's "the birds are still there" keeps them
    (r"\bstill has (?:a |an |the )", "remove the "),  # "this one still has the dog"
    # "thunder missing", "Missing: bell": A lacks it, add it; "the horn is missing", "missing in B": a caption of B
    (r"\bmissing (?:from|in) (?!b\b)(?:the |a )?[a-z ]+?(?=[,.;!?)]|$)", "missing"),
    (r"(?:^|(?<=[.;!?]\s))missing(?: sfx| sound| audio)?\s*:\s*", "add "),
    (r"\b([a-z]+)\s*:\s*missing\b", r"\1 wanted"),
    (_COPULA_BEFORE + r"\bmissing\s+(?:sfx\s+|sound\s+)?(?=(?:a |an |the |some )?[a-z])(?!(?:in|from) b\b)", "add "),
    (r"\b(?!(?:is|are|was|were|s|re|gone|went|be|been|now)\b)([a-z]+) missing\b(?!\s+(?:in|from)\s+b\b)", r"\1 wanted"),
)
