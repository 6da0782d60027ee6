"""Deterministic synthetic customer files: realistic multi-cultural names, with planted variants of listed names.

Person and company names come from Faker's locales (thousands of given and family names, in
their own scripts: Cyrillic, Chinese, Hangul, Arabic, Persian, and in Latin letters), so the
file has the spread of a real customer base rather than a few hundred repeated names.

    python bench/synthetic_names.py N OUT.csv [--seed 7] [--planted 0.001] [--lists PATH ...]

Columns: id, schema, name, birth_date, country, planted (the listed entity id a planted
row varies, else empty). The same N, seed and lists give the same file.
"""

from __future__ import annotations

import argparse
import csv
import random
from collections.abc import Iterator, Sequence
from pathlib import Path

from faker import Faker

from watchlist.model import Entity, Schema
from watchlist.text.folding import to_ascii
from watchlist.text.hangul import romanize_name

# (Faker locale, country, share of person rows). Names come in the locale's script, as a bank in
# that country holds them; some are also given in Latin letters (see _latin), as passports write them.
LOCALES: tuple[tuple[str, str, float], ...] = (
    ("en_US", "us", 12), ("en_GB", "gb", 8), ("es_ES", "es", 5), ("es_MX", "mx", 4), ("de_DE", "de", 5),
    ("fr_FR", "fr", 4), ("it_IT", "it", 3), ("pt_BR", "br", 3), ("tr_TR", "tr", 5), ("ru_RU", "ru", 8),
    ("uk_UA", "ua", 4), ("zh_CN", "cn", 8), ("ko_KR", "kr", 4), ("ar_SA", "sa", 4), ("fa_IR", "ir", 2),
    ("en_IN", "in", 6), ("yo_NG", "ng", 3), ("id_ID", "id", 3), ("pl_PL", "pl", 2),
)
LATIN_SHARE = {"ru_RU": 0.5, "uk_UA": 0.5, "zh_CN": 0.6, "ko_KR": 0.5}
# Arabic names in Latin letters (no Faker locale writes them): given, father's and family names combined.
ARABIC_GIVEN = ("Mohamed", "Ahmed", "Fatima", "Omar", "Aisha", "Youssef", "Khaled", "Layla", "Hassan", "Mariam",
                "Ibrahim", "Nour", "Mustafa", "Salma", "Tariq", "Hana", "Abdullah", "Yasmin", "Karim", "Rania",
                "Samir", "Huda", "Walid", "Dina", "Faisal", "Noura", "Majed", "Reem", "Adel", "Lina", "Bilal",
                "Samira", "Hamza", "Zainab", "Nabil", "Amal", "Rashid", "Sara", "Jamal", "Mona")
ARABIC_FAMILY = ("Hassan", "Ali", "Ibrahim", "Mahmoud", "Abdel Rahman", "El Sayed", "Khalil", "Mansour", "Nasser",
                 "Saleh", "Haddad", "Farouk", "Al Amin", "Bakr", "Darwish", "Osman", "Al Masri", "Shalaby",
                 "Hamdan", "Qasim", "Al Tamimi", "Barakat", "Suleiman", "Al Khatib", "Nassar", "Zaher", "Awad",
                 "Al Hashimi", "Mourad", "Fahmy", "Youssef", "Al Otaibi", "Hijazi", "Rizk", "Abbas", "Kamal")
ARABIC_LATIN_SHARE = 6.0  # person rows, beside LOCALES


PERSON_LOCALES = [loc for loc, _, _ in LOCALES] + ["ar_latin"]
PERSON_WEIGHTS = [w for _, _, w in LOCALES] + [ARABIC_LATIN_SHARE]


def _latin(locale: str, fake: Faker) -> str:
    if locale == "zh_CN":
        return str(fake.romanized_name())
    if locale == "ko_KR":
        return _korean_latin(fake.name())
    return " ".join(w.title() for w in to_ascii(fake.name()).split())


def _korean_latin(hangul: str) -> str:
    """홍정훈 -> 'Hong Jung-hoon': family name first, the given name hyphenated."""
    family, *given = romanize_name(hangul)
    name = "-".join(given).capitalize() if given else ""
    return f"{family.capitalize()} {name}".strip()


