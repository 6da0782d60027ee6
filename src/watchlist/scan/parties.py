"""Listed parties in running text: find candidate spans with the name index, confirm with the matcher.

Screening every n-gram of a document would cost thousands of matcher calls a page. Instead (the
gazetteer step):

1. Split the text into words and group name-like words (capitalised, or any word in a text with no
   capitals) into runs that a name could span. Vessel prefixes (M/V, MT) and number marks (No.2,
   2호) are read as such, not as name words.
2. For every window of 1-6 words in a run, intersect each word's reach in the index
   (`NameIndex.reach`: the names holding the word or a close spelling of it). A window is a
   candidate only if some listed name holds every word of it and is not much longer. A window that
   fails stops the walk from its first word, so most words cost one lookup.
3. Screen the surviving windows with the engine (the matcher and threshold of `watchlist screen`)
   and keep a result when the matcher calls it a match (for a name with a bracketed acronym, the
   matcher's verdict on the name without it) and the words around it make it a mention
   (scan/mentions.py).
4. Identifiers written in the text (IMO numbers, SWIFT codes, labelled passport and registration
   numbers) name their listed entities directly (scan/identifiers.py).

Each step costs a bounded amount per word, and overlapping mentions are resolved in one sorted
sweep, so a scan costs time in proportion to the length of the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from watchlist.engine import Engine
from watchlist.errors import QueryError
from watchlist.index.retrieval import NameIndex
from watchlist.match.types import MatchResult, Query
from watchlist.model import Entity, Schema
from watchlist.scan.cyrillic import is_cyrillic
from watchlist.scan.identifiers import find_identifiers
from watchlist.scan.mentions import (
    LEGAL_FORM,
    Context,
    MentionCheck,
    explains,
    name_variants,
    says_little,
    significant,
)
from watchlist.scan.runs import DocWord, Glossary, doc_words, runs
from watchlist.scan.words import scan_words
from watchlist.text.tokens import Token, TokenKind, schema_kind, tokenize_name

MAX_WINDOW = 14  # words in a mention (a state enterprise's full name runs to a dozen)
NAME_SLACK = 3  # a candidate listed name may have this many words more than the window (legal forms...)
SCREEN_CACHE = 50_000
REACH_CACHE = 200_000
_QUOTES_OPEN = "\"'\u00ab\u201c\u201e\u2018"
_QUOTES_CLOSE = "\"'\u00bb\u201d\u201c\u2019"
_CAPITALS = re.compile(r"[A-Z\u0410-\u042f\u0401\u0404\u0406\u0407]")
_SMALL = re.compile(r"[a-z\u0430-\u044f\u0451\u0454\u0456\u0457]")
SAME_SPAN_MARGIN = 0.1  # on one span, a party scoring this much below the best is not named there
LINE_REACH = 200  # characters either side of a mention read to tell whether its line is in capitals
_SENTENCE_START = ".!?:;\n\"'\u201c\u2018-\u2022*"


@dataclass(frozen=True, slots=True)
class PartyMention:
    entity: Entity
    start: int
    end: int
    text: str
    score: float
    matched_name: str
    identifier: tuple[str, str] | None = None  # (type, value) when an identifier in the text names the party
    referents: tuple[str, ...] = ()  # the list records of a party several lists publish (UN, UK, OFAC)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "entity_id": self.entity.id,
            "caption": self.entity.caption,
            "schema": self.entity.schema.value,
            "mention": self.text,
            "span": [self.start, self.end],
            "score": round(self.score, 4),
            "matched_name": self.matched_name,
            "datasets": list(self.entity.datasets),
            "programs": list(self.entity.programs),
        }
        if self.referents:
            out["referents"] = list(self.referents)
        if self.identifier is not None:
            out["identifier"] = {"type": self.identifier[0], "value": self.identifier[1]}
        return out


class PartyFinder:
    """Finds listed parties in text against one index version. Build once, reuse for many documents."""

    def __init__(
        self,
        engine: Engine,
        index: NameIndex,
        *,
        threshold: float | None = None,
        datasets: Sequence[str] | None = None,
        algorithm: str | None = None,
        stopwords: frozenset[str] = frozenset(),
    ) -> None:
        """`stopwords`: lower-case place names, never reported as a party (they are reported as places)."""
        self.engine = engine
        self.index = index
        self.threshold = threshold
        self.datasets = list(datasets) if datasets else None
        self.algorithm = algorithm
        self.words = scan_words()
        self.glossary = Glossary(self.words.korean_org_words, self.words.korean_qualifiers, self.words.cyrillic_org_words)
        self.check = MentionCheck(index.document_frequency, self.words.is_common, stopwords, self.words.function_words,
                                  abbreviations=self.words.trade_abbreviations)
        self._reach: dict[str, np.ndarray] = {}
        self._screened: dict[str, list[tuple[MatchResult, bool]]] = {}

    # -- public -----------------------------------------------------------------

    def find(self, text: str) -> list[PartyMention]:
        """Every listed-party mention in `text`, in text order."""
        words = self.words
        doc = doc_words(text, words.vessel_prefixes, words.number_marks, self.glossary)
        found: list[PartyMention] = []
        for run in runs(doc, text):
            found.extend(self._find_in_run(run, text))
        found.extend(self._identified(text))
        return resolve(found)

    # -- candidates ---------------------------------------------------------------

    def reach(self, token: Token) -> np.ndarray:
        """Positions of the listed names holding this token, or a close spelling of it (sorted)."""
        cached = self._reach.get(token.fold)
        if cached is None:
            cached = self.index.reach(token)
            if len(self._reach) > REACH_CACHE:
                self._reach.clear()
            self._reach[token.fold] = cached
        return cached

    def _find_in_run(self, run: list[DocWord], text: str) -> Iterator[PartyMention]:
        lengths = self.index.name_length
        for i in range(len(run)):
            if run[i].connector or run[i].prefix or not run[i].tokens:
                continue
            names: np.ndarray | None = None
            shortest = 0  # words in the shortest of `names`, worked out again once `names` narrows
            narrowed = False
            tokens: list[Token] = []
            for j in range(i, min(len(run), i + MAX_WINDOW)):
                current = run[j]
                for token in current.tokens:
                    if not significant(token):
                        continue
                    tokens.append(token)
                    if says_little(token):
                        continue  # lists write 'Group of Companies' as one legal form: no narrowing
                    reached = self.reach(token)
                    names = reached if names is None else _intersect(names, reached)
                    narrowed = True
                if names is not None and len(names) == 0:
                    break  # no listed name holds all these words; longer windows cannot either
                if current.connector or not (current.tokens or current.silent) or names is None:
                    continue
                if narrowed:
                    shortest, narrowed = int(lengths[names].min()), False
                if shortest > len(tokens) + NAME_SLACK:
                    continue
                yield from self._confirm(text, run, i, j, tuple(tokens))

    def _confirm(self, text: str, run: list[DocWord], i: int, j: int, tokens: tuple[Token, ...]) -> Iterator[PartyMention]:
        start, end = run[i].word.start, run[j].word.end
        mention = text[start:end]
        spelled = " ".join(w.spelled for w in run[i : j + 1] if w.spelled)
        context: Context | None = None
        if _key(spelled) not in self._screened:  # screening costs most: not when no result could be taken
            context = _context(text, run, i, j)
            if not self.check.could_accept(tokens, context):
                return
        for result, relaxed in self._screen(spelled):
            if context is None:
                context = _context(text, run, i, j)
            if self.check.accepts(tokens, result, context, relaxed):
                yield PartyMention(result.entity, start, end, mention, result.score, result.matched_name,
                                   referents=result.referents)

    def _screen(self, mention: str) -> list[tuple[MatchResult, bool]]:
        """The matcher's matches for a mention that the listed name explains, each with whether the
        name has words the mention lacks (cached per spelling)."""
        key = _key(mention)
        cached = self._screened.get(key)
        if cached is not None:
            return cached
        try:
            query = Query.build(mention)
            results = self.engine.screen(query, datasets=self.datasets, algorithm=self.algorithm,
                                         threshold=self.threshold, limit=10, index=self.index)
        except QueryError:
            results = []
        kept: list[tuple[MatchResult, bool]] = []
        for result in results:
            accepted = result if result.match else self._without_acronym(query, result)
            if accepted is None:
                continue
            mention_tokens = [t for t in _tokens(mention, accepted) if significant(t)]
            if mention_tokens and not explains(mention_tokens, accepted.matched_name, accepted.entity.schema):
                mention_tokens = _without_kind_words_of_the_party(mention_tokens, accepted)
            if mention_tokens and explains(mention_tokens, accepted.matched_name, accepted.entity.schema):
                names = [t for t in _tokens(accepted.matched_name, accepted) if significant(t)]
                relaxed = len(names) > len(mention_tokens) or "(" in accepted.matched_name
                kept.append((accepted, relaxed))
        if len(self._screened) > SCREEN_CACHE:
            self._screened.clear()
        self._screened[key] = kept
        return kept

    def _without_acronym(self, query: Query, result: MatchResult) -> MatchResult | None:
        """The matcher's verdict on the listed name without its bracketed acronym ('FOREIGN TRADE BANK
        (FTB)' is 'FOREIGN TRADE BANK' too), or on the trade name it quotes (STATE UNITARY ENTERPRISE OF
        THE CRIMEAN REPUBLIC 'CRIMEAN SEA PORTS' is 'CRIMEAN SEA PORTS' too)."""
        for bare in name_variants(result.matched_name)[:-1]:
            compared = self.engine.compare(query, bare, schema=result.entity.schema, algorithm=self.algorithm,
                                           threshold=self.threshold, explain=False)
            if compared.match:
                return replace(result, score=compared.score, match=True, features=compared.features)
        return None

    # -- identifiers --------------------------------------------------------------

    def _identified(self, text: str) -> Iterator[PartyMention]:
        """Parties named by an identifier: each record carrying it, as the party it belongs to."""
        allowed = set(self.datasets) if self.datasets else None
        parties = self.engine.parties(self.index)
        for hit in find_identifiers(text, self.index):
            seen: set[str] = set()
            for position in hit.entities:
                record = self.index.entities[position]
                party = parties.party(record.id)
                if party.id in seen or (allowed is not None and not allowed & set(record.datasets)):
                    continue
                seen.add(party.id)
                entity = parties.entity(record.id) or record
                yield PartyMention(entity, hit.start, hit.end, text[hit.start : hit.end], 1.0, record.caption,
                                   (hit.id_type.value, hit.value),
                                   tuple(party.referents) if len(party.referents) > 1 else ())


def _without_kind_words_of_the_party(tokens: list[Token], result: MatchResult) -> list[Token]:
    """The mention without the organisation words ('Bank') that the matched name lacks but another of the
    party's listed names has: 'RNKB Bank' for RNKB OAO, whose full name is RUSSIAN NATIONAL COMMERCIAL
    BANK. A word no name of the party has ('Taesong Logistics' for TAESONG BANK) stays and keeps the
    mention apart. [] when nothing is left out, or nothing but organisation words would be left."""
    if result.entity.schema is Schema.PERSON or not any(t.kind is TokenKind.ORG_TERM for t in tokens):
        return []
    matched = {t.fold for t in _tokens(result.matched_name, result)}
    elsewhere = {t.fold for n in result.entity.names for t in _tokens(n.value, result)} - matched
    kept = [t for t in tokens if not (t.kind is TokenKind.ORG_TERM and t.fold in elsewhere)]
    if len(kept) == len(tokens) or all(t.kind is TokenKind.ORG_TERM for t in kept):
        return []
    return kept


def _intersect(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The positions in both of two sorted arrays of unique positions (np.intersect1d's answer), found
    by looking each of the shorter array up in the longer one."""
    small, big = (a, b) if len(a) <= len(b) else (b, a)
    if not len(small):
        return small
    at = np.searchsorted(big, small)
    at[at == len(big)] = 0
    found: np.ndarray = small[big[at] == small]
    return found


