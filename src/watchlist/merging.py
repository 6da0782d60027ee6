"""One result per party: the engine's results merged where the lists link records (`store.links`).

Screening scores list records; a party several lists publish is one result, the best-scoring
record's, carrying the party (every record's values under the party's id) and its `referents`.
The links of a store's lists are made once per version of the lists and kept beside the index.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path

from watchlist.index.retrieval import NameIndex
from watchlist.match.types import MatchResult
from watchlist.model import Entity
from watchlist.store.links import Linkage, Parties, Party, link_records


def index_parties(index: NameIndex, links_dir: Path | None) -> Parties:
    """The parties of an index's records; with `links_dir`, the links are read from (or saved to) a file
    named for the index's version."""
    linkage = saved_linkage(index, links_dir) if links_dir is not None else link_records(index.entities)
    return Parties(linkage, lambda record_id: record_of(index, record_id))


def saved_linkage(index: NameIndex, links_dir: Path) -> Linkage:
    path = links_dir / f"links-{index.version}.pkl"
    linkage = Linkage.load(path)
    if linkage is None:
        linkage = link_records(index.entities)
        linkage.save(path)
        for old in links_dir.glob("links-*.pkl"):
            if old != path:
                old.unlink(missing_ok=True)
    return linkage


def parties_of(index: NameIndex, parties: Parties, record_ids: Iterable[str],
               former: Callable[[str], Entity | None]) -> dict[str, Party]:
    """The party each record belongs to, or belonged to when its list last published it (`former`
    gives a record no list has any more: its party may still be listed by the others)."""
    ids = sorted(set(record_ids))
    formers = [e for e in (former(i) for i in ids if i not in index.by_id) if e is not None]
    linkage = link_records([*index.entities, *formers]) if formers else parties.linkage
    return {i: linkage.party(i) for i in ids}


def keep_best(top: list[float], score: float, limit: int) -> None:
    """Keep the best `limit` scores on the min-heap `top`."""
    if len(top) < limit:
        heapq.heappush(top, score)
    elif limit > 0:
        heapq.heappushpop(top, score)


def first_of_party(seen: set[str], party: str) -> bool:
    """True the first time a party is seen (its score then counts towards the best `limit`)."""
    if party in seen:
        return False
    seen.add(party)
    return True


def per_party(results: list[MatchResult], parties: Parties) -> list[MatchResult]:
    """One result per party (results best first): the best-scoring record's result, as the party."""
    out: list[MatchResult] = []
    taken: set[str] = set()
    for result in results:
        party = parties.party(result.entity.id)
        if party.id in taken:
            continue
        taken.add(party.id)
        if len(party.referents) < 2:
            out.append(result)
            continue
        entity = parties.entity(party.id) or result.entity
        out.append(replace(result, entity=entity, referents=party.referents, matched_record=result.entity))
    return out


def record_of(index: NameIndex, record_id: str) -> Entity | None:
    position = index.by_id.get(record_id)
    return index.entities[position] if position is not None else None
