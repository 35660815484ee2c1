"""A field kit's audit log is keyed forward (auditratchet): its last line, which the hash chain alone could not vouch
for, can no longer be rewritten whole on the kit unseen, nor lines cut off its end, nor its key file swapped."""

from __future__ import annotations

import json
import stat
from collections.abc import Mapping
from pathlib import Path

import pytest

from fieldvault import auditratchet, layout
from fieldvault.audit import _digest
from fieldvault.errors import BadInput
from fieldvault.kitmerge import merge_kit
from fieldvault.study import Study
from tests.conftest import kit_participant, kit_recording
from tests.e2e.test_cli import assert_one_line_error, fv

S1 = "20261124-100000"


def _snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): (p.read_bytes() if p.is_file() else b"/") for p in sorted(root.rglob("*"))}


def _keyed_kit(study: Study, identities: list, tmp_path: Path) -> Study:
    study.use_identities(identities)  # as `fieldvault field-kit` does: the study key at hand
    kit = study.make_field_kit(tmp_path / "kit")
    kit_participant(kit, "Lena")
    kit.audit.append("participant.add", pseudonym="Lena")
    kit_recording(kit, f"participants/Lena/{S1}/audio.wav.age", b"RIFF....WAVEdata")
    kit.audit.append("import", pseudonym="Lena", session=S1, seconds=3.0)
    return kit


def _state(kit: Study) -> tuple[int, bytes]:
    state = auditratchet.read_state(kit.root / layout.AUDIT_KEY)
    assert state is not None
    return state


def _rewrite_last(kit: Study, change: Mapping[str, object], key: bytes | None = None) -> None:
    """The attack: the last line rewritten whole, its hash recomputed (and, with ``key``, its forward mac too)."""
    log = kit.root / layout.AUDIT_FILE
    lines = log.read_bytes().splitlines()
    entry = json.loads(lines[-1])
    entry["details"].update(change)
    body = {k: v for k, v in entry.items() if k not in ("hash", "mac", auditratchet.FIELD)}
    entry["hash"] = _digest(body)
    if key is not None:
        entry[auditratchet.FIELD] = auditratchet.entry_mac(key, entry["hash"])
    lines[-1] = json.dumps(entry, ensure_ascii=False).encode()
    log.write_bytes(b"\n".join(lines) + b"\n")


def test_a_kit_made_with_the_key_keys_each_entry_and_merges_clean(
    ready_study: Study, identities: list, tmp_path: Path
) -> None:
    kit = _keyed_kit(ready_study, identities, tmp_path)
    key_file = kit.root / layout.AUDIT_KEY
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    entries = kit.audit.entries()
    assert all(auditratchet.FIELD in e for e in entries[1:]) and auditratchet.FIELD not in entries[0]
    assert _state(kit)[0] == len(entries)  # the key for the next entry only
    assert kit.audit.verify().entries == len(entries)
    report = merge_kit(ready_study, kit.root, identities)
    assert report.sessions == [f"Lena/{S1}"] and report.log_damaged is None
    actions = [e["action"] for e in ready_study.audit.entries()]
    assert "field-kit.entry-unchained" not in actions and "field-kit.log-damaged" not in actions


@pytest.mark.parametrize("with_held_key", [False, True])
def test_the_last_line_rewritten_whole_on_the_kit_is_refused_then_taken_marked_when_asked(
    ready_study: Study, identities: list, tmp_path: Path, with_held_key: bool
) -> None:
    kit = _keyed_kit(ready_study, identities, tmp_path)
    held = _state(kit)[1]  # all the kit holder has: the next entry's key
    _rewrite_last(kit, {"seconds": 1.0}, held if with_held_key else None)
    assert kit.audit.verify()  # the plain chain is whole again: that was the hole
    before = _snapshot(ready_study.root)
    for _ in range(2):  # run twice: refused twice, nothing stored changed (the study's log included)
        with pytest.raises(BadInput, match="fails its key at entry 2"):
            merge_kit(ready_study, kit.root, identities)
        assert _snapshot(ready_study.root) == before
    merge_kit(ready_study, kit.root, identities, accept_damaged_log=True)
    taken = [e for e in ready_study.audit.entries() if e["details"].get("origin_action") == "import"]
    assert [e["action"] for e in taken] == ["field-kit.entry-unchained"]
    damage = [e for e in ready_study.audit.entries() if e["action"] == "field-kit.log-damaged"]
    assert len(damage) == 1 and "fails its key at entry 2" in damage[0]["details"]["reason"]


def test_lines_cut_off_the_end_or_a_key_file_deleted_or_put_back_are_named(
    ready_study: Study, identities: list, tmp_path: Path
) -> None:
    kit = _keyed_kit(ready_study, identities, tmp_path)
    log = kit.root / layout.AUDIT_FILE
    whole = log.read_bytes()
    key_file = kit.root / layout.AUDIT_KEY
    key = key_file.read_bytes()
    log.write_bytes(b"".join(whole.splitlines(keepends=True)[:-1]))  # the import line removed
    with pytest.raises(BadInput, match="entries were cut off"):
        merge_kit(ready_study, kit.root, identities)
    log.write_bytes(whole)
    key_file.unlink()
    with pytest.raises(BadInput, match="key file is missing"):
        merge_kit(ready_study, kit.root, identities)
    key_file.write_bytes(key.replace(b'"seq": 3', b'"seq": 1'))  # an older key file, from a copy of the kit
    with pytest.raises(BadInput, match="an old key put back"):
        merge_kit(ready_study, kit.root, identities)
    auditratchet.start(key_file, b"\x07" * 32)  # a key of the holder's own choosing
    key_file.write_bytes(key_file.read_bytes().replace(b'"seq": 1', b'"seq": 3'))
    with pytest.raises(BadInput, match="not the key the kit was given"):
        merge_kit(ready_study, kit.root, identities)
    key_file.write_bytes(key)
    assert merge_kit(ready_study, kit.root, identities).sessions == [f"Lena/{S1}"]


def test_an_append_cut_off_before_its_key_stepped_goes_on_and_merges(
    ready_study: Study, identities: list, tmp_path: Path
) -> None:
    kit = _keyed_kit(ready_study, identities, tmp_path)
    key_file = kit.root / layout.AUDIT_KEY
    before = key_file.read_bytes()
    kit.audit.append("journal.add", count=1)
    key_file.write_bytes(before)  # power lost after the line, before the key stepped
    assert merge_kit(ready_study, kit.root, identities).log_damaged is None
    kit.audit.append("journal.add", count=2)  # the kit steps over the missed step
    assert merge_kit(ready_study, kit.root, identities).log_damaged is None


def test_the_cli_refuses_a_rewritten_last_line_in_one_line(ready_study: Study, tmp_path: Path) -> None:
    cli_study = ready_study.root
    kit_root = tmp_path / "kit"
    assert fv("field-kit", str(cli_study), str(kit_root)).returncode == 0
    kit = Study.open(kit_root)
    assert (kit_root / layout.AUDIT_KEY).is_file()
    kit_participant(kit, "Lena")
    kit.audit.append("participant.add", pseudonym="Lena")
    _rewrite_last(kit, {"method": "verbal"})
    assert_one_line_error(fv("merge-kit", str(kit_root), str(cli_study)), "fails its key at entry 1", "--accept")
    assert Study.open(cli_study).participant_names() == []
