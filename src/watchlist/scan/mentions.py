"""Does a span of text name the listed party the matcher found? The checks after `engine.screen`.

The matcher decides whether a mention and a listed name are the same name; these checks decide
whether the words in the text are a *mention* of it, not a fragment of another name:

- The listed name explains every word of the mention. Words of the listed name that the mention
  lacks must say little: legal forms and organisation words (Group of Companies, Corporation,
  Trading), particles, country qualifiers (Korea, DPRK), an acronym or alias in brackets. A person's
  name may lack only a patronymic (or one word of a 4+ word name).
- A person needs two name words, and the mention must not be a part of a longer name in the text
  ('Kim Song' inside 'Kim Song Il').
- A short mention (one word, or two ordinary words) needs evidence that it names a party: written as
  an acronym in capitals (not a trade abbreviation such as ETA or FOB), in quotes, next to a legal form (OOO «Prospekt», Golden Star Co) or a vessel
  prefix (M/V), or a word rare both in the lists and in ordinary text (English, Russian, Ukrainian,
  Korean: scan/words.py) and not capitalised only by a sentence start. 'Prospekt' in 'Prospekt Mira'
  is a street; 'Ocean Maritime' in 'Ocean Maritime Museum' is a museum.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from rapidfuzz.distance import Levenshtein

from watchlist.match.types import MatchResult
from watchlist.model import Schema
from watchlist.text.refdata import name_refdata
from watchlist.text.tokens import Token, TokenKind, schema_kind, tokenize_name

PATRONYMIC = re.compile(r"(?:vich|vych|vna|ovna|evna|ichna|ogly|oglu|kyzy|kizi|uly|uli)$")
LEGAL_FORM = "lf"  # the tokenizer folds every legal form (LLC, Co., Ltd, JSC, OOO) to this
NON_NAME_FOLDS = frozenset({LEGAL_FORM, "coltd", "and", "of", "the"})
# Words a listed organisation's name may hold beyond the mention: where it is from.
QUALIFIERS = frozenset(["korea", "korean", "dprk", "dpr", "north", "democratic", "peoples", "people", "republic",
                        "chosun", "choson", "joson", "pyongyang", "hongkong", "hong", "kong", "china", "chinese",
                        "russia", "russian", "rossiya", "iran", "iranian", "syria", "syrian", "international"])
_BRACKET = re.compile(r"\([^)]*\)")
SINGLE_WORD_MAX_NAMES = 5  # a one-word mention must be rare in the lists: in at most this many names (KOMID)
SHORT_COMMON_WORDS = 2  # a mention of at most this many words, all ordinary words, is 'short'


def significant(token: Token) -> bool:
    """Words a mention and a listed name must share: names, numbers, organisation words (bank,
    development, trading); not legal forms (LLC, Ltd, JSC) nor particles (al, bin, van)."""
    return token.kind is not TokenKind.PARTICLE and token.fold not in NON_NAME_FOLDS


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


def says_little(token: Token) -> bool:
    """A word of a listed organisation's name that a mention may leave out."""
    return token.kind in (TokenKind.ORG_TERM, TokenKind.PARTICLE) or token.fold in QUALIFIERS


def aligns(mention: Sequence[Token], name: Sequence[Token], schema: Schema) -> bool:
    """Every mention word is a name word (in any order; joined forms allowed), and what the name has
    beyond the mention says little (see the module docstring)."""
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
    missing = [n for n, u in zip(name, used, strict=True) if not u]
    if not missing:
        return True
    if schema is not Schema.PERSON:
        return all(says_little(n) for n in missing) and any(used)
    if len(missing) > 1:
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


def without_brackets(name: str) -> str | None:
    """'FOREIGN TRADE BANK (FTB)' -> 'FOREIGN TRADE BANK': the bracket holds an acronym or alias."""
    if "(" not in name:
        return None
    stripped = " ".join(_BRACKET.sub(" ", name).split())
    return stripped if stripped and stripped != name else None


# A trade name in quotes inside a listed name: STATE UNITARY ENTERPRISE OF THE CRIMEAN REPUBLIC 'CRIMEAN
# SEA PORTS', JSC 'X'. The quotes open after a space (not the apostrophe of CH'ONGSONG) and hold no quote.
_QUOTED = re.compile(r"(?:^|(?<=\s))[\"'\u00ab\u2018\u201c\u201e]([^\"'\u00ab\u00bb\u2018\u2019\u201c\u201d\u201e]{3,})"
                     r"[\"'\u00bb\u2019\u201d](?=$|[\s,.;)])")


