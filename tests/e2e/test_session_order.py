"""QA S3's rest: a field kit whose clock was set years ahead dated Iris's follow-up 2036. Numbered by dates it stayed
last for ever: the next real interview took its "session 2" and pushed it to "session 3", so what coders had been
given as "Iris session 2" named another interview in the next export. The study's signed log says when the kit was
made and when the session was merged, both by the study's clock: the session is numbered within that window, and
what was exported keeps its number."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime
from pathlib import Path

from fieldvault import layout
from fieldvault.capture.importer import import_recording
from fieldvault.sessioninfo import FOLLOW_UP, SessionInfo
from fieldvault.study import Study
from tests.conftest import PASSPHRASE, fill_letter
from tests.e2e.test_cli import fv
from tests.e2e.test_import_parts import IRIS, _wav
from tests.stewardship import add_person, transcribe_and_review

AHEAD = datetime(2036, 1, 1, 0, 2, tzinfo=UTC)  # the kit's clock, typed ten years ahead


def misdated_follow_up(study: Study, tmp_path: Path, unlock: list[str]) -> tuple[str, str]:
    """Iris's first interview on the study; a follow-up on a kit whose clock says 2036, merged by the real binary.
    Returns the two session ids."""
    fill_letter(study)
    (first,) = add_person(study, IRIS, seconds=3.0)
    kit = study.make_field_kit(tmp_path / "kit")
    ahead = Study.open(kit.root, clock=lambda: AHEAD)
    follow = import_recording(ahead, "Iris", _wav(tmp_path / "f.wav", 16000, 2.0, 300), (), SessionInfo(FOLLOW_UP))
    assert follow.folder.name.startswith("20360101")
    merged = fv("merge-kit", str(kit.root), str(study.root), *unlock)
    assert merged.returncode == 0, merged.stderr
    assert "is dated before the kit was made, or later than today" in merged.stderr  # named, as before
    return first, follow.folder.name


def _numbers(study: Study, tmp_path: Path, unlock: list[str], out: str) -> dict[str, str]:
    """The kind of each of Iris's sessions -> the number an export gives it (exports name no session id: it is a
    date)."""
    identities = study.unlock(PASSPHRASE.encode())
    for folder in sorted(layout.participant(study.root, "Iris").iterdir()):
        if folder.is_dir() and not (folder / layout.TRANSCRIPT).exists():
            transcribe_and_review(study, identities, IRIS, folder.name)
    done = fv(
        "export", str(study.root), "--format", "txt", "--participant", "Iris", "--out", str(tmp_path / out), *unlock
    )
    assert done.returncode == 0, done.stderr
    said = [re.search(r"· session (\w+) · ([a-z -]+)\n", p.read_text()) for p in (tmp_path / out).iterdir()]
    return {m.group(2): m.group(1) for m in said if m}


def test_a_session_a_kit_dated_years_ahead_keeps_its_number_when_later_interviews_come(
    study: Study, tmp_path: Path, unlock: list[str]
) -> None:
    misdated_follow_up(study, tmp_path, unlock)
    before = _numbers(study, tmp_path, unlock, "1")
    assert before == {"first interview": "1", "follow-up": "2"}, before
    time.sleep(1.1)
    wav = _wav(tmp_path / "m.wav", 16000, 1.0, 400)
    later = fv("import", str(study.root), "Iris", str(wav), "--kind", "member-check", *unlock)
    assert later.returncode == 0, later.stderr
    after = _numbers(study, tmp_path, unlock, "2")
    # by dates alone the 2036 follow-up became session 3 and the member check took its 2
    assert after == {"first interview": "1", "follow-up": "2", "member check": "3"}, after
