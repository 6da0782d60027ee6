"""The entity model: plain, frozen, typed; no I/O."""

from watchlist.model.entity import Address, Entity, Identifier, IdType, Name, NameKind, Schema

__all__ = ["Address", "Entity", "IdType", "Identifier", "Name", "NameKind", "Schema"]
