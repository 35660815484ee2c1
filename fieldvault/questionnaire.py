"""The demographic questionnaire: its definition (TOML) and the validation of answers.

Answers are stored only inside the participant's encrypted profile, never in plaintext.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from fieldvault import serial, userfile
from fieldvault.errors import BadInput, BadStudyFile
from fieldvault.layout import QUESTIONNAIRE
from fieldvault.templates import template_text

TYPES = ("integer", "choice", "multi", "text")
Answer = int | str | list[str] | None
PREFER_NOT = "prefer not to say"  # the letter says she may skip any question: any field takes this answer


# A free-text answer's longest form: a paragraph. A megabyte pasted in was accepted, and every export's scrub and
# detector then read it for minutes (QA's noticed list).
MAX_TEXT = 2000


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    type: str
    required: bool = True
    min: int | None = None
    max: int | None = None
    choices: tuple[str, ...] = ()
    at_most: str | None = None

    def parse(self, raw: object) -> Answer:
        """Turn what was typed (or read from an answers file) into a checked value."""
        if isinstance(raw, str):  # a JSON or TOML escape ("\u000b") is a control character only once parsed
            raw = userfile.without_controls(raw)
        elif isinstance(raw, list):
            raw = [userfile.without_controls(s) if isinstance(s, str) else s for s in raw]
        if raw is None or (isinstance(raw, str | list) and not raw):
            if self.required:
                raise BadInput(f'{self.label}: no answer yet; if she would rather not say, answer "{PREFER_NOT}"')
            return None
        if isinstance(raw, str) and raw.strip().casefold() == PREFER_NOT:
            return next((c for c in self.choices if c.casefold() == PREFER_NOT), PREFER_NOT)
        if self.type == "integer":
            return self._integer(raw)
        if self.type == "choice":
            return self._choice(str(raw).strip())
        if self.type == "multi":
            items = raw if isinstance(raw, list) else [s for s in str(raw).split(",")]
            return [self._choice(str(s).strip()) for s in items if str(s).strip()]
        text = str(raw).strip()
        if len(text) > MAX_TEXT:
            raise BadInput(
                f"{self.label}: {len(text):,} characters; an answer here holds at most {MAX_TEXT:,}: keep the rest "
                "for the interview or a field note"
            )
        return text

    def _integer(self, raw: object) -> int:
        try:
            value = int(str(raw).strip())
        except ValueError:
            raise BadInput(f"{self.label}: {raw!r} is not a whole number") from None
        if (self.min is not None and value < self.min) or (self.max is not None and value > self.max):
            raise BadInput(f"{self.label}: {value} is outside {self.min}–{self.max}")
        return value

    def _choice(self, raw: str) -> str:
        for choice in self.choices:
            if raw.casefold() == choice.casefold():
                return choice
        raise BadInput(f"{self.label}: {raw!r} is not one of: {', '.join(self.choices)}")


@dataclass(frozen=True)
class Questionnaire:
    fields: tuple[Field, ...]

    @classmethod
    def parse(cls, text: str, where: str) -> Questionnaire:
        try:
            doc = serial.parse_toml(text)
        except tomllib.TOMLDecodeError as err:
            raise BadStudyFile(f"{where} is not valid TOML ({err}); fix it") from None
        fields = []
        for number, item in enumerate(doc.get("field", []), start=1):
            try:
                field = Field(
                    name=str(item["name"]),
                    label=str(item.get("label", item["name"])),
                    type=str(item["type"]),
                    required=bool(item.get("required", True)),
                    min=item.get("min"),
                    max=item.get("max"),
                    choices=tuple(str(c) for c in item.get("choices", ())),
                    at_most=item.get("at_most"),
                )
            except KeyError as err:
                raise BadStudyFile(f"{where}: field {number} lacks {err}; every field needs name and type") from None
            if field.type not in TYPES:
                raise BadStudyFile(f"{where}: field {field.name!r} has type {field.type!r}; use one of {TYPES}")
            if field.type in ("choice", "multi") and not field.choices:
                raise BadStudyFile(f"{where}: field {field.name!r} is a {field.type} without choices")
            fields.append(field)
        names = [f.name for f in fields]
        if not fields or len(set(names)) != len(names):
            raise BadStudyFile(f"{where} must define at least one field, each with a different name")
        for field in fields:
            if field.at_most and field.at_most not in names:
                raise BadStudyFile(f"{where}: field {field.name!r} refers to unknown field {field.at_most!r}")
        return cls(tuple(fields))

    @classmethod
    def for_study(cls, study_root: Path | None) -> Questionnaire:
        return cls.parse(template_text(QUESTIONNAIRE, study_root), QUESTIONNAIRE)

    def answers_from_file(self, path: Path) -> dict[str, Answer]:
        """Answers prepared in a file, TOML or (for a .json name) JSON, checked like answers typed in."""
        kind = "JSON" if path.suffix == ".json" else "TOML"
        text = userfile.read_text(path)
        try:
            raw = serial.parse(text) if kind == "JSON" else serial.parse_toml(text)
        except (ValueError, tomllib.TOMLDecodeError) as err:
            raise BadInput(f"{path} is not valid {kind} ({err})") from None
        if not isinstance(raw, dict):
            raise BadInput(f"{path} should hold one answer per field name (an object), not a {type(raw).__name__}")
        return self.validate(raw)

    def validate(self, raw: dict[str, object]) -> dict[str, Answer]:
        unknown = sorted(set(raw) - {f.name for f in self.fields})
        if unknown:
            raise BadInput(
                f"the answers name unknown fields {unknown}; the questionnaire has {[f.name for f in self.fields]}"
            )
        answers = {f.name: f.parse(raw.get(f.name)) for f in self.fields}
        for field in self.fields:
            limit = answers.get(field.at_most) if field.at_most else None
            value = answers[field.name]
            if isinstance(limit, int) and isinstance(value, int) and value > limit:
                other = next(f.label for f in self.fields if f.name == field.at_most)
                raise BadInput(f"{field.label}: {value} is more than {other} ({limit}); check both answers")
        return answers
