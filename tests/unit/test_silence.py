"""When the CLI and the recording screen warn of digital silence, and when they say the signal is back
(capture.silence, shared by both)."""

from __future__ import annotations

from fieldvault.capture.silence import NO_SIGNAL_SECONDS, SilenceWatch, no_signal, signal_back

SILENT, SPEECH = -120.0, -20.0


def _feed(watch: SilenceWatch, levels: list[float], start: float = 0.0, step: float = 1.0):
    return [watch.heard(level, start + i * step) for i, level in enumerate(levels)]


def test_warns_once_when_silence_passes_three_seconds_and_says_when_signal_returns() -> None:
    watch = SilenceWatch()
    heard = _feed(watch, [SPEECH, SILENT, SILENT, SILENT, SILENT, SILENT, SILENT, SPEECH, SPEECH])
    assert [h.warn for h in heard] == [False, False, False, False, True, False, False, False, False]
    assert heard[4].seconds == NO_SIGNAL_SECONDS and heard[6].seconds == 5.0
    assert [h.back for h in heard] == [None] * 7 + [6.0, None]  # once, with the stretch's length
    assert heard[7].seconds == 0.0


def test_a_short_silence_is_neither_warned_of_nor_called_back() -> None:
    heard = _feed(SilenceWatch(), [SILENT, SILENT, SILENT, SPEECH, SILENT, SILENT, SPEECH])
    assert not any(h.warn for h in heard) and all(h.back is None for h in heard)


def test_each_stretch_of_silence_is_warned_of_on_its_own() -> None:
    heard = _feed(SilenceWatch(), [SILENT] * 5 + [SPEECH] + [SILENT] * 5)
    assert [i for i, h in enumerate(heard) if h.warn] == [3, 9]


def test_a_pause_forgets_the_silence_before_it() -> None:
    watch = SilenceWatch()
    _feed(watch, [SILENT] * 5)  # warned
    assert watch.paused().seconds == 0.0
    after = _feed(watch, [SILENT, SILENT, SILENT, SILENT], start=60.0)
    assert [h.seconds for h in after] == [0.0, 1.0, 2.0, 3.0]  # not 60 s: the pause recorded nothing
    assert [h.warn for h in after] == [False, False, False, True] and all(h.back is None for h in after)


def test_the_words_are_one_line_each() -> None:
    assert no_signal(3.2).startswith("NO SIGNAL for 3 s: the input gives digital silence")
    assert signal_back(6.0).startswith("signal back after 6 s of digital silence")
    assert "\n" not in no_signal(3) + signal_back(6)
