"""QA W21: anyone who can write the study folder appended one chained `withdraw` line for Rose, who never withdrew (no
passphrase needed): `check` told the PI to "withdraw her again" (which destroys every file of hers), this computer
remembered her as withdrawn, and every later copy was refused. `withdraw` needs the study key, so with the key in use
only withdrawals it signed count. Real CLI, real `age`."""

from __future__ import annotations

from pathlib import Path

from fieldvault import layout
from fieldvault.participantid import participant_id
from fieldvault.study import Study
from tests.e2e.test_vouched_files import fv
from tests.e2e.test_vouched_sessions import LEAKS, export_txt, interview, review_pass


def test_a_withdrawal_line_appended_without_the_key_withdraws_no_one(study: Study, tmp_path: Path) -> None:
    root = interview(study, tmp_path).root
    review_pass(root, accept_all=True)
    her = participant_id(layout.participant(root, "Rose"))
    assert her is not None
    Study.open(root).audit.append("withdraw", pseudonym="Rose", participant_id=her)  # the attacker: no key
    for _ in range(2):  # run twice: nothing remembered from the first
        checked = fv("check", root)
        assert checked.returncode == 1, checked.stdout + checked.stderr  # the forged line itself is named (QA X6)
        failed = [line for line in checked.stdout.splitlines() if line.startswith("FAILED")]
        assert len(failed) == 1 and "(withdraw) was appended without the study key" in failed[0], failed
        assert "withdraw her again" not in checked.stdout + checked.stderr
        done, out = export_txt(root, tmp_path / f"out{_}")
        assert done.returncode == 0 and "took me to" in out and not any(leak in out for leak in LEAKS), done.stderr
    assert fv("check", root, "--set-aside-stray-lines").returncode == 0
    assert fv("check", root).returncode == 0
    assert (layout.participant(root, "Rose") / layout.PROFILE).is_file()
