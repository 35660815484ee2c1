"""What an entry records of the lists and profiles it wrote (QA S14): keyed, so the plaintext log (on every backup,
on a lost kit) confirms no guess of what a list holds; nothing without a key; a kit's under its forward key."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from fieldvault import auditratchet, layout, vouching
from fieldvault.participants import ConsentRecord, KnownIdentifier, add_participant
from fieldvault.study import Study, derived_key
from tests.conftest import ANSWERS, PASSPHRASE

CONSENT = ConsentRecord("verbal", "v", "s", "2026-11-24T10:00:00+00:00")
LIST = "participants/Rose/identifiers.json.age"


def _vouches(study: Study, action: str) -> dict[str, str]:
    entry = next(e for e in study.audit.entries() if e["action"] == action)
    return json.loads(entry["details"]["vouches"]) if "vouches" in entry["details"] else {}


def test_the_log_holds_no_plain_digest_of_what_a_list_holds(ready_study: Study) -> None:
    identities = ready_study.unlock(PASSPHRASE.encode())
    add_participant(ready_study, "Rose", dict(ANSWERS), CONSENT, [KnownIdentifier("Derek Fowler")], identities)
    log = (ready_study.root / layout.AUDIT_FILE).read_text()
    for name in (layout.IDENTIFIERS, layout.PROFILE):
        payload = ready_study.read(f"participants/Rose/{name}", identities)
        assert hashlib.sha256(payload).hexdigest() not in log  # a guessed list would be confirmed by it
    vouched = _vouches(ready_study, "participant.add")
    assert sorted(vouched) == [LIST, "participants/Rose/profile.json.age"]
    payload = ready_study.read(LIST, identities)
    assert vouched[LIST] == ready_study.audit.payload_mac(LIST, vouching.digest(payload))
    assert vouched[LIST] != ready_study.audit.payload_mac(
        "participants/Iris/identifiers.json.age", vouching.digest(payload)
    )


def test_a_write_with_no_key_records_no_digest(ready_study: Study) -> None:
    locked = Study.open(ready_study.root)
    ready_study.unlock(PASSPHRASE.encode())  # this computer checked the recipient list once; `locked` holds no key
    add_participant(locked, "Rose", dict(ANSWERS), CONSENT, [])
    assert _vouches(locked, "participant.add") == {}
    again = Study.open(ready_study.root)
    again.unlock(PASSPHRASE.encode())  # the first unlock vouches for both files as they are, once
    assert sorted(_vouches(again, vouching.ADOPTED)) == [LIST, "participants/Rose/profile.json.age"]
    Study.open(ready_study.root).unlock(PASSPHRASE.encode())
    assert [e["action"] for e in again.audit.entries()].count(vouching.ADOPTED) == 1


def test_a_kit_entry_vouches_under_its_forward_key(ready_study: Study, tmp_path: Path) -> None:
    identities = ready_study.unlock(PASSPHRASE.encode())
    kit = ready_study.make_field_kit(tmp_path / "kit")
    add_participant(kit, "Yara", dict(ANSWERS), CONSENT, [KnownIdentifier("Zed Quorra")])
    entries = kit.audit.entries()
    vouched = _vouches(kit, "participant.add")
    payload = kit.read("participants/Yara/identifiers.json.age", identities)
    assert vouched["participants/Yara/identifiers.json.age"] != ready_study.audit.payload_mac(
        "participants/Yara/identifiers.json.age", vouching.digest(payload)
    )  # not the study key: the kit has none
    first = auditratchet.first_key(derived_key(identities[0], "kit-log"), str(entries[0]["hash"]))
    found = vouching.kit_vouches(entries, first, set())
    path = "participants/Yara/identifiers.json.age"
    assert vouching.kit_problem(found, kit.root, path, vouching.digest(payload)) is None
    assert "not the one the kit sealed" in str(vouching.kit_problem(found, kit.root, path, vouching.digest(b"{}")))
    wrong = vouching.kit_vouches(entries, b"\0" * 32, set())  # a key not the study's: every digest differs
    assert vouching.kit_problem(wrong, kit.root, path, vouching.digest(payload)) is not None
