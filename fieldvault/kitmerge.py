"""merge-kit: bring a field kit's participants, sessions and journal entries into the study, all or nothing.

A kit comes back from the field untrusted: it may have been lost, borrowed or crafted. Nothing of it is
copied before every file has been checked: a regular file (no link, device or fifo) at a place and under
a name a kit may hold, and, for an age file, one that decrypts end to end with the study identity and is
encrypted to the study's recipients and no one else. Each file is then copied into a staging folder
inside the study and compared with the hash taken at the check; only a complete staging moves into place.
The kit itself is never changed.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import os
import re
import shutil
import stat
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from fieldvault import atomicfile, auditratchet, drafts, layout, memos, names, serial, timecode, vouching, wavstream
from fieldvault import journal as journal_module
from fieldvault import lists as herlist
from fieldvault.agefile import CHUNK, AgeReader, Identity, X25519Identity
from fieldvault.agefile.header import PAYLOAD_NONCE, header_id, payload_id, read_header
from fieldvault.agefile.recovery import KEPT_ORIGINAL, Damage, find_damage, torn_tail_only
from fieldvault.agefile.stream import plaintext_size
from fieldvault.audiofile import (
    AUDIO_ID,
    AUDIO_SECONDS,
    SOURCE_SHA256,
    found_again,
    imported_sources,
    recording_mismatch,
    source_mac,
)
from fieldvault.audit import (
    ALLOWED_DETAILS,
    RESTORE_LOG,
    TORN,
    AuditLog,
    entry_time,
    origin_of,
    restore_or_set_aside,
    unchained,
)
from fieldvault.errors import AuditBroken, BadInput, BadStudyFile, FieldvaultError, PayloadTampered, TruncatedFile
from fieldvault.events import JournalEntry, JournalStart, SessionEvents, load_events
from fieldvault.kitimports import SOURCE as KIT_SOURCE
from fieldvault.kitimports import STAGED as KIT_STAGED
from fieldvault.kittemplates import changed_on_kit
from fieldvault.memos import UNBOUND_WRITTEN, FieldNote, bound_note, parse_field_note
from fieldvault.participantid import MAX_SIZE as MAX_ID_SIZE
from fieldvault.participantid import parse_id, participant_id
from fieldvault.participantrename import ACTION as RENAMED
from fieldvault.participantrename import check_rename, kit_renames, rename_participant
from fieldvault.participants import (
    CLOCK_SLACK,
    LIST_SEALED,
    MAX_LIST,
    IdentifierList,
    KnownIdentifier,
    Profile,
    every_listed_name,
    identifier_clash,
    issued_letters,
    list_too_long,
    other_lists,
    read_identifier_list,
    refuse_listed_rename,
)
from fieldvault.printable import printable
from fieldvault.questionnaire import Questionnaire
from fieldvault.recording_lock import parse_lock, read_lock
from fieldvault.reseal import SUFFIX as RESEAL_SUFFIX
from fieldvault.sessioninfo import SessionInfo, index_kind, load_session_info
from fieldvault.sessionmove import moved_sessions, where_now
from fieldvault.stewardship.inventory import TOP_LEVEL, data_files
from fieldvault.stewardship.retention import destroyed_ids
from fieldvault.study import (
    QUESTIONNAIRE_DIGEST,
    RecipientEntry,
    Study,
    derived_key,
    questionnaire_digest,
    recipients_mac,
)
from fieldvault.suggested import command, shell
from fieldvault.withdrawals import days_by_import, days_by_participant
from fieldvault.withdrawnhere import refuse_withdrawn_here, withdrawn_here

SESSION_ID = re.compile(r"\d{8}-\d{6}(-\d{1,2})?\Z")
EVENT_FILE = re.compile(r"(info|\d{5})\.json\.age\Z")
# saved, a draft, or a draft discarded and set aside (drafts)
FIELD_NOTES = re.compile(r"fieldnotes-(\d{1,4}|draft-[0-9a-f]{8}|discarded-[0-9a-f]{8})\.md\.age\Z")
NUMBERED_NOTE = re.compile(r"fieldnotes-(\d{1,4})\.md\.age\Z")
JOURNAL_ENTRY = re.compile(r"(\d{4}-\d{2}-\d{2})-(\d{1,4})\.md\.age\Z")
PARTICIPANT_FILES = {layout.PROFILE, layout.IDENTIFIERS}
SESSION_FILES = {layout.AUDIO, layout.EVENTS, layout.SESSION_INFO}
MAX_LOCK = 4096
MAX_KIT_FILE = 1 << 20  # study.toml of a kit
MAX_AUDIT = 64 << 20
MAX_DOCUMENT = 64 << 20  # a sealed document merge-kit reads (a session's timeline)
MAX_SEALED_DOCUMENT = MAX_DOCUMENT + (MAX_DOCUMENT >> 12) + (1 << 20)  # its age file: chunk tags, nonce, header
# a sealed profile, list, or names added to one: 500 names of 200 characters each as JSON escapes them, with room
MAX_SEALED_LIST = 8 << 20
STAGING = layout.MERGING
BEGUN = "record.start"  # written when a recording begins, naming its header (capture.recorder)
STILL_RECORDING = 30  # seconds: a recording beside its lock changed this recently may still be being written
# How much longer than its log allows a recording begun on a kit may be (the time between its start and its stop, the
# log's next entry or the merge; clocks that differ by a minute, a start logged just after capture began): qa28 QD2
CAP_SLACK, CAP_SECONDS = 0.1, 120

T = TypeVar("T")


def _text(data: bytes, where: str) -> str:
    """A field note or journal entry, read as their readers read them."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise BadStudyFile(f"{where} is not UTF-8 text") from None


READERS: dict[str, Callable[[bytes, str], object]] = {
    layout.PROFILE: Profile.from_json,
    layout.IDENTIFIERS: IdentifierList.from_json,
    layout.SESSION_INFO: SessionInfo.from_json,
    layout.EVENTS_JOURNAL_START: JournalStart.from_json,
}


def _reader(name: str) -> Callable[[bytes, str], object] | None:
    """How the study reads a sealed file of this name: a kit's copy must read the same way before it is
    merged (a crafted one would otherwise stop later commands). None for a recording (only bytes)."""
    if name in READERS:
        return READERS[name]
    if EVENT_FILE.match(name):
        return JournalEntry.from_json
    if FIELD_NOTES.match(name):
        return parse_field_note
    if JOURNAL_ENTRY.match(name) or drafts.JOURNAL_NAME.match(name) or drafts.JOURNAL_SET_ASIDE.match(name):
        return _text
    return None


class KeysAddedOnKit(BadInput):
    """Keys were added to the kit's recipient list on the kit, which the study never sealed (a laptop left alone: an
    "evil maid"): everything the kit encrypted since can be read by whoever holds them (QA F13)."""

    def __init__(self, kit_root: Path, added: tuple[RecipientEntry, ...]) -> None:
        shown = ", ".join(f"{entry.name!r} ({entry.key})" for entry in added)
        super().__init__(
            f"keys were added to {kit_root}'s recipient list on the kit, not by this study: {shown}. Everything the "
            "kit recorded since can be read by whoever holds them: treat it as a breach (tell your IRB or data "
            "protection officer). Nothing was merged; to take its interviews in anyway, re-wrapped to the study's "
            "recipients only, run merge-kit again with --accept-added-keys, then wipe the kit"
        )
        self.added = added


CLASH = "is a different participant"  # a kit's participant under a study participant's pseudonym (QA F26)
REAL_NAME = "may be a real name, and a pseudonym is plaintext"  # a pseudonym that is a name on a list
NO_LIST = "list of names she may mention is missing"  # a new participant's list deleted on the kit, or never written
NAME_REFUSED = "a name the study cannot take"  # a study participant renamed on the kit to a name the name rule refuses
TWICE = "imported from the same file as"  # a kit session of a file imported before (QA K5, AA9): moved off, it waits


class KitRefused(FieldvaultError):
    """Some of the kit's files may not enter the study; ``refused`` names each with the reason."""

    def __init__(self, refused: list[str]) -> None:
        # two women chose one pseudonym, or one chose a name on a list: nothing is wrong with the kit
        clashes = all(CLASH in line or REAL_NAME in line or NAME_REFUSED in line for line in refused)
        mended = all(any(said in line for said in (CLASH, REAL_NAME, NAME_REFUSED, NO_LIST, TWICE)) for line in refused)
        super().__init__(
            f"{len(refused)} of the kit's files or folders refused (listed above); nothing was merged. "
            + (
                "Rename as said above (`fieldvault participant rename`), then merge again"
                if clashes
                else "Do as said above for each, then merge again"
                if mended
                else "Copy what you trust into a fresh kit by hand, or ask the interviewer what happened to it"
            )
        )
        self.refused = refused


@dataclass(frozen=True)
class Item:
    source: Path  # in the kit
    target: str  # relative to the study root
    sha256: str


@dataclass
class Plan:
    copy: list[Item] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    cut_off: list[str] = field(default_factory=list)  # targets of recordings their recorder never sealed
    # target -> what is wrong: a sealed recording damaged or cut short on the kit (a flipped bit, an interrupted copy
    # to the stick), merged as it is for `recover` to salvage; the rest of the kit merges too (QA K16)
    damaged: dict[str, str] = field(default_factory=dict)
    # whole recordings (and their timelines) that replace the study's cut-off copy of them, merged before
    complete: list[Item] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)  # leftovers a crash can leave, not worth a refusal
    withdrawn: list[str] = field(default_factory=list)  # kit folders of participants who withdrew: left out
    # (kit folder, letter version) of consents given on a letter this study never issued (QA F21)
    unknown_letters: list[tuple[str, str]] = field(default_factory=list)
    # (kit folder, fields) of answers to questions the study's questionnaire does not ask (QA K14 B)
    unapproved: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    # (her list's path in the study, names a kit sealed at a follow-up): added to her list once merged (QA T5)
    added_names: list[tuple[str, tuple[KnownIdentifier, ...]]] = field(default_factory=list)
    # (the kit's file, her pseudonym in the study) of names added on a kit whose damaged log no longer vouches for
    # them, left out with --accept-damaged-log and kept on the kit (QA V2)
    names_left_out: list[tuple[str, str]] = field(default_factory=list)
    added_files: dict[str, list[str]] = field(default_factory=dict)  # her list's path -> the kit files adding to it
    # (her pseudonym in the study, the name the kit renamed her to, why the study keeps its own: "" where it does not):
    # renamed so in the study once merged (QA Y2)
    renames: list[tuple[str, str, str]] = field(default_factory=list)
    # sessions the kit's log recorded that neither the kit nor the study holds (qa27 QC4): "who's session (seconds)"
    missing: list[str] = field(default_factory=list)
    # drafts no entry of the kit's log names (qa28 QD9): "kit path: why", left on the kit, not merged
    held_apart: list[str] = field(default_factory=list)
    # sessions left out as being recorded now: "kit folder: why" (qa29 QE1: the kit is kept, merged again later)
    recording: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class MergeReport:
    merged: list[str]  # every file copied, relative to the study
    already: list[str]  # files the study held already, byte for byte (an earlier merge of this kit)
    sessions: list[str]  # "pseudonym/session" folders that gained files
    cut_off: list[str]  # recordings to re-seal with `fieldvault recover`
    audit_entries: int  # the kit's audit entries taken into the study's log
    left_out: list[str]  # kit files not merged and not refused either, with the reason
    withdrawn: list[str] = field(default_factory=list)  # kit folders left out: she withdrew from the study
    rewrapped: int = 0  # files of a kit sealed before the study's recipients changed, re-wrapped to them
    # Recipients the kit encrypts to that the study has removed since: they can still read the kit's own copies.
    readers_removed: tuple[str, ...] = ()
    completed: tuple[str, ...] = ()  # the study's cut-off copies replaced by the kit's whole recording (QA E18)
    # Keys added to the kit's list on the kit (taken with accept_added): they can read the kit's own copies (QA F13).
    readers_added: tuple[str, ...] = ()
    # (pseudonym, letter version) of consents given on a letter the study never issued: changed on the kit (QA F21).
    unknown_letters: tuple[tuple[str, str], ...] = ()
    log_damaged: str | None = None  # what is wrong with the kit's audit log (taken with accept_damaged_log, QA G6)
    # Pseudonyms and login names the kit's own log still holds, in plaintext, that are names on a list (renamed on
    # the kit since, her folder deleted there, the kit's login):
    # the kit must be wiped, not taken back to the field (QA H16). A count: the names are never repeated.
    names_in_kit_log: int = 0
    # Entries of the kit's log that part from the log merged before from the same kit (a cloned stick, a rewritten
    # log: QA J13), taken as field-kit.entry-forked.
    forked_entries: int = 0
    damaged: tuple[DamagedOnKit, ...] = ()  # recordings damaged or cut short on the kit (QA K16)
    # (pseudonym, fields) of answers to questions the study's questionnaire does not ask: the kit's questionnaire
    # was changed (QA K14 B). Exports leave them out.
    unapproved: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # The kit's questionnaire is not the one the study's signed field-kit.made entry says it took (QA K14 B).
    questionnaire_changed: bool = False
    # "pseudonym/session" merged whose start time is before the kit was made or after now: the kit's clock was wrong
    # (QA S3); sessionorder numbers it within when the kit was made and merged, by the study's clock
    misdated: tuple[str, ...] = ()
    # The kit's templates (letter, consent scripts, guide) that are not what the study sent with it (QA S6).
    templates_changed: tuple[str, ...] = ()
    # (her list, how many names it holds) of lists the names a kit added took past MAX_LIST: every one kept (QA U11)
    long_lists: tuple[tuple[str, int], ...] = ()
    # (her pseudonym, names added to her list, names she had already, the kit's files they came from) (QA V5)
    names_added: tuple[tuple[str, int, int, tuple[str, ...]], ...] = ()
    # (the kit's file, her pseudonym) of names added on the kit that its damaged log no longer vouches for: left out,
    # kept on the kit (QA V2)
    names_left_out: tuple[tuple[str, str], ...] = ()
    # the entries missing from a damaged kit log ("entry 1"), any of which may have recorded names she gave (QA V2)
    entries_missing: str = ""
    # (her pseudonym before, the name the kit renamed her to, why the study could not rename her so: "" when it did):
    # a study participant renamed on the kit is renamed in the study too (QA Y2: the rename was dropped unsaid)
    renamed: tuple[tuple[str, str, str], ...] = ()
    # (the day the kit was made, whether its log held under the key the study's identity gives it) of a kit the study
    # does not record making: restored from a backup made before the kit (QA X5)
    unrecorded: tuple[str, bool] | None = None
    # What is said of a session merged whose recording is the recorder's file of one recorded lost (QA Z13)
    found_again: tuple[str, ...] = ()
    # Sessions the kit's log recorded that neither the kit nor the study holds: keep the kit, find them (qa27 QC4)
    missing: tuple[str, ...] = ()
    # Drafts on a kit that names its drafts, which no entry of its log names: left on the kit (qa28 QD9)
    held_apart: tuple[str, ...] = ()
    # Sessions left out as being recorded now: keep the kit, merge it again once they have stopped (qa29 QE1)
    recording: tuple[str, ...] = ()


@dataclass(frozen=True)
class DamagedOnKit:
    """A kit recording that fails authentication in places, or is shorter than its sealed timeline says: brought
    into the study byte for byte (the kit's copy is never changed), for `recover` to keep every authentic chunk."""

    target: str  # relative to the study
    what: str  # what is wrong with it
    salvaged: bool  # `recover` re-sealed the study's copy of it already (the untouched copy kept beside it)


class _Refused(Exception):
    """One file or folder may not enter the study (internal: collected into the plan)."""


MAC_MAGIC = (b"\x00\x05\x16\x07", b"\x00\x00\x00\x01Bud1")  # an AppleDouble file's, a .DS_Store's


def _mac_metadata(path: Path) -> bool:
    """Whether ``path`` (named ``._NAME`` or ``.DS_Store``) is a plain file that begins as what a Mac writes there
    does: a recording renamed ``._audio.wav.age`` was left out as Finder's (qa29 QE4)."""
    if _lstat_kind(path) != "file":
        return False
    try:
        with _open_regular(path) as stream:
            head = stream.read(8)
    except _Refused:
        return False
    return any(head.startswith(magic) for magic in MAC_MAGIC)


def _lstat_kind(path: Path) -> str:
    mode = path.lstat().st_mode
    if stat.S_ISLNK(mode):
        return "link"
    if stat.S_ISDIR(mode):
        return "folder"
    if stat.S_ISREG(mode):
        return "file"
    return "special file"


