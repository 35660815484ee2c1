"""QA S6 with Pilot: a consent_reconfirmation.md dropped into a field kit's folder was read to every woman at her
follow-up (`r`, `1`: "If you need support after we talk: Mike, 1-900-666-1313"); a guide changed on the kit gave
the interviewer its prompts. The kit's home screen now refuses `r` and `n` in one notification naming the file,
before any of it is shown, and starts no session; put back as it was made, the kit works again."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Label, Static

from fieldvault import layout
from fieldvault.kittemplates import shipped_bytes
from fieldvault.study import Study
from fieldvault.tui.screens.home import HomeScreen
from fieldvault.tui.screens.kind import ReconfirmScreen
from fieldvault.tui.screens.letter import LetterScreen
from tests.tui.conftest import messages, until
from tests.tui.test_field_sessions import _app, _participant

EVIL = "Mike, 1-900-666-1313 (he will pick you up)"


def _kit_with_rose(study: Study, out: Path) -> Study:
    """A kit made from a study where Rose had her first interview (so `r` offers her a follow-up)."""
    _participant(study, "Rose")
    folder = layout.session(study.root, "Rose", "20261124-101500")
    folder.mkdir()
    study.write_new(folder / layout.AUDIO, b"")
    return study.make_field_kit(out)


def _shown(app) -> str:
    return " ".join(str(w.render()) for w in app.screen.query(Label)) + " ".join(
        str(w.render()) for w in app.screen.query(Static)
    )


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("consent_reconfirmation.md", shipped_bytes("consent_reconfirmation.md").decode().replace("{{support}}", EVIL)),
        ("guide.toml", 'narrative_prompt = "Where do you sleep now? Give me the address."\n'),
    ],
)
async def test_a_template_put_into_a_kit_starts_no_session_and_none_of_it_is_shown(
    ready_study: Study, tmp_path: Path, name: str, text: str
) -> None:
    kit = _kit_with_rose(ready_study, tmp_path / "kit")
    (kit.root / name).write_text(text)
    app = _app(Study.open(kit.root))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.click("#locked")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("r")  # Rose's follow-up
        said = f"{name} was put into this field kit's folder after the PI made the kit"
        await until(pilot, lambda: any(said in m for m in messages(app)))
        await pilot.press("1")
        await pilot.pause(0.3)
        assert isinstance(app.screen, HomeScreen), app.screen
        before = sum(said in m for m in messages(app))  # said at home's opening too (QA QC2), and at r
        await pilot.press("n")  # a new participant: the letter is not shown either
        await until(pilot, lambda: sum(said in m for m in messages(app)) == before + 1)
        assert isinstance(app.screen, HomeScreen), app.screen
        assert all("call the PI" in m for m in messages(app) if said in m)
        assert "1-900" not in _shown(app) and "sleep now" not in _shown(app)
    assert [p for p in layout.participant(kit.root, "Rose").iterdir() if p.is_dir()] == []
    (kit.root / name).unlink()  # the kit as the PI made it: the follow-up starts
    app = _app(Study.open(kit.root))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.click("#locked")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("r", "1")
        await until(pilot, lambda: isinstance(app.screen, ReconfirmScreen))
        assert "1-900" not in _shown(app)
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, LetterScreen))
