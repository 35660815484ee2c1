"""Study set-up, keys, field kits, inspection and the audit log."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from fieldvault import paths
from fieldvault.agefile import X25519Identity, X25519Recipient
from fieldvault.cli import stewardship
from fieldvault.cli.common import identities, identity_file, out_path, passphrase_file, study_folder, unlocking
from fieldvault.errors import BadInput, TamperedStudy
from fieldvault.kittemplates import digests, refuse_unsealed_templates, sealed_templates, sealing_now
from fieldvault.letterseal import check_letter_seal, seal_letter
from fieldvault.lists import long_list

if TYPE_CHECKING:
    from fieldvault.kitmerge import DamagedOnKit
from fieldvault.passphrase import existing_passphrase, new_passphrase, replacing_passphrase
from fieldvault.plaintext import TO_STREAM, check_new, decrypt_to_file, decrypt_to_stream, export_identities, own_kit
from fieldvault.printable import printable
from fieldvault.study import Study
from fieldvault.suggested import command


def cmd_tui(args: argparse.Namespace) -> int:
    from fieldvault.tui.app import make_app  # the TUI is heavy; headless commands never load it
    from fieldvault.tui.stderr import kept_off_screen

    minutes = getattr(args, "lock_after", None)
    if minutes is not None and not 0 < minutes <= 24 * 60:
        raise BadInput(
            f"--lock-after {minutes:g}: give the minutes without a key pressed before it locks, more than 0 and at "
            "most 1440"
        )
    root = Path(args.dir) if getattr(args, "dir", None) else None
    told: list[str] = []  # what opening the study said (a move a crash cut off, undone): printed, and shown in the app

    def printed_and_kept(line: str) -> None:
        told.append(line)
        if printed is not None:
            printed(line)

    printed = Study.listen(printed_and_kept)
    try:
        study = Study.open(root) if root else None
        keys = identities(study, args) if study is not None and args.identity else []  # her own key, as transcribe's
    finally:
        Study.listen(printed)
    app = make_app(study) if minutes is None else make_app(study, lock_after=minutes * 60)
    app.told_before = told
    if keys:  # the home screen at once; after a lock the unlock screen offers the file again
        app.open_with(args.identity, keys)
        paths.remember_study(Path(args.dir))
    with kept_off_screen(app):  # no sound library's messages over the screen (QA F7)
        app.run()
    return app.return_code or 0


def cmd_init(args: argparse.Namespace) -> int:
    passphrase = new_passphrase(args.passphrase_file)
    study = Study.create(Path(args.dir), args.title, args.irb or "", passphrase)
    paths.remember_study(study.root)
    print(f"created study {study.config.title!r} in {study.root}")
    print(f"study recipient: {study.config.recipients[0].key}")
    print("keep the passphrase safe: without it (or an exported identity) nothing in the study can be decrypted")
    return 0


def cmd_keys_list(args: argparse.Namespace) -> int:
    study = Study.open(Path(args.dir))
    for entry in study.config.recipients:
        print(f"{entry.key}  {entry.name}")
    return 0


def cmd_keys_add(args: argparse.Namespace) -> int:
    study = Study.open(Path(args.dir))
    if study.is_field_kit:  # refuse before asking for a passphrase the kit could not use anyway
        study.add_recipient(args.recipient, args.name, [])
    X25519Recipient.parse(args.recipient)  # a mistyped key is named before the passphrase is asked for
    keys = identities(study, args)
    listed, cut_off = study.config.recipients, study.unrecorded_additions()
    entry = study.add_recipient(args.recipient, args.name, keys)
    if entry in cut_off:
        print(
            f"{entry.key} ({entry.name}) was added by a run cut off before the audit log recorded it: recorded now; "
            "files written since are encrypted to it too"
        )
    elif entry in listed:
        print(f"{entry.key} ({entry.name}) is a recipient already, and the audit log records it: nothing to do")
    else:
        print(f"added {entry.key} ({entry.name}); files written from now on are encrypted to it too")
    print(
        f"give {entry.name} this line to add at the end of their identity file (a comment to age), so that their key "
        f"tells a list of names replaced in the study folder:\n{vouch_line(study, keys)}"
    )
    return 0


def cmd_keys_vouch_key(args: argparse.Namespace) -> int:
    study = Study.open(Path(args.dir))
    print(vouch_line(study, identities(study, args)))
    return 0


def vouch_line(study: Study, keys: list[X25519Identity]) -> str:
    """The pin line of the study's vouch key (fieldvault.vouchsign), which needs the study identity."""
    from fieldvault.vouchsign import pin_line

    identity = study.study_identity(keys)
    if identity is None:
        raise BadInput("the vouch key comes from the study identity: give the study passphrase, not another key")
    return pin_line(study, identity)


