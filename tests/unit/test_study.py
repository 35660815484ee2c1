"""The study folder: creation, unlocking, recipients, field kits, encrypted files and their modes."""

from __future__ import annotations

import stat
import subprocess
import tomllib
from pathlib import Path

import pytest
import tomli_w

from fieldvault import loghead
from fieldvault.agefile import X25519Identity, decrypt_bytes
from fieldvault.errors import (
    BadInput,
    BadKey,
    BadStudyFile,
    LockedStudy,
    NotAStudy,
    StudyExists,
    TamperedStudy,
    WrongPassphrase,
)
from fieldvault.study import Study
from tests.conftest import PASSPHRASE, TEST_WORK_FACTOR, need


def test_init_makes_the_designed_layout(study: Study) -> None:
    root = study.root
    assert sorted(p.name for p in root.iterdir()) == ["audit.jsonl", "keys", "participants", "study.toml"]
    assert (root / "keys" / "study.age").read_bytes().startswith(b"age-encryption.org/v1\n-> scrypt ")
    reopened = Study.open(root)
    assert reopened.config.title == "Exiting the trade"
    assert reopened.config.irb == "IRB-2026-17"
    assert [r.name for r in reopened.config.recipients] == ["study"]


def test_files_holding_secrets_are_private(study: Study, identities: list) -> None:
    written = study.write_new("participants/Rose/profile.json.age", b"{}")
    for path in [study.root / "keys" / "study.age", study.root / "study.toml", study.root / "audit.jsonl", written]:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    for folder in [study.root, study.root / "keys", written.parent]:
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder


def test_unlock_gives_the_identity_of_the_study_recipient(study: Study, identities: list) -> None:
    assert [str(i.recipient()) for i in identities] == [study.config.recipients[0].key]


def test_wrong_passphrase_is_named(study: Study) -> None:
    with pytest.raises(WrongPassphrase, match="wrong passphrase"):
        study.unlock(b"not the passphrase")


def test_sealed_identity_opens_with_age_and_the_passphrase(study: Study, tmp_path: Path) -> None:
    import pexpect

    out = tmp_path / "key.txt"
    child = pexpect.spawn(need("age"), ["-d", "-o", str(out), str(study.root / "keys" / "study.age")])
    child.expect("passphrase")
    child.sendline(PASSPHRASE)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert out.read_text().splitlines()[1] == f"# public key: {study.config.recipients[0].key}"


def test_data_files_decrypt_with_age_and_the_exported_identity(study: Study, identities: list, tmp_path: Path) -> None:
    path = study.write_new("participants/Rose/profile.json.age", b'{"age": 34}')
    key = tmp_path / "id.txt"
    key.write_text(f"{identities[0]}\n")
    done = subprocess.run([need("age"), "-d", "-i", str(key), str(path)], capture_output=True, check=True)
    assert done.stdout == b'{"age": 34}'


def test_init_refuses_an_existing_study_and_a_non_empty_folder(study: Study, tmp_path: Path) -> None:
    before = (study.root / "study.toml").read_bytes()
    with pytest.raises(StudyExists, match="already holds a study"):
        Study.create(study.root, "Other", "", b"x" * 12, TEST_WORK_FACTOR)
    assert (study.root / "study.toml").read_bytes() == before
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "notes.txt").write_text("mine")
    with pytest.raises(StudyExists, match="not empty"):
        Study.create(busy, "Other", "", b"x" * 12, TEST_WORK_FACTOR)
    assert (busy / "notes.txt").read_text() == "mine"


