"""Clock strings: one module, the forms each consumer needs."""

from __future__ import annotations

from fieldvault.timecode import elapsed, hms, hms_millis


def test_hms_pads_every_field_and_clamps_negative_times() -> None:
    assert hms(3723.9) == "01:02:03"
    assert hms(-4) == "00:00:00"


def test_millisecond_forms_for_subtitles() -> None:
    assert hms_millis(3723.4567) == "01:02:03.457"
    assert hms_millis(59.9996, ",") == "00:01:00,000"


def test_elapsed_leaves_hours_unpadded() -> None:
    assert elapsed(125) == "0:02:05"
    assert elapsed(36125) == "10:02:05"
