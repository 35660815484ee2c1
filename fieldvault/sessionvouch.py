"""The study key vouches for each session's current transcript and its redactions as it does for lists (vouching): the
signed entry that writes one records its payload's keyed digest (QA T11: an older genuine redactions file copied back
over the current one undid a reviewer's later acceptances, without a word). With the key, a reader refuses such a file
unless an entry written since without the key (a transcriber's key: it cannot sign) wrote that session: then it is
read, but the redactions count as unreviewed until someone with the key confirms them; so is a redactions file no
signed entry ever vouched for (QA U6: a store cut off before its entry). Never writes a sealed file.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fieldvault import audit, layout
from fieldvault.agefile import Identity
from fieldvault.errors import BadInput, BadStudyFile
from fieldvault.keptolder import KEPT_OLDER
from fieldvault.loghead import ACCEPTED
from fieldvault.suggested import command
from fieldvault.vouching import ADOPTED, digest, keep_older_hint, relative_of
from fieldvault.vouchsign import NOT_CHECKED, pinned_key, set_aside_signed, signatures, verifies

if TYPE_CHECKING:
    from fieldvault.study import Study

# What writes a session's transcript or redactions: one of these written without the key after the study key last
# vouched for a file of the session explains a file it did not vouch for (or claims to: anyone can append a line, and
# then the file is read as unreviewed, never as reviewed).
WRITES = frozenset(
    {
        "transcribe", "transcript.saved", "transcript.speaker", "redaction.proposed", "redaction.decided",
        "redaction.reviewed", "redaction.checked",
    }
)  # fmt: skip
FILES = (layout.TRANSCRIPT, layout.REDACTIONS)  # in a session folder


def payload(study: Study, path: str | Path, plaintext: bytes) -> dict[str, bytes]:
    """{path in the study: payload digest} of a session file just written, for the entry recording the write."""
    return {relative_of(study, path): digest(plaintext)}


def session_files(study: Study, folder: Path) -> list[str]:
    """A session's files of the kinds the study key vouches for, as entries name them."""
    return [relative_of(study, folder / name) for name in FILES if (folder / name).is_file()]


def unconfirmed(study: Study, path: str | Path, sha256: bytes) -> bool:
    """Whether the session file at ``path`` was written without the study key since it last vouched for one there
    (a transcriber's key), or kept in place by `check --keep-older` or `--accept-older-log` (an older copy put back
    looks the same, QA V8, V15), or vouched for as it was found (``vouching.adopt``: an emptied log and an older review
    put back look like a study from before vouching, and a transcriber's review like one no entry signed, QA W17):
    True. False where the key vouches for it as it is, where no signed entry names it yet and where nothing can be
    checked. BadStudyFile where the key vouched
    for another payload since and no entry written without it wrote the session after that: an older copy put back,
    or a forged one. With the study key its HMAC is checked; with a transcriber's key, the signature under the vouch
    key her identity file pins (QA U4), and a redactions file no entry signs counts as unreviewed (she cannot tell
    her own from one sealed by anyone with the public keys); with an identity file that pins none, nothing, said
    once."""
    return _verdict(study, path, sha256)[0]


def replaced(study: Study, path: str | Path, sha256: bytes) -> int | None:
    """Where the redactions at ``path`` match no payload the study key vouched for there, and nothing written
    without the key since explains them: the number of the newest entry that vouched for another (the reviewed file
    it vouched for is gone: replaced by anyone with the public key, or a store an older release cut off; QA W6)."""
    return _verdict(study, path, sha256)[1]


def _verdict(study: Study, path: str | Path, sha256: bytes) -> tuple[bool, int | None]:
    """``unconfirmed``, and ``replaced``."""
    try:
        relative = relative_of(study, path)
    except ValueError:  # not in this study (nothing vouches for it here)
        return False, None
    holds = _judge(study, relative, sha256)
    if holds is None:
        return False, None
    named = [(entry, stated) for entry, macs in study.vouching_entries() if (stated := holds.stated(entry, macs))]
    if not named:
        return holds.pinned and relative.endswith("/" + layout.REDACTIONS), None
    if holds(*named[-1]):  # QA V8, V15: an older file kept in place is no review of anyone's
        newest = named[-1][0]
        # QA W17: nor one the key took as it found it (`vouching.adopt`): the log emptied and an older review put
        # back looks like a study from before this release, and a transcriber's review like one no entry signed
        return relative.endswith("/" + layout.REDACTIONS) and as_found(study, newest), None
    if _written_without_key_since(study, relative, int(named[-1][0]["seq"])):
        return True, None
    if any(holds(entry, stated) for entry, stated in named):
        raise BadStudyFile(
            f"{relative} is not the one the study key last vouched for (an older copy put back, from a backup or by "
            "hand, or a write cut off and its new file deleted since): restore the newer one from your latest backup, "
            f"then run the command again; {keep_older_hint(study, relative)}"
        )
    if relative.endswith("/" + layout.REDACTIONS):  # QA U6: a store cut off before its entry (older releases): its
        return True, int(named[-1][0]["seq"])  # decisions offered again; the reviewed export leaves it out
    raise BadStudyFile(
        f"{relative} is not one the study key vouched for (written by a command cut off before it was recorded, or "
        "by hand): restore it from your latest backup, or transcribe the session again"
    )


