"""Edit operations on a transcript draft, the spans that follow them, and versions of the stored transcript."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from fieldvault import editing
from fieldvault import transcript_versions as versions
from fieldvault.editing import Draft, History
from fieldvault.errors import BadInput
from fieldvault.overview import SessionState, overview
from fieldvault.participants import KnownIdentifier
from fieldvault.redact.replace import Placeholders, redact_segments
from fieldvault.redact.review import ACCEPTED, current, mark_reviewed, propose
from fieldvault.study import Study
from fieldvault.transcript import GAP, Marker, Segment, Transcript, Word, tag

NOW = datetime(2026, 11, 24, tzinfo=UTC)
KNOWN = [KnownIdentifier("Marcus")]


def _words(text: str, start: float, step: float) -> tuple[Word, ...]:
    return tuple(
        Word(start + i * step, start + (i + 1) * step - 0.05, f" {w}", 0.9) for i, w in enumerate(text.split())
    )


def _transcript() -> Transcript:
    segments = (
        Segment(
            0.0, 4.0, "When I was 90 Marcus took me.", "Interviewer", _words("When I was 90 Marcus took me.", 0, 4 / 7)
        ),
        Segment(4.0, 8.0, "Then I got my GDB at last.", None, _words("Then I got my GDB at last.", 4, 4 / 7)),
        Segment(8.0, 12.0, "Marcus came back.", None, ()),
    )
    markers = (Marker(0.0, "prompt", "Tell me about leaving."), Marker(9.0, "note", "long pause"))
    return Transcript("Rose", "s1", segments, markers, {"name": "tiny.en"}, "faster-whisper", {}, 12.0, 1.0, "now")


def _draft() -> Draft:
    transcript = _transcript()
    return Draft(transcript, tuple(propose(transcript, KNOWN).spans))


def _marcus(draft: Draft) -> list[tuple[int, str]]:
    return [(s.segment, draft.segments[s.segment].text[s.start : s.end]) for s in draft.spans]


def test_spans_follow_edits_before_them_and_vanish_when_their_text_is_edited() -> None:
    draft = _draft()
    assert _marcus(draft) == [(0, "Marcus"), (2, "Marcus")]
    fixed = editing.edit_text(draft, 0, "When I was nineteen, Marcus took me.")
    assert _marcus(fixed) == [(0, "Marcus"), (2, "Marcus")]  # the offset moved with the text
    gone = editing.edit_text(fixed, 0, "When I was nineteen, he took me.")
    assert _marcus(gone) == [(2, "Marcus")]


def test_edited_text_is_detected_again_with_decisions_carried_over() -> None:
    draft = _draft()
    draft = Draft(draft.transcript, tuple(s.__class__(**{**s.__dict__, "state": ACCEPTED}) for s in draft.spans))
    edited = editing.edit_text(draft, 1, "Then Tanya and Marcus helped me get my GED.")
    again = editing.redetect(edited, [1], KNOWN)
    found = {(s.segment, s.text): s.state for s in again.spans}
    assert found[(1, "Marcus")] == ACCEPTED  # the same name was accepted elsewhere: decision carried over
    assert (1, "Tanya") in found and found[(1, "Tanya")] == "undecided"
    assert len({s.id for s in again.spans}) == len(again.spans)
    placeholders = Placeholders.build([_redactions(again)])
    texts = [s.text for s in redact_segments(again.transcript, _redactions(again), placeholders, True)]
    assert texts[0].endswith("[PERSON 1] took me.") and "[PERSON 1] helped" in texts[1]


def test_an_edit_that_completes_a_number_cut_by_a_pause_proposes_both_pieces() -> None:
    segments = (Segment(0, 2, "My number is five five five"), Segment(2, 4, "uh, hold on."), Segment(4, 6, "Bye."))
    transcript = Transcript("Rose", "s1", segments, (), {"name": "tiny.en"}, "faster-whisper", {}, 6.0, 1.0, "now")
    draft = Draft(transcript, ())
    again = editing.redetect(editing.edit_text(draft, 1, "oh one four two, hold on."), [1], [])
    assert [(s.segment, s.text, s.label) for s in again.spans] == [
        (0, "five five five", "CONTACT"),
        (1, "oh one four two", "CONTACT"),
    ]
    assert again.spans[0].part == again.spans[1].part is not None and again.spans[0].entity == again.spans[1].entity


def _redactions(draft: Draft):
    from fieldvault.redact.review import Redactions

    return Redactions("Rose", "s1", "x", list(draft.spans))


def test_split_at_the_cursor_takes_its_time_from_the_word_timestamps() -> None:
    draft = _draft()
    at = draft.segments[0].text.index("Marcus")
    split = editing.split(draft, 0, at)
    first, second = split.segments[0], split.segments[1]
    assert (first.text, second.text) == ("When I was 90", "Marcus took me.")
    words = draft.segments[0].words
    assert first.end == second.start == pytest.approx((words[3].end + words[4].start) / 2)
    assert [w.text.strip() for w in second.words] == ["Marcus", "took", "me."]
    assert _marcus(split) == [(1, "Marcus"), (3, "Marcus")]
    assert split.segments[1].speaker == "Interviewer"


def test_split_without_words_goes_by_proportion_and_refuses_the_edges() -> None:
    draft = _draft()
    halves = editing.split(draft, 2, 7)
    assert halves.segments[2].end == pytest.approx(8.0 + 4.0 * 7 / 17)
    with pytest.raises(BadInput):
        editing.split(draft, 2, 0)


def test_a_split_inside_a_word_is_refused_and_a_span_it_cuts_stays_as_two_pieces_decided_together() -> None:
    """QA G4: Enter with the cursor in "Hous|ton" dropped the accepted LOCATION span, and the halves were never
    proposed again: a reviewed export read "moving more than Hous ton." A cut between two words of a decided
    span ("Marcus | Brown") keeps both pieces, decided as it was, as one identifier."""
    text = "I moved to Houston with Marcus Brown."
    transcript = replace(_transcript(), segments=(Segment(0.0, 4.0, text, None, ()),))
    draft = Draft(transcript, tuple(propose(transcript, [KnownIdentifier("Marcus Brown")]).spans))
    draft = Draft(transcript, tuple(replace(s, state=ACCEPTED, reviewer="lead") for s in draft.spans))
    with pytest.raises(BadInput, match="inside a word"):
        editing.split(draft, 0, text.index("ton"))
    cut = editing.split(draft, 0, text.index("Brown"))
    pieces = [(s.segment, cut.segments[s.segment].text[s.start : s.end], s.text, s.state) for s in cut.spans]
    assert pieces[-2:] == [(0, "Marcus", "Marcus", ACCEPTED), (1, "Brown", "Brown", ACCEPTED)]
    assert cut.spans[-1].part == cut.spans[-2].part is not None and len({s.id for s in cut.spans}) == len(cut.spans)
    assert cut.spans[-1].entity == cut.spans[-2].entity


def test_the_speaker_cycle_holds_every_label_in_use_as_in_the_editor() -> None:
    """QA G3: review's S cycled none -> Interviewer -> Participant only, so one press on a diarized transcript took
    "Speaker 2" away for good. Review and the editor share one cycle: none, the roles, every other label in use."""
    from fieldvault.transcript import next_speaker

    segments = [Segment(0, 1, "a", "Speaker 2"), Segment(1, 2, "b", "Speaker 1"), Segment(2, 3, "c", None)]
    seen: list[str | None] = []
    now: str | None = "Speaker 2"
    for _ in range(5):
        now = next_speaker(now, segments)
        seen.append(now)
    assert seen == [None, "Interviewer", "Participant", "Speaker 1", "Speaker 2"]
    assert next_speaker("Rose", segments[:1]) == "Interviewer"  # a label gone from the session: start again


def test_merge_joins_text_time_words_and_spans() -> None:
    draft = _draft()
    merged = editing.merge(draft, 1)
    assert merged.segments[1].text == "Then I got my GDB at last. Marcus came back."
    assert (merged.segments[1].start, merged.segments[1].end) == (4.0, 12.0)
    assert _marcus(merged) == [(0, "Marcus"), (1, "Marcus")]
    assert editing.split(merged, 1, len("Then I got my GDB at last. ")).segments[2].text == "Marcus came back."
    with pytest.raises(BadInput):
        editing.merge(merged, 1)


def test_two_speakers_segments_are_never_joined_and_one_speakers_are() -> None:
    """QA: Ctrl+J ran the interviewer's question into her answer, and the answer became the interviewer's. A join
    of two speakers (or of a speaker and an unlabelled segment) is refused, saying how to do it; nothing changes."""
    draft = editing.set_speaker(_draft(), 1, 2, "Participant")  # Interviewer, Participant, Participant
    with pytest.raises(BadInput) as refused:
        editing.merge(draft, 0)
    assert str(refused.value).startswith("segment 1 is Interviewer's and segment 2 Participant's:")
    assert "ctrl+t" in str(refused.value) and "\n" not in str(refused.value)
    unlabelled = editing.set_speaker(draft, 2, 2, None)
    with pytest.raises(BadInput, match="segment 2 is Participant's and segment 3 without a speaker"):
        editing.merge(unlabelled, 1)
    joined = editing.merge(draft, 1)  # the same speaker: joined, hers
    assert [(s.speaker, s.text) for s in joined.segments[1:]] == [
        ("Participant", "Then I got my GDB at last. Marcus came back.")
    ]
    gap = Segment(12.0, 14.0, "[audio damaged 00:00:12–00:00:14]", flags=(GAP,))
    marked = Draft(replace(draft.transcript, segments=(*draft.segments, gap)), draft.spans)
    with pytest.raises(
        BadInput, match=r"segment 4 marks audio that is missing \(\[audio damaged 00:00:12–00:00:14\]\)"
    ):
        editing.merge(editing.set_speaker(marked, 2, 2, None), 2)  # not even without a speaker
    one = editing.set_speaker(draft, 0, 1, "Participant")  # told whose both are: then they join
    assert editing.merge(one, 0).segments[0].text == "When I was 90 Marcus took me. Then I got my GDB at last."


def test_a_rename_to_another_speakers_name_is_refused_and_a_merge_is_asked_for_by_name() -> None:
    """QA: Ctrl+N took "Speaker 2" for Speaker 1 and two people became one without a word. Another speaker's name
    (compared as names are: NFC, case, spaces) is refused; ``merge_speakers`` makes two one when asked."""
    draft = editing.set_speaker(editing.set_speaker(_draft(), 0, 0, "Speaker 1"), 1, 2, "Zoë K")
    for name in ("Zoë K", " zoë  k ", "ZOE\u0308 K", "zoe\u0308 k"):
        assert editing.other_speaker_named(draft, "Speaker 1", name) == "Zoë K"
        with pytest.raises(BadInput, match="'Zoë K' is another speaker of this session already"):
            editing.rename_speaker(draft, "Speaker 1", name)
    assert [s.speaker for s in draft.segments] == ["Speaker 1", "Zoë K", "Zoë K"]
    recased = editing.rename_speaker(draft, "Zoë K", "zoe\u0308   k")  # her own name, recased: no one else's
    assert [s.speaker for s in recased.segments] == ["Speaker 1", "zoë k", "zoë k"]
    assert editing.rename_speaker(draft, "Speaker 1", "Interviewer").segments[0].speaker == "Interviewer"
    merged = editing.merge_speakers(draft, "Speaker 1", "Zoë K")
    assert [s.speaker for s in merged.segments] == ["Zoë K", "Zoë K", "Zoë K"]
    with pytest.raises(BadInput, match="nobody is called 'Speaker 3'"):
        editing.merge_speakers(draft, "Speaker 1", "Speaker 3")
    with pytest.raises(BadInput, match="one speaker already"):
        editing.merge_speakers(draft, "Zoë K", "Zoë K")


def test_speakers_for_a_range_and_renamed_for_the_session() -> None:
    draft = editing.set_speaker(_draft(), 2, 1, "Participant")
    assert [s.speaker for s in draft.segments] == ["Interviewer", "Participant", "Participant"]
    renamed = editing.rename_speaker(draft, "Participant", "Rose")
    assert [s.speaker for s in renamed.segments] == ["Interviewer", "Rose", "Rose"]
    assert "Rose" in renamed.speakers()
    with pytest.raises(BadInput):
        editing.rename_speaker(renamed, "Nobody", "X")


def test_two_speakers_swapped_everywhere_keep_their_text_and_spans() -> None:
    """QA K11: roles named the wrong way round (a stereo pair plugged in swapped) are put right in one step; a third
    speaker and a segment with none are left alone."""
    draft = editing.set_speaker(editing.set_speaker(_draft(), 1, 1, "Participant"), 2, 2, "Speaker 3")
    swapped = editing.swap_speakers(draft, "Interviewer", "Participant")
    assert [s.speaker for s in swapped.segments] == ["Participant", "Interviewer", "Speaker 3"]
    assert [s.text for s in swapped.segments] == [s.text for s in draft.segments] and swapped.spans == draft.spans
    assert editing.swap_speakers(swapped, "Participant", "Interviewer") == draft
    with pytest.raises(BadInput, match="nobody is called 'Speaker 4'"):
        editing.swap_speakers(draft, "Interviewer", "Speaker 4")
    with pytest.raises(BadInput, match="is one speaker"):
        editing.swap_speakers(draft, "Interviewer", "Interviewer")


def test_markers_insert_move_and_tags() -> None:
    draft = editing.insert_marker(_draft(), 4.0, "prompt", "Who helped you?")
    assert [m.text for m in draft.transcript.markers] == ["Tell me about leaving.", "Who helped you?", "long pause"]
    moved = editing.move_marker(draft, 1, 10.0)
    assert [m.at for m in moved.transcript.markers] == [0.0, 9.0, 10.0]
    tagged = editing.insert_text(moved, 2, 6, tag("inaudible", 3725.2))
    assert tagged.segments[2].text == "Marcus [inaudible 01:02:05] came back."
    assert tag("laughs", 0) == "[laughs]"
    with pytest.raises(BadInput):
        tag("sneezes", 0)


def test_find_and_replace_across_sessions() -> None:
    one = _draft()
    other = Draft(Transcript("Rose", "s2", (Segment(0, 2, "My GDB class, gdb again."),), (), {}, "", {}, 2, 0, ""))
    drafts = {"s1": one, "s2": other}
    hits = editing.find(drafts, "gdb")
    assert [(h.session, h.segment) for h in hits] == [("s1", 1), ("s2", 0), ("s2", 0)]
    changed = editing.replace_hits(drafts, hits[:2], "GED")
    assert changed["s1"].segments[1].text == "Then I got my GED at last."
    assert changed["s2"].segments[0].text == "My GED class, gdb again."  # the third hit was left out


@pytest.mark.parametrize(
    ("text", "word", "left"),
    [
        ("Merrick still um.", "um", "Merrick still."),
        ("so, um, we went", "um", "so, we went"),
        ("Um, so we went", "um", "So we went"),
        ("I um think", "um", "I think"),
        ("still um", "um", "still"),
        ("um", "um", ""),
    ],
)
def test_an_empty_replacement_deletes_the_word_with_one_space_beside_it(text: str, word: str, left: str) -> None:
    drafts = {"s1": Draft(Transcript("Rose", "s1", (Segment(0, 2, text),), (), {}, "", {}, 2, 0, ""))}
    changed = editing.replace_hits(drafts, editing.find(drafts, word), "")
    assert changed["s1"].segments[0].text == left
    assert editing.find(changed, word) == []  # run again: nothing left to find


def test_undo_redo_and_typing_as_one_step() -> None:
    history = History(_draft())
    history.type_into(1, "Then I got my G")
    history.type_into(1, "Then I got my GED at last.")
    history.apply(editing.merge(history.draft, 1))
    assert len(history.draft.segments) == 2
    assert history.undo() is not None and history.draft.segments[1].text == "Then I got my GED at last."
    assert history.undo() is not None and history.draft.segments[1].text == "Then I got my GDB at last."
    assert history.undo() is None
    history.redo()
    history.redo()
    assert len(history.draft.segments) == 2 and history.redo() is None


def test_a_session_destroyed_under_an_open_editor_is_said_so_and_discarding_works(
    study: Study, identities: list
) -> None:
    """QA E19: with the session destroyed (retention) under an open editor, its autosave said "has no transcript yet:
    transcribe it first" and "Discard" crashed the TUI with a traceback."""
    import shutil

    folder = study.root / "participants" / "Rose" / "s1"
    folder.mkdir(parents=True)
    study.write_new(folder / "transcript.json.age", _transcript().to_json())
    draft = versions.open_draft(study, "Rose", "s1", identities)
    shutil.rmtree(folder)
    with pytest.raises(BadInput, match="Rose/s1 is not in the study any more"):
        versions.autosave(study, editing.edit_text(draft, 1, "typed").transcript, draft.transcript)
    versions.discard_autosave(study, "Rose", "s1")  # nothing to discard, and no error
    assert not folder.exists()


