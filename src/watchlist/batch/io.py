"""Streaming readers (CSV, JSON lines, Parquet) and writers (JSON lines, CSV, Parquet) for batch runs.

Readers yield canonical rows (`FIELDS`) one at a time, so memory does not grow with the
input. Writers append and report their byte offset, so an interrupted run can truncate the
output to the last checkpoint and carry on. Parquet output is staged as JSON lines beside
the target and converted in bounded row groups at the end.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from watchlist.batch.core import FIELDS, READ_ERROR, READ_WARNINGS, Record, Result
from watchlist.batch.textfile import (
    GZIP_MAGIC,
    csv_rows,
    header_key,
    open_text,
    resolve_columns,
)
from watchlist.decoding import repair_stray_bytes
from watchlist.errors import ConfigError

INPUT_FORMATS = ("csv", "jsonl", "parquet", "xlsx")
OUTPUT_FORMATS = ("jsonl", "csv", "parquet")
_SUFFIXES = {".csv": "csv", ".tsv": "csv", ".txt": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl",
             ".json": "jsonl", ".parquet": "parquet", ".pq": "parquet", ".xlsx": "xlsx"}
PARQUET_BATCH = 10_000
CSV_COLUMNS = ("query_id", "rank", "entity_id", "score", "match", "caption", "schema", "datasets",
               "matched_name", "error", "warnings", "referents")
WARNING_SEPARATOR = " | "  # between a row's warnings in a CSV cell


def detect_format(path: Path, given: str | None, allowed: Sequence[str]) -> str:
    suffix = path.suffix.lower()
    if suffix == ".gz":  # an input is read through gzip: the suffix before .gz tells its format
        if tuple(allowed) == OUTPUT_FORMATS:
            raise ConfigError(f"results are not written compressed: name the output without .gz ({path.stem})")
        suffix = Path(path.stem).suffix.lower()
    fmt = given or _SUFFIXES.get(suffix)
    if fmt is None:
        raise ConfigError(f"cannot tell the format of {path} from its suffix: pass one of {', '.join(allowed)}")
    if fmt not in allowed:
        raise ConfigError(f"format {fmt!r} is not supported here: use one of {', '.join(allowed)}")
    return fmt


@dataclass(frozen=True, slots=True)
class ColumnMap:
    """How an input is read: which column holds each canonical field (default: the column of the same
    name, in any case), and the text encoding of a CSV or JSON-lines file (None: UTF-8, or what its
    byte-order mark says)."""

    columns: dict[str, str] = field(default_factory=dict)
    encoding: str | None = None

    def __post_init__(self) -> None:
        unknown = set(self.columns) - set(FIELDS)
        if unknown:
            raise ConfigError(f"unknown field(s) {', '.join(sorted(unknown))} in the column mapping; "
                              f"map any of: {', '.join(FIELDS)}")

    def source(self, name: str) -> str:
        return self.columns.get(name, name)

    @classmethod
    def parse(cls, pairs: Sequence[str] = (), file: Path | None = None) -> ColumnMap:
        """From a mapping file (YAML or JSON `{field: column}`) and/or `field=column` options."""
        columns: dict[str, str] = {}
        if file is not None:
            import yaml

            from watchlist.text.refdata import load_yaml

            try:
                data = load_yaml(file.read_text(encoding="utf-8"))
            except (OSError, ValueError, yaml.YAMLError) as exc:
                raise ConfigError(f"cannot read the column mapping {file}: {exc}") from exc
            if not isinstance(data, dict):
                raise ConfigError(f"{file} must map fields to column names, e.g. `name: full_name`")
            columns.update({str(k): str(v) for k, v in data.items()})
        for pair in pairs:
            key, sep, value = pair.partition("=")
            if not sep or not key.strip() or not value.strip():
                raise ConfigError(f"column mapping {pair!r} must look like field=column, e.g. name=full_name")
            columns[key.strip()] = value.strip()
        return cls(columns)

    def check(self, available: Sequence[str], where: Path) -> ColumnMap:
        """This map resolved against a header: each field's column as the header writes it ('Name' for
        name). A missing name column, a mapped column that is absent or a column written twice is an error."""
        resolved = resolve_columns(list(available), {name: self.source(name) for name in FIELDS}, where)
        if "name" not in resolved:
            raise ConfigError(f"{where} has no column {self.source('name')!r} for names; columns: "
                              f"{', '.join(available)}. Map one with --map name=COLUMN")
        for name in FIELDS:
            if name in self.columns and name not in resolved:
                raise ConfigError(f"{where} has no column {self.columns[name]!r} (mapped to {name})")
        return ColumnMap(resolved, self.encoding)

    def canonical(self, row: dict[str, Any], number: int) -> Record:
        record = {name: row.get(self.source(name)) for name in FIELDS}
        if record["id"] is None or record["id"] == "":
            record["id"] = str(number)
        return record


# -- reading ---------------------------------------------------------------------


def read_records(path: Path, fmt: str, columns: ColumnMap, skip: int = 0) -> Iterator[Record]:
    """Canonical rows of `path`, in file order, after the first `skip` rows. Row ids default to the row number.

    A row read with a fault (more fields than the header, bytes that are not UTF-8) carries its warnings
    under READ_WARNINGS; a JSON line that cannot be read at all is a row with READ_ERROR, so that it
    still gets its result line.
    """
    if not path.is_file():
        raise ConfigError(f"input file {path} does not exist")
    if fmt == "csv":  # the header and encoding are checked now, before the caller opens its output
        with open_text(path, columns.encoding) as fh:
            columns.check(csv_rows(fh, path)[0], path)
        return _read_csv(path, columns, skip)
    if fmt == "jsonl":
        with open_text(path, columns.encoding):
            pass
        return _read_jsonl(path, columns, skip)
    if fmt == "parquet":
        columns.check(_parquet_file(path).schema_arrow.names, path)
        return _read_parquet(path, columns, skip)
    if fmt == "xlsx":
        columns.check(_xlsx_header(path), path)
        return _read_xlsx(path, columns, skip)
    raise ConfigError(f"unknown input format {fmt!r}")  # pragma: no cover - detect_format guards this


def _read_csv(path: Path, columns: ColumnMap, skip: int) -> Iterator[Record]:
    with open_text(path, columns.encoding) as fh:
        header, rows = csv_rows(fh, path)
        resolved = columns.check(header, path)
        name_at = header.index(resolved.source("name"))
        for number, (line, cells, warnings) in enumerate(rows, 1):
            if number <= skip:
                continue
            record = resolved.canonical(dict(zip(header, cells, strict=False)), number)
            if len(cells) > len(header):
                record["name"] = _overflowing_name(cells, len(header), name_at, record["name"], line, warnings)
            if warnings:
                record[READ_WARNINGS] = warnings
            yield record


def _overflowing_name(cells: list[str], width: int, name_at: int, name: Any, line: int, warnings: list[str]) -> Any:
    """A row with more fields than its header most often holds a name written 'KIM, Yong Chol' without
    quotes: where the field after the name holds letters, it is screened on the name as read and on the
    name with the fields after it joined. Empty fields past the header's are trailing delimiters."""
    extra = len(cells) - width
    if name_at + 1 < len(cells) and any(ch.isalpha() for ch in cells[name_at + 1]):
        joined = ", ".join(c.strip() for c in cells[name_at : name_at + 1 + extra])
        warnings.append(f"line {line} has {len(cells)} fields where the header has {width} (a comma in a field "
                        f"that is not quoted?); screened on name {name!r} and on {joined!r}")
        return [name, joined]
    if any(c.strip() for c in cells[width:]):
        warnings.append(f"line {line} has {len(cells)} fields where the header has {width}; read the first {width}")
    return name


