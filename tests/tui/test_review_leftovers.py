"""The review screen's last check with Pilot: what is left unredacted, gone to, redacted and kept."""

from __future__ import annotations

from textual.widgets import DataTable, Label, OptionList, TextArea

from fieldvault.participants import ConsentRecord, add_participant
from fieldvault.redact.review import ACCEPTED, load
from fieldvault.study import Study
from fieldvault.transcript import Segment, Transcript
from fieldvault.tui.app import make_app
from fieldvault.tui.screens.leftovers import LeftoversScreen
from fieldvault.tui.screens.review import ReviewScreen
from tests.conftest import ANSWERS, PASSPHRASE
from tests.tui.conftest import unlock

SESSION = "20261124-100000"


def _study(study: Study) -> None:
    add_participant(study, "Rose", ANSWERS, ConsentRecord("m", "v", "s", "now"), [])
    (study.root / "participants" / "Rose" / SESSION).mkdir()
    study.write_new(f"participants/Rose/{SESSION}/audio.wav.age", b"")
    segments = (
        Segment(0.0, 4.0, "Marcus took me to Phoenix."),
        Segment(4.0, 8.0, "we drank boba at the mall, room 214."),
        Segment(8.0, 12.0, "Later the room was 214 again."),
    )
    transcript = Transcript("Rose", SESSION, segments, (), {"name": "tiny.en"}, "faster-whisper", {}, 12.0, 1.0, "now")
    study.write_new(f"participants/Rose/{SESSION}/transcript.json.age", transcript.to_json())


async def test_what_is_left_unredacted_is_listed_gone_to_redacted_and_kept(study: Study) -> None:
    _study(study)
    app = make_app(study)
    async with app.run_test(size=(120, 40)) as pilot:
        await unlock(pilot)
        app.screen.query_one("#sessions", DataTable).move_cursor(row=0)
        await pilot.press("v")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        review = app.screen
        assert isinstance(review, ReviewScreen)
        assert "2 number(s), capital(s) or unusual word(s) left unredacted" in str(
            review.query_one("#left", Label).render()
        )
        await pilot.press("w")
        await pilot.pause()
        listing = app.screen
        assert isinstance(listing, LeftoversScreen)
        assert [item.text for item in listing.items] == ["boba", "214"]
        assert listing.query_one(OptionList).option_count == 2
        await pilot.press("down", "enter")  # go to "214"
        await pilot.pause()
        assert app.screen is review
        editor = review.query_one("#editor", TextArea)
        assert editor.text == "we drank boba at the mall, room 214." and editor.selected_text == "214"
        assert "left unredacted" in str(review.query_one("#seg-1").render())
        await pilot.press("w", "enter")  # the list opens where it was left: the next mention of "214"
        await pilot.pause()
        assert editor.text == "Later the room was 214 again." and editor.selected_text == "214"
        await pilot.press("w", "r")  # redact "214" at both mentions; the list comes back
        await pilot.pause()
        assert isinstance(app.screen, LeftoversScreen)
        assert [item.text for item in app.screen.items] == ["boba"]
        await pilot.press("k")  # "boba" looked at and kept
        await pilot.pause()
        assert isinstance(app.screen, LeftoversScreen) and app.screen.items == []
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is review and str(review.query_one("#left", Label).render()) == ""
        await pilot.press("escape")
        await pilot.pause()
    stored = load(study, "Rose", SESSION, study.unlock(PASSPHRASE.encode()))
    added = [(s.segment, s.text, s.label, s.state) for s in stored.spans if s.source == "reviewer"]
    assert added == [(1, "214", "ID", ACCEPTED), (2, "214", "ID", ACCEPTED)]
    assert stored.checked == ["boba"]
