"""Every key a screen's footer names does what it says, whichever widget has the focus (QA F8: in the
questionnaire the footer said "esc Cancel session" and Esc did nothing). Walks each step of the new-session
wizard and the other screens: for each key in the footer and each widget that can take the focus, presses the
key and checks the footer's action ran, on the node that declared it. The actions are swapped for a
recorder while a key is pressed, so nothing is stored, quit or left."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ClassVar

from textual.actions import parse
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Checkbox, DataTable, Footer, Input, Select, SelectionList, TextArea

from fieldvault.questionnaire import PREFER_NOT
from fieldvault.study import Study
from fieldvault.tui.screens.confirm import ConfirmScreen
from fieldvault.tui.screens.editor import EditorScreen
from fieldvault.tui.screens.home import HomeScreen
from fieldvault.tui.screens.identifiers import IdentifiersScreen
from fieldvault.tui.screens.journal import JournalScreen
from fieldvault.tui.screens.letter import LetterScreen
from fieldvault.tui.screens.notes import SessionNotesScreen
from fieldvault.tui.screens.pseudonym import PseudonymScreen
from fieldvault.tui.screens.questionnaire import QuestionnaireScreen, _choices
from fieldvault.tui.screens.recording import RecordingScreen
from fieldvault.tui.screens.review import ReviewScreen
from fieldvault.tui.screens.transcription import TranscriptionScreen
from tests.conftest import PASSPHRASE
from tests.stewardship import ROSA, add_person, transcribe_and_review
from tests.tui.conftest import unlock, until
from tests.tui.test_field_sessions import _app

# Keys a focused widget rightly takes for itself: a letter or a space typed into a box, Enter on a button.
TYPED = (Input, TextArea)
PRESSED = (Button, Checkbox, Select, SelectionList)


def _printable(key: str) -> bool:
    return len(key) == 1 or key in ("space", "question_mark", "slash", "plus", "minus")


def _takes(widget: Widget | None, key: str) -> bool:
    """Whether ``widget``, focused, rightly takes ``key`` before the screen does."""
    if widget is None:
        return False
    if key in ("enter", "space"):
        return isinstance(widget, TYPED + PRESSED)
    return isinstance(widget, TYPED) and _printable(key)


def _footer(screen: Screen) -> list[tuple[str, Binding, DOMNode]]:
    """The keys the footer names for the screen itself (or the app), with the node each belongs to."""
    return [
        (key, active.binding, active.node)
        for key, active in screen.active_bindings.items()
        if active.binding.show and active.enabled and isinstance(active.node, (Screen, App))
    ]


@contextmanager
def _recorded(node: DOMNode, action: str, ran: list[str]) -> Iterator[None]:
    """The action swapped for a note that it ran, on the node it would run on."""
    namespace, name, _ = parse(action)
    target = node.app if namespace == "app" else node.screen if namespace == "screen" else node
    setattr(target, f"action_{name}", lambda *args: ran.append(action))
    try:
        yield
    finally:
        delattr(target, f"action_{name}")


async def _walk(pilot) -> list[str]:
    """What the footer promises and a key does not do, on the screen shown now."""
    app = pilot.app
    screen = app.screen
    failures = []
    for widget in [None, *screen.focus_chain]:
        for key, binding, node in _footer(screen):
            if _takes(widget, key):
                continue
            screen.set_focus(widget)
            await pilot.pause()
            ran: list[str] = []
            with _recorded(node, binding.action, ran):
                await pilot.press(key)
                await pilot.pause()
            if app.screen is not screen:
                failures.append(f"{type(screen).__name__}: {key} left the screen instead of {binding.action}")
                return failures
            if not ran:
                where = f"{type(widget).__name__}#{widget.id}" if widget else "nothing"
                failures.append(f"{type(screen).__name__}: {key} ({binding.description}) did nothing, {where} focused")
    return failures


async def _walked(pilot, screen: type[Screen], failures: list[str], seen: set[str]) -> None:
    await until(pilot, lambda: isinstance(pilot.app.screen, screen))
    failures += await _walk(pilot)
    seen.add(screen.__name__)


async def test_every_footer_key_of_the_wizard_works_whatever_has_the_focus(ready_study: Study) -> None:
    app = _app(ready_study)
    failures: list[str] = []
    seen: set[str] = set()
    async with app.run_test(size=(110, 45)) as pilot:
        await unlock(pilot)
        await _walked(pilot, HomeScreen, failures, seen)
        await pilot.press("n")
        await _walked(pilot, LetterScreen, failures, seen)
        await pilot.press("ctrl+g")
        await _walked(pilot, PseudonymScreen, failures, seen)
        await pilot.press(*"Rose", "enter")
        await _walked(pilot, QuestionnaireScreen, failures, seen)
        await pilot.press(*"29", "ctrl+s")  # QA F8: a notice of a missing answer, then Esc
        await _walked(pilot, QuestionnaireScreen, failures, seen)
        await pilot.press("escape")  # and Esc itself, unswapped, asks
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await _walked(pilot, ConfirmScreen, failures, seen)
        await pilot.press("n")
        screen = app.screen
        assert isinstance(screen, QuestionnaireScreen)
        for field in screen.questionnaire.fields:  # every question answered "prefer not to say"
            if boxes := screen.query(f"#pnts-{field.name}"):
                boxes.first(Checkbox).value = True
            else:
                choice = next(value for _, value in _choices(field) if value.casefold() == PREFER_NOT)
                screen.query_one(f"#q-{field.name}", Select).value = choice
        await pilot.press("ctrl+s")
        await _walked(pilot, IdentifiersScreen, failures, seen)
        await pilot.press("ctrl+s")
        await _walked(pilot, RecordingScreen, failures, seen)
    assert not failures, "\n".join(failures)
    assert len(seen) == 7, seen


async def test_every_footer_key_of_the_other_screens_works_whatever_has_the_focus(ready_study: Study) -> None:
    session = add_person(ready_study, ROSA)[0]
    transcribe_and_review(ready_study, ready_study.unlock(PASSPHRASE.encode()), ROSA, session)
    app = _app(ready_study)
    failures: list[str] = []
    seen: set[str] = set()
    opened: tuple[tuple[str, type[Screen]], ...] = (
        ("o", EditorScreen), ("v", ReviewScreen), ("f", SessionNotesScreen), ("j", JournalScreen),
        ("t", TranscriptionScreen),
    )  # fmt: skip
    async with app.run_test(size=(110, 45)) as pilot:
        await unlock(pilot)
        for key, screen in opened:
            await pilot.press(key)
            await _walked(pilot, screen, failures, seen)
            await pilot.press("escape")
            back: Callable[[], bool] = lambda: isinstance(app.screen, HomeScreen)  # noqa: E731
            await until(pilot, back)
    assert not failures, "\n".join(failures)
    assert len(seen) == len(opened), seen


class _Swallowing(Input):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "nothing", show=False)]

    def action_nothing(self) -> None:
        pass


class _Step(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel session")]

    def compose(self) -> ComposeResult:
        yield Input(id="fine")
        yield _Swallowing(id="swallows")
        yield Footer()

    def action_cancel(self) -> None:
        pass


async def test_the_walk_names_a_footer_key_that_a_focused_widget_swallows() -> None:
    """The walk itself: a field that takes Esc for itself is found (F8's shape), the one that does not is not."""

    class Probe(App[None]):
        def on_mount(self) -> None:
            self.push_screen(_Step())

    async with Probe().run_test() as pilot:
        await until(pilot, lambda: isinstance(pilot.app.screen, _Step))
        failures = await _walk(pilot)
    assert failures == ["_Step: escape (Cancel session) did nothing, _Swallowing#swallows focused"], failures


async def test_every_key_of_the_recording_screens_dialogs_works_whatever_has_the_focus(ready_study: Study) -> None:
    """QA S12: the dialogs that open over a recording (Stop, Break, Note) do what their keys say, whichever of their
    widgets has the focus; and each closes by the key it names, the recording going on."""
    from fieldvault.tui.screens.ask import AskScreen
    from fieldvault.tui.screens.safety import BreakScreen

    app = _app(ready_study)
    failures: list[str] = []
    seen: set[str] = set()
    async with app.run_test(size=(110, 45)) as pilot:
        await unlock(pilot)
        await pilot.press("n", "ctrl+g", *"Rose", "enter")
        await until(pilot, lambda: isinstance(app.screen, QuestionnaireScreen))
        screen = app.screen
        for field in screen.questionnaire.fields:
            if boxes := screen.query(f"#pnts-{field.name}"):
                boxes.first(Checkbox).value = True
            else:
                choice = next(value for _, value in _choices(field) if value.casefold() == PREFER_NOT)
                screen.query_one(f"#q-{field.name}", Select).value = choice
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, IdentifiersScreen))
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, RecordingScreen))
        recording = app.screen
        assert isinstance(recording, RecordingScreen)
        await pilot.click("#start")
        await until(pilot, lambda: recording.recorder is not None and recording.recorder.at > 0.3)
        for key, dialog, close in (("s", ConfirmScreen, "n"), ("b", BreakScreen, "r"), ("m", AskScreen, "escape")):
            await pilot.press(key)
            await _walked(pilot, dialog, failures, seen)
            await pilot.press(close)
            await until(pilot, lambda: app.screen is recording)
        assert recording.recorder is not None  # still recording
        await pilot.press("s")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen), seconds=20)
    assert not failures, "\n".join(failures)
    assert seen == {"ConfirmScreen", "BreakScreen", "AskScreen"}, seen