def _key(mention: str) -> str:
    """A mention's screening-cache key: its spelling, spaces and case aside."""
    return " ".join(mention.split()).lower()


def _tokens(text: str, result: MatchResult) -> list[Token]:
    return list(tokenize_name(text, schema_kind(result.entity.schema)))


def _context(text: str, run: list[DocWord], i: int, j: int) -> Context:
    start, end = run[i].word.start, run[j].word.end
    before_text = text[max(0, start - 40) : start]
    after_text = text[end : end + 40]
    stripped = before_text.rstrip()
    before = _neighbour(run, i - 1, -1)
    after = _neighbour(run, j + 1, 1)
    opening = before_text.rstrip(" ")[-1:]
    return Context(
        mention=text[start:end], at_sentence_start=not stripped or stripped[-1] in _SENTENCE_START,
        before=_read(before) if before is not None and not before.prefix else None,
        after=_read(after) if after is not None else None,
        quoted=bool(opening and opening in _QUOTES_OPEN and after_text.lstrip(" ")[:1] in _QUOTES_CLOSE),
        vessel_prefix=i > 0 and run[i - 1].prefix,
        read_shouting=lambda: _shouting(text, start, end),
        read_legal_form_next=lambda: _legal_form(before_text, last=True) or _legal_form(after_text, last=False),
    )


