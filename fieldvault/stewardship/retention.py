"""The study's retention policy and what it says is due for destruction.

The policy lives in study.toml under ``[settings.retention]``: how many years the data is kept after
the study ends, the end date, and how many days after its transcript is reviewed a session's audio is
destroyed (many protocols destroy recordings once the transcript is verified). What is due is read from
file names and the audit log, so listing needs no key; destroying needs none either.
"""

from __future__ import annotations

import itertools
import os
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from fieldvault import layout
from fieldvault.agefile.header import payload_id
from fieldvault.atomicfile import held_alone, sync_folder
from fieldvault.audit import entry_time
from fieldvault.errors import BadInput, BadStudyFile
from fieldvault.overview import UNREVIEWS
from fieldvault.participantid import participant_id
from fieldvault.sessionopen import held_for_move
from fieldvault.stewardship.inventory import refuse_during_recording
from fieldvault.stewardship.shred import shred_recorded, shred_tree
from fieldvault.study import Study

KEEP = "keep"  # audio_after_review: keep audio until the whole study is destroyed
# What the end of retention destroys: every participant's data, the journal, the study-wide identifiers and
# the session index. study.toml, the keys and the audit log stay, so the log can still be verified.
STUDY_DATA = (layout.PARTICIPANTS, layout.JOURNAL, layout.STUDY_IDENTIFIERS, layout.SESSION_INDEX)


@dataclass(frozen=True)
class Policy:
    years: int | None = None  # kept this many years after the study ends
    study_ends: date | None = None
    audio_days_after_review: int | None = None  # None: audio is kept as long as the rest

    @property
    def destroy_after(self) -> date | None:
        if self.years is None or self.study_ends is None:
            return None
        try:
            return self.study_ends.replace(year=self.study_ends.year + self.years)
        except ValueError:  # 29 February
            return self.study_ends.replace(year=self.study_ends.year + self.years, day=28)

    def to_settings(self) -> dict[str, object]:
        table: dict[str, object] = {}
        if self.years is not None:
            table["years"] = self.years
        if self.study_ends is not None:
            table["study_ends"] = self.study_ends.isoformat()
        table["audio_after_review"] = KEEP if self.audio_days_after_review is None else self.audio_days_after_review
        return table


def policy(study: Study) -> Policy:
    table = study.config.settings.get("retention", {})
    if not isinstance(table, dict):
        raise BadStudyFile("study.toml: [settings.retention] must be a table; fix it by hand")
    try:
        years = table.get("years")
        ends = table.get("study_ends")
        audio = table.get("audio_after_review", KEEP)
        return Policy(
            None if years is None else int(years),
            None if ends is None else date.fromisoformat(str(ends)),
            None if audio == KEEP else int(audio),
        )
    except (TypeError, ValueError) as err:
        raise BadStudyFile(f"study.toml: [settings.retention] is malformed ({err}); fix it by hand") from None


def set_policy(study: Study, new: Policy) -> None:
    for value in (new.years, new.audio_days_after_review):
        if value is not None and value < 0:
            raise BadInput("retention years and days cannot be negative")
    study.save_settings({**study.config.settings, "retention": new.to_settings()})
    study.audit.append("retention.policy", reason=describe(new))


def describe(rules: Policy) -> str:
    """The policy in one line, for the CLI, the report and the audit log."""
    keep = (
        f"data kept {rules.years} years after the study ends ({rules.study_ends or 'end date not set'})"
        if rules.years is not None
        else "no retention period set"
    )
    if rules.destroy_after is not None:
        keep += f", destroyed on {rules.destroy_after}"
    audio = (
        "audio kept as long as the data"
        if rules.audio_days_after_review is None
        else f"audio destroyed {rules.audio_days_after_review} days after its transcript is reviewed"
    )
    return f"{keep}; {audio}"


@dataclass(frozen=True)
class Due:
    kind: str  # "audio" or "study"
    what: str  # pseudonym/session, or the study's data folders
    on: date
    reason: str
    paths: tuple[Path, ...]


