"""Where the library lives and the tunable defaults of import and search."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DATA_DIR_ENV = "NUDGE_DATA_DIR"


def default_data_dir() -> Path:
    """$NUDGE_DATA_DIR, else the per-user data directory (e.g. ~/.local/share/nudge). Set but empty is refused, as
    --data-dir "" is: a script's unset variable must not open (and change) the user's own library."""
    env = os.environ.get(DATA_DIR_ENV)
    if env is not None and not env.strip():
        from app.errors import LibraryError

        raise LibraryError(f"{DATA_DIR_ENV} is set but empty (an unset variable in a script?): give it a folder, or "
                           "unset it to use your own library")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("nudge", appauthor=False))


@dataclass
class IndexConfig:
    """Import and search settings; the defaults suit a 2-core desktop."""

    workers: int = 2  # decode/feature processes; 0 = in the calling process
    in_process_below: int = 8  # imports of fewer files skip the process pool start-up
    commit_every: int = 32  # files per transaction (vectors are fsynced first)
    commit_seconds: float = 2.0  # ... or this much time, whichever comes first
    decode_timeout: float = 300.0  # seconds per file in a worker, then it is recorded as failed
    exact_below: int = 20_000  # exact numpy search up to this many vectors, HNSW above
    hnsw_m: int = 16  # graph degree: 16 keeps build time and memory modest (bench/bench_index.py)
    hnsw_ef_construction: int = 64
    hnsw_ef_search: int = 512  # 1M segment vectors: recall@10 0.97 at p50 ~2 ms (bench/bench_segment_ann.py)
    rerank_factor: int = 4  # HNSW returns max(rerank_factor * k, rerank_min) candidates ...
    rerank_min: int = 64  # ... which are re-scored exactly
    # long takes' windows (app.moment_terms; chosen on the planted-event sets of seeds 0-2, measured on fresh
    # sets: README "Long recordings")
    moment_contrast: float = 2.0  # x strength: a window standing out along words that add an event
    moment_clip_contrast: float = 1.0  # ... moving from the take's typical window toward the clip, when the words
    # add a bed (the clip is the event; app.moments.toward)
    moment_bed_classes: float = 2.0  # a take's typical window holding the classes of the bed the words add
    moment_clip_classes: float = 3.0  # ... holding the clip's own strongest classes, when the words add an event
    moment_place_classes: float = 0.5  # x strength: a window standing out in the classes of the event the words
    # add, for where the moment lies inside a take (not which take)
    moment_event_gate: float = 0.0  # the words' contrast counts where the event's classifier logit rises this
    # much from the take's typical window (app.moments.event_gate; 0: everywhere)
    moment_specific: float = 0.0  # the words' contrast leaves out this share of its part along what every
    # "add <sound>" shares (app.moment_terms.specific_direction; 0: T(words) itself)
    moment_take_cap: float = 0.0  # a take's class term lowers it at most this much (0: no cap; README "Long
    # recordings", sixth round)
    moment_take_relief: bool = False  # words adding an event: a take's class term x (1 - its typical window's value of
    # the event's classes) (README "Long recordings", seventh round)
    moment_take_floor: bool = False  # a take's class term lowers a row at most by what the row gained from the
    # contrasts: never below its own cosine (README "Long recordings", eighth round)
    moment_take_floor_at: float = 0.5  # ... only for a take whose typical window holds the event the words add this
    # much (YAMNet probability; 0: off; README "Long recordings", ninth round)
    moment_take_heard: float = 0.0  # the take's class term's reference is at most this (YAMNet probability): a take
    # holding the classes this clearly is not lowered (0: no bound; docs/MEASUREMENTS.md, twelfth round)
    moment_take_floor_own: float = 0.0  # ... and for a take whose typical window holds the term's own classes (the
    # clip's, or the bed the words add) this much (0: off; docs/MEASUREMENTS.md, thirteenth round)
    moment_bed_heard: float = 0.5  # ... only where the words add or raise a bed: the bed term's reference is at most
    # this (0: 1, the bed heard fully; docs/MEASUREMENTS.md, fourteenth round, the default since the fifteenth)
    moment_named_plain: bool = False  # words adding or raising a sound: long takes named for it scored by their cosine
    # alone, as files marked "more like this" are (docs/MEASUREMENTS.md, sixteenth round)
    moment_named_floor: bool = True  # ... or keep their terms, no row below its cosine (seventeenth round: the default)
    moment_named_carried: bool = True  # ... named for what the session's earlier edits still add or raise too (on)
    moment_named_query: bool = False  # ... or for what the query file's own name says (eighteenth round)
    moment_row_floor: bool = True  # ... and, in any take, a window that itself holds the clip's classes (0.5, or the
    # clip's own value if lower) and the event the words add (moment_take_floor_at) is not lowered below its cosine
    # (docs/MEASUREMENTS.md, nineteenth round: the default)
    moment_raised_bed_plain: bool = True  # words that raise a bed and add none, from a clip holding it: no clip
    # contrast (the clip is the bed, not an event to find in a take; docs/MEASUREMENTS.md "A raised bed ...": on)
    moment_min_windows: int = 5  # files of fewer windows get no stand-out, only the take's class term (README "Long
    # recordings", eleventh round)
    moment_share: float = 0.5  # a window joins the best one's moment above share of the way down to the file's
    # median window (app.moments)
    compact_above: float = 0.3  # rewrite the vector file when this share of rows is unused
    aligned_rerank: bool = True  # reorder the first results of a search with a query file and edits by reading
    # the edits moment by moment (app.rerank, model.aligned_rerank); off: cosine order alone
    added_heard: bool = True  # ... and the first results the reranker did not read that YAMNet hears a sound the words
    # add in go first among them (app.heard_edits; docs/MEASUREMENTS.md "Added sounds heard")
    added_named: bool = True  # ... and so do those whose name or folder says the sound (docs/MEASUREMENTS.md "Added
    # sounds named")
    level_kept: bool = False  # ... and for words changing only the level of "it", the query's own sound is kept first
    # as if added (off since trial 51: a rain take's own sound read as a stream; docs/MEASUREMENTS.md "The query's own
    # sound, for level words")
    added_moment_heard: bool = True  # ... a long take's moment holding an added event sound heard at 0.5, not 0.85
    # (its windows hold the bed too; docs/MEASUREMENTS.md "Added sounds in a long take's moment, heard at 0.5")
    added_named_beds: bool = True  # ... and for beds the words add (rain, wind), their names alone count
    # (docs/MEASUREMENTS.md "Added beds, by name")
    added_named_both: bool = True  # ... and for sounds of both roles (birds, a helicopter), their names alone count
    # (docs/MEASUREMENTS.md "Added sounds that can be a bed, by name")
    added_heard_apart: bool = True  # ... YAMNet's hearing not counting for a file whose name says another sound
    # (docs/MEASUREMENTS.md "Added sounds heard, not where the name says another sound")
    added_pulled: int = 10  # ... and up to this many short files from beyond the first K that hold it join them, best
    # match first (app.added_beyond; 0: off; docs/MEASUREMENTS.md "Added sounds from further down")
    rerank_min_match: float = 0.0  # the reranker reads a result only where its whole-file cosine to A(query sound) is
    # at least this (versions of the clip); 0: every result of about the query's length (docs/MEASUREMENTS.md "The
    # reranker reads versions of the clip only")
    rerank_min_match_short: float = 0.6  # ... at least this for a query shorter than ONE_SHOT_SECONDS (a one-shot;
    # app.rerank_reads.min_match_for; docs/MEASUREMENTS.md "One-shots: the reordering reads only results that sound
    # like them": shipped 2026-12-07, the val folder as before or better, our OOD set pair for pair); 0: off
    versions_whole: bool = True  # with a query clip (up to 60 s), files of about its length that are stored cut into
    # windows (over 14.4 s) are matched whole and read by the reranker as its possible versions, not as long takes
    # (app.rerank_reads.version_positions; docs/MEASUREMENTS.md "Versions over 14.4 s, matched whole")
    it_as_bed: bool = False  # ... and reads a level edit of "it" as naming the bed YAMNet hears most in the query
    # (model.own_sound.it_as_bed; the words embedded as typed; off: it failed its rule, our OOD set 0.622 -> 0.621;
    # docs/MEASUREMENTS.md, “It” read as the bed)
    rerank_version_reach: int = 2  # ... and reads the possible versions of a query clip found past the first K results
    # within the first reach x K (app.rerank_reads.versions_in_reach; 0: off; docs/MEASUREMENTS.md "Versions of the
    # clip read from further down": on, v2 eval through search R@1 0.514 -> 0.519, R@10 0.899 -> 0.921)
    rerank_read_within: float = 0.0  # ... and only where its match is within this of the first result's; 0: off
    # (app.rerank_reads.near_best; docs/MEASUREMENTS.md "The reordering reads only results near the best match")
    level_named: bool = True  # ... and for words changing the level of a sound they name ("more traffic"), that
    # sound as if added (docs/MEASUREMENTS.md "Named sounds made louder or quieter, by name")
    added_unknown_named: bool = True  # with a query sound, files named for a sound Nudge does not know that the words
    # add ("add a hawk": Hawk.ogg) come first (app.added_beyond.unknown_first;
    # docs/MEASUREMENTS.md "Unknown sounds added, by name")
    hint_later: bool = True  # below strength 1 the files lifted for the words' sound come after a few others
    # (app.heard_edits.hint_offset; docs/MEASUREMENTS.md "A low strength lifts the sound's files later")
    level_quieter_own: bool = False  # level_named for a sound made quieter only where it is the query's own sound
    # (trial 54: "less wind" on wind + rain moved wind recordings up; docs/MEASUREMENTS.md "Quieter, by name")
    quieter_needs_heard: bool = True  # level_named lifts no sound made quieter that the unheard note says Nudge does
    # not hear in the query (trial 57: "less thunder" on a rain bed lifted 12 thunder recordings; app.heard_edits
    # .quieter_unheard; docs/MEASUREMENTS.md "Quieter, by name, lifts nothing Nudge does not hear in the query")
    quieter_unheard_seconds: float = 3.0  # ... in a query (or range) this long or more: a take, not a one-shot
    # (app.heard_edits.withheld_quieter; docs/MEASUREMENTS.md "... lifts nothing Nudge does not hear in a take":
    # shipped 2026-12-07, the val folder and our OOD set as before)
    level_lean: float = 0.0  # "make it louder / quieter" on a single recording: the first short results the reranker
    # did not read lean toward louder / quieter files by this much of the score at 12 dB (0: off; app.level_lean)
    read_needs_rise: float = 0.0  # a result the reranker read keeps its slot above the added sounds' holders only where
    # YAMNet hears an added sound in it this much more than in the query (0: off; "Versions keep their slot ...")
    added_typed_named: bool = True  # ... and files named for the word typed where it was read as a broader sound Nudge
    # knows ("add a jackhammer": power tool; jackhammer.mp3 first; docs/MEASUREMENTS.md "Words read as a broader sound")
    added_takes_kept: bool = False  # ... but a long take's moment the moment terms scored above its match keeps its
    # slot (off: it failed its rule on the val folder, 0.293 -> 0.291; docs/MEASUREMENTS.md "Added sounds: long takes
    # keep their places")
    marked_evidence: float = 1.0  # with results marked more / less like this, the reranker's evidence counts this
    # much beside the marked query's cosine (0: the marks' cosine order alone; bench.bench_feedback --marked-evidence)
    words_alone_classes: float = 0.4  # words with no query sound: + this x the file's YAMNet presence of the sounds
    # they name (app.named_sounds.sound_presence), so hiss and room tone do not come first; chosen on val
    # (MODEL_CARD "The named sound's YAMNet class in a search with words alone")
    words_alone_pool: int = 1000  # ... among the first this many by cosine
    words_alone_named: bool = True  # ... a file named for the sound holding it fully, the best 100 such candidates too
    # (docs/MEASUREMENTS.md "Words alone: files named for the sound")
    words_alone_heard: int = 100  # ... and the this many files YAMNet hears the named sounds in most (trial 47: a file
    # the class put #7 was missing from pages of up to 500, outside the first 1000 by cosine)
    leave_out_deleted: bool = True  # a result whose file is gone since the import is left out (one stat per result;
    # off for bench.bench_index's synthetic libraries, whose paths do not exist)

    def moment_weights(self):
        """The weights of app.moment_terms."""
        from app.moment_terms import TermWeights

        return TermWeights(self.moment_contrast, self.moment_clip_contrast, self.moment_bed_classes,
                           self.moment_clip_classes, self.moment_place_classes, self.moment_event_gate,
                           self.moment_specific, self.moment_take_cap, self.moment_take_relief,
                           self.moment_take_floor, self.moment_take_floor_at, self.moment_min_windows,
                           self.moment_take_heard, self.moment_take_floor_own, self.moment_bed_heard,
                           self.moment_row_floor, self.moment_raised_bed_plain)
