"""A session's transcript cut off while it was sealed (QA QD13): an export of the study leaves that session out, named,
and exports the rest (exit 1: it is not whole); `recover` keeps the whole segments its intact chunks hold (never a
piece of JSON no reader opens), keeps the cut-off original beside it and names the saved version that holds more;
the steward makes that one current by choice; a backup made before the cut keeps its whole copy. The real binary."""

from __future__ import annotations

import subprocess
from pathlib import Path

from fieldvault import transcript_versions as versions
from fieldvault.agefile import CHUNK, AgeReader, decrypt_bytes
from fieldvault.agefile.recovery import KEPT_ORIGINAL
from fieldvault.editing import Draft
from fieldvault.layout import TRANSCRIPT
from fieldvault.study import Study
from fieldvault.transcript import Segment, Transcript, Word
from tests.e2e.test_cli import fv
from tests.sessionfiles import store_transcript
from tests.stewardship import JUNE, ROSA, add_person, transcribe_and_review

SEGMENTS = 400  # each with its words: well over two 64 KiB chunks of JSON


def _long(pseudonym: str, session: str) -> Transcript:
    segments = tuple(
        Segment(
            float(n), n + 0.9, f"Line {n} of what she told me that winter.", "Participant" if n % 2 else "Interviewer",
            tuple(Word(n + k / 10, n + (k + 1) / 10, f" w{k}", 0.9) for k in range(8)),
        )
        for n in range(SEGMENTS)
    )  # fmt: skip
    return Transcript(pseudonym, session, segments, (), {"name": "tiny.en"}, "faster-whisper", {}, float(SEGMENTS), 1.0,
                      "2026-11-02T10:00:00")  # fmt: skip


def _cut(path: Path, identities: list) -> None:
    """Cut after the first whole chunk and part of the second, as a crash while it was written leaves it."""
    with path.open("rb") as stream:
        AgeReader(stream, identities)
        payload = stream.tell()
    with path.open("r+b") as stream:
        stream.truncate(payload + (CHUNK + 16) + 500)


def _run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return fv(*map(str, args))


def test_a_cut_off_transcript_keeps_its_whole_segments_names_the_saved_version_and_stops_no_export(
    study: Study, identities: list, tmp_path: Path
) -> None:
    [rose] = add_person(study, ROSA)
    [june] = add_person(study, JUNE)
    transcribe_and_review(study, identities, JUNE, june)
    whole = _long(ROSA.pseudonym, rose)
    store_transcript(study, whole)
    draft = Draft(whole, tuple(versions.current(study, whole, identities).spans))
    saved = versions.save(study, draft, identities, "tester", whole).transcript  # versions/0001 and 0002
    folder = study.root / "participants" / ROSA.pseudonym / rose
    backup = tmp_path / "usb"
    assert _run("backup", study.root, backup).returncode == 0
    _cut(folder / TRANSCRIPT, identities)
    cut_bytes = (folder / TRANSCRIPT).read_bytes()

    exported = _run("export", study.root, "--format", "txt", "--out", tmp_path / "all", "--include-unreviewed")
    assert exported.returncode == 1 and "Traceback" not in exported.stderr, exported.stderr
    text = "".join(p.read_text() for p in (tmp_path / "all").rglob("*") if p.is_file())
    assert "drove me to" in text and "what she told me" not in text  # June's session went, Rosa's was left out
    last = exported.stderr.strip().splitlines()[-1]
    assert last.startswith("fieldvault: error: ") and f"Rosa/{rose}" in last and "fieldvault recover" in last, last
    assert f"note: Rosa/{rose}: left out, damaged: " in exported.stderr, exported.stderr

    done = _run("recover", study.root)
    assert done.returncode == 0, done.stdout + done.stderr
    [said] = [line for line in done.stdout.splitlines() if line.startswith(f"participants/Rosa/{rose}/{TRANSCRIPT}")]
    kept = versions.load(study, ROSA.pseudonym, rose, identities)
    assert 0 < len(kept.segments) < SEGMENTS and kept.segments == saved.segments[: len(kept.segments)]
    assert f"kept the {len(kept.segments)} whole segment(s)" in said and "stored as version 3" in said, said
    assert "versions/0002.json.age holds more: version 2 (saved " in said and f"{SEGMENTS} segment(s)" in said, said
    assert "--make-current 2" in said and f"transcript.json.age{KEPT_ORIGINAL}" in said, said
    assert (folder / f"{TRANSCRIPT}{KEPT_ORIGINAL}").read_bytes() == cut_bytes  # the original, untouched
    check = _run("check", study.root)
    assert check.returncode == 0 and "FAILED" not in check.stdout, check.stdout + check.stderr

    again = _run("backup", study.root, backup)  # what recover kept does not replace the backup's whole copy
    kept_there = [line for line in again.stderr.splitlines() if "kept the backup's earlier copy" in line]
    assert len(kept_there) == 1 and f"Rosa/{rose}/{TRANSCRIPT}: " in kept_there[0], again.stderr
    assert "damaged transcript" in kept_there[0], kept_there
    held = decrypt_bytes((backup / folder.relative_to(study.root) / TRANSCRIPT).read_bytes(), identities)
    assert len(Transcript.from_json(held).segments) == SEGMENTS

    made = _run("transcript", study.root, ROSA.pseudonym, rose, "--make-current", "2")
    assert made.returncode == 0 and "version 2 is current again, as version 4" in made.stdout, made.stderr
    assert versions.load(study, ROSA.pseudonym, rose, identities).segments == saved.segments
    assert len(versions.load(study, ROSA.pseudonym, rose, identities, 3).segments) == len(kept.segments)  # kept
    exported = _run("export", study.root, "--format", "txt", "--out", tmp_path / "all2", "--include-unreviewed")
    assert exported.returncode == 0, exported.stderr
    assert f"Line {SEGMENTS - 1} of what she told me" in "".join(
        p.read_text() for p in (tmp_path / "all2").rglob("*") if p.is_file()
    )
