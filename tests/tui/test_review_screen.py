"""The review screen with Pilot: accept, reject, relabel, accept-all, add a missed span, reviewed state."""

from __future__ import annotations

from dataclasses import replace

from textual.widgets import DataTable, Input, Label, Static, TextArea
from textual.widgets.text_area import Selection

from fieldvault.layout import TRANSCRIPT
from fieldvault.overview import SessionState, overview
from fieldvault.participants import ConsentRecord, KnownIdentifier, add_participant
from fieldvault.redact.review import ACCEPTED, REJECTED, UNDECIDED, load, mark_reviewed, transcript_digest
from fieldvault.study import Study
from fieldvault.transcript import ROLES_NOTE, Segment, Transcript, read_transcript
from fieldvault.tui.app import CRASH_MESSAGE_WITHHELD, make_app
from fieldvault.tui.screens.review import ReviewScreen
from tests.conftest import ANSWERS, PASSPHRASE
from tests.sessionfiles import store_transcript
from tests.tui.conftest import messages, unlock


def _study_with_transcript(study: Study) -> str:
    consent = ConsentRecord("information letter given; verbal consent", "v", "s", "now")
    add_participant(study, "Rose", ANSWERS, consent, [KnownIdentifier("Marcus")])
    session = "20261124-100000"
    (study.root / "participants" / "Rose" / session).mkdir()
    study.write_new(f"participants/Rose/{session}/audio.wav.age", b"")
    segments = (
        Segment(0.0, 4.0, "Marcus took me to Phoenix."),
        Segment(4.0, 8.0, "markus again, and Faith helped."),
        Segment(8.0, 12.0, "My friend Bo stayed."),
    )
    transcript = Transcript("Rose", session, segments, (), {"name": "tiny.en"}, "faster-whisper", {}, 12.0, 1.0, "now")
    study.write_new(f"participants/Rose/{session}/transcript.json.age", transcript.to_json())
    return session


async def test_roles_named_by_who_talked_more_are_said_as_the_review_opens(study: Study) -> None:
    """QA K11: the speakers the review shows beside each segment were named by talk time (stereo, no sure prompt
    markers): the transcriber is told, with the editor's key that swaps them; not for an edited (saved) version."""
    session = _study_with_transcript(study)
    identities = study.unlock(PASSPHRASE.encode())
    path = study.root / "participants" / "Rose" / session / TRANSCRIPT
    transcript = read_transcript(study, path, identities)
    note = "the roles were decided by who talked more (no prompt markers): ... swap the roles in the editor (alt+s)"
    store_transcript(study, replace(transcript, settings={ROLES_NOTE: note}))
    app = make_app(study)
    async with app.run_test(size=(120, 40)) as pilot:
        await unlock(pilot)
        await pilot.press("v")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert any(m.startswith("The roles were decided by who talked more") for m in messages(app)), messages(app)
    edited = replace(transcript, settings={ROLES_NOTE: note}, extra={"version": {"number": 2, "saved_by": "ed"}})
    store_transcript(study, edited)
    app = make_app(study)
    async with app.run_test(size=(120, 40)) as pilot:
        await unlock(pilot)
        await pilot.press("v")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert not any("who talked more" in m for m in messages(app))


async def test_review_a_transcript_until_it_is_reviewed(study: Study) -> None:
    session = _study_with_transcript(study)
    app = make_app(study)
    async with app.run_test(size=(120, 40)) as pilot:
        await unlock(pilot)
        table = app.screen.query_one("#sessions", DataTable)
        table.move_cursor(row=0)
        await pilot.press("v")
        await pilot.app.workers.wait_for_complete()  # the review opens from a worker
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        texts = [s.text for s in screen.redactions.spans]
        # "Faith helped": read with the segments around it (the whole transcript), the model takes Faith for a name
        assert texts == ["Marcus", "Phoenix", "markus", "Faith", "Bo"]
        assert "5 undecided" in str(screen.query_one("#counter", Label).render())
        await pilot.press("A")  # Marcus and markus: the same person, accepted together
        assert [screen.redactions.spans[i].state for i in (0, 2)] == [ACCEPTED, ACCEPTED]
        assert screen.current.text == "Phoenix"
        await pilot.press("l")  # cycle the label: LOCATION -> ORG
        assert screen.current.label == "ORG"
        await pilot.press("x")
        assert screen.current.text == "Faith"
        await pilot.press("x")
        assert screen.current.text == "Bo"
        await pilot.press("a")
        editor = screen.query_one("#editor", TextArea)
        editor.load_text(screen.transcript.segments[2].text)
        editor.selection = Selection((0, 3), (0, 9))  # "friend": a reviewer may add any span
        await pilot.press("e")
        await pilot.pause()
        # walk22: it said "not yet marked reviewed" and nowhere how; the key is the editor's
        assert "all decided, not yet marked reviewed (Ctrl+R in the editor)" in str(
            screen.query_one("#counter", Label).render()
        )
        assert any(m.endswith("mark it reviewed there with Ctrl+R") for m in messages(app)), messages(app)
        await pilot.press("escape")
        await pilot.pause()
    identities = study.unlock(PASSPHRASE.encode())
    stored = load(study, "Rose", session, identities)
    assert [s.state for s in stored.spans] == [ACCEPTED, REJECTED, ACCEPTED, REJECTED, ACCEPTED, ACCEPTED]
    assert [s.text for s in stored.spans if s.source == "reviewer"] == ["friend"] and stored.spans[1].label == "ORG"
    assert all(s.reviewer == "tester" for s in stored.spans)
    # Deciding every span is not reading the transcript through: it stays unreviewed until a person says so.
    assert not stored.reviewed and overview(study)[0].sessions[0].state == SessionState.TRANSCRIBED
    for entry in study.audit.entries():
        assert "Marcus" not in str(entry) and "Phoenix" not in str(entry)


