"""Store: snapshots, atomic loads, merge across sources, diff, history, prune, events."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from store_helpers import parsed
from tests.conftest import make_entity

from watchlist.errors import ConfigError, NotFoundError, SnapshotRejected, SourceError
from watchlist.model import Entity, Schema
from watchlist.store import Store, hash_files


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.open(tmp_path / "home" / "watchlist.db", keep_snapshots=3)
    yield s
    s.close()


def people(n: int, prefix: str = "p", source: str = "un") -> list[Entity]:
    return [make_entity(f"{source}-{prefix}{i}", f"Person {prefix}{i}", datasets=(source,)) for i in range(n)]


def test_open_creates_dirs_schema_and_wal(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "watchlist.db"
    with Store.open(path) as store:
        assert store.sources() == []
        assert list(store.entities()) == []
    assert path.exists()
    mode = sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_open_rejects_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "watchlist.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(ConfigError, match="not a usable watchlist store"):
        Store.open(path)


def test_load_then_read(store: Store) -> None:
    ents = people(3) + [make_entity("un-o1", "Acme Ltd", schema=Schema.ORGANIZATION, datasets=("un",))]
    result = store.load(parsed("un", ents, published="2026-02-27"))
    assert result.status == "new"
    assert result.previous is None
    assert result.snapshot.entity_count == 4
    assert result.snapshot.counts == {"Organization": 1, "Person": 3}
    [status] = store.sources()
    assert status.name == "un"
    assert status.published == "2026-02-27"
    assert status.counts == {"Organization": 1, "Person": 3}
    assert status.format == "test"
    assert status.loaded_at.endswith("Z")
    assert sorted(e.id for e in store.entities()) == sorted(e.id for e in ents)
    got = store.get("un-p1")
    assert got == ents[1]
    assert store.get("nope") is None
    assert store.count() == 4


def test_source_name_is_added_to_datasets(store: Store) -> None:
    store.load(parsed("yente_t1", [make_entity("NK-1", "A B", datasets=("eu_fsf",))]))
    entity = store.get("NK-1")
    assert entity is not None
    assert entity.datasets == ("eu_fsf", "yente_t1")


def test_same_content_is_unchanged(store: Store) -> None:
    first = store.load(parsed("un", people(3)))
    version = store.version()
    again = store.load(parsed("un", people(3)))
    assert again.status == "unchanged"
    assert again.snapshot.id == first.snapshot.id
    assert len(store.snapshots("un")) == 1
    assert store.version() == version


def test_same_files_are_unchanged_without_parsing(store: Store, tmp_path: Path) -> None:
    f = tmp_path / "list.xml"
    f.write_bytes(b"<x/>")
    store.load(parsed("un", people(3), files=(f,)))
    # same bytes: the parser is never called (it would fail here)
    result = store.load(parsed("un", people(3), files=(f,), fail_after=0, error=SourceError("parsed!")))
    assert result.status == "unchanged"
    assert store.events(1)[0].kind == "unchanged"


def test_hash_files_single_is_sha256sum_and_multi_is_order_free(tmp_path: Path) -> None:
    import hashlib

    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_bytes(b"aaa")
    b.write_bytes(b"bbb")
    assert hash_files([a]) == hashlib.sha256(b"aaa").hexdigest()
    assert hash_files([a, b]) == hash_files([b, a])
    assert hash_files([a, b]) != hash_files([a])


def test_new_version_replaces_old_and_version_changes(store: Store) -> None:
    store.load(parsed("un", people(4)))
    v1 = store.version()
    new = people(3) + people(2, prefix="q")
    result = store.load(parsed("un", new))
    assert result.status == "new"
    assert (result.added, result.removed, result.changed) == (2, 1, 0)
    assert store.version() != v1
    assert {e.id for e in store.entities()} == {e.id for e in new}
    assert [s.active for s in store.snapshots("un")] == [True, False]


def test_loading_one_source_never_touches_another(store: Store) -> None:
    store.load(parsed("un", people(3)))
    store.load(parsed("uk", people(5, source="uk")))
    store.load(parsed("uk", people(6, source="uk")))
    assert [s.name for s in store.sources()] == ["uk", "un"]
    assert len(store.snapshots("un")) == 1
    assert store.count(["un"]) == 3
    assert store.count(["uk"]) == 6


def test_same_id_in_two_sources_is_one_merged_entity(store: Store) -> None:
    sdn = make_entity(
        "ofac-1", "IVANOV, Ivan", aliases=("Vanya",), datasets=("ofac-sdn",), programs=("RUSSIA-EO14024",)
    )
    cons = make_entity(
        "ofac-1", "IVANOV, Ivan", aliases=("Ivan I.",), datasets=("ofac-cons",), programs=("NS-PLC",)
    )
    store.load(parsed("ofac-sdn", [sdn, make_entity("ofac-2", "Other", datasets=("ofac-sdn",))]))
    store.load(parsed("ofac-cons", [cons]))
    merged = [e for e in store.entities() if e.id == "ofac-1"]
    assert len(merged) == 1
    assert set(merged[0].datasets) == {"ofac-sdn", "ofac-cons"}
    assert set(merged[0].names_of(*{n.kind for n in merged[0].names})) == {"IVANOV, Ivan", "Vanya", "Ivan I."}
    assert set(merged[0].programs) == {"RUSSIA-EO14024", "NS-PLC"}
    assert store.get("ofac-1") == merged[0]
    assert store.count() == 2
    only_cons = list(store.entities(["ofac-cons"]))
    assert [e.datasets for e in only_cons] == [("ofac-cons",)]


def test_entities_unknown_source_is_a_clear_error(store: Store) -> None:
    store.load(parsed("un", people(1)))
    with pytest.raises(NotFoundError, match="eu.*loaded: un"):
        list(store.entities(["eu"]))


def test_duplicate_ids_within_one_list_are_merged(store: Store) -> None:
    ents = [
        make_entity("un-1", "A", datasets=("un",)),
        *people(2500, prefix="x"),  # forces a batch flush between the two records
        make_entity("un-1", "A", aliases=("AA",), datasets=("un",)),
        make_entity("un-2", "B", datasets=("un",)),
        make_entity("un-2", "B", aliases=("BB",), datasets=("un",)),
    ]
    result = store.load(parsed("un", ents))
    assert result.snapshot.entity_count == 2502
    assert any("2 duplicate" in n for n in result.snapshot.notes)
    one, two = store.get("un-1"), store.get("un-2")
    assert one is not None and "AA" in [n.value for n in one.names]
    assert two is not None and "BB" in [n.value for n in two.names]


# -- all-or-nothing ----------------------------------------------------------


def _assert_intact(store: Store, ids: set[str], snap_id: int) -> None:
    [status] = store.sources()
    assert status.version == snap_id
    assert {e.id for e in store.entities()} == ids
    assert len(store.snapshots(status.name)) == 1


def test_source_error_mid_parse_keeps_previous_snapshot(store: Store) -> None:
    first = store.load(parsed("un", people(5000)))
    bad = parsed(
        "un", people(6000, prefix="n"), fail_after=4500, error=SourceError("un.xml line 4812: broken")
    )
    with pytest.raises(SourceError, match="line 4812"):
        store.load(bad)
    _assert_intact(store, {f"un-p{i}" for i in range(5000)}, first.snapshot.id)
    event = store.events(1)[0]
    assert (event.kind, event.source) == ("failed", "un")
    # nothing of the failed load is left behind
    db = sqlite3.connect(store.path)
    assert db.execute("SELECT count(*) FROM members").fetchone()[0] == 5000
    assert db.execute("SELECT count(*) FROM entity_data").fetchone()[0] == 5000


def test_model_value_error_from_a_parser_becomes_source_error(store: Store) -> None:
    store.load(parsed("un", people(3)))
    bad = parsed("un", people(3, prefix="n"), fail_after=1, error=ValueError("entity un-9 has no name"))
    with pytest.raises(SourceError, match="has no name"):
        store.load(bad)
    assert store.count() == 3


def test_unexpected_exception_rolls_back(store: Store) -> None:
    first = store.load(parsed("un", people(3)))
    with pytest.raises(KeyboardInterrupt):
        store.load(parsed("un", people(4, prefix="n"), fail_after=2, error=KeyboardInterrupt()))  # type: ignore[arg-type]
    _assert_intact(store, {"un-p0", "un-p1", "un-p2"}, first.snapshot.id)


def test_empty_list_is_always_rejected(store: Store) -> None:
    with pytest.raises(SnapshotRejected, match="no entities"):
        store.load(parsed("un", []))
    assert store.sources() == []
    first = store.load(parsed("un", people(2)))
    with pytest.raises(SnapshotRejected):
        store.load(parsed("un", []), force=True)
    _assert_intact(store, {"un-p0", "un-p1"}, first.snapshot.id)
    assert store.events(1)[0].kind == "rejected"


def test_far_fewer_entities_is_rejected_unless_forced(store: Store) -> None:
    first = store.load(parsed("un", people(100)))
    with pytest.raises(SnapshotRejected, match="49 entities.*100.*--force"):
        store.load(parsed("un", people(49)))
    _assert_intact(store, {f"un-p{i}" for i in range(100)}, first.snapshot.id)
    assert store.load(parsed("un", people(50))).status == "new"  # exactly half is fine
    forced = store.load(parsed("un", people(10)), force=True)
    assert forced.status == "new"
    assert store.count() == 10


# -- diff, history, prune, events -----------------------------------------


def test_diff_reports_added_removed_changed_properties(store: Store) -> None:
    old = [
        make_entity("un-1", "Alpha", datasets=("un",), birth_dates=("1970",)),
        make_entity("un-2", "Beta", datasets=("un",)),
        make_entity("un-3", "Gamma", datasets=("un",)),
    ]
    new = [
        make_entity("un-1", "Alpha", aliases=("Alfa",), datasets=("un",), birth_dates=("1971",)),
        make_entity("un-3", "Gamma", datasets=("un",)),
        make_entity("un-4", "Delta", datasets=("un",)),
    ]
    s1 = store.load(parsed("un", old)).snapshot
    s2 = store.load(parsed("un", new)).snapshot
    diff = store.diff("un")
    assert diff.old is not None and diff.old.id == s1.id and diff.new.id == s2.id
    assert [e.id for e in diff.added] == ["un-4"]
    assert [(e.id, e.caption) for e in diff.removed] == [("un-2", "Beta")]
    [change] = diff.changed
    assert change.id == "un-1"
    assert change.properties == ("alias", "birthDate")
    # explicit snapshot ids, reversed
    back = store.diff("un", old=s2.id, new=s1.id)
    assert [e.id for e in back.added] == ["un-2"] and [e.id for e in back.removed] == ["un-4"]
    assert back.to_dict()["summary"] == {"added": 1, "removed": 1, "changed": 1}


def test_diff_with_a_single_snapshot_lists_everything_as_added(store: Store) -> None:
    store.load(parsed("un", people(2)))
    diff = store.diff("un")
    assert diff.old is None and len(diff.added) == 2


def test_diff_errors(store: Store) -> None:
    with pytest.raises(NotFoundError, match="no snapshot of 'eu'"):
        store.diff("eu")
    store.load(parsed("un", people(2)))
    with pytest.raises(NotFoundError, match="no snapshot 999"):
        store.diff("un", old=999)


def test_history_and_prune(store: Store) -> None:  # store keeps 3 snapshots
    ids = []
    for n in range(5):
        ents = people(10) if n != 2 else people(10, prefix="z")
        ents = [make_entity(e.id, e.names[0].value, datasets=("un",), remarks=(f"v{n}",)) for e in ents]
        ids.append(store.load(parsed("un", ents)).snapshot.id)
    snaps = store.snapshots("un")
    assert [s.id for s in snaps] == ids[:-4:-1]
    assert snaps[0].active
    history = store.history("un-p1")
    assert [s.id for s, _ in history] == [ids[4], ids[3], ids[2]]
    assert [e.remarks if e else None for _, e in history] == [("v4",), ("v3",), None]
    assert store.history("nobody") == []
    kinds = [e.kind for e in store.events(100)]
    assert kinds.count("prune") == 2 and kinds.count("load") == 5
    # pruned data is gone, no orphans left
    db = sqlite3.connect(store.path)
    assert (
        db.execute(
            "SELECT count(*) FROM entity_data WHERE hash NOT IN (SELECT hash FROM members)"
        ).fetchone()[0]
        == 0
    )
    assert db.execute("SELECT count(*) FROM members").fetchone()[0] == 30


def test_unchanged_entities_share_storage(store: Store) -> None:
    store.load(parsed("un", people(100)))
    store.load(parsed("un", people(100) + people(1, prefix="n")))
    db = sqlite3.connect(store.path)
    assert db.execute("SELECT count(*) FROM entity_data").fetchone()[0] == 101
    assert db.execute("SELECT count(*) FROM members").fetchone()[0] == 201


def test_events_are_newest_first_and_filterable(store: Store) -> None:
    store.load(parsed("un", people(2)))
    store.load(parsed("uk", people(2, source="uk")))
    events = store.events(10)
    assert [e.source for e in events] == ["uk", "un"]
    assert events[0].details["counts"] == {"Person": 2}
    assert [e.source for e in store.events(10, source="un")] == ["un"]
    assert len(store.events(1)) == 1


def test_keep_snapshots_must_be_positive(tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        Store.open(tmp_path / "x.db", keep_snapshots=0)


def test_data_survives_reopen(tmp_path: Path) -> None:
    path = tmp_path / "w.db"
    with Store.open(path) as store:
        store.load(parsed("un", people(3)))
        version = store.version()
    with Store.open(path) as store:
        assert store.version() == version
        assert store.count() == 3


def test_load_many_loads_sets_oldest_first_and_skips_kept_ones(store: Store, tmp_path: Path) -> None:
    old_file, new_file = tmp_path / "2021.csv", tmp_path / "2024.csv"
    old_file.write_bytes(b"old")
    new_file.write_bytes(b"new")
    lists = [
        parsed("ofac-sdn", people(4, source="ofac-sdn"), files=(new_file,), published="2024-05-03"),
        parsed("un", people(2), files=()),
        parsed("ofac-sdn", people(3, source="ofac-sdn"), files=(old_file,), published="2021-07-07"),
    ]
    first = store.load_many(lists)
    assert [(o.source, o.status) for o in first] == [("ofac-sdn", "new"), ("ofac-sdn", "new"), ("un", "new")]
    assert store.count(["ofac-sdn"]) == 4  # the newest is active
    again = store.load_many(lists)
    assert [o.status for o in again] == ["kept", "unchanged", "unchanged"]
    assert len(store.snapshots("ofac-sdn")) == 2


def test_load_many_reports_failures_without_stopping(store: Store) -> None:
    lists = [
        parsed("un", people(2), fail_after=1, error=SourceError("un.xml line 3: broken")),
        parsed("uk", people(2, source="uk")),
        parsed("eu", []),
    ]
    outcomes = store.load_many(lists)
    assert [o.status for o in outcomes] == ["failed", "new", "rejected"]
    assert outcomes[0].to_dict()["error"] == "un.xml line 3: broken"
    assert [s.name for s in store.sources()] == ["uk"]
