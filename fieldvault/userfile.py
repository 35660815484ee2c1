"""Text files a user hands fieldvault (questionnaire answers, identifier lists, journal entries, text to
scan): read as UTF-8, and a file that cannot be read is one line saying what to do."""

from __future__ import annotations

from pathlib import Path

from fieldvault.errors import BadInput


def read_text(path: Path) -> str:
    """A file the user gives, as text; the byte-order mark Windows Notepad puts first ("UTF-8 with BOM") is no
    part of it (it became part of the first identifier: QA D23)."""
    try:
        return path.read_bytes().decode("utf-8-sig")
    except OSError as err:
        raise BadInput(f"cannot read {path}: {err.strerror}") from None
    except UnicodeDecodeError:
        raise BadInput(f"{path} is not UTF-8 text; convert it (e.g. iconv -t UTF-8) and try again") from None