def test_saving_makes_versions_and_unreviews(study: Study, identities: list) -> None:
    transcript = _transcript()
    folder = study.root / "participants" / "Rose" / "s1"
    folder.mkdir(parents=True)
    study.write_new(folder / "transcript.json.age", transcript.to_json())
    draft = versions.open_draft(study, "Rose", "s1", identities)
    assert [v.number for v in versions.versions(study, "Rose", "s1", identities)] == [1]
    versions.autosave(study, editing.edit_text(draft, 1, "typed").transcript, draft.transcript)
    assert versions.load_autosave(study, "Rose", "s1", identities) is not None
    saved = versions.save(
        study, editing.edit_text(draft, 1, "Then I got my GED at last."), identities, "tester", draft.transcript
    )
    assert versions.load_autosave(study, "Rose", "s1", identities) is None
    listed = versions.versions(study, "Rose", "s1", identities)
    assert [(v.number, v.saved_by) for v in listed] == [(1, None), (2, "tester")]
    assert versions.load(study, "Rose", "s1", identities, 1).segments[1].text == "Then I got my GDB at last."
    assert versions.load(study, "Rose", "s1", identities).segments[1].text == "Then I got my GED at last."
    for path in folder.rglob("*"):
        assert b"GED" not in path.read_bytes() if path.is_file() else True
        assert path.stat().st_mode & 0o077 == 0
    redactions = current(study, saved.transcript, identities)
    assert [s.text for s in redactions.spans] == ["Marcus", "Marcus"]  # stored for this version, not re-proposed
    for span in redactions.spans:
        redactions.decide(span.id, ACCEPTED, "tester", NOW)
    from fieldvault.redact.review import store

    store(study, redactions, "redaction.decided")  # as the review screen stores a decision (vouched: QA T11)
    mark_reviewed(study, saved.transcript, identities, "tester")
    assert overview(study)[0].sessions[0].state == SessionState.REVIEWED
    versions.save(study, editing.edit_text(saved, 2, "Marcus came back later."), identities, "tester", saved.transcript)
    assert overview(study)[0].sessions[0].state == SessionState.TRANSCRIBED  # an edit needs reading again
    latest = versions.load(study, "Rose", "s1", identities)
    assert not current(study, latest, identities).reviewed
    assert [e["details"].get("version") for e in study.audit.entries() if e["action"] == "transcript.saved"] == [2, 3]
    with pytest.raises(BadInput, match="versions 1 to 3"):
        versions.load(study, "Rose", "s1", identities, 7)


