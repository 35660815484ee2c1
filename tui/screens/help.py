"""Every key of the screen underneath, with what it does: the footer shows only the main ones."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Static


def keys_of(screen: Screen) -> list[tuple[str, str]]:
    """(key as shown, description) for each binding that works on ``screen`` now, footer or not."""
    rows: list[tuple[str, str]] = []
    # fieldvault's own keys first (as the screen declares them), then Textual's (focus, copy, cursor).
    declared = [
        binding
        for cls in type(screen).__mro__
        if cls.__module__.startswith("fieldvault.")
        for binding in Binding.make_bindings(getattr(cls, "BINDINGS", []))
    ]
    own = {binding.key for binding in declared}
    active = screen.active_bindings
    for now in sorted(active.values(), key=lambda a: a.binding.key not in own):
        _add(rows, screen, now.binding, "")
    # A key of the screen's own that works only later (the recording's before Start): listed, marked so (walk22).
    for binding in declared:
        # a screen's own "app.quit" where the App's priority "quit" is what runs: one key, one line (qa29 QE8: "^q
        # Quit" and "^q Quit (not now)" side by side on the recording screen)
        if binding.key not in active or _app_action(active[binding.key].binding) != _app_action(binding):
            when = getattr(screen, "WHEN", {}).get(binding.action.partition("(")[0], "not now")
            _add(rows, screen, binding, f" ({when})")
    return rows


def _app_action(binding: Binding) -> str:
    return binding.action.removeprefix("app.")


def _add(rows: list[tuple[str, str]], screen: Screen, binding: Binding, marked: str) -> None:
    said = binding.tooltip or binding.description
    study = getattr(screen.app, "study", None)
    if binding.action == "lock" and study is not None and study.is_field_kit:  # the App's "forget the keys" (QE8)
        said = "Lock: back to the unlock screen (a field kit holds no key to forget)"
    row = (screen.app.get_key_display(binding), said + marked)
    if binding.description and row not in rows:
        rows.append(row)


class HelpScreen(ModalScreen[None]):
    BINDINGS = [("escape,question_mark,q,f1", "close", "Close help")]

    def __init__(self, under: Screen) -> None:
        super().__init__()
        self.under = under

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog", id="help"):
            named = f": {self.under.sub_title}" if self.under.sub_title else ""
            yield Static(f"Keys on this screen{named} (Esc closes)", markup=False, id="help-title")
            table: DataTable[str] = DataTable(id="help-keys", show_cursor=False)
            table.add_columns("Key", "What it does")
            for key, description in keys_of(self.under):
                table.add_row(key, description)
            yield table

    def action_close(self) -> None:
        self.dismiss(None)
