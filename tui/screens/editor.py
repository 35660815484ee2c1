"""The transcript editor: a whole session, corrected while listening. Text, split and merge, speakers,
markers and transcription tags, find and replace across the participant's sessions, undo and redo; each
save is a new encrypted version, an encrypted autosave runs every few seconds, and a person marks the
session reviewed once every segment has been on screen. Audio is decrypted into memory only.

Opening decrypts in the caller's worker (``open_for_editing``); saving, the autosave and its check at the
start run in workers here, so a long session never stops the screen. One save at a time, and no leaving
while one runs."""

from __future__ import annotations

import bisect
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Label
from textual.worker import Worker

from fieldvault import editing, layout, timecode, transcript_merge
from fieldvault import transcript_versions as versions
from fieldvault.agefile import Identity
from fieldvault.audit import default_actor
from fieldvault.capture.player import SPEEDS, Player
from fieldvault.editing import Draft, History
from fieldvault.errors import TranscriptChanged
from fieldvault.gaps import salvage_note
from fieldvault.guide import Guide
from fieldvault.names import find_same
from fieldvault.participants import known_identifiers
from fieldvault.redact.labels import flagged
from fieldvault.redact.review import ProposedSpan, Redactions, current, mark_reviewed
from fieldvault.sessionopen import OpenHold
from fieldvault.study import Study
from fieldvault.suggested import command
from fieldvault.transcript import SWAP_KEY, TAGS, Marker, Transcript, next_speaker, tag
from fieldvault.tui.errors import USER_ERRORS, WorkerErrors, user_message
from fieldvault.tui.widgets.transcript_rows import LineEditor, MarkerRow, SegmentRow

AUTOSAVE_SECONDS = 5.0
WATCH_SECONDS = 2.0  # how often the stored transcript is looked at (its file's identity; decrypted when it changed)
JUMP_BACK = 3.0
FOLLOW_AFTER_TYPING = 2.0  # the cursor follows playback only when the transcriber has stopped typing
NOTHING_SAID = "This transcript has no segments (nothing was heard in the recording)"