def _open_regular(path: Path) -> io.BufferedReader:
    """Open a regular file without following a link; a fifo or device is refused, never waited on."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as err:
        raise _Refused(f"cannot be opened ({err.strerror})") from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise _Refused("is not a regular file")
    return os.fdopen(fd, "rb")


def _sized_up(stream: io.BufferedReader, name: str, document: bool) -> None:
    """Refuse, before it is read through, a kit file larger than a file of its name can be (a sealed list, profile or
    timeline; a recording may be long), or one that is no age file at all (its header read, nothing more): a 20 GB
    file under a list's name was read whole, minutes, before its refusal (QA V7)."""
    size = os.fstat(stream.fileno()).st_size
    limit = MAX_SEALED_LIST if name in PARTICIPANT_FILES or herlist.ADDED.fullmatch(name) else MAX_SEALED_DOCUMENT
    if document and size > limit:
        raise _Refused(
            f"is {size:,} bytes, and no {name} a kit writes is over {limit:,}: it is not what the kit wrote; move "
            "it off the kit, then merge again"
        )
    try:
        read_header(stream)
    except FieldvaultError as err:
        raise _Refused(f"does not decrypt with the study identity ({err})") from None


def _digest(stream: io.BufferedReader) -> str:
    stream.seek(0)
    digest = hashlib.file_digest(stream, "sha256").hexdigest()
    stream.seek(0)
    return digest


