"""A session's transcript stored as fieldvault stores it (`transcribe --force`): the file, and the entry recording it,
which vouches for it (QA T11). One rewritten by hand after the study key vouched for another is refused, as an older
copy put back would be."""

from __future__ import annotations

from fieldvault import layout, sessionvouch
from fieldvault.study import Study
from fieldvault.transcript import Transcript


def store_transcript(study: Study, transcript: Transcript) -> None:
    path = layout.session(study.root, transcript.pseudonym, transcript.session) / layout.TRANSCRIPT
    data = transcript.to_json()
    study.replace(path, data)
    study.audit.append_vouching(
        "transcribe", sessionvouch.payload(study, path, data), pseudonym=transcript.pseudonym,
        session=transcript.session, model=transcript.model.get("name", ""), backend=transcript.backend,
        seconds=transcript.audio_seconds,
    )  # fmt: skip
