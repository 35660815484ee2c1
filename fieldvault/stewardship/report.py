"""The data-management report an IRB asks for: what is stored, for whom, who opened it, what was
destroyed, and what is due. Markdown or DOCX.

It holds pseudonyms, session ids, dates, durations, counts and key names only: no identifier, no
questionnaire answer, no transcript text. A withdrawn participant appears only as "a participant".
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from fieldvault import atomicfile, backupsmade, layout, timecode
from fieldvault.agefile import Identity
from fieldvault.audit import ON_BACKUP
from fieldvault.errors import BadInput, FieldvaultError
from fieldvault.questionnaire import Questionnaire
from fieldvault.stewardship import retention
from fieldvault.stewardship.backup import CUT_ENTRY
from fieldvault.stewardship.inventory import walk
from fieldvault.study import Study
from fieldvault.suggested import command

# Audited actions that put plaintext in someone's hands (on screen, in memory or in a file).
ACCESS = {
    "decrypt": "decrypted a file",
    "export": "exported",
    "keys.export-identity": "wrote the study identity in plaintext",
    "transcribe": "decrypted audio to transcribe it",
    "transcript.viewed": "printed a transcript",
    "transcript.saved": "edited a transcript",
    "session.move": "moved a session to another participant (re-sealing its records)",
}
# Audited actions after which an older backup still holds what the study no longer has.
DESTRUCTIVE = {
    "withdraw.done": "a participant's withdrawal",
    "retention.destroy": "destruction under the retention policy",
    "session.remove": "the removal of a session",
    "keys.remove-recipient.done": "the removal of a recipient",
}


Entry = dict[str, object]
Row = tuple[str, ...]


@dataclass(frozen=True)
class Table:
    headers: Row
    rows: Sequence[Row]


@dataclass
class Section:
    heading: str
    blocks: list[str | Table] = field(default_factory=list)


@dataclass(frozen=True)
class Report:
    title: str
    sections: list[Section]

    def to_markdown(self) -> str:
        lines = [f"# {self.title}", ""]
        for section in self.sections:
            lines += [f"## {section.heading}", ""]
            for block in section.blocks:
                if isinstance(block, Table):
                    lines.append("| " + " | ".join(block.headers) + " |")
                    lines.append("|" + "---|" * len(block.headers))
                    lines += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in block.rows]
                else:
                    lines.append(block)
                lines.append("")
        return "\n".join(lines)

    def to_docx(self) -> bytes:
        from docx import Document

        document = Document()
        document.add_heading(self.title, level=0)
        for section in self.sections:
            document.add_heading(section.heading, level=1)
            for block in section.blocks:
                if isinstance(block, Table):
                    table = document.add_table(rows=1, cols=len(block.headers))
                    table.style = "Table Grid"
                    for cell, text in zip(table.rows[0].cells, block.headers, strict=True):
                        cell.text = text
                    for row in block.rows:
                        for cell, text in zip(table.add_row().cells, row, strict=True):
                            cell.text = text
                else:
                    document.add_paragraph(block)
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()


def _entries(study: Study) -> list[Entry]:
    """The entries taken as fact: with the study key in use, none of an action only it writes that it did not sign
    (QA X12: a forged withdrawal and two exports to a USB stick were reported to the IRB as done). The overview's
    line on the log names those left out."""
    return [e for e in study.audit.facts() if isinstance(e.get("details"), dict)]


def _sessions(details: Entry) -> str:
    """ "N session(s)", or words for an entry that does not say how many (never "None session(s)": QA X12)."""
    count = details.get("sessions")
    return f"{count} session(s)" if isinstance(count, int) else "her sessions (how many, the entry does not say)"


def _details(entry: Entry) -> Entry:
    details = entry["details"]
    assert isinstance(details, dict)
    return details


def _day(entry: Entry) -> str:
    return str(entry["time"])[:10]


def _withdrawn(entries: list[Entry]) -> set[str]:
    return {str(_details(e).get("pseudonym")) for e in entries if e["action"] == "withdraw"}


def _hide(text: str, shown: dict[str, str]) -> str:
    """Each pseudonym as the report shows it: a withdrawn participant's as "(withdrawn)" (the audit log keeps
    the full text for the PI), one that matches an identifier as the stand-in every export gives her."""
    for pseudonym, instead in shown.items():
        text = re.sub(rf"(?<![^\W_]){re.escape(pseudonym)}(?![^\W_])", instead, text)
    return text


def _shown(study: Study, identities: Sequence[Identity], withdrawn: set[str]) -> dict[str, str]:
    from fieldvault.export.gate import public_names

    public = {p: name for p, name in public_names(study, identities).items() if name != p}
    return public | {p: "(withdrawn)" for p in withdrawn}


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    return timecode.elapsed(round(seconds))


def _session_rows(study: Study, identities: Sequence[Identity], entries: list[Entry]) -> list[Row]:
    from fieldvault.events import load_events
    from fieldvault.redact.review import Redactions, transcript_digest
    from fieldvault.redact.review import path_of as redactions_path
    from fieldvault.sessionmove import moved_sessions, where_now
    from fieldvault.transcript import read_transcript

    moved = moved_sessions(study)
    exports: dict[tuple[str, str], int] = {}
    for entry in entries:
        details = _details(entry)
        if entry["action"] == "export" and "session" in details:
            exported_as, session_id = str(details.get("pseudonym")), str(details["session"])
            key = (where_now(moved, exported_as, session_id) or exported_as, session_id)  # exported, then moved
            exports[key] = exports.get(key, 0) + 1
    rows: list[Row] = []
    for pseudonym in study.participant_names():
        folder = layout.participant(study.root, pseudonym)
        for session in sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")):
            seconds: float | None = None
            if (session / layout.EVENTS).exists() or (session / layout.EVENTS_JOURNAL).is_dir():
                duration = load_events(study, session, identities).info.get("duration")
                seconds = float(duration) if isinstance(duration, int | float) else None
            reviewed = "no"
            versions = len(list(session.glob("transcript-*.json.age"))) + max(
                len(list(session.glob("versions/[0-9]*.json.age"))), int((session / layout.TRANSCRIPT).exists())
            )
            if (session / layout.TRANSCRIPT).exists():
                transcript = read_transcript(study, session / layout.TRANSCRIPT, identities)
                seconds = seconds if seconds is not None else transcript.audio_seconds
                marks = redactions_path(study, pseudonym, session.name)
                if marks.exists():
                    decided = Redactions.from_json(study.read(marks, identities), str(marks))
                    current = decided.transcript_sha256 == transcript_digest(transcript)
                    reviewed = "yes" if decided.reviewed and current else "no"
            rows.append(
                (
                    pseudonym, session.name, _duration(seconds),
                    "yes" if (session / layout.AUDIO).exists() else "no",
                    str(versions) if versions else "no", reviewed, str(exports.get((pseudonym, session.name), 0)),
                )
            )  # fmt: skip
    return rows


def _consent_rows(study: Study, identities: Sequence[Identity], entries: list[Entry], withdrawn: set[str]) -> list[Row]:
    from fieldvault.participants import issued_letters, load_profile

    added = {str(_details(e).get("pseudonym")): e for e in entries if e["action"] == "participant.add"}
    issued = issued_letters(study)
    asked = {f.name for f in Questionnaire.for_study(study.root).fields}
    rows: list[Row] = []
    for pseudonym in study.participant_names():
        if pseudonym in withdrawn:
            rows.append(("(withdrawn)", "withdrew; only reviewed, de-identified transcripts kept", "-", "-"))
        elif (layout.participant(study.root, pseudonym) / layout.PROFILE).exists():
            profile = load_profile(study, pseudonym, identities)
            consent, version = profile.consent, profile.consent.letter_version
            if version not in issued:  # changed on a field kit (QA F21)
                version += " (NOT a letter this study issued)"
            unasked = len(set(profile.answers) - asked)  # asked on a kit whose questionnaire was changed (QA K14 B)
            method = consent.method + (
                f"; she answered {unasked} question(s) NOT on the study's questionnaire" if unasked else ""
            )
            rows.append((pseudonym, method, version, consent.given_at[:10]))
        elif pseudonym in added:
            details = _details(added[pseudonym])
            rows.append(
                (pseudonym, str(details.get("method", "-")), str(details.get("version", "-")), _day(added[pseudonym]))
            )
        else:
            rows.append((pseudonym, "no consent record found", "-", "-"))
    return rows


def _recipients(study: Study, entries: list[Entry]) -> Table:
    added: dict[str, str] = {}
    removed: dict[str, str] = {}
    for entry in entries:
        details = _details(entry)
        if entry["action"] == "study.init":
            added.setdefault(study.config.recipients[0].key, _day(entry))
        elif entry["action"] == "keys.add-recipient":
            added[str(details.get("recipient"))] = _day(entry)
        elif entry["action"] == "keys.remove-recipient":
            removed[str(details.get("recipient"))] = _day(entry)
    names = {
        str(_details(e).get("recipient")): str(_details(e).get("name")) for e in entries if "recipient" in _details(e)
    }
    current = {r.key: r.name for r in study.config.recipients}
    rows = [(name, key[:16] + "…", added.get(key, "-"), "-") for key, name in current.items()]
    rows += [
        (names.get(k, "?"), k[:16] + "…", added.get(k, "-"), when) for k, when in removed.items() if k not in current
    ]
    return Table(("name", "key", "added", "removed"), rows)


def _backup_shown(where: str, shown: dict[str, str], naming: Callable[[str], bool]) -> str:
    """Where an entry was written (a backup, as ``backupsmade.shown`` finds its folder; a kit): a path naming a
    participant is not printed (QA Z9: a backup's folder named after her, remembered on this computer)."""
    folder = backupsmade.shown(where)
    return "[a path naming a participant]" if naming(folder) else _hide(folder, shown)


def _access(entries: list[Entry], shown: dict[str, str], naming: Callable[[str], bool]) -> Table:
    """``naming``: whether a path names a participant (gate.refuse_named's rule): an export made before exports
    refused such paths wrote one into the log ("x_Tromso"), and the report goes to an IRB (QA T7)."""
    rows: list[Row] = []
    for entry in entries:
        action = str(entry["action"])
        details = _details(entry)
        where = ""
        if "origin" in details and str(details.get("origin_action")) in ACCESS:
            # done on a backup (or elsewhere), audited in that log and taken into the study's (QA J2's rest: a
            # decrypt made on a backup was missing here); when and who as that log says, and where
            entry = {**entry, "time": details.get("origin_time", ""), "actor": details.get("origin_actor", "")}
            origin = _backup_shown(str(details["origin"]), shown, naming)
            restored = str(entry["action"]) == CUT_ENTRY  # done on the study; its entry came back from a backup
            action, where = str(details["origin_action"]), f" ({'restored from' if restored else 'on'} {origin})"
        elif ON_BACKUP in details:  # written in a backup's own log, which became this study's when restored
            where = f" (on {_backup_shown(str(details[ON_BACKUP]), shown, naming)})"
        if action not in ACCESS or (action == "export" and "out" not in details):
            continue  # an export's own line names where it went; those after it, each session or row it held
        if action == "export":
            out = (
                "[a path naming a participant]"
                if naming(str(details.get("out")))
                else _hide(str(details["out"]), shown)
            )
            unit = "participant(s)" if details.get("format") == "demographics" else "session(s)"
            what = f"{details.get('count', '?')} {unit} as {details.get('format')} to {out}"
        elif action in ("transcribe", "transcript.viewed", "transcript.saved"):
            what = f"{_hide(str(details.get('pseudonym')), shown)}/{details.get('session')}"
        elif action == "session.move":
            what = (
                f"{_hide(str(details.get('moved_from')), shown)}/{details.get('session')} to "
                f"{_hide(str(details.get('pseudonym')), shown)}"
            )
        else:
            what = _hide(str(details.get("file") or details.get("out") or ""), shown)
        rows.append((str(entry["time"]).replace("T", " ")[:16], str(entry["actor"]), ACCESS[action], what + where))
    return Table(("when", "who", "did", "what"), rows)


def _withdrawals(study: Study, entries: list[Entry], shown: dict[str, str]) -> list[str | Table]:
    from fieldvault.stewardship.withdraw import earlier_copies

    blocks: list[str | Table] = []
    for n, entry in enumerate(entries):
        if entry["action"] != "withdraw":
            continue
        details = _details(entry)
        kept = int(str(details.get("kept", 0)))
        pseudonym = details.get("pseudonym")
        # The withdrawal is recorded, with its pending folder ("file"), before her files go and "withdraw.done"
        # after: a destruction cut off (or still under way) is no destruction to report (QA E14). An entry of a
        # version before that has no "file".
        done = "file" not in details or any(
            e["action"] == "withdraw.done" and _details(e).get("pseudonym") == pseudonym for e in entries[n:]
        )
        if not done:
            blocks.append(
                f"{_day(entry)}: a participant withdrew; the destruction of her {details.get('sessions')} session(s) "
                "has not finished (cut off, or under way): open the study again, which finishes it, and run "
                "`fieldvault check`."
            )
        elif aside := _aside(study, f"{layout.PARTICIPANTS}/{pseudonym}/"):  # QA U2: a restore brought them back
            blocks.append(
                f"{_day(entry)}: a participant withdrew; her {_sessions(details)} are NOT all "
                f"destroyed: {aside} file(s) of removed data still in the study folder (in "
                f"{layout.AWAITING_AUTHENTICATION}/, set aside by a backup without the passphrase that the study was "
                f"restored from): run `{command('check', 'STUDY', '--settle')}`."
            )
        else:
            blocks.append(
                f"{_day(entry)}: a participant withdrew; {_sessions(details)} destroyed"
                + (f", {kept} reviewed de-identified transcript(s) kept as the letter allows." if kept else ".")
            )
        copies = earlier_copies(study, str(details.get("pseudonym")))
        if copies:
            blocks.append("Copies made before the withdrawal that held her data; ask their holders to delete them:")
            blocks.append(
                Table(
                    ("made", "by", "how", "where"),
                    [(c.time[:10], c.actor, f"{c.action} ({c.format})", _hide(c.out, shown)) for c in copies],
                )
            )
    named = sum(_aside(study, f"{layout.PARTICIPANTS}/{_details(e).get('pseudonym')}/") for e in entries
                if e["action"] == "withdraw")  # fmt: skip
    other = _aside(study, "") - named
    if other:  # a session removed, audio past retention: said once, beside the withdrawals
        blocks.append(
            f"{other} file(s) of removed data still in the study folder (in {layout.AWAITING_AUTHENTICATION}/, set "
            "aside by a backup without the passphrase that the study was restored from): run "
            f"`{command('check', 'STUDY', '--settle')}`."
        )
    return blocks or ["No participant has withdrawn."]


def _aside(study: Study, under: str) -> int:
    """How many files the study folder's AWAITING folder holds under ``under`` (a folder of the study, "/"-ended;
    "" for all): removed data a backup without the key set aside, in a study restored from it (QA U2)."""
    folder = study.root / layout.AWAITING_AUTHENTICATION
    if not folder.is_dir() or study.on_backup:  # a backup's: its "Backups" row says
        return 0
    return sum(1 for p in walk(folder) if p.is_file() and p.relative_to(folder).as_posix().startswith(under))


ELSEWHERE = "[made on another computer: the log keeps no backup's folder]"


def _backups(entries: list[Entry], naming: Callable[[str], bool]) -> list[str | Table]:
    """Each backup's path as the access table shows an export's: one naming a participant is not printed (QA U10: a
    stick's folder named after the interview it holds). Its entry holds no path (QA Z9): where this computer does not
    remember one (``backupsmade``), the backups made elsewhere share one row, the newest."""
    last: dict[str, Entry] = {}
    for entry in entries:
        if entry["action"] == "backup":
            last[backupsmade.folder(entry) or ELSEWHERE] = entry
    if not last:
        return ["No backup has been made with `fieldvault backup`."]
    rows: list[Row] = []
    for out, entry in last.items():
        seq = int(str(entry["seq"]))
        since = sorted(
            {DESTRUCTIVE[str(e["action"])] for e in entries if e["action"] in DESTRUCTIVE and int(str(e["seq"])) > seq}
        )
        pending = _details(entry).get("pending")
        todo = (
            f"still holds data destroyed since ({', '.join(since)}): run `fieldvault backup --authenticate` to it "
            "again, or destroy it"
            if since
            else f"still holds {pending} file(s) the study's log says were destroyed, set aside until `fieldvault "
            "backup --authenticate` runs to it (a backup without the passphrase destroys nothing)"
            if pending
            else "up to date"
        )
        shown_out = "[a path naming a participant]" if out != ELSEWHERE and naming(out) else out
        rows.append((shown_out, _day(entry), str(_details(entry).get("count")), todo))
    return [Table(("backup", "last brought up to date", "files", "what to delete"), rows)]


def _not_facts(study: Study, entries: list[Entry]) -> Section | None:
    """With the study key in use, the entries left out of the report's facts, each by its line, day and action: lines
    appended without the key of actions only a command holding it writes, or with a mac it did not write (QA X12: a
    forged withdrawal and exports were reported as done). Their details are not printed: they may name anyone."""
    taken = {e["seq"] for e in entries}
    left = [e for e in study.audit.entries() if isinstance(e.get("details"), dict) and e["seq"] not in taken]
    if not left:
        return None
    aside = study.audit.set_aside_in_place()
    rows: list[Row] = [
        (str(e["seq"]), _day(e), str(e["action"]), "yes" if f"{e['seq']}:{e['hash']}" in aside else "not yet")
        for e in left
    ]
    return Section(
        "Appended without the study key: not taken as fact",
        [
            "These lines of the audit log are of actions only a command holding the study key writes, or carry a mac "
            "it did not write: nothing above counts them. Set aside those not yet set aside with "
            f"`{command('check', 'STUDY', '--set-aside-stray-lines')}`.",
            Table(("line", "day", "action", "set aside"), rows),
        ],
    )


def _overview(study: Study, entries: list[Entry], today: date) -> Section:
    config = study.config
    try:
        audit = study.audit.verify().describe().capitalize() + "."
    except FieldvaultError as err:
        audit = f"The audit log does NOT verify: {err}"
    checks = [e for e in entries if e["action"] == "check"]
    checked = (
        f"Last integrity check ({_day(checks[-1])}): {_details(checks[-1]).get('count')} files, "
        f"{_details(checks[-1]).get('failed')} failed."
        if checks
        else "No integrity check has been run (`fieldvault check`)."
    )
    return Section(
        "Study",
        [
            f"Title: {config.title}. IRB: {config.irb or '-'}. Created: {config.created[:10]}. Report of {today}. "
            "Dates are UTC days, as the audit log keeps them.",
            "Every recording, transcript, profile and note is an age v1 file encrypted to the recipients below; "
            "this report holds no identifier and no participant data.",
            audit,
            checked,
        ],
    )


def _retention(study: Study, shown: dict[str, str]) -> Section:
    rows: list[Row] = []
    for item in retention.schedule(study):
        pseudonym, slash, session = item.what.partition("/")
        rows.append((item.on.isoformat(), _hide(pseudonym, shown) + slash + session, item.reason))
    return Section(
        "Retention",
        [
            retention.describe(retention.policy(study)) + ".",
            f"The information letter says: {study.config.letter.get('retention') or '(not filled in)'}.",
            Table(("due", "what", "why"), rows) if rows else "Nothing is scheduled for destruction.",
        ],
    )


def build(study: Study, identities: Sequence[Identity], today: date) -> Report:
    entries = _entries(study)
    withdrawn = _withdrawn(entries)
    shown = _shown(study, identities, withdrawn)

    def naming(path: str) -> bool:
        from fieldvault.export.gate import refuse_named

        try:
            refuse_named(study, identities, Path(path), "the report")
        except BadInput:
            return True
        return False

    sessions = [(_hide(row[0], shown), *row[1:]) for row in _session_rows(study, identities, entries)]
    session_headers = ("participant", "session", "duration", "audio", "transcript versions", "reviewed", "exports")
    consent = [(_hide(row[0], shown), *row[1:]) for row in _consent_rows(study, identities, entries, withdrawn)]
    return Report(
        f"Data-management report: {study.config.title}",
        [
            _overview(study, entries, today),
            Section(
                "Participants and consent", [Table(("participant", "consent", "letter version", "given"), consent)]
            ),
            Section("Sessions", [Table(session_headers, sessions)] if sessions else ["No sessions yet."]),
            Section("Recipients (who can decrypt)", [_recipients(study, entries)]),
            Section("Access: who decrypted or exported what, and when", [_access(entries, shown, naming)]),
            Section("Withdrawals", _withdrawals(study, entries, shown)),
            _retention(study, shown),
            Section("Backups", _backups(entries, naming)),
            *filter(None, [_not_facts(study, entries)]),
        ],
    )


def write_report(study: Study, identities: Sequence[Identity], out: Path, today: date | None = None) -> Report:
    from fieldvault.export.gate import refuse_named

    if out.suffix not in (".md", ".docx"):
        raise BadInput(f"{out.name}: give --out a .md or .docx file")
    study.refuse_inside(out, "the report is plaintext and")
    refuse_named(study, identities, out, "the report's path")
    report = build(study, identities, today or datetime.now(UTC).date())  # the log's days are UTC's (QA S12)
    data = report.to_docx() if out.suffix == ".docx" else report.to_markdown().encode()
    atomicfile.write_new(out, data)
    study.audit.append("report", out=str(out.absolute()), format=out.suffix[1:])
    return report
