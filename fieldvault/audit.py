"""The study's audit log: append-only JSON lines, hash-chained, and keyed where the study identity is at hand.

Each entry's ``hash`` covers the entry and the hash before it. An entry written while the study identity
is unlocked also carries ``mac``, an HMAC of its hash under a key derived from that identity: it vouches
for the whole chain up to it, so nobody without the identity can remove or rewrite an entry before an
authenticated one and recompute the chain. Entries written without the identity (a field kit, a locked
study) carry no mac until a later authenticated entry covers them. It must never hold transcript text,
real names or known identifiers: details are limited to the keys in ``ALLOWED_DETAILS``.
"""

from __future__ import annotations

import contextlib
import fcntl
import getpass
import hashlib
import hmac
import io
import json
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from fieldvault import atomicfile, auditratchet, serial
from fieldvault.errors import AuditBroken
from fieldvault.layout import AUDIT_KEY
from fieldvault.printable import printable
from fieldvault.suggested import command

GENESIS = "0" * 64
ALLOWED_DETAILS = frozenset(
    {
        "pseudonym", "session", "file", "out", "recipient", "name", "format", "count", "bytes",
        "seconds", "model", "backend", "reason", "kit", "participants", "sessions", "method", "version",
        "kept", "removed", "failed", "participant_id", "moved_from",
        "head", "refused", "origin", "origin_seq", "origin_time", "origin_actor", "origin_action", "payloads",
        "pending", "sha256", "log", "imports", "on_backup", "questionnaire", "templates", "vouches",
        "signatures", "lost_seq", "lost_time", "lost_action", "numbers", "disowned", "samples", "lost", "source",
        "header", "timeline", "session_info", "drafts",
    }
)  # fmt: skip
RESTORE_LOG = "restore audit.jsonl from a backup"
_UNSIGNED = "written on a field kit, with the study locked, or by someone at the disk: believe nothing it says alone"
# A backup's log found rewritten: the backup is what was changed (someone at the disk), so nothing in it may be used
# (QA W19: a withdrawn woman's files moved back and the log cut before her withdrawal passed `check` on a new laptop).
_NOT_THIS_BACKUP = (
    "this backup's log was {how} (files may have been put back with it): do not use this backup; take another "
    "backup of the study and check it the same way"
)


def restore_or_set_aside(folder: Path) -> str:
    """The way on where a line may only have been added to the log in ``folder`` (QA V11's rest: one junk line
    appended stopped every export)."""
    return (
        f"{RESTORE_LOG}, or, where lines were only added to it (junk, or an entry put there again), set them aside "
        f"with `{command('check', folder, '--set-aside-stray-lines')}`"
    )


# In each entry written in a backup folder (a decrypt, an export, a report run there): that folder. A backup restored
# as the study (its marker deleted) keeps the entries in its log, which would then read as done on the study (QA K16 A).
ON_BACKUP = "on_backup"
RECIPIENT_ACTIONS = ("keys.add-recipient", "keys.remove-recipient")
# Every action fieldvault writes, or wrote (an old log holds it): `audit --verify` and `check` name an entry whose
# action is none of these, a line appended by hand (QA R24). tests/unit/test_audit_actions.py finds each in the code.
ACTIONS = frozenset(
    {
        "study.init", "participant.add", "participant.list-sealed", "participant.lists-bound", "participant.rename",
        "participant.rename-begun",
        "participant.files-vouched", "participant.files-signed", "participant.list-appended",
        "participant.added-folded",
        "import", "record", "record.start", "recover", "transcribe", "decrypt", "export", "export.failed", "report",
        "check", "backup", "recover.original-deleted",
        "check.settled", "check.kept-older", "check.recorded-lost", "import.restored", "import.staged",
        "backup.entry", "backup.entry-unchained", "audit.restored-from-backup", "audit.torn-line",
        "audit.older-log-accepted", "audit.stray-lines-set-aside",
        "session.move", "session.move-begun", "session.move-undone", "session.remove", "session.records-bound",
        "transcript.viewed", "transcript.saved", "transcript.speaker", "transcript.autosave-discarded",
        "redaction.proposed", "redaction.decided", "redaction.reviewed", "redaction.checked", "redaction.leftovers",
        "fieldnotes.add", "journal.add", "draft.removed", "draft.kept", "letter.sealed",
        "keys.add-recipient", "keys.remove-recipient", "keys.remove-recipient.done", "keys.remove-recipient.resumed",
        "keys.remove-recipient.replayed", "keys.rewrap", "keys.share", "keys.export-identity", "keys.change-passphrase",
        "retention.policy", "retention.destroy", "retention.done", "retention.clock-confirmed",
        "withdraw", "withdraw.done", "withdraw.earlier-copy", "withdraw.names-kept",
        "field-kit.created", "field-kit.made", "field-kit.merged", "field-kit.refused", "field-kit.entry",
        "field-kit.entry-unchained", "field-kit.entry-forked", "field-kit.log-damaged", "field-kit.damaged",
        "field-kit.letter-unknown", "field-kit.questionnaire-changed", "field-kit.answers-unapproved",
        "field-kit.template-changed", "field-kit.staging",
    }
)  # fmt: skip
# The actions only a command holding the study key writes: each refuses without the study identity
# (cli.common.study_identities, or its own keyed check), and none is written on a field kit or with a transcriber's
# key (a kit's entries come into a study's log as field-kit.entry). What a finisher writes (the end of a withdrawal, a
# destruction or a move a crash cut short: withdraw.done, retention.done, session.move-undone) is not among them:
# finishers ran at any open, without the key, until QA Y4 (a cut-off move's `session.move` then went unsigned, and
# check failed the session for ever), and older logs hold such lines unsigned. With the key in use, a line of one of
# these the key did not sign was appended by someone without the passphrase: no reader takes it as fact
# (``AuditLog.facts``), and `audit --verify` and `check` name it. One such line made check say a woman's names belonged
# to a stranger, merge-kit say "wipe this kit" of her follow-up, and every review in the study count as undone (QA X3,
# X6, X7, X12, X14).
KEY_ONLY_ACTIONS = frozenset(
    {
        "participant.rename", "participant.rename-begun", "participant.files-vouched", "participant.files-signed",
        "participant.lists-bound", "participant.added-folded",
        "session.move", "session.move-begun", "session.remove",
        "withdraw", "withdraw.earlier-copy", "withdraw.names-kept",
        "retention.policy", "retention.destroy", "retention.clock-confirmed",
        "audit.older-log-accepted", "check.recorded-lost", "check.kept-older", "import.restored", "field-kit.staging",
        "recover.original-deleted",
        "keys.add-recipient", "keys.remove-recipient", "keys.remove-recipient.done", "keys.remove-recipient.resumed",
        "keys.remove-recipient.replayed", "keys.export-identity", "keys.change-passphrase",
    }
)  # fmt: skip
# The key-only actions a release from before entries were signed (before a9c80ae, 2026-11-25) wrote, unsigned: only
# these stand without a mac before the log's first signed entry (QA Y1: its `keys add-recipient` was called forged).
# Every other key-only action came in a release that signed what it wrote: a line of one there was appended since,
# without the passphrase, before the first keyed command after the upgrade (QA Y14: taken as fact for ever).
BEFORE_SIGNING = frozenset({"keys.add-recipient", "keys.export-identity"})


