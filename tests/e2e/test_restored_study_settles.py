"""QA U2 with the real `fieldvault` binary and real age files: a withdrawal, then only the scheduled backup (no
passphrase) brings the backup up to date, so her files wait there in .awaiting-authentication/; the study is lost
and restored from that backup as README says (copy the folder, delete the marker, which held the entry each file
waits on). `check` then fails until `check --settle` settles them by the study's own signed log: destroyed where the
newest signed entry naming a file holds, put back where it fails (a forged line) or none names it; and the IRB
report never says her data was destroyed while it is still in the study folder."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from fieldvault.study import Study
from tests.conftest import PASSPHRASE, ROOT
from tests.e2e import test_backup_awaits_the_key as awaits
from tests.e2e.test_backup_awaits_the_key import FORGE_MAC, KILLED, _decrypts, _forge
from tests.e2e.test_backup_follows_the_log import AWAITING, _aside, _fieldvault, _files

people = awaits.people  # the fixture: Rosa and June, two sessions each, the first transcribed and reviewed
SETTLE = "--settle"
STILL_HERE = "file(s) of removed data still in the study folder"


def _restored(
    study: Study, tmp_path: Path, unlock: list[str], forge_june: bool = False, forge_rosa: bool = False
) -> tuple[Path, dict, dict]:
    """qa17's bk17b.sh: backed up, Rosa withdrawn (signed), the scheduled backup; with ``forge_june`` June's second
    session is also deleted by hand and a session.remove line with a made-up mac appended; with ``forge_rosa`` such a
    line names Rosa's first session after her withdrawal. The backup restored as README says. (restored folder, Rosa's
    files in the backup before, June's session's files before)."""
    root, dest = study.root, tmp_path / "usb"
    _fieldvault("backup", str(root), str(dest))
    before = _files(dest)
    hers = {k: v for k, v in before.items() if k.startswith("participants/Rosa/")}
    june: dict[str, str] = {}
    sessions = sorted(p.name for p in (root / "participants" / "Rosa").iterdir() if p.is_dir())
    _fieldvault("withdraw", str(root), "Rosa", "--confirm", "Rosa", *unlock)
    if forge_rosa:
        _forge(FORGE_MAC, root, "session.remove", pseudonym="Rosa", session=sessions[0])
    if forge_june:
        session = sorted(p.name for p in (root / "participants" / "June").iterdir() if p.is_dir())[1]
        june = {k: v for k, v in before.items() if k.startswith(f"participants/June/{session}/")}
        shutil.rmtree(root / "participants" / "June" / session)  # by hand, no passphrase
        _forge(FORGE_MAC, root, "session.remove", pseudonym="June", session=session)
    _fieldvault("backup", str(root), str(dest))  # scheduled: nothing destroyed, her files set aside
    assert _aside(dest) == {**hers, **june}
    restored = tmp_path / "restored"  # README's Restore: copy the folder, delete the marker
    shutil.copytree(dest, restored, symlinks=True)
    (restored / ".fieldvault-backup.json").unlink()
    return restored, hers, june


def _set_aside(restored: Path, unlock: list[str]) -> None:
    """A line with a made-up mac: no keyed command writes after it until it is set aside, as the refusal says (QA
    X1). An entry the scheduled backup wrote chains to it, so it is set aside in place (with the settle, below)."""
    waiting = _aside(restored)
    refused = _fieldvault("check", str(restored), SETTLE, *unlock, rc=1)
    assert "--set-aside-stray-lines" in refused.stderr and "fails authentication" in refused.stderr
    assert "destroyed (" not in refused.stdout and _aside(restored) == waiting  # refused before the settle began


def _report(restored: Path, tmp_path: Path, unlock: list[str], name: str) -> str:
    out = tmp_path / name
    _fieldvault("report", str(restored), "--out", str(out), *unlock)
    withdrawals = out.read_text().split("Withdrawals", 1)[1]
    return withdrawals.split("\n#", 1)[0]


def test_a_study_restored_from_a_keyless_backup_fails_check_until_settled_and_the_report_says_so(
    people: Study, unlock: list[str], tmp_path: Path
) -> None:
    restored, hers, _ = _restored(people, tmp_path, unlock)
    audio = next(k for k in hers if k.endswith("audio.wav.age"))
    assert _decrypts(restored / AWAITING / audio, restored, tmp_path, unlock).startswith(b"RIFF")  # still hers, whole
    done = _fieldvault("check", str(restored), *unlock, rc=1)
    [failed] = [line for line in done.stdout.splitlines() if line.startswith(f"FAILED {AWAITING}/: ")]
    assert f"holds {len(hers)} file(s) of removed data" in failed and f"check {restored} {SETTLE}" in failed
    said = _report(restored, tmp_path, unlock, "before.md")
    assert f"{len(hers)} {STILL_HERE}" in said and "session(s) destroyed" not in said, said
    done = _fieldvault("check", str(restored), SETTLE, *unlock)
    destroyed = [line for line in done.stdout.splitlines() if line.startswith("destroyed (withdraw on 20")]
    assert sorted(line.rsplit(": ", 1)[1] for line in destroyed) == sorted(hers), done.stdout
    assert not (restored / AWAITING).exists() and not (restored / "participants" / "Rosa").exists()
    assert "0 failure(s)" in done.stdout and "FAILED" not in done.stdout
    again = _fieldvault("check", str(restored), SETTLE, *unlock)  # twice: nothing left to settle
    assert "0 file(s) destroyed, 0 put back" in again.stdout and "destroyed (" not in again.stdout
    said = _report(restored, tmp_path, unlock, "after.md")
    assert STILL_HERE not in said and "session(s) destroyed" in said, said
    assert '"action": "check.settled"' in (restored / "audit.jsonl").read_text()
    refused = _fieldvault("check", str(tmp_path / "usb"), SETTLE, *unlock, rc=1)  # a backup settles from the study
    assert f"backup STUDY {tmp_path / 'usb'} --authenticate" in refused.stderr
    fresh = tmp_path / "usb2"  # a new backup of the settled study holds nothing of hers
    _fieldvault("backup", str(restored), str(fresh))
    assert not (fresh / "participants" / "Rosa").exists() and not (fresh / AWAITING).exists()


def test_a_forged_removal_among_genuine_ones_is_put_back_and_never_destroyed(
    people: Study, unlock: list[str], tmp_path: Path
) -> None:
    restored, hers, june = _restored(people, tmp_path, unlock, forge_june=True)
    first, *rest = sorted(june)
    (restored / first).parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(restored / AWAITING / rest[0], restored / first)  # a file the study holds in one place already
    _set_aside(restored, unlock)
    for run in range(2):
        aside = ("--set-aside-stray-lines",) if run == 0 else ()
        done = _fieldvault("check", str(restored), SETTLE, *aside, *unlock, rc=1)
        put_back = [line for line in done.stderr.splitlines() if line.startswith("fieldvault: warning: put back")]
        assert "destroyed (session.remove" not in done.stdout and all(k not in done.stdout for k in june)
        if run == 0:
            destroyed = [line for line in done.stdout.splitlines() if line.startswith("destroyed (withdraw on 20")]
            assert len(destroyed) == len(hers) and not (restored / "participants" / "Rosa").exists()
            assert sorted(line.rsplit(": ", 1)[1] for line in put_back) == sorted(june), done.stderr
            assert all("session.remove on 20" in line and "fails its authentication" in line for line in put_back)
        else:
            assert "0 file(s) destroyed" in done.stdout and "destroyed (" not in done.stdout
            [kept] = put_back  # only the one whose place is taken: kept aside, named each run
            assert kept.endswith(f": {first}"), done.stderr
        [kept] = [line for line in put_back if line.endswith(f": {first}")]
        assert f"another copy is in its place, so this one stays in {AWAITING}/" in kept
        assert _aside(restored) == {first: june[first]}
        placed = {k: v for k, v in _files(restored).items() if k in june}
        assert placed == {**{k: june[k] for k in rest}, first: june[rest[0]]}
        assert f"FAILED {AWAITING}/: holds 1 file(s)" in done.stdout
    (restored / first).unlink()  # the one in its place was the wrong file: the steward removes it, settles again
    done = _fieldvault("check", str(restored), SETTLE, *unlock, rc=1)
    assert "1 put back" in done.stdout and not (restored / AWAITING).exists()
    assert {k: v for k, v in _files(restored).items() if k in june} == june
    done = _fieldvault("check", str(restored), *unlock)  # the forged line, set aside in place, fails no more
    assert "FAILED" not in done.stdout and "1 line(s) set aside in place" in done.stdout, done.stdout


def test_a_settle_killed_mid_destruction_loses_nothing_and_running_it_again_finishes(
    people: Study, unlock: list[str], tmp_path: Path
) -> None:
    restored, hers, _ = _restored(people, tmp_path, unlock)
    script = (
        KILLED + "keys = study.unlock(sys.argv[2].encode())\n"
        "shred = b.shred_file\n"
        "def destroy(path):\n"
        "    shred(path)\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
        "b.shred_file = destroy\n"
        "b.settle_in_study(study, keys)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    args = [sys.executable, "-c", script, str(restored), PASSPHRASE]
    assert subprocess.run(args, env=env, check=False).returncode == -9
    left = _aside(restored)
    assert len(left) == len(hers) - 1 and left.items() <= hers.items()  # one destroyed, the rest untouched
    assert not any((restored / k).exists() for k in hers)  # nothing of hers put back into her folder
    _fieldvault("check", str(restored), *unlock, rc=1)  # still fails until settled
    done = _fieldvault("check", str(restored), SETTLE, *unlock)
    assert f"{len(hers) - 1} file(s) destroyed, 0 put back" in done.stdout
    assert not (restored / AWAITING).exists() and not (restored / "participants" / "Rosa").exists()


def test_a_line_forged_after_her_withdrawal_never_saves_her_files_from_it(
    people: Study, unlock: list[str], tmp_path: Path
) -> None:
    """The newest entry the study key verifies decides: a session.remove with a made-up mac appended after Rosa's
    signed withdrawal (the newest line naming her first session) does not put her recordings back."""
    restored, hers, _ = _restored(people, tmp_path, unlock, forge_rosa=True)
    _set_aside(restored, unlock)
    done = _fieldvault("check", str(restored), SETTLE, "--set-aside-stray-lines", *unlock)
    assert "set aside in place 1 line(s)" in done.stdout and "FAILED" not in done.stdout, done.stdout
    destroyed = [line for line in done.stdout.splitlines() if line.startswith("destroyed (withdraw on 20")]
    assert sorted(line.rsplit(": ", 1)[1] for line in destroyed) == sorted(hers), done.stdout
    assert "put back" not in done.stderr and not (restored / "participants" / "Rosa").exists()
