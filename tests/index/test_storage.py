"""The saved index: mapped read-only, it answers exactly as the built one does."""

from __future__ import annotations

import pickle
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from tests.batch.batch_helpers import ROWS, entities

from watchlist.batch.core import BatchOptions, screen_records
from watchlist.engine import Engine, links_path
from watchlist.index.retrieval import NameIndex
from watchlist.index.storage import EntityTable
from watchlist.match.features import candidate_countries
from watchlist.model import Address


def test_a_mapped_index_holds_what_the_built_one_holds(tmp_path: Path) -> None:
    built = NameIndex.build(entities(), version="v1")
    built.save(tmp_path / "names.idx")
    mapped = NameIndex.load(tmp_path / "names.idx")
    assert mapped is not None and mapped.version == "v1"
    assert list(mapped.postings) == list(built.postings)
    for key in built.postings:
        assert np.array_equal(mapped.postings[key], built.postings[key])
        assert mapped.document_frequency[key] == built.document_frequency[key]
    assert dict(mapped.skeletons) == dict(built.skeletons) and dict(mapped.deletions) == dict(built.deletions)
    assert mapped.postings.get("no such key") is None and "no such key" not in mapped.deletions
    assert [mapped.names[i] for i in range(len(built.names))] == [built.names[i] for i in range(len(built.names))]
    assert [(n.value, n.patronymic) for n in built.names if n.patronymic >= 0] == [("Vladimir Vladimirovich PUTIN", 1)]
    assert [e.id for e in mapped.entities] == [e.id for e in built.entities]
    assert mapped.entities[3] == built.entities[3] and dict(mapped.by_id) == {e.id: i for i, e in enumerate(entities())}
    assert list(mapped.entity_datasets) == list(built.entity_datasets)
    assert not mapped.name_entity.flags.writeable  # mapped read-only, not copied


def test_screening_on_the_mapped_index_equals_the_built_one(tmp_path: Path) -> None:
    engine = Engine.from_entities(entities())
    path = engine.save_index(tmp_path / "names.idx")
    assert links_path(path).is_file()  # the cross-list links travel with the index
    mapped = Engine.from_index_file(path)
    for options in (BatchOptions(cache_size=0), BatchOptions(min_score=0.0, cache_size=0)):
        assert screen_records(mapped, ROWS, options) == screen_records(engine, ROWS, options)


def test_screening_only_entities_screen_as_the_full_ones(tmp_path: Path) -> None:
    """A batch worker decodes only what screening reads: the same results, without the rest."""
    listed = [replace(e, remarks=("listed for a reason",), programs=("SDGT",),
                      addresses=(Address("1 Main St", "Paris", "fr"), Address("Moscow")) if i % 2 else ())
              for i, e in enumerate(entities())]
    engine = Engine.from_entities(listed)
    path = engine.save_index(tmp_path / "names.idx")
    full, lean = Engine.from_index_file(path), Engine.from_index_file(path)
    table = lean.ready_index().entities
    assert isinstance(table, EntityTable)
    table.screening_only = True
    for options in (BatchOptions(cache_size=0), BatchOptions(min_score=0.0, cache_size=0)):
        assert screen_records(lean, ROWS, options) == screen_records(full, ROWS, options)
    for position, entity in enumerate(full.ready_index().entities):
        kept = table[position]
        assert (kept.id, kept.schema, kept.names, kept.datasets, kept.birth_dates, kept.identifiers) == (
            entity.id, entity.schema, entity.names, entity.datasets, entity.birth_dates, entity.identifiers)
        assert candidate_countries(kept) == candidate_countries(entity)
        assert entity.remarks and not kept.remarks and not kept.programs and all(not a.full for a in kept.addresses)
        assert [a.country for a in kept.addresses] == [a.country for a in entity.addresses if a.country]


def test_a_file_of_another_format_is_not_loaded(tmp_path: Path) -> None:
    old = tmp_path / "names.pkl"
    old.write_bytes(pickle.dumps((32, {})))
    assert NameIndex.load(old) is None
    assert NameIndex.load(tmp_path / "missing.idx") is None


def test_batch_default_is_every_match_and_near_misses_from_the_floor() -> None:
    engine = Engine.from_entities(entities())
    everything = screen_records(engine, ROWS, BatchOptions(min_score=0.0, cache_size=0))
    default = screen_records(engine, ROWS, BatchOptions(cache_size=0))
    assert default == [dict(r, matches=[m for m in r["matches"] if m["score"] >= 0.5]) for r in everything]
    assert any(m["score"] < 0.5 for r in everything for m in r["matches"])  # the floor dropped something
    assert any(m["match"] for r in default for m in r["matches"])


def test_a_mapped_index_keeps_at_most_its_bound_of_decoded_names_and_entities(tmp_path: Path) -> None:
    """A batch worker's decoded names and entities are bounded (then start over), and what is
    decoded again is what was decoded before."""
    from watchlist.index import storage

    built = NameIndex.build(entities(), version="v1")
    built.save(tmp_path / "names.idx")
    mapped = NameIndex.load(tmp_path / "names.idx")
    assert mapped is not None
    names, table = mapped.names, mapped.entities
    assert isinstance(names, storage.MappedNames) and isinstance(table, EntityTable)
    assert (names._keep, table._keep) == (storage.BUILT_NAMES, storage.DECODED_ENTITIES)
    names._keep, table._keep = 3, 2  # the bounds, per table (storage is compiled: its constants are inlined)
    for _ in range(2):
        for i in range(len(built.names)):
            assert names[i] == built.names[i] and names[i - len(built.names)] == built.names[i]
            assert sum(name is not None for name in names._built) <= 3
        for i in range(len(built.entities)):
            assert table[i] == built.entities[i]
            assert sum(entity is not None for entity in table._decoded) <= 2
    mapped.clear_caches()
    assert not any(names._built) and not any(table._decoded)
    with pytest.raises(IndexError):
        names[len(built.names)]
    with pytest.raises(IndexError):
        table[len(built.entities)]