async def test_substitute_names_and_speakers_set_in_review(study: Study) -> None:
    from fieldvault.export.gate import build
    from fieldvault.export.selection import Request

    session = _study_with_transcript(study)
    app = make_app(study)
    async with app.run_test(size=(120, 40)) as pilot:
        await unlock(pilot)
        app.screen.query_one("#sessions", DataTable).move_cursor(row=0)
        await pilot.press("v")
        await pilot.app.workers.wait_for_complete()  # the review opens from a worker
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        assert screen.current.text == "Marcus"
        await pilot.press("s")
        await pilot.pause()
        await pilot.press(*"Lisa", "enter")
        await pilot.pause()
        await pilot.press("S", "S")  # none -> Interviewer -> Participant
        assert screen.transcript.segments[0].speaker == "Participant"
        assert list(app._notifications)[-1].message.startswith("Segment 1: Participant (a new version")
        for _ in range(6):
            await pilot.press("A")
        await pilot.pause()
        assert screen.redactions.decided
    identities = study.unlock(PASSPHRASE.encode())
    # Marking reviewed binds the decisions to the transcript as it now is (speakers set), so the gate takes it.
    mark_reviewed(study, screen.transcript, identities, "tester")
    gated = build(study, identities, Request())
    (item,) = gated.bundle.sessions
    assert gated.origins == (("Rose", session),) and item.session == "1"  # exports number sessions
    assert item.lines[0].text == "Lisa took me to [CITY]." and item.lines[0].speaker == "Participant"
    assert item.lines[1].text.startswith("Lisa again")


async def test_a_substitute_name_on_a_list_is_refused_at_once(study: Study) -> None:
    """QA J8: a substitute that was a listed name was taken without a word; the export then printed "[PLACE]" where the
    reviewer had chosen a name (the study scrub caught it), or would print a name that is on someone's list."""
    _study_with_transcript(study)
    app = make_app(study)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_review(pilot)
        assert screen.current.text == "Marcus"
        await pilot.press("s")
        await pilot.pause()
        await pilot.press(*"Ann Marcus", "enter")  # "Marcus" is on Rose's list
        await pilot.pause()
        assert "is a name on a list of names people may mention" in list(app._notifications)[-1].message
        assert screen.redactions.spans[0].substitute is None
        assert app.screen is not screen  # asked again: the next try goes to the dialog, not to the review's keys
        await pilot.press(*"Lisa", "enter")
        await pilot.pause()
        assert screen.redactions.spans[0].substitute == "Lisa"


async def test_a_substitute_said_like_a_listed_name_or_a_participants_pseudonym_is_refused(study: Study) -> None:
    """qa25 QA12's residuals: "Duane" was taken for a listed "Dwayne" (another woman's list here), and another
    participant's pseudonym ("Tina") or her own ("Rose") would make a coder read two women as one."""
    _study_with_transcript(study)
    consent = ConsentRecord("information letter given; verbal consent", "v", "s", "now")
    add_participant(study, "Tina", ANSWERS, consent, [KnownIdentifier("Dwayne")], study.unlock(PASSPHRASE.encode()))
    app = make_app(study)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_review(pilot)
        assert screen.current.text == "Marcus"
        await pilot.press("s")
        for name, why in [
            ("Duane", "is a name on a list of names people may mention, or sounds like one"),
            ("Tina", "is a participant's pseudonym in this study"),
            ("rose", "is a participant's pseudonym in this study"),
        ]:
            await pilot.pause()
            await pilot.press(*name, "enter")
            await pilot.pause()
            assert list(app._notifications)[-1].message.startswith(f"{name!r} {why}"), messages(app)
            assert screen.redactions.spans[0].substitute is None
            assert app.screen is not screen  # asked again
        await pilot.press(*"Lisa", "enter")
        await pilot.pause()
        assert screen.redactions.spans[0].substitute == "Lisa"