class Checker:
    """Checks one kit against one study; collects what to copy and what to refuse."""

    def __init__(self, study: Study, kit: Study, identities: Sequence[Identity]) -> None:
        self.study = study
        self.kit_root = kit.root
        self.identities = identities
        self.plan = Plan()
        self._recipients = len(kit.config.recipients)  # the list the study sealed for the kit (maybe an earlier one)
        self._withdrawn = set(days_by_participant(study.withdrawals())) | set(withdrawn_here(study))  # QA V10
        self._retired = destroyed_ids(study)
        self._letters = issued_letters(study)
        self._asked = {f.name for f in Questionnaire.for_study(study.root).fields}  # what the study approved
        self._withdrawn_names = {
            names.name_key(str(entry["details"].get("pseudonym")))
            for entry in study.audit.facts()
            if entry.get("action") == "withdraw" and isinstance(entry.get("details"), dict)
        }
        self._moved = moved_sessions(study)
        kit_log, damage = _kit_log(kit.root)
        doubtful = unchained(kit_log)  # an altered line may not vouch for a record sealed under another name
        rewritten, key_damage = forward_check(study, kit.root, kit_log, identities)
        doubtful |= rewritten
        first = kit_first_key(study, kit_log, identities)  # what each kit entry vouches for (QA S14)
        self._kit_vouches = None if first is None else vouching.kit_vouches(kit_log, first, doubtful)
        self._made_on = kit_made_on(study, kit_log)  # where the study does not record making the kit (QA X5)
        # what the kit's damaged lines still vouch for, by their own keyed vouches (QA V2), and what is wrong with it
        self._damaged_vouches = {} if first is None else vouching.kit_vouches(kit_log, first, doubtful, True) or {}
        self._log_damage = "; ".join(filter(None, (damage, _forward_damage(rewritten, key_damage))))
        self._log_lost = bool(damage) and not kit_log  # emptied or deleted, not damaged in places (QA W20)
        self.accept_damaged_log = False  # the PI takes a kit whose log is damaged: names it cannot vouch for left out
        self._sealed_again = herlist.sealed_again(kit_log, doubtful)  # deleted on the kit, sealed anew (QA T19)
        self._kit = kit
        # a name key the kit renamed someone to -> the names she had before
        self._renamed = kit_renames(e for e in kit_log if int(str(e["seq"])) not in doubtful)
        self._logged = _logged_sessions(kit_log)
        self._recorded = _recorded_sessions(kit_log, doubtful)  # what the kit's chain vouches it recorded (QC3, QC4)
        self._written = _written_on_kit(kit_log, doubtful)  # the field notes and journal entries it wrote (QC3)
        self._added_here = _added_on_kit(kit_log, doubtful)  # the women it added (qa29 QE4's rest)
        self._study_renamed = kit_renames(study.audit.facts())  # the study's renames, in the same form
        self._destroyed = _destroyed_payloads(study)
        self._drafts_done = drafts.removed_payloads(study)
        self._names_drafts = _names_drafts(kit_log)  # a kit of this release: every draft it keeps is named
        self._drafts_kept = _drafts_kept(kit_log, doubtful)
        self._held = {
            found: str(path.relative_to(study.root)) for path in data_files(study) if (found := payload_id(path))
        }
        self._kit_lists: dict[str, list[str]] = {}  # kit folder -> the names on her list (read by the check)
        self._kit_list_of: set[str] = set()  # kit folders with her list there
        self._added_for: dict[str, str] = {}  # her list's path in the study -> the kit folder adding names to it
        self._targets: dict[str, str] = {}  # kit folder -> the study folder it merges into
        self._sources: dict[str, str] | None = None  # SHA-256 of an imported file -> the session it became (QA K5)
        self._withdrawn_sources: dict[str, str] = {}  # read with _sources: only a kit with an imported session needs it
        self._damaged: dict[Path, str] = {}  # kit recording -> what is wrong with it (QA K16)
        self._cut: set[Path] = set()  # kit recordings that end before their final chunk
        self.names_lost = False  # the PI says names added on the kit are lost: merge without them, said (QA U7)

    def _relative(self, path: Path) -> str:
        """A kit path as the kit's log names it: composed (NFC), as fieldvault stores names, where a Mac's disk wrote
        her folder's name decomposed (QA V13)."""
        return unicodedata.normalize("NFC", path.relative_to(self.kit_root).as_posix())

    # --- single files -----------------------------------------------------------------------------

    def _age_file(self, path: Path, audio: bool, keep: list[bytes] | None = None) -> tuple[str, bool]:
        """The sha256 of an age file that decrypts end to end and is for the study's recipients only, and
        whether it is a recording its recorder never sealed (which `recover` re-seals). ``keep`` gathers the
        plaintext of a small sealed document, the very bytes whose hash is returned."""
        with _open_regular(path) as stream:
            _sized_up(stream, path.name, keep is not None)  # before a byte is hashed: a huge file, read whole (QA V7)
            digest = _digest(stream)
            try:
                reader = AgeReader(stream, self.identities)
                stanzas = reader.header.stanzas
                if len(stanzas) != self._recipients or any(s.type != "X25519" for s in stanzas):
                    raise _Refused(
                        f"is encrypted to {len(stanzas)} recipient(s), the study has {self._recipients}: "
                        "someone added a key on the kit"
                    )
                for chunk in reader.chunks():
                    if keep is not None:
                        keep.append(chunk)
                        if sum(map(len, keep)) > MAX_DOCUMENT:
                            raise _Refused(f"is larger than a {path.name} can be")
            except TruncatedFile:
                if not audio:
                    raise _Refused("was never finished (no final chunk)") from None
                self._cut.add(path)
                return digest, True
            except PayloadTampered as err:
                if not audio:
                    raise _Refused(f"does not decrypt with the study identity ({err})") from None
                return digest, self._damaged_recording(path)
            except FieldvaultError as err:
                raise _Refused(f"does not decrypt with the study identity ({err})") from None
        return digest, False

    def _damaged_recording(self, path: Path) -> bool:
        """Whether a recording whose header opens with the study identity, and whose payload does not authenticate
        end to end, was cut off (torn last chunk: `recover` re-seals it); otherwise it is damaged in places (a
        flipped bit on a stick or card) and noted so. Either way every authentic chunk can be kept (QA K16)."""
        try:
            if torn_tail_only(path, self.identities):
                self._cut.add(path)
                return True
        except FieldvaultError:
            pass  # data after the final chunk: damaged, not cut
        try:
            damage = find_damage(path, self.identities)
        except FieldvaultError as err:
            raise _Refused(f"does not decrypt with the study identity ({err})") from None
        self._damaged[path] = _damage_said(path, damage, self.identities)
        return False

    def _document(self, path: Path, parse: Callable[[bytes, str], T]) -> tuple[str, T]:
        """The sha256 of a sealed document and what its reader makes of it; refused when it does not read."""
        plaintext: list[bytes] = []
        digest = self._age_file(path, audio=False, keep=plaintext)[0]
        try:
            return digest, parse(b"".join(plaintext), _shown(Path(path.name)))
        except FieldvaultError as err:
            raise _Refused(f"does not read as fieldvault reads it ({err})") from None

    def _bound(self, path: Path, sealed: str | None, sealed_id: str | None, what: str) -> None:
        """Refuse a profile or list sealed for another participant than the kit folder it lies in (by the pseudonym
        or participant id inside): two women's files swapped with `mv` gave each the other's answers, and redacted
        her transcripts with the other's names (QA H10). A name the kit's log says she had before is hers (renamed
        on the kit, which cannot re-seal); a list of version 1 names no one and is taken as it is."""
        folder = path.parent
        if sealed is not None:
            had = self._renamed.get(names.name_key(folder.name), set())
            target = self._targets.get(folder.name, folder.name)
            if names.name_key(sealed) not in {names.name_key(folder.name), names.name_key(target), *had}:
                raise _Refused(
                    f"is {sealed}'s {what}, yet the kit holds it as {folder.name}'s (swapped or copied by hand?); put "
                    "it back where the kit wrote it and merge again"
                )
        own = participant_id(folder)
        if sealed_id is not None and own is not None and sealed_id != own:
            raise _Refused(
                f"is the {what} of another participant (its participant id is not {folder.name}'s: swapped or copied "
                "by hand?); put it back where the kit wrote it and merge again"
            )

    def _small_file(self, path: Path, limit: int) -> tuple[bytes, str]:
        with _open_regular(path) as stream:
            data = stream.read(limit + 1)
        if len(data) > limit:
            raise _Refused(f"is larger than a {path.name} can be")
        return data, hashlib.sha256(data).hexdigest()

    def _lock_file(self, path: Path) -> str:
        data, digest = self._small_file(path, MAX_LOCK)
        try:
            parse_lock(data, path.name)
        except BadStudyFile:
            raise _Refused("is not a recording lock") from None
        return digest

    def _checked(self, path: Path, check: str) -> tuple[str, bool] | None:
        """The sha256 of a kit file that passes ``check`` ("age", "lock", "id") and whether it was cut off;
        None, with the refusal recorded, for one that does not."""
        try:
            kind = _lstat_kind(path)
            if kind != "file":
                raise _Refused(f"is a {kind}, not a regular file")
            if check == "age":
                parse = _reader(path.name)
                if parse is not None:
                    digest, opened = self._document(path, vouching.digesting(parse))
                    doc = opened.value
                    if isinstance(doc, Profile) and doc.consent.letter_version not in self._letters:
                        self.plan.unknown_letters.append((path.parent.name, doc.consent.letter_version))
                    if isinstance(doc, Profile):
                        self._bound(path, doc.pseudonym, None, "profile")
                        if unasked := tuple(sorted(set(doc.answers) - self._asked)):
                            self.plan.unapproved.append((path.parent.name, unasked))
                    if isinstance(doc, (SessionInfo, FieldNote)) and doc.session is not None:  # QA Q4
                        what = "session record" if isinstance(doc, SessionInfo) else "field notes"
                        self._session_bound(path, path.parent.parent.name, doc.pseudonym or "", doc.session, what)
                    if isinstance(doc, IdentifierList) and path.parent.parent.name == layout.PARTICIPANTS:
                        self._bound(path, doc.pseudonym, doc.participant_id, "list of names she may mention")
                        self._refuse_sealed_again(path, len(doc.identifiers))
                        if (problem := list_too_long(doc.identifiers)) is not None:  # QA K13 (B): exports crawl
                            again = command(
                                "participant", "add-list", self.kit_root, path.parent.name, "--identifiers", "FILE"
                            )
                            raise _Refused(
                                f"is more than a list of names may hold ({problem}): delete it on the kit and seal a "
                                f"shorter one there (`{again}`), then merge again"
                            )
                        self._kit_lists.setdefault(path.parent.name, []).extend(i.text for i in doc.identifiers)
                        self._kit_list_of.add(path.parent.name)
                    if isinstance(doc, (Profile, IdentifierList)) and path.parent.parent.name == layout.PARTICIPANTS:
                        relative = self._relative(path)  # after the checks that say more
                        if problem := vouching.kit_problem(self._kit_vouches, self.kit_root, relative, opened.sha256):
                            raise _Refused(problem)
                    return digest, False
                return self._age_file(path, audio=path.name == layout.AUDIO)
            if check == "lock":
                return self._lock_file(path), False
            data, digest = self._small_file(path, MAX_ID_SIZE)
            if parse_id(data) is None:
                raise _Refused("is not a participant id")
            return digest, False
        except _Refused as why:
            self._refuse_rest(path, str(why))
            return None

    def _file(self, path: Path, target: str, check: str) -> None:
        checked = self._checked(path, check)
        if checked is None:
            return
        if path in self._damaged:
            self._plan_copy(path, target, checked[0])
            if path in self._damaged:  # unless the study holds it whole
                self.plan.damaged[target] = self._damaged[path]
        elif not checked[1] and path.name == layout.AUDIO and self._completes(path, target):
            self.plan.complete.append(Item(path, target, checked[0]))
        else:
            self._plan_copy(path, target, checked[0])
            if checked[1]:
                self.plan.cut_off.append(target)

    def _draft(self, path: Path, target: str, name: str) -> None:
        """A draft typed on the kit and never saved there (QA R21) comes in under its own name; where the study holds
        another draft of that name (the kit's screen typed on after an earlier merge), under a name of its own
        (``name``, from its hash: merged again, it is there already), so that neither is lost: the screen that
        opens next offers each back."""
        if payload_id(path) in self._drafts_done:
            self.plan.left_out.append(
                f"{_shown(path.relative_to(self.kit_root))}: a draft an earlier merge brought, which the study has "
                "saved or discarded since (draft.removed in its log); nothing of it is lost: delete it on the kit"
            )
            return
        checked = self._checked(path, "age")
        if checked is None:
            return
        if (unkept := self._unkept(path)) is not None:
            if unkept.startswith(UNNAMED):
                self.plan.held_apart.append(f"{_shown(path.relative_to(self.kit_root))}: {unkept}")
            else:
                self._refuse_rest(path, unkept)
            return
        held = self.study.root / target
        if held.is_file() and _sha256(held) != checked[0] and not self._resealed_by_rename(path, target):
            target = str(Path(target).with_name(name.format(id=checked[0][:8])))
        self._plan_copy(path, target, checked[0])

    def _unkept(self, draft: Path) -> str | None:
        """Why a draft on the kit (or one discarded and set aside there) is no draft the kit kept, or None: a kit of
        this release names each in its log by the one header every keeping of it is sealed under, as its screen first
        keeps it (qa28 QD9: a draft sealed with the public key alone was offered as the interviewer's words). One no
        entry names is held apart on the kit; one sealed under another header than its first entry names is refused.
        A kit of an earlier release, or a damaged log, names none: taken as before."""
        if not self._names_drafts or self._log_damage or self._log_lost:
            return None
        folder = draft.parent
        where = "" if folder.name == layout.JOURNAL else folder.name
        name = self._drafts_kept.set_aside.get((where, draft.name), draft.name)
        kept = [
            k for k in self._drafts_kept.kept.get((where, name), []) if not where or _hers(k[0], folder.parent.name)
        ]
        if not kept:
            read = command("decrypt", self.kit_root, draft.relative_to(self.kit_root), "--study", self.study.root)
            return (
                f"{UNNAMED} (sealed with the study's public key alone, by anyone holding the kit, or kept as its "
                "screen was cut off); it is not merged and stays on the kit: ask the interviewer whether she typed "
                f"it, then read it (`{read} --out -`) and add what she wrote by hand"
            )
        if header_id(draft) == kept[0][1]:
            return None
        return (
            "is not the draft the kit kept under this name: its log names another (written anew on the kit, with the "
            "study's public key alone?); treat the kit as compromised: keep it as it is, and ask the interviewer what "
            "she typed"
        )

    def _copied_elsewhere(self, source: Path, target: str) -> bool:
        """A kit file that is one the study destroyed (left out), or the study's file from another place (refused):
        an old backup's or synced copy put into another participant's session on the kit (QA E3)."""
        found = payload_id(source)
        if found is None:
            return False
        if found in self._destroyed:
            self.plan.left_out.append(
                f"{_shown(source.relative_to(self.kit_root))}: a copy of a file the study destroyed (a withdrawal or "
                "retention); wipe this kit"
            )
            return True
        held = self._held.get(found)
        if held is not None and held not in (target, target + KEPT_ORIGINAL):  # recover keeps the cut-off original
            self.plan.refused.append(
                f"{target}: is a copy of the study's {held}, not a file recorded for this place (copied on the kit?)"
            )
            return True
        return False

    def _completes(self, source: Path, target: str) -> bool:
        """Whether the kit's sealed recording is the whole of one the study holds cut off (merged while it was
        still being recorded, or from a copy of the kit taken then): the payload of the study's copy, or of the
        original `recover` kept beside its re-sealed copy, is a strict prefix of the kit's payload (its header may
        have been re-wrapped since: QA E18)."""
        held = self.study.root / target
        kept = held.with_name(held.name + KEPT_ORIGINAL)
        cut = kept if kept.is_file() and not kept.is_symlink() else held
        if not cut.is_file() or cut.is_symlink() or source.is_symlink():
            return False
        if _same_payload_hurt(cut, source, self.identities):
            return True  # the study's copy came from a kit copy damaged in places; this one is whole (QA K16)
        try:
            with cut.open("rb") as ours, source.open("rb") as theirs:
                read_header(ours)
                read_header(theirs)
                left = cut.stat().st_size - ours.tell()
                if source.stat().st_size - theirs.tell() <= left:
                    return False
                while left > 0:
                    block = ours.read(min(left, 1 << 20))
                    if not block or theirs.read(len(block)) != block:
                        return False
                    left -= len(block)
        except (OSError, FieldvaultError):
            return False
        return True

    def _plan_copy(self, source: Path, target: str, digest: str) -> None:
        if target.endswith(".age") and self._copied_elsewhere(source, target):
            return
        existing = self.study.root / target
        if existing.is_symlink() or (existing.exists() and not existing.is_file()):
            self.plan.refused.append(f"{target}: the study holds something else there")
        elif existing.exists():
            with existing.open("rb") as held:
                same = hashlib.file_digest(held, "sha256").hexdigest() == digest
            if (
                same
                or _merged_before(source, existing, digest)
                or self._resealed_by_rename(source, target)
                or self._restated_by_recover(source, target)
                or self._list_within(source, target)
            ):
                self.plan.already.append(target)
            elif (
                source in self._damaged
                and payload_id(existing) == payload_id(source)
                and _whole(existing, self.identities)
            ):
                self.plan.already.append(target)  # merged whole before the kit's copy was hurt
                self.plan.left_out.append(
                    f"{_shown(source.relative_to(self.kit_root))}: {self._damaged.pop(source)}; the study holds this "
                    "recording whole (merged before the kit's copy was damaged): nothing is lost"
                )
            elif Path(target).name == layout.EVENTS and str(Path(target).with_name(layout.AUDIO)) in {
                i.target for i in self.plan.complete
            }:  # the whole recording's own timeline replaces the one sealed from the cut-off copy's journal
                self.plan.complete.append(Item(source, target, digest))
            else:
                differs = self._another_list(target) if Path(target).name == layout.IDENTIFIERS else ""
                self.plan.refused.append(f"{target}: {differs or 'the study holds a different file of that name'}")
        else:
            self.plan.copy.append(Item(source, target, digest))

    def _list_within(self, source: Path, target: str) -> bool:
        """Whether the kit's list of her names is within the study's (every name on it there): merged before, the
        study's list has gained names since (an append, here or from a kit's follow-up). One holding a name the study's
        lacks, or lacking one of its names, is not hers as the study has it: refused."""
        if Path(target).name != layout.IDENTIFIERS:
            return False
        try:
            theirs = self._document(source, IdentifierList.from_json)[1]
            ours = read_identifier_list(self.study, Path(target), self.identities)
        except (FieldvaultError, _Refused, OSError):
            return False
        return not herlist.new_names(ours.identifiers, theirs.identifiers)

    def _another_list(self, target: str) -> str:
        """The refusal of a kit's list of her names that is not within the study's (``_list_within``)."""
        her = Path(target).parent.name
        again = command("participant", "add-list", self.kit_root, her, "--append", "--identifiers", "FILE")
        return (
            f"{her}'s list of names she may mention on the kit is not the one the study holds, nor within it (deleted "
            f"and sealed again on the kit?): ask the interviewer; names she gives at a follow-up are added with "
            f"`{again}`, never by a list of its own"
        )

    def _restated_by_recover(self, source: Path, target: str) -> bool:
        """The study's timeline is this kit timeline as `recover` restated it when it re-sealed the session's
        recording from the kit's cut or damaged copy (kept beside it): its length, payload and damaged stretches
        changed, nothing else. Refusing it stranded the rest of the kit on every merge after (QA K16)."""
        if Path(target).name != layout.EVENTS:
            return False
        held = self.study.root / target
        kept = held.with_name(layout.AUDIO + KEPT_ORIGINAL)
        theirs_audio = source.with_name(layout.AUDIO)
        try:
            if _payload_digest(kept) != _payload_digest(theirs_audio):
                return False
            theirs = self._document(source, SessionEvents.from_json)[1]
            ours = SessionEvents.from_json(self.study.read(target, self.identities))
        except (FieldvaultError, _Refused, OSError):
            return False
        return _as_sealed(theirs) == _as_sealed(ours)

    def _resealed_by_rename(self, source: Path, target: str) -> bool:
        """The study's copy is this kit file re-sealed under her new name (`participant rename` here since an
        earlier merge): the same record but for the pseudonym inside."""
        try:
            if Path(target).name == layout.PROFILE:
                profile = self._document(source, Profile.from_json)[1]
                held_profile = Profile.from_json(self.study.read(target, self.identities))
                return replace(profile, pseudonym=held_profile.pseudonym) == held_profile
            if Path(target).name == layout.IDENTIFIERS:
                listed = self._document(source, IdentifierList.from_json)[1]
                held_list = IdentifierList.from_json(self.study.read(target, self.identities))
                return replace(listed, pseudonym=held_list.pseudonym) == held_list
            if Path(target).name == layout.EVENTS:
                timeline = self._document(source, SessionEvents.from_json)[1]
                held_timeline = SessionEvents.from_json(self.study.read(target, self.identities))
                return replace(timeline, pseudonym=held_timeline.pseudonym) == held_timeline
            if Path(target).name == layout.SESSION_INFO:  # or bound where it lies (`session bind`)
                info = self._document(source, SessionInfo.from_json)[1]
                held_info = SessionInfo.from_json(self.study.read(target, self.identities), target)
                return replace(info, pseudonym=held_info.pseudonym, session=held_info.session) == replace(
                    held_info, schema_version=info.schema_version
                )
            if FIELD_NOTES.match(Path(target).name):
                note = self._document(source, parse_field_note)[1]
                held_note = parse_field_note(self.study.read(target, self.identities), target)
                return (note.written or UNBOUND_WRITTEN, note.text) == (held_note.written, held_note.text)
        except (FieldvaultError, _Refused, OSError):
            return False
        return False

    def _refuse_rest(self, path: Path, why: str) -> None:
        self.plan.refused.append(f"{_shown(path.relative_to(self.kit_root))}: {why}")

    # --- folders ----------------------------------------------------------------------------------

    def _entries(self, folder: Path) -> Iterator[Path]:
        """The entries of a kit folder, but the metadata a Mac writes where the kit was copied through one (QA Q8:
        one `._audio.wav.age` on an exFAT stick refused the whole kit): an AppleDouble `._NAME` file or a
        `.DS_Store`, a plain file, is left out and named; nothing in it is merged."""
        for path in sorted(folder.iterdir(), key=lambda p: p.name):
            if (path.name.startswith("._") or path.name == ".DS_Store") and _mac_metadata(path):
                self.plan.left_out.append(
                    f"{_shown(path.relative_to(self.kit_root))}: metadata a Mac wrote when the kit was copied "
                    "through it (Finder's AppleDouble or .DS_Store file), not fieldvault's; left out"
                )
            else:
                yield path

    def _folder_ok(self, path: Path) -> bool:
        kind = _lstat_kind(path)
        if kind != "folder":
            self._refuse_rest(path, f"is a {kind} where a folder belongs")
            return False
        return True

    def participants(self) -> None:
        root = self.kit_root / layout.PARTICIPANTS
        if not root.exists() and not root.is_symlink():
            return
        if not self._folder_ok(root):
            return
        targets: dict[str, str] = {}  # name key of each study folder planned -> the kit folder going there
        for folder in self._entries(root):
            if not self._folder_ok(folder):
                continue
            try:  # a name a Mac's disk wrote decomposed (NFD) is the kit's own in composed form (QA V13)
                if names.check_name(folder.name, "pseudonym") != unicodedata.normalize("NFC", folder.name):
                    raise BadInput("is not stored as the name rule stores names")
            except BadInput as err:
                self._refuse_rest(folder, f"is not a valid pseudonym ({err})")
                continue
            target = self._match_participant(folder)
            if target is None:
                continue
            twin = targets.get(names.name_key(target))
            if twin is not None and twin != folder.name:
                self._refuse_rest(
                    folder,
                    f"looks like the kit's {twin!r}: two participants may not share a name"
                    if names.name_key(twin) == names.name_key(folder.name)
                    else f"and the kit's {twin!r} both carry the participant id of the study's {target!r} "
                    "(a participant folder was copied or renamed on the kit); put it back, then merge again",
                )
                continue
            targets[names.name_key(target)] = folder.name
            self._targets[folder.name] = target
            self._renamed_on_kit(folder, target)
            self._participant(folder, target)

    def _renamed_on_kit(self, folder: Path, target: str) -> None:
        """A study participant the kit renamed (``target``: her name in the study, one she had on the kit before):
        renamed so in the study once the kit is merged, where the name rule takes the kit's name (checked here, with
        every list of names, which the kit could not read), else refused in one line (QA Y2: the rename was dropped
        without a word, though the kit said merge-kit takes it)."""
        now = unicodedata.normalize("NFC", folder.name)
        earlier = self._renamed.get(names.name_key(now), set())
        if now == target or not earlier:
            return  # the kit did not rename her
        if names.name_key(target) not in earlier:  # the study renamed her too since the kit was made: its name stays
            self.plan.renames.append((target, now, f"the study renamed her {target} since the kit was made"))
            return
        try:
            plan = check_rename(self.study, target, now)
            refuse_listed_rename(self.study, plan.to, target, self.identities)
        except BadInput as err:
            self._refuse_rest(
                folder,
                f"the kit renamed the study's {target!r} to {now!r}, {NAME_REFUSED} ({err}): rename her again on the "
                f"kit (`{command('participant', 'rename', self.kit_root, folder.name, 'NEW')}`), then merge again",
            )
            return
        self.plan.renames.append((target, plan.to, ""))

    def listed_names(self) -> None:
        """Refuse a pseudonym new to the study that is a name on a list (the study's, a participant's here or on the
        kit), and a kit's list that names a participant by her pseudonym: a pseudonym is plaintext in the study's
        folder names and log (QA). A kit could not read the lists it sealed; this is where they are read."""
        known = self.study.participant_names()
        lists = other_lists(self.study, "", self.identities)
        lists += [(f"{folder}'s list on the kit", listed) for folder, listed in self._kit_lists.items()]
        for folder, target in self._targets.items():
            if target in known:
                continue
            clash = next((whose for whose, listed in lists if identifier_clash(folder, listed) is not None), None)
            if clash is not None:
                self._refuse_rest(
                    self.kit_root / layout.PARTICIPANTS / folder,
                    f"her pseudonym is a name on {clash} of names people may mention (it {REAL_NAME}); rename her "
                    "on the kit "
                    f"(`{command('participant', 'rename', self.kit_root, folder, 'NEW')}`), then merge again",
                )
        for folder, listed in self._kit_lists.items():
            for other in known:
                if self._targets.get(folder) != other and identifier_clash(other, listed) is not None:
                    self._refuse_rest(
                        self.kit_root / layout.PARTICIPANTS / folder,
                        f"her list of names people may mention holds the pseudonym of the study's {other!r} (it "
                        f"{REAL_NAME}); rename "
                        f"{other!r} first (`{command('participant', 'rename', self.study.root, other, 'NEW')}`), "
                        "then merge again",
                    )

    def added_names_listed(self) -> None:
        """Refuse names a kit added at follow-ups to a list deleted in the study: names added alone would stand for it
        (QA T19). However long they make her list, they are kept (``herlist.fold_added``, QA U11)."""
        for target in dict(self.plan.added_names):
            if not (self.study.root / target).is_file() and self._added_for[target] not in self._kit_list_of:
                self.plan.refused.append(  # a new participant's list comes from the kit
                    f"{target}: is missing in the study, and the kit adds names to it: restore it from a backup "
                    "(or, where it was never sealed, seal it), then merge again"
                )

    def _match_participant(self, folder: Path) -> str | None:
        """The study's folder name for the kit's participant: by stable id, else by name."""
        kit_id = participant_id(folder)
        if kit_id in self._withdrawn:  # a kit made before her withdrawal: nothing of hers comes back
            self.plan.withdrawn.append(folder.name)
            return None
        if kit_id in self._retired:  # nor of anyone's whose data the end of retention destroyed (QA F11)
            self.plan.left_out.append(
                f"participants/{folder.name}: her data was destroyed at the end of the retention period; wipe this kit"
            )
            return None
        known = self.study.participant_names()
        by_id = [n for n in known if kit_id and participant_id(layout.participant(self.study.root, n)) == kit_id]
        if by_id and not self._same_woman(folder.name, by_id[0]):
            self._refuse_rest(
                folder,
                f"carries the participant id of the study's {by_id[0]!r}, yet neither the kit nor the study renamed "
                "one to the other (participant.id swapped or copied on the kit?); put it back where the kit wrote it, "
                "then merge again",
            )
            return None
        if by_id:
            return by_id[0]
        same = names.find_same(folder.name, known)
        if same is None:
            return unicodedata.normalize("NFC", folder.name)  # a new participant, met in the field
        held = layout.participant(self.study.root, same)
        study_id = participant_id(held)
        new_on_kit = (folder / layout.PROFILE).is_file() and not _same_file(
            folder / layout.PROFILE, held / layout.PROFILE
        )
        if (kit_id and study_id and kit_id != study_id) or (new_on_kit and not (kit_id and kit_id == study_id)):
            self._refuse_rest(
                folder,
                f"{CLASH} from the study's {same!r}; rename one of them (on the kit: "
                f"`{command('participant', 'rename', self.kit_root, folder.name, 'NEW')}`), then merge again",
            )
            return None
        return same

    def _same_woman(self, kit_name: str, study_name: str) -> bool:
        """Whether the kit's folder and the study's participant of the same id are one woman by name: the same name,
        or names the kit's log or the study's log renamed her between. A participant.id file is plaintext: swapped
        between two women's folders on the kit, it filed each one's sessions as the other's."""
        on_kit = {names.name_key(kit_name), *self._renamed.get(names.name_key(kit_name), set())}
        in_study = {names.name_key(study_name), *self._study_renamed.get(names.name_key(study_name), set())}
        return bool(on_kit & in_study)

    def _participant(self, folder: Path, target: str) -> None:
        base = f"{layout.PARTICIPANTS}/{target}"
        if target not in self.study.participant_names() and not os.path.lexists(folder / layout.IDENTIFIERS):
            # `participant add` seals her list (empty or not) beside her profile; deleting it needs no key (`rm`),
            # and her names would then rest on the study's list and the detector alone
            self._refuse_rest(
                folder,
                f"her {NO_LIST} ({layout.IDENTIFIERS}: deleted on the kit?), and "
                "without it her names are not redacted from her transcripts; put the file back from a copy of the kit, "
                + (
                    "or ask the interviewer (the kit sealed it, and never seals it again)"
                    if herlist.sealed_before(self._kit, unicodedata.normalize("NFC", folder.name)) is not None
                    else "or ask her again and seal her list on the kit (`"
                    + command("participant", "add-list", self.kit_root, folder.name, "--identifiers", "FILE")
                    + "`)"
                )
                + ", then merge again",
            )
            return
        if missing := self._added_names_missing(folder):
            if self.names_lost:
                self.plan.left_out.append(
                    f"participants/{folder.name}: the names added to her list on the kit in {', '.join(missing)} are "
                    "lost (--names-lost): add them in the study as the interviewer recalls them (`"
                    + command("participant", "add-list", self.study.root, target, "--append", "--identifiers", "FILE")
                    + "`)"
                )
            else:
                self._refuse_rest(
                    folder,
                    f"the names added to her list on the kit in {', '.join(missing)}, which the kit's log vouches for, "
                    "are missing (deleted on the kit?), and without them her new names are on no list: put the file "
                    "back from a copy of the kit, then merge again; if it is lost, merge with --names-lost and add the "
                    "names in the study as the interviewer recalls them",
                )
                return
        for item in self._entries(folder):
            name = item.name
            if name in PARTICIPANT_FILES:
                self._file(item, f"{base}/{name}", "age")
            elif name == layout.PARTICIPANT_ID:
                self._file(item, f"{base}/{name}", "id")
            elif herlist.ADDED.fullmatch(name):
                self._added_names(item, f"{base}/{layout.IDENTIFIERS}")
            elif SESSION_ID.match(name):
                moved_to = (
                    None
                    if layout.session(self.study.root, target, name).exists()
                    else (where_now(self._moved, target, name))
                )
                if moved_to is not None and self._gone(moved_to):
                    self.plan.left_out.append(
                        f"{_shown(item.relative_to(self.kit_root))}: the study moved this session to {moved_to}, "
                        "who withdrew from the study; wipe this kit"
                    )
                elif moved_to is not None and self._folder_ok(item):
                    self._moved_session(item, f"{layout.PARTICIPANTS}/{moved_to}/{name}")
                elif self._folder_ok(item):
                    self._session(item, f"{base}/{name}")
            else:
                self._refuse_rest(item, "is not something a field kit writes")

    def _refuse_sealed_again(self, path: Path, count: int) -> None:
        """Refuse her list where the kit sealed one at its path before this one: hers was deleted on the kit and
        sealed anew (QA T19: empty, and merged, her names were on no list). The kit never seals a list twice."""
        found = self._sealed_again.get(self._relative(path))
        if found is not None:
            raise _Refused(
                f"{path.parent.name}'s list of names she may mention was sealed on the kit on {found[0]}, deleted, and "
                f"sealed again on {found[1]} with {count} name(s): ask the interviewer what happened; her first list "
                "is in a copy of the kit, if there is one (put it back there, then merge again)"
            )

    def _added_names_missing(self, folder: Path) -> list[str]:
        """The files of names added to her list at a follow-up that an entry of the kit vouches for and that are not in
        her folder on the kit (QA U7: deleted before the merge, her new partner's name and town went on no list)."""
        base = f"{self._relative(folder)}/"
        return sorted(
            path.removeprefix(base)
            for path in {**(self._kit_vouches or {}), **self._damaged_vouches}
            if path.startswith(base)
            and herlist.ADDED.fullmatch(path.removeprefix(base))
            and not os.path.lexists(folder / path.removeprefix(base))
        )

    def _added_names(self, path: Path, target: str) -> None:
        """Names a kit sealed for her at a follow-up (``herlist.ADDED``): checked as her list is, and vouched for by the
        kit entry that wrote them; added to her list in the study once the rest is merged (``herlist.fold_added``)."""
        try:
            if (kind := _lstat_kind(path)) != "file":
                raise _Refused(f"is a {kind}, not a regular file")
            opened = self._document(path, vouching.digesting(IdentifierList.from_json))[1]
            self._bound(path, opened.value.pseudonym, opened.value.participant_id, "names added to her list")
            again = self._sealed_again.get(self._relative(path))
            if again is not None:  # deleted and sealed anew under its number: the names first sealed there are lost
                raise _Refused(
                    f"was sealed on the kit on {again[0]}, deleted, and sealed again on {again[1]}: the names she gave "
                    "first are in no file; put the first file back from a copy of the kit, or ask the interviewer, "
                    "then merge again"
                )
            relative = self._relative(path)
            # its line damaged, the vouch in it intact: the kit's key for that entry checks it (QA V2)
            salvaged = relative in self._damaged_vouches and not vouching.kit_problem(
                self._damaged_vouches, self.kit_root, relative, opened.sha256
            )
            unvouched = not salvaged and (self._kit_vouches is None or relative not in self._kit_vouches)
            if unvouched and self._log_damage:  # the entry that vouched for it may be the one damaged or gone
                if not self.accept_damaged_log:
                    raise _Refused(self._unvouched_names(path))
                self.plan.names_left_out.append((relative, self._targets.get(path.parent.name, path.parent.name)))
                return
            if unvouched and self._made_on is not None:  # adding them again on the kit cannot help (QA X5)
                raise _Refused(self._unrecorded_names(path, self._made_on))
            if unvouched:
                raise _Refused(  # never "delete it": where the kit's log was emptied or lost, it holds her names (W20)
                    "is vouched for by no entry the kit wrote (sealed with the public keys alone, on the laptop or off "
                    "it, or the kit's log that vouched for it was emptied or lost): do not delete it, it may hold "
                    "names she gave; move it off the kit to keep it, ask the interviewer which names she gave then, "
                    "add them there again (`"
                    + command(
                        "participant", "add-list", self.kit_root, path.parent.name, "--append", "--identifiers", "FILE"
                    )
                    + "`), then merge again"
                )
            if problem := vouching.kit_problem(self._kit_vouches, self.kit_root, relative, opened.sha256):
                raise _Refused(problem)
        except _Refused as why:
            self._refuse_rest(path, str(why))
            return
        self._kit_lists.setdefault(path.parent.name, []).extend(i.text for i in opened.value.identifiers)
        self.plan.added_names.append((target, opened.value.identifiers))
        self.plan.added_files.setdefault(target, []).append(path.name)
        self._added_for[target] = path.parent.name

    def _unvouched_names(self, path: Path) -> str:
        """The refusal of a file of names added on the kit that no intact entry of a damaged kit log vouches for: the
        entry that did may be the one damaged or gone, so the names in it may be hers (QA V2). Never "delete it"."""
        her = self._targets.get(path.parent.name, path.parent.name)
        return (
            f"may hold names {her} gave at a follow-up, and the kit's log, which vouched for them, is "
            + (f"lost: its {self._log_damage}" if self._log_lost else f"damaged ({self._log_damage})")
            + f": keep the file (do not delete it); put back the kit's {layout.AUDIT_FILE} from "
            "another copy of the kit (the laptop's, a backup of the stick), then merge again; with none, merge with "
            "--accept-damaged-log, which leaves this file out (kept on the kit, named); "
            + read_names_by_hand(self.study.root, self.kit_root, self._relative(path), her)
        )

    def _unrecorded_names(self, path: Path, made_on: str) -> str:
        """The refusal of a file of names added on a kit the study does not record making, whose log the study's key
        cannot check (a kit of a release before logs were keyed): nothing vouches for it, and names sealed on the kit
        again would be vouched for by nothing either."""
        her = self._targets.get(path.parent.name, path.parent.name)
        return (
            f"may hold names {her} gave at a follow-up, and {unrecorded_kit(made_on)}, and the kit's log cannot be "
            "checked with the study's key: keep the file (do not delete it); put back a copy of the study that "
            "records the kit (a newer backup), then merge again; with none, "
            + read_names_by_hand(self.study.root, self.kit_root, self._relative(path), her)
            + ", then move the file off the kit and merge again"
        )

    def _gone(self, pseudonym: str) -> bool:
        """Whether the study's participant withdrew (her folder destroyed, or only de-identified copies kept):
        nothing of a session moved to her comes back."""
        folder = layout.participant(self.study.root, pseudonym)
        withdrew = names.name_key(pseudonym) in self._withdrawn_names  # a kept folder holds no participant id
        return withdrew or not folder.is_dir() or participant_id(folder) in self._withdrawn

    def _session(self, folder: Path, base: str) -> None:
        logged = self._logged.get(folder.name, {})
        if logged and names.name_key(folder.parent.name) not in logged:
            self._refuse_rest(
                folder,
                f"is {' and '.join(sorted(logged.values()))}'s session by the kit's log, yet the kit holds it as "
                f"{folder.parent.name}'s (moved by hand?); put it back where the kit wrote it and merge again, "
                "then move it with `fieldvault session move` on this machine",
            )
            return
        stopped = self._stopped(folder)
        if not stopped and self._still_recording(folder):
            self.plan.recording.append(
                f"{_shown(folder.relative_to(self.kit_root))}: is being recorded now (its recording lock is there and "
                "its recording was written to moments ago); merge again once the recording has stopped"
            )
            return
        audio = folder / layout.AUDIO
        if audio.is_file() and not audio.is_symlink() and payload_id(audio) in self._destroyed:
            # Its timeline and notes alone would make a session that looks recorded and has no recording (QA E3).
            self.plan.left_out.append(
                f"{_shown(folder.relative_to(self.kit_root))}: its recording is a copy of one the study destroyed (a "
                "withdrawal or retention), so none of the session is merged; wipe this kit"
            )
            return
        if layout.untimed(folder):
            self._refuse_rest(
                folder,
                "has a recording and no timeline (deleted or lost on the kit?): nothing tells whose recording it is, "
                "and one filed under the wrong woman is exported as her words (QA J3); move this folder off the kit "
                "and keep it (it holds a recording), merge again, then, once you know whose it is, decrypt it and "
                "bring it in with `fieldvault import`",
            )
            return
        held = self.study.root / base
        recovered = (held / layout.EVENTS).is_file() and not (held / layout.LOCK).exists()
        refused = len(self.plan.refused)
        for item in self._entries(folder):
            name = item.name
            before = len(self.plan.refused)  # what a file's own checks say comes first
            if name == layout.EVENTS:
                self._timeline(item, f"{base}/{name}")
            elif drafts.NOTES_NAME.match(name):
                self._draft(item, f"{base}/{name}", layout.FIELD_NOTES_DRAFT)
            elif drafts.NOTES_SET_ASIDE.match(name):
                self._draft(item, f"{base}/{name}", layout.FIELD_NOTES_SET_ASIDE)
            elif name == layout.AUDIO and (padded := self._longer_than_logged(item)):
                self._refuse_rest(item, padded)  # before a byte of it is hashed or copied (qa28 QD2)
            elif name in SESSION_FILES or FIELD_NOTES.match(name):
                self._file(item, f"{base}/{name}", "age")
                forged = (
                    self._unwritten(f"{folder.parent.name}/{folder.name}", item) if FIELD_NOTES.match(name) else None
                )
                if forged and len(self.plan.refused) == before:
                    self._refuse_rest(item, forged)
            elif name in (layout.LOCK, layout.EVENTS_JOURNAL) and recovered:  # a crash's leftovers (QA D24)
                self.plan.left_out.append(
                    f"{_shown(item.relative_to(self.kit_root))}: left by a recording cut off on the kit; the study "
                    "has recovered that session already"
                )
            elif name == layout.LOCK and stopped:  # qa29 QE1: a lock put beside it hid a stopped session
                self.plan.left_out.append(
                    f"{_shown(item.relative_to(self.kit_root))}: a recording lock beside a session the kit's log "
                    "records stopped (put there by hand, or copied?); nothing records into it: left out"
                )
            elif name == layout.LOCK:
                self._file(item, f"{base}/{name}", "lock")
            elif name == f"{layout.AUDIO}{RESEAL_SUFFIX}" and _lstat_kind(item) == "file":
                self.plan.left_out.append(f"{item.relative_to(self.kit_root)}: an unfinished re-seal copy")
            elif name == layout.EVENTS_JOURNAL:
                if self._folder_ok(item):
                    for event in self._entries(item):
                        if EVENT_FILE.match(event.name):
                            ahead = len(self.plan.refused)
                            self._file(event, f"{base}/{name}/{event.name}", "age")
                            self._refuse_unsealed(folder, event, ahead)
                        else:
                            self._refuse_rest(event, "is not something a field kit writes")
            else:
                self._refuse_rest(item, "is not something a field kit writes")
            if name in (layout.EVENTS, layout.SESSION_INFO):
                self._refuse_unsealed(folder, item, before)
        if len(self.plan.refused) == refused and (replaced := self._not_recorded_here(folder)) is not None:
            self._refuse_rest(folder, replaced)  # a recording and its timeline that agree, but not with the log

    def _unwritten(self, session: str, item: Path) -> str | None:
        """Why a kit's field note ``item`` (``session`` "pseudonym/id") or journal entry (``session`` "") is not one
        the kit wrote, or None: every one it writes has its entry in the kit's log, naming its header (qa27 QC3: a note
        sealed with the public key alone, "withdraw her first interview", merged as the interviewer's; and one sealed
        under the number of a note the kit wrote). The first entry for a note is the one written before anyone could
        take the kit: a thief holds the log's next key, and can add entries. A damaged log is said as such."""
        name = item.name
        if self._log_damage or self._log_lost or (session and not NUMBERED_NOTE.match(name)):
            return None
        if session:
            pseudonym, folder = session.split("/", 1)
            number = NUMBERED_NOTE.match(name).group(1)  # type: ignore[union-attr]
            writings = [w for w in self._written.get(f"{folder}/{int(number)}", []) if _hers(w.names, pseudonym)]
        else:
            writings = self._written.get(name.removesuffix(journal_module.SUFFIX), [])
        if not writings:
            return (
                "was written by no entry of the kit's log: sealed with the study's public key alone (by anyone holding "
                "the kit), or a save cut off before its entry; move it off the kit and keep it, merge again (the rest "
                "merges), and ask the interviewer whether she wrote it and what"
            )
        if not writings[0].header or header_id(item) == writings[0].header:  # a release that named no header
            return None
        return (
            "is not what the kit wrote under this name: its log names another file sealed here (replaced on the kit, "
            "with the study's public key alone?); treat the kit as compromised: keep it as it is, and ask the "
            "interviewer what she wrote"
        )

    def _her_entries(self, folder: Path) -> list[_Recorded]:
        """The kit log's entries for the session in ``folder`` of the woman whose folder holds it, in the log's order:
        the first is what was recorded there."""
        return [r for r in self._recorded.get(folder.name, []) if _hers(r.names, folder.parent.name)]

    def _refuse_unsealed(self, folder: Path, path: Path, before: int) -> None:
        """Refuse ``path``, a file of the session in ``folder``, where ``_not_sealed_here`` says why and nothing was
        said of it (or its folder's recording) before: ``before``, the refusals there were until then."""
        if len(self.plan.refused) != before:
            return
        rewritten = self._not_sealed_here(folder, path)
        if rewritten is not None and self._not_recorded_here(folder) is None:  # else that is said of it
            self._refuse_rest(path, rewritten)

    def _not_sealed_here(self, folder: Path, path: Path) -> str | None:
        """Why a kit session's timeline, a file of its event journal, or its session record is not one sealed for it,
        or None: the session's first entry names each by its header (qa28 QD9: a timeline written anew with the
        public key alone, "she told me afterwards she made all of this up; withdraw her", and a kind changed to member
        check, merged as hers). A recording's start names the one header its recorder seals all of them under, as it
        records and at its stop; a kit of an earlier release named them at the stop, or an import, only."""
        hers = self._her_entries(folder)
        named = (hers[0].info if path.name == layout.SESSION_INFO else hers[0].timeline) if hers else ""
        if not named or header_id(path) == named:
            return None
        what = {layout.EVENTS: "timeline", layout.SESSION_INFO: "session record (its kind)"}.get(
            path.name, "event of the timeline"
        )
        return (
            f"is not the {what} the kit sealed for this session: its log names another (written anew on the kit, with "
            "the study's public key alone?); treat the kit as compromised: keep it as it is, and ask the interviewer "
            "what happened to it"
        )

    def _longer_than_logged(self, audio: Path) -> str | None:
        """Why a kit recording holds far more than the length its session's first entry in the kit's log records, or
        more than could have been recorded between its start and its stop (or, cut off, the log's next entry, or
        this merge), or None (qa28 QD2: her recording padded to 1 GB or 30 GB on the kit was copied whole into the
        study as "a flipped bit", and `recover` made her 17 s a 9-hour recording). Its own first chunk says its
        format."""
        folder = audio.parent
        hers = self._her_entries(folder)
        if not hers or not audio.is_file() or audio.is_symlink():
            return None
        logged, span = hers[0].length, self._recordable(hers[0], folder)
        if logged is None and span is None:
            return None
        found = _recording_format(audio, self.identities)
        if found is None:
            return None  # its first chunk does not open: the file's own check says why
        fmt, offset = found
        try:
            with audio.open("rb") as stream:
                read_header(stream)
                payload = audio.stat().st_size - stream.tell() - PAYLOAD_NONCE
        except (OSError, FieldvaultError):
            return None
        held = plaintext_size(max(payload, 0))
        seconds = (held - offset) / fmt.bytes_per_second
        compromised = (
            " (padded or written over on the kit?); treat the kit as compromised: keep it as it is, and ask the "
            "interviewer what happened to it"
        )
        if logged is not None and held > offset + (logged + 1) * fmt.bytes_per_second + CHUNK:
            said = f"the kit's log recorded {logged:.1f} s for this session"
            return f"holds {seconds:.0f} s of audio, and {said}{compromised}"
        if span is not None and seconds > span[0] * (1 + CAP_SLACK) + CAP_SECONDS:
            return (
                f"holds {seconds:.0f} s of audio, and no more than {span[0]:.0f} s can have been recorded: the kit's "
                f"log began it at {span[1]} and {span[2]} (with {CAP_SLACK:.0%} and {CAP_SECONDS} s to spare)"
                f"{compromised}"
            )
        return None

    def _recordable(self, recorded: _Recorded, folder: Path) -> tuple[float, str, str] | None:
        """How long a recording begun by a `record.start` entry can have run, and the two ends said (its start; its
        stop, the log's next entry, or this merge), or None (no start logged). The stop's `record` entry counts where
        the kit holds the timeline the stop sealed (anyone holding the kit can append a `record` entry, and its
        seconds, to a session cut off by a crash); an end before the start (a clock set back) bounds nothing."""
        if recorded.begun is None:
            return None
        sealed = recorded.stopped is not None and (folder / layout.EVENTS).is_file()
        stop = (recorded.stopped, "stopped it at") if sealed else (recorded.next_entry, "its next entry is at")
        ends = [stop, (self.study.clock(), "this merge is at")]
        after = [(when, said) for when, said in ends if when is not None and when >= recorded.begun]
        if not after:
            return None
        end, said = min(after, key=lambda one: one[0])
        shown = "%Y-%m-%d %H:%M:%S UTC"
        begun = recorded.begun.astimezone(UTC).strftime(shown)
        return (end - recorded.begun).total_seconds(), begun, f"{said} {end.astimezone(UTC).strftime(shown)}"

    def _not_recorded_here(self, folder: Path) -> str | None:
        """Why the kit's recording of this session is not the one its log says it recorded (qa27 QC3: a recording
        and its timeline written anew with the public key alone merged as her interview), or None. The session's
        first `record.start`, `record` or `import` entry names the header the recording was sealed under, which every
        re-seal keeps; a kit of an earlier release named its payload only, which a later `recover` on the kit
        re-sealed."""
        hers = self._her_entries(folder)
        audio = folder / layout.AUDIO
        if not hers or not audio.is_file() or audio.is_symlink():
            return None
        if hers[0].header:  # the session's first entry, written before anyone could take the kit (qa27's QC3 rest)
            sealed_under = header_id(audio)
            if sealed_under == hers[0].header:
                return None
            appended = any(r.header == sealed_under for r in hers[1:])
            return (
                "holds a recording this session did not make: the kit's log names the one begun here, and this is "
                "another"
                + (
                    " (an entry naming it was added to the log after the session's own: anyone holding the kit can "
                    "add one)"
                    if appended
                    else ""
                )
                + "; treat the kit as compromised: keep it as it is, and ask the interviewer what happened to it"
            )
        if any(not r.payload or r.recovered for r in hers):
            return None
        if payload_id(audio) in {r.payload for r in hers}:  # a folder name used again once the first moved off
            return None
        return (
            f"holds a recording the kit's log never recorded: its `{hers[-1].action}` entry names another one for "
            "this session (replaced on the kit, with a timeline written to match?); treat the kit as compromised: "
            "keep it as it is, and ask the interviewer what happened to it"
        )

    def missing_sessions(self) -> None:
        """Every session the kit's log recorded that neither the kit nor the study holds (qa27 QC4: a session folder
        lost from the kit, by a copy cut short or by hand, merged without a word, and the kit was then to be wiped)."""
        on_kit = [(p.parent.name, p.name) for p in _session_folders(self.kit_root)]
        in_study = {p.name for p in _session_folders(self.study.root)}  # her name may differ there: renamed on merge
        held_headers = {header_id(p) for p in data_files(self.study) if p.name == layout.AUDIO}
        studied: dict[str, list[Path]] = {}
        for path in _session_folders(self.study.root):
            studied.setdefault(path.name, []).append(path)
        known = {names.name_key(n) for n in self.study.participant_names()} | {
            names.name_key(f.name) for f in _participant_folders(self.kit_root)
        }
        for session, all_recorded in sorted(self._recorded.items()):
            for recorded in all_recorded:
                held = bool(recorded.header) and recorded.header in held_headers  # re-sealed since: a new payload
                if recorded.payload and not recorded.recovered:  # the study holds it, moved or renamed, or removed it
                    if recorded.payload in self._held or recorded.payload in self._destroyed or held:
                        continue
                elif session in in_study or held:  # re-sealed since, or of a release that named none, or cut off
                    continue
                if recorded.names.keys() & self._withdrawn_names:
                    continue
                shown = [n for k, n in sorted(recorded.names.items()) if k in known]
                whose = f"{shown[0]}'s" if shown else "a participant's"
                folders = [
                    self.kit_root / layout.PARTICIPANTS / name / s
                    for name, s in on_kit
                    if s == session and _hers(recorded.names, name)
                ]
                if not folders:
                    self.plan.missing.append(f"{whose} session {session} ({recorded.seconds})")
                    continue
                if recorded.header and not any((f / layout.AUDIO).exists() for f in folders):
                    # qa29 QE4: its folder came, its recording did not (a copy that skipped the one big file)
                    self.plan.missing.append(f"{whose} recording of session {session} ({recorded.seconds})")
                if recorded.sealed_kind and not any(
                    (f / layout.SESSION_INFO).exists() for f in [*folders, *studied.get(session, [])]
                ):  # qa29 QE4: its kind (a follow-up, a member check) and a consent confirmed again, lost with the kit
                    self.plan.missing.append(f"{whose} session record (its kind) of session {session}")
        self._missing_writings(known)
        self._missing_participants()

    def _missing_participants(self) -> None:
        """Every woman the kit's log records added that neither the kit nor the study holds, under that name or one she
        was renamed to (qa29 QE4's rest: added with no session yet, her folder left out of a copy of the kit, merged
        without a word, and her consent record and answers went with the wiped kit)."""
        held = {names.name_key(f.name) for f in _participant_folders(self.kit_root)}
        held |= {names.name_key(n) for n in self.study.participant_names()}
        for renames in (self._renamed, self._study_renamed):
            held |= {before for after, earlier in renames.items() if after in held for before in earlier}
        gone = {key: name for key, name in self._added_here.items() if key not in held | self._withdrawn_names}
        lists = every_listed_name(self.study, self.identities) if gone else []
        for _, name in sorted(gone.items()):
            if identifier_clash(name, lists) is None:  # one that is a name on a list was undone there (QA K9)
                self.plan.missing.append(f"participant {name} (added on the kit: her consent record and answers)")

    def _missing_writings(self, known: set[str]) -> None:
        """Every field note and journal entry the kit's log names by its header that neither the kit nor the study
        holds (qa29 QE4: deleted on the kit, or left out of a copy of it, they merged without a word, and the kit,
        their only copy, was to be wiped). A kit of a release before headers were named names none."""
        if not any(w.header for held in self._written.values() for w in held):
            return
        kit_files = [
            *layout.participants(self.kit_root).rglob("*.age"),
            *(self.kit_root / layout.JOURNAL).glob("*.age"),
        ]
        here = {header_id(p) for p in kit_files if not p.is_symlink()} | {header_id(p) for p in data_files(self.study)}
        for name, held in sorted(self._written.items()):
            first = held[0]
            if not first.header or first.header in here:
                continue
            if not first.names:
                self.plan.missing.append(f"journal entry {name} (sealed on the kit)")
                continue
            if first.names.keys() & self._withdrawn_names:
                continue
            session, number = name.rsplit("/", 1)
            shown = [n for k, n in sorted(first.names.items()) if k in known]
            whose = f"{shown[0]}'s" if shown else "a participant's"
            self.plan.missing.append(f"field notes {number} of {whose} session {session} (sealed on the kit)")

    def _stopped(self, folder: Path) -> bool:
        """Whether the kit's log records this session's recording stopped (its `record` entry), or its import: no
        recorder writes into it (qa29 QE1: a lock put beside a stopped session, its recording's time set ten years
        ahead, left it out as being recorded, for ever)."""
        hers = self._her_entries(folder)
        return bool(hers) and hers[0].action in ("record", "import")

    def _still_recording(self, folder: Path) -> bool:
        """A kit session whose recorder runs on this machine, or whose recording (beside a lock) changed in the last
        half minute (another machine's recorder, or a kit copied while it recorded): merged now, it would be a
        cut-off copy (QA E18). A time ahead of this machine's clock is no "moments ago" (qa29 QE1)."""
        lock, audio = folder / layout.LOCK, folder / layout.AUDIO
        if not (lock.is_file() and not lock.is_symlink()):
            return False
        found = read_lock(lock)
        if found is not None and found.alive:
            return True
        return audio.is_file() and not audio.is_symlink() and 0 <= time.time() - audio.stat().st_mtime < STILL_RECORDING

    def _timeline(self, path: Path, target: str) -> None:
        """The session's sealed timeline, merged only where it says it belongs: a session folder moved or
        renamed by hand on the kit would otherwise be filed, redacted and exported as another participant's."""
        try:
            kind = _lstat_kind(path)
            if kind != "file":
                raise _Refused(f"is a {kind}, not a regular file")
            digest, sealed = self._document(path, SessionEvents.from_json)
            folder = path.parent
            self._session_bound(path, Path(target).parts[1], sealed.pseudonym, sealed.session, "timeline")
            audio = folder / layout.AUDIO
            if self._hurt_on_kit(audio, sealed.info, str(Path(target).with_name(layout.AUDIO))):
                pass  # its own recording, cut short or damaged since it was sealed: merged for recover (QA K16)
            elif audio.is_file() and not audio.is_symlink():  # QA H1: a recording swapped on the kit is refused here
                problem = recording_mismatch(audio, sealed.info, self.identities, self.study.root)
                if problem:
                    raise _Refused(f"is the timeline of another recording: the {layout.AUDIO} beside it {problem}")
            self._imported_once(sealed.info.get(SOURCE_SHA256), str(Path(target).parent), folder)
            self._part_rate(folder, Path(target).parent, sealed.info)
        except _Refused as why:
            self._refuse_rest(path, str(why))
            return
        self._plan_copy(path, target, digest)

    def _part_rate(self, folder: Path, target: Path, info: dict[str, Any]) -> None:
        """A file imported on the kit as a part of an interview (``import --continues``: the kit cannot read that
        interview's recording) is refused where it was recorded at another sample rate than the interview (QA S12)."""
        record = folder / layout.SESSION_INFO
        if not record.exists() or _lstat_kind(record) != "file":
            return
        try:
            part = self._document(record, SessionInfo.from_json)[1]
        except _Refused:
            return  # refused as the file it is, once
        if not (part.split and part.continues):
            return
        on_kit = folder.parent / part.continues / layout.EVENTS
        if on_kit.exists() and _lstat_kind(on_kit) == "file":
            first = self._document(on_kit, SessionEvents.from_json)[1].info.get("rate")
        else:
            first = load_events(self.study, self.study.root / target.parent / part.continues, self.identities).info.get(
                "rate"
            )
        if first is not None and info.get("rate") != first:
            raise _Refused(
                f"is a part of session {part.continues} recorded at {info.get('rate')} Hz, and {part.continues} at "
                f"{first} Hz: it is not a part of that recording; move this folder off the kit, merge again, and "
                "import the file on this machine"
            )

    def _session_bound(self, path: Path, participant: str, sealed: str, session: str, what: str) -> None:
        """Refuse a record sealed for another session than the kit folder it lies in (timeline, field notes, session
        record): a session folder moved or renamed by hand on the kit, or one woman's notes moved into another's
        session, would be filed, redacted and exported as the other's (QA Q4). A name the kit's log says she had
        before is hers (renamed on the kit, which cannot re-seal), and so is the study's name for her."""
        folder = path.parent
        pseudonym = folder.parent.name
        had = self._renamed.get(names.name_key(pseudonym), set())
        if session != folder.name or names.name_key(sealed) not in {
            names.name_key(pseudonym),
            names.name_key(participant),
            *had,
        }:
            fix = "put it back where the kit wrote it and merge again"
            if what == "timeline":
                fix = (
                    "put the folder back where the kit wrote it and merge again, then move it with `fieldvault "
                    "session move` on this machine"
                )
            raise _Refused(
                f"is the {what} of {sealed}'s session {session}, yet the kit holds it as {pseudonym}'s session "
                f"{folder.name} (moved or renamed by hand?); {fix}"
            )

    def _hurt_on_kit(self, audio: Path, info: dict[str, object], target: str) -> bool:
        """Whether the recording beside a sealed timeline is the one it was sealed with (the same payload), cut short
        or damaged since (an interrupted copy to the stick, a flipped bit): not another recording. A cut one is
        named as damaged too, with how much of it is left: its recorder had sealed it whole (QA K16)."""
        if audio not in self._cut and audio not in self._damaged:
            return False
        if info.get(AUDIO_ID) is None or info.get(AUDIO_ID) != payload_id(audio):
            return False
        if audio in self._cut and target in self.plan.cut_off:
            self.plan.cut_off.remove(target)
            stated = info.get(AUDIO_SECONDS, info.get("duration"))
            self.plan.damaged[target] = _cut_said(audio, stated, self.identities)
        return True

    def _imported_once(self, source: object, session: str, folder: Path) -> None:
        """Refuse a kit session (at ``folder``) imported from a file that the study, or another session of this kit,
        was imported from too (QA K5: a kit cannot read the digests, so the same card imported under two women on a
        kit was merged and exported as the second woman's words; AA9: an import cut off before its shred, imported
        again on a kit from before the kit knew its files), or that a withdrawn woman's recording came from (QA K4).
        The refusal names the `mv` that sets it aside off the kit, after which the rest of the kit merges."""
        if not isinstance(source, str):
            return
        if self._sources is None:
            found = imported_sources(self.study, layout.timed_sessions(self.study.root), self.identities)
            self._sources = {digest: str(where.relative_to(self.study.root)) for where, digest in found}
            self._withdrawn_sources = days_by_import(self.study.withdrawals())
        keyed = source_mac(self.study, self.identities, source)
        if keyed is not None and keyed in self._withdrawn_sources:
            raise _Refused(
                "is the timeline of a recording imported from the file of a participant who withdrew: it must not be "
                "merged; wipe this session folder from the kit, and delete the original (on the recorder's card too)"
            )
        where = self._sources.setdefault(source, session)
        if where != session:
            aside = self.kit_root.parent / f"{self.kit_root.name}-held-{folder.parent.name}-{folder.name}"
            raise _Refused(
                f"is the timeline of a recording {TWICE} {where} (imported twice, or under two women?): move this "
                f"session folder off the kit and keep it (`{shell('mv', folder, aside)}`), then merge again: the rest "
                "of the kit merges. Listen to both and bring it in with `fieldvault import` only if it is a recording "
                "of its own"
            )

    def _moved_session(self, folder: Path, base: str) -> None:
        """A session merged before and then moved to another participant in the study (`session move`): its
        field notes written since go with it; the rest the study holds already, re-sealed under her name."""
        for item in self._entries(folder):
            if drafts.NOTES_NAME.match(item.name):
                self._draft(item, f"{base}/{item.name}", layout.FIELD_NOTES_DRAFT)
            elif drafts.NOTES_SET_ASIDE.match(item.name):
                self._draft(item, f"{base}/{item.name}", layout.FIELD_NOTES_SET_ASIDE)
            elif FIELD_NOTES.match(item.name):
                self._file(item, f"{base}/{item.name}", "age")
            else:
                self.plan.left_out.append(
                    f"{_shown(item.relative_to(self.kit_root))}: the study moved this session to "
                    f"{Path(base).parent.name} (session move) and holds it there"
                )

    def strays(self) -> None:
        """Name what lies at the kit's top level that no kit writes: plaintext put there by hand goes back to the
        field with the kit unless someone removes it (merged it never is)."""
        for item in sorted(self.kit_root.iterdir()):
            name = item.name
            if name in KIT_TOP_LEVEL or name.startswith(".") or name.startswith(f"{layout.AUDIT_FILE}.torn-"):
                continue
            self.plan.left_out.append(
                f"{_shown(Path(name))}: not something a field kit writes (plaintext put there, an export or a "
                "decrypted copy?); look at it, and shred it before the kit goes back to the field"
            )

    def journal(self) -> None:
        folder = self.kit_root / layout.JOURNAL
        if not folder.exists() and not folder.is_symlink():
            return
        if not self._folder_ok(folder):
            return
        held = self.study.root / layout.JOURNAL
        for item in self._entries(folder):
            match = JOURNAL_ENTRY.match(item.name)
            if drafts.JOURNAL_NAME.match(item.name):
                self._draft(item, f"{layout.JOURNAL}/{item.name}", layout.JOURNAL_DRAFT)
                continue
            if drafts.JOURNAL_SET_ASIDE.match(item.name):
                self._draft(item, f"{layout.JOURNAL}/{item.name}", layout.JOURNAL_SET_ASIDE)
                continue
            if not match:
                self._refuse_rest(item, "is not a journal entry")
                continue
            checked = self._checked(item, "age")
            if checked is None:
                continue
            if forged := self._unwritten("", item):
                self._refuse_rest(item, forged)
                continue
            same_day = sorted(held.glob(f"{match.group(1)}-*.md.age")) if held.is_dir() else []
            target = f"{layout.JOURNAL}/{item.name}"
            rewrapped = self._held.get(payload_id(item) or "", "")  # merged before, its header re-wrapped since
            if any(_sha256(p) == checked[0] for p in same_day) or Path(rewrapped).parent.name == layout.JOURNAL:
                self.plan.already.append(target)
                continue
            taken = {p.name for p in same_day} | {Path(i.target).name for i in self.plan.copy}
            number = int(match.group(2))
            while f"{match.group(1)}-{number}.md.age" in taken:
                number += 1  # the study wrote an entry of that name meanwhile: keep both
            self.plan.copy.append(Item(item, f"{layout.JOURNAL}/{match.group(1)}-{number}.md.age", checked[0]))


