"""The templates a field kit reads to her or asks of her (information letter, verbal consent script, the script read
when consent is confirmed again, interview guide, questionnaire), as the PI made the kit with them (QA S6: a
consent_reconfirmation.md dropped into a kit's folder was read to every woman at her follow-up, its "support" line an
attacker's phone).

`field-kit` records the SHA-256 of each template file it puts into the kit, or that it puts none (the kit then reads
the one fieldvault ships), in the kit's first log entry and in the study's signed `field-kit.made`; the kit starts no
session once one differs, and merge-kit names a kit template that is not what the study sent. Since a kit trusts what
it was made with, `field-kit` first holds the study's own templates to the study key's last word on them (its signed
`study.init`, then each `letter.sealed`). Never writes.
"""

from __future__ import annotations

import hashlib
from importlib import resources
from pathlib import Path

from fieldvault import layout
from fieldvault.errors import TamperedStudy
from fieldvault.guide import STUDY_FILE as GUIDE_FILE
from fieldvault.study import STUDY_TEMPLATES, Study
from fieldvault.templates import LETTER

TEMPLATES = "templates"  # the audit detail: "name=sha256" per template, comma-separated; "name=" for none
_CALL_PI = "Do not use this kit with anyone: call the PI, who makes a new kit"


def digests(root: Path) -> dict[str, str]:
    """Per template name, the SHA-256 of the folder's own copy; "" where it holds none."""
    return {name: _sha256(root / name) for name in STUDY_TEMPLATES}


