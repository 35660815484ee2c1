"""QA S12: a 90-minute interview a handheld recorder split into two files. `import --continues SESSION` brings the
second file in as part 2 of that interview (exports "1a"/"1b ... part 2 of 2", the home screen "part 2"), not as a
second first interview or a follow-up; a part imported twice, a part of another woman's session, or a part recorded
at another sample rate is refused in one line, and nothing is written."""

from __future__ import annotations

import time
import wave
from pathlib import Path

import numpy as np

from fieldvault import layout
from fieldvault.sessioninfo import load_session_info, read_index
from fieldvault.study import Study
from tests.e2e.test_cli import assert_one_line_error, fv
from tests.stewardship import Person, add_person, transcribe_and_review

IRIS = Person("Iris", ("Lodi",), "I got my GED in Lodi.")
ROSE = Person("Rose", ("Fresno",), "Harold drove me to Fresno.")


def _wav(path: Path, rate: int, seconds: float, pitch: float = 220.0) -> Path:
    tone = (3000 * np.sin(2 * np.pi * pitch * np.arange(int(rate * seconds)) / rate)).astype(np.int16)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(tone.tobytes())
    return path


def _sessions(study: Study, pseudonym: str) -> list[str]:
    return sorted(p.name for p in layout.participant(study.root, pseudonym).iterdir() if p.is_dir())


def test_the_second_file_of_a_split_interview_imports_as_its_part_2(
    study: Study, identities: list, unlock: list[str], tmp_path: Path
) -> None:
    (first,) = add_person(study, IRIS, seconds=3.0)  # part 1, recorded at 16 kHz
    time.sleep(1.1)  # her session id is no id of Iris's
    (roses,) = add_person(study, ROSE)
    time.sleep(1.1)  # and the part imported next gets no id of Rose's (named alike, --continues took Iris's own part)
    part2 = _wav(tmp_path / "ZOOM0001-002.WAV", 16000, 2.0)
    root = str(study.root)
    done = fv("import", root, "Iris", str(part2), "--continues", first, *unlock)
    assert done.returncode == 0, done.stderr
    assert f"part 2 of Iris's first interview {first}: one interview in parts" in done.stderr
    (part,) = set(_sessions(study, "Iris")) - {first}
    info = load_session_info(study, layout.session(study.root, "Iris", part), identities)
    assert (info.kind, info.continues, info.split) == ("first", first, True)
    assert read_index(study.root)[f"Iris/{part}"].continues == first

    before = _sessions(study, "Iris")
    refusals = (
        ((str(part2), "--continues", first), ["was imported before, as participants/Iris/" + part]),
        ((str(part2), "--continues", part), ["was imported before"]),  # naming the part itself: the same file
        ((str(_wav(tmp_path / "other.wav", 44100, 1.0)), "--continues", first), ["44100 Hz", f"{first} at 16000 Hz"]),
        ((str(_wav(tmp_path / "p3.wav", 16000, 1.0, 330)), "--continues", roses), [f"{roses} is Rose's, not Iris's"]),
        ((str(tmp_path / "p3.wav"), "--continues", "20200101-000000"), ["Iris has no session 20200101-000000"]),
        ((str(tmp_path / "p3.wav"), "--continues", ".."), ["session id"]),
        ((str(tmp_path / "p3.wav"), "--continues", first, "--kind", "follow-up"), ["--continues or --kind"]),
    )
    for args, words in refusals:
        assert_one_line_error(fv("import", root, "Iris", *args, *unlock), *words)
    assert _sessions(study, "Iris") == before  # nothing written by a refusal
    assert not any(p.name.startswith(".importing") for p in study.root.iterdir())

    # A part of a part carries on the same interview: part 3, the first part named.
    third = fv("import", root, "Iris", str(tmp_path / "p3.wav"), "--continues", part, *unlock)
    assert third.returncode == 0, third.stderr
    assert f"part 3 of Iris's first interview {first}" in third.stderr

    for session in _sessions(study, "Iris"):
        transcribe_and_review(study, identities, IRIS, session)
    out = tmp_path / "t"
    exported = fv("export", root, "--format", "txt", "--participant", "Iris", "--out", str(out), *unlock)
    assert exported.returncode == 0, exported.stderr
    files = {p.name: p.read_text() for p in out.iterdir()}
    assert sorted(files) == ["Iris_session-1a.txt", "Iris_session-1b.txt", "Iris_session-1c.txt"]
    assert "· session 1a · first interview, part 1 of 3\n" in files["Iris_session-1a.txt"]
    assert (
        "· session 1b · first interview, part 2 of 3: carries on session 1 (the recorder split the recording into "
        "files)\n" in files["Iris_session-1b.txt"]
    )


def test_without_continues_the_second_file_is_still_a_follow_up(
    study: Study, unlock: list[str], tmp_path: Path
) -> None:
    """The rule the parts rule sits beside (QA H6): a file with no --continues is a session of its own."""
    add_person(study, IRIS)
    done = fv("import", str(study.root), "Iris", str(_wav(tmp_path / "b.wav", 16000, 1.0)), *unlock)
    assert done.returncode == 0 and "recorded as a follow-up" in done.stderr, done.stderr


def test_a_kit_imports_a_part_of_a_session_and_merge_kit_refuses_one_at_another_rate(
    study: Study, identities: list, unlock: list[str], tmp_path: Path
) -> None:
    from tests.conftest import fill_letter

    fill_letter(study)
    (first,) = add_person(study, IRIS, seconds=3.0)
    kit = tmp_path / "kit"
    made = fv("field-kit", str(study.root), str(kit))
    assert made.returncode == 0, made.stderr
    good = fv("import", str(kit), "Iris", str(_wav(tmp_path / "p2.wav", 16000, 2.0)), "--continues", first)
    assert good.returncode == 0, good.stderr
    assert f"part 2 of Iris's first interview {first}" in good.stderr and "merge-kit` checks" in good.stderr
    assert_one_line_error(
        fv("import", str(kit), "Iris", str(tmp_path / "p2.wav"), "--continues", "20200101-000000"), "no session"
    )
    merged = fv("merge-kit", str(kit), str(study.root), *unlock)
    assert merged.returncode == 0, merged.stderr
    (part,) = set(_sessions(study, "Iris")) - {first}
    info = load_session_info(study, layout.session(study.root, "Iris", part), identities)
    assert (info.kind, info.continues, info.split) == ("first", first, True)

    kit2 = tmp_path / "kit2"
    assert fv("field-kit", str(study.root), str(kit2)).returncode == 0
    wrong = fv("import", str(kit2), "Iris", str(_wav(tmp_path / "p3.wav", 48000, 1.0)), "--continues", part)
    assert wrong.returncode == 0, wrong.stderr  # a kit cannot read the recording it carries on
    assert read_index(kit2)[f"Iris/{part}"].continues == first  # the kit's home screen shows the study's parts
    refused = fv("merge-kit", str(kit2), str(study.root), *unlock)
    assert refused.returncode == 1, refused.stdout
    said = refused.stderr
    assert f"is a part of session {first} recorded at 48000 Hz, and {first} at 16000 Hz" in said, said
    assert len(_sessions(study, "Iris")) == 2  # nothing merged