# What a field kit holds at its top level; anything else was put there (an export or a decrypted copy: QA F29).
KIT_TOP_LEVEL = TOP_LEVEL - {layout.KEYS, layout.STUDY_IDENTIFIERS}


def _as_sealed(timeline: SessionEvents) -> SessionEvents:
    """A timeline without what `recover` restates when it salvages its recording (the payload, the length, the
    damaged stretches it marks) and without the name it was sealed under."""
    info = {k: v for k, v in timeline.info.items() if k not in (AUDIO_ID, AUDIO_SECONDS)}
    events = [event for event in timeline.events if event.kind != "damaged"]
    return replace(timeline, pseudonym="", info=info, events=events)


def _whole(path: Path, identities: Sequence[Identity]) -> bool:
    """Whether a sealed recording authenticates chunk by chunk where it stands."""
    try:
        damage = find_damage(path, identities)
    except (FieldvaultError, OSError):
        return False
    return not damage.bad and not damage.cut_after_whole


def _same_payload_hurt(held: Path, whole: Path, identities: Sequence[Identity]) -> bool:
    """Whether ``held`` is ``whole`` (a sealed recording that authenticates end to end) damaged in places: the same
    payload and size, and chunks that fail."""
    try:
        return (
            payload_id(held) == payload_id(whole)
            and held.stat().st_size == whole.stat().st_size
            and not _whole(held, identities)
        )
    except (FieldvaultError, OSError):
        return False


