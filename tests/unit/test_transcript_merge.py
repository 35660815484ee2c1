"""An editor's save onto a transcript stored meanwhile (QA E15): merged where the two changed different things,
refused where they collide, and then either side put on top with the other kept as a version."""

from __future__ import annotations

from dataclasses import replace

import pytest

from fieldvault import editing, transcript_merge
from fieldvault import transcript_versions as versions
from fieldvault.errors import TranscriptChanged
from fieldvault.study import Study
from fieldvault.transcript import Marker, Segment, Transcript

LINES = [
    (0.0, 4.0, "Hello, my name is Rose."),
    (4.0, 8.0, "Marcus took me to Phoenix."),
    (8.0, 12.0, "I live in town now."),
]


def _transcript(speakers: tuple[str | None, ...] = (None, None, None), **settings: object) -> Transcript:
    segments = tuple(Segment(a, b, text, who) for (a, b, text), who in zip(LINES, speakers, strict=True))
    markers = (Marker(0.0, "prompt", "Tell me about leaving."),)
    return Transcript("Rose", "s1", segments, markers, {"name": "tiny.en"}, "faster-whisper", settings, 12.0, 1.0, "t")


def _stored(study: Study, transcript: Transcript) -> None:
    folder = study.root / "participants" / "Rose" / "s1"
    folder.mkdir(parents=True, exist_ok=True)
    if (folder / "transcript.json.age").exists():
        study.replace(folder / "transcript.json.age", transcript.to_json())  # what transcribe --force stores
    else:
        study.write_new(folder / "transcript.json.age", transcript.to_json())


def _texts(transcript: Transcript) -> list[str]:
    return [s.text for s in transcript.segments]


def test_a_re_transcription_for_speakers_under_an_open_editor_keeps_both_its_speakers_and_her_typing(
    study: Study, identities: list
) -> None:
    """QA E15: `transcribe --force --speakers ...` while the editor had the session open, then Ctrl+S there: the
    save stored the old transcription's speakers and settings with her typing on top, and pushed the new
    transcription into the versions, nobody told. Now her typing goes onto the new transcription."""
    _stored(study, _transcript(speakers_from="none"))
    opened = versions.open_draft(study, "Rose", "s1", identities)
    again = _transcript(("Interviewer", "Participant", "Participant"), speakers_from="diarization")
    _stored(study, again)
    typed = editing.edit_text(opened, 2, "I live in town now. EDITOR-FIX")
    saved = versions.save(study, typed, identities, "tester", opened.transcript, opened.spans)
    now = versions.load(study, "Rose", "s1", identities)
    assert _texts(now)[2] == "I live in town now. EDITOR-FIX"
    assert [s.speaker for s in now.segments] == ["Interviewer", "Participant", "Participant"]
    assert now.settings == {"speakers_from": "diarization"} and saved.transcript == now
    assert versions.load(study, "Rose", "s1", identities, 1) == again  # the new transcription, kept as it came
    assert [v.number for v in versions.versions(study, "Rose", "s1", identities)] == [1, 2]
    assert [s.text for s in saved.spans] == ["Rose", "Marcus", "Phoenix"]  # the spans came along


def test_edits_in_different_segments_from_two_windows_both_stay(study: Study, identities: list) -> None:
    _stored(study, _transcript())
    mine = versions.open_draft(study, "Rose", "s1", identities)
    theirs = versions.open_draft(study, "Rose", "s1", identities)
    versions.save(study, editing.edit_text(theirs, 0, "Hello, my name's Rose."), identities, "other", theirs.transcript)
    split = editing.split(editing.edit_text(mine, 1, "Marcus took me to Phoenix, Arizona."), 2, 7)
    versions.save(study, split, identities, "tester", mine.transcript, mine.spans)
    now = versions.load(study, "Rose", "s1", identities)
    assert _texts(now) == ["Hello, my name's Rose.", "Marcus took me to Phoenix, Arizona.", "I live", "in town now."]
    assert [v.number for v in versions.versions(study, "Rose", "s1", identities)] == [1, 2, 3]


