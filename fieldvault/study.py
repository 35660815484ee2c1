"""The study folder: study.toml, sealed identities, participants and their sessions.

Every file a participant's data lives in is an age file encrypted to the study's recipients.
A field kit is a study folder without keys/: it can encrypt, never decrypt.
"""

from __future__ import annotations

import glob
import hashlib
import hmac
import json
import os
import stat
import tomllib
import weakref
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar, TypeVar

import tomli_w
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from fieldvault import atomicfile, auditratchet, layout, loghead, names, removals, serial
from fieldvault.agefile import (
    AgeReader,
    Identity,
    ScryptIdentity,
    ScryptRecipient,
    X25519Identity,
    X25519Recipient,
    decrypt_bytes,
    encrypt_bytes,
    parse_identity_file,
)
from fieldvault.agefile.keys import DEFAULT_WORK_FACTOR
from fieldvault.agefile.sharedheader import SharedHeader
from fieldvault.audit import AuditLog, entry_time, recipient_action, vouching_entry
from fieldvault.auditpicks import Picks
from fieldvault.auditstrays import SetAside
from fieldvault.auditstrays import set_aside as set_aside_strays
from fieldvault.errors import (
    BadInput,
    BadStudyFile,
    LockedStudy,
    NotAStudy,
    StudyExists,
    TamperedStudy,
    WrongPassphrase,
)
from fieldvault.layout import AUDIT_FILE, STUDY_FILE
from fieldvault.participantid import ensure_participant_id
from fieldvault.recording_lock import pid_alive
from fieldvault.sealedcache import SealedCache
from fieldvault.suggested import command, shell
from fieldvault.templates import template_text
from fieldvault.withdrawals import Withdrawal, pick_withdrawal

SCHEMA_VERSION = 1
T = TypeVar("T")
STUDY_KEY = "keys/study.age"
MAX_IDENTITY_FILE = 64 * 1024  # an age key file holds a key line and a comment or two: far less than this
# A study's own versions of the shipped templates (see fieldvault.templates, .guide, .questionnaire).
STUDY_TEMPLATES = (
    "guide.toml",
    "questionnaire.toml",
    "information_letter.md",
    "verbal_consent.md",
    "consent_reconfirmation.md",
)


def _study_file_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise BadStudyFile(
            f"cannot read {path}: {getattr(err, 'strerror', None) or err}; check its permissions"
        ) from None


@dataclass(frozen=True)
class RecipientEntry:
    name: str
    key: str  # age1...


# What the information letter needs besides title and IRB; init writes them empty for the PI to fill in.
LETTER_DEFAULTS = {
    "pi_name": "",
    "pi_contact": "",
    "institution": "",
    "purpose": "",
    "duration": "45 minutes",
    "support": "",
    "retention": "",
    "compensation": "",
    "irb_contact": "",
}


@dataclass(frozen=True)
class StudyConfig:
    title: str
    irb: str = ""
    created: str = ""
    field_kit: bool = False
    recipients: tuple[RecipientEntry, ...] = ()
    letter: dict[str, str] = field(default_factory=lambda: dict(LETTER_DEFAULTS))
    settings: dict[str, object] = field(default_factory=dict)
    recipients_mac: str = ""  # HMAC of the recipient list under a key derived from the study identity
    letter_mac: str = ""  # HMAC of the information letter's version, set when a field kit takes it (letterseal)
    schema_version: int = SCHEMA_VERSION

    def to_toml(self) -> bytes:
        doc: dict[str, object] = {
            "schema_version": self.schema_version,
            "study": {"title": self.title, "irb": self.irb, "created": self.created, "field_kit": self.field_kit},
            "recipients": [{"name": r.name, "key": r.key} for r in self.recipients],
            "recipients_mac": self.recipients_mac,
            "letter": self.letter,
        }
        if self.letter_mac:
            doc["letter_mac"] = self.letter_mac
        if self.settings:
            doc["settings"] = self.settings
        return tomli_w.dumps(doc).encode()

    @classmethod
    def from_toml(cls, text: str, where: Path) -> StudyConfig:
        fix = "restore it from a backup or fix it by hand"
        try:
            doc = serial.parse_toml(text)
        except tomllib.TOMLDecodeError as err:
            raise BadStudyFile(f"{where} is not valid TOML ({err}); {fix}") from None
        try:
            study = doc["study"]
            recipients = tuple(RecipientEntry(str(r["name"]), str(r["key"])) for r in doc.get("recipients", []))
            config = cls(
                title=str(study["title"]),
                irb=str(study.get("irb", "")),
                created=str(study.get("created", "")),
                field_kit=bool(study.get("field_kit", False)),
                recipients=recipients,
                letter={str(k): str(v) for k, v in doc.get("letter", {}).items()},
                settings=dict(doc.get("settings", {})),
                recipients_mac=str(doc.get("recipients_mac", "")),
                letter_mac=str(doc.get("letter_mac", "")),
                schema_version=int(doc.get("schema_version", 0)),
            )
        except (KeyError, TypeError, ValueError) as err:
            raise BadStudyFile(f"{where} lacks or mangles {err}; {fix}") from None
        if config.schema_version != SCHEMA_VERSION:
            raise BadStudyFile(
                f"{where} has schema version {config.schema_version}; this fieldvault reads {SCHEMA_VERSION}"
            )
        for entry in recipients:
            X25519Recipient.parse(entry.key)
        if not recipients:
            raise BadStudyFile(f"{where} lists no recipients, so nothing could be encrypted; {fix}")
        return config


def _utcnow() -> datetime:
    return datetime.now(UTC)


def derived_key(identity: X25519Identity, purpose: str) -> bytes:
    """A key for one purpose ("audit", "recipients"), derived from the study identity's secret."""
    return HKDF(hashes.SHA256(), 32, None, f"fieldvault/v1/{purpose}".encode()).derive(identity.secret)