def _recording_format(path: Path, identities: Sequence[Identity]) -> tuple[wavstream.WavFormat, int] | None:
    """The WAV format and first sample's offset of a recording, from its first chunk; None when that chunk does not
    authenticate or is no WAV header."""
    try:
        with path.open("rb") as stream:
            return wavstream.parse_header(next(AgeReader(stream, identities).chunks(), b""))
    except (FieldvaultError, OSError):
        return None


def _cut_said(path: Path, stated: object, identities: Sequence[Identity]) -> str:
    """What is wrong with a sealed recording cut short on the kit: how much of it is left, of how much."""
    found = _recording_format(path, identities)
    damage = find_damage(path, identities)
    if found is None or not isinstance(stated, int | float) or isinstance(stated, bool):
        return f"is cut short (its last {len(damage.bad) or 1} chunk(s) missing: an interrupted copy?)"
    fmt, offset = found
    whole = damage.chunks if damage.cut_after_whole else damage.chunks - 1
    kept = max(whole * CHUNK - offset, 0) / fmt.bytes_per_second
    return f"is cut short ({kept:.1f} s of {stated:.1f} s left: an interrupted copy to the stick?)"


def _damage_said(path: Path, damage: Damage, identities: Sequence[Identity]) -> str:
    """What is wrong with a recording damaged in places: which chunks fail authentication, and where in the audio."""
    bad = [n for n in damage.bad if n < damage.chunks - 1] or list(damage.bad)
    said = f"chunk {bad[0]}" if len(bad) == 1 else f"{len(bad)} chunks ({', '.join(map(str, bad[:5]))}...)"
    found = _recording_format(path, identities)
    where = ""
    if found is not None:
        fmt, offset = found
        at = max(bad[0] * CHUNK - offset, 0) / fmt.bytes_per_second
        where = f", {len(bad) * CHUNK / fmt.bytes_per_second:.1f} s of audio from {timecode.clock(at, digits=0)}"
    fails = "fails" if len(bad) == 1 else "fail"
    why = "written over on the kit?" if len(damage.bad) * 2 > damage.chunks else "a flipped bit on the stick or card?"
    return f"is damaged: {said} of {damage.chunks} {fails} authentication{where} ({why})"


