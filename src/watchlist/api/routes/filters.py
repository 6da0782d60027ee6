"""What yente's filter parameters do here: `topics`, `changed_since`, `exclude_schema`, `countries`,
`datasets`, `filter=field:value` (with `filter_op`), `target`, and the facet values behind them.

An entity's values per field are read from the entity model directly (cheap, for facets over
every hit); `filter=` on any other field reads its FollowTheMoney property.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from watchlist.errors import QueryError
from watchlist.model import Entity, Schema, Seen, ftm_dataset_name, ftm_schema
from watchlist.model.ftm import entity_topics, ftm_properties, yente_timestamp

# A date, or a date and time, as yente's `changed_since` takes it.
TS_PATTERN = r"^\d{4}-\d{2}-\d{2}(T\d{2}(:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?)?$"


class Operator(StrEnum):
    AND = "AND"
    OR = "OR"


FIELDS = ("countries", "topics", "datasets", "schema", "genders", "identifiers", "target", "entity_id")


def field_values(entity: Entity, name: str) -> set[str]:
    """The entity's values of a filter or facet field (FtM forms: codes, dataset and schema names)."""
    if name == "countries":
        return (
            set(entity.nationalities)
            | set(entity.countries)
            | {a.country for a in entity.addresses if a.country}
        )
    if name == "topics":
        return set(entity_topics(entity))
    if name == "datasets":
        return {ftm_dataset_name(d) for d in entity.datasets}
    if name == "schema":
        return {ftm_schema(entity.schema)}
    if name == "genders":
        return set(entity.extra_values("gender"))
    if name == "identifiers":
        return {i.value for i in entity.identifiers}
    if name == "names":  # every name and alias, as written (yente's `names` field)
        return {n.value for n in entity.names}
    if name == "target":
        return {"true"}
    if name in ("entity_id", "id"):
        return {entity.id}
    prop = name.removeprefix("properties.")
    return set(ftm_properties(entity).get(prop, ()))


def _normal(name: str, value: str) -> str:
    if name == "datasets":
        return ftm_dataset_name(value)
    if name in ("countries", "target"):
        return value.strip().lower()
    return value.strip()


@dataclass(frozen=True)
class EntityFilter:
    """The filters of one request; `allows` applies them to a result."""

    excluded_schemata: frozenset[str] = frozenset()
    changed_since: str | None = None
    exclude_ids: frozenset[str] = frozenset()
    terms: dict[str, list[str]] = field(default_factory=dict)  # field -> wanted values
    op: Operator = Operator.AND
    sanctioned_only: bool = False  # the `sanctions` collection: a `sanction` or `sanction.*` topic

    @classmethod
    def of(
        cls,
        *,
        exclude_schema: Sequence[str] = (),
        topics: Sequence[str] = (),
        changed_since: str | None = None,
        exclude_ids: Sequence[str] = (),
        countries: Sequence[str] = (),
        datasets: Sequence[str] = (),
        filters: Sequence[str] = (),
        target: bool | None = None,
        op: Operator = Operator.AND,
        sanctioned_only: bool = False,
    ) -> EntityFilter:
        terms: dict[str, list[str]] = {}
        pairs = [("topics", t) for t in topics] + [("countries", c) for c in countries]
        pairs += [("datasets", d) for d in datasets] + [_split(f) for f in filters]
        if target is not None:
            pairs.append(("target", "true" if target else "false"))
        for name, value in pairs:
            terms.setdefault(name, []).append(_normal(name, value))
        return cls(
            excluded_schemata=frozenset(_schema_name(s) for s in exclude_schema),
            changed_since=_stamp(changed_since),
            exclude_ids=frozenset(exclude_ids),
            terms=terms,
            op=op,
            sanctioned_only=sanctioned_only,
        )

    @property
    def needs_seen(self) -> bool:
        return self.changed_since is not None

    def allows(self, entity: Entity, seen: Seen | None = None) -> bool:
        if entity.id in self.exclude_ids or ftm_schema(entity.schema) in self.excluded_schemata:
            return False
        if self.sanctioned_only and not any(is_sanction_topic(t) for t in entity_topics(entity)):
            return False
        if self.changed_since is not None:
            changed = yente_timestamp(seen.last_change) if seen else None
            if changed is None or changed <= self.changed_since:
                return False
        for name, wanted in self.terms.items():
            have = field_values(entity, name)
            if self.op is Operator.OR and not have.intersection(wanted):
                return False
            if self.op is Operator.AND and not have.issuperset(wanted):
                return False
        return True


def is_sanction_topic(topic: str) -> bool:
    return topic == "sanction" or topic.startswith("sanction.")


def _split(value: str) -> tuple[str, str]:
    name, sep, wanted = value.partition(":")
    if not sep or not name.strip():
        raise QueryError(
            f"invalid filter {value!r}: use `field:value`, e.g. `countries:ru` or `birthDate:1985`"
        )
    return name.strip(), wanted


def _schema_name(value: str) -> str:
    """An FtM schema name; our own spellings (`Aircraft`, `ship`) are read as the schema they name."""
    try:
        return ftm_schema(Schema.parse(value))
    except ValueError:
        return value.strip()


def _stamp(value: str | None) -> str | None:
    """`changed_since` as a yente timestamp, for comparing with `last_change`."""
    if value is None:
        return None
    text = value.strip()[:19]
    return text if len(text) > 10 else f"{text}T00:00:00"
