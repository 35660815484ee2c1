"""QA S6: a consent_reconfirmation.md dropped into a field kit's folder was read to every woman at her follow-up (its
support line an attacker's phone), and verbal_consent.md or guide.toml likewise; only the letter was checked (R20).
The real binary: `field-kit` records every template's digest in the kit's first entry; the kit adds and records no
one while a template differs, was removed, or was put there after it was made; merge-kit names such a template; a
kit made before templates were recorded is held to the ones fieldvault ships."""

from __future__ import annotations

import dataclasses
import json
import shlex
import time
import wave
from pathlib import Path

import pytest
import tomli_w

from fieldvault import layout
from fieldvault.kittemplates import shipped_bytes
from fieldvault.study import STUDY_TEMPLATES, Study
from tests.conftest import ANSWERS, fill_letter
from tests.e2e.conftest import PrivatePulse
from tests.e2e.test_cli import assert_one_line_error, fv
from tests.e2e.test_tui_tmux import Tmux, _env

EVIL = "Mike, 1-900-666-1313 (he will pick you up)"
GUIDE = 'narrative_prompt = "Tell me about the time you left."\n[[follow_up]]\ntext = "What helped?"\n'


def _attacked(name: str) -> bytes:
    """What someone with a few minutes at the laptop writes as ``name``: the shipped text with their own line in."""
    text = shipped_bytes(name).decode()
    if "{{support}}" in text:
        return text.replace("{{support}}", EVIL).encode()
    if name.endswith(".toml"):
        return (text + '\n[[follow_up]]\ntext = "Where do you sleep now? The address, for the gift card."\n').encode()
    return (text + "\n5. Your full legal name and where you stay now, for the gift card.\n").encode()


def _wav(path: Path) -> Path:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        out.writeframes(bytes(32000))
    return path