def _destroyed_payloads(study: Study) -> set[str]:
    """The payloads of every file a withdrawal, retention or `session remove` destroyed, as the audit log records
    (with the study key in use, in entries it signed: QA X3)."""
    found: set[str] = set()
    for entry in study.audit.facts():
        details = entry.get("details")
        if entry.get("action") in ("withdraw", "retention.destroy", "session.remove") and isinstance(details, dict):
            found.update(str(details.get("payloads", "")).split())
    return found


def _shown(path: Path) -> str:
    """A kit path for the report, its invisible and control characters spelled out (one line per refusal)."""
    return printable(os.fsdecode(path))


def _merged_before(kit_file: Path, held: Path, digest: str) -> bool:
    """The study holds this kit file, changed only by the trusted machine since an earlier merge: re-wrapped to
    the study's newer recipients (the same payload under another header), or re-sealed by `recover` (the kit's
    cut-off copy is the original kept beside it). Refusing those stranded the kit's later sessions (QA D18)."""
    kept = held.with_name(held.name + KEPT_ORIGINAL)
    if kept.is_file() and not kept.is_symlink() and _sha256(kept) == digest:
        return True
    if not held.name.endswith(".age"):
        return False
    try:
        return _payload_digest(kit_file) == _payload_digest(held)
    except FieldvaultError:
        return False


def _payload_digest(path: Path) -> str:
    """The SHA-256 of an age file's payload (all after its header): a re-wrap changes only the header."""
    with path.open("rb") as stream:
        read_header(stream)
        return hashlib.file_digest(stream, "sha256").hexdigest()


def _same_file(a: Path, b: Path) -> bool:
    """Whether two plain files hold the same bytes (a profile merged before, from a kit without ids)."""
    return a.is_file() and not a.is_symlink() and b.is_file() and _sha256(a) == _sha256(b)


def _sha256(path: Path) -> str:
    with path.open("rb") as source:
        return hashlib.file_digest(source, "sha256").hexdigest()


def open_kit(kit_root: Path, study: Study, identity: X25519Identity | None = None, accept_added: bool = False) -> Study:
    """The kit's own study.toml, read only if it is a regular file, and its recipients the study's (or a list the
    study's ``identity`` sealed before the study's list changed). A list with keys added on the kit is refused
    (KeysAddedOnKit), or taken with ``accept_added``: its files are then re-wrapped to the study's list."""
    for path, kind in ((kit_root, "folder"), (kit_root / layout.STUDY_FILE, "file")):
        if not path.exists() and not path.is_symlink():
            raise BadInput(f"{kit_root} is not a field kit (no {layout.STUDY_FILE}); give the kit's folder")
        if _lstat_kind(path) != kind:
            raise BadInput(f"{path} is a link or special file; a field kit holds only plain folders and files")
    if (kit_root / layout.STUDY_FILE).stat().st_size > MAX_KIT_FILE:
        raise BadInput(f"{kit_root / layout.STUDY_FILE} is far too large for a study file; this is not a field kit")
    kit = Study.open(kit_root)
    if not kit.is_field_kit:
        raise BadInput(f"{kit_root} is not a field kit (it is a study); merge only kits made by `fieldvault field-kit`")
    same = kit.config.recipients == study.config.recipients and kit.config.recipients_mac == study.config.recipients_mac
    if same or (identity is not None and sealed_by_study(kit, study, identity)):
        return kit
    ours = {entry.key for entry in study.config.recipients}
    added = tuple(entry for entry in kit.config.recipients if entry.key not in ours)
    # Keys added in any place of the list (an attacker chooses the order, QA F13); the study can read the kit's files
    # only if its own key is still there.
    study_key_kept = study.config.recipients[0].key in {entry.key for entry in kit.config.recipients}
    if added and study_key_kept and accept_added:
        return kit
    if not added or not study_key_kept:
        raise BadInput(
            f"{kit_root} is not a field kit of this study: its recipient list was not sealed by this study's identity "
            "(a key was removed or the list changed on the kit); nothing was merged"
        )
    raise KeysAddedOnKit(kit_root, added)


def sealed_by_study(kit: Study, study: Study, identity: X25519Identity) -> bool:
    """A kit made before the study's recipients changed (a transcriber's key added, a key removed): its list is
    one this study's identity sealed, with the study key first. Its files merge, re-wrapped to the study's
    list as it is now (QA D19): a key added since can open them, a key removed since no longer can."""
    entries = kit.config.recipients
    return (
        bool(entries)
        and entries[0] == study.config.recipients[0]
        and hmac.compare_digest(kit.config.recipients_mac, recipients_mac(identity, entries))
    )


def check_kit(
    study: Study,
    kit_root: Path,
    identities: Sequence[Identity],
    accept_added: bool = False,
    names_lost: bool = False,
    accept_damaged_log: bool = False,
) -> Plan:
    """Everything the merge would do, and everything it refuses; changes nothing."""
    identity = study.study_identity(identities)
    if identity is None:
        raise BadInput("merging a kit needs the study identity (the study passphrase), not another recipient's key")
    study.use_identities(identities)  # the study's own recipient list must be the one the identity sealed
    checker = Checker(study, open_kit(kit_root, study, identity, accept_added), identities)
    checker.names_lost = names_lost
    checker.accept_damaged_log = accept_damaged_log
    checker.participants()
    checker.missing_sessions()
    checker.listed_names()
    checker.added_names_listed()
    checker.journal()
    checker.strays()
    return checker.plan


# What a field kit itself writes to its log. Anything else in a kit's log was put there by hand.
KIT_ACTIONS = frozenset(
    {
        "field-kit.created",
        "participant.add",
        LIST_SEALED,
        herlist.APPENDED,
        BEGUN,
        "record",
        "import",
        KIT_STAGED,
        "recover",
        "journal.add",
        "fieldnotes.add",
        drafts.REMOVED,
        drafts.KEPT,
        TORN,
        RENAMED,
    }
)
# The kit's own words carried into the study's log: names checked by the name rule, a few short codes,
# and numbers; never free text (a "reason" typed on a lost laptop could name someone).
_KIT_NAMES = frozenset({"pseudonym", "session", "moved_from"})
_KIT_CODES = frozenset({"method", "version", "model", "backend", "participant_id", "kit", "file"})


def _kit_detail(key: str, value: object) -> bool:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return False
    if not isinstance(value, str):
        return key in ALLOWED_DETAILS
    if key in _KIT_NAMES:
        try:
            return names.check_name(value) == value
        except FieldvaultError:
            return False
    return key in _KIT_CODES and len(value) <= 80 and value.isprintable()


def _kit_audit(kit_root: Path, accept_damaged: bool = False) -> tuple[str, list[dict[str, object]], str | None]:
    """The kit's id (the hash of its first audit entry), its audit entries, chain checked, and None; or, with
    ``accept_damaged``, from a log damaged in places (a flipped byte on a USB stick: a kit has no backup of its
    log), the entries that still read and what is wrong (QA G6). The kit's sealed files are checked on their own."""
    path = kit_root / layout.AUDIT_FILE
    if (lost := _log_lost(path)) is not None:  # emptied or deleted on the kit: its files may still be whole (QA W20)
        if not accept_damaged:
            raise BadInput(
                f"the kit's {lost}: its recordings may still be whole, and files of names a woman gave at a follow-up "
                "on it are kept as they are (do not delete them); put back the kit's audit.jsonl from another copy of "
                "the kit, or merge with --accept-damaged-log to take every session that authenticates, the loss on "
                "the record and each file of names left out, named; nothing was merged"
            )
        return _lost_log_id(kit_root), [], lost
    if _lstat_kind(path) != "file" or path.stat().st_size > MAX_AUDIT:
        raise BadInput(f"{path} is not a plain audit log; nothing was merged")
    log = AuditLog(path)
    damage = None
    try:
        log.verify()
        entries = log.entries()
    except AuditBroken as err:
        # a kit has no backup of its log, and `check` cannot set its lines aside (QA W8)
        said = str(err).removesuffix("; " + restore_or_set_aside(kit_root)).removesuffix("; " + RESTORE_LOG)
        if not accept_damaged:
            raise BadInput(
                f"the kit's {said}: its recordings may still be whole, and names a woman gave at a follow-up may "
                "rest on that entry; put back the kit's audit.jsonl from another copy of the kit, or merge with "
                "--accept-damaged-log to take every file that authenticates, the damage on the record and each file "
                "of names it cannot vouch for named; nothing was merged"
            ) from None
        entries, bad = log.readable()
        damage = f"{said} (unreadable lines: {', '.join(map(str, bad)) or 'none'})"
    if not entries or entries[0].get("action") != "field-kit.created":
        raise BadInput(f"{path} does not begin where a field kit's log begins; nothing was merged")
    for entry in entries:
        if entry.get("action") not in KIT_ACTIONS:
            action = str(entry.get("action"))[:40]
            raise BadInput(
                f"the kit's audit log, entry {entry.get('seq')}, records {action!r}, which a field kit never "
                "writes: the kit was changed by hand; nothing was merged"
            )
    return str(entries[0]["hash"]), entries, damage


LOG_LOST = "emptied or deleted on the kit, or lost with a card's damage"  # how a kit's log lost whole is said (W20)


def read_names_by_hand(study_root: Path, kit_root: Path, relative: str, her: str) -> str:
    """How to read a file of names the kit sealed for her with the study's key, and add them to her list in the study
    (QA W20: its log lost, nothing vouches for it; the file may be the only copy of the names she gave)."""
    read = command("decrypt", kit_root, relative, "--study", study_root, "--out", "-")
    add = command("participant", "add-list", study_root, her, "--append", "--identifiers", "FILE")
    return (
        f"read the names in it with the study's key (`{read}`), check them with the interviewer, and add them to her "
        f"list (`{add}`, FILE one name a line)"
    )


def _log_lost(path: Path) -> str | None:
    """What is wrong with a kit log emptied or deleted ("audit.jsonl is missing"), or None: one that holds anything
    is read as a log (and refused where it is not one)."""
    if not os.path.lexists(path):
        return f"{layout.AUDIT_FILE} is missing ({LOG_LOST})"
    if _lstat_kind(path) == "file" and path.stat().st_size <= MAX_AUDIT and not path.read_bytes().strip():
        return f"{layout.AUDIT_FILE} is empty ({LOG_LOST})"
    return None


def _lost_log_id(kit_root: Path) -> str:
    """An id for a kit whose log is lost (its own id is the hash of its first entry): the files it holds, which a
    merge never changes, so that a merge of it cut off is resumed."""
    held = sorted(str(p.relative_to(kit_root)) for p in (kit_root / layout.PARTICIPANTS).rglob("*") if p.is_file())
    return "log-lost:" + hashlib.sha256("\n".join(held).encode()).hexdigest()


def forward_check(
    study: Study, kit_root: Path, entries: list[dict[str, Any]], identities: Sequence[Identity]
) -> tuple[set[int], str]:
    """For a kit made with its log keyed forward (the study's signed `field-kit.made` entry says so): the seq of each
    entry whose forward mac fails (rewritten whole on the kit, the last line too), and what is wrong with the kit's
    key file ("" when nothing). Nothing to check for a kit made without it (before this release, or unlocked not)."""
    first = kit_first_key(study, entries, identities)
    if first is None:
        return set(), ""
    key_file = kit_root / layout.AUDIT_KEY
    state = auditratchet.read_state(key_file) if key_file.is_file() and not key_file.is_symlink() else None
    return auditratchet.check(entries, first, state)


def kit_first_key(study: Study, entries: list[dict[str, Any]], identities: Sequence[Identity]) -> bytes | None:
    """The forward key of the kit's entry 1, for a kit made with its log keyed forward (the study's signed
    `field-kit.made` entry says so, or, where the study does not record making the kit, the kit's entries carry the
    macs that key gives); None for a kit made without (before that release, or with the study locked)."""
    identity = study.study_identity(identities)
    if not entries or identity is None:
        return None
    head = str(entries[0].get("hash"))
    made = [
        e
        for e in study.audit.signed()
        if e.get("action") == "field-kit.made" and isinstance(d := e.get("details"), dict) and d.get("head") == head
    ]
    first = auditratchet.first_key(derived_key(identity, "kit-log"), head)
    if any(e["details"].get("log") == "keyed" for e in made):
        return first
    if made or kit_made_on(study, entries) is None:
        return None
    # QA X5: a study restored from a backup made before the kit holds no record of it, and every file of names she
    # gave on it was refused as the kit's fault. Only this study's identity gives the key the kit's entries carry
    # macs under: where one holds, the kit is this study's, made by a copy of it, and every entry is checked so.
    return first if len(auditratchet.check(entries, first, None)[0]) < _keyed_entries(entries) else None


def unrecorded_kit(made_on: str) -> str:
    """How a kit the study's log does not record making is said (QA X5)."""
    return (
        f"this study does not record making the kit (made on {made_on} by a copy of this study that this one lacks: "
        "restored from an older backup?)"
    )


def _keyed_entries(entries: list[dict[str, Any]]) -> int:
    return sum(1 for entry in entries if int(entry["seq"]) >= auditratchet.FIRST_SEQ)


def kit_made_on(study: Study, entries: list[dict[str, Any]]) -> str | None:
    """The day the kit's log began ("2026-11-28"), where the study's log does not record making it (`field-kit.made`
    naming its first entry): the study was restored from a backup made before the kit (QA X5); None where it does."""
    head = str(entries[0].get("hash")) if entries else ""
    for entry in study.audit.facts():
        if entry.get("action") == "field-kit.made" and isinstance(d := entry.get("details"), dict):
            if d.get("head") == head:
                return None
    return str(entries[0].get("time", ""))[:10] if entries else None


def questionnaire_changed(study: Study, kit_root: Path, entries: list[dict[str, Any]]) -> bool:
    """Whether the kit asks another questionnaire than the one the study's signed `field-kit.made` entry for it
    records (changed on the kit: a question added or reworded that the IRB never approved). A kit made before the
    entry recorded it, or merged without the study key, says nothing."""
    head = str(entries[0].get("hash")) if entries else ""
    sent = {
        str(d[QUESTIONNAIRE_DIGEST])
        for e in study.audit.signed()
        if e.get("action") == "field-kit.made"
        and isinstance(d := e.get("details"), dict)
        and d.get("head") == head
        and QUESTIONNAIRE_DIGEST in d
    }
    return bool(sent) and questionnaire_digest(kit_root) not in sent


def _forward_damage(rewritten: set[int], key_damage: str) -> str:
    said = [f"fails its key at entr{'y' if len(rewritten) == 1 else 'ies'} {', '.join(map(str, sorted(rewritten)))}"]
    return "; ".join([*(said if rewritten else []), *([key_damage] if key_damage else [])])