def stands_unsigned(action: object, signed_before: bool) -> bool:
    """Whether an entry of ``action`` without a mac may be taken as written by fieldvault, with the study key in use:
    one of an action only the key writes may not, unless it comes before the first entry the key signed and a release
    before signing wrote that action (``BEFORE_SIGNING``)."""
    return action not in KEY_ONLY_ACTIONS or (not signed_before and action in BEFORE_SIGNING)


# Written when the PI set stray lines aside (fieldvault.auditstrays): details ``file`` and ``count`` for lines moved out
# of the log, ``disowned`` ("SEQ:HASH ...") for lines that chain but that the study key did not write, left in place
# so the chain still runs through them (QA X1: moving one out broke the chain under every entry after it).
STRAYS_SET_ASIDE = "audit.stray-lines-set-aside"
# What a set-aside entry signs its ``disowned`` list under with the vouch key (``AuditLog.append_signing``): a
# recipient without the study key reads which lines the PI set aside in place (QA Y11). The refs name no one.
DISOWNED_SIGNED = "audit.jsonl#disowned"


def disowned_digest(listed: str) -> bytes:
    """What a set-aside entry signs (``DISOWNED_SIGNED``) of its ``disowned`` list."""
    return hashlib.sha256(listed.encode()).digest()


# Written when a torn last line (a power loss or a dead battery during an append) was set aside: details
# ``file`` (where its bytes are kept, beside the log) and ``bytes``.
TORN = "audit.torn-line"
_NEWLINE = b"\n"
_TAIL = 64 * 1024  # no entry is this long: a last line longer than this without its newline is no torn append


def _utcnow() -> datetime:
    return datetime.now(UTC)


def entry_time(entry: dict[str, object]) -> datetime | None:
    """When an entry says it was written (its writer's clock, UTC where it names no zone); None if unreadable."""
    try:
        when = datetime.fromisoformat(str(entry.get("time")))
    except ValueError:
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def default_actor() -> str:
    return os.environ.get("FIELDVAULT_ACTOR") or getpass.getuser()


