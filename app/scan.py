"""Walk library folders and decide, per file, what an import has to do (quod libet style size/mtime check)."""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass, field
from pathlib import Path

from app.db import LibraryDB, path_key
from app.errors import describe_path
from model.audio_io import AUDIO_EXTENSIONS, audio_info, file_kind
from model.errors import AudioDecodeError
from model.segments import SEGMENT_LAYOUT, SHORT_FILE_SECONDS

# AUDIO_EXTENSIONS (model.audio_io): what soundfile decodes. Files with other extensions (text, images, project
# files ...) are not sound files: they are skipped silently and never recorded.


# Sound formats soundfile cannot decode: recorded as failed with advice, so they do not vanish silently.
UNSUPPORTED_AUDIO_EXTENSIONS = frozenset(
    ".m4a .m4b .aac .alac .wma .ape .wv .tta .mpc .mka .webm .amr .ac3 .dts .dsf .dff .ra .3gp".split()
)


def is_audio_name(name: str) -> bool:
    """A sound file the import should record (decodable or not)."""
    ext = os.path.splitext(name)[1].lower()
    return ext in AUDIO_EXTENSIONS or ext in UNSUPPORTED_AUDIO_EXTENSIONS


def unsupported_reason(path: str) -> str | None:
    """Why a file with a sound format's extension that soundfile cannot decode is not imported; None when its
    extension is not such, or when its content decodes all the same (an OGG named .m4a: a query accepts it too)."""
    ext = os.path.splitext(path)[1].lower()
    if ext not in UNSUPPORTED_AUDIO_EXTENSIONS:
        return None
    try:
        audio_info(path)  # a header read, only for these rare files
        return None
    except AudioDecodeError:
        return f"{describe_path(path)}: unsupported audio format ({ext}); convert it to WAV, FLAC, OGG or MP3"


@dataclass
class Candidate:
    """A sound file found on disk, with what the import must do with it."""

    path: str
    size: int
    mtime_ns: int
    action: str  # 'new' | 'changed' | 'unchanged' | 'restored' | 'moved' | 'still_failed' (failed before, same bytes)
    # | 'reject' (recorded as failed, not decoded)
    error: str | None = None
    renamed_from: tuple[int, ...] = ()  # gone files of this size and mtime under other names: the import embeds it
    # and takes over the one whose vectors it reproduces (app.indexer)
    inode: tuple[int, int] | None = None  # (device, inode) of what the path opens: links to one file share it


@dataclass(frozen=True)
class Move:
    """A known file found under a new path (renamed or moved): its row, with stars, tags and vectors, follows it."""

    file_id: int
    old_key: bytes
    new_path: str


@dataclass
class ScanPlan:
    """Everything found in the scanned folders, and the database rows no longer on disk."""

    candidates: list[Candidate] = field(default_factory=list)
    missing_ids: list[int] = field(default_factory=list)
    still_missing_ids: list[int] = field(default_factory=list)  # missing at an earlier import, still not there
    restored_ids: list[int] = field(default_factory=list)
    missing_folders: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    moves: list[Move] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)  # (path left out, path imported): one file, two paths
    link_rows: list[tuple[int, str]] = field(default_factory=list)  # (row, path imported) of left-out paths an
    # earlier import recorded

    def to_embed(self) -> list[Candidate]:
        return [c for c in self.candidates if c.action in ("new", "changed")]

    def count(self, action: str) -> int:
        return sum(c.action == action for c in self.candidates)


