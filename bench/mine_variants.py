"""Mine real spelling variants from the lists themselves: one party as two official lists write it.

    python bench/mine_variants.py [--out bench/real_variants]

Links records of one party across the UK list, OFAC SDN (2024) and OFAC non-SDN by what the records
say, never by a name alone:
- `identifier`: the same passport, national-id, IMO, registration, tax or SWIFT number (same kind,
  at least 5 characters, not contradicted by the countries both give);
- `birth_date+name`: the same full birth date (YYYY-MM-DD), a person on both sides, and half the words
  (three letters or more) of the shorter name written alike in the other (edit similarity >= 0.8, plain
  lower-case ASCII: deliberately not the matcher's own folding, so the corpus does not learn from the
  matcher); two words and two thirds for a 1 January date, which lists use for a birth year alone. One
  word alike is no evidence where it is common in the lists ('Abu', 'Ali', 'Vladimir': two parties
  born the same day share one) and the names share no two-letter word ('Ri', 'Yu').
Every party that is also on the UN list (by the UN reference a UK record cites, or by the same
evidence against a UN record) is left out: those are kept for an independent check.

Writes, for a development and a test part (split by party, stable hash of the linked ids):
- `links-{part}.csv`: the linked records and the reason for each link;
- `queries-{part}.csv` / `gold-{part}.csv` in the eval set's format: each record's primary name
  (with its schema, and its birth date where it has one), screened against the other list alone.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from functools import cache, lru_cache
from pathlib import Path

from rapidfuzz.distance import Levenshtein

from watchlist.model import Entity, IdType, Schema
from watchlist.sources import load_paths

ROOT = Path(__file__).resolve().parents[1]
LISTS = ROOT.parent / "shared" / "data" / "lists"
SOURCES = {"uk": LISTS / "uk", "ofac-sdn": LISTS / "ofac" / "sdn_2024-05-03", "ofac-cons": LISTS / "ofac" / "cons_2025-12"}
UN = LISTS / "un" / "consolidated.xml"
LINKING_IDS = frozenset({IdType.PASSPORT, IdType.NATIONAL_ID, IdType.IMO, IdType.REGISTRATION, IdType.TAX_ID, IdType.SWIFT_BIC})
TEST_SHARE = 0.5
# A word in more records of the four lists than this ('abu', 'ali', 'muhammad', 'vladimir') is no
# evidence alone: two parties born the same day often share one.
COMMON_RECORDS = 40


@cache
def load(path: Path) -> list[Entity]:
    return [e for parsed in load_paths([path]) for e in parsed.entities()]


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """Plain words (`plain_words`) in more than COMMON_RECORDS records of the UN list and SOURCES."""
    records = Counter[str]()
    for path in (*SOURCES.values(), UN):
        for entity in load(path):
            records.update({w for name in entity.names for w in plain_words(name.value)})
    return frozenset(w for w, n in records.items() if n > COMMON_RECORDS)


def plain_words(name: str, shortest: int = 3) -> list[str]:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return [w for w in re.findall(r"[a-z]+", ascii_name) if len(w) >= shortest]


def _id_key(value: str) -> str:
    key = re.sub(r"[^0-9A-Z]", "", value.upper())
    return key.removeprefix("IMO")


def identifier_keys(entity: Entity) -> Iterator[tuple[str, str | None]]:
    for ident in entity.identifiers:
        key = _id_key(ident.value)
        if ident.type in LINKING_IDS and len(key) >= 5 and not key.isalpha():
            yield f"{ident.type.value}:{key}", ident.country


def name_overlap(a: Entity, b: Entity) -> tuple[int, float]:
    """The most words of one name written alike (edit similarity >= 0.8) in a name of the other, and
    the share of the shorter name's words that is, over every pair of names the two records give; a
    single word alike counts only if it is not common (COMMON_RECORDS) or the names share a two-letter
    word too (a Korean syllable: 'RI YONG MU' / 'RI, Yong Mu')."""
    best = (0, 0.0)
    common = common_words()
    for name_a in a.names:
        words_a = plain_words(name_a.value)
        for name_b in b.names:
            words_b = plain_words(name_b.value)
            if not words_a or not words_b:
                continue
            alike = [x for x in words_a if any(Levenshtein.normalized_similarity(x, y) >= 0.8 for y in words_b)]
            if len(alike) == 1 and alike[0] in common and not two_letter_words_shared(name_a.value, name_b.value):
                continue
            best = max(best, (len(alike), len(alike) / min(len(words_a), len(words_b))))
    return best


def two_letter_words_shared(a: str, b: str) -> bool:
    return bool({w for w in plain_words(a, 2) if len(w) == 2} & {w for w in plain_words(b, 2) if len(w) == 2})


def names_alike(a: Entity, b: Entity, date: str) -> bool:
    """Half the words of the shorter name written alike; two words and two thirds where the date is a
    1 January, which lists use for a birth year alone."""
    alike, share = name_overlap(a, b)
    if date.endswith("-01-01"):
        return alike >= 2 and share >= 2 / 3
    return alike >= 1 and share >= 0.5


def full_dates(entity: Entity) -> set[str]:
    return {d for d in entity.birth_dates if re.fullmatch(r"\d{4}-\d{2}-\d{2}", d)}


def compatible(a: Entity, b: Entity) -> bool:
    if (a.schema is Schema.PERSON) != (b.schema is Schema.PERSON):
        return False
    return (a.schema is Schema.VESSEL) == (b.schema is Schema.VESSEL)


def evidence(a: Entity, b: Entity) -> str | None:
    """Why two records of different lists are one party, or None."""
    if not compatible(a, b):
        return None
    b_ids = dict(identifier_keys(b))
    for key, country in identifier_keys(a):
        if key in b_ids and (country is None or b_ids[key] is None or country == b_ids[key]):
            return f"identifier {key}"
    if a.schema is Schema.PERSON:
        for date in sorted(full_dates(a) & full_dates(b)):
            if names_alike(a, b, date):
                return f"birth_date+name {date}"
    return None


def candidate_pairs(left: list[Entity], right: list[Entity]) -> Iterator[tuple[Entity, Entity, str]]:
    """Pairs sharing an identifier key or a full birth date, checked by `evidence`."""
    by_key: dict[str, list[Entity]] = defaultdict(list)
    for entity in right:
        for key, _ in identifier_keys(entity):
            by_key[key].append(entity)
        for date in full_dates(entity):
            by_key[f"dob:{date}"].append(entity)
    for entity in left:
        keys = {k for k, _ in identifier_keys(entity)} | {f"dob:{d}" for d in full_dates(entity)}
        seen: set[str] = set()
        for key in keys:
            for other in by_key.get(key, ()):
                if other.id in seen or other.id == entity.id:
                    continue
                seen.add(other.id)
                reason = evidence(entity, other)
                if reason:
                    yield entity, other, reason


def on_un_list(entity: Entity, un: list[Entity]) -> bool:
    """The record cites a UN reference, or the UN list holds a record linked to it by the same evidence."""
    if any(v.strip() for v in entity.extra_values("unReference")):
        return True
    return any(True for _ in candidate_pairs([entity], un))


def split_of(ids: Iterable[str]) -> str:
    digest = hashlib.sha1("|".join(sorted(ids)).encode()).digest()
    return "test" if digest[0] / 256 < TEST_SHARE else "dev"


def parties(links: list[tuple[Entity, Entity, str]]) -> dict[str, frozenset[str]]:
    """Each record id -> every record id linked to it, directly or through others (one party)."""
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    for a, b, _ in links:
        parent[root(a.id)] = root(b.id)
    members: dict[str, set[str]] = defaultdict(set)
    for x in list(parent):
        members[root(x)].add(x)
    return {x: frozenset(members[root(x)]) for x in parent}


def primary_name(entity: Entity) -> str:
    return entity.names[0].value


def write_part(out: Path, part: str, links: list[tuple[Entity, Entity, str]]) -> int:
    queries, gold, link_rows = [], [], []
    for n, (a, b, reason) in enumerate(links):
        link_rows.append({"left": a.id, "left_list": a.datasets[0], "right": b.id, "right_list": b.datasets[0],
                          "reason": reason, "left_name": primary_name(a), "right_name": primary_name(b)})
        for direction, (query, target) in enumerate(((a, b), (b, a))):
            qid = f"rv-{part}-{n:04d}-{direction}"
            queries.append({"id": qid, "schema": query.schema.value, "name": primary_name(query),
                            "birth_date": min(full_dates(query)) if full_dates(query) else "",
                            "country": "", "list": target.datasets[0]})
            category = "person" if query.schema is Schema.PERSON else query.schema.value.lower()
            gold.append({"query_id": qid, "category": category, "positive": "1", "gold_ids": target.id})
    _write(out / f"links-{part}.csv", link_rows)
    _write(out / f"queries-{part}.csv", queries)
    _write(out / f"gold-{part}.csv", gold)
    return len(queries)


def _write(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def mine_un_check() -> list[tuple[Entity, Entity, str]]:
    """The held-back check: UN records linked, by the same evidence, to the other lists' records."""
    un = load(UN)
    return [link for path in SOURCES.values() for link in candidate_pairs(un, load(path))]


