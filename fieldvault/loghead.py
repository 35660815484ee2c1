"""The furthest head of a study's audit log this computer wrote or verified, kept outside the study (QA U9).

Someone with the study folder and no passphrase can cut the log's last entries off and put back older genuine files
kept from an earlier copy (a redactions file that did not yet redact her name, a list that did not yet hold it): the
log then ends at an older head, every "the newest signed entry vouches for this file" rule (fieldvault.vouching,
sessionvouch, lists) agrees with the older file, and nothing in the folder can tell a log cut back from an old one.
So this computer remembers, per study folder (the study's first recipient, as fieldvault.withdrawnhere keys its file,
and the folder's path),
the sequence number and hash of the last entry it wrote, or the last signed entry it found chained when the study was
unlocked. A log that lacks that entry (shorter, or another entry at that number) is refused where every reader goes
through, `Study.use_identities`, and by `check`; the PI accepts an older backup restored on purpose with
`check --accept-older-log`, which says how much was lost and records that in the log. A log that grew on another
computer (the remembered entry still in it) is fine, and its new head remembered. A computer whose remembered head is
among the entries an acceptance already in the log (signed with the study key) recorded as lost takes that acceptance
as its own, with a note (QA W11: a PI on two computers accepts once, not once per computer, and the reviews done
since stay done); each head remembers the acceptances its own log held, so a log cut back after one of them (below
a head this computer saw after it) is refused still.

Not for a field kit (its log is its own, forward-keyed: fieldvault.auditratchet tells a cut end there, and merge-kit
checks it against the study's record) nor a backup folder (older than the study by nature). It cannot help on a
computer that never saw the newer head (README). It holds a number, a hash and a time: no name, no participant data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fieldvault import configmemory, layout, paths
from fieldvault.audit import RESTORE_LOG, unchained
from fieldvault.errors import AuditBroken, FieldvaultError, TamperedStudy
from fieldvault.suggested import command

if TYPE_CHECKING:
    from fieldvault.study import Study

FILE = "audit-heads.json"
SCHEMA_VERSION = 1
INIT = "study.init"  # every study log's entry 0
ACCEPTED = "audit.older-log-accepted"  # details: head (the "SEQ:HASH" remembered, now gone), count (entries lost)
UNWRITABLE = (
    "cannot remember this study's audit log head in {} (read-only?): a log cut back later on this computer "
    "will not be noticed; the command goes on"
)


class OlderLog(TamperedStudy):
    """The study's audit log lacks the entry this computer last wrote or verified: cut back, older files put back."""


@dataclass(frozen=True)
class Head:
    seq: int
    hash: str
    time: str  # the entry's own time, to say when the lost entries end
    # "SEQ:HASH" of each acceptance in the log up to this head (None: remembered by a release that kept none)
    acceptances: list[str] | None = None


@dataclass(frozen=True)
class Heads:
    """study key (the first recipient of study.toml) and folder -> the furthest head of its log this computer saw."""

    studies: dict[str, Head] = field(default_factory=dict)
    schema_version: int = SCHEMA_VERSION


def _read() -> Heads:
    fix = "it remembers how far each study's audit log went; delete it if it cannot be restored (then none is known)"
    return configmemory.read(Heads, FILE, fix)


def _key(study: Study) -> str:
    """The study key and the folder it is in: a copy in another folder (a restore test, a scratch copy tried out)
    has its own head, and its commands never make the study look cut back (QA V16); the attack cuts the log in the
    folder the PI works in, which keeps its own."""
    return f"{study.config.recipients[0].key} {study.root.resolve()}"


def remembered(study: Study) -> Head | None:
    return _read().studies.get(_key(study))


def is_backup(root: Path) -> bool:
    """Whether ``root`` is a folder `fieldvault backup` made: its marker there, in a folder this computer knows as no
    study (``known_here``): a marker copied into a study counts for nothing (QA Y10). ``Study.on_backup``."""
    return (root / layout.BACKUP_MARKER).is_file() and not known_here(root)