def _kit_log(kit_root: Path) -> tuple[list[dict[str, object]], str | None]:
    """The kit's audit entries that read, and what is wrong with its chain (None when nothing), or none: a log that is
    no kit's log is refused by the merge itself (``_kit_audit``); here it only gives nothing to compare."""
    try:
        return _kit_audit(kit_root, accept_damaged=True)[1:]
    except (FieldvaultError, OSError):
        return [], None


def _logged_sessions(entries: list[dict[str, object]]) -> dict[str, dict[str, str]]:
    """Session id -> {name key: pseudonym} of the participants the kit's log recorded or imported it for, and
    every name the kit renamed her to since (`participant rename` on the kit)."""
    logged: dict[str, dict[str, str]] = {}
    for entry in entries:
        details = entry.get("details")
        if entry.get("action") in (BEGUN, "record", "import") and isinstance(details, dict):
            pseudonym = _shown(Path(str(details.get("pseudonym"))))[:80]
            logged.setdefault(str(details.get("session")), {})[names.name_key(pseudonym)] = pseudonym
        elif entry.get("action") == RENAMED and isinstance(details, dict):
            _follow_rename(logged.values(), details)
    return logged


def _follow_rename(held: Iterable[dict[str, str]], details: dict[str, Any]) -> None:
    """Each {name key: pseudonym} that holds the name a kit's `participant rename` entry (``details``) renamed her
    from takes the name she was renamed to."""
    before, after = names.name_key(str(details.get("moved_from"))), str(details.get("pseudonym"))
    for one in held:
        if before in one:
            one[names.name_key(after)] = _shown(Path(after))[:80]


@dataclass
class _Recorded:
    action: str  # "record.start", "record" or "import"
    payload: str  # the payload id the entry names ("" from a release that named none, or a recording's start)
    seconds: str  # as the entry says it ("17.7 s"), "length unknown", or "cut off" (begun, never stopped)
    names: dict[str, str]  # name key -> pseudonym, the entry's and every name the kit renamed her to since
    header: str = ""  # the recording's header_id ("" from a release before headers were named)
    length: float | None = None  # the seconds the entry says (None: unknown, or cut off)
    timeline: str = ""  # the header_id of its timeline, as the stop or the import sealed it ("": not named)
    info: str = ""  # the header_id of its session record (its kind), likewise
    recovered: bool = False  # a later `recover` of its recording on the kit re-sealed it
    sealed_kind: bool = False  # its stop's or import's entry named a session record there (it was written)
    begun: datetime | None = None  # a recording's start, by the kit's clock (its `record.start` entry)
    stopped: datetime | None = None  # its stop: the time of the `record` entry folded into its start
    next_entry: datetime | None = None  # the time of the kit log's next entry after its start (any action)


def _recorded_sessions(entries: list[dict[str, object]], doubtful: set[int]) -> dict[str, list[_Recorded]]:
    """Session id -> what the kit's `record.start`, `record` and `import` entries its chain vouches for say of a
    session of that id, in the log's order (an altered or unchained entry vouches for nothing; two women's imports
    may share a second). A recording's stop is folded into its start's entry, told by the header both name."""
    found: dict[str, list[_Recorded]] = {}
    unfollowed: list[_Recorded] = []  # recordings begun whose log has no entry after their start yet
    for entry in entries:
        details = entry.get("details")
        if int(str(entry["seq"])) in doubtful or not isinstance(details, dict):
            continue
        for begun_before in unfollowed:
            begun_before.next_entry = entry_time(entry)
        unfollowed.clear()
        session = str(details.get("session"))
        if entry.get("action") in (BEGUN, "record", "import"):
            seconds = details.get("seconds")
            said = f"{seconds} s" if isinstance(seconds, int | float) else "length unknown"
            pseudonym = _shown(Path(str(details.get("pseudonym"))))[:80]
            header = str(details.get("header") or "")
            held = found.setdefault(session, [])
            begun = next((r for r in held if r.action == BEGUN and header and r.header == header), None)
            length = float(seconds) if isinstance(seconds, int | float) and not isinstance(seconds, bool) else None
            timeline, info = str(details.get("timeline") or ""), str(details.get("session_info") or "")
            if begun is not None and _hers(begun.names, pseudonym):
                begun.action, begun.payload, begun.seconds = "record", str(details.get("payloads") or ""), said
                # what its start named stands: a `record` entry is appended by whoever holds the kit (qa28 QD9)
                begun.length, begun.timeline, begun.info = length, begun.timeline or timeline, begun.info or info
                begun.stopped = entry_time(entry)
                begun.sealed_kind = bool(info)
                continue
            names_now = {names.name_key(pseudonym): pseudonym}
            payload, said = str(details.get("payloads") or ""), "cut off" if entry["action"] == BEGUN else said
            held.append(_Recorded(str(entry["action"]), payload, said, names_now, header, length, timeline, info))
            if entry["action"] == BEGUN:
                held[-1].begun = entry_time(entry)
                unfollowed.append(held[-1])
            else:
                held[-1].sealed_kind = bool(info)
        elif entry.get("action") == RENAMED:
            _follow_rename((r.names for held in found.values() for r in held), details)
        elif entry.get("action") == "recover":
            parts = str(details.get("file", "")).split("/")  # participants/NAME/SESSION/audio.wav.age
            for recorded in found.get(parts[-2], []) if len(parts) >= 3 else []:
                recorded.recovered |= _hers(recorded.names, parts[-3])
    return found


@dataclass
class _Written:
    names: dict[str, str]  # {name key: pseudonym} of a note's (renames on the kit followed); a journal entry's: none
    header: str  # the file's header_id ("" from a release before headers were named)


def _added_on_kit(entries: list[dict[str, object]], doubtful: set[int]) -> dict[str, str]:
    """Name key -> pseudonym of each woman a `participant.add` entry the chain vouches for added on the kit."""
    added: dict[str, str] = {}
    for entry in entries:
        details = entry.get("details")
        if entry.get("action") == "participant.add" and int(str(entry["seq"])) not in doubtful:
            if isinstance(details, dict) and details.get("pseudonym"):
                added[names.name_key(str(details["pseudonym"]))] = str(details["pseudonym"])
    return added


def _written_on_kit(entries: list[dict[str, object]], doubtful: set[int]) -> dict[str, list[_Written]]:
    """ "session/number" of each field note and the name of each journal entry a kit entry the chain vouches for
    wrote -> each writing of it, in the log's order."""
    found: dict[str, list[_Written]] = {}
    for entry in entries:
        details = entry.get("details")
        if int(str(entry["seq"])) in doubtful or not isinstance(details, dict):
            continue
        header = str(details.get("header") or "")
        if entry.get("action") == memos.ADDED:
            pseudonym = str(details.get("pseudonym"))
            found.setdefault(f"{details.get('session')}/{details.get('count')}", []).append(
                _Written({names.name_key(pseudonym): pseudonym}, header)
            )
        elif entry.get("action") == journal_module.ADDED:
            found.setdefault(str(details.get("name")), []).append(_Written({}, header))
        elif entry.get("action") == RENAMED:
            _follow_rename((w.names for held in found.values() for w in held), details)
    return found


def _hers(whose: dict[str, str], pseudonym: str) -> bool:
    """Whether a kit folder named ``pseudonym`` is hers, by {name key: pseudonym} of an entry (renames followed)."""
    return names.name_key(unicodedata.normalize("NFC", pseudonym)) in whose


def _participant_folders(root: Path) -> list[Path]:
    folder = root / layout.PARTICIPANTS
    try:
        return [p for p in folder.iterdir() if p.is_dir() and not p.is_symlink()] if not folder.is_symlink() else []
    except OSError:  # none, or unreadable: the walk says so
        return []


def _session_folders(root: Path) -> list[Path]:
    found = []
    for participant in _participant_folders(root):
        try:  # an unreadable folder is refused by the walk, with its reason
            found += [s for s in participant.iterdir() if SESSION_ID.match(s.name) and s.is_dir()]
        except OSError:
            continue
    return found


UNNAMED = "is a draft no entry of the kit's log names"  # a draft held apart on a kit that names its drafts


@dataclass
class _DraftsKept:
    # (session id, "" in the journal; file) -> ({name key: pseudonym}, header) of each `draft.kept` entry, in order
    kept: dict[tuple[str, str], list[tuple[dict[str, str], str]]] = field(default_factory=dict)
    # (session id or ""; the name a discarded draft was set aside under) -> the draft's own name
    set_aside: dict[tuple[str, str], str] = field(default_factory=dict)


def _names_drafts(entries: list[dict[str, object]]) -> bool:
    """Whether the kit's first entry says it names every draft it keeps (a kit made by this release or later)."""
    details = entries[0].get("details") if entries else None
    return isinstance(details, dict) and details.get(drafts.NAMED) == drafts.NAMED_VALUE


def _drafts_kept(entries: list[dict[str, object]], doubtful: set[int]) -> _DraftsKept:
    """What the kit's `draft.kept` and `draft.removed` entries its chain vouches for say of its drafts."""
    found = _DraftsKept()
    for entry in entries:
        details = entry.get("details")
        if int(str(entry["seq"])) in doubtful or not isinstance(details, dict):
            continue
        where = (str(details.get("session") or ""), str(details.get("file") or ""))
        if entry.get("action") == drafts.KEPT:
            pseudonym = str(details.get("pseudonym") or "")
            whose = {names.name_key(pseudonym): pseudonym} if pseudonym else {}
            found.kept.setdefault(where, []).append((whose, str(details.get("header") or "")))
        elif entry.get("action") == drafts.REMOVED and details.get("kept"):
            found.set_aside.setdefault((where[0], str(details.get("kept"))), where[1])
        elif entry.get("action") == RENAMED:
            _follow_rename((k[0] for held in found.kept.values() for k in held), details)
    return found


KIT_ENTRY = "field-kit.entry"
LISTED_NAME = "[a name on a list]"  # a kit entry's pseudonym that is a name on a list, as the study's log takes it
# A kit entry whose line the kit's chain does not vouch for (altered, or beside damage: QA G6): taken, marked so.
UNCHAINED_ENTRY = "field-kit.entry-unchained"
FORKED_ENTRY = "field-kit.entry-forked"  # a kit whose log parts from the one merged before: a copy, or rewritten
KIT_ENTRY_ACTIONS = (KIT_ENTRY, UNCHAINED_ENTRY, FORKED_ENTRY)


def _final_names(entries: list[dict[str, object]]) -> dict[str, str]:
    """Name key of each pseudonym the kit renamed a participant away from -> the name she has on the kit now."""
    final: dict[str, str] = {}
    for entry in entries:
        details = entry.get("details")
        if entry.get("action") == RENAMED and isinstance(details, dict):
            before, after = str(details.get("moved_from")), str(details.get("pseudonym"))
            final = {old: (after if now == before else now) for old, now in final.items()}
            final[names.name_key(before)] = after
    return {old: now for old, now in final.items() if old != names.name_key(now)}


def _name_her_now(study: Study, targets: list[str], identities: Sequence[Identity]) -> list[str]:
    """Re-seal each merged profile, list and timeline that names her by a name she had before (renamed on the kit
    after they were sealed there) under her name in the study: the name she left is gone from her records (a name on
    a list, or another woman's). A merge run again does it for records an earlier merge brought, unless the study key
    vouches for another than the one there now (replaced since: re-sealed, it would come out genuine; every reader
    refuses it as it is). The profiles and lists re-sealed."""
    resealed = []
    named = (layout.PROFILE, layout.IDENTIFIERS, layout.EVENTS, layout.SESSION_INFO)
    for target in targets:
        parts = Path(target).parts
        if (
            len(parts) < 3
            or parts[0] != layout.PARTICIPANTS
            or not (parts[-1] in named or FIELD_NOTES.match(parts[-1]))
        ):
            continue
        her = parts[1]
        if parts[-1] == layout.SESSION_INFO or FIELD_NOTES.match(parts[-1]):
            _name_session_record(study, target, her, identities)
            continue
        data = study.read(target, identities)
        record: Profile | IdentifierList | SessionEvents
        if parts[-1] == layout.PROFILE:
            record = Profile.from_json(data, target)
        elif parts[-1] == layout.IDENTIFIERS:
            record = IdentifierList.from_json(data, target)
        else:
            record = SessionEvents.from_json(data, target)
        if record.pseudonym is None or record.pseudonym == her:
            continue
        if parts[-1] in vouching.FILES:
            try:
                vouching.refuse_replaced(study, target, vouching.digest(data))
            except BadStudyFile:
                continue
            resealed.append(target)
        study.replace(target, replace(record, pseudonym=her).to_json())
    return resealed


def _name_session_record(study: Study, target: str, her: str, identities: Sequence[Identity]) -> None:
    """``_name_her_now`` for a merged field note or session record sealed under a name she had (QA Q4); one written
    before they named their session stays as it is."""
    data = study.read(target, identities)
    if Path(target).name == layout.SESSION_INFO:
        info = SessionInfo.from_json(data, target)
        if info.pseudonym is not None and info.pseudonym != her:
            study.replace(target, replace(info, pseudonym=her).to_json())
        return
    note = parse_field_note(data, target)
    if note.pseudonym is not None and note.session is not None and note.pseudonym != her:
        study.replace(target, bound_note(data, target, her, note.session))


def _import_audit(
    study: Study,
    kit_id: str,
    entries: list[dict[str, object]],
    renamed: dict[str, str],
    rewritten: set[int],
    lists: list[str],
) -> tuple[int, int, int]:
    """Copy the kit's entries the study has not taken yet; they are authenticated as they are written, and one the
    kit's chain does not vouch for is marked (``UNCHAINED_ENTRY``). A name the kit renamed her away from (``renamed``:
    name key -> her name now) is written as her name now, and a rename's ``moved_from`` is left on the kit: the
    name she left may be a real name (on a list) or another woman's. A pseudonym still a name on ``lists`` (her folder
    deleted on the kit, so no folder check saw it: QA K9) is written as LISTED_NAME. Returns the entries taken, those
    forked, and those whose pseudonym was a listed name."""
    taken: dict[int, set[str]] = {}  # origin_seq -> what was taken at that number (its hash, or time and action)
    for entry in study.audit.entries():
        details = entry.get("details")
        if entry.get("action") in KIT_ENTRY_ACTIONS and isinstance(details, dict) and details.get("origin") == kit_id:
            # by the kit entry's own hash where it was recorded, else (before it was) by its time and action
            said = str(details.get("sha256") or _when_what(details.get("origin_time"), details.get("origin_action")))
            taken.setdefault(int(details.get("origin_seq", -1)), set()).add(said)
    count = forked = hidden = 0
    doubtful = unchained(entries) | rewritten
    for entry in entries:
        seq = int(str(entry["seq"]))
        before = taken.get(seq, set())
        if str(entry.get("hash", "")) in before or _when_what(entry.get("time"), entry.get("action")) in before:
            continue
        # QA J13: another entry at a number the study took from this kit before: a copy of the kit (a cloned stick)
        # that recorded apart, or a rewritten log. Taken, marked, never dropped as "taken already".
        if seq in taken or forked:
            forked += 1
        details = entry.get("details") if isinstance(entry.get("details"), dict) else {}
        kept = {
            str(k): v
            for k, v in dict(details).items()  # type: ignore[call-overload]  # a kit entry's details: checked to be a dict just above
            if k in ALLOWED_DETAILS
            and not str(k).startswith("origin")
            and k not in ("moved_from", "sha256", KIT_SOURCE)  # a file's digest keyed by the kit: its own
            and _kit_detail(str(k), v)
        }
        listed = False
        if isinstance(kept.get("pseudonym"), str):
            kept["pseudonym"] = renamed.get(names.name_key(str(kept["pseudonym"])), kept["pseudonym"])
            if identifier_clash(str(kept["pseudonym"]), lists) is not None:
                kept["pseudonym"] = LISTED_NAME
                listed = True
        origin = origin_of(entry, kit_id)
        # QA Q7: the kit's actor (its login name, or any text a kit holder wrote) is plaintext in the study's log too
        if identifier_clash(str(origin["origin_actor"]), lists) is not None:
            origin["origin_actor"] = LISTED_NAME
            listed = True
        hidden += listed
        study.audit.append(
            FORKED_ENTRY if forked else UNCHAINED_ENTRY if seq in doubtful else KIT_ENTRY, **origin, **kept
        )
        count += 1
    return count, forked, hidden


def _when_what(time: object, action: object) -> str:
    """An entry known by its time and action, as origin_of() records them (before entries carried their hash)."""
    return f"{str(time or '')[:40]}|{str(action or '')[:80]}"


