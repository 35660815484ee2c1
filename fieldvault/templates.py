"""Fill the Markdown and TOML templates in consent_templates/ (or a study's own copies).

Placeholders are ``{{name}}``; each must have a value in study.toml, or filling fails with a message
that names the missing setting. A filled letter's version is the SHA-256 of its text.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from fieldvault.errors import BadInput

_PLACEHOLDER = re.compile(r"\{\{\s*(\w+)\s*\}\}")
LETTER = "information_letter.md"
CONSENT_SCRIPT = "verbal_consent.md"
RECONFIRMATION = "consent_reconfirmation.md"  # read at the start of a follow-up or member check


def template_text(name: str, study_root: Path | None = None) -> str:
    """A study's own copy of a template if it has one, else the one fieldvault ships."""
    if study_root is not None and (study_root / name).is_file():
        return (study_root / name).read_text(encoding="utf-8")
    return resources.files("fieldvault.consent_templates").joinpath(name).read_text(encoding="utf-8")


@dataclass(frozen=True)
class FilledDocument:
    name: str
    text: str

    @property
    def version(self) -> str:
        return hashlib.sha256(self.text.encode()).hexdigest()[:16]


def missing_fields(text: str, values: dict[str, str]) -> list[str]:
    """The placeholders of ``text`` that have no value yet."""
    return sorted({m for m in _PLACEHOLDER.findall(text) if not str(values.get(m, "")).strip()})


STUDY_FIELDS = ("title", "irb")  # Study.letter_values: these come from study.toml's [study]


def fill(name: str, text: str, values: dict[str, str]) -> FilledDocument:
    missing = missing_fields(text, values)
    if missing:
        where = [  # the study's title and IRB number are read from [study] (qa25 QA6: "under [letter]" did nothing)
            f"{', '.join(fields)} under [{section}]"
            for section, fields in (
                ("study", [m for m in missing if m in STUDY_FIELDS]),
                ("letter", [m for m in missing if m not in STUDY_FIELDS]),
            )
            if fields
        ]
        raise BadInput(f"{name} needs {', '.join(missing)}: set {' and '.join(where)} in study.toml, then try again")
    return FilledDocument(name, _PLACEHOLDER.sub(lambda m: str(values[m.group(1)]).strip(), text))
