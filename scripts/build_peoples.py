"""Build fieldvault/redact/data/peoples.tsv, the names of languages, peoples, holidays and provinces the detector never
proposes.

Sources, read at development time only (fieldvault never imports either):
- Debian's iso-codes (LGPL-2.1+, https://salsa.debian.org/iso-codes-team/iso-codes): the language names of
  ISO 639-3 (every language, living or not), ISO 639-2 and the language families of ISO 639-5, from
  /usr/share/iso-codes/json/; ISO 3166-1, 3166-2 and 3166-3 (countries and their subdivisions) to filter, and the
  subdivisions of ISO 3166-2 that are a state's size (states, provinces, regions, oblasts, prefectures: `STATE_SIZED`;
  not counties, districts or municipalities), by their names and the English ones iso-codes translates
  ("Bayern" -> "bavaria"): too large to identify anyone (HIPAA Safe Harbor marks geography below a state only).
- The `holidays` package (MIT, https://github.com/vacanza/holidays): every supported country's public holidays,
  2020-2030, in each language the package has for the country (non-Latin scripts drop out).

A name that is also a person's or a place's must stay detectable, so the list is filtered against the detector's own
first names, surnames and towns, every faker locale's first names and surnames, the names that are everyday words,
and every country and subdivision of ISO 3166 (a holiday also against the system dictionary's proper nouns,
for the persons holidays are named for; a province only against the names of persons and towns, "Puebla" and
"Santa Cruz" being cities too, and everyday words); a language's name that is an everyday word ("Even", "Label") or of
two letters ("Ga") is dropped too, and so is a holiday's that is an everyday word ("Memorial": "born at
Memorial"; "Memorial Day" is a day by the detector's own rule). Each dropped name is written with the reason, so
the file shows what the filter removed. Run by hand from the repository root when iso-codes or holidays change,
with holidays (and its python-dateutil) installed anywhere but fieldvault's own environment:

    pip install --target /tmp/holidays holidays==0.105
    PYTHONPATH=/tmp/holidays:. .venv/bin/python scripts/build_peoples.py

tests/unit/test_redaction_peoples.py checks that the shipped file is what this script makes.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "fieldvault" / "redact" / "data" / "peoples.tsv"
ISO_CODES = Path("/usr/share/iso-codes/json")
YEARS = range(2020, 2031)
HEADER = (
    "# Names of languages, peoples, holidays and provinces: never an identifier "
    "(fieldvault/redact/lexicon.py reads the kept rows).\n"
    "# Languages and peoples: ISO 639-3, 639-2 and 639-5 names; provinces: ISO 3166-2 subdivisions of a state's\n"
    "# size; both from Debian iso-codes {iso_version}, LGPL-2.1+\n"
    "# (https://salsa.debian.org/iso-codes-team/iso-codes). Holidays: the `holidays` package {holidays_version}, MIT\n"
    "# (https://github.com/vacanza/holidays), every country's public holidays {first}-{last}, in\n"
    "# each language it has for the country. Built by\n"
    "# scripts/build_peoples.py; a name that is also a person's or a place's is dropped with the reason.\n"
    "# kind\tname\tdecision"
)
# Words around a holiday's own name: "Tihar Holiday", "Pchum Ben Day", "Emancipation Day (observed)".
HOLIDAY_WORDS = {
    "day", "days", "holiday", "holidays", "eve", "festival", "observed", "public", "national", "bank", "the", "of",
    "and", "anniversary", "celebration", "celebrations", "feast", "commemoration", "for", "in", "to", "a", "an",
    "additional", "special", "non-working", "working", "st", "saint", "s",
}  # fmt: skip
# Words around a language's or a family's name: "Algonquian languages", "Bantu languages (Other)".
# A word in parentheses after this many holidays' names is the package's note, not a name ("observed").
NOTE_OF_MANY = 3
LANGUAGE_WORDS = {"languages", "language", "other", "creoles", "pidgins", "and", "sign"}
# ISO 3166-2 kinds of subdivision as large as a state (a county, a district, a municipality, a parish or a French
# department is smaller: an identifier under Safe Harbor, so it stays detectable). Not the kinds many countries name
# after their capital towns, too small for the town list to hold ("Province": Thailand's "Mukdahan", Costa Rica's
# "Puntarenas"; "Region": Peru's "Tumbes", Senegal's "Kédougou"; "Prefecture", "Governorate"): there the name is as
# likely the town, an identifier.
STATE_SIZED = {
    "State", "Autonomous region", "Autonomous community", "Autonomous republic", "Autonomous province",
    "Autonomous district", "Land", "Voivodship", "Regional state", "Republic", "Geographical unit", "Special region",
    "Union territory", "Federal territory", "Territory", "Capital territory",
}  # fmt: skip
# Kinds of ISO 3166-2 entry that only group first-level subdivisions ("Jawa" holds Indonesia's provinces of Java):
# a province below one is named for its land, not its town ("Jawa Barat", "Kalimantan Timur").
GROUPS = {"Geographical unit", "Geographical region", "Country"}
ISO_LOCALES = Path("/usr/share/locale")


def plain(name: str) -> str:
    """Lowercase ASCII, no parentheses, curly apostrophes straight, single spaces: "Arikapú" -> "arikapu"."""
    letters = unicodedata.normalize("NFKD", re.sub(r"\s*\(.*?\)", "", name).replace("’", "'"))
    letters = "".join(c for c in letters if not unicodedata.combining(c))
    return " ".join(letters.lower().split())


def _iso(standard: str) -> list[dict[str, str]]:
    records: list[dict[str, str]] = json.loads((ISO_CODES / f"iso_{standard}.json").read_text(encoding="utf-8"))[
        standard
    ]
    return records


def language_names() -> Iterator[str]:
    """Every language's name, each 639-3 name also by its base ("Abnaki, Eastern" -> "abnaki"), families without
    "languages" ("Algonquian languages" -> "algonquian")."""
    for record in _iso("639-3"):
        yield record["name"]
        if "inverted_name" in record:
            yield record["inverted_name"].split(",")[0]
    for standard in ("639-2", "639-5"):
        for record in _iso(standard):
            for name in record["name"].split(";"):
                yield " ".join(w for w in name.split() if plain(w) not in LANGUAGE_WORDS)


def holiday_names() -> Iterator[str]:
    """Every holiday's own name in each language the package has for its country, without the words around it
    ("Tihar Holiday" -> "tihar"), and a name it holds in parentheses ("Duwadashi (Dashain)" -> "dashain"); not a
    note the package adds to many ("(observed)", "(estimated)", in every language)."""
    import holidays

    names = set()
    for country in sorted(holidays.list_supported_countries()):
        for language in holidays.list_localized_countries().get(country) or [None]:
            for name in holidays.country_holidays(country, years=YEARS, language=language).values():
                names |= set(name.split(";"))
    inside: dict[str, set[str]] = {}
    for name in names:
        for note in re.findall(r"\((.*?)\)", name):
            inside.setdefault(_holiday_core(note), set()).add(_holiday_core(name))
    for name in names:
        yield _holiday_core(name)
    yield from (note for note, outside in inside.items() if len(outside) < NOTE_OF_MANY)


def province_names() -> Iterator[str]:
    """Every ISO 3166-2 subdivision of a state's size (`STATE_SIZED`) at its country's first level, and the provinces
    below a mere grouping (Indonesia's below "Jawa"), by its own name and by the English one iso-codes translates it
    to ("Bayern", "Bavaria"): "Jawa Barat", "Selangor", "Zulia". Not a province inside a region (Italy's "Lecce", the
    Dominican "Dajabón"): named like its town, and smaller than a state."""
    import gettext

    english: gettext.NullTranslations = gettext.NullTranslations()
    catalog = ISO_LOCALES / "en" / "LC_MESSAGES" / "iso_3166-2.mo"
    if catalog.is_file():
        with catalog.open("rb") as translations:
            english = gettext.GNUTranslations(translations)
    records = _iso("3166-2")
    kinds = {record["code"]: record["type"] for record in records}
    for record in records:
        country = record["code"].split("-")[0]
        above = kinds.get(f"{country}-{record['parent']}") if "parent" in record else None
        if (record["type"] in STATE_SIZED and (above is None or above in GROUPS)) or (
            record["type"] == "Province" and above in GROUPS
        ):
            yield record["name"]
            yield english.gettext(record["name"])


def _holiday_core(name: str) -> str:
    words = re.sub(r"['’]s\b", "", plain(name)).split()
    while words and words[0] in HOLIDAY_WORDS:
        words = words[1:]
    while words and words[-1] in HOLIDAY_WORDS:
        words = words[:-1]
    return " ".join(words)


def _faker_names() -> set[str]:
    """Every faker locale's given names, surnames and middle names, romanized ones too ("ito", "han")."""
    import faker.providers.person as person

    names: set[str] = set()
    for module in pkgutil.iter_modules(person.__path__):
        provider = importlib.import_module(f"faker.providers.person.{module.name}").Provider
        for attribute in dir(provider):
            found = getattr(provider, attribute)
            if "name" not in attribute or not attribute.startswith(("first", "last", "middle", "male", "unisex")):
                continue
            if isinstance(found, (list, tuple, dict, set)):  # some locales compute theirs (a property)
                for entry in found:
                    names |= {plain(n) for n in (entry if isinstance(entry, tuple) else (entry,))}
    return names


def _iso_places() -> set[str]:
    places = set()
    for record in _iso("3166-1") + _iso("3166-2") + _iso("3166-3"):
        for field in ("name", "common_name", "official_name"):
            if field in record:
                places |= {plain(part) for part in record[field].split(",")}
    return places


class Filter:
    """Why a name must stay detectable, or None: a person's or a place's name, an everyday word, two letters."""

    def __init__(self) -> None:
        from fieldvault.redact import lexicon

        self.first = set(lexicon.first_names()) | {n for n in _faker_names() if " " not in n}
        self.first |= lexicon.WORD_NAMES | lexicon.NAME_WORDS
        self.last = set(lexicon.last_names())
        self.towns = set(lexicon.named_towns()) | set(lexicon.gazetteer()[1])
        self.towns |= lexicon.US_STATES | lexicon.REGIONS | _iso_places()
        self.places = set(lexicon.named_towns())
        self.countries = set(lexicon.gazetteer()[1])
        self.states = set(lexicon.US_STATES)
        self.ordinary = lexicon.dictionary()[0] | lexicon.STOPWORDS
        self.proper = lexicon.dictionary()[1]

    def word(self, word: str) -> str | None:
        if word in self.first or word in self.last:
            return "a person's name"
        if word in self.towns:
            return "a place's name"
        return None

    def language(self, name: str) -> str | None:
        if len(name.replace(" ", "").replace("-", "")) < 3:
            return "two letters or fewer"
        if name in self.towns:
            return "a place's name"
        if " " not in name and name in self.ordinary:
            return "an everyday word"
        return self._phrase(name)

    def holiday(self, name: str) -> str | None:
        """As a language, and no proper noun of the system dictionary: a holiday named for someone ("Arafat",
        "Shackleton") is his name too."""
        if name in self.towns:
            return "a place's name"
        if " " not in name and name in self.ordinary:
            return "an everyday word"  # "Memorial", "Liberation": a hospital's, a movement's name; "X Day" is a day
        if any(w in self.proper for w in name.split()):
            return "a proper noun of the dictionary"
        return self._phrase(name)

    def province(self, name: str) -> str | None:
        """A person's name ("Georgia" is a state and hers), a town's ("Puebla", "Santa Cruz": a city named like its
        state is an identifier), the start of a country's name ("Papua"), an everyday word ("Centre", "Central")."""
        if len(name.replace(" ", "")) < 3:
            return "two letters or fewer"
        if name in self.places:
            return "a place's name"
        if name in self.states:
            return "a US state"  # the detector's own rules read those ("Nebraska" for Nebraska Avenue)
        if any(country.startswith(name + " ") for country in self.countries):
            return "the start of a country's name"  # "Papua" said for Papua New Guinea, cut short
        if " " not in name and name in self.ordinary:
            return "an everyday word"
        if " " not in name and (name in self.first or name in self.last):
            return "a person's name"
        return None

    def _phrase(self, name: str) -> str | None:
        """A phrase with a person's or a place's name in it stays detectable whole ("Kenneth Kaunda", "Pchum Ben")."""
        return next((r for r in (self.word(w) for w in name.split()) if r), None)


def rows(kind: str, names: Iterable[str], decide: Callable[[str], str | None]) -> list[str]:
    lines = []
    for name in sorted({plain(n) for n in names}):
        if not name or not re.fullmatch(r"[a-z][a-z' -]*[a-z]", name) or len(name.split()) > 3:
            continue
        reason = decide(name)
        lines.append(f"{kind}\t{name}\t{'kept' if reason is None else 'dropped: ' + reason}")
    return lines


def build(holidays_found: Iterable[str]) -> str:
    """The file's text, from the language names on disk and the holiday names given."""
    check = Filter()
    lines = rows("language", language_names(), check.language) + rows("holiday", holidays_found, check.holiday)
    lines += rows("province", province_names(), check.province)
    header = HEADER.format(
        iso_version=iso_codes_version(), holidays_version=holidays_version(), first=YEARS[0], last=YEARS[-1]
    )
    return header + "\n" + "\n".join(lines) + "\n"


def iso_codes_version() -> str:
    """The installed iso-codes package's version, as dpkg knows it ("4.15.0-1")."""
    import subprocess

    try:
        found = subprocess.run(
            ["dpkg-query", "-W", "-f", "${Version}", "iso-codes"], capture_output=True, text=True, check=True
        )
    except (OSError, subprocess.CalledProcessError):
        return "(unknown version)"
    return found.stdout.strip() or "(unknown version)"


def holidays_version() -> str:
    return "0.105"


def main() -> None:
    import holidays

    if holidays.__version__ != holidays_version():
        sys.exit(f"build_peoples: holidays {holidays.__version__} found; this list is built from {holidays_version()}")
    OUT.write_text(build(holiday_names()), encoding="ascii")
    kept = sum(line.endswith("\tkept") for line in OUT.read_text(encoding="ascii").splitlines())
    print(f"{OUT}: {kept} names kept")


if __name__ == "__main__":
    main()