def quoted_name(name: str) -> str | None:
    """The trade name a listed name holds in quotes after its legal description, if any."""
    found = _QUOTED.findall(name)
    if not found:
        return None
    inner = " ".join(found[-1].split())
    return inner if inner and inner != name else None


def name_variants(listed_name: str) -> tuple[str, ...]:
    """The listed name without its bracketed acronym, its quoted trade name, then the name itself."""
    return tuple(v for v in (without_brackets(listed_name), quoted_name(listed_name)) if v) + (listed_name,)


def explains(mention: Sequence[Token], listed_name: str, schema: Schema) -> bool:
    """The listed name (its bracketed alias aside, or its quoted trade name) explains the mention word for word."""
    kind = schema_kind(schema)
    for variant in name_variants(listed_name):
        if variant is None:
            continue
        name = [t for t in tokenize_name(variant, kind) if significant(t)]
        if name and aligns(mention, name, schema):
            return True
    return False


@dataclass(frozen=True)
class Context:
    """What surrounds a mention in the text: the evidence the short-mention and partial-name checks use.
    The two that read the mention's line and its neighbouring words are worked out when first asked."""

    mention: str
    at_sentence_start: bool
    before: str | None  # the name-like word right before the mention in its run, if any
    after: str | None
    quoted: bool
    vessel_prefix: bool  # M/V, MT, tanker... right before
    read_shouting: Callable[[], bool] = field(repr=False, compare=False)
    read_legal_form_next: Callable[[], bool] = field(repr=False, compare=False)

    @cached_property
    def shouting(self) -> bool:
        """The mention's line is written in capitals (headers, SWIFT fields, telexes)."""
        return self.read_shouting()

    @cached_property
    def legal_form_next(self) -> bool:
        """A legal form right before or after (OOO «Prospekt», Golden Star Co)."""
        return self.read_legal_form_next()


