"""The export gate: the one place where study data becomes de-identified records (export.records).

Redactions come from `redact.review.current`, so they always belong to exactly this transcript. An
unreviewed session has every proposed span replaced. Then every string that leaves (transcript
text, speakers, questionnaire answers, pseudonyms, prompts, provenance) passes the same scrub:
first the participant's own identifiers and accepted spans, with her placeholders, then every
identifier known anywhere in the study. Writers receive only what this module returns.
"""

from __future__ import annotations

import contextlib
import getpass
import hashlib
import itertools
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from fieldvault import audiofile, journal, layout, memos
from fieldvault.agefile import Identity
from fieldvault.errors import BadInput, BadStudyFile, FieldvaultError, PayloadTampered, RefusedSubstitute, TruncatedFile
from fieldvault.export.muting import replaced_times, silenced
from fieldvault.export.placeholders import UNKEPT, kept_numbers, numbered, on_backup
from fieldvault.export.records import (
    Answer,
    Audio,
    Bundle,
    Line,
    Memo,
    ParticipantRecord,
    Prompt,
    PromptMark,
    SessionRecord,
)
from fieldvault.export.scrub import Chain, Scrubber, common_word, fold, key
from fieldvault.export.selection import Request, left_out, sample, sessions
from fieldvault.gaps import Gap, salvage_mark, salvage_note, salvaged_after
from fieldvault.guide import Guide
from fieldvault.lists import missing_list_fix
from fieldvault.names import find_same, latin_look_alikes
from fieldvault.participantid import participant_id
from fieldvault.participants import (
    KnownIdentifier,
    every_listed_name,
    known_identifiers,
    load_profile,
    participant_folder,
    refuse_names_lost,
    why_not_substitute,
)
from fieldvault.printable import printable
from fieldvault.questionnaire import Field, Questionnaire
from fieldvault.redact.ages import OVER_89, find_birth_years, only_where_said
from fieldvault.redact.detector import detect, outside_marks
from fieldvault.redact.foreign import not_english_note
from fieldvault.redact.known import forms, hers_alone, short_forms
from fieldvault.redact.labels import is_own, is_placeholder, is_role, name_words, pieces
from fieldvault.redact.leftover import leftovers
from fieldvault.redact.lexicon import STOPWORDS
from fieldvault.redact.mentions import everyday, spread_text
from fieldvault.redact.replace import Placeholders, absorbed, category, redact_segments
from fieldvault.redact.review import (
    ACCEPTED,
    REJECTED,
    UNDECIDED,
    ProposedSpan,
    Redactions,
    current,
    entity_key,
    load,
    path_of,
    session_year,
)
from fieldvault.redact.review import transcript_digest as digest
from fieldvault.sessioninfo import load_session_info, no_session, read_index
from fieldvault.sessionorder import KitWindow, kit_windows, recorded_order
from fieldvault.sessionvouch import DELETED, deleted
from fieldvault.stewardship.lost import recordings_lost
from fieldvault.study import Study
from fieldvault.suggested import command
from fieldvault.timecode import clock
from fieldvault.transcript import INTERVIEWER, KEPT_AS, Segment, Transcript, read_transcript
from fieldvault.withdrawnhere import refuse_withdrawn_here


@dataclass(frozen=True)
class Wanted:
    """What an export carries besides the transcripts and answers."""

    audio: bool = False  # each session's recording (voices identify people)
    memos: bool = False  # the journal, field notes and notes taken while recording, scrubbed


@dataclass(frozen=True)
class Gated:
    """The records, and which stored session each came from (for the audit log only, never a writer)."""

    bundle: Bundle
    origins: tuple[tuple[str, str], ...]  # (pseudonym, session), in the order of bundle.sessions
    unchecked: int = 0  # numbers, capitals and unusual words left unredacted that no reviewer kept (redact.leftover)
    # (pseudonym, session, note) to tell the user: a transcript made before `recover` salvaged its audio
    # (gaps.salvage_note); a session exported without the audio asked for, which retention destroyed (QA J7)
    notes: tuple[tuple[str, str, str], ...] = ()
    people: tuple[str, ...] = ()  # the participants the sample table gives a row, as stored (audit log only)


@dataclass(frozen=True)
class _Session:
    pseudonym: str
    transcript: Transcript
    redactions: Redactions
    reviewed: bool


def _audio(study: Study, identities: Sequence[Identity], folder: Path) -> Audio:
    fmt, pieces = audiofile.stream_pcm(study, folder, identities)
    size = sum(len(piece) for piece in pieces)  # a counting pass: the WAV header needs the length first
    frame = fmt.channels * fmt.sample_width

    def chunks() -> Iterator[bytes]:
        return audiofile.stream_pcm(study, folder, identities)[1]

    return Audio(fmt.rate, fmt.channels, size - size % frame, chunks)


def _load(
    study: Study, identities: Sequence[Identity], pseudonym: str, session: str, request: Request
) -> _Session | None:
    """The session as the export sees it; None when it is unreviewed and unreviewed ones were not asked for.

    Reviewed means: a stored redactions file made on exactly this transcript (same hash), every span decided
    and the version marked reviewed by a person. Anything else gets `current` (proposed afresh at export time,
    earlier decisions carried over), so stale offsets are never applied."""
    folder = layout.session(study.root, pseudonym, session)
    try:  # her session's own files: one refused leaves her session out, named, and the others go (QA W6, V17)
        transcript = read_transcript(study, folder / layout.TRANSCRIPT, identities)
        stored = (
            load(study, pseudonym, session, identities, strict=True)
            if path_of(study, pseudonym, session).exists()
            else None
        )
    except BadStudyFile as err:
        raise _LeftOut(f"left out: {err}") from None
    except (PayloadTampered, TruncatedFile) as err:  # one torn file stopped the export of every session (QA QD13)
        raise _LeftOut(f"{DAMAGED}{err}") from None
    if stored is not None and stored.transcript_sha256 == digest(transcript) and stored.reviewed:
        return _Session(pseudonym, transcript, stored, True)
    if not request.include_unreviewed:
        return None
    return _Session(pseudonym, transcript, current(study, transcript, identities, strict=True), False)


DAMAGED = "left out, damaged: "  # a session whose own file fails authentication: the export is not whole
UNREVIEWED = "add --include-unreviewed"  # how the CLI asks for unreviewed sessions too


class _LeftOut(Exception):
    """A session whose own transcript or redactions file was refused (damaged, replaced, put back older): why."""