def known_here(root: Path) -> bool:
    """Whether this computer remembers a log's head for the folder ``root``: a study's, never a backup's
    (``remembers``, ``now_a_backup``). A backup's marker found there was copied in (QA Y10)."""
    try:
        heads = _read().studies
    except FieldvaultError:
        return False  # a damaged memory file: the next unlock names it
    return any(key.endswith(f" {root.resolve()}") for key in heads)


def now_a_backup(root: Path) -> None:
    """`fieldvault backup` writes its marker in ``root`` (a new or empty folder, or this study's backup): any head
    remembered for a study once at that path is forgotten, so the folder is a backup here (QA Z4: a USB stick that once
    held the study, now its backup, was taken for a study with a marker copied in: the finishers ran there, and the
    words said to delete the marker, after which the disk refused every backup). Only what this computer remembers
    tells it: a marker is a plain file anyone can copy in (QA Y10). A config folder that cannot be written leaves
    it as it was (the refusals then say how to go on)."""
    try:
        known = _read()
    except FieldvaultError:
        return  # a damaged memory file: the next unlock names it
    folder = f" {root.resolve()}"
    if any(key.endswith(folder) for key in known.studies):
        configmemory.write(FILE, Heads({k: v for k, v in known.studies.items() if not k.endswith(folder)}))


def _ref(entry: dict[str, Any]) -> str:
    return f"{entry.get('seq')}:{entry.get('hash')}"


def _acceptances(entries: list[dict[str, Any]], upto: int) -> list[str]:
    """Each acceptance (signed or not: an unsigned one only keeps itself from covering this head) up to ``upto``."""
    return [_ref(e) for e in entries if e.get("action") == ACCEPTED and int(e.get("seq", -1)) <= upto]


def _remember(key: str, entry: dict[str, Any], acceptances: list[str]) -> bool:
    """Keep ``entry`` as the study's head, with the acceptances in the log up to it; False where the config folder
    cannot be written."""
    head = Head(int(entry["seq"]), str(entry["hash"]), str(entry.get("time", ""))[:40], acceptances)
    known = _read()
    return configmemory.write(FILE, Heads({**known.studies, key: head}))


def remembers(study: Study) -> bool:
    """Whether the log's head is remembered for ``study`` here: neither a field kit nor a backup folder."""
    return not study.is_field_kit and not study.on_backup


def _at(entries: list[dict[str, Any]], seq: int) -> dict[str, Any] | None:
    return next((e for e in entries if e.get("seq") == seq), None)


def wrote(study: Study, entry: dict[str, Any]) -> None:
    """After this computer appended ``entry`` to the study's log: remembered, where it follows the remembered head
    (never a log this computer would refuse: a command run locked on a cut-back log must not make it the head)."""
    try:
        head = remembered(study)
    except FieldvaultError:
        return  # a damaged memory file: the next unlock names it; the entry is written
    if head is not None and not _follows(study, head, entry):
        return
    if head is not None and head.acceptances is not None and entry.get("prev") == head.hash:
        acceptances = head.acceptances + _acceptances([entry], int(entry["seq"]))
    else:
        acceptances = _acceptances(study.audit.readable()[0], int(entry["seq"]))
    if not _remember(_key(study), entry, acceptances):
        study.tell_once(UNWRITABLE.format(paths.config_dir() / FILE))


def _follows(study: Study, head: Head, entry: dict[str, Any]) -> bool:
    if int(entry["seq"]) <= head.seq:
        return False
    if entry.get("prev") == head.hash and int(entry["seq"]) == head.seq + 1:
        return True
    found = _at(study.audit.readable()[0], head.seq)
    return found is not None and found.get("hash") == head.hash


