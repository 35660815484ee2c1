"""Review the identifiers proposed for one transcript: accept, reject, relabel, add what was missed,
and listen to the segment to check what was said. Every decision is saved and audited at once."""

from __future__ import annotations

import numpy as np
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Label, Static, TextArea
from textual.widgets.text_area import Selection

from fieldvault import layout
from fieldvault.audit import default_actor
from fieldvault.layout import REDACTIONS, TRANSCRIPT
from fieldvault.redact.review import ACCEPTED, REJECTED, UNDECIDED, load, propose_and_save, save
from fieldvault.redact.spans import LABELS
from fieldvault.study import Study
from fieldvault.transcript import Transcript, next_speaker, set_speaker
from fieldvault.tui.errors import USER_ERRORS, user_message
from fieldvault.wavstream import WavFormat

STYLES = {UNDECIDED: "bold black on yellow", ACCEPTED: "bold white on dark_green", REJECTED: "dim strike"}


class ReviewScreen(Screen[None]):
    # Priority: the letters act even while the read-only editor has focus for selecting a missed span.
    BINDINGS = [
        Binding("a", "decide('accepted')", "Accept", priority=True),
        Binding("x", "decide('rejected')", "Reject", priority=True),
        Binding("l", "relabel", "Label", priority=True),
        Binding("A", "accept_all", "Accept all of name", priority=True),
        Binding("n", "next_undecided", "Next undecided", priority=True),
        Binding("j", "move(1)", "Next span", priority=True),
        Binding("k", "move(-1)", "Previous span", priority=True),
        Binding("e", "add_selection", "Add selected text", priority=True),
        Binding("p", "play", "Play segment", priority=True),
        Binding("s", "substitute", "Substitute name", priority=True),
        Binding("S", "speaker", "Set speaker", priority=True),
        Binding("escape", "app.pop_screen", "Back"),
    ]

    def __init__(self, study: Study, pseudonym: str, session: str, identities: list) -> None:  # type: ignore[type-arg]
        super().__init__()
        self.study, self.pseudonym, self.session, self.identities = study, pseudonym, session, identities
        folder = layout.session(study.root, pseudonym, session)
        self.transcript = Transcript.from_json(study.read(folder / TRANSCRIPT, identities))
        if (folder / REDACTIONS).exists():
            self.redactions = load(study, pseudonym, session, identities)
        else:
            self.redactions = propose_and_save(study, self.transcript, identities)
        self.reviewer = default_actor()
        self._told_decided = self.redactions.decided
        self.cursor = 0
        self._audio: tuple[WavFormat, np.ndarray] | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label("", id="counter")
        with VerticalScroll(id="segments"):
            for index, _ in enumerate(self.transcript.segments):
                yield Static("", id=f"seg-{index}", classes="segment")
        yield TextArea("", read_only=True, id="editor")
        yield Footer()

    def on_mount(self) -> None:
        undecided = [i for i, s in enumerate(self.redactions.spans) if s.state == UNDECIDED]
        self.cursor = undecided[0] if undecided else 0
        self._render_all()
        self._check_reviewed()

    def _check_reviewed(self) -> None:
        # Deciding spans is not reading the transcript: a person marks it reviewed in the editor.
        if self.redactions.decided and not self._told_decided:
            self._told_decided = True
            self.notify("Every span is decided: read it through in the editor (o on the home screen), mark it reviewed")

    # --- display ------------------------------------------------------------------------------

    @property
    def current(self):  # type: ignore[no-untyped-def]
        return self.redactions.spans[self.cursor] if self.redactions.spans else None

    def _render_segment(self, index: int) -> None:
        segment = self.transcript.segments[index]
        speaker = f"{segment.speaker}: " if segment.speaker else ""
        text = Text(f"[{int(segment.start) // 60:02d}:{int(segment.start) % 60:02d}] {speaker}")
        done = 0
        for span in sorted((s for s in self.redactions.spans if s.segment == index), key=lambda s: s.start):
            style = STYLES[span.state]
            if self.current is not None and span.id == self.current.id:
                style += " reverse"
            text.append(segment.text[done : span.start])
            text.append(segment.text[span.start : span.end], style=style)
            text.append(f"⟨{span.label}⟩", style="italic dim")
            done = span.end
        text.append(segment.text[done:])
        self.query_one(f"#seg-{index}", Static).update(text)

    def _render_all(self) -> None:
        for index in range(len(self.transcript.segments)):
            self._render_segment(index)
        self._show_current()

    def _show_current(self) -> None:
        span = self.current
        done = f"{self.redactions.undecided} undecided"
        if self.redactions.decided:
            done = "reviewed" if self.redactions.reviewed else "all decided, not yet marked reviewed"
        label = f" · current: {span.label} ({span.source}), {span.state}" if span else ""
        self.query_one("#counter", Label).update(
            f"{self.pseudonym}/{self.session}: {len(self.redactions.spans)} spans, {done}{label}"
        )
        if span is not None:
            widget = self.query_one(f"#seg-{span.segment}", Static)
            self.query_one("#segments", VerticalScroll).scroll_to_widget(widget, animate=False)
            editor = self.query_one("#editor", TextArea)
            editor.load_text(self.transcript.segments[span.segment].text)
            editor.selection = Selection((0, span.start), (0, span.end))

    def _changed(self, *segments: int) -> None:
        save(self.study, self.redactions)
        self.study.audit.append("redaction.decided", pseudonym=self.pseudonym, session=self.session)
        self._check_reviewed()
        for index in set(segments):
            self._render_segment(index)
        self._show_current()

    # --- actions --------------------------------------------------------------------------------

    def action_move(self, step: int) -> None:
        if self.redactions.spans:
            old = self.current.segment
            self.cursor = (self.cursor + step) % len(self.redactions.spans)
            self._render_segment(old)
            self._render_segment(self.current.segment)
            self._show_current()

    def action_next_undecided(self) -> None:
        spans = self.redactions.spans
        for step in range(1, len(spans) + 1):
            candidate = (self.cursor + step) % len(spans)
            if spans[candidate].state == UNDECIDED:
                old = self.current.segment
                self.cursor = candidate
                self._render_segment(old)
                self._render_segment(self.current.segment)
                self._show_current()
                return

    def action_decide(self, state: str) -> None:
        span = self.current
        if span is None:
            return
        self.redactions.decide(span.id, state, self.reviewer, self.study.clock())
        self._changed(span.segment)
        self.action_next_undecided()

    def action_relabel(self) -> None:
        span = self.current
        if span is None:
            return
        label = LABELS[(LABELS.index(span.label) + 1) % len(LABELS)]
        self.redactions.relabel(span.id, label, self.reviewer, self.study.clock())
        self._changed(span.segment)

    def action_accept_all(self) -> None:
        span = self.current
        if span is None:
            return
        count = self.redactions.accept_all_of(span.id, self.reviewer, self.study.clock())
        self.notify(f"Accepted {count} mention(s) of this name")
        self._changed(*{s.segment for s in self.redactions.spans if s.entity == span.entity})
        self.action_next_undecided()

    def action_add_selection(self) -> None:
        editor = self.query_one("#editor", TextArea)
        span = self.current
        segment = span.segment if span else 0
        (_, start), (_, end) = sorted([editor.selection.start, editor.selection.end])
        try:
            added = self.redactions.add(
                self.transcript, segment, start, end, "PERSON", self.reviewer, self.study.clock()
            )
        except USER_ERRORS as err:
            self.notify(user_message(err), severity="warning")
            return
        self.cursor = self.redactions.spans.index(added)
        self._changed(segment)

    def action_substitute(self) -> None:
        """A name to use instead of [PERSON n] for every mention of this person."""
        from fieldvault.tui.screens.ask import AskScreen

        span = self.current
        if span is None or span.label != "PERSON":
            self.notify("Substitute names are for people: select a PERSON span", severity="warning")
            return

        def chosen(name: str | None) -> None:
            if name and name.strip():
                self.redactions.substitute(span.id, name, self.reviewer, self.study.clock())
                self._changed(*{s.segment for s in self.redactions.spans if s.entity == span.entity})

        self.app.push_screen(AskScreen("Substitute name for this person", "e.g. Lisa"), chosen)

    def action_speaker(self) -> None:
        """Cycle the current segment's speaker: none, Interviewer, Participant (mono recordings)."""
        span = self.current
        index = span.segment if span else 0
        self.transcript = set_speaker(
            self.study, self.transcript, index, next_speaker(self.transcript.segments[index].speaker)
        )
        self.study.audit.append("transcript.speaker", pseudonym=self.pseudonym, session=self.session)
        self._render_segment(index)

    def action_play(self) -> None:
        span = self.current
        segment = self.transcript.segments[span.segment if span else 0]
        self._play(segment.start, segment.end)

    @work(thread=True, exclusive=True, exit_on_error=False, group="playback")
    def _play(self, start: float, end: float) -> None:
        from fieldvault.audiofile import load_pcm
        from fieldvault.capture import playback

        try:
            if self._audio is None:
                folder = layout.session(self.study.root, self.pseudonym, self.session)
                self._audio = load_pcm(self.study, folder, self.identities)
            fmt, samples = self._audio
            playback.play(fmt, samples, start, end)
        except USER_ERRORS as err:
            self.app.call_from_thread(self.notify, f"cannot play: {user_message(err)}", severity="error")