def _digest(entry: dict[str, object]) -> str:
    canonical = json.dumps(entry, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def unchained(entries: list[dict[str, Any]]) -> set[int]:
    """The seq of each entry the chain does not vouch for: its own hash does not match its content (the line was
    altered); a line before it is missing or unreadable; or it and the entry before it do not link (one of the two
    altered with its hash recomputed). A log that verifies has none; a damaged kit's has (QA G6)."""
    doubtful: set[int] = set()
    previous: dict[str, Any] | None = None
    for entry in entries:
        content = {k: v for k, v in entry.items() if k not in ("hash", "mac", auditratchet.FIELD)}
        if _digest(content) != entry.get("hash"):
            doubtful.add(int(entry["seq"]))
        follows = entry["seq"] == (0 if previous is None else previous["seq"] + 1)
        if not follows:  # a line before it is gone or unreadable: nothing vouches for its link
            doubtful.add(int(entry["seq"]))
        elif entry.get("prev") != (GENESIS if previous is None else previous.get("hash")):
            doubtful.add(int(entry["seq"]))  # one of the two was altered, its hash recomputed
            if previous is not None:
                doubtful.add(int(previous["seq"]))
        previous = entry
    return doubtful


def recipient_action(entry: dict[str, Any]) -> tuple[str, str] | None:
    """(recipient key, action) of an entry that adds or removes a recipient, signed or not; else None."""
    details = entry.get("details")
    if entry.get("action") in RECIPIENT_ACTIONS and isinstance(details, dict):
        return str(details.get("recipient")), str(entry.get("action"))
    return None


def _last_on_each_recipient(entries: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Each recipient key -> the last of ``entries`` that added or removed it."""
    last: dict[str, dict[str, Any]] = {}
    for entry in entries:
        if (found := recipient_action(entry)) is not None:
            last[found[0]] = entry
    return last


def origin_of(entry: dict[str, Any], origin: str) -> dict[str, str | int]:
    """The details that say where an entry taken from another log (a field kit's, a backup's) came from: that log,
    the entry's number, time, actor and action there, and its own hash (so it is taken once)."""
    return {
        "origin": origin,
        "origin_seq": int(str(entry["seq"])),
        "origin_time": str(entry.get("time", ""))[:40],
        "origin_actor": str(entry.get("actor", ""))[:80],
        "origin_action": str(entry.get("action", ""))[:80],
        "sha256": str(entry.get("hash", ""))[:64],
    }


def _mac(key: bytes, digest: str) -> str:
    return hmac.new(key, b"fieldvault audit entry " + digest.encode(), "sha256").hexdigest()


# In an entry that wrote sealed files: {path in the study: vouch_mac of its payload} (fieldvault.vouching).
VOUCHES = "vouches"
# Beside it, with the study key in use: {path: Ed25519 signature} any recipient can check (fieldvault.vouchsign).
SIGNATURES = "signatures"
# What signs them: (the entry's seq, its prev hash, {path: payload SHA-256}) -> {path: signature}.
Signer = Callable[[int, str, dict[str, bytes]], dict[str, str]]


def vouch_mac(key: bytes, relative: str, sha256: bytes) -> str:
    """What an entry records of a payload it wrote (``sha256``: the payload's digest) at ``relative``: keyed, so
    the plaintext log confirms no guess of a short list's content; bound to the path, so a copy elsewhere fails."""
    return hmac.new(key, b"fieldvault vouched file " + relative.encode() + b"\n" + sha256, "sha256").hexdigest()


def vouched(entry: dict[str, Any]) -> dict[str, str]:
    """{path: vouch_mac} an entry records (empty when none, or not readable as such)."""
    details = entry.get("details")
    stated = details.get(VOUCHES) if isinstance(details, dict) else None
    try:
        found = json.loads(stated) if isinstance(stated, str) else {}
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in found.items()} if isinstance(found, dict) else {}


def vouching_entry(entry: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]] | None:
    """The entry and what it vouches for (``vouched``) when it records payloads it wrote, else None (for
    ``Picks``, which keeps them parsed: every read of a list asks)."""
    found = vouched(entry)
    return (entry, found) if found else None


