"""One file with one setting gives one transcript (QA E2: three runs of hoa.wav with `--speakers 2` gave three:
the temperature fallback sampled at random). Real tiny.en on her last answer, rebuilt as QA's hoa.wav."""

from __future__ import annotations

from fieldvault.transcribe.backend import Clip, Options, load_backend
from fieldvault.transcribe.models import resolve
from tests.conftest import need
from tests.e2e.test_mono_turns import ASKS, HOA, TELLS, recording


def test_the_sampling_fallback_gives_the_same_words_on_every_run() -> None:
    """Each run loads the model afresh, as each `fieldvault transcribe` does; her 10 s answer (26.1-36.6 s, which
    tiny.en first decodes as a loop) decoded again with temperature fallback gives the same words each time."""
    need("espeak-ng")
    audio, _ = recording(HOA, (ASKS, TELLS), seed=21)
    clip = Clip(26.118, 36.57)
    runs = []
    for _ in range(3):
        backend = load_backend("faster-whisper", resolve("tiny.en"))
        runs.append([(w.start, w.end, w.text) for p in backend.decode_again(audio, clip, Options()) for w in p.words])
    assert runs[0], "her answer decoded to nothing"
    assert runs[1] == runs[0] and runs[2] == runs[0], [" ".join(t for _, _, t in r) for r in runs]
