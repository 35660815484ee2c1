"""Ctrl-C at any moment of a `fieldvault` command, the real binary (qa25 QA16): in the first quarter second, while the
commands' modules load, Python printed a traceback; now every moment ends in one line and status 130, and nothing
is stored half-written."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from pathlib import Path

import pytest

from fieldvault.cli import INTERRUPTED
from fieldvault.journal import entry_names, list_entries
from fieldvault.study import Study
from tests.conftest import PASSPHRASE, ROOT
from tests.e2e.test_cli import EXE, fv

DELAYS = (0.05, 0.1, 0.2, 0.3, 0.5, 0.8)
STORED = re.compile(
    r"fieldvault: interrupted after journal entry (\S+) was stored, encrypted to the study's recipients"
)
SURELY_LOADING = 0.1  # the commands' modules take longer than this to load: interrupted whatever the machine


def as_at_a_terminal() -> None:  # a test run started in the background inherits SIGINT ignored
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _interrupted(delay: float, *args: str) -> subprocess.CompletedProcess[str]:
    """`fieldvault ARGS` sent SIGINT (Ctrl-C) ``delay`` seconds after it started. Python's own start (site, runpy:
    ~30 ms before any line of fieldvault runs) prints a traceback of its own, with no frame of fieldvault's; a signal
    that falls there on a loaded machine tells nothing of fieldvault, and the run is tried again, 25 ms later each
    time (at a load of 13 on two cores Python had started 50 ms after one start in four, 150 ms after every one)."""
    for attempt in range(5):
        env = {**os.environ, "FIELDVAULT_PASSPHRASE": PASSPHRASE}
        run = subprocess.Popen(
            [EXE, *args],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            preexec_fn=as_at_a_terminal,
        )
        time.sleep(delay + 0.025 * attempt)
        run.send_signal(signal.SIGINT)
        out, err = run.communicate(timeout=120)
        started = "Traceback" not in err or f'File "{ROOT / "fieldvault"}' in err  # a line of fieldvault's ran
        if started and (err or run.returncode != -signal.SIGINT):  # killed saying nothing: still the shim's shell
            return subprocess.CompletedProcess(run.args, run.returncode, out, err)
    pytest.fail(f"Python itself had not started {delay} to {delay + 0.1} s after each of five starts")


def _one_line_or_done(done: subprocess.CompletedProcess[str], delay: float) -> bool:
    """Whether the command was interrupted (one line, 130) rather than done before the signal (0); nothing else."""
    assert "Traceback" not in done.stderr, f"at {delay} s: {done.stderr}"
    # A shell reads 130 either way. CPython ends by SIGINT itself (-2 here) where the interrupt fell in code it ran
    # through exec() (a dataclass built as a module loads): it takes that one as unhandled, caught later or not.
    last = done.stderr.strip().splitlines()[-1:]  # after its own lines
    said = last == [INTERRUPTED] or bool(last and STORED.match(last[0]))
    if done.returncode == -signal.SIGINT and not said and done.stdout.endswith("\n") and delay > SURELY_LOADING:
        return False  # done: its output, which Python writes to a pipe as it exits, all out; the signal fell after
    if done.returncode in (130, -signal.SIGINT):
        assert said, f"at {delay} s: {done.returncode} {done.stderr}"
        return True
    assert done.returncode == 0 and delay > SURELY_LOADING, f"at {delay} s: {done.returncode} {done.stderr}"
    return False


def test_ctrl_c_at_any_moment_of_a_command_is_one_line_and_status_130(study: Study) -> None:
    for delay in DELAYS:
        _one_line_or_done(_interrupted(delay, "keys", "list", str(study.root)), delay)


def test_ctrl_c_while_a_journal_entry_is_added_stores_it_whole_or_not_at_all(study: Study, tmp_path: Path) -> None:
    said = []
    for number, delay in enumerate(DELAYS):
        text = tmp_path / f"entry{number}.md"
        text.write_text(f"Thought number {number}: what I brought to the interview.\n")
        done = _interrupted(delay, "journal", "add", str(study.root), "--text-file", str(text))
        _one_line_or_done(done, delay)
        if done.stdout.startswith("journal entry ") or STORED.search(done.stderr):  # stored, and said so
            said.append(f"Thought number {number}: what I brought to the interview.")
    identities = study.unlock(PASSPHRASE.encode())
    assert [entry.text for entry in list_entries(study, identities)] == said
    assert len(entry_names(study)) == len(said) == len(list((study.root / "journal").glob("*")))  # no part-written
    checked = fv("check", str(study.root))
    assert checked.returncode == 0, checked.stdout + checked.stderr


def _full_pipe() -> tuple[int, int]:
    """A pipe that takes not one byte more: a command writing to it waits, there and nowhere else."""
    read, write = os.pipe()
    os.set_blocking(write, False)
    for size in (65536, 4096, 1):
        try:
            while True:
                os.write(write, b"x" * size)
        except BlockingIOError:
            pass
    os.set_blocking(write, True)  # the command's writes wait rather than fail (the flag belongs to the pipe)
    return read, write


def test_ctrl_c_once_a_journal_entry_is_stored_says_it_was_stored(study: Study, tmp_path: Path) -> None:
    """tui26: Ctrl-C after `journal add` had sealed the entry said "interrupted; nothing already stored was changed",
    status 130: she took it for nothing stored and added it again. The real binary, its standard output a full pipe,
    waits to say "journal entry ... written" once the entry and its line in the log are stored; SIGINT then."""
    text = tmp_path / "entry.md"
    text.write_text("Thought: I wanted her to forgive her mother.\n")
    read, write = _full_pipe()
    env = {**os.environ, "FIELDVAULT_PASSPHRASE": PASSPHRASE, "PYTHONUNBUFFERED": "1"}  # each print a write at once
    args = [EXE, "journal", "add", str(study.root), "--text-file", str(text)]
    run = subprocess.Popen(args, env=env, stdout=write, stderr=subprocess.PIPE, text=True, preexec_fn=as_at_a_terminal)
    os.close(write)
    log = study.root / "audit.jsonl"
    deadline = time.monotonic() + 120
    while '"journal.add"' not in log.read_text() and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert run.poll() is None, run.communicate()  # waiting on its standard output, the entry stored
    time.sleep(0.2)
    run.send_signal(signal.SIGINT)
    with os.fdopen(read, "rb") as out:
        out.read()  # let it go
        err = run.communicate(timeout=120)[1]
    (name,) = entry_names(study)
    assert run.returncode in (130, -signal.SIGINT) and "Traceback" not in err, err
    assert err.strip().splitlines()[-1] == (
        f"fieldvault: interrupted after journal entry {name} was stored, encrypted to the study's recipients: do not "
        f"add it again; {text} still holds it in plaintext: delete it (`shred -u {text}`)"
    )
    identities = study.unlock(PASSPHRASE.encode())
    assert [entry.text for entry in list_entries(study, identities)] == ["Thought: I wanted her to forgive her mother."]


def test_ctrl_c_after_journal_add_returned_says_nothing_false(study: Study, tmp_path: Path) -> None:
    """jour27's rest: Ctrl-C once `journal add` had returned (its entry stored, "journal entry ... written" said), while
    the command line named work cut off in the study or Python exited, ended in "interrupted; nothing already stored
    was changed", status 130: she took the entry for not stored and added it again. The real binary, its standard
    error a full pipe, waits to name the cut-off folder after the command; SIGINT then."""
    (study.root / "participants" / ".withdrawing-Zed").mkdir()  # a withdrawal cut off: named after any command
    text = tmp_path / "entry.md"
    text.write_text("Thought: the room was too cold for her.\n")
    read, write = _full_pipe()
    args = [EXE, "journal", "add", str(study.root), "--text-file", str(text), "--shred-original"]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}  # no key: adding needs none, and the cut-off folder is only named
    run = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=write, text=True, preexec_fn=as_at_a_terminal)
    os.close(write)
    deadline = time.monotonic() + 120
    while text.exists() and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not text.exists() and run.poll() is None, run.communicate()  # stored, shredded, waiting to name the folder
    time.sleep(0.3)
    run.send_signal(signal.SIGINT)
    with os.fdopen(read, "rb") as err_pipe:
        err = err_pipe.read().decode(errors="replace")
    out = run.communicate(timeout=120)[0]
    (name,) = entry_names(study)
    assert f"journal entry {name} written" in out, out
    assert INTERRUPTED not in err and "Traceback" not in err, err[-2000:]
    assert run.returncode == 0, err[-2000:]
    assert err.rstrip().endswith("to finish what a signed entry records"), err[-2000:]
