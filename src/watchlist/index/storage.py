"""How a name index is held: the tables it is made of, and its file, mapped read-only.

A built index holds plain Python tables (`EntityTable`, `NameTable`, `Postings`, dicts). Saved,
it is one file of flat arrays: strings as UTF-8 bytes with offsets, keys in an open-addressing
hash table (CRC-32, the same in every process), postings and name tables as numpy arrays. Loading
maps that file with `mmap` and wraps the arrays in read-only views with the same interfaces
(`Mapped*` below), so every process that loads it (batch workers, Spark executors' Python
workers) shares one copy in the page cache: nothing is unpickled or copied, and a worker's own
memory is only what it decodes for the rows it screens (bounded caches).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Final, cast, overload

import numpy as np

from watchlist.index.mapfile import (
    FileReader,
    FileWriter,
    MappedDatasets,
    MappedInts,
    MappedPostings,
    MappedStringTuples,
    float_view,
    scalar_view,
)
from watchlist.model import Entity, NameKind
from watchlist.text.forms import patronymic_position
from watchlist.text.tokens import Token, TokenKind

_NAME_KINDS: Final = tuple(NameKind)
DECODED_ENTITIES: Final = 20_000  # entities a mapped table keeps decoded (per process), then starts over
BUILT_NAMES: Final = 60_000  # names a mapped table keeps built (per process), then starts over
# What screening reads of a listed entity (match.features, match.logic_v*, engine.screen, batch result
# lines and the parties merged from them); with `EntityTable.screening_only` the rest (remarks,
# addresses but their country, programs, FtM extras...: two thirds of the saved JSON) is not decoded.
SCREENING_FIELDS: Final = frozenset({"id", "schema", "names", "datasets", "birth_dates", "nationalities",
                                     "countries", "identifiers"})
_SHARED_VALUES: Final = ("datasets", "nationalities", "countries")  # a few hundred codes, one str each

@dataclass(frozen=True, slots=True)
class IndexedName:
    entity: int  # position in NameIndex.entities
    value: str
    kind: NameKind
    tokens: tuple[Token, ...]
    family: tuple[int, ...] = ()  # token positions of the family name, where the list marks it
    weights: tuple[float, ...] = ()  # each token's weight in this index
    patronymic: int = -1  # the token position of its patronymic (text.forms.patronymic_position), -1 none


# -- the tables of a built index ----------------------------------------------------


class EntityTable(Sequence[Entity]):
    """The listed entities, kept as JSON and decoded on first use.

    An index loads from disk in a fraction of the time it takes to unpickle
    every entity; a query only ever looks at a few dozen of them.
    """

    def __init__(self, entities: Iterable[Entity] = (), *, encoded: Sequence[str] | None = None,
                 ids: Sequence[str] | None = None) -> None:
        items = list(entities)
        self._encoded = encoded if encoded is not None else [json.dumps(e.to_dict(), ensure_ascii=False) for e in items]
        # By position (a list: a dict and its int keys took about 90 bytes more an entity); a built
        # table holds every entity, a mapped one decodes on first use and starts over past _keep.
        self._decoded: list[Entity | None] = list(items) if encoded is None else [None] * len(self._encoded)
        self._held = len(items)  # entities decoded in _decoded
        self._keep = len(items) if encoded is None else DECODED_ENTITIES
        # Decode only what screening reads (a batch worker, whose entities only ever get screened).
        self.screening_only = False
        self.ids: Sequence[str] = ids if ids is not None else (
            [e.id for e in items] if encoded is None else [_entity_id(text) for text in self._encoded])

    def __len__(self) -> int:
        return len(self._encoded)

    def clear_cache(self) -> None:
        """Forget decoded entities (a mapped table only: a built one holds them all)."""
        if self._keep != len(self._encoded) and self._held:
            self._forget()

    def _forget(self) -> None:
        self._decoded = [None] * len(self._encoded)
        self._held = 0

    @overload
    def __getitem__(self, position: int) -> Entity: ...

    @overload
    def __getitem__(self, position: slice) -> list[Entity]: ...

    def __getitem__(self, position: int | slice) -> Entity | list[Entity]:
        if isinstance(position, slice):
            return [self[i] for i in range(*position.indices(len(self)))]
        if position < 0:
            position += len(self)
        entity = self._decoded[position]
        if entity is None:
            data = json.loads(self._encoded[position])
            entity = Entity.from_dict(_screening_fields(data) if self.screening_only else data)
            if self._held >= self._keep:
                self._forget()  # bounded: a batch worker decodes what its rows reach
            self._decoded[position] = entity
            self._held += 1
        return entity


def _screening_fields(data: dict[str, Any]) -> dict[str, Any]:
    """An entity's saved fields less what screening never reads: addresses keep only their
    countries (candidate countries), and repeated codes (datasets, countries) share one string."""
    kept = {key: value for key, value in data.items() if key in SCREENING_FIELDS}
    for key in _SHARED_VALUES:
        if key in kept:
            kept[key] = [sys.intern(v) for v in kept[key]]
    countries = dict.fromkeys(sys.intern(a["country"]) for a in data.get("addresses", ()) if a.get("country"))
    if countries:
        kept["addresses"] = [{"full": "", "country": c} for c in countries]
    return kept


def _entity_id(encoded: str) -> str:
    # to_dict() writes "id" first: read it without decoding the whole entity.
    return str(json.loads(encoded[: encoded.index(",")] + "}")["id"])


class Postings(Mapping[str, np.ndarray]):
    """Index key -> name positions, as slices of one array (loads in milliseconds, not one array per key)."""

    def __init__(self, spans: dict[str, tuple[int, int]], positions: np.ndarray) -> None:
        self._spans = spans
        self._positions = positions

    @classmethod
    def of(cls, lists: dict[str, list[int]]) -> Postings:
        spans: dict[str, tuple[int, int]] = {}
        chunks: list[np.ndarray] = []
        start = 0
        for key, values in lists.items():
            unique = np.unique(np.asarray(values, dtype=np.int32))
            spans[key] = (start, start + len(unique))
            chunks.append(unique)
            start += len(unique)
        return cls(spans, np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int32))

    def __getitem__(self, key: str) -> np.ndarray:
        start, stop = self._spans[key]
        return self._positions[start:stop]

    def get(self, key: str, default: np.ndarray | None = None) -> np.ndarray | None:  # type: ignore[override]
        span = self._spans.get(key)
        return default if span is None else self._positions[span[0] : span[1]]

    def __contains__(self, key: object) -> bool:
        return key in self._spans

    def __iter__(self) -> Iterator[str]:
        return iter(self._spans)

    def __len__(self) -> int:
        return len(self._spans)


class NameTable(Sequence[IndexedName]):
    """Every indexed name of a built index, over one token vocabulary: one Token object per
    distinct token, shared by every name that uses it (the aligner's caches go by identity)."""

    def __init__(self, names: Iterable[IndexedName] = ()) -> None:
        vocabulary: dict[Token, Token] = {}
        self._names = [
            replace(n, tokens=tuple(vocabulary.setdefault(t, t) for t in n.tokens)) for n in names
        ]

    def __len__(self) -> int:
        return len(self._names)

    @overload
    def __getitem__(self, position: int) -> IndexedName: ...

    @overload
    def __getitem__(self, position: slice) -> list[IndexedName]: ...

    def __getitem__(self, position: int | slice) -> IndexedName | list[IndexedName]:
        return self._names[position]


class MappedNames(Sequence[IndexedName]):
    """The indexed names of a mapped file, built into IndexedName objects on access (bounded cache;
    one Token object per vocabulary entry, since the aligner's caches go by identity)."""

    def __init__(self, reader: FileReader) -> None:
        # As memoryviews: a scalar read or a slice's tolist() costs a fraction of numpy's.
        self._entity = scalar_view(reader.array("names.entity"), "i")
        self._value = reader.strings("names.value")
        self._kind = scalar_view(reader.array("names.kind"), "B")
        self._tokens = scalar_view(reader.array("names.tokens"), "i")
        self._token_bounds = scalar_view(reader.array("names.token_bounds"), "q")
        self._family = scalar_view(reader.array("names.family"), "i")
        self._family_bounds = scalar_view(reader.array("names.family_bounds"), "q")
        self._weights = float_view(reader.array("names.weights"))
        self._weight_bounds = scalar_view(reader.array("names.weight_bounds"), "q")
        self._vocabulary = [reader.strings(f"vocabulary.{field}") for field in ("text", "fold", "voiceless", "skeleton")]
        self._vocabulary_kind = reader.array("vocabulary.kind")
        # By position, as lists (a dict and its int keys took about 90 bytes more a name or token).
        self._built: list[IndexedName | None] = [None] * len(self._entity)
        self._held = 0  # names built in _built
        self._keep = BUILT_NAMES
        self._cached_tokens: list[Token | None] = [None] * len(self._vocabulary_kind)
        self._floats: dict[float, float] = {}  # one float object per distinct weight (a token's weight recurs)
        self._families: dict[tuple[int, ...], tuple[int, ...]] = {}  # one tuple per distinct family-name span

    def __len__(self) -> int:
        return len(self._entity)

    def clear_cache(self) -> None:
        if self._held:
            self._built = [None] * len(self._entity)
            self._held = 0

    @overload
    def __getitem__(self, position: int) -> IndexedName: ...

    @overload
    def __getitem__(self, position: slice) -> list[IndexedName]: ...

    def __getitem__(self, position: int | slice) -> IndexedName | list[IndexedName]:
        if isinstance(position, slice):
            return [self[i] for i in range(*position.indices(len(self)))]
        name = self._built[position]  # a list reads a negative or numpy position as the checks below do
        if name is None:
            position = int(position)
            if position < 0:
                position += len(self)
            if self._held >= self._keep:
                self.clear_cache()  # bounded: a worker builds the names its rows reach
            name = self._built[position] = self._build(position)
            self._held += 1
        return name

    def _build(self, i: int) -> IndexedName:
        t0, t1 = self._token_bounds[i], self._token_bounds[i + 1]
        f0, f1 = self._family_bounds[i], self._family_bounds[i + 1]
        w0, w1 = self._weight_bounds[i], self._weight_bounds[i + 1]
        floats = self._floats
        tokens = tuple(map(self._token, self._tokens[t0:t1].tolist()))
        family = tuple(self._family[f0:f1].tolist())
        family = self._families.setdefault(family, family)  # a few distinct ones: (0,), (1,), (0, 1)...
        return IndexedName(
            self._entity[i], self._value.encoded(i).decode("utf-8"), _NAME_KINDS[self._kind[i]], tokens, family,
            tuple([floats.setdefault(w, w) for w in cast("list[float]", self._weights[w0:w1].tolist())]),
            patronymic_position(tokens, family),
        )

    def _token(self, i: int) -> Token:
        token = self._cached_tokens[i]
        if token is None:
            # A token's forms are often the same text (fold == voiceless == skeleton): one str for each run.
            text, fold, voiceless, skeleton_ = (strings[i] for strings in self._vocabulary)
            fold = text if fold == text else fold
            voiceless = fold if voiceless == fold else voiceless
            skeleton_ = voiceless if skeleton_ == voiceless else skeleton_
            token = self._cached_tokens[i] = Token(text, fold, voiceless, skeleton_, TokenKind(int(self._vocabulary_kind[i])))
        return token



# -- saving and loading ------------------------------------------------------------------


def _bounds(lengths: Iterable[int]) -> np.ndarray:
    return np.cumsum([0, *lengths], dtype=np.int64)


def _write_names(writer: FileWriter, names: Sequence[IndexedName]) -> None:
    vocabulary: dict[Token, int] = {}
    tokens: list[int] = []
    family: list[int] = []
    weights: list[float] = []
    listed = [names[i] for i in range(len(names))]
    for name in listed:
        tokens.extend(vocabulary.setdefault(t, len(vocabulary)) for t in name.tokens)
        family.extend(name.family)
        weights.extend(name.weights)
    writer.add("names.entity", np.asarray([n.entity for n in listed], dtype=np.int32))
    writer.strings("names.value", (n.value for n in listed))
    writer.add("names.kind", np.asarray([_NAME_KINDS.index(n.kind) for n in listed], dtype=np.uint8))
    writer.add("names.tokens", np.asarray(tokens, dtype=np.int32))
    writer.add("names.token_bounds", _bounds(len(n.tokens) for n in listed))
    writer.add("names.family", np.asarray(family, dtype=np.int32))
    writer.add("names.family_bounds", _bounds(len(n.family) for n in listed))
    writer.add("names.weights", np.asarray(weights, dtype=np.float64))
    writer.add("names.weight_bounds", _bounds(len(n.weights) for n in listed))
    for field in ("text", "fold", "voiceless", "skeleton"):
        writer.strings(f"vocabulary.{field}", (getattr(t, field) for t in vocabulary))
    writer.add("vocabulary.kind", np.asarray([int(t.kind) for t in vocabulary], dtype=np.uint8))


def _write_postings(writer: FileWriter, name: str, postings: Mapping[str, np.ndarray]) -> None:
    arrays = [postings[k] for k in postings]
    writer.keys(f"{name}.keys", list(postings))
    writer.add(f"{name}.bounds", _bounds(len(a) for a in arrays))
    writer.add(f"{name}.positions", np.concatenate(arrays).astype(np.int32) if arrays else np.zeros(0, np.int32))


def _write_string_tuples(writer: FileWriter, name: str, table: Mapping[str, tuple[str, ...]]) -> None:
    writer.keys(f"{name}.keys", list(table))
    writer.add(f"{name}.bounds", _bounds(len(v) for v in table.values()))
    writer.strings(f"{name}.items", (item for v in table.values() for item in v))


def save_index(state: Mapping[str, Any], path: Path, format_version: int) -> None:
    """Write an index's tables (`NameIndex` fields by name) to `path`, atomically."""
    writer = FileWriter()
    entities: Sequence[Entity] = state["entities"]
    encoded = entities._encoded if isinstance(entities, EntityTable) else [
        json.dumps(e.to_dict(), ensure_ascii=False) for e in entities]
    writer.strings("entities.json", (encoded[i] for i in range(len(encoded))))
    ids = list(getattr(entities, "ids", None) or [e.id for e in entities])
    writer.strings("entities.ids", ids)
    by_id = {entity_id: i for i, entity_id in enumerate(ids)}
    writer.keys("by_id.keys", list(by_id))
    writer.add("by_id.values", np.asarray(list(by_id.values()), dtype=np.int64))
    _write_names(writer, state["names"])
    _write_postings(writer, "postings", state["postings"])
    _write_postings(writer, "birth_days", state["birth_days"])
    frequency: Mapping[str, int] = state["document_frequency"]
    writer.keys("document_frequency.keys", list(frequency))
    writer.add("document_frequency.values", np.asarray(list(frequency.values()), dtype=np.int64))
    _write_string_tuples(writer, "skeletons", state["skeletons"])
    _write_string_tuples(writer, "deletions", state["deletions"])
    combinations = list(dict.fromkeys(state["entity_datasets"]))
    codes = {c: i for i, c in enumerate(combinations)}
    writer.add("entity_datasets", np.asarray([codes[d] for d in state["entity_datasets"]], dtype=np.int32))
    for field in ("entity_schema", "name_entity", "name_length"):
        writer.add(field, np.asarray(state[field]))
    meta = {"format": format_version, "version": state["version"],
            "dataset_combinations": [sorted(c) for c in combinations]}
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    writer.write(tmp, meta)
    tmp.replace(path)  # atomic: readers see the old file or the new one


def load_index(path: Path, format_version: int) -> dict[str, Any] | None:
    """An index's tables mapped from `path` (NameIndex fields by name), or None when the file is
    missing, of another format, or not an index."""
    try:
        reader = FileReader(path)
    except (OSError, ValueError, KeyError):
        return None
    if reader.meta.get("format") != format_version:
        return None
    return {
        "version": reader.meta["version"],
        "entities": EntityTable(encoded=reader.strings("entities.json"), ids=reader.strings("entities.ids")),
        "names": MappedNames(reader),
        "postings": _postings(reader, "postings"),
        "birth_days": _postings(reader, "birth_days"),
        "document_frequency": MappedInts(reader.keys("document_frequency.keys"),
                                         reader.array("document_frequency.values")),
        "skeletons": _string_tuples(reader, "skeletons"),
        "deletions": _string_tuples(reader, "deletions"),
        "entity_schema": reader.array("entity_schema"),
        "entity_datasets": MappedDatasets([frozenset(c) for c in reader.meta["dataset_combinations"]],
                                          reader.array("entity_datasets")),
        "name_entity": reader.array("name_entity"),
        "name_length": reader.array("name_length"),
        "by_id": MappedInts(reader.keys("by_id.keys"), reader.array("by_id.values")),
    }


def _postings(reader: FileReader, name: str) -> MappedPostings:
    return MappedPostings(reader.keys(f"{name}.keys"), reader.array(f"{name}.bounds"), reader.array(f"{name}.positions"))


def _string_tuples(reader: FileReader, name: str) -> MappedStringTuples:
    return MappedStringTuples(reader.keys(f"{name}.keys"), reader.array(f"{name}.bounds"), reader.strings(f"{name}.items"))