def walk_audio(folder: Path, warnings: list[str], skip: Path | None = None, unread: list[str] | None = None
               ) -> list[str]:
    """Sound files below a folder, sorted; unreadable subfolders become warnings (and their paths go to ``unread``).
    Hidden files and folders (a name starting with ".": macOS's "._" resource forks beside every sound copied from a
    Mac, .Trash, .git) are not sound files of the library, nor is ``skip`` (the app's own data folder, when a library
    folder holds it)."""

    def on_error(exc: OSError) -> None:
        warnings.append(f"cannot read folder {describe_path(exc.filename or folder)}: {exc.strerror}")
        if unread is not None:
            unread.append(os.path.abspath(os.fsdecode(exc.filename or folder)))

    found, linked, hidden, bare = [], [], [], []
    for root, dirs, files in os.walk(folder, onerror=on_error):
        hidden += [os.path.join(root, d) for d in dirs if d.startswith(".") and d not in SYSTEM_FOLDERS
                   and _holds_audio(os.path.join(root, d))]
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and (skip is None or Path(root, d) != skip))
        linked += [os.path.join(root, d) for d in dirs if os.path.islink(os.path.join(root, d))]
        found.extend(os.path.join(root, name) for name in files if is_audio_name(name) and not name.startswith("."))
        hidden += [os.path.join(root, n) for n in files if is_audio_name(n) and n.startswith(".")
                   and not n.startswith("._")]  # a resource fork is no sound; a hidden sound is said (trial 53)
        bare += [os.path.join(root, n) for n in files if "." not in n and _sounds_like_audio(os.path.join(root, n))]
    if bare:  # trial 63: a FLAC saved without its extension was skipped unsaid (the name says the format)
        more = f" and {len(bare) - 1} more" if len(bare) > 1 else ""
        warnings.append(f"sound file{'s' if len(bare) > 1 else ''} without a name extension not imported: "
                        f"{describe_path(bare[0])}{more}; add {'their' if len(bare) > 1 else 'its'} format's "
                        "(.wav, .flac, .ogg, .mp3 ...) to import")
    if hidden:
        more = f" and {len(hidden) - 1} more" if len(hidden) > 1 else ""
        warnings.append(f"hidden file{'s' if len(hidden) > 1 else ''} or folder{'s' if len(hidden) > 1 else ''} (a "
                        f"name starting with \".\") not imported: {describe_path(hidden[0])}{more}; rename "
                        f"{'them' if len(hidden) > 1 else 'it'} to import")
    if linked:  # not followed (a link back up would loop): said, with what to do
        more = f" and {len(linked) - 1} more" if len(linked) > 1 else ""
        warnings.append(f"symbolic link{'s' if len(linked) > 1 else ''} to a folder not followed: "
                        f"{describe_path(linked[0])}{more}; add the folder it points to, to import its sounds")
    return sorted(found)


_AUDIO_MAGIC = (b"RIFF", b"RF64", b"fLaC", b"OggS", b"ID3", b"FORM", b"caff", b".snd")


def _sounds_like_audio(path: str) -> bool:
    """Whether a file begins as a sound file of a format Nudge reads does (WAV, FLAC, OGG, MP3 with a tag, AIFF, CAF,
    AU); a file that cannot be read is not."""
    try:
        with open(path, "rb") as f:
            head = f.read(4)
    except OSError:
        return False
    return head.startswith(_AUDIO_MAGIC)


SYSTEM_FOLDERS = frozenset({".Trash", ".Trashes", ".git", ".svn", ".hg", ".Spotlight-V100", ".fseventsd",
                            ".TemporaryItems", ".DocumentRevisions-V100"})  # skipped unsaid: no library's sounds


def _holds_audio(folder: str, limit: int = 2000) -> bool:
    """Whether a (hidden) folder holds a sound file within its first ``limit`` entries, subfolders included (trial
    54: a hidden folder of sounds was skipped unsaid; .git or .Trash without sounds stay unsaid)."""
    seen = 0
    for _, _, files in os.walk(folder):
        if any(is_audio_name(n) and not n.startswith(".") for n in files):
            return True
        seen += len(files)
        if seen > limit:
            return False
    return False


def plan_folder(db: LibraryDB, folder: Path, version: str, plan: ScanPlan) -> None:
    """Compare one folder on disk with the database and add the result to ``plan``."""
    known = db.files_under(folder)
    if not folder.is_dir():
        plan.missing_folders.append(folder)
        plan.missing_ids.extend(row[0] for row in known.values() if row[3] != "missing")
        plan.still_missing_ids.extend(row[0] for row in known.values() if row[3] == "missing")
        return
    seen: set[bytes] = set()
    absent = db.failed_as_absent(folder)  # failed only because they were not there: tried again
    unread: list[str] = []  # subfolders that could not be listed: their known files are kept as they are
    for path in walk_audio(folder, plan.warnings, skip=Path(os.path.abspath(db.path.parent)), unread=unread):
        key = path_key(path)
        seen.add(key)
        row = known.get(key)
        try:
            st = os.stat(path)
        except OSError as exc:
            plan.candidates.append(Candidate(path, 0, 0, "reject", stat_error(path, exc)))
            continue
        unsupported = unsupported_reason(path)
        kind = file_kind(st.st_mode)
        if kind is not None:  # FIFO, socket, device: opening one could block the import forever
            unsupported = f"{describe_path(path)} is not a regular file ({kind}): it is never opened"
        if unsupported is not None:
            same = row is not None and row[3] == "failed" and row[1:3] == (st.st_size, st.st_mtime_ns)
            action = "still_failed" if same else "reject"
            plan.candidates.append(Candidate(path, st.st_size, st.st_mtime_ns, action, unsupported))
            continue
        action = "changed" if key in absent else _action(row, st, version)
        plan.candidates.append(Candidate(path, st.st_size, st.st_mtime_ns, action, inode=(st.st_dev, st.st_ino)))
        if plan.candidates[-1].action == "restored":
            plan.restored_ids.append(row[0])
    gone = {key: row for key, row in known.items() if key not in seen and not _inside(key, unread)}
    plan.missing_ids.extend(row[0] for row in gone.values() if row[3] != "missing")
    plan.still_missing_ids.extend(row[0] for row in gone.values() if row[3] == "missing")


