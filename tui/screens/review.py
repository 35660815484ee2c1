"""Review the identifiers proposed for one transcript: accept, reject, relabel, add what was missed,
merge or split entities (who shares a placeholder), and listen to the segment to check what was said.
Every decision is saved and audited at once. Only redactions made on this very text are ever shown:
after re-transcription the spans are proposed afresh and earlier decisions wait to be confirmed."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from pathlib import Path

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
from fieldvault import transcript_versions as versions
from fieldvault.agefile import Identity
from fieldvault.audit import default_actor
from fieldvault.errors import TranscriptChanged
from fieldvault.export.gate import listed_forms, listed_in, other_sessions
from fieldvault.export.scrub import Scrubber, key
from fieldvault.participants import LABELS, substitute_refusal
from fieldvault.redact import leftover
from fieldvault.redact.entities import normal
from fieldvault.redact.foreign import not_english_note
from fieldvault.redact.leftover import Mention
from fieldvault.redact.rebase import DECIDED, EDITED, TRANSCRIBED, Stored, changed_under, store_review
from fieldvault.redact.replace import substituted
from fieldvault.redact.review import ACCEPTED, REJECTED, UNDECIDED, ProposedSpan, Redactions, detect_again, refresh
from fieldvault.sessionopen import OpenHold
from fieldvault.study import Study
from fieldvault.timecode import clock
from fieldvault.transcript import Transcript, next_speaker, read_transcript
from fieldvault.tui.errors import USER_ERRORS, WorkerErrors, user_message
from fieldvault.tui.screens.leftovers import GO, REDACT, Chosen
from fieldvault.tui.screens.substitute import CLEAR, PLACEHOLDER, Answer, exported_as
from fieldvault.wavstream import WavFormat

STYLES = {UNDECIDED: "bold black on yellow", ACCEPTED: "bold white on dark_green", REJECTED: "dim strike"}
WATCH_SECONDS = 2.0  # how often the stored transcript and redactions are looked at (their files' identity)
Stats = tuple[tuple[int, int, int] | None, ...]


DETECTED = "detected"  # Stored.changed: this screen detected every proposal afresh (D)
NOTHING_SAID = "This transcript has no segments (nothing was heard in the recording)"
NOTHING_STORED = "Enter or Esc closes; nothing typed here is stored"


class ReviewScreen(WorkerErrors, Screen[None]):
    # Priority: the letters act even while the read-only editor has focus for selecting a missed span.
    SUB_TITLE = "Review identifiers"
    # The footer keeps the decisions, Back, Quit and Help within 80 columns; ? lists every key.
    BINDINGS = [
        Binding("a", "decide('accepted')", "Accept", priority=True),
        Binding("x", "decide('rejected')", "Reject", priority=True),
        Binding("l", "relabel", "Label", priority=True),
        Binding("A", "accept_all", "Accept all of name", show=False, priority=True),
        Binding("n", "next_undecided", "Next undecided", priority=True),
        Binding("j", "move(1)", "Next span", show=False, priority=True),
        Binding("k", "move(-1)", "Previous span", show=False, priority=True),
        Binding("e", "add_selection", "Add selected text", show=False, priority=True),
        Binding("d", "delete_added", "Delete a span you added", show=False, priority=True),
        Binding("right_square_bracket", "line(1)", "Next line (to add what was missed)", show=False, priority=True),
        Binding("left_square_bracket", "line(-1)", "Previous line", show=False, priority=True),
        Binding("p", "play", "Play segment", show=False, priority=True),
        Binding("s", "substitute", "Set, change or clear a substitute name", show=False, priority=True),
        Binding("S", "speaker", "Set speaker", show=False, priority=True),
        Binding("m", "merge", "Merge entity", show=False, priority=True),
        Binding("u", "split", "Split entity", show=False, priority=True),
        Binding("C", "confirm_carried", "Confirm carried", show=False, priority=True),
        Binding("D", "detect_again", "Detect again", show=False, priority=True),
        Binding("w", "leftovers", "What is left unredacted", show=False, priority=True),
        Binding("escape", "app.pop_screen", "Back"),
    ]

    def __init__(
        self,
        study: Study,
        identities: Sequence[Identity],
        transcript: Transcript,
        redactions: Redactions,
        hold: OpenHold | None = None,
    ) -> None:
        """``transcript`` and ``redactions`` come from ``open_for_review``, run in a worker by the caller; ``hold``
        keeps the session from being moved by another fieldvault while it is open, let go as the screen closes."""
        super().__init__()
        self.study, self.identities = study, identities
        self.hold = hold
        self.pseudonym, self.session = transcript.pseudonym, transcript.session
        self.transcript, self.redactions = transcript, redactions
        self._base = list(redactions.spans)  # the spans as last loaded or stored: what changed here since
        self.reviewer = default_actor()
        self._told_decided = self.redactions.decided
        self.cursor = 0
        self._merging: ProposedSpan | None = None  # the first span of a merge, until the second is chosen
        self._audio: tuple[WavFormat, np.ndarray] | None = None
        self._spot: Mention | None = None  # a mention of a leftover the reviewer went to (w, Enter)
        self._line: int | None = None  # a segment the reviewer went to by line ([, ] or a click), proposal or not
        self._visits: dict[str, int] = {}  # per leftover, how many of its mentions were gone to
        self._left_at = 0  # the leftover highlighted when the list was last closed
        self._lists: Scrubber | None = None  # the listed identifiers no rejection lets out, once read
        self._others: list[Redactions] | None = None  # her other sessions' decisions, once read (#printed)
        self._seen: Stats | None = self._stats()  # the stored transcript's and redactions' files as last looked at

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label("", id="counter")
        yield Label("", id="printed", markup=False)  # what exports print for the current person
        yield Label("", id="carried")
        yield Label("", id="left")
        with VerticalScroll(id="segments"):
            for index, _ in enumerate(self.transcript.segments):
                yield SegmentLine("", id=f"seg-{index}", classes="segment")
        yield TextArea("", read_only=True, id="editor")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.set_interval(WATCH_SECONDS, self._watch)
        self._to_first_undecided()
        self._render_all()
        self._check_reviewed()
        if note := versions.roles_note(self.transcript):  # QA K11: the speakers shown here may be the wrong way round
            self.notify(note[0].upper() + note[1:], severity="warning", timeout=20)
        if note := not_english_note(self.transcript.settings.get("language")):  # QA R7: what detection read here
            self.notify(note[0].upper() + note[1:], severity="warning", timeout=20)
        if self.redactions.carried:
            self.notify(
                f"The transcript changed since it was reviewed: {self.redactions.carried} earlier decisions "
                "are offered again. Check them, then press C to confirm them",
                severity="warning",
                timeout=12,
            )

    def _to_first_undecided(self) -> None:
        undecided = [i for i, s in enumerate(self.redactions.spans) if s.state == UNDECIDED]
        self.cursor = undecided[0] if undecided else 0

    def on_unmount(self) -> None:
        if self.hold is not None:
            self.hold.release()

    def _check_reviewed(self) -> None:
        # Deciding spans is not reading the transcript: a person marks it reviewed in the editor.
        if self.redactions.decided and not self._told_decided:
            self._told_decided = True
            self.notify(
                "Every span is decided: read it through in the editor (o on the home screen) and mark it reviewed "
                "there with Ctrl+R"
            )

    # --- display ------------------------------------------------------------------------------

    @property
    def current(self):
        return self.redactions.spans[self.cursor] if self.redactions.spans else None

    def _render_segment(self, index: int) -> None:
        segment = self.transcript.segments[index]
        speaker = f"{segment.speaker}: " if segment.speaker else ""
        text = Text(f"[{clock(segment.start, digits=0)}] {speaker}")  # as the editor and exports round it (QA F9)
        if self._line == index:
            text = Text("» ", style="bold cyan") + text
        marks: list[tuple[int, int, str, str]] = []  # start, end, style, tag
        for span in (s for s in self.redactions.spans if s.segment == index):
            style = STYLES[span.state]
            if self.current is not None and span.id == self.current.id and self._spot is None and self._line is None:
                style += " reverse"
            marks.append((span.start, span.end, style, f"⟨{_tag(span)}⟩"))
        if self._spot is not None and self._spot.segment == index:
            marks.append((self._spot.start, self._spot.end, "bold black on cyan", "⟨left unredacted⟩"))
        done = 0
        for start, end, style, tag in sorted(marks):
            text.append(segment.text[done:start])
            text.append(segment.text[start:end], style=style)
            text.append(tag, style="italic dim")
            done = end
        text.append(segment.text[done:])
        self.query_one(f"#seg-{index}", Static).update(text)

    def _render_all(self) -> None:
        for index in range(len(self.transcript.segments)):
            self._render_segment(index)
        self._count_left()
        self._show_current()

    def _count_left(self) -> None:
        """Counted when decisions change, not at every move: it reads every word of the transcript."""
        left = len(leftover.leftovers(self.transcript, self.redactions))
        self.query_one("#left", Label).update(
            f"{left} number(s), capital(s) or unusual word(s) left unredacted: w lists them" if left else ""
        )

    def _show_current(self) -> None:
        span = self.current
        done = f"{self.redactions.undecided} undecided"
        if self.redactions.decided:
            done = (
                "reviewed"
                if self.redactions.reviewed
                else "all decided, not yet marked reviewed (Ctrl+R in the editor)"
            )
        label = ""
        if span is not None:
            mentions = sum(1 for s in self.redactions.spans if s.entity == span.entity)
            label = (
                f"\ncurrent: {span.label} ({span.source}), {span.state}, "
                f"entity {span.entity.split(':', 1)[-1]} ({_mentions(mentions)})"
            )
        self.query_one("#printed", Label).update(self._printed(span) if span is not None and self._line is None else "")
        if self._line is not None:
            label = (
                f"\nline {self._line + 1} of {len(self.transcript.segments)}: select words below (shift+arrows, "
                "mouse); e redacts them"
            )
        self.query_one("#counter", Label).update(
            f"{self.pseudonym}/{self.session}: {len(self.redactions.spans)} spans, {done}{label}"
        )
        carried = self.redactions.carried
        self.query_one("#carried", Label).update(
            f"{carried} earlier decision(s) to confirm (re-transcribed, or decided with a transcriber's key), shown as "
            "'was accepted/rejected'; "
            "C confirms them"
            if carried
            else ""
        )
        place = self._spot or span
        if self._line is not None:  # the whole line, nothing selected: the reviewer selects what to redact
            self._show_segment(self._line, 0, 0)
        elif place is not None:
            self._show_segment(place.segment, place.start, place.end)

    def _printed(self, span: ProposedSpan) -> str:
        """What exports print for the current person, and the key that changes it (tui27: a stored substitute name was
        never shown); tui28: by the export's own rule, so a first name whose full name was given a substitute in her
        other transcripts says that name, not her placeholder."""
        if span.label != "PERSON":
            return ""
        stored = self.redactions.substitute_of(span.id)
        if span.state == REJECTED:
            return f'Rejected: not replaced in exports, so its substitute "{stored}" is not used here' if stored else ""
        if stored:
            return f"Exported as {exported_as(stored).removeprefix('exported as ')}: s changes or clears it"
        found = substituted(span, self.redactions, self._other_sessions())
        if found is None:
            return f"Exported as {PLACEHOLDER}, a placeholder: s gives a substitute name"
        name = found.entity.split(":", 1)[-1]
        whose = "this person" if found.entity == span.entity else f"{name!r}, the same person,"
        said = f'Exported as "{found.name}", the substitute name set for {whose} in session {found.session}'
        return f"{said}: s gives one here"

    def _other_sessions(self) -> list[Redactions]:
        if self._others is None:
            try:
                self._others = other_sessions(self.study, self.identities, self.pseudonym, self.session)
            except USER_ERRORS:
                self._others = []  # unreadable: the export refuses them, and says why
        return self._others

    def _show_segment(self, index: int, start: int, end: int) -> None:
        widget = self.query_one(f"#seg-{index}", Static)
        self.query_one("#segments", VerticalScroll).scroll_to_widget(widget, animate=False)
        editor = self.query_one("#editor", TextArea)
        editor.load_text(self.transcript.segments[index].text)
        editor.selection = Selection((0, start), (0, end))

    def _changed(self, *segments: int) -> None:
        with versions.writing(self.study, self.pseudonym):
            stored = store_review(self.study, self.transcript, self.redactions, self._base, self.identities)
        if stored.changed is not None:
            self._reload(stored)
            return
        self._base = list(self.redactions.spans)
        self._check_reviewed()
        for index in set(segments):
            self._render_segment(index)
        self._count_left()
        self._show_current()

    def _reload(self, stored: Stored) -> None:
        """Another window stored something meanwhile (QA E7): show what is stored now, with the decisions made
        here moved onto it, and say so."""
        self.transcript, self.redactions = stored.transcript, stored.redactions
        self._base = list(self.redactions.spans)
        self._merging = self._spot = self._line = None
        self._visits, self._left_at = {}, 0
        self._others = None
        self._told_decided = self.redactions.decided
        box, count = self.query_one("#segments", VerticalScroll), len(self.transcript.segments)
        shown = list(box.query_children(Static))
        for surplus in shown[count:]:
            surplus.remove()
        box.mount_all(SegmentLine("", id=f"seg-{n}", classes="segment") for n in range(len(shown), count))
        self._to_first_undecided()
        self._render_all()
        if stored.changed == DECIDED:
            said = "Decisions were stored in another window meanwhile: this screen now shows them with yours"
            if stored.unplaced:
                said += f". {stored.unplaced} of yours were decided otherwise there: check them"
        elif stored.changed == EDITED:
            said = "The transcript was saved in another window: this screen now shows that version, with your "
            said += "decisions on it"
            if stored.unplaced:
                said += f". {stored.unplaced} of them found no place in the new text (edited there): check them"
        elif stored.changed == DETECTED:
            kept = sum(s.state != UNDECIDED for s in self.redactions.spans)
            said = f"Detected afresh: {len(self.redactions.spans)} span(s), the {kept} decided kept as decided"
        else:
            said = "The transcript was transcribed again meanwhile: this screen now shows the new text. Your "
            said += "decisions are offered again ('was accepted/rejected'): check them, then press C to confirm them"
        self.notify(said, severity="warning", timeout=15)

    def _changed_under(self) -> bool:
        """Before a change that stores the transcript itself: when another window changed it, reload first."""
        if not changed_under(self.study, self.transcript, self.identities):
            return False
        with versions.writing(self.study, self.pseudonym):
            stored = store_review(self.study, self.transcript, self.redactions, self._base, self.identities)
        self._reload(stored)
        return True

    # --- what another window stores ------------------------------------------------------------

    def _stats(self) -> Stats:
        folder = layout.session(self.study.root, self.pseudonym, self.session)
        return tuple(_stat(folder / name) for name in (layout.TRANSCRIPT, layout.REDACTIONS))

    def _watch(self) -> None:
        """Notice what another window stores (an editor's version, a re-transcription, decisions, a speaker) when
        it happens, not only at this screen's next decision (field7's list): every decision here is stored at
        once, so the screen simply shows what is stored now. Not while a dialog of this screen is open."""
        if self.app.screen is not self:
            return
        stats = self._stats()
        if stats != self._seen:
            self._seen = stats
            self._read_stored()

    @work(thread=True, exclusive=True, exit_on_error=False, group="watch")
    def _read_stored(self) -> None:
        try:
            folder = layout.session(self.study.root, self.pseudonym, self.session)
            now = read_transcript(self.study, folder / layout.TRANSCRIPT, self.identities)
            with versions.writing(self.study, self.pseudonym):  # fresh proposals for a new text are stored
                redactions, proposed = refresh(self.study, now, self.identities)
        except USER_ERRORS:
            return  # gone or unreadable: the next decision says why
        stats = self._stats()  # what was read, fresh proposals stored here included
        self.app.call_from_thread(self._stored_changed, stats, now, redactions, proposed)

    def _stored_changed(self, stats: Stats, now: Transcript, redactions: Redactions, proposed: bool) -> None:
        if self._stats() != stats:  # stored again since (a decision here, say): read it again
            self._seen = None
            return
        self._seen = stats
        if now.to_json() == self.transcript.to_json() and redactions.to_json() == self.redactions.to_json():
            return  # this screen's own decision
        changed = TRANSCRIBED if proposed else EDITED if now.to_json() != self.transcript.to_json() else DECIDED
        self._reload(Stored(now, redactions, changed))

    # --- actions --------------------------------------------------------------------------------

    def _leave_spot(self) -> None:
        if self._spot is not None:
            segment, self._spot = self._spot.segment, None
            self._render_segment(segment)
        if self._line is not None:
            segment, self._line = self._line, None
            self._render_segment(segment)

    def _shown(self) -> int | None:
        """The segment the editor below shows: where a selection is added, a speaker set, a line played. None in a
        transcript of nothing said, and said (qa25 QA18: e, S and p crashed there)."""
        if self._spot is not None:
            return self._spot.segment
        if self._line is not None:
            return self._line
        if not self.transcript.segments:
            self.notify(f"{NOTHING_SAID}: there is no line to redact in, set a speaker on or play", severity="warning")
            return None
        return self.current.segment if self.current is not None else 0

    def _proposal(self) -> ProposedSpan | None:
        """The current proposal a decision key acts on; none while a line shown by [, ] or a click hides it (said)."""
        if self._line is not None:
            self.notify("This is a line, not a proposal: e redacts the words selected in it; j, k or n go back to the "
                        "proposals", severity="warning")  # fmt: skip
            return None
        if self.current is None:
            self._say_no_proposals()
        return self.current

    def _say_no_proposals(self) -> None:
        if not self.transcript.segments:
            self.notify(f"{NOTHING_SAID}: nothing was proposed to decide", severity="warning")
        else:
            self.notify("Nothing was proposed in this transcript: ] goes to a line, where e redacts the words "
                        "selected", severity="warning")  # fmt: skip

    def action_line(self, step: int) -> None:
        """Go to the next or previous line whether or not anything was proposed there (walk24 WK1: a name Whisper
        misheard as everyday words, "from back a field", on a line with no proposal could not be redacted)."""
        if (shown := self._shown()) is not None:
            self.go_to_line(min(max(shown + step, 0), len(self.transcript.segments) - 1))

    def go_to_line(self, index: int) -> None:
        self._leave_spot()
        old = self.current.segment if self.current is not None else None
        self._line = index
        if old is not None:
            self._render_segment(old)  # its current span is not marked while a line is shown
        self._render_segment(index)
        self._show_current()

    def action_move(self, step: int) -> None:
        self._leave_spot()
        if not self.redactions.spans:
            self._say_no_proposals()
        else:
            old = self.current.segment
            self.cursor = (self.cursor + step) % len(self.redactions.spans)
            self._render_segment(old)
            self._render_segment(self.current.segment)
            self._show_current()

    def action_next_undecided(self) -> None:
        self._leave_spot()
        spans = self.redactions.spans
        if not spans:
            self._say_no_proposals()
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
        if (span := self._proposal()) is None:
            return
        listed = self._listed(span) if state == REJECTED else None
        if listed is not None:
            said = "is" if key(span.text) == key(listed) else f"is {listed!r} said another way, and"
            self.notify(
                f"Not rejected: {span.text!r} {said} on an identifier list: every export replaces it, whatever is "
                "decided here. If it must stay, take it off the list first",
                severity="warning",
                timeout=15,
            )
            return
        self.redactions.decide(span.id, state, self.reviewer, self.study.clock())
        self._changed(span.segment)
        self.action_next_undecided()

    def _listed(self, span: ProposedSpan) -> str | None:
        """The listed identifier the span (with its other pieces, when it is cut over segments) is a form of, which
        no rejection lets out of an export (QA F16; said in words, with fillers, cut over segments: QA R3, R4)."""
        if self._lists is None:
            try:
                self._lists = listed_forms(self.study, self.identities)
            except USER_ERRORS:
                self._lists = Scrubber(())  # the lists do not read: the export gate refuses, and says why
        pieces = self.redactions.pieces(span.id)
        first = min(p.segment for p in pieces)
        texts = [s.text for s in self.transcript.segments[first : max(p.segment for p in pieces) + 1]]
        return listed_in(self._lists, texts, [(p.segment - first, p.start, p.end) for p in pieces])

    def action_relabel(self) -> None:
        if (span := self._proposal()) is None:
            return
        label = LABELS[(LABELS.index(span.label) + 1) % len(LABELS)]
        self.redactions.relabel(span.id, label, self.reviewer, self.study.clock())
        self._changed(span.segment)

    def action_accept_all(self) -> None:
        if (span := self._proposal()) is None:
            return
        count = self.redactions.accept_all_of(span.id, self.reviewer, self.study.clock())
        self.notify(f"Accepted {_mentions(count)} of this name")
        self._changed(*{s.segment for s in self.redactions.spans if s.entity == span.entity})
        self.action_next_undecided()

    def action_merge(self) -> None:
        """m on one mention, then m on another: both become one entity (one placeholder)."""
        if (span := self._proposal()) is None:
            return
        if self._merging is None or self._merging.id == span.id:
            self._merging = span
            self.notify("Merge: move to a mention of the same person or place and press m again")
            return
        first, self._merging = self._merging, None
        named, into = self.redactions.substitute_of(first.id), self.redactions.substitute_of(span.id)
        if refused := self._kept_name_refused(first, span, into or named):
            self.notify(refused, severity="warning", markup=False, timeout=15)
            return
        try:
            moved = self.redactions.merge(first.id, span.id, self.reviewer, self.study.clock())
        except USER_ERRORS as err:
            self.notify(user_message(err), severity="warning")
            return
        total = sum(1 for s in self.redactions.spans if s.entity == span.entity)
        said = f"Merged: {_mentions(total)} now share one placeholder"  # qa28 QD4: "1 mention now share" for two
        if moved and named and not into:  # the merged-in mentions' substitute went without a word (qa28 QD4)
            said = f'Merged: {_mentions(total)} now share the substitute name "{named}"; s changes or clears it'
        elif moved and named and named != into:
            said += f', exported as "{into}" (a substitute name), not "{named}" as they were; s changes it'
        self.notify(said, markup=False, timeout=12 if named else 5)
        self._changed(*{s.segment for s in self.redactions.spans})

    def _kept_name_refused(self, first: ProposedSpan, into: ProposedSpan, kept: str | None) -> str | None:
        """Why ``m`` keeps no substitute over both people's mentions, or None: the name the merged person keeps (the
        target's, else the one carried over) then stands in for the other's words too, and one that is or sounds
        like them ("Faithe" carried onto "Faith") would put that name out. Checked by the rule ``s`` and the export
        use (the export refused it later, naming it); nothing is merged."""
        if kept is None or first.entity == into.entity:
            return None
        both = [s.text for s in self.redactions.spans if s.entity in (first.entity, into.entity)]
        others = self._taken_out_besides(first.entity, into.entity)
        why = substitute_refusal(self.study, kept, self.identities, both, others)
        if why is None:
            return None
        return (
            f'Not merged: the merged person would keep the substitute name "{kept}", which {why}: give that person '
            "another (s) or clear it (s, then Ctrl+D) first, then merge"
        )

    def action_split(self) -> None:
        """This mention (and those written the same way) becomes an entity of its own: another person."""
        if (span := self._proposal()) is None:
            return
        named = self.redactions.substitute_of(span.id)
        try:
            moved = self.redactions.split(span.id, self.reviewer, self.study.clock())
        except USER_ERRORS as err:
            self.notify(user_message(err), severity="warning")
            return
        one = moved == 1
        said = f"Split off: {_mentions(moved)} {'gets' if one else 'get'} a placeholder of "
        said += f"{'its' if one else 'their'} own"
        if named:  # tui28: it was dropped from the mentions split off without a word
            kept = sum(1 for s in self.redactions.spans if s.entity == span.entity)
            said += f', {PLACEHOLDER}, not the substitute name "{named}": that stays with the other {_mentions(kept)}'
            said += f" of the person; s on {'this' if one else 'these'} gives {'it' if one else 'them'} one"
        self.notify(said, markup=False, timeout=12 if named else 5)
        self._changed(*{s.segment for s in self.redactions.spans})

    def action_detect_again(self) -> None:
        """Every undecided proposal detected afresh, the decisions kept (`redact --again`; QA S9: proposals made
        before a detection fix stayed wrong while the text stayed the same)."""
        if not self._changed_under():
            self.notify("Detecting again…")
            self._detect_again()

    @work(thread=True, exclusive=True, exit_on_error=False, group="detect")
    def _detect_again(self) -> None:
        try:
            with versions.writing(self.study, self.pseudonym):
                redactions = detect_again(self.study, self.transcript, self.identities)
        except USER_ERRORS as err:
            self.app.call_from_thread(self.notify, user_message(err), severity="error")
            return
        self.app.call_from_thread(self._detected_again, redactions)

    def _detected_again(self, redactions: Redactions) -> None:
        self._seen = self._stats()
        self._reload(Stored(self.transcript, redactions, DETECTED))

    def action_confirm_carried(self) -> None:
        # a carried rejection of a listed identifier is confirmed, and said to change nothing: `x` would refuse it
        carried = [s for s in self.redactions.spans if s.state == UNDECIDED and s.carried == REJECTED]
        listed = [s for s in carried if self._listed(s)]
        count = self.redactions.confirm_carried(self.reviewer, self.study.clock())
        if not count:
            self.notify("No carried-over decisions to confirm")
            return
        self.notify(f"Confirmed {count} decision(s) carried over from the earlier transcript")
        if listed:
            self.notify(
                f"{len(listed)} of them rejected a form of an identifier on a list ({listed[0].text!r}): every export "
                "replaces those whatever is decided here",
                severity="warning",
                timeout=15,
            )
        self._changed(*{s.segment for s in self.redactions.spans})

    def action_leftovers(self) -> None:
        """What review leaves unredacted (numbers, capitals, unusual words), to go to, redact or keep."""
        from fieldvault.tui.screens.leftovers import LeftoversScreen

        items = leftover.leftovers(self.transcript, self.redactions)
        self.app.push_screen(LeftoversScreen(self.transcript, items, self._left_at), self._left_chosen)

    def _left_chosen(self, chosen: Chosen | None) -> None:
        if chosen is None:
            return
        item = chosen.item
        items = leftover.leftovers(self.transcript, self.redactions)
        self._left_at = next((n for n, i in enumerate(items) if i.key == item.key), 0)
        if chosen.action == GO:
            visits = self._visits.get(item.key, 0)
            self._visits[item.key] = visits + 1
            self._leave_spot()
            self._spot = item.mentions[visits % len(item.mentions)]
            self._render_segment(self._spot.segment)
            self._show_current()
            self.notify(f"{item.text!r}: mention {visits % len(item.mentions) + 1} of {len(item.mentions)} "
                        "(w, Enter for the next; e redacts the selection)")  # fmt: skip
            return
        if chosen.action == REDACT:
            label = leftover.label_for(item)
            count = leftover.redact(self.transcript, self.redactions, item, label, self.reviewer, self.study.clock())
            self.notify(f"Redacted {_mentions(count)} of {item.text!r} as {label} (l changes the label)")
        else:
            leftover.keep(self.redactions, item)
            self.notify(f"Kept {item.text!r}: it is not listed again")
        self._leave_spot()
        self._changed(*{m.segment for m in item.mentions})
        self.action_leftovers()

    def action_add_selection(self) -> None:
        if (segment := self._shown()) is None:
            return
        editor = self.query_one("#editor", TextArea)
        (_, start), (_, end) = sorted([editor.selection.start, editor.selection.end])
        try:
            added = self.redactions.add(
                self.transcript, segment, start, end, "PERSON", self.reviewer, self.study.clock()
            )
        except USER_ERRORS as err:
            self.notify(user_message(err), severity="warning")
            return
        self.cursor = self.redactions.spans.index(added)
        self._spot = self._line = None
        self._changed(segment)

    def action_delete_added(self) -> None:
        """walk24 WK4: a span added on the wrong words is taken back here, and the right words can then be added."""
        if (span := self._proposal()) is None:
            return
        try:
            self.redactions.remove(span.id)
        except USER_ERRORS as err:
            self.notify(user_message(err), severity="warning")
            return
        self.cursor = min(self.cursor, max(len(self.redactions.spans) - 1, 0))
        self._line = span.segment  # the line stays shown, to select the right words there
        self._changed(span.segment)
        self.notify(f"Deleted {span.text!r}, added by hand: select the words to redact and press e")

    def action_substitute(self) -> None:
        """A name to use instead of [PERSON n] for every mention of this person; where one is stored, the dialog says
        which and clears it (tui27: an empty answer cancels, and nothing else took one back)."""
        from fieldvault.tui.screens.ask import AskScreen

        span = self.current if self._line is None else None
        if span is None or span.label != "PERSON":  # qa26 QB2: a toast left the name typed on to the review's keys
            self.app.push_screen(AskScreen(self._no_substitute(span), keys=NOTHING_STORED))
            return
        self._ask_substitute(span)

    def _ask_substitute(self, span: ProposedSpan) -> None:
        from fieldvault.tui.screens.substitute import SubstituteScreen

        mentions = sum(1 for s in self.redactions.spans if s.entity == span.entity)
        stored = self.redactions.substitute_of(span.id)
        self.app.push_screen(SubstituteScreen(stored, mentions), partial(self._substitute_chosen, span))

    def _substitute_chosen(self, span: ProposedSpan, answer: Answer | None) -> None:
        if answer is None:
            return
        mentions = [s for s in self.redactions.spans if s.entity == span.entity]
        if answer.action == CLEAR:
            cleared = self.redactions.clear_substitute(span.id, self.reviewer, self.study.clock())
            self._changed(*{s.segment for s in mentions})
            said = f'Cleared the substitute name "{cleared}": exports print this person as {PLACEHOLDER} again'
            self.notify(f"{said} ({_mentions(len(mentions))})", markup=False)
            return
        name = answer.name.strip()
        others = self._taken_out_besides(span.entity)
        if why := substitute_refusal(self.study, name, self.identities, [s.text for s in mentions], others):
            self.notify(
                f"{name!r} {why}, and a substitute is printed in every export: choose another", severity="warning"
            )
            # asked again at once: a next try typed into the review screen would fire its keys (A accepts)
            self._ask_substitute(span)
            return
        self.redactions.substitute(span.id, name, self.reviewer, self.study.clock())
        self._changed(*{s.segment for s in mentions})
        said = f"This person is {exported_as(name)} ({_mentions(len(mentions))}); s changes or clears it"
        self.notify(said, markup=False)

    def _taken_out_besides(self, *entities: str) -> list[str]:
        """What else exports take out of this interview: the mentions of every other person or place not rejected."""
        return [s.text for s in self.redactions.spans if s.entity not in entities and s.state != REJECTED]

    def _no_substitute(self, span: ProposedSpan | None) -> str:
        """Why ``s`` sets no substitute here: said in the dialog a substitute is typed into, so that a name typed on
        at once lands there (qa26 QB2: after a toast, "Max" accepted the current span and rejected the next, unseen)."""
        if self._line is not None:
            return "This is a line, not a proposal: j, k or n go back to the proposals, where s on a name sets one"
        if span is None and not self.transcript.segments:
            return f"{NOTHING_SAID}: nothing was proposed, so there is no name to substitute"
        if span is None:
            return "Nothing was proposed in this transcript, so there is no name to substitute"
        return f"Substitute names are for people: this span is {span.label} and keeps its placeholder"

    def action_speaker(self) -> None:
        """Cycle the current segment's speaker as the editor's Ctrl+T does: none, Interviewer, Participant, then
        every other label in use ("Speaker 2"). Each is a new version of the transcript (field7's list: it replaced
        the current one, with no version), and a notice says what was set (QA G3)."""
        if (index := self._shown()) is None:
            return
        speaker = next_speaker(self.transcript.segments[index].speaker, self.transcript.segments)
        try:
            self.transcript = versions.set_speaker(
                self.study, self.transcript, index, speaker, self.identities, self.reviewer
            )
        except TranscriptChanged:
            if not self._changed_under():  # the text is the same: a speaker or a version stamp changed there
                self._seen = None
                self._read_stored()
            self.notify("No speaker was set: the transcript had changed. Press S again", severity="warning")
            return
        except USER_ERRORS as err:
            self.notify(user_message(err), severity="error")
            return
        self._render_segment(index)
        self.notify(f"Segment {index + 1}: {speaker or 'no speaker'} (a new version; S again for the next)")

    def action_play(self) -> None:
        if (index := self._shown()) is None:
            return
        segment = self.transcript.segments[index]  # the line shown below, a proposal's or not
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


def _tag(span: ProposedSpan) -> str:
    """The label after a span, with the known identifier a sound-alike stands for and a carried decision."""
    tag = span.label
    if span.matched and normal(span.matched) != normal(span.text):
        tag += f" ≈ {span.matched}"
    if span.substitute and span.label == "PERSON" and span.state != REJECTED:
        tag += f', exported as "{span.substitute}"'
    if span.state == UNDECIDED and span.carried:
        tag += f", was {span.carried}"
    return tag


def _stat(path: Path) -> tuple[int, int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_ino, stat.st_mtime_ns, stat.st_size


class SegmentLine(Static):
    """One segment of the transcript: a click on it shows it below, to select and redact what was missed there."""

    def on_click(self) -> None:
        screen = self.screen
        if isinstance(screen, ReviewScreen) and self.id is not None:
            screen.go_to_line(int(self.id.removeprefix("seg-")))


def _mentions(count: int) -> str:
    """walk24 WK5: "1 mention(s)"."""
    return f"{count} mention{'' if count == 1 else 's'}"
