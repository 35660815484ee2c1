"""QA T8: a stereo file whose channels are one microphone with one side in opposite polarity (a lavalier's XLR hot and
cold on L and R) was mixed as it was: the channels cancelled, Whisper heard silence, and the interview transcribed to
0 segments without a word. The mix aligns polarity first."""

from __future__ import annotations

import numpy as np

from fieldvault.transcribe.stereo import channel_use


def test_one_microphone_in_opposite_polarity_is_mixed_whole() -> None:
    rng = np.random.default_rng(7)
    voice = (rng.standard_normal(16000 * 3) * 0.1).astype(np.float32)
    use = channel_use(voice, -voice)
    assert use.mono is not None and "one in opposite polarity" in use.why
    assert np.sqrt(np.mean(use.mono**2)) > 0.99 * np.sqrt(np.mean(voice**2))  # summed to -1 * 0: silence before


def test_one_microphone_written_twice_is_still_mixed_as_it_is() -> None:
    rng = np.random.default_rng(8)
    voice = (rng.standard_normal(16000 * 3) * 0.1).astype(np.float32)
    use = channel_use(voice, voice)
    assert use.mono is not None and "opposite" not in use.why
    assert np.allclose(use.mono, voice, atol=1e-6)
