"""Entities for API tests (a uniquely named module: tests/ has no packages)."""

from __future__ import annotations

from watchlist.model import Address, Entity, Identifier, IdType, Name, NameKind, Schema


def make_entity(
    id: str,
    name: str,
    schema: Schema = Schema.PERSON,
    aliases: tuple[str, ...] = (),
    datasets: tuple[str, ...] = ("test",),
    **fields: object,
) -> Entity:
    """As tests/conftest.py's make_entity (a second conftest module cannot import the first)."""
    names = (Name(name),) + tuple(Name(a, NameKind.ALIAS) for a in aliases)
    return Entity(id=id, schema=schema, names=names, datasets=datasets, **fields)  # type: ignore[arg-type]


def entities() -> list[Entity]:
    return [
        make_entity(
            "un-KPi.033",
            "Kim Jong Un",
            datasets=("un",),
            birth_dates=("1984-01-08",),
            nationalities=("kp",),
            identifiers=(Identifier(IdType.PASSPORT, "836410115"),),
            programs=("DPRK",),
        ),
        make_entity(
            "ofac-20157",
            "KIM, Jong Un",
            datasets=("ofac-sdn",),
            birth_dates=("1984-01-08",),
            nationalities=("kp",),
        ),
        make_entity(
            "ofac-9000",
            "Acme Trading LLC",
            Schema.COMPANY,
            aliases=("Acme Trade",),
            datasets=("ofac-sdn",),
            countries=("ae",),
            addresses=(Address("1 Road, Dubai", "Dubai", "ae"),),
        ),
        make_entity(
            "uk-123", "Ivan Petrov", datasets=("uk",), birth_dates=("1970-05-03",), nationalities=("ru",)
        ),
        make_entity(
            "un-IMO",
            "Ocean Star",
            Schema.VESSEL,
            datasets=("un",),
            identifiers=(Identifier(IdType.IMO, "9123456"),),
        ),
    ]
