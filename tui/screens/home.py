"""The home screen: participants and their sessions, the kind and how far each has come, and the
session actions. The list is read again whenever the screen comes back, keeping the cursor's row."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, cast

from rich.markup import escape
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Label
from textual.worker import get_current_worker

from fieldvault import layout
from fieldvault.capture.recorder import find_interrupted
from fieldvault.errors import BadStudyFile
from fieldvault.layout import AUDIO, TRANSCRIPT
from fieldvault.overview import ParticipantSummary, SessionSummary, overview
from fieldvault.participants import clock_problem, refuse_changed_letter
from fieldvault.sessioninfo import KINDS, IndexedSession, index_kind, load_session_info, read_index
from fieldvault.sessionmove import check_movable, check_move, move_interview, other_parts
from fieldvault.sessionopen import OpenHold, hold_open
from fieldvault.study import Study
from fieldvault.tui.errors import USER_ERRORS, WorkerErrors, user_message

if TYPE_CHECKING:
    from collections.abc import Callable

    from fieldvault.agefile import X25519Identity
    from fieldvault.tui.app import FieldvaultApp
    from fieldvault.tui.queue import TranscriptionQueue


def _row(summary: SessionSummary) -> tuple[str, str, str, str]:
    kind = KINDS.get(summary.kind, summary.kind)  # "" for sessions recorded before kinds were kept
    if summary.part:  # a recording resumed after the input was lost: parts of one interview (QA Q12)
        kind = f"{kind}, part {summary.part}" if kind else f"part {summary.part}"
    state = summary.state.value + (" (in the study)" if summary.in_study else "")
    state += ", transcript only" if summary.transcript_only else ""  # her recording recorded lost (QA X11)
    return summary.pseudonym, summary.session, kind, state


class HomeScreen(WorkerErrors, Screen[None]):
    SUB_TITLE = "Participants and sessions"
    # Short names for the footer (it must fit 80 columns); the help screen shows the tooltips.
    BINDINGS = [
        Binding("ctrl+q", "app.quit", "Quit"),
        Binding("question_mark", "app.help", "Help", key_display="?", tooltip="Every key of this screen"),
        Binding("n", "new_session", "New", tooltip="New participant: letter, questionnaire, recording"),
        Binding("r", "record", "Record", tooltip="Record again: a follow-up or member check"),
        Binding("f", "notes", "Notes", tooltip="The session's notes, timeline and field notes"),
        Binding("j", "journal", "Journal", tooltip="The reflexive journal"),
        Binding("t", "transcribe", "Transcribe", tooltip="Transcribe recordings (trusted machine)"),
        Binding("T", "transcribe_again", "Again", show=False, tooltip="Transcribe the selected session again"),
        Binding("e", "export", "Export", tooltip="Export, de-identified (trusted machine)"),
        Binding("ctrl+l", "app.lock", "Lock", tooltip="Lock: forget the decrypted keys now"),
        Binding("v", "review", "Review", show=False, tooltip="Review identifiers before export"),
        Binding("o", "edit", "Edit", show=False, tooltip="Edit the transcript while listening"),
        Binding("w", "withdraw", "Withdraw", show=False, tooltip="Withdraw the participant (trusted machine)"),
        Binding("p", "play", "Play", show=False, tooltip="Play or stop the selected recording"),
        Binding("M", "move", "Move", show=False, tooltip="Move the session to the participant it belongs to"),
        Binding("f5", "refresh", "Refresh", show=False, tooltip="Read the list again"),
    ]

    def __init__(self, study: Study, locked: bool, select: str | None = None) -> None:
        super().__init__()
        self.study = study
        self.locked = locked
        self._told_index = False  # a damaged session index was said
        self.playing = False
        self.select = select  # "pseudonym" or "pseudonym/session": where the cursor goes on the next refresh
        self.people: list[ParticipantSummary] = []
        self.queue_finished: int | None = None  # items the transcription queue had finished at the last refresh

    def compose(self) -> ComposeResult:
        yield Header()
        mode = "field kit (public keys only)" if self.study.is_field_kit else ("locked" if self.locked else "unlocked")
        mode = "opened with your own key" if self._own_key_only() else mode
        title = escape(self.study.config.title)
        yield Label(f"{title}  ·  IRB {escape(self.study.config.irb or '-')}  ·  {mode}", id="study-banner")
        yield Label("", id="queue-status", classes="hidden")
        table: DataTable[str] = DataTable(id="sessions", cursor_type="row", zebra_stripes=True)
        table.add_columns("Participant", "Session (UTC)", "Kind", "State")
        yield table
        yield Footer(show_command_palette=False, compact=True)

    def on_mount(self) -> None:
        self.action_refresh()
        self._offer_recovery()
        self._follow_queue()
        if self.study.is_field_kit:
            self._kit_changed()

    def on_screen_resume(self) -> None:
        if self.is_mounted:
            self.action_refresh()
            self._follow_queue()

    def _follow_queue(self) -> None:
        """Show the app's transcription queue (it runs on whatever screen is open) and follow it."""
        queue = cast("FieldvaultApp", self.app).transcription
        if queue is None or queue.study.root != self.study.root:
            return
        queue.changed.unsubscribe(self)
        queue.changed.subscribe(self, self._queue_changed)
        self._queue_changed(queue)

    def _queue_changed(self, queue: TranscriptionQueue) -> None:
        status = self.query_one("#queue-status", Label)
        status.update(escape(queue.progress_line()))
        status.remove_class("hidden")
        finished = sum(item.finished for item in queue.items)
        if finished != self.queue_finished:  # a session changed state: show it
            self.queue_finished = finished
            self.action_refresh()

    def action_refresh(self) -> None:
        """Read the list again; the cursor stays on its row (or goes to ``select``)."""
        table = self.query_one("#sessions", DataTable)
        keep = self.select or self._selected_key()
        self.select = None
        table.clear()
        unread = False
        try:
            index = self._index()
            self.people = overview(self.study, {} if index is None else index)  # damaged: the folders, no kinds
            if index is not None:
                self.people = self._learn_kinds(self.people)
        except USER_ERRORS as err:
            self.notify(user_message(err), severity="error", timeout=10)
            self.people, unread = [], True
        for person in self.people:
            if not person.sessions:
                table.add_row(person.pseudonym, "-", "", "no session yet", key=person.pseudonym)
            for session in person.sessions:
                table.add_row(*_row(session), key=f"{person.pseudonym}/{session.session}")
        if unread:
            table.add_row("(the list cannot be read: see the notice)", "", "", "")
        elif not self.people:
            table.add_row("(no participants yet: press n)", "", "", "")
        if keep:
            self._move_to(keep)

    def _index(self) -> dict[str, IndexedSession] | None:
        """The session index; None where sessions.json is damaged, which is said (QA E16: the list then showed
        "no participants yet" over a kit of twelve participants' folders)."""
        try:
            return read_index(self.study.root)
        except BadStudyFile as err:
            if self._told_index:  # once per screen, not at each refresh
                return None
            self._told_index = True
            meanwhile = "Meanwhile the list shows the participants and sessions found in the folders, kinds unknown"
            if self.study.is_field_kit:
                meanwhile += (
                    "; sessions recorded in the study before this kit was made are not listed. Recording and merge-kit "
                    "do not need it: each session's kind is sealed with the session"
                )
            else:
                meanwhile += ". Once it is deleted, unlocking reads each session's kind again from its sealed record"
            self.notify(f"{user_message(err)}. {meanwhile}", severity="error", timeout=30)
            return None

    def _learn_kinds(self, people: list[ParticipantSummary]) -> list[ParticipantSummary]:
        """Sessions merged in from a field kit are not in this study's index yet: read each one's kind
        once, when the study is unlocked, and index it so a locked study shows it too."""
        identities = cast("FieldvaultApp", self.app).identities
        learned = False
        for person in people if identities else []:
            for session in person.sessions:
                folder = self._folder((person.pseudonym, session.session))
                if not session.kind and not session.in_study and (folder / layout.SESSION_INFO).is_file():
                    try:
                        info = load_session_info(self.study, folder, identities)
                    except USER_ERRORS:
                        continue  # another session's record, or a damaged one: its kind stays unknown; `check` names it
                    index_kind(self.study.root, folder, info)
                    learned = True
        return overview(self.study) if learned else people

    def _move_to(self, key: str) -> None:
        """Put the cursor on ``key``'s row, or on the participant's last session."""
        table = self.query_one("#sessions", DataTable)
        keys = [str(row.key.value) for row in table.ordered_rows]
        pseudonym = key.partition("/")[0]
        mine = [k for k in keys if k == key] or [k for k in keys if k.partition("/")[0] == pseudonym]
        if mine:
            table.move_cursor(row=keys.index(mine[-1]))

    def _selected_key(self) -> str | None:
        table = self.query_one("#sessions", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return str(key) if key else None

    def _selected(self) -> tuple[str, str] | None:
        key = self._selected_key()
        if not key:
            return None
        pseudonym, _, session = key.partition("/")
        return pseudonym, session

    # --- sessions -----------------------------------------------------------------------------

    def _clock_wrong(self) -> bool:
        """Said before the letter is read, not when the recording is refused (QA S3)."""
        problem = clock_problem(self.study)
        if problem is not None:
            self.notify(problem[0].upper() + problem[1:] + ".", severity="error", timeout=20)
        return problem is not None

    def _kit_changed(self) -> bool:
        """A field kit whose recipients, letter or templates are not the ones the PI made it with starts no session:
        said before any of it is read to her (QA R20, S6, QC2), and at once when the kit's home opens."""
        try:
            self.study.refuse_changed_kit()  # study.toml read again: its recipients as the CLI checks them (QA QC2)
            refuse_changed_letter(self.study)
        except USER_ERRORS as err:
            self.notify(user_message(err), severity="error", timeout=20)
            return True
        return False

    def action_new_session(self) -> None:
        from fieldvault.tui.screens.letter import LetterScreen

        if self._clock_wrong() or self._kit_changed():
            return
        try:
            screen = LetterScreen.for_study(self.study)
        except USER_ERRORS as err:
            self.notify(user_message(err), severity="error", timeout=10)
            return
        self.app.push_screen(screen)

    def action_record(self) -> None:
        from fieldvault.tui.screens.kind import KindScreen

        selected = self._selected()
        if selected is None:
            self.notify("Select a participant first, or press n for a new one", severity="warning")
            return
        if self._clock_wrong() or self._kit_changed():
            return
        pseudonym = selected[0]
        person = next((p for p in self.people if p.pseudonym == pseudonym), None)
        has_sessions = bool(person and person.sessions)
        self.app.push_screen(KindScreen(self.study, pseudonym, first_allowed=not has_sessions))

    def action_notes(self) -> None:
        from fieldvault.tui.screens.notes import SessionNotesScreen

        selected = self._selected()
        if selected is None or not selected[1] or not self._folder(selected).is_dir():
            self.notify("Select a session recorded here first: its notes live with it", severity="warning")
            return
        try:
            hold = hold_open(self._folder(selected))  # a move in another window waits until these notes close
        except USER_ERRORS as err:
            self.notify(user_message(err), severity="error", timeout=12)
            return
        identities = cast("FieldvaultApp", self.app).identities
        self.app.push_screen(SessionNotesScreen(self.study, selected[0], selected[1], identities, hold=hold))

    def action_journal(self) -> None:
        from fieldvault.tui.screens.journal import JournalScreen

        self.app.push_screen(JournalScreen(self.study, cast("FieldvaultApp", self.app).identities))

    def action_transcribe(self) -> None:
        from fieldvault.tui.screens.transcription import TranscriptionScreen

        if self.study.is_field_kit or self.locked:
            self.notify(
                "Transcribing needs the study key: unlock the study on the trusted machine",
                severity="warning",
                timeout=8,
            )
            return
        try:
            screen = TranscriptionScreen(self._queue())
        except USER_ERRORS as err:
            self.notify(user_message(err), severity="error", timeout=10)
            return
        self.app.push_screen(screen)

    def action_transcribe_again(self) -> None:
        """The TUI twin of `transcribe --force` for the selected session (QA D21): its own queue, so the speaker
        count can be set again; the transcript it replaces is kept, as --force keeps it."""
        from fieldvault.transcribe.pipeline import pending
        from fieldvault.tui.queue import TranscriptionQueue
        from fieldvault.tui.screens.transcription import TranscriptionScreen

        if self.study.is_field_kit or self.locked:
            self.notify("Transcribing needs the study key: unlock the study on the trusted machine", severity="warning")
            return
        if cast("FieldvaultApp", self.app).running_queue() is not None:
            self.notify("The transcription queue is running: wait for it to end (t shows it)", severity="warning")
            return
        selected = self._selected()
        if selected is None or not selected[1]:
            self.notify("Select a recorded session first", severity="warning")
            return
        try:
            jobs = pending(self.study, selected[0], selected[1], force=True)
        except USER_ERRORS as err:
            self.notify(user_message(err), severity="error", timeout=10)
            return
        self.app.push_screen(TranscriptionScreen(TranscriptionQueue(self.app, self.study, jobs)))

    def _queue(self) -> TranscriptionQueue:
        """The queue still running, or a fresh one of every recording without a transcript."""
        from fieldvault.transcribe.pipeline import pending
        from fieldvault.tui.queue import TranscriptionQueue

        running = cast("FieldvaultApp", self.app).running_queue()
        if running is not None and running.study.root == self.study.root:
            return running
        return TranscriptionQueue(self.app, self.study, pending(self.study))

    def _transcribed_selection(self, doing: str) -> tuple[str, str] | None:
        """The selected session, when it has a transcript and the study key is here; else a notice."""
        selected = self._selected()
        if self.study.is_field_kit or self.locked:
            self.notify(f"{doing} needs the study key: unlock the study on the trusted machine", severity="warning")
            return None
        if selected is None or not selected[1] or not (self._folder(selected) / TRANSCRIPT).exists():
            self.notify("Select a transcribed session first (press t to transcribe)", severity="warning")
            return None
        return selected

    def action_review(self) -> None:
        from fieldvault.redact.review import open_for_review
        from fieldvault.tui.screens.review import ReviewScreen

        selected = self._transcribed_selection("Reviewing")
        if selected is None:
            return
        self.notify("Opening for review…", timeout=2)

        def load(identities: list[X25519Identity], hold: OpenHold) -> Callable[[], Screen[None]]:
            transcript, redactions = open_for_review(self.study, *selected, identities)  # decrypts, detects
            return lambda: ReviewScreen(self.study, identities, transcript, redactions, hold=hold)

        self._open_session(selected, load)

    def action_edit(self) -> None:
        from fieldvault.transcript_versions import open_for_editing
        from fieldvault.tui.screens.editor import EditorScreen

        selected = self._transcribed_selection("Editing")
        if selected is None:
            return

        def load(identities: list[X25519Identity], hold: OpenHold) -> Callable[[], Screen[None]]:
            opened = open_for_editing(self.study, *selected, identities)  # decrypts the transcript and more
            return lambda: EditorScreen(self.study, opened, identities, hold=hold)

        self._open_session(selected, load)

    @work(thread=True, exclusive=True, exit_on_error=False, group="open-session")
    def _open_session(
        self,
        selected: tuple[str, str],
        load: Callable[[list[X25519Identity], OpenHold], Callable[[], Screen[None]]],
    ) -> None:
        """Opening a long session takes seconds: ``load`` decrypts off the UI thread, then the screen it makes
        is pushed, unless a later open replaced this one meanwhile. The session is held open first (a move in
        another window is refused meanwhile, and one under way refuses this); the screen lets go as it closes."""
        identities = cast("FieldvaultApp", self.app).identities
        try:
            hold = hold_open(self._folder(selected))
        except USER_ERRORS as err:
            self.app.call_from_thread(self.notify, user_message(err), severity="error", timeout=12)
            return
        try:
            make = load(identities, hold)
        except BaseException as err:
            hold.release()
            if not isinstance(err, USER_ERRORS):
                raise
            self.app.call_from_thread(self.notify, user_message(err), severity="error")
            return
        if get_current_worker().is_cancelled:
            hold.release()
            return
        self.app.call_from_thread(self._push, make)

    def _push(self, make: Callable[[], Screen[None]]) -> None:
        self.app.push_screen(make())

    def action_withdraw(self) -> None:
        from fieldvault.tui.screens.withdraw import WithdrawScreen

        selected = self._selected()
        if self.study.is_field_kit or self.locked or selected is None:
            self.notify("Withdrawing needs the unlocked study on the trusted machine, and a participant selected")
            return
        if self._refused_own_key("Withdrawing"):
            return

        def withdrawn(done: str | None) -> None:
            if done:
                self.notify(done, timeout=15)
            self.action_refresh()

        screen = WithdrawScreen(self.study, selected[0], cast("FieldvaultApp", self.app).identities)
        self.app.push_screen(screen, withdrawn)

    def action_move(self) -> None:
        """A session recorded under the wrong participant: pick hers, confirm, move (trusted machine)."""
        from fieldvault.tui.screens.pick import PickScreen

        selected = self._selected()
        if self.study.is_field_kit or self.locked:
            self.notify(
                "A field kit cannot move a session: merge the kit, then move it on the trusted machine"
                if self.study.is_field_kit
                else "Moving a session needs the study key: unlock the study first",
                severity="warning",
                timeout=12,
            )
            return
        if self._refused_own_key("Moving a session"):
            return
        if selected is None or not selected[1] or not self._folder(selected).is_dir():
            self.notify("Select the session to move first", severity="warning")
            return
        pseudonym, session = selected
        others = [p.pseudonym for p in self.people if p.pseudonym != pseudonym]
        if not others:
            self.notify("There is no other participant to move it to: add her first (n)", severity="warning")
            return
        try:
            check_movable(self.study, pseudonym, session)  # cut off, recording now: say so before asking
        except USER_ERRORS as err:
            self.notify(user_message(err), severity="error", timeout=12)
            return

        def picked(index: int | None) -> None:
            if index is not None:
                self._confirm_move(pseudonym, session, others[index])

        self.app.push_screen(PickScreen(f"Move session {session} of {pseudonym} to", others), picked)

    def _confirm_move(self, pseudonym: str, session: str, to: str) -> None:
        """Ask, naming every part of the interview: a recording resumed after a lost input is one interview
        in several sessions, and all of them move (half an interview under another person is never right)."""
        from fieldvault.tui.screens.confirm import ConfirmScreen

        try:
            check_move(self.study, pseudonym, session, to)
            parts = other_parts(self.study, pseudonym, session, cast("FieldvaultApp", self.app).identities)
        except USER_ERRORS as err:
            self.notify(user_message(err), severity="error", timeout=12)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._move(pseudonym, session, to)

        transcribed = any((self._folder((pseudonym, name)) / TRANSCRIPT).exists() for name in (session, *parts))
        if parts:
            names = ", ".join(sorted((session, *parts)))
            question = (
                f"Move sessions {names} from {pseudonym} to {to}? They are one interview, resumed after the "
                "input was lost, and move together with their recordings and notes"
            )
        else:
            question = f"Move session {session} from {pseudonym} to {to}? Its recording and notes go with it"
        question += (
            f"; {'their transcripts' if parts else 'its transcript'} too, unreviewed then: identifiers are proposed "
            f"again from {to}'s list"
            if transcribed
            else ""
        )
        question += ". The move is audited."
        self.app.push_screen(ConfirmScreen(question, "Move", "Cancel"), answered)

    @work(thread=True, exclusive=True, exit_on_error=False, group="move")
    def _move(self, pseudonym: str, session: str, to: str) -> None:
        """Decrypting and re-sealing her records takes a moment: off the UI thread."""
        try:
            moved = move_interview(self.study, pseudonym, session, to, cast("FieldvaultApp", self.app).identities)
        except USER_ERRORS as err:
            self.app.call_from_thread(self.notify, user_message(err), severity="error", timeout=12)
            self.app.call_from_thread(self.action_refresh)  # a part may have moved before another was refused
            return
        names = ", ".join(m.session for m in moved)
        transcribed = sum(m.had_transcript for m in moved)
        note = " Its transcript is unreviewed now." if transcribed == 1 else ""
        note = " Their transcripts are unreviewed now." if transcribed > 1 else note
        exported = sum(m.exported for m in moved)
        if exported:
            note += f" {exported} earlier export(s) held it as {pseudonym}'s: see the audit log."
        self.select = f"{to}/{session}"
        what = f"session {names}" if len(moved) == 1 else f"sessions {names} (one interview)"
        self.app.call_from_thread(self.notify, escape(f"Moved {what} to {to}.{note}"), timeout=12)
        self.app.call_from_thread(self.action_refresh)

    def action_export(self) -> None:
        from fieldvault.tui.screens.export import ExportScreen

        if self.study.is_field_kit or self.locked:
            self.notify("Exporting needs the study key: unlock the study on the trusted machine", severity="warning")
            return
        self.app.push_screen(ExportScreen(self.study))

    def action_play(self) -> None:
        from fieldvault.capture import playback

        if self.playing:
            playback.stop()
            self.playing = False
            return
        if self.study.is_field_kit or self.locked:
            self.notify(
                "This copy cannot play recordings back: it holds no private key, so that a lost laptop "
                "reveals nothing. Listen on the trusted machine.",
                severity="information",
                timeout=10,
            )
            return
        selected = self._selected()
        if selected is None or not selected[1] or not (self._folder(selected) / AUDIO).exists():
            self.notify("Select a recorded session first", severity="warning")
            return
        self._play(self._folder(selected))

    def _own_key_only(self) -> bool:
        """Opened with a recipient's own key (a transcriber's, QA V14), not the study's: it reads, reviews and edits."""
        keys = cast("FieldvaultApp", self.app).identities
        return bool(keys) and self.study.study_identity(keys) is None

    def _refused_own_key(self, doing: str) -> bool:
        """Whether ``doing`` is refused, said, for a key that is not the study's: its entries are signed with the
        study key (as the CLI's --identity of another key is refused there)."""
        if not self._own_key_only():
            return False
        self.notify(
            f"{doing} needs the study passphrase: your own key reads, reviews and edits, not this; ask the PI",
            severity="warning",
            timeout=10,
        )
        return True

    def _folder(self, selected: tuple[str, str]) -> Path:
        return layout.session(self.study.root, selected[0], selected[1])

    @work(thread=True, exclusive=True, exit_on_error=False, group="playback")
    def _play(self, folder: Path) -> None:
        from fieldvault.audiofile import load_pcm
        from fieldvault.capture import playback

        try:
            fmt, samples = load_pcm(self.study, folder, cast("FieldvaultApp", self.app).identities)
            playback.play(fmt, samples)
            self.playing = True
        except USER_ERRORS as err:
            self.app.call_from_thread(self.notify, user_message(err), severity="error", timeout=8)

    # --- recovery -----------------------------------------------------------------------------

    def _offer_recovery(self) -> None:
        from fieldvault.tui.screens.confirm import ConfirmScreen

        try:
            interrupted = find_interrupted(self.study)
        except USER_ERRORS:
            return  # a damaged lock: the list's refresh has said which, and what to do
        if not interrupted:
            return
        if self.locked or self.study.is_field_kit:
            self.notify(
                f"{len(interrupted)} recording(s) were cut off by a crash. They are kept as they are; "
                "run recover on the trusted machine to re-seal them.",
                severity="warning",
                timeout=15,
            )
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._recover()

        names = ", ".join(f"{p.parent.name}/{p.name}" for p in interrupted[:6])
        more = f" and {len(interrupted) - 6} more" if len(interrupted) > 6 else ""
        self.app.push_screen(
            ConfirmScreen(
                f"{len(interrupted)} recording(s) were cut off by a crash: {names}{more}. Re-seal them "
                "now, keeping every intact second?",
                "Recover",
                "Later",
            ),
            answered,
        )

    @work(thread=True, exclusive=True, exit_on_error=False, group="recover")
    def _recover(self) -> None:
        from fieldvault.capture.salvage import describe, gather_leftover_journals, salvage, unopened

        keys = cast("FieldvaultApp", self.app).identities
        try:
            skipped = unopened(self.study, keys)
            salvaged = salvage(self.study, keys, skipped)
            gather_leftover_journals(self.study, keys, skipped)
        except USER_ERRORS as err:
            self.app.call_from_thread(self.notify, user_message(err), severity="error", timeout=10)
            return
        for item in salvaged:
            self.app.call_from_thread(self.notify, describe(item, self.study.root), timeout=15)
        for path, why in skipped.items():
            self.app.call_from_thread(
                self.notify,
                f"{path.relative_to(self.study.root)} {why}: left as it is; move it out of the study folder, or "
                "restore the study's own copy from a backup",
                severity="error",
                timeout=15,
            )
        self.app.call_from_thread(self.action_refresh)


class FieldKitHomeScreen(HomeScreen):
    """Home on a field kit (public keys only): its footer leaves out what only the trusted machine does, so
    an interviewer is not offered Transcribe, Export or Lock there; the keys still answer with the reason."""

    BINDINGS = [
        Binding("t", "transcribe", "Transcribe", show=False, tooltip="Transcribe recordings (trusted machine)"),
        Binding("e", "export", "Export", show=False, tooltip="Export, de-identified (trusted machine)"),
        Binding("ctrl+l", "app.lock", "Lock", show=False, tooltip="Back to the unlock screen (a kit holds no key)"),
    ]
