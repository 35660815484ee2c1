"""What the session wizard has gathered so far, passed from step to step; nothing is stored until the end.

A lock (Ctrl+L, or the idle lock) in the middle of the wizard seals it in memory to the study's recipients, with what
was typed on the step it was at, and forgets the plaintext; unlocking opens it again (Q8: reading the letter aloud
with her can take ten minutes without a key, and the idle lock then threw her consent and answers away). Nothing of
it is ever written to disk."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from fieldvault.agefile import Identity, decrypt_bytes, encrypt_bytes
from fieldvault.participants import ConsentRecord, KnownIdentifier
from fieldvault.questionnaire import Answer
from fieldvault.study import Study


@dataclass
class SessionDraft:
    consent: ConsentRecord | None = None
    pseudonym: str = ""
    answers: dict[str, Answer] = field(default_factory=dict)
    identifiers: list[KnownIdentifier] = field(default_factory=list)


@dataclass(frozen=True)
class KeptWizard:
    """A new session's set-up a lock closed: the study it is for, and the rest sealed to the study's recipients (the
    step it was at, what the steps gathered, what was typed on that step and not taken yet)."""

    root: Path
    sealed: bytes


def keep_wizard(study: Study, step: str, draft: SessionDraft | None, typed: dict[str, object]) -> KeptWizard:
    gathered = None if draft is None else {**asdict(draft), "identifiers": [asdict(i) for i in draft.identifiers]}
    plaintext = json.dumps({"step": step, "draft": gathered, "typed": typed}).encode()
    return KeptWizard(study.root, encrypt_bytes(plaintext, study.recipients()))


def open_wizard(kept: KeptWizard, identities: Sequence[Identity]) -> tuple[str, SessionDraft | None, dict[str, object]]:
    """The step, what the steps gathered and what was typed on it; a FieldvaultError where no key opens it."""
    found = json.loads(decrypt_bytes(kept.sealed, identities))
    gathered = found["draft"]
    if gathered is None:
        return found["step"], None, found["typed"]
    consent = gathered["consent"]
    draft = SessionDraft(
        None if consent is None else ConsentRecord(**consent),
        gathered["pseudonym"],
        gathered["answers"],
        [KnownIdentifier(**i) for i in gathered["identifiers"]],
    )
    return found["step"], draft, found["typed"]