def test_a_save_never_undoes_a_transcript_changed_since_it_was_opened(study: Study, identities: list) -> None:
    """QA C28: `transcribe --force` in another terminal while the editor had the session open; the editor's
    save then stored the old text with the edit as current, over the new transcription, without a word."""
    folder = study.root / "participants" / "Rose" / "s1"
    folder.mkdir(parents=True)
    study.write_new(folder / "transcript.json.age", _transcript().to_json())
    opened = versions.open_draft(study, "Rose", "s1", identities)
    again = replace(_transcript(), segments=(Segment(0.0, 2.0, "Transcribed again with a larger model."),))
    study.replace(folder / "transcript.json.age", again.to_json())  # what transcribe --force stores
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    with pytest.raises(BadInput, match="nothing was saved: this transcript changed since it was opened"):
        versions.save(study, editing.edit_text(opened, 1, "typed"), identities, "tester", opened.transcript)
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before
    reopened = versions.open_draft(study, "Rose", "s1", identities)
    versions.save(study, editing.edit_text(reopened, 0, "Edited."), identities, "tester", reopened.transcript)
    assert versions.load(study, "Rose", "s1", identities).segments[0].text == "Edited."


def test_renamed_speakers_reach_every_transcript_export(study: Study, identities: list) -> None:
    import io
    import zipfile

    from fieldvault.export.run import Options, render
    from fieldvault.export.selection import Request

    folder = study.root / "participants" / "Rose" / "s1"
    folder.mkdir(parents=True)
    study.write_new(folder / "transcript.json.age", _transcript().to_json())
    opened = versions.open_draft(study, "Rose", "s1", identities)
    draft = editing.set_speaker(opened, 1, 2, "Participant")
    draft = editing.rename_speaker(editing.rename_speaker(draft, "Participant", "Rose"), "Interviewer", "Counsellor")
    saved = versions.save(study, draft, identities, "tester", opened.transcript)
    redactions = current(study, saved.transcript, identities)
    for span in redactions.spans:
        redactions.decide(span.id, ACCEPTED, "tester", NOW)
    from fieldvault.redact.review import store

    store(study, redactions, "redaction.decided")  # as the review screen stores a decision (vouched: QA T11)
    mark_reviewed(study, saved.transcript, identities, "tester")
    for fmt in ("qdpx", "docx", "txt", "srt", "vtt", "csv"):
        _, files = render(study, identities, Options(fmt), Request())
        text = b""
        for data in files.values():
            if data[:2] == b"PK":
                with zipfile.ZipFile(io.BytesIO(data)) as archive:
                    text += b"".join(archive.read(name) for name in archive.namelist())
            else:
                text += data
        assert b"Counsellor" in text, fmt


