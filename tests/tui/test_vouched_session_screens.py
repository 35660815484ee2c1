"""QA T11 on the screens (Pilot): an older genuine redactions file copied back over the one the study key last vouched
for is refused in one notification by the export screen (nothing written) and by the review screen as it opens
(never reviewed from the old decisions, never stored again as if they were the reviewer's). QA U5: so is one deleted
(never proposed afresh as if the session had never been reviewed)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.widgets import Input, Label

from fieldvault.redact import review
from fieldvault.study import Study
from fieldvault.tui.app import make_app
from fieldvault.tui.screens.review import ReviewScreen
from tests.conftest import PASSPHRASE
from tests.e2e.test_vouched_deletions import DELETED, _june
from tests.e2e.test_vouched_sessions import REDACTIONS, RESTORE, SESSION, _transcriber, interview, review_pass
from tests.tui.conftest import messages, unlock
from tests.tui.test_export_screen import _txt_export, _txt_exported


def _put_back(study: Study, tmp_path: Path) -> bytes:
    """qa16's T11: reviewed twice (the second pass accepts every span); the first pass's file, as a backup holds it,
    copied back. Returns the bytes put back."""
    root = interview(study, tmp_path).root
    review_pass(root, accept_all=False)
    old = (root / REDACTIONS).read_bytes()
    review_pass(root, accept_all=True)
    (root / REDACTIONS).write_bytes(old)
    return old


def _deleted(study: Study, tmp_path: Path) -> bytes:
    """Reviewed (every span accepted), then its redactions file deleted by hand."""
    root = interview(study, tmp_path).root
    review_pass(root, accept_all=True)
    (root / REDACTIONS).unlink()
    return b""


def _refusals(said: list[str], because: str = RESTORE) -> list[str]:
    return [m for m in said if REDACTIONS in m and because in m]


@pytest.mark.parametrize(("harm", "because"), [(_put_back, RESTORE), (_deleted, DELETED)])
async def test_the_export_screen_refuses_an_older_redactions_file_put_back_or_one_deleted(
    study: Study, tmp_path: Path, harm: Callable[[Study, Path], bytes], because: str
) -> None:
    harm(study, tmp_path)
    app = make_app(Study.open(study.root))
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await _txt_export(pilot)
        screen.query_one("#out", Input).value = str(tmp_path / "out")
        await pilot.press("ctrl+e")
        await app.workers.wait_for_complete()
        await pilot.pause()
        said = messages(app)
    refusals = _refusals(said, because)
    assert len(refusals) == 1 and "\n" not in refusals[0], said
    assert not any("Exported" in m for m in said), said
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


@pytest.mark.parametrize(("harm", "because"), [(_put_back, RESTORE), (_deleted, DELETED)])
async def test_the_review_screen_refuses_to_open_over_an_older_redactions_file_or_a_deleted_one(
    study: Study, tmp_path: Path, harm: Callable[[Study, Path], bytes], because: str
) -> None:
    old = harm(study, tmp_path)
    app = make_app(Study.open(study.root))
    async with app.run_test(size=(120, 40)) as pilot:
        await unlock(pilot)
        await pilot.press("v")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        screen, said = app.screen, messages(app)
    assert not isinstance(screen, ReviewScreen)
    refusals = _refusals(said, because)
    assert len(refusals) == 1 and "\n" not in refusals[0], said
    assert (study.root / REDACTIONS).read_bytes() == old if old else not (study.root / REDACTIONS).exists()


async def test_the_review_screen_offers_a_transcribers_decisions_to_confirm(study: Study, tmp_path: Path) -> None:
    """Her key cannot sign: opened with the passphrase, her review (every span accepted) is offered again, and C
    stores her decisions as the PI's own, vouched for."""
    public, identity, _ = _transcriber(tmp_path)
    root = interview(study, tmp_path, transcriber=public).root
    review_pass(root, accept_all=False)
    review_pass(root, accept_all=True, identities=[identity])
    app = make_app(Study.open(root))
    async with app.run_test(size=(120, 40)) as pilot:
        await unlock(pilot)
        await pilot.press("v")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen) and not screen.redactions.reviewed
        shown = str(screen.query_one("#carried", Label).render())
        assert "decided with a transcriber's key" in shown and "C confirms them" in shown, shown
        await pilot.press("C")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    study = Study.open(root)
    stored = review.load(study, "Rose", SESSION, study.unlock(PASSPHRASE.encode()))  # vouched for as it is now
    assert stored.spans and {s.state for s in stored.spans} == {review.ACCEPTED}


async def test_the_export_screen_exports_the_rest_and_names_the_session_whose_redactions_were_deleted(
    study: Study, tmp_path: Path
) -> None:
    """QA V17 on the screen: one session's lost file never stops the whole study's export."""
    root = interview(study, tmp_path).root
    review_pass(root, accept_all=True)
    _june(root, tmp_path)
    (root / REDACTIONS).unlink()
    app = make_app(Study.open(root))
    async with app.run_test(size=(140, 45)) as pilot:
        await _txt_exported(pilot, tmp_path / "out")
        said = messages(app)
    [exported] = [m for m in said if m.startswith("Exported 1 session(s)")]
    assert f"Rose/{SESSION}: left out: {REDACTIONS} {DELETED}" in exported and "--record-lost" in exported, said
    [written] = [p for p in (tmp_path / "out").rglob("*") if p.is_file()]
    assert "participant June" in written.read_text()
