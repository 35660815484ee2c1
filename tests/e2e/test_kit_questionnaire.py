"""A questionnaire changed on a field kit (its questionnaire.toml is plaintext there) asked her what the IRB never
approved, and merge-kit took it in without a word; every export carried it as a variable (QA K14 B). The real binary:
merge-kit names her and the questions the study does not ask, audits it, and exports leave those answers out.

The kit itself now refuses to add anyone once its questionnaire differs from the one it was made with (QA S6); the
answers below come onto the kit as a fieldvault without that check (an older one) would have sealed them, which is
what merge-kit must still catch."""

from __future__ import annotations

from pathlib import Path

import tomli_w

from fieldvault.participants import ConsentRecord, Profile
from fieldvault.study import Study
from fieldvault.templates import template_text
from tests.conftest import ANSWERS, kit_participant
from tests.e2e.test_cli import assert_one_line_error, fv

CHANGED = """
[[field]]
name = "legal_name"
label = "Her full legal name (for the gift card)"
type = "text"

[[field]]
name = "phone"
label = "Phone"
type = "text"
"""


def test_answers_to_questions_the_study_never_asks_are_named_at_merge_and_never_exported(
    study_dir: Path,
    tmp_path: Path,
) -> None:
    kit = tmp_path / "kit"
    assert fv("field-kit", str(study_dir), str(kit)).returncode == 0
    (kit / "questionnaire.toml").write_text(template_text("questionnaire.toml", None) + CHANGED)
    answers = tmp_path / "nia.toml"
    asked = {**ANSWERS, "legal_name": "Adwoa Mensah-Bonsu", "phone": "702 555 0199"}
    answers.write_bytes(tomli_w.dumps(asked).encode())
    refused = fv("participant", "add", str(kit), "Nia", "--answers", str(answers))
    assert_one_line_error(refused, "questionnaire.toml was changed in this field kit", "call the PI")  # QA S6
    consent = ConsentRecord("verbal", "letter-1", "script-1", "2026-11-24T10:00:00+00:00")
    kit_participant(Study.open(kit), "Nia", Profile("Nia", asked, consent, consent.given_at).to_json())
    done = fv("merge-kit", str(kit), str(study_dir))
    assert done.returncode == 0, done.stderr
    warned = [line for line in done.stderr.splitlines() if "Nia's answers" in line]
    assert len(warned) == 1, done.stderr
    assert "2 question(s) the study's questionnaire does not ask ('legal_name', 'phone')" in warned[0]
    assert "the kit's questionnaire is not the one the study sent with it" in done.stderr
    assert "Adwoa" not in done.stdout + done.stderr
    study = Study.open(study_dir)
    [entry] = [e for e in study.audit.entries() if e["action"] == "field-kit.answers-unapproved"]
    assert entry["details"] == {"pseudonym": "Nia", "count": 2}
    out = tmp_path / "sample.csv"
    done = fv("export", str(study_dir), "--format", "demographics", "--out", str(out))
    assert done.returncode == 0, done.stderr
    table = out.read_text()
    assert "legal_name" not in table and "phone" not in table and "Mensah" not in table and "0199" not in table
    assert "age_at_entry" in table  # the approved questions still go out
    done = fv("report", str(study_dir), "--out", str(tmp_path / "irb.md"))
    assert done.returncode == 0, done.stderr
    [row] = [line for line in (tmp_path / "irb.md").read_text().splitlines() if line.startswith("| Nia |")]
    assert "she answered 2 question(s) NOT on the study's questionnaire" in row and "Mensah" not in row
    done = fv("merge-kit", str(kit), str(study_dir))  # merged again (as a letter the study never issued): said again
    assert "Nia's answers" in done.stderr
    assert len([e for e in study.audit.entries() if e["action"] == "field-kit.answers-unapproved"]) == 2


def test_a_question_reworded_on_the_kit_is_named_and_an_untouched_kit_merges_quietly(
    study_dir: Path, tmp_path: Path
) -> None:
    """The same field names asking something else ("Age" become "Your home address"): no answer is unknown, but the
    questionnaire the study's signed field-kit.made entry records is not the kit's."""
    answers = tmp_path / "answers.toml"
    untouched, reworded = tmp_path / "kit1", tmp_path / "kit2"
    for kit in (untouched, reworded):
        assert fv("field-kit", str(study_dir), str(kit)).returncode == 0
    done = fv("participant", "add", str(untouched), "Ivy", "--answers", str(answers))
    assert done.returncode == 0, done.stderr
    done = fv("merge-kit", str(untouched), str(study_dir))
    assert done.returncode == 0 and "warning" not in done.stderr, done.stderr
    text = template_text("questionnaire.toml", None)
    (reworded / "questionnaire.toml").write_text(text.replace('label = "Age (years)"', 'label = "Your home address"'))
    refused = fv("participant", "add", str(reworded), "Nia", "--answers", str(answers))
    assert_one_line_error(refused, "questionnaire.toml was changed in this field kit", "call the PI")  # QA S6
    kit_participant(Study.open(reworded), "Nia")  # as a fieldvault without that check would have added her
    done = fv("merge-kit", str(reworded), str(study_dir))
    assert done.returncode == 0, done.stderr
    assert "the kit's questionnaire is not the one the study sent with it" in done.stderr
    assert "Nia's answers" not in done.stderr  # no question the study does not have
    logged = [e for e in Study.open(study_dir).audit.entries() if e["action"] == "field-kit.questionnaire-changed"]
    assert len(logged) == 1