def _sha256(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""
    except OSError:
        return "unreadable"  # never the digest of a file: it differs from any the kit was made with


def recorded(root: Path) -> str:
    """The audit detail that records ``root``'s templates."""
    return ",".join(f"{name}={digest}" for name, digest in digests(root).items())


def parse(detail: object) -> dict[str, str] | None:
    """The digests an entry's ``templates`` detail records; None where it records none (made before they were)."""
    if not isinstance(detail, str):
        return None
    pairs = (item.partition("=") for item in detail.split(",") if item)
    return {name: digest for name, _, digest in pairs}


def template_problem(kit: Study) -> str | None:
    """What to say where a field kit's template is not the one the PI made it with; else None (and always for a
    study). A kit made before kits recorded their templates is held to the templates fieldvault ships, byte for byte
    (its letter is checked by its recorded version, QA R20): nothing else could tell one changed on it."""
    if not kit.is_field_kit:
        return None
    made = kit.kit_made_with()
    made_with = parse(made.get(TEMPLATES))
    now = digests(kit.root)
    if made_with is None:
        checked = {LETTER} if made.get("version") is not None else set()  # by its version (QA R20)
        return _unrecorded_problem(kit, {n: d for n, d in now.items() if n not in checked})
    for name, digest in now.items():
        was = made_with.get(name, "")
        if digest == was:
            continue
        if not was:
            return (  # what to do before the path: a toast shows the start of a long line (a deep kit folder)
                f"{name} was put into this field kit's folder after the PI made the kit: what it says would be read to "
                f"her or asked of her, and it is not the study's. {_CALL_PI} ({kit.root / name})"
            )
        how = "removed from" if not digest else "changed in"
        return f"{name} was {how} this field kit since the PI made it. {_CALL_PI} ({kit.root / name})"
    return None


def _unrecorded_problem(kit: Study, now: dict[str, str]) -> str | None:
    for name, digest in now.items():
        if not digest:
            continue
        if digest != _shipped(name):
            return (
                f"this field kit was made by an older fieldvault, which did not record its templates, and its {name} "
                f"is not the one fieldvault ships: nothing can tell whether it was changed on the kit ("
                f"{kit.root / name}). Do not use this kit with anyone: call the PI, who makes the kit again"
            )
    return None


def shipped_bytes(name: str) -> bytes:
    """The template fieldvault ships for a study's ``name`` (a study's guide.toml overrides interview_guide.toml)."""
    shipped = layout.GUIDE if name == GUIDE_FILE else name
    return resources.files("fieldvault.consent_templates").joinpath(shipped).read_bytes()


# Signed entries whose ``templates`` vouch for a study's own: its first (`init`), and each seal of its letter
# (`field-kit` the first time, or with --letter-changed: the PI says she changed them).
SEALING = ("study.init", "letter.sealed")


def sealed_templates(study: Study) -> dict[str, str] | None:
    """The templates the study key last vouched for in the study's folder; None where no signed entry records them
    (a study made before they were recorded, or one opened without the key)."""
    found = None
    for entry in study.audit.signed():
        details = entry.get("details")
        if entry.get("action") in SEALING and isinstance(details, dict) and TEMPLATES in details:
            found = parse(details[TEMPLATES])
    return found


def unsealed_templates(study: Study) -> list[str]:
    """Each template changed, removed or put into the study folder since the study key last vouched for them, said
    as "NAME was put into" (to go before "the study folder"); none where nothing is recorded (trust on first use)."""
    sealed = sealed_templates(study)
    if sealed is None:
        return []
    found = []
    for name, digest in digests(study.root).items():
        was = sealed.get(name, "")
        if digest != was:
            found.append(f"{name} was {'put into' if not was else 'removed from' if not digest else 'changed in'}")
    return found


def refuse_unsealed_templates(study: Study, letter: TamperedStudy | None = None) -> None:
    """Before `field-kit` takes the study's templates to the field, where the kit trusts whatever it was made with: one
    changed, removed or put into the study folder since the study key last vouched for them stops it (a synced
    folder anyone on the team can write: QA S6's script dropped into the study instead). Nothing recorded: nothing to
    compare (the kit then seals them, trust on first use, as the letter's seal does). ``letter``: the letter's own
    refusal, raised with every template named beside it (QA T15: the letter's refusal hid a template dropped in while
    the PI changed the letter, and the --letter-changed it asked for sealed both)."""
    changed = unsealed_templates(study)
    if not changed:
        if letter is not None:
            raise letter
        return
    said = "; ".join(changed)
    first = f"{letter}. Also: " if letter is not None else ""
    raise TamperedStudy(
        f"{first}{said} the study folder since the study last vouched for its templates ({study.root}): every kit "
        "would read them to the women. If you did that, build the kit with --letter-changed (it vouches for them as "
        "they are now); if not, someone who can write the study folder did: restore them from a backup"
    )


def sealing_now(study: Study) -> list[str]:
    """One line for each template a seal is about to vouch for that the study key has not vouched for before, or
    (nothing vouched yet) that is not the one fieldvault ships: `--letter-changed` sealed a template dropped into the
    study beside the PI's own letter change without a word (QA T15)."""
    sealed = sealed_templates(study)
    lines = []
    for name, digest in digests(study.root).items():
        if not digest or (sealed is not None and sealed.get(name, "") == digest):
            continue
        if sealed is None and digest == _shipped(name):
            continue
        how = (
            "not the one fieldvault ships"
            if sealed is None
            else "changed"
            if sealed.get(name)
            else "new in the study folder"
        )
        lines.append(
            f"note: this kit vouches for {name} ({how}): every woman hears it; read {study.root / name} before "
            "the kit goes out, and if you did not write it, restore it from a backup and make the kit again"
        )
    return lines


def refuse_changed_templates(kit: Study) -> None:
    """TamperedStudy where ``template_problem`` has something to say: no session starts on such a kit."""
    problem = template_problem(kit)
    if problem is not None:
        raise TamperedStudy(problem)


def changed_on_kit(study: Study, kit_root: Path, head: str) -> tuple[str, ...]:
    """The templates of the kit at ``kit_root`` (whose first log entry has hash ``head``) that are not what the study's
    signed `field-kit.made` for it says the kit took; for a kit made before those recorded its templates, that differ
    from the study's own (its file, else the one fieldvault ships). Named at merge-kit: what the women recorded on
    the kit heard or were asked may not be the study's."""
    sent = [
        parse(details.get(TEMPLATES))
        for entry in study.audit.signed()
        if entry.get("action") == "field-kit.made"
        and isinstance(details := entry.get("details"), dict)
        and details.get("head") == head
    ]
    on_kit = digests(kit_root)
    recorded = [s for s in sent if s is not None]
    if recorded:
        return tuple(name for name, digest in on_kit.items() if all(digest != s.get(name, "") for s in recorded))
    return tuple(name for name in STUDY_TEMPLATES if _effective(kit_root, name) != _effective(study.root, name))


def _effective(root: Path, name: str) -> str:
    """The SHA-256 of the text a study or kit reads for ``name``: its own copy, else the one fieldvault ships."""
    return _sha256(root / name) or _shipped(name)


def _shipped(name: str) -> str:
    return hashlib.sha256(shipped_bytes(name)).hexdigest()