def _reviewed_since_transcribed(study: Study) -> dict[tuple[str, str], date]:
    """Per session, when its current transcript was reviewed (a new version or decision undoes it). With the study
    key in use, only a review it signed starts the clock: one line anyone appended, dated months back, made
    `retention --destroy` take a recording never reviewed, and the backups followed (QA X2). Without the key (the
    listing, `retention DIR`) a review with no mac at all counts neither: --destroy would never take it, and the
    listing called that forged line's recording due (X2's words); one with a mac the key did not write, check refuses.
    Anything that undoes a review counts signed or not: it can only keep a recording longer."""
    reviewed: dict[tuple[str, str], date] = {}
    for entry in study.audit.entries():
        details = entry.get("details")
        if not isinstance(details, dict) or "session" not in details:
            continue
        key = (str(details.get("pseudonym")), str(details["session"]))
        if entry.get("action") in UNREVIEWS:
            reviewed.pop(key, None)
        elif entry.get("action") == "redaction.reviewed" and (
            study.audit.signed_by_key(entry) if study.audit.keyed else "mac" in entry
        ):
            reviewed[key] = datetime.fromisoformat(str(entry["time"])).date()
    return reviewed


def schedule(study: Study) -> list[Due]:
    """Everything the policy will destroy, with its date, due or not."""
    rules = policy(study)
    found = []
    if rules.audio_days_after_review is not None:
        for (pseudonym, session), when in sorted(_reviewed_since_transcribed(study).items()):
            folder = layout.session(study.root, pseudonym, session)
            audio = sorted(folder.glob(f"{layout.AUDIO}*")) if folder.is_dir() else []
            if audio:
                found.append(
                    Due("audio", f"{pseudonym}/{session}", when + timedelta(days=rules.audio_days_after_review),
                        f"audio {rules.audio_days_after_review} days after the transcript was reviewed on {when}",
                        tuple(audio))
                )  # fmt: skip
    end = rules.destroy_after
    if end is not None:
        held = tuple(study.root / name for name in STUDY_DATA if (study.root / name).exists())
        if any(p.is_file() or any(p.iterdir()) for p in held):
            found.append(
                Due("study", "all participant data, the journal and the study-wide identifiers", end,
                    f"{rules.years} years after the study ended on {rules.study_ends}", held)
            )  # fmt: skip
    return found


def due(study: Study, today: date) -> list[Due]:
    return [item for item in schedule(study) if item.on <= today]


def changed_by_hand(study: Study) -> str | None:
    """Why study.toml's retention policy is not the one `fieldvault retention` last set (the audit log's last
    "retention.policy" entry, signed with the study key when the key is in use), or None. The policy is
    plaintext in study.toml: an edit by hand, a sync conflict or anyone who can write the folder could make the
    whole study due (QA F25)."""
    # With the key, only an entry with a mac of its own counts: a line appended without it does not (QA F27).
    entries = study.audit.facts()
    last = next((e for e in reversed(entries) if e.get("action") == "retention.policy"), None)
    now = describe(policy(study))
    if last is None:
        return f"no retention policy was ever set with `fieldvault retention` (study.toml says: {now})"
    details = last.get("details")
    recorded = details.get("reason") if isinstance(details, dict) else None
    if recorded != now:
        return f"study.toml says {now!r}, but the policy last set was {recorded!r}"
    return None


CLOCK_CONFIRMED = "retention.clock-confirmed"  # details: reason (the date typed)
AHEAD = timedelta(days=366)  # a study with no entry of its own for longer asks for the date to be confirmed
BEHIND = timedelta(days=1)