def _loaded(
    study: Study, identities: Sequence[Identity], request: Request
) -> tuple[list[_Session | None], list[tuple[str, str, str]]]:
    """``_load`` of each session asked for, and (pseudonym, session, why) of each left out (``left_out``, or refused
    by ``_load``)."""
    loaded: list[_Session | None] = []
    told = left_out(study, request)
    for pseudonym, session in sessions(study, request):
        try:
            loaded.append(_load(study, identities, pseudonym, session, request))
        except _LeftOut as err:
            told.append((pseudonym, session, str(err)))
    return loaded, told


def other_sessions(study: Study, identities: Sequence[Identity], pseudonym: str, session: str) -> list[Redactions]:
    """The redactions stored for her sessions other than ``session``, as an export counts them in her placeholders
    (``_placeholders``): the review screen says by them what exports print for a person (tui28)."""
    return [
        stored
        for folder in sorted(layout.participant(study.root, pseudonym).iterdir())
        if folder.name != session and (stored := _stored(study, pseudonym, folder, identities)) is not None
    ]


def _stored(study: Study, pseudonym: str, folder: Path, identities: Sequence[Identity]) -> Redactions | None:
    """The redactions stored in a session folder, or None where there are none or they are refused (that session is
    left out, named: ``_load``)."""
    if not (folder / layout.REDACTIONS).is_file():
        return None
    try:
        return load(study, pseudonym, folder.name, identities, strict=True)
    except BadStudyFile:
        return None


def _chosen(
    study: Study, identities: Sequence[Identity], request: Request, unreviewed: str
) -> tuple[list[_Session], list[tuple[str, str, str]]]:
    """The sessions to export, and (pseudonym, session, why) of each left out and named (``left_out``, or refused
    by ``_load``)."""
    loaded, told = _loaded(study, identities, request)
    eligible = [s for s in loaded if s is not None]
    keep = set(sample([(s.pseudonym, s.transcript.session) for s in eligible], request))
    chosen = [s for s in eligible if (s.pseudonym, s.transcript.session) in keep]
    if not chosen:
        skipped = len(loaded) - len(eligible)
        hint = f"; review them first, or {unreviewed}" if skipped else ""
        lost = "".join(f"; {p}/{s} {why}" for p, s, why in told)
        raise BadInput(f"nothing to export: no transcript matches (unreviewed: {skipped}){hint}{lost}")
    return chosen, told


def _as_proposed(session: _Session) -> tuple[Redactions, list[ProposedSpan], list[ProposedSpan]]:
    """The spans that are replaced (accepted ones; for an unreviewed session every proposed one too),
    each widened to whole words so no fragment of a name is left beside its placeholder (a detector
    that stops at a combining accent leaves "\u0301rez" of an NFD "Ramírez"), and those of them that are
    also searched for in every other string that leaves.

    A proposal nobody has looked at that is made only of everyday words ("Thank", "Reading", "Hope") is
    replaced where it was found and nowhere else: spread to every string, one false alarm would blank that
    word in every session of every participant. A reviewer's accepted span, and an unreviewed proposal
    with any word that is no everyday word ("Denise", "Whataburger"), spread as before; a piece of an identifier
    that runs over segments never spreads on its own. The third list: the everyday-word proposals a cue found
    ("a lady named blessing"), searched for in the rest of this transcript only, where the name comes back
    ("blessing helped me") but not after an article ("a blessing")."""
    wanted = {ACCEPTED} if session.reviewed else {ACCEPTED, UNDECIDED}
    kept: list[ProposedSpan] = []
    local: set[int] = set()  # indexes into kept of unreviewed everyday-word proposals and of pieces
    for span in sorted(session.redactions.spans, key=lambda s: (s.segment, s.start)):
        if span.state not in wanted:
            continue
        text = session.transcript.segments[span.segment].text
        # A span never holds a transcript mark, whatever detector made it (QA E6: "[[PHONE]" from a stored span
        # "crosstalk] 1"): each piece around a mark is replaced where it is, and spreads no more than a piece cut
        # by a segment boundary.
        pieces = outside_marks(text, span.start, span.end)
        for start, end in pieces:
            while start > 0 and _in_word(text[start - 1]):
                start -= 1
            while end < len(text) and _in_word(text[end]):
                end += 1
            # A piece of an identifier cut by a segment boundary ("916" of a phone number) is replaced where it is;
            # spread alone it would blank "916" in every string of every participant.
            only_here = span.part is not None or len(pieces) > 1
            only_here = only_here or (span.state == UNDECIDED and everyday(text[start:end]))
            only_here = only_here or key(text[start:end]) in STOPWORDS  # "An", "My" as names: where found (QA R17)
            only_here = only_here or (span.label == "DATE" and only_where_said(text[start:end]))  # not "Room [90...]"
            if kept and kept[-1].segment == span.segment and start < kept[-1].end:
                end = max(end, kept[-1].end)  # widened into the one before: one span
                kept[-1] = replace(kept[-1], end=end, text=text[kept[-1].start : end])
                if not only_here:
                    local.discard(len(kept) - 1)
                continue
            if only_here:
                local.add(len(kept))
            kept.append(replace(span, start=start, end=end, text=text[start:end], state=ACCEPTED))
    spread = [span for n, span in enumerate(kept) if n not in local]
    cued = [span for n, span in enumerate(kept) if n in local and span.source == "context" and span.part is None]
    return replace(session.redactions, spans=kept), spread, cued


def _in_word(char: str) -> bool:
    return char.isalnum() or unicodedata.combining(char) > 0


def _replacement(label: str, text: str) -> str:
    return "[PERSON]" if label == "PERSON" else category(label, text)


def _participant_scrubber(
    known: list[KnownIdentifier], spans: list[ProposedSpan], placeholders: Placeholders
) -> Scrubber:
    """Her identifiers and the spans that spread, each replaced by the placeholder its entity has in her
    transcripts."""
    mapping = placeholders.by_entity
    by_text = {fold(s.text).text: mapping[s.entity] for s in spans if s.entity in mapping}

    def placeholder(text: str, label: str, entity: str) -> str:
        return by_text.get(fold(text).text) or mapping.get(entity) or _replacement(label, text)

    # A listed name that is a function word ("An", "Mỹ") is replaced where it was proposed as a name, never as every
    # "an" and "my" of her interviews (QA R17).
    known = [k for k in known if key(k.text) not in STOPWORDS]
    terms = [(k.text, placeholder(k.text, k.label, entity_key(k.text))) for k in known]
    # A part of her listed full name ("Kayla" of "Kayla Ruiz") names her as well as the whole: replaced with it,
    # whatever review decided (QA F16), unless it is an everyday word.
    terms += [
        (part, placeholder(k.text, k.label, entity_key(k.text))) for k in known for part in _parts(k) if part != k.text
    ]
    return Scrubber(terms + [(s.text, placeholder(s.text, s.label, s.entity)) for s in spans])


