"""qa23's AA9 K=25 in a study: an `import --shred-original` killed after its overwrite was synced and before the unlink
left a file the rerun called "cannot read rec.wav as audio", though her recording was imported and sealed. The study
overwrites with a keystream drawn from the file's digest keyed with the study key, and its rerun names that file."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from fieldvault import wavstream
from fieldvault.capture.importer import import_recording
from fieldvault.errors import BadInput
from fieldvault.sessioninfo import FIRST, FOLLOW_UP, SessionInfo
from fieldvault.study import Study
from tests.conftest import PASSPHRASE, ROOT
from tests.stewardship import ROSA, add_person


def _card(tmp_path: Path, name: str, seed: int) -> Path:
    pcm = np.random.default_rng(seed).integers(-3000, 3000, 16000, dtype=np.int16).tobytes()
    card = tmp_path / name
    card.write_bytes(wavstream.complete_wav(wavstream.WavFormat(16000, 1), pcm))
    return card


def test_a_study_import_killed_after_its_shred_overwrote_the_file_names_it_on_the_rerun(
    ready_study: Study, identities: list, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_person(ready_study, ROSA, sessions=0)
    earlier = import_recording(ready_study, ROSA.pseudonym, _card(tmp_path, "first.wav", 3), identities,
                               SessionInfo(FIRST)).folder  # fmt: skip
    card = _card(tmp_path, "rec.wav", 7)
    original = card.read_bytes()
    monkeypatch.setenv("FIELDVAULT_PASSPHRASE", PASSPHRASE)  # the study key, as the PI gives it
    killed = subprocess.run(
        [sys.executable, "-m", "tests.importkill", "overwritten", str(ready_study.root), ROSA.pseudonym, str(card)],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-2000:]
    sessions = sorted(p.name for p in earlier.parent.iterdir() if p.is_dir())
    [session] = set(sessions) - {earlier.name}
    left = card.read_bytes()
    assert left != original and len(left) == len(original)
    with pytest.raises(BadInput) as refused:
        import_recording(ready_study, ROSA.pseudonym, card, identities, SessionInfo(FOLLOW_UP))
    assert (
        "rec.wav was overwritten by an import's --shred-original that was cut off (imported as "
        f"participants/{ROSA.pseudonym}/{session}): it holds nothing of the recording; delete it"
    ) in str(refused.value)
    assert card.read_bytes() == left and sorted(p.name for p in earlier.parent.iterdir() if p.is_dir()) == sessions
    card.write_bytes(left[:-1] + bytes([left[-1] ^ 1]))  # one byte not the overwrite's: not named so
    with pytest.raises(BadInput, match=r"cannot read rec\.wav as audio"):
        import_recording(ready_study, ROSA.pseudonym, card, identities, SessionInfo(FOLLOW_UP))
