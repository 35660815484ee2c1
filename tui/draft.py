"""What the session wizard has gathered so far, passed from step to step; nothing is stored until the end."""

from __future__ import annotations

from dataclasses import dataclass, field

from fieldvault.participants import ConsentRecord, KnownIdentifier
from fieldvault.questionnaire import Answer


@dataclass
class SessionDraft:
    consent: ConsentRecord | None = None
    pseudonym: str = ""
    answers: dict[str, Answer] = field(default_factory=dict)
    identifiers: list[KnownIdentifier] = field(default_factory=list)
