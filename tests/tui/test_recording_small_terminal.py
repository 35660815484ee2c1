"""tui28 (qa27 QC5, QC6): the recording screen on a small terminal and a small disk. A 60×20 or 80×24 terminal hid
the REC line and its clock under a wrapped prompt (and under a note's dialog); the space toast was lowercased by
str.capitalize ("mib", the kit's path) and said "about 0 min" where the 20 MiB kept to seal the recording was what
left no room."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from fieldvault.capture.recorder import DISK_RESERVE
from fieldvault.study import Study
from fieldvault.tui.screens.ask import AskScreen
from fieldvault.tui.screens.home import HomeScreen
from fieldvault.tui.screens.recording import RecordingScreen
from tests.conftest import PASSPHRASE, TEST_WORK_FACTOR, fill_letter
from tests.tui.conftest import messages, unlock, until
from tests.tui.test_field_sessions import RATE, _app, _participant, _record, _stop

LONG_PROMPT = (
    "Please tell me the story of how you came to leave the life you had then, starting wherever feels right to you, "
    "and take as long as you need: who was there, where you lived, what changed, and what helped you most along "
    "the way, or what got in the way."
)


REC = re.compile(r"● REC \d:\d\d:\d\d")


def shown(app) -> list[str]:
    """The terminal's rows as a person sees them (the screen and any dialog over it), from Textual's screenshot."""
    svg = app.export_screenshot()
    rows: dict[int, list[tuple[float, str]]] = {}
    for match in re.finditer(r'<text[^>]*x="([\d.]+)"[^>]*y="([\d.]+)"[^>]*>(.*?)</text>', svg):
        rows.setdefault(round(float(match.group(2))), []).append((float(match.group(1)), match.group(3)))
    return [
        "".join(html.unescape(t) for _, t in sorted(parts)).replace("\xa0", " ") for _, parts in sorted(rows.items())
    ]


async def _recording_in(study: Study, size: tuple[int, int]):
    (study.root / "guide.toml").write_text(
        f'version = 1\nnarrative_prompt = "{LONG_PROMPT}"\n\n[[follow_up]]\ntext = "And then?"\n'
    )
    _participant(study, "Rose")
    return _app(study)


async def test_rec_and_its_clock_stay_on_screen_at_60x20_and_80x24_under_a_note(ready_study: Study) -> None:
    app = await _recording_in(ready_study, (60, 20))
    async with app.run_test(size=(60, 20)) as pilot:
        await unlock(pilot)
        await pilot.press("r", "3")
        await until(pilot, lambda: isinstance(app.screen, RecordingScreen))
        assert not any("REC" in row for row in shown(app))  # not before Start
        await _record(pilot, seconds=1.2)
        await pilot.press("m")  # a note's dialog over the live screen
        await until(pilot, lambda: isinstance(app.screen, AskScreen))
        for size in ((60, 20), (80, 24)):
            await pilot.resize_terminal(*size)
            await pilot.pause(0.5)
            rows = shown(app)
            # on main: the dialog covered "● REC  0:00:01" (at 80x24 all but "● R")
            assert REC.search(rows[0]), (size, rows)
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, RecordingScreen))
        await _stop(pilot)
        assert not any("REC" in row or "PAUSED" in row for row in shown(app)[:1])


async def test_too_little_space_says_the_time_that_fits_and_the_room_kept_to_seal(tmp_path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root (CI runs as root)")
    disk = tmp_path / "Kit"  # a capital: str.capitalize() wrote ".../kit/..."
    disk.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=40m", "tmpfs", str(disk)], check=True)
    try:
        study = fill_letter(Study.create(disk / "Study", "T", "", PASSPHRASE.encode(), TEST_WORK_FACTOR))
        _participant(study, "Rose")
        filler = disk / "filler"
        filler.write_bytes(b"\0" * (shutil.disk_usage(disk).free - DISK_RESERVE - RATE * 2 * 30))  # ~30 s left
        app = _app(study)
        async with app.run_test(size=(80, 24)) as pilot:
            await unlock(pilot)
            await pilot.press("r", "3")
            await until(pilot, lambda: isinstance(app.screen, RecordingScreen))
            said = [m for m in messages(app) if "free on the disk" in m]
            # on main: "Only 21 mib free on the disk that holds .../kit/study: about 0 min of recording fit. free ..."
            assert said and re.fullmatch(
                rf"Only 2\d MiB free on the disk that holds {re.escape(str(study.root))}: about [23]\d s of "
                r"recording fit, as a recording stops while 20 MiB are still free, so that it can be sealed\. Free "
                r"some space \(or use another disk\) before the interview\.",
                said[-1],
            ), said
            await pilot.press("escape")
            await until(pilot, lambda: isinstance(app.screen, HomeScreen))
            with filler.open("ab") as more:
                more.write(b"\0" * RATE * 2 * 40)  # into the 20 MiB kept
            await pilot.press("r", "3")
            await until(pilot, lambda: isinstance(app.screen, RecordingScreen))
            said = [m for m in messages(app) if "free on the disk" in m]
            assert re.match(r"Only \d+ MiB free on the disk that holds .*/Kit/Study: no recording fits, as", said[-1])
    finally:
        subprocess.run(["umount", str(disk)], check=True)


@pytest.mark.parametrize("size", [(40, 10), (30, 6)])
async def test_at_the_smallest_size_rec_its_clock_and_the_disk_warning_stay_on_screen(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    """tui29 (tui28's rest): at 40x10 the live area had no room for the status line, so "only N MiB free" (and a
    dropped-blocks or battery warning beside it) was off the screen; the prompt gives way now, not the status."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root (CI runs as root)")
    disk = tmp_path / "small"
    disk.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=40m", "tmpfs", str(disk)], check=True)
    try:
        study = fill_letter(Study.create(disk / "study", "T", "", PASSPHRASE.encode(), TEST_WORK_FACTOR))
        app = await _recording_in(study, size)
        async with app.run_test(size=(80, 24)) as pilot:
            await unlock(pilot)
            await pilot.press("r", "3")
            await _record(pilot, seconds=1.2)
            await pilot.resize_terminal(*size)
            await pilot.pause(0.5)
            rows = shown(app)
            # the status line, wrapped at 30 columns; on main the prompt filled the rows and it was below them
            body = " ".join(row.strip() for row in rows[1:-1])
            assert re.search(r"● REC +\d:\d\d:\d\d +only \d+ MiB free", body), rows
            if size[0] >= 40:  # the header holds it whole too (on main: "fieldvault — ● REC 0:…")
                assert REC.search(rows[0]), rows
            await _stop(pilot)
    finally:
        subprocess.run(["umount", str(disk)], check=True)
