"""The study's own information letter, sealed: what a field kit shows her (the support line, the contact on the
break screen) is the letter the PI approved, not one changed in a synced study folder (QA F21's rest).

The seal is an HMAC of the letter's version (a hash of the filled letter: its template and every [letter] value)
under a key derived from the study identity, kept in study.toml; each seal is also a signed `letter.sealed` audit
entry. `field-kit` checks it before a kit takes the letter to the field: a letter changed since its seal stops the
kit, showing what the interviewer would read out, until the PI says she changed it. Never writes plaintext.
"""

from __future__ import annotations

import hmac

from fieldvault.agefile import X25519Identity
from fieldvault.errors import TamperedStudy
from fieldvault.kittemplates import recorded
from fieldvault.study import Study, derived_key

SEALED = "letter.sealed"


def letter_mac(identity: X25519Identity, version: str) -> str:
    return hmac.new(derived_key(identity, "letter"), f"fieldvault letter {version}".encode(), "sha256").hexdigest()


def check_letter_seal(study: Study, identity: X25519Identity) -> str | None:
    """The letter's version when its seal holds; None for the first letter of a study that never sealed one (to
    be sealed once the kit is made: trust on first use); a letter changed since its seal raises TamperedStudy
    showing what she would read. Changes nothing."""
    from fieldvault.participants import consent_documents

    letter = consent_documents(study)[0]
    if study.config.letter_mac and hmac.compare_digest(study.config.letter_mac, letter_mac(identity, letter.version)):
        return letter.version
    if not study.config.letter_mac and not _ever_sealed(study):
        return None
    values = study.letter_values()
    raise TamperedStudy(
        f"the information letter in {study.root / 'study.toml'} changed since it was sealed (now version "
        f"{letter.version}: support {values.get('support', '')!r}, contact {values.get('pi_contact', '')!r}); "
        "if you changed it, build the kit with --letter-changed; if not, someone who can write the study folder did: "
        "restore study.toml from a backup"
    )


def seal_letter(study: Study, identity: X25519Identity) -> str:
    """Seal the letter as it is now (the PI changed it); audited with its version and the digests of the study's own
    templates, which the PI vouches for with it (kittemplates). Returns the version."""
    from fieldvault.participants import consent_documents

    version = consent_documents(study)[0].version
    study.save_letter_mac(letter_mac(identity, version))
    study.audit.append(SEALED, version=version, templates=recorded(study.root))  # and its templates (QA S6)
    return version


def _ever_sealed(study: Study) -> bool:
    """Whether a signed entry records a seal: then a study.toml without one is an older copy or was edited."""
    return any(entry.get("action") == SEALED for entry in study.audit.signed())