def _read(item: DocWord) -> str:
    """A neighbouring word as the checks read it: a Cyrillic word in its English (ДУП is a legal form)."""
    return item.spelled if item.spelled and is_cyrillic(item.word.text) else item.word.text


def _shouting(text: str, start: int, end: int) -> bool:
    """Four in five letters of the mention's line in capitals (read at most LINE_REACH either side)."""
    line_start = text.rfind("\n", max(0, start - LINE_REACH), start) + 1 or max(0, start - LINE_REACH)
    line_end = text.find("\n", end, end + LINE_REACH)
    line = text[line_start : line_end if line_end >= 0 else end + LINE_REACH]  # bounded: no cost per text length
    capitals, small = len(_CAPITALS.findall(line)), len(_SMALL.findall(line))
    return capitals > 0 and capitals >= 4 * small


def _neighbour(run: list[DocWord], k: int, step: int) -> DocWord | None:
    """The name word next to a window in its run (number marks skipped; a connector ends the search)."""
    while 0 <= k < len(run):
        item = run[k]
        if item.connector:
            return None
        if item.tokens or item.prefix:
            return item
        k += step
    return None


_LAST_WORD = re.compile(r"([^\W_]+)[ \t\"'\u00ab\u201c\u201e]*$")  # a word, then only spaces or opening quotes
_FIRST_WORD = re.compile(r"^[ \t\"'\u00bb\u201d,]*([^\W_]+)")  # closing quotes or a comma, then a word