def refuse_replaced_log(study: Study) -> None:
    """A study's log begins with its own ``study.init`` (entry 0, written with the study key by `init`). One that does
    not while the folder holds participants was emptied, deleted or replaced by someone who can write the folder
    (QA W17): its files, named by no entry, were taken as from a study made before vouching, and an older review put
    back with it was vouched for as it was. Refused (OlderLog, one line) whatever the key, on any computer; with the
    study key the entry must be the key's own. Not a field kit (its log begins with the kit's own entry); a log whose
    first line is damaged is named by its own check (`audit --verify`, `check`)."""
    if study.is_field_kit or not study.participant_names():
        return
    try:
        entries, damaged = study.audit.readable()
    except AuditBroken:  # a torn last line that is no append: the log's own check names it
        return
    first = next((entry for entry in entries if entry.get("seq") == 0), None)
    if first is None and damaged:
        return
    if first is not None and first.get("action") == INIT and study.audit.vouches(first) is not False:
        return
    what = "is missing (or empty)" if not entries else f"does not begin with the study's own {INIT} entry"
    from fieldvault.stewardship.backup import unfinished  # it reads this module: import here

    if unfinished(study.root):  # refused all the same, with the words for a backup a run killed part-way (QA H14)
        raise OlderLog(
            f"{layout.AUDIT_FILE} {what}: {study.root} is a backup that was cut off part-way (its log is copied last), "
            f"not a whole copy of the study; run the same `{command('backup', 'STUDY', study.root)}` again to finish it"
        )
    raise OlderLog(
        f"{layout.AUDIT_FILE} {what}, yet the study folder holds participants: the audit log was emptied or replaced "
        "(by hand, or by someone who can write the study folder), and nothing it vouched for (reviews, lists of names, "
        f"withdrawals) can be checked; nothing was done: {RESTORE_LOG} (each `fieldvault backup` copies it whole), "
        "then run the command again"
    )


def problem(study: Study) -> str | None:
    """What is wrong when the study's log lacks the head this computer remembers; None when nothing is (or none is
    remembered, or the log is too damaged to read: `audit --verify` and `check` name that)."""
    # A backup folder's head is never remembered (``remembers``); one this computer remembers for this folder is a
    # study's, and a backup's marker copied in later must not make it forget (QA W1)
    head = None if study.is_field_kit else remembered(study)
    if head is None:
        return None
    try:
        entries = study.audit.readable()[0]
    except AuditBroken:
        return None
    found = _at(entries, head.seq)
    if found is not None and found.get("hash") == head.hash:
        return None
    accept = command("check", study.root, "--accept-older-log")
    if found is not None:
        what = f"holds another entry {head.seq} than the one this computer saw there (written {head.time})"
    elif entries:
        last = max(int(e["seq"]) for e in entries)
        what = f"ends at entry {last}, yet this computer saw it reach entry {head.seq} (written {head.time})"
    else:  # deleted or emptied: no entry -1 to speak of (QA W17)
        what = f"is missing (or empty), yet this computer saw it reach entry {head.seq} (written {head.time})"
    marker = (
        f" (and a backup's marker, {layout.BACKUP_MARKER}, was put into this folder, which this computer knows as a "
        "study's)"
        if (study.root / layout.BACKUP_MARKER).is_file()
        else ""
    )
    return (
        f"{layout.AUDIT_FILE} {what}: entries were cut off and older files may have been put back{marker}; nothing "
        "was done: "
        "restore the study from your newest backup; only if you restored an older backup on purpose, accept what it "
        f"lost with `{accept}` (asks for the passphrase)"
    )


@dataclass(frozen=True)
class Covered:
    """A signed acceptance already in the log that recorded this computer's head among the entries it lost (QA W11)."""

    entry: dict[str, Any]
    head: Head  # this computer's, now gone