def strangers_born_the_same_day() -> list[tuple[Entity, Entity, str]]:
    """Negatives with a telling birth date: people on two lists (the UN list among them) born the same
    day, not 1 January, whom no evidence links, directly or through others, and whose names share no
    word but common ones (a rarer word alike may be the same party under a name the linking missed)."""
    lists = {name: load(path) for name, path in (*SOURCES.items(), ("un", UN))}
    party = parties(mine() + mine_un_check())
    common = common_words()
    by_date: dict[str, list[Entity]] = defaultdict(list)
    for entities in lists.values():
        for entity in entities:
            if entity.schema is Schema.PERSON:
                for date in full_dates(entity):
                    if not date.endswith("-01-01"):
                        by_date[date].append(entity)
    out: list[tuple[Entity, Entity, str]] = []
    for date, people in sorted(by_date.items()):
        for i, a in enumerate(people):
            for b in people[i + 1:]:
                if a.datasets[0] == b.datasets[0] or b.id in party.get(a.id, ()) or evidence(a, b):
                    continue
                words_a = {w for n in a.names for w in plain_words(n.value)}
                words_b = {w for n in b.names for w in plain_words(n.value)}
                if (words_a & words_b) - common:
                    continue
                out.append((a, b, f"stranger {date}"))
    return out


def mine() -> list[tuple[Entity, Entity, str]]:
    lists = {name: load(path) for name, path in SOURCES.items()}
    un = load(UN)
    links: list[tuple[Entity, Entity, str]] = []
    names = list(lists)
    for i, left in enumerate(names):
        for right in names[i + 1:]:
            for a, b, reason in candidate_pairs(lists[left], lists[right]):
                if not (on_un_list(a, un) or on_un_list(b, un)):
                    links.append((a, b, reason))
    return links


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "real_variants")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    links = mine()
    parts: dict[str, list[tuple[Entity, Entity, str]]] = {"dev": [], "test": []}
    party = parties(links)
    for link in links:
        parts[split_of(party[link[0].id])].append(link)
    for part, rows in parts.items():
        print(f"{part}: {len(rows)} linked pairs, {write_part(args.out, part, rows)} queries")


if __name__ == "__main__":
    main()