def _legal_form(snippet: str, last: bool) -> bool:
    """A legal form written right before (last=True) or right after the mention, on its line and in
    its sentence: 'OOO «Prospekt»', 'Prospekt LLC', 'Golden Star Co., Ltd'."""
    found = (_LAST_WORD.search if last else _FIRST_WORD.search)(snippet)
    if found is None:
        return False
    tokens = tokenize_name(found.group(1), "organization")
    return bool(tokens) and all(t.fold == LEGAL_FORM for t in tokens)


def resolve(found: list[PartyMention]) -> list[PartyMention]:
    """Best mentions where they overlap: taken best first (higher score, then longer), a mention is
    kept unless it overlaps a kept one of another span, or of the same entity (the same span for
    different entities is the same name on several lists: all are kept, unless one fits the words clearly
    worse than the best). Kept mentions are filed in buckets as wide as the longest mention, so each
    is compared only with the kept mentions of its own and the neighbouring buckets: the cost grows
    with the number of mentions, not its square."""
    ranked = sorted(found, key=lambda p: (-p.score, -(p.end - p.start), p.start, p.entity.id))
    width = max((p.end - p.start for p in found), default=1) or 1
    buckets: dict[int, list[PartyMention]] = {}
    kept: list[PartyMention] = []
    for mention in ranked:
        first, last = (mention.start - width) // width, mention.end // width
        if any(_clash(mention, other) for b in range(first, last + 1) for other in buckets.get(b, ())):
            continue
        buckets.setdefault(mention.start // width, []).append(mention)
        kept.append(mention)
    kept.sort(key=lambda p: (p.start, -p.score, p.entity.id))
    return kept


def _clash(mention: PartyMention, other: PartyMention) -> bool:
    """Whether a mention (no better than `other`) gives way to it: it overlaps another span, or names the
    same entity, or on the same span names another party that the words fit clearly worse ('Koryo Bank'
    is KORYO BANK, not KORYO COMMERCIAL BANK LTD.)."""
    if not (mention.start < other.end and other.start < mention.end):
        return False
    if (mention.start, mention.end) != (other.start, other.end) or other.entity.id == mention.entity.id:
        return True
    same_party = other.entity.id in mention.referents or mention.entity.id in other.referents
    return not same_party and mention.score < other.score - SAME_SPAN_MARGIN
