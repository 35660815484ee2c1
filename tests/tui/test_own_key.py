"""QA V14: a transcriber with her own key (README: `age-keygen`, `keys add-recipient`, the vouch-key line) could
`transcribe`, `redact` and `export` with `--identity`, but not open the review screen or the editor: `fieldvault open`
took no `--identity` and the unlock screen asked for the study passphrase only. The unlock screen takes her identity
file (as `open --identity` does); what needs the study key (a withdrawal, a move) is refused in one line; export (e)
and transcribe (t) work with her key as their CLI twins with `--identity` do."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from textual.widgets import Input, Label

from fieldvault import layout
from fieldvault.redact.review import ACCEPTED, current, load, store
from fieldvault.study import Study
from fieldvault.transcript import read_transcript
from fieldvault.tui.app import make_app
from fieldvault.tui.screens.editor import EditorScreen
from fieldvault.tui.screens.home import HomeScreen
from fieldvault.tui.screens.review import ReviewScreen
from fieldvault.tui.screens.unlock import UnlockScreen
from tests.conftest import PASSPHRASE, need
from tests.e2e.test_vouched_files import fv
from tests.e2e.test_vouched_sessions import SESSION, interview
from tests.tui.conftest import messages, until


def her_key(study: Study, tmp_path: Path) -> tuple[Path, Path]:
    """Rose interviewed, and a transcriber's key made and added as README says: the study folder, her identity file."""
    key = tmp_path / "transcriber.txt"
    subprocess.run([need("age-keygen"), "-o", str(key)], check=True, capture_output=True)
    public = subprocess.run([need("age-keygen"), "-y", str(key)], capture_output=True, text=True, check=True).stdout
    root = interview(study, tmp_path, transcriber=public.strip()).root
    assert fv("keys", "rewrap", root, "--share").returncode == 0  # her key given the files sealed before it
    with key.open("a") as out:
        out.write(fv("keys", "vouch-key", root).stdout)
    return root, key


async def _type_key(pilot, path: str) -> None:
    box = pilot.app.screen.query_one("#identity", Input)
    box.value = path
    box.focus()
    await pilot.press("enter")
    await pilot.app.workers.wait_for_complete()


async def test_her_own_key_opens_the_review_screen_and_the_editor(study: Study, tmp_path: Path) -> None:
    root, key = her_key(study, tmp_path)
    app = make_app(Study.open(root))
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, UnlockScreen))
        await _type_key(pilot, str(tmp_path / "nope.txt"))
        await until(pilot, lambda: any("cannot read the identity file" in m for m in messages(app)))
        assert isinstance(app.screen, UnlockScreen)  # the same one-line error as `--identity`
        await _type_key(pilot, str(key))
        await until(pilot, lambda: isinstance(app.screen, HomeScreen))
        assert "opened with your own key" in str(app.screen.query_one("#study-banner", Label).render())
        home = app.screen
        await pilot.press("v")
        await until(pilot, lambda: isinstance(app.screen, ReviewScreen))
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is home)
        await pilot.press("o")
        await until(pilot, lambda: isinstance(app.screen, EditorScreen))
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is home)
        await pilot.press("w")  # her key signs nothing: a withdrawal needs the study key, as the CLI's does
        await until(pilot, lambda: any("Withdrawing needs the study passphrase" in m for m in messages(app)))
        assert app.screen is home
        await pilot.press("ctrl+l")
        await until(pilot, lambda: isinstance(app.screen, UnlockScreen))
        assert app.screen.query_one("#identity", Input).value == str(key)  # offered again after a lock
    assert Study.open(root).participant_names() == ["Rose"]


async def _home_with_her_key(pilot, key: Path) -> None:
    await until(pilot, lambda: isinstance(pilot.app.screen, UnlockScreen))
    await _type_key(pilot, str(key))
    await until(pilot, lambda: isinstance(pilot.app.screen, HomeScreen))


async def test_her_own_key_exports_from_the_export_screen(study: Study, tmp_path: Path) -> None:
    """QA V14's untested rest: `e` with her key (the CLI's `export --identity` twin)."""
    from textual.widgets import Checkbox, Select

    from fieldvault.tui.screens.export import ExportScreen

    root, key = her_key(study, tmp_path)
    app = make_app(Study.open(root))
    async with app.run_test(size=(140, 45)) as pilot:
        await _home_with_her_key(pilot, key)
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, ExportScreen))
        app.screen.query_one("#format", Select).value = "txt"
        app.screen.query_one("#unreviewed", Checkbox).value = True  # she has not reviewed it: undecided spans go
        app.screen.query_one("#out", Input).value = str(tmp_path / "out")
        await pilot.press("ctrl+e")
        await app.workers.wait_for_complete()
        await until(pilot, lambda: any("Exported 1 session(s)" in m for m in messages(app)))
    (done,) = (tmp_path / "out").iterdir()
    text = done.read_text()
    assert "UNREVIEWED" in text.upper() and "Derek Fowler" not in text and "[PERSON" in text, text


