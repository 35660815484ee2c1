"""QA S12: what a researcher reads of a day or a time. Session ids and journal entry names stay UTC (unique, sorted
as things happened, the same on a kit and a study in other time zones); the real binary, run where the local date
is not UTC's, says so plainly and gives the time where she is beside it."""

from __future__ import annotations

import shlex
import wave
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import tomli_w

from fieldvault import layout
from fieldvault.study import Study
from tests.conftest import ANSWERS, PASSPHRASE
from tests.e2e.test_cli import fv
from tests.e2e.test_tui_tmux import Tmux, _env


def _zone_on_another_day() -> str:
    """A time zone whose date is not UTC's right now (American Samoa's evening is UTC's next morning)."""
    return "Pacific/Pago_Pago" if datetime.now(UTC).hour < 11 else "Pacific/Kiritimati"


def _here(utc: datetime, zone: str) -> str:
    return f"({utc.astimezone(ZoneInfo(zone)):%Y-%m-%d %H:%M} here)"


def test_a_journal_entry_says_its_name_is_the_utc_date_and_when_it_was_written_here(
    study_dir: Path, tmp_path: Path, unlock: list[str]
) -> None:
    zone = _zone_on_another_day()
    text = tmp_path / "entry.txt"
    text.write_text("Evening write-up after the second interview.")
    added = fv("journal", "add", str(study_dir), "--text-file", str(text), env={"TZ": zone})
    assert added.returncode == 0, added.stderr
    (entry,) = (study_dir / layout.JOURNAL).iterdir()
    name = entry.name.removesuffix(".md.age")
    listed = fv("journal", "list", str(study_dir), *unlock, env={"TZ": zone})
    assert listed.returncode == 0, listed.stderr
    heading = next(line for line in listed.stdout.splitlines() if line.startswith("## "))
    utc = datetime.strptime(heading.split("written ")[1][:16], "%Y-%m-%d %H:%M").replace(tzinfo=UTC)
    assert name == f"{utc:%Y-%m-%d}-1"  # the name stays UTC's date
    assert heading == f"## {name}  (written {utc:%Y-%m-%d %H:%M} UTC {_here(utc, zone)})", heading
    assert f"journal entry {name} written {utc:%Y-%m-%d %H:%M} UTC {_here(utc, zone)}" in added.stdout
    assert "named by their date in UTC" in added.stdout
    in_utc = fv("journal", "list", str(study_dir), *unlock, env={"TZ": "UTC"})
    assert f"## {name}  (written {utc:%Y-%m-%d %H:%M} UTC)\n" in in_utc.stdout  # no "here" where it is UTC


def test_an_imported_session_says_its_id_is_its_start_in_utc(study_dir: Path, tmp_path: Path) -> None:
    zone = _zone_on_another_day()
    answers = tmp_path / "answers.toml"
    answers.write_text(tomli_w.dumps(ANSWERS))
    assert fv("participant", "add", str(study_dir), "Iris", "--answers", str(answers)).returncode == 0
    audio = tmp_path / "interview.wav"
    with wave.open(str(audio), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        out.writeframes(bytes(32000))
    done = fv("import", str(study_dir), "Iris", str(audio), env={"TZ": zone})
    assert done.returncode == 0, done.stderr
    (session,) = [p for p in layout.participant(study_dir, "Iris").iterdir() if p.is_dir()]
    started = datetime.strptime(session.name, "%Y%m%d-%H%M%S").replace(tzinfo=UTC)
    assert abs((datetime.now(UTC) - started).total_seconds()) < 120  # the id is UTC, not the local time
    assert (
        f"(a session is named by the time it was imported, in UTC: {started:%Y-%m-%d %H:%M} UTC {_here(started, zone)})"
        in done.stdout
    ), done.stdout


def test_the_journal_screen_in_a_real_terminal_says_utc_and_the_time_here(
    ready_study: Study, fieldvault_home: Path
) -> None:
    """What she sees at 80 columns, TZ set where the date is not UTC's: the new entry's name is UTC's date, said so,
    with the time where she is."""
    zone = _zone_on_another_day()
    term = Tmux(f"fieldvault open {shlex.quote(str(ready_study.root))}", {**_env(fieldvault_home), "TZ": zone})
    try:
        term.wait_for("study passphrase")
        term.send(PASSPHRASE, "Enter")
        term.wait_for("Participant")
        term.keys("j")
        screen = term.wait_for("named by today's date in UTC")
        now = datetime.now(UTC)
        here = now.astimezone(ZoneInfo(zone))
        said = " ".join(screen.split())  # wrapped at 80 columns, whole (a Label cut off the time here and the keys)
        assert f"in UTC: {now:%Y-%m-%d} " in said and f" UTC ({here:%Y-%m-%d} " in said, screen
        assert " here). Ctrl+S saves, encrypted; Esc back; F1 keys:" in said, screen
        term.keys("Escape")
        term.wait_for("Participant")
        term.send("C-q")
        term.wait_gone()
    finally:
        term.kill()


def test_the_irb_report_is_dated_in_utc_as_its_log_and_says_so(
    study_dir: Path, tmp_path: Path, unlock: list[str]
) -> None:
    """Its "Report of" day was the local date beside UTC days from the audit log (consent given, exports)."""
    zone = _zone_on_another_day()
    out = tmp_path / "irb.md"
    done = fv("report", str(study_dir), "--out", str(out), *unlock, env={"TZ": zone})
    assert done.returncode == 0, done.stderr
    text = out.read_text()
    assert f"Report of {datetime.now(UTC):%Y-%m-%d}. Dates are UTC days, as the audit log keeps them." in text, text
