"""QA V3 (qa18) with the real `fieldvault` binary and real age files: a session removed with the passphrase, then only
the scheduled backup (no passphrase) brings the backup up to date, so the removed session's files wait in its
.awaiting-authentication/. Someone with the backup disk and no passphrase moves Rosa's live recording into the place
of the removed session's recording there. Neither `check --settle` (the study restored from that backup) nor
`backup --authenticate` may destroy it on its path: a set-aside file is destroyed only where it is the very file the
signed entry recorded destroyed (its payload id, read whole through its authentication); any other is kept, named."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from fieldvault.study import Study
from fieldvault.suggested import shell
from tests.conftest import PASSPHRASE, ROOT
from tests.e2e import test_backup_awaits_the_key as awaits
from tests.e2e.test_backup_awaits_the_key import _decrypts
from tests.e2e.test_backup_follows_the_log import AWAITING, _aside, _fieldvault, _files, _tree

people = awaits.people  # the fixture: Rosa and June, two sessions each, the first transcribed and reviewed
KEPT = "fieldvault: warning: kept, not destroyed: "
KEPT_IN_BACKUP = "fieldvault: warning: kept in the backup, not destroyed: "
NOT_ONE = "is not one of the"


def _sessions(root: Path, who: str) -> list[str]:
    return sorted(p.name for p in (root / "participants" / who).iterdir() if p.is_dir())


def _removed_then_moved(study: Study, tmp_path: Path, unlock: list[str]) -> tuple[Path, str, str, dict[str, str]]:
    """qa18's V3.sh: backed up; June's second session removed (signed); the scheduled backup sets its files aside;
    then, in the backup, Rosa's first recording moved over the removed recording's place, and one byte of the removed
    timeline changed (the same payload id, other content). (backup, Rosa's recording as the study had it, its sha256,
    June's set-aside files as they were)."""
    root, dest = study.root, tmp_path / "usb"
    _fieldvault("backup", str(root), str(dest))
    june = _sessions(root, "June")[1]
    _fieldvault("session", "remove", str(root), "June", june, "--confirm", june, *unlock)
    _fieldvault("backup", str(root), str(dest))  # scheduled: nothing destroyed, the removed files set aside
    removed = _aside(dest)
    assert sorted(removed) == [f"participants/June/{june}/{name}" for name in ("audio.wav.age", "events.json.age",
                                                                               "session.json.age")]  # fmt: skip
    rosa = f"participants/Rosa/{_sessions(root, 'Rosa')[0]}/audio.wav.age"
    sha = _tree(dest)[rosa]
    os.replace(dest / rosa, dest / AWAITING / f"participants/June/{june}/audio.wav.age")  # the attack: no passphrase
    events = dest / AWAITING / f"participants/June/{june}/events.json.age"
    data = bytearray(events.read_bytes())
    data[-20] ^= 1  # one byte of its last chunk: its header and payload id unchanged
    events.write_bytes(bytes(data))
    return dest, rosa, sha, removed


def test_settle_in_a_restored_study_never_destroys_a_recording_moved_into_a_removed_sessions_place(
    people: Study, unlock: list[str], tmp_path: Path
) -> None:
    dest, rosa, sha, removed = _removed_then_moved(people, tmp_path, unlock)
    moved, events, session = sorted(removed)
    restored = tmp_path / "restored"  # README's Restore: copy the folder, delete the marker
    shutil.copytree(dest, restored, symlinks=True)
    (restored / ".fieldvault-backup.json").unlink()
    for run in range(2):  # twice: the real removal settled once, the other two kept and named each time
        done = _fieldvault("check", str(restored), "--settle", *unlock, rc=1)
        destroyed = [line for line in done.stdout.splitlines() if line.startswith("destroyed (")]
        assert destroyed == ([f"destroyed (session.remove on {people.clock().date()} in the study's audit log): "
                              f"{session}"] if run == 0 else []), done.stdout  # fmt: skip
        kept = {line[len(KEPT) :].split(": ")[0]: line for line in done.stderr.splitlines() if line.startswith(KEPT)}
        assert sorted(kept) == sorted([f"{AWAITING}/{events}", f"{AWAITING}/{moved}"]), done.stderr
        # QA W12: her timeline here names no payload id (test_settle_claims), so: compare it, then delete it
        compare = f"compare it with what the study holds (`fieldvault decrypt {restored} {AWAITING}/{moved} --out COPY`"
        assert NOT_ONE in kept[f"{AWAITING}/{moved}"] and compare in kept[f"{AWAITING}/{moved}"]
        assert kept[f"{AWAITING}/{moved}"].endswith(f"then delete it (`{shell('rm', restored / AWAITING / moved)}`)")
        assert "does not read through its authentication" in kept[f"{AWAITING}/{events}"]
        assert _aside(restored)[moved] == sha and "2 kept there" in done.stdout
        assert f"FAILED {rosa}: is gone" in done.stdout  # check names where it is missing from
        failed = [line for line in done.stdout.splitlines() if line.startswith(f"FAILED {AWAITING}/")]
        assert len(failed) == 2 and compare in failed[0], failed  # each named, its own way
        assert "--settle" not in "".join(failed)  # never offered again for what it keeps (a loop)
    assert _decrypts(restored / AWAITING / moved, restored, tmp_path, unlock).startswith(b"RIFF")  # real age: whole
    os.replace(restored / AWAITING / moved, restored / rosa)  # as the line says: moved back by hand
    (restored / AWAITING / events).unlink()  # the damaged copy of the removed timeline: deleted by hand
    done = _fieldvault("check", str(restored), *unlock)
    assert "0 failure(s)" in done.stdout and not _aside(restored)


def test_backup_authenticate_keeps_a_file_moved_into_a_removed_sessions_place_in_the_backup(
    people: Study, unlock: list[str], tmp_path: Path
) -> None:
    dest, _, sha, removed = _removed_then_moved(people, tmp_path, unlock)
    moved, events, session = sorted(removed)
    for run in range(2):
        done = _fieldvault("backup", str(people.root), str(dest), *unlock, rc=1)
        destroyed = [line for line in done.stdout.splitlines() if line.startswith("destroyed in the backup")]
        assert len(destroyed) == (1 if run == 0 else 0) and all(line.endswith(session) for line in destroyed)
        kept = {
            line[len(KEPT_IN_BACKUP) :].split(": ")[0]: line
            for line in done.stderr.splitlines()
            if line.startswith(KEPT_IN_BACKUP)
        }
        assert sorted(kept) == sorted([str(dest / AWAITING / moved), str(dest / AWAITING / events)]), done.stderr
        assert NOT_ONE in kept[str(dest / AWAITING / moved)] and "2 file(s) in" in done.stderr.splitlines()[-1]
        assert _aside(dest)[moved] == sha
    assert _files(dest).items() >= {k: v for k, v in _files(people.root).items()}.items()  # the study's, copied again


def test_an_entry_from_before_payload_ids_were_recorded_destroys_nothing_and_says_why(
    people: Study, unlock: list[str], tmp_path: Path
) -> None:
    """An older fieldvault's `session remove` recorded no payload ids: its signed entry cannot tell the removed files
    from others put in their place, so the files are kept and named, never destroyed on their path."""
    root, dest = people.root, tmp_path / "usb"
    _fieldvault("backup", str(root), str(dest))
    june = _sessions(root, "June")[1]
    shutil.rmtree(root / "participants" / "June" / june)  # as an older `session remove` did, then wrote its entry:
    older = (
        "import sys\nfrom pathlib import Path\nfrom fieldvault.study import Study\n"
        "st = Study.open(Path(sys.argv[1])); st.unlock(sys.argv[2].encode())\n"
        "from fieldvault.sessioninfo import drop_session\ndrop_session(st.root, 'June', sys.argv[3])\n"
        "st.audit.append('session.remove', pseudonym='June', session=sys.argv[3], count=3)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-c", older, str(root), PASSPHRASE, june], env=env, check=True)
    _fieldvault("backup", str(root), str(dest))  # scheduled: set aside
    aside = _aside(dest)
    assert len(aside) == 3
    done = _fieldvault("backup", str(root), str(dest), *unlock, rc=1)
    kept = [line for line in done.stderr.splitlines() if line.startswith(KEPT_IN_BACKUP)]
    assert len(kept) == 3 and all("records no payload ids" in line for line in kept), done.stderr
    assert _aside(dest) == aside and "destroyed in the backup" not in done.stdout