@pytest.mark.slow
async def test_her_own_key_transcribes_from_the_queue(study: Study, tmp_path: Path) -> None:
    """QA V14's untested rest: `t` with her key (the CLI's `transcribe --identity` twin), real tiny.en."""
    from fieldvault.tui.screens.transcription import TranscriptionScreen
    from tests.e2e.conftest import speech
    from tests.e2e.test_transcribe import _store_recording

    root, key = her_key(study, tmp_path)
    voice = speech(tmp_path / "v.wav", "My case manager helped me find safe housing.")
    folder = _store_recording(Study.open(root), "Rose", voice, session="20261125-100000")
    app = make_app(Study.open(root))
    async with app.run_test(size=(120, 30)) as pilot:
        await _home_with_her_key(pilot, key)
        await pilot.press("t")
        await until(pilot, lambda: isinstance(app.screen, TranscriptionScreen))
        await pilot.press("ctrl+t")
        state = lambda: str(app.screen.query_one("#state-0", Label).render())  # noqa: E731
        await until(pilot, lambda: any(w in state() for w in ("done", "cancelled", "damaged", "altered", "needs")), 180)
        assert state().startswith("done"), (state(), messages(app))
    assert (folder / layout.TRANSCRIPT).is_file()
    assert read_transcript(Study.open(root), folder / layout.TRANSCRIPT, Study.open(root).unlock(PASSPHRASE.encode()))


async def test_her_own_decisions_stay_decided_for_her_and_unreviewed_for_the_pi(study: Study, tmp_path: Path) -> None:
    """QA W14: with her own key each decision she stored came back as "1 earlier decision(s) to confirm (...decided
    with a transcriber's key)", with "Decisions were stored in another window meanwhile" (no other window open), and C
    brought it back again: her own store was read as anyone's. What this screen stored is read back as she decided it;
    the editor's Ctrl+R marks it reviewed; for the PI (and her exports) it still counts as unreviewed."""
    root, key = her_key(study, tmp_path)
    assert fv("redact", root, "Rose").returncode == 0  # proposed with the passphrase: the study key vouches for them
    app = make_app(Study.open(root))
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, UnlockScreen))
        await _type_key(pilot, str(key))
        await until(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("v")
        await until(pilot, lambda: isinstance(app.screen, ReviewScreen))
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        spans = len(screen.redactions.spans)
        assert spans >= 2 and screen.redactions.carried == 0
        for _ in range(spans):
            await pilot.press("a")
            await pilot.pause(2.5)  # past the screen's look at what is stored (WATCH_SECONDS)
            await app.workers.wait_for_complete()
            await pilot.pause()
        assert screen.redactions.carried == 0
        assert all(s.state == ACCEPTED for s in screen.redactions.spans)
        assert "all decided" in str(screen.query_one("#counter", Label).render())
        assert app.screen is screen
        assert not [m for m in messages(app) if "another window" in m or "earlier decision" in m]
        await pilot.press("C")  # nothing of someone else's to confirm
        await until(pilot, lambda: "No carried-over decisions to confirm" in messages(app))
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("o")
        await until(pilot, lambda: isinstance(app.screen, EditorScreen))
        await app.workers.wait_for_complete()
        await pilot.press("ctrl+r")  # the editor agrees: every span decided
        await until(pilot, lambda: any("Marked reviewed" in m for m in messages(app)))
        assert not [m for m in messages(app) if "undecided" in m]
        mine, keys = app.study, app.identities
        assert mine is not None
        transcript = read_transcript(mine, layout.session(root, "Rose", SESSION) / layout.TRANSCRIPT, keys)
        assert current(mine, transcript, keys).reviewed  # as she stored it, here
        exported = current(mine, transcript, keys, strict=True)  # her exports: not reviewed
        assert not exported.reviewed and exported.carried == spans
    pi = Study.open(root)
    identities = pi.unlock(PASSPHRASE.encode())
    seen = load(pi, "Rose", SESSION, identities)  # the PI: each of her decisions to confirm (C), unreviewed
    assert not seen.reviewed and seen.carried == spans
    assert {s.carried for s in seen.spans} == {ACCEPTED}


async def test_another_writer_with_her_key_is_still_told_and_offered_to_confirm(study: Study, tmp_path: Path) -> None:
    """QA W14's other half: what another fieldvault stored with her key meanwhile (another window, another computer)
    is still "stored in another window", its decisions offered to confirm (C): only this screen's own store is hers."""
    root, key = her_key(study, tmp_path)
    assert fv("redact", root, "Rose").returncode == 0
    app = make_app(Study.open(root))
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, UnlockScreen))
        await _type_key(pilot, str(key))
        await until(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("v")
        await until(pilot, lambda: isinstance(app.screen, ReviewScreen))
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        other = Study.open(root)
        keys = other.use_identity_path(key)
        theirs = load(other, "Rose", SESSION, keys)
        theirs.decide(theirs.spans[0].id, ACCEPTED, "elsewhere", other.clock())
        store(other, theirs, "redaction.decided")
        await until(pilot, lambda: any("stored in another window" in m for m in messages(app)))
        assert screen.redactions.carried == 1 and screen.redactions.spans[0].carried == ACCEPTED
        await pilot.press("C")
        await until(pilot, lambda: any("Confirmed 1 decision(s)" in m for m in messages(app)))
        await pilot.pause(2.5)  # past the screen's look at what is stored: its own confirmation stays confirmed
        await app.workers.wait_for_complete()
        assert screen.redactions.carried == 0 and screen.redactions.spans[0].state == ACCEPTED
