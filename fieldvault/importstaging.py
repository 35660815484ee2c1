"""Where `import` writes a session before it exists: a folder at the study's root, renamed into place whole.

An import killed part-way (a closed lid, a dead battery, a killed terminal) left a recording without a timeline in
her folder, which `check` failed for ever and which made her first interview count as a follow-up (QA K13). Now
nothing of an import is in participants/ until it is whole; what a killed one wrote stays under ``.importing-*``,
which the import holds locked while it runs (the kernel drops the lock when it dies), and the next import (or a
withdrawal) destroys it and says so, if it holds only what an import writes there (QA Y3: not her folder moved there).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from fieldvault import atomicfile, layout
from fieldvault.agefile.header import VERSION_LINE, payload_id
from fieldvault.agefile.recovery import is_sealed
from fieldvault.audiofile import AUDIO_ID
from fieldvault.errors import FieldvaultError, PayloadTampered, TruncatedFile
from fieldvault.events import SessionEvents, load_events
from fieldvault.sessioninfo import SessionInfo, read_index
from fieldvault.sessionorder import RECORDED
from fieldvault.stewardship.shred import shred_tree
from fieldvault.study import Study
from fieldvault.suggested import shell

PREFIX = layout.IMPORTING
_LOCKED = os.O_RDONLY | os.O_DIRECTORY
# What an import writes in its staging folder; a write's temporary copy is named after its file
WRITTEN = (layout.AUDIO, layout.EVENTS, layout.SESSION_INFO)


@contextmanager
def staging_folder(root: Path) -> Iterator[Path]:
    """A new staging folder at the study's root, locked for as long as the import runs; removed when the import
    fails (whatever it had written is no session yet). The import renames it into place before it ends."""
    folder = root / f"{PREFIX}{os.getpid()}-{os.urandom(4).hex()}"
    folder.mkdir(mode=atomicfile.DIR_MODE)
    try:
        with atomicfile.held_alone(folder, _LOCKED):
            yield folder
    except BaseException:
        if folder.is_dir():
            shred_tree(folder)
        raise


def cut_off_imports(study: Study) -> list[Path]:
    """The staging folders of imports that are no longer running (killed part-way), told from anything else so named
    (``said``)."""
    return [folder for folder, said in judged(study).items() if said is None]


def judged(study: Study) -> dict[Path, str | None]:
    """Each folder named as an import's staging that no running import holds, with what is said of it; None for a
    killed import's (what the sweep destroys). Such a folder holds only what an import writes there
    (``written_by_an_import``), and in a study, opened with the study key, none of her records (``her_records``): her
    recording, timeline and session record moved there by hand (one `mkdir`, one `mv`) passed for a killed import's in
    any study whose import entries predate payload ids, and the next import shredded them (QA Z14). A field kit has no
    study key (its imports are keyless by design): there it is an import's only where it holds what an import writes
    in the order it writes it and no session of the kit lacks its recording or timeline (``_kit_gap``)."""
    recorded = recorded_payloads(study)
    found: dict[Path, str | None] = {}
    for folder in _not_running(study.root):
        if not written_by_an_import(folder, recorded):
            found[folder] = by_hand(study, folder)
        elif study.is_field_kit:
            gap = _kit_gap(study) if _in_write_order(folder) else ""
            found[folder] = None if gap is None else by_hand(study, folder, kit_gap=gap or "")
        elif not study.unlocked_with:
            found[folder] = (
                f"{folder.name}: an import killed part-way wrote it, or records of hers were moved there by hand: "
                f"nothing of it is destroyed without the study key; give the passphrase to the next "
                f"`fieldvault import`, which removes it only if it holds none of her records"
            )
        else:
            hers = her_records(study, folder)
            found[folder] = by_hand(study, folder, hers) if hers else None
    return found


def written_by_an_import(folder: Path, recorded: set[str]) -> bool:
    """Whether ``folder`` holds only what an import writes before it renames the folder into place: the recording,
    its timeline and session record (and the temporary copies their writes make), none of them a file whose payload
    the audit log records (an import records its recording's after the rename: a killed one never did)."""
    return all(
        path.is_file() and not path.is_symlink() and path.name.lstrip(".").startswith(WRITTEN)
        and payload_id(path) not in recorded
        for path in folder.iterdir()
    )  # fmt: skip


def her_records(study: Study, folder: Path) -> dict[Path, str]:
    """The files in ``folder`` that, read with the study key, are records of a session the study has (each with the
    place it belongs, where known), or that are no import's at all: a timeline or session record naming a session the
    index or the audit log records or whose folder holds anything (a killed import's names the empty folder that
    reserved its name), a recording such a timeline names where the recording is not in its session (the import
    entries of a study from before payload ids record none), and any whole file that is neither a timeline, a session
    record nor a recording (names are anyone's to give). What an import killed part-way left is a recording (with
    the timeline the import wrote after it, or cut off while it was written), a file cut off in its header, or whole
    files naming its own new session. A whole recording with no timeline beside it is kept (``WHOLE_RECORDING``): an
    import cut off between the two writes, or her recording moved there by hand after her timeline was lost, which
    nothing in the folder tells apart (stage23: the sweep shredded it)."""
    recorded = _recorded_sessions(study)
    lacking: dict[str, str] | None = None
    found: dict[Path, str] = {}
    timeline = any(p.name.lstrip(".").startswith(layout.EVENTS) for p in folder.iterdir())
    for path in sorted(folder.iterdir()):
        ident = payload_id(path)
        if ident is None:
            if not _header_cut_off(path):
                found[path] = ""  # no age file: nothing an import writes
            continue
        if lacking is None:
            lacking = _recordings_lacking(study, recorded)
        if ident in lacking:
            found[path] = lacking[ident]
            continue
        if path.stat().st_size > MAX_READ:
            if not timeline and is_sealed(path, study.unlocked_with):
                found[path] = WHOLE_RECORDING
            continue  # a recording cut off while it was written, or with the timeline the import wrote after it
        try:
            plaintext = study.read(path.relative_to(study.root), study.unlocked_with)
        except (TruncatedFile, PayloadTampered):
            continue  # cut off while it was written
        except FieldvaultError:
            found[path] = ""  # not the study's to read: no import wrote it
            continue
        if plaintext.startswith(b"RIFF"):
            if not timeline:
                found[path] = WHOLE_RECORDING  # read whole: sealed
            continue  # a recording (short) with the timeline the import wrote after it
        named, _ = _names_session(plaintext)
        if named is None or named in recorded or _holds_anything(study, named):
            found[path] = "" if named is None else f"{layout.PARTICIPANTS}/{named}/{path.name.lstrip('.')}"
    return found


MAX_READ = 16 << 20  # a timeline or session record is far smaller; a larger file is read as a recording only
WHOLE_RECORDING = "?"  # her_records' place for a whole recording without a timeline: whose, nothing tells


def _in_write_order(folder: Path) -> bool:
    """Whether ``folder`` holds what an import writes in the order it writes it: the recording, then its timeline,
    then the session record (each perhaps as its temporary copy): a timeline without a recording is no import's."""
    held = [any(p.name.lstrip(".").startswith(name) for p in folder.iterdir()) for name in WRITTEN]
    return held == sorted(held, reverse=True)


def _kit_gap(study: Study) -> str | None:
    """On a field kit (no key to read anything sealed), a session of the kit that lacks its recording or timeline:
    where her files moved out of it may lie (None when there is none; "" when the session is not known). A session
    folder that holds something must hold both; one that the kit's record or import entry named, of a participant
    still here, must hold something (a killed import reserved an empty folder no entry names)."""
    root = layout.participants(study.root)
    for session in sorted(root.glob("*/*")):
        held = {p.name for p in session.iterdir()} if session.is_dir() and not session.is_symlink() else set()
        if held and not (layout.AUDIO in held and held & {layout.EVENTS, layout.EVENTS_JOURNAL}):
            return session.relative_to(study.root).as_posix()
    for entry in study.audit.entries():
        details = entry.get("details")
        if entry.get("action") in RECORDED and isinstance(details, dict):
            her, made = str(details.get("pseudonym")), str(details.get("session"))
            if {her, made} & {"", ".", ".."} or "/" in her + made:
                continue  # no session folder of hers (a line anyone could append to a kit's log)
            named = root / her / made
            if named.parent.is_dir() and not (named.is_dir() and any(named.iterdir())):
                return named.relative_to(study.root).as_posix()
    return None


def _header_cut_off(path: Path) -> bool:
    """Whether ``path`` is an age file cut off before its header was whole (an import killed as it began a write),
    or empty."""
    with path.open("rb") as stream:
        start = stream.read(MAX_HEADER + 1)
    return len(start) <= MAX_HEADER and (start.startswith(VERSION_LINE) or VERSION_LINE.startswith(start))


MAX_HEADER = 4096  # an age header to the study's recipients, with room


def _names_session(plaintext: bytes) -> tuple[str | None, object]:
    """The session a timeline or session record names, as "PSEUDONYM/SESSION" (None for anything else), and the
    payload id of the recording a timeline names."""
    for reader in (SessionEvents.from_json, SessionInfo.from_json):
        try:
            found = reader(plaintext, "a staged file")
        except (FieldvaultError, ValueError):
            continue
        if found.pseudonym and found.session:
            recording = found.info.get(AUDIO_ID) if isinstance(found, SessionEvents) else None
            return f"{found.pseudonym}/{found.session}", recording
    return None, None


def _recorded_sessions(study: Study) -> set[str]:
    """Every session the index lists or any audit entry names (signed or not: a forged one only keeps a file), as
    "PSEUDONYM/SESSION"."""
    found = set(read_index(study.root))
    for entry in study.audit.entries():
        details = entry.get("details")
        if isinstance(details, dict) and details.get("pseudonym") and details.get("session"):
            found.add(f"{details['pseudonym']}/{details['session']}")
    return found


def _holds_anything(study: Study, named: str) -> bool:
    folder = layout.participants(study.root) / named
    return folder.is_dir() and any(folder.iterdir())


def _recordings_lacking(study: Study, recorded: set[str]) -> dict[str, str]:
    """{payload id: where it belongs} of each recording a session's timeline names where that session lacks it, and
    of each a timeline of a session the study has names where that timeline lies in a staging folder (her recording
    and her timeline moved into two)."""
    found = {}
    for session in sorted(layout.participants(study.root).glob("*/*")):
        if session.name.startswith(".") or not (session / layout.EVENTS).is_file() or (session / layout.AUDIO).exists():
            continue
        try:
            ident = load_events(study, session, study.unlocked_with).info.get(AUDIO_ID)
        except FieldvaultError:
            continue
        if isinstance(ident, str):
            found[ident] = (session / layout.AUDIO).relative_to(study.root).as_posix()
    for staged in sorted(study.root.glob(f"{PREFIX}*/*")):
        if staged.is_symlink() or not staged.is_file() or staged.stat().st_size > MAX_READ:
            continue
        try:
            named, ident = _names_session(study.read(staged.relative_to(study.root), study.unlocked_with))
        except FieldvaultError:
            continue
        if isinstance(ident, str) and named is not None and (named in recorded or _holds_anything(study, named)):
            found[ident] = f"{layout.PARTICIPANTS}/{named}/{layout.AUDIO}"
    return found


def recorded_payloads(study: Study) -> set[str]:
    """Every payload id any entry of the study's log records, signed or not: a forged one only keeps a file."""
    found: set[str] = set()
    for entry in study.audit.entries():
        details = entry.get("details")
        if isinstance(details, dict):
            found.update(str(details.get("payloads", "")).split())
    return found


def _not_running(root: Path) -> list[Path]:
    """The folders named as an import's staging that no running import holds."""
    found = []
    for folder in sorted(root.glob(f"{PREFIX}*")):
        if folder.is_symlink() or not folder.is_dir():
            continue
        with atomicfile.held_alone(folder, _LOCKED) as ours:
            if ours:
                found.append(folder)
    return found


def sweep_cut_off_imports(study: Study) -> list[str]:
    """Destroy what imports killed part-way wrote (it never became a session); the names of those destroyed. A
    folder so named that holds anything else is left as it is, and said."""
    swept = []
    for folder, said in judged(study).items():
        if said is None:
            shred_tree(folder)
            swept.append(folder.name)
        else:
            study.tell_once(said)
    return swept


def by_hand(study: Study, folder: Path, hers: dict[Path, str] | None = None, kit_gap: str | None = None) -> str:
    """What is said of a folder holding what no import writes there, or ``hers`` (her records, each with the place
    it belongs where known): the `mv` that puts each back."""
    if hers and set(hers.values()) == {WHOLE_RECORDING}:
        (path, _), *_ = hers.items()
        where = layout.participants(study.root) / "PSEUDONYM" / "SESSION" / layout.AUDIO
        return (
            f"{folder.name}: holds a whole recording and no timeline: an import cut off between writing the two, or "
            f"a participant's recording moved there by hand after her timeline was lost. Nothing of it was destroyed. "
            f"If it is the cut-off import's, remove it and import again: {shell('rm', '-r', folder)}; if it is hers, "
            f"put it back into her session folder ({shell('mv', path, where)}, with her pseudonym and session) and run "
            f"`fieldvault check`"
        )
    if hers:
        back = "; ".join(
            shell("mv", path, study.root / place) if place and place != WHOLE_RECORDING else shell("mv", path, "PLACE")
            for path, place in hers.items()
        )
        return (
            f"{folder.name}: named as an import's staging folder, yet it holds {len(hers)} sealed record(s) of a "
            f"session the study has (moved there by hand?): nothing of it was destroyed; put them back: {back}"
        )
    if kit_gap is not None:
        where = study.root / kit_gap if kit_gap else layout.participants(study.root) / "PSEUDONYM" / "SESSION"
        back = "; ".join(shell("mv", path, where / path.name.lstrip(".")) for path in sorted(folder.iterdir()))
        return (
            f"{folder.name}: an import killed part-way wrote it, or a session's files were moved there by hand"
            f"{f' ({kit_gap} lacks its recording or timeline)' if kit_gap else ''}: a field kit cannot tell which, so "
            f"nothing of it was destroyed and merge-kit leaves it out; if they are hers, put them back: "
            f"{'' if where.is_dir() else shell('mkdir', where) + '; '}{back}"
        )
    back = shell("mv", folder, layout.participants(study.root) / "PSEUDONYM")
    return (
        f"{folder.name}: named as an import's staging folder, yet it holds what no import writes there (moved there by "
        f"hand?): nothing of it was destroyed; if it holds a participant's folder or session, put it back: {back}"
    )
