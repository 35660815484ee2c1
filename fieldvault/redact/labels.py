"""Speaker labels. Interviewer, Participant and Speaker N name a role, and her pseudonym was chosen not to identify
her; any other label a transcriber types in the editor ("Hoa", "Hoa Nguyen") is repeated on every line of every
export, so the export gate passes it through the free-text scrub and the editor warns when the detector flags it
(QA E5)."""

from __future__ import annotations

import re
import unicodedata

from fieldvault.participants import KnownIdentifier
from fieldvault.redact.detector import detect
from fieldvault.redact.spans import Span

_ROLE = re.compile(r"(?:interviewer|participant|speaker)(?: ?\d+)?", re.IGNORECASE)
# What a redaction leaves: "[PERSON]", "[PERSON 2]", "[CITY]", and a second label that scrubbed alike, "[PERSON] (2)".
_PLACEHOLDER = re.compile(
    r"\[(?:PERSON|LOCATION|ORG|CONTACT|DATE|ID|STREET|CITY|PLACE|EMAIL|URL|PHONE)(?: \d+)?\](?: \(\d+\))?"
)


def _same(a: str, b: str) -> bool:
    return unicodedata.normalize("NFC", a).strip().casefold() == unicodedata.normalize("NFC", b).strip().casefold()


def is_role(label: str) -> bool:
    """Interviewer, Participant, Speaker N (what transcription writes), any case."""
    return _ROLE.fullmatch(label.strip()) is not None


def is_placeholder(label: str) -> bool:
    """A label that is already a redaction's stand-in (a transcript kept de-identified at a withdrawal): never
    scrubbed again (QA E20: "[PERSON]" went out as "[[ORG]]")."""
    return _PLACEHOLDER.fullmatch(label.strip()) is not None


def is_own(label: str, pseudonym: str) -> bool:
    """The label is her pseudonym."""
    return _same(label, pseudonym)


def flagged(label: str, pseudonym: str, known: list[KnownIdentifier]) -> list[Span]:
    """What the detector, with every listed identifier (each form of it, fuzzy ones too), finds in a label that
    is neither a role nor her pseudonym."""
    if is_role(label) or is_placeholder(label) or is_own(label, pseudonym):
        return []
    return detect(label, known)
