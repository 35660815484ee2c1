"""The first unlock after an older fieldvault vouches for files sealed without the study key, as they are: `check`
said so, the TUI never did (closing note, "Older, still open"). A real study, the real app under Pilot."""

from __future__ import annotations

from datetime import UTC, datetime

from fieldvault import layout
from fieldvault.participants import ConsentRecord, IdentifierList, KnownIdentifier, Profile
from fieldvault.study import Study
from tests.conftest import fill_letter
from tests.tui.conftest import messages, unlock
from tests.tui.test_field_sessions import _app

NOW = datetime(2026, 11, 24, tzinfo=UTC)


async def test_the_unlock_says_what_the_study_key_now_vouches_for(study: Study) -> None:
    fill_letter(study)
    folder = study.root / "participants" / "Rose"
    folder.mkdir(mode=0o700)
    (folder / layout.PARTICIPANT_ID).write_text("cd" * 16 + "\n")
    profile = Profile("Rose", {}, ConsentRecord.verbal("v1", "s1", NOW), NOW.isoformat())
    study.write_new(folder / layout.PROFILE, profile.to_json())  # as an older fieldvault sealed them: no digest
    listed = IdentifierList((KnownIdentifier("Derek Fowler"),), pseudonym="Rose", participant_id="cd" * 16)
    study.write_new(folder / layout.IDENTIFIERS, listed.to_json())
    study.audit.append("participant.add", pseudonym="Rose", method="verbal", version="v1")
    app = _app(Study.open(study.root))
    async with app.run_test(size=(100, 30)) as pilot:
        await unlock(pilot)
        said = [m for m in messages(app) if m.startswith("the study key now vouches for 2 file(s) written without it")]
        assert len(said) == 1, messages(app)
