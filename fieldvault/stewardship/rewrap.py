"""Take a recipient's access away: re-wrap every file's header to the remaining recipients.

The payload is copied byte for byte and its file key stays, so only the header and its MAC change and
the work is one sequential copy per file. Each file is replaced atomically; the removal is recorded in
``.remove-recipient.json`` with the files done, so an interrupted run resumes where it stopped.
What a removed person already copied stays readable to them: re-wrapping cannot reach it.
"""

from __future__ import annotations

import hmac
import json
import os
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from fieldvault import atomicfile, removals, serial
from fieldvault.agefile import Identity, X25519Identity, X25519Recipient
from fieldvault.agefile.header import encode_header, read_header
from fieldvault.agefile.stream import NONCE_SIZE, unwrap_file_key
from fieldvault.errors import BadInput, FieldvaultError, LockedStudy
from fieldvault.stewardship.inventory import data_files, refuse_during_recording
from fieldvault.stewardship.shred import overwrite_prefix
from fieldvault.study import RecipientEntry, Study, derived_key
from fieldvault.suggested import command

PLAN = ".remove-recipient.json"
DONE = ".remove-recipient.done"
SCHEMA_VERSION = 1
_COPY = 1 << 20
_BEGUN = ("keys.remove-recipient", "keys.remove-recipient.resumed")
_ADDED = "keys.add-recipient"
_ON_A_KEY = (*_BEGUN, "keys.remove-recipient.done", "keys.remove-recipient.replayed", _ADDED)


@dataclass(frozen=True)
class Removal:
    entry: RecipientEntry
    files: int  # files re-wrapped in this run
    skipped: int  # done by an earlier, interrupted run
    resumed: bool
    planted: RecipientEntry | None = None  # a plan the study key never began, deleted (QA Y7)
    done_before: int | None = None  # the entry of this removal's `.done`, signed by a run before this one


@dataclass(frozen=True)
class RemovalPlan:
    """``.remove-recipient.json``: the recipient being removed, written before the study forgets it so an
    interrupted run knows whom it was removing. A plan from before it carried a version (the same fields)
    may wait on a user's disk for its run to resume, so it still reads."""

    name: str
    key: str
    started: str
    # the seq of the audit log's last entry on the key when the removal started (0: none), and a seal over the plan
    # under a key derived from the study identity: what ties a plan to the steward's own run (``started_here``)
    since: int = 0
    seal: str = ""
    schema_version: int = SCHEMA_VERSION


def _sealed(identity: X25519Identity, plan: RemovalPlan) -> str:
    said = json.dumps([plan.name, plan.key, plan.started, plan.since]).encode()
    return hmac.new(derived_key(identity, "removal-plan"), said, "sha256").hexdigest()


def plan_entry(plan: RemovalPlan) -> RecipientEntry:
    return RecipientEntry(plan.name, plan.key)


def read_plan(study: Study) -> RemovalPlan | None:
    """The removal plan on disk, or None; raises the FieldvaultError that says it is damaged and what to do."""
    path = study.root / PLAN
    if not path.exists():
        return None
    fix = (
        f"delete {PLAN} and {DONE}; then run `fieldvault keys remove-recipient` again if `fieldvault keys list` "
        "still shows the recipient, or else `fieldvault keys rewrap`, so no file stays open to the removed key"
    )
    return serial.loads(RemovalPlan, path.read_bytes(), str(path), serial.same_fields, fix)


def started_here(study: Study, identities: Sequence[Identity], plan: RemovalPlan) -> bool:
    """Whether the plan on disk is the one a removal run with the study identity wrote, with the audit log's record
    of its key as it was then: the steward's own removal, cut off before study.toml was sealed without the key. Until
    then nothing else records it, and a plan naming a listed colleague, name and key, is what anyone who can write
    the folder can put there (qa26: check then led with the command that removes her). False without the study key,
    for a plan from a release before the seal, and for a copy of an older removal's plan (the key's record moved on)."""
    identity = study.study_identity(identities)
    if identity is None or not hmac.compare_digest(plan.seal, _sealed(identity, plan)):
        return False
    return plan.since == _last_seq(study, plan.key)


def _last_seq(study: Study, key: str) -> int:
    """The seq of the audit log's last entry adding or removing ``key``, or 0."""
    last = study.audit.recipient_facts().get(key)
    return 0 if last is None else int(last["seq"])