def cmd_keys_export(args: argparse.Namespace) -> int:
    study = Study.open(Path(args.dir))
    out = out_path(args.out, "the study's private key")
    export_identities(study, study.unlock(existing_passphrase(args.passphrase_file)), out)
    print(
        f"warning: {out} holds the study's private key in plaintext (mode 0600). Anyone with it can decrypt "
        "every recording; move it to an encrypted drive and delete it when done.",
        file=sys.stderr,
    )
    return 0


def cmd_keys_change_passphrase(args: argparse.Namespace) -> int:
    from fieldvault.passphrasechange import change_passphrase, open_key, refuse_here

    study = Study.open(Path(args.dir))
    refuse_here(study)  # before any passphrase is asked for
    if args.new_passphrase_file is not None and args.passphrase_file is not None:
        if Path(args.new_passphrase_file).resolve() == Path(args.passphrase_file).resolve():
            raise BadInput("--new-passphrase-file is the --passphrase-file: give the new passphrase a file of its own")
    opened = open_key(study, existing_passphrase(args.passphrase_file))  # the one in use, checked before the new
    change_passphrase(study, opened, replacing_passphrase(args.new_passphrase_file))
    print(f"the study passphrase is changed: only the new one opens {study.root / 'keys' / 'study.age'} from now on")
    print(
        "backups made before keep the old seal, which the old passphrase opens: bring each up to date now "
        f"(`{command('backup', args.dir, 'BACKUP')}`) or destroy it. Recipients' own keys are not changed by this: "
        f"take a departing person's key away with `{command('keys', 'remove-recipient', args.dir, 'NAME')}`"
    )
    return 0


def cmd_field_kit(args: argparse.Namespace) -> int:
    from fieldvault.readiness import check_ready_for_field

    study = Study.open(Path(args.dir))
    check_ready_for_field(study)
    out = out_path(args.out, "a field kit")
    if out.exists():  # refused before the passphrase is asked for (make_field_kit checks again)
        raise BadInput(f"{out} exists; give a new folder for the field kit")
    study.refuse_inside(out, "a field kit")
    keys = identities(study, args)
    identity = study.study_identity(keys)
    if identity is None:
        raise BadInput(
            "building a field kit needs the study identity (the study passphrase): it checks the seal of the "
            "information letter the kit takes to the field"
        )
    study.use_identities(keys)
    from fieldvault.export.gate import refuse_named

    refuse_named(study, keys, out, "a field kit's path", "goes with the kit to the field")  # QA Z9: no log holds it
    version = None  # None: to be sealed
    if not args.letter_changed:  # QA S6: what the kit will vouch for, the study key vouched for first
        try:
            version = check_letter_seal(study, identity)
        except TamperedStudy as letter:
            refuse_unsealed_templates(study, letter)  # every template named beside the letter (QA T15)
        refuse_unsealed_templates(study)
    sealing = sealing_now(study) if args.letter_changed else []
    kit = study.make_field_kit(out)
    for line in sealing:
        print(line, file=sys.stderr)
    if version is None or sealed_templates(study) != digests(study.root):  # only once the kit is made
        version = seal_letter(study, identity)
    values = study.letter_values()
    print(f"field kit in {kit.root}: it can record and encrypt, and cannot decrypt anything")
    print(
        f"information letter {version} (sealed): support {values.get('support', '')!r}, "
        f"contact {values.get('pi_contact', '')!r}"
    )
    return 0


