"""Data stewardship: withdrawal, retention, removing a recipient, integrity checks, backups, the IRB report."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from fieldvault import layout
from fieldvault.agefile.recovery import KEPT_ORIGINAL
from fieldvault.cli.common import (
    confirm_typed,
    identities,
    out_path,
    progress_bar,
    study_folder,
    study_identities,
    unlocking,
)
from fieldvault.errors import BadInput, FieldvaultError
from fieldvault.loghead import OlderLog
from fieldvault.printable import printable
from fieldvault.study import Study
from fieldvault.suggested import command, shell

if TYPE_CHECKING:
    from collections.abc import Sequence

    from fieldvault.agefile import Identity
    from fieldvault.stewardship.backup import BackupResult


def cmd_withdraw(args: argparse.Namespace) -> int:
    from fieldvault.stewardship.withdraw import (
        check_closed_everywhere,
        find_participant,
        finish_interrupted,
        withdraw,
        withdraw_keeping_deidentified,
    )

    study = Study.open(Path(args.dir))
    keys = study_identities(study, args, "a withdrawal")  # its entries authenticated with the study key
    finished = finish_interrupted(study)
    if finished:
        print(f"finished an interrupted withdrawal: {finished} more file(s) destroyed")
    pseudonym = find_participant(study, args.pseudonym)
    check_closed_everywhere(study, pseudonym)  # a session of hers in the editor of another window
    print(
        f"This destroys every file of {pseudonym}: recordings, transcripts and their versions, redactions, "
        "profile, identifiers and notes"
        + (", keeping only her reviewed, de-identified transcripts" if args.keep_deidentified else "")
        + ". Names on her list that others' words mention move to the study's list first.",
        file=sys.stderr,
    )
    confirm_typed(pseudonym, args.confirm, f"Type the pseudonym ({pseudonym}) to confirm: ")
    if args.keep_deidentified:
        done = withdraw_keeping_deidentified(study, pseudonym, keys)
    else:
        done = withdraw(study, pseudonym, keys)
    print(
        f"withdrew {done.pseudonym}: {done.files_destroyed} file(s) of {done.sessions_destroyed} session(s) destroyed"
    )
    if done.names_kept:
        print(
            f"{done.names_kept} name(s) on her list that the other participants' words or the journal mention were "
            "moved to the study's list, so they stay redacted there"
        )
    if done.kept:
        print(f"kept de-identified transcripts of: {', '.join(done.kept)}")
    if done.earlier_copies:
        print("copies made earlier held her data; ask whoever holds them to delete them:")
        for copy in done.earlier_copies:
            print(f"  {copy.time}  {copy.actor}  {copy.action} ({copy.format})  {copy.out}")
    print("backups made before now still hold her files: run `fieldvault backup --authenticate` to each of them again")
    return 0


def _days(text: str) -> int | None:
    from fieldvault.stewardship.retention import KEEP

    if text == KEEP:
        return None
    if not text.isdigit():
        raise BadInput(f"--audio-after-review takes a number of days or {KEEP!r}, not {text!r}")
    return int(text)


def cmd_retention(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from fieldvault.stewardship import retention

    study = Study.open(Path(args.dir))
    if args.destroy and (doubt := retention.clock_doubt(study, args.today)):  # before anything is written (QA S15)
        raise BadInput(doubt)
    rules = retention.policy(study)
    changing = args.years is not None or args.study_ends is not None or args.audio_after_review is not None
    if changing or args.destroy:  # only the study key's holder changes the policy or destroys; the audit is keyed
        study_identities(study, args, "changing the retention policy" if changing else "destroying data")
    if args.destroy and (doubt := retention.clock_doubt(study, args.today)):  # again: only signed confirmations
        raise BadInput(doubt)
    if changing:
        try:
            ends = date.fromisoformat(args.study_ends) if args.study_ends else rules.study_ends
        except ValueError:
            raise BadInput(f"--study-ends takes a date as YYYY-MM-DD, not {args.study_ends!r}") from None
        audio = rules.audio_days_after_review if args.audio_after_review is None else _days(args.audio_after_review)
        years = rules.years if args.years is None else args.years
        rules = replace(rules, years=years, study_ends=ends, audio_days_after_review=audio)
        retention.set_policy(study, rules)
    print(f"policy: {retention.describe(rules)}")
    scheduled = rules.destroy_after is not None or rules.audio_days_after_review is not None
    changed = retention.changed_by_hand(study) if scheduled else None
    if changed is not None:
        print(f"fieldvault: warning: not the policy set with `fieldvault retention`: {changed}", file=sys.stderr)
    today = study.clock().date()
    schedule = retention.schedule(study)
    due = retention.due(study, today)
    for item in schedule:
        print(f"{'DUE ' if item.on <= today else 'later'} {item.on}  {item.what}  ({item.reason})")
    if not schedule:
        print("nothing is scheduled for destruction")
    if not args.destroy:
        if due:
            print(f"{len(due)} item(s) due; `{command('retention', args.dir, '--destroy')}` destroys them")
        return 0
    if not due:
        print("nothing is due; nothing was destroyed")
        return 0
    confirm_typed("destroy", args.confirm, f"Type destroy to destroy the {len(due)} item(s) due: ")
    retention.confirm_clock(study, args.today)
    count = retention.destroy(study, due)
    print(f"destroyed {count} file(s); run `fieldvault backup --authenticate` to each backup so they lose them too")
    return 0


def cmd_keys_remove(args: argparse.Namespace) -> int:
    from fieldvault.stewardship.rewrap import PLAN, remove_recipient

    study = Study.open(Path(args.dir))
    bar = progress_bar("re-wrapping")
    removal = remove_recipient(study, args.name, identities(study, args), lambda done, total: bar(done / total))
    print(file=sys.stderr)
    if removal.planted is not None:
        print(
            f"note: {PLAN} named a removal of {removal.planted.name} ({removal.planted.key}) that the study key never "
            "began: someone who could write the study folder put it there; "
            "it was deleted, and the recipient removed is the one study.toml lists"
        )
    if removal.done_before is not None:
        print(
            f"{removal.entry.name} ({removal.entry.key}) was removed already (audit entry {removal.done_before}): "
            "every file was re-wrapped without that key; nothing was left to do"
        )
    else:
        print(
            f"removed {removal.entry.name} ({removal.entry.key}): {removal.files} file(s) re-wrapped to the remaining "
            "recipients" + (f", {removal.skipped} done by the interrupted run" if removal.resumed else "")
        )
    print(
        "what they copied before stays readable to them, and so do backups made before now: run "
        "`fieldvault backup` to each backup again, and make new field kits"
    )
    return 0


def cmd_keys_rewrap(args: argparse.Namespace) -> int:
    from fieldvault.stewardship.rewrap import rewrap_stale

    study = Study.open(Path(args.dir))
    bar = progress_bar("checking headers")
    done = rewrap_stale(study, identities(study, args), lambda number, total: bar(number / total), args.share)
    print(file=sys.stderr)
    for relative in done:
        print(f"re-wrapped {relative}")
    print(f"{len(done)} file(s) re-wrapped to the study's {len(study.config.recipients)} recipients only")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from fieldvault.stewardship.backup import unfinished
    from fieldvault.stewardship.check import check_study

    study = Study.open(Path(args.dir))
    study.accepting_older_log = args.accept_older_log
    study.setting_aside_strays = args.set_aside_stray_lines
    needing = [
        option
        for option, given in (
            ("--keep-older", args.keep_older is not None),
            ("--record-lost", args.record_lost is not None),
            ("--set-aside-stray-lines", args.set_aside_stray_lines),
        )
        if given
    ]
    try:
        keys = study_identities(study, args, needing[0]) if needing else identities(study, args)
    except OlderLog as err:  # QA U9: cut back, older files put back; nothing below may trust its newest entries
        print(f"FAILED {layout.AUDIT_FILE}: {printable(str(err))}")
        raise FieldvaultError("the audit log failed the check; do as the line above says") from None
    if study.strays_set_aside is not None:  # QA V11's rest
        print(printable(study.strays_set_aside.said()))
    elif args.set_aside_stray_lines:
        print(f"{layout.AUDIT_FILE}: every line is part of its chain; nothing set aside")
    if args.keep_older is not None:  # QA U8's rest
        from fieldvault.keptolder import keep_older

        print(keep_older(study, args.keep_older, keys).said())
    if args.record_lost is not None:  # QA V17: no backup holds it, and her session stayed locked for good
        from fieldvault.sessionvouch import record_lost
        from fieldvault.stewardship.lost import record_recording_lost

        print(record_recording_lost(study, args.record_lost) or record_lost(study, args.record_lost))
    put_back = _settle(study, keys) if args.settle else 0
    result = check_study(study, keys, progress_bar("checking"))
    print(file=sys.stderr)
    for failure in result.failures:
        print(f"FAILED {printable(failure.file)}: {printable(failure.problem)}")
    for stray in result.strays:
        print(f"note: {printable(stray)}")
    print(
        f"{result.files} file(s), {result.bytes / 1e6:.1f} MB read through their authentication; "
        + (f"{result.unread} refused unread, too big for their names (see FAILED above); " if result.unread else "")
        + f"{len(result.failures)} failure(s); {result.audit or 'audit log NOT intact'}"
    )
    if unfinished(study.root):  # QA H14: a half copy passed as a whole study
        raise FieldvaultError(
            f"{args.dir} is a backup that was cut off part-way: it is not a whole copy of the study; run the same "
            f"`{command('backup', 'STUDY', args.dir)}` again to finish it"
        )
    from fieldvault.participantrename import begun_plan  # QA X8: a plan put there by hand is no cut-off rename

    plans = [study.root / Path(*Path(f.file).parts[:2]) / layout.RENAMING for f in result.failures]
    renaming = [plan for plan in plans if begun_plan(study, plan) is not None]
    if result.failures and len(renaming) == len(result.failures):  # QA G11: no backup needed, and none to restore
        raise FieldvaultError(
            f"{len(renaming)} file(s) wait for a cut-off `participant rename`: run it again as said above, then check"
        )
    damaged = [  # a recording recover can mend; not a file refused by the log whose message says "cut off" (QA V18)
        f
        for f in result.failures
        if Path(f.file).name == layout.AUDIO and ("fails authentication" in f.problem or "cut off" in f.problem)
    ]
    if result.failures and not damaged:  # QA J3's rest: recover mends damaged files only; each line says what to do
        raise FieldvaultError(f"{len(result.failures)} file(s) failed the check; do as each line above says")
    if result.failures:
        raise FieldvaultError(
            f"{len(result.failures)} file(s) failed the check; restore them from a backup (`fieldvault backup` "
            f"copies are checked the same way); without one, `{command('recover', args.dir)}` keeps a damaged "
            "recording's intact chunks"
        )
    if put_back:  # as `backup --authenticate` does: the log named them removed by entries that fail
        raise FieldvaultError(
            f"{put_back} file(s) were put back, not destroyed: no entry of the audit log the study key signs records "
            "them removed (see the warnings above); if they should be gone, remove them with the command that does"
        )
    return 0


def _settle(study: Study, keys: Sequence[Identity]) -> int:
    """`check --settle`: the files a backup without the passphrase set aside, in a study restored from it (QA U2)."""
    from fieldvault.stewardship.backup import settle_in_study

    if study.on_backup:  # a backup's own: by its marker, which holds each one's entry
        raise BadInput(
            f"{study.root} is a backup, not a study: settle its {layout.AWAITING_AUTHENTICATION}/ from the study, with "
            f"`{command('backup', 'STUDY', study.root, '--authenticate')}`"
        )
    study.refuse_backup()  # a marker copied into the study (QA Y10): delete it first, as said
    study.audit.refuse_forged_tail()  # before anything is destroyed: its entries would be refused after (QA X1)
    removed, put_back, kept = settle_in_study(study, keys)
    for name, why in removed:
        print(f"destroyed ({why}): {printable(name)}")
    for name, why in put_back:
        print(f"fieldvault: warning: put back, not destroyed ({printable(why)}): {printable(name)}", file=sys.stderr)
    for name, why in kept:  # QA V3: its place was named removed, yet it is not what was removed there
        print(
            f"fieldvault: warning: kept, not destroyed: {layout.AWAITING_AUTHENTICATION}/{printable(name)}: "
            f"{printable(why)}",
            file=sys.stderr,
        )
    print(
        f"settled {layout.AWAITING_AUTHENTICATION}/: {len(removed)} file(s) destroyed, {len(put_back)} put back"
        + (f", {len(kept)} kept there (named above)" if kept else "")
    )
    return len(put_back)


def cmd_backup(args: argparse.Namespace) -> int:
    import os

    from fieldvault.passphrase import ENV
    from fieldvault.stewardship.backup import backup

    study = Study.open(Path(args.dir))
    given = args.authenticate or args.passphrase_file or args.identity or os.environ.get(ENV)
    keys = identities(study, args) if given else []
    if keys:  # QA Z9: the report lists where backups went, and a folder's name goes with the disk; keyless, no list
        from fieldvault.export.gate import refuse_named

        carried = "is remembered on this computer (the report lists it) and goes with the disk wherever it is taken"
        refuse_named(study, keys, Path(args.dest), "a backup's path", carried)
    result = backup(study, Path(args.dest), progress_bar("backing up"), keys)
    print(file=sys.stderr)
    for name, problem in result.kept:
        print(
            f"fieldvault: warning: kept the backup's earlier copy of {name}: the study's copy {problem}",
            file=sys.stderr,
        )
    for name, problem in result.damaged_copied:  # QA K11: no good copy to keep, and said so
        print(
            f"fieldvault: warning: {name}: the study's copy {problem}, and the backup had no good copy of it, so it "
            f"holds this one as it is; restore {name} from another backup (`fieldvault check` the study after), or "
            f"run `{command('recover', args.dir)}` if it is a recording",
            file=sys.stderr,
        )
    for name in result.originals:  # QA QC11: the first backup after a recover failed on it, the second was silent
        beside = Path(name).name.removesuffix(KEPT_ORIGINAL)
        print(
            f"note: {name} is the cut-off or damaged original `fieldvault recover` kept beside {beside}: backed up as "
            "it is (it fails its authentication by nature); once you are satisfied with the re-sealed file, delete it "
            f"from the study (`{command('recover', args.dir, '--delete-original', name.removesuffix(KEPT_ORIGINAL))}`"
            "), and the next backup deletes it here too"
        )
    for name in result.originals_kept:  # QA QD3
        print(
            f"note: kept {name} in the backup: the study no longer holds this original `fieldvault recover` kept, and "
            "no entry records its deletion (`fieldvault recover DIR --delete-original FILE` records one); a backup "
            "without the passphrase destroys nothing (one with it deletes it here too)"
        )
    for removed, why in result.removed:
        print(f"destroyed in the backup ({why}): {removed}")
    _awaiting_lines(args, result)
    for tidied, pid in result.tidied:
        print(f"note: removed {tidied} from the backup: the marker a backup (process {pid}, gone) left half written")
    if result.damaged:
        print(f"fieldvault: warning: the session index was backed up as it is: {result.damaged}", file=sys.stderr)
    for name in result.plaintext:
        print(f"fieldvault: warning: not backed up: {name} is not encrypted (put into the study by hand?); move it "
              "out of the study folder, to where the ethics approval allows plaintext", file=sys.stderr)  # fmt: skip
    print(
        f"backup in {result.dest}: {result.copied} file(s) copied, {result.unchanged} unchanged, "
        f"{len(result.removed)} destroyed; every file read back and verified ({result.bytes / 1e6:.1f} MB)"
        + ("" if result.authenticated else "; changed files checked for form only (--authenticate reads them through")
        + ("" if result.authenticated else " their authentication, which finds a flipped byte)")
    )
    check = command("audit", args.dest, "--verify", "--head", result.head)  # QA W19: a restore checks it first
    print(f"keep this line with your records, not on the backup disk; before restoring from this backup, run: {check}")
    if result.carried:  # QA J2: what was read from the backup stays on the record
        print(f"{result.carried} entr{'y' if result.carried == 1 else 'ies'} of the backup's own log (commands run on "
              "the backup) taken into the study's audit log")  # fmt: skip
    for name in result.strangers:
        print(f"fieldvault: warning: kept in the backup, never in the study: {name}", file=sys.stderr)
    for name in result.older:  # QA Q11: an earlier version put back into the study
        print(
            f"fieldvault: warning: kept the backup's newer copy of {name}: the study's copy is an earlier version, "
            "which this backup replaced since; to restore the newer one: "
            + shell("cp", "-p", Path(args.dest, name), Path(args.dir, name)),
            file=sys.stderr,
        )
    for name, why in result.unvouched:  # QA S11: kept, named this once; rc 0
        print(
            f"fieldvault: warning: kept {name} in the backup: its removal is not vouched for ({why}); if those notes "
            "were not saved or discarded on purpose, put the draft back into the study: "
            + _restore(args.dest, args.dir, name),
            file=sys.stderr,
        )
    for name, files in result.missing:  # QA Q11: never destroyed because the study lacks it
        print(
            f"fieldvault: warning: kept in the backup, not in the study, and never recorded as destroyed there: "
            f"{_what(name, files)}; to restore it: {_restore(args.dest, args.dir, name)}",
            file=sys.stderr,
        )
    if result.kept:
        raise FieldvaultError(
            f"{len(result.kept)} study file(s) are damaged and did not replace their good copies in {args.dest}; "
            f"restore each from there (copy it back into {args.dir}), then run `{command('check', args.dir)}`"
        )
    if result.damaged_copied:
        raise FieldvaultError(
            f"{len(result.damaged_copied)} study file(s) are damaged and the backup holds no good copy of them "
            "(named above); everything else is backed up and verified"
        )
    if result.older:
        raise FieldvaultError(
            f"{len(result.older)} study file(s) are earlier versions of the backup's copies, which were kept; "
            f"restore each as shown above, then run `{command('check', args.dir)}`"
        )
    if result.missing:
        files = sum(count for _, count in result.missing)
        raise FieldvaultError(
            f"{files} file(s) in {args.dest} are not in the study and its audit log never recorded them as destroyed "
            "(deleted by hand? an older copy?); they were kept, not destroyed: restore them as shown above; to "
            "destroy one on purpose, restore it, then `fieldvault session remove` or `withdraw` (the next backup "
            "follows)"
        )
    if result.put_back:
        raise FieldvaultError(
            f"{len(result.put_back)} file(s) set aside in {args.dest} by an earlier backup without the passphrase were "
            "put back in their places: the entries that recorded them removed are not the study key's (named above); "
            f"restore them into the study as shown above, then run `{command('check', args.dir)}`"
        )
    if result.kept_aside:
        raise FieldvaultError(
            f"{len(result.kept_aside)} file(s) in {Path(args.dest, layout.AWAITING_AUTHENTICATION)} lie where the "
            "study's log says files were removed, yet are not the files removed there (named above): kept, not "
            "destroyed"
        )
    if result.strangers:  # QA H4: recorded or written in the backup itself, which the study never had
        raise FieldvaultError(
            f"{len(result.strangers)} file(s) in {args.dest} were never in the study (recorded or written in the "
            "backup itself?) and were kept, not destroyed; bring that work into the study, or move the files out "
            "of the backup, then back up again"
        )
    return 0


def _awaiting_lines(args: argparse.Namespace, result: BackupResult) -> None:
    """QA T13: what a run without the key set aside (one line), and what a run with it put back (one line a reason)."""
    if result.awaiting:
        print(
            f"{len(result.awaiting)} file(s) the study's log says were removed wait for "
            f"`{command('backup', args.dir, args.dest, '--authenticate')}`: without the passphrase no removal is "
            f"destroyed, only set aside in {Path(args.dest, layout.AWAITING_AUTHENTICATION)}"
        )
    reasons: dict[str, list[str]] = {}
    for name, why in result.put_back:
        reasons.setdefault(why, []).append(name)
    for why, names in reasons.items():
        print(
            f"fieldvault: warning: put back in the backup {len(names)} file(s) an earlier backup without the "
            f"passphrase set aside ({', '.join(names[:3])}{', ...' if len(names) > 3 else ''}): {why}",
            file=sys.stderr,
        )
    for name, why in result.kept_aside:  # QA V3: its place was named removed, yet it is not what was removed there
        where = Path(args.dest, layout.AWAITING_AUTHENTICATION, name)
        print(
            f"fieldvault: warning: kept in the backup, not destroyed: {printable(str(where))}: {why}", file=sys.stderr
        )


def _what(name: str, files: int) -> str:
    parts = name.rstrip("/").split("/")
    if name.endswith("/") and len(parts) == 2:
        return f"{name} (all of participant {parts[1]}'s files: {files})"
    if name.endswith("/"):
        return f"{name} (a session of {parts[1]}: {files} file(s))"
    return name


def _restore(dest: str, study: str, name: str) -> str:
    if name.endswith("/"):
        folder = name.rstrip("/")
        return shell("cp", "-a", Path(dest, folder), str(Path(study, folder).parent) + "/")
    return shell("cp", "-p", Path(dest, name), Path(study, name))


def cmd_report(args: argparse.Namespace) -> int:
    from fieldvault.stewardship.report import write_report

    study = Study.open(Path(args.dir))
    out = out_path(args.out, "the report")
    if out.exists():
        raise BadInput(f"{out} exists; fieldvault never overwrites, give a new --out")
    study.refuse_inside(out, "the report is plaintext and")  # before the passphrase is asked for
    write_report(study, identities(study, args), out, study.clock().date())
    print(f"report written to {out}: it holds pseudonyms, dates and counts only, no identifiers")
    return 0


def register_keys(keys: argparse._SubParsersAction) -> None:
    """`keys remove-recipient`, under the `keys` group of fieldvault.cli.vault."""
    p = keys.add_parser(
        "remove-recipient",
        parents=[study_folder(), unlocking()],
        help="re-wrap every file's header without that recipient",
    )
    p.add_argument("name", help="the recipient's name, as `fieldvault keys list` shows it")
    p.set_defaults(func=cmd_keys_remove)
    p = keys.add_parser(
        "rewrap",
        parents=[study_folder(), unlocking()],
        help="re-wrap files wrapped to more keys than the study has (old restores)",
    )
    p.add_argument(
        "--share",
        action="store_true",
        help="also re-wrap files written before a recipient was added, so every key of the study opens them",
    )
    p.set_defaults(func=cmd_keys_rewrap)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "withdraw", parents=[study_folder(), unlocking()], help="destroy a participant's data at her request (audited)"
    )
    p.add_argument("pseudonym")
    p.add_argument(
        "--keep-deidentified",
        action="store_true",
        help="keep her reviewed, de-identified transcripts (where the letter allows)",
    )
    p.add_argument("--confirm", metavar="PSEUDONYM", help="confirm without a prompt by giving the pseudonym")
    p.set_defaults(func=cmd_withdraw)

    p = sub.add_parser(
        "retention",
        parents=[study_folder(), unlocking()],
        help="the retention policy and what it says is due for destruction",
    )
    p.add_argument("--years", type=int, help="set: keep data this many years after the study ends")
    p.add_argument("--study-ends", metavar="YYYY-MM-DD", help="set: the date the study ends")
    p.add_argument("--audio-after-review", metavar="DAYS|keep", help="set: destroy audio this long after review")
    p.add_argument("--destroy", action="store_true", help="destroy what is due (asks to confirm)")
    p.add_argument("--confirm", metavar="destroy", help="confirm --destroy without a prompt")
    p.add_argument(
        "--today", metavar="YYYY-MM-DD", help="confirm the date, where the study has written nothing for a year"
    )
    p.set_defaults(func=cmd_retention)

    p = sub.add_parser(
        "check",
        parents=[study_folder(), unlocking()],
        help="read every file through its authentication, and the audit chain",
    )
    p.add_argument(
        "--settle",
        action="store_true",
        help=f"first settle {layout.AWAITING_AUTHENTICATION}/ of a study restored from a backup: destroy each file a "
        "signed entry of the audit log records removed (that very file: by payload id and content), put back each one "
        "none does, keep and name any other (asks for the passphrase)",
    )
    p.add_argument(
        "--accept-older-log",
        action="store_true",
        help="take a study restored on purpose from an older backup, whose audit log lacks entries this computer saw: "
        "says what was lost and records it (asks for the passphrase)",
    )
    p.add_argument(
        "--set-aside-stray-lines",
        action="store_true",
        help="first move the lines of the audit log that are no part of its chain (junk, or an entry put there again) "
        "to a file beside it, kept, and record that; refused where an entry written with the study key is out of "
        "place (asks for the passphrase)",
    )
    p.add_argument(
        "--keep-older",
        metavar="FILE",
        help="first keep FILE (a list, a profile, a transcript or redactions: its path in the study) as it is, where "
        "a write vouched for a newer one no file holds (cut off, and its new file deleted since): says which write is "
        "lost and records it (asks for the passphrase)",
    )
    p.add_argument(
        "--record-lost",
        metavar="FILE",
        help="first record FILE (a transcript or redactions deleted since the study key vouched for it, or a "
        "session's recording gone, that no backup holds: its path in the study) lost, in a signed entry: her session "
        "goes on as unreviewed (redactions: proposed afresh), untranscribed (transcript: transcribe it again) or "
        "transcript only (recording: exports with audio leave it out) (asks for the passphrase)",
    )
    p.set_defaults(func=cmd_check)

    p = sub.add_parser(
        "backup",
        parents=[study_folder(), unlocking()],
        help="copy the encrypted study to a folder and verify the copy",
    )
    p.add_argument("dest")
    p.add_argument(
        "--authenticate",
        action="store_true",
        help="read each changed file through its authentication first (asks for the passphrase; also done when one "
        "is given), so that a damaged study file never replaces its good copy in the backup",
    )
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser(
        "report", parents=[study_folder(), unlocking()], help="a data-management report for the IRB (Markdown or DOCX)"
    )
    p.add_argument("--out", required=True, help="a new .md or .docx file")
    p.set_defaults(func=cmd_report)
