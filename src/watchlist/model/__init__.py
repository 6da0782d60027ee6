"""The entity model: plain, frozen, typed; no I/O."""

from watchlist.model.entity import Address, Entity, Identifier, IdType, Name, NameKind, Schema
from watchlist.model.ftm import Seen, ftm_dataset_name, ftm_schema, same_dataset, to_ftm

__all__ = [
    "Address", "Entity", "IdType", "Identifier", "Name", "NameKind", "Schema", "Seen", "ftm_dataset_name",
    "ftm_schema", "same_dataset", "to_ftm",
]