def began(study: Study, entry: RecipientEntry) -> bool:
    """Whether the study key began the removal a plan names: the last entry the key signed on that recipient key is
    its ``keys.remove-recipient`` (or a resumption of it) under the same name. The plan is a plain file anyone who can
    write the folder could put there: one naming the leaving transcriber with another key made the "resumed" removal
    re-wrap every file to her again and say she was removed (QA Y7). False without the study key in use."""
    last = _last_signed(study).get(entry.key)
    return last is not None and last["action"] in _BEGUN and last["details"].get("name") == entry.name


def removed_yet_listed(study: Study) -> list[tuple[RecipientEntry, dict[str, Any]]]:
    """Each recipient study.toml lists (the study's own key aside) whose removal the study key recorded as resumed,
    done or replayed, with no signed ``keys.add-recipient`` since: every file still opens to it. A release that trusted
    a planted plan left a study so (QA Y7). (A plain ``keys.remove-recipient`` so is undone at the unlock itself.)
    Which keys a file's header opens to cannot be read without their private keys (an X25519 stanza names no
    recipient), so this list, and each header's count of keys, are what can be checked."""
    last = _last_signed(study)
    return [(r, last[r.key]) for r in study.config.recipients[1:] if r.key in last and last[r.key]["action"] != _ADDED]


def added_yet_unlisted(study: Study, identities: Sequence[Identity], plan: RemovalPlan | None) -> list[RecipientEntry]:
    """Each recipient the audit log's last word on is its addition that study.toml does not list, a removal cut off
    before it was recorded (``cut_off_unrecorded``) aside: a study.toml from before the addition put back (its seal is
    as valid as ever), so files written since skip that key, and `keys rewrap` would take every file from it (keys26).
    Or a removal cut off before it was recorded whose plan was deleted. None without the study key. ``plan``: the
    removal plan as the caller read it (None: none, or damaged)."""
    if study.study_identity(identities) is None:
        return []
    listed = {r.key for r in study.config.recipients}
    cut_off = plan is not None and cut_off_unrecorded(study, plan, identities)
    return [
        RecipientEntry(str(last["details"].get("name")), key)
        for key, last in study.audit.recipient_facts().items()
        if last["action"] == _ADDED and key not in listed and not (cut_off and plan is not None and plan.key == key)
    ]


def _last_signed(study: Study) -> dict[str, dict[str, Any]]:
    """Each recipient key -> the last entry the study key signed that adds, removes or re-wraps it."""
    last = {}
    for logged in study.audit.signed():
        details = logged.get("details")
        if logged["action"] in _ON_A_KEY and isinstance(details, dict) and isinstance(details.get("recipient"), str):
            last[details["recipient"]] = logged
    return last


