"""Free modifier text -> edits and the canonical text the model embeds for each.

"the rain's too loud, pull it back + lose the horn" -> [quieter rain, remove car_horn] ->
["make the rain quieter", "remove the car horn"]. Training runs the same parser on its generated
descriptions, so the model sees exactly what a user's words turn into. Pieces the parser cannot read
are kept as raw text (never dropped), and a sound word Nudge has no class for is reported with the
nearest known classes instead of being read as another sound.

Rules (pure Python, well under 1 ms per text; the words are in model.modifier_verbs, idioms in model.modifier_idioms,
misspellings in model.modifier_spelling, sound words in model.sound_lexicon):
- Pieces (model.modifier_said, model.modifier_pieces): the text is cut at every natural joiner ("and", ", then",
  ". ", "+", "&", " - ", "also", "plus", "as well as", "with", "but", "while", ";", ","); "+" before a number is an
  amount ("rain +6dB").
- One edit told twice stays one: after a comma (or "but") a piece about the same sound or none goes
  with the previous one ("the rain's too loud, pull it back", "the rain, bring it up", "add thunder,
  but distant"); so does a complaint's fix with a pronoun, whatever the joiner ("the crowd is too loud
  - bring it down").
- A piece naming a sound but no verb: after "with", an add ("more rain with some thunder"); after a
  list joiner ("and", "then", ","), the previous edit's kind ("add rain and thunder"), but an add when
  it opens with "a" / "some" or places the sound ("distant thunder") after a level change, or follows "plus"
  ("more footsteps plus a door slam", "no horn, plus a siren"); a sound doing its thing is an add ("thunder
  rumbles", "a siren approaches"); before "and" another sound with a comparative, that level change ("make the
  dog and the horn quieter"); alone, an add ("thunder please"). "The same X" names the clip, not an edit.
- "..., which are louder now" goes on about the previous piece's last sound ("seagulls join the waves").
- A fix in the next sentence goes with the sound just named or complained about ("there's a horn honking - ditch
  it", "the siren is piercing. Quieter please", "it's too busy. calm the traffic"); "the X too" repeats the previous
  edit; a "with" sound edited later named the scene; a bed before "plus" / "and" an arriving sound is the scene
  (readers 11-16, MODEL_CARD). A sound said to be new ("instead", "in its place", "that wasn't there", "followed
  by", an event "now") arrives; a clause after "when" says when, not what; one level change told twice is one
  edit (reader 20). A sound introduced by "a" with a verb of its own arrives ("a horse whinnies at the rail"); a
  sound only named ("There's a cow") and edited later is not added (readers 21-23). A sign after a sound reads like
  one before it ("thunder+ dog-", reader 25). Misspelt words are mended by model.modifier_spelling (a word spelt as
  it sounds, "musick", from reader 27).
- Kind of a piece: its strongest cue (model.modifier_verbs); "more X"/"less X" always read as
  louder/quieter: whether X is already in the clip cannot be known from the text; training sees the
  same canonical text for such descriptions, whatever the true edit.
- Sound: the first known sound phrase of the piece (longest match: names, plurals, synonyms, AudioSet
  terms of one class); none but "it", "them", "everything" -> the main sound; leftover content words
  with a verb -> an unknown sound.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field

from model.edits import ADD, LOUDER, QUIETER, REMOVE, Edit
from model.modifier_approx import (
    approximated_words,
    approximation_message,
    stood_in_calls,
    stood_in_message,
    unknown_callers,
)
from model.modifier_fixes import completes, fix_decides, names_complaint, same_edit, topic
from model.modifier_pieces import COPULA, Piece, unknown_word
from model.modifier_said import folded, read_pieces
from model.modifier_scene import (
    WITH_JOINERS,
    bed_described,
    bed_going_on,
    event_over_bed,
    is_scene,
    named_only,
    scene_with,
)
from model.modifier_spelling import a_real_word, correct_spelling, unglued  # noqa: F401  (correct_spelling re-exported)
from model.modifier_verbs import EFFECT_WORDS, cue_kind
from model.sound_lexicon import find_sounds, nearest_known, tokens
from model.sound_vocab import BY_ID
from model.text_backbone import MAX_CLAUSES, has_words, split_clauses

MAX_READ_CHARS = 300  # a modifier is a sentence or two; a pasted page is read up to here (the reader is not linear)
TRAINED_LISTED = 8  # a sound the model was not trained on is said with at most this many it was (the list is long)
READER_VERSION = 150  # bump when the clauses a text turns into change (caches are rebuilt); MODEL_CARD "Reader 3"-"150"

# joiners after which a piece naming a sound but no verb continues a list ("add rain and thunder")
_LIST_JOINERS = frozenset({"and", "&", "+", "plus", "as well as", ",", ", and", "and also", ", and also", "also",
                           ", also", ", plus", "then", ", then", "and then", ", and then", "or"})
# a level change of the clip as a whole, or of both sounds: not the previous one said again ("lower both")
_ALL_BUT = re.compile(r"\b(?:everything|all|anything|every sound|the rest)\s+(?:but|except(?: for)?|other than|apart "
                      r"from|besides|save)\b(?:\s+(?:the|a|an|that|this|my))?(?:\s+[\w'-]+)?", re.IGNORECASE)
_WHOLE = frozenset({"whole", "everything", "overall", "entire", "all", "master", "mix", "both"})
# "the siren is louder": a statement about one sound, not a level shared with the sound before ("the dog and ...");
# a plural "are" / "were" says both ("the birds and the dog are gone"; reader 45)
_SINGULAR_COPULA = COPULA - {"be", "been", "being", "are", "were"}


@dataclass(frozen=True)
class UnknownSound:
    word: str  # "kazoo"
    nearest_known: list[str]  # model.sound_vocab ids, nearest first
    audioset: list[str]  # YAMNet AudioSet display names that name the word
    kind: str | None = None  # the edit asked of it (add / remove / louder / quieter), if read
    scored: bool = False  # the search scores it through its AudioSet classes (model.edit_rerank)
    effect: bool = False  # a word of processing or quality ("reverb", "echo", "bass"): no sound at all

    def message(self) -> str:
        """'kazoo: not a sound Nudge knows; nearest known: music', or for a word the search scores
        through AudioSet: 'helicopter: matched through AudioSet classes (Helicopter); nearest known: ...'."""
        if self.effect:
            return (f"{self.word}: an effect or quality of a sound, not a sound, so left out of the search (Nudge "
                    "reads sounds added, removed, made louder or quieter)")
        text = f"{self.word}: not a sound Nudge knows"
        if self.scored and self.audioset:
            text = f"{self.word}: matched through AudioSet classes ({', '.join(self.audioset)})"
        if self.nearest_known:
            text += "; nearest known: " + ", ".join(BY_ID[c].name for c in self.nearest_known)
        return text


@dataclass(frozen=True)
class ParsedModifier:
    edits: list[Edit]  # the edits read, in order
    clauses: list[str]  # what the model embeds, one per slot: canonical texts, raw text where unread
    unknown: list[UnknownSound] = field(default_factory=list)
    unparsed: list[str] = field(default_factory=list)  # pieces kept as raw text (unknown sounds included)
    overflow: list[str] = field(default_factory=list)  # clauses beyond the slots, joined into the last one
    untrained: list[str] = field(default_factory=list)  # sounds read whose class the heads were not trained on
    trained: list[str] = field(default_factory=list)  # the heads' trained classes (set with ``untrained``)
    cut: bool = False  # the text was longer than MAX_READ_CHARS: only its start was read
    kept_only: bool = False  # the words only keep sounds as they are ("keep the rain"): nothing to embed
    all_but: str = ""  # ... said as "everything but the horn": the words that said it
    approximated: list[tuple[str, str]] = field(default_factory=list)  # model.modifier_approx: ("heavier", "louder")
    stood_in: list[tuple[str, str]] = field(default_factory=list)  # ("hawk screech", "tire screech"): said
    cancelled: list[str] = field(default_factory=list)  # sounds removed and added in one text: no edit, said
    left_out: list[str] = field(default_factory=list)  # pieces read as no edit, left without a place by the edits

    def messages(self, named_first: Collection[str] = ()) -> list[str]:
        """What the app and CLI tell the user about this reading; ``named_first``: unknown sound words whose named
        files the search put first (said so, not that the words pull the results anywhere)."""
        out = [u.message() for u in self.unknown]
        if self.kept_only and self.all_but:  # trial 51: "remove everything but the horn" was said to keep sounds
            out.append(f"“{self.all_but}”: Nudge removes the sounds named, one by one (“remove the traffic and the "
                       "rain”), not every sound but one; no edit was read, the sound alone ranks the results (to hear "
                       "one sound on its own, search its name without a query sound)")
        elif self.kept_only:
            out.append("these words only keep sounds as they are: the sound alone ranks the results")
        unknown = [u.word for u in self.unknown if not u.effect]
        if not self.edits and self.unparsed and unknown and set(unknown) <= set(named_first):  # "add a hawk"
            out.append(f"no edit read: the files named for {', '.join(unknown)} come first, then the words steer the "
                       "search as typed (name a sound Nudge knows to read an edit)")
        elif not self.edits and self.unparsed and unknown:  # "add a kazoo": said, and what that means for the results
            out.append(f"no edit read: with no sound Nudge knows for {', '.join(unknown)}, the words steer the search "
                       "as typed and may pull the results anywhere (clear them, or name a sound Nudge knows)")
        elif not self.edits and self.unparsed:  # "make it brighter": said, not silently embedded
            out.append("no edit read in these words (Nudge reads a sound added, removed, made louder or quieter); "
                       "they steer the search as typed")
        if self.untrained:  # one line for all of them: the trained list is long
            names = [BY_ID[sound].name for sound in self.untrained]
            these = ("this sound, so it may be read as a similar one" if len(names) == 1 else
                     "these sounds, so they may be read as similar ones")
            known = [BY_ID[c].name if c in BY_ID else c.replace("_", " ") for c in self.trained]
            trained = (f"trained on: {', '.join(known)}" if len(known) <= TRAINED_LISTED else
                       f"trained on {len(known)} sounds, among them {', '.join(known[:TRAINED_LISTED])}")
            out.append(f"{', '.join(names)}: Nudge was not trained on {these} ({trained})")
        if self.approximated:
            out.append(approximation_message(self.approximated))
        if self.stood_in:
            out.append(stood_in_message(self.stood_in))
        for sound in self.cancelled:
            name = BY_ID[sound].name
            alone = "; the sound alone ranks the results" if not self.edits and not self.clauses else ""
            out.append(f"{name}: swapped for itself (Nudge reads both words as {name}), so no edit is read for it"
                       f"{alone}")
        if self.left_out:
            named = ", ".join(f"\u201c{c}\u201d" for c in self.left_out)
            out.append(f"{named}: no edit read, left out of the search (the edits read are what it searches with)")
        if self.cut:
            out.append(f"only the first {MAX_READ_CHARS} characters of the words are read")
        if self.overflow:
            named = ", ".join(repr(c) for c in self.overflow[:3])
            more = f" and {len(self.overflow) - 3} more" if len(self.overflow) > 3 else ""
            shares = "share" if len(self.overflow) > 1 else "shares"
            raw = [c for c in self.clauses if c in self.unparsed]  # "A stormy night": no edit, embedded as typed
            parts = (f"parts of the words are read apart (an edit each, or text kept as typed: {raw[0]!r})" if raw
                     else "edits are read apart")
            out.append(f"only {len(self.clauses)} {parts}; {named}{more} {shares} the last one")
        return out


def canonical_text(edit: Edit) -> str:
    """'add dog barking', 'remove the car horn', 'make the rain louder', 'make it quieter'."""
    if edit.sound is None:
        return f"make it {edit.kind}" if edit.kind in (LOUDER, QUIETER) else f"{edit.kind} it"
    name = BY_ID[edit.sound].name
    if edit.kind == ADD:
        return f"add {name}"
    if edit.kind == REMOVE:
        return f"remove the {name}"
    return f"make the {name} {edit.kind}"


def edits_text(edits: list[Edit]) -> str:
    """Edits as words the reader reads back as them: their canonical texts joined by "and" ("make it louder and add
    thunder"); a note's link searches with them (app.service_model), a reading against the query too (own_sound)."""
    return " and ".join(canonical_text(e) for e in edits)


def _share_level_backwards(pieces: list[Piece]) -> None:
    """"make the dog and the horn quieter": a sound named with no verb, then "and" another sound with a comparative
    at its end, takes that level change too."""
    for piece, nxt in zip(pieces, pieces[1:], strict=False):
        last = tokens(nxt.raw)[-1:]
        if (piece.kind is None and piece.sound and not piece.leftover and not piece.pronoun and not piece.happening
                and not piece.article and not piece.placed and not _SINGULAR_COPULA & set(tokens(nxt.raw))
                and nxt.joiner in ("and", "&") and nxt.sound and nxt.kind in (LOUDER, QUIETER, REMOVE)
                and last and cue_kind(last[0]) == nxt.kind):
            piece.kind, piece.priority = nxt.kind, nxt.priority


def _merge(pieces: list[Piece]) -> list[Piece | str]:
    """Pieces -> edits (pieces with a kind) or raw text; see the module rules. Pieces that say nothing
    ("now", "please") and pieces naming the clip as it is ("the same rain", "the birds remain") are left out."""
    pieces = [p for p in pieces if p.kind is not None or p.sound is not None or p.pronoun or p.leftover]
    _share_level_backwards(pieces)
    items: list[Piece] = []
    for i, piece in enumerate(pieces):
        if piece.relative and piece.sound is None and not piece.pronoun and i:
            piece.sound = pieces[i - 1].last_sound  # "seagulls join the waves, which are louder now"
        prev = items[-1] if items else None
        if prev is not None and same_edit(prev, piece):
            prev.raw += f"{piece.joiner} {piece.raw}" if piece.joiner in (",", "") else f" {piece.joiner} {piece.raw}"
            if completes(prev, piece) or (names_complaint(prev, piece) and prev.sound is None):
                prev.sound, prev.leftover, prev.last_sound = piece.sound, [], piece.last_sound
            elif (prev.kind is None or fix_decides(prev, piece)
                    or (scene_with(prev) and piece.kind in (LOUDER, QUIETER, REMOVE))):
                prev.kind, prev.priority = piece.kind, piece.priority  # (with birds, the birdsong thinned out)
            continue
        edit_before = prev is not None and prev.kind is not None
        if piece.kind is None and piece.sound is not None and not piece.context:
            if piece.happening:
                piece.kind, piece.leftover = ADD, []  # "thunder rumbles", "the birds start singing"
            elif piece.joiner in WITH_JOINERS:
                piece.kind = ADD  # "more rain with some thunder", "the same forest with an owl hooting"
            elif piece.also and edit_before:
                assert prev is not None
                piece.kind = prev.kind  # "trim it hard; the thunder too"
            elif (edit_before and piece.joiner in _LIST_JOINERS and not piece.leftover
                  and not topic(piece, pieces[i + 1] if i + 1 < len(pieces) else None)
                  and not (i + 1 < len(pieces) and pieces[i + 1].relative)):  # "and the dog, which is louder"
                assert prev is not None and prev.kind is not None
                arrives = piece.article or piece.placed or piece.acting  # "more rain and a dog", "louder rain +
                # distant thunder", "room tone lowered, clock ticking"
                introduces = ((arrives and prev.kind in (LOUDER, QUIETER)) or (prev.pronoun and prev.sound is None)
                              or (piece.article and piece.acting)  # "beeping removed, a clock ticking"
                              or (piece.acting and prev.kind == REMOVE and "gone" in tokens(prev.raw))  # "the horse
                              # gone and sheep bleating" (reader 113)
                              or ("plus" in piece.joiner and prev.kind != ADD)  # "no horn, plus a siren"
                              or (piece.joiner == "+" and prev.kind != ADD  # "traffic quieter + siren" (but
                                  and not piece.raw.lower().startswith("the ")))  # "remove the dog + the horn")
                piece.kind = ADD if introduces and not piece.also else prev.kind  # "add rain and thunder", "more rain
                # and a dog"; "take the bed down, the dog barking too"
            elif (not piece.leftover or (len(pieces) == 1 and len(piece.leftover) <= 2)) and (
                    not edit_before or piece.joiner not in _LIST_JOINERS):
                piece.bare = True  # a sound alone: an add ("thunder please"), unless a verb follows
        elif (piece.kind is None and piece.sound is None and piece.joiner in WITH_JOINERS and piece.article
              and piece.leftover and not {"one", "ones"} & set(tokens(piece.raw)) and not piece.context):
            piece.kind = ADD  # "is there one with a kazoo in it": a sound Nudge does not know, said (reader 92)
        elif (piece.kind is None and edit_before and piece.joiner in _LIST_JOINERS and piece.leftover
              and not piece.pronoun and not piece.context and prev is not None and prev.kind in (ADD, REMOVE)):
            piece.kind = prev.kind  # "add thunder and a kazoo"
        items.append(piece)
    items = [item for i, item in enumerate(items) if not (named_only(item) and any(
        later.sound == item.sound and later.kind in (LOUDER, QUIETER, REMOVE) for later in items[i + 1:]))]
    if len(items) > 1 and event_over_bed(items[0], items[1]):
        items[1].context, items[1].kind = True, None  # "A thunderstorm with heavy rain": the rain is the scene
    elif (len(items) > 1 and items[0].kind is None and (items[0].bare or bed_going_on(items[0])
                                                       or bed_described(items[0], items[1]))
            and is_scene(items[0], items[1])):
        items[0].context = True  # "Rain, with a dog barking", "Rain falling with a dog barking": the rain is the scene
    out: list[Piece | str] = []
    for item in items:
        if item.context and item.kind is None:
            continue
        if item.kind is None and item.bare:
            item.kind = ADD  # "thunder please", "maybe a crow?" (but "the rain, bring it up" took a verb)
        if item.kind is not None:
            out.append(item)
        elif out and isinstance(out[-1], str):  # consecutive unread pieces stay one raw text
            out[-1] = f"{out[-1]} {item.joiner} {item.raw}".replace(" , ", ", ")
        else:
            out.append(item.raw)
    return out


def parse_modifier(text: str, max_clauses: int = MAX_CLAUSES, main_sound: str | None = None) -> ParsedModifier:
    """Read a modifier into edits and the clauses the model embeds (canonical or raw), at most
    ``max_clauses`` (the rest joins the last slot and is reported). ``main_sound``: the clip's main
    sound class, if known, marks edits of it as main. Only the first MAX_READ_CHARS characters are read."""
    if text.strip() and not has_words(text):  # punctuation alone ("!!!???"): no words, nothing to read or say
        return ParsedModifier([], [])
    text = unglued(folded(text))
    cut = len(text) > MAX_READ_CHARS
    if cut:  # up to the last whole word
        head = text[:MAX_READ_CHARS]
        text = head.rsplit(None, 1)[0] if len(head.split()) > 1 else head
    edits, slots, unknown, unparsed = [], [], [], []
    pieces = read_pieces(text)
    merged = list(_merge(pieces))
    if pieces and not merged and all(p.context for p in pieces):  # "keep the rain", "don't touch the rain"
        said = _ALL_BUT.search(text)
        return ParsedModifier([], [], cut=cut, kept_only=True, all_but=said.group(0) if said else "")
    chatter: list[str] = []  # pieces read as text alone or as a verb with no sound (reader 139)
    for item in merged:
        if isinstance(item, str):
            slots.append(item)
            unparsed.append(item)
            chatter.append(item)
        elif item.sound is not None:
            edit = Edit(item.kind, item.sound, is_main=item.sound == main_sound)
            if edit in edits and (edit.kind in (LOUDER, QUIETER) or item.joiner in WITH_JOINERS or (
                    edit == edits[-1] and item.joiner not in _LIST_JOINERS)):  # "start up - add an engine" (107)
                continue  # "the hooves are barely audible ...; the horse should be louder": one level change; "add
                # digging with a shovel": one add (reader 67)
            edits.append(edit)
            slots.append(canonical_text(edit))
        elif item.leftover and not (item.pronoun and item.kind in (LOUDER, QUIETER)):
            word = " ".join(unknown_word(item.leftover))
            if EFFECT_WORDS & set(tokens(word)):  # no sound: left out of what the model embeds (reader 77)
                unknown.append(UnknownSound(word, [], [], item.kind, effect=True))
                continue
            known, audioset = nearest_known(word, spelling=not all(a_real_word(w) for w in tokens(word)))
            unknown.append(UnknownSound(word, known, audioset, item.kind))
            slots.append(item.raw)
            unparsed.append(item.raw)
        elif item.kind in (LOUDER, QUIETER):
            if edits and edits[-1].kind == item.kind and (edits[-1].sound is None or (
                    item.joiner == "" and not _WHOLE & set(tokens(item.raw)))):
                continue  # the clip's level change said again ("too loud. everything. bring it down"), or a named
                # sound's run on with no joiner ("the thunder needs more punch make it louder"; reader 108: after a
                # joiner, "turn up the blast and also bring it up", "... louder. crank it" are the main sound too)
            edit = Edit(item.kind, None, is_main=True)
            edits.append(edit)
            slots.append(canonical_text(edit))
        else:  # "add it", "remove this": no sound to add or remove
            slots.append(item.raw)
            unparsed.append(item.raw)
            chatter.append(item.raw)
    cancelled = sorted({e.sound for e in edits if e.kind == REMOVE} & {e.sound for e in edits if e.kind == ADD})
    if cancelled:  # "swap the machine gun for a shotgun": both gunshot, two edits that cancel (reader 109)
        gone = [e for e in edits if e.sound in cancelled and e.kind in (ADD, REMOVE)]
        edits = [e for e in edits if e not in gone]
        slots = [c for c in slots if c not in {canonical_text(e) for e in gone}]
        if not edits:
            return ParsedModifier([], slots, unknown, unparsed, cut=cut, cancelled=cancelled)
    for made, source, pair in unknown_callers(text, edits):  # "a hawk screeching": a hawk, no tire screech
        edits = [e for e in edits if e != made]
        slots = [pair if c == canonical_text(made) else c for c in slots]
        unparsed.append(pair)
        unknown.append(UnknownSound(source, *nearest_known(source, spelling=False), made.kind))
    effects = [w for w in dict.fromkeys(tokens(text)) if w in EFFECT_WORDS] if not edits and not unknown else []
    if effects:  # "reverb", "pitch it down" typed alone: no sound, nothing to embed (reader 88)
        return ParsedModifier([], [], [UnknownSound(w, [], [], None, effect=True) for w in effects], cut=cut)
    if not edits and not unknown:
        return ParsedModifier([], split_clauses(text, max_clauses), [], [text.strip()] if text.strip() else [],
                              cut=cut)
    chatter_out = [c for c in slots if c in chatter and not find_sounds(tokens(c))] if edits else []  # "that's the
    # one, now add thunder": not embedded; a piece naming a sound keeps its place ("... & an explosion would rock")
    slots = [c for c in slots if c not in chatter_out]
    slots, left_out = _edits_first(slots, unparsed, max_clauses)
    left_out = chatter_out + left_out
    unparsed = [c for c in unparsed if c not in left_out]
    if edits:  # an effect word folded into an edit's piece ("louder, with more reverb"; trial 53): said, as elsewhere
        said = {u.word for u in unknown} | {w for c in left_out + unparsed for w in tokens(c)}
        left_out += [w for w in dict.fromkeys(tokens(text)) if w in EFFECT_WORDS and w not in said]
    overflow, approximated = slots[max_clauses:], approximated_words(text, edits)
    if overflow:
        slots = slots[: max_clauses - 1] + [" and ".join(slots[max_clauses - 1 :])]
    return ParsedModifier(edits, slots, unknown, unparsed, overflow, cut=cut, approximated=approximated,
                          stood_in=stood_in_calls(text, edits), cancelled=cancelled, left_out=left_out)


def _edits_first(slots: list[str], unparsed: list[str], places: int) -> tuple[list[str], list[str]]:
    """(the slots kept, the pieces left out): with more slots than places, the edits' slots take the places first and
    a piece read as no edit keeps its slot only while a place is free, in the text's order ("love it, add thunder and
    lose the dog": both edits get a place, "love it" none; reader 137)."""
    if len(slots) <= places:
        return slots, []
    raw = set(unparsed)
    free = max(0, places - sum(c not in raw for c in slots))
    kept, left_out = [], []
    for c in slots:
        if c not in raw:
            kept.append(c)
        elif free:
            kept.append(c)
            free -= 1
        else:
            left_out.append(c)
    return kept, left_out


def modifier_clauses(text: str, max_clauses: int = MAX_CLAUSES) -> list[str]:
    """The texts the model embeds for a modifier, one per clause slot: the single place every
    embedding path (app encoder, feature caches, benchmarks) turns a modifier into clauses."""
    return parse_modifier(text, max_clauses).clauses
