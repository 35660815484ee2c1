"""sessionorder: a kit session is numbered within when its kit was made and when it was merged (the study's clock);
every other session, and every session of a study no kit wrote to, keeps the order of its id (QA S3)."""

from __future__ import annotations

from datetime import UTC, datetime

from fieldvault.sessionorder import KitWindow, kit_windows, recorded_order
from fieldvault.study import Study

MADE = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
MERGED = datetime(2026, 11, 28, 18, 0, tzinfo=UTC)


def test_a_study_no_kit_wrote_to_keeps_the_order_of_its_ids(study: Study) -> None:
    ids = ["20261127-090507-2", "20261124-101500", "20261127-090507", "20261201-000000"]
    assert kit_windows(study) == {}
    assert recorded_order(ids, kit_windows(study)) == sorted(ids)


def test_kit_sessions_dated_ahead_or_behind_are_kept_within_their_window_in_the_kits_order() -> None:
    windows = {
        "20360101-000200": KitWindow(MADE, MERGED, 2),  # a clock ten years ahead
        "20360101-000100": KitWindow(MADE, MERGED, 1),  # recorded before it on the same kit
        "20261119-230000": KitWindow(MADE, MERGED, 3),  # an hour before the kit was made (within a day's slack)
        "20261125-120000": KitWindow(MADE, MERGED, 4),  # dated right
    }
    study = ["20261120-080000", "20261122-100000", "20261129-100000"]
    assert recorded_order([*windows, *study], windows) == [
        "20261120-080000",  # the study's, before the kit was made
        "20261119-230000",  # the kit's earliest possible time: when it was made
        "20261122-100000",
        "20261125-120000",
        "20360101-000100",  # at the merge, in the kit's order
        "20360101-000200",
        "20261129-100000",  # recorded on the study after the merge: after them, whatever their dates said
    ]


def test_the_window_is_read_from_the_studys_log_of_the_kit(ready_study: Study, tmp_path) -> None:
    from fieldvault.kitmerge import merge_kit
    from tests.conftest import PASSPHRASE, kit_participant, kit_recording

    kit = ready_study.make_field_kit(tmp_path / "kit")
    kit_participant(kit, "Lena")
    kit_recording(kit, "participants/Lena/20360101-000200/audio.wav.age")
    kit.audit.append("import", pseudonym="Lena", session="20360101-000200", seconds=1.0)
    merge_kit(ready_study, kit.root, ready_study.unlock(PASSPHRASE.encode()))
    (window,) = kit_windows(ready_study).values()
    assert window.made is not None and window.made <= window.merged < datetime(2030, 1, 1, tzinfo=UTC)
    assert list(kit_windows(ready_study)) == ["20360101-000200"]
