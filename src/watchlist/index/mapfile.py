"""The file a saved name index is: named numpy arrays after a JSON header, mapped read-only.

Strings are stored as one UTF-8 byte run with offsets, keys additionally in an open-addressing
hash table (CRC-32, so every process finds the same slot). The views below (`StringArray`,
`KeyTable`, `Mapped*`) read the mapped arrays in place: every process that maps one file shares
one copy of it in the page cache.
"""

from __future__ import annotations

import json
import mmap
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Final, Literal, TypeVar, overload

import numpy as np

MAGIC: Final = b"WLINDEX\x00"
LAYOUT_VERSION: Final = 1  # this file layout; the index's own FORMAT_VERSION is saved in the header
_ALIGN: Final = 64

T = TypeVar("T")


def scalar_view(array: np.ndarray, code: Literal["B", "i", "q"]) -> memoryview[int]:
    """The array as a memoryview: reading one element from it costs a fraction of numpy's indexing."""
    return array.data.cast("B").cast(code)


def float_view(array: np.ndarray) -> memoryview[float]:
    """A float64 array as a memoryview (a slice's `tolist()` costs a fraction of numpy's)."""
    return array.data.cast("B").cast("d")


_hash: Final = zlib.crc32  # a key's slot: the same in every process (called directly: no wrapper frame)