def _covering(study: Study, head: Head) -> dict[str, Any] | None:
    """The newest acceptance in the log, signed with the study key (in use), that lost ``head``: the very head it
    recorded, or (where this computer knows which acceptances its own log held) one it never saw whose lost entries
    span ``head``'s number, below the head it recorded (at that number, only that head is the one it lost)."""
    found = None
    for entry in study.audit.readable()[0]:
        details = entry.get("details")
        if entry.get("action") != ACCEPTED or not isinstance(details, dict) or study.audit.vouches(entry) is not True:
            continue
        lost_seq, _, lost_hash = str(details.get("head", "")).partition(":")
        if not lost_seq.isdigit():
            continue
        same = (int(lost_seq), lost_hash) == (head.seq, head.hash)
        unseen = head.acceptances is not None and _ref(entry) not in head.acceptances
        if same or (unseen and int(entry["seq"]) <= head.seq < int(lost_seq)):
            found = entry
    return found


def refuse_older_log(study: Study, accepting: bool) -> Head | Covered | None:
    """Refuse a study whose log lacks the remembered head (``OlderLog``, one line), unless an acceptance in the log
    already covers it (``Covered``, for ``accept``); with ``accepting`` (the PI, with the passphrase) return that head
    instead, for ``accept``. None when nothing is wrong."""
    found = problem(study)
    if found is None:
        return None
    head = remembered(study)
    assert head is not None  # ``problem`` found it
    covering = _covering(study, head)
    if covering is not None:
        return Covered(covering, head)
    if not accepting:
        raise OlderLog(found)
    return head


def accept(study: Study, lost: Head | Covered) -> None:
    """The PI took the older log as it is (with the study key in use): say what was lost, record it in the log,
    and remember the new head (the old one forgotten, so the entry is taken). Where an acceptance in the log already
    covers this computer's head (another computer's), it is taken as this one's: said, and nothing recorded."""
    if isinstance(lost, Covered):
        study.tell(
            f"an older backup was restored and accepted on {str(lost.entry.get('time', ''))[:10]} (entry "
            f"{lost.entry['seq']}); this computer saw the log reach entry {lost.head.seq} before that (written "
            f"{lost.head.time}), and its memory of the log moved on: what was lost is not in this copy, and sessions "
            "reviewed before that acceptance count as unreviewed until reviewed again"
        )
        _forget(study)
        return
    last = max((int(e["seq"]) for e in study.audit.readable()[0]), default=-1)
    count = max(lost.seq - last, 1)  # where another entry stands at its number, where they parted is not known
    ends = f"it ends at entry {last}" if last >= 0 else "it is empty"
    study.tell(
        f"accepted an older audit log: {ends}; this computer saw it reach entry {lost.seq} (written "
        f"{lost.time}): at least {count} entr{'y' if count == 1 else 'ies'} and what they recorded (sessions, "
        "reviews, redactions, names added to lists) are not in this copy; do them again. Every session reviewed "
        "before now counts as unreviewed until someone with the passphrase reviews it again (an older review put "
        "back with the log cut looks the same)"
    )
    _forget(study)
    study.audit.append(ACCEPTED, head=f"{lost.seq}:{lost.hash}", count=count)


def _forget(study: Study) -> None:
    known = _read()
    if not configmemory.write(FILE, Heads({k: v for k, v in known.studies.items() if k != _key(study)})):
        study.tell_once(UNWRITABLE.format(paths.config_dir() / FILE))  # it is refused again until it can be written


def advance(study: Study) -> None:
    """With the study key in use and the remembered head in the log: remember the newest signed entry the chain
    links to it (a log that grew on another computer)."""
    if not remembers(study):
        return
    entries = study.audit.readable()[0]
    head = remembered(study)
    doubtful = unchained(entries)
    for entry in reversed(entries):
        seq = int(entry["seq"])
        if head is not None and seq <= head.seq:
            return
        if study.audit.vouches(entry) and not any(d <= seq for d in doubtful):
            if not _remember(_key(study), entry, _acceptances(entries, seq)):
                study.tell_once(UNWRITABLE.format(paths.config_dir() / FILE))
            return