def rewrap_file(path: Path, identities: Sequence[Identity], recipients: Sequence[X25519Recipient]) -> None:
    """Replace ``path`` by the same file with its file key wrapped to ``recipients`` only."""
    tmp = path.with_name(f".{path.name}.rewrap")
    with path.open("r+b") as src:
        header = read_header(src)
        file_key = unwrap_file_key(header, identities)  # also checks the header MAC
        old_header = src.tell() + NONCE_SIZE
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, atomicfile.FILE_MODE)  # only ever our own copy
        try:
            with os.fdopen(fd, "wb") as dst:
                dst.write(encode_header([r.wrap(file_key) for r in recipients], file_key))
                shutil.copyfileobj(src, dst, _COPY)
                dst.flush()
                os.fsync(dst.fileno())
            os.replace(tmp, path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        atomicfile.sync_folder(path.parent)
        if os.fstat(src.fileno()).st_nlink == 0:  # the old file's blocks: wipe the stanza the removed key opens
            overwrite_prefix(src.fileno(), old_header)


def remove_recipient(
    study: Study,
    name: str,
    identities: Sequence[Identity],
    progress: Callable[[int, int], None] = lambda done, total: None,
) -> Removal:
    """Remove ``name`` from the study and re-wrap every data file without it; resumes an interrupted run."""
    if study.is_field_kit:
        raise BadInput("remove recipients on the trusted machine: a field kit holds no key to re-wrap with")
    refuse_during_recording(study, "remove a recipient")
    if study.study_identity(identities) is None:  # only the study key tells a plan it began from one put there
        raise LockedStudy("removing a recipient needs the study identity (the study passphrase), not another key")
    plan = read_plan(study)
    entry = None if plan is None else plan_entry(plan)
    if entry is not None and entry.name == name and finished(study, entry):
        # cut off after its signed `.done` and before the plan was deleted (keys25: the rerun said "no recipient
        # named" and check warned of a planted plan): nothing is left to do but the plan's deletion
        (study.root / DONE).unlink(missing_ok=True)
        _drop_plan(study)
        atomicfile.sync_folder(study.root)
        return Removal(entry, 0, len(data_files(study)), True)
    planted = None
    # a plan naming another than the one asked for never blocks her removal (qa25 QA13b: one file re-wrapped to a
    # stranger's key as well, and a plan naming the stranger, kept the leaving transcriber's key on every file)
    unbegun = entry is not None and not began(study, entry)
    cut_off = unbegun and plan is not None and plan.name == name and cut_off_unrecorded(study, plan, identities)
    if unbegun and not cut_off:  # not ours: her name is taken from study.toml, not from it
        # one the study key sealed, naming a listed recipient, is a removal cut off before it began: no one put it
        # there (keys26: the rerun said so after a plain kill)
        ours = plan is not None and entry in study.config.recipients and started_here(study, identities, plan)
        planted = None if ours else entry
        entry = None
        _drop_plan(study)
    resumed = entry is not None
    if entry is not None and entry.name != name:
        raise BadInput(
            f"the removal of {entry.name!r} was interrupted; finish it first with "
            f"`{command('keys', 'remove-recipient', study.root, entry.name)}`"
        )
    done_log = study.root / DONE
    if entry is None:
        done_log.unlink(missing_ok=True)  # no removal of ours was under way: no progress of ours to resume (QA X9)
        if (earlier := _removed_before(study, name)) is not None:  # keys25: cut off as its plan was deleted
            return Removal(earlier[0], 0, 0, False, planted, int(earlier[1]["seq"]))
        entry = _start(study, name, identities)
    elif cut_off:
        _record(study, entry)
    else:
        study.audit.append("keys.remove-recipient.resumed", name=entry.name, recipient=entry.key)
    done = set(done_log.read_text().splitlines()) if done_log.exists() else set()
    files = data_files(study)
    recipients = study.recipients()
    count = 0
    with os.fdopen(os.open(done_log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600), "a") as log:
        for number, path in enumerate(files, start=1):
            relative = str(path.relative_to(study.root))
            # The progress file is a plain file anyone who can write the folder could fill: a file it names is
            # passed over only where its header opens to no more keys than the study now has (QA X9).
            if relative not in done or _stanzas(path, study) > len(recipients):
                try:
                    rewrap_file(path, identities, recipients)
                except FieldvaultError as err:
                    raise FieldvaultError(f"{relative}: {err}; fix or restore it, then run the command again") from None
                log.write(relative + "\n")
                log.flush()
                count += 1
            progress(number, len(files))
    study.audit.append("keys.remove-recipient.done", name=entry.name, recipient=entry.key, count=count)
    done_log.unlink()
    _drop_plan(study)
    atomicfile.sync_folder(study.root)
    return Removal(entry, count, len(files) - count, resumed, planted)


def _drop_plan(study: Study) -> None:
    """Delete the plan, and what writes of it killed part-way left beside it (a run killed between the plan's link
    and its temporary name's deletion leaves it under both names)."""
    (study.root / PLAN).unlink()
    atomicfile.sweep(study.root / PLAN)


def _stanzas(path: Path, study: Study) -> int:
    """How many keys ``path``'s header opens to; a header that does not read is named with what to do."""
    with path.open("rb") as stream:
        try:
            return len(read_header(stream).stanzas)
        except FieldvaultError as err:
            raise FieldvaultError(f"{path.relative_to(study.root)}: {err}; `fieldvault check` names them all") from None


def finished(study: Study, entry: RecipientEntry) -> bool:
    """Whether the last entry the study key signed on the plan's key is this removal's `.done`, under its name, and
    study.toml no longer lists the key."""
    last = _last_signed(study).get(entry.key)
    return _done_as(last, entry.name) and entry.key not in {r.key for r in study.config.recipients}


def _done_as(last: dict[str, Any] | None, name: str) -> bool:
    """Whether ``last``, a key's last signed entry, is the `.done` of its removal under ``name``."""
    return last is not None and last["action"] == "keys.remove-recipient.done" and last["details"].get("name") == name


def _removed_before(study: Study, name: str) -> tuple[RecipientEntry, dict[str, Any]] | None:
    """Where study.toml lists no recipient named ``name``: the key whose last signed entry is the `.done` of its
    removal under that name, and that entry (the latest of such), or None. Its rerun finds it so when the run was cut
    off after that entry, as it deleted its plan (keys25: "no recipient named")."""
    if any(r.name == name for r in study.config.recipients):
        return None
    listed = {r.key for r in study.config.recipients}
    done = [
        (RecipientEntry(name, key), last)
        for key, last in _last_signed(study).items()
        if key not in listed and _done_as(last, name)
    ]
    return max(done, key=lambda found: int(found[1]["seq"]), default=None)


def cut_off_unrecorded(study: Study, plan: RemovalPlan, identities: Sequence[Identity]) -> bool:
    """Whether a plan the study key never began names a recipient, name and key, that the sealed study.toml no longer
    lists and whose last recorded change is its addition under that name: a removal cut off between study.toml sealed
    without her and its signed entry (Z5). Only the study key seals the list and signs the log, so no one who can
    merely write the folder makes one so: a plan naming a key never added (qa25 QA13), or a listed one (QA Y7), is no
    such plan. (It read whether some file opened to more keys than study.toml lists, which a study with no data files
    never has, so such a removal was never recorded (keys25), and which anyone holding a listed key can forge by
    re-encrypting a file to more keys (qa25 QA13b).) The plan must be the one the steward's run sealed
    (``started_here``): a study.toml from before her addition put back beside a plan naming her reads the same to the
    list and the log (keys26), and the rerun would have recorded a removal nobody began."""
    entry = plan_entry(plan)
    listed = study.config.recipients
    if entry.key in {r.key for r in listed} or entry.name in {r.name for r in listed}:
        return False
    last = study.audit.recipient_facts().get(entry.key)
    added = last is not None and last["action"] == _ADDED and last["details"].get("name") == entry.name
    return added and started_here(study, identities, plan)


def _record(study: Study, entry: RecipientEntry) -> None:
    """The signed entry of a removal, remembered outside the study too: a study.toml and audit.jsonl put back together
    cannot undo it (QA G5)."""
    logged = study.audit.append("keys.remove-recipient", name=entry.name, recipient=entry.key)
    removal = removals.Removal(entry.name, str(logged["time"]), int(str(logged["seq"])))
    removals.remember(study.config.recipients[0].key, {entry.key: removal})


def _start(study: Study, name: str, identities: Sequence[Identity]) -> RecipientEntry:
    entry = next((r for r in study.config.recipients if r.name == name), None)
    if entry is None:
        known = ", ".join(r.name for r in study.config.recipients)
        raise BadInput(f"no recipient named {name!r}; the study's recipients are {known}")
    if entry.key in {str(i.recipient()) for i in identities if isinstance(i, X25519Identity)}:
        raise BadInput(f"{name!r} is the key you unlocked the study with; removing it would lock you out of every file")
    plan = RemovalPlan(entry.name, entry.key, study.clock().isoformat(timespec="seconds"), _last_seq(study, entry.key))
    identity = study.study_identity(identities)
    assert identity is not None  # remove_recipient refuses without it
    plan = replace(plan, seal=_sealed(identity, plan))
    atomicfile.write_new(study.root / PLAN, serial.dumps(plan))
    try:  # from here on new files are not encrypted to it; the study identity seals the shorter list
        study.set_recipients([r for r in study.config.recipients if r != entry], identities)
    except BaseException:
        (study.root / PLAN).unlink()
        raise
    _record(study, entry)
    return entry


def rewrap_stale(
    study: Study,
    identities: Sequence[Identity],
    progress: Callable[[int, int], None] = lambda done, total: None,
    share: bool = False,
) -> list[str]:
    """Re-wrap every file wrapped to more recipients than the study has (one restored from a backup made
    before a removal, say), so no removed key opens it; with ``share``, also every file wrapped to fewer (written
    before a recipient was added: QA Q5, a transcriber hired after the interviews), so every key of the study
    opens it. Returns the files re-wrapped."""
    plan = read_plan(study)
    if plan is not None and (began(study, plan_entry(plan)) or cut_off_unrecorded(study, plan, identities)):
        # keys25: re-wrapping a cut-off removal's files left it never recorded, and its rerun found no one to remove
        raise BadInput(
            f"the removal of recipient {plan.name!r} was interrupted; finish it first with "
            f"`{command('keys', 'remove-recipient', study.root, plan.name)}`"
        )
    if dropped := added_yet_unlisted(study, identities, plan):
        raise BadInput(
            f"study.toml does not list {dropped[0].name} ({dropped[0].key}), whom the audit log records as added and "
            f"not removed: re-wrapping would take every file from that key; `{command('check', study.root)}` says "
            "what to do first"
        )
    refuse_during_recording(study, "re-wrap files")
    recipients = study.recipients()
    files = data_files(study)
    done = []
    for number, path in enumerate(files, start=1):
        wrapped = _stanzas(path, study)
        if wrapped > len(recipients) or (share and wrapped < len(recipients)):
            rewrap_file(path, identities, recipients)
            done.append(str(path.relative_to(study.root)))
        progress(number, len(files))
    study.audit.append("keys.share" if share else "keys.rewrap", count=len(done))
    return done