async def test_a_substitute_that_is_the_name_it_stands_in_for_is_refused(study: Study) -> None:
    """qa26 QB4: "Bo" typed as the substitute of "Bo" (found by its cue, on no list) was taken and exported as is."""
    _study_with_transcript(study)
    app = make_app(study)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_review(pilot)
        for _ in range(6):
            if screen.current.text == "Bo":
                break
            await pilot.press("j")
        assert screen.current.text == "Bo"
        await pilot.press("s", *"bo", "enter")
        await pilot.pause()
        assert list(app._notifications)[-1].message.startswith("'bo' is, or sounds like, the name it stands in for")
        assert app.screen is not screen and screen.current.substitute is None


async def test_a_substitute_shaped_like_a_placeholder_or_like_a_listed_name_as_asr_writes_it_is_refused(
    study: Study,
) -> None:
    """names26's left open: "[PERSON 2]" was taken as a substitute, and every export then printed it where the name
    stood, which a reader takes for a redaction the tool made (of another person); names27: "Beach" (her listed
    Peaches clipped and voiced, as tiny.en wrote it) and "Zoey" (a listed Zoe) were taken too; qa27 QC9: "Bae" (a
    listed Bea with its vowels the other way round) too."""
    _study_with_transcript(study)
    consent = ConsentRecord("information letter given; verbal consent", "v", "s", "now")
    listed = [KnownIdentifier("Peaches"), KnownIdentifier("Zoe"), KnownIdentifier("Bea")]
    add_participant(study, "Tina", ANSWERS, consent, listed, study.unlock(PASSPHRASE.encode()))
    app = make_app(study)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_review(pilot)
        assert screen.current.text == "Marcus"
        await pilot.press("s")
        placeholder = "is shaped like an export's placeholder, and a reader would take it for a name the tool took out"
        listed_like = "is a name on a list of names people may mention, or sounds like one"
        for name, why in [("[PERSON 2]", placeholder), ("PERSON 3", placeholder), ("[LOCATION 1]", placeholder),
                          ("Beach", listed_like), ("Zoey", listed_like), ("Bae", listed_like)]:  # fmt: skip
            await pilot.pause()
            await pilot.press(*name, "enter")
            await pilot.pause()
            said = list(app._notifications)[-1].message
            assert said.startswith(f"{name!r} {why}, and a substitute is printed in every export"), messages(app)
            assert "\n" not in said
            assert screen.redactions.spans[0].substitute is None
            assert app.screen is not screen  # asked again
        await pilot.press(*"Lola", "enter")
        await pilot.pause()
        assert screen.redactions.spans[0].substitute == "Lola"


async def test_s_where_no_substitute_can_be_set_takes_the_name_typed_on_in_a_dialog_not_as_review_keys(
    study: Study,
) -> None:
    """qa26 QB2: `s` on a place only toasted, and the substitute typed on at once ("Max") went to the review's keys:
    `a` accepted the place, `x` rejected the next span, never seen. Now a dialog says why and takes what is typed."""
    _study_with_transcript(study)
    app = make_app(study)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_review(pilot)
        await pilot.press("j")  # Marcus, then Phoenix
        assert screen.current.text == "Phoenix" and screen.current.label != "PERSON"
        before = [(s.text, s.state, s.substitute) for s in screen.redactions.spans]
        await pilot.press("s", *"Max")  # as fast as she types
        await pilot.pause()
        assert app.screen is not screen
        said = str(app.screen.query_one(Label).render())
        assert f"Substitute names are for people: this span is {screen.current.label}" in said
        assert "nothing typed here is stored" in said and app.screen.query_one(Input).value == "Max"
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen
        await pilot.press("right_square_bracket", "s", *"Sam")  # a line shown: S would set a speaker
        await pilot.pause()
        assert app.screen.query_one(Input).value == "Sam"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen and screen.transcript.segments[0].speaker is None
        assert [(s.text, s.state, s.substitute) for s in screen.redactions.spans] == before


def _retranscribe(study: Study, session: str, *texts: str) -> None:
    """What `transcribe --force` leaves: a new transcript.json.age with other text, the old redactions beside it."""
    segments = tuple(Segment(4.0 * i, 4.0 * i + 4, t) for i, t in enumerate(texts))
    transcript = Transcript("Rose", session, segments, (), {"name": "tiny.en"}, "faster-whisper", {}, 12.0, 1.0, "now")
    store_transcript(study, transcript)


