"""Deterministic synthetic customer files: realistic multi-cultural names, with planted variants of listed names.

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

from watchlist.model import Entity, Schema

CULTURES: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "en": ("gb", ("James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda", "William",
                  "Elizabeth", "David", "Susan", "Richard", "Jessica", "Thomas", "Sarah", "Charles", "Karen"),
           ("Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Taylor", "Clark",
            "Lewis", "Walker", "Hall", "Young", "King", "Wright", "Scott", "Green", "Baker", "Adams")),
    "es": ("es", ("Jose", "Maria", "Juan", "Carmen", "Luis", "Ana", "Carlos", "Lucia", "Javier", "Elena",
                  "Miguel", "Isabel", "Pedro", "Rosa", "Alejandro", "Pilar"),
           ("Garcia", "Rodriguez", "Martinez", "Lopez", "Sanchez", "Perez", "Gomez", "Fernandez", "Diaz",
            "Moreno", "Alvarez", "Romero", "Navarro", "Torres", "Ruiz", "Ramirez")),
    "ar": ("eg", ("Mohamed", "Ahmed", "Fatima", "Omar", "Aisha", "Youssef", "Khaled", "Layla", "Hassan",
                  "Mariam", "Ibrahim", "Nour", "Mustafa", "Salma", "Tariq", "Hana"),
           ("Hassan", "Ali", "Ibrahim", "Mahmoud", "Abdel Rahman", "El Sayed", "Khalil", "Mansour", "Nasser",
            "Saleh", "Haddad", "Farouk", "Al Amin", "Bakr", "Darwish", "Osman")),
    "ru": ("ru", ("Ivan", "Olga", "Dmitry", "Natalia", "Sergey", "Elena", "Alexei", "Tatiana", "Mikhail",
                  "Irina", "Andrei", "Svetlana", "Nikolai", "Yulia", "Pavel", "Anna"),
           ("Ivanov", "Smirnova", "Kuznetsov", "Popova", "Sokolov", "Lebedeva", "Kozlov", "Novikova",
            "Morozov", "Petrova", "Volkov", "Solovyova", "Vasiliev", "Zaitseva", "Pavlov", "Semenova")),
    "zh": ("cn", ("Wei", "Fang", "Min", "Jing", "Lei", "Li", "Jun", "Yan", "Hao", "Xiu", "Qiang", "Ying",
                  "Tao", "Hui", "Bo", "Lin"),
           ("Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun", "Ma",
            "Zhu", "Hu", "Guo")),
    "ko": ("kr", ("Min-jun", "Seo-yeon", "Ji-hoon", "Ha-eun", "Dong-hyun", "Soo-jin", "Jae-won", "Yu-na",
                  "Sung-min", "Eun-ji", "Hyun-woo", "Ji-woo"),
           ("Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Jang", "Lim", "Han", "Shin")),
    "in": ("in", ("Aarav", "Priya", "Rahul", "Ananya", "Vikram", "Sneha", "Arjun", "Kavya", "Rohan", "Pooja",
                  "Sanjay", "Divya", "Amit", "Neha", "Suresh", "Lakshmi"),
           ("Sharma", "Patel", "Singh", "Kumar", "Gupta", "Reddy", "Iyer", "Nair", "Mehta", "Joshi", "Das",
            "Rao", "Verma", "Chopra", "Bose", "Menon")),
    "ng": ("ng", ("Chinedu", "Ngozi", "Oluwaseun", "Funmilayo", "Emeka", "Adaeze", "Tunde", "Yetunde",
                  "Ifeanyi", "Chiamaka", "Babatunde", "Aisha"),
           ("Okafor", "Adeyemi", "Okonkwo", "Balogun", "Eze", "Obi", "Adebayo", "Nwosu", "Ogunleye", "Bello",
            "Abubakar", "Chukwu")),
    "de": ("de", ("Lukas", "Anna", "Maximilian", "Sophie", "Felix", "Marie", "Jonas", "Lena", "Paul", "Laura"),
           ("Muller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz",
            "Hoffmann")),
    "tr": ("tr", ("Mehmet", "Ayse", "Mustafa", "Fatma", "Ahmet", "Emine", "Ali", "Hatice", "Huseyin", "Zeynep"),
           ("Yilmaz", "Kaya", "Demir", "Sahin", "Celik", "Yildiz", "Yildirim", "Ozturk", "Aydin", "Ozdemir")),
}
ORG_WORDS = ("Global", "United", "Northern", "Pacific", "Atlantic", "Golden", "Silver", "Green", "Prime", "Delta",
             "Summit", "Horizon", "Eagle", "Star", "Ocean", "Royal", "Alpha", "Metro", "First", "Capital")
ORG_KINDS = ("Trading", "Logistics", "Holdings", "Industries", "Consulting", "Foods", "Textiles", "Energy",
             "Shipping", "Technologies", "Construction", "Pharma")
ORG_FORMS = ("Ltd", "LLC", "GmbH", "S.A.", "Inc.", "Co., Ltd.", "PLC", "BV", "JSC", "")


def _person(rng: random.Random) -> tuple[str, str]:
    culture = rng.choice(list(CULTURES))
    country, given, family = CULTURES[culture]
    first = rng.choice(given)
    last = rng.choice(family)
    if culture in ("zh", "ko") and rng.random() < 0.6:
        name = f"{last} {first}"
    elif culture == "es":
        name = f"{first} {last} {rng.choice(family)}"
    elif rng.random() < 0.2:
        name = f"{first} {rng.choice(given)} {last}"
    else:
        name = f"{first} {last}"
    if rng.random() < 0.15:
        name = name.upper()
    return name, country


def _org(rng: random.Random) -> str:
    return " ".join(p for p in (rng.choice(ORG_WORDS), rng.choice(ORG_KINDS), rng.choice(ORG_FORMS)) if p)


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
    people = [e for e in listed if e.schema in (Schema.PERSON, Schema.ORGANIZATION, Schema.COMPANY) and e.names]
    for i in range(n):
        row = {"id": f"cust-{i:08d}", "schema": "Person", "name": "", "birth_date": "", "country": "",
               "planted": ""}
        if people and rng.random() < planted:
            entity = rng.choice(people)
            row.update(schema=entity.schema.value, name=vary(entity.names[0].value, rng), planted=entity.id)
        elif rng.random() < 0.12:
            row.update(schema="Organization", name=_org(rng), country=rng.choice(["gb", "us", "de", "cn", "ae", ""]))
        else:
            name, country = _person(rng)
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
