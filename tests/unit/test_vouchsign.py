"""The study's vouch key (fieldvault.vouchsign): its pin line is a comment age skips, an older study's vouched files
are signed at the first unlock, and a transcriber's key with the pin checks the signatures (QA T17)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from fieldvault.agefile import X25519Identity, parse_identity_file
from fieldvault.errors import BadStudyFile
from fieldvault.participants import IdentifierList, known_identifiers, read_profile
from fieldvault.study import Study
from fieldvault.vouchsign import SIGNED, pin_line, pins, signatures
from tests.conftest import PASSPHRASE, need
from tests.stewardship import ROSA, add_person

LIST = "participants/Rosa/identifiers.json.age"


def with_transcriber(study: Study) -> X25519Identity:
    keys = study.unlock(PASSPHRASE.encode())
    reader = X25519Identity.generate()
    study.add_recipient(str(reader.recipient()), "transcriber", keys)
    return reader


def transcribers_view(study: Study, reader: X25519Identity, pinned: str) -> Study:
    """The study as a transcriber's command opens it, with their identity file (and its pin line, if any)."""
    opened = Study.open(study.root)
    opened.use_identity_file(f"# created: 2026-11-27T10:00:00+00:00\n{reader}\n{pinned}")
    return opened


def test_the_pin_line_is_a_comment_to_age_and_names_the_study(study: Study, tmp_path: Path) -> None:
    keys = study.unlock(PASSPHRASE.encode())
    line = pin_line(study, keys[0])
    text = f"{keys[0]}\n{line}\n"
    assert parse_identity_file(text) == keys
    found = pins(text)
    assert list(found) == [study.config.recipients[0].key] and len(found[study.config.recipients[0].key]) == 32
    assert pins(text.replace(line[-10:], "!" * 10)) == {}  # a mangled key pins nothing
    identity = tmp_path / "key.txt"
    identity.write_text(text)
    sealed = tmp_path / "x.age"
    subprocess.run([need("age"), "-r", study.config.recipients[0].key, "-o", str(sealed)], input=b"hi", check=True)
    opened = subprocess.run([need("age"), "-d", "-i", str(identity), str(sealed)], capture_output=True, check=True)
    assert opened.stdout == b"hi"


def test_files_vouched_before_signatures_are_signed_at_the_first_unlock(study: Study) -> None:
    reader = with_transcriber(study)
    study.audit.use_signer(lambda seq, prev, payloads: {})  # what an entry of the release before wrote: no signature
    add_person(study, ROSA)
    assert not any(signatures(e) for e in study.audit.entries())
    line = pin_line(study, study.unlock(PASSPHRASE.encode())[0])  # this unlock signs them
    signed = [e for e in study.audit.entries() if e["action"] == SIGNED]
    assert len(signed) == 1 and signed[0]["details"]["count"] == 2 and set(signatures(signed[0])) == {
        LIST, "participants/Rosa/profile.json.age"}  # fmt: skip
    Study.open(study.root).unlock(PASSPHRASE.encode())
    assert len([e for e in study.audit.entries() if e["action"] == SIGNED]) == 1  # once
    view = transcribers_view(study, reader, line)
    assert [k.text for k in known_identifiers(view, "Rosa", [reader])][:1] == [ROSA.identifiers[0]]
    read_profile(view, Path("participants/Rosa/profile.json.age"), [reader])


def test_a_list_replaced_before_the_first_unlock_is_not_signed_and_a_pinned_key_refuses_it(study: Study) -> None:
    reader = with_transcriber(study)
    study.audit.use_signer(lambda seq, prev, payloads: {})
    add_person(study, ROSA)
    ident = (study.root / "participants" / "Rosa" / "participant.id").read_text().strip()
    Study.open(study.root).replace(LIST, IdentifierList((), pseudonym="Rosa", participant_id=ident).to_json())
    line = pin_line(study, study.unlock(PASSPHRASE.encode())[0])
    signed = [e for e in study.audit.entries() if e["action"] == SIGNED]
    assert [set(signatures(e)) for e in signed] == [{"participants/Rosa/profile.json.age"}]  # the list is not
    with pytest.raises(BadStudyFile, match="is signed by no entry of the study key"):
        known_identifiers(transcribers_view(study, reader, line), "Rosa", [reader])
    with pytest.raises(BadStudyFile, match="replaced since the study key sealed it"):
        known_identifiers(study, "Rosa", study.unlock(PASSPHRASE.encode()))  # the PI's, as before


def test_a_review_only_adopted_before_signatures_is_not_signed_into_a_review_at_the_next_unlock(study: Study) -> None:
    """W17's rest (vouch20): a redactions file the study key only took as it found it (`adopt`, in a release before
    signatures: an HMAC alone) is no review; the next unlock signed it in a newer entry (participant.files-signed),
    which then counted as the newest vouch, and the session as reviewed, for the PI and for a transcriber."""
    from fieldvault.sessionvouch import unconfirmed
    from fieldvault.vouching import adopt, digest

    reader = with_transcriber(study)
    keys = study.unlock(PASSPHRASE.encode())
    study.audit.use_signer(lambda seq, prev, payloads: {})  # the release before signatures
    session = add_person(study, ROSA)[0]
    redactions = f"participants/Rosa/{session}/redactions.json.age"
    Study.open(study.root).write_new(redactions, b'{"decisions": {}}')  # sealed with the public keys alone
    assert adopt(study, keys) == 1  # taken as found, HMAC only
    line = pin_line(study, study.unlock(PASSPHRASE.encode())[0])  # the first unlock of this release signs
    assert any(e["action"] == SIGNED for e in study.audit.entries())  # her list and profile, as before
    assert not any(redactions in signatures(e) for e in study.audit.entries())
    sha = digest(study.read(redactions, keys))
    assert unconfirmed(study, redactions, sha)  # the PI's export: unreviewed, as adopted
    assert unconfirmed(transcribers_view(study, reader, line), redactions, sha)  # and a transcriber's
