"""QA A15: a session open in the editor, review or notes screen of another fieldvault is not moved from under
it. Real processes: a second Python process holds the session as the editor does (``hold_open``), or
moves it as `session move` does, while this one tries the other."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from fieldvault import layout
from fieldvault.errors import BadInput
from fieldvault.sessionmove import move_session
from fieldvault.sessionopen import hold_for_transcription, hold_open
from fieldvault.study import Study
from tests.conftest import PASSPHRASE, ROOT
from tests.stewardship import JUNE, ROSA, add_person

OPEN_ELSEWHERE = "is open in the editor, review or notes screen, or the transcription queue, of another fieldvault"

# Holds the session open as the editor does, says so, and lets go when its stdin closes (or it is killed).
EDITOR = """
import sys
from pathlib import Path
from fieldvault.sessionopen import hold_for_transcription, hold_open
hold = hold_open(Path(sys.argv[1]))
print("open", flush=True)
sys.stdin.read()
hold.release()
print("closed", flush=True)
"""

# Holds the session for a transcription as `transcribe` and the TUI's queue do, says so, lets go as EDITOR does.
TRANSCRIBER = EDITOR.replace("hold_open", "hold_for_transcription").replace('print("open"', 'print("transcribing"')

# Says whether a move of the session would be refused now, as `session move` checks before asking anything.
PROBE = """
import sys
from pathlib import Path
from fieldvault.errors import BadInput
from fieldvault.sessionopen import check_not_open_elsewhere
try:
    check_not_open_elsewhere(Path(sys.argv[1]))
    print("free")
except BadInput as err:
    print(err)
"""

# Moves the session, pausing after the commit (the folder renamed, its records not yet in place).
MOVER = """
import os, sys, time
from pathlib import Path
from fieldvault import sessionmove
from fieldvault.study import Study
finish = sessionmove._finish
def paused(study, folder, *vouched):
    print("renamed", flush=True)
    sys.stdin.read()
    return finish(study, folder, *vouched)
sessionmove._finish = paused
study = Study.open(Path(sys.argv[1]))
moved = sessionmove.move_session(study, "Rosa", sys.argv[2], "June", study.unlock(os.environ["PASSPHRASE"].encode()))
print("moved", moved.session, flush=True)
"""


@pytest.fixture
def rosa(ready_study: Study) -> tuple[Study, str]:
    """June's interview recorded under Rosa, transcribed."""
    add_person(ready_study, JUNE, sessions=0)
    return ready_study, add_person(ready_study, ROSA, sessions=1)[0]


