"""Which sessions an export holds, and their de-identified text.

Reviewed transcripts only unless asked otherwise; a reproducible random sample for a second coder;
one participant's transcripts for member checking. Placeholders are consistent per participant.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass

from fieldvault import layout
from fieldvault.agefile import Identity
from fieldvault.errors import BadInput
from fieldvault.layout import REDACTIONS, TRANSCRIPT
from fieldvault.participants import KnownIdentifier, Profile, known_identifiers, load_profile
from fieldvault.redact.replace import Placeholders, category, redact_segments
from fieldvault.redact.review import Redactions, load, transcript_digest
from fieldvault.study import Study
from fieldvault.transcript import Marker, Segment, Transcript


@dataclass(frozen=True)
class ExportItem:
    pseudonym: str
    session: str
    transcript: Transcript  # metadata only is used; text comes from segments below
    segments: tuple[Segment, ...]  # redacted
    markers: tuple[Marker, ...]  # prompt markers only: free-text notes may hold names and are never exported
    reviewed: bool
    profile: Profile | None


@dataclass(frozen=True)
class Request:
    participants: tuple[str, ...] = ()
    include_unreviewed: bool = False
    sample: float | None = None
    seed: int = 0


def scrub(text: str, known: Sequence[KnownIdentifier]) -> str:
    """The last guard: no known identifier leaves in any byte, whatever the review decided."""
    for item in sorted(known, key=lambda k: -len(k.text)):
        if len(item.text.strip()) >= 2:
            pattern = re.compile(rf"\b{re.escape(item.text.strip())}(?:['’]s|s)?\b", re.IGNORECASE)
            text = pattern.sub("[PERSON]" if item.label == "PERSON" else category(item.label, item.text), text)
    return text


def _sessions(study: Study, request: Request) -> list[tuple[str, str]]:
    people = list(request.participants) or study.participant_names()
    for person in people:
        if not layout.participant(study.root, person).is_dir():
            raise BadInput(f"no participant {person!r} in this study")
    found = [
        (p, f.parent.name) for p in people for f in sorted(layout.participant(study.root, p).glob(f"*/{TRANSCRIPT}"))
    ]
    if request.sample is not None and not 0 < request.sample <= 1:
        raise BadInput("--sample is a fraction between 0 and 1, e.g. 0.3 for a second coder's 30%")
    return found


def _sample(eligible: list[tuple[str, str]], request: Request) -> list[tuple[str, str]]:
    """A reproducible subset of the sessions that may be exported (a second coder's ~30 %)."""
    if request.sample is None or not eligible:
        return eligible
    count = min(max(1, math.ceil(request.sample * len(eligible))), len(eligible))
    return sorted(random.Random(request.seed).sample(sorted(eligible), count))  # noqa: S311 - not a secret


def select(study: Study, identities: Sequence[Identity], request: Request) -> list[ExportItem]:
    chosen = _sessions(study, request)
    items: list[ExportItem] = []
    skipped = []
    by_person: dict[str, list[tuple[str, Transcript, Redactions]]] = {}
    for pseudonym, session in chosen:
        folder = layout.session(study.root, pseudonym, session)
        transcript = Transcript.from_json(study.read(folder / TRANSCRIPT, identities))
        if (folder / REDACTIONS).exists():
            redactions = load(study, pseudonym, session, identities)
        else:
            redactions = Redactions(pseudonym, session, transcript_digest(transcript))
        if not (folder / REDACTIONS).exists() or not redactions.reviewed:
            if not request.include_unreviewed:
                skipped.append(f"{pseudonym}/{session}")
                continue
        by_person.setdefault(pseudonym, []).append((session, transcript, redactions))
    keep = set(_sample([(p, s) for p, sessions in by_person.items() for s, _, _ in sessions], request))
    by_person = {p: [x for x in sessions if (p, x[0]) in keep] for p, sessions in by_person.items()}
    by_person = {p: sessions for p, sessions in by_person.items() if sessions}
    if not by_person:
        hint = "; review them first, or add --include-unreviewed" if skipped else ""
        raise BadInput(f"nothing to export: no transcript matches (unreviewed: {len(skipped)}){hint}")
    for pseudonym, sessions in sorted(by_person.items()):
        known = known_identifiers(study, pseudonym, identities)
        profile_path = layout.participant(study.root, pseudonym) / layout.PROFILE
        profile = load_profile(study, pseudonym, identities) if profile_path.exists() else None
        placeholders = Placeholders.build([r for _, _, r in sessions])
        for session, transcript, redactions in sessions:
            segments = redact_segments(transcript, redactions, placeholders, include_undecided=True)
            segments = [Segment(s.start, s.end, scrub(s.text, known), s.speaker, ()) for s in segments]
            markers = tuple(m for m in transcript.markers if m.kind == "prompt")
            has_file = (layout.session(study.root, pseudonym, session) / REDACTIONS).exists()
            items.append(
                ExportItem(
                    pseudonym, session, transcript, tuple(segments), markers, redactions.reviewed and has_file, profile
                )
            )
    return items
