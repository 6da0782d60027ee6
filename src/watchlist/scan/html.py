"""A self-contained HTML report an analyst can send on: the findings, then the text with each highlighted."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from html import escape

from watchlist.scan.rules import group_by_rule
from watchlist.scan.scanner import ScanReport

_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;
color:#1d1d1f;line-height:1.5}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem}table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}th{background:#f4f4f6}
.doc{white-space:pre-wrap;border:1px solid #ccc;padding:1rem;border-radius:4px;font-size:.95rem}
.party{background:#ffd6d6;border-bottom:2px solid #c00;font-weight:600}
.place{background:#d6e8ff;border-bottom:2px solid #0353a4}
.trigger{border-bottom:2px dashed #b35c00}
.evidence{background:#fff4c2}
.meta{color:#555;font-size:.85rem}.sev-high{color:#b00;font-weight:600}.sev-medium{color:#b35c00}
.legend span{padding:0 .4rem;margin-right:.5rem}a{color:inherit}
"""


def render_html(report: ScanReport) -> str:
    """The whole report as one HTML page (no external resources)."""
    parts = [
        "<!doctype html><html lang=en><head><meta charset=utf-8>",
        f"<title>watchlist scan: {escape(report.document)}</title><style>{_CSS}</style></head><body>",
        f"<h1>Sanctions scan: {escape(report.document)}</h1>",
        (f"<p class=meta>Scanned {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; "
        f"{len(report.text):,} characters ({report.pages:.1f} pages); lists version "
        f"{escape(str(report.lists_version or 'none'))}. Spans are character offsets into the extracted text "
        "shown below.</p>"),
    ]
    for note in report.notes:
        parts.append(f"<p class=meta><strong>Note:</strong> {escape(note)}</p>")
    parts.append(_summary(report))
    parts.append("<h2>Document</h2><p class=legend><span class=party>listed party</span>"
                 "<span class=place>sanctioned place</span><span class=evidence>red-flag evidence</span>"
                 "<span class=trigger>red-flag trigger</span></p>")
    parts.append(f"<div class=doc>{_highlight(report)}</div></body></html>")
    return "".join(parts)


def _summary(report: ScanReport) -> str:
    out = [f"<h2>Listed parties ({len(report.parties)})</h2>"]
    if report.parties:
        out.append("<table><tr><th>Mention</th><th>Listed as</th><th>Id</th><th>Score</th><th>Lists</th>"
                   "<th>Programmes</th></tr>")
        for i, p in enumerate(report.parties):
            out.append(
                f"<tr><td><a href='#party-{i}'>{escape(p.text)}</a></td><td>{escape(p.entity.caption)}</td>"
                f"<td>{escape(p.entity.id)}</td><td>{p.score:.2f}</td><td>{escape(', '.join(p.entity.datasets))}</td>"
                f"<td>{escape(', '.join(p.entity.programs))}</td></tr>"
            )
        out.append("</table>")
    else:
        out.append("<p>None found.</p>")
    out.append(f"<h2>Sanctioned places ({len(report.places)})</h2>")
    if report.places:
        counts: dict[tuple[str, str], list[int]] = {}
        for i, m in enumerate(report.places):
            counts.setdefault((m.place.name, ", ".join(m.place.codes)), []).append(i)
        out.append("<table><tr><th>Place</th><th>Codes</th><th>Mentions</th></tr>")
        for (name, codes), idx in counts.items():
            out.append(f"<tr><td><a href='#place-{idx[0]}'>{escape(name)}</a></td><td>{escape(codes)}</td>"
                       f"<td>{len(idx)}</td></tr>")
        out.append("</table>")
    else:
        out.append("<p>None found.</p>")
    groups = group_by_rule(report.red_flags)
    out.append(f"<h2>Red flags ({len(groups)} {'rule' if len(groups) == 1 else 'rules'}, "
               f"{len(report.red_flags)} {'finding' if len(report.red_flags) == 1 else 'findings'})</h2>")
    if groups:
        anchors = {id(f): i for i, f in enumerate(report.red_flags)}
        out.append("<table><tr><th>Code</th><th>Rule</th><th>Evidence</th></tr>")
        for rule, found in groups:
            items = "".join(
                f"<li><a href='#flag-{anchors[id(f)]}'>[{f.start}-{f.end}]</a> {escape(_clip(f.evidence))}</li>"
                for f in found
            )
            out.append(
                f"<tr><td class=sev-{rule.severity}>{escape(rule.code)}<br><span class=meta>{escape(rule.title)}"
                f"</span></td><td>{escape(rule.rule)}<br><span class=meta>{escape(rule.description)}</span></td>"
                f"<td>{len(found)} {'finding' if len(found) == 1 else 'findings'}<ol>{items}</ol></td></tr>"
            )
        out.append("</table>")
    else:
        out.append("<p>None found.</p>")
    return "".join(out)


def _clip(text: str, limit: int = 240) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _highlight(report: ScanReport) -> str:
    """The text split at every span boundary; each piece carries the classes of the spans covering it."""
    spans: list[tuple[int, int, str, str, str]] = []  # start, end, class, title, anchor id
    for i, p in enumerate(report.parties):
        spans.append((p.start, p.end, "party",
                      f"{p.entity.caption} ({p.entity.id}; {', '.join(p.entity.programs)}) score {p.score:.2f}",
                      f"party-{i}"))
    for i, m in enumerate(report.places):
        spans.append((m.start, m.end, "place", f"{m.place.name} ({', '.join(m.place.codes)})", f"place-{i}"))
    for i, f in enumerate(report.red_flags):
        spans.append((f.start, f.end, "evidence", f"{f.code}: {f.rule.rule}", f"flag-{i}"))
        for t in f.triggers:
            spans.append((t.start, t.end, "trigger", f"{f.code}: {t.label}", ""))
    text = report.text
    cuts = sorted({0, len(text), *(s for s, *_ in spans), *(e for _, e, *_ in spans)})
    starting: dict[int, list[int]] = {}
    for number, (start, _, _, _, _) in enumerate(spans):
        starting.setdefault(start, []).append(number)
    active: dict[int, None] = {}  # spans covering the current piece, in the order they were listed
    out: list[str] = []
    for a, b in itertools.pairwise(cuts):
        for number in starting.pop(a, ()):
            active[number] = None
            if spans[number][4]:
                out.append(f"<a id='{spans[number][4]}'></a>")
        for number in [n for n in active if spans[n][1] <= a]:
            del active[number]
        piece = escape(text[a:b])
        covering = [spans[n] for n in active]
        if covering:
            classes = " ".join(sorted({cls for _, _, cls, _, _ in covering}))
            titles = "\n".join(dict.fromkeys(title for _, _, _, title, _ in covering))
            out.append(f"<span class='{classes}' title='{escape(titles)}'>{piece}</span>")
        else:
            out.append(piece)
    return "".join(out)
