"""No network, proved: `redact`, `redact-text` and the review screen open for a minute, in one process under
strace, with Python's own socket calls audited too; and nothing written outside the study (no device id
under ~/.cache/Microsoft: HOME points at an empty folder that must stay empty)."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from fieldvault.participants import ConsentRecord, KnownIdentifier, add_participant
from fieldvault.study import Study
from fieldvault.transcript import Segment, Transcript
from tests.conftest import ANSWERS, PASSPHRASE, ROOT, need

HELD_OPEN = 62.0  # seconds: the issue saw onnxruntime's DNS queries about 9 s after the model loaded


def _study_to_review(study: Study) -> None:
    consent = ConsentRecord("information letter given; verbal consent", "v", "s", "now")
    add_participant(study, "Rose", ANSWERS, consent, [KnownIdentifier("Marcus")])
    (study.root / "participants" / "Rose" / "s1").mkdir()
    study.write_new("participants/Rose/s1/audio.wav.age", b"")
    segments = (Segment(0.0, 4.0, "markus took me to Phoenix."), Segment(4.0, 8.0, "my sister tanya came."))
    transcript = Transcript("Rose", "s1", segments, (), {"name": "tiny.en"}, "faster-whisper", {}, 8.0, 1.0, "now")
    study.write_new("participants/Rose/s1/transcript.json.age", transcript.to_json())


@pytest.mark.slow
def test_redaction_and_review_open_a_minute_touch_no_network_and_write_nothing_outside_the_study(
    study: Study, tmp_path: Path
) -> None:
    strace = need("strace")
    _study_to_review(study)
    text = tmp_path / "passage.txt"
    # The second line reaches the word-frequency lists (wordfreq) through the rare-word layer, the third the
    # gazetteer (fieldvault/redact/data/places.tsv.gz): "warren" is a town only a place slot and the list tell.
    text.write_text(
        "My pimp Marcus took me to Phoenix; call 602-555-0199.\ni did nine months in hilltop, then a job at kroger.\n"
        "then we moved out to warren, on the east side.\n",
        encoding="utf-8",
    )
    home, log = tmp_path / "home", tmp_path / "strace.log"
    home.mkdir()
    before = {p for p in tmp_path.rglob("*") if "study" not in p.relative_to(tmp_path).parts[:1]}
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "FIELDVAULT_PASSPHRASE": PASSPHRASE,
        "PYTHONPATH": str(ROOT),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    env.pop("ORT_DISABLE_TELEMETRY", None)  # fieldvault must set it itself
    done = subprocess.run(
        [strace, "-f", "-qq", "-e", "trace=socket,connect,sendto,sendmsg", "-o", str(log), sys.executable, "-m",
         "tests.e2e.offline_probe", str(study.root), str(text), str(HELD_OPEN)],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=HELD_OPEN + 120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    assert "CODES [0, 0]" in done.stdout, done.stdout[-2000:] + done.stderr[-2000:]
    assert '"source": "rare", "text": "hilltop"' in done.stdout  # the frequency lists were read
    assert '"label": "LOCATION", "source": "context", "text": "warren"' in done.stdout  # and the gazetteer
    calls = log.read_text().splitlines()
    assert any("socket(AF_UNIX" in line for line in calls), "strace missed the probe's control socket"
    network = [line for line in calls if re.search(r"AF_INET6?\b", line)]
    assert network == [], "\n".join(network[:10])
    audited = [json.loads(line[len("AUDIT ") :]) for line in done.stdout.splitlines() if line.startswith("AUDIT ")]
    created = [e["args"][1] for e in audited if e["event"] == "socket.__new__"]
    assert socket.AF_UNIX in created, audited[:5]  # the probe's control socket
    inet = [
        e
        for e in audited
        if e["event"] in ("socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyaddr")
        or (e["event"] == "socket.__new__" and e["args"][1] in (socket.AF_INET, socket.AF_INET6))
        or any("AF_INET" in str(a) for a in e["args"])
    ]
    assert inet == [], inet[:5]
    assert list(home.rglob("*")) == [], "written under HOME: " + ", ".join(map(str, home.rglob("*")))
    after = {p for p in tmp_path.rglob("*") if "study" not in p.relative_to(tmp_path).parts[:1]}
    # The TUI remembers which study it opened (its own settings folder, no identifiers); nothing else. The folder
    # itself may exist already: creating the study remembered there the recipient list it sealed (QA G5).
    settings = tmp_path / "fieldvault-home"
    assert after - before - {settings} == {log, settings / "recent.json"}, sorted(map(str, after - before))