def clock_doubt(study: Study, today: str | None) -> str | None:
    """Why the clock cannot be trusted to destroy by, else None (QA S15: a steward's laptop set to 2036 destroyed
    every woman's data as if the study's time were up, and the backups followed). Doubted where it says a time before
    the study's own last entry, or more than a year after it, unless ``today`` (typed, YYYY-MM-DD) says the same date
    as the clock. A kit's entries merged into the log carry the kit's clock: only the study's own entries count. The
    wrong clock writes entries too (any command run at it, a `check`): where the study's own entries leap forward by
    more than a year and no date typed since confirmed it (``CLOCK_CONFIRMED``, signed where the key is in use), the
    last entry before the leap is the one the clock is judged by (QA W9)."""
    now = study.clock()
    entries = study.audit.entries()
    own = [
        when
        for entry in entries
        if not (isinstance(entry.get("details"), dict) and "origin" in entry["details"])
        and entry.get("action") not in ("backup.entry", CLOCK_CONFIRMED)
        and (when := entry_time(entry)) is not None
    ]
    last = max(own, default=None)
    leap = _unconfirmed_leap(study, own)
    if leap is not None:
        last = leap[0]
    if last is None or (now - last <= AHEAD and last - now <= BEHIND):
        return None
    if today == now.date().isoformat() and now > last:
        return None
    then = f"if it is right, run again with --today {now:%Y-%m-%d}" if now > last else "set it, then run again"
    leapt = (
        f" (its entries leap from then to {leap[1]:%Y-%m-%d}, no date typed since: a clock set ahead writes entries "
        "too)"
        if leap is not None
        else ""
    )
    return (
        f"this computer's clock says {now:%Y-%m-%d}, and the study's last entry of its own is from {last:%Y-%m-%d}"
        f"{leapt}: a wrong clock would destroy what is not due. Check the date; {then}"
    )


def _unconfirmed_leap(study: Study, own: list[datetime]) -> tuple[datetime, datetime] | None:
    """The times on either side of the newest leap forward of more than ``AHEAD`` between two of the study's own
    entries (in the log's order), where no date typed since confirms the clock; None where there is none."""
    confirmed = study.audit.facts()
    since = max(
        (when for e in confirmed if e.get("action") == CLOCK_CONFIRMED and (when := entry_time(e)) is not None),
        default=None,
    )
    for before, after in reversed(list(itertools.pairwise(own))):
        if since is not None and after <= since:
            return None
        if after - before > AHEAD:
            return before, after
    return None


def confirm_clock(study: Study, today: str | None) -> None:
    """Record the date typed with --today where it confirmed the clock across a leap (with the study key in use), so
    the next destruction at that clock goes on without it."""
    if today is not None and today == study.clock().date().isoformat():
        study.audit.append(CLOCK_CONFIRMED, reason=f"the date typed with --today: {today}")


def destroy(study: Study, items: list[Due]) -> int:
    """Destroy what is due; returns the number of files destroyed. Each item is audited. Refused when study.toml's
    policy is not the one last set with `fieldvault retention` (QA F25)."""
    changed = changed_by_hand(study)
    if changed is not None:
        raise BadInput(
            f"nothing was destroyed: the retention policy in study.toml was changed by hand ({changed}); set it "
            "with `fieldvault retention DIR --years N --study-ends YYYY-MM-DD`, then destroy"
        )
    refuse_during_recording(study, "destroy data")
    with ExitStack() as held:  # no editor, review or transcription elsewhere works on what goes (QA E19)
        for folder in _sessions_of(study, items):
            held.enter_context(held_for_move(folder, then="destroy its data"))
        return _destroy(study, items)


def _sessions_of(study: Study, items: list[Due]) -> list[Path]:
    """The session folders what is due lies in: an audio item's own, every session for the study's data."""
    if any(item.kind != "audio" for item in items):
        return sorted(p for p in layout.participants(study.root).glob("*/*") if p.is_dir() and not p.is_symlink())
    return sorted({path.parent for item in items for path in item.paths})


