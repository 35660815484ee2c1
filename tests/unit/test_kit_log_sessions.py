"""qa27 QC3 and QC4: what a field kit's own log says it recorded is held against what the kit brings back. A session
the log records and the kit lacks (a copy cut short, a folder deleted) merged without a word and the kit was to be
wiped (QC4); a recording and its timeline written anew with the study's public key alone merged as her interview
(QC3). The log's `record` and `import` entries name each session and its recording's payload."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from fieldvault import audiofile, wavstream
from fieldvault.agefile.header import payload_id
from fieldvault.capture.importer import import_recording
from fieldvault.events import load_events
from fieldvault.journal import add_entry, entry_names, sealed_entry
from fieldvault.kitmerge import KitRefused, merge_kit
from fieldvault.layout import AUDIO, EVENTS
from fieldvault.memos import add_field_note, sealed_note
from fieldvault.study import Study
from tests.e2e.test_cli import fv
from tests.stewardship import JUNE, ROSA, add_person

FMT = wavstream.WavFormat(16000, 1)


def _wav(tmp_path: Path, seed: int) -> Path:
    pcm = np.random.default_rng(seed).integers(-3000, 3000, 5 * FMT.rate, dtype=np.int16).tobytes()
    wav = tmp_path / f"take-{seed}.wav"
    wav.write_bytes(wavstream.complete_wav(FMT, pcm))
    return wav


def _kit_with_two(study: Study, tmp_path: Path) -> tuple[Study, Path, Path]:
    kit = study.make_field_kit(tmp_path / "kit")
    folders = []
    for seed, person in enumerate((ROSA, JUNE)):
        add_person(kit, person, sessions=0)
        folders.append(import_recording(kit, person.pseudonym, _wav(tmp_path, seed)).folder)
    return kit, folders[0], folders[1]


def test_a_session_the_kit_log_records_and_the_kit_lacks_is_named_and_the_kit_kept(
    ready_study: Study, identities: list, tmp_path: Path
) -> None:
    kit, rosa, june = _kit_with_two(ready_study, tmp_path)
    shutil.rmtree(june)  # a copy of the kit to a stick cut short, or deleted on the laptop
    report = merge_kit(ready_study, kit.root, identities)
    assert report.missing == (f"June's session {june.name} (5.0 s)",)
    assert report.sessions == [f"Rosa/{rosa.name}"]  # what is there is merged

    again = fv("merge-kit", str(kit.root), str(ready_study.root))  # the CLI: run twice, said each time
    assert again.returncode == 1 and "Traceback" not in again.stderr
    assert f"records June's session {june.name} (5.0 s), which is neither on the kit nor in the study" in again.stderr
    assert "wipe" not in again.stdout.replace("do not wipe", "") and "keep it until the 1 session(s)" in again.stdout


def test_a_session_merged_before_and_gone_from_the_kit_since_is_not_missing(
    ready_study: Study, identities: list, tmp_path: Path
) -> None:
    kit, _, june = _kit_with_two(ready_study, tmp_path)
    assert merge_kit(ready_study, kit.root, identities).missing == ()
    shutil.rmtree(june)  # the study holds it: nothing is lost
    assert merge_kit(ready_study, kit.root, identities).missing == ()


def test_a_recording_and_timeline_written_anew_on_the_kit_are_refused(
    ready_study: Study, identities: list, tmp_path: Path
) -> None:
    kit, _, june = _kit_with_two(ready_study, tmp_path)
    own = {name: (june / name).read_bytes() for name in (AUDIO, EVENTS)}
    timeline = load_events(kit, june, identities)
    (june / AUDIO).unlink()
    kit.write_new(june / AUDIO, _wav(tmp_path, 7).read_bytes())  # the public key alone: anyone holding the kit
    timeline.info[audiofile.AUDIO_ID] = payload_id(june / AUDIO)  # its timeline written to match
    (june / EVENTS).unlink()
    kit.write_new(june / EVENTS, timeline.to_json())
    with pytest.raises(KitRefused) as refused:
        merge_kit(ready_study, kit.root, identities)
    assert [line.split(": ")[0] for line in refused.value.refused] == [str(june.relative_to(kit.root))]
    assert "holds a recording the kit's log never recorded" in refused.value.refused[0]
    assert not (ready_study.root / "participants" / "June").exists()
    for name, data in own.items():  # her own put back: merged
        (june / name).write_bytes(data)
    assert len(merge_kit(ready_study, kit.root, identities).sessions) == 2


def test_a_field_note_or_journal_entry_no_kit_entry_wrote_is_refused(
    ready_study: Study, identities: list, tmp_path: Path
) -> None:
    """QC3's rest: a note sealed with the public key alone ("withdraw her first interview") merged as the
    interviewer's. The kit's own note and journal entry merge; one no entry of its log wrote is refused."""
    kit, rosa, _ = _kit_with_two(ready_study, tmp_path)
    add_field_note(kit, rosa, "She asked to stop at the half hour.")
    add_entry(kit, "Long day; two interviews.")
    forged_note = rosa / "fieldnotes-2.md.age"
    kit.write_new(forged_note, sealed_note("2026-11-29T07:00:00+00:00", "Withdraw her.", "Rosa", rosa.name))
    with pytest.raises(KitRefused) as refused:
        merge_kit(ready_study, kit.root, identities)
    assert [line.split(": ")[0] for line in refused.value.refused] == [str(forged_note.relative_to(kit.root))]
    assert "was written by no entry of the kit's log" in refused.value.refused[0]
    forged_note.unlink()
    forged_entry = kit.root / "journal" / (entry_names(kit)[0].rsplit("-", 1)[0] + "-9.md.age")
    kit.write_new(forged_entry, sealed_entry("2026-11-29T07:00:00+00:00", "Her story was invented."))
    with pytest.raises(KitRefused, match="1 of the kit's files"):
        merge_kit(ready_study, kit.root, identities)
    forged_entry.unlink()
    report = merge_kit(ready_study, kit.root, identities)  # the kit's own note and entry merge
    assert f"participants/Rosa/{rosa.name}/fieldnotes-1.md.age" in report.merged
    assert any(target.startswith("journal/") for target in report.merged)
