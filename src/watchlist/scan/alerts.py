"""Listed parties found in documents become alerts in the workbench queue (`watchlist scan --alerts`).

Raised through `watchlist.cases.raising.raise_alerts`: scanning the same document again raises
nothing new for a mention and listed party that already have an alert.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from watchlist.cases import AlertIn
from watchlist.engine import Engine
from watchlist.errors import QueryError, WatchlistError
from watchlist.match.types import MatchResult, Query
from watchlist.model import Entity
from watchlist.scan.parties import PartyMention
from watchlist.scan.scanner import ScanReport

CONTEXT = 120  # characters of the document kept either side of a mention


def scan_alerts(reports: Iterable[ScanReport], engine: Engine | None = None) -> Iterator[AlertIn]:
    """One alert per listed party mentioned in a document (the document and the words are the screened
    record). With the engine that scanned, each alert has the matcher's explanation and the party's records."""
    for report in reports:
        for mention in report.parties:
            record = {"document": report.document, "name": mention.text, "span": [mention.start, mention.end],
                      "context": report.text[max(0, mention.start - CONTEXT) : mention.end + CONTEXT]}
            yield AlertIn.from_result("scan", f"{report.document}#{mention.text}", record,
                                      mention_result(mention, engine))


def mention_result(mention: PartyMention, engine: Engine | None) -> MatchResult:
    """A mention as a match result: the listed party, the score, and why it hit."""
    entity = mention.entity
    referents: tuple[str, ...] = (entity.id,)
    if engine is not None:
        try:
            referents = engine.parties().party(entity.id).referents
            entity = engine.get(entity.id)
        except WatchlistError:
            pass
    if mention.identifier is not None:
        kind, value = mention.identifier
        why: tuple[str, ...] = (f"the document gives {kind} {value}, as the listed party's record does",)
    else:
        why = _name_explanation(mention, engine, entity)
    return MatchResult(entity, mention.score, True, mention.text, mention.matched_name, {}, why, referents)


def _name_explanation(mention: PartyMention, engine: Engine | None, entity: Entity) -> tuple[str, ...]:
    """The matcher's reasons for the mention against the listed party's names."""
    fallback = (f"'{mention.text}' matches the listed name '{mention.matched_name}': {mention.score:.2f}",)
    if engine is None:
        return fallback
    try:
        return engine.compare(Query.build(mention.text, schema=entity.schema), entity).explanation or fallback
    except QueryError:
        return fallback