def test_a_save_keeps_decisions_a_review_screen_stored_meanwhile(study: Study, identities: list) -> None:
    """QA D25: a review screen in another window accepted every span while the editor was open; the editor's
    save wrote its own (undecided) span list back, resetting the reviewer's work without a word. The save now
    keeps a decision stored meanwhile wherever the editor left that span as it found it; a span the editor
    itself decided keeps the editor's decision."""
    from fieldvault.redact.review import REJECTED, load, save

    folder = study.root / "participants" / "Rose" / "s1"
    folder.mkdir(parents=True)
    study.write_new(folder / "transcript.json.age", _transcript().to_json())
    draft = versions.open_draft(study, "Rose", "s1", identities)  # the editor opens it
    save(study, current(study, draft.transcript, identities))
    draft = versions.open_draft(study, "Rose", "s1", identities)
    opened = draft.spans
    assert len(opened) >= 2 and all(s.state != ACCEPTED for s in opened)
    reviewed = load(study, "Rose", "s1", identities)  # a review screen in another window decides them all
    for span in reviewed.spans:
        reviewed.decide(span.id, ACCEPTED, "reviewer", datetime(2026, 11, 26, 3, 40, tzinfo=UTC))
    save(study, reviewed)
    mine = replace(opened[-1], state=REJECTED, reviewer="editor", decided_at="2026-11-26T03:41:00")
    edited = editing.edit_text(Draft(draft.transcript, (*opened[:-1], mine)), 1, "Then I got my GED at last.")
    # A word typed before a span moves its offsets; its decision is still the reviewer's (QA D25's re-check).
    edited = editing.edit_text(edited, 0, "So when I was 90 Marcus took me.")
    saved = versions.save(study, edited, identities, "editor", draft.transcript, opened)
    stored = load(study, "Rose", "s1", identities).spans
    assert [s.state for s in stored] == [ACCEPTED] * (len(opened) - 1) + [REJECTED]
    assert [s.reviewer for s in stored[:-1]] == ["reviewer"] * (len(opened) - 1) and stored[-1].reviewer == "editor"
    assert [s.state for s in saved.spans] == [s.state for s in stored]  # the editor shows what was stored