def _parts(item: KnownIdentifier) -> list[str]:
    """A listed identifier, the parts of a listed full name that are no single common word, and the short forms of a
    listed name's words that can only be hers ("Mari" of Marisol, "Chidi" of Chidinma: known.hers_alone; QA S7's rest:
    rejected, "My friends call me Mari" left a reviewed export). A short form that is a common word or another
    name ("Rose" of Rosemary, "Daniel" of Danielle) is proposed where it stands as a name, and left to the reviewer."""
    return [form for form in forms(item) if not _common_word(form)] + [
        form for form in short_forms(item) if hers_alone(form)
    ]


def _common_word(form: str) -> bool:
    """A single word everyone says as a word (scrub.common_word: "Hope", her daughter; "Văn", "An"): a name of several
    words is never one."""
    return len(form.split()) == 1 and common_word(form)


def _study_scrubber(study: Study, identities: Sequence[Identity], spans: list[ProposedSpan]) -> Scrubber:
    """Every identifier known for anyone in the study, the parts of listed full names, and every span that spreads
    (see _as_proposed), except a single everyday word ("Hope", one woman's daughter): study-wide it would blank
    "hope" in every other woman's transcripts. Her own scrub still replaces it in hers, where the known layer proposes
    it and a reviewer decides; in another woman's interview the detector has to find it like any name."""
    known = [k for p in study.participant_names() for k in known_identifiers(study, p, identities)]
    # the parts of a listed full name too, as in her own scrub: a journal entry or another woman's interview that
    # names "Okonkwo" alone names her (QA H3: a part in full-width letters no detector layer reads as a name)
    terms = [(form, _replacement(k.label, k.text)) for k in known for form in _parts(k)]
    terms += [(s.text, _replacement(s.label, s.text)) for s in spans]
    return Scrubber((text, r) for text, r in terms if not _common_word(text))


LOGGED = "goes into the audit log and with the file to whoever gets it"


def refuse_named(study: Study, identities: Sequence[Identity], out: Path, what: str, why: str = LOGGED) -> None:
    """Refuse a destination whose path holds anyone's listed identifier, or a part of a listed full name
    ("Maria_Lopez_check.docx", "member_check_Maria", "MemberCheckLopez", "Lopez.Maria"), in any case and Unicode
    form, with _ . - or a change of case or to digits between its words (QA F4): the path is written into the
    audit log, which holds no identifiers, and a file name goes with the file to whoever receives it (``why``: what
    else happens to a path no log holds, a backup's or a kit's: QA Z9). A single
    everyday word ("Hope") is left, as the study-wide scrub leaves it. Asked before anything is written. A path
    holding a control character (a line break, a tab) is refused too: printed, it broke the report's table and the
    terminal's lines (qa28 QD15)."""
    if any(unicodedata.category(c) == "Cc" for c in str(out)):
        raise BadInput(
            f"{printable(str(out))}: the path holds a control character (a line break or a tab); {what} {why}: "
            "choose a name without one"
        )
    terms = {
        form
        for p in study.participant_names()
        for k in known_identifiers(study, p, identities)
        for form in _parts(k) + _distinctive_words(k) + _initialled(k)
    }
    scrub = Scrubber((term, "[x]") for term in terms)
    path = unicodedata.normalize("NFC", _picked(out))
    words = "".join(
        f" {c}" if n and ((path[n - 1].islower() and c.isupper()) or (path[n - 1].isdigit() != c.isdigit())) else c
        for n, c in enumerate(path)
    )  # "MemberCheckMaria2026" -> "Member Check Maria 2026"
    split = re.sub(r"[\W_]+", " ", words)
    # An initial glued to a name, the commonest user-name forms ("mquintanilla", "MQuintanilla", "marisolq"; QA H2).
    initial_first = " ".join(word[1:] if len(word) > 4 else word for word in split.split())
    initial_last = " ".join(word[:-1] if len(word) > 4 else word for word in split.split())
    for form in (path.replace("/", " "), re.sub(r"[/\\_]+", " ", words), split, initial_first, initial_last):
        if scrub(form) != form:
            raise BadInput(
                f"{out}: the path names a participant (a listed identifier or part of a listed name); {what} {why}: "
                "choose a name without it"
            )


def _words(item: KnownIdentifier) -> list[str]:
    """The words of a listed identifier, hyphenated ones split."""
    return [w for w in re.split(r"[\s\-‐‑]+", item.text.strip()) if w]


def _initialled(item: KnownIdentifier) -> list[str]:
    """A listed person's name as a file name gives it: the initial of one of its words glued or set beside another
    word of it ("tbrooks", "t.brooks", "brooks_t" of Tanisha Brooks; qa28 QD1: a surname that is an everyday word,
    "Brooks", "Reed", was no term, so her initial beside it was not one either). With the initial, the word is hers."""
    words = _words(item)
    if item.label != "PERSON" or len(words) < 2:
        return []
    return [
        form
        for first in words
        for other in words
        if other is not first and len(other) > 2
        for form in (f"{first[0]}{other}", f"{other}{first[0]}", f"{first[0]} {other}", f"{other} {first[0]}")
    ]


def _distinctive_words(item: KnownIdentifier) -> list[str]:
    """Each word of a listed name of several words, hyphenated ones split, that is no everyday word: a path naming
    "Okonkwo" of "Zyrafina Okonkwo-Delacroix", "Vorhanek" of "Vorhanek Shelter" or "Buren" of "Van Buren Street"
    names them as well as the whole (QA H2)."""
    words = _words(item)
    return [w for w in words if len(w) > 2 and not _common_word(w)] if len(words) > 1 else []


def _picked(out: Path) -> str:
    """The part of a destination chosen for it: without the researcher's own home folder and login name
    ("/home/maria/", "/media/maria/USB/"), which name her, not a participant, and which no export could avoid."""
    path = out.expanduser().absolute()
    home = Path.home().absolute()
    if path.is_relative_to(home):
        path = path.relative_to(home)
    user = "/"  # no part is "/": a machine with no login name has none to leave out
    with contextlib.suppress(OSError, KeyError):
        user = unicodedata.normalize("NFC", getpass.getuser()).casefold()
    return "/".join(p for p in path.parts if p != path.anchor and unicodedata.normalize("NFC", p).casefold() != user)


