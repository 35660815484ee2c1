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


def sessions(study: Study, request: Request) -> list[tuple[str, str]]:
    """Every (pseudonym, session) with a transcript among the participants asked for."""
    # each as stored, found by the name rule: an NFD or look-alike --participant finds her (QA C14)
    # each once: "--participant rose --participant Rose" exported her sessions twice, and the second copy stopped
    # the export half written (QA Q8)
    people = list(dict.fromkeys(participant_folder(study, p).name for p in request.participants))
    people = people or study.participant_names()
    if request.sample is not None and not 0 < request.sample <= 1:
        raise BadInput("--sample is a fraction between 0 and 1, e.g. 0.3 for a second coder's 30%")
    # a transcript or redactions file gone unrecorded read as never transcribed, never reviewed (QA U5)
    sessionvouch.refuse_deleted(study, *(f"{layout.PARTICIPANTS}/{person}/" for person in people))
    return [(p, f.parent.name) for p in people for f in layout.transcripts(study.root, p)]


def sample(eligible: list[tuple[str, str]], request: Request) -> list[tuple[str, str]]:
    """A reproducible subset of the sessions that may be exported (a second coder's ~30 %)."""
    if request.sample is None or not eligible:
        return eligible
    count = min(max(1, math.ceil(request.sample * len(eligible))), len(eligible))
    return sorted(random.Random(request.seed).sample(sorted(eligible), count))  # noqa: S311 - not a secret
