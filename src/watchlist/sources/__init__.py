"""List parsers: one module per official list format. files -> ParsedList -> Iterator[Entity].

`load_paths(paths)` is the entry point: it takes files and folders, detects each
file's format from its content, groups the OFAC CSV sets, and returns one
ParsedList per published list. Parsing is lazy: `ParsedList.entities()` streams.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from watchlist.errors import SourceError
from watchlist.model import Entity
from watchlist.sources import ofac_csv
from watchlist.sources.base import SOURCE_NAMES, ParsedList
from watchlist.sources.detect import Detected, sniff
from watchlist.sources.urls import SOURCE_URLS

__all__ = ["SOURCE_NAMES", "SOURCE_URLS", "ParsedList", "entities_from_paths", "load_file", "load_paths"]

log = logging.getLogger(__name__)

# When a folder is walked, only these files are read; others (README.md, ...) are ignored.
LIST_SUFFIXES = (".xml", ".csv", ".xlsx", ".json", ".jsonl", ".ndjson")


def load_paths(paths: Sequence[Path]) -> list[ParsedList]:
    """One ParsedList per published list found in `paths` (files and/or folders).

    A file named explicitly must be a list file; in a folder, files without a list
    suffix are skipped, and so are OFAC supplement files (add/alt/comments) whose
    primary file is not in the same folder. Raises SourceError naming the file.
    """
    explicit: list[Path] = []
    walked: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            walked.extend(
                p for p in sorted(path.rglob("*"))
                if p.is_file() and not p.name.startswith(".") and p.name.lower().endswith(LIST_SUFFIXES)
            )  # fmt: skip
        elif path.is_file():
            explicit.append(path)
        else:
            raise SourceError(f"{path}: {'not a regular file or folder' if path.exists() else 'no such file or folder'}")

    out: list[ParsedList] = []
    ofac_groups: dict[tuple[Path, str], ofac_csv.OfacFiles] = {}
    from_walk: set[tuple[Path, str]] = set()
    seen: set[Path] = set()
    for path, walking in [(p, False) for p in explicit] + [(p, True) for p in walked]:
        resolved = path.resolve()
        if resolved in seen:
            continue
        seen.add(resolved)
        found = sniff(path)
        if found.format == "ofac-csv":
            assert found.role is not None
            key = (resolved.parent, ofac_csv.list_of(path))
            group = ofac_groups.setdefault(key, ofac_csv.OfacFiles(source=key[1]))
            group.add(found.role, path)
            if walking:
                from_walk.add(key)
            continue
        out.append(_load_one(path, found))

    for key, group in ofac_groups.items():
        if group.primary is None and key in from_walk and not _named(group, explicit):
            log.info("skipping OFAC supplement files without a primary file: %s", group.files)
            continue
        out.append(ofac_csv.load(group))
    return out


def load_file(path: Path) -> ParsedList:
    """One file that is a whole list by itself (not an OFAC supplement)."""
    lists = load_paths([path])
    if len(lists) != 1:
        raise SourceError(f"{path.name}: not one complete list")
    return lists[0]


def _named(group: ofac_csv.OfacFiles, explicit: list[Path]) -> bool:
    return any(p in explicit for p in group.files)


def _load_one(path: Path, found: Detected) -> ParsedList:
    fmt = found.format
    if fmt == "un-xml":
        from watchlist.sources import un

        return un.load(path, found.head)
    if fmt == "ofac-xml":
        from watchlist.sources import ofac_xml

        return ofac_xml.load(path, found.head)
    if fmt in ("eu-xml", "eu-csv"):
        from watchlist.sources import eu

        return eu.load(path, fmt, found.head)
    if fmt in ("uk-xlsx", "uk-csv", "uk-fcdo-xml", "uk-fcdo-csv"):
        from watchlist.sources import uk

        return uk.load(path, fmt, found.head)
    if fmt == "ftm-json":
        from watchlist.sources import ftm

        return ftm.load(path)
    raise SourceError(f"{path.name}: no parser for format {fmt}")  # pragma: no cover


def entities_from_paths(paths: Sequence[Path]) -> list[Entity]:
    """Every entity in list files or folders, without a store: an id that several lists hold
    is one entity naming each of them (as the store merges them). For `batch --lists`,
    Spark jobs, notebooks and benchmarks."""
    merged: dict[str, Entity] = {}
    for parsed in load_paths(list(paths)):
        for entity in parsed.entities():
            if parsed.source not in entity.datasets:
                entity = replace(entity, datasets=(*entity.datasets, parsed.source))
            merged[entity.id] = merged[entity.id].merge(entity) if entity.id in merged else entity
    return list(merged.values())