@dataclass(frozen=True)
class _Holds:
    """What an entry records of a session file (``stated``: its HMAC with the study key, its signature with a pinned
    vouch key; None where the entry does not vouch for it), and whether that is the payload's (the call)."""

    stated: Callable[[dict[str, Any], dict[str, str]], str | None]
    check: Callable[[dict[str, Any], str], bool]
    pinned: bool

    def __call__(self, entry: dict[str, Any], stated: str) -> bool:
        return self.check(entry, stated)


def _judge(study: Study, relative: str, sha256: bytes) -> _Holds | None:
    expected = study.audit.payload_mac(relative, sha256)
    if expected is not None:
        return _Holds(
            lambda entry, macs: macs.get(relative) if study.audit.vouches(entry) else None,
            lambda entry, stated: hmac.compare_digest(stated, expected),
            pinned=False,
        )
    if study.identity_file_pins is None:  # no identity file given: a field kit's reads
        return None
    public = pinned_key(study)
    if public is None:
        study.tell_once(NOT_CHECKED)
        return None
    return _Holds(
        lambda entry, macs: signatures(entry).get(relative),
        lambda entry, stated: verifies(public, entry, relative, sha256, stated),
        pinned=True,
    )


def refuse_resealing(study: Study, folder: Path, identities: Sequence[Identity], then: str) -> None:
    """Before a session's files are re-sealed under another name and vouched for there (`participant rename`,
    `session move`): refused where one was put back older (BadStudyFile), or where its redactions were written with a
    transcriber's key since the study key vouched for them (laundered into vouched ones, that review would count).
    ``then``: what the person does after reviewing ("rename her")."""
    for relative in session_files(study, folder):
        fresh = unconfirmed(study, relative, digest(study.read(relative, identities)))
        if fresh and relative.endswith(layout.REDACTIONS):  # a transcript's text alone decides nothing reviewed
            raise BadInput(
                f"{relative} was written with a transcriber's key since the study key vouched for it: review that "
                f"session with the passphrase (its decisions are offered again: C confirms them), then {then}"
            )


def as_found(study: Study, entry: dict[str, Any]) -> bool:
    """Whether ``entry``, the newest to vouch for a file, vouches for it only as the study key found it (kept older,
    adopted, or before an older log was accepted): for a redactions file, no review of anyone's (QA V8, V15, W17)."""
    return entry.get("action") in (KEPT_OLDER, ADOPTED) or _older_log_accepted_since(study, int(entry["seq"]))


def _older_log_accepted_since(study: Study, seq: int) -> bool:
    """Whether an older audit log was accepted (`check --accept-older-log`) after entry ``seq``: what was vouched for
    before then may be an older copy put back with the log cut to it, which looks the same (QA V15). A line claiming
    so without the key can only make a review count as not done, never lift a redaction; with the key in use only an
    acceptance it signed counts (`--accept-older-log` needs the passphrase): one forged line undid every review in the
    study (QA X6); without it, one the PI set aside in place, as the set-aside her pinned vouch key checks says, does
    not count either (QA Y11: on a transcriber's computer it undid every review for good)."""
    aside = set_aside_signed(study)
    return any(
        e.get("action") == ACCEPTED and int(e.get("seq", 0)) > seq and f"{e.get('seq')}:{e.get('hash')}" not in aside
        for e in study.audit.facts()
    )


def _written_without_key_since(study: Study, relative: str, seq: int) -> bool:
    parts = relative.split("/")
    if len(parts) != 4 or parts[0] != layout.PARTICIPANTS:
        return False
    pseudonym, session = parts[1], parts[2]
    for entry in study.audit.entries():
        details = entry.get("details")
        if (
            int(entry.get("seq", 0)) > seq
            and entry.get("action") in WRITES
            and isinstance(details, dict)
            and (details.get("pseudonym"), details.get("session")) == (pseudonym, session)
            and study.audit.vouches(entry) is False  # no mac at all, or (with the key) a wrong one
        ):
            return True
    return False


def unconfirmed_note(relative: str) -> str:
    """What `check` says of a session's redactions ``unconfirmed`` reads as unreviewed."""
    return (
        f"{relative}: not vouched for by the study key as reviewed (written with a transcriber's key, by a command cut "
        "off before it was recorded, put back, kept in place by `check`, or taken as it was found at an unlock): it "
        "counts as unreviewed until "
        "someone with the passphrase reviews it again (its decisions are offered again: C confirms them)"
    )


