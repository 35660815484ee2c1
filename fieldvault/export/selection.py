"""Which sessions an export holds: reviewed ones unless asked otherwise; a reproducible random sample
for a second coder; one participant's sessions for member checking."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from fieldvault import layout, sessionvouch
from fieldvault.errors import BadInput
from fieldvault.participants import participant_folder
from fieldvault.study import Study


@dataclass(frozen=True)
class Request:
    participants: tuple[str, ...] = ()
    include_unreviewed: bool = False
    sample: float | None = None
    seed: int = 0


def _people(study: Study, request: Request) -> list[str]:
    # each as stored, found by the name rule: an NFD or look-alike --participant finds her (QA C14)
    # each once: "--participant rose --participant Rose" exported her sessions twice, and the second copy stopped
    # the export half written (QA Q8)
    people = list(dict.fromkeys(participant_folder(study, p).name for p in request.participants))
    return people or study.participant_names()


def sessions(study: Study, request: Request) -> list[tuple[str, str]]:
    """Every (pseudonym, session) with a transcript among the participants asked for, but those ``left_out``."""
    people = _people(study, request)
    if request.sample is not None and not 0 < request.sample <= 1:
        raise BadInput("--sample is a fraction between 0 and 1, e.g. 0.3 for a second coder's 30%")
    lost = {(p, s) for p, s, _ in left_out(study, request)}
    return [
        (p, f.parent.name) for p in people for f in layout.transcripts(study.root, p) if (p, f.parent.name) not in lost
    ]


def left_out(study: Study, request: Request) -> list[tuple[str, str, str]]:
    """(pseudonym, session, why) of each session asked for whose transcript or redactions file the study key vouched
    for was deleted since (QA U5: read as never transcribed or never reviewed, an unreviewed export proposed afresh and
    let out the names the reviewer had marked by hand): left out, named, while the other sessions go (QA V17: one
    session stopped the whole study's export)."""
    people = _people(study, request)
    found: dict[tuple[str, str], str] = {}
    for relative in sessionvouch.deleted_within(study, *(f"{layout.PARTICIPANTS}/{p}/" for p in people)):
        _, pseudonym, session, _ = relative.split("/")
        found.setdefault((pseudonym, session), f"left out: {sessionvouch.deleted_said(study, relative)}")
    return [(p, s, why) for (p, s), why in sorted(found.items())]


def sample(eligible: list[tuple[str, str]], request: Request) -> list[tuple[str, str]]:
    """A reproducible subset of the sessions that may be exported (a second coder's ~30 %)."""
    if request.sample is None or not eligible:
        return eligible
    count = min(max(1, math.ceil(request.sample * len(eligible))), len(eligible))
    return sorted(random.Random(request.seed).sample(sorted(eligible), count))  # noqa: S311 - not a secret
