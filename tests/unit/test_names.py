"""The one name rule: pseudonyms, session ids and model names can neither escape nor impersonate."""

from __future__ import annotations

from pathlib import Path

import pytest

from fieldvault import names
from fieldvault.errors import BadInput
from fieldvault.names import check_name, check_new_name, name_key
from fieldvault.participants import check_pseudonym, new_session_folder, participant_folder
from fieldvault.study import Study


@pytest.mark.parametrize(
    "name",
    [".", "..", "../..", "/tmp/x", "a/b", "a\\b", "a:b", "Lena\n", "Le\nna", "Le\tna", "\u202eLena", "Le\u200fna",
     "Lena\u2066", "Le\udcffna", "Le\x00na", ".hidden", "x" * 41, "   ", "a*b", 'a"b', "[b]Bo", "[default]Kay",
     "[@click=app.quit]Q"],
)  # fmt: skip
def test_names_that_could_escape_or_hide_are_refused(name: str) -> None:
    with pytest.raises(BadInput):
        check_name(name, "pseudonym")


def test_names_are_stored_in_nfc() -> None:
    nfd = "Rose\u0301"
    assert check_name(nfd) == "Ros\u00e9"
    assert check_name("  Mary Ann ") == "Mary Ann"


@pytest.mark.parametrize(
    "a, b",
    [
        ("Ros\u00e9", "Rose\u0301"),
        ("Rose", "ROSE"),
        ("Rose", "R\u043ese"),
        ("Lena", "\uff2cena"),
        ("Anna", "\u0410nna"),
    ],
)
def test_look_alikes_are_the_same_name(a: str, b: str) -> None:
    assert name_key(a) == name_key(b)


def test_nfc_and_nfd_spellings_are_one_participant(study: Study) -> None:
    (study.root / "participants" / "Ros\u00e9" / "20261124-100000").mkdir(parents=True)  # hers: a session
    with pytest.raises(BadInput, match="taken already"):
        check_pseudonym(study, "Rose\u0301")
    with pytest.raises(BadInput, match="taken already"):
        check_pseudonym(study, "R\u043es\u00e9")  # Cyrillic o
    assert participant_folder(study, "Rose\u0301").name == "Ros\u00e9"


def test_a_name_taken_as_typed_is_not_said_to_look_like_itself() -> None:
    """walk22: `participant add DIR Rose` twice said "'Rose' is taken already (or looks like 'Rose')"."""
    with pytest.raises(BadInput) as same:
        check_new_name("Rose", ["Rose"], "pseudonym")
    assert str(same.value) == "the pseudonym 'Rose' is taken already; choose another"
    with pytest.raises(BadInput) as alike:
        check_new_name("ROSE", ["Rose"], "pseudonym")
    assert str(alike.value) == "the pseudonym 'ROSE' is taken already (it looks like 'Rose'); choose another"


@pytest.mark.parametrize("name", ["../..", "..", ".", "/tmp/outside"])
def test_sessions_cannot_be_made_outside_a_participant(study: Study, name: str, tmp_path: Path) -> None:
    before = sorted(p for p in tmp_path.rglob("*") if "fieldvault-home" not in p.parts)
    with pytest.raises(BadInput):
        new_session_folder(study, name)
    assert sorted(p for p in tmp_path.rglob("*") if "fieldvault-home" not in p.parts) == before


def test_model_names_follow_the_rule(tmp_path: Path) -> None:
    from fieldvault.transcribe.models import import_model

    folder = tmp_path / "model"
    folder.mkdir()
    for name in (".", "..", "a\nb", "\u202ebase", "x/y"):
        with pytest.raises(BadInput):
            import_model(folder, name)


def test_the_pseudonym_rule_and_the_scrub_fold_letters_alike() -> None:
    """QA R1's rest: the scrub read "Bjørn" as "bjorn", the pseudonym rule as "bjørn", so "Bjorn" passed beside a
    listed "Bjørn". One fold (names.plain_letters) serves both."""
    from fieldvault.export.scrub import fold

    for listed, typed in [("Bjørn", "Bjorn"), ("Łódź", "Lodz"), ("Đức", "Duc"), ("Ærø", "Aero"), ("Þór", "Thor")]:
        assert names.same_name(listed, typed), (listed, typed)
        assert names.name_key(listed) == fold(listed).text == fold(typed).text
    assert not names.same_name("Bjørn", "Bjarn")


def test_skeletons_are_unicodes_confusables() -> None:
    """The shipped table is UTS #39's (scripts/build_confusables.py): a few of its prototypes, as the standard says."""
    assert names.skeleton("Раrticipant") == "Participant"  # Cyrillic Р, а
    assert names.skeleton("a–b") == "a-b" and names.skeleton("0") == "O" and names.skeleton("I") == "l"
    assert names.skeleton("m") == "rn" and names.skeleton("Rose") == "Rose"
    assert "Version: 14.0.0" in names.CONFUSABLES.read_text(encoding="utf-8")
