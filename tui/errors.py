"""Problems the user can fix, shown as notifications: fieldvault's own errors and fixable OS errors.

Messages are escaped for Rich markup, so a path or a setting such as "[letter]" is shown as written."""

from __future__ import annotations

from typing import cast

from rich.markup import escape
from textual.message_pump import MessagePump
from textual.worker import Worker, WorkerState

from fieldvault.errors import FieldvaultError, describe_os_error

USER_ERRORS = (FieldvaultError, OSError)


def user_message(err: BaseException) -> str:
    if isinstance(err, OSError):
        return escape(describe_os_error(err) or f"unexpected system error: {err.strerror or err}")
    return escape(str(err))


class WorkerErrors:
    """For screens (and the app) whose thread workers run with ``exit_on_error=False``: an error no worker
    caught (a bug, not a user's problem) is said on screen, never swallowed, so a user is not left waiting
    for a screen that will not open or trusting a save that did not happen (QA C5)."""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        error = event.worker.error
        if event.state == WorkerState.ERROR and error is not None:
            message = f"{type(error).__name__}: {error}"[:300]
            cast("MessagePump", self).app.notify(
                f"fieldvault hit an unexpected error and stopped what it was doing ({escape(message)}); nothing "
                "after the error was done or saved. Please report this line and what you did",
                severity="error",
                timeout=60,
            )
