"""CLI command: scan documents (text, HTML, PDF, DOCX) for listed parties, sanctioned places and red flags."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.text import Text
from typer.core import TyperCommand

from watchlist.cli.common import plural, refuse_overwriting
from watchlist.errors import ConfigError
from watchlist.match.types import check_threshold

if TYPE_CHECKING:
    from watchlist.engine import Engine
    from watchlist.scan import RedFlag, ScanReport
    from watchlist.scan.extract import Document
    from watchlist.settings import Settings


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command(name="scan", cls=_ScanCommand)(scan)


class _ScanCommand(TyperCommand):
    """`scan` takes `--html FILE`, and still the published flag form `--html -o OUT DOC`."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:  # ctx: Typer's own click Context
        return super().parse_args(ctx, html_flag_form(args))


def html_flag_form(args: list[str]) -> list[str]:
    """`args` with a flag-form `--html` written `--html=` (an empty value), so the parser takes no file.

    `--html` is the flag form when no value follows it, an option follows it, `-o/--output` names the
    output, or what follows is an existing document that is not HTML (a document to scan, never
    a report to overwrite).
    """
    out = list(args)
    for i, token in enumerate(args):
        if token == "--":
            break
        if token != "--html":
            continue
        following = args[i + 1] if i + 1 < len(args) else None
        has_output = any(a in ("-o", "--output") or a.startswith(("--output=", "-o")) for a in args)
        document = following is not None and Path(following).is_file() and \
            not following.lower().endswith((".html", ".htm"))
        if following is None or following.startswith("-") or has_output or document:
            out[i] = "--html="  # an empty value: the report goes to -o OUT, or to standard output
    return out


def scan(
    files: Annotated[list[str], typer.Argument(help="Documents to scan (text, HTML, PDF, DOCX); '-' reads stdin.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the machine-readable report.")] = False,
    html: Annotated[str | None, typer.Option(
        "--html", metavar="FILE", help="Write an HTML report with the findings highlighted to FILE (or, as a flag, "
        "to -o OUT or standard output).")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o",
                      help="Write to this file (a folder when several documents go to --html).")] = None,
    threshold: Annotated[float | None, typer.Option(help="Match threshold for listed parties (0-1).")] = None,
    dataset: Annotated[list[str] | None, typer.Option(help="Only screen against these lists.")] = None,
    rules: Annotated[Path | None, typer.Option(help="A red-flag rules YAML file instead of the bundled one.")] = None,
    parties: Annotated[bool, typer.Option("--parties/--no-parties",
                       help="Screen names against the loaded lists (--no-parties: places and red flags only).")] = True,
    alerts: Annotated[bool, typer.Option(help="Raise each listed party found as an alert in the workbench queue.")] = False,
) -> None:
    """Find listed parties, sanctioned places and red flags in documents, each tied to its span in the text."""
    from watchlist.engine import Engine
    from watchlist.settings import Settings

    as_html = html is not None
    if html:
        if output is not None:
            raise ConfigError("give the HTML report's file once: --html FILE, or --html -o FILE")
        output = Path(html)
    if as_json and as_html:
        raise ConfigError("choose one of --json and --html")
    check_threshold(threshold)
    if output is not None:  # a report written over a document would destroy it
        refuse_overwriting(output, (Path(f) for f in files if f != "-"), "document")
    from watchlist.scan import Scanner, ScanOptions  # the scanner's models load only for `scan`
    from watchlist.scan.extract import extract_path

    options = ScanOptions(threshold=threshold, datasets=tuple(dataset or ()), parties=parties, rules_path=rules)
    settings = Settings.from_env()
    engine = Engine.open(settings) if parties else None
    try:
        if engine is not None and dataset:
            engine.check_datasets(dataset)
        scanner = Scanner(engine, options)
        # each document within the limits (WATCHLIST_MAX_*): past one is a one-line error, exit 2
        reports = [scanner.scan(doc.text, doc.name) for doc in (_with_text(extract_path(f, settings.limits)) for f in files)]
        if alerts:
            _raise_alerts(reports, settings, engine)
    finally:
        if engine is not None:
            engine.close()
    if as_html:
        _write_html(reports, output)
    elif as_json:
        data = [r.to_dict() for r in reports]
        _emit(json.dumps(data[0] if len(data) == 1 else data, indent=2, ensure_ascii=False), output)
    elif output is not None:
        console = Console(file=output.open("w", encoding="utf-8"), width=120)
        for report in reports:
            print_report(report, console)
    else:
        for report in reports:
            print_report(report, Console())


def _with_text(doc: Document) -> Document:
    """A document with text to scan: an empty one would report 'none found' for a file that says nothing."""
    if not doc.text.strip():
        raise ConfigError(f"{doc.name}: the document is empty; there is nothing to scan")
    return doc