def _rejected(doc: Redactions, always: frozenset[str]) -> frozenset[str]:
    """What a reviewer rejected in this transcript: the last scrub leaves those words alone in it, except a listed
    identifier (``always``: QA F16, one keystroke let her full name and handle out in a reviewed export)."""
    return frozenset(key(s.text) for s in doc.spans if s.state == REJECTED) - always


def always_replaced(lists: Iterable[Sequence[KnownIdentifier]]) -> frozenset[str]:
    """The listed identifiers (as key() has them), and the parts of listed full names, that no reviewer's rejection
    lets out: every one but a single everyday word ("Hope", her daughter), where the reviewer must keep "I hope"."""
    return frozenset(key(form) for listed in lists for k in listed for form in _parts(k))


def listed_forms(study: Study, identities: Sequence[Identity]) -> Scrubber:
    """What no rejection lets out of an export, in every form the last scrub finds it in (said in words, with fillers,
    abbreviated, a street without its type word, cut over segments): the identifiers always_replaced holds, over every
    participant's list. Each match's replacement is the listed identifier it is a form of, for the review screen to
    name (QA R3, R4: it took the rejection of "nine one six, um, five five five, ..." and of the pieces of a cut
    number, which every export then replaced anyway)."""
    listed = (k for p in study.participant_names() for k in known_identifiers(study, p, identities))
    return Scrubber((form, k.text.strip()) for k in listed for form in _parts(k))


def listed_in(forms: Scrubber, texts: Sequence[str], where: Sequence[tuple[int, int, int]]) -> str | None:
    """The listed identifier (see listed_forms) that a span lies on, else None. ``texts`` are the segments that
    follow each other from the span's first piece to its last, ``where`` its pieces as (index into texts, start,
    end): read joined, as the export's last scrub reads them."""
    starts = list(itertools.accumulate((len(t) + 1 for t in texts[:-1]), initial=0))
    pieces = [(starts[n] + start, starts[n] + end) for n, start, end in where]
    for start, end, listed in forms.matches(" ".join(texts)):
        if any(start < b and a < end for a, b in pieces):
            return listed
    return None


def _prompts(
    study: Study, chosen: list[_Session], scrub: Callable[[str], str], typed: Callable[[str], str]
) -> dict[str, Prompt]:
    """Prompt codes numbered in the guide's order, whatever an export holds; prompts a session showed
    that the guide no longer has come after, in the order of their text. Those are free text (an older
    guide's, or typed in the editor as "Other…": "Tell me about Hoa's brother"), so they pass the detector too."""
    guide = list(Guide.for_study(study.root).prompts)
    shown = {m.text for s in chosen for m in s.transcript.markers if m.kind == "prompt"}
    texts = guide + sorted(shown - set(guide))
    said = {text: scrub(text) if text in guide else typed(text) for text in texts}
    return {text: Prompt(n, said[text], said[text]) for n, text in enumerate(texts, start=1)}


def _session_numbers(
    study: Study, pseudonym: str, identities: Sequence[Identity], windows: dict[str, KitWindow]
) -> dict[str, tuple[str, str]]:
    """Her sessions numbered 1, 2, ... in the order they were recorded (sessionorder: a kit's wrong clock does not
    renumber them, QA S3), the same in every export, each with what its kind is said to be.

    A session id is the date and time of the interview: a date more specific than a year, which HIPAA
    Safe Harbor removes. Exports name a session by its number instead. A recording resumed after the input was
    lost goes on in a new session that names the first (``continues``): it is a part of that interview, not an
    interview of its own (QA Q12: it went out as an unrelated follow-up), numbered after the first with a letter
    ("3a", "3b") and said to carry it on; so is a file imported to carry on one a recorder split (``split``: QA S12).
    A folder that is no session (``no_session``: an import cut off after making it) is not numbered (QA Z10).
    """
    try:
        index = read_index(study.root)
    except FieldvaultError:
        index = {}  # damaged: check names it; a folder holding her recording or transcript is numbered all the same
    held = (
        p.name for p in layout.participant(study.root, pseudonym).iterdir() if p.is_dir() and not no_session(p, index)
    )
    folders = recorded_order((f for f in held if not f.startswith(".")), windows)
    infos = {f: load_session_info(study, layout.session(study.root, pseudonym, f), identities) for f in folders}
    firsts = [f for f in folders if not (infos[f].continues in infos and infos[f].continues < f)]
    numbers = {first: str(n) for n, first in enumerate(firsts, start=1)}
    parts = {first: [first] for first in firsts}
    for folder in folders:
        if folder not in numbers:
            parts[infos[folder].continues].append(folder)
    said: dict[str, tuple[str, str]] = {}
    for first, interview in parts.items():
        number, label = numbers[first], infos[first].label
        for n, folder in enumerate(interview, start=1):
            if len(interview) == 1:
                said[folder] = (number, label)
            elif n == 1:
                said[folder] = (f"{number}a", f"{label}, part 1 of {len(interview)}")
            else:
                why = (
                    "(the recorder split the recording into files)"
                    if infos[folder].split
                    else "after the input was lost"
                )
                said[folder] = (
                    f"{number}{_letter(n)}",
                    f"{label}, part {n} of {len(interview)}: carries on session {number} {why}",
                )
    return said


def _letter(part: int) -> str:
    return "abcdefghijklmnopqrstuvwxyz"[part - 1] if part <= 26 else f"-{part}"


def _session(
    session: _Session,
    number: str,
    kind: str,
    doc: Redactions,
    placeholders: Placeholders,
    name: str,
    scrub: Chain,
    label: Callable[[str], str],
    prompts: dict[str, Prompt],
    audio: Audio | None,
    always: frozenset[str],
    heard: Callable[[str], str],
    salvaged: Sequence[Gap] = (),
) -> SessionRecord:
    """The session's record; its lines spare what a reviewer rejected in this transcript (QA B9: a word
    replaced elsewhere came back over her "rejected"), never a listed identifier (``always``)."""
    t = session.transcript
    spare = _rejected(session.redactions, always)
    across = scrub.pieces([s.text for s in t.segments], spare)
    segments = redact_segments(t, doc, placeholders, True, lambda text: scrub.matches(text, spare), across)
    texts = scrub.across([scrub(s.text, spare) for s in segments], spare)
    lines = tuple(
        Line(s.start, s.end, label(s.speaker) if s.speaker else None, text)
        for s, text in zip(segments, texts, strict=True)
    )
    if audio is not None:  # what the text replaced is not heard either (QA R12)
        audio = silenced(audio, replaced_times(t.segments, texts, heard))
    marks = tuple(PromptMark(_placed(m.at, t.segments), prompts[m.text]) for m in t.markers if m.kind == "prompt")
    made = f"Transcribed with {t.model.get('name')} ({t.backend}) in {t.created[:4]}"
    provenance = scrub(made + (f"; {salvage_mark(salvaged)}" if salvaged else ""), frozenset())
    return SessionRecord(
        name, number, scrub(kind, frozenset()), session.reviewed, provenance, t.audio_seconds, lines, marks, audio
    )


