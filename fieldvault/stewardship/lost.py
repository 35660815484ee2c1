"""Sessions the study knows of, whose folder is gone though its audit log never recorded them going: deleted by hand
or lost (QA Q11). The study knows a session from its session index and from its own log's `import` and `record`
entries; `session remove`, a withdrawal, retention, a move or a rename record one gone (stewardship.departures).
Reads the log and the index; never writes, never decrypts.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from fieldvault import backupsmade, layout
from fieldvault.agefile.header import payload_id
from fieldvault.audiofile import SAMPLES
from fieldvault.errors import BadInput, FieldvaultError
from fieldvault.sessioninfo import IndexedSession, read_index
from fieldvault.sessionvouch import DELETED, deleted
from fieldvault.sessionvouch import LOST as RECORDED_LOST
from fieldvault.stewardship.departures import departures
from fieldvault.study import Study
from fieldvault.suggested import command, shell
from fieldvault.vouching import relative_of

_MADE = ("import", "record")  # the study's own entries that made a session (a kit's carried ones name its folders)
# The PI's signed entry that the recorder's own file of a recording recorded lost was sealed back into its session
# (`import --restores`, QA Y13): its ``payloads`` names the recording now hers.
RESTORED = "import.restored"
# In a field kit's first entry: the recordings the study had recorded lost when it made the kit, and how long each was,
# so the kit refuses the recorder's file of one as a new session (QA Z13).
KIT_LOST = "lost"


def lost_sessions(study: Study) -> list[tuple[str, str]]:
    """(the session's folder relative to the study, what happened and what to do) for each session whose folder is
    gone and whose going the study key never signed: a failure of `check`. Every command that removes a session
    signs its entry, so one only an unsigned entry records gone was deleted by hand and a line appended without the
    passphrase (QA S10: a note only, then a later signed entry's chain covering it, and check passed)."""
    return [
        (folder, f"{UNSIGNED if said_gone else LOST}; if it was not removed on purpose, {restore}")
        for folder, said_gone, restore in _missing(study)
    ]


def lost_files(study: Study) -> list[tuple[str, str]]:
    """(the file relative to the study, what happened and what to do) for each file the study's log or index says is
    there, gone from a folder that is, and no entry the study key signed records it gone: a failure of `check`, with
    the `cp -p` that restores it from the last backup (QA W2). Her profile, which a signed entry vouched for (her
    answers and consent record: ``sessionvouch.deleted``, whose transcripts and redactions check names with U5's
    words); a listed session's recording (QA V4) and, where the index gives its kind, its record of that kind
    (`session.json.age`: a follow-up's consent confirmed again); the index itself where a session's record says one
    was written. A folder gone is ``lost_sessions``'s; a link in a file's place is ``linked``'s; a recording under way
    or cut off (its lock or event journal there) is `recover`'s."""
    if study.is_field_kit:
        return []
    entries, _ = study.audit.readable()
    signed = departures(entries, study.audit.vouches)
    backup = _last_backup(entries)
    try:
        index = read_index(study.root)
    except FieldvaultError:
        index = {}  # a damaged index is named on its own
    expected = {  # her answers and consent record (a session's transcript or redactions: check's own, U5)
        relative: f"{DELETED}, and no command recorded removing it (deleted by hand?)"
        for relative in deleted(study, (layout.PROFILE,))
    }
    for pseudonym in _numbered(study, entries):  # the [PERSON n] numbers her exports gave: gone, renumbered afresh
        expected[f"{layout.PARTICIPANTS}/{pseudonym}/{layout.PLACEHOLDERS}"] = (
            "is gone (the [PERSON n] numbers her exports gave her people: the next export would number them afresh), "
            "yet an export recorded keeping them and the audit log never recorded it removed (deleted by hand?)"
        )
    recorded_lost = recordings_lost(study)  # QA W13: the PI's signed word that no backup holds it
    for folder in sorted(_known(study, entries)):
        where = study.root / folder
        if where.is_symlink() or not where.is_dir():
            continue
        if {p.name for p in where.iterdir()} & {layout.LOCK, layout.EVENTS_JOURNAL}:
            continue
        if folder not in recorded_lost:
            record = command("check", study.root, "--record-lost", f"{folder}/{layout.AUDIO}")
            expected[f"{folder}/{layout.AUDIO}"] = (
                "is gone, yet the session is listed and the audit log never recorded her recording destroyed (deleted "
                f"by hand?; where no backup holds it, `{record}` records it lost, and her session goes on as "
                "transcript only)"
            )
        if index.get(folder.removeprefix(f"{layout.PARTICIPANTS}/"), IndexedSession()).kind:
            expected[f"{folder}/{layout.SESSION_INFO}"] = (
                "is gone (the session's kind and any consent confirmed again at its start), yet the session index "
                "gives its kind and the audit log never recorded it removed (deleted by hand?)"
            )
        if (where / layout.SESSION_INFO).is_file():
            expected[layout.SESSION_INDEX] = (
                "is gone (the index of sessions and their kinds), yet the sessions' records say one was written and "
                "the audit log never recorded it removed (deleted by hand?)"
            )
    return [
        (
            relative,
            f"{problem}; if it was not removed on purpose, {_restore_file(study, relative, backup)}",
        )
        for relative, problem in sorted(expected.items())
        if not (study.root / relative).is_symlink()
        and not (study.root / relative).exists()
        and signed.why(relative) is None
    ]


def recordings_lost(study: Study) -> dict[str, str]:
    """session folder (relative to the study) -> "on DATE (entry N)", for each recording the PI recorded lost
    (``record_recording_lost``) in an entry the study key signed, that is not in the study now: one put back is read
    as any other, by `check` and by exports, where it is hers (``put_back_strangers`` names any other)."""
    return {folder: when for folder, (when, _) in _recorded_lost(study).items()}


def _recorded_lost(study: Study) -> dict[str, tuple[str, bool]]:
    """``recordings_lost``, each with whether a recording that is not hers lies in her recording's place (QA X10: any
    recording put back was taken, another woman's among them, and exported as hers). A recording put back is hers
    where its payload is the one the study's signed import or record entry for her session made; an older log that
    named none ties none to her."""
    return _lost_entries(study, layout.AUDIO)


def _lost_entries(study: Study, kind: str) -> dict[str, tuple[str, bool]]:
    """session folder -> ("on DATE (entry N)", whether the recording there is not hers) for each signed entry that
    records its file ``kind`` (a recording, or a timeline alone) lost, where that file is still not there or (a
    recording) one that is not hers lies in its place."""
    made = made_payloads(study)
    found = {}
    for entry in study.audit.readable()[0]:
        details = entry.get("details")
        if entry.get("action") != RECORDED_LOST or not isinstance(details, dict) or study.audit.vouches(entry) is False:
            continue
        folder, _, name = str(details.get("file", "")).rpartition("/")
        if name == kind and _plain(folder.removeprefix(f"{layout.PARTICIPANTS}/")):
            path, audio = study.root / folder / name, study.root / folder / layout.AUDIO
            stranger = audio.is_file() and not audio.is_symlink() and payload_id(audio) != made.get(folder)
            if (stranger and kind == layout.AUDIO) or not os.path.lexists(path):
                found[folder] = (f"on {str(entry.get('time', ''))[:10]} (entry {entry.get('seq')})", stranger)
    return found


def timeline_lost(study: Study, folder: Path) -> str | None:
    """ "on DATE (entry N)" where the timeline alone of the session at ``folder`` was recorded lost and the recording
    there is the one her import or record entry made (X10's contrast: with no backup her session failed for ever);
    else None."""
    found = _lost_entries(study, layout.EVENTS).get(folder.relative_to(study.root).as_posix())
    return None if found is None or found[1] else found[0]


def made_payloads(study: Study) -> dict[str, str]:
    """session folder (relative to the study) -> the payload id of the recording the study's import or record entry
    for it made, from each such entry the study key did not disown (an older log's entries named none)."""
    return {
        f"{layout.PARTICIPANTS}/{details.get('pseudonym')}/{details.get('session')}": details["payloads"]
        for entry in study.audit.readable()[0]
        if entry.get("action") in (*_MADE, RESTORED)
        and isinstance(details := entry.get("details"), dict)
        and isinstance(details.get("payloads"), str)
        and study.audit.vouches(entry) is not False
    }


def made_seconds(study: Study, folder: str) -> float | None:
    """How long the recording of the session at ``folder`` (relative) was, as the first import or record entry that
    made it says (one written before entries were signed too: ``AuditLog.facts``); None where none says."""
    for entry in study.audit.facts():
        details = entry.get("details")
        if (
            entry.get("action") in _MADE
            and isinstance(details, dict)
            and f"{layout.PARTICIPANTS}/{details.get('pseudonym')}/{details.get('session')}" == folder
        ):
            seconds = details.get("seconds")
            return float(seconds) if isinstance(seconds, int | float) and not isinstance(seconds, bool) else None
    return None


def made_samples(study: Study, folder: str) -> str | None:
    """The ``SAMPLES`` (the study key's MAC of its samples' digest) the last signed import or restore entry recorded
    of the recording of the session at ``folder`` (relative): what proves a file found again is that recording (QA
    Z7); None where none did (an import before that, with the study locked, on a kit) or without the study key."""
    found = None
    for entry in study.audit.readable()[0]:
        details = entry.get("details")
        if (
            entry.get("action") in ("import", RESTORED)
            and isinstance(details, dict)
            and f"{layout.PARTICIPANTS}/{details.get('pseudonym')}/{details.get('session')}" == folder
            and isinstance(details.get(SAMPLES), str)
            and study.audit.vouches(entry) is True
        ):
            found = str(details[SAMPLES])
    return found


def lost_lengths(study: Study) -> dict[str, float | None]:
    """session folder (relative) -> how long its recording was (``made_seconds``), for each recording recorded lost;
    on a field kit, those the study had recorded lost when it made the kit (its first entry, ``KIT_LOST``: QA Z13)."""
    if not study.is_field_kit:
        return {folder: made_seconds(study, folder) for folder in recordings_lost(study)}
    try:
        listed = json.loads(str(study.kit_made_with().get(KIT_LOST, "{}")))
    except ValueError:
        return {}
    if not isinstance(listed, dict):
        return {}
    return {
        f"{layout.PARTICIPANTS}/{key}": float(seconds)
        for key, seconds in listed.items()
        if _plain(str(key)) and isinstance(seconds, int | float) and not isinstance(seconds, bool)
    }


def kit_lost(study: Study) -> dict[str, str]:
    """``KIT_LOST`` for a field kit made now: {"pseudonym/session": seconds as JSON}, or nothing."""
    lengths = {folder.removeprefix(f"{layout.PARTICIPANTS}/"): made for folder, made in lost_lengths(study).items()}
    known = {key: made for key, made in sorted(lengths.items()) if made is not None}
    return {KIT_LOST: json.dumps(known, separators=(",", ":"))} if known else {}


def hers(study: Study, folder: str, made: dict[str, str]) -> bool:
    """Whether the recording in ``folder`` (relative) is the one the study's signed import or record entry made
    (``made``: ``made_payloads``)."""
    payload = payload_id(study.root / folder / layout.AUDIO)
    return payload is not None and made.get(folder) == payload


def put_back_strangers(study: Study) -> list[tuple[str, str]]:
    """(the recording relative to the study, what it is and what to do) for each recording put in the place of one
    the PI recorded lost that is not hers (QA X10): it is not read or exported as hers, and `check` fails on it, with
    the way to put it where it belongs."""
    made = {payload: folder for folder, payload in made_payloads(study).items()}  # -> the session it was made for
    found = []
    for folder, (when, stranger) in sorted(_recorded_lost(study).items()):
        if not stranger:
            continue
        path = study.root / folder / layout.AUDIO
        said = (
            f"is not her recording: hers was recorded lost {when}, and this one is not the recording the study's log "
            "records making for her session (another recording put in its place?); it is not read or exported as hers"
        )
        owner = made.get(payload_id(path) or "")
        if owner is None:
            way = (
                "nothing in the log says whose it is: move it out of the study "
                f"({shell('mv', path, Path.home())}) and keep it until you know"
            )
        elif (there := study.root / owner / layout.AUDIO).is_file() and payload_id(there) == payload_id(path):
            way = (
                f"it is a copy of {owner}/{layout.AUDIO}, which is in its place: remove this copy ({shell('rm', path)})"
            )
        else:
            way = f"it is the recording of {owner}: put it back there ({shell('mv', path, there)})"
        found.append((f"{folder}/{layout.AUDIO}", f"{said}; {way}"))
    return found


def refuse_recorded_lost(study: Study, folder: Path) -> None:
    """BadInput where the recording of the session at ``folder`` was recorded lost (QA X11: the review screen's `p`
    and the editor's F4 said "is not a file in the study", or played another recording put in its place)."""
    relative = folder.relative_to(study.root).as_posix()
    if (when := recordings_lost(study).get(relative)) is None:
        return
    there = (folder / layout.AUDIO).is_file()
    stranger = f"; the recording now in its place is not hers (`{command('check', study.root)}` says whose)"
    raise BadInput(
        f"her recording was recorded lost {when}: this session is transcript only{stranger if there else ''}"
    )


def recordings_lost_notes(study: Study) -> list[str]:
    """`check`'s note on each session whose recording is recorded lost: it is read as transcript only."""
    return [
        f"{folder}: transcript only: its recording was recorded lost {when}; exports with audio leave it out. "
        f"{_turns_up(study, folder)}"
        for folder, when in sorted(recordings_lost(study).items())
        if (study.root / folder).is_dir()
    ]


def _turns_up(study: Study, folder: str) -> str:
    """What to do when the recording of the session at ``folder``, recorded lost, turns up (QA Y13: a WAV on the
    recorder's card could not be put back "as audio.wav.age", and importing it made a new session)."""
    _, pseudonym, session = folder.split("/")
    restore = command("import", study.root, pseudonym, "FILE", "--restores", session)
    return (
        f"If a sealed copy turns up (an old disk, an older backup), put it back as {folder}/{layout.AUDIO}: it is "
        f"checked and exported again as before; if the recorder's own file turns up (its card), `{restore}` seals it "
        "back into this session where it is that recording (a plain import would file it as a new one)"
    )


def record_recording_lost(study: Study, given: str) -> str | None:
    """`check --record-lost` on a session's recording, or its timeline gone with it (QA W13: a recording no backup
    holds failed every `check` for ever, and the only audited way on, `session remove`, destroys her transcript too).
    With the study key, a signed entry records it lost: `check` then notes the session as transcript only, and an
    export with audio leaves its audio out, naming it. What is said of it; None where ``given`` names no recording or
    timeline (``sessionvouch.record_lost`` takes the rest); BadInput where the recording is no lost one."""
    try:
        relative = relative_of(study, given)
    except ValueError:
        return None
    folder, _, name = relative.rpartition("/")
    if name not in (layout.AUDIO, layout.EVENTS):
        return None
    study.refuse_backup()
    audio = f"{folder}/{layout.AUDIO}"
    if not study.audit.keyed:
        raise BadInput("--record-lost needs the study passphrase (the PI's): it writes a signed entry")
    if name == layout.EVENTS and os.path.lexists(study.root / audio):
        return _record_timeline_lost(study, relative, audio)
    if (when := recordings_lost(study).get(folder)) is not None:
        raise BadInput(f"{audio} was recorded lost {when} already: nothing more to record")
    if audio not in dict(lost_files(study)):
        raise BadInput(
            f"{audio} is not a recording `check` names as gone: nothing to record lost "
            f"(`{command('check', study.root)}` names each one)"
        )
    _, pseudonym, session = folder.split("/")
    entry = study.audit.append(RECORDED_LOST, pseudonym=pseudonym, session=session, file=audio)
    timeline = "" if (study.root / folder / layout.EVENTS).is_file() else " (and its timeline)"
    return (
        f"recorded lost (entry {entry['seq']}): {audio}{timeline}; her session {pseudonym}/{session} goes on as "
        f"transcript only: `check` notes it, and an export with audio leaves its audio out, naming it. "
        f"{_turns_up(study, folder)}"
    )


def _record_timeline_lost(study: Study, relative: str, audio: str) -> str:
    """`check --record-lost` of a timeline alone (X10's contrast): only where the recording there is the one her
    session's signed import or record entry made, which ties it to her without the timeline."""
    folder = relative.rpartition("/")[0]
    if os.path.lexists(study.root / relative) or timeline_lost(study, study.root / folder) is not None:
        raise BadInput(f"{relative} is there, or was recorded lost already: nothing to record lost")
    if not hers(study, folder, made_payloads(study)):
        raise BadInput(
            f"{audio} is there, and nothing in the study's log ties it to her session without its timeline (its "
            f"import entry recorded no payload id, or another): restore {relative} from a backup; where none holds "
            "it, move the session out of the study until you know whose recording it is"
        )
    _, pseudonym, session = folder.split("/")
    entry = study.audit.append(RECORDED_LOST, pseudonym=pseudonym, session=session, file=relative)
    return (
        f"recorded lost (entry {entry['seq']}): {relative}; her recording is the one her session's import made (the "
        "log records its payload id), so it is read and exported as hers without a timeline: its notes and markers "
        "are gone"
    )


def linked(study: Study, relative: str) -> str:
    """What `check` says of a link at ``relative`` that stands for study data (QA W4: a session folder, the key file or
    the log moved elsewhere and linked back; "remove it", the only advice given, left the study without it, and its
    only copy at a target never named): the target, and the way back."""
    path = study.root / relative
    target, real = os.readlink(path), Path(os.path.realpath(path))
    said = f"is a link to {target!r}, not the {'folder' if real.is_dir() else 'file'} itself (a study holds no links)"
    if real.is_file() or real.is_dir():
        back = shell("rm", path) + " && " + shell("mv", real, path)
        return (
            f"{said}: nothing was read through it, and removing the link alone leaves the study without it; if what it "
            f"points to is the study's, replace the link with what it points to: {back}"
        )
    if os.path.lexists(real):  # a device (/dev/zero), a pipe: no data of hers can be there
        return f"{said}, and {real} is no file or folder: remove the link ({shell('rm', path)})"
    backup = _last_backup(study.audit.readable()[0])
    folder = backup is not None and (backup / relative).is_dir()
    restore = _restore(study, relative, backup) if folder else _restore_file(study, relative, backup)
    return f"{said}, and {real} is not there: remove the link ({shell('rm', path)}) and {restore}"


def _restore_file(study: Study, relative: str, backup: Path | None) -> str:
    put = str((study.root / relative).parent) + "/"
    if backup is not None and (backup / relative).is_file() and not (backup / relative).is_symlink():
        return f"restore it from the backup: {shell('cp', '-p', backup / relative, put)}"
    return f"restore it from a backup of the study: {shell('cp', '-p', Path('BACKUP', relative), put)}"


LOST = "is gone, yet the session index and the audit log still list it and never recorded it removed (deleted by hand?)"
UNSIGNED = (
    "is gone, and only an audit entry not authenticated with the study key says it went (appended without the "
    "passphrase?)"
)


def _missing(study: Study) -> list[tuple[str, bool, str]]:
    """(folder, whether an unsigned entry says it went, how to restore it) for each session the study knows of whose
    folder is gone and no signed entry records going. A field kit is given the study's index without the sessions
    themselves: nothing is missing there."""
    if study.is_field_kit:
        return []
    entries, _ = study.audit.readable()  # a damaged log is named by the log's own check
    gone, signed = departures(entries), departures(entries, study.audit.vouches)
    backup = _last_backup(entries)
    # a rename cut off after its folder moved: her sessions are under the new name, and check says to run it again
    renaming = any(layout.participants(study.root).glob(f"*/{layout.RENAMING}"))
    missing = []
    for folder in sorted(_known(study, entries)):
        if (study.root / folder).is_symlink() or (study.root / folder).exists():
            continue  # a link in its place is ``linked``'s
        if signed.why(f"{folder}/{layout.AUDIO}") is not None:
            continue
        if renaming and not (study.root / folder).parent.exists():
            continue
        missing.append((folder, gone.why(f"{folder}/{layout.AUDIO}") is not None, _restore(study, folder, backup)))
    return missing


def _known(study: Study, entries: list[dict[str, Any]]) -> set[str]:
    try:
        indexed = set(read_index(study.root))
    except FieldvaultError:
        indexed = set()  # a damaged index is named on its own
    made = {
        f"{details['pseudonym']}/{details['session']}"
        for entry in entries
        if entry.get("action") in _MADE
        and isinstance(details := entry.get("details"), dict)
        and "origin" not in details
        and isinstance(details.get("pseudonym"), str)
        and isinstance(details.get("session"), str)
    }
    return {f"{layout.PARTICIPANTS}/{key}" for key in indexed | made if _plain(key)}


def _numbered(study: Study, entries: list[dict[str, Any]]) -> set[str]:
    """The participants an export entry the study key did not disown records keeping placeholder numbers for."""
    return {
        details["pseudonym"]
        for entry in entries
        if entry.get("action") == "export"
        and isinstance(details := entry.get("details"), dict)
        and details.get("numbers") == layout.PLACEHOLDERS
        and isinstance(details.get("pseudonym"), str)
        and _plain(f"{details['pseudonym']}/x")
        and study.audit.vouches(entry) is not False
    }


def _plain(key: str) -> bool:
    parts = key.split("/")
    return len(parts) == 2 and all(part and part not in (".", "..") and not part.startswith(".") for part in parts)


def _last_backup(entries: list[dict[str, Any]]) -> Path | None:
    """Where the study's last backup went (``backupsmade``: an older entry's own path is relative to where it ran, read
    from here); None where this computer does not know."""
    backups = [e for e in entries if e.get("action") == "backup" and isinstance(e.get("details"), dict)]
    out = backupsmade.folder(backups[-1]) if backups else None
    return Path(out).absolute() if out is not None else None


def _restore(study: Study, folder: str, backup: Path | None) -> str:
    put = str((study.root / folder).parent) + "/"
    if backup is not None and (backup / folder).is_dir():
        return f"restore it from the backup: {shell('cp', '-a', backup / folder, put)}"
    aside = None if backup is None else backup / layout.AWAITING_AUTHENTICATION / folder
    if aside is not None and aside.is_dir():  # set aside there by a backup without the key (QA T13)
        return f"restore it from the backup, which set it aside: {shell('cp', '-a', aside, put)}"
    return f"restore it from a backup of the study: {shell('cp', '-a', Path('BACKUP', folder), put)}"


def restore_file_hint(study: Study, relative: str) -> str:
    """How to restore the study file ``relative`` from the last backup the log records (or any backup)."""
    return _restore_file(study, relative, _last_backup(study.audit.readable()[0]))