def _lines(study: Study, said: tuple[str, ...]) -> str:
    """Rose, with "Marcus" on her list, and one session whose transcript is ``said``, a segment a line, 4 s each."""
    consent = ConsentRecord("information letter given; verbal consent", "v", "s", "now")
    add_participant(study, "Rose", ANSWERS, consent, [KnownIdentifier("Marcus")])
    session = "20261124-100000"
    (study.root / "participants" / "Rose" / session).mkdir()
    study.write_new(f"participants/Rose/{session}/audio.wav.age", b"")
    segments = tuple(Segment(4.0 * i, 4.0 * i + 4, t) for i, t in enumerate(said))
    long = 4.0 * len(said)
    transcript = Transcript("Rose", session, segments, (), {"name": "tiny.en"}, "faster-whisper", {}, long, 1.0, "now")
    study.write_new(f"participants/Rose/{session}/transcript.json.age", transcript.to_json())
    return session


async def _open_review(pilot) -> ReviewScreen:
    await unlock(pilot)
    pilot.app.screen.query_one("#sessions", DataTable).move_cursor(row=0)
    await pilot.press("v")
    await pilot.app.workers.wait_for_complete()  # the review opens from a worker
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, ReviewScreen)
    return screen


async def test_after_re_transcription_old_offsets_are_never_shown_and_decisions_wait_to_be_confirmed(
    study: Study,
) -> None:
    session = _study_with_transcript(study)
    app = make_app(study)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_review(pilot)
        for _ in range(5):  # Marcus, Phoenix, markus, Faith, Bo
            await pilot.press("a")
        await pilot.pause()
        assert screen.redactions.decided
        await pilot.press("escape")
    identities = study.unlock(PASSPHRASE.encode())
    first = Transcript.from_json(study.read(f"participants/Rose/{session}/transcript.json.age", identities))
    mark_reviewed(study, first, identities, "tester")  # what ctrl+r in the editor does
    assert overview(study)[0].sessions[0].state == SessionState.REVIEWED
    _retranscribe(study, session, "So yeah, Marcus took me to Phoenix.", "Then markus again.", "My friend Bo stayed.")
    assert overview(study)[0].sessions[0].state == SessionState.TRANSCRIBED  # unreviewed again
    app = make_app(study)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_review(pilot)
        text = screen.transcript.segments[0].text
        assert [text[s.start : s.end] for s in screen.redactions.spans if s.segment == 0] == ["Marcus", "Phoenix"]
        assert [(s.text, s.carried, s.state) for s in screen.redactions.spans] == [
            ("Marcus", ACCEPTED, "undecided"),
            ("Phoenix", ACCEPTED, "undecided"),
            ("markus", ACCEPTED, "undecided"),
            ("Bo", ACCEPTED, "undecided"),
        ]
        assert "4 earlier decision(s) to confirm" in str(screen.query_one("#carried", Label).render())
        assert any("transcript changed" in n.message for n in app._notifications)
        assert "was accepted" in str(screen.query_one("#seg-0", Static).render())
        assert overview(study)[0].sessions[0].state == SessionState.TRANSCRIBED
        await pilot.press("C")
        await pilot.pause()
        assert screen.redactions.decided and not str(screen.query_one("#carried", Label).render())
        assert "not yet marked reviewed" in str(screen.query_one("#counter", Label).render())
    stored = load(study, "Rose", session, identities)
    assert stored.transcript_sha256 == transcript_digest(screen.transcript) and stored.decided
    assert [s.state for s in stored.spans] == [ACCEPTED] * 4 and not stored.reviewed
    mark_reviewed(study, screen.transcript, identities, "tester")
    assert overview(study)[0].sessions[0].state == SessionState.REVIEWED


