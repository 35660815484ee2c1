"""A participant whose pseudonym clashes with another's: `fieldvault participant rename`."""

from __future__ import annotations

import argparse
from pathlib import Path

from fieldvault.cli.common import study_folder, study_identities, unlocking
from fieldvault.participantrename import check_rename, rename_on_kit, rename_participant
from fieldvault.participants import lists_unread_on_kit
from fieldvault.study import Study


def cmd_participant_rename(args: argparse.Namespace) -> int:
    study = Study.open(Path(args.dir))
    plan = check_rename(study, args.pseudonym, args.new)  # bad names are refused before asking for a key
    if study.is_field_kit:
        done = rename_on_kit(study, plan.pseudonym, plan.to)
        print(
            f"renamed {done.pseudonym} to {done.to} on this field kit ({done.sessions} session(s)); her sealed "
            "records keep the name they were sealed under; merge-kit takes them under the new one and renames her "
            "in the study too, where the study's lists and names allow it"
        )
        print(_lists_note(study, done.to))
        return 0
    keys = study_identities(study, args, "renaming a participant")
    done = rename_participant(study, plan.pseudonym, plan.to, keys)
    print(
        f"renamed {done.pseudonym} to {done.to} ({done.sessions} session(s)): {done.resealed} sealed record(s) "
        "re-sealed under the new pseudonym; the audio and field notes stay as they are"
    )
    for planted in done.ignored:  # QA X8
        print(
            f"note: {planted}: no entry the study key signed records that rename begun, so it was put there by hand "
            "(by someone who could write the study folder): ignored, and removed"
        )
    if done.exported:
        print(
            f"warning: {done.exported} earlier export(s) of her sessions name her {done.pseudonym}; "
            "`fieldvault audit` lists them: tell whoever holds them"
        )
    print(
        f"note: the audit log (plaintext, copied whole into every backup) keeps {done.pseudonym} in its earlier "
        "entries, which cannot be rewritten: where that pseudonym could identify her, keep the study folder and its "
        "backups as closely as the recordings"
    )  # QA T6
    return 0


def _lists_note(kit: Study, to: str) -> str:
    """What the kit could check of the new pseudonym against the lists of names, and what merge-kit checks."""
    unread = lists_unread_on_kit(kit)
    if not unread:
        return (
            f"every list of names on this kit is sealed empty, so {to} is on none of them; merge-kit checks it "
            "against the study's lists"
        )
    return (
        f"note: this kit cannot read the {unread} list(s) of names it sealed (for the study): merge-kit checks {to} "
        "against them and the study's, and refuses it if it is on one (then rename her again here)"
    )


def register_under(people: argparse._SubParsersAction) -> None:
    """`rename` beside `participant add` (the `participant` group is made in cli.sessions)."""
    p = people.add_parser(
        "rename",
        parents=[study_folder(), unlocking()],
        help="rename a participant (a pseudonym chosen twice); on a field kit too, before merge-kit",
    )
    p.add_argument("pseudonym", help="her pseudonym now")
    p.add_argument("new", help="the new pseudonym (the name rule applies: unlike every other participant's)")
    p.set_defaults(func=cmd_participant_rename)
