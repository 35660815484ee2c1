"""The reviewer's safety net: numbers, capitals and unusual words left unredacted, listed, redacted or kept."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from fieldvault.redact import leftover
from fieldvault.redact.leftover import CAPITAL, NUMBER, SPOKEN, UNUSUAL, leftovers
from fieldvault.redact.review import ACCEPTED, Redactions, propose, transcript_digest
from fieldvault.study import Study
from fieldvault.transcript import Segment, Transcript

NOW = datetime(2026, 11, 26, 3, 0)
ON_SCREEN = "fieldvault: warning: words of the transcripts are on screen; they are not redacted here"


def _transcript(*texts: str) -> Transcript:
    segments = tuple(Segment(float(i), float(i) + 1, t) for i, t in enumerate(texts))
    return Transcript("Rose", "s1", segments, (), {"name": "tiny.en"}, "faster-whisper", {}, 2.0, 1.0, "now")


def _nothing_proposed(transcript: Transcript) -> Redactions:
    return Redactions("Rose", "s1", transcript_digest(transcript))


def test_numbers_capitals_and_unusual_words_left_are_listed_once_with_every_mention() -> None:
    transcript = _transcript(
        "So I went down to Hilltop Plaza with my mom on Monday, I'm sure.",  # capitals mid-sentence
        "Hilltop Plaza is gone now. You can call me at 916.",  # a sentence start; the area code cut off
        "5, 5, 4, 4, 2. My file was four four seven nine two.",  # the rest, then spoken digits
        "In 2016 at 3:30 we met okonkwo by the river.",  # a lone year and a time are no identifiers
    )
    items = {item.text: item for item in leftovers(transcript, _nothing_proposed(transcript))}
    assert {text: item.reason for text, item in items.items()} == {
        "Hilltop Plaza": CAPITAL,
        "916": NUMBER,
        "5, 5, 4, 4, 2": NUMBER,
        "four four seven nine two": SPOKEN,
        "okonkwo": UNUSUAL,
    }
    # every mention, the one at a sentence start too, so a redaction reaches them all
    assert [(m.segment, m.start) for m in items["Hilltop Plaza"].mentions] == [(0, 18), (1, 0)]
    for item in items.values():
        for m in item.mentions:
            assert transcript.segments[m.segment].text[m.start : m.end].lower() == item.text.lower()


def test_the_transcript_s_own_marks_are_never_listed() -> None:
    """QA D10: the timecode of "[inaudible 00:00:26]" was listed as a number; redacted, the mark broke in every
    export. A mark of any case, with a time or a duration, is left alone; what is beside it is still listed."""
    transcript = _transcript(
        "How did you get out? [inaudible 00:00:26] Help me.",
        "[Crosstalk] room 214 [pause 12 s] [INAUDIBLE 01:02:03]",
        "[audio damaged 00:12:04–00:12:06]",  # where audio is missing (QA F19, F23)
        "[audio dropped 01:00:59–01:01:02]",
    )
    assert [item.text for item in leftovers(transcript, _nothing_proposed(transcript))] == ["214"]


def test_the_stand_ins_a_withdrawal_kept_are_never_listed() -> None:
    """QA H15: after `withdraw --keep-deidentified`, leftovers and every export listed the kept transcript's own
    "[PERSON]", "[PLACE]" and "[PHONE]" as capitals to check. What is beside them is still listed."""
    transcript = _transcript(
        "I met [PERSON] at the [ORG 2] on [STREET], then [PERSON] (2) called me at [PHONE].",
        "[PLACE] was far, Hilltop Plaza farther.",
    )
    assert [item.text for item in leftovers(transcript, _nothing_proposed(transcript))] == ["Hilltop Plaza"]


def test_an_item_keeps_its_number_when_others_are_dealt_with() -> None:
    """QA D10: numbers were positions in the list of the moment, so a command run twice, or typed from a list
    printed earlier, reached another text. Each text keeps the number of its first mention."""
    transcript = _transcript("We called him Gordo at the Mesa Verde, room 214.", "gordo never came back.")
    doc = _nothing_proposed(transcript)
    items, texts = leftover.numbered(transcript, doc)
    assert [(n, item.text) for n, item in items] == [(1, "Gordo"), (2, "Mesa Verde"), (3, "214")]
    leftover.redact(transcript, doc, items[0][1], "PERSON", "ana", NOW)
    leftover.keep(doc, items[1][1])
    again, texts_again = leftover.numbered(transcript, doc)
    assert [(n, item.text) for n, item in again] == [(3, "214")] and texts_again == texts


def test_what_a_span_covers_is_not_listed_whatever_its_decision() -> None:
    transcript = _transcript("I met Denise Kowalski at the Sunrise Inn, room 214, in 2019.")
    doc = propose(transcript, [])
    assert {s.text for s in doc.spans} >= {"Denise Kowalski", "Sunrise Inn"}
    assert [item.text for item in leftovers(transcript, doc)] == ["214"]
    for span in doc.spans:
        doc.decide(span.id, "rejected", "ana", NOW)  # rejected: looked at and kept, so not listed again
    assert [item.text for item in leftovers(transcript, doc)] == ["214"]


def test_redacting_a_leftover_adds_an_accepted_span_at_every_mention() -> None:
    transcript = _transcript("We called him Gordo at Mesa Verde.", "gordo never came back. Gordo's truck was red.")
    doc = _nothing_proposed(transcript)
    gordo = next(item for item in leftovers(transcript, doc) if item.key == "gordo")
    assert leftover.redact(transcript, doc, gordo, leftover.label_for(gordo), "ana", NOW) == 3
    assert [(s.segment, s.text, s.state, s.label) for s in doc.spans] == [
        (0, "Gordo", ACCEPTED, "PERSON"),
        (1, "gordo", ACCEPTED, "PERSON"),
        (1, "Gordo", ACCEPTED, "PERSON"),
    ]
    assert "gordo" not in {item.key for item in leftovers(transcript, doc)}


def test_a_mention_inside_a_span_added_meanwhile_is_left_and_one_covered_in_part_is_refused_in_one_line() -> None:
    """qa26 QB7: items redacted together ("Hilltop Plaza" holds a mention of "Hilltop") met each other's spans,
    refused in the review screen's words ("d on it deletes it")."""
    from fieldvault.errors import BadInput

    transcript = _transcript("We lived on Hilltop Plaza for years.", "I walked past Hilltop, and Hilltop Plaza too.")
    doc = _nothing_proposed(transcript)
    plaza, hilltop = leftovers(transcript, doc)
    assert (plaza.text, hilltop.text, len(hilltop.mentions)) == ("Hilltop Plaza", "Hilltop", 3)
    assert leftover.redact(transcript, doc, plaza, "LOCATION", "ana", NOW) == 2
    assert leftover.redact(transcript, doc, hilltop, "LOCATION", "ana", NOW) == 1  # the other two: inside the first
    assert [(s.segment, s.text) for s in doc.spans] == [(0, "Hilltop Plaza"), (1, "Hilltop"), (1, "Hilltop Plaza")]
    doc = _nothing_proposed(transcript)
    assert leftover.redact(transcript, doc, hilltop, "LOCATION", "ana", NOW) == 3
    with pytest.raises(BadInput) as refused:
        leftover.redact(transcript, doc, plaza, "LOCATION", "ana", NOW)
    assert (
        str(refused.value) == "'Hilltop Plaza' overlaps 'Hilltop', redacted already, in part: redact them one at a time"
    )


