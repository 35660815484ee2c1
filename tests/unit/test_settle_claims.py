"""QA W12: after `check --settle` kept a file lying in a removed session's place in .awaiting-authentication/ (her
live recording, moved there in a backup by someone without the passphrase), every `check` said "run --settle" (which
kept it again: a loop) and, apart, that her recording was gone. The kept file is named with whose it is, by the payload
id her session's sealed timeline names, and the `mv` that puts it back; --settle is never offered for it. Real age."""

from __future__ import annotations

import shutil

from fieldvault import layout
from fieldvault.agefile.header import payload_id
from fieldvault.audiofile import AUDIO_ID
from fieldvault.events import load_events
from fieldvault.sessionremove import remove_session
from fieldvault.stewardship.backup import settle_in_study
from fieldvault.stewardship.check import check_study
from fieldvault.study import Study
from fieldvault.suggested import shell
from tests.stewardship import ROSA, add_person


def test_a_recording_kept_by_the_settle_is_named_as_hers_with_the_mv_that_puts_it_back(
    ready_study: Study, identities: list
) -> None:
    root = ready_study.root
    first, second = add_person(ready_study, ROSA, sessions=2)
    folder = root / "participants" / ROSA.pseudonym / first
    timeline = load_events(ready_study, folder, identities)  # as `import` seals it: naming its recording
    timeline.info[AUDIO_ID] = payload_id(folder / layout.AUDIO)
    ready_study.replace(folder / layout.EVENTS, timeline.to_json())
    remove_session(ready_study, ROSA.pseudonym, second)  # signed, with the payload ids it took
    place = root / layout.AWAITING_AUTHENTICATION / "participants" / ROSA.pseudonym / second / layout.AUDIO
    place.parent.mkdir(parents=True)
    shutil.move(folder / layout.AUDIO, place)  # what the restored backup holds: hers, in the removed one's place
    back = shell("mv", place, folder / layout.AUDIO)
    for settled in (False, True):  # before the settle and after it: the same words, never "--settle"
        failed = {f.file: f.problem for f in check_study(ready_study, identities).failures}
        assert sorted(failed) == [f"{layout.AWAITING_AUTHENTICATION}/participants/Rosa/{second}/{layout.AUDIO}",
                                  f"participants/Rosa/{first}/{layout.AUDIO}"], failed  # fmt: skip
        kept = failed[f"{layout.AWAITING_AUTHENTICATION}/participants/Rosa/{second}/{layout.AUDIO}"]
        assert f"it is Rosa's recording of session {first}, which the study lacks" in kept
        assert kept.endswith(f"put it back with `{back}`, then check again") and "--settle" not in kept
        gone = failed[f"participants/Rosa/{first}/{layout.AUDIO}"]  # and where it is missing from: where it lies
        lies = f"{layout.AWAITING_AUTHENTICATION}/participants/Rosa/{second}/{layout.AUDIO}"
        said = f"is gone from its place: it lies in {lies}, kept by the settle: put it back with `{back}`"
        assert gone == f"{said}, then check again"
        assert "--record-lost" not in gone and "cp -p" not in gone  # a kept file: the mv, never recorded lost (V3)
        if not settled:
            assert settle_in_study(ready_study, identities)[2]  # kept, never destroyed
    shutil.move(place, folder / layout.AUDIO)  # as the line says
    assert check_study(ready_study, identities).failures == []