def _arabic_latin(rng: random.Random) -> str:
    words = [rng.choice(ARABIC_GIVEN)]
    if rng.random() < 0.4:
        words.append(rng.choice(ARABIC_GIVEN))  # the father's name
    words.append(rng.choice(ARABIC_FAMILY))
    return " ".join(words)


class _Names:
    """Deterministic names and company names from Faker, one generator per locale."""

    def __init__(self, seed: int) -> None:
        self._fakers: dict[str, Faker] = {}
        self._seed = seed

    def faker(self, locale: str) -> Faker:
        fake = self._fakers.get(locale)
        if fake is None:
            fake = self._fakers[locale] = Faker(locale)
            fake.seed_instance(f"{self._seed}-{locale}")
        return fake

    def person(self, rng: random.Random) -> tuple[str, str]:
        locale = rng.choices(PERSON_LOCALES, PERSON_WEIGHTS)[0]
        if locale == "ar_latin":
            name, country = _arabic_latin(rng), rng.choice(["eg", "jo", "ae", "lb", "sa", "iq", "sy"])
        else:
            country = next(c for loc, c, _ in LOCALES if loc == locale)
            fake = self.faker(locale)
            name = _latin(locale, fake) if rng.random() < LATIN_SHARE.get(locale, 0.0) else fake.name()
        if rng.random() < 0.15:
            name = name.upper()
        return name, country

    def company(self, rng: random.Random) -> tuple[str, str]:
        locale, country, _ = rng.choice(LOCALES)
        return self.faker(locale).company(), country


def vary(name: str, rng: random.Random) -> str:
    """A plausible variant of a listed name: a typo, swapped words, a dropped middle name, case."""
    words = name.replace(",", " ").split()
    roll = rng.random()
    if roll < 0.3 and len(words) >= 2:
        words = words[::-1] if len(words) == 2 else [words[-1]] + words[:-1]
    elif roll < 0.5 and len(words) >= 3:
        del words[1]
    elif roll < 0.8:
        i = rng.randrange(len(words))
        w = words[i]
        if len(w) > 3:
            j = rng.randrange(1, len(w) - 1)
            w = w[:j] + w[j + 1 :] if rng.random() < 0.5 else w[:j] + w[j + 1] + w[j] + w[j + 2 :]
        words[i] = w
    out = " ".join(words)
    return out.title() if rng.random() < 0.5 else out


def generate(n: int, listed: Sequence[Entity], seed: int = 7, planted: float = 0.001) -> Iterator[dict[str, str]]:
    rng = random.Random(seed)
    names = _Names(seed)
    people = [e for e in listed if e.schema in (Schema.PERSON, Schema.ORGANIZATION, Schema.COMPANY) and e.names]
    for i in range(n):
        row = {"id": f"cust-{i:08d}", "schema": "Person", "name": "", "birth_date": "", "country": "",
               "planted": ""}
        if people and rng.random() < planted:
            entity = rng.choice(people)
            row.update(schema=entity.schema.value, name=vary(entity.names[0].value, rng), planted=entity.id)
        elif rng.random() < 0.12:
            name, country = names.company(rng)
            row.update(schema="Organization", name=name, country=country if rng.random() < 0.8 else "")
        else:
            name, country = names.person(rng)
            row.update(name=name, country=country if rng.random() < 0.7 else "")
            if rng.random() < 0.6:
                row["birth_date"] = f"{rng.randint(1940, 2005)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        yield row


def write(path: Path, rows: Iterator[dict[str, str]]) -> int:
    count = 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["id", "schema", "name", "birth_date", "country", "planted"])
        writer.writeheader()
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("n", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--planted", type=float, default=0.001)
    parser.add_argument("--lists", type=Path, action="append")
    args = parser.parse_args()
    from batch_bench import DEFAULT_LISTS  # type: ignore[import-not-found]

    from watchlist.sources import entities_from_paths

    listed = entities_from_paths(args.lists or DEFAULT_LISTS)
    print(write(args.out, generate(args.n, listed, args.seed, args.planted)), "rows ->", args.out)


if __name__ == "__main__":
    main()
