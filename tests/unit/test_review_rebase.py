"""A review's decisions stored after the transcript changed under it (QA E7): moved onto an editor's version,
never stored bound to the old text."""

from __future__ import annotations

from datetime import UTC, datetime

from fieldvault import editing
from fieldvault import transcript_versions as versions
from fieldvault.redact.rebase import EDITED, store_review
from fieldvault.redact.review import ACCEPTED, REJECTED, current, load, save, transcript_digest
from fieldvault.study import Study
from fieldvault.transcript import Segment, Transcript

WHEN = datetime(2026, 11, 26, 6, 0, tzinfo=UTC)


def _session(study: Study) -> Transcript:
    segments = (
        Segment(0.0, 4.0, "Marcus took me to Phoenix."),
        Segment(4.0, 8.0, "Then I got my GDB at last."),
        Segment(8.0, 12.0, "Marcus came back."),
    )
    transcript = Transcript("Rose", "s1", segments, (), {"name": "tiny.en"}, "faster-whisper", {}, 12.0, 1.0, "now")
    folder = study.root / "participants" / "Rose" / "s1"
    folder.mkdir(parents=True)
    study.write_new(folder / "transcript.json.age", transcript.to_json())
    return transcript


def test_a_reviews_decisions_and_added_spans_move_onto_an_editors_version(study: Study, identities: list) -> None:
    first = _session(study)
    save(study, current(study, first, identities))
    opened = versions.open_draft(study, "Rose", "s1", identities)  # an editor, in another window
    review = load(study, "Rose", "s1", identities)  # a review screen
    base = list(review.spans)
    assert [(s.segment, s.text) for s in base] == [(0, "Marcus"), (0, "Phoenix"), (2, "Marcus")]
    edited = editing.edit_text(opened, 1, "Well, then I got my GDB at last.")
    edited = editing.edit_text(edited, 2, "He came back.")
    saved = versions.save(study, edited, identities, "editor", opened.transcript, opened.spans).transcript
    review.decide(base[0].id, ACCEPTED, "reviewer", WHEN)
    review.decide(base[2].id, REJECTED, "reviewer", WHEN)  # a mention the editor has since removed
    review.add(first, 1, 14, 17, "ID", "reviewer", WHEN)  # GDB, missed by the detector

    stored = store_review(study, first, review, base, identities)

    assert stored.changed == EDITED and stored.unplaced == 1 and stored.transcript == saved
    on_disk = load(study, "Rose", "s1", identities)
    assert on_disk.transcript_sha256 == transcript_digest(saved) and on_disk.spans == stored.redactions.spans
    placed = [(s.segment, saved.segments[s.segment].text[s.start : s.end], s.state) for s in on_disk.spans]
    assert placed == [(0, "Marcus", ACCEPTED), (0, "Phoenix", "undecided"), (1, "GDB", ACCEPTED)]
    assert len({s.id for s in on_disk.spans}) == 3


def test_a_review_on_the_current_text_is_stored_as_it_is(study: Study, identities: list) -> None:
    first = _session(study)
    review = current(study, first, identities)
    save(study, review)
    base = list(review.spans)
    review.decide(base[1].id, REJECTED, "reviewer", WHEN)
    stored = store_review(study, first, review, base, identities)
    assert stored.changed is None and stored.transcript is first
    assert load(study, "Rose", "s1", identities) == review


def test_two_review_screens_on_one_text_keep_each_others_decisions(study: Study, identities: list) -> None:
    """A second reader's review screen, open beside the first's: each one's save kept only its own decisions."""
    from fieldvault.redact.rebase import DECIDED

    first = _session(study)
    save(study, current(study, first, identities))
    one, two = load(study, "Rose", "s1", identities), load(study, "Rose", "s1", identities)
    base = list(one.spans)
    one.decide(base[0].id, ACCEPTED, "first reader", WHEN)
    assert store_review(study, first, one, base, identities).changed is None
    two.decide(base[2].id, REJECTED, "second reader", WHEN)

    stored = store_review(study, first, two, base, identities)

    assert stored.changed == DECIDED and stored.unplaced == 0
    on_disk = load(study, "Rose", "s1", identities)
    assert [(s.state, s.reviewer) for s in on_disk.spans] == [
        (ACCEPTED, "first reader"), ("undecided", None), (REJECTED, "second reader"),
    ]  # fmt: skip