def _destroy(study: Study, items: list[Due]) -> int:
    """Each item is audited, with the payloads of its files (so a field kit's copies never merge back: QA F11) and
    its pending folder, before its first file goes; its files are then set aside under that folder and destroyed.
    A destruction cut off part-way is finished when the study is next unlocked (``finish_interrupted``)."""
    count = 0
    for item in items:
        pending = study.root / f"{layout.DESTROYING}-{os.urandom(8).hex()}"
        pending.mkdir(mode=0o700)
        with held_alone(pending, os.O_RDONLY | os.O_DIRECTORY):
            files = [
                p for path in item.paths for p in ([path] if path.is_file() else sorted(path.rglob("*"))) if p.is_file()
            ]
            payloads = " ".join(sorted({found for path in files if (found := payload_id(path))}))
            if item.kind == "audio":
                pseudonym, _, session = item.what.partition("/")
                study.audit.append(
                    "retention.destroy", pseudonym=pseudonym, session=session, file=layout.AUDIO,
                    count=len(item.paths), reason=item.reason, payloads=payloads, pending=pending.name,
                )  # fmt: skip
            else:
                ids = sorted(
                    {found for folder in layout.participants(study.root).glob("*") if (found := participant_id(folder))}
                )
                study.audit.append(
                    "retention.destroy", file=", ".join(STUDY_DATA), count=len(files), reason=item.reason,
                    payloads=payloads, participants=" ".join(ids), pending=pending.name,
                )  # fmt: skip
            for n, path in enumerate(item.paths):
                path.rename(pending / f"{n}-{path.name}")
                if item.kind != "audio" and path.name in (layout.PARTICIPANTS, layout.JOURNAL):
                    path.mkdir(mode=0o700)  # the study goes on holding (empty) folders of its own
            sync_folder(study.root)
            destroyed = shred_tree(pending)
        count += destroyed
        study.audit.append("retention.done", count=destroyed, pending=pending.name)
    return count


def finish_interrupted(study: Study) -> int:
    """Destroy what a retention destruction cut off part-way set aside (run when the study is unlocked with the study
    key: QA F11, Y3); one still under way in another process holds its folder and is left to it. Returns files
    destroyed."""
    count = 0
    found = [p for p in sorted(study.root.glob(f"{layout.DESTROYING}-*")) if p.is_dir() and not p.is_symlink()]
    named = {  # a destruction records its pending folder, and the payloads it moves there, before it moves a file
        str(e["details"].get("pending")): set(str(e["details"].get("payloads", "")).split())
        for e in (study.audit.facts() if found else ())
        if e.get("action") == "retention.destroy" and isinstance(e.get("details"), dict)
    }
    for pending in found:
        if pending.name not in named:  # made by hand: her folder moved there was shredded at the next open (QA Y3)
            study.tell_once(
                f"{pending.name}: no destruction under the retention policy set it aside, so nothing of it was "
                f"destroyed (made by hand?); put back what it holds where it belongs, then delete it"
            )
            continue
        with held_alone(pending, os.O_RDONLY | os.O_DIRECTORY) as ours:
            if not ours:
                continue
            destroyed, kept = shred_recorded(pending, named[pending.name])
            count += destroyed
            if kept:  # her files moved by hand into the folder of a destruction the log shows, ended long ago
                study.tell_once(
                    f"{pending.name}: {len(kept)} file(s) there are none the destruction that made it recorded (put "
                    "there by hand?): kept, not destroyed; put back what it holds where it belongs, then delete it"
                )
            else:
                study.audit.append("retention.done", count=destroyed, pending=pending.name)
    return count


def destroyed_ids(study: Study) -> set[str]:
    """The participant ids whose data the end of retention destroyed: a field kit made before brings none back.
    With the study key in use, only destructions it signed (`retention --destroy` needs the key): one line anyone
    appended naming her id made merge-kit leave her kit follow-up out and say "wipe this kit" (QA X3)."""
    found: set[str] = set()
    for entry in study.audit.facts():
        details = entry.get("details")
        if entry.get("action") == "retention.destroy" and isinstance(details, dict):
            found.update(str(details.get("participants", "")).split())
    return found
