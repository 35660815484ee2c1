"""The interview guide: the narrative prompt that opens the interview and its follow-up prompts, and
the prompts a follow-up session and a member check start from (each a section of its own)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from fieldvault import serial
from fieldvault.errors import BadInput, BadStudyFile
from fieldvault.layout import GUIDE
from fieldvault.sessioninfo import FOLLOW_UP, MEMBER_CHECK
from fieldvault.templates import template_text

STUDY_FILE = "guide.toml"


@dataclass(frozen=True)
class Guide:
    narrative_prompt: str
    follow_ups: tuple[str, ...]
    follow_up_session: tuple[str, ...] = ()  # [[follow_up_session]]: a second interview's own prompts
    member_check: tuple[str, ...] = ()  # [[member_check]]: going through what was understood, with her

    @property
    def prompts(self) -> tuple[str, ...]:
        return (self.narrative_prompt, *self.follow_ups)

    def for_kind(self, kind: str) -> Guide:
        """The guide a session of ``kind`` (a sessioninfo kind) runs through, first prompt first.

        A follow-up starts from its own section, then the study's follow-up prompts; it never starts
        again at the narrative prompt. A member check uses its section, else the follow-up prompts."""
        if kind == FOLLOW_UP:
            prompts = (*self.follow_up_session, *self.follow_ups)
        elif kind == MEMBER_CHECK:
            prompts = self.member_check or self.follow_ups
        else:
            return self
        if not prompts:
            return self
        return Guide(prompts[0], tuple(prompts[1:]))

    @classmethod
    def parse(cls, text: str, where: str) -> Guide:
        try:
            doc = serial.parse_toml(text)
            prompt = str(doc["narrative_prompt"]).strip()
            follow_ups, again, check = (
                tuple(str(item["text"]).strip() for item in doc.get(section, []))
                for section in ("follow_up", "follow_up_session", "member_check")
            )
        except tomllib.TOMLDecodeError as err:
            raise BadStudyFile(f"{where} is not valid TOML ({err}); fix it") from None
        except (KeyError, TypeError) as err:
            raise BadStudyFile(
                f"{where} lacks {err}: it needs narrative_prompt and [[follow_up]] text entries"
            ) from None
        if not prompt:
            raise BadStudyFile(f"{where} has an empty narrative_prompt")
        return cls(prompt, follow_ups, again, check)

    @classmethod
    def for_study(cls, study_root: Path | None) -> Guide:
        """The study's guide.toml if it has one, else the example guide fieldvault ships."""
        if study_root is not None and (study_root / STUDY_FILE).is_file():
            return cls.parse((study_root / STUDY_FILE).read_text(encoding="utf-8"), str(study_root / STUDY_FILE))
        return cls.parse(template_text(GUIDE), GUIDE)

    @classmethod
    def from_file(cls, path: Path) -> Guide:
        try:
            return cls.parse(path.read_text(encoding="utf-8"), str(path))
        except (OSError, UnicodeDecodeError) as err:
            raise BadInput(f"cannot read the guide {path}: {getattr(err, 'strerror', None) or err}") from None