def _read_jsonl(path: Path, columns: ColumnMap, skip: int) -> Iterator[Record]:
    with open_text(path, columns.encoding) as fh:
        number = 0
        for line_no, line in enumerate(fh, 1):
            if not line.strip():
                continue
            number += 1
            if number <= skip:
                continue
            line, repaired = repair_stray_bytes(line)
            try:
                row = json.loads(line, object_pairs_hook=_fields_once)
            except json.JSONDecodeError as exc:
                yield {"id": str(number), READ_ERROR: f"line {line_no} is not JSON ({exc.msg}): nothing screened"}
                continue
            except RecursionError:
                yield {"id": str(number), READ_ERROR: f"line {line_no} is not JSON (nested too deep): nothing screened"}
                continue
            except RepeatedField as exc:
                yield {"id": str(number), READ_ERROR: f"line {line_no} gives the field {exc.field!r} twice, so which "
                                                      "value is meant is unknown: nothing screened"}
                continue
            if not isinstance(row, dict):
                yield {"id": str(number), READ_ERROR: f"line {line_no} is JSON {type(row).__name__}, not an object "
                                                      "of fields: nothing screened"}
                continue
            mapped = _keys_as_mapped(row, columns)
            if number == 1 and columns.source("name") not in mapped:  # the first object stands for a header
                raise ConfigError(f"{path} line {line_no} has no field {columns.source('name')!r} for names; fields: "
                                  f"{', '.join(map(str, row)) or 'none'}. Map one with --map name=FIELD")
            record = columns.canonical(mapped, number)
            if repaired:
                record[READ_WARNINGS] = [f"line {line_no} has bytes that are not UTF-8; read them as Windows-1252"]
            yield record


