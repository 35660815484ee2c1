"""The one rule for names that become folder or registry names: pseudonyms, session ids, model names.

A name is stored in NFC, holds no path separator, is never `.` or `..` nor hidden, carries no control,
invisible or bidirectional characters, and is short. Two names that look alike (after NFKC, case
folding and a table of Latin look-alike letters from other scripts) are the same name.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from fieldvault.errors import BadInput

MAX_LENGTH = 40
# Path separators, and what Windows and FAT (a USB stick for the backup) cannot hold in a name; square brackets,
# which the TUI would take for formatting ("[b]Bo" shown bold, "[default]Kay" as a second "Kay": QA F17).
FORBIDDEN = set('/\\:*?"<>|[]')
# Letters from Cyrillic, Greek and Armenian drawn like Latin ones (after case folding), from Unicode's
# confusables list; NFKC already folds full-width and mathematical letters.
_ALIKE_LETTERS = {
    "а": "a", "в": "b", "е": "e", "ё": "e", "һ": "h", "і": "i", "ї": "i", "ј": "j", "к": "k", "м": "m",
    "н": "h", "о": "o", "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "ԁ": "d", "ԛ": "q",
    "ԝ": "w", "ӏ": "l", "ɡ": "g", "ı": "i", "ȷ": "j",
    "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p",
    "τ": "t", "υ": "u", "χ": "x", "ϲ": "c", "ϳ": "j", "ѡ": "w",
    "օ": "o", "ս": "u", "ց": "g", "հ": "h", "ո": "n",
}  # fmt: skip
LOOK_ALIKE_LETTERS = str.maketrans(_ALIKE_LETTERS)  # letters only: what text is matched under (export.scrub)
# Letters that Unicode does not decompose into a base letter and an accent (NFKD leaves "ø", "ł", "đ" whole), after
# case folding: Whisper and an English keyboard write them as the plain letters they are read as ("Bjorn", "Lodz",
# "Duc", "Aero"), and a scrub that kept them let those forms of a listed name out (QA R1).
UNDECOMPOSED_LETTERS = str.maketrans(
    {"ø": "o", "ł": "l", "đ": "d", "ð": "d", "æ": "ae", "œ": "oe", "þ": "th", "ħ": "h", "ŧ": "t", "ŀ": "l", "ƀ": "b"}
)
_LOOK_ALIKE_DIGITS = str.maketrans({"0": "o", "1": "l", "|": "l"})  # a name: digits too
_SPACES = re.compile(r"\s+")
# Characters that reorder or hide text: Unicode's bidi controls and marks (also in category Cf).
_BIDI = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Cc control, Cf format (zero-width, bidi), Cs lone surrogates (undecodable bytes), Co private use,
# Cn unassigned, Zl/Zp line and paragraph separators.
_REFUSED_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


def check_name(text: str, what: str = "name") -> str:
    """``text`` as it will be stored (NFC, trimmed), or BadInput saying what to change."""
    name = unicodedata.normalize("NFC", text).strip(" ")
    if not name:
        raise BadInput(f"the {what} is empty; choose one")
    bad = [c for c in name if c in _BIDI or unicodedata.category(c) in _REFUSED_CATEGORIES]
    if bad:
        raise BadInput(
            f"the {what} contains a control, invisible or direction-changing character "
            f"(U+{ord(bad[0]):04X}); type it again"
        )
    if any(c.isspace() and c != " " for c in name):
        raise BadInput(f"the {what} may hold plain spaces only, not tabs or other blanks; type it again")
    if len(name) > MAX_LENGTH:
        raise BadInput(f"the {what} is longer than {MAX_LENGTH} characters; choose a shorter one")
    if any(c in FORBIDDEN for c in name):
        raise BadInput(f'the {what} may not contain any of / \\ : * ? " < > | [ ]; choose another')
    if name.startswith("."):
        raise BadInput(f"the {what} may not start with a dot (and may not be . or ..); choose another")
    return name


def plain_letters(text: str) -> str:
    """``text`` as the name rule and the export's scrub both read it (one fold, QA R1): accents dropped, case
    folded, NFKC, look-alike letters of other scripts as the Latin ones, and the letters NFKD leaves whole as the
    plain letters they are read as ("Bjørn" is "bjorn", "Łódź" "lodz")."""
    bare = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    folded = unicodedata.normalize("NFKC", bare.casefold())
    return folded.translate(LOOK_ALIKE_LETTERS).translate(UNDECOMPOSED_LETTERS)


def name_key(name: str) -> str:
    """What two look-alike names share: their plain letters, digits drawn like letters as those, spaces collapsed."""
    return _SPACES.sub(" ", plain_letters(name).translate(_LOOK_ALIKE_DIGITS)).strip()


def latin_look_alikes(text: str) -> str:
    """``text`` with the look-alike letters of each word that also has Latin letters written as the Latin ones
    ("Dеrek" with a Cyrillic е, QA J6): one word in two scripts is a disguise, not a language. Words of one script
    are left as they are."""

    def latin(word: re.Match[str]) -> str:
        letters = word.group()
        if not any(c.isascii() for c in letters) or not any(c.lower() in _ALIKE_LETTERS for c in letters):
            return letters
        return "".join(
            (_ALIKE_LETTERS[c.lower()].upper() if c.isupper() else _ALIKE_LETTERS[c]) if c.lower() in _ALIKE_LETTERS
            else c
            for c in letters
        )  # fmt: skip

    return _LETTERS.sub(latin, text)


_LETTERS = re.compile(r"[^\W\d_]+")


# Unicode's confusables (UTS #39, Unicode Security Mechanisms, 14.0.0): scripts/build_confusables.py says where from.
CONFUSABLES = Path(__file__).resolve().parent / "data" / "confusables.tsv"


@functools.cache
def _prototypes() -> dict[int, str]:
    table = {}
    for line in CONFUSABLES.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            source, prototype = line.split("\t")
            table[int(source, 16)] = "".join(chr(int(point, 16)) for point in prototype.split())
    return table


def skeleton(text: str) -> str:
    """UTS #39's skeleton: two strings that look alike have the same one ("Раrticipant" with a Cyrillic Р and а is
    "Participant", "–" an en dash "-", "0" "O"). Case is kept: skeleton("I") is "l"."""
    return unicodedata.normalize("NFD", unicodedata.normalize("NFD", text).translate(_prototypes()))


def same_name(a: str, b: str) -> bool:
    return name_key(a) == name_key(b)


def find_same(name: str, existing: Iterable[str]) -> str | None:
    """The existing name that ``name`` looks like, if any."""
    key = name_key(name)
    return next((other for other in existing if name_key(other) == key), None)


def check_new_name(text: str, existing: Iterable[str], what: str = "name") -> str:
    """A valid name that looks like none of ``existing``."""
    name = check_name(text, what)
    clash = find_same(name, existing)
    if clash is not None:
        looks = "" if clash == name else f" (it looks like {clash!r})"
        raise BadInput(f"the {what} {name!r} is taken already{looks}; choose another")
    return name