async def test_sound_alikes_show_the_known_name_and_entities_merge_and_split(study: Study) -> None:
    consent = ConsentRecord("information letter given; verbal consent", "v", "s", "now")
    add_participant(study, "Rose", ANSWERS, consent, [KnownIdentifier("Lodi", "LOCATION")])
    session = "20261124-100000"
    (study.root / "participants" / "Rose" / session).mkdir()
    study.write_new(f"participants/Rose/{session}/audio.wav.age", b"")
    segments = (
        Segment(0.0, 4.0, "we grew up out in loaded with my sister Tanya Reyes."),
        Segment(4.0, 8.0, "They called him Smoke. Tanya from church came too."),
    )
    transcript = Transcript("Rose", session, segments, (), {"name": "tiny.en"}, "faster-whisper", {}, 8.0, 1.0, "now")
    study.write_new(f"participants/Rose/{session}/transcript.json.age", transcript.to_json())
    app = make_app(study)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_review(pilot)
        assert [s.text for s in screen.redactions.spans] == ["loaded", "Tanya Reyes", "Smoke", "Tanya"]
        assert "loaded⟨LOCATION ≈ Lodi⟩" in str(screen.query_one("#seg-0", Static).render())
        spans = screen.redactions.spans
        assert spans[1].entity == spans[3].entity  # "Tanya" joins the one full name she is part of
        await pilot.press("j", "j", "j")  # to "Tanya"
        assert screen.current.text == "Tanya"
        await pilot.press("u")  # another Tanya: split off
        await pilot.pause()
        assert screen.redactions.spans[3].entity != screen.redactions.spans[1].entity
        await pilot.press("k", "m", "k", "m")  # Smoke, then Tanya Reyes: one person
        await pilot.pause()
        assert screen.redactions.spans[2].entity == screen.redactions.spans[1].entity
        assert "(2 mentions)" in str(screen.query_one("#counter", Label).render())
    identities = study.unlock(PASSPHRASE.encode())
    stored = load(study, "Rose", session, identities)
    assert len({s.entity for s in stored.spans}) == 3 and stored.spans[0].matched == "Lodi"


async def test_review_refuses_when_a_detection_layer_is_missing(study: Study, monkeypatch) -> None:
    from fieldvault.redact import model

    _study_with_transcript(study)
    monkeypatch.setattr(model, "FOLDER", study.root / "no-model")
    app = make_app(study)
    async with app.run_test(size=(120, 40)) as pilot:
        await unlock(pilot)
        app.screen.query_one("#sessions", DataTable).move_cursor(row=0)
        await pilot.press("v")
        await pilot.app.workers.wait_for_complete()  # the review opens from a worker
        await pilot.pause()
        assert not isinstance(app.screen, ReviewScreen)
        assert any("NER model is incomplete" in n.message for n in app._notifications)
    assert not list((study.root / "participants" / "Rose").glob("*/redactions.json.age"))


async def test_an_unexpected_error_while_opening_is_said_not_swallowed(study: Study, monkeypatch) -> None:
    """QA C5 (TUI twin of C1): an error no worker caught left "Opening for review…" and then nothing at all.
    Now one notification names it; the home screen stays and nothing is stored."""
    from fieldvault.redact import review

    def broken(*args: object) -> None:
        raise IndexError("string index out of range")

    _study_with_transcript(study)
    monkeypatch.setattr(review, "open_for_review", broken)
    app = make_app(study)
    async with app.run_test(size=(120, 40)) as pilot:
        await unlock(pilot)
        app.screen.query_one("#sessions", DataTable).move_cursor(row=0)
        await pilot.press("v")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, ReviewScreen)
        said = [n.message for n in app._notifications if n.severity == "error"]
        assert len(said) == 1 and "unexpected error" in said[0] and "IndexError: string index out of range" in said[0]
    assert not list((study.root / "participants" / "Rose").glob("*/redactions.json.age"))


def _editor_saves(study: Study, session: str, opened, segment: int, text: str) -> Transcript:
    """What an editor in another window does on Ctrl+S: a new version from the draft it opened earlier."""
    from fieldvault import editing
    from fieldvault import transcript_versions as versions

    identities = study.unlock(PASSPHRASE.encode())
    edited = editing.edit_text(opened, segment, text)
    return versions.save(study, edited, identities, "editor", opened.transcript, opened.spans).transcript


async def test_decisions_made_after_an_editor_saved_in_another_window_go_onto_its_version(study: Study) -> None:
    """QA E7: an editor in another window saved a new version while the review screen was open; the review's
    next decision stored every span bound to the old text, so each came back `undecided (carried)` while the
    screen still said "all decided". The decision now goes onto the stored version, and the screen shows it."""
    from fieldvault import transcript_versions as versions

    session = _study_with_transcript(study)
    identities = study.unlock(PASSPHRASE.encode())
    opened = versions.open_draft(study, "Rose", session, identities)  # the editor is open in another window
    app = make_app(study)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_review(pilot)
        for _ in range(4):  # Marcus, Phoenix, markus, Faith
            await pilot.press("a")
        await pilot.pause()
        saved = _editor_saves(study, session, opened, 0, "Well, Marcus took me to Phoenix.")
        assert [s.state for s in load(study, "Rose", session, identities).spans] == [ACCEPTED] * 4 + ["undecided"]
        await pilot.press("x")  # Bo
        await pilot.pause()
        assert screen.transcript.segments[0].text.startswith("Well, Marcus")
        assert "all decided" in str(screen.query_one("#counter", Label).render())
        assert any("saved in another window" in n.message for n in app._notifications)
        assert "⟨PERSON⟩" in str(screen.query_one("#seg-0", Static).render())
    stored = load(study, "Rose", session, identities)
    assert stored.transcript_sha256 == transcript_digest(saved)
    assert [(s.text, s.state) for s in stored.spans] == [
        ("Marcus", ACCEPTED), ("Phoenix", ACCEPTED), ("markus", ACCEPTED), ("Faith", ACCEPTED), ("Bo", REJECTED),
    ]  # fmt: skip
    text = saved.segments[0].text
    assert [text[s.start : s.end] for s in stored.spans if s.segment == 0] == ["Marcus", "Phoenix"]