def _detecting(
    scrub: Chain, known: list[KnownIdentifier], year: int, pseudonyms: Sequence[str] = ()
) -> Callable[[str], str]:
    """For free text no reviewer reads before it leaves (answers typed in, "Other" values, memos, the
    journal): every span the detector proposes is replaced whole, as in an unreviewed transcript, and then the
    scrub runs (QA C16: a caseworker's full name and phone number in "services used"). A span that is all one
    listed identifier keeps the placeholder it has in her transcripts; any other span gets its category, also
    when a listed identifier is part of it (QA E11: "[PERSON] Ochoa" of "Lupita Ochoa"). A participant's
    pseudonym is no identifier ("Met Quin at the mission"): the scrub alone decides it. ``year``: the year a year of
    birth is read against (the session's; for text no session dates, the export's: the text was written by then)."""
    chosen = {key(p) for p in pseudonyms}

    def run(text: str) -> str:
        # Invisible characters (soft hyphens, zero-width spaces) would cut a name the detector then half takes
        # ("[ORG]<SHY>brook", QA J1); typed free text carries nothing in them a coder needs.
        text = latin_look_alikes("".join(c for c in text if unicodedata.category(c) != "Cf"))  # QA J6: "Dеrek"
        spans, last = [], 0
        found = spread_text(text, detect(text, known)) + find_birth_years(text, year)
        for span in sorted(found, key=lambda s: (s.start, -s.end)):
            if span.start >= last and key(span.text) not in chosen:
                known_as = scrub.whole(span.text)
                if known_as and known_as.startswith("[PERSON") and span.label != "PERSON":
                    known_as = None  # a listed "Lodi" the words make a place here ("in Lodi"), as in her transcripts
                spans.append((span.start, span.end, known_as or _replacement(span.label, span.text)))
                last = span.end
        out, last = "", 0
        for start, end, replacement in absorbed(spans, scrub.matches(text), text):
            out, last = out + text[last:start] + replacement, end
        return scrub(out + text[last:])

    return run


def _labels(scrub: Chain, known: list[KnownIdentifier], pseudonym: str, name: str, year: int) -> Callable[[str], str]:
    """A speaker label as it leaves: a role (Interviewer, Participant, Speaker N) as it is, her pseudonym as the
    name exports give her, any other label through the free-text scrub (QA E5: "Hoa Nguyen", typed in the
    editor, went out on each of her lines in every format) and then without its name words. Two different
    labels that scrub alike stay apart ("[PERSON]", "[PERSON] (2)"): one stand-in would join two speakers'
    turns into one."""
    typed = _detecting(scrub, known, year)
    done: dict[str, str] = {}  # key() of a label -> how it leaves
    seen: dict[str, int] = {}  # how a scrubbed label leaves -> how many different labels scrubbed to it

    def label(speaker: str) -> str:
        if is_role(speaker) or is_placeholder(speaker):
            return speaker
        if is_own(speaker, pseudonym):
            return name
        folded = key(speaker)
        if folded not in done:
            out = "".join(piece if kept else _unnamed(typed(piece)) for piece, kept in pieces(speaker))
            if out != speaker:
                seen[out] = seen.get(out, 0) + 1
                out = out if seen[out] == 1 else f"{out} ({seen[out]})"
            done[folded] = out
        return done[folded]

    return label


def _unnamed(label: str) -> str:
    """A label's name words that no layer took (a first name, a word no dictionary holds: "Dre", "Mama T") as
    [PERSON], the stand-ins the scrub put in it left alone."""
    inside = [(m.start(), m.end()) for m in re.finditer(r"\[[^\]]*\]", label)]
    for word in reversed(name_words(label)):
        if not any(s <= word.start < e for s, e in inside):
            label = label[: word.start] + "[PERSON]" + label[word.end :]
    return label


def _everyone(lists: dict[str, list[KnownIdentifier]], pseudonym: str | None) -> list[KnownIdentifier]:
    """What the detector is given for free text and speaker labels: every form of every listed identifier (her
    own, and every other participant's but a single everyday word, as in the study scrub: QA B26)."""
    return [k for p, listed in lists.items() for k in listed if p == pseudonym or not _common_word(k.text)]


def _placed(at: float, segments: Sequence[Segment]) -> float:
    """Where a prompt goes: a question already under way when its prompt was shown (the interviewer started
    speaking, then pressed the key) belongs to it, so the mark moves to the question's start. Her answer under
    way does not move it (QA C20: an interviewer who starts over the end of an answer and presses the key put
    the prompt above that answer): where the interviewer is known, only the interviewer's segment counts."""
    known = any(s.speaker == INTERVIEWER for s in segments)
    asking = [s.start for s in segments if s.start < at < s.end and (not known or s.speaker in (INTERVIEWER, None))]
    return min([at, *asking])


def _answers_lost(study: Study, pseudonym: str) -> list[str]:
    """What to say where her profile (her answers, her consent record) was deleted since the study key vouched for it
    (QA W2: her case variables left the export without a word); a withdrawal that destroyed it says nothing here."""
    relative = f"{layout.PARTICIPANTS}/{pseudonym}/{layout.PROFILE}"
    if relative not in deleted(study, (layout.PROFILE,)):
        return []
    return [
        f"exported without her answers (questionnaire, consent record): {relative} {DELETED} (by hand?); "
        f"`{command('check', study.root)}` names the command that restores it from the last backup"
    ]


# Safe Harbor also takes "all elements indicative of such age": where her age is over 89, her other numbers (years
# involved, years out) would add up to it with her age at entry, so they go out withheld.
WITHHELD_OVER_89 = f"withheld (age {OVER_89})"


def _an_age(field: Field) -> bool:
    """An integer question about an age ("age", "age_at_entry", a label that starts with "Age"): HIPAA Safe Harbor
    counts an age over 89 as an identifier, and in a study of a few dozen women one of 93 is one person (QA Z3)."""
    name = field.name.casefold()
    return field.type == "integer" and (
        name == "age" or name.startswith("age_") or field.label.casefold().split()[:1] == ["age"]
    )