class FileWriter:
    """Collects named arrays, then writes them after a JSON header, each aligned for mmap."""

    def __init__(self) -> None:
        self.arrays: dict[str, np.ndarray] = {}

    def add(self, name: str, array: np.ndarray) -> None:
        self.arrays[name] = np.ascontiguousarray(array)

    def strings(self, name: str, values: Iterable[str]) -> None:
        encoded = [v.encode("utf-8") for v in values]
        self.add(f"{name}.offsets", np.cumsum([0] + [len(e) for e in encoded], dtype=np.int64))
        self.add(f"{name}.bytes", np.frombuffer(b"".join(encoded), dtype=np.uint8))

    def keys(self, name: str, keys: Sequence[str]) -> None:
        """Keys (unique) as strings plus an open-addressing table: slot -> key ordinal, -1 empty."""
        self.strings(name, keys)
        size = 1 << max(3, (2 * len(keys)).bit_length())
        slots = np.full(size, -1, dtype=np.int32)
        mask = size - 1
        for ordinal, key in enumerate(keys):
            slot = _hash(key.encode("utf-8")) & mask
            while slots[slot] >= 0:
                slot = (slot + 1) & mask
            slots[slot] = ordinal
        self.add(f"{name}.slots", slots)

    def write(self, path: Path, meta: dict[str, Any]) -> None:
        layout: dict[str, tuple[str, list[int], int]] = {}
        offset = 0
        for name, array in self.arrays.items():
            offset = -(-offset // _ALIGN) * _ALIGN
            layout[name] = (array.dtype.str, list(array.shape), offset)
            offset += array.nbytes
        header = json.dumps({"layout": LAYOUT_VERSION, "meta": meta, "arrays": layout}).encode("utf-8")
        start = -(-(len(MAGIC) + 8 + len(header)) // _ALIGN) * _ALIGN
        with path.open("wb") as fh:
            fh.write(MAGIC + len(header).to_bytes(8, "little") + header)
            for name, array in self.arrays.items():
                fh.seek(start + layout[name][2])
                fh.write(array.tobytes())
            fh.truncate(start + offset)


class FileReader:
    """The arrays of a saved index, mapped read-only (shared by every process that maps the file)."""

    def __init__(self, path: Path) -> None:
        with path.open("rb") as fh:
            self.buffer = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        if self.buffer[: len(MAGIC)] != MAGIC:
            raise ValueError("not a name index file")
        size = int.from_bytes(self.buffer[len(MAGIC) : len(MAGIC) + 8], "little")
        header = json.loads(self.buffer[len(MAGIC) + 8 : len(MAGIC) + 8 + size])
        if header["layout"] != LAYOUT_VERSION:
            raise ValueError("another index file layout")
        self.meta: dict[str, Any] = header["meta"]
        self.base = -(-(len(MAGIC) + 8 + size) // _ALIGN) * _ALIGN
        self.layout: dict[str, list[Any]] = header["arrays"]

    def array(self, name: str) -> np.ndarray:
        dtype, shape, offset = self.layout[name]
        count = int(np.prod(shape)) if shape else 1
        if count == 0:
            return np.zeros(shape, dtype=np.dtype(dtype))
        return np.frombuffer(self.buffer, dtype=np.dtype(dtype), count=count, offset=self.base + offset).reshape(shape)

    def strings(self, name: str) -> StringArray:
        return StringArray(self, name)

    def keys(self, name: str) -> KeyTable:
        return KeyTable(self, name)


class StringArray(Sequence[str]):
    """Strings stored as one UTF-8 byte run and offsets: decoded on access."""

    def __init__(self, reader: FileReader, name: str) -> None:
        self._buffer = reader.buffer
        self._offsets_array = reader.array(f"{name}.offsets")
        self._offsets = scalar_view(self._offsets_array, "q")  # fast scalar reads
        self._start = reader.base + int(reader.layout[f"{name}.bytes"][2])

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def encoded(self, i: int) -> bytes:
        return self._buffer[self._start + self._offsets[i] : self._start + self._offsets[i + 1]]

    @overload
    def __getitem__(self, i: int) -> str: ...

    @overload
    def __getitem__(self, i: slice) -> list[str]: ...

    def __getitem__(self, i: int | slice) -> str | list[str]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        return self.encoded(i).decode("utf-8")


class KeyTable(StringArray):
    """Unique strings with a hash table: `ordinal(key)` finds a key's position in a few memory reads."""

    def __init__(self, reader: FileReader, name: str) -> None:
        super().__init__(reader, name)
        self._slots = scalar_view(reader.array(f"{name}.slots"), "i")
        self._mask = len(self._slots) - 1

    def ordinal(self, key: object) -> int:
        if not isinstance(key, str):
            return -1
        data = key.encode("utf-8")
        size = len(data)
        slot = _hash(data) & self._mask
        slots, offsets, buffer, start = self._slots, self._offsets, self._buffer, self._start
        while (found := slots[slot]) >= 0:
            # A key of another length is told without slicing it out (most probes of a key not held).
            at = offsets[found]
            if offsets[found + 1] - at == size and buffer[start + at : start + at + size] == data:
                return found
            slot = (slot + 1) & self._mask
        return -1


class _MappedMapping(Mapping[str, T]):
    """A read-only str-keyed mapping over a KeyTable; `_value(ordinal)` gives the value."""

    def __init__(self, keys: KeyTable) -> None:
        self._keys = keys

    def _value(self, ordinal: int) -> T:
        raise NotImplementedError

    def __getitem__(self, key: str) -> T:
        ordinal = self._keys.ordinal(key)
        if ordinal < 0:
            raise KeyError(key)
        return self._value(ordinal)

    def get(self, key: str, default: Any = None) -> Any:
        ordinal = self._keys.ordinal(key)
        return default if ordinal < 0 else self._value(ordinal)

    def __contains__(self, key: object) -> bool:
        return self._keys.ordinal(key) >= 0

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def values(self) -> Iterator[T]:  # type: ignore[override]
        return (self._value(i) for i in range(len(self._keys)))


class MappedInts(_MappedMapping[int]):
    def __init__(self, keys: KeyTable, values: np.ndarray) -> None:
        super().__init__(keys)
        self._values = scalar_view(values, "q")

    def _value(self, ordinal: int) -> int:
        return int(self._values[ordinal])


class MappedPostings(_MappedMapping[np.ndarray]):
    def __init__(self, keys: KeyTable, bounds: np.ndarray, positions: np.ndarray) -> None:
        super().__init__(keys)
        self._bounds = scalar_view(bounds, "q")
        self._positions = positions

    def _value(self, ordinal: int) -> np.ndarray:
        return self._positions[self._bounds[ordinal] : self._bounds[ordinal + 1]]


class MappedStringTuples(_MappedMapping[tuple[str, ...]]):
    def __init__(self, keys: KeyTable, bounds: np.ndarray, items: StringArray) -> None:
        super().__init__(keys)
        self._bounds = scalar_view(bounds, "q")
        self._items = items

    def _value(self, ordinal: int) -> tuple[str, ...]:
        encoded = self._items.encoded  # the items are in range: decode them without __getitem__'s checks
        return tuple([encoded(i).decode("utf-8") for i in range(self._bounds[ordinal], self._bounds[ordinal + 1])])


class MappedDatasets(Sequence[frozenset[str]]):
    """Each entity's datasets: a code per entity into the few distinct combinations."""

    def __init__(self, combinations: list[frozenset[str]], codes: np.ndarray) -> None:
        self._combinations = combinations
        self._codes = codes

    def __len__(self) -> int:
        return len(self._codes)

    @overload
    def __getitem__(self, i: int) -> frozenset[str]: ...

    @overload
    def __getitem__(self, i: slice) -> list[frozenset[str]]: ...

    def __getitem__(self, i: int | slice) -> frozenset[str] | list[frozenset[str]]:
        if isinstance(i, slice):
            return [self._combinations[c] for c in self._codes[i].tolist()]
        return self._combinations[int(self._codes[i])]