async def test_decisions_made_after_a_new_transcription_are_offered_on_the_new_text(study: Study) -> None:
    """QA E7, the same after `transcribe --force` while the review screen was open: its decisions were stored
    bound to the replaced text. The screen now shows the new text with every decision offered to confirm."""
    session = _study_with_transcript(study)
    app = make_app(study)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_review(pilot)
        await pilot.press("a")  # Marcus
        await pilot.pause()
        _retranscribe(
            study, session, "So yeah, Marcus took me to Phoenix.", "Then markus again.", "My friend Bo stayed."
        )
        await pilot.press("x")  # Phoenix
        await pilot.pause()
        assert screen.transcript.segments[0].text.startswith("So yeah")
        assert any("transcribed again" in n.message for n in app._notifications)
        assert "to confirm" in str(screen.query_one("#carried", Label).render())
    identities = study.unlock(PASSPHRASE.encode())
    stored = load(study, "Rose", session, identities)
    assert stored.transcript_sha256 == transcript_digest(screen.transcript)
    assert [(s.text, s.state, s.carried) for s in stored.spans][:3] == [
        ("Marcus", "undecided", ACCEPTED), ("Phoenix", "undecided", REJECTED), ("markus", "undecided", ACCEPTED),
    ]  # fmt: skip


async def test_a_speaker_set_in_review_never_writes_the_old_text_over_an_editors_version(study: Study) -> None:
    """QA E7: S in a review screen opened before an editor in another window saved wrote the old text back as
    the current transcript. It now reloads the stored version first and sets nothing."""
    from fieldvault import transcript_versions as versions

    session = _study_with_transcript(study)
    identities = study.unlock(PASSPHRASE.encode())
    opened = versions.open_draft(study, "Rose", session, identities)
    app = make_app(study)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_review(pilot)
        saved = _editor_saves(study, session, opened, 2, "My friend Bo stayed there.")
        await pilot.press("S")
        await pilot.pause()
        assert screen.transcript.segments[2].text == "My friend Bo stayed there."
        assert any("No speaker was set" in n.message for n in app._notifications)
    now = versions.load(study, "Rose", session, identities)
    assert transcript_digest(now) == transcript_digest(saved) and now.segments[0].speaker is None


async def test_the_review_screen_shows_what_another_window_stored_without_waiting_for_a_decision(
    study: Study,
) -> None:
    """field7's list: the review screen noticed an editor's version, or a new transcription, only at its own next
    decision, and showed the old text until then. It now looks every two seconds and shows what is stored."""
    from fieldvault import transcript_versions as versions
    from tests.tui.conftest import messages, until

    session = _study_with_transcript(study)
    identities = study.unlock(PASSPHRASE.encode())
    opened = versions.open_draft(study, "Rose", session, identities)
    app = make_app(study)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_review(pilot)
        await pilot.press("a")  # a decision of this screen's own: nothing to reload for it
        await pilot.pause(2.5)
        assert not [m for m in messages(app) if "another window" in m]
        _editor_saves(study, session, opened, 2, "My friend Bo stayed there.")
        await until(pilot, lambda: screen.transcript.segments[2].text == "My friend Bo stayed there.", seconds=8)
        assert any("The transcript was saved in another window" in m for m in messages(app))
        assert "stayed there." in str(screen.query_one("#seg-2", Static).render())
        assert [s.state for s in screen.redactions.spans][:1] == [ACCEPTED]  # its decision came along
        _retranscribe(study, session, "So yeah, Marcus took me to Phoenix.", "Then markus again.")
        await until(pilot, lambda: screen.transcript.segments[0].text.startswith("So yeah"), seconds=8)
        assert any("transcribed again meanwhile" in m for m in messages(app))
        assert len(screen.query(".segment")) == 2