@dataclass(frozen=True)
class Verified:
    """What ``verify`` found: all entries chain; ``authenticated`` of them are covered by a valid mac."""

    entries: int
    authenticated: int  # entries up to and including the last one with a valid mac (0 without a key)
    head: str  # "SEQ:HASH" of the last entry: keep it with the backups to notice a cut-off log later
    unauthenticated_actions: tuple[str, ...]  # actions of the entries after the last authenticated one
    torn: int = 0  # bytes of a torn last line after the last whole entry (set aside by the next append)
    unknown: tuple[tuple[int, str], ...] = ()  # (seq, action) of entries whose action fieldvault never writes
    forged: tuple[tuple[int, str, int], ...] = ()  # (seq, action, line) of key-only entries the key did not sign
    disowned: int = 0  # lines the PI set aside in place (``STRAYS_SET_ASIDE``)
    after_head: tuple[tuple[int, str], ...] = ()  # (seq, action) of entries after a kept head the key did not sign

    def describe(self) -> str:
        tail = self.entries - self.authenticated
        if tail == 0:
            keyed = "every entry authenticated with the study key"
        else:
            keyed = f"{self.authenticated} authenticated with the study key, the last {tail} not yet"
        if tail and self.unauthenticated_actions:  # a forged one is named apart, never as a kit's (QA X6)
            keyed += (
                f" ({printable(', '.join(self.unauthenticated_actions))}): written on a field kit or while locked, "
                "they are covered by the next entry written with the study unlocked"
            )
        torn = (
            f"; after them a torn last line of {self.torn} bytes (a power loss during a write), set aside beside "
            "the log and noted in it when the next entry is written"
            if self.torn
            else ""
        )
        return (
            f"audit log intact: {self.entries} entries, chain unbroken, {keyed}; head {self.head}{torn}"
            f"{self._disowned()}{self._forged()}{self._after_head()}{self._odd()}"
        )

    def _after_head(self) -> str:
        """What the study key did not sign after the head kept apart (QA X6 on a backup disk): a backup made without
        the passphrase writes its own entry unsigned; anything else there a reader must weigh."""
        if not self.after_head:
            return ""
        named = ", ".join(
            f"{seq} ({printable(action)!r}: "
            + ("a backup's own entry, made without the passphrase: expected" if action == "backup" else _UNSIGNED)
            + ")"
            for seq, action in self.after_head[:10]
        )
        more = f" and {len(self.after_head) - 10} more" if len(self.after_head) > 10 else ""
        return f"; after the head you kept, {len(self.after_head)} entr(ies) the study key did not sign: {named}{more}"

    def _disowned(self) -> str:
        if not self.disowned:
            return ""
        return f"; {self.disowned} line(s) set aside in place (`check --set-aside-stray-lines`): not taken as fact"

    def _forged(self) -> str:
        if not self.forged:
            return ""
        named = ", ".join(f"{seq} ({printable(action)!r})" for seq, action, _ in self.forged[:10])
        more = f" and {len(self.forged) - 10} more" if len(self.forged) > 10 else ""
        return (
            f"; NOTE entries appended without the study key, of actions only a command holding it writes: {named}"
            f"{more}: someone who could write the study folder added them; nothing they say is taken as fact"
        )

    def _odd(self) -> str:
        if not self.unknown:
            return ""
        named = ", ".join(f"{seq} ({printable(action)!r})" for seq, action in self.unknown[:10])
        more = f" and {len(self.unknown) - 10} more" if len(self.unknown) > 10 else ""
        return (
            f"; NOTE entries with an action fieldvault never writes: {named}{more}: appended by hand or by another "
            "program (anyone can extend the chain); believe nothing they say, and find out who wrote them"
        )


def entry_content(entry: dict[str, Any]) -> dict[str, Any]:
    """What an entry's hash covers: all of it but the hash and the macs over it."""
    return {k: v for k, v in entry.items() if k not in ("hash", "mac", auditratchet.FIELD)}