def test_init_into_an_empty_folder_works(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert Study.create(tmp_path / "empty", "T", "", b"x" * 12, TEST_WORK_FACTOR).root.joinpath("study.toml").exists()


def test_open_names_what_is_wrong(tmp_path: Path, study: Study) -> None:
    with pytest.raises(NotAStudy, match="fieldvault init"):
        Study.open(tmp_path)
    with pytest.raises(NotAStudy, match="not a folder"):
        Study.open(tmp_path / "missing")
    (study.root / "study.toml").write_text("[study\ntitle=")
    with pytest.raises(BadStudyFile, match="not valid TOML"):
        Study.open(study.root)
    (study.root / "study.toml").write_text('schema_version = 1\n[study]\nirb = "x"\n')
    with pytest.raises(BadStudyFile, match="title"):
        Study.open(study.root)
    (study.root / "study.toml").write_text("a = " + "[" * 100_000 + "]" * 100_000)  # tomllib: RecursionError
    with pytest.raises(BadStudyFile, match="not valid TOML"):
        Study.open(study.root)


def test_add_recipient_encrypts_new_files_to_it(study: Study, identities: list) -> None:
    transcriber = X25519Identity.generate()
    study.add_recipient(str(transcriber.recipient()), "transcriber", identities)
    reopened = Study.open(study.root)
    assert [r.name for r in reopened.config.recipients] == ["study", "transcriber"]
    path = reopened.write_new("participants/Rose/notes.age", b"hello")
    assert decrypt_bytes(path.read_bytes(), [transcriber]) == b"hello"
    with pytest.raises(BadInput, match="already a recipient"):
        reopened.add_recipient(str(transcriber.recipient()), "again", identities)
    with pytest.raises(BadKey, match="age1"):
        reopened.add_recipient("AGE-SECRET-KEY-1XYZ", "oops", identities)


def test_field_kit_can_encrypt_but_cannot_decrypt(study: Study, identities: list, tmp_path: Path) -> None:
    study.write_new("participants/Rose/profile.json.age", b"{}")
    (study.root / "questionnaire.toml").write_text('[[field]]\nname = "age"\ntype = "integer"\n')
    (study.root / "guide.toml").write_text('narrative_prompt = "Tell me."\n')
    kit = study.make_field_kit(tmp_path / "kit")
    for name in ("questionnaire.toml", "guide.toml"):  # the study's own templates travel with the kit
        assert (kit.root / name).read_text() == (study.root / name).read_text()
    assert kit.is_field_kit
    assert not (kit.root / "keys").exists()
    assert (kit.root / "participants" / "Rose").is_dir()
    assert not list((kit.root / "participants").rglob("*.age"))
    for path in kit.root.rglob("*"):
        if path.is_file():
            assert b"AGE-SECRET-KEY" not in path.read_bytes()
    written = kit.write_new("participants/Lily/profile.json.age", b'{"age": 29}')
    with pytest.raises(LockedStudy, match="field kit"):
        kit.unlock(PASSPHRASE.encode())
    with pytest.raises(LockedStudy, match="cannot decrypt"):
        kit.read("participants/Lily/profile.json.age", [])
    assert decrypt_bytes(written.read_bytes(), identities) == b'{"age": 29}'  # back home, it opens


def test_paths_outside_the_study_are_refused(study: Study) -> None:
    with pytest.raises(BadInput, match="outside the study"):
        study.write_new("../escape.age", b"x")


def test_write_new_never_overwrites(study: Study, identities: list) -> None:
    study.write_new("participants/Rose/a.age", b"first")
    with pytest.raises(BadInput, match="never overwrites"):
        study.write_new("participants/Rose/a.age", b"second")
    assert study.read("participants/Rose/a.age", identities) == b"first"


def test_a_field_kit_refuses_add_recipient(study: Study, tmp_path: Path) -> None:
    kit = study.make_field_kit(tmp_path / "kit")
    intruder = X25519Identity.generate()
    with pytest.raises(LockedStudy, match="field kit cannot add recipients"):
        kit.add_recipient(str(intruder.recipient()), "helper", [])
    assert Study.open(kit.root).config.recipients == study.config.recipients
    done = subprocess.run(
        ["fieldvault", "keys", "add-recipient", str(kit.root), str(intruder.recipient()), "--name", "x"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1 and "field kit cannot add recipients" in done.stderr


def test_a_recipient_added_by_hand_is_found_at_unlock(study: Study) -> None:
    intruder = X25519Identity.generate()
    toml = study.root / "study.toml"
    doc = tomllib.loads(toml.read_text())
    doc["recipients"].append({"name": "helper", "key": str(intruder.recipient())})
    toml.write_bytes(tomli_w.dumps(doc).encode())
    with pytest.raises(TamperedStudy, match="changed without the study identity"):
        Study.open(study.root).unlock(PASSPHRASE.encode())


def test_a_low_order_recipient_is_refused_at_entry(study: Study, identities: list) -> None:
    from fieldvault.agefile import bech32

    for point in (
        bytes(32),
        (1).to_bytes(32, "little"),
        bytes.fromhex("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800"),
    ):
        with pytest.raises(BadKey, match="low-order"):
            study.add_recipient(bech32.encode("age", point), "zero", identities)
    assert len(Study.open(study.root).config.recipients) == 1


def test_a_damaged_chunk_is_named_by_its_file(study: Study, identities: list) -> None:
    """QA F19: one flipped byte in the middle of a recording stopped a study-wide export or transcription with
    "chunk 8 fails authentication" and no file named: the PI could not tell which of eleven sessions to restore."""
    from fieldvault.errors import PayloadTampered

    relative = "participants/Ana/20261124-100000/audio.wav.age"
    (study.root / "participants" / "Ana" / "20261124-100000").mkdir(parents=True)
    study.write_new(relative, bytes(200_000))
    data = bytearray((study.root / relative).read_bytes())
    data[len(data) // 2] ^= 0xFF
    (study.root / relative).write_bytes(bytes(data))
    with pytest.raises(PayloadTampered, match=rf"^{relative}: chunk 1 fails authentication"):
        study.read(study.root / relative, identities)


def _removed_again(root: Path, removed: X25519Identity) -> tuple[Study, list]:
    """The study unlocked after the refusal: the key is off the list and cannot read what is written next."""
    from fieldvault.errors import NoIdentityMatched

    again = Study.open(root)
    keys = again.unlock(PASSPHRASE.encode())
    assert [r.name for r in again.config.recipients] == ["study"]
    again.write_new("journal/x.md.age", b"written after")
    with pytest.raises(NoIdentityMatched):
        again.read("journal/x.md.age", [removed])
    return again, keys


def test_an_older_study_toml_put_back_never_brings_a_removed_recipient_back(study: Study, identities: list) -> None:
    """QA F24: a study.toml from before `keys remove-recipient` (a backup, a synced folder's history) carries a seal as
    valid as ever, so every file written after it was put back opened with the removed key. Unlocking compares the
    list with the audit log: the key is removed again, the list sealed anew, and the command stops once to say so."""
    from fieldvault.errors import TamperedStudy
    from fieldvault.stewardship.rewrap import remove_recipient

    removed = X25519Identity.generate()
    study.add_recipient(str(removed.recipient()), "trx9", identities)
    older = (study.root / "study.toml").read_bytes()
    remove_recipient(study, "trx9", identities)
    (study.root / "study.toml").write_bytes(older)  # the older copy, its seal intact
    # QA F27: a line appended without the key, claiming the key was added again, counts for nothing
    Study.open(study.root).audit.append("keys.add-recipient", name="trx9", recipient=str(removed.recipient()))
    replayed = Study.open(study.root)
    with pytest.raises(TamperedStudy, match=r"listed trx9 \(age1.*removed on .*keys rewrap"):
        replayed.unlock(PASSPHRASE.encode())
    again, keys = _removed_again(study.root, removed)
    assert again.read("journal/x.md.age", keys) == b"written after"
    replays = [e["details"]["name"] for e in again.audit.entries() if e["action"] == "keys.remove-recipient.replayed"]
    assert replays == ["trx9"]


def test_study_toml_and_audit_log_put_back_together_never_bring_a_removed_recipient_back(
    study: Study, identities: list, fieldvault_home: Path
) -> None:
    """QA G5: F24's check compares the sealed list with the audit log, and an older pair of the two (a backup made
    before the removal, a sync client resolving a conflict) agrees with itself. This computer remembers the removal
    outside the study; a recipient added again after it (a signed entry) is no longer refused."""
    from fieldvault.errors import TamperedStudy
    from fieldvault.stewardship.rewrap import remove_recipient

    removed = X25519Identity.generate()
    study.add_recipient(str(removed.recipient()), "trx9", identities)
    older = {name: (study.root / name).read_bytes() for name in ("study.toml", "audit.jsonl")}
    remove_recipient(study, "trx9", identities)
    for name, data in older.items():
        (study.root / name).write_bytes(data)
    (fieldvault_home / loghead.FILE).unlink()  # the log's head this computer saw refuses the pair first (QA U9)
    with pytest.raises(TamperedStudy, match=r"listed trx9 \(age1.*this computer saw removed.*put back together"):
        Study.open(study.root).unlock(PASSPHRASE.encode())
    again, keys = _removed_again(study.root, removed)
    last = again.audit.entries()[-1]  # the removal the log had lost is in it again, signed
    assert (last["action"], last["details"]["name"]) == ("keys.remove-recipient", "trx9")
    again.add_recipient(str(removed.recipient()), "trx9", keys)  # taken back on purpose, with the key
    back = Study.open(study.root)
    back.unlock(PASSPHRASE.encode())
    assert [r.name for r in back.config.recipients] == ["study", "trx9"]


def test_a_progress_file_planted_before_a_removal_leaves_no_file_open_to_the_removed_key(
    study: Study, identities: list
) -> None:
    """QA X9: a `.remove-recipient.done` listing every file, put at the study's root before the removal by someone
    who can write the folder, made `keys remove-recipient` re-wrap nothing and say "removed": every file stayed open
    to the removed key. A fresh removal has no progress to resume, and a file is passed over only where its header
    opens to no more keys than the study has."""
    from fieldvault.errors import FieldvaultError
    from fieldvault.stewardship import rewrap
    from fieldvault.stewardship.inventory import data_files
    from fieldvault.stewardship.rewrap import DONE, PLAN, remove_recipient, rewrap_stale

    study.write_new("journal/x.md.age", b"her story")
    removed = X25519Identity.generate()
    study.add_recipient(str(removed.recipient()), "trx9", identities)
    rewrap_stale(study, identities, share=True)  # every file now opens to her key too
    files = [str(p.relative_to(study.root)) for p in data_files(study)]
    assert study.read("journal/x.md.age", [removed]) == b"her story"
    (study.root / DONE).write_text("\n".join(files) + "\n")  # planted
    done = remove_recipient(study, "trx9", identities)
    assert done.files == len(files) and not (study.root / DONE).exists()
    for relative in files:
        with pytest.raises(FieldvaultError):
            study.read(relative, [removed])
    # resumed: an interrupted removal's progress file, filled by hand, does not pass over a file still open to her
    other = X25519Identity.generate()
    study.add_recipient(str(other.recipient()), "trx10", identities)
    rewrap_stale(study, identities, share=True)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(rewrap, "rewrap_file", _interrupted)
        with pytest.raises(KeyboardInterrupt):
            remove_recipient(study, "trx10", identities)
    assert (study.root / PLAN).exists()
    (study.root / DONE).write_text("\n".join(files) + "\n")
    again = remove_recipient(study, "trx10", identities)
    assert again.resumed and again.files == len(files)
    for relative in files:
        with pytest.raises(FieldvaultError):
            study.read(relative, [other])


def _interrupted(*args: object) -> None:
    raise KeyboardInterrupt


@pytest.mark.parametrize("given", ["device", "video"])
def test_an_identity_path_to_a_device_or_a_big_file_is_refused_unread(study: Study, tmp_path: Path, given: str) -> None:
    """QA X13: `--identity /dev/zero` (or a video given by mistake) was read whole until the system killed it."""
    path = Path("/dev/zero") if given == "device" else tmp_path / "interview.mp4"
    if given == "video":
        path.write_bytes(b"# a comment\n" * 10_000)  # 120 KB
    with pytest.raises(BadInput, match=r"not a regular file|over 64 KB") as refused:
        study.use_identity_path(path)
    assert str(path) in str(refused.value)