def is_acronym(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return 2 <= len(letters) <= 6 and all(c.isupper() for c in letters)


def only_numbers(tokens: Sequence[Token]) -> bool:
    return bool(tokens) and all(t.kind is TokenKind.NUMBER for t in tokens)


def written_as_listed(tokens: Sequence[Token], listed_name: str) -> bool:
    """Every word of the mention is spelt (transliterated, in lower case) as a word of the listed name."""
    written = {t.text for t in tokenize_name(listed_name, "any")}
    return all(t.text in written for t in tokens)


_HANGUL = re.compile("[\uac00-\ud7a3]")


def _hangul(word: str) -> bool:
    return _HANGUL.search(word) is not None


class MentionCheck:
    """The checks that need the lists' word counts and the ordinary-word table."""

    def __init__(self, document_frequency: Mapping[str, int], is_common: Callable[[str], bool],
                 stopwords: frozenset[str], function_words: frozenset[str], *,
                 abbreviations: frozenset[str] = frozenset()) -> None:
        """`abbreviations`: lower-case words of the trade written in capitals (ETA, FOB): no acronym evidence."""
        self.document_frequency = document_frequency
        self.abbreviations = abbreviations
        self.is_common = is_common
        self.stopwords = stopwords
        self.function_words = function_words
        self.titles = name_refdata().titles

    def common(self, fold: str) -> bool:
        return self.is_common(fold)

    def is_short(self, tokens: Sequence[Token]) -> bool:
        return len(tokens) == 1 or (
            len(tokens) <= SHORT_COMMON_WORDS and all(self._ordinary(t) for t in tokens)
        )

    def _ordinary(self, token: Token) -> bool:
        return token.kind is not TokenKind.NUMBER and (self.common(token.fold) or token.kind is TokenKind.ORG_TERM)

    def accepts(self, tokens: Sequence[Token], result: MatchResult, context: Context, relaxed: bool) -> bool:
        """`relaxed`: the listed name has words the mention lacks (or a bracket was set aside)."""
        schema = result.entity.schema
        if " ".join(context.mention.lower().split()) in self.stopwords:
            return False  # a place name ('Donetsk People's Republic') is reported as a place
        if only_numbers(tokens) and not (context.quoted or context.vessel_prefix):
            return False  # 'THREE (3)', '2024': a number alone names a ship only after M/V or in quotes
        if schema is Schema.PERSON:
            return len(tokens) >= 2 and not self._blocks_person(context.before, before=True) and \
                not self._blocks_person(context.after, before=False)
        short = self.is_short(tokens)
        if short or relaxed:
            if self._blocks(context.before, short) or self._blocks(context.after, short):
                return False  # a fragment of a longer name: 'Ocean Maritime' in 'Ocean Maritime Services'
        elif self._rare_name_word(context.before) or self._rare_name_word(context.after):
            return False  # 'Myanma Foreign Trade Bank' is another bank than the FOREIGN TRADE BANK
        if is_acronym(result.matched_name) and len(result.matched_name.strip()) <= 3 and not is_acronym(context.mention):
            return False  # a listed three-letter acronym (PTI) is not a word that spells like it (Pty)
        return not short or self._short_evidence(tokens, schema, context, written_as_listed(tokens, result.matched_name))

    def could_accept(self, tokens: Sequence[Token], context: Context) -> bool:
        """Whether `accepts` could take any matcher result for this mention in this context: False
        only when every schema and every listed name would be refused, so the mention need not be
        screened at all (most single words of a text end here)."""
        if " ".join(context.mention.lower().split()) in self.stopwords:
            return False
        if only_numbers(tokens) and not (context.quoted or context.vessel_prefix):
            return False
        if len(tokens) >= 2 and not self._blocks_person(context.before, before=True) and \
                not self._blocks_person(context.after, before=False):
            return True
        if not self.is_short(tokens):
            relaxed_ok = not (self._blocks(context.before, False) or self._blocks(context.after, False))
            return relaxed_ok or not (self._rare_name_word(context.before) or self._rare_name_word(context.after))
        if self._blocks(context.before, True) or self._blocks(context.after, True):
            return False
        return self._short_evidence(tokens, Schema.VESSEL, context)  # a vessel's evidence includes any other's

    def _short_evidence(self, tokens: Sequence[Token], schema: Schema, context: Context,
                        written_as_listed: bool = True) -> bool:
        """Quoted, next to a legal form, after a vessel prefix (for a vessel), an acronym, or a word rare
        in the lists and in ordinary text that is not capitalised by its place; the line in capitals
        (a telex) is evidence of neither, nor are capitals a trade abbreviation is written in ('ETA notices').
        An acronym or a single rare word is evidence only when spelt letter for letter as the listed name
        spells it: a code such as SHAR (shared charges) is no near-spelling of SHAHR. Cheap evidence is
        read first."""
        word = context.mention.strip().lower()
        if word in self.function_words:
            return False
        if context.quoted or (context.vessel_prefix and schema is Schema.VESSEL):
            return True
        rare = not context.at_sentence_start and not any(self._ordinary(t) for t in tokens) and (
            len(tokens) > 1 or written_as_listed and
            0 < self.document_frequency.get(tokens[0].fold, 0) <= SINGLE_WORD_MAX_NAMES)
        if "".join(filter(str.isalnum, word)) in self.abbreviations:
            return context.legal_form_next  # a word of the trade ('CNC lathes'), rare in the lists or not
        acronym = is_acronym(context.mention) and written_as_listed
        if (rare or acronym) and not context.shouting:
            return True
        return context.legal_form_next

    def _exempt(self, word: str) -> bool:
        lower = word.lower()
        if _hangul(word) or lower in self.function_words or lower in self.stopwords:
            return True
        tokens = tokenize_name(word, "any")
        return not tokens or all(t.fold in NON_NAME_FOLDS or t.kind is TokenKind.PARTICLE for t in tokens)

    def _blocks(self, word: str | None, short: bool) -> bool:
        if word is None or self._exempt(word):
            return False
        if short:
            return True
        tokens = tokenize_name(word, "any")
        return not (word.isupper() and all(self.common(t.fold) for t in tokens))

    def _rare_name_word(self, word: str | None) -> bool:
        if word is None or self._exempt(word):
            return False
        return not all(self.common(t.fold) for t in tokenize_name(word, "any"))

    def _blocks_person(self, word: str | None, before: bool) -> bool:
        if word is None or self._exempt(word):
            return False
        lower = word.lower().rstrip(".")
        if before and lower in self.titles:
            return False
        tokens = tokenize_name(word, "any")
        return len(lower) <= 3 or not all(self.common(t.fold) for t in tokens)