def _sessions(kit: Path, who: str) -> list[str]:
    folder = kit / "participants" / who
    return sorted(p.name for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []


@pytest.fixture
def own_guide(study_dir: Path) -> Path:
    """The study has a guide of its own; the other templates are the shipped ones."""
    (study_dir / "guide.toml").write_text(GUIDE)
    return study_dir


def test_every_template_changed_removed_or_dropped_into_a_kit_stops_its_sessions(
    own_guide: Path, tmp_path: Path
) -> None:
    kit = tmp_path / "kit"
    made = fv("field-kit", str(own_guide), str(kit), "--letter-changed")  # the PI vouches for her guide
    assert made.returncode == 0, made.stderr
    first = json.loads((kit / "audit.jsonl").read_text().splitlines()[0])
    assert first["action"] == "field-kit.created"
    recorded = dict(item.split("=") for item in first["details"]["templates"].split(","))
    assert sorted(recorded) == sorted(STUDY_TEMPLATES)
    assert recorded["guide.toml"] and recorded["questionnaire.toml"] and recorded["consent_reconfirmation.md"] == ""
    answers = tmp_path / "answers.toml"
    answers.write_text(tomli_w.dumps(ANSWERS))
    assert fv("participant", "add", str(kit), "Wren", "--answers", str(answers)).returncode == 0
    audio = _wav(tmp_path / "follow-up.wav")
    for name in STUDY_TEMPLATES:
        path = kit / name
        before = path.read_bytes() if path.exists() else None
        how = "put into this field kit's folder" if before is None else "changed in this field kit"
        attacks = {how: _attacked(name)}
        if before is not None:
            attacks["removed from this field kit"] = b""
        for said, attack in attacks.items():
            if attack:
                path.write_bytes(attack)
            else:
                path.unlink()
            for _ in range(2 if name == "consent_reconfirmation.md" else 1):  # run twice: refused twice
                refused = fv("import", str(kit), "Wren", str(audio))
                assert_one_line_error(refused, name, said, "call the PI")
                assert EVIL not in refused.stderr
            add = fv("participant", "add", str(kit), "Ivy", "--answers", str(answers))
            assert_one_line_error(add, name, said, "call the PI")
            assert _sessions(kit, "Wren") == [] and not (kit / "participants" / "Ivy").exists()
            if before is None:
                path.unlink()
            else:
                path.write_bytes(before)
    assert fv("import", str(kit), "Wren", str(_wav(tmp_path / "first.wav"))).returncode == 0  # as made: it records
    assert len(_sessions(kit, "Wren")) == 1


def test_record_on_a_kit_with_a_dropped_script_opens_no_session(
    study_dir: Path, tmp_path: Path, private_pulse: PrivatePulse
) -> None:
    """`record` through a real input (PortAudio, the test's own PulseAudio): refused in one line, nothing written."""
    kit = tmp_path / "kit"
    assert fv("field-kit", str(study_dir), str(kit)).returncode == 0
    answers = tmp_path / "answers.toml"
    answers.write_text(tomli_w.dumps(ANSWERS))
    assert fv("participant", "add", str(kit), "Wren", "--answers", str(answers)).returncode == 0
    (kit / "consent_reconfirmation.md").write_bytes(_attacked("consent_reconfirmation.md"))
    record = ("record", str(kit), "Wren", "--device", "pulse", "--seconds", "2")
    refused = fv(*record, env=private_pulse.env)
    assert_one_line_error(refused, "consent_reconfirmation.md was put into this field kit's folder", "call the PI")
    assert _sessions(kit, "Wren") == []
    (kit / "consent_reconfirmation.md").unlink()
    done = fv(*record, env=private_pulse.env)
    assert done.returncode == 0, done.stderr
    assert len(_sessions(kit, "Wren")) == 1


def test_merge_kit_names_a_template_changed_on_the_kit_and_a_kit_left_alone_merges_quietly(
    study_dir: Path, tmp_path: Path
) -> None:
    answers = tmp_path / "answers.toml"
    answers.write_text(tomli_w.dumps(ANSWERS))
    untouched, changed = tmp_path / "kit1", tmp_path / "kit2"
    for kit, who in ((untouched, "Ada"), (changed, "Bea")):
        assert fv("field-kit", str(study_dir), str(kit)).returncode == 0
        assert fv("participant", "add", str(kit), who, "--answers", str(answers)).returncode == 0
    done = fv("merge-kit", str(untouched), str(study_dir))
    assert done.returncode == 0 and "warning" not in done.stderr, done.stderr
    (changed / "consent_reconfirmation.md").write_bytes(_attacked("consent_reconfirmation.md"))
    (changed / "verbal_consent.md").write_bytes(_attacked("verbal_consent.md"))
    done = fv("merge-kit", str(changed), str(study_dir))
    assert done.returncode == 0, done.stderr
    warned = [line for line in done.stderr.splitlines() if "is not the one the study sent with it" in line]
    assert [line.split("the kit's ")[1].split()[0] for line in warned] == [
        "verbal_consent.md",
        "consent_reconfirmation.md",
    ], done.stderr
    assert all("treat the kit as compromised" in line for line in warned)
    entries = Study.open(study_dir).audit.entries()
    logged = [e["details"] for e in entries if e["action"] == "field-kit.template-changed"]
    assert [d["file"] for d in logged] == ["verbal_consent.md", "consent_reconfirmation.md"]


def _as_an_older_fieldvault_made_it(kit: Path) -> None:
    """The kit's first entry as field-kit wrote it before it recorded templates (its hash as it was)."""
    log = kit / "audit.jsonl"
    lines = log.read_text().splitlines()
    first = json.loads(lines[0])
    del first["details"]["templates"]
    log.write_text("\n".join([json.dumps(first), *lines[1:]]) + "\n")


def test_a_kit_made_before_templates_were_recorded_takes_only_the_shipped_ones(
    study_dir: Path, own_guide: Path, tmp_path: Path
) -> None:
    answers = tmp_path / "answers.toml"
    answers.write_text(tomli_w.dumps(ANSWERS))
    plain = tmp_path / "old"
    (own_guide / "guide.toml").rename(tmp_path / "guide.toml")  # a study with the shipped templates only
    assert fv("field-kit", str(study_dir), str(plain)).returncode == 0
    _as_an_older_fieldvault_made_it(plain)
    assert fv("participant", "add", str(plain), "Wren", "--answers", str(answers)).returncode == 0
    (plain / "consent_reconfirmation.md").write_bytes(_attacked("consent_reconfirmation.md"))
    refused = fv("import", str(plain), "Wren", str(_wav(tmp_path / "a.wav")))
    assert_one_line_error(refused, "made by an older fieldvault", "consent_reconfirmation.md", "makes the kit again")
    (plain / "consent_reconfirmation.md").write_bytes(shipped_bytes("consent_reconfirmation.md"))  # byte for byte
    assert fv("import", str(plain), "Wren", str(_wav(tmp_path / "b.wav"))).returncode == 0
    (tmp_path / "guide.toml").rename(study_dir / "guide.toml")  # a study guide of its own: no kit can vouch for it
    own = tmp_path / "old-own"
    assert fv("field-kit", str(study_dir), str(own), "--letter-changed").returncode == 0
    _as_an_older_fieldvault_made_it(own)
    refused = fv("participant", "add", str(own), "Ivy", "--answers", str(answers))
    assert_one_line_error(refused, "made by an older fieldvault", "guide.toml", "call the PI")


@pytest.mark.slow
def test_a_follow_up_on_a_kit_with_a_dropped_script_is_refused_in_a_real_terminal(
    study: Study, fieldvault_home: Path, tmp_path: Path
) -> None:
    """What the interviewer sees: `r` on a woman interviewed before names the file and says to call the PI; the
    dropped script's phone is never on the screen, and no session starts."""
    fill_letter(study)
    folder = layout.session(study.root, "Rose", "20261124-101500")
    folder.mkdir(parents=True)
    study.write_new(folder / layout.AUDIO, b"")
    kit = tmp_path / "kit"
    assert fv("field-kit", str(study.root), str(kit)).returncode == 0
    (kit / "consent_reconfirmation.md").write_bytes(_attacked("consent_reconfirmation.md"))
    term = Tmux(f"fieldvault open {shlex.quote(str(kit))}", _env(fieldvault_home))
    try:
        term.wait_for("Open field kit")
        term.keys("Enter")
        term.wait_for("Participant")
        term.keys("r")
        # A toast's lines each start with its border: read its words as one line, wherever they wrap
        shown = term.wait_until(lambda screen: "call the PI" in " ".join(screen.replace("▌", " ").split()), seconds=20)
        flat = " ".join(shown.replace("▌", " ").split())
        assert "consent_reconfirmation.md" in flat and "1-900" not in flat, flat
        term.keys("1")
        time.sleep(1)
        assert "1-900" not in term.screen() and "Consent, again" not in term.screen(), term.screen()
        term.send("C-q")
        term.wait_gone()
    finally:
        term.kill()
    assert _sessions(kit, "Rose") == []


def test_a_template_put_into_the_study_folder_stops_the_next_kit_until_the_pi_vouches_for_it(
    study_dir: Path, tmp_path: Path
) -> None:
    """The kit trusts what it was made with, so `field-kit` takes only templates the study key vouched for: the
    study's first entry records that it has none of its own; each seal of its letter records them as they are."""
    init = Study.open(study_dir).audit.entries()[0]
    assert init["action"] == "study.init" and set(init["details"]["templates"].split(",")) == {
        f"{name}=" for name in STUDY_TEMPLATES
    }
    dropped = study_dir / "consent_reconfirmation.md"
    dropped.write_bytes(_attacked("consent_reconfirmation.md"))  # a synced study folder: anyone on the team
    for _ in range(2):
        refused = fv("field-kit", str(study_dir), str(tmp_path / "kit1"))
        assert_one_line_error(
            refused, "consent_reconfirmation.md was put into the study folder", "--letter-changed", "backup"
        )
        assert not (tmp_path / "kit1").exists()
    dropped.unlink()
    assert fv("field-kit", str(study_dir), str(tmp_path / "kit1")).returncode == 0  # as vouched for: no flag
    (study_dir / "guide.toml").write_text(GUIDE)  # the PI writes her own guide
    refused = fv("field-kit", str(study_dir), str(tmp_path / "kit2"))
    assert_one_line_error(refused, "guide.toml was put into the study folder")
    dropped.write_bytes(_attacked("consent_reconfirmation.md"))  # QA T15: dropped while the PI changes her own
    study = Study.open(study_dir)  # and the letter: its refusal names every template beside it (QA T15's rest)
    study._save_config(dataclasses.replace(study.config, letter={**study.config.letter, "support": "New helpline"}))
    refused = fv("field-kit", str(study_dir), str(tmp_path / "kit2"))
    assert_one_line_error(
        refused,
        "information letter",
        "changed since it was sealed",
        "guide.toml was put into; consent_reconfirmation.md was put into the study folder",
    )
    made = fv("field-kit", str(study_dir), str(tmp_path / "kit2"), "--letter-changed")
    assert made.returncode == 0, made.stderr
    notes = [line for line in made.stderr.splitlines() if line.startswith("note: this kit vouches for")]
    assert len(notes) == 2, made.stderr  # each template the flag seals, named: her guide and the dropped script
    assert any("guide.toml (new in the study folder)" in n for n in notes), notes
    assert any("consent_reconfirmation.md (new in the study folder)" in n for n in notes), notes
    dropped.unlink()
    made = fv("field-kit", str(study_dir), str(tmp_path / "kit2b"), "--letter-changed")
    assert made.returncode == 0 and "consent_reconfirmation.md (removed" not in made.stderr, made.stderr
    assert fv("field-kit", str(study_dir), str(tmp_path / "kit3")).returncode == 0  # vouched for since
    (study_dir / "guide.toml").write_text(GUIDE.replace("What helped?", "Where do you live now?"))
    assert_one_line_error(fv("field-kit", str(study_dir), str(tmp_path / "kit4")), "guide.toml was changed in")
