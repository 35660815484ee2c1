"""QA S14 on the review screen (Pilot): her list of names emptied with the study's public keys and the real `age`
(no passphrase) is refused in one notification as the review opens, never reviewed against the forged list."""

from __future__ import annotations

import subprocess

from fieldvault.participants import ConsentRecord, IdentifierList, KnownIdentifier, add_participant
from fieldvault.study import Study
from fieldvault.transcript import Segment, Transcript
from fieldvault.tui.app import make_app
from fieldvault.tui.screens.review import ReviewScreen
from tests.conftest import ANSWERS, PASSPHRASE, need
from tests.tui.conftest import messages, unlock

SESSION = "20261124-100000"
LIST = "participants/Rose/identifiers.json.age"


def _rose(study: Study) -> None:
    consent = ConsentRecord("information letter given; verbal consent", "v", "s", "now")
    add_participant(study, "Rose", ANSWERS, consent, [KnownIdentifier("Marcus")], study.unlock(PASSPHRASE.encode()))
    (study.root / "participants" / "Rose" / SESSION).mkdir()
    study.write_new(f"participants/Rose/{SESSION}/audio.wav.age", b"")
    segments = (Segment(0.0, 4.0, "Marcus took me to Phoenix."),)
    transcript = Transcript("Rose", SESSION, segments, (), {"name": "tiny.en"}, "faster-whisper", {}, 4.0, 1.0, "now")
    study.write_new(f"participants/Rose/{SESSION}/transcript.json.age", transcript.to_json())


async def _open_review(study: Study) -> tuple[object, list[str]]:
    app = make_app(study)
    async with app.run_test(size=(120, 40)) as pilot:
        await unlock(pilot)
        await pilot.press("v")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        return app.screen, messages(app)


async def test_the_review_refuses_a_list_emptied_with_the_public_keys(study: Study) -> None:
    """Emptied before her interview's spans were first proposed: proposed against it, her names would not be."""
    _rose(study)
    ident = (study.root / "participants" / "Rose" / "participant.id").read_text().strip()
    forged = IdentifierList((), pseudonym="Rose", participant_id=ident).to_json()
    (study.root / LIST).unlink()
    recipients = [arg for r in study.config.recipients for arg in ("-r", r.key)]
    subprocess.run([need("age"), *recipients, "-o", str(study.root / LIST)], input=forged, check=True)
    screen, said = await _open_review(Study.open(study.root))
    assert not isinstance(screen, ReviewScreen)
    refusals = [m for m in said if "Rose's list of names she may mention was replaced" in m]
    assert len(refusals) == 1 and f"restore {LIST}" in refusals[0] and "\n" not in refusals[0], said