def _answers(
    study: Study,
    identities: Sequence[Identity],
    pseudonym: str,
    scrub: Chain,
    known: list[KnownIdentifier],
    free: Chain,
) -> tuple[Answer, ...]:
    """Her questionnaire answers; a value that is not one of its field's choices (free text, an "Other") also
    passes the detector, and ``free`` (``scrub`` and every list's everyday-word names: QA AA6) instead of ``scrub``."""
    if not (layout.participant(study.root, pseudonym) / layout.PROFILE).exists():
        return ()
    fields = Questionnaire.for_study(study.root).fields
    choices = {f.name: set(f.choices) for f in fields}
    ages = {f.name for f in fields if _an_age(f)}
    typed = _detecting(free, known, study.clock().year)
    given = load_profile(study, pseudonym, identities).answers
    over_89 = any(isinstance(v, int) and not isinstance(v, bool) and v > 89 for v in map(given.get, ages))
    answers = []
    for field, value in sorted(given.items()):
        if value is None or field not in choices:  # a question the study never asks (a kit's changed: QA K14 B)
            continue
        if isinstance(value, int) and not isinstance(value, bool):
            if field in ages:
                answers.append(Answer(field, OVER_89 if value > 89 else value))
            else:  # qa25 QA14: years involved + years out + age at entry added up to her age of 92
                answers.append(Answer(field, WITHHELD_OVER_89 if over_89 else value))
        else:
            values = [str(v) for v in (value if isinstance(value, list) else [value])]
            chosen = choices.get(field, set())
            answers.append(Answer(field, "; ".join(scrub(v) if v in chosen else typed(v) for v in values)))
    return tuple(answers)


def public_names(study: Study, identities: Sequence[Identity]) -> dict[str, str]:
    """Every participant's name as every export and the IRB report give it, by one rule for all of them (QA Q6: an
    accepted span made her "Participant-2015e1" in a txt export but left "Rose" in the sample table and the report,
    so coders could not join her answers to her transcript): her pseudonym, unless it matches an identifier on any
    list (the scrub finds one in it, or it is one by the name rule, an everyday word too: QA D30) or a span a
    reviewer accepted in any transcript of the study. Then a neutral stand-in made from her random participant id,
    the same in every export and report, whoever is added later (QA C27). Which sessions an export selects, and
    whether unreviewed ones are in, change nothing. A woman who withdrew keeping her de-identified transcripts keeps
    the name they were kept under (her lists and id are destroyed)."""
    study_scrub = _study_scrubber(study, identities, [])
    listed = _listed(study, identities)
    accepted = Scrubber((text, "[x]") for text in _accepted_anywhere(study, identities))
    shown = {}
    for pseudonym in study.participant_names():
        kept = _kept_as(study, pseudonym, identities)
        if kept is not None:
            shown[pseudonym] = kept
            continue
        own = Scrubber((k.text, "[x]") for k in known_identifiers(study, pseudonym, identities))
        scrubbed = accepted(study_scrub(own(pseudonym)))
        named = scrubbed != pseudonym or find_same(pseudonym, listed) is not None
        shown[pseudonym] = _stand_in(study, pseudonym) if named else pseudonym
    return shown


def _stand_in(study: Study, pseudonym: str) -> str:
    own = participant_id(layout.participant(study.root, pseudonym))
    tag = hashlib.sha256(own.encode()).hexdigest()[:6] if own else str(study.participant_names().index(pseudonym) + 1)
    return f"Participant-{tag}"


def _accepted_anywhere(study: Study, identities: Sequence[Identity]) -> list[str]:
    """The text of every span a reviewer accepted, in any stored redactions of any session of the study."""
    found = []
    for pseudonym in study.participant_names():
        for folder in sorted(layout.participant(study.root, pseudonym).iterdir()):
            if (stored := _stored(study, pseudonym, folder, identities)) is not None:
                found += [span.text for span in stored.spans if span.state == ACCEPTED]
    return found


def _kept_as(study: Study, pseudonym: str, identities: Sequence[Identity]) -> str | None:
    folder = layout.participant(study.root, pseudonym)
    if (folder / layout.PROFILE).is_file() or (folder / layout.IDENTIFIERS).is_file():
        return None
    for transcript in sorted(folder.glob(f"*/{layout.TRANSCRIPT}")):
        shown = read_transcript(study, transcript, identities).extra.get(KEPT_AS)
        if isinstance(shown, str):
            return shown
    return None


def _listed(study: Study, identities: Sequence[Identity]) -> list[str]:
    """Every identifier on every participant's list."""
    return [k.text for p in study.participant_names() for k in known_identifiers(study, p, identities)]


def _memos(
    study: Study, identities: Sequence[Identity], folder: Path, title: str, scrub: Chain, known: list[KnownIdentifier]
) -> list[Memo]:
    """Her session's field notes and notes while recording; ``scrub`` holds every list's everyday-word names too
    (``_everyday_names``: "Faith is nine now" in a field note of another woman's session went out: QA AA6)."""
    typed = _detecting(scrub, known, study.clock().year, study.participant_names())
    found = [
        Memo(scrub(f"Field notes {n.number} · {title}"), typed(n.text))
        for n in memos.field_notes(study, folder, identities)
    ]
    timed = memos.recording_notes(study, folder, identities)
    if timed:
        text = "\n".join(
            f"[{clock(n.at, digits=0)}] " + (n.text if n.kind == "note" else f"(break) {n.text}") for n in timed
        )
        found.append(Memo(scrub(f"Notes while recording · {title}"), typed(text)))
    return found


def _everyday_names(lists: dict[str, list[KnownIdentifier]]) -> Scrubber:
    """Every list's names that are a single everyday word ("Faith", "Hope", her daughter), for the journal, field notes
    and typed answers: the study scrub leaves them to spare other women's transcripts, but those are free text no
    reviewer reads, and "Rose told me Faith is nine now" went out (QA Z8, AA6). "I hope" there reads "I [PERSON]":
    what the text loses is less than what such a name would tell."""
    return Scrubber(
        (k.text, _replacement(k.label, k.text)) for listed in lists.values() for k in listed if _common_word(k.text)
    )


def _journal(study: Study, identities: Sequence[Identity], scrub: Chain, known: list[KnownIdentifier]) -> list[Memo]:
    """The journal's entries numbered in the order written, undated: an entry's name and time are the day it was
    written, often her interview day, beside what it says of her by pseudonym (QA Z12), a date more specific than a
    year, which HIPAA Safe Harbor removes (``_session_numbers``, field notes in ``_memos``)."""
    typed = _detecting(scrub, known, study.clock().year, study.participant_names())
    entries = journal.list_entries(study, identities)
    return [Memo(f"Journal entry {n}", typed(e.text)) for n, e in enumerate(entries, start=1)]


