"""Property labels as FollowTheMoney's model gives them ('passportNumber' -> 'Passport number').

Read from data/ftm_labels.yaml, which scripts/make_ftm_labels.py generates from FtM's model
(FtM is not a runtime dependency). A property our parsers keep under their own name is labelled
as FtM labels its counterpart on a Sanction ('ukSanctionsListRef' -> 'Authority-issued identifier');
one FtM does not know is written out in words, never shown as an internal name.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import Final

import yaml

from watchlist.model import Schema

FTM_SCHEMA: Final = {Schema.AIRCRAFT: "Airplane"}  # our schema -> FtM's, where the names differ
FALLBACK_SCHEMATA: Final = ("LegalEntity", "Thing", "Sanction")
_CAMEL: Final = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


@cache
def _labels() -> dict[str, dict[str, str]]:
    text = resources.files("watchlist.data").joinpath("ftm_labels.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    return {str(k): {str(p): str(label) for p, label in v.items()} for k, v in data.items()}


def property_label(prop: str, schema: Schema | str | None = None) -> str:
    """The FtM label of one property of an entity of this schema."""
    labels = _labels()
    name = FTM_SCHEMA.get(schema, str(schema)) if isinstance(schema, Schema) else (schema or "")
    for source in (name, "aliases", *FALLBACK_SCHEMATA):
        label = labels.get(source, {}).get(prop)
        if label:
            return label
    return _CAMEL.sub(" ", prop).capitalize()