def recipients_digest(recipients: Sequence[RecipientEntry]) -> str:
    """The SHA-256 of a recipient list, as a field kit's first log entry records the list it was made with."""
    listed = json.dumps([[r.name, r.key] for r in recipients], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(listed.encode()).hexdigest()


def recipients_mac(identity: X25519Identity, recipients: Sequence[RecipientEntry]) -> str:
    listed = json.dumps([[r.name, r.key] for r in recipients], ensure_ascii=False, separators=(",", ":"))
    return hmac.new(derived_key(identity, "recipients"), listed.encode(), "sha256").hexdigest()


class Study:
    """An opened study folder. Decrypting needs identities from ``unlock`` or an identity file."""

    # Who hears what opening a study repaired on its own (a move a crash cut off, undone), and the other notes a
    # command gives while it runs, one line each: the command line prints them, the TUI shows each as a
    # notification; the audit log records what was done either way. The core never prints.
    _listener: ClassVar[Callable[[str], None] | None] = None
    # opened with work cut off part-way in it, not yet unlocked with the study key (``tell_unfinished``)
    _unfinished: ClassVar[weakref.WeakSet[Study]] = weakref.WeakSet()

    @classmethod
    def listen(cls, listener: Callable[[str], None] | None) -> Callable[[str], None] | None:
        """Send every line ``tell`` says to ``listener`` (None: to no one); returns the listener it replaces."""
        previous, cls._listener = cls._listener, listener
        return previous

    @classmethod
    @contextmanager
    def naming_unfinished(cls) -> Iterator[None]:
        """Around one command: at its end, name each folder work cut off part-way left (``cut_off``) in a study it
        opened and never unlocked with the study key, one line each, with what to do."""
        cls._unfinished.clear()  # what studies opened before (in a test, another test's) left is not this command's
        try:
            yield
        finally:
            cls.tell_unfinished()

    @classmethod
    def tell_unfinished(cls) -> None:
        """Name each folder work cut off part-way left in a study opened and never unlocked with the study key since
        the last call (``naming_unfinished``)."""
        lines = {
            f"{pending.relative_to(study.root).as_posix()}: left by a move, withdrawal, destruction or merge (cut off "
            "part-way, still running, or so named by hand): nothing of it is finished or destroyed without the study "
            f"key; give the passphrase to any command (`{command('check', study.root)}`) to finish what a signed entry "
            "records": None
            for study in list(cls._unfinished)
            for pending in study.cut_off()
        }  # one line each, however often the study was opened
        cls._unfinished.clear()
        for line in lines:
            cls.tell(line)

    @classmethod
    def tell(cls, line: str) -> None:
        if cls._listener is not None:
            cls._listener(line)

    def tell_once(self, line: str) -> None:
        """``tell``, once in this process for this study."""
        if line not in self._told:
            self._told.add(line)
            self.tell(line)

    def __init__(self, root: Path, config: StudyConfig, clock: Callable[[], datetime] = _utcnow) -> None:
        self.root = root.absolute()  # paths built from root must not depend on the working folder
        self.config = config
        self.clock = clock
        # A folder `fieldvault backup` made (its marker): entries written here say so (QA K16 A), its log's head is
        # never remembered, nothing in it is finished or vouched for. The marker is a plain file anyone can copy in
        # from a backup: in a folder this computer knows as a study (its head remembered) it counts for nothing, or
        # the head was forgotten from then on and every entry after could be cut off unnoticed (QA Y10; `check`
        # names it).
        self.on_backup = loghead.is_backup(root)
        self.audit = AuditLog(root / AUDIT_FILE, clock=clock, on_backup=_backup_named(root) if self.on_backup else None)
        # What the log says of recipients and withdrawals: asked again and again, read again only when the log changed
        self._recipient_actions = Picks(self.audit.path, recipient_action)
        self._withdrawals = Picks(self.audit.path, pick_withdrawal)
        self._vouching = Picks(self.audit.path, vouching_entry, chained=True)
        self._sealed_cache = SealedCache()  # lists of names, timelines: read again when their sealed bytes change
        self._list_checked = False  # the recipient list checked with the study identity in this process
        self._reader_only = False  # identities given, none the study's: nothing here can check the list's seal
        self._kit_log_key: bytes | None = None  # from the study identity: keys a new field kit's log (auditratchet)
        # the identities the study identity was among at the last unlock: what a sweep decrypts to tell her records
        self.unlocked_with: tuple[Identity, ...] = ()
        # {study recipient: vouch key} pinned in the identity file given (fieldvault.vouchsign); None: none given
        self.identity_file_pins: dict[str, bytes] | None = None
        self._told: set[str] = set()  # what ``tell_once`` said in this process
        # (path in the study, payload digest) of each redactions file this process stored without the study key (a
        # transcriber's): her own review screen and editor read those back as she decided them (QA W14)
        self.stored_here: set[tuple[str, bytes]] = set()
        self.names_not_at_hand: list[str] = []  # what the last fold found missing (fieldvault.lists.fold_beside)
        self.adopted = 0  # files the last unlock vouched for as they were (fieldvault.vouching.adopt): the TUI says so
        # `check --accept-older-log`: a log that lacks the head this computer remembers is taken as it is (QA U9)
        self.accepting_older_log = False
        # `check --set-aside-stray-lines`: lines that are no part of the log's chain moved beside it (QA V11's rest)
        self.setting_aside_strays = False
        self.strays_set_aside: SetAside | None = None
        if loghead.remembers(self):
            self.audit.on_written = lambda entry: loghead.wrote(self, entry)

    # --- creating and opening ---------------------------------------------------------------

    @classmethod
    def open(cls, root: Path, clock: Callable[[], datetime] = _utcnow) -> Study:
        path = root / STUDY_FILE
        if not root.is_dir():
            raise NotAStudy(f"{root} is not a folder; give the path of a study made by `fieldvault init`")
        if not path.is_file():
            init = command("init", root, "--title", "TITLE")
            raise NotAStudy(f"{root} is not a fieldvault study (no {STUDY_FILE}); run `{init}` first")
        study = cls(root, StudyConfig.from_toml(_study_file_text(path), path), clock)
        if study.cut_off():  # finished at the unlock only (QA Y3, Y4); named at the end where none came
            cls._unfinished.add(study)
        return study

    @classmethod
    def create(
        cls,
        root: Path,
        title: str,
        irb: str,
        passphrase: bytes,
        work_factor: int = DEFAULT_WORK_FACTOR,
        clock: Callable[[], datetime] = _utcnow,
    ) -> Study:
        if (root / STUDY_FILE).exists():
            raise StudyExists(f"{root} already holds a study; open it, or choose a new folder for a new study")
        if root.exists() and (not root.is_dir() or any(root.iterdir())):
            raise StudyExists(f"{root} exists and is not empty; choose a new or empty folder for the study")
        if not title.strip():
            raise BadInput("the study needs a title: give --title")
        identity = X25519Identity.generate()
        now = clock()
        config = StudyConfig(
            title=title.strip(),
            irb=irb.strip(),
            created=now.isoformat(timespec="seconds"),
            recipients=(RecipientEntry("study", str(identity.recipient())),),
        )
        config = replace(config, recipients_mac=recipients_mac(identity, config.recipients))
        with atomicfile.staged_folder(root) as staging:
            atomicfile.make_dirs(staging / layout.KEYS)
            atomicfile.make_dirs(layout.participants(staging))
            sealed = encrypt_bytes(
                identity_file_text(identity, now).encode(), [ScryptRecipient(passphrase, work_factor)]
            )
            atomicfile.write_new(staging / STUDY_KEY, sealed)
            atomicfile.write_new(staging / STUDY_FILE, config.to_toml())
            staged = cls(staging, config, clock)
            staged.audit.use_key(derived_key(identity, "audit"))
            from fieldvault.kittemplates import TEMPLATES, recorded  # it reads this module's Study: import here

            staged.audit.append(loghead.INIT, **{TEMPLATES: recorded(staging)})  # none: the shipped ones (QA S6)
        removals.remember_checked(config.recipients[0].key, config.recipients_mac)  # sealed here, by this computer
        _name_cut_off(root, "a study's `init`")
        return cls(root, config, clock)

    # --- keys -------------------------------------------------------------------------------

    @property
    def is_field_kit(self) -> bool:
        return self.config.field_kit

    def recipients(self) -> list[X25519Recipient]:
        """Whom new files are encrypted to; a list this computer cannot vouch for is refused first (QA G5)."""
        self._refuse_unchecked_recipients()
        return [X25519Recipient.parse(r.key) for r in self.config.recipients]

    def kit_made_with(self) -> dict[str, object]:
        """What a field kit's first log entry records of what it was made with (the digest of its recipient list,
        its letter's version); empty for a study, or a kit made before they were recorded."""
        if not self.is_field_kit:
            return {}
        first = self._first_entry()
        if first.get("action") != "field-kit.created":
            return {}
        details = first.get("details")
        return dict(details) if isinstance(details, dict) else {}

    def made_at(self) -> datetime | None:
        """When the study (or this field kit) was made, by its log's first entry; None where that cannot be read."""
        return entry_time(self._first_entry())

    def _first_entry(self) -> dict[str, object]:
        try:
            with (self.root / AUDIT_FILE).open("rb") as log:
                first = json.loads(log.readline() or b"{}")
        except (OSError, ValueError):
            return {}  # no log, or a damaged one: check and merge-kit name it
        return first if isinstance(first, dict) else {}

    def refuse_changed_kit(self) -> None:
        """On a field kit, its study.toml read again now, not as it was when the kit was opened (a TUI stays open for
        days): TamperedStudy where its list of recipients differs from the one the kit was made with (QA QC2: the TUI
        ran the letter, consent and questionnaire and refused only at the names step's Save); one put back is taken
        again. Nothing to check on a study."""
        if not self.is_field_kit:
            return
        path = self.root / STUDY_FILE
        opened = StudyConfig.from_toml(_study_file_text(path), path)
        self.config = replace(opened, field_kit=True)  # opened as a kit, it stays one
        self._refuse_changed_kit_list()

    def _refuse_changed_kit_list(self) -> None:
        """A kit cannot check the list's seal (it holds no study identity), but its first log entry records the list
        it was made with: a key added to its study.toml by hand afterwards (someone with a few minutes at the
        laptop) would read every later recording (QA R18). Refused before anything is encrypted; a tamperer must
        rewrite the log as well, which merge-kit checks against the study's signed record of the kit."""
        made = self.kit_made_with().get("sha256")  # of the list it was made with
        if isinstance(made, str) and made != recipients_digest(self.config.recipients):
            raise TamperedStudy(
                "this field kit's list of recipients was changed since the kit was made (a key added or swapped in "
                f"{STUDY_FILE}): do not record on it; take it back to the PI, who makes a new kit"
            )

    def _refuse_unchecked_recipients(self) -> None:
        """Without the study identity (an import or a recording on the trusted machine, a transcriber's key) the
        list's seal cannot be checked, and an older study.toml put back would have files encrypted to a removed
        key. So: a key this computer saw removed, or the audit log records as removed, is refused; and with no
        key at all, so is any list but the one this computer last checked with the study identity. A field kit
        encrypts to the list the study sealed for it (merge-kit re-wraps to the study's list); a computer that
        never saw the removal and last checked the older list cannot tell (README)."""
        if self.is_field_kit:
            self._refuse_changed_kit_list()
            return
        if self._list_checked:
            return
        own = self.config.recipients[0].key
        seen = removals.remembered(own)
        logged = dict(self._recipient_actions.items())  # unsigned too: a line saying "removed" can only stop a write
        removed = [r for r in self.config.recipients if r.key in seen or logged.get(r.key) == "keys.remove-recipient"]
        unlock = f"unlock the study once (`{command('audit', self.root, '--verify')}` asks for the passphrase)"
        if removed:
            who = ", ".join(f"{r.name} ({r.key[:12]}…)" for r in removed)
            raise TamperedStudy(
                f"{self.root / STUDY_FILE} lists {who}, removed from the study's recipients (as this computer saw it, "
                f"or as the audit log records it): an older study.toml was put back. Nothing was encrypted; {unlock} "
                "to remove the key again, then run your command again"
            )
        if not self._reader_only and removals.checked_seal(own) != self.config.recipients_mac:
            raise LockedStudy(
                f"this computer has not checked the recipient list in {self.root / STUDY_FILE} with the study key "
                "since it changed (or never here): a key removed on another computer could still be on it. Nothing was "
                f"encrypted; {unlock}, then run your command again"
            )

    def vouching_entries(self) -> tuple[tuple[dict[str, Any], dict[str, str]], ...]:
        """Every entry that records payloads it wrote, with {path: what it records} (signed or not:
        fieldvault.vouching tells), oldest first."""
        return self._vouching.items()

    def withdrawals(self) -> tuple[Withdrawal, ...]:
        """Every withdrawal the audit log records, oldest first (read once, then only what was appended). With the
        study key in use, only those it signed: `withdraw` needs the key, and a line anyone appends naming a woman
        who never withdrew made `check` say "withdraw her again", and merge-kit leave her sessions out (QA W21)."""
        found = self._withdrawals.items()
        if not self.audit.keyed:
            return found
        return tuple(w for w in found if self.audit.signed_by_key(w.entry))

    def unlock(self, passphrase: bytes) -> list[X25519Identity]:
        """The study identity, decrypted with the passphrase; checks the recipient list and keys the audit log."""
        return self.unlock_key_text(self.key_file_text(passphrase))

    def key_file_text(self, passphrase: bytes) -> str:
        """keys/study.age opened with the passphrase: the identity file it seals. A wrong passphrase's error says
        when the passphrase was last changed, and whether this key file is from before that (QA T4)."""
        sealed = self.root / STUDY_KEY
        if not sealed.exists():
            raise LockedStudy(self._locked_message("decrypt anything"))
        try:
            return decrypt_bytes(sealed.read_bytes(), [ScryptIdentity(passphrase)]).decode()
        except WrongPassphrase as err:
            from fieldvault.passphrasechange import wrong_passphrase_hint  # it reads this module's Study

            raise WrongPassphrase(f"{err}{wrong_passphrase_hint(self)}") from None

    def unlock_key_text(self, text: str) -> list[X25519Identity]:
        """``unlock`` with keys/study.age already opened (``key_file_text``)."""
        identities = [X25519Identity.parse(line) for line in text.splitlines() if line.startswith("AGE-SECRET-KEY-1")]
        if self.study_identity(identities) is None:
            raise TamperedStudy(
                f"the first recipient in {STUDY_FILE} is not the study's own key: someone replaced it; "
                "restore study.toml from a backup before recording anything more"
            )
        self.use_identities(identities)
        return identities

    def use_identity_path(self, path: str | Path) -> list[X25519Identity]:
        """``use_identity_file`` of the age identity file at ``path`` (`--identity`; the unlock screen's own key). Read
        up to ``MAX_IDENTITY_FILE`` only, and only a regular file: /dev/zero, or a video given by mistake, was read
        whole into memory until the system killed the process (QA X13)."""
        try:
            with Path(path).open("rb") as source:
                if not stat.S_ISREG(os.fstat(source.fileno()).st_mode):
                    raise BadInput(
                        f"the identity file {path} is not a regular file; give the path of your age key file"
                    )
                data = source.read(MAX_IDENTITY_FILE + 1)
        except OSError as err:
            raise BadInput(f"cannot read the identity file {path}: {err.strerror}") from None
        if len(data) > MAX_IDENTITY_FILE:
            raise BadInput(
                f"the identity file {path} is over {MAX_IDENTITY_FILE // 1024} KB, far more than an age key file "
                "holds (a key line and a comment or two): check the path"
            )
        return self.use_identity_file(data.decode("utf-8", "replace"))

    def use_identity_file(self, text: str) -> list[X25519Identity]:
        """The identities of an age identity file (`--identity`), put to use, and the study vouch key it pins (a
        comment line, fieldvault.vouchsign): with it a transcriber's key tells a replaced list (QA T17)."""
        from fieldvault.vouchsign import pins  # it reads this module's Study: import here

        found = parse_identity_file(text)
        self.identity_file_pins = pins(text)
        self.use_identities(found)
        return found

    def study_identity(self, identities: Sequence[Identity]) -> X25519Identity | None:
        """The study identity (whose recipient comes first in study.toml) among ``identities``."""
        own = self.config.recipients[0].key
        return next((i for i in identities if isinstance(i, X25519Identity) and str(i.recipient()) == own), None)

    def use_identities(self, identities: Sequence[Identity]) -> None:
        """With the study identity at hand: check the recipient list is the one it sealed, and key the audit
        log. Another recipient's identity decrypts but can vouch for neither. A log that lacks the head this computer
        last wrote or verified is refused first, whatever the key (fieldvault.loghead)."""
        identity = self.study_identity(identities)
        if identity is not None:  # before anything reads the log; an acceptance in it counts only where the study
            self.audit.use_key(derived_key(identity, "audit"))  # key signed it (QA W11)
            from fieldvault.vouchsign import signer  # it imports this module's callers: import here

            self.audit.use_signer(signer(identity))  # what any recipient can check (QA T17), the set-aside too (Y11)
            if self.setting_aside_strays:
                self.strays_set_aside = set_aside_strays(self.audit, derived_key(identity, "audit"))
        loghead.refuse_replaced_log(self)
        lost = loghead.refuse_older_log(self, accepting=self.accepting_older_log and identity is not None)
        if identity is None:
            self._reader_only = bool(identities)
            return
        expected = recipients_mac(identity, self.config.recipients)
        if not self.config.recipients_mac and not self.is_field_kit:
            try:  # a study from before the seal: seal the list it has now
                self._save_config(replace(self.config, recipients_mac=expected))
            except OSError:
                pass  # read-only (a backup on a locked drive): `audit --verify` must still work there
        elif not hmac.compare_digest(self.config.recipients_mac, expected):
            raise TamperedStudy(
                f"the recipient list in {self.root / STUDY_FILE} was changed without the study identity "
                "(a key was added, removed or renamed by hand): restore study.toml from a backup, check "
                "`fieldvault keys list`, then re-add trusted recipients with `fieldvault keys add-recipient`"
            )
        from fieldvault.lists import fold_beside  # they read this module's Study: import here
        from fieldvault.vouching import adopt, finish
        from fieldvault.vouchsign import sign_vouched

        self._kit_log_key = derived_key(identity, "kit-log")
        self.unlocked_with = tuple(identities)
        if lost is not None:
            loghead.accept(self, lost)
        loghead.advance(self)
        self._refuse_removed_recipients(identity)
        self._vouch_for_list()
        self._finish_cut_off()
        self._unfinished.discard(self)
        finish(self, identities)  # a vouched write cut off after its entry: before adopt, which would vouch the old
        self.adopted = adopt(self, identities)
        # names added with the study locked (QA U13), once her list is vouched for; those not at hand kept for the TUI
        # to say at the unlock (QA V20; `check` fails, and exports of her sessions refuse, on the command line)
        self.names_not_at_hand = fold_beside(self, identities)
        sign_vouched(self, identities)

    def cut_off(self) -> list[Path]:
        """The folders a move, withdrawal, destruction or merge cut off part-way leaves, which only a command holding
        the study key finishes (``_finish_cut_off``). None in a field kit, which never moves, withdraws or destroys,
        nor in a backup: each such command refuses one, so a folder there named as one was renamed by hand (QA Y8)."""
        if self.is_field_kit or self.on_backup:
            return []
        from fieldvault.sessionmove import STAGING  # it reads this module's Study: import here

        participants = layout.participants(self.root)
        found = [
            *participants.glob(f"*/*/{STAGING}"), *participants.glob(".withdrawing-*"),
            *participants.glob(".keeping-*"), *self.root.glob(f"{layout.DESTROYING}-*"),
            *self.root.glob(f"{layout.MERGING}-*"),
        ]  # fmt: skip
        return sorted(path for path in found if path.is_dir() and not path.is_symlink())

    def _finish_cut_off(self) -> None:
        """Finish, with the study key, what a move, withdrawal, destruction or merge cut off part-way left: each
        finisher destroys or replaces only what a signed entry records (a merge's, only what a merge stages). Run at
        every open, without the key, they shredded her folder renamed so by hand (one `mv`) at the next command of any
        kind, even `fieldvault audit` (QA Y3), and wrote a cut-off move's entry unsigned, which check then failed for
        ever (QA Y4)."""
        if not self.cut_off():
            return
        from fieldvault.sessionmove import finish_moves  # they read this module's Study: import here
        from fieldvault.stewardship import retention, withdraw

        try:
            finish_moves(self)
            withdraw.finish_interrupted(self)
            retention.finish_interrupted(self)
        except OSError:
            pass  # read-only (a study on a locked drive): the next writable unlock finishes it

    def _vouch_for_list(self) -> None:
        """The list as it is now was checked (or sealed) with the study identity: remembered on this computer, so a
        command run later without the key may encrypt to it."""
        self._list_checked = True
        removals.remember_checked(self.config.recipients[0].key, self.config.recipients_mac)

    def _refuse_removed_recipients(self, identity: X25519Identity) -> None:
        """A sealed list that still holds a key the audit log says was removed (and not added again) is an older
        study.toml put back, whose seal is as valid as it ever was: every file written from now on would open with
        the removed key (QA F24). study.toml and audit.jsonl put back together agree with each other, so the
        removals this computer saw are remembered outside the study (fieldvault.removals) and count too (QA G5).
        The key is removed again, the list sealed anew, and the command stops once to say so."""
        own = self.config.recipients[0].key
        changes = self.audit.recipient_changes()
        logged = {
            key: removals.Removal(str(entry["details"].get("name", "")), str(entry["time"]), int(entry["seq"]))
            for key, entry in changes.items()
            if entry["action"] == "keys.remove-recipient"
        }
        seen = removals.remembered(own)
        # added again since (a signed entry newer than the removal): no longer removed
        removals.forget(
            own,
            {
                k
                for k, e in changes.items()
                if e["action"] == "keys.add-recipient" and k in seen and not seen[k].before(e)
            },
        )
        removals.remember(own, logged)
        # removed as this computer saw, and the log's last word on the key is older, or none
        lost = {key: r for key, r in removals.remembered(own).items() if r.before(changes.get(key))}
        removed = [r for r in self.config.recipients if r.key in logged or r.key in lost]
        if not removed:
            return
        readded = None if any(r.key in lost for r in removed) else self._maybe_readded(removed)  # the list as found
        kept = tuple(r for r in self.config.recipients if r not in removed)
        self._save_config(replace(self.config, recipients=kept, recipients_mac=recipients_mac(identity, kept)))
        for r in removed:  # a removal the log had lost is recorded again, so that every computer knows it
            action = "keys.remove-recipient" if r.key in lost else "keys.remove-recipient.replayed"
            self.audit.append(action, name=r.name, recipient=r.key)
        day = {**logged, **lost}
        who = ", ".join(f"{r.name} ({r.key[:12]}…, removed on {day[r.key].time[:10]})" for r in removed)
        rewrap = f"`{command('keys', 'rewrap', self.root)}` so that files written meanwhile no longer open with it"
        if any(r.key in lost for r in removed):
            why = (
                "whom this computer saw removed and the audit log no longer records: study.toml and audit.jsonl were "
                "put back together from an older copy (a backup, a synced folder's history)"
            )
        elif readded is None:
            why = (
                "whom the audit log records as removed: an older copy of study.toml was put back (a backup, a synced "
                "folder's history)"
            )
        else:  # keys26: a re-add cut off after the seal was told as an older study.toml put back
            again = f"`{command('keys', 'add-recipient', self.root, readded.key, '--name', readded.name)}`"
            if readded.name != logged[readded.key].name:  # an older study.toml lists it as named when it was removed
                story = "a `keys add-recipient` adding it again was cut off before the audit log recorded it"
            else:
                story = (
                    "the audit log records it as removed and not added again: either a `keys add-recipient` adding it "
                    "again was cut off before the audit log recorded it, or an older copy of study.toml was put back "
                    "(a backup, a synced folder's history)"
                )
            raise TamperedStudy(
                f"{self.root / STUDY_FILE} listed {who}: {story}. The key is removed again: to add it, run {again} "
                f"again; to keep it removed, run {rewrap}; then run your command again"
            )
        raise TamperedStudy(
            f"{self.root / STUDY_FILE} listed {who}, {why}. The key is removed again; run {rewrap}, then run your "
            "command again"
        )

    def _maybe_readded(self, removed: list[RecipientEntry]) -> RecipientEntry | None:
        """The one removed key a `keys add-recipient` cut off between sealing the list and its entry may have put back:
        the last of the list (an addition appends), after every key the log records added, and none it records
        removed. None where only an older study.toml can explain the list (the key in its old place, a key added
        since missing, another removed key)."""
        listed = self.config.recipients
        if len(removed) != 1 or listed[-1] != removed[0]:
            return None
        facts = self.audit.recipient_facts()
        added = {key for key, entry in facts.items() if entry["action"] == "keys.add-recipient"}
        before = {r.key for r in listed[1:-1]}
        return removed[0] if added <= before and all(key in added or key not in facts for key in before) else None

    def recipient_labels(self) -> list[str]:
        """Who new files are encrypted to, as a recording screen shows it: name and a short fingerprint."""
        return [f"{r.name} ({r.key[:12]}…{r.key[-6:]})" for r in self.config.recipients]

    def _locked_message(self, what: str) -> str:
        if not self.is_field_kit and not (self.root / STUDY_KEY).exists():  # QA V19: it was taken for a kit
            return (
                f"{STUDY_KEY} is missing: this is a study, not a field kit, and without that file nothing in it can be "
                f"decrypted; restore it from your latest backup (cp -p BACKUP/{STUDY_KEY} {self.root / 'keys'}/)"
            )
        if not self.is_field_kit:
            return (
                f"the study is locked, so it cannot {what}: unlock it with its passphrase (the prompt, "
                "--passphrase-file or FIELDVAULT_PASSPHRASE; in the TUI, unlock it)"
            )
        return (
            f"this is a field kit: it holds only public keys, so it cannot {what}; "
            "do that on the trusted machine that holds the study identity"
        )

    def add_recipient(self, key: str, name: str, identities: Sequence[Identity]) -> RecipientEntry:
        """Encrypt future files to ``key`` too; needs the study identity, which seals the new list. The key listed under
        ``name`` already: nothing to do but record it where a run was cut off before its entry."""
        if self.is_field_kit:
            raise LockedStudy(
                "a field kit cannot add recipients: its list comes sealed from the study. Add the key on the "
                "trusted machine (`fieldvault keys add-recipient`), then make a new field kit"
            )
        recipient = X25519Recipient.parse(key)
        name = names.check_name(name, "recipient name")
        listed = next((r for r in self.config.recipients if r.key == str(recipient)), None)
        if listed is not None and listed.name == name and self.study_identity(identities) is not None:
            # the same command again (keys25: its rerun said "already a recipient", and where the run was cut off
            # before its entry, no entry ever recorded that the key reads every file written since): recorded now
            self.use_identities(identities)  # keys the log, so that the entry is signed
            if listed in self.unrecorded_additions():
                self.audit.append("keys.add-recipient", name=name, recipient=str(recipient))
            return listed
        if listed is not None:
            raise BadInput(f"{recipient} is already a recipient of this study, named {listed.name!r}")
        if names.find_same(name, [r.name for r in self.config.recipients]) is not None:
            raise BadInput(f"a recipient named {name!r} exists already; choose another --name")
        entry = RecipientEntry(name, str(recipient))
        self.set_recipients((*self.config.recipients, entry), identities)
        self.audit.append("keys.add-recipient", name=name, recipient=str(recipient))
        return entry

    def unrecorded_additions(self) -> list[RecipientEntry]:
        """Each recipient the sealed list holds, the study's own key aside, that the audit log never records added or
        removed: an add-recipient cut off between study.toml sealed with the key and its entry (keys25: files were
        encrypted to a key the log never showed given access). Its rerun records it. (One the log records removed is
        removed again at the unlock, or named by check.) None without the study key."""
        if not self.audit.keyed:
            return []
        recorded = self.audit.recipient_facts()
        return [r for r in self.config.recipients[1:] if r.key not in recorded]

    def set_recipients(self, recipients: Sequence[RecipientEntry], identities: Sequence[Identity]) -> None:
        """Save a new recipient list, sealed by the study identity (which must stay the first entry)."""
        identity = self.study_identity(identities)
        if identity is None or not recipients or recipients[0].key != str(identity.recipient()):
            raise LockedStudy("changing the recipients needs the study identity: give the study passphrase")
        self.use_identities(identities)  # refuses a list that was already tampered with
        entries = tuple(recipients)
        self._save_config(replace(self.config, recipients=entries, recipients_mac=recipients_mac(identity, entries)))
        self._vouch_for_list()

    def save_settings(self, settings: dict[str, object]) -> None:
        """Replace the [settings] table of study.toml (retention policy and the like)."""
        self._save_config(replace(self.config, settings=settings))

    def letter_values(self) -> dict[str, str]:
        return {**self.config.letter, "title": self.config.title, "irb": self.config.irb}

    def save_letter_mac(self, mac: str) -> None:
        """Store the information letter's seal (fieldvault.letterseal computes it)."""
        self._save_config(replace(self.config, letter_mac=mac))

    def _save_config(self, config: StudyConfig) -> None:
        atomicfile.replace(self.root / STUDY_FILE, config.to_toml())
        self.config = config

    # --- encrypted files --------------------------------------------------------------------

    def path(self, relative: str | Path) -> Path:
        """Resolve a path inside the study, refusing anything that points outside it."""
        candidate = (self.root / relative).resolve()  # an absolute path stays itself, and must be inside
        if not candidate.is_relative_to(self.root.resolve()):
            raise BadInput(f"{relative} is outside the study folder {self.root}")
        return candidate

    def refuse_backup(self) -> None:
        """Nothing is recorded or written into a backup folder: the next `backup` to it destroys what the study
        does not have (QA H4: a PI whose laptop died ran the next interview in the USB backup, and lost it)."""
        refuse_backup_folder(self.root)

    def write_new(self, relative: str | Path, plaintext: bytes) -> Path:
        return self._seal(relative, plaintext, atomicfile.write_new)

    def replace(self, relative: str | Path, plaintext: bytes) -> Path:
        return self._seal(relative, plaintext, atomicfile.replace)

    def write_new_under(self, relative: str | Path, plaintext: bytes, under: SharedHeader | None) -> Path:
        """``write_new``, sealed under ``under``, a header a field kit's log names (qa28 QD9); under a header of its
        own where None."""
        return self._seal(relative, plaintext, atomicfile.write_new, under)

    def replace_under(self, relative: str | Path, plaintext: bytes, under: SharedHeader | None) -> Path:
        return self._seal(relative, plaintext, atomicfile.replace, under)

    def _seal(
        self,
        relative: str | Path,
        plaintext: bytes,
        put: Callable[[Path, bytes], object],
        under: SharedHeader | None = None,
    ) -> Path:
        self.refuse_backup()
        path = self.path(relative)
        sealed = encrypt_bytes(plaintext, self.recipients()) if under is None else under.seal(plaintext)
        atomicfile.make_dirs(path.parent)
        put(path, sealed)
        return path

    def read(self, relative: str | Path, identities: Sequence[Identity]) -> bytes:
        return b"".join(self.open_reader(relative, identities).chunks())

    def open_reader(self, relative: str | Path, identities: Sequence[Identity]) -> AgeReader:
        path = self._sealed_file(relative, identities)
        name = str(path.relative_to(self.root.resolve()))
        return AgeReader(path.open("rb"), identities, name=name, study=str(self.root))

    def read_parsed(self, relative: str | Path, identities: Sequence[Identity], parse: Callable[[bytes, str], T]) -> T:
        """``parse(plaintext, str(relative))`` of a small document, decrypted and parsed again only when its sealed
        bytes changed (fieldvault.sealedcache): one command reads each list of names many times."""
        path = self._sealed_file(relative, identities)
        name = str(path.relative_to(self.root.resolve()))
        return self._sealed_cache.parsed(path, name, identities, parse, str(relative), str(self.root))

    def _sealed_file(self, relative: str | Path, identities: Sequence[Identity]) -> Path:
        if not identities:
            raise LockedStudy(self._locked_message("decrypt anything, not even what it recorded"))
        path = self.path(relative)
        if not path.is_file():
            raise BadInput(f"{relative} is not a file in the study; `fieldvault` lists what is there")
        return path

    # --- field kit --------------------------------------------------------------------------

    def refuse_inside(self, out: Path, what: str) -> None:
        """``out`` must lie outside the study folder: plaintext there would be taken for vault data by `check`,
        copied by `backup` to every backup drive, and a kit inside ``participants/`` for a participant (QA C17,
        D29). ``what``: the thing written, for the one-line refusal."""
        if out.resolve().is_relative_to(self.root.resolve()):
            raise BadInput(f"{out} is inside the study folder; {what} goes outside it: give a path outside the study")
        enclosing = enclosing_vault(out)
        if enclosing is None:
            return
        kind, folder = enclosing
        if kind == KIT:  # it goes back to the field laptop, the machine expected to be lost or seized (QA F29)
            raise BadInput(
                f"{out} is inside the field kit {folder}, which goes back to the field; {what} never goes onto a "
                "kit: give a path outside it"
            )
        raise BadInput(f"{out} is inside the {kind} {folder}; {what} goes outside it: give a path outside that {kind}")

    def make_field_kit(self, out: Path) -> Study:
        """A copy holding public keys only: it records and encrypts, and can decrypt nothing."""
        if out.exists():
            raise BadInput(f"{out} exists; give a new folder for the field kit")
        self.refuse_inside(out, "a field kit")
        config = replace(self.config, field_kit=True)
        from fieldvault.participants import consent_documents  # it reads this module's Study: import here

        try:  # the letter that goes to the field, on the record (QA F21) and in the kit's first entry (QA R20)
            sent = {"version": consent_documents(self)[0].version}
        except BadInput:  # `field-kit` checks it is filled first
            sent = {}
        carried: list[str] = []  # her participant.id, of each folder the kit is made with
        with atomicfile.staged_folder(out) as staging:
            atomicfile.make_dirs(layout.participants(staging))
            for participant in self.participant_names():
                # Only the folder names and the ids travel: new pseudonyms stay unique across kit and study,
                # and a session recorded for her in the field merges back into her folder.
                folder = layout.participants(staging) / participant
                atomicfile.make_dirs(folder)
                own = ensure_participant_id(layout.participant(self.root, participant))
                atomicfile.write_new(folder / layout.PARTICIPANT_ID, own.encode() + b"\n")
                carried.append(own)
            for name in STUDY_TEMPLATES:  # the study's own guide, questionnaire and letter go to the field
                if (self.root / name).exists():
                    atomicfile.write_new(staging / name, (self.root / name).read_bytes())
            if not (staging / layout.QUESTIONNAIRE).exists():  # the one whose digest field-kit.made records, not the
                # one the laptop's fieldvault ships (another version may ship another)
                atomicfile.write_new(staging / layout.QUESTIONNAIRE, template_text(layout.QUESTIONNAIRE).encode())
            atomicfile.write_new(staging / STUDY_FILE, config.to_toml())
            from fieldvault.sessioninfo import index_for_kit  # it reads this module's Study: import here

            index_for_kit(self, staging)
            made_with = recipients_digest(config.recipients)  # the kit refuses a list changed since (QA R18)
            from fieldvault.kittemplates import TEMPLATES, recorded  # it reads this module's Study: import here

            sent[TEMPLATES] = recorded(staging)  # and a template changed, or dropped in, since (QA S6)
            from fieldvault.stewardship.lost import kit_lost  # it reads this module's Study: import here

            # the recordings recorded lost: the kit refuses the recorder's file of one as a new session (QA Z13)
            lost = kit_lost(self)
            # the folders it was made with: never taken for a `participant add` cut off on the kit (QA QC1)
            made = {KIT_PARTICIPANTS: json.dumps(sorted(carried), separators=(",", ":"))}
            from fieldvault.drafts import NAMED, NAMED_VALUE  # it reads this module's Study: import here

            made[NAMED] = NAMED_VALUE  # merge-kit holds apart a draft of this kit that its log does not name
            created = Study(staging, config, self.clock).audit.append(
                "field-kit.created", sha256=made_with, **sent, **lost, **made
            )
            if self._kit_log_key is not None:  # keyed forward from here: its entries cannot be rewritten unseen
                first = auditratchet.first_key(self._kit_log_key, str(created["hash"]))
                auditratchet.start(staging / layout.AUDIT_KEY, first)
        keyed = {"log": "keyed"} if self._kit_log_key is not None else {}  # merge-kit then expects its key file
        asked = {QUESTIONNAIRE_DIGEST: questionnaire_digest(self.root)}  # merge-kit tells one changed on the kit
        # no path: a folder may be named after anyone, and the log is plaintext (QA Z9: as `backup`, keyed or not)
        self.audit.append("field-kit.made", head=str(created["hash"]), **sent, **keyed, **asked)
        _name_cut_off(out, "a `field-kit`")
        return Study(out, config, self.clock)

    # --- participants -----------------------------------------------------------------------

    def participant_names(self) -> list[str]:
        folder = layout.participants(self.root)
        if not folder.is_dir():
            return []
        return sorted((p.name for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")), key=str.casefold)


KIT, OTHER_STUDY, BACKUP = "field kit", "study", "backup"


KIT_PARTICIPANTS = "participants"  # field-kit.created: the participant ids of the folders the kit was made with
QUESTIONNAIRE_DIGEST = "questionnaire"  # field-kit.made: the SHA-256 of the questionnaire the kit took to the field


def questionnaire_digest(root: Path) -> str:
    """The SHA-256 of the questionnaire a study or kit asks (its own questionnaire.toml, else the shipped one)."""
    return hashlib.sha256(template_text(layout.QUESTIONNAIRE, root).encode()).hexdigest()


def _name_cut_off(made: Path, what: str) -> None:
    """Name each folder ``atomicfile.staged_folder`` began for ``made`` in a process that is gone, a run killed
    part-way: nothing reads it, and nothing named it (QA AB2: ``.KIT.creating-NNNN`` beside a field kit)."""
    for left in sorted(made.parent.glob(f".{glob.escape(made.name)}.creating-*")):
        pid = left.name.rpartition("-")[2]
        if not left.is_dir() or left.is_symlink() or not pid.isdigit() or pid_alive(int(pid)):
            continue
        Study.tell(
            f"{left}: {what} cut off part-way while making {made.name} left it; nothing reads it (it holds no "
            f"participant's data): remove it with `{shell('rm', '-r', left)}`"
        )


def own_backup(root: Path) -> str:
    """What to do instead where a folder this computer once knew as a study is a genuine backup, made before `backup`
    told it otherwise (QA Z4): deleting its marker makes the disk refuse every backup."""
    return (
        "If this folder is a backup of yours (a disk that once held the study), keep the marker and run "
        f"`{command('backup', 'STUDY', root, '--authenticate')}` to it once more (with the study's passphrase): from "
        "then on this computer knows it as a backup"
    )


def _backup_named(root: Path) -> str:
    from fieldvault.stewardship.backup import named  # it reads this module: import here

    return named(root)


def refuse_backup_folder(root: Path) -> None:
    """Refuse to change anything in a folder `fieldvault backup` made (QA H4): the next backup destroys it."""
    if (root / layout.BACKUP_MARKER).is_file() and loghead.known_here(root):
        raise BadInput(
            f"{root} holds a backup's marker, {layout.BACKUP_MARKER}, yet this computer knows it as a study: it was "
            f"copied in from a backup (by hand, or by someone who can write the folder); delete it "
            f"(`{shell('rm', root / layout.BACKUP_MARKER)}`), then run the command again. {own_backup(root)}"
        )
    if (root / layout.BACKUP_MARKER).is_file():
        raise BadInput(
            f"{root} is a backup made by `fieldvault backup`, not a study: what is written here the next backup "
            "destroys. Work in the study; to go on from this backup, copy the folder to a new one and delete "
            f"{layout.BACKUP_MARKER} in the copy"
        )


def enclosing_vault(path: Path) -> tuple[str, Path] | None:
    """(KIT, OTHER_STUDY or BACKUP, its folder) for the field kit, study or backup that ``path`` is or lies in;
    None when it is in none. Plaintext written there goes back to the field with the kit, into that study's
    backups, or onto every backup drive."""
    target = path.resolve()
    for folder in (target, *target.parents):
        if (folder / layout.BACKUP_MARKER).is_file():
            return BACKUP, folder
        config = folder / STUDY_FILE
        if config.is_file():
            try:
                table = tomllib.loads(config.read_text(encoding="utf-8")).get("study")
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
                return OTHER_STUDY, folder  # unreadable: still a study's file, whatever it said
            if isinstance(table, dict):
                return (KIT if table.get("field_kit") is True else OTHER_STUDY), folder
    return None


def identity_file_text(identity: X25519Identity, created: datetime) -> str:
    """The same text `age-keygen` writes, so `age -d -i` takes it as it is."""
    return f"# created: {created.isoformat(timespec='seconds')}\n# public key: {identity.recipient()}\n{identity}\n"