async def test_a_speaker_set_in_review_is_a_version_and_an_editor_open_meanwhile_keeps_it(study: Study) -> None:
    """field7's list: S replaced transcript.json.age with no version, and an editor open in another window then
    saved its own speakers over it. S is now a version, and the editor's save merges it in."""
    from fieldvault import editing
    from fieldvault import transcript_versions as versions

    session = _study_with_transcript(study)
    identities = study.unlock(PASSPHRASE.encode())
    opened = versions.open_draft(study, "Rose", session, identities)  # an editor in another window
    app = make_app(study)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_review(pilot)
        await pilot.press("S")
        await pilot.pause()
    assert [v.number for v in versions.versions(study, "Rose", session, identities)] == [1, 2]
    assert versions.load(study, "Rose", session, identities).segments[0].speaker == "Interviewer"
    assert versions.load(study, "Rose", session, identities, 1).segments[0].speaker is None
    speakers = [e for e in study.audit.entries() if e["action"] == "transcript.speaker"]
    assert [e["details"]["version"] for e in speakers] == [2]
    edited = editing.edit_text(opened, 2, "My friend Bo stayed there.")
    versions.save(study, edited, identities, "editor", opened.transcript, opened.spans)
    now = versions.load(study, "Rose", session, identities)
    assert now.segments[0].speaker == "Interviewer" and now.segments[2].text == "My friend Bo stayed there."
    assert load(study, "Rose", session, identities).transcript_sha256 == transcript_digest(now)


async def test_a_listed_identifier_cannot_be_rejected_with_one_key(study: Study) -> None:
    """QA F16: `x` on a span that is one of her listed identifiers was taken without a word, and the reviewed export
    then carried it in every form. Rejecting it is refused with a notice (exports replace it whatever is decided); a
    sound-alike of it ("markus") is the reviewer's to reject."""
    _study_with_transcript(study)
    app = make_app(study)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_review(pilot)
        assert screen.current.text == "Marcus"
        await pilot.press("x")
        await pilot.pause()
        assert screen.current.text == "Marcus" and screen.redactions.spans[0].state == UNDECIDED
        assert any("is on an identifier list" in n.message for n in app._notifications)
        await pilot.press("j", "j")
        assert screen.current.text == "markus"
        await pilot.press("x")
        assert screen.redactions.spans[2].state == REJECTED


async def test_segment_times_read_as_the_editor_and_exports_give_them(study: Study) -> None:
    """QA F9: the review screen cut 12.52 s to [00:12] where the editor and every export round it to 00:00:13, so a
    reviewer telling a coder "the name at 00:12" pointed at another line."""
    _study_with_transcript(study)
    identities = study.unlock(PASSPHRASE.encode())
    transcript = read_transcript(
        study, study.root / "participants" / "Rose" / "20261124-100000" / TRANSCRIPT, identities
    )
    moved = replace(
        transcript, segments=(replace(transcript.segments[0], start=12.52, end=14.0), *transcript.segments[1:])
    )
    store_transcript(study, moved)
    app = make_app(study)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_review(pilot)
        assert str(screen.query_one("#seg-0", Static).render()).startswith("[00:00:13] ")


async def test_words_on_a_line_with_no_proposal_can_be_redacted_by_keys_or_a_click(study: Study) -> None:
    """walk24 WK1 (a leak): `e` added the selection only on the current proposal's line, so a name Whisper misheard
    as everyday words on a line with nothing proposed ("from back a field" for Bakersfield) could not be redacted
    and went out in every export. ] and [ go line by line, a click goes to a line; e redacts what is selected
    there, and the export replaces it. A decision key on a line says so and decides nothing."""
    from fieldvault.export.gate import build
    from fieldvault.export.selection import Request

    said = ("Marcus took me out.", "that may not be from back a field, you know.", "we got to, um, the motel late.")
    _lines(study, said)
    app = make_app(study)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_review(pilot)
        assert [(s.segment, s.text) for s in screen.redactions.spans] == [(0, "Marcus")]  # nothing on lines 2 and 3
        await pilot.press("right_square_bracket")
        await pilot.pause()
        editor = screen.query_one("#editor", TextArea)
        assert editor.text == said[1] and editor.selected_text == ""
        assert "line 2 of 3" in str(screen.query_one("#counter", Label).render())
        await pilot.press("a")  # the current proposal is not on this line: nothing is decided
        assert screen.redactions.spans[0].state == UNDECIDED
        assert "This is a line, not a proposal" in messages(app)[-1]
        editor.focus()
        await pilot.press(*["right"] * said[1].index("back"), *["shift+right"] * len("back a field"))
        assert editor.selected_text == "back a field"
        await pilot.press("e")
        await pilot.pause()
        assert [(s.segment, s.text, s.state) for s in screen.redactions.spans][1] == (1, "back a field", ACCEPTED)
        await pilot.click("#seg-2")
        await pilot.pause()
        assert editor.text == said[2] and "line 3 of 3" in str(screen.query_one("#counter", Label).render())
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert editor.text == said[1]
        await pilot.press("j")  # back to the proposals
        counter = str(screen.query_one("#counter", Label).render())
        assert "line 2 of 3" not in counter and "current: PERSON" in counter and editor.text == said[0], counter
    identities = study.unlock(PASSPHRASE.encode())
    gated = build(study, identities, Request(include_unreviewed=True))
    (item,) = gated.bundle.sessions
    words = " ".join(line.text for line in item.lines)
    assert "back a field" not in words and "from [" in words, words