def cmd_merge_kit(args: argparse.Namespace) -> int:
    from fieldvault.kitmerge import LISTED_NAME, LOG_LOST, KitRefused, merge_kit, read_names_by_hand, unrecorded_kit

    study = Study.open(Path(args.dir))
    if study.is_field_kit:  # walk22: it said "a field kit ... cannot decrypt anything", not that the order was wrong
        raise BadInput(
            f"{study.root} is a field kit, not the study: the kit comes first, the study second "
            f"({command('merge-kit', args.dir, args.kit)})"
        )
    try:
        keys = identities(study, args)
        report = merge_kit(
            study, Path(args.kit), keys, args.accept_added_keys, args.accept_damaged_log, args.names_lost
        )
    except KitRefused as refused:
        for line in refused.refused:
            print(f"refused {printable(line)}", file=sys.stderr)
        raise
    for target in report.merged:
        print(f"merged {printable(target)}")
    if report.log_damaged:
        print(
            f"warning: the kit's {report.log_damaged}: every file that authenticates was merged and the damage is on "
            "the study's record"
            + (
                ""
                if LOG_LOST in report.log_damaged
                else "; keep a copy of the kit's audit.jsonl with your records before you wipe the kit"
            ),
            file=sys.stderr,
        )
    for target in report.already:
        print(f"already in the study {printable(target)}")
    for target in report.completed:
        print(f"completed {printable(target)}: the study's cut-off copy was replaced by the kit's whole recording")
    for line in report.left_out:
        print(f"left out {printable(line)}")
    for line in report.held_apart:  # qa28 QD9: a draft its log does not name is never merged, and never lost
        print(f"fieldvault: warning: held apart {printable(line)}", file=sys.stderr)
    for line in report.recording:  # qa29 QE1: never "wipe it" while a session of it was left out
        print(f"fieldvault: warning: left out {printable(line)}", file=sys.stderr)
    for folder in report.withdrawn:
        print(f"left out participants/{printable(folder)}: she withdrew from the study; wipe this kit")
    for target in report.cut_off:
        print(f"cut off {printable(target)}: run `{command('recover', args.dir)}` to re-seal it")
    for item in report.damaged:  # QA K16: one line each, what is wrong and what to do
        print(printable(damaged_line(item, args.dir, args.kit)), file=sys.stderr)
    if report.rewrapped:
        print(
            f"the kit was made before the study's recipients changed: its {report.rewrapped} encrypted file(s) were "
            "re-wrapped to the study's recipients as they are now. It still encrypts to the old list: make a new "
            f"field kit (`{command('field-kit', args.dir, 'NEW_KIT')}`) before going back to the field"
        )
    if report.readers_removed:
        who = printable(", ".join(report.readers_removed))
        print(
            f"fieldvault: warning: the kit encrypts to {who}, removed from the study since: {who} can read every "
            "recording and file on the kit itself (the study's copies are re-wrapped without them). Wipe the kit "
            "now; do not take it back to the field",
            file=sys.stderr,
        )
    for pseudonym, version in ((printable(p), printable(v)) for p, v in report.unknown_letters):
        print(
            f"fieldvault: warning: {pseudonym} consented on an information letter this study never issued (version "
            f"{version}): the kit's letter was changed, and what she was read (its support line, its contact) may "
            "not be yours. Reach her again through a channel you know; treat the kit as compromised",
            file=sys.stderr,
        )
    for pseudonym, count, had, files in report.names_added:  # QA V5: as `add-list --append` says it
        print(
            f"added {count} name(s) to {printable(pseudonym)}'s list of names she may mention"
            + (f" ({had} she had already, left out)" if had else "")
            + f", from the kit's {', '.join(printable(f.removesuffix('.json.age')) for f in files)}"
        )
    for relative, pseudonym in report.names_left_out:  # QA V2: never dropped without a word
        print(
            f"fieldvault: warning: left out {printable(relative)}: names {printable(pseudonym)} gave at a follow-up "
            "on the kit, which its damaged or lost log no longer vouches for: not added to her list, and kept on the "
            f"kit as it is (do not delete it); {printable(read_names_by_hand(args.dir, args.kit, relative, pseudonym))}"
            "; or put back the kit's audit.jsonl from another copy of the kit and merge again; do not wipe the kit "
            "until then",
            file=sys.stderr,
        )
    if report.entries_missing:  # QA V2: a log line gone may have vouched for names she gave, gone with it
        print(
            f"fieldvault: warning: the kit's log is missing {report.entries_missing}: names a woman gave at a "
            "follow-up on the kit (the names step of `r`, `add-list --append` there) may have gone with it, file "
            "and all; ask the interviewer, and add any in the study (`"
            + command("participant", "add-list", args.dir, "NAME", "--append", "--identifiers", "FILE")
            + "`)",
            file=sys.stderr,
        )
    if report.unrecorded is not None:  # QA X5
        made_on, held = report.unrecorded
        print(
            f"fieldvault: warning: {unrecorded_kit(made_on)}; "
            + (
                "the kit's log holds under the key only this study's identity gives it, so it is this study's kit: "
                "what it holds was merged, checked against its log, as named above"
                if held
                else "the kit's log cannot be checked with the study's key (a kit of an older release): what merged "
                "is named above"
            ),
            file=sys.stderr,
        )
    for line in report.found_again:  # QA Z13: never merged without a word
        print(f"fieldvault: warning: {printable(line)}", file=sys.stderr)
    for before, now, why in report.renamed:  # QA Y2: as the kit said, the study's name follows the kit's
        if not why:
            print(f"renamed {printable(before)} to {printable(now)} in the study, as on the kit")
        else:
            rename = command("participant", "rename", args.dir, before, now)
            print(
                f"fieldvault: warning: the kit renamed her {printable(now)}, and the study keeps {printable(before)}: "
                f"{printable(why)}; where {printable(now)} is the name she should have, rename her here (`{rename}`)",
                file=sys.stderr,
            )
    for target, holds in report.long_lists:  # QA U11: kept, whatever their number
        print(long_list(printable(target.split("/")[1]), holds))
    for key in report.misdated:
        print(
            f"fieldvault: warning: {key} is dated before the kit was made, or later than today: the kit's clock was "
            "wrong when it was recorded. It is numbered among her sessions as recorded between the kit's making and "
            "this merge (the study's clock), and keeps its name; set the kit's clock before the next interview",
            file=sys.stderr,
        )
    if report.questionnaire_changed:
        print(
            "fieldvault: warning: the kit's questionnaire is not the one the study sent with it (changed on the kit): "
            "what the women recorded on it were asked may not be what the IRB approved. Exports carry only the "
            "study's questions; treat the kit as compromised and tell the IRB",
            file=sys.stderr,
        )
    for name in report.templates_changed:  # QA S6
        print(
            f"fieldvault: warning: the kit's {name} is not the one the study sent with it (changed, or put there, on "
            "the kit): what the women recorded on it heard or were asked (a support line, a phone to call) may not "
            "be the study's. Reach them again through a channel you know; treat the kit as compromised",
            file=sys.stderr,
        )
    for pseudonym, unasked in ((printable(p), u) for p, u in report.unapproved):
        shown = ", ".join(ascii(name)[:40] for name in unasked[:10]) + (", ..." if len(unasked) > 10 else "")
        print(
            f"fieldvault: warning: {pseudonym}'s answers hold {len(unasked)} question(s) the study's questionnaire "
            f"does not ask ({shown}): the kit's questionnaire was changed, and she was asked what the IRB never "
            "approved. Exports leave those answers out; treat the kit as compromised and tell the IRB",
            file=sys.stderr,
        )
    if report.readers_added:
        added = printable(", ".join(report.readers_added))
        print(
            f"fieldvault: warning: keys added on the kit ({added}) can read every recording "
            "and file on the kit itself, and everything it recorded since: a breach to report. The study's copies are "
            "re-wrapped to the study's recipients only. Wipe the kit now; do not take it back to the field",
            file=sys.stderr,
        )
    if report.names_in_kit_log:
        print(
            f"fieldvault: warning: the kit's own audit log still holds {report.names_in_kit_log} pseudonym(s) or "
            "login name(s) that are names on a list (renamed on the kit since, her folder deleted there, or the kit's "
            "login), in plaintext (the study's log "
            f"took the entries without them, as {LISTED_NAME}). "
            f"Wipe the kit now and make a new one (`{command('field-kit', args.dir, 'NEW_KIT')}`); do not take it back "
            "to the field",
            file=sys.stderr,
        )
    if report.forked_entries:  # QA J13
        print(
            f"fieldvault: warning: {report.forked_entries} entr{'y' if report.forked_entries == 1 else 'ies'} of the "
            "kit's log part from the log merged before from this same kit: a copy of the kit that recorded apart (a "
            "cloned stick) or a rewritten log. They are on the study's record as field-kit.entry-forked. Wipe this "
            f"kit and every copy of it, and make a new one (`{command('field-kit', args.dir, 'NEW_KIT')}`)",
            file=sys.stderr,
        )
    back = not (
        report.rewrapped
        or report.names_in_kit_log
        or report.forked_entries
        or report.withdrawn
        or report.readers_removed
        or report.readers_added
    )
    for line in report.missing:  # qa27 QC4: never "wipe it" while the kit's log records an interview not found
        print(
            f"fieldvault: warning: the kit's log records {printable(line)}, which is neither on the kit nor in the "
            "study (a copy of the kit cut short, or deleted on it): find it (on the laptop, another copy "
            "of the kit) and merge that copy too; do not wipe the kit before",
            file=sys.stderr,
        )
    hurt = sum(1 for item in report.damaged if not item.salvaged)
    kept = len(report.names_left_out)
    lost = len(report.missing)
    apart = len(report.held_apart)
    recording = len(report.recording)
    print(
        f"{len(report.merged)} file(s) merged in {len(report.sessions)} session(s), {len(report.already)} already "
        f"there, {report.audit_entries} audit entries taken from the kit. The kit is unchanged: "
        + (
            f"keep it until the {lost} session(s) or file(s) its log records, named above, are found and merged."
            if lost
            else f"do not wipe it: merge it again once the {recording} session(s) being recorded, named above, "
            "have stopped."
            if recording
            else f"keep it until the {hurt} damaged recording(s) above are whole or salvaged."
            if hurt
            else f"keep it until the names in the {kept} file(s) left out above are on her list."
            if kept
            else f"keep it until the {apart} draft(s) held apart above are read."
            if apart
            else "wipe it once your backup holds these sessions"
            + (
                ", or take it back to the field."
                if back
                else "; never take it back to the field: it holds a recording of a woman who withdrew."
                if report.withdrawn
                else "."
            )
        )
    )
    return 1 if hurt or kept or lost or apart or recording else 0