def parse_line(number: int, raw: bytes, folder: Path) -> dict[str, object]:
    """One line as an entry, or AuditBroken naming the line: each line must be a JSON object (of the log in
    ``folder``, for the way on)."""
    try:
        entry = serial.parse(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise AuditBroken(
            f"audit.jsonl line {number} is not UTF-8 text; the log was damaged; {_on_a_backup(folder, RESTORE_LOG)}"
        ) from None
    except ValueError:
        raise AuditBroken(
            f"audit.jsonl line {number} is not an audit entry (not JSON); {restore_or_set_aside(folder)}"
        ) from None
    if not isinstance(entry, dict) or not isinstance(entry.get("hash"), str) or not isinstance(entry.get("seq"), int):
        raise AuditBroken(
            f"audit.jsonl line {number} is not an audit entry (no seq and hash); {restore_or_set_aside(folder)}"
        )
    return entry


class AuditLog:
    def __init__(
        self,
        path: Path,
        clock: Callable[[], datetime] = _utcnow,
        actor: str | None = None,
        on_backup: str | None = None,
    ) -> None:
        self.path = path
        self._clock = clock
        self._actor = actor
        self._key: bytes | None = None
        self._signer: Signer | None = None
        self._where = {ON_BACKUP: on_backup} if on_backup else {}  # the backup folder it is written in (ON_BACKUP)
        # Told each entry once it is on disk (a study remembers its head outside the folder: fieldvault.loghead)
        self.on_written: Callable[[dict[str, object]], None] | None = None

    def use_key(self, key: bytes) -> None:
        """Authenticate every entry appended from now on (the key comes from the study identity)."""
        self._key = key

    def use_signer(self, signer: Signer) -> None:
        """Sign what every entry appended from now on vouches for, too (the signer comes from the study identity)."""
        self._signer = signer

    @property
    def keyed(self) -> bool:
        return self._key is not None

    def payload_mac(self, relative: str, sha256: bytes) -> str | None:
        """``vouch_mac`` under the study key, to compare with what a signed entry records; None without the key."""
        return None if self._key is None else vouch_mac(self._key, relative, sha256)

    def vouches(self, entry: dict[str, Any]) -> bool | None:
        """Whether ``entry`` carries a mac of its own that the study key confirms: True; False for none or a wrong
        one (a line anyone could append, without the passphrase); None for a mac this process, without the key,
        cannot check. A later authenticated entry covers the chain, not this entry's author (QA F27, R9)."""
        if not isinstance(entry.get("mac"), str):
            return False
        if self._key is None:
            return None
        return self._own_mac_holds(entry)

    def signed_by_key(self, entry: dict[str, Any]) -> bool:
        """Whether the study key in use wrote ``entry`` (its own mac holds over its content)."""
        return self._key is not None and self._own_mac_holds(entry)

    def _own_mac_holds(self, entry: dict[str, Any]) -> bool:
        """The entry's own mac is the study key's over its hash, and the hash is its content's."""
        assert self._key is not None
        mac, stated = entry.get("mac"), str(entry.get("hash"))
        return (
            isinstance(mac, str)
            and _digest(entry_content(entry)) == stated
            and hmac.compare_digest(mac, _mac(self._key, stated))
        )

    def append(self, action: str, **details: str | int | float) -> dict[str, object]:
        return self.append_vouching(action, {}, **details)

    def append_vouching(
        self, action: str, payloads: dict[str, bytes], /, **details: str | int | float
    ) -> dict[str, object]:
        """``append``, the entry also vouching for the payloads it wrote ({path in the study: SHA-256 of the payload})
        under the study key, or on a field kit under its forward key for this entry; without either, for none
        (fieldvault.vouching: only a key makes the record worth anything)."""
        return self._append(action, details, payloads, {})

    def append_signing(
        self, action: str, signed: dict[str, bytes], /, **details: str | int | float
    ) -> dict[str, object]:
        """``append``, the entry also signing ``signed`` ({a name: the SHA-256 of what it says}) with the vouch key
        where one is in use, vouching for no file: what a recipient without the study key checks (QA Y11)."""
        return self._append(action, details, {}, signed)

    def _append(
        self, action: str, details: dict[str, str | int | float], payloads: dict[str, bytes], signed: dict[str, bytes]
    ) -> dict[str, object]:
        unknown = set(details) - ALLOWED_DETAILS
        if unknown:
            raise ValueError(f"audit details may not carry {sorted(unknown)}")
        with self._locked() as log:
            torn = _set_aside_torn(log, self.path, self._clock())
            if torn is not None:
                self._write(log, TORN, {"file": torn.name, "bytes": torn.stat().st_size})
            entry = self._write(log, action, {**details, **self._where}, payloads, signed)
        if self.on_written is not None:
            self.on_written(entry)
        return entry

    @contextlib.contextmanager
    def _locked(self) -> Iterator[io.BufferedRandom]:
        """The log, open for appending and flock()ed: the file at its path once the lock is held (stray lines set
        aside replace the log while an append waits: fieldvault.auditstrays)."""
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
            with os.fdopen(fd, "r+b") as log:
                fcntl.flock(log, fcntl.LOCK_EX)
                if os.path.samestat(os.fstat(fd), os.stat(self.path)):
                    yield log
                    return

    def refuse_forged_tail(self) -> None:
        """Refuse (AuditBroken) now what ``append`` would refuse at the end: for a command that does much before its
        entry is written (a backup copied whole, then refused: QA X1's rest)."""
        if self._key is not None and self.path.is_file():
            with self.path.open("rb") as log:
                self._refuse_forged_tail(log)

    def _refuse_forged_tail(self, log: BinaryIO) -> None:
        if self._key is not None and (forged := _forged_tail(log, self._key)) is not None:
            raise AuditBroken(_forged_mac(*forged, self._restore(restore_or_set_aside(self.path.parent))))

    def _write(
        self,
        log: io.BufferedRandom,
        action: str,
        details: dict[str, str | int | float],
        payloads: dict[str, bytes] | None = None,
        signed: dict[str, bytes] | None = None,
    ) -> dict[str, object]:
        """Chain one entry to the end of ``log`` (open, flock()ed), or write nothing."""
        if action != STRAYS_SET_ASIDE:  # the set-aside's own entry disowns such a line (fieldvault.auditstrays)
            self._refuse_forged_tail(log)
        seq, prev = _tail(log)
        ratchet = self.path.with_name(AUDIT_KEY)  # a field kit's forward key (auditratchet): none in a study
        forward = auditratchet.key_for(ratchet, seq) if ratchet.is_file() else None
        vouching = self._key if self._key is not None else forward
        if payloads and vouching is not None:
            macs = {path: vouch_mac(vouching, path, sha) for path, sha in sorted(payloads.items())}
            details = {**details, VOUCHES: json.dumps(macs, ensure_ascii=False, separators=(",", ":"))}
        if (payloads or signed) and self._key is not None and self._signer is not None:
            signing = self._signer(seq, prev, dict(sorted({**(payloads or {}), **(signed or {})}.items())))
            details = {**details, SIGNATURES: json.dumps(signing, ensure_ascii=False, separators=(",", ":"))}
        entry: dict[str, object] = {
            "seq": seq,
            "time": self._clock().isoformat(timespec="seconds"),
            "actor": self._actor or default_actor(),
            "action": action,
            "details": details,
            "prev": prev,
        }
        entry["hash"] = _digest(entry)
        if self._key is not None:
            entry["mac"] = _mac(self._key, str(entry["hash"]))
        if forward is not None:
            entry[auditratchet.FIELD] = auditratchet.entry_mac(forward, str(entry["hash"]))
        size = log.seek(0, os.SEEK_END)
        line = memoryview(json.dumps(entry, ensure_ascii=False).encode() + b"\n")
        try:
            while line:  # unbuffered, so a failed write leaves nothing queued to land later
                line = line[os.write(log.fileno(), line) :]
            os.fsync(log.fileno())
        except BaseException:
            log.truncate(size)  # a full disk must not leave a torn line that blocks every later entry
            raise
        if forward is not None:
            auditratchet.advance(ratchet, seq + 1, forward)
        return entry

    def _read(self) -> tuple[list[tuple[int, bytes]], int]:
        """The numbered whole lines, and the length of a torn last line after them (0 if none)."""
        if not self.path.exists():
            return [], 0
        data = self.path.read_bytes()
        tail = data.rpartition(b"\n")[2]
        if tail:
            _check_torn(tail, self.path.parent, f"line {data.count(_NEWLINE) + 1}")
        lines = [(n, raw) for n, raw in enumerate(data.split(b"\n")[:-1], start=1) if raw.strip()]
        return lines, len(tail)

    def _lines(self) -> Iterator[tuple[int, bytes]]:
        yield from self._read()[0]

    def entries(self) -> list[dict[str, Any]]:  # parsed JSON; parse_line has checked its shape
        """Every entry; AuditBroken names the first line that is not one."""
        return [parse_line(number, raw, self.path.parent) for number, raw in self._lines()]

    def readable(self) -> tuple[list[dict[str, Any]], list[int]]:
        """The entries of the lines that are whole entries, and the numbers of the lines that are not: what is left
        to read of a log damaged in places (a field kit's, merged with --accept-damaged-log; QA G6)."""
        return self._whole(self._lines())

    def _whole(self, lines: Iterable[tuple[int, bytes]]) -> tuple[list[dict[str, Any]], list[int]]:
        found, bad = [], []
        for number, raw in lines:
            try:
                found.append(parse_line(number, raw, self.path.parent))
            except AuditBroken:
                bad.append(number)
        return found, bad

    def signed(self) -> list[dict[str, Any]]:
        """The entries that carry a mac of their own under the study key (written with the study unlocked), each
        checked against its content; none without the key. Only these may say what a key holder decided (the
        recipient list, the retention policy): a line anyone appended without the key, vouched for later by the
        next unlocked entry's mac over the chain, may not (QA F27)."""
        if self._key is None:
            return []
        return [entry for entry in self.entries() if self._own_mac_holds(entry)]

    def facts(self, entries: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
        """``entries`` (every entry when None) less, with the study key in use, each of an action only the key writes
        (``KEY_ONLY_ACTIONS``) that the key did not sign, and each whose mac the key did not write: what may be taken
        as having happened. Before the first entry the key signed, the actions a release before signing wrote stand
        unsigned (``stands_unsigned``: QA Y1, Y14). Without the key (a
        transcriber's computer, a study opened locked, a field kit) no line can be told from a forged one and every
        entry is read: the documented limit of a log anyone can append to."""
        found = self.entries() if entries is None else entries
        if self._key is None:
            return found
        kept, signed_before = [], False
        for entry in found:
            if self._own_mac_holds(entry):
                kept.append(entry)
                signed_before = True
            elif "mac" not in entry and stands_unsigned(entry.get("action"), signed_before):
                kept.append(entry)
        return kept

    def recipient_changes(self) -> dict[str, dict[str, Any]]:
        """Each recipient key -> the last signed entry that added or removed it (``keys.add-recipient`` or
        ``keys.remove-recipient``). Only signed entries count: a line appended without the study key says nothing
        about who may read the study (QA F27). Unlocking reads it to find a replayed study.toml, merge-kit to tell
        a key the study removed from one added on a kit."""
        return _last_on_each_recipient(self.signed())

    def recipient_facts(self) -> dict[str, dict[str, Any]]:
        """``recipient_changes`` read from ``facts``: an addition a release before signing wrote unsigned counts too
        (QA Y1), so that a recipient it added is not taken for an addition cut off before it was recorded (keys26).
        Every entry without the key."""
        return _last_on_each_recipient(self.facts())

    def _restore(self, in_a_study: str = RESTORE_LOG) -> str:
        """The way on from a log rewritten: in a study, ``in_a_study`` (its log comes from a backup); a backup's own log
        was rewritten on the backup disk, so no restore from it is safe (QA W19)."""
        return _NOT_THIS_BACKUP.format(how="rewritten on the backup disk") if self._where else in_a_study

    def _past_kept_head(self, kept_head: str) -> str:
        """The way on from a log that lacks the head kept apart (printed by `backup`, or by `audit --verify`)."""
        if self._where:
            return _NOT_THIS_BACKUP.format(how="cut or rewritten after the head you kept")
        check = command("audit", "BACKUP", "--verify", "--head", kept_head)
        return (
            "this copy's log was cut or rewritten after the head you kept (older files may have been put back with "
            f"it): do not use this copy; restore the study from a backup whose log holds that head (check it first: "
            f"`{check}`)"
        )

    def verify(self, kept_head: str | None = None) -> Verified:
        """Check the chain, every mac when the study key is in use (``use_key``), and that ``kept_head``
        ("SEQ:HASH", printed by an earlier verify) is still in the log; AuditBroken names the first bad line."""
        head_seq, _, head_hash = (kept_head or "").partition(":")
        if kept_head is not None and (not head_seq.isdigit() or len(head_hash) != 64):
            raise AuditBroken(f"{kept_head!r} is not a head printed by `fieldvault audit --verify` (SEQ:HASH)")
        key = self._key
        prev = GENESIS
        count = 0
        authenticated = 0
        pending: list[str] = []
        unknown: list[tuple[int, str]] = []
        forged: list[tuple[int, str, int]] = []
        after_head: list[tuple[int, str]] = []
        lines, torn = self._read()
        disowned = self._disowned_lines(self._whole(lines)[0])  # the lines already read: the log is read once
        for number, raw in lines:
            entry = parse_line(number, raw, self.path.parent)
            ref = f"{entry.get('seq')}:{entry.get('hash')}"
            stated = entry.pop("hash")
            mac = entry.pop("mac", None)
            entry.pop(auditratchet.FIELD, None)  # a kit's forward mac covers the hash, as ``mac`` does
            if entry.get("prev") != prev or entry.get("seq") != count:
                raise AuditBroken(
                    f"audit.jsonl line {number} does not follow the line before it: an entry was removed, "
                    f"inserted or reordered there; {self._restore(restore_or_set_aside(self.path.parent))}"
                )
            if _digest(entry) != stated:
                raise AuditBroken(f"audit.jsonl line {number} was edited after it was written; {self._restore()}")
            count += 1
            action = str(entry.get("action"))
            if action not in ACTIONS:
                unknown.append((count - 1, action))
            signed = False
            if ref in disowned:
                pass  # set aside in place by the PI: it stays only so that the chain runs through it
            elif key is not None and mac is not None:
                if not isinstance(mac, str) or not hmac.compare_digest(mac, _mac(key, str(stated))):
                    raise AuditBroken(_forged_mac(number, entry, self._restore(restore_or_set_aside(self.path.parent))))
                authenticated, pending, signed = count, [], True
            elif key is not None and not stands_unsigned(action, authenticated > 0):
                forged.append((count - 1, action, number))
            if not signed and ref not in disowned and (key is None or stands_unsigned(action, authenticated > 0)):
                pending.append(action)
            if kept_head is not None and key is not None and not signed and count - 1 > int(head_seq):
                after_head.append((count - 1, action))
                if action in KEY_ONLY_ACTIONS:
                    raise AuditBroken(self._forged_after_head(count - 1, action))
            if kept_head is not None and count - 1 == int(head_seq) and stated != head_hash:
                raise AuditBroken(
                    f"audit.jsonl line {number} is not the entry the kept head {kept_head[:24]}... names: "
                    f"the log was rewritten from there on; {self._past_kept_head(kept_head)}"
                )
            prev = str(stated)
        if kept_head is not None and int(head_seq) >= count:
            raise AuditBroken(
                f"audit.jsonl has {count} entries, but the kept head names entry {head_seq}: "
                f"entries were cut off the end; {self._past_kept_head(kept_head)}"
            )
        head = f"{count - 1}:{prev}" if count else "empty"
        return Verified(
            count, authenticated, head, tuple(pending), torn, tuple(unknown), tuple(forged), len(disowned),
            tuple(after_head),
        )  # fmt: skip

    def _forged_after_head(self, seq: int, action: str) -> str:
        """QA X6 on a backup disk: a key-only line appended after the head kept apart undid every review once
        restored, and `audit --verify --head` passed it."""
        way = (
            _NOT_THIS_BACKUP.format(how="added to after the head you kept, by someone without the study key")
            if self._where
            else restore_or_set_aside(self.path.parent)
        )
        return (
            f"audit.jsonl entry {seq} ({printable(action)[:60]}), after the head you kept, is of an action only a "
            f"command holding the study key writes, yet the key did not sign it: someone without the passphrase "
            f"appended it; {way}"
        )

    def set_aside_in_place(self) -> set[str]:
        """ "SEQ:HASH" of each line the PI set aside in place (``STRAYS_SET_ASIDE``); none without the key."""
        return self._disowned_lines(self.entries())

    def _disowned_lines(self, entries: Iterable[dict[str, Any]]) -> set[str]:
        """ "SEQ:HASH" of each line the PI set aside in place, by entries the study key signed; none without the key."""
        return set() if self._key is None else disowned_refs(entries, self._key)


def disowned_refs(entries: Iterable[dict[str, Any]], key: bytes) -> set[str]:
    """ "SEQ:HASH" of each line set aside in place, named by a ``STRAYS_SET_ASIDE`` entry ``key`` wrote (its mac holds
    over its hash, and the hash is its content's)."""
    return {
        ref
        for entry in entries
        if entry.get("action") == STRAYS_SET_ASIDE
        and isinstance(mac := entry.get("mac"), str)
        and hmac.compare_digest(mac, _mac(key, str(entry.get("hash"))))
        and _digest(entry_content(entry)) == entry.get("hash")
        for ref in str(dict(entry.get("details") or {}).get("disowned", "")).split()
    }


def _check_torn(tail: bytes, folder: Path, where: str = "the last line") -> None:
    """Refuse a last line without its newline unless it is what a torn append leaves: a cut-off entry. A whole
    JSON value there is no torn write (an entry is written with its newline in one call): it was put there."""
    if len(tail) > _TAIL:
        raise AuditBroken(
            f"audit.jsonl {where} has no end and is too long to be a torn entry; "
            f"{_on_a_backup(folder, restore_or_set_aside(folder))}"
        )
    try:
        serial.parse(tail.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return
    raise AuditBroken(
        f"audit.jsonl {where} lacks its newline yet is whole: not what a power loss leaves; "
        f"{_on_a_backup(folder, restore_or_set_aside(folder))}"
    )


def _on_a_backup(folder: Path, in_a_study: str) -> str:
    """The way on from a log damaged in ``folder``: in a study, ``in_a_study``; a backup's own log was damaged on the
    backup disk, so no restore from it is safe (QA W19's rest). A backup by ``Study.on_backup``'s rule: a marker
    copied into a study does not make it one (QA Y10)."""
    from fieldvault.loghead import is_backup  # it reads this module: import here

    return _NOT_THIS_BACKUP.format(how="damaged on the backup disk") if is_backup(folder) else in_a_study


def _set_aside_torn(log: io.BufferedRandom, path: Path, now: datetime) -> Path | None:
    """Move a torn last line's bytes to a file of their own beside the log (kept, never dropped: it is
    evidence) and cut the log back to its last whole line; the path of that file, or None if nothing was torn."""
    size = log.seek(0, os.SEEK_END)
    if size == 0:
        return None
    back = min(size, _TAIL + 1)
    log.seek(size - back)
    data = log.read(back)
    if data.endswith(b"\n"):
        return None
    cut = data.rfind(b"\n")
    tail = data[cut + 1 :] if cut >= 0 or back == size else data  # no newline in reach: too long, refused
    _check_torn(tail, path.parent)
    aside = path.with_name(f"{path.name}.torn-{now.strftime('%Y%m%dT%H%M%S')}-{size}")
    fd = os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as kept:
        kept.write(tail)
        os.fsync(kept.fileno())
    atomicfile.sync_folder(path.parent)
    log.truncate(size - len(tail))  # only after its bytes are safe beside it
    os.fsync(log.fileno())
    return aside


def _forged_mac(number: int, entry: dict[str, Any], way_on: str) -> str:
    return (
        f"audit.jsonl line {number} ({printable(str(entry.get('action')))[:60]}) fails authentication with the study "
        f"key: someone without the study identity added or changed it, and nothing is written after it; {way_on}"
    )


def _forged_tail(log: BinaryIO, key: bytes) -> tuple[int, dict[str, Any]] | None:
    """(number, entry) of a line after the last one the study key signed that carries a mac the key did not write; an
    entry written after it would chain to it, and the line could then never be set aside (QA X1). None if none.
    Reads from the end back to the last signed line only: it runs before every entry written with the key
    (bench/keyedappends.py)."""
    for start, index, line in _lines_from_end(log):
        try:
            entry = serial.parse(line)
        except ValueError:
            continue  # blank, junk or torn: named by the log's own checks
        mac = entry.get("mac") if isinstance(entry, dict) else None
        if isinstance(mac, str):
            stated = str(entry.get("hash"))
            if hmac.compare_digest(mac, _mac(key, stated)) and _digest(entry_content(entry)) == stated:
                return None
            log.seek(0)
            return log.read(start).count(_NEWLINE) + 1 + index, entry
    return None


def _lines_from_end(log: BinaryIO, block: int = 64 * 1024) -> Iterator[tuple[int, int, bytes]]:
    """The file's lines, last first, read in blocks from its end: (offset of the block's first byte, the line's
    index among the lines that begin in that block, the line); the line numbered ``newlines before offset + 1 +
    index``."""
    start = log.seek(0, os.SEEK_END)
    rest = b""
    while True:
        step = min(start, block)
        start -= step
        log.seek(start)
        lines = (log.read(step) + rest).split(_NEWLINE)
        whole = 1 if start else 0  # a block's first line may begin in the block before it
        for index in range(len(lines) - 1, whole - 1, -1):
            yield start, index, lines[index]
        if not start:
            return
        rest = lines[0]


def _tail(log: io.BufferedRandom) -> tuple[int, str]:
    """The next sequence number and the last entry's hash, reading only the end of the file (which ends in a
    newline: ``_set_aside_torn`` has run)."""
    size = log.seek(0, os.SEEK_END)
    if size == 0:
        return 0, GENESIS
    back = min(size, 64 * 1024)
    log.seek(size - back)
    data = log.read(back)
    last = data.rstrip(b"\n").rsplit(b"\n", 1)[-1]
    try:
        entry = serial.parse(last)
        return int(entry["seq"]) + 1, str(entry["hash"])
    except (ValueError, KeyError, TypeError):
        raise AuditBroken(
            "the last line of audit.jsonl is damaged, so nothing more can be chained to it; "
            "run `fieldvault audit DIR --verify` and restore the log from a backup"
        ) from None
