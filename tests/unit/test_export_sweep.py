"""What exports killed part-way left (QA E13, H7), found over many earlier exports with each folder listed once: every
dead export's `.NAME.PID.tmp` beside its file or inside its folder, whatever dots its name holds, and nothing of a
name never exported, of an export still running, or a link."""

from __future__ import annotations

import os
from pathlib import Path

from fieldvault.export.output import export_leftovers, sweep_exports
from fieldvault.recording_lock import pid_alive


def _dead() -> int:
    return next(pid for pid in range(4_000_000, 4_100_000) if not pid_alive(pid))


def test_every_dead_exports_leftover_among_many_is_found_and_nothing_else(tmp_path: Path) -> None:
    dead = _dead()
    exports = tmp_path / "exports"
    exports.mkdir()
    outs = [exports / f"e{n}.v2.qdpx" for n in range(300)] + [exports / "coder-sample", exports / "coder-sample" / "x"]
    (exports / "coder-sample").mkdir()
    taken = [
        exports / f".e7.v2.qdpx.{dead}.tmp",  # beside a file export whose name has dots
        exports / f".e299.v2.qdpx.{dead}.tmp",
        exports / f".e8.v2.qdpx.part.{dead}.tmp",  # .NAME.X.tmp: the glob of one name took it, and so does this
        exports / "coder-sample" / f".P1_session-1.txt.{dead}.tmp",  # inside a folder export
        exports / "coder-sample" / f".x.{dead}.tmp",  # inside it and beside a file export there: named once
    ]
    left_alone = [
        exports / f".never-exported.qdpx.{dead}.tmp",
        exports / f".e7.v2.qdpx.{os.getpid()}.tmp",  # an export running now
        exports / f".e7.v2.qdpx.{dead}.tmp.bak",
        exports / f"e7.v2.qdpx.{dead}.tmp",  # no leading dot: no temporary file of ours
        exports / f".e7.v2.{dead}.tmp",  # of "e7.v2", never exported
    ]
    for path in taken + left_alone:
        path.write_bytes(b"her words")
    (exports / f".e9.v2.qdpx.{dead}.tmp").symlink_to(tmp_path / "elsewhere")  # a link: never followed
    found = export_leftovers(outs)
    assert sorted(found) == sorted(taken) and len(found) == len(set(found))
    assert sweep_exports(outs) == len(taken)
    assert not any(p.exists() for p in taken) and all(p.exists() for p in left_alone)
    assert export_leftovers(outs) == []


def test_places_that_are_gone_or_not_folders_are_passed_over(tmp_path: Path) -> None:
    dead = _dead()
    (tmp_path / "plain").write_bytes(b"x")
    kept = tmp_path / f".k.qdpx.{dead}.tmp"
    kept.write_bytes(b"her words")
    outs = [tmp_path / "gone" / "a.qdpx", tmp_path / "plain" / "b.qdpx", tmp_path / "k.qdpx"]
    assert export_leftovers(outs) == [kept]
