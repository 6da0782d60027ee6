"""Checks an entity dict with followthemoney's own model (a uniquely named helper module)."""

from __future__ import annotations

from typing import Any

from followthemoney import model
from followthemoney.dataset.util import dataset_name_check


def ftm_problems(data: dict[str, Any], lenient: frozenset[str] = frozenset()) -> list[str]:
    """What FtM would reject or drop in this entity: an empty list when it loads whole.

    `lenient` names properties whose values may fail FtM's value check (they are still kept).
    """
    problems = []
    schema = model.get(data["schema"])
    if schema is None:
        return [f"unknown schema {data['schema']!r}"]
    for name in data.get("datasets", []):
        try:
            dataset_name_check(name)
        except ValueError:
            problems.append(f"dataset name {name!r}")
    proxy = model.get_proxy(data, cleaned=False)
    for prop, values in data["properties"].items():
        found = schema.get(prop)
        if found is None:
            problems.append(f"{schema.name} has no property {prop!r}")
            continue
        if prop in lenient:
            continue
        if not proxy.get(prop) and values:
            problems.append(f"{prop}: every value dropped")
        for value in values:
            if found.type.clean(value, format=found.format, proxy=proxy) is None:
                problems.append(f"{prop}: {value!r} is not a valid {found.type.name}")
    for stamp in ("first_seen", "last_seen", "last_change"):
        value = data.get(stamp)
        if value is not None and (len(value) != 19 or value[10] != "T"):
            problems.append(f"{stamp} {value!r} is not YYYY-MM-DDTHH:MM:SS")
    return problems
