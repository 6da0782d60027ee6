"""CLI commands for the lists: fetch (download or local files -> store), sources, diff, show."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from watchlist.cli.common import plural
from watchlist.cli.parties import party_of, print_records, print_still_listed, records_data, still_listed
from watchlist.errors import ConfigError, FetchError, NotFoundError, SourceError, WatchlistError
from watchlist.model import Entity, Seen, same_dataset, to_ftm
from watchlist.settings import Settings
from watchlist.sources import SOURCE_NAMES, load_paths
from watchlist.sources.base import DEFAULT_RETRIES, DEFAULT_TIMEOUT
from watchlist.store import Diff, LoadOutcome, SourceStatus, Store


@contextmanager
def _open_store() -> Iterator[tuple[Settings, Store]]:
    settings = Settings.from_env()
    store = Store.open(settings.db_path, keep_snapshots=settings.keep_snapshots)
    try:
        yield settings, store
    finally:
        store.close()


def _echo_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{n:,} {schema}" for schema, n in sorted(counts.items(), key=lambda kv: -kv[1]))


def _parse_urls(values: list[str] | None) -> dict[str, str]:
    urls: dict[str, str] = {}
    for value in values or []:
        source, sep, url = value.partition("=")
        if not sep or not source or not url:
            raise ConfigError(f"--url {value!r}: expected SOURCE=URL, e.g. --url un=https://mirror/un.xml")
        urls[source.strip()] = url.strip()
    return urls


# -- fetch ---------------------------------------------------------------------

OFFLINE = "no network? Nothing downloaded; load files: watchlist fetch --from PATH"  # fits 80 columns


def _load_lists(store: Store, paths: list[Path], force: bool, label: str) -> list[LoadOutcome]:
    try:
        lists = load_paths(paths)
    except WatchlistError as exc:
        return [LoadOutcome(label, tuple(str(p) for p in paths), error=exc)]
    if not lists:
        error = NotFoundError(f"{label}: no list files found (.xml, .csv, .xlsx, .json)")
        return [LoadOutcome(label, tuple(str(p) for p in paths), error=error)]
    return store.load_many(lists, force=force)


def _report(outcomes: list[LoadOutcome], console: Console) -> None:
    """One line per list (what happened to it), its counts beneath: no columns to fold at 80."""
    console.print(Text("Lists", style="bold"))
    width = max((len(o.source) for o in outcomes), default=0)
    for o in outcomes:
        head = Text(f"  {o.source:<{width}}  ")
        if o.result is None:
            assert o.error is not None
            head.append(o.status, style="bold red")
            console.print(head)
            _beneath(console, o.error.message)
            continue
        r = o.result
        snap = r.snapshot
        if r.status == "new":
            head.append(f"new snapshot {snap.id}", style="green")
            head.append(f" ({f'+{r.added:,} -{r.removed:,} ~{r.changed:,}' if r.previous else 'first load'})")
        elif r.status == "kept":
            head.append(f"already kept as snapshot {snap.id}", style="dim")
            head.append(" (an older set, not reloaded)")
        else:
            head.append(f"unchanged, snapshot {snap.id}", style="dim")
        head.append(f", published {snap.published or '-'}")
        console.print(head)
        _beneath(console, f"{plural(snap.entity_count, 'entity')}: {_counts(snap.counts)}")
    for o in outcomes:
        if o.result is not None and o.result.status == "new":
            for note in o.result.snapshot.notes:
                text = note if note.startswith(f"{o.source}:") else f"{o.source}: {note}"
                console.print(f"[yellow]note[/] {escape(text)}", highlight=False)


def _beneath(console: Console, line: str, indent: int = 6) -> None:
    """A detail under its list's line, wrapped to the terminal with every line indented alike;
    ', '-separated items (counts by schema) are kept whole."""
    pad = " " * indent
    width = max(console.width, 40)
    current = pad
    for item in line.split(", "):
        joined = item if current == pad else f"{current}, {item}"[len(pad):]
        if current != pad and len(pad) + len(joined) > width:
            console.print(current + ",", highlight=False, markup=False, soft_wrap=True)
            current = pad + item
        else:
            current = pad + joined
    console.print(current, highlight=False, markup=False, soft_wrap=True)


def fetch_command(
    sources: Annotated[
        list[str] | None,
        typer.Argument(help=f"Sources to download (default: {' '.join(SOURCE_NAMES)})."),
    ] = None,
    from_: Annotated[
        list[Path] | None,
        typer.Option("--from", help="Load local files or folders instead (format detected from content)."),
    ] = None,
    force: Annotated[bool, typer.Option(help="Accept a list far smaller than the active one.")] = False,
    url: Annotated[
        list[str] | None, typer.Option(help="SOURCE=URL download override (a URL ending in / is a folder).")
    ] = None,
    base_url: Annotated[
        str | None,
        typer.Option(help="Mirror laid out as BASE/<source>/<file> (env WATCHLIST_SOURCE_BASE_URL)."),
    ] = None,
    timeout: Annotated[float, typer.Option(help="Seconds without data before giving up.")] = DEFAULT_TIMEOUT,
    retries: Annotated[
        int, typer.Option(help="Retries per file after a network error or HTTP 5xx.")
    ] = DEFAULT_RETRIES,
    as_json: Annotated[bool, typer.Option("--json", help="Print the results as JSON.")] = False,
) -> None:
    """Download the official lists (or load local files) into the store, one snapshot per list."""
    console = Console()
    outcomes: list[LoadOutcome] = []
    with _open_store() as (settings, store):
        if from_:
            # `--from a b c`: with --from, the other arguments are paths too
            paths = list(from_) + [Path(p) for p in sources or []]
            for path in paths:
                if not path.exists():
                    raise SourceError(f"{path}: no such file or folder")  # before any list is loaded
            outcomes = _load_lists(store, paths, force, ", ".join(str(p) for p in paths))
        else:
            from watchlist.sources.fetch import fetch_source  # the HTTP client loads only to download

            urls = _parse_urls(url)
            dest = settings.home / "downloads"
            for named in sources or list(SOURCE_NAMES):
                # either spelling names a source: `ofac-sdn` or its FtM dataset name `ofac_sdn`
                source = next((n for n in SOURCE_NAMES if same_dataset(n, named)), named)
                try:
                    paths = fetch_source(source, dest, urls, timeout, retries, base_url=base_url)
                except FetchError as exc:
                    if exc.message.startswith("cannot reach") and not outcomes:
                        # offline: every other source would fail the same way; one line says what to do
                        raise FetchError(OFFLINE) from exc
                    outcomes.append(LoadOutcome(source, (), error=exc))
                    continue
                outcomes.extend(_load_lists(store, paths, force, source))
    if as_json:
        _echo_json([o.to_dict() for o in outcomes])
    else:
        _report(outcomes, console)
    failed = [o for o in outcomes if o.error is not None]
    if failed:
        first = failed[0].error
        assert first is not None
        if len(outcomes) == 1:
            raise first
        raise type(first)(f"{len(failed)} of {len(outcomes)} lists not loaded; first: {first.message}")


# -- sources -------------------------------------------------------------------


def sources_command(
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """The loaded lists: version, publication date, entity counts by schema, load time."""
    with _open_store() as (_, store):
        statuses = store.sources()
        version = store.version()
    if as_json:
        _echo_json({"version": version, "sources": [s.to_dict() for s in statuses]})
        return
    console = Console()
    if not statuses:
        console.print(
            "No lists loaded. Run `watchlist fetch`, or `watchlist fetch --from PATH` for local files."
        )
        return
    _print_sources(statuses, version, console)


def _print_sources(statuses: list[SourceStatus], version: str, console: Console) -> None:
    """One line per loaded list, its counts beneath: no columns to fold at 80."""
    console.print(Text(f"Loaded lists (store version {version})", style="bold"))
    width = max(len(s.name) for s in statuses)
    for s in statuses:
        console.print(f"  [bold]{escape(s.name):<{width}}[/]  snapshot {s.version} ({s.format})", highlight=False)
        _beneath(console, f"published {s.published or '-'}, loaded {s.loaded_at}")
        _beneath(console, f"{plural(s.entity_count, 'entity')}: {_counts(s.counts)}")


# -- diff ----------------------------------------------------------------------


def diff_command(
    source: Annotated[str, typer.Argument(help="The source, e.g. ofac-sdn.", show_default=False)],
    old: Annotated[int | None, typer.Option(help="Old snapshot id (default: the one before --new).")] = None,
    new: Annotated[int | None, typer.Option(help="New snapshot id (default: the active one).")] = None,
    limit: Annotated[int, typer.Option(help="Rows shown per section (JSON lists all).")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON, every entity.")] = False,
) -> None:
    """What changed in a list between two snapshots: added, removed, changed (which properties)."""
    with _open_store() as (settings, store):
        diff = store.diff(source, old=old, new=new)
        listed = still_listed(settings, store, [ref.id for ref in diff.removed])
    if as_json:
        _echo_json({**diff.to_dict(), "still_listed": listed})
        return
    _print_diff(diff, Console(), limit)
    print_still_listed(Console(), listed)


def _snap_label(snap: Any) -> str:
    return f"snapshot {snap.id} (published {snap.published or '?'}, loaded {snap.loaded_at}, {snap.entity_count:,})"


def _print_diff(diff: Diff, console: Console, limit: int) -> None:
    if diff.old is None:
        console.print(f"{diff.source}: only one snapshot, {_snap_label(diff.new)}; everything is new.")
    else:
        console.print(f"{diff.source}: {_snap_label(diff.old)} -> {_snap_label(diff.new)}", highlight=False)
    console.print(
        f"[green]+{len(diff.added):,} added[/]  [red]-{len(diff.removed):,} removed[/]  "
        f"[yellow]~{len(diff.changed):,} changed[/]"
    )
    for title, refs, style in (("Added", diff.added, "green"), ("Removed", diff.removed, "red")):
        if not refs:
            continue
        table = Table(title=f"{title} ({len(refs):,})", title_justify="left", title_style=style)
        for col in ("ID", "Schema", "Name"):
            table.add_column(col)
        for ref in refs[:limit]:
            table.add_row(ref.id, ref.schema, ref.caption)
        console.print(table)
        if len(refs) > limit:
            console.print(f"... and {len(refs) - limit:,} more (--limit N, or --json for all)")
    if diff.changed:
        table = Table(title=f"Changed ({len(diff.changed):,})", title_justify="left", title_style="yellow")
        for col in ("ID", "Schema", "Name", "Properties changed"):
            table.add_column(col)
        for change in diff.changed[:limit]:
            table.add_row(change.id, change.schema, change.caption, ", ".join(change.properties))
        console.print(table)
        if len(diff.changed) > limit:
            console.print(f"... and {len(diff.changed) - limit:,} more (--limit N, or --json for all)")


# -- show ----------------------------------------------------------------------


def show_command(
    entity_id: Annotated[str, typer.Argument(help="Entity id, e.g. ofac-42073 or un-QDi.001.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON (FtM shape plus details).")] = False,
    history: Annotated[bool, typer.Option(help="Also list the entity in every kept snapshot.")] = False,
) -> None:
    """One listed entity with all its properties."""
    with _open_store() as (settings, store):
        linked = party_of(settings, store, entity_id)
        entity = linked[0] if linked else store.get(entity_id)
        past = store.history(entity_id) if history or entity is None else []
        delisted = entity is None
        if entity is None:  # no longer listed: show the newest kept version
            entity = next((e for _, e in past if e is not None), None)
        if entity is None:
            loaded = ", ".join(store.source_names()) or "none; run `watchlist fetch`"
            raise NotFoundError(
                f"no entity {entity_id!r} in the loaded lists (loaded: {loaded}); check the id"
            )
        statuses = {s.name: s for s in store.sources()}
        listed = [] if delisted else [statuses[d] for d in entity.datasets if d in statuses]
        seen = store.seen([entity.id]).get(entity.id)
    data = show_data(entity, listed, seen)
    data["listed"] = not delisted
    records = records_data(linked[1] if linked else [entity], statuses)
    data.update(referents=[r["id"] for r in records], records=records, links=linked[2] if linked else [])
    if history:
        data["history"] = [
            {"snapshot": snap.to_dict(), "listed": e is not None, "entity": e.to_dict() if e else None}
            for snap, e in past
        ]
    if as_json:
        _echo_json(data)
        return
    console = Console()
    console.print(f"[bold]{entity.caption}[/]  {entity.schema.value}  [dim]{entity.id}[/]", highlight=False)
    if delisted:
        last = next(snap for snap, e in past if e is not None)
        console.print(
            f"[bold red]Not in the active lists[/]: last seen in {last.source} snapshot {last.id} "
            f"(published {last.published or '?'}, loaded {last.loaded_at})",
            highlight=False,
        )
    table = Table(show_header=True, box=None, pad_edge=False)
    table.add_column("Property", style="cyan", no_wrap=True)
    table.add_column("Values")
    table.add_row("datasets", ", ".join(entity.datasets))
    for prop, values in entity.properties().items():
        table.add_row(prop, "\n".join(values))
    console.print(table)
    if linked:
        print_records(console, records)
    for s in listed:
        console.print(
            f"[dim]{s.name}: snapshot {s.version}, published {s.published or '?'}, loaded {s.loaded_at}[/]",
            highlight=False,
        )
    if history:
        hist = Table(title="History", title_justify="left")
        for col in ("Snapshot", "Source", "Published", "Loaded", "Listed"):
            hist.add_column(col)
        for snap, e in past:
            hist.add_row(
                str(snap.id), snap.source, snap.published or "-", snap.loaded_at, "yes" if e else "no"
            )
        console.print(hist)


def show_data(entity: Entity, listed: list[SourceStatus], seen: Seen | None = None) -> dict[str, Any]:
    """The JSON of `watchlist show`: the FtM entity as yente serves it (FtM schema, property and dataset
    names; first_seen/last_seen/last_change) plus the structured record and where it is listed."""
    return {
        **to_ftm(entity, seen),
        "record": entity.to_dict(),
        "sources": [
            {
                "source": s.name,
                "snapshot": s.version,
                "published": s.published,
                "loaded_at": s.loaded_at,
                "content_hash": s.content_hash,
            }
            for s in listed
        ],
    }


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command("fetch")(fetch_command)
    app.command("sources")(sources_command)
    app.command("diff")(diff_command)
    app.command("show")(show_command)