def test_a_count_of_mentions_is_said_in_the_singular_for_one() -> None:
    """walk24 WK5: the review screen said "1 mention(s)"."""
    from fieldvault.tui.screens.review import _mentions

    assert [_mentions(n) for n in (1, 2, 0)] == ["1 mention", "2 mentions", "0 mentions"]


async def test_a_span_added_on_the_wrong_words_is_deleted_and_the_right_words_added(study: Study, tmp_path) -> None:
    """walk24 WK4: a span the reviewer added on the wrong words ("a field, you" for "back a field") could not be
    taken back from the screen, and the right words could not be added as they overlap it: "back" of Bakersfield went
    out, "you" did not. d deletes a span added in review (a proposal is rejected with x, never deleted), the line
    stays shown to add the right words, and the txt export replaces them and keeps every word beside them."""
    from fieldvault.export.run import Options, export
    from fieldvault.export.selection import Request

    said = ("Marcus took me out.", "that may not be from back a field, you know.")
    session = _lines(study, said)
    app = make_app(study)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_review(pilot)
        await pilot.press("d")  # a proposal: rejected with x, never deleted
        assert [s.text for s in screen.redactions.spans] == ["Marcus"]
        assert "only a span added in review can be deleted" in messages(app)[-1]
        await pilot.press("right_square_bracket")
        editor = screen.query_one("#editor", TextArea)
        editor.focus()
        await pilot.press(*["right"] * said[1].index("a field"), *["shift+right"] * len("a field, you"))
        await pilot.press("e")  # the wrong words
        await pilot.pause()
        assert [s.text for s in screen.redactions.spans] == ["Marcus", "a field, you"]
        editor.selection = Selection((0, said[1].index("back")), (0, said[1].index(",")))
        await pilot.press("e")  # the right words overlap the wrong ones: refused, and told how to go on
        await pilot.pause()
        assert "'a field, you', added already: d on it deletes it" in messages(app)[-1], messages(app)[-1]
        await pilot.press("d")
        await pilot.pause()
        assert [s.text for s in screen.redactions.spans] == ["Marcus"]
        assert messages(app)[-1].startswith("Deleted 'a field, you', added by hand")
        assert editor.text == said[1] and "line 2 of 2" in str(screen.query_one("#counter", Label).render())
        editor.selection = Selection((0, said[1].index("back")), (0, said[1].index(",")))
        await pilot.press("e")
        await pilot.pause()
        assert [s.text for s in screen.redactions.spans] == ["Marcus", "back a field"]
        await pilot.press("escape")
    identities = study.unlock(PASSPHRASE.encode())
    assert [s.text for s in load(study, "Rose", session, identities).spans] == ["Marcus", "back a field"]
    export(study, identities, Options("txt"), tmp_path / "t", Request(include_unreviewed=True))
    (path,) = (tmp_path / "t").glob("Rose*.txt")
    text = path.read_text()
    assert "back" not in text and "field" not in text, text
    assert "that may not be from [" in text and "], you know." in text, text


async def test_a_crash_report_prints_no_local_variables(study: Study) -> None:
    """qa25 QA18: Textual's crash report printed each frame's locals: in review, her transcript's words and spans."""
    app = make_app(study)
    async with app.run_test(size=(120, 40)):
        listed = "".join(("Mari", "sol"))  # a local of the frame that fails (its source shows no whole name)
        try:
            raise RuntimeError(f"a failure of {len(listed)}")
        except RuntimeError:
            app._fatal_error()
        text = "".join(segment.text for report in app._exit_renderables for segment in app.console.render(report))
        app._exit_renderables.clear()  # the report was wanted here, not on the test's terminal
    assert "RuntimeError: " + CRASH_MESSAGE_WITHHELD.split()[0] in text, text
    assert "a failure of 7" not in text and "Marisol" not in text, text  # neither the message nor a local


async def test_a_crash_report_prints_no_message_of_the_error(study: Study) -> None:
    """A message may quote her words ("KeyError: 'Marisol'"): the report gives the error's kind and frames only."""
    app = make_app(study)
    async with app.run_test(size=(120, 40)):
        name = "".join(("Mari", "sol"))  # the report shows each frame's lines of code: not the name itself
        found: dict[str, str] = {}
        try:
            found[name]
        except KeyError:
            app._fatal_error()
        text = "".join(segment.text for report in app._exit_renderables for segment in app.console.render(report))
        app._exit_renderables.clear()
    assert "KeyError" in text and "Marisol" not in text, text