def build(
    study: Study,
    identities: Sequence[Identity],
    request: Request,
    wanted: Wanted = Wanted(),
    unreviewed: str = UNREVIEWED,
) -> Gated:
    """The de-identified records of the sessions a request selects (``unreviewed``: how the user asks for the
    unreviewed ones too, named where none was reviewed)."""
    # QA K6: an older backup restored brings a withdrawn woman back; said before anything else (her sessions read as
    # unreviewed after the older log's acceptance, and "review them first" would send the PI to review them)
    refuse_withdrawn_here(study)
    chosen, told = _chosen(study, identities, request, unreviewed)
    for pseudonym in sorted({s.pseudonym for s in chosen}):
        refuse_names_lost(study, pseudonym, identities)  # QA V20: names she gave, not at hand
    # QA K5: a second copy of one imported recording would be exported as the second woman's words
    audiofile.refuse_imported_twice(
        study, [layout.session(study.root, s.pseudonym, s.transcript.session) for s in chosen], identities
    )
    proposed = {id(s): _as_proposed(s) for s in chosen}
    docs = {key: doc for key, (doc, _, _) in proposed.items()}
    spreading = {key: spread for key, (_, spread, _) in proposed.items()}
    study_scrub = _study_scrubber(study, identities, [span for spread in spreading.values() for span in spread])
    records: list[SessionRecord] = []
    origins: list[tuple[str, str]] = []
    destroyed = _audio_destroyed(study) if wanted.audio else {}
    people: list[ParticipantRecord] = []
    _refuse_missing_lists(study)
    lists = {p: known_identifiers(study, p, identities) for p in study.participant_names()}
    everyday = _everyday_names(lists)
    always = always_replaced(lists.values())
    journal_known = _everyone(lists, None)
    year = study.clock().year
    prompts = _prompts(study, chosen, study_scrub, _detecting(Chain(study_scrub), journal_known, year))
    # The reflexive journal is about the whole study (other women, the researcher's reflections): never in an
    # export of chosen participants, which is member checking: it goes to her (QA D27).
    notes = (
        _journal(study, identities, Chain(study_scrub, everyday), journal_known)
        if wanted.memos and not request.participants
        else []
    )
    shown = public_names(study, identities)
    windows = kit_windows(study)
    for pseudonym in sorted({s.pseudonym for s in chosen}):
        mine = [s for s in chosen if s.pseudonym == pseudonym]
        placeholders = _placeholders(study, identities, pseudonym, [docs[id(s)] for s in mine])
        if on_backup(study) and placeholders.numbers != kept_numbers(study, pseudonym, identities):
            told.append((pseudonym, "", UNKEPT))
        known = lists[pseudonym]
        typed_known = _everyone(lists, pseudonym)
        own = _participant_scrubber(known, [x for s in mine for x in spreading[id(s)]], placeholders)
        scrub = Chain(own, study_scrub)
        free = Chain(own, study_scrub, everyday)

        name = shown[pseudonym]
        label = _labels(scrub, typed_known, pseudonym, name, year)
        numbers = _session_numbers(study, pseudonym, identities, windows)
        for s in mine:
            folder = layout.session(study.root, pseudonym, s.transcript.session)
            audio = None
            if wanted.audio and (s.pseudonym, s.transcript.session) in destroyed:
                told.append((pseudonym, s.transcript.session, destroyed[(s.pseudonym, s.transcript.session)]))
            elif wanted.audio and "withdrawn" in s.transcript.extra:  # QA R14: every --with-audio export failed
                told.append((pseudonym, s.transcript.session, WITHDRAWN_AUDIO))
            elif wanted.audio:
                audio = _audio(study, identities, folder)
            cued = proposed[id(s)][2]
            names = Scrubber(
                ((c.text, placeholders.by_entity.get(c.entity, "[PERSON]")) for c in cued), names_only=True
            )
            in_session = Chain(names, own, study_scrub)

            number, kind = numbers[s.transcript.session]
            if note := _not_english(s.transcript):
                told.append((pseudonym, s.transcript.session, note))
            lost = _salvaged(study, s.transcript, identities)
            if lost:
                told.append((pseudonym, s.transcript.session, salvage_note(lost)))
            records.append(
                _session(
                    s,
                    number,
                    kind,
                    docs[id(s)],
                    placeholders,
                    name,
                    in_session,
                    label,
                    prompts,
                    audio,
                    always,
                    _detecting(in_session, typed_known, session_year(s.transcript) or year),
                    lost,
                )
            )
            origins.append((pseudonym, s.transcript.session))
            if wanted.memos:
                notes += _memos(study, identities, folder, records[-1].title, free, typed_known)
        told += [(pseudonym, "", said) for said in _answers_lost(study, pseudonym)]
        people.append(ParticipantRecord(name, _answers(study, identities, pseudonym, scrub, typed_known, free)))
    unchecked = sum(len(leftovers(s.transcript, s.redactions)) for s in chosen)
    bundle = Bundle(tuple(records), tuple(people), tuple(prompts.values()), tuple(notes))
    return Gated(bundle, tuple(origins), unchecked, tuple(told))


