"""Listed parties found in documents become alerts in the workbench queue (`watchlist scan --alerts`)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from watchlist.cases import AlertIn
from watchlist.scan.scanner import ScanReport
from watchlist.store import canonical_json, entity_hash


def scan_alerts(reports: Iterable[ScanReport]) -> Iterator[AlertIn]:
    """One alert per listed party mentioned in a document (the document and the words are the screened record)."""
    for report in reports:
        for party in report.parties:
            entity = party.entity
            yield AlertIn(
                source="scan",
                party_key=f"{report.document}#{party.text}",
                record={"document": report.document, "name": party.text, "span": [party.start, party.end],
                        "context": report.text[max(0, party.start - 120) : party.end + 120]},
                entity_id=entity.id,
                entity_hash=entity_hash(canonical_json(entity)),
                score=party.score,
                entity_caption=entity.caption,
                query_name=party.text,
                matched_name=party.matched_name,
                datasets=tuple(entity.datasets),
                programs=tuple(entity.programs),
                entity=entity.to_dict(),
            )
