"""The interview guide: the narrative prompt that opens the interview and its follow-up prompts."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from fieldvault.errors import BadInput, BadStudyFile
from fieldvault.layout import GUIDE
from fieldvault.templates import template_text

STUDY_FILE = "guide.toml"


@dataclass(frozen=True)
class Guide:
    narrative_prompt: str
    follow_ups: tuple[str, ...]

    @property
    def prompts(self) -> tuple[str, ...]:
        return (self.narrative_prompt, *self.follow_ups)

    @classmethod
    def parse(cls, text: str, where: str) -> Guide:
        try:
            doc = tomllib.loads(text)
            prompt = str(doc["narrative_prompt"]).strip()
            follow_ups = tuple(str(item["text"]).strip() for item in doc.get("follow_up", []))
        except tomllib.TOMLDecodeError as err:
            raise BadStudyFile(f"{where} is not valid TOML ({err}); fix it") from None
        except (KeyError, TypeError) as err:
            raise BadStudyFile(
                f"{where} lacks {err}: it needs narrative_prompt and [[follow_up]] text entries"
            ) from None
        if not prompt:
            raise BadStudyFile(f"{where} has an empty narrative_prompt")
        return cls(prompt, follow_ups)

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