class RepeatedField(ValueError):
    """A JSON object that gives one field twice (json.loads would keep the last value unsaid)."""

    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


def _fields_once(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for key, value in pairs:
        if key in fields:
            raise RepeatedField(key)
        fields[key] = value
    return fields


def _keys_as_mapped(row: dict[str, Any], columns: ColumnMap) -> dict[str, Any]:
    """A JSON object whose keys differ from the mapped columns only in case or spacing ('Name') read as those."""
    if all(columns.source(name) in row for name in ("name", "id")):
        return row
    by_key = {header_key(key): key for key in row}
    found = {columns.source(name): by_key.get(header_key(columns.source(name))) for name in FIELDS}
    return {**row, **{source: row[key] for source, key in found.items() if key is not None and source not in row}}


def _xlsx_header(path: Path) -> list[str]:
    from watchlist.sources.xlsx import read_rows  # bounded: a ZIP or XML bomb is a LimitError

    for _number, cells in read_rows(path):
        return [cell or "" for cell in cells]
    raise ConfigError(f"{path} has an empty first sheet: expected a header row naming the columns (at least 'name')")


def _read_xlsx(path: Path, columns: ColumnMap, skip: int) -> Iterator[Record]:
    """The first sheet's rows under its first row's headers, cells as text; a birth date of five digits is
    Excel's day number of a date cell (10000-99999: 1927 to 2173), read as that date."""
    from watchlist.sources.xlsx import read_rows

    rows = read_rows(path)
    header = [cell or "" for _number, cells in [next(rows)] for cell in cells]
    resolved = columns.check(header, path)
    number = 0
    for _line, cells in rows:
        if not any(cell and cell.strip() for cell in cells):
            continue  # an empty row
        number += 1
        if number > skip:
            record = resolved.canonical(dict(zip(header, cells, strict=False)), number)
            record["birth_date"] = _excel_day(record["birth_date"])
            yield record


def _excel_day(value: Any) -> Any:
    if isinstance(value, str) and len(value) == 5 and value.isdigit():
        return (date(1899, 12, 30) + timedelta(days=int(value))).isoformat()
    return value


def _parquet_file(path: Path) -> Any:  # a pyarrow.parquet.ParquetFile (pyarrow is imported lazily)
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        return pq.ParquetFile(path)
    except (OSError, pa.ArrowException) as exc:
        raise ConfigError(f"{path} is not a readable Parquet file ({str(exc).splitlines()[0][:120]})") from exc


def _read_parquet(path: Path, columns: ColumnMap, skip: int) -> Iterator[Record]:
    pf = _parquet_file(path)
    available = pf.schema_arrow.names
    columns = columns.check(available, path)
    wanted = [c for c in dict.fromkeys(columns.source(f) for f in FIELDS) if c in available]
    number = 0
    for batch in pf.iter_batches(batch_size=PARQUET_BATCH, columns=wanted):
        if number + batch.num_rows <= skip:
            number += batch.num_rows
            continue
        for row in batch.to_pylist():
            number += 1
            if number > skip:
                yield columns.canonical(row, number)


def count_rows(path: Path, fmt: str) -> int | None:
    """Rows in the input, cheaply (for the progress bar); None when it would cost a full parse."""
    try:
        if fmt == "xlsx":
            return None  # counting would read the whole workbook
        if fmt == "parquet":
            import pyarrow.parquet as pq

            return int(pq.ParquetFile(path).metadata.num_rows)
        lines = 0
        with path.open("rb") as fh:
            if fh.read(2) == GZIP_MAGIC:
                return None  # counting would decompress the whole file
            fh.seek(0)
            for block in iter(lambda: fh.read(1 << 20), b""):
                lines += block.count(b"\n")
        return max(lines - 1, 0) if fmt == "csv" else lines
    except (OSError, ValueError):  # pyarrow's ArrowInvalid is a ValueError: the reader says what is wrong
        return None


# -- writing ---------------------------------------------------------------------


class ResultWriter:
    """Appends result lines; `offset()` is the byte position a checkpoint records."""

    def __init__(self, path: Path, fmt: str, offset: int | None = None) -> None:
        self.target = path
        self.fmt = fmt
        self.path = self.staged_path(path, fmt)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if offset is None:
                self._fh = self.path.open("w", encoding="utf-8", newline="")
                if fmt == "csv":
                    csv.writer(self._fh).writerow(CSV_COLUMNS)
            else:
                with self.path.open("r+b") as raw:
                    raw.truncate(offset)
                self._fh = self.path.open("a", encoding="utf-8", newline="")
        except OSError as exc:
            raise ConfigError(f"cannot write the output {self.path}: {exc.strerror or exc}") from exc

    @staticmethod
    def staged_path(path: Path, fmt: str) -> Path:
        """Where results are appended: the output itself, or a JSON-lines file beside a Parquet target."""
        return path.with_name(path.name + ".partial.jsonl") if fmt == "parquet" else path

    def write(self, results: Sequence[Result]) -> None:
        self.write_lines(format_results(results, self.fmt))

    def write_lines(self, lines: str) -> None:
        """Append lines already formatted for this writer (format_results, with its format)."""
        self._fh.write(lines)

    def append_file(self, path: Path) -> None:
        """Append a file of results already formatted for this writer (format_results, with its format)."""
        self._fh.flush()
        with path.open("rb") as lines:
            shutil.copyfileobj(lines, self._fh.buffer)

    def offset(self) -> int:
        self._fh.flush()
        return self._fh.tell()

    def close(self) -> None:
        self._fh.close()

    def finish(self) -> None:
        """Close; for Parquet, convert the staged lines into the target file."""
        self.close()
        if self.fmt == "parquet":
            jsonl_to_parquet(self.path, self.target)
            self.path.unlink()


def format_results(results: Sequence[Result], fmt: str) -> str:
    """Results as the lines a ResultWriter of format `fmt` writes: CSV rows (one per match), else JSON
    lines (Parquet is staged as JSON lines)."""
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        for result in results:
            writer.writerows(_csv_rows(result))
        return buffer.getvalue()
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in results)


