"""Run a `fieldvault keys remove-recipient` or `keys add-recipient` and SIGKILL it as it reaches its K-th step that
changes the disk or the log: a real kill at every point in turn (keys25), where tests/passkill.py kills at named ones.

``killed_at`` forks: the child runs the command and kills itself with SIGKILL at the step, so nothing of it (no
`finally`, no atexit) runs; a fork, not a new interpreter, so that a test can afford every point. From the checkout,
``python -m tests.keykill K ARGS...`` does the same in its own process.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from fieldvault import atomicfile, audit
from fieldvault.cli import main

# each step that changes the disk or the log (Path.unlink is counted apart from the os.unlink it calls)
STEPS: tuple[tuple[Any, str], ...] = (
    (os, "replace"), (os, "rename"), (os, "unlink"), (Path, "unlink"), (os, "fsync"),
    (audit.AuditLog, "append"), (atomicfile, "sync_folder"),
)  # fmt: skip
ENDED = 3  # the child's exit status where the command ended, successfully, before its K-th step


def appending(action: str) -> Callable[[str, tuple[Any, ...]], bool]:
    """Counts only the signing of ``action``: killed there, study.toml is sealed and the entry not yet written."""
    return lambda name, args: name == "append" and args[1] == action


def kill_at(k: int, counts: Callable[[str, tuple[Any, ...]], bool] = lambda name, args: True) -> None:
    """Make this process kill itself as the ``k``-th step ``counts`` accepts is reached."""
    seen = 0

    def wrap(owner: Any, name: str) -> None:
        real = getattr(owner, name)

        def wrapped(*args: Any, **kwargs: Any) -> Any:
            nonlocal seen
            if counts(name, args):
                seen += 1
                if seen == k:
                    os.kill(os.getpid(), signal.SIGKILL)
            return real(*args, **kwargs)

        setattr(owner, name, wrapped)

    for owner, name in STEPS:
        wrap(owner, name)


def killed_at(
    k: int, argv: Sequence[str], counts: Callable[[str, tuple[Any, ...]], bool] = lambda name, args: True
) -> bool:
    """Run `fieldvault ARGV` in a child killed at its ``k``-th step: True where it was, False where the command ended
    first (having succeeded: anything else fails the test)."""
    pid = os.fork()
    if pid == 0:  # the child: never returns into the test
        code = 1
        try:
            quiet = os.open(os.devnull, os.O_WRONLY)
            os.dup2(quiet, 1)
            os.dup2(quiet, 2)
            kill_at(k, counts)
            code = ENDED if main(list(argv)) == 0 else 1
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        assert os.WTERMSIG(status) == signal.SIGKILL, f"step {k}: signal {os.WTERMSIG(status)}"
        return True
    assert os.WEXITSTATUS(status) == ENDED, f"{' '.join(argv)} failed before its step {k}"
    return False


if __name__ == "__main__":
    kill_at(int(sys.argv[1]))
    ended = main(sys.argv[2:])
    sys.exit(f"the command ended ({ended}) before its step {sys.argv[1]}")
