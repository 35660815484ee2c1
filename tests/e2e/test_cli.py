"""The real `fieldvault` binary: each command's output, and one-line errors for bad input."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest
import tomli_w

import fieldvault
from fieldvault import wavstream
from fieldvault.agefile import X25519Identity, decrypt_bytes
from fieldvault.participants import known_identifiers
from fieldvault.study import Study
from tests.conftest import (
    ANSWERS,
    LETTER,
    PASSPHRASE,
    ROOT,
    fill_letter,
    kit_participant,
    kit_recording,
    need,
    profile_json,
)

EXE = "fieldvault"  # the checkout's, through the shim tests/conftest.py puts first on PATH


def fv(*args: str, env: dict[str, str] | None = None, **kw) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "FIELDVAULT_PASSPHRASE": PASSPHRASE, **(env or {})}
    return subprocess.run([EXE, *args], capture_output=True, text=True, env=full_env, check=False, **kw)


def assert_one_line_error(done: subprocess.CompletedProcess[str], *words: str) -> None:
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("fieldvault: error: "), done.stderr
    for word in words:
        assert word in lines[0], lines[0]


@pytest.fixture
def cli_study(tmp_path: Path) -> Path:
    root = tmp_path / "study"
    done = fv("init", str(root), "--title", "Exit study", "--irb", "IRB-9")
    assert done.returncode == 0, done.stderr
    fill_letter(Study.open(root))  # a field kit is built only from a study whose letter is filled in
    return root


def test_init_list_export_and_audit(cli_study: Path, tmp_path: Path) -> None:
    listed = fv("keys", "list", str(cli_study))
    key, name = listed.stdout.split()
    assert key.startswith("age1") and name == "study"
    out = tmp_path / "id.txt"
    exported = fv("keys", "export-identity", str(cli_study), "--out", str(out))
    assert exported.returncode == 0 and "plaintext" in exported.stderr
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    public = subprocess.run([need("age-keygen"), "-y", str(out)], capture_output=True, text=True, check=True)
    assert public.stdout.strip() == key
    audit = fv("audit", str(cli_study))
    assert [line.split()[3] for line in audit.stdout.splitlines()] == ["study.init", "keys.export-identity"]
    assert "2 entries" in fv("audit", str(cli_study), "--verify").stdout


def test_a_study_whose_key_file_is_gone_says_so_and_is_not_taken_for_a_field_kit(cli_study: Path) -> None:
    """QA V19: keys/study.age deleted (by hand, a sync client): every command said "this is a field kit"."""
    (cli_study / "keys" / "study.age").unlink()
    for argv in (("check", str(cli_study)), ("audit", str(cli_study), "--verify")):
        done = fv(*argv)
        assert_one_line_error(done, "keys/study.age is missing", "not a field kit", "cp -p BACKUP/keys/study.age")
        assert "this is a field kit" not in done.stderr


def test_passphrase_from_file_and_never_from_argv(cli_study: Path, tmp_path: Path) -> None:
    secret = tmp_path / "pw"
    secret.write_text(PASSPHRASE + "\n")
    secret.chmod(0o644)
    export = ("keys", "export-identity", str(cli_study), "--out", str(tmp_path / "k"), "--passphrase-file", str(secret))
    assert_one_line_error(fv(*export, env={"FIELDVAULT_PASSPHRASE": ""}), "can be read by others", "chmod 600")
    assert not (tmp_path / "k").exists()
    secret.chmod(0o600)
    done = fv(*export, env={"FIELDVAULT_PASSPHRASE": ""})
    assert done.returncode == 0, done.stderr
    assert "--passphrase" not in fv("init", "--help").stdout.replace("--passphrase-file", "")


def test_decrypt_writes_plaintext_only_where_asked_and_audits(cli_study: Path, tmp_path: Path) -> None:
    study = Study.open(cli_study)
    study.write_new("participants/Rose/profile.json.age", b'{"age": 41}')
    shown = fv("decrypt", str(cli_study), "participants/Rose/profile.json.age", "--out", "-")
    assert shown.returncode == 0 and shown.stdout == '{"age": 41}'
    out = tmp_path / "profile.json"
    assert fv("decrypt", str(cli_study), "participants/Rose/profile.json.age", "--out", str(out)).returncode == 0
    assert out.read_text() == '{"age": 41}'
    assert_one_line_error(
        fv("decrypt", str(cli_study), "participants/Rose/profile.json.age", "--out", str(out)), "exists"
    )
    actions = [e["action"] for e in Study.open(cli_study).audit.entries()]
    assert actions.count("decrypt") == 2


def test_decrypt_with_an_identity_file_from_age_keygen(cli_study: Path, tmp_path: Path) -> None:
    key = tmp_path / "transcriber.txt"
    subprocess.run([need("age-keygen"), "-o", str(key)], check=True, capture_output=True)
    public = subprocess.run([need("age-keygen"), "-y", str(key)], capture_output=True, text=True, check=True).stdout
    assert fv("keys", "add-recipient", str(cli_study), public.strip(), "--name", "transcriber").returncode == 0
    Study.open(cli_study).write_new("participants/Rose/x.age", b"secret words")
    done = fv(
        "decrypt",
        str(cli_study),
        "participants/Rose/x.age",
        "--out",
        "-",
        "--identity",
        str(key),
        env={"FIELDVAULT_PASSPHRASE": ""},
    )
    assert done.stdout == "secret words"


def test_files_written_before_a_transcriber_was_added_are_shared_with_rewrap_share(
    cli_study: Path, tmp_path: Path
) -> None:
    """QA Q5: a transcriber added after the interviews could open none of them, and was told neither which file nor
    what to do. The error names the file and the command; `keys rewrap --share` (with the passphrase, audited)
    wraps every earlier file to every key of the study, and the real `age` then opens it with the new key."""
    study = Study.open(cli_study)
    study.write_new("participants/Rose/x.age", b"her words")
    key = tmp_path / "transcriber.txt"
    subprocess.run([need("age-keygen"), "-o", str(key)], check=True, capture_output=True)
    public = subprocess.run([need("age-keygen"), "-y", str(key)], capture_output=True, text=True, check=True).stdout
    assert fv("keys", "add-recipient", str(cli_study), public.strip(), "--name", "transcriber").returncode == 0
    as_transcriber = ("--out", "-", "--identity", str(key))
    refused = fv(
        "decrypt", str(cli_study), "participants/Rose/x.age", *as_transcriber, env={"FIELDVAULT_PASSPHRASE": ""}
    )
    assert_one_line_error(refused, "participants/Rose/x.age", f"keys rewrap {cli_study} --share")  # the study named
    kept = fv("keys", "rewrap", str(cli_study))  # without --share: nothing shared
    assert kept.returncode == 0 and "0 file(s) re-wrapped" in kept.stdout, kept.stdout
    shared = fv("keys", "rewrap", str(cli_study), "--share")
    assert shared.returncode == 0 and "re-wrapped participants/Rose/x.age" in shared.stdout, shared.stdout
    opened = subprocess.run(
        [need("age"), "-d", "-i", str(key), str(cli_study / "participants/Rose/x.age")], capture_output=True, check=True
    )
    assert opened.stdout == b"her words"
    again = fv("keys", "rewrap", str(cli_study), "--share")
    assert again.returncode == 0 and "0 file(s) re-wrapped" in again.stdout, again.stdout
    actions = [(e["action"], e["details"].get("count")) for e in Study.open(cli_study).audit.entries()]
    assert ("keys.share", 1) in actions and ("keys.share", 0) in actions, actions


def test_field_kit_cannot_decrypt_what_it_wrote(cli_study: Path, tmp_path: Path) -> None:
    kit_dir = tmp_path / "kit"
    assert fv("field-kit", str(cli_study), str(kit_dir)).returncode == 0
    kit = Study.open(kit_dir)
    kit.write_new("participants/Lily/profile.json.age", b"{}")
    assert_one_line_error(fv("decrypt", str(kit_dir), "participants/Lily/profile.json.age", "--out", "-"), "field kit")
    identities = Study.open(cli_study).unlock(PASSPHRASE.encode())
    assert decrypt_bytes((kit_dir / "participants/Lily/profile.json.age").read_bytes(), identities) == b"{}"


def test_bad_input_gets_one_line_and_changes_nothing(cli_study: Path, tmp_path: Path) -> None:
    toml_before = (cli_study / "study.toml").read_bytes()
    assert_one_line_error(fv("init", str(cli_study), "--title", "Again"), "already holds a study")
    assert_one_line_error(fv("keys", "list", str(tmp_path)), "not a fieldvault study", "fieldvault init")
    assert_one_line_error(fv("keys", "add-recipient", str(cli_study), "ssh-ed25519 AAAA", "--name", "x"), "age1")
    assert_one_line_error(
        fv(
            "keys",
            "export-identity",
            str(cli_study),
            "--out",
            str(tmp_path / "k"),
            env={"FIELDVAULT_PASSPHRASE": "wrong passphrase!"},
        ),
        "wrong passphrase",
    )
    assert_one_line_error(
        fv(
            "keys",
            "export-identity",
            str(cli_study),
            "--out",
            str(tmp_path / "k"),
            env={"FIELDVAULT_PASSPHRASE": ""},
            stdin=subprocess.DEVNULL,
        ),
        "--passphrase-file",
    )
    assert_one_line_error(
        fv("init", str(tmp_path / "new"), "--title", "T", env={"FIELDVAULT_PASSPHRASE": "short"}), "shorter than"
    )
    assert not (tmp_path / "new").exists()
    assert (cli_study / "study.toml").read_bytes() == toml_before
    (cli_study / "study.toml").write_text("title = [unclosed")
    assert_one_line_error(fv("keys", "list", str(cli_study)), "not valid TOML")
    (cli_study / "study.toml").write_bytes(toml_before)
    (cli_study / "audit.jsonl").write_text((cli_study / "audit.jsonl").read_text().replace("study.init", "study.edit"))
    assert_one_line_error(fv("audit", str(cli_study), "--verify"), "line 1 was edited")


def test_full_disk_during_decrypt_keeps_the_study_intact(cli_study: Path, tmp_path: Path) -> None:
    study = Study.open(cli_study)
    study.write_new("participants/Rose/big.age", os.urandom(200_000))
    before = {p: p.read_bytes() for p in cli_study.rglob("*") if p.is_file() and p.name != "audit.jsonl"}

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (50_000, 50_000))

    out = tmp_path / "big.bin"
    done = fv("decrypt", str(cli_study), "participants/Rose/big.age", "--out", str(out), preexec_fn=small_files)
    assert_one_line_error(done, "free space")
    assert not out.exists() and not list(tmp_path.glob(".big.bin*"))
    after = {p: p.read_bytes() for p in cli_study.rglob("*") if p.is_file() and p.name != "audit.jsonl"}
    assert after == before


def test_full_disk_during_init_leaves_nothing_half_made(tmp_path: Path) -> None:
    def tiny_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (100, 100))

    done = fv("init", str(tmp_path / "s"), "--title", "T", preexec_fn=tiny_files)
    assert_one_line_error(done, "free space")
    assert list(tmp_path.iterdir()) == []


@pytest.fixture
def read_only_folder(tmp_path: Path):
    """A folder nobody can write to: a read-only tmpfs for root (who ignores modes), else mode 0555."""
    locked = tmp_path / "locked"
    locked.mkdir()
    if os.geteuid() != 0:
        locked.chmod(0o555)
        yield locked
        locked.chmod(0o755)
        return
    subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", str(locked)], check=True)
    yield locked
    subprocess.run(["umount", str(locked)], check=True)


def test_read_only_folder_is_named(read_only_folder: Path) -> None:
    done = fv("init", str(read_only_folder / "study"), "--title", "T")
    assert_one_line_error(done, "read-only" if os.geteuid() == 0 else "permission denied")
    assert list(read_only_folder.iterdir()) == []


def test_interrupted_recording_is_recovered_by_the_command(cli_study: Path) -> None:
    from fieldvault.agefile import CHUNK, AgeWriter

    study = Study.open(cli_study)
    path = cli_study / "participants/Rose/s1/audio.wav.age"
    path.parent.mkdir(parents=True)
    data = wavstream.header(wavstream.WavFormat(16000, 1)) + os.urandom(3 * CHUNK + 10)
    with path.open("wb") as out:
        writer = AgeWriter(out, study.recipients())
        writer.write(data)
    done = fv("recover", str(cli_study))
    assert done.returncode == 0, done.stderr
    assert f"kept 196608 bytes = {(3 * CHUNK - 44) / 32000:.1f} s of audio" in done.stdout
    identities = study.unlock(PASSPHRASE.encode())
    kept = decrypt_bytes(path.read_bytes(), identities)
    assert kept[44:] == data[44 : 3 * CHUNK]
    assert kept[:44] == wavstream.complete_wav(wavstream.WavFormat(16000, 1), kept[44:])[:44]  # its true length
    assert "every file is complete" in fv("recover", str(cli_study)).stdout


def test_python_dash_m_runs_the_same_cli() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "fieldvault", "--help"], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert "field-kit" in done.stdout
    version = subprocess.run([EXE, "--version"], capture_output=True, text=True, check=True)
    assert version.stdout.strip() == f"fieldvault {fieldvault.__version__}"


def test_identity_option_with_a_bad_file(cli_study: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text(str(X25519Identity.generate().recipient()))
    Study.open(cli_study).write_new("participants/Rose/x.age", b"x")
    assert_one_line_error(
        fv("decrypt", str(cli_study), "participants/Rose/x.age", "--out", "-", "--identity", str(bad)),
        "AGE-SECRET-KEY-1",
    )
    assert_one_line_error(
        fv("decrypt", str(cli_study), "participants/Rose/x.age", "--out", "-", "--identity", str(tmp_path / "missing")),
        "cannot read",
    )


def test_redact_text_prints_the_json_contract(tmp_path: Path) -> None:
    import json

    text = "Ünïcode first. My pimp Marcus took me to Phoenix; call 602-555-0199.\n"
    source = tmp_path / "passage.txt"
    source.write_text(text, encoding="utf-8")
    done = fv("redact-text", str(source), "--json")
    assert done.returncode == 0, done.stderr
    spans = json.loads(done.stdout)
    assert [(s["label"], s["text"]) for s in spans] == [
        ("PERSON", "Marcus"),
        ("LOCATION", "Phoenix"),
        ("CONTACT", "602-555-0199"),
    ]
    for span in spans:
        assert set(span) == {"start", "end", "label", "source", "text"}
        assert text[span["start"] : span["end"]] == span["text"]
    assert "[PERSON]" in fv("redact-text", str(source)).stdout
    (tmp_path / "latin1.txt").write_bytes("caf\xe9".encode("latin-1"))
    assert_one_line_error(fv("redact-text", str(tmp_path / "latin1.txt"), "--json"), "not UTF-8")
    assert_one_line_error(fv("redact-text", str(tmp_path / "missing.txt")), "cannot read")


def test_redact_text_reads_a_year_of_birth_against_this_year_and_says_so(tmp_path: Path) -> None:
    """leaks28's rest: `redact-text` has no session year, so "born in 1931" went out as said; the year is read
    against this year (a text was written by now: a later year only tells more ages over 89) and stderr says so."""
    import json
    from datetime import date

    source = tmp_path / "passage.txt"
    source.write_text("She was born in Fresno in 1931. Her sister was born in the 1930s. My son was born in 1985.\n")
    done = fv("redact-text", str(source), "--json")
    assert done.returncode == 0, done.stderr
    dates = [s["text"] for s in json.loads(done.stdout) if s["label"] == "DATE"]
    assert dates == ["1931", "1930s"]
    assert f"against this year, {date.today().year}" in done.stderr and "Traceback" not in done.stderr
    plain = fv("redact-text", str(source))
    assert "born in [LOCATION] in [DATE]" in plain.stdout and "born in 1985" in plain.stdout
    source.write_text("My son was born in 1985.\n")
    assert fv("redact-text", str(source)).stderr == ""  # nothing read against this year: nothing said


@pytest.mark.parametrize("command", ["redact-text", "journal", "answers", "identifiers"])
def test_a_device_or_a_huge_file_given_as_text_is_refused_and_a_pipe_is_never_waited_on(
    cli_study: Path, tmp_path: Path, command: str
) -> None:
    """QA Q8: `journal add --text-file /dev/urandom` grew to 4 GB in ten seconds, `redact-text /dev/zero` to 6 GB (a
    field laptop's OOM killer may pick the recording beside it), and a named pipe nobody wrote to blocked for ever.
    Every text a user hands fieldvault is read by one reader: a regular file or a pipe, at most a few MB, else one
    line, at once."""
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as f:
        f.truncate(9 * 1024 * 1024)  # sparse: nine MB of zeros on no disk
    answers = tmp_path / "answers.toml"
    answers.write_text(tomli_w.dumps(ANSWERS))
    given = {
        "redact-text": lambda path: ["redact-text", path],
        "journal": lambda path: ["journal", "add", str(cli_study), "--text-file", path],
        "answers": lambda path: ["participant", "add", str(cli_study), "Zia", "--answers", path],
        "identifiers": lambda path: [
            *("participant", "add", str(cli_study), "Zia", "--answers", str(answers), "--identifiers", path)
        ],
    }[command]
    for path, says in (
        ("/dev/urandom", "not a regular file"),
        ("/dev/zero", "not a regular file"),
        (str(tmp_path), "not a regular file"),  # a folder: it ended in a traceback (IsADirectoryError)
        (str(huge), "over 8 MB"),
    ):
        assert_one_line_error(fv(*given(path), timeout=120), path, says)  # a hang fails with TimeoutExpired
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    nobody_writes = fv(*given(str(fifo)), timeout=120)  # read as empty at once: whatever follows from that
    assert "Traceback" not in nobody_writes.stderr
    assert not (cli_study / "participants" / "Zia").exists() or command == "identifiers"  # nothing half made


def test_answers_and_a_list_given_through_a_pipe_leave_no_file_on_disk(cli_study: Path, tmp_path: Path) -> None:
    """The field way to give her answers and names without a plaintext file (QA Q13): bash's process substitution,
    a pipe the reader takes like a file."""
    answers = tomli_w.dumps(ANSWERS).replace("'", "'\\''")
    script = (
        f"{EXE} participant add {cli_study} Zia --answers <(printf '%s' '{answers}') "
        "--identifiers <(printf 'PERSON: Odessa Quill\\nLOCATION: Barstow\\n')"
    )
    env = {**os.environ, "FIELDVAULT_PASSPHRASE": PASSPHRASE}
    done = subprocess.run(["bash", "-c", script], capture_output=True, text=True, env=env, check=False, timeout=120)
    assert done.returncode == 0, done.stderr
    study = Study.open(cli_study)
    listed = known_identifiers(study, "Zia", study.unlock(PASSPHRASE.encode()))
    assert [k.text for k in listed] == ["Odessa Quill", "Barstow"]


def test_an_add_killed_at_its_first_write_runs_again_from_the_cli(cli_study: Path, tmp_path: Path) -> None:
    """QA U12 (T16 where users meet it): killed at its first rename, `participant add` left participants/Wren with only
    its id's temporary file; the same command said "taken already" before the add could remove it."""
    ghost = cli_study / "participants" / "Wren"
    ghost.mkdir(parents=True)
    (ghost / ".participant.id.7178.tmp").write_text("0" * 32 + "\n")
    answers = tmp_path / "answers.toml"
    answers.write_text(tomli_w.dumps(ANSWERS))
    names = tmp_path / "names.txt"
    names.write_text("PERSON: Odessa Quill\n")
    add = ("participant", "add", "--answers", str(answers), "--identifiers", str(names))
    done = fv(*add[:2], str(cli_study), "Wren", *add[2:])
    assert done.returncode == 0 and "added participant Wren" in done.stdout, done.stderr
    assert not (ghost / ".participant.id.7178.tmp").exists() and (ghost / "identifiers.json.age").is_file()
    again = fv(*add[:2], str(cli_study), "Wren", *add[2:])
    assert again.returncode == 1 and "taken already" in again.stderr, again.stderr


def test_a_study_participant_on_a_kit_is_never_taken_for_a_cut_off_add(cli_study: Path, tmp_path: Path) -> None:
    """QA QC1: a study participant with no session yet goes to the kit as a folder holding only participant.id; the
    kit's log never names her (it starts at field-kit.created), so `participant add` on the kit took her folder for
    an add cut off before its log entry, deleted it and gave a second woman her pseudonym (merge-kit refused her).
    She is refused as taken, as on the study; a kit's own cut-off add is still cleared."""
    answers = tmp_path / "answers.toml"
    answers.write_text(tomli_w.dumps(ANSWERS))
    assert fv("participant", "add", str(cli_study), "Rose", "--answers", str(answers)).returncode == 0
    kit = tmp_path / "kit"
    assert fv("field-kit", str(cli_study), str(kit)).returncode == 0
    hers = (cli_study / "participants" / "Rose" / "participant.id").read_bytes()
    assert_one_line_error(fv("participant", "add", str(kit), "Rose", "--answers", str(answers)), "taken already")
    assert (kit / "participants" / "Rose" / "participant.id").read_bytes() == hers
    ghost = kit / "participants" / "Wren"  # an add on the kit killed after its id: cleared, the add runs again
    ghost.mkdir()
    (ghost / "participant.id").write_text("0" * 32 + "\n")
    done = fv("participant", "add", str(kit), "Wren", "--answers", str(answers))
    assert done.returncode == 0 and "added participant Wren" in done.stdout, done.stderr
    assert (ghost / "participant.id").read_text() != "0" * 32 + "\n"


def test_redact_proposes_spans_for_new_transcripts(cli_study: Path) -> None:
    from fieldvault.participants import ConsentRecord, KnownIdentifier, add_participant
    from fieldvault.redact.review import load
    from fieldvault.transcript import Segment, Transcript

    study = Study.open(cli_study)
    study.config.letter.update({})
    add_participant(study, "Rose", {}, ConsentRecord("m", "v", "s", "t"), [KnownIdentifier("Marcus")])
    (cli_study / "participants/Rose/s1").mkdir()
    transcript = Transcript(
        "Rose",
        "s1",
        (Segment(0, 1, "markus took me to the Budget Inn."),),
        (),
        {"name": "x"},
        "faster-whisper",
        {},
        1.0,
        1.0,
        "now",
    )
    study.write_new("participants/Rose/s1/transcript.json.age", transcript.to_json())
    done = fv("redact", str(cli_study))
    assert done.returncode == 0 and "2 spans proposed" in done.stdout, done.stdout + done.stderr
    assert "nothing to do" in fv("redact", str(cli_study), "Rose").stdout
    stored = load(study, "Rose", "s1", study.unlock(PASSPHRASE.encode()))
    assert [(s.text, s.source, s.state) for s in stored.spans] == [
        ("markus", "known", "undecided"),
        ("Budget Inn", "context", "undecided"),
    ]
    assert_one_line_error(fv("redact", str(cli_study), "Nobody"), "no participant")


def test_a_field_kit_merges_back_into_the_study(cli_study: Path, tmp_path: Path) -> None:
    study = Study.open(cli_study)
    (cli_study / "participants" / "Rose").mkdir()
    assert fv("field-kit", str(cli_study), str(tmp_path / "kit")).returncode == 0
    kit = Study.open(tmp_path / "kit")
    kit_recording(kit, "participants/Rose/20261124-100000/audio.wav.age", b"second interview")
    kit_participant(kit, "Lily")
    kit_recording(kit, "participants/Lily/20261124-110000/audio.wav.age", b"first interview")
    done = fv("merge-kit", str(tmp_path / "kit"), str(cli_study))
    assert done.returncode == 0, done.stderr
    assert "7 file(s) merged in 2 session(s)" in done.stdout, done.stdout
    assert "merged participants/Lily/20261124-110000/audio.wav.age" in done.stdout
    identities = study.unlock(PASSPHRASE.encode())
    assert study.read("participants/Rose/20261124-100000/audio.wav.age", identities) == b"second interview"
    assert study.read("participants/Lily/profile.json.age", identities) == profile_json("Lily")
    before = sorted(p.relative_to(cli_study) for p in cli_study.rglob("*") if p.name != "audit.jsonl")
    again = fv("merge-kit", str(tmp_path / "kit"), str(cli_study))  # the same kit, merged twice: nothing new
    assert again.returncode == 0 and "0 file(s) merged" in again.stdout and "8 already there" in again.stdout
    assert sorted(p.relative_to(cli_study) for p in cli_study.rglob("*") if p.name != "audit.jsonl") == before
    (tmp_path / "kit" / "participants" / "Lily" / "20261124-110000" / "events.json.age").unlink()
    (tmp_path / "kit" / "participants" / "Lily" / "20261124-110000" / "events.json.age").symlink_to("/etc/passwd")
    refused = fv("merge-kit", str(tmp_path / "kit"), str(cli_study))
    assert refused.returncode == 1 and "refused participants/Lily/20261124-110000/events.json.age: is a link" in (
        refused.stderr
    )
    assert refused.stderr.strip().splitlines()[-1].startswith("fieldvault: error: 1 of the kit's files")
    assert_one_line_error(fv("merge-kit", str(cli_study), str(cli_study)), "not a field kit")


def test_a_kit_made_before_a_key_was_added_merges_and_says_to_make_a_new_one(cli_study: Path, tmp_path: Path) -> None:
    """QA D19 through the CLI: the README's transcriber key added while a kit is in the field."""
    from fieldvault.agefile import X25519Identity

    study = Study.open(cli_study)
    (cli_study / "participants" / "Rose").mkdir()
    assert fv("field-kit", str(cli_study), str(tmp_path / "kit")).returncode == 0
    kit_recording(Study.open(tmp_path / "kit"), "participants/Rose/20261124-100000/audio.wav.age", b"field interview")
    transcriber = X25519Identity.generate()
    added = fv("keys", "add-recipient", str(cli_study), str(transcriber.recipient()), "--name", "transcriber")
    assert added.returncode == 0, added.stderr
    done = fv("merge-kit", str(tmp_path / "kit"), str(cli_study))
    assert done.returncode == 0, done.stderr
    assert "its 2 encrypted file(s) were re-wrapped to the study's recipients as they are now" in done.stdout
    assert "make a new field kit" in done.stdout and "take it back to the field" not in done.stdout
    assert study.read("participants/Rose/20261124-100000/audio.wav.age", [transcriber]) == b"field interview"
    assert "can read every recording" not in done.stderr  # a key added: nobody reads the kit who should not


def test_a_kit_made_before_a_key_was_removed_names_who_can_still_read_it(cli_study: Path, tmp_path: Path) -> None:
    """QA E8: a transcriber removed (maybe for cause) while a kit is in the field can still read what the kit
    recorded; merge-kit said only the mild words of an added key. Now it names them, and the log records it."""
    from fieldvault.agefile import X25519Identity

    study = Study.open(cli_study)
    (cli_study / "participants" / "Rose").mkdir()
    transcriber = X25519Identity.generate()
    added = fv("keys", "add-recipient", str(cli_study), str(transcriber.recipient()), "--name", "trx")
    assert added.returncode == 0, added.stderr
    assert fv("field-kit", str(cli_study), str(tmp_path / "kit")).returncode == 0
    assert fv("keys", "remove-recipient", str(cli_study), "trx").returncode == 0
    kit = Study.open(tmp_path / "kit")
    kit_recording(kit, "participants/Rose/20261124-100000/audio.wav.age", b"field interview")
    assert kit.read("participants/Rose/20261124-100000/audio.wav.age", [transcriber]) == b"field interview"
    done = fv("merge-kit", str(tmp_path / "kit"), str(cli_study))
    assert done.returncode == 0, done.stderr
    assert "warning: the kit encrypts to trx, removed from the study since: trx can read every recording" in (
        done.stderr
    )
    assert "Wipe the kit now" in done.stderr
    [merged] = [e for e in study.audit.entries() if e.get("action") == "field-kit.merged"]
    assert merged["details"]["recipient"] == "trx"


def test_identifier_file_with_an_unknown_label_is_refused_in_one_line(cli_study: Path, tmp_path: Path) -> None:
    answers = tmp_path / "answers.toml"
    answers.write_bytes(tomli_w.dumps(ANSWERS).encode())
    names = tmp_path / "names.txt"
    names.write_text("Maria Gonzalez\nSTATE: Nevada\n")
    add = ("participant", "add", str(cli_study), "Rosa", "--answers", str(answers), "--identifiers", str(names))
    assert_one_line_error(fv(*add), "line 2", "'STATE' is not a label", "PERSON, LOCATION, ORG, CONTACT, DATE, ID")
    assert not (cli_study / "participants" / "Rosa").exists()
    names.write_text("Maria Gonzalez\nSTATE:\nHope House\n")  # QA E12: a label alone was stored as "STATE:"
    assert_one_line_error(fv(*add), "line 2", "'STATE' is not a label")
    names.write_text("Maria Gonzalez\nNAME:\n")
    assert_one_line_error(fv(*add), "line 2", "the label 'NAME' has no identifier after it")
    assert not (cli_study / "participants" / "Rosa").exists()
    names.write_text("Maria Gonzalez\nPLACE: Springfield\nHope House\n")
    assert fv(*add).returncode == 0
    study = Study.open(cli_study)
    labels = [(k.text, k.label) for k in known_identifiers(study, "Rosa", study.unlock(PASSPHRASE.encode()))]
    assert labels == [("Maria Gonzalez", "PERSON"), ("Springfield", "LOCATION"), ("Hope House", "ORG")]


@pytest.mark.parametrize(
    "option",
    [["--beam", "0"], ["--beam", "-3"], ["--beam", "10000"], ["--pause-markers", "nan"], ["--pause-markers", "-2"]],
)
def test_transcribe_refuses_a_beam_or_pause_it_cannot_use(ready_study, option: list[str]) -> None:
    """QA K18: --beam 0 and -3 ended in a traceback after the model loaded, --beam 10000 ran without end."""
    done = fv("transcribe", str(ready_study.root), *option)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert f"argument {option[0]}: {option[1]!r} is no" in done.stderr.splitlines()[-1], done.stderr


def test_a_pseudonym_in_the_form_of_an_export_stand_in_is_refused_at_add_and_rename(
    cli_study: Path, tmp_path: Path
) -> None:
    """QA R13: "Participant-d05f6c" was accepted as a pseudonym, so two women went out under one name (a half-written
    txt export, two sample-table rows alike). Exports give that form to a woman whose pseudonym is an identifier."""
    answers = tmp_path / "answers.toml"
    answers.write_text(tomli_w.dumps(ANSWERS))
    for name in ("Participant-d05f6c", "participant_D05F6C", "Participant 12"):
        assert_one_line_error(fv("participant", "add", str(cli_study), name, "--answers", str(answers)), "stand-in")
    assert fv("participant", "add", str(cli_study), "Rose", "--answers", str(answers)).returncode == 0
    assert_one_line_error(fv("participant", "rename", str(cli_study), "Rose", "Participant-0a1b2c"), "stand-in")
    assert sorted(p.name for p in (cli_study / "participants").iterdir()) == ["Rose"]


def test_a_stand_in_written_with_look_alike_letters_or_dashes_is_refused(cli_study: Path, tmp_path: Path) -> None:
    """QA R13's rest: "Раrticipant-d05f6c" (Cyrillic Р and а) and "Participant–d05f6c" (an en dash) read the same in an
    export as the stand-in they imitate, and passed. The rule now reads Unicode's skeleton (UTS #39)."""
    answers = tmp_path / "answers.toml"
    answers.write_text(tomli_w.dumps(ANSWERS))
    looks = ["Раrticipant-d05f6c", "Participant–d05f6c", "Participant—0a1b2c"]  # Cyrillic Р and а; en, em dash
    for name in [*looks, "PARTICIPANT-D05F6C", "Participant-1O1O1O"]:
        assert_one_line_error(fv("participant", "add", str(cli_study), name, "--answers", str(answers)), "stand-in")
    assert fv("participant", "add", str(cli_study), "Rose", "--answers", str(answers)).returncode == 0
    assert_one_line_error(fv("participant", "rename", str(cli_study), "Rose", "Раrticipant–0a1b2c"), "stand-in")
    assert fv("participant", "add", str(cli_study), "Partisipant-d05f6c", "--answers", str(answers)).returncode == 0
    assert sorted(p.name for p in (cli_study / "participants").iterdir()) == ["Partisipant-d05f6c", "Rose"]


def test_a_pseudonym_is_refused_beside_a_listed_name_written_without_its_letters(
    cli_study: Path, tmp_path: Path
) -> None:
    """QA R1's rest: the scrub reads "Bjørn" as "bjorn" since R1, the pseudonym rule did not: "Bjorn", "Tromso",
    "Lodz", "Duc" were accepted as pseudonyms (plaintext folder names, the audit log) beside Lan's "Bjørn
    Halvorsen", "Tromsø", "Łódź", "Nguyễn Văn Đức". One fold serves both now. Another woman's list is refused in
    the bare words, which tell the woman choosing nothing of whose it is (QA V12); her own list says why."""
    answers = tmp_path / "answers.toml"
    answers.write_text(tomli_w.dumps(ANSWERS))
    names = tmp_path / "lan.txt"
    names.write_text("Bjørn Halvorsen\nLOCATION: Tromsø\nLOCATION: Łódź\nNguyễn Văn Đức\nÆrø Lodge\n")
    add = ("participant", "add", str(cli_study), "Lan", "--answers", str(answers), "--identifiers", str(names))
    assert fv(*add).returncode == 0
    for name in ("Bjorn", "Tromso", "Lodz", "Duc", "Aero"):
        assert_one_line_error(
            fv("participant", "add", str(cli_study), name, "--answers", str(answers)), "cannot be used as a pseudonym"
        )
    assert fv("participant", "add", str(cli_study), "Iris", "--answers", str(answers)).returncode == 0
    assert_one_line_error(fv("participant", "rename", str(cli_study), "Iris", "BJORN"), "cannot be used as a pseudonym")
    assert_one_line_error(fv("participant", "rename", str(cli_study), "Lan", "Bjorn"), "may mention")
    assert sorted(p.name for p in (cli_study / "participants").iterdir()) == ["Iris", "Lan"]


def test_a_pseudonym_that_shortens_a_listed_name_is_refused(cli_study: Path, tmp_path: Path) -> None:
    """QA S7: "Mari" for Marisol, "Chidi" for Chidinma, "Quinta" for Quintanilla were accepted as pseudonyms, and
    went out as the export's case names and sat in plaintext in her folder's name: what people call her. A town's
    name shortened ("Rose" beside "Roseville") is no short form of hers."""
    answers = tmp_path / "answers.toml"
    answers.write_text(tomli_w.dumps(ANSWERS))
    names = tmp_path / "names.txt"
    names.write_text("Marisol Quintanilla\nChidinma Eze\nLOCATION: Roseville\n")
    for name in ("Mari", "Chidi", "quinta"):
        add = ("participant", "add", str(cli_study), name, "--answers", str(answers), "--identifiers", str(names))
        assert_one_line_error(fv(*add), "a short form of a name on the list of names she may mention")
    add = ("participant", "add", str(cli_study), "Rose", "--answers", str(answers), "--identifiers", str(names))
    assert fv(*add).returncode == 0
    assert_one_line_error(fv("participant", "rename", str(cli_study), "Rose", "Quin"), "short form")
    assert_one_line_error(fv("participant", "add", str(cli_study), "Chid", "--answers", str(answers)), "cannot be used")
    assert sorted(p.name for p in (cli_study / "participants").iterdir()) == ["Rose"]


def test_a_field_kit_whose_letter_was_changed_after_it_was_made_adds_no_one(cli_study: Path, tmp_path: Path) -> None:
    """QA R20: a support line changed by hand in a kit's study.toml ("Helpline 1-900-666-1313, ask for Mike") was
    read to every woman in the field; merge-kit noticed only afterwards. The kit's first log entry records the
    letter it was made with; a kit whose letter differs adds no one and records nothing."""
    kit = tmp_path / "kit"
    assert fv("field-kit", str(cli_study), str(kit)).returncode == 0
    answers = tmp_path / "answers.toml"
    answers.write_text(tomli_w.dumps(ANSWERS))
    toml = kit / "study.toml"
    original = toml.read_text()
    toml.write_text(original.replace(LETTER["support"], "Helpline 1-900-666-1313 (24h, ask for Mike)"))
    assert toml.read_text() != original
    assert_one_line_error(
        fv("participant", "add", str(kit), "Wren", "--answers", str(answers)), "letter was changed", "call the PI"
    )
    assert not (kit / "participants" / "Wren").exists()
    toml.write_text(original)  # the letter the PI made it with: the kit works again
    assert fv("participant", "add", str(kit), "Wren", "--answers", str(answers)).returncode == 0


def test_a_field_kit_whose_letter_or_recipients_changed_records_no_follow_up(cli_study: Path, tmp_path: Path) -> None:
    """QA R20's rest: a woman already on the kit was still recorded (`import`, `record`) after its letter was changed;
    at her follow-up she hears its support line again. And R18's list check holds at every write on a kit."""
    import wave

    kit = tmp_path / "kit"
    made = fv("field-kit", str(cli_study), str(kit))
    version = made.stdout.split("information letter ")[1].split()[0]
    answers = tmp_path / "answers.toml"
    answers.write_text(tomli_w.dumps(ANSWERS))
    added = fv("participant", "add", str(kit), "Wren", "--answers", str(answers))
    assert f"(consent on information letter {version})" in added.stdout  # the version field-kit printed
    audio = tmp_path / "follow-up.wav"
    with wave.open(str(audio), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        out.writeframes(bytes(32000))
    note = tmp_path / "entry.txt"
    note.write_text("After the interview.")
    toml = kit / "study.toml"
    original = toml.read_text()
    evil = X25519Identity.generate().recipient()
    changes = {
        "letter was changed": original.replace(LETTER["support"], "Helpline 1-900-666-1313 (24h, ask for Mike)"),
        "recipients was changed": original.replace(
            "recipients = [", f'recipients = [{{ name = "b", key = "{evil}" }}, ', 1
        ),
    }
    for said, changed in changes.items():
        assert changed != original
        toml.write_text(changed)
        for _ in range(2):  # run twice: refused twice, nothing written
            assert_one_line_error(fv("import", str(kit), "Wren", str(audio)), said, "PI")
        if said == "recipients was changed":
            assert_one_line_error(fv("journal", "add", str(kit), "--text-file", str(note)), said)
        assert [p.name for p in (kit / "participants" / "Wren").iterdir() if p.is_dir()] == []
    toml.write_text(original)
    assert fv("import", str(kit), "Wren", str(audio)).returncode == 0
    assert len([p for p in (kit / "participants" / "Wren").iterdir() if p.is_dir()]) == 1
