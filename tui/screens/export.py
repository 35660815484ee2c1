"""The export screen: the same choices as `fieldvault export`, with a preview of the first session."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Checkbox, Footer, Header, Input, Label, Select, SelectionList, TextArea

from fieldvault.agefile import X25519Recipient
from fieldvault.errors import FieldvaultError
from fieldvault.export.formats import FORMATS
from fieldvault.export.run import Names, Options, export, render
from fieldvault.export.selection import Request
from fieldvault.export.text import DIALECTS
from fieldvault.study import Study
from fieldvault.tui.errors import USER_ERRORS, WorkerErrors, user_message

if TYPE_CHECKING:
    from fieldvault.tui.app import FieldvaultApp

PREVIEW_LINES = 40
# The messages about an option name the box or field it is on this screen, not the CLI's flag (QA G2).
SCREEN = Names(
    with_audio='"With audio"',
    memos='"Include memos"',
    dialect='"Timestamped text for"',
    qdpx="the qdpx format",
    txt="the txt format",
    out="place to export to",
    unreviewed='tick "Include unreviewed"',
)


class ExportScreen(WorkerErrors, Screen[None]):
    SUB_TITLE = "Export"
    # priority: the keys the footer shows work from any field too (an Input keeps ctrl+e for "end of line")
    BINDINGS = [
        Binding("ctrl+r", "preview", "Preview", priority=True),
        Binding("ctrl+e", "export", "Export", priority=True),
        ("escape", "app.pop_screen", "Back"),
    ]

    def __init__(self, study: Study) -> None:
        super().__init__()
        self.study = study

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="export-form"):
            with VerticalScroll(id="export-choices"):
                yield Label("Format")
                yield Select([(f, f) for f in FORMATS], id="format", value="qdpx", allow_blank=False)
                yield Label("Participants (none chosen: all)")
                yield SelectionList[str](*[(p, p) for p in self.study.participant_names()], id="participants")
                yield Label("Timestamped text for (txt only)")
                yield Select([(d, d) for d in DIALECTS], id="dialect", value="plain", allow_blank=False)
                yield Checkbox(
                    "Include unreviewed transcripts (proposed spans replaced, marked UNREVIEWED)", id="unreviewed"
                )
                yield Checkbox("With audio (qdpx only: voices identify people)", id="with-audio")
                yield Checkbox("Include memos: journal and session notes, scrubbed (qdpx only)", id="memos")
                yield Input(placeholder="sample fraction for a second coder, e.g. 0.3", id="sample")
                yield Input(placeholder="sample seed (default 0)", id="seed", type="integer")
                yield Input(placeholder="encrypt to recipient age1... (optional)", id="recipient")
                yield Input(placeholder="export to (a new file or folder)", id="out")
                with Horizontal(classes="row"):
                    yield Button("Preview", id="preview")
                    yield Button("Export", variant="primary", id="export")
            yield TextArea("", read_only=True, id="export-preview")
        yield Footer()

    def _request(self) -> tuple[Options, Request]:
        sample_text = self.query_one("#sample", Input).value.strip()
        try:
            sample = float(sample_text) if sample_text else None
        except ValueError:
            raise FieldvaultError("the sample is a fraction such as 0.3") from None
        seed_text = self.query_one("#seed", Input).value.strip()
        try:
            seed = int(seed_text) if seed_text else 0
        except ValueError:  # the field lets "-" or "+" alone through (QA G1)
            raise FieldvaultError("the sample seed is a whole number such as 0") from None
        request = Request(
            tuple(self.query_one("#participants", SelectionList).selected),
            self.query_one("#unreviewed", Checkbox).value,
            sample,
            seed,
        )
        fmt = str(self.query_one("#format", Select).value)
        dialect = str(self.query_one("#dialect", Select).value) if fmt == "txt" else None
        audio, memos = self.query_one("#with-audio", Checkbox).value, self.query_one("#memos", Checkbox).value
        return Options(fmt, audio, dialect, memos), request

    @on(Button.Pressed, "#preview")
    def action_preview(self) -> None:
        try:
            options, request = self._request()
        except USER_ERRORS as err:
            self.notify(user_message(err), severity="error", timeout=8)
            return
        shown = Options(options.fmt, dialect=options.dialect) if options.fmt not in ("qdpx", "docx") else Options("txt")
        self.query_one("#export-preview", TextArea).load_text("Building the preview…")
        self._preview(shown, request)

    @work(thread=True, exclusive=True, exit_on_error=False, group="preview")
    def _preview(self, shown: Options, request: Request) -> None:
        """Decrypting and de-identifying every selected session takes a while: never on the UI thread."""
        try:
            bundle, files = render(self.study, cast("FieldvaultApp", self.app).identities, shown, request, SCREEN)
        except USER_ERRORS as err:
            self.app.call_from_thread(self.notify, user_message(err), severity="error", timeout=8)
            no_preview = f"No preview: {err if isinstance(err, FieldvaultError) else user_message(err)}"
            self.app.call_from_thread(self.query_one("#export-preview", TextArea).load_text, no_preview)
            return
        first = next(iter(files.values())).decode("utf-8").splitlines()[:PREVIEW_LINES]
        counted = f"{len(bundle.participants)} participant(s)" if shown.fmt == "demographics" else None
        text = f"{counted or f'{len(bundle.sessions)} session(s)'} · preview of the first as text\n\n" + "\n".join(
            first
        )
        self.app.call_from_thread(self.query_one("#export-preview", TextArea).load_text, text)

    @on(Button.Pressed, "#export")
    def action_export(self) -> None:
        out = self.query_one("#out", Input).value.strip()
        if not out:
            self.notify("Say where the export goes", severity="warning")
            return
        try:
            options, request = self._request()
            key = self.query_one("#recipient", Input).value.strip()
            recipient = X25519Recipient.parse(key) if key else None
        except USER_ERRORS as err:
            self.notify(user_message(err), severity="error", timeout=8)
            return
        self._export(options, request, Path(out).expanduser(), recipient)

    @work(thread=True, exclusive=True, exit_on_error=False, group="export")
    def _export(self, options: Options, request: Request, out: Path, recipient: X25519Recipient | None) -> None:
        try:
            identities = cast("FieldvaultApp", self.app).identities
            done = export(self.study, identities, options, out, request, recipient, SCREEN)
        except USER_ERRORS as err:
            self.app.call_from_thread(self.notify, user_message(err), severity="error", timeout=10)
            return
        note = f"; {done.unreviewed} marked UNREVIEWED" if done.unreviewed else ""
        if done.unchecked:
            note += f"; {done.unchecked} number(s), capital(s) or unusual word(s) left unchecked (w in review)"
        sealed = ", encrypted" if recipient else ""
        what = f"{len(done.participants)} participant(s)" if options.fmt == "demographics" else None
        said = f"Exported {what or f'{len(done.sessions)} session(s)'} to {done.out}{sealed}{note}"
        if options.memos and request.participants:  # what the CLI says beside it (QA G2)
            said += ". The reflexive journal is about the whole study: an export of chosen participants leaves it out"
        if options.with_audio:
            said += (
                ". The project holds the interview audio: silent where the transcript was redacted, but voices "
                "identify people and what detection missed is heard. Keep it encrypted"
            )
        for pseudonym, session, note in done.notes:  # what the CLI notes beside it
            said += f". {pseudonym}{f'/{session}' if session else ''}: {note}"
        warn = options.with_audio or bool(done.notes)
        self.app.call_from_thread(
            self.notify, said, severity="warning" if warn else "information", timeout=20 if done.notes else 10
        )