def _csv_rows(result: Result) -> list[list[Any]]:
    error = result.get("error") or ""
    warnings = WARNING_SEPARATOR.join(result.get("warnings") or ())
    if not result["matches"]:
        return [[result["id"], "", "", "", "", "", "", "", "", error, warnings, ""]]
    return [[result["id"], rank, m["id"], m["score"], "true" if m["match"] else "false", m["caption"],
             m["schema"], ";".join(m["datasets"]), m["matched_name"], error, warnings,
             ";".join(m.get("referents") or [m["id"]])]
            for rank, m in enumerate(result["matches"], 1)]


def parquet_schema() -> Any:  # a pyarrow.Schema (pyarrow is imported lazily)
    import pyarrow as pa

    match = pa.struct([("id", pa.string()), ("score", pa.float64()), ("match", pa.bool_()),
                       ("caption", pa.string()), ("schema", pa.string()), ("datasets", pa.list_(pa.string())),
                       ("matched_name", pa.string()), ("referents", pa.list_(pa.string()))])
    return pa.schema([("id", pa.string()), ("matches", pa.list_(match)), ("error", pa.string()),
                      ("warnings", pa.list_(pa.string()))])


def jsonl_to_parquet(source: Path, target: Path, batch: int = PARQUET_BATCH) -> None:
    """Convert result lines to Parquet, one row group per `batch` lines (bounded memory)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = parquet_schema()
    tmp = target.with_name(target.name + ".tmp")
    with pq.ParquetWriter(tmp, schema) as writer, source.open(encoding="utf-8") as fh:
        rows: list[dict[str, Any]] = []
        for line in fh:
            if line.strip():
                row = json.loads(line)
                rows.append({"id": row["id"], "matches": row["matches"], "error": row.get("error"),
                             "warnings": row.get("warnings")})
            if len(rows) >= batch:
                writer.write_table(pa.Table.from_pylist(rows, schema=schema))
                rows = []
        if rows:
            writer.write_table(pa.Table.from_pylist(rows, schema=schema))
    tmp.replace(target)


def read_results(path: Path, fmt: str | None = None) -> list[Result]:
    """Every result of a finished output file (tests, small files)."""
    fmt = detect_format(path, fmt, OUTPUT_FORMATS)
    if fmt == "parquet":
        import pyarrow.parquet as pq

        out: list[dict[str, Any]] = pq.read_table(path).to_pylist()
        for row in out:
            if row.get("error") is None:
                row.pop("error", None)
            if not row.get("warnings"):
                row.pop("warnings", None)
        return out
    if fmt == "jsonl":
        with path.open(encoding="utf-8") as fh:
            return [json.loads(line) for line in fh if line.strip()]
    results: dict[str, Result] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            result = results.setdefault(row["query_id"], {"id": row["query_id"], "matches": []})
            if row["error"]:
                result["error"] = row["error"]
            if row.get("warnings"):
                result["warnings"] = row["warnings"].split(WARNING_SEPARATOR)
            if row["entity_id"]:
                result["matches"].append({
                    "id": row["entity_id"], "score": float(row["score"]), "match": row["match"] == "true",
                    "caption": row["caption"], "schema": row["schema"],
                    "datasets": row["datasets"].split(";") if row["datasets"] else [],
                    "matched_name": row["matched_name"],
                    "referents": (row.get("referents") or row["entity_id"]).split(";")})
    return list(results.values())