class EditorScreen(WorkerErrors, Screen[None]):
    SUB_TITLE = "Transcript editor"
    # Priority: these act while the line editor has focus and the transcriber is typing.
    # The footer shows what a transcriber needs at every moment and fits 80 columns; F1 lists every key.
    BINDINGS = [
        Binding("f4,ctrl+space,ctrl+@", "play_pause", "Play", tooltip="Play/pause", priority=True),
        Binding("f2", "jump_back", "Back 3 s", priority=True),
        Binding("f3", "speed(-1)", "Slower", show=False, priority=True),
        Binding("f5", "speed(1)", "Faster", show=False, priority=True),
        Binding("f6", "loop", "Loop segment", show=False, priority=True),
        Binding("f7", "follow", "Follow", show=False, priority=True),
        Binding("ctrl+s", "save", "Save", tooltip="Save version", priority=True),
        Binding("ctrl+z", "undo", "Undo", show=False, priority=True),
        Binding("ctrl+y", "redo", "Redo", show=False, priority=True),
        Binding("enter", "split", "Split here", show=False, priority=True),
        Binding("ctrl+j", "merge", "Merge with next", show=False, priority=True),
        Binding("ctrl+t", "speaker", "Speaker", show=False, priority=True),
        Binding("f8", "mark_range", "Mark range", show=False, priority=True),
        Binding("ctrl+n", "rename_speaker", "Rename speaker", show=False, priority=True),
        Binding(f"{SWAP_KEY},f12", "swap_speakers", "Swap speakers", show=False, priority=True),
        Binding("ctrl+g", "tag", "Tag", show=False, priority=True),
        Binding("ctrl+o", "insert_marker", "Prompt marker", show=False, priority=True),
        Binding("alt+up", "move_marker(-1)", "Marker up", show=False, priority=True),
        Binding("alt+down", "move_marker(1)", "Marker down", show=False, priority=True),
        Binding("ctrl+f", "find_replace", "Find/replace", show=False, priority=True),
        Binding("ctrl+r", "mark_reviewed", "Reviewed", tooltip="Mark reviewed", priority=True),
        Binding("f9", "notes", "Notes", tooltip="The session's timeline and field notes", show=False, priority=True),
        Binding("pageup", "go(-1)", "Previous segment", show=False, priority=True),
        Binding("pagedown", "go(1)", "Next segment", show=False, priority=True),
        Binding("f1", "app.help", "Keys", tooltip="Every key of this screen"),
        Binding("escape", "leave", "Back"),
    ]

    def __init__(
        self,
        study: Study,
        opened: versions.Opened,
        identities: Sequence[Identity],
        device: int | str | None = None,
        hold: OpenHold | None = None,
    ) -> None:
        """``opened`` comes from ``transcript_versions.open_for_editing``, run in a worker by the caller; ``hold``
        keeps the session from being moved by another fieldvault while it is open, let go as the screen closes."""
        super().__init__()
        self.study, self.identities, self.device = study, identities, device
        self.hold = hold
        self.pseudonym, self.session = opened.draft.transcript.pseudonym, opened.draft.transcript.session
        self.history = History(opened.draft)
        self.saved = self.history.draft
        self.autosaved = self.history.draft
        self.known = opened.known
        self.salvaged = opened.salvaged
        self.redactions = opened.redactions
        self.saving: Draft | None = None  # the draft a running save is storing
        self.autosave_failed = False  # the last autosave failed: quitting must not promise it keeps the changes
        self.replacing = False  # find and replace is reading her other sessions, or storing them
        self.marking = False  # the reviewed mark is being stored
        self._leave_after_save = False
        self.editor_name = default_actor()
        self.cursor = 0
        self.range_start: int | None = None
        self.seen: set[int] = set()
        self.player: Player | None = None
        self.follow = True
        self.loop = False
        self.playing_index: int | None = None
        self.last_typed = 0.0
        self._played_from: int | None = None
        self._rows: list[SegmentRow] = []
        self._styled: set[int] = set()  # rows that carry a class of _style_rows
        self._markers_shown: tuple[Marker, ...] = ()
        self._stored_stat = self._stat()  # the stored transcript's file as last looked at
        self._told_changed = False  # the notice that the stored transcript changed under unsaved edits was given
        self.roles_note = versions.roles_note(opened.draft.transcript)

    @property
    def draft(self) -> Draft:
        return self.history.draft

    @property
    def dirty(self) -> bool:
        return self.draft != self.saved

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label("", id="editor-status")
        if self.roles_note:  # the roles were named by who talked more: said until the transcriber swaps them
            yield Label(self.roles_note[0].upper() + self.roles_note[1:], id="roles-note", markup=False)
        yield VerticalScroll(id="transcript")
        yield LineEditor(self._typed, self._edge, self._join, id="line", soft_wrap=True, show_line_numbers=False)
        yield Footer(show_command_palette=False)  # Ctrl+P still opens the palette

    def on_mount(self) -> None:
        self._rebuild()
        self._go(0)
        if self.salvaged:  # the stretch plays as silence under words heard before the damage: say so at once
            note = salvage_note(self.salvaged)
            self.notify(note[0].upper() + note[1:], severity="warning", timeout=30)
        self.set_interval(AUTOSAVE_SECONDS, self._autosave_tick)
        self.set_interval(0.25, self._tick)
        self.set_interval(WATCH_SECONDS, self._watch)
        self._check_autosave()

    def on_unmount(self) -> None:
        if self.player is not None:  # her voice stops with the screen, however it closed (a lock)
            self.player.close()
        if self.hold is not None:
            self.hold.release()

    # --- display ------------------------------------------------------------------------------

    def _rebuild(self) -> None:
        """Rows for every segment with the markers in place (after a split, merge or marker change)."""
        container = self.query_one("#transcript", VerticalScroll)
        container.remove_children()
        self._markers_shown = self.draft.transcript.markers
        markers = list(enumerate(self._markers_shown))
        rows: list[SegmentRow | MarkerRow] = []
        self._rows = []
        for index, segment in enumerate(self.draft.segments):
            while markers and markers[0][1].at <= segment.start:
                rows.append(MarkerRow(*markers.pop(0)))
            row = SegmentRow(index)
            row.show(segment, tuple(self.draft.spans_of(index)))
            self._rows.append(row)
            rows.append(row)
        rows.extend(MarkerRow(*m) for m in markers)
        container.mount_all(rows)
        self._styled = set()
        self._style_rows()

    def _render_row(self, index: int) -> None:
        if 0 <= index < len(self._rows):
            self._rows[index].show(self.draft.segments[index], tuple(self.draft.spans_of(index)))

    def _render_all(self) -> None:
        if len(self._rows) != len(self.draft.segments) or self._markers_shown != self.draft.transcript.markers:
            self._rebuild()
            return
        by_segment: dict[int, list[ProposedSpan]] = {}
        for span in self.draft.spans:
            by_segment.setdefault(span.segment, []).append(span)
        for index, row in enumerate(self._rows):
            row.show(self.draft.segments[index], tuple(by_segment.get(index, ())))
        self._style_rows()

    def _style_rows(self) -> None:
        """Classes for the current, playing and marked rows; only rows whose classes change are touched,
        as every change costs a style pass over hundreds of rows."""
        low, high = sorted((self.range_start, self.cursor)) if self.range_start is not None else (0, -1)
        wanted = {self.cursor: {"current"}}
        if self.playing_index is not None:
            wanted.setdefault(self.playing_index, set()).add("playing")
        for index in range(low, high + 1):
            wanted.setdefault(index, set()).add("in-range")
        for index in set(wanted) | self._styled:
            if 0 <= index < len(self._rows):
                classes = wanted.get(index, set())
                for name in ("current", "playing", "in-range"):
                    self._rows[index].set_class(name in classes, name)
        self._styled = set(wanted)
        self._status()

    def _status(self) -> None:
        version = versions.version_of(self.draft.transcript).number
        changes = " · saving…" if self.saving is not None else " · unsaved" if self.dirty else ""
        parts = [f"{self.pseudonym}/{self.session} v{version}{changes}"]
        parts.append(f"{self.cursor + 1}/{len(self.draft.segments)}" if self.draft.segments else "no segments")
        if self.player is not None:
            state = "▶" if self.player.playing else "⏸"
            parts.append(f"{state} {timecode.clock(self.player.position, digits=0)} ×{self.player.speed:g}")
        if self.loop:
            parts.append("loop")
        if not self.follow:
            parts.append("not following")
        parts.append(f"read {len(self.seen)}/{len(self.draft.segments)}")
        parts.append(self._review_state)
        self.query_one("#editor-status", Label).update(" · ".join(parts), layout=False)  # one line, always

    @property
    def _review_state(self) -> str:
        if self.dirty:
            return "unreviewed (edited)"
        redactions = self.redactions
        if redactions.reviewed:
            return f"reviewed by {redactions.reviewed_by}"
        return f"unreviewed: {redactions.undecided} span(s) undecided" if redactions.undecided else "unreviewed"

    def _mark_seen(self) -> None:
        container = self.query_one("#transcript", VerticalScroll)
        top, bottom = container.scroll_y, container.scroll_y + container.size.height
        for row in self._rows:
            region = row.virtual_region
            if region.y < bottom and region.bottom > top:
                self.seen.add(row.index)
        if self.draft.segments:
            self.seen.add(self.cursor)

    # --- moving between segments --------------------------------------------------------------

    def _go(self, index: int, column: int = 0) -> None:
        """Make segment ``index`` the one being edited, detecting identifiers again in the one left. In a transcript
        of nothing said the line below holds nothing and takes no typing: there is no segment for it to go into."""
        line = self.query_one("#line", LineEditor)
        line.disabled = not self.draft.segments
        if not self.draft.segments:
            self.cursor = 0
            line.load_text("")
            self._style_rows()
            return
        self._detect_edited()
        self.history.end_typing()
        self.cursor = max(0, min(index, len(self.draft.segments) - 1))
        line.load_text(self.draft.segments[self.cursor].text)
        line.move_cursor((0, max(0, min(column, len(line.text)))))
        line.focus()
        if self._rows:
            self.query_one("#transcript", VerticalScroll).scroll_to_widget(self._rows[self.cursor], animate=False)
        self._style_rows()
        self.call_after_refresh(self._mark_seen)

    def _detect_edited(self) -> None:
        """New proposals in segments whose text is not the saved version's (edited, split, merged, replaced)."""
        saved = {s.text for s in self.saved.segments}
        changed = [i for i, s in enumerate(self.draft.segments) if s.text not in saved]
        if changed:
            detected = editing.redetect(self.draft, changed, self.known)
            if detected != self.draft:
                self.history.annotate(detected)
                for index in changed:
                    self._render_row(index)

    def _nothing_said(self) -> bool:
        """Whether the transcript has no segment for a key to act on, and if so said (qa25 QA18: on a silent
        recording's transcript Ctrl+J, Ctrl+T, Ctrl+G, Ctrl+O, Ctrl+N and Alt+Up crashed the TUI)."""
        if self.draft.segments:
            return False
        self.notify(f"{NOTHING_SAID}: there is no segment to edit, mark or move to", severity="warning")
        return True

    def action_go(self, step: int) -> None:
        if not self._nothing_said():
            self._go(self.cursor + step)

    def _edge(self, step: int) -> None:
        target = self.cursor + step
        if 0 <= target < len(self.draft.segments):
            self._go(target, 0 if step > 0 else len(self.draft.segments[target].text))

    @on(SegmentRow.Chosen)
    def _chosen(self, event: SegmentRow.Chosen) -> None:
        self._go(event.index)

    # --- editing ------------------------------------------------------------------------------

    def _typed(self, text: str) -> None:
        if "\n" in text:  # pasted lines join the segment; splitting is Enter's job
            text = " ".join(text.splitlines())
        if text == self.draft.segments[self.cursor].text:  # a segment loaded, not typed into
            return
        self.history.type_into(self.cursor, text)
        self.last_typed = time.monotonic()
        self._render_row(self.cursor)
        self._status()

    def _apply(self, change: Draft, cursor: int | None = None, column: int = 0) -> None:
        before = self.draft
        self.history.apply(change)
        if (
            change.transcript.markers == before.transcript.markers
            and abs(len(change.segments) - len(before.segments)) == 1
        ):
            self._one_row_more_or_less(len(change.segments) - len(before.segments))
        self._render_all()
        self._go(self.cursor if cursor is None else cursor, column)

    def _one_row_more_or_less(self, step: int) -> None:
        """After a split (a row after the cursor's) or a merge (the next row gone): mount or remove one row
        and renumber the rest, instead of rebuilding hundreds of rows."""
        container = self.query_one("#transcript", VerticalScroll)
        if step > 0:
            row = SegmentRow(self.cursor + 1)
            container.mount(row, after=self._rows[self.cursor])
            self._rows.insert(self.cursor + 1, row)
        else:
            self._rows.pop(self.cursor + 1).remove()
        for index in range(self.cursor + 1, len(self._rows)):
            self._rows[index].index = index
        self._styled = set(range(len(self._rows)))

    def _try(self, operation: Callable[..., Draft], *args: Any, **kwargs: Any) -> Draft | None:
        try:
            return operation(self.draft, *args, **kwargs)
        except USER_ERRORS as err:
            self.notify(user_message(err), severity="warning")
            return None

    def _column(self) -> int:
        return self.query_one("#line", LineEditor).cursor_location[1]

    def action_split(self) -> None:
        if self._nothing_said():
            return
        changed = self._try(editing.split, self.cursor, self._column())
        if changed is not None:
            self._apply(changed, self.cursor + 1)

    def action_merge(self) -> None:
        if self._nothing_said():
            return
        column = len(self.draft.segments[self.cursor].text.rstrip()) + 1
        changed = self._try(editing.merge, self.cursor)
        if changed is not None:
            self._apply(changed, self.cursor, column)

    def _join(self, step: int) -> None:
        """Backspace at the start joins the segment onto the previous one, Delete at the end the next one onto it;
        a refused join (two speakers) leaves the cursor where it was."""
        if step > 0:
            self.action_merge()
        elif self.cursor > 0 and self._try(editing.merge, self.cursor - 1) is not None:
            self._go(self.cursor - 1)  # detects identifiers again in the segment left: merge after that
            self.action_merge()

    def action_undo(self) -> None:
        if self.history.undo() is None:
            self.notify("Nothing to undo")
            return
        self._render_all()
        self._go(min(self.cursor, len(self.draft.segments) - 1))

    def action_redo(self) -> None:
        if self.history.redo() is None:
            self.notify("Nothing to redo")
            return
        self._render_all()
        self._go(min(self.cursor, len(self.draft.segments) - 1))

    # --- speakers -----------------------------------------------------------------------------

    def action_mark_range(self) -> None:
        if self._nothing_said():
            return
        self.range_start = None if self.range_start is not None else self.cursor
        self.notify("Range cleared" if self.range_start is None else "Range starts here: move, then ctrl+t")
        self._style_rows()

    def action_speaker(self) -> None:
        """Cycle who speaks: in the current segment, or in every segment of the marked range."""
        if self._nothing_said():
            return
        speaker = next_speaker(self.draft.segments[self.cursor].speaker, self.draft.segments)
        first = self.cursor if self.range_start is None else self.range_start
        changed = self._try(editing.set_speaker, first, self.cursor, speaker)
        if changed is not None:
            self._apply(changed, self.cursor, self._column())

    def action_rename_speaker(self) -> None:
        from fieldvault.tui.screens.ask import AskScreen

        if self._nothing_said():
            return
        old = self.draft.segments[self.cursor].speaker
        if old is None:
            self.notify("This segment has no speaker yet: set one with ctrl+t", severity="warning")
            return

        def renamed(name: str | None) -> None:
            if not name:
                return
            other = editing.other_speaker_named(self.draft, old, name)
            if other is not None:
                self._offer_merge(old, other)
                return
            changed = self._try(editing.rename_speaker, old, name)
            if changed is not None:
                self._apply(changed, self.cursor, self._column())
                self._check_label(" ".join(name.split()))

        hint = f"e.g. her pseudonym, {self.pseudonym}"
        self.app.push_screen(AskScreen(f"Rename {old} everywhere in this session to", hint), renamed)

    def action_swap_speakers(self) -> None:
        """Swap two speakers in every segment (roles named the wrong way round, QA K11): the two of the session at
        once; with more, the current segment's speaker and the one named."""
        from fieldvault.tui.screens.ask import AskScreen

        named = list(dict.fromkeys(s.speaker for s in self.draft.segments if s.speaker))
        if len(named) < 2:
            self.notify("Nothing to swap: this session has fewer than two speakers", severity="warning")
            return
        if len(named) == 2:
            self._swap(*named)
            return
        current = self.draft.segments[self.cursor].speaker
        if current is None:
            self.notify("This segment has no speaker: go to a line of one of the two to swap", severity="warning")
            return
        others = [name for name in named if name != current]

        def chosen(name: str | None) -> None:
            if not name:
                return
            other = find_same(name, others)
            if other is None:
                self.notify(f"{name!r} is not another speaker of this session: {', '.join(others)}", severity="warning")
                return
            self._swap(current, other)

        self.app.push_screen(AskScreen(f"Swap {current} everywhere in this session with", ", ".join(others)), chosen)

    def _swap(self, one: str, other: str) -> None:
        changed = self._try(editing.swap_speakers, one, other)
        if changed is not None:
            self._apply(changed, self.cursor, self._column())
            self.notify(f"{one} and {other} swapped in every segment (ctrl+z undoes it; ctrl+s saves it)")
            if self.roles_note:
                self.roles_note = None
                self.query_one("#roles-note", Label).remove()

    def _offer_merge(self, old: str, other: str) -> None:
        """A rename to another speaker's name makes two people one: only when asked in so many words."""
        from fieldvault.tui.screens.confirm import ConfirmScreen

        def answered(merge: bool | None) -> None:
            if not merge:
                self.notify(f"Nothing renamed: {old} and {other} stay two speakers", severity="warning")
                return
            changed = self._try(editing.merge_speakers, old, other)
            if changed is not None:
                self._apply(changed, self.cursor, self._column())
                self.notify(f"{old} and {other} are one speaker now, {other} (ctrl+z undoes it)")

        question = (
            f"{other} is another speaker of this session already. Make {old} and {other} one speaker? Every line "
            f"of {old} becomes {other}'s. Choose No to keep them apart and pick another name."
        )
        self.app.push_screen(ConfirmScreen(question, f"Merge into {other}", "No, keep apart"), answered)

    @work(thread=True, exit_on_error=False, group="label-check")
    def _check_label(self, label: str) -> None:
        """Warn when a new speaker label looks like a name or another identifier (QA E5): it is on every line of
        hers, so exports replace it; a role or her pseudonym says who speaks without naming her."""
        try:
            known = [
                k for p in self.study.participant_names() for k in known_identifiers(self.study, p, self.identities)
            ]
            found = flagged(label, self.pseudonym, known)
        except USER_ERRORS as err:
            self.app.call_from_thread(self.notify, f"the label was not checked: {user_message(err)}", severity="error")
            return
        if found:
            what = ", ".join(dict.fromkeys(f"{s.text} ({s.label.lower()})" for s in found))
            message = (
                f"{label!r} looks identifying: {what}. Exports replace it on every line; a role (Participant, "
                f"Interviewer) or her pseudonym ({self.pseudonym}) says who speaks without naming anyone"
            )
            self.app.call_from_thread(self.notify, message, severity="warning", timeout=20)

    # --- markers and tags ---------------------------------------------------------------------

    def action_tag(self) -> None:
        from fieldvault.tui.screens.pick import PickScreen

        if self._nothing_said():
            return
        at = self._time_at_cursor()
        shown = [tag(name, at) for name in TAGS]
        column = self._column()

        def chosen(number: int | None) -> None:
            if number is not None:
                changed = self._try(editing.insert_text, self.cursor, column, shown[number])
                if changed is not None:
                    self._apply(changed, self.cursor, column + len(shown[number]) + 1)

        self.app.push_screen(PickScreen("Insert a transcription tag", shown), chosen)

    def _time_at_cursor(self) -> float:
        segment = self.draft.segments[self.cursor]
        if self.player is not None and segment.start <= self.player.position <= segment.end:
            return self.player.position
        return segment.start + (segment.end - segment.start) * self._column() / max(len(segment.text), 1)

    def action_insert_marker(self) -> None:
        """A prompt marker before the current segment: one of the guide's prompts, or another text."""
        from fieldvault.tui.screens.ask import AskScreen
        from fieldvault.tui.screens.pick import PickScreen

        if self._nothing_said():
            return
        prompts = list(Guide.for_study(self.study.root).prompts)
        at = self.draft.segments[self.cursor].start

        def insert(text: str | None) -> None:
            changed = self._try(editing.insert_marker, at, "prompt", text) if text else None
            if changed is not None:
                self._apply(changed)

        def chosen(number: int | None) -> None:
            if number is None:
                return
            if number < len(prompts):
                insert(prompts[number])
            else:
                self.app.push_screen(AskScreen("Prompt as it was asked"), insert)

        self.app.push_screen(PickScreen("Which prompt was asked here?", [*prompts, "Other…"]), chosen)

    def action_move_marker(self, step: int) -> None:
        """Move the marker above the current segment to the start of the segment before or after it."""
        if self._nothing_said():
            return
        start = self.draft.segments[self.cursor].start
        above = [i for i, m in enumerate(self.draft.transcript.markers) if m.at <= start]
        if not above:
            self.notify("No marker above this segment", severity="warning")
            return
        target = self.cursor + step
        if not 0 <= target < len(self.draft.segments):
            return
        changed = self._try(editing.move_marker, above[-1], self.draft.segments[target].start)
        if changed is not None:
            self._apply(changed, target)

    def action_notes(self) -> None:
        """The session's timeline (notes and breaks taken while recording) and the field notes written after."""
        from fieldvault.tui.screens.notes import SessionNotesScreen

        self.app.push_screen(SessionNotesScreen(self.study, self.pseudonym, self.session, self.identities))

    # --- find and replace ---------------------------------------------------------------------

    def action_find_replace(self) -> None:
        if self._storing():
            return
        self.replacing = True  # until the other sessions are read, and then stored
        self._read_other_sessions(self.query_one("#line", LineEditor).selected_text.strip())

    @work(thread=True, exclusive=True, exit_on_error=False, group="find-replace")
    def _read_other_sessions(self, needle: str) -> None:
        """Decrypt her other sessions' current versions (seconds for several long ones)."""
        sessions = [p.parent.name for p in layout.transcripts(self.study.root, self.pseudonym)]
        try:
            others = {
                s: versions.open_draft(self.study, self.pseudonym, s, self.identities)
                for s in sessions
                if s != self.session
            }
        except USER_ERRORS as err:
            self.app.call_from_thread(self._replace_failed, user_message(err))
            return
        self.app.call_from_thread(self._show_find_replace, others, needle)

    def _show_find_replace(self, others: dict[str, Draft], needle: str) -> None:
        from fieldvault.tui.screens.find_replace import FindReplaceScreen

        drafts = {**others, self.session: self.draft}  # this session as it is now, typed meanwhile or not
        self.app.push_screen(FindReplaceScreen(drafts, needle), lambda answer: self._replace(drafts, answer))

    def _replace(self, drafts: dict[str, Draft], answer: tuple[list[editing.Hit], str] | None) -> None:
        """Here the replacements are an edit like any other (unsaved); the other sessions get a new version
        each, stored in a worker. The dialog was modal, so ``drafts`` holds this session as it still is."""
        if answer is None:
            self.replacing = False
            return
        hits, replacement = answer
        changed = editing.replace_hits(drafts, hits, replacement)
        here = changed.pop(self.session, None)
        if here is not None:
            self._apply(here)
        mine = sum(1 for h in hits if h.session == self.session)
        others = [(draft, drafts[session].transcript) for session, draft in changed.items()]
        self._store_others(others, f"Replaced {mine} here (unsaved: ctrl+s saves) and {len(hits) - mine}")

    @work(thread=True, exclusive=True, exit_on_error=False, group="find-replace")
    def _store_others(self, changed: list[tuple[Draft, Transcript]], done: str) -> None:
        """Each other session's replaced draft, stored over the transcript it was read from."""
        try:
            for other, base in changed:
                saved = editing.redetect(other, range(len(other.segments)), self.known)
                versions.save(self.study, saved, self.identities, self.editor_name, base)
        except USER_ERRORS as err:
            self.app.call_from_thread(self._replace_failed, user_message(err))
            return
        message = f"{done} in {len(changed)} other session(s), each saved as a new version"
        self.app.call_from_thread(self._replaced, message)

    def _replaced(self, message: str) -> None:
        self.replacing = False
        self.notify(message)

    def _replace_failed(self, message: str) -> None:
        self.replacing = False
        self.notify(message, severity="error")

    def _storing(self) -> bool:
        """Whether a save or a find-and-replace is storing versions; says so, as nothing else may start."""
        if self.saving is not None or self.replacing or self.marking:
            self.notify("Saving: wait a moment", severity="warning")
            return True
        return False

    # --- versions and review ------------------------------------------------------------------

    def action_save(self) -> None:
        if self._storing():
            return
        if not self.dirty:
            self.notify("No changes since the last save")
            return
        self._detect_edited()
        self.saving = self.draft
        self._status()
        self._save(self.draft)

    @work(thread=True, exclusive=True, exit_on_error=False, group="save")
    def _save(self, draft: Draft) -> None:
        """Encrypt the new version, move the redactions onto it, and read them back (a second or so for an
        hour-long session)."""
        try:
            saved = versions.save(
                self.study, draft, self.identities, self.editor_name, self.saved.transcript, self.redactions.spans
            )
            redactions = current(self.study, saved.transcript, self.identities)
        except TranscriptChanged as err:
            self.app.call_from_thread(self._collided, user_message(err))
            return
        except USER_ERRORS as err:
            self.app.call_from_thread(self._save_failed, self._why(user_message(err)))
            return
        self.app.call_from_thread(self._saved, saved, redactions)

    def _why(self, message: str) -> str:
        """A failed save or autosave explained: the session moved to another participant meanwhile (`session
        move` in another window) says so, rather than what the missing folder looks like."""
        from fieldvault.sessionmove import moved_sessions, where_now

        if layout.session(self.study.root, self.pseudonym, self.session).is_dir():
            return message
        try:
            moved_to = where_now(moved_sessions(self.study), self.pseudonym, self.session)
        except USER_ERRORS:
            moved_to = None
        if moved_to is None:
            return message
        return (
            f"this session was moved to {moved_to} meanwhile (session move): nothing typed here since can be stored; "
            f"copy what you need, leave without saving, and open the session under {moved_to}"
        )

    def _saved(self, saved: Draft, redactions: Redactions, said: str = "") -> None:
        stored = self.saving
        assert stored is not None
        typed_meanwhile = self.draft != stored
        self.saving = None
        self.saved, self.autosaved, self.redactions = saved, saved, redactions
        number = versions.version_of(saved.transcript).number
        if _content(saved.transcript) != _content(stored.transcript):  # put onto what was stored meanwhile
            self._onto_saved(stored, saved, typed_meanwhile)
            said = said or (
                f"Saved as version {number}. The transcript had changed since you opened it (transcribed again, "
                "saved in another window, or a speaker set in a review screen): your changes are on top of that "
                "version, which is kept as the one before. Undo starts afresh from here"
            )
            self.notify(said, severity="warning", timeout=20)
        else:
            if typed_meanwhile:  # keep what was typed during the save; it carries the new version's stamp
                self.history.annotate(
                    replace(self.draft, transcript=replace(self.draft.transcript, extra=saved.transcript.extra))
                )
            else:
                self.history.annotate(saved)
            self.notify(said or f"Saved as version {number}")
        self._told_changed = False
        self._status()
        if self._leave_after_save and not self.dirty:
            self._close()
        self._leave_after_save = False

    def _onto_saved(self, stored: Draft, saved: Draft, typed_meanwhile: bool) -> None:
        """Show the merged version just saved; what was typed during the save goes onto it too. The undo steps,
        made on the text before the merge, would bring the other side's changes back out: they start afresh."""
        now = saved
        if typed_meanwhile:
            merged = transcript_merge.merge(stored.transcript, self.draft.transcript, saved.transcript)
            if isinstance(merged, transcript_merge.Merged):
                now = Draft(merged.transcript, merged.spans(self.draft.spans, saved.spans))
            else:  # typed into the very segment the other side changed: what was typed stays, unsaved
                now = replace(self.draft, transcript=replace(self.draft.transcript, extra=saved.transcript.extra))
        self.history = History(now)
        self._show_reloaded()

    def _show_reloaded(self) -> None:
        self._render_all()
        self._go(min(self.cursor, len(self.draft.segments) - 1))

    def _collided(self, message: str) -> None:
        """The save met a change stored meanwhile in the segments it changed too: the person chooses; nothing of
        either side is lost whatever the choice."""
        from fieldvault.tui.screens.changed import MINE, THEIRS, ChangedScreen

        self.saving = None
        self._status()

        def answered(choice: str | None) -> None:
            if choice == MINE:
                self._detect_edited()
                self.saving = self.draft
                self._status()
                self._save_over(self.draft)
            elif choice == THEIRS:
                self.saving = self.draft
                self._status()
                self._set_aside(self.draft)
            else:
                self._leave_after_save = False
                self.notify("Nothing was saved: your changes stay here, and in the autosave", severity="warning")

        why = (
            f"{message}.\n\nMine on top: your text becomes the current version; the other stays as the version "
            "before it.\nThe other: your text is kept as a version (fieldvault transcript --version N shows it) and "
            "this screen goes on from the other.\nStay: nothing is saved; your changes stay here and in the "
            "autosave."
        )
        self.app.push_screen(ChangedScreen(why), answered)

    @work(thread=True, exclusive=True, exit_on_error=False, group="save")
    def _save_over(self, draft: Draft) -> None:
        try:
            saved = versions.save_over(self.study, draft, self.identities, self.editor_name)
            redactions = current(self.study, saved.transcript, self.identities)
        except USER_ERRORS as err:
            self.app.call_from_thread(self._save_failed, self._why(user_message(err)))
            return
        number = versions.version_of(saved.transcript).number
        said = f"Saved as version {number}, on top of the version stored meanwhile (kept as version {number - 1})"
        self.app.call_from_thread(self._saved, saved, redactions, said)

    @work(thread=True, exclusive=True, exit_on_error=False, group="save")
    def _set_aside(self, draft: Draft) -> None:
        try:
            now = versions.set_aside(self.study, draft, self.identities, self.editor_name)
            redactions = current(self.study, now, self.identities)
        except USER_ERRORS as err:
            self.app.call_from_thread(self._save_failed, self._why(user_message(err)))
            return
        self.app.call_from_thread(self._went_on_from, Draft(now, tuple(redactions.spans)), redactions)

    def _went_on_from(self, now: Draft, redactions: Redactions) -> None:
        number = versions.version_of(now.transcript).number
        self.saving = None
        self._load(now, redactions)
        self.notify(
            f"Your text is kept as version {number - 1} "
            f"({command('transcript', self.study.root, self.pseudonym, self.session, '--version', str(number - 1))}); "
            f"this screen shows the version stored meanwhile, current as version {number}",
            severity="warning",
            timeout=20,
        )
        if self._leave_after_save:
            self._close()
        self._leave_after_save = False

    def _load(self, draft: Draft, redactions: Redactions) -> None:
        """Show ``draft``, stored now, in place of what was on screen; undo starts afresh."""
        self.history = History(draft)
        self.saved = self.autosaved = draft
        self.redactions = redactions
        self._told_changed = False
        self._show_reloaded()

    def _stat(self) -> tuple[int, int, int] | None:
        try:
            stat = (layout.session(self.study.root, self.pseudonym, self.session) / layout.TRANSCRIPT).stat()
        except OSError:
            return None
        return stat.st_ino, stat.st_mtime_ns, stat.st_size

    def _watch(self) -> None:
        """Notice a transcript stored by someone else (transcribed again, saved in another window, a speaker set
        in review) when it happens, not only at the next save: shown at once when nothing here is unsaved."""
        if self._storing_quietly() or self.app.screen is not self:
            return
        stat = self._stat()
        if stat == self._stored_stat:
            return
        self._stored_stat = stat
        if stat is not None:
            self._read_stored()

    def _storing_quietly(self) -> bool:
        return self.saving is not None or self.replacing or self.marking

    @work(thread=True, exclusive=True, exit_on_error=False, group="watch")
    def _read_stored(self) -> None:
        try:
            stored = versions.load(self.study, self.pseudonym, self.session, self.identities)
            redactions = current(self.study, stored, self.identities)
        except USER_ERRORS:
            return  # gone or unreadable: the next save or autosave says why
        self.app.call_from_thread(self._stored_changed, stored, redactions)

    def _stored_changed(self, stored: Transcript, redactions: Redactions) -> None:
        if self._storing_quietly():  # a save of this screen began meanwhile: look again once it is stored
            self._stored_stat = None
            return
        if _content(stored) == _content(self.saved.transcript):  # this screen's own save
            return
        elsewhere = "The transcript was changed elsewhere (transcribed again, saved in another window, or a speaker "
        elsewhere += "set in a review screen)"
        if not self.dirty:
            self._load(Draft(stored, tuple(redactions.spans)), redactions)
            number = versions.version_of(stored).number
            self.notify(f"{elsewhere}: this screen now shows it (v{number})", severity="warning", timeout=15)
        elif not self._told_changed:
            self._told_changed = True
            self.notify(
                f"{elsewhere} since you opened it. Ctrl+S puts your changes onto it, or asks where you both changed "
                "the same segment",
                severity="warning",
                timeout=20,
            )

    def _save_failed(self, message: str) -> None:
        self.saving = None
        self._leave_after_save = False
        self.notify(message, severity="error")
        self._status()

    def _autosave_tick(self) -> None:
        if self.saving is None and self.draft != self.autosaved and self.dirty:
            self.autosaved = self.draft
            self._autosave(self.draft)

    @work(thread=True, exclusive=True, exit_on_error=False, group="autosave")
    def _autosave(self, draft: Draft) -> None:
        try:
            versions.autosave(self.study, draft.transcript, self.saved.transcript)
        except USER_ERRORS as err:
            message = f"autosave failed: {self._why(user_message(err))}"
            self.app.call_from_thread(self._autosave_done, message)
            return
        self.app.call_from_thread(self._autosave_done, None)

    def _autosave_done(self, failure: str | None) -> None:
        self.autosave_failed = failure is not None
        if failure is not None:
            self.notify(failure, severity="error")

    @work(thread=True, exclusive=True, exit_on_error=False, group="autosave-check")
    def _check_autosave(self) -> None:
        """An autosave left by an editor that never saved (a crash, a kill), with its spans, offered back."""
        try:
            found = versions.load_autosave(self.study, self.pseudonym, self.session, self.identities)
            spans = tuple(current(self.study, found, self.identities).spans) if found is not None else ()
        except USER_ERRORS as err:
            message = f"the autosave cannot be read: {user_message(err)}"
            self.app.call_from_thread(self.notify, message, severity="error")
            return
        if found is not None:
            self.app.call_from_thread(self._offer_autosave, found, spans)

    def _offer_autosave(self, found: Transcript, spans: tuple[ProposedSpan, ...]) -> None:
        from fieldvault.tui.screens.confirm import ConfirmScreen

        if found.segments == self.draft.segments and found.markers == self.draft.transcript.markers:
            return
        if versions.autosave_is_stale(found, self.saved.transcript):
            try:  # QA R19: the next keystroke's autosave wrote over them; a copy of its own keeps them
                kept = versions.keep_stale_autosave(self.study, self.pseudonym, self.session)
            except USER_ERRORS as err:
                message = f"the earlier autosave could not be kept: {user_message(err)}; do not type here"
                self.notify(message, severity="error")
                return
            self.notify(
                "Changes kept by autosave were made on an earlier transcript, replaced since (transcribed again, or "
                f"saved in another window): they are not restored over it. They are kept in {kept} (fieldvault "
                "decrypt shows them), which nothing here writes over",
                severity="warning",
                timeout=30,
            )
            return

        def answered(restore: bool | None) -> None:
            if restore:
                if self.dirty and not self._keep_typed():  # typed while the question was on its way (qa28 QD12)
                    return
                self._apply(Draft(replace(found, extra=self.draft.transcript.extra), spans))
            else:  # QA S4: "n" typed as it opened was Discard, and an hour of corrections went: set aside now
                self._set_autosave_aside()

        self.app.push_screen(
            ConfirmScreen(
                "Changes that were never saved were kept by autosave. Restore them? (Not restored, they are set "
                "aside, encrypted, in the session's versions/ folder.)",
                "Restore",
                "Set aside",
                over_typing=True,
            ),
            answered,
        )

    def _keep_typed(self) -> bool:
        """What was typed here before the autosave's question came (it comes once the autosave is read, seconds after
        the editor opens on a loaded machine), set aside as a discard is, before the autosave is restored over it:
        restoring dropped it without a word (qa28 QD12). Whether it was kept; not kept, nothing is restored."""
        try:
            versions.autosave(self.study, self.draft.transcript, self.saved.transcript)
            kept = versions.set_autosave_aside(self.study, self.pseudonym, self.session)
        except USER_ERRORS as err:
            message = f"What you typed before the question could not be set aside: {user_message(err)}; not restored"
            self.notify(message, severity="error")
            return False
        self.notify(
            f"What you typed before the question came is kept in {kept} (fieldvault decrypt shows it); the changes "
            "autosave kept are restored here",
            severity="warning",
            timeout=30,
        )
        return True

    def _set_autosave_aside(self) -> bool:
        """The autosave, copied where no autosave writes over it (versions/autosave-kept-*), then dropped (audited:
        backups follow); whether it was. Never destroyed: a key typed into the question is no loss."""
        try:
            kept = versions.set_autosave_aside(self.study, self.pseudonym, self.session)
        except USER_ERRORS as err:
            self.notify(f"The unsaved changes could not be set aside: {user_message(err)}", severity="error")
            return False
        if kept is None:
            return True
        self.notify(
            f"Unsaved changes set aside, encrypted, in {kept} (fieldvault decrypt shows them): not offered again",
            timeout=12,
        )
        return True

    def action_mark_reviewed(self) -> None:
        """The transcriber read it through: every segment on screen, no span undecided, all saved."""
        if self._storing():
            return
        if self.dirty:
            self.notify("Save first (ctrl+s): a reviewed mark belongs to a saved version", severity="warning")
            return
        self._mark_seen()
        unseen = [i + 1 for i in range(len(self.draft.segments)) if i not in self.seen]
        if unseen:
            self.notify(
                f"{len(unseen)} segment(s) not yet on screen (first: {unseen[0]}): read them before marking",
                severity="warning",
            )
            return
        self.marking = True
        self._store_reviewed(self.draft.transcript)

    @work(thread=True, exclusive=True, exit_on_error=False, group="reviewed")
    def _store_reviewed(self, transcript: Transcript) -> None:
        try:
            redactions = mark_reviewed(self.study, transcript, self.identities, self.editor_name)
        except USER_ERRORS as err:  # a span still undecided, say
            self.app.call_from_thread(self._reviewed, None, user_message(err))
            return
        self.app.call_from_thread(self._reviewed, redactions, "Marked reviewed: this version may be exported")

    def _reviewed(self, redactions: Redactions | None, message: str) -> None:
        self.marking = False
        if redactions is None:
            self.notify(message, severity="warning", timeout=8)
            return
        self.redactions = redactions
        self.notify(message)
        self._status()

    def action_leave(self) -> None:
        from fieldvault.tui.screens.leave import DISCARD, SAVE, LeaveScreen

        if self._storing():
            return
        if not self.dirty:
            self._close()
            return

        def answered(choice: str | None) -> None:
            if choice == SAVE:
                self._leave_after_save = True
                self.action_save()
            elif choice == DISCARD and self._discard_changes():
                self._close()

        self.app.push_screen(LeaveScreen(), answered)

    def _discard_changes(self) -> bool:
        """The changes as they are now (the autosave may be seconds behind) set aside with the autosave (QA S4)."""
        try:
            versions.autosave(self.study, self.draft.transcript, self.saved.transcript)
        except USER_ERRORS as err:
            self.notify(f"The unsaved changes could not be set aside: {user_message(err)}", severity="error")
            return False
        return self._set_autosave_aside()

    def saves_in_flight(self) -> list[Worker[None]]:
        """The save, find-and-replace or reviewed mark being stored: quitting waits for it (Ctrl+S, Ctrl+Q)."""
        storing = ("save", "find-replace", "reviewed")
        return [w for w in self.workers if w.node is self and w.group in storing and not w.is_finished]

    def quit_question(self) -> str | None:
        """What quitting the app now would cut short or lose; the app asks before it quits."""
        if self.saving is not None or self.replacing or self.marking:
            return "A version is being saved: quitting now may cut it short. Quit anyway?"
        if self.dirty and self.autosave_failed:
            return "Changes not saved as a version, and the autosave failed: quitting loses them. Quit anyway?"
        if self.dirty:
            return "Changes not saved as a version (the autosave keeps all but the last seconds). Quit anyway?"
        return None

    def _close(self) -> None:
        if self.player is not None:
            self.player.close()
            self.player = None
        self.dismiss(None)

    def keep_for_lock(self) -> str | None:
        """Before a lock closes the screen: what is typed and not saved goes into the encrypted autosave now (the
        autosave every few seconds may be behind), offered back when the session is next opened."""
        if not self.dirty:
            return None
        where = f"{self.pseudonym}/{self.session}"
        try:
            versions.autosave(self.study, self.draft.transcript, self.saved.transcript)
        except USER_ERRORS as err:
            return f"Your unsaved changes to {where} could not be kept: {user_message(err)}."
        return f"Your unsaved changes to {where} are kept, encrypted, in its autosave: opening it (o) offers them back."

    # --- listening ----------------------------------------------------------------------------

    def action_play_pause(self) -> None:
        if self.player is None:  # with no segments, from the start: she may listen for what transcription missed
            self._load_player(self.draft.segments[self.cursor].start if self.draft.segments else 0.0)
            return
        if self.player.playing:
            self.player.pause()
            self._played_from = self.cursor
        elif self._played_from != self.cursor:
            self._play_segment()
        else:
            self.player.resume()
        self._status()

    def _play_segment(self) -> None:
        assert self.player is not None
        segment = self.draft.segments[self.cursor]
        self.player.set_loop((segment.start, segment.end) if self.loop else None)
        self.player.play(segment.start)
        self._played_from = self.cursor

    @work(thread=True, exclusive=True, exit_on_error=False, group="playback")
    def _load_player(self, at: float) -> None:
        from fieldvault.audiofile import load_pcm

        folder = layout.session(self.study.root, self.pseudonym, self.session)
        try:
            fmt, samples = load_pcm(self.study, folder, self.identities)
            player = Player(fmt, samples, self.device)
            player.play(at)
        except USER_ERRORS as err:
            self.app.call_from_thread(self.notify, f"cannot play: {user_message(err)}", severity="error")
            return
        except Exception as err:  # PortAudio's own error type: no output device, device busy
            self.app.call_from_thread(self.notify, f"cannot play: {err}", severity="error")
            return
        self.app.call_from_thread(self._player_ready, player)

    def _player_ready(self, player: Player) -> None:
        self.player = player
        self._played_from = self.cursor
        self._status()
        if not self.draft.segments:
            self.notify(f"{NOTHING_SAID}: playing the whole recording from its start")

    def action_jump_back(self) -> None:
        if self.player is not None:
            self.player.jump(-JUMP_BACK)
            self._status()

    def action_speed(self, step: int) -> None:
        player = self.player
        if player is None:
            self.notify("Start playing first (F4)")
            return
        now = min(SPEEDS, key=lambda s: abs(s - player.speed))
        player.set_speed(SPEEDS[max(0, min(SPEEDS.index(now) + step, len(SPEEDS) - 1))])
        self._status()

    def action_loop(self) -> None:
        if self._nothing_said():
            return
        self.loop = not self.loop
        if self.player is not None:
            if self.loop:
                self._play_segment()
            else:
                self.player.set_loop(None)
        self.notify("Looping this segment" if self.loop else "Loop off")
        self._status()

    def action_follow(self) -> None:
        self.follow = not self.follow
        self._status()

    def _tick(self) -> None:
        """Follow playback: highlight the playing segment, and move there when the transcriber is not typing."""
        self._mark_seen()
        if self.player is None or not self.player.playing:
            return
        starts = [s.start for s in self.draft.segments]
        index = max(0, bisect.bisect_right(starts, self.player.position) - 1)
        if index != self.playing_index:
            self.playing_index = index
            typing = time.monotonic() - self.last_typed < FOLLOW_AFTER_TYPING
            if self.follow and not typing and not self.loop and index != self.cursor:
                self._go(index)
                self._played_from = index
            else:
                self._style_rows()
        self._status()


def _content(transcript: Transcript) -> bytes:
    """What a transcript says, without the stamp of the version it was saved as."""
    return replace(transcript, extra={k: v for k, v in transcript.extra.items() if k != "version"}).to_json()