def merge_kit(
    study: Study,
    kit_root: Path,
    identities: Sequence[Identity],
    accept_added: bool = False,
    accept_damaged_log: bool = False,
    names_lost: bool = False,
) -> MergeReport:
    """Check the whole kit, then copy what is new; KitRefused (naming each refusal) changes nothing. Keys added on
    the kit are refused, and on the record, unless ``accept_added``; a kit's log damaged in places likewise, unless
    ``accept_damaged_log``; names added on the kit whose files are missing likewise, unless ``names_lost``."""
    refuse_withdrawn_here(study)  # QA V10: an older copy of the study, where she has not withdrawn yet
    try:
        plan = check_kit(study, kit_root, identities, accept_added, names_lost, accept_damaged_log)
    except KeysAddedOnKit as refused:
        keys = " ".join(entry.key for entry in refused.added)  # never the names: typed on a kit anyone could reach
        study.audit.append("field-kit.refused", recipient=keys, reason="keys added on the kit")
        raise
    if plan.refused:
        raise KitRefused(plan.refused)
    kit_id, entries, damage = _kit_audit(kit_root, accept_damaged_log)
    rewritten, key_damage = forward_check(study, kit_root, entries, identities)
    if rewritten or key_damage:
        found = _forward_damage(rewritten, key_damage)
        if not accept_damaged_log:
            raise BadInput(
                f"the kit's audit log: {found}: what it records of the field may have been rewritten on the kit; merge "
                "with --accept-damaged-log to take every file that authenticates, those entries marked and the damage "
                "on the record; nothing was merged"
            )
        damage = f"{damage}; {found}" if damage else found
    underway = _resumed(study, kit_id, plan, identities)  # what a merge of this kit killed part-way had placed
    copied = [i.target for i in plan.copy] + list(underway.copy)
    completed = [i.target for i in plan.complete] + list(underway.complete)
    since = underway.since
    study.replace(_underway_file(kit_id), serial.dumps(MergeUnderway(kit_id, tuple(copied), tuple(completed), since)))
    _record_staging(study, kit_id, plan.copy)
    _copy_all(study.root, plan.copy)
    _complete_all(study.root, plan.complete)
    _drop_cut_off_leftovers(study.root, list(underway.complete))
    rewrapped = _to_current_recipients(study, Study.open(kit_root), copied + completed, identities)
    already = [target for target in plan.already if target not in copied + completed]
    renamed = _name_her_now(study, copied + completed + already, identities)
    grown = herlist.fold_added(study, plan.added_names, identities, kit_id)  # her names from follow-ups on the kit
    brought = [
        t for t in copied + completed if Path(t).name in vouching.FILES and Path(t).parts[0] == layout.PARTICIPANTS
    ]
    vouched = vouching.read_back(study, [*brought, *renamed], identities)  # in the merged entry (QA S14)
    sessions = sorted({"/".join(Path(t).parts[1:3]) for t in copied + completed if len(Path(t).parts) > 3})
    _index_kinds(study, sessions, identities)
    if damage is not None:  # the kit's own record of what happened on it is incomplete: on the study's record
        log = kit_root / layout.AUDIT_FILE
        digest = hashlib.sha256(log.read_bytes() if log.is_file() else b"").hexdigest()
        _append_once(study, since, "field-kit.log-damaged", kit=kit_id, reason=damage[:300], sha256=digest)
    lists = every_listed_name(study, identities)
    taken, forked, hidden = _import_audit(study, kit_id, entries, _final_names(entries), rewritten, lists)
    current = {entry.key for entry in study.config.recipients}
    was_ours = _removed_keys(study)
    foreign = [entry for entry in Study.open(kit_root).config.recipients if entry.key not in current]
    removed = tuple(entry.name for entry in foreign if entry.key in was_ours)
    added = tuple(entry.key for entry in foreign if entry.key not in was_ours)
    # who may read the kit: on the record (QA E8, F13); an added key by its key only, never a name typed on the kit
    named = {"recipient": ", ".join((*removed, *added))} if foreign else {}
    damaged = tuple(DamagedOnKit(t, what, _salvaged(study.root / t)) for t, what in sorted(plan.damaged.items()))
    for item in damaged:
        if item.target in copied:
            _append_once(study, since, "field-kit.damaged", file=item.target, reason=item.what[:200])
    study.audit.append_vouching(
        "field-kit.merged", vouched, kit=kit_id, count=len(copied), sessions=len(sessions), **named
    )
    for pseudonym, version in plan.unknown_letters:
        _append_once(study, since, "field-kit.letter-unknown", pseudonym=pseudonym, version=version)
    changed = questionnaire_changed(study, kit_root, entries)
    if changed:
        _append_once(study, since, "field-kit.questionnaire-changed", kit=kit_id)
    head = str(entries[0].get("hash")) if entries else ""
    # the questionnaire has its own warning, above
    templates = tuple(n for n in changed_on_kit(study, kit_root, head) if not (changed and n == layout.QUESTIONNAIRE))
    for name in templates:
        _append_once(study, since, "field-kit.template-changed", kit=kit_id, file=name)
    for pseudonym, unasked in plan.unapproved:  # a count: the kit chose the field names
        _append_once(study, since, "field-kit.answers-unapproved", pseudonym=pseudonym, count=len(unasked))
    (study.root / _underway_file(kit_id)).unlink()  # the merge is whole, and on the record
    renamed_here = tuple(_rename_as_on_kit(study, *rename, identities) for rename in plan.renames)
    made_on = kit_made_on(study, entries)
    unrecorded = None if made_on is None else (made_on, kit_first_key(study, entries, identities) is not None)
    cut_off = [c for c in plan.cut_off if c in copied]
    return MergeReport(
        copied, already, sessions, cut_off, taken, plan.left_out, plan.withdrawn, rewrapped, removed,
        tuple(completed), added, tuple(plan.unknown_letters), damage, _listed_names_in_log(entries, lists) + hidden,
        forked, damaged, tuple(plan.unapproved), changed, _misdated(study, kit_root, sessions), templates,
        tuple((target, held) for target, held in grown.items() if held > MAX_LIST),
        _names_added(study, plan, since, kit_id), tuple(plan.names_left_out),
        _missing(study, entries) if damage else "", renamed_here, unrecorded,
        tuple(found_again(study, sessions, identities)), tuple(plan.missing), tuple(plan.held_apart),
        tuple(plan.recording),
    )  # fmt: skip


def _rename_as_on_kit(
    study: Study, old: str, new: str, kept: str, identities: Sequence[Identity]
) -> tuple[str, str, str]:
    """Rename her in the study as the kit did, once what the kit holds of her is merged: (old, new, "") where done,
    (old, new, why not) where the study keeps its name (``kept``) or the rename refused (she is being recorded here
    now, a record of hers replaced): the merge stands, and the words say what to do."""
    if kept:
        return old, new, kept
    try:
        rename_participant(study, old, new, identities)
    except FieldvaultError as err:
        return old, new, str(err)
    return old, new, ""


def _names_added(
    study: Study, plan: Plan, since: int, kit_id: str
) -> tuple[tuple[str, int, int, tuple[str, ...]], ...]:
    """For each woman names from the kit went to: her pseudonym, how many this merge added to her list (by its
    entries, those of a merge of this kit killed part-way too), how many she had already, and the kit's files (QA
    V5)."""
    added: dict[str, int] = {}
    for entry in study.audit.entries()[since:]:
        details = entry.get("details")
        if entry.get("action") == herlist.APPENDED and isinstance(details, dict) and details.get("kit") == kit_id:
            her = str(details.get("pseudonym"))
            added[her] = added.get(her, 0) + int(details.get("count", 0))
    given: dict[str, int] = {}
    for target, identifiers in plan.added_names:
        given[Path(target).parent.name] = given.get(Path(target).parent.name, 0) + len(identifiers)
    files = {Path(target).parent.name: tuple(kit_files) for target, kit_files in plan.added_files.items()}
    return tuple(
        (her, added.get(her, 0), max(count - added.get(her, 0), 0), files[her]) for her, count in given.items()
    )


def _missing(study: Study, entries: list[dict[str, object]]) -> str:
    """The entries a damaged kit log lacks before its last one ("entry 1", "entries 3, 4"), or "", with the
    participant the entry after the first gap is about where she is one of the study's (the names step of a follow-up
    comes just before its recording)."""
    seqs = {int(str(entry["seq"])) for entry in entries}
    gone = sorted(set(range(max(seqs, default=-1))) - seqs)
    if not gone:
        return ""
    said = f"entr{'y' if len(gone) == 1 else 'ies'} {', '.join(map(str, gone[:10]))}"
    after = next((entry for entry in entries if int(str(entry["seq"])) > gone[0]), {})
    details = after.get("details")
    her = details.get("pseudonym") if isinstance(details, dict) else None
    if isinstance(her, str) and her in study.participant_names():
        said += f" (the entry after it is {her}'s {str(after.get('action'))[:40]})"
    return said


def _misdated(study: Study, kit_root: Path, sessions: list[str]) -> tuple[str, ...]:
    """The sessions named by a start time the kit cannot have recorded at: before it was made, or later than now."""
    made = Study.open(kit_root).made_at()
    now = study.clock()
    found = []
    for key in sessions:
        try:
            started = datetime.strptime(key.split("/")[1][:15], "%Y%m%d-%H%M%S").replace(tzinfo=UTC)
        except (IndexError, ValueError):
            continue  # a session named otherwise (an import's own name) carries no time to doubt
        if (made is not None and started < made - CLOCK_SLACK) or started > now + CLOCK_SLACK:
            found.append(key)
    return tuple(found)


def _salvaged(held: Path) -> bool:
    """Whether `recover` re-sealed the study's copy of a damaged kit recording (it keeps the original beside it)."""
    kept = held.with_name(held.name + KEPT_ORIGINAL)
    return kept.is_file() and not kept.is_symlink()


@dataclass(frozen=True)
class MergeUnderway:
    """Sealed in the study while a merge of one kit copies and records (QA J5): what it merges, so that a merge of
    the same kit after a kill counts, audits and finishes what the killed one had placed, and the audit log position
    it began at, so that no entry it wrote is written twice."""

    kit: str
    copy: tuple[str, ...]  # targets new to the study
    complete: tuple[str, ...]  # the study's cut-off recordings (and timelines) the kit's whole ones replace
    since: int  # how many entries the study's audit log held when the first of the merges began
    schema_version: int = 1


def _underway_file(kit_id: str) -> str:
    return f"{layout.MERGING}-kit-{hashlib.sha256(kit_id.encode()).hexdigest()[:16]}.json.age"


def _resumed(study: Study, kit_id: str, plan: Plan, identities: Sequence[Identity]) -> MergeUnderway:
    """The files a merge of this kit killed part-way placed and never recorded (in the study now, so planned as
    already there), with the log position it began at; none when no merge of it was cut off, or when the cut-off
    one had recorded its merge already (killed only before it could say it was done)."""
    path = study.root / _underway_file(kit_id)
    fresh = MergeUnderway(kit_id, (), (), len(study.audit.entries()))
    if not path.is_file():
        return fresh
    fix = "delete it and merge again (the files the cut-off merge placed will show as already in the study)"
    what = f"{_underway_file(kit_id)} (what a merge-kit of this kit cut off was merging)"
    try:
        sealed = study.read(path, identities)
    except FieldvaultError as err:
        raise BadStudyFile(f"{what} does not read: {str(err).split(';')[0]}; {fix}") from None
    found = serial.loads(MergeUnderway, sealed, what, fix=fix)
    recorded = any(
        entry.get("action") == "field-kit.merged" and (entry.get("details") or {}).get("kit") == kit_id
        for entry in study.audit.entries()[found.since :]
    )
    if found.kit != kit_id or recorded:
        return replace(fresh, since=found.since)
    placed = set(plan.already)
    return MergeUnderway(
        kit_id,
        tuple(t for t in found.copy if t in placed),
        tuple(t for t in found.complete if t in placed),
        found.since,
    )


def _append_once(study: Study, since: int, action: str, **details: str | int | float) -> None:
    """Append the entry unless a merge of the same kit killed part-way (since entry ``since``) wrote it already."""
    for entry in study.audit.entries()[since:]:
        if entry.get("action") == action and entry.get("details") == details:
            return
    study.audit.append(action, **details)


def _listed_names_in_log(entries: list[dict[str, object]], lists: list[str]) -> int:
    """How many pseudonyms a kit's participants were renamed away from are names on a list (QA H16): the study's
    log took the entries without them, but the kit's own log keeps them in plaintext."""
    earlier = {
        str(details.get("moved_from"))
        for entry in entries
        if entry.get("action") == RENAMED and isinstance(details := entry.get("details"), dict)
    }
    return sum(1 for name in earlier if identifier_clash(name, lists) is not None)


def _removed_keys(study: Study) -> set[str]:
    """The keys the study removed from its recipients (and did not add again): a kit's list with one of them is an
    older list the study sealed, not a key added on the kit."""
    return {key for key, entry in study.audit.recipient_changes().items() if entry["action"] == "keys.remove-recipient"}


def _to_current_recipients(study: Study, kit: Study, copied: list[str], identities: Sequence[Identity]) -> int:
    """A kit sealed to an earlier recipient list: each age file merged is re-wrapped to the study's list now."""
    if kit.config.recipients == study.config.recipients:
        return 0
    from fieldvault.stewardship.rewrap import rewrap_file

    recipients = study.recipients()
    files = [study.root / target for target in copied if target.endswith(".age")]
    for path in files:
        rewrap_file(path, identities, recipients)
    return len(files)


def _index_kinds(study: Study, sessions: list[str], identities: Sequence[Identity]) -> None:
    """Index each merged session's kind, read from its sealed record, so the study shows it while locked
    too (the kit's own plaintext index is not trusted)."""
    for key in sessions:
        folder = layout.participants(study.root) / key
        if (folder / layout.SESSION_INFO).is_file():
            try:
                index_kind(study.root, folder, load_session_info(study, folder, identities))
            except FieldvaultError:
                continue  # a record that is no session record: the kind stays unknown, as before kinds


def _record_staging(study: Study, kit_id: str, items: list[Item]) -> None:
    """Sign, before the staging folder is made, its name and the payload ids of what it will hold: all that the sweep
    of a merge killed part-way destroys (``withdraw``'s merge sweep). Told by what it held (numbered files no entry
    records), her transcript and redactions moved there by hand as 1 and 2 were shredded at the next unlock (QA Z11)."""
    if items:
        ids = sorted({ident for item in items if (ident := payload_id(item.source)) is not None})
        study.audit.append(layout.MERGE_STAGED, kit=kit_id, file=f"{STAGING}-{os.getpid()}", payloads=" ".join(ids))


def _copy_all(root: Path, items: list[Item]) -> None:
    """Copy into a staging folder, compare each copy's hash with the check's, then move all into place."""
    staging = root / f"{STAGING}-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    atomicfile.make_dirs(staging)
    placed: list[Path] = []
    made: list[Path] = []
    try:
        for n, item in enumerate(items):
            _copy_checked(item, staging / str(n))
        # her participant.id first: a merge killed while placing leaves no folder of hers without it, which the next
        # merge would take for another woman of the same name and refuse (QA J5)
        for n, item in sorted(enumerate(items), key=lambda pair: Path(pair[1].target).name != layout.PARTICIPANT_ID):
            target = root / item.target
            for parent in reversed(target.relative_to(root).parents[:-1]):
                if not (root / parent).exists():
                    (root / parent).mkdir(mode=atomicfile.DIR_MODE)
                    made.append(root / parent)
            os.link(staging / str(n), target)  # fails rather than replace a file that appeared meanwhile
            placed.append(target)
        for folder in {p.parent for p in placed}:
            atomicfile.sync_folder(folder)
    except BaseException:
        for path in placed:
            path.unlink(missing_ok=True)
        for folder in reversed(made):
            folder.rmdir()
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _complete_all(root: Path, items: list[Item]) -> None:
    """Replace each cut-off copy with the kit's whole file (checked by hash, renamed over it), then drop what the
    cut-off copy's crash left in its session (the lock, the event journal, the original `recover` kept): the
    session is whole now, as if merged once the recording had stopped."""
    for item in items:
        target = root / item.target
        spare = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        spare.unlink(missing_ok=True)
        try:
            _copy_checked(item, spare)
            os.replace(spare, target)
        finally:
            spare.unlink(missing_ok=True)
        target.with_name(target.name + KEPT_ORIGINAL).unlink(missing_ok=True)
    _drop_cut_off_leftovers(root, [item.target for item in items])


def _drop_cut_off_leftovers(root: Path, targets: list[str]) -> None:
    """In each session a whole recording completed, drop what its cut-off copy left (also after a kill: QA J5)."""
    for target in targets:
        (root / target).with_name(Path(target).name + KEPT_ORIGINAL).unlink(missing_ok=True)
    for folder in {(root / target).parent for target in targets}:
        if (folder / layout.EVENTS).is_file():
            (folder / layout.LOCK).unlink(missing_ok=True)
            shutil.rmtree(folder / layout.EVENTS_JOURNAL, ignore_errors=True)
        atomicfile.sync_folder(folder)


def _copy_checked(item: Item, to: Path) -> None:
    try:
        source = _open_regular(item.source)
    except _Refused as why:
        raise BadInput(f"{item.source} {why} now; nothing was merged, run merge-kit again") from None
    with source:
        fd = os.open(to, os.O_WRONLY | os.O_CREAT | os.O_EXCL, atomicfile.FILE_MODE)
        with os.fdopen(fd, "wb") as out:
            digest = hashlib.sha256()
            while block := source.read(1 << 20):
                digest.update(block)
                out.write(block)
            out.flush()
            os.fsync(out.fileno())
    if digest.hexdigest() != item.sha256:
        raise BadInput(f"{item.source} changed while it was being merged; nothing was merged, run merge-kit again")
