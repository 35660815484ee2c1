"""What a notes or journal screen is typing, kept as an encrypted draft (fieldvault.drafts; QA R21): a few seconds
after typing stops and at every change of focus; removed when the text is saved or thrown away. The drafts an
earlier screen left (a crash, kill -9, a flat battery, or another window open on the same notes) are offered back
when the screen opens: shown where this copy holds a key, put back, discarded or left; on a field kit, which cannot
read them, saved as they are or left for the trusted machine."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import ClassVar

from textual.events import DescendantBlur, ScreenSuspend
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import TextArea

from fieldvault import drafts
from fieldvault.agefile import Identity
from fieldvault.agefile.sharedheader import SharedHeader
from fieldvault.journal import JournalEntry
from fieldvault.memos import FieldNote
from fieldvault.study import Study
from fieldvault.tui.errors import USER_ERRORS, user_message
from fieldvault.tui.screens.draftoffer import DISCARD, LEAVE, PUT_BACK, SAVE, DraftOfferScreen

DRAFT_SECONDS = 3.0  # after the last key: the editor's autosave waits 5 s; notes are written fast and once
# at most this long after the first key not kept: someone typing steadily never lets the pause above come (QA S4:
# ten minutes typed, then a kill, lost all)
DRAFT_MAX_SECONDS = 10.0


Held = FieldNote | JournalEntry  # a draft read with the key


@dataclass(frozen=True)
class DraftKind:
    what: str  # "field notes" or "a journal entry", as the questions say it
    where: str  # the screen, as the questions say it: "this session's notes"
    folder: Path  # where its text is saved, and its drafts lie: the session's folder, or the journal's
    typing: str  # the text typed, as the lock and quit lines begin: "The field notes", "The journal entry"
    plural: bool  # "The field notes ... are", "The journal entry ... is"

    def says(self, one: str, more: str) -> str:
        """The word that agrees with ``typing``: ``one`` for a journal entry, ``more`` for field notes."""
        return more if self.plural else one


class KeptDraft(Screen[None]):
    """A screen with one TextArea (``TEXT_AREA``, its id) whose text is kept as a draft of ``draft_kind()``."""

    TEXT_AREA: ClassVar[str]

    def __init__(self, study: Study, identities: Sequence[Identity]) -> None:
        super().__init__()
        self.study, self.identities = study, identities
        self.kind = self.draft_kind()
        # this screen's own draft; an earlier one's is offered back, never written over
        self.draft = drafts.slot(self.kind.folder)
        self.kept = ""  # what the draft holds now ("" for none)
        self.under: SharedHeader | None = None  # the header every keeping of this draft is sealed under (drafts.keep)
        self._timer: Timer | None = None  # DRAFT_SECONDS after the last key
        self._due: Timer | None = None  # DRAFT_MAX_SECONDS after the first key not kept yet

    def draft_kind(self) -> DraftKind:
        raise NotImplementedError

    def saved_changed(self) -> None:
        """Show the saved texts again (one was saved from a draft)."""

    def save_typed(self, text: str) -> str:
        """Save ``text``, encrypted (a user error where it cannot be); the line that says it was saved."""
        raise NotImplementedError

    def action_save(self) -> None:
        try:
            saved = self.save_typed(self.area.text)
        except USER_ERRORS as err:
            self.notify(user_message(err), severity="error", timeout=8)
            return
        self.area.text = ""
        self.draft_saved()
        self.saved_changed()
        self.notify(saved, timeout=6)

    def keep_for_lock(self) -> str | None:
        """What is being typed is saved, encrypted, before a lock closes the screen."""
        if not self.area.text.strip():
            return None
        self.action_save()
        typing = self.kind.typing
        if self.area.text.strip():
            return " ".join(filter(None, [f"{typing} being written could not be saved.", self.kept_line()]))
        return f"{typing} being written {self.kind.says('was', 'were')} saved, encrypted."

    def quit_question(self) -> str | None:
        if self.area.text.strip():
            unsaved = f"{self.kind.typing} you are writing {self.kind.says('is', 'are')} not saved."
            return " ".join(filter(None, [unsaved, self.kept_line(), "Quit anyway?"]))
        return None

    def action_back(self) -> None:
        from fieldvault.tui.screens.confirm import ConfirmScreen

        if self.quit_question() is None:
            self.app.pop_screen()
            return
        says = self.kind.says
        self.app.push_screen(
            ConfirmScreen(
                f"{self.kind.typing} you are writing {says('is', 'are')} not saved. Go back and throw "
                f"{says('it', 'them')} away? ({says('It is', 'They are')} set aside, encrypted, and not offered "
                "again.)",
                "Discard",
                "Keep writing",
                safe_default=True,
                over_typing=True,
            ),
            self._leave,
        )

    def _leave(self, yes: bool | None) -> None:
        if yes:
            self.draft_discarded()
            self.app.pop_screen()

    @property
    def area(self) -> TextArea:
        return self.query_one(self.TEXT_AREA, TextArea)

    def on_text_area_changed(self, _: TextArea.Changed) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DRAFT_SECONDS, self.keep_draft)
        if self._due is None:
            self._due = self.set_timer(DRAFT_MAX_SECONDS, self.keep_draft)

    def _stop_timers(self) -> None:
        for timer in (self._timer, self._due):
            if timer is not None:
                timer.stop()
        self._timer = self._due = None

    def on_descendant_blur(self, _: DescendantBlur) -> None:
        self.keep_draft()

    def on_screen_suspend(self, _: ScreenSuspend) -> None:
        self.keep_draft()

    def keep_draft(self) -> bool:
        """Keep the text as it is now in the draft (nothing to do when it holds it already); whether it does."""
        self._stop_timers()
        text = self.area.text
        if text == self.kept:
            return True
        try:
            self.under = drafts.keep(self.study, self.draft, text, self.under)
        except USER_ERRORS as err:
            self.notify(f"What you typed could not be kept as a draft: {user_message(err)}", severity="warning")
            return False
        self.kept = text if text.strip() else ""
        return True

    def draft_saved(self) -> None:
        """The text was saved: its draft goes (audited)."""
        self._drop(drafts.remove_saved)

    def draft_discarded(self) -> None:
        """The text was thrown away: it is kept in the draft as it is now, which is set aside (audited: QA S4), and
        the box is emptied, so that the screen's closing (a change of focus) keeps nothing again."""
        if self.keep_draft():
            self._drop(self._set_aside)
        self.area.text = ""
        self._stop_timers()

    def _set_aside(self, study: Study, draft: Path) -> None:
        if (kept := drafts.discard(study, draft)) is not None:
            self.notify(self._set_aside_line(kept), timeout=10)

    def _set_aside_line(self, kept: Path) -> str:
        return (
            f"Discarded: not offered again. Set aside, encrypted, as {kept.relative_to(self.study.root)} (fieldvault "
            "decrypt reads it), should it be needed after all"
        )

    def _drop(self, remove: Callable[[Study, Path], None]) -> None:
        self._stop_timers()
        try:
            remove(self.study, self.draft)
        except USER_ERRORS as err:
            self.notify(f"The draft could not be removed: {user_message(err)}", severity="warning")
        self.kept = ""
        self.under = None  # a draft begun after a save or a discard is another: a header of its own

    def kept_line(self) -> str:
        """What the quit question says becomes of the text typed: kept in the draft, now ("" where it cannot be)."""
        if self.keep_draft() and self.kept:
            return f"What you typed is kept as an encrypted draft, offered back when you open {self.kind.where} again."
        return ""

    # --- offered back ---------------------------------------------------------------------------

    def offer_drafts(self) -> None:
        self._offer([path for path in drafts.found(self.kind.folder) if path != self.draft])

    def _offer(self, left: list[Path]) -> None:
        if not left:
            return
        path, rest = left[0], left[1:]
        try:
            if not self.identities:
                self._offer_sealed(path, rest)
                return
            held = drafts.read(self.study, path, self.identities)
        except USER_ERRORS as err:  # refused (another session's), or gone meanwhile (saved in another window)
            self.notify(user_message(err), severity="error", timeout=20)
            self._offer(rest)
            return
        same_as = self._saved_as(held.text)
        question = (
            f"A draft of {self.kind.what}, typed on {held.written}, was never saved; it was kept, encrypted (a screen "
            "ended without saving, or one is open in another window now):"
        )
        choices: tuple[str, ...] = (PUT_BACK, DISCARD)
        if same_as is not None:
            question += f" The same words are saved already, as {same_as}."
            choices = (DISCARD, PUT_BACK)
        self.app.push_screen(
            DraftOfferScreen(question, held.text, choices), lambda answer: self._answered(path, held, answer, rest)
        )

    def _saved_as(self, text: str) -> str | None:
        """The saved text that holds the draft's words as they are (saved, and the screen ended before its draft was
        removed; or saved on a kit after a merge took the draft), named; None for none."""
        try:
            saved = drafts.saved(self.study, self.kind.folder, self.identities)
            return next((name for name, words in saved if words == text), None)
        except USER_ERRORS:
            return None  # a saved text that does not read is named on the screen itself

    def _offer_sealed(self, path: Path, rest: list[Path]) -> None:
        """On a field kit: no key reads the draft, so it is saved as it is or left for the trusted machine."""
        kept = datetime.fromtimestamp(path.stat().st_mtime, UTC).isoformat(timespec="seconds")
        question = (
            f"A draft of {self.kind.what}, typed on {kept}, was never saved; it was kept, encrypted, and this field "
            f"kit cannot show it. Save it as {self.kind.what} as it is (read on the trusted machine), or leave it: "
            "merge-kit takes it to the study, which offers it back."
        )
        self.app.push_screen(
            DraftOfferScreen(question, None, (SAVE,)), lambda answer: self._answered(path, None, answer, rest)
        )

    def _answered(self, path: Path, held: Held | None, answer: str | None, rest: list[Path]) -> None:
        try:
            if answer == PUT_BACK and held is not None:
                self.area.text = f"{self.area.text.rstrip()}\n\n{held.text}".lstrip()
                if self.keep_draft():  # the text is in this screen's own draft before the other goes
                    drafts.drop(self.study, path, drafts.PUT_BACK)
            elif answer == DISCARD:
                if (kept := drafts.discard(self.study, path)) is not None:
                    self.notify(self._set_aside_line(kept), timeout=10)
            elif answer == SAVE:
                self.notify(f"The draft was saved as {drafts.save(self.study, path)}, encrypted", timeout=8)
                self.saved_changed()
        except USER_ERRORS as err:
            self.notify(user_message(err), severity="error", timeout=12)
        if answer == LEAVE:
            self.notify(f"The draft of {self.kind.what} stays, encrypted, until it is saved or discarded", timeout=6)
        self._offer(rest)
