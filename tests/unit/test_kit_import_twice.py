"""QA AA9: on a field kit, an `import --shred-original` cut off after its session was in place was imported again
as a follow-up (the kit cannot read the digests its timelines hold), and merge-kit then refused the whole kit. The
kit now knows the files it imported by a keyed digest in its own log (fieldvault.kitimports)."""

from __future__ import annotations

import hashlib
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from fieldvault import layout, wavstream
from fieldvault.capture.importer import import_recording
from fieldvault.cli import main
from fieldvault.errors import BadInput
from fieldvault.kitimports import KEY_FILE, STAGED, imported_here, source_tag
from fieldvault.kitmerge import KitRefused, merge_kit
from fieldvault.sessioninfo import FOLLOW_UP, SessionInfo
from fieldvault.study import Study
from tests.conftest import ROOT
from tests.stewardship import ROSA, add_person


def _kit_and_card(study: Study, identities: list, tmp_path: Path) -> tuple[Study, Path]:
    """A kit made as `field-kit` makes one (its log keyed), and a recorder's file of one second of her voice."""
    add_person(study, ROSA, sessions=0)
    study.use_identities(identities)
    kit = study.make_field_kit(tmp_path / "kit")
    pcm = np.random.default_rng(7).integers(-3000, 3000, 16000, dtype=np.int16).tobytes()
    card = tmp_path / "rec.wav"
    card.write_bytes(wavstream.complete_wav(wavstream.WavFormat(16000, 1), pcm))
    return kit, card


def _sessions(kit: Study) -> list[str]:
    return sorted(p.name for p in (kit.root / "participants" / ROSA.pseudonym).iterdir() if p.is_dir())


@pytest.mark.parametrize("point", ["placed", "overwritten"])
def test_an_import_on_a_kit_killed_before_its_shred_is_not_imported_again_and_the_kit_merges(
    ready_study: Study, identities: list, tmp_path: Path, point: str
) -> None:
    kit, card = _kit_and_card(ready_study, identities, tmp_path)
    original = card.read_bytes()
    killed = subprocess.run(
        [sys.executable, "-m", "tests.importkill", point, str(kit.root), ROSA.pseudonym, str(card)],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-2000:]
    [session] = _sessions(kit)
    if point == "placed":
        said = f"rec.wav was imported on this kit already, as participants/{ROSA.pseudonym}/{session}; nothing was"
        left = original
    else:
        said = (
            "rec.wav was overwritten by an import's --shred-original that was cut off (imported as "
            f"participants/{ROSA.pseudonym}/{session}): it holds nothing of the recording; delete it"
        )
        left = card.read_bytes()
        assert left != original and len(left) == len(original)
    with pytest.raises(BadInput) as refused:
        import_recording(kit, ROSA.pseudonym, card, kind=SessionInfo(FOLLOW_UP))
    assert said in str(refused.value)
    assert _sessions(kit) == [session] and card.read_bytes() == left  # no second session; the file as it was
    report = merge_kit(ready_study, kit.root, identities)
    assert report.sessions == [f"{ROSA.pseudonym}/{session}"]
    [tag] = [e["details"]["source"] for e in kit.audit.entries() if e["action"] == STAGED]
    assert tag not in (ready_study.root / layout.AUDIT_FILE).read_text()  # the kit's own, never the study's


def test_a_forged_kit_entry_leaves_a_new_recording_where_it_is_and_one_naming_no_session_refuses_nothing(
    ready_study: Study, identities: list, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Whoever holds the kit holds its imports key and can append an entry: with a file's digest, they can make the
    kit refuse it, never shred it; an entry whose session is not in place (cut off before it was) refuses nothing."""
    kit, card = _kit_and_card(ready_study, identities, tmp_path)
    other = tmp_path / "other.wav"
    other.write_bytes(card.read_bytes()[:-2000])
    first = import_recording(kit, ROSA.pseudonym, other, kind=SessionInfo(FOLLOW_UP)).folder
    tag = source_tag(kit, hashlib.sha256(card.read_bytes()).hexdigest())
    assert (kit.root / KEY_FILE).is_file()
    kit.audit.append(STAGED, pseudonym=ROSA.pseudonym, session="20261128-000000", source=tag)
    assert imported_here(kit, tag) is None
    through = f"../../../{kit.root.name}/participants/{ROSA.pseudonym}/{first.name}"  # out of the kit and back in
    kit.audit.append(STAGED, pseudonym=ROSA.pseudonym, session=through, source=tag)
    assert imported_here(kit, tag) is None  # a session is a folder's name, never a path
    kit.audit.append(STAGED, pseudonym=ROSA.pseudonym, session=first.name, source=tag)  # the forgery
    original = card.read_bytes()
    assert main(["import", str(kit.root), ROSA.pseudonym, str(card), "--shred-original"]) != 0
    assert f"imported on this kit already, as participants/{ROSA.pseudonym}/{first.name}" in capsys.readouterr().err
    assert card.read_bytes() == original and _sessions(kit) == [first.name]


def test_merge_kit_names_the_mv_for_a_recording_a_kit_imported_twice_and_merges_the_rest_once_it_is_moved(
    ready_study: Study, identities: list, tmp_path: Path
) -> None:
    """A kit hit before it knew its files (or whose imports key was deleted): the same file, two sessions."""
    kit, card = _kit_and_card(ready_study, identities, tmp_path)
    first = import_recording(kit, ROSA.pseudonym, card, kind=SessionInfo(FOLLOW_UP)).folder
    (kit.root / KEY_FILE).unlink(missing_ok=True)
    again = import_recording(kit, ROSA.pseudonym, card, kind=SessionInfo(FOLLOW_UP)).folder
    with pytest.raises(KitRefused) as refused:
        merge_kit(ready_study, kit.root, identities)
    said = str(refused.value)
    aside = tmp_path / f"kit-held-{ROSA.pseudonym}-{again.name}"
    assert f"`mv {again} {aside}`), then merge again: the rest of the kit merges" in "\n".join(refused.value.refused)
    assert "nothing was merged. Do as said above for each, then merge again" in said
    again.rename(aside)
    assert merge_kit(ready_study, kit.root, identities).sessions == [f"{ROSA.pseudonym}/{first.name}"]
