"""Whether a study is ready to go to the field: every document an interviewer will show can be filled,
and the guide and questionnaire parse. Checked before a field kit is built, so a gap is found at the
desk, not in front of a participant."""

from __future__ import annotations

from fieldvault.errors import BadInput
from fieldvault.guide import Guide
from fieldvault.questionnaire import Questionnaire
from fieldvault.study import Study
from fieldvault.templates import CONSENT_SCRIPT, LETTER, RECONFIRMATION, missing_fields, template_text


def check_ready_for_field(study: Study) -> None:
    """BadInput naming every unfilled letter setting; BadStudyFile for a broken guide or questionnaire."""
    values = study.letter_values()
    missing = sorted(
        {
            name
            for doc in (LETTER, CONSENT_SCRIPT, RECONFIRMATION)
            for name in missing_fields(template_text(doc, study.root), values)
        }
    )
    if missing:
        raise BadInput(
            f"the information letter is not filled in: set {', '.join(missing)} under the letter section of "
            f"{study.root / 'study.toml'}, then build the field kit again (no session could start with this kit)"
        )
    Guide.for_study(study.root)
    Questionnaire.for_study(study.root)