def _start(script: str, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PASSPHRASE": PASSPHRASE}
    return subprocess.Popen(
        [sys.executable, "-c", script, *args],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture
def editor_elsewhere(rosa: tuple[Study, str]) -> Iterator[subprocess.Popen[str]]:
    """Another fieldvault with Rosa's session open in its editor."""
    study, session = rosa
    process = _start(EDITOR, str(layout.session(study.root, "Rosa", session)))
    try:
        assert process.stdout is not None and process.stdout.readline() == "open\n", process.stderr
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=30)


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _cli_move(study: Study, session: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    secret = tmp_path / "pass"
    secret.write_text(PASSPHRASE + "\n")
    secret.chmod(0o600)
    command = ["fieldvault", "session", "move", str(study.root), "Rosa", session, "--to", "June"]
    return subprocess.run([*command, "--passphrase-file", str(secret)], capture_output=True, text=True, timeout=120)


def test_a_session_open_in_another_editor_is_not_moved_until_it_is_closed(
    rosa: tuple[Study, str], editor_elsewhere: subprocess.Popen[str], tmp_path: Path
) -> None:
    study, session = rosa
    before = _files(study.root)
    run = _cli_move(study, session, tmp_path)
    assert run.returncode == 1 and run.stdout == "", run
    assert run.stderr == (
        f"fieldvault: error: session {session} of Rosa {OPEN_ELSEWHERE} (pid {editor_elsewhere.pid}); "
        "close it there (or let the queue finish), then move it\n"
    )
    with pytest.raises(BadInput, match=OPEN_ELSEWHERE):
        move_session(study, "Rosa", session, "June", study.unlock(PASSPHRASE.encode()))
    assert _files(study.root) == before  # nothing changed: not a file, not an audit entry

    out, _ = editor_elsewhere.communicate("", timeout=30)  # closed there
    assert out == "closed\n"
    run = _cli_move(study, session, tmp_path)
    assert run.returncode == 0 and f"moved session {session} from Rosa to June" in run.stdout, run.stderr


def test_an_editor_that_crashed_leaves_no_marker_behind(
    rosa: tuple[Study, str], editor_elsewhere: subprocess.Popen[str]
) -> None:
    study, session = rosa
    editor_elsewhere.send_signal(signal.SIGKILL)
    editor_elsewhere.wait(timeout=30)
    moved = move_session(study, "Rosa", session, "June", study.unlock(PASSPHRASE.encode()))
    assert moved.to == "June" and layout.session(study.root, "June", session).is_dir()


def test_the_marker_is_no_file_so_nothing_that_reads_the_study_meets_it(
    rosa: tuple[Study, str], editor_elsewhere: subprocess.Popen[str], tmp_path: Path
) -> None:
    """Backups, `check`, kit merges and exports read files: the marker is a lock on the folder, never a file."""
    study, session = rosa
    before = _files(study.root)
    hold = hold_open(layout.session(study.root, "Rosa", session))  # this process too, as its review screen would
    try:
        assert _files(study.root) == before
        env = {**os.environ, "FIELDVAULT_PASSPHRASE": PASSPHRASE}
        for command in (["check", str(study.root)], ["backup", str(study.root), str(tmp_path / "copy")]):
            run = subprocess.run(["fieldvault", *command], capture_output=True, text=True, timeout=120, env=env)
            assert run.returncode == 0 and "warning" not in run.stdout + run.stderr, run.stdout + run.stderr
    finally:
        hold.release()
    copied = layout.session(tmp_path / "copy", "Rosa", session)
    assert _files(copied) == _files(layout.session(study.root, "Rosa", session))


def test_an_editor_opened_during_a_move_is_told_and_the_lock_follows_the_renamed_folder(
    rosa: tuple[Study, str],
) -> None:
    study, session = rosa
    mover = _start(MOVER, str(study.root), session)
    try:
        assert mover.stdout is not None and mover.stdout.readline() == "renamed\n", mover.stderr
        assert not layout.session(study.root, "Rosa", session).exists()
        with pytest.raises(BadInput, match=f"session {session} of June is being moved to another participant"):
            hold_open(layout.session(study.root, "June", session))  # at its new place, mid-move
    finally:
        out, err = mover.communicate("", timeout=120)
    assert mover.returncode == 0 and out.endswith(f"moved {session}\n"), out + err
    hold_open(layout.session(study.root, "June", session)).release()  # the move over, it opens


def test_the_same_process_still_moves_a_session_its_own_screen_shows(rosa: tuple[Study, str]) -> None:
    """As before: the TUI moves from its home screen, never from under its own editor; a caller that does
    (a test, the core) is not stopped by its own screen, whose editor finds the move at its next save."""
    study, session = rosa
    folder = layout.session(study.root, "Rosa", session)
    editor, review = hold_open(folder), hold_open(folder)
    move_session(study, "Rosa", session, "June", study.unlock(PASSPHRASE.encode()))
    editor.release()
    moved = layout.session(study.root, "June", session)
    probe = _start(PROBE, str(moved))  # its review screen holds it still, shared again after the move
    assert (
        f"session {session} of June is open in the editor, review or notes screen" in probe.communicate(timeout=60)[0]
    )
    review.release()
    review.release()  # a second release does nothing
    assert _start(PROBE, str(moved)).communicate(timeout=60)[0] == "free\n"
    move_session(study, "June", session, "Rosa", study.unlock(PASSPHRASE.encode()))  # nothing holds it now
    assert folder.is_dir()


def _cli_withdraw(study: Study, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    secret = tmp_path / "pass"
    secret.write_text(PASSPHRASE + "\n")
    secret.chmod(0o600)
    command = ["fieldvault", "withdraw", str(study.root), "Rosa", "--confirm", "Rosa"]
    return subprocess.run([*command, "--passphrase-file", str(secret)], capture_output=True, text=True, timeout=120)


def test_her_session_open_in_another_editor_stops_her_withdrawal_until_it_is_closed(
    rosa: tuple[Study, str], editor_elsewhere: subprocess.Popen[str], tmp_path: Path
) -> None:
    """Withdrawn from under an editor open in another window, her transcript would come back with its next
    autosave or save (written into a folder made anew): the withdrawal is refused, destroying nothing, and
    runs once the editor is closed."""
    from fieldvault.stewardship.withdraw import withdraw, withdraw_keeping_deidentified

    study, session = rosa
    before = _files(study.root)
    run = _cli_withdraw(study, tmp_path)
    assert run.returncode == 1 and run.stdout == "", run
    assert run.stderr == (
        f"fieldvault: error: session {session} of Rosa {OPEN_ELSEWHERE} (pid {editor_elsewhere.pid}); "
        "close it there (or let the queue finish), then withdraw her\n"
    )
    with pytest.raises(BadInput, match="then withdraw her"):
        withdraw(study, "Rosa")
    with pytest.raises(BadInput, match="then withdraw her"):
        withdraw_keeping_deidentified(study, "Rosa", study.unlock(PASSPHRASE.encode()))
    assert _files(study.root) == before  # nothing destroyed, no audit entry

    out, _ = editor_elsewhere.communicate("", timeout=30)
    assert out == "closed\n"
    run = _cli_withdraw(study, tmp_path)
    assert run.returncode == 0 and "withdrew Rosa" in run.stdout, run.stderr
    assert not (study.root / layout.PARTICIPANTS / "Rosa").exists()


def test_a_session_whose_proposals_are_being_made_is_not_withdrawn_meanwhile(
    ready_study: Study, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """QA D7 for `fieldvault redact`: while it proposes and stores a session's redactions, a withdrawal in another
    window is refused (its proposals would be written back into a folder made anew)."""
    from fieldvault import cli
    from fieldvault.redact import review
    from fieldvault.sessionvouch import record_lost
    from tests.stewardship import transcribe_and_review

    identities = ready_study.unlock(PASSPHRASE.encode())
    (session,) = add_person(ready_study, ROSA, sessions=1)
    transcribe_and_review(ready_study, identities, ROSA, session)
    review.path_of(ready_study, "Rosa", session).unlink()  # to be proposed afresh: the PI records it lost
    record_lost(ready_study, str(review.path_of(ready_study, "Rosa", session)))
    tried: list[subprocess.CompletedProcess[str]] = []
    real = review.refresh_all

    def refresh_while_withdrawing(study, people, keys, *leave_out):
        tried.append(_cli_withdraw(ready_study, tmp_path))
        return real(study, people, keys, *leave_out)

    monkeypatch.setattr(review, "refresh_all", refresh_while_withdrawing)
    secret = tmp_path / "pass"
    secret.write_text(PASSPHRASE + "\n")
    secret.chmod(0o600)
    assert cli.main(["redact", str(ready_study.root), "--passphrase-file", str(secret)]) == 0
    (run,) = tried
    # This process is pytest, not `fieldvault redact`: the line names the hold, not the command.
    assert run.returncode == 1 and run.stderr.endswith("then withdraw her\n")
    assert run.stderr.startswith(f"fieldvault: error: session {session} of Rosa {OPEN_ELSEWHERE}")
    assert review.path_of(ready_study, "Rosa", session).exists()


def test_retention_destroys_nothing_while_a_session_is_open_in_another_editor(
    rosa: tuple[Study, str], editor_elsewhere: subprocess.Popen[str]
) -> None:
    """QA E19: `retention --destroy` went ahead under an editor open in another window (whose TUI then crashed on
    the vanished session); it refuses in one line, destroying nothing, and runs once the editor is closed."""
    from datetime import date

    from fieldvault.stewardship.retention import Policy, destroy, due, set_policy

    study, session = rosa
    set_policy(study, Policy(years=1, study_ends=date(2020, 1, 1)))
    items = due(study, date(2026, 11, 26))
    assert items
    before = _files(study.root)
    with pytest.raises(BadInput, match=f"session {session} of Rosa {OPEN_ELSEWHERE}.*then destroy its data"):
        destroy(study, items)
    assert _files(study.root) == before
    editor_elsewhere.communicate("", timeout=30)
    assert destroy(study, due(study, date(2026, 11, 26))) > 0
    assert not any((study.root / layout.PARTICIPANTS).rglob("*.age"))


def test_a_second_transcription_of_a_session_is_refused_here_and_elsewhere_and_a_killed_one_holds_nothing(
    rosa: tuple[Study, str],
) -> None:
    """QA: two `transcribe --force` runs of one session both ran, and may store over each other. The second is
    refused in one line naming the first, in this process (the TUI's queue) or another; an editor beside a
    transcription is not; a transcription killed (a crash) leaves no lock behind, and no file."""
    study, session = rosa
    folder = layout.session(study.root, "Rosa", session)
    before = _files(study.root)
    with hold_for_transcription(folder):
        with pytest.raises(BadInput) as here:
            hold_for_transcription(folder)
        assert str(here.value) == (
            f"session {session} of Rosa is being transcribed already here (the transcription queue): let it finish "
            "first; nothing was changed"
        )
        hold_open(folder).release()  # the editor opens beside it
    hold_for_transcription(folder).release()  # let go: free again

    elsewhere = _start(TRANSCRIBER, str(folder))
    try:
        assert elsewhere.stdout is not None and elsewhere.stdout.readline() == "transcribing\n", elsewhere.stderr
        with pytest.raises(BadInput) as other:
            hold_for_transcription(folder)
        assert str(other.value) == (
            f"session {session} of Rosa is being transcribed already by another fieldvault (pid {elsewhere.pid}): let "
            "it finish, or stop it with Ctrl+C there, then run this again; nothing was changed"
        )
        hold_open(folder).release()
    finally:
        elsewhere.send_signal(signal.SIGKILL)
        elsewhere.communicate(timeout=30)
    hold_for_transcription(folder).release()  # the kernel let go of the killed one's lock
    assert _files(study.root) == before
