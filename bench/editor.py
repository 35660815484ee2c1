"""How the transcript editor keeps up with a transcriber, and what correcting a 5-minute draft takes.

Drives the real editor with Pilot over a synthetic Whisper draft: a 5-minute session (60 segments) and a
1-hour one (720), and times opening, moving to the next segment, a typed word, a split and a save. Then it
corrects the 5-minute draft as a transcriber would (ten wrong words, speakers by turn, three prompt
markers, a read-through, the reviewed mark) and counts the keys that took. Ratios are against moving one
segment in the 5-minute draft, measured in the same run.

    python -m bench.editor
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from pathlib import Path

from fieldvault import transcript_versions as versions
from fieldvault.participants import ConsentRecord, add_participant
from fieldvault.redact.review import ACCEPTED, current, save
from fieldvault.study import Study
from fieldvault.transcript import Segment, Transcript, Word
from fieldvault.tui.app import make_app
from fieldvault.tui.screens.editor import EditorScreen
from fieldvault.tui.widgets.transcript_rows import LineEditor

PASSPHRASE = b"bench passphrase"
SESSION = "s1"
SENTENCE = "and then I went back to the shelter because my GDB class started on Monday morning"
WRONG = 10  # wrong words a Whisper draft of five minutes typically holds (the "GDB", "90", ...)


def _draft(segments: int) -> Transcript:
    rows = []
    for i in range(segments):
        start = i * 5.0
        words = SENTENCE.split()
        step = 4.5 / len(words)
        timed = tuple(Word(start + k * step, start + (k + 1) * step - 0.05, f" {w}", 0.9) for k, w in enumerate(words))
        rows.append(Segment(start, start + 4.5, SENTENCE.capitalize() + ".", None, timed))
    return Transcript("Rose", SESSION, tuple(rows), (), {}, "faster-whisper", {}, segments * 5.0, 1.0, "now")


def _study(root: Path, segments: int) -> Study:
    study = Study.create(root, "Bench", "IRB", PASSPHRASE, 10)
    consent = ConsentRecord("information letter given; verbal consent", "v", "s", "now")
    add_participant(study, "Rose", {}, consent, [])
    folder = study.root / "participants" / "Rose" / SESSION
    folder.mkdir()
    study.write_new(folder / "transcript.json.age", _draft(segments).to_json())
    identities = study.unlock(PASSPHRASE)
    redactions = current(study, versions.load(study, "Rose", SESSION, identities), identities)
    for span in redactions.spans:
        redactions.decide(span.id, ACCEPTED, "bench", study.clock())
    save(study, redactions)
    return study


class Keys:
    """Presses keys and counts them."""

    def __init__(self, pilot) -> None:
        self.pilot, self.count = pilot, 0

    async def __call__(self, *keys: str) -> None:
        self.count += len(keys)
        await self.pilot.press(*keys)


async def _timings(segments: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        study = _study(Path(tmp) / "study", segments)
        app = make_app(study)
        async with app.run_test(size=(120, 40)) as pilot:
            identities = study.unlock(PASSPHRASE)
            app.identities = identities
            started = time.perf_counter()
            app.push_screen(
                EditorScreen(study, versions.open_for_editing(study, "Rose", SESSION, identities), identities)
            )
            await pilot.pause()
            opened = time.perf_counter() - started
            started = time.perf_counter()
            for _ in range(10):
                await pilot.press("down")
            move = (time.perf_counter() - started) / 10
            started = time.perf_counter()
            await pilot.press(*"word ")
            typed = (time.perf_counter() - started) / 5
            started = time.perf_counter()
            await pilot.press("right", "right", "enter")
            split = time.perf_counter() - started
            started = time.perf_counter()
            await pilot.press("ctrl+s")
            await app.workers.wait_for_complete()
            await pilot.pause()
            saved = time.perf_counter() - started
        return {"open": opened, "next segment": move, "one key typed": typed, "split": split, "save": saved}


async def _correct_five_minutes() -> tuple[int, float]:
    """Keys and seconds of the editor's own work to correct the 5-minute draft as a transcriber would."""
    with tempfile.TemporaryDirectory() as tmp:
        study = _study(Path(tmp) / "study", 60)
        app = make_app(study)
        async with app.run_test(size=(120, 40)) as pilot:
            identities = study.unlock(PASSPHRASE)
            app.identities = identities
            app.push_screen(
                EditorScreen(study, versions.open_for_editing(study, "Rose", SESSION, identities), identities)
            )
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, EditorScreen)
            keys = Keys(pilot)
            started = time.perf_counter()
            line = screen.query_one("#line", LineEditor)
            for turn in range(12):  # speakers by turn: five segments each, interviewer and participant in turn
                await keys("f8", *["down"] * 4, *["ctrl+t"] * (1 if turn % 2 == 0 else 2), "f8", "down")
            for wrong in range(WRONG):  # go to the segment, jump to the word, retype it
                target = wrong * 6
                await keys(*["up" if target < screen.cursor else "down"] * abs(target - screen.cursor))
                await keys("end", *["ctrl+left"] * 9, "ctrl+shift+right", *"GED")
            for prompt in range(3):
                await keys(*["up" if prompt * 20 < screen.cursor else "down"] * abs(prompt * 20 - screen.cursor))
                await keys("ctrl+o", *["down"] * prompt, "enter")
                await pilot.pause()
            await keys("ctrl+s")
            await app.workers.wait_for_complete()  # the save runs in a worker; reviewed needs it stored
            await keys(*["pagedown"] * 60)  # the read-through
            await keys("ctrl+r")
            await app.workers.wait_for_complete()
            await pilot.pause()
            elapsed = time.perf_counter() - started
            assert "reviewed by" in str(screen.query_one("#editor-status").render()), line.text
            transcript = versions.load(study, "Rose", SESSION, identities)
            assert sum("GED" in s.text for s in transcript.segments) == WRONG
        return keys.count, elapsed


def main() -> None:
    five = asyncio.run(_timings(60))
    hour = asyncio.run(_timings(720))
    base = five["next segment"]
    print(f"{'action':<16}{'5 min (60 seg)':>18}{'1 h (720 seg)':>18}   ratio to one move, 5 min")
    for name in five:
        print(f"{name:<16}{five[name] * 1000:>15.0f} ms{hour[name] * 1000:>15.0f} ms   {five[name] / base:>8.1f}")
    count, elapsed = asyncio.run(_correct_five_minutes())
    print(f"correcting the 5-minute draft: {count} keys; the editor's own time {elapsed:.1f} s")


if __name__ == "__main__":
    main()