def _inside(key: bytes, folders: list[str]) -> bool:
    """Whether a path key lies in one of ``folders`` (folders that could not be listed: a permission denied)."""
    path = Path(os.fsdecode(key))
    return any(path.is_relative_to(folder) for folder in folders)


def stat_error(path: str, exc: OSError) -> str:
    """Why a file found by the walk cannot even be looked at."""
    name = describe_path(path)
    if exc.errno == errno.ELOOP:
        return f"{name} is a symbolic link loop (it points back at itself)"
    if exc.errno == errno.ENOENT and os.path.islink(path):
        return f"{name} is a symbolic link to a file that does not exist"
    if exc.errno == errno.ENOENT:
        return f"{name} was deleted or moved during the scan"
    return f"cannot read {name}: {exc.strerror or exc}"


def _action(row: tuple | None, st: os.stat_result, version: str) -> str:
    if row is None:
        return "new"
    _, size, mtime_ns, status, model_version, vector_row, duration, layout = row
    if size != st.st_size or mtime_ns != st.st_mtime_ns:
        return "changed"
    return _same_bytes_action(row, version)


def _same_bytes_action(row: tuple, version: str) -> str:
    """What a known file whose size and mtime did not change needs."""
    _, _, _, status, model_version, vector_row, duration, layout = row
    if status == "failed":
        return "still_failed"  # same bytes fail the same way; touch the file to retry
    if model_version != version or vector_row is None:
        return "changed"  # model changed (or vector lost): embed again
    if layout < SEGMENT_LAYOUT and (duration is None or duration > SHORT_FILE_SECONDS):
        return "changed"  # a long file imported before windows (or their class maxima) existed: cut it again
    return "restored" if status == "missing" else "unchanged"


def plan_import(db: LibraryDB, folders: list[Path], version: str, find_moves: bool = True) -> ScanPlan:
    plan = ScanPlan()
    for folder in folders:
        plan_folder(db, folder, version, plan)
    # a file inside two nested library folders is seen twice: keep the first
    unique: dict[str, Candidate] = {}
    for cand in plan.candidates:
        unique.setdefault(cand.path, cand)
    plan.candidates = list(unique.values())
    known = db.files_of_stamps({(c.size, c.mtime_ns) for c in plan.candidates if c.action == "new"})  # read once
    leave_out_links(db, plan, known)
    if find_moves:
        match_moves(db, plan, version, known)
    plan.missing_ids = sorted(set(plan.missing_ids))
    return plan


def leave_out_links(db: LibraryDB, plan: ScanPlan, known: list[tuple]) -> None:
    """One file reached by several paths (a symbolic link, or a hard link, to a file the scan also found) is imported
    once: under a path that is not a symbolic link, one the library already holds vectors for, else the first by
    name. The other paths go to ``plan.links``; rows an earlier import made for them go to ``plan.link_rows``.
    ``known``: the library's rows of the new files' sizes and times (LibraryDB.files_of_stamps)."""
    same_file: dict[tuple[int, int], list[Candidate]] = {}
    for cand in plan.candidates:
        if cand.inode is not None:
            same_file.setdefault(cand.inode, []).append(cand)
    left_out: set[str] = set()
    for group in same_file.values():
        if len(group) < 2:
            continue
        kept = min(group, key=lambda c: (os.path.islink(c.path), c.action not in ("unchanged", "restored"), c.path))
        for cand in group:
            if cand is not kept:
                plan.links.append((cand.path, kept.path))
                left_out.add(cand.path)
    outside = _links_outside(plan, same_file, known)  # the same file under a library path this scan did not walk
    left_out |= {c.path for c, known in outside if not (os.path.islink(known) and not os.path.islink(c.path))}
    for cand, known in outside:
        plan.links.append((cand.path, known) if cand.path in left_out else (known, cand.path))
    if not plan.links:
        return
    plan.candidates = [c for c in plan.candidates if c.path not in left_out]
    kept_of = {path_key(link): kept for link, kept in plan.links}
    rows = db.records_at([link for link, _ in plan.links])
    plan.link_rows = sorted((r.id, kept_of[key]) for key, r in rows.items())
    dropped = {i for i, _ in plan.link_rows}
    plan.restored_ids = [i for i in plan.restored_ids if i not in dropped]


