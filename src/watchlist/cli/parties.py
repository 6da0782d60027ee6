"""A listed party's records side by side (`watchlist show ID`): one column per list that publishes it."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

from watchlist.engine import Engine
from watchlist.errors import WatchlistError
from watchlist.model import Entity
from watchlist.settings import Settings
from watchlist.store import SourceStatus, Store


def party_of(settings: Settings, store: Store, entity_id: str) -> tuple[Entity, list[Entity], list[dict[str, str]]] | None:
    """(the party as one entity, its records, the links between them) for any of its records' ids;
    None when no list record of that id is loaded, or no other list publishes the party."""
    engine = Engine(settings, store)
    try:
        parties = engine.parties()
    except WatchlistError:
        return None
    party = parties.party(entity_id)
    if len(party.referents) < 2:
        return None
    entity = parties.entity(entity_id)
    if entity is None:
        return None
    return entity, parties.records(entity_id), [link.to_dict() for link in party.links]


def records_data(records: list[Entity], statuses: dict[str, SourceStatus]) -> list[dict[str, Any]]:
    """Each source record with its list, the list's publication date and the record's listing date."""
    out = []
    for record in records:
        status = next((statuses[d] for d in record.datasets if d in statuses), None)
        out.append({
            "id": record.id,
            "datasets": list(record.datasets),
            "list_published": status.published if status else None,
            "listed_on": list(record.listed_on),
            "caption": record.caption,
            "properties": record.properties(),
        })  # fmt: skip
    return out


def print_records(console: Console, records: list[dict[str, Any]]) -> None:
    """The records as columns, properties as rows."""
    table = Table(title="Source records", title_justify="left", show_lines=False)
    table.add_column("Property", style="cyan", no_wrap=True)
    for record in records:
        table.add_column(f"{record['id']}\n{', '.join(record['datasets'])} {record['list_published'] or ''}".strip())
    props: list[str] = []
    for record in records:
        props += [p for p in record["properties"] if p not in props]
    for prop in props:
        table.add_row(prop, *("\n".join(r["properties"].get(prop, [])) or "-" for r in records))
    console.print(table)


def still_listed(settings: Settings, store: Store, removed: list[str]) -> dict[str, dict[str, Any]]:
    """For each removed record whose party other lists still publish: that party and those lists."""
    if not removed:
        return {}
    engine = Engine(settings, store)
    try:
        parties = engine.parties_of(removed)
        index = engine.ready_index()
    except WatchlistError:
        return {}
    out: dict[str, dict[str, Any]] = {}
    for record_id, party in parties.items():
        others = [r for r in party.referents if r != record_id and r in index.by_id]
        if others:
            lists = sorted({d for r in others for d in index.entities[index.by_id[r]].datasets})
            out[record_id] = {"party": engine.get(others[0]).id, "records": others, "lists": lists}
    return out


def print_still_listed(console: Console, listed: dict[str, dict[str, Any]]) -> None:
    for record_id, party in listed.items():
        console.print(f"{record_id} is still listed as party {party['party']} on {', '.join(party['lists'])}",
                      highlight=False)
