"""The study's reflexive journal: dated entries the researcher writes about her own stance and choices.

Each entry is one encrypted Markdown file, ``journal/<date>-<n>.md.age``, written once and never
changed (a later thought is a new entry). A field kit can write entries but read none; the names
(dates) are visible without a key, the text never is. Never writes an entry's text unencrypted.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from fieldvault import layout
from fieldvault.agefile import Identity
from fieldvault.agefile.header import header_id
from fieldvault.errors import BadInput, BadStudyFile
from fieldvault.study import Study

FOLDER = layout.JOURNAL
SUFFIX = ".md.age"
_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})-(\d+)$")
_HEADER = "<!-- fieldvault journal entry; written {written} -->\n"
_HEADER_RE = re.compile(r"^<!-- fieldvault journal entry; written (\S+) -->\n")
MAX_CHARS = 200_000
ADDED = "journal.add"
SOURCE = "source"  # ADDED's detail: ``source_of`` the file the entry was added from


@dataclass(frozen=True)
class JournalEntry:
    name: str  # <date>-<n>, the file's name without .md.age
    written: str  # ISO time, UTC
    text: str

    @property
    def date(self) -> str:
        return self.name.rsplit("-", 1)[0]


def check_text(text: str) -> str:
    """The text as it will be stored, or BadInput saying what is wrong."""
    cleaned = text.strip()
    if not cleaned:
        raise BadInput("the journal entry is empty; write something first")
    if len(cleaned) > MAX_CHARS:
        raise BadInput(f"the journal entry is longer than {MAX_CHARS} characters; split it into several")
    return cleaned


def entry_names(study: Study) -> list[str]:
    """Every entry's name, oldest first, read from file names alone (works on a field kit)."""
    folder = study.root / FOLDER
    if not folder.is_dir():
        return []
    names = []
    for path in folder.iterdir():
        stem = path.name.removesuffix(SUFFIX)
        if path.name.endswith(SUFFIX) and (match := _NAME.match(stem)):
            names.append((match.group(1), int(match.group(2)), stem))
    return [stem for _, _, stem in sorted(names)]


def sealed_entry(written: str, text: str) -> bytes:
    """An entry's plaintext as it is sealed (a draft of one is sealed the same way: fieldvault.drafts)."""
    return (_HEADER.format(written=written) + text + "\n").encode()


def next_name(study: Study) -> str:
    """The name today's next entry takes."""
    date = study.clock().strftime("%Y-%m-%d")
    taken = [int(n.rsplit("-", 1)[1]) for n in entry_names(study) if n.startswith(date + "-")]
    return f"{date}-{max(taken, default=0) + 1}"


def add_entry(study: Study, text: str, source: str | None = None) -> JournalEntry:
    """Encrypt a new entry to the study's recipients and audit that one was written (not what), and the
    ``source_of`` the file it came from, if any."""
    cleaned = check_text(text)
    written = study.clock().isoformat(timespec="seconds")
    name = next_name(study)
    path = study.write_new(f"{FOLDER}/{name}{SUFFIX}", sealed_entry(written, cleaned))
    header = header_id(path) or ""  # a kit's entry replaced under its name is told from the one written (qa27 QC3)
    study.audit.append(ADDED, name=name, header=header, **({SOURCE: source} if source else {}))
    return JournalEntry(name, written, cleaned)


def source_of(path: Path) -> str | None:
    """What tells a regular file that may be unchanged since an entry was added from it (qa25 QA10: the same file
    added twice made two entries): its identity, size and time of change, hashed, never a word of it (adding needs no
    key, and a digest of the words would let anyone holding the folder confirm a guessed text). A hint only: a file
    rewritten in place with as many bytes and its time put back looks the same (qa26 QB5); ``holds`` compares the
    words where a key is at hand. None for a pipe or a device, which no one adds twice by accident."""
    try:
        found = os.stat(path)
    except OSError:
        return None  # reading it says why
    if not stat.S_ISREG(found.st_mode):
        return None
    identity = f"{found.st_dev}:{found.st_ino}:{found.st_size}:{found.st_mtime_ns}"
    return hashlib.sha256(identity.encode()).hexdigest()[:32]


def added_from(study: Study, source: str) -> str | None:
    """The latest entry, still in the journal, that was added from the file ``source_of`` tells, as it is now (a
    file rewritten in place with other words makes a new entry with the same ``source``: the latest holds what it
    says now). Read from the log's whole lines: a damaged line (`check` names it) keeps no entry from being added."""
    names = set(entry_names(study))
    latest = None
    for entry in study.audit.readable()[0]:
        details = entry.get("details")
        if entry.get("action") == ADDED and isinstance(details, dict) and details.get(SOURCE) == source:
            if details.get("name") in names:
                latest = str(details["name"])
    return latest


def holds(study: Study, name: str, text: str, identities: Sequence[Identity]) -> bool:
    """Whether entry ``name`` holds ``text``'s words as adding it would store them (qa26 QB5: a file taken for the
    one an entry came from, by its identity, size and time alone, was shredded with new words in it)."""
    return read_entry(study, name, identities).text == check_text(text)


def entry_holding(study: Study, text: str, identities: Sequence[Identity]) -> str | None:
    """The first entry that holds ``text``'s words as adding it would store them (jour27: the same words from a copy
    of the file an entry came from made a second entry), or None. Needs the study identity: no digest of the words is
    kept anywhere (``source_of``)."""
    cleaned = check_text(text)
    return next((name for name in entry_names(study) if read_entry(study, name, identities).text == cleaned), None)


def parse_entry(name: str, data: bytes) -> JournalEntry:
    """An entry's (or a draft's) plaintext as fieldvault reads it."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise BadStudyFile(f"{FOLDER}/{name}{SUFFIX} is not UTF-8 text") from None
    match = _HEADER_RE.match(text)
    written = match.group(1) if match else name.rsplit("-", 1)[0]
    return JournalEntry(name, written, text[match.end() if match else 0 :].strip())


def read_entry(study: Study, name: str, identities: Sequence[Identity]) -> JournalEntry:
    if not _NAME.match(name):
        raise BadInput(f"{name!r} is not a journal entry name (they look like 2026-11-25-1)")
    return parse_entry(name, study.read(f"{FOLDER}/{name}{SUFFIX}", identities))


def list_entries(study: Study, identities: Sequence[Identity]) -> list[JournalEntry]:
    """Every entry, decrypted, oldest first. Needs the study identity."""
    return [read_entry(study, name, identities) for name in entry_names(study)]