def _raise_alerts(reports: list[ScanReport], settings: Settings, engine: Engine | None) -> None:
    from watchlist.batch.alerts import raise_alerts
    from watchlist.cases import open_case_store
    from watchlist.scan.alerts import scan_alerts

    cases = open_case_store(settings)
    try:
        raised = raise_alerts(cases, scan_alerts(reports, engine))
    finally:
        cases.close()
    Console(stderr=True).print(f"raised {raised.summary()} for review in the workbench", highlight=False)


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        typer.echo(text)
    else:
        output.write_text(text + "\n", encoding="utf-8")


def _write_html(reports: list[ScanReport], output: Path | None) -> None:
    from watchlist.scan.html import render_html

    if len(reports) == 1:
        _emit(render_html(reports[0]), output)
        return
    if output is None:
        raise ConfigError("several documents with --html: give a folder with --output DIR")
    output.mkdir(parents=True, exist_ok=True)
    for number, report in enumerate(reports, 1):
        name = Path(report.document).name if report.document != "-" else "stdin"
        (output / f"{number:02d}-{name}.html").write_text(render_html(report), encoding="utf-8")
    typer.echo(f"wrote {plural(len(reports), 'HTML report')} to {output}")


def print_report(report: ScanReport, console: Console) -> None:
    """The terminal report: a heading per kind of finding, one line per finding, details indented beneath.

    Nothing is laid out in columns, so it reads at 80 columns as well as at 200.
    """
    console.rule(f"[bold]{escape(report.document)}[/]  {plural(len(report.text), 'character')}, "
                 f"{report.pages:.1f} pages")
    for note in report.notes:
        console.print(f"[yellow]note:[/] {escape(note)}")
    _print_parties(report, console)
    _print_places(report, console)
    _print_red_flags(report, console)


def _heading(console: Console, title: str, count: int, word: str) -> None:
    console.print()
    console.print(Text.assemble((title, "bold"), f": {plural(count, word)}" if count else ": none"))


def _beneath(console: Console, text: Text, indent: int = 6) -> None:
    """`text` wrapped to the terminal, every line indented alike (and no padding after it)."""
    for line in text.wrap(console, max(console.width - indent, 20)):
        line.rstrip()
        console.print(Text(" " * indent) + line, soft_wrap=True)


def _print_parties(report: ScanReport, console: Console) -> None:
    by_mention: dict[tuple[int, int, str], list[Any]] = {}
    for found in report.parties:
        by_mention.setdefault((found.start, found.end, found.text), []).append(found)
    _heading(console, "Listed parties", len(by_mention), "mention")
    for (start, end, text), hits in by_mention.items():
        console.print(Text.assemble(f"  {start}-{end}  ", (text, "bold")))
        for hit in hits:
            line = Text.assemble((f"{hit.score:.2f} ", "bold"), (hit.entity.id, "cyan"), f"  {hit.entity.caption}")
            if hit.entity.programs:
                line.append(f"  ({', '.join(hit.entity.programs)})", style="dim")
            _beneath(console, line)


def _print_places(report: ScanReport, console: Console) -> None:
    grouped: dict[tuple[str, str], list[str]] = {}
    for m in report.places:
        grouped.setdefault((m.place.name, ", ".join(m.place.codes)), []).append(f"{m.start}-{m.end}")
    _heading(console, "Sanctioned places", len(report.places), "mention")
    for (name, codes), spans in grouped.items():
        first = ", ".join(spans[:4]) + (" ..." if len(spans) > 4 else "")
        console.print(Text.assemble("  ", (name, "bold"), f" ({codes}): {plural(len(spans), 'mention')} at {first}"))


def _print_red_flags(report: ScanReport, console: Console) -> None:
    by_code: dict[str, list[RedFlag]] = {}
    for f in report.red_flags:
        by_code.setdefault(f.code, []).append(f)
    console.print()
    title = f"Red flags: {plural(len(report.red_flags), 'finding')}, {plural(len(by_code), 'rule')}"
    console.print(Text(title if report.red_flags else "Red flags: none", style="bold"))
    for code, found in by_code.items():
        first = found[0]
        style = "bold red" if first.rule.severity == "high" else "bold yellow"
        console.print(Text.assemble("  ", (code, style), f"  {plural(len(found), 'finding')}"))
        _beneath(console, Text(first.rule.rule, style="dim"))
        evidence = _evidence(report.text, first.start, first.end, [(t.start, t.end) for t in first.triggers])
        _beneath(console, evidence)
        if len(found) > 1:
            others = ", ".join(f"{f.start}-{f.end}" for f in found[1:])
            _beneath(console, Text(f"also at {others}", style="dim"))


_LINE_BREAKS = re.compile(r"[\r\n\t\f\v]")


def _evidence(text: str, start: int, end: int, triggers: list[tuple[int, int]], limit: int = 400) -> Text:
    out = Text(f"[{start}-{end}] ")
    body = Text(_LINE_BREAKS.sub(" ", text[start:end]))  # one character for one: the spans stay put
    for s, e in triggers:
        body.stylize("bold underline", s - start, e - start)
    if len(body) > limit:
        body = body[:limit]
        body.append("\u2026")
    out.append_text(body)
    return out
