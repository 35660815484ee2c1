"""QA V11's rest: anyone who can write the study folder could stop every export of the study with one line appended to
the audit log (junk, or a genuine line put there again), and the only way on named was an older backup of the log,
which loses what came after it (and the remembered head then refuses too). With the passphrase, `check
--set-aside-stray-lines` moves the lines that are no part of the chain to a file beside the log (kept), records it,
and refuses to touch a log where an entry written with the study key is edited or out of place. Real CLI, real
`age`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from fieldvault import audit, auditstrays, layout
from fieldvault.audit import vouched
from fieldvault.study import Study
from fieldvault.suggested import command
from tests.e2e.test_vouched_files import fv, one_line_refusal
from tests.e2e.test_vouched_sessions import LEAKS, REDACTIONS, RESTORE, export_txt, interview, review_pass

SET_ASIDE = "--set-aside-stray-lines"
JUNK = '{"seq": 46, "event": "junk", "prev": "00"}\n'


def _reviewed_twice(study: Study, tmp_path: Path) -> tuple[Path, list[str], int]:
    """Rose's interview reviewed twice (the first pass rejects every span but her list's, the second accepts all):
    the study folder, its log's lines, and the number of the first pass's line vouching for its redactions (whose
    file is kept in old-redactions.age)."""
    root = interview(study, tmp_path).root
    review_pass(root, accept_all=False)
    shutil.copy2(root / REDACTIONS, tmp_path / "old-redactions.age")
    first = (root / layout.AUDIT_FILE).read_text().splitlines(keepends=True)
    review_pass(root, accept_all=True)
    older = max(n for n, line in enumerate(first) if REDACTIONS in vouched(json.loads(line)))
    return root, (root / layout.AUDIT_FILE).read_text().splitlines(keepends=True), older


def _strays(root: Path) -> list[Path]:
    return sorted(root.glob(f"{auditstrays.PREFIX}*"))


def test_junk_and_a_replayed_line_stop_exports_until_set_aside_and_nothing_is_lost(
    study: Study, tmp_path: Path
) -> None:
    root, lines, older = _reviewed_twice(study, tmp_path)
    log = root / layout.AUDIT_FILE
    log.write_text("".join([*lines, JUNK, lines[older]]))  # no passphrase needed
    done, out = export_txt(root, tmp_path / "stopped")
    one_line_refusal(done, "restore audit.jsonl from a backup", command("check", root, SET_ASIDE))  # QA W3: its path
    assert out == ""
    shutil.copy2(tmp_path / "old-redactions.age", root / REDACTIONS)  # the replayed line's file put back too

    mended = fv("check", root, SET_ASIDE)
    said = [line for line in mended.stdout.splitlines() if "set aside 2 stray line(s)" in line]
    assert len(said) == 1, mended.stdout + mended.stderr
    assert f"line {len(lines) + 1}: not an audit entry" in said[0]
    assert f"line {len(lines) + 2}: a copy of entry {older}" in said[0]
    (aside,) = _strays(root)
    assert aside.name in said[0] and aside.read_text() == JUNK + lines[older]  # kept whole, as they were
    now = log.read_text().splitlines(keepends=True)
    assert now[: len(lines)] == lines  # every line of the chain kept, in its place
    recorded = json.loads(now[len(lines)])
    assert recorded["action"] == audit.STRAYS_SET_ASIDE and recorded["details"] == {"file": aside.name, "count": 2}
    assert "mac" in recorded  # written with the study key
    # the older file put back is still refused: the replayed line set aside vouches for nothing
    assert mended.returncode == 1 and REDACTIONS in mended.stdout and RESTORE in mended.stdout, mended.stdout
    done, out = export_txt(root, tmp_path / "older put back")
    one_line_refusal(done, REDACTIONS, RESTORE)
    assert not any(leak in out for leak in LEAKS), out

    again = fv("check", root, SET_ASIDE)  # run twice: nothing more to set aside, nothing changed
    assert "every line is part of its chain; nothing set aside" in again.stdout, again.stdout + again.stderr
    assert _strays(root) == [aside]


def test_after_setting_junk_aside_the_reviewed_export_goes_out_without_her_names(study: Study, tmp_path: Path) -> None:
    root, lines, _ = _reviewed_twice(study, tmp_path)
    (root / layout.AUDIT_FILE).write_text("".join([*lines, JUNK, "not json at all\n"]))
    assert "is not an audit entry" in fv("check", root).stderr
    mended = fv("check", root, SET_ASIDE)
    assert mended.returncode == 0 and "set aside 2 stray line(s)" in mended.stdout, mended.stdout + mended.stderr
    checked = fv("check", root)
    (aside,) = _strays(root)
    assert checked.returncode == 0 and f"note: {aside.name} holds lines set aside" in checked.stdout, checked.stdout
    done, out = export_txt(root, tmp_path / "out")
    assert done.returncode == 0 and "took me to" in out and not any(leak in out for leak in LEAKS), done.stderr + out
    # plaintext anyone could have written (QA W3): backups leave it out
    assert fv("backup", root, tmp_path / "usb").returncode == 0
    assert (tmp_path / "usb" / layout.AUDIT_FILE).is_file() and not _strays(tmp_path / "usb")


def test_a_reordered_or_edited_log_is_refused_and_left_as_it_was(study: Study, tmp_path: Path) -> None:
    """Lines the study key wrote, moved or edited: setting lines aside would drop a genuine entry, so it refuses and
    changes nothing; the log must come from a backup."""
    root, lines, older = _reviewed_twice(study, tmp_path)
    log = root / layout.AUDIT_FILE
    edited = json.loads(lines[-1])
    edited["actor"] = "someone else"
    for damaged, what in (
        ([*lines[:older], *lines[older + 1 :], lines[older]], f"line {older + 1}, an entry written with the study "
         "key, does not follow the line before it (an entry before it was removed"),  # moved to the end
        ([*lines[:-1], json.dumps(edited) + "\n"], f"line {len(lines)}, an entry written with the study key, was "
         "edited after it was written"),  # the last entry edited, its mac kept
    ):  # fmt: skip
        log.write_text("".join(damaged))
        refused = fv("check", root, SET_ASIDE)
        one_line_refusal(refused, what, "restore audit.jsonl from a backup")
        assert log.read_text() == "".join(damaged) and _strays(root) == []


def test_setting_lines_aside_needs_the_study_passphrase(study: Study, tmp_path: Path) -> None:
    root, lines, _ = _reviewed_twice(study, tmp_path)
    (root / layout.AUDIT_FILE).write_text("".join([*lines, JUNK]))
    refused = fv("check", root, SET_ASIDE, passphrase=False)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr, refused.stderr
    assert (root / layout.AUDIT_FILE).read_text() == "".join([*lines, JUNK]) and _strays(root) == []


def test_an_unended_tail_no_torn_write_leaves_is_set_aside_too(study: Study, tmp_path: Path) -> None:
    """QA W10: 70 KB without a newline (too long for a torn entry), or a whole entry without its newline, appended:
    every command refused, the set-aside too. Both are set aside now, each refusal naming the way on."""
    root, lines, _ = _reviewed_twice(study, tmp_path)
    log = root / layout.AUDIT_FILE
    tails = ["x" * 70_000, lines[-1].rstrip("\n")]
    for tail in tails:
        log.write_text("".join([*lines, tail]))
        done, _ = export_txt(root, tmp_path / f"stopped{len(tail)}")
        one_line_refusal(done, command("check", root, SET_ASIDE))
        mended = fv("check", root, SET_ASIDE)
        assert "set aside 1 stray line(s)" in mended.stdout, mended.stdout + mended.stderr
        assert f"line {len(lines) + 1}: a last line without its end that no torn write leaves" in mended.stdout
        assert log.read_text().startswith("".join(lines)) and fv("check", root).returncode == 0
        lines = log.read_text().splitlines(keepends=True)
    assert [path.read_text() for path in _strays(root)] == [tail + "\n" for tail in tails]  # kept whole
