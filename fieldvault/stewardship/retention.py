"""The study's retention policy and what it says is due for destruction.

The policy lives in study.toml under ``[settings.retention]``: how many years the data is kept after
the study ends, the end date, and how many days after its transcript is reviewed a session's audio is
destroyed (many protocols destroy recordings once the transcript is verified). What is due is read from
file names and the audit log, so listing needs no key; destroying needs none either.
"""

from __future__ import annotations

from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from fieldvault import layout
from fieldvault.agefile.header import payload_id
from fieldvault.errors import BadInput, BadStudyFile
from fieldvault.overview import UNREVIEWS
from fieldvault.sessionopen import held_for_move
from fieldvault.stewardship.inventory import refuse_during_recording
from fieldvault.stewardship.shred import shred_file, shred_tree
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
    """Per session, when its current transcript was reviewed (a new version or decision undoes it)."""
    reviewed: dict[tuple[str, str], date] = {}
    for entry in study.audit.entries():
        details = entry.get("details")
        if not isinstance(details, dict) or "session" not in details:
            continue
        key = (str(details.get("pseudonym")), str(details["session"]))
        if entry.get("action") in UNREVIEWS:
            reviewed.pop(key, None)
        elif entry.get("action") == "redaction.reviewed":
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


def destroy(study: Study, items: list[Due]) -> int:
    """Destroy what is due; returns the number of files destroyed. Each item is audited."""
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
    count = 0
    for item in items:
        if item.kind == "audio":
            # which files, by payload, as a withdrawal records them: a kit's copy never merges back
            payloads = " ".join(sorted({found for path in item.paths if (found := payload_id(path))}))
            for path in item.paths:
                shred_file(path)
                count += 1
            pseudonym, _, session = item.what.partition("/")
            study.audit.append(
                "retention.destroy", pseudonym=pseudonym, session=session, file=layout.AUDIO, count=len(item.paths),
                reason=item.reason, payloads=payloads,
            )  # fmt: skip
        else:
            destroyed = 0
            for path in item.paths:
                if path.is_dir():
                    destroyed += shred_tree(path)
                    path.mkdir(mode=0o700)
                else:
                    shred_file(path)
                    destroyed += 1
            count += destroyed
            study.audit.append("retention.destroy", file=", ".join(STUDY_DATA), count=destroyed, reason=item.reason)
    return count