def test_a_kept_leftover_is_not_listed_again_after_the_redactions_are_stored() -> None:
    transcript = _transcript("We drove out to Mesa Verde on the weekend.")
    doc = _nothing_proposed(transcript)
    [mesa] = leftovers(transcript, doc)
    leftover.keep(doc, mesa)
    again = Redactions.from_json(doc.to_json())
    assert again.checked == ["mesa verde"] and leftovers(transcript, again) == []


def test_the_leftovers_command_lists_redacts_and_keeps_and_export_warns_until_then(
    study: Study, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from fieldvault import cli
    from fieldvault.participants import ConsentRecord, add_participant
    from fieldvault.redact.review import load
    from tests.conftest import ANSWERS, PASSPHRASE

    def run(*args: str) -> int:
        monkeypatch.setenv("FIELDVAULT_PASSPHRASE", PASSPHRASE)
        return cli.main(["leftovers", str(study.root), *args])

    add_participant(study, "Rose", ANSWERS, ConsentRecord("m", "v", "s", "t"), [])
    (study.root / "participants" / "Rose" / "s1").mkdir()
    said = _transcript("we drank boba at the mall, room 214.", "the boba place closed.")
    study.write_new("participants/Rose/s1/transcript.json.age", said.to_json())
    assert run() == 0
    out = capsys.readouterr().out
    assert "Rose/s1: 2 left unredacted to check:" in out
    monkeypatch.setenv("FIELDVAULT_PASSPHRASE", PASSPHRASE)
    assert (
        cli.main(["export", str(study.root), "--format", "txt", "--out", str(tmp_path / "a"), "--include-unreviewed"])
        == 0
    )
    assert "warning: 2 number(s), capital(s) or unusual word(s) were left unredacted" in capsys.readouterr().err
    assert "1. 'boba' (word outside everyday vocabulary; " in out and "2. '214'" in out
    assert run("Rose", "s1", "--redact", "2", "--keep", "1") == 0
    out = capsys.readouterr().out
    assert "1 redacted at every mention, 1 kept" in out and "Rose/s1: 0 left unredacted to check" in out
    doc = load(study, "Rose", "s1", study.unlock(PASSPHRASE.encode()))
    assert [(s.text, s.label, s.state) for s in doc.spans if s.source == "reviewer"] == [("214", "ID", ACCEPTED)]
    assert doc.checked == ["boba"]
    assert run("Rose", "s1", "--redact", "2") == 0  # the same command again (QA D10): nothing else is reached
    again = capsys.readouterr()  # qa27 QC7: a redacted item's words are never shown again, nor the warning
    assert "item 2 is not left unredacted any more (redacted or kept): nothing to do" in again.out
    assert "214" not in again.out.split("0 left unredacted")[0] and "on screen" not in again.err
    assert load(study, "Rose", "s1", study.unlock(PASSPHRASE.encode())).spans == doc.spans
    assert run("Rose", "s1", "--keep", "3") == 1
    assert "Rose/s1 has no item 3 (run `fieldvault leftovers` to see the list)" in capsys.readouterr().err
    monkeypatch.setenv("FIELDVAULT_PASSPHRASE", PASSPHRASE)
    assert (
        cli.main(["export", str(study.root), "--format", "txt", "--out", str(tmp_path / "b"), "--include-unreviewed"])
        == 0
    )
    assert "left unredacted" not in capsys.readouterr().err
    assert "room [ID]" in (tmp_path / "b" / "Rose_session-1.txt").read_text()
    assert run("Rose", "--keep", "1") == 1  # acting needs one session's list
    assert "name the participant and the session" in capsys.readouterr().err
    for entry in study.audit.entries():  # what was said never enters the log (its hashes may hold any digits)
        unsaid = ("vouches", "signatures", "out")  # hex, base64, and the export's folder (a tmp path may hold "214")
        details = str({k: v for k, v in entry["details"].items() if k not in unsaid})
        assert "boba" not in details and "214" not in details


def test_an_item_given_twice_or_held_in_another_is_redacted_once_and_words_come_after_their_warning(
    study: Study, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """qa26 QB7: `leftovers --redact 1 1` failed with the review screen's words ("d on it deletes it"), as did two
    items whose mentions are the same digits ("5, 5, 4" and "554"); and every call warned that the transcripts'
    words were on screen, also before an error that showed none."""
    from fieldvault import cli
    from fieldvault.participants import ConsentRecord, add_participant
    from fieldvault.redact.review import load
    from tests.conftest import ANSWERS, PASSPHRASE

    def run(*args: str) -> tuple[int, str, str]:
        monkeypatch.setenv("FIELDVAULT_PASSPHRASE", PASSPHRASE)
        code = cli.main(["leftovers", str(study.root), "Rose", *args])
        out, err = capsys.readouterr()
        return code, out, err

    add_participant(study, "Rose", ANSWERS, ConsentRecord("m", "v", "s", "t"), [])
    said = ("The code was 5, 5, 4 on the door, room 214.", "I typed 5, 5, 4 and then 554 again.")
    for session in ("s1", "s2"):
        (study.root / "participants" / "Rose" / session).mkdir()
        segments = tuple(Segment(float(i), float(i) + 1, t) for i, t in enumerate(said))
        transcript = Transcript(
            "Rose", session, segments, (), {"name": "tiny.en"}, "faster-whisper", {}, 2.0, 1.0, "now"
        )
        study.write_new(f"participants/Rose/{session}/transcript.json.age", transcript.to_json())
    code, out, err = run("s1")
    assert code == 0 and err.splitlines() == [ON_SCREEN], err
    assert "1. '5, 5, 4' (number of 3 or more digits; 3 mentions)" in out and "2. '214'" in out and "3. '554'" in out
    code, out, err = run("s1", "--redact", "99")
    assert (
        code == 1
        and out == ""
        and err.splitlines()
        == ["fieldvault: error: Rose/s1 has no item 99 (run `fieldvault leftovers` to see the list)"]
    )
    code, out, err = run("s1", "--redact", "1", "1")
    assert code == 0 and "d on it" not in err, err
    assert "Rose/s1: 1 redacted at every mention, 0 kept" in out and "Rose/s1: 1 left unredacted" in out
    assert err.splitlines() == [ON_SCREEN]  # what is still listed shows words
    identities = study.unlock(PASSPHRASE.encode())
    added = [(s.segment, s.text) for s in load(study, "Rose", "s1", identities).spans if s.source == "reviewer"]
    assert added == [(0, "5, 5, 4"), (1, "5, 5, 4"), (1, "554")]
    code, out, err = run("s2", "--redact", "3", "1", "3")  # item 3's mentions are item 1's: redacted already
    assert code == 0 and "Rose/s2: 2 redacted at every mention, 0 kept" in out, err
    added = [(s.segment, s.text) for s in load(study, "Rose", "s2", identities).spans if s.source == "reviewer"]
    assert added == [(0, "5, 5, 4"), (1, "5, 5, 4"), (1, "554")]


def test_acting_on_the_list_waits_for_an_editor_open_in_another_window(
    study: Study, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """QA D20: `leftovers --redact` said "1 redacted at every mention" while the session was open in the editor of
    another fieldvault, whose next save wrote its own span list back: the redaction was gone from the export.
    Now it refuses in one line and changes nothing; listing alone still works."""
    import os
    import subprocess
    import sys

    from fieldvault import cli
    from fieldvault.participants import ConsentRecord, add_participant
    from tests.conftest import ANSWERS, PASSPHRASE, ROOT
    from tests.unit.test_session_open import EDITOR

    def run(*args: str) -> int:
        monkeypatch.setenv("FIELDVAULT_PASSPHRASE", PASSPHRASE)  # the CLI takes it out of the environment
        return cli.main(["leftovers", str(study.root), *args])

    add_participant(study, "Rose", ANSWERS, ConsentRecord("m", "v", "s", "t"), [])
    folder = study.root / "participants" / "Rose" / "s1"
    folder.mkdir()
    study.write_new("participants/Rose/s1/transcript.json.age", _transcript("we met in room 214.").to_json())
    assert run() == 0  # proposals made and stored
    stored = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    editor = subprocess.Popen([sys.executable, "-c", EDITOR, str(folder)], env={**os.environ, "PYTHONPATH": str(ROOT)},
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)  # fmt: skip
    try:
        assert editor.stdout is not None and editor.stdout.readline() == "open\n"
        capsys.readouterr()
        assert run("Rose", "s1", "--redact", "1") == 1
        line = capsys.readouterr().err.strip().splitlines()[-1]
        assert line.startswith("fieldvault: error: session s1 of Rose is open in the editor") and line.endswith(
            "then change its redactions here"
        )
        assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == stored
        assert run("Rose", "s1") == 0  # only listing: fine
    finally:
        editor.kill()
        editor.communicate(timeout=30)
    assert run("Rose", "s1", "--redact", "1") == 0


def test_listing_holds_each_session_and_never_stores_into_a_folder_that_left(
    study: Study, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """QA E1: a withdrawal while `leftovers` proposed (no --redact) was followed by her redactions, her names in
    them, written back into the withdrawn session's folder. The listing holds each session, so a withdrawal in
    another fieldvault refuses meanwhile; and stored proposals never make a session folder anew."""
    import os
    import subprocess

    from fieldvault import cli
    from fieldvault.errors import BadInput
    from fieldvault.participants import ConsentRecord, add_participant
    from fieldvault.redact import review
    from tests.conftest import ANSWERS, PASSPHRASE

    add_participant(study, "Rose", ANSWERS, ConsentRecord("m", "v", "s", "t"), [])
    folder = study.root / "participants" / "Rose" / "s1"
    folder.mkdir()
    said = _transcript("Denise took me to the Sunrise Inn, room 214.")
    study.write_new("participants/Rose/s1/transcript.json.age", said.to_json())
    refused: list[subprocess.CompletedProcess[str]] = []
    proposing = review.refresh

    def withdraw_meanwhile(*args: object) -> object:
        refused.append(subprocess.run(
            ["fieldvault", "withdraw", str(study.root), "Rose", "--confirm", "Rose"], capture_output=True, text=True,
            env={**os.environ, "FIELDVAULT_PASSPHRASE": PASSPHRASE}, stdin=subprocess.DEVNULL, check=False,
        ))  # fmt: skip
        return proposing(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(review, "refresh", withdraw_meanwhile)
    monkeypatch.setenv("FIELDVAULT_PASSPHRASE", PASSPHRASE)
    assert cli.main(["leftovers", str(study.root), "Rose", "s1"]) == 0
    [withdrawal] = refused
    assert withdrawal.returncode == 1 and "Traceback" not in withdrawal.stderr
    assert "fieldvault: error: session s1 of Rose is open" in withdrawal.stderr
    assert (folder / "redactions.json.age").is_file() and "Rose/s1: 1 left unredacted" in capsys.readouterr().out
    doc = review.load(study, "Rose", "s1", study.unlock(PASSPHRASE.encode()))
    for path in folder.iterdir():  # as a withdrawal leaves it
        path.unlink()
    folder.rmdir()
    with pytest.raises(BadInput, match="Rose/s1 is not in the study any more"):
        review.save(study, doc)
    assert not folder.exists()