def _links_outside(plan: ScanPlan, same_file: dict[tuple[int, int], list[Candidate]], known: list[tuple]
                   ) -> list[tuple[Candidate, str]]:
    """New files that are a library file under a path outside the scanned folders (same size, time and inode: a
    link, either way round), as (candidate, that path); ``known``: the library's rows of the new files' stamps."""
    new: dict[tuple[int, int], list[Candidate]] = {}
    for c in plan.candidates:
        if c.action == "new" and c.inode is not None and len(same_file.get(c.inode, ())) == 1:
            new.setdefault((c.size, c.mtime_ns), []).append(c)
    scanned = {path_key(c.path) for c in plan.candidates}
    found = []
    for _, key, size, mtime, status, *_rest in known:
        if status != "ok" or (size, mtime) not in new or key in scanned:
            continue
        path = os.fsdecode(key)
        try:
            st = os.stat(path)
        except OSError:
            continue
        found += [(c, path) for c in new[(size, mtime)] if (st.st_dev, st.st_ino) == c.inode]
    return found


def match_moves(db: LibraryDB, plan: ScanPlan, version: str, known: list[tuple]) -> None:
    """Find the new files that are known files renamed or moved. A move or a rename keeps a file's size and
    modification time to the nanosecond. A gone file (old path not on disk) with both equal and the same name is
    the same file, moved: its row follows it (a Move). Under another name it may be a rename, or another sound of
    equal size and time (files unpacked together): the import embeds the file and takes over a gone file only when
    the vectors agree (Candidate.renamed_from). ``known``: the library's rows of the new files' sizes and times
    (LibraryDB.files_of_stamps)."""
    new = [c for c in plan.candidates if c.action == "new"]
    if not new:
        return
    keys = {(c.size, c.mtime_ns) for c in new}
    offline = [path_key(f) + os.sep.encode() for f in db.offline_folders()]  # a copy elsewhere must not take over
    # the files of an unplugged drive
    gone: dict[tuple[int, int], list[tuple]] = {}
    for row in known:
        if (row[2], row[3]) in keys and not os.path.lexists(os.fsdecode(row[1])) and \
                not any(row[1].startswith(folder) for folder in offline):
            gone.setdefault((row[2], row[3]), []).append(row)
    moved_ids = set()
    for key, rows in gone.items():
        found = [c for c in new if (c.size, c.mtime_ns) == key]
        paired = _same_names(found, rows)
        for cand, (file_id, old_key, *rest) in paired:
            plan.moves.append(Move(file_id, old_key, cand.path))
            moved_ids.add(file_id)
            # the row keeps its vectors: embedded again only if an unmoved file would be
            cand.action = "changed" if _same_bytes_action((file_id, *rest), version) == "changed" else "moved"
        left = tuple(r[0] for r in rows if r[0] not in moved_ids)
        for cand in found:
            if cand.action == "new" and left:
                cand.renamed_from = left
    plan.missing_ids = [i for i in plan.missing_ids if i not in moved_ids]
    plan.still_missing_ids = [i for i in plan.still_missing_ids if i not in moved_ids]


def _same_names(found: list[Candidate], rows: list[tuple]) -> list[tuple[Candidate, tuple]]:
    """Pairs whose file names are equal and unique on both sides."""
    names_found = [os.path.basename(c.path) for c in found]
    names_gone = [os.path.basename(os.fsdecode(r[1])) for r in rows]
    return [(c, rows[names_gone.index(name)]) for c, name in zip(found, names_found, strict=True)
            if names_found.count(name) == 1 and names_gone.count(name) == 1]