async def test_every_key_of_the_record_again_screens_works_whatever_has_the_focus(ready_study: Study) -> None:
    """QA S12's "every footer key": the kind question r asks (with and without an earlier session of hers), the
    consent-again screen a follow-up opens and its names step."""
    from fieldvault.participants import ConsentRecord, add_participant
    from fieldvault.tui.screens.addnames import AddNamesScreen
    from fieldvault.tui.screens.kind import KindScreen, ReconfirmScreen
    from tests.conftest import ANSWERS

    add_person(ready_study, ROSA)
    consent = ConsentRecord("information letter given; verbal consent", "v", "v", "2026-11-01T10:00:00")
    keys = ready_study.unlock(PASSPHRASE.encode())
    add_participant(ready_study, "Yara", dict(ANSWERS), consent, [], keys)  # no session yet: her first interview only
    app = _app(ready_study)
    failures: list[str] = []
    seen: set[str] = set()
    async with app.run_test(size=(110, 45)) as pilot:
        await unlock(pilot)
        for row, then in ((0, ReconfirmScreen), (1, None)):
            home = app.screen
            assert isinstance(home, HomeScreen)
            home.query_one("#sessions", DataTable).move_cursor(row=row)
            await pilot.press("r")
            await _walked(pilot, KindScreen, failures, seen)
            if then is None:
                await pilot.press("escape")
            else:
                await pilot.press("1")
                await _walked(pilot, then, failures, seen)
                await pilot.press("ctrl+g")  # her consent again, then the names she gives now (QA T5)
                await _walked(pilot, AddNamesScreen, failures, seen)
                await pilot.press("escape", "y")  # asked first (QA V9)
            await until(pilot, lambda: isinstance(app.screen, HomeScreen))
    assert not failures, "\n".join(failures)
    assert seen == {"KindScreen", "ReconfirmScreen", "AddNamesScreen"}, seen