def test_a_collision_saves_nothing_and_either_side_can_go_on_top_with_the_other_kept(
    study: Study, identities: list
) -> None:
    _stored(study, _transcript())
    opened = versions.open_draft(study, "Rose", "s1", identities)
    folder = study.root / "participants" / "Rose" / "s1"
    again = replace(_transcript(), segments=(Segment(0.0, 12.0, "Hello, my name is Rose. Marcus took me."),))
    _stored(study, again)
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    typed = editing.edit_text(opened, 1, "Marcus took me to Tempe.")
    with pytest.raises(TranscriptChanged, match="both changed segment 1"):
        versions.save(study, typed, identities, "tester", opened.transcript, opened.spans)
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before

    current = versions.set_aside(study, typed, identities, "tester")
    assert _texts(current) == ["Hello, my name is Rose. Marcus took me."]
    assert versions.version_of(current).number == 3
    assert _texts(versions.load(study, "Rose", "s1", identities, 2))[1] == "Marcus took me to Tempe."
    assert versions.load(study, "Rose", "s1", identities) == current
    assert versions.load_autosave(study, "Rose", "s1", identities) is None

    over = versions.save_over(study, typed, identities, "tester")
    assert versions.load(study, "Rose", "s1", identities) == over.transcript
    assert versions.version_of(over.transcript).number == 4
    assert _texts(versions.load(study, "Rose", "s1", identities, 3)) == ["Hello, my name is Rose. Marcus took me."]
    reasons = [e["details"].get("reason") for e in study.audit.entries() if e["action"] == "transcript.saved"]
    assert reasons == [
        "kept aside: version 3 is version 1 again, stored meanwhile",
        "version 1 made current again",
        "put on top of version 3, stored meanwhile and kept",
    ]


def test_the_merge_takes_each_field_from_the_side_that_changed_it() -> None:
    base = _transcript()
    mine = replace(base, segments=(replace(base.segments[0], text="Hi, my name is Rose."), *base.segments[1:]))
    theirs = _transcript(("Interviewer", None, "Participant"))
    merged = transcript_merge.merge(base, mine, theirs)
    assert isinstance(merged, transcript_merge.Merged)
    first = merged.transcript.segments[0]
    assert (first.text, first.speaker) == ("Hi, my name is Rose.", "Interviewer")
    assert merged.origins == (("mine", 0), ("theirs", 1), ("theirs", 2))
    both = replace(theirs, segments=(replace(theirs.segments[0], text="Hey."), *theirs.segments[1:]))
    assert transcript_merge.merge(base, mine, both) == transcript_merge.Collision(1)
    moved = replace(base, markers=(Marker(1.0, "prompt", "Tell me about leaving."),))
    assert transcript_merge.merge(base, moved, replace(base, markers=())) == transcript_merge.Collision(None)


def test_a_save_waits_while_another_writer_of_her_transcripts_checks_and_writes(study: Study, identities: list) -> None:
    """field7's list: an editor's save and a review screen's decision at the same instant could each check what
    is stored, then both write. Every store now holds one lock per participant from its check to its last write
    (a lock on the folder, so it holds across processes as within one)."""
    import threading
    import time

    _stored(study, _transcript())
    opened = versions.open_draft(study, "Rose", "s1", identities)
    held, release = threading.Event(), threading.Event()

    def other_writer() -> None:
        with versions.writing(study, "Rose"):
            held.set()
            release.wait(5)

    thread = threading.Thread(target=other_writer)
    thread.start()
    held.wait(5)
    threading.Timer(0.6, release.set).start()
    started = time.monotonic()
    versions.save(study, editing.edit_text(opened, 0, "Hi."), identities, "tester", opened.transcript)
    assert time.monotonic() - started >= 0.5
    thread.join()
    assert _texts(versions.load(study, "Rose", "s1", identities))[0] == "Hi."


def test_an_autosave_is_never_offered_over_a_speaker_set_since(study: Study, identities: list) -> None:
    """An editor killed with unsaved typing left its autosave; a review screen then set a speaker (same text).
    Offered back, the autosave would have undone the speaker: it was checked against the text alone."""
    _stored(study, _transcript())
    opened = versions.open_draft(study, "Rose", "s1", identities)
    versions.autosave(study, editing.edit_text(opened, 2, "I live in town.").transcript, opened.transcript)
    kept = versions.load_autosave(study, "Rose", "s1", identities)
    assert kept is not None and not versions.autosave_is_stale(kept, opened.transcript)
    now = versions.set_speaker(study, opened.transcript, 0, "Interviewer", identities, "reviewer")
    assert versions.autosave_is_stale(kept, now)