def damaged_line(hurt: DamagedOnKit, study_dir: str, kit_dir: str) -> str:
    """What merge-kit says of a recording damaged or cut short on the kit (QA K16)."""
    if hurt.salvaged:
        return (
            f"fieldvault: damaged {hurt.target}: the kit's copy {hurt.what}; the study salvaged it already "
            f"(`recover`) and keeps that copy untouched as {Path(hurt.target).name}.damaged beside it"
        )
    return (
        f"fieldvault: damaged {hurt.target}: the kit's copy {hurt.what}; merged as it is, the kit's copy untouched: "
        f"if another copy of the kit (the laptop's) holds it whole, merge that one too (it replaces this), else run "
        f"`{command('recover', study_dir)}` to keep every intact part; do not wipe {kit_dir} yet"
    )


def cmd_decrypt(args: argparse.Namespace) -> int:
    study = Study.open(Path(args.dir))
    kit = None
    if args.study:  # a field kit's file, read with the study's key (QA W20: names on a kit whose log was lost)
        kit, study = study, Study.open(Path(args.study))
        own_kit(kit, study)
    if args.out == TO_STREAM:
        decrypt_to_stream(study, args.file, identities(study, args), sys.stdout.buffer, kit)
    else:
        out = Path(args.out)
        check_new(out)  # before the passphrase is asked for
        study.refuse_inside(out, "a decrypted copy is plaintext and")
        decrypt_to_file(study, args.file, identities(study, args), out, kit)
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    study = Study.open(Path(args.dir))
    if args.verify:
        if study.is_field_kit:
            print("a field kit holds no key: checking the chain only", file=sys.stderr)
        else:
            identities(study, args)  # keys the audit log, so every mac is checked
        print(study.audit.verify(args.head).describe())
        return 0
    for entry in study.audit.entries():  # anyone can append a line: its controls are shown escaped (QA R24)
        details = " ".join(f"{printable(k)}={printable(v)}" for k, v in dict(entry["details"]).items())
        said = " ".join(printable(entry.get(field)) for field in ("time", "actor", "action"))
        print(f"{printable(entry['seq']):>5} {said} {details}".rstrip())
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("open", parents=[study_folder(), identity_file()], help="open the TUI on a study")
    p.add_argument(
        "--lock-after",
        type=float,
        metavar="MINUTES",
        help="lock by itself after this many minutes without a key pressed, never during a recording (default 10)",
    )
    p.set_defaults(func=cmd_tui)

    p = sub.add_parser("init", parents=[study_folder(), passphrase_file()], help="create a new study folder")
    p.add_argument("--title", required=True)
    p.add_argument("--irb", default="")
    p.set_defaults(func=cmd_init)

    keys = sub.add_parser("keys", help="recipients and identities").add_subparsers(dest="keys_command", required=True)
    p = keys.add_parser("list", parents=[study_folder()], help="the study's recipients")
    p.set_defaults(func=cmd_keys_list)
    p = keys.add_parser(
        "add-recipient", parents=[study_folder(), unlocking()], help="encrypt future files to another public key too"
    )
    p.add_argument("recipient", metavar="AGE1...")
    p.add_argument("--name", required=True)
    p.set_defaults(func=cmd_keys_add)
    p = keys.add_parser(
        "export-identity",
        parents=[study_folder(), passphrase_file()],
        help="write the study identity in plaintext for `age -d -i`",
    )
    p.add_argument("--out", required=True)
    p.set_defaults(func=cmd_keys_export)
    p = keys.add_parser(
        "change-passphrase",
        parents=[study_folder(), passphrase_file()],
        help="seal the study identity to a new passphrase (a new PI; a passphrase someone who left knew)",
    )
    p.add_argument("--new-passphrase-file", type=Path, help="read the new passphrase from this file's first line")
    p.set_defaults(func=cmd_keys_change_passphrase)
    p = keys.add_parser(
        "vouch-key",
        parents=[study_folder(), unlocking()],
        help="the line a recipient adds to their identity file, so that their key tells a replaced list of names",
    )
    p.set_defaults(func=cmd_keys_vouch_key)
    stewardship.register_keys(keys)

    p = sub.add_parser(
        "field-kit",
        parents=[study_folder(), unlocking()],
        help="copy the study with public keys only, for a field laptop (checks the information letter's seal)",
    )
    p.add_argument("out")
    p.add_argument(
        "--letter-changed",
        action="store_true",
        help="you changed the information letter in study.toml, or a template of the study's own (guide.toml, "
        "verbal_consent.md...), since the last kit: seal them as they are now (audited)",
    )
    p.set_defaults(func=cmd_field_kit)

    p = sub.add_parser(
        "merge-kit", parents=[unlocking()], help="check a field kit whole, then bring its sessions into the study"
    )
    p.add_argument("kit", help="the field kit's folder")
    p.add_argument("dir", help="the study folder")
    p.add_argument(
        "--accept-added-keys",
        action="store_true",
        help="take in a kit whose recipient list gained keys on the kit (a breach: they can read the kit), "
        "re-wrapped to the study's recipients only",
    )
    p.add_argument(
        "--accept-damaged-log",
        action="store_true",
        help="take in a kit whose audit log is damaged in places (a flipped byte on the stick): every sealed file "
        "is still checked; the entries that read are taken and the damage is recorded",
    )
    p.add_argument(
        "--names-lost",
        action="store_true",
        help="merge although files of names added to a woman's list on the kit are missing and no copy of the kit "
        "holds them: each is named, for you to add the names in the study as the interviewer recalls them",
    )
    p.set_defaults(func=cmd_merge_kit)

    p = sub.add_parser(
        "decrypt", parents=[study_folder(), unlocking()], help="decrypt one vault file for inspection (audited)"
    )
    p.add_argument("file")
    p.add_argument("--out", required=True, help="a new file, or - for standard output")
    p.add_argument(
        "--study",
        metavar="STUDY",
        help="DIR is a field kit: read its file with this study's key (a kit holds none); audited in the study",
    )
    p.set_defaults(func=cmd_decrypt)

    p = sub.add_parser("audit", parents=[study_folder(), unlocking()], help="show or verify the audit log")
    p.add_argument("--verify", action="store_true", help="check the chain and its authentication (asks for the key)")
    p.add_argument("--head", metavar="SEQ:HASH", help="with --verify: a head printed earlier, kept with a backup")
    p.set_defaults(func=cmd_audit)
