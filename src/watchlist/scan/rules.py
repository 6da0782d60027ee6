"""Red-flag rules: loaded from YAML (watchlist/data/redflags.yaml), validated at load, run per sentence window.

A broken rules file fails when it is loaded, naming the rule and the field, so a
scan never stops half-way on a typo. See the header of redflags.yaml for the format.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from watchlist.errors import ConfigError
from watchlist.scan.phrases import PhraseMatcher, PhraseMatchers
from watchlist.scan.text import Sentences
from watchlist.text.refdata import load_yaml

SEVERITIES = ("high", "medium", "low")
CONDITION_KINDS = ("terms", "vocabulary", "together", "place", "party_program")
_CODE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_RULE_FIELDS = {"code", "title", "rule", "description", "severity", "window", "all", "any", "none"}
MAX_WINDOW = 5


@dataclass(frozen=True, slots=True)
class Condition:
    kind: str  # one of CONDITION_KINDS ('vocabulary' is resolved to 'terms' at load)
    values: tuple[str, ...]
    label: str  # 'vocabulary labour', 'place KP', ...
    parts: tuple[Condition, ...] = ()  # 'together': term conditions that must meet in one sentence


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    title: str
    rule: str
    description: str
    severity: str
    window: int
    all: tuple[Condition, ...]
    any: tuple[Condition, ...] = ()
    none: tuple[Condition, ...] = ()


@dataclass(frozen=True, slots=True)
class Evidence:
    """What a condition matched: a span and, for place/party conditions, what it was."""

    start: int
    end: int
    label: str


@dataclass(frozen=True, slots=True)
class RedFlag:
    rule: Rule
    start: int  # evidence: the sentence(s) where the conditions hold
    end: int
    evidence: str
    triggers: tuple[Evidence, ...]

    @property
    def code(self) -> str:
        return self.rule.code

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.rule.code,
            "title": self.rule.title,
            "rule": self.rule.rule,
            "severity": self.rule.severity,
            "evidence": self.evidence,
            "span": [self.start, self.end],
            "triggers": [{"span": [t.start, t.end], "condition": t.label} for t in self.triggers],
        }


def group_by_rule(flags: Sequence[RedFlag]) -> list[tuple[Rule, list[RedFlag]]]:
    """Findings grouped by rule, rules in the order of their first finding, findings in text order."""
    groups: dict[str, tuple[Rule, list[RedFlag]]] = {}
    for flag in sorted(flags, key=lambda f: (f.start, f.end)):
        groups.setdefault(flag.code, (flag.rule, []))[1].append(flag)
    return list(groups.values())


def grouped_dict(rule: Rule, findings: Sequence[RedFlag]) -> dict[str, Any]:
    """One rule's findings as the JSON report writes them: the rule, then every evidence span.

    `evidence`, `span` and `triggers` at the top repeat the first finding (the fields of the
    ungrouped form, kept for readers of it); `findings` holds them all."""
    first = findings[0].to_dict()
    return {
        "code": rule.code, "title": rule.title, "rule": rule.rule, "description": rule.description,
        "severity": rule.severity, "count": len(findings),
        "evidence": first["evidence"], "span": first["span"], "triggers": first["triggers"],
        "findings": [{k: v for k, v in f.to_dict().items() if k in ("evidence", "span", "triggers")}
                     for f in findings],
    }


@dataclass(frozen=True, slots=True)
class Located:
    """A place or listed-party mention handed to the rules: its keys and span."""

    keys: frozenset[str]  # place ids/codes, or a party's programmes
    start: int
    end: int
    label: str


class RuleSet:
    def __init__(self, rules: Sequence[Rule], origin: str = "redflags.yaml") -> None:
        self.rules = tuple(rules)
        self.origin = origin
        self._matchers: dict[tuple[str, ...], PhraseMatcher[bool]] = {}
        for rule in self.rules:
            for cond in (*rule.all, *rule.any, *rule.none):
                for term_cond in (cond, *cond.parts):
                    if term_cond.kind == "terms" and term_cond.values not in self._matchers:
                        self._matchers[term_cond.values] = PhraseMatcher((t, True) for t in term_cond.values)
        self._all_terms = PhraseMatchers(list(self._matchers.values()))

    @property
    def codes(self) -> list[str]:
        return [r.code for r in self.rules]

    def evaluate(
        self,
        text: str,
        sentences: Sentences,
        places: Sequence[Located] = (),
        parties: Sequence[Located] = (),
    ) -> list[RedFlag]:
        """Every rule finding in `text`, by rule then position; overlapping findings of a rule are merged."""
        term_hits = {values: [(h.start, h.end) for h in hits]
                     for values, hits in zip(self._matchers, self._all_terms.find(text), strict=True)}
        out: list[RedFlag] = []
        for rule in self.rules:
            out.extend(self._run(rule, text, sentences, term_hits, places, parties))
        return out

    def _hits(
        self, cond: Condition, term_hits: dict[tuple[str, ...], list[tuple[int, int]]],
        places: Sequence[Located], parties: Sequence[Located],
    ) -> list[Evidence]:
        if cond.kind == "terms":
            return [Evidence(s, e, cond.label) for s, e in term_hits[cond.values]]
        if cond.kind == "place":
            wanted = set(cond.values)
            return [Evidence(p.start, p.end, f"place {p.label}") for p in places if p.keys & wanted]
        wanted_programs = tuple(v.upper() for v in cond.values)
        return [
            Evidence(p.start, p.end, f"listed party {p.label}")
            for p in parties
            if any(w in k.upper() for k in p.keys for w in wanted_programs)
        ]

    def _run(
        self, rule: Rule, text: str, sentences: Sentences,
        term_hits: dict[tuple[str, ...], list[tuple[int, int]]],
        places: Sequence[Located], parties: Sequence[Located],
    ) -> list[RedFlag]:
        if not len(sentences):
            return []

        def by_sentence(cond: Condition) -> dict[int, list[Evidence]]:
            if cond.kind == "together":  # sentences where every part holds, with the evidence of all
                parts = [by_sentence(part) for part in cond.parts]
                shared = set(parts[0]).intersection(*parts[1:])
                return {i: sorted((ev for part in parts for ev in part[i]), key=lambda e: e.start) for i in shared}
            grouped: dict[int, list[Evidence]] = {}
            for ev in self._hits(cond, term_hits, places, parties):
                grouped.setdefault(sentences.index_of(ev.start), []).append(ev)
            return grouped

        all_groups = [by_sentence(c) for c in rule.all]
        any_groups = [by_sentence(c) for c in rule.any]
        none_groups = [by_sentence(c) for c in rule.none]
        if any(not g for g in all_groups) or (any_groups and all(not g for g in any_groups)):
            return []
        anchors = sorted(set().union(*(g.keys() for g in all_groups)))
        w = rule.window
        found: list[tuple[int, int, tuple[Evidence, ...]]] = []
        for anchor in anchors:
            lo, hi = anchor - w, anchor + w
            chosen: list[Evidence] = []
            ok = True
            for group in all_groups:
                ev = _nearest(group, anchor, lo, hi)
                if ev is None:
                    ok = False
                    break
                chosen.append(ev)
            if not ok:
                continue
            if any_groups:
                options = [ev for g in any_groups if (ev := _nearest(g, anchor, lo, hi)) is not None]
                if not options:
                    continue
                chosen.append(options[0])
            first = min(sentences.index_of(ev.start) for ev in chosen)
            last = max(sentences.index_of(ev.start) for ev in chosen)
            if any(i in g for g in none_groups for i in range(first, last + 1)):
                continue
            # Show every trigger inside the evidence sentences, not only the chosen ones.
            triggers = {(ev.start, ev.end, ev.label) for ev in chosen}
            for group in (*all_groups, *any_groups):
                for i in range(first, last + 1):
                    triggers.update((ev.start, ev.end, ev.label) for ev in group.get(i, ()))
            found.append((first, last, tuple(Evidence(*t) for t in sorted(triggers))))
        return _merge(rule, text, sentences, found)


def _nearest(group: dict[int, list[Evidence]], anchor: int, lo: int, hi: int) -> Evidence | None:
    for distance in range(hi - anchor + 1):
        for index in (anchor - distance, anchor + distance):
            if lo <= index <= hi and index in group:
                return group[index][0]
    return None


def _merge(
    rule: Rule, text: str, sentences: Sentences, found: list[tuple[int, int, tuple[Evidence, ...]]]
) -> list[RedFlag]:
    """One finding per distinct sentence range, keeping only the tightest ranges (none holding another)."""
    ranges: dict[tuple[int, int], set[Evidence]] = {}
    for first, last, triggers in found:
        ranges.setdefault((first, last), set()).update(triggers)
    # A range holds another only if that one starts inside it; ranges span at most 2 * window + 1
    # sentences, so each is compared with a bounded number of others (linear in the findings).
    lasts: dict[int, list[int]] = {}
    for first, last in ranges:
        lasts.setdefault(first, []).append(last)
    tight = [
        (first, last) for first, last in ranges
        if not any((f, end) != (first, last) and end <= last
                   for f in range(first, last + 1) for end in lasts.get(f, ()))
    ]
    out = []
    for first, last in sorted(tight):
        start, end = sentences.spans[first][0], sentences.spans[last][1]
        triggers = tuple(sorted(ranges[(first, last)], key=lambda t: (t.start, t.end, t.label)))
        out.append(RedFlag(rule, start, end, text[start:end], triggers))
    return out


# -- loading and validation ----------------------------------------------------


def load_rules(path: Path | None = None, places: frozenset[str] | None = None) -> RuleSet:
    """Load and validate a rules file (the bundled one by default).

    `places` is the set of place ids/codes a rule may name (from places.yaml);
    an unknown place is an error at load time.
    """
    if path is None:
        return _bundled(places)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the red-flag rules file ({exc.strerror})") from exc
    return parse_rules(text, str(path), places)


@lru_cache(maxsize=4)
def _bundled(places: frozenset[str] | None) -> RuleSet:
    text = resources.files("watchlist.data").joinpath("redflags.yaml").read_text(encoding="utf-8")
    return parse_rules(text, "redflags.yaml", places)


def parse_rules(text: str, origin: str = "redflags.yaml", places: frozenset[str] | None = None) -> RuleSet:
    try:
        data = load_yaml(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{origin}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list) or not data["rules"]:
        raise ConfigError(f"{origin}: expected a mapping with a non-empty 'rules' list")
    vocabularies = data.get("vocabularies") or {}
    if not isinstance(vocabularies, dict):
        raise ConfigError(f"{origin}: 'vocabularies' must map names to lists of terms")
    for name, terms in vocabularies.items():
        _check_terms(terms, f"{origin}: vocabulary {name!r}")
    rules: list[Rule] = []
    codes: set[str] = set()
    for number, raw in enumerate(data["rules"], 1):
        if not isinstance(raw, dict):
            raise ConfigError(f"{origin}: rule #{number} must be a mapping (code, title, rule, all, ...)")
        code = raw.get("code")
        if not isinstance(code, str) or not _CODE.match(code):
            raise ConfigError(f"{origin}: rule #{number}: 'code' must be lower-case words joined by hyphens, "
                              f"got {code!r}")
        where = f"{origin}: rule {code!r}"
        if code in codes:
            raise ConfigError(f"{where}: duplicate code")
        codes.add(code)
        unknown = set(raw) - _RULE_FIELDS
        if unknown:
            raise ConfigError(f"{where}: unknown field(s) {sorted(unknown)}; allowed: {sorted(_RULE_FIELDS)}")
        for key in ("title", "rule"):
            if not isinstance(raw.get(key), str) or not raw[key].strip():
                raise ConfigError(f"{where}: '{key}' must be a non-empty string"
                                  + (" (the citation: resolution, order or advisory)" if key == "rule" else ""))
        severity = raw.get("severity", "medium")
        if severity not in SEVERITIES:
            raise ConfigError(f"{where}: 'severity' must be one of {', '.join(SEVERITIES)}")
        window = raw.get("window", 0)
        if not isinstance(window, int) or isinstance(window, bool) or not 0 <= window <= MAX_WINDOW:
            raise ConfigError(f"{where}: 'window' must be a whole number of sentences from 0 to {MAX_WINDOW}")
        groups: dict[str, tuple[Condition, ...]] = {}
        for key in ("all", "any", "none"):
            value = raw.get(key, [])
            if key == "all" and not value:
                raise ConfigError(f"{where}: 'all' must list at least one condition")
            if not isinstance(value, list):
                raise ConfigError(f"{where}: '{key}' must be a list of conditions")
            groups[key] = tuple(
                _condition(item, f"{where}: {key}[{i}]", vocabularies, places) for i, item in enumerate(value)
            )
        rules.append(Rule(code, raw["title"].strip(), " ".join(raw["rule"].split()),
                          " ".join(str(raw.get("description", "")).split()), severity, window,
                          groups["all"], groups["any"], groups["none"]))
    return RuleSet(rules, origin)


def _check_terms(terms: object, where: str) -> tuple[str, ...]:
    if not isinstance(terms, list) or not terms:
        raise ConfigError(f"{where}: must be a non-empty list of words or phrases")
    out = []
    for term in terms:
        if not isinstance(term, (str, int)) or not str(term).strip():
            raise ConfigError(f"{where}: {term!r} is not a word or phrase")
        if str(term).strip() == "*":
            raise ConfigError(f"{where}: a bare '*' would match every word")
        out.append(str(term).strip())
    return tuple(out)


def _condition(item: object, where: str, vocabularies: dict[str, Any], places: frozenset[str] | None) -> Condition:
    if not isinstance(item, dict) or len(item) != 1:
        raise ConfigError(f"{where}: a condition is a mapping with exactly one of {', '.join(CONDITION_KINDS)}")
    ((kind, value),) = item.items()
    if kind not in CONDITION_KINDS:
        raise ConfigError(f"{where}: unknown condition {kind!r}; use one of {', '.join(CONDITION_KINDS)}")
    if kind == "together":
        if not isinstance(value, list) or len(value) < 2:
            raise ConfigError(f"{where}: 'together' lists two or more vocabularies that must meet in one sentence")
        parts = tuple(_condition({"vocabulary": v}, f"{where}: together", vocabularies, places) for v in value)
        return Condition("together", tuple(str(v) for v in value), "together " + "+".join(map(str, value)), parts)
    if kind == "vocabulary":
        if not isinstance(value, str) or value not in vocabularies:
            known = ", ".join(sorted(vocabularies)) or "none defined"
            raise ConfigError(f"{where}: vocabulary {value!r} is not defined (known: {known})")
        return Condition("terms", _check_terms(vocabularies[value], f"{where}: vocabulary {value!r}"),
                         f"vocabulary {value}")
    values = _check_terms(value, f"{where}: {kind}")
    if kind == "place" and places is not None:
        unknown = [v for v in values if v not in places]
        if unknown:
            raise ConfigError(f"{where}: unknown place(s) {unknown}; places.yaml knows {sorted(places)}")
    if kind == "terms":
        return Condition("terms", values, "terms " + ", ".join(values[:3]) + ("..." if len(values) > 3 else ""))
    return Condition(kind, values, f"{kind} {', '.join(values)}")