def sample_table(study: Study, identities: Sequence[Identity], request: Request) -> Gated:
    """The sample table (`--format demographics`): one row per participant asked for, with her answers, whether she
    has a transcript or not, reviewed or not (QA H13: a woman with no reviewed transcript had no row). Her answers
    pass the scrub an export of her sessions gives them: her list, the spans that spread from the transcripts the
    request selects (reviewed ones; unreviewed ones too when asked), every list of the study, and the detector."""
    if request.sample is not None:
        raise BadInput("a sample picks sessions; the sample table has one row per participant: leave the sample out")
    people = sorted({participant_folder(study, p).name for p in request.participants} or study.participant_names())
    if not people:
        raise BadInput("nothing to export: the study has no participants yet; add them first")
    # QA J15: a woman who withdrew keeping her de-identified transcripts has no answers any more: no row, said so
    gone = [p for p in people if not (layout.participant(study.root, p) / layout.PROFILE).is_file()]
    lost = {p: said for p in gone for said in _answers_lost(study, p)}  # QA W2: deleted, not withdrawn
    withdrawn = [p for p in gone if p not in lost]
    people = [p for p in people if p not in gone]
    if not people:
        raise BadInput(
            f"{', '.join(withdrawn)} withdrew (her answers were destroyed, de-identified transcripts kept): the sample "
            "table has no row for her"
        )
    for pseudonym in people:
        refuse_names_lost(study, pseudonym, identities)  # QA V20: names she gave, not at hand
    loaded, told = _loaded(study, identities, request)
    proposed = {id(s): (s, _as_proposed(s)) for s in loaded if s is not None}
    study_scrub = _study_scrubber(study, identities, [x for _, (_, spread, _) in proposed.values() for x in spread])
    _refuse_missing_lists(study)
    refuse_withdrawn_here(study)  # QA K6: an older backup restored brings a withdrawn woman back
    lists = {p: known_identifiers(study, p, identities) for p in study.participant_names()}
    everyday = _everyday_names(lists)
    shown = public_names(study, identities)
    rows = []
    for pseudonym in people:
        mine = [made for session, made in proposed.values() if session.pseudonym == pseudonym]
        placeholders = _placeholders(study, identities, pseudonym, [doc for doc, _, _ in mine])
        own = _participant_scrubber(lists[pseudonym], [x for _, spread, _ in mine for x in spread], placeholders)
        free = Chain(own, study_scrub, everyday)
        answers = _answers(study, identities, pseudonym, Chain(own, study_scrub), _everyone(lists, pseudonym), free)
        rows.append(ParticipantRecord(shown[pseudonym], answers))
    said = (
        tuple(
            (p, "", "withdrew: her answers were destroyed, so the sample table has no row for her") for p in withdrawn
        )
        + tuple((p, "", f"no row for her: {why}") for p, why in lost.items())
        + tuple(told)
    )  # their spans scrub no answer: named, as in every export (QA V17, W6)
    return Gated(Bundle((), tuple(rows), ()), (), notes=said, people=tuple(people))


def _refuse_missing_lists(study: Study) -> None:
    """Every export is scrubbed with every participant's list: one deleted (by hand, a partial restore) let the names
    on it out of every other woman's words, without a word (QA J11). A participant with a profile or an id and no list
    is refused in one line."""
    for name in study.participant_names():
        folder = layout.participant(study.root, name)
        made = (folder / layout.PROFILE).is_file() or (folder / layout.PARTICIPANT_ID).is_file()  # QA K1: add cut off
        if made and not (folder / layout.IDENTIFIERS).is_file():
            raise BadInput(
                f"{folder.relative_to(study.root)} has no list of names she may mention (deleted, or a partial "
                "restore?), and every export is scrubbed with every list: "
                f"{missing_list_fix(study, name)}, then export again"
            )


def _not_english(transcript: Transcript) -> str | None:
    """What to say of a transcript in another language (QA R7: a Spanish interview went out as "Me [ORG] [PERSON 1],
    mi [ORG] ..."): detection there runs only the layers that read no English words (redact.foreign)."""
    return not_english_note(transcript.settings.get("language"))


def _placeholders(
    study: Study, identities: Sequence[Identity], pseudonym: str, chosen: Sequence[Redactions]
) -> Placeholders:
    """Her placeholders, numbered over all her transcripts, whichever of them the export selects: the decisions
    stored for the sessions it leaves out count as well (QA R6: a second coder's --sample, or an export before an
    earlier session was reviewed, called Marisol "[PERSON 1]" where the full export called another woman's friend
    so; the coders compare the same sessions), and a person keeps the number an earlier export gave her, kept with
    her data (export.placeholders: unreviewed sessions added, or review going on, renumbered them)."""
    taken = {doc.session for doc in chosen}
    rest = [
        stored
        for folder in sorted(layout.participant(study.root, pseudonym).iterdir())
        if folder.name not in taken and (stored := _stored(study, pseudonym, folder, identities)) is not None
    ]
    _refuse_substitutes(study, identities, pseudonym, [*chosen, *rest])
    return numbered(study, identities, pseudonym, [*chosen, *rest])


def _refuse_substitutes(
    study: Study, identities: Sequence[Identity], pseudonym: str, docs: Sequence[Redactions]
) -> None:
    """A substitute name goes out in place of every mention of a person, in her transcripts, answers and notes; one
    stored before the review screen refused it, or written into a redactions file by hand, is checked here by the
    screen's rule (participants.why_not_substitute): one like a listed name would put that name out, another woman's
    pseudonym would merge two women (qa25 QA12). Refused in one line naming the session and the substitute, before
    anything is written."""
    used = sorted({(doc.session, s.substitute) for doc in docs for s in doc.spans if s.substitute})
    if not used:
        return
    listed = every_listed_name(study, identities)
    for session, substitute in used:
        spans = [s for doc in docs if doc.session == session for s in doc.spans if s.state != REJECTED]
        said = [s.text for s in spans if s.substitute == substitute]
        others = [s.text for s in spans if s.substitute != substitute]
        if why := why_not_substitute(substitute, listed, study.participant_names(), said, others):
            raise RefusedSubstitute(
                f"{pseudonym}/{session}: the substitute name {substitute!r} {why}, and a substitute is printed in "
                f"every export: open that session's review (`{command('open', study.root)}`, v), select that "
                "person and press s to give another (or Ctrl+D there to clear it: exports then print her "
                "placeholder), then export again"
            )


WITHDRAWN_AUDIO = "exported without its audio: she withdrew, keeping only her de-identified transcript"


def _audio_destroyed(study: Study) -> dict[tuple[str, str], str]:
    """(pseudonym, session) -> a note, for each recording the retention policy destroyed (the audit log says so):
    an export with audio goes on without it and says so (QA J7), where a recording missing for no recorded reason
    is still refused."""
    found = {}
    for entry in study.audit.readable()[0]:
        details = entry.get("details")
        if (
            entry.get("action") == "retention.destroy"
            and isinstance(details, dict)
            and details.get("file") == layout.AUDIO
        ):
            when = str(entry.get("time", ""))[:10]
            note = f"exported without its audio: the retention policy destroyed the recording on {when}"
            found[(str(details.get("pseudonym")), str(details.get("session")))] = note
    for folder, when in recordings_lost(study).items():  # QA W13: no backup held it
        _, pseudonym, session = folder.split("/")
        found[(pseudonym, session)] = f"exported without its audio: the recording was recorded lost {when}"
    return found


def _salvaged(study: Study, transcript: Transcript, identities: Sequence[Identity]) -> list[Gap]:
    try:
        return salvaged_after(study, transcript, identities)
    except FieldvaultError:  # a damaged timeline: `check` names it; the transcript still exports
        return []