# --- a session file the study key vouched for, deleted (QA U5), and recorded lost (QA V17) ----------------------

DELETED = "was deleted since the study key vouched for it"
LOST = "check.recorded-lost"  # the PI's signed word that a deleted one is lost: the session goes on without it


def deleted(study: Study, kinds: tuple[str, ...] = FILES) -> list[str]:
    """Each session transcript or redactions file (``kinds``: or her profile, `check`'s lost file, QA W2) a signed
    entry vouched for that is gone from its session folder,
    where no signed entry since records that folder (or the file) gone: `session remove` or `move`, `participant
    rename`, a withdrawal, retention (stewardship.departures, whose rule this is), or the file lost (``record_lost``).
    Deleted by hand, or by whoever can write the study folder: a transcript gone takes her words out of every export;
    redactions gone, the reviewer's decisions (spans she marked by hand among them: an unreviewed export would propose
    afresh and leave those names in). A session folder gone whole is `check`'s lost session (QA Q11). Without the
    study key an entry's own mac cannot be checked: one that carries any counts."""
    from fieldvault.stewardship.departures import gone_by  # it imports this module's importers: import here

    vouched: set[str] = set()
    for entry in study.audit.readable()[0]:  # a damaged log is named by the log's own check
        details = entry.get("details")
        if study.audit.vouches(entry) is False or not isinstance(details, dict):
            continue  # a line anyone could append says nothing either way
        for gone in gone_by(str(entry.get("action")), details):
            vouched = {path for path in vouched if not path.startswith(gone)}
        if entry.get("action") == LOST:
            vouched.discard(str(details.get("file")))
        vouched |= {path for path in audit.vouched(entry) if path.rsplit("/", 1)[-1] in kinds}
    return sorted(p for p in vouched if (study.root / p).parent.is_dir() and not (study.root / p).is_file())


def deleted_within(study: Study, *within: str) -> list[str]:
    """``deleted``, only those under one of ``within`` (paths in the study, as entries name them)."""
    return [relative for relative in deleted(study) if relative.startswith(within)]


def lost_hint(study: Study, relative: str) -> str:
    """What to do with a deleted one: restore it, or, where no backup holds it, record it lost (QA V17)."""
    record = command("check", study.root, "--record-lost", relative)
    return (
        f"restore it from your latest backup; if none holds it, `{record}` (the study passphrase: the PI) records it "
        "lost, and the session counts as unreviewed"
    )


def deleted_said(study: Study, relative: str) -> str:
    """One line on a deleted one, for a command that leaves its session out or refuses it."""
    return f"{relative} {DELETED} (by hand, or by someone who can write the study folder): {lost_hint(study, relative)}"


def refuse_deleted(study: Study, *within: str) -> None:
    """BadStudyFile naming the first file ``deleted`` finds under one of ``within`` (the whole study when none is
    given): every reader that would take the session as never transcribed or never reviewed asks first
    (``review.stored``, `transcribe`)."""
    for relative in deleted_within(study, *within) if within else deleted(study):
        raise BadStudyFile(f"{deleted_said(study, relative)}; then run the command again")


def record_lost(study: Study, given: str) -> str:
    """`check --record-lost FILE` (QA V17): a vouched transcript or redactions file deleted that no backup holds locked
    her session for good. With the study key, a signed entry records it lost; from then on the session is read as it
    is: without redactions it is unreviewed (proposed afresh, every decision gone: the reviewed export leaves it out,
    an unreviewed one replaces every proposal), without a transcript never transcribed (`transcribe` again). What
    is said of it; BadInput where ``given`` is no such file."""
    study.refuse_backup()
    try:
        relative = relative_of(study, given)
    except ValueError:
        raise BadInput(f"{given} is not in the study {study.root}: give its path in the study folder") from None
    if not study.audit.keyed:
        raise BadInput("--record-lost needs the study passphrase (the PI's): it writes a signed entry")
    if relative not in deleted(study):
        raise BadInput(
            f"{relative} is not a transcript or redactions file deleted since the study key vouched for it: nothing "
            f"to record lost (`{command('check', study.root)}` names each one)"
        )
    _, pseudonym, session, name = relative.split("/")
    entry = study.audit.append(LOST, pseudonym=pseudonym, session=session, file=relative)
    if name == layout.REDACTIONS:
        then = (
            f"her session {pseudonym}/{session} now counts as unreviewed, its decisions lost: "
            f"`{command('redact', study.root)}` proposes afresh; review it before a reviewed export holds it"
        )
    else:
        then = (
            f"her session {pseudonym}/{session} has no transcript now: "
            f"`{command('transcribe', study.root, pseudonym, session)}` transcribes it again; review it after"
        )
    return f"recorded lost (entry {entry['seq']}): {relative}; {then}"
