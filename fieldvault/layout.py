"""Where everything lives in a study folder: the one module that spells its folder and file names.

A study root holds study.toml, audit.jsonl, keys/ and participants/<pseudonym>/<session>/; every other
module asks this one for a path instead of joining names by hand. It never reads or writes a file.
"""

from __future__ import annotations

from pathlib import Path

STUDY_FILE = "study.toml"
AUDIT_FILE = "audit.jsonl"
AUDIT_KEY = "audit.key"  # a field kit's forward key for its next log entry (auditratchet)
KIT_IMPORTS_KEY = "imports.key"  # a field kit's key for the digests of the files it imported (kitimports)
KEYS = "keys"
PARTICIPANTS = "participants"
STUDY_IDENTIFIERS = "identifiers.json.age"  # the study-wide list of identifiers, at the root
GUIDE = "interview_guide.toml"  # a study's own interview guide, overriding the template
QUESTIONNAIRE = "questionnaire.toml"  # a study's own questionnaire, overriding the template
JOURNAL = "journal"  # the reflexive journal: <date>-<n>.md.age
JOURNAL_DRAFT = "draft-{id}.md.age"  # in JOURNAL: an entry typed and not saved yet, one per journal screen (drafts)
JOURNAL_SET_ASIDE = "discarded-{id}.md.age"  # in JOURNAL: a draft discarded, set aside, never offered again (drafts)
BACKUP_MARKER = ".fieldvault-backup.json"  # at a backup's root: which study it copies
# At a backup's root: files the study's log says were removed, by entries a backup without the key could not check
# (stewardship.backup); no study data, never copied into a study's backup, settled by `backup --authenticate`.
AWAITING_AUTHENTICATION = ".awaiting-authentication"
SESSION_INDEX = "sessions.json"  # plaintext: pseudonym/session -> kind (and, in a kit, the study's state)

# In a participant's folder.
PROFILE = "profile.json.age"
IDENTIFIERS = "identifiers.json.age"
# On a field kit: names she gave at a follow-up, sealed alone (the kit cannot read her list); merge-kit adds them to it
ADDED_IDENTIFIERS = "identifiers-added-{n}.json.age"
# A random id in plaintext: it tells a kit's participant from a namesake, so the same person comes back
# from the field again and again. It says nothing about who she is.
PARTICIPANT_ID = "participant.id"
PLACEHOLDERS = "placeholders.json.age"  # the [PERSON n] numbers exports gave her people (export.placeholders)

# In a session's folder.
AUDIO = "audio.wav.age"
EVENTS = "events.json.age"
EVENTS_JOURNAL = "events.d"  # one sealed file per marker or note while recording; gathered into EVENTS
EVENTS_JOURNAL_START = "info.json.age"  # in EVENTS_JOURNAL, beside the numbered event files
TRANSCRIPT = "transcript.json.age"
VERSIONS = "versions"  # a session's saved transcript versions and the editor's autosave
MERGING = ".merging"  # merge-kit's staging folder at the study's root, ".merging-<pid>"
MERGE_STAGED = "field-kit.staging"  # the signed entry naming that folder and what it stages, before it is made
IMPORTING = ".importing-"  # an import's staging folder at the study's root, renamed into place whole (importstaging)
RENAMING = ".renaming"  # in a participant's folder while `participant rename` re-seals her records
DESTROYING = ".destroying"  # what a retention destruction set aside, at the study's root: ".destroying-<hex>"
REDACTIONS = "redactions.json.age"
LOCK = "recording.lock"
SESSION_INFO = "session.json.age"  # the kind of session and, for a later one, consent confirmed again
FIELD_NOTES = "fieldnotes-{n}.md.age"  # post-interview field notes, one file per save
FIELD_NOTES_DRAFT = "fieldnotes-draft-{id}.md.age"  # field notes typed and not saved yet, one per notes screen (drafts)
FIELD_NOTES_SET_ASIDE = "fieldnotes-discarded-{id}.md.age"  # a draft of them discarded, set aside (drafts)


def participants(root: Path) -> Path:
    return root / PARTICIPANTS


def participant(root: Path, pseudonym: str) -> Path:
    return root / PARTICIPANTS / pseudonym


def session(root: Path, pseudonym: str, session_id: str) -> Path:
    return root / PARTICIPANTS / pseudonym / session_id


def transcripts(root: Path, pseudonym: str) -> list[Path]:
    """The current transcript of each of her sessions, oldest session first."""
    return sorted(participant(root, pseudonym).glob(f"*/{TRANSCRIPT}"))


def timed_sessions(root: Path) -> list[Path]:
    """Every session folder of every participant that holds a sealed timeline, in order."""
    return sorted(path.parent for path in participants(root).glob(f"*/*/{EVENTS}"))


def untimed(folder: Path) -> bool:
    """A session with a recording and nothing a recorder leaves to tell whose it is: no sealed timeline, and no lock or
    event journal of a recording cut off (which `recover` seals). The recorder and `import` always write one (QA J3)."""
    present = {p.name for p in folder.iterdir()}
    return AUDIO in present and not present & {EVENTS, LOCK, EVENTS_JOURNAL}
