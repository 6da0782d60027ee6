"""Listed parties in running text: find candidate spans with the name index, confirm with the matcher.

Screening every n-gram of a document would cost thousands of matcher calls a
page. Instead (the gazetteer step):

1. Split the text into words and group name-like words (capitalised, or any word
   in a text with no capitals) into runs that a name could span.
2. For every window of 1-6 words in a run, look up each word's reach in the
   index: the names holding its folded spelling or a close variant. A window is
   a candidate only if some listed name holds *every* word of it and is not much
   longer. Windows that fail stop the walk early, so most words cost one lookup.
3. Screen the surviving windows with the engine (the same matcher as
   `watchlist screen`), keep matches at the threshold, and check that the
   mention really spans the name: each word of the mention is a word of the
   listed name, and the name has no word the mention lacks (a person may lack
   a patronymic). So 'Kim' alone, 'Korea Development Bank' for the listed
   'Korea United Development Bank', or 'Hong Min' for 'Kim Jong Man' are not
   reported.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from rapidfuzz.distance import Levenshtein

from watchlist.engine import Engine
from watchlist.errors import QueryError
from watchlist.index.retrieval import NameIndex
from watchlist.match.types import MatchResult, Query
from watchlist.model import Entity, Schema
from watchlist.scan.text import Word, words
from watchlist.text.tokens import Token, TokenKind, schema_kind, tokenize_name

MAX_WINDOW = 6  # words in a mention
NAME_SLACK = 1  # a listed name may have this many words more than the mention (patronymic, middle name)
CONNECTORS = frozenset(["of", "and", "the", "for", "de", "del", "della", "di", "da", "du", "des", "la", "le", "al", "el", "bin", "ibn", "van", "von", "der", "den", "y"])
PATRONYMIC = re.compile(r"(?:vich|vych|vna|ovna|evna|ichna|ogly|oglu|kyzy|kizi|uly|uli)$")
_GAP_PUNCTUATION = frozenset("-\u2010\u2011\u2012\u2013&,.'\u2019/")
_ABBREVIATION = frozenset(["co", "corp", "inc", "ltd", "llc", "plc", "jsc", "ojsc", "pjsc", "cjsc", "jr", "sr", "st", "mr", "dr", "gen"])
MIN_PERSON_TOKENS = 2
LEGAL_FORMS = frozenset({"lf", "coltd", "and", "of", "the"})  # rigour folds legal forms to 'lf'
_PARENTHESIS = re.compile(r"\([^)]*\)")
SINGLE_WORD_MAX_NAMES = 5  # a one-word mention must be rare in the lists: in at most this many names (KOMID)
# English function words: capitalised at a sentence start they would otherwise pass as a one-word name.
FUNCTION_WORDS = frozenset(["a", "about", "above", "after", "again", "against", "all", "also", "an", "and", "any", "are", "as", "at", "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "could", "did", "do", "does", "doing", "down", "during", "each", "either", "few", "for", "from", "further", "had", "has", "have", "having", "he", "her", "here", "hers", "herself", "him", "himself", "his", "how", "i", "if", "in", "into", "is", "it", "its", "itself", "just", "me", "more", "most", "my", "myself", "neither", "no", "nor", "not", "now", "of", "off", "on", "once", "only", "or", "other", "our", "ours", "out", "over", "own", "same", "she", "should", "so", "some", "such", "than", "that", "the", "their", "theirs", "them", "then", "there", "these", "they", "this", "those", "through", "to", "too", "under", "until", "up", "very", "was", "we", "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with", "would", "yet", "you", "your", "yours", "since", "unless", "although", "though", "however", "meanwhile", "moreover", "today", "yesterday", "tomorrow", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])  # a one-word mention must be a rare word in the lists (KOMID, Gazprombank)


def significant(token: Token) -> bool:
    """Words a mention and a listed name must share: names, numbers, generic business words (bank,
    development, trading); not legal forms (LLC, Ltd, JSC) nor particles (al, bin, van)."""
    if token.kind is TokenKind.PARTICLE:
        return False
    return token.fold not in LEGAL_FORMS


@dataclass(frozen=True, slots=True)
class PartyMention:
    entity: Entity
    start: int
    end: int
    text: str
    score: float
    matched_name: str

    def to_dict(self) -> dict[str, Any]:
        return {
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


@dataclass(frozen=True, slots=True)
class _DocWord:
    word: Word
    tokens: tuple[Token, ...]
    name_like: bool
    connector: bool


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
        """`stopwords`: lower-case words never reported alone as a party (place names, ...)."""
        self.engine = engine
        self.stopwords = stopwords
        self.index = index
        self.threshold = threshold
        self.datasets = list(datasets) if datasets else None
        self.algorithm = algorithm
        self._reach: dict[str, np.ndarray] = {}
        self._screened: dict[str, list[MatchResult]] = {}
        order = np.argsort(index.name_entity, kind="stable")
        bounds = np.searchsorted(index.name_entity[order], np.arange(len(index.entities) + 1))
        self._entity_names = (order, bounds)
        self._name_words = np.asarray(
            [sum(1 for t in n.tokens if significant(t)) for n in index.names], dtype=np.int16
        )

    # -- public -----------------------------------------------------------------

    def find(self, text: str) -> list[PartyMention]:
        """Every listed-party mention in `text`, in text order."""
        doc = _doc_words(text)
        found: list[PartyMention] = []
        for run in _runs(doc, text):
            found.extend(self._find_in_run(run, text))
        return _resolve(found)

    # -- candidates ---------------------------------------------------------------

    def reach(self, token: Token) -> np.ndarray:
        """Positions of the listed names holding this token, or a close spelling of it (sorted)."""
        cached = self._reach.get(token.fold)
        if cached is not None:
            return cached
        keys = [token.fold]
        if len(token.fold) >= 5 and token.kind is not TokenKind.NUMBER:
            keys = [k for k, _ in self.index.expand(token)]
        arrays = [p for k in keys if (p := self.index.postings.get(k)) is not None]
        if not arrays:
            result = np.empty(0, dtype=np.int32)
        elif len(arrays) == 1:
            result = arrays[0]
        else:
            result = np.unique(np.concatenate(arrays))
        if len(self._reach) > 200_000:
            self._reach.clear()
        self._reach[token.fold] = result
        return result

    def _find_in_run(self, run: list[_DocWord], text: str) -> list[PartyMention]:
        out: list[PartyMention] = []
        for i in range(len(run)):
            if run[i].connector:
                continue
            names: np.ndarray | None = None
            count = 0
            for j in range(i, min(len(run), i + MAX_WINDOW)):
                current = run[j]
                for token in current.tokens:
                    if not significant(token):
                        continue
                    reached = self.reach(token)
                    names = reached if names is None else np.intersect1d(names, reached, assume_unique=True)
                    count += 1
                if names is not None and len(names) == 0:
                    break  # no listed name holds all these words; longer windows cannot either
                if current.connector or names is None:
                    continue
                if not np.any(self._name_words[names] <= count + NAME_SLACK):
                    continue
                start, end = run[i].word.start, current.word.end
                out.extend(self._confirm(text, start, end))
        return out

    def _confirm(self, text: str, start: int, end: int) -> list[PartyMention]:
        mention = text[start:end]
        key = " ".join(mention.split()).lower()
        results = self._screened.get(key)
        if results is None:
            try:
                results = self.engine.screen(
                    Query.build(mention), datasets=self.datasets, algorithm=self.algorithm,
                    threshold=self.threshold, limit=10, index=self.index,
                )
            except QueryError:
                results = []
            results = [r for r in results if r.match]
            if len(self._screened) > 50_000:
                self._screened.clear()
            self._screened[key] = results
        out = []
        before = text[:start].rstrip()
        at_start = not before or before[-1] in ".!?:;\n\"'\u201c\u2018-\u2022*"
        for result in results:
            matched = self.spans_name(mention, result, at_start)
            if matched is not None:
                out.append(PartyMention(result.entity, start, end, mention, result.score, matched))
        return out

    # -- the span check -------------------------------------------------------------

    def spans_name(self, mention: str, result: MatchResult, at_start: bool = False) -> str | None:
        """The listed name that `mention` spans word for word, or None. See the module docstring."""
        entity = result.entity
        kind = schema_kind(entity.schema)
        tokens = [t for t in tokenize_name(mention, kind) if significant(t)]
        if not tokens:
            return None
        if len(tokens) < MIN_PERSON_TOKENS and not self._single_word_ok(mention, tokens[0], entity, at_start):
            return None
        position = self.index.by_id.get(entity.id)
        if position is None:
            return None
        order, bounds = self._entity_names
        names = [self.index.names[int(p)] for p in order[bounds[position] : bounds[position + 1]]]
        names.sort(key=lambda n: n.value != result.matched_name)
        for name in names:
            name_tokens = name.tokens
            if "(" in name.value:  # 'KOREA KWANGSON BANKING CORPORATION (KKBC)': the bracket is an alias
                name_tokens = tokenize_name(_PARENTHESIS.sub(" ", name.value), kind) or name_tokens
            if aligns(tokens, [t for t in name_tokens if significant(t)], entity.schema):
                return name.value
        return None

    def _single_word_ok(self, mention: str, token: Token, entity: Entity, at_start: bool) -> bool:
        """A one-word mention: never a person, a place name or a function word; written in capitals
        (an acronym) or a rare word in the lists that is not merely capitalised by a sentence start."""
        word = mention.strip().lower()
        if entity.schema is Schema.PERSON or word in self.stopwords or word in FUNCTION_WORDS:
            return False
        if _is_acronym(mention):
            return True
        return not at_start and 0 < self.index.document_frequency.get(token.fold, 0) <= SINGLE_WORD_MAX_NAMES


def _is_acronym(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return 2 <= len(letters) <= 6 and all(c.isupper() for c in letters)


def same_token(a: Token, b: Token) -> bool:
    """One word of a mention and one of a listed name are the same word (spelling variants, small typos)."""
    if a.fold == b.fold:
        return True
    if a.kind is TokenKind.NUMBER or b.kind is TokenKind.NUMBER:
        return False
    if min(len(a.fold), len(b.fold)) < 5:
        return False  # short words (most Korean and Chinese syllables) only by romanisation fold
    if a.skeleton == b.skeleton and abs(len(a.fold) - len(b.fold)) <= 2:
        return True
    limit = 2 if min(len(a.fold), len(b.fold)) >= 8 else 1
    return Levenshtein.distance(a.fold, b.fold, score_cutoff=limit) <= limit


def aligns(mention: Sequence[Token], name: Sequence[Token], schema: Schema) -> bool:
    """Every mention word is a name word (in any order; joined forms allowed) and the name lacks nothing.

    A person's name may have one word more than the mention if it is a patronymic
    or the name has four words or more (Arabic and Russian full names).
    """
    used = [False] * len(name)
    m = 0
    while m < len(mention):
        token = mention[m]
        hit = next((k for k, n in enumerate(name) if not used[k] and same_token(token, n)), None)
        if hit is not None:
            used[hit] = True
            m += 1
            continue
        joined = _joined(mention, m, name, used)
        if joined is None:
            return False
        m = joined
    missing = [n for n, u in zip(name, used) if not u]
    if not missing:
        return True
    if schema is not Schema.PERSON or len(missing) > 1:
        return False
    return bool(PATRONYMIC.search(missing[0].fold)) or len(name) >= 4


def _joined(mention: Sequence[Token], m: int, name: Sequence[Token], used: list[bool]) -> int | None:
    """'Jongun' in the mention for 'Jong Un' in the name, or 'Jong Un' for 'Jongun'. Returns the next m."""
    token = mention[m]
    for k in range(len(name) - 1):
        if not used[k] and not used[k + 1] and name[k].fold + name[k + 1].fold == token.fold:
            used[k] = used[k + 1] = True
            return m + 1
    if m + 1 < len(mention):
        pair = token.fold + mention[m + 1].fold
        for k, n in enumerate(name):
            if not used[k] and n.fold == pair:
                used[k] = True
                return m + 2
    return None


# -- text to runs of name-like words ------------------------------------------------


def _doc_words(text: str) -> list[_DocWord]:
    ws = words(text)
    alphabetic = [w for w in ws if w.text[0].isalpha()]
    capitals = sum(1 for w in alphabetic if not w.text[0].islower())
    case_blind = not alphabetic or capitals / len(alphabetic) < 0.05
    out: list[_DocWord] = []
    previous: _DocWord | None = None
    for w in ws:
        lower = w.text.lower()
        first = w.text[0]
        connector = lower in CONNECTORS and first.islower()
        name_like = case_blind or not first.islower() or connector
        if not name_like and previous is not None and previous.name_like and not previous.connector:
            # the second part of a hyphenated name: Soo-ho, Jong-un
            name_like = text[previous.word.end : w.start] in ("-", "\u2010", "\u2011")
        tokens = tokenize_name(w.text, "any") if not connector else ()
        item = _DocWord(w, tokens, name_like, connector)
        out.append(item)
        previous = item
    return out


def _runs(doc: list[_DocWord], text: str) -> list[list[_DocWord]]:
    runs: list[list[_DocWord]] = []
    current: list[_DocWord] = []
    for item in doc:
        joinable = bool(current) and _gap_ok(current[-1], item, text)
        if item.name_like and (joinable or not current):
            if not current and item.connector:
                continue
            current.append(item)
            continue
        _close(current, runs)
        current = [item] if item.name_like and not item.connector else []
    _close(current, runs)
    return runs


def _close(current: list[_DocWord], runs: list[list[_DocWord]]) -> None:
    while current and current[-1].connector:
        current.pop()
    if current:
        runs.append(list(current))
    current.clear()


def _gap_ok(previous: _DocWord, item: _DocWord, text: str) -> bool:
    gap = text[previous.word.end : item.word.start]
    if len(gap) > 4 or gap.count("\n") > 1:
        return False
    marks = [c for c in gap if not c.isspace()]
    if any(m not in _GAP_PUNCTUATION for m in marks) or len(marks) > 2 or (
        len(marks) == 2 and sorted(marks) != [",", "."]
    ):
        return False
    if "." in gap:  # a full stop ends the run unless it closes an abbreviation or an initial
        word = previous.word.text.lower()
        return len(word) == 1 or word in _ABBREVIATION
    return True


def _resolve(found: list[PartyMention]) -> list[PartyMention]:
    """Best mention per entity and place: overlapping mentions keep the best-scoring, longest span."""
    found.sort(key=lambda p: (-p.score, -(p.end - p.start), p.start, p.entity.id))
    accepted: list[PartyMention] = []
    for mention in found:
        clash = False
        for other in accepted:
            if mention.start < other.end and other.start < mention.end:
                same_span = (mention.start, mention.end) == (other.start, other.end)
                if not same_span or other.entity.id == mention.entity.id:
                    clash = True
                    break
        if not clash:
            accepted.append(mention)
    accepted.sort(key=lambda p: (p.start, -p.score, p.entity.id))
    return accepted
