"""Clock strings: one module, the forms each consumer needs."""

from __future__ import annotations

from fieldvault.timecode import clock, elapsed


def test_clock_pads_every_field_and_clamps_negative_times() -> None:
    assert clock(3723.4567) == "01:02:03.457"
    assert clock(3723.4, digits=0) == "01:02:03"
    assert clock(-4, digits=0) == "00:00:00"


def test_subtitle_forms_carry_into_the_next_second() -> None:
    assert clock(59.9996, ",") == "00:01:00,000"
    assert clock(65.25, digits=1) == "00:01:05.2"


def test_elapsed_leaves_hours_unpadded() -> None:
    assert elapsed(125) == "0:02:05"
    assert elapsed(36125) == "10:02:05"
