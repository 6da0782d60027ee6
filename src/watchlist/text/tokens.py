"""Name normalisation: any script -> comparable Latin tokens.

Pipeline (order matters):
1. Hangul names are romanised syllable by syllable (text.hangul); Cyrillic by
   BGN/PCGN, other scripts by ICU Any-Latin; then everything to ASCII.
2. Case-fold; apostrophes vanish (CH'OE -> choe); organisation legal forms
   become one canonical token (rigour: 'limited liability company' -> llc).
3. Split on everything that is not a letter or digit (hyphens too, so
   Jong-un -> jong, un; joined forms are handled by the aligner).
4. Titles and honorifics are dropped from person names; vessel prefixes
   (MV, M/V, MT) from vessel names.
5. Each token gets a `fold`: its romanisation-neutral spelling (Choi/Choe,
   Jeong/Jong, Kh/H, -iy/-y, Mohammed/Muhammad...), from names.yaml and a
   few orthographic rules, and a `skeleton` (fold without vowels and voicing)
   used to retrieve candidates across spellings.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from enum import IntEnum
from functools import lru_cache
from typing import Final

from rapidfuzz.distance import OSA

from watchlist.text.folding import UNVOICE, UNVOICE_BYTES, fold_token, skeleton, to_ascii
from watchlist.text.hangul import has_hangul, romanize_name
from watchlist.text.refdata import name_refdata, number_words

# rapidfuzz's functions bound once: looking one up on its module costs as much as a short call.
_osa_distance: Final = OSA.distance


class TokenKind(IntEnum):
    WORD = 0
    PARTICLE = 1  # al-, bin, van, de: part of the name, weak evidence
    ORG_TERM = 2  # legal forms and generic business words
    NUMBER = 3


class Token:
    """One normalised name part. Immutable by convention; hashed once (it keys hot caches)."""

    __slots__ = ("_hash", "fold", "key", "kind", "skeleton", "text", "voiceless")

    def __init__(self, text: str, fold: str, voiceless: str, skeleton: str, kind: TokenKind = TokenKind.WORD):
        self.text = text  # lower-case ASCII as written
        self.fold = fold  # romanisation-neutral form
        self.voiceless = voiceless  # fold with voiced consonants unvoiced (Korean Dae/Tae, Gwang/Kwang)
        self.skeleton = skeleton  # consonant skeleton of the fold, for fuzzy retrieval
        self.kind = kind
        self.key = f"{int(kind)}:{text}"  # identity as a plain string, for caches that hash it often
        self._hash = hash(self.key)

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Token) and self.text == other.text and self.kind == other.kind

    def __repr__(self) -> str:
        return f"Token({self.text!r}, fold={self.fold!r}, kind={self.kind.name})"

    def __reduce__(self) -> tuple[object, ...]:
        return (Token, (self.text, self.fold, self.voiceless, self.skeleton, self.kind))


_WORDS: Final = re.compile(r"[a-z]+|[0-9]+")  # runs of letters or of digits: all else parts words, and A320 is two
_APOSTROPHES: Final = re.compile(r"[\u0027\u2018\u2019\u02bc\u02bb\u02bf\u02be\u0060\u00b4\u02b9\u00b7]")
_VESSEL_PREFIX: Final = re.compile(r"^\s*(?:m\s*[./]?\s*[vtsy]\b|mv|mt|ms|fv|tb|ss)\b[.\s]*", re.IGNORECASE)
_RUSSIAN_HONORIFIC: Final = re.compile(r"^\s*(?:г-н|г-жа|господин|госпожа|г\.)\s+", re.IGNORECASE)
_ABD_PREFIX: Final = re.compile(r"^(abdul|abdel|abdal|abdol|abdoul|abdur|abdu|abd)(?=[a-z]{3,})")
_ABD: Final = frozenset({"abd", "abdul", "abdel", "abdal", "abdol", "abdoul", "abdur", "abdu"})
# Two tokens less alike than this are different words: the scorer aligns them not at all (but for a
# dropped letter), and retrieval looks up no spelling neighbour this far (match.align, index.retrieval).
ALIGNED_SIMILARITY: Final = 0.66
LEGAL_FORM: Final = "lf"  # the fold every company legal form shares
# A name this long may have been cut at a field's length (a payment message's name line holds 35
# characters): its last word may be the start of a listed word (match.align).
CUT_NAME_LENGTH: Final = 30
# Vessels number their sisters in Roman numerals as often as in digits (SEA STAR III, SEA STAR 3).
_ROMAN: Final = number_words().roman
@lru_cache(maxsize=1)
def _folded_legal_forms() -> frozenset[str]:
    return frozenset(fold_token(w) for w in name_refdata().legal_forms)


@lru_cache(maxsize=200_000)
def make_token(text: str, kind: TokenKind | None = None) -> Token:
    data = name_refdata()
    if kind is None:
        if text.isdigit():
            kind = TokenKind.NUMBER
        elif text in data.particles:
            kind = TokenKind.PARTICLE
        elif text in data.legal_forms or (len(text) >= 7 and fold_token(text) in _folded_legal_forms()):
            return Token(text, LEGAL_FORM, LEGAL_FORM, LEGAL_FORM, TokenKind.ORG_TERM)
        elif text in data.org_terms:
            kind = TokenKind.ORG_TERM
        else:
            kind = TokenKind.WORD
    if kind is TokenKind.NUMBER:
        return Token(text, text, text, text, kind)
    fold = fold_token(text)
    voiceless = fold.encode().translate(UNVOICE_BYTES).decode() if fold.isascii() else fold.translate(UNVOICE)
    return Token(text, fold, voiceless, skeleton(fold), kind)


@lru_cache(maxsize=100_000)  # company words recur across names ('trading', 'international')
def _is_mistyped_legal_form(word: str, final: bool = False) -> bool:
    """'Conpany', 'Limitted', 'Opne', 'Dooo': a legal form with one typo is still one. The last word of a
    name, where legal forms stand, may have two in ten letters or more ('Vorporatino'); elsewhere
    such a word is more often a real one ('Corporativo')."""
    if len(word) < 4 or word in name_refdata().legal_forms:
        return False
    if len(word) < 6:
        # A short one only with the commonest slips: one letter typed twice ('Dooo') or two
        # swapped ('Opne Joint Stock Company').
        return _legal_form_typed_twice(word) or any(
            sorted(form) == sorted(word) and _osa_distance(form, word) == 1 for form in _legal_forms(len(word), 0)
        )
    limit = 2 if final and len(word) >= 10 else 1
    return any(_osa_distance(form, word, score_cutoff=limit) <= limit for form in _legal_forms(len(word), 2))


def _legal_form_typed_twice(word: str) -> bool:
    forms = name_refdata().legal_forms
    return any(word[i] == word[i + 1] and word[:i] + word[i + 1 :] in forms for i in range(len(word) - 1))


@lru_cache(maxsize=64)
def _legal_forms(length: int, slack: int) -> tuple[str, ...]:
    """Legal forms of about this length (the short ones only of exactly it)."""
    return tuple(
        f for f in name_refdata().legal_forms if abs(len(f) - length) <= slack and (len(f) >= 7 or not slack)
    )


def _org_types(text: str) -> str:
    return str(_org_type_replacer()(text))


@lru_cache(maxsize=1)
def _org_type_replacer() -> Callable[[str], str]:
    from rigour.names.org_types import replace_org_types_compare  # rigour.names takes 0.14 s to import

    return replace_org_types_compare


_HYPHEN_FINAL: Final = re.compile(r"(?<=[a-z])-([a-z]+)\b(?!-)")
_LEET: Final = re.compile(r"(?<=[a-z])[0134579](?=[a-z])")
_DIGIT: Final = re.compile(r"[0-9]")
_LEET_LETTERS: Final = str.maketrans("0134579", "oieastg")
_DOTTED_LETTERS: Final = re.compile(r"\b[a-z](?:\s?\.\s?[a-z]\b)+\.?")


def _join_dotted_letters(text: str) -> str:
    """'s.a.c.' -> 'sac', 'l.t.d' -> 'ltd': dotted acronyms and legal forms become one word
    ('Grupo W, S.A.' keeps its W)."""
    if "." not in text:
        return text
    return _DOTTED_LETTERS.sub(lambda m: re.sub(r"[\s.]", "", m.group(0)) + " ", text)


def _numbers_as_digits(words: list[str]) -> list[str]:
    """'Brigade Forty-Four', 'Brigade Forty 4' -> 'brigade 44'; 'First Bank', '1st Bank' -> '1 bank':
    organisations and vessels write their numbers in words as often as in digits."""
    out: list[str] = []
    after_tens = False  # the last word was 'twenty', 'thirty', ...
    for word in words:
        if word in _ORDINAL_SUFFIXES and out and out[-1].isdigit():
            continue  # '1st' split into '1', 'st'
        value = _NUMBER_WORDS.get(word, word)
        if after_tens and value.isdigit() and len(value) == 1 and value != "0":
            out[-1] = str(int(out[-1]) + int(value))  # forty four -> 44
        else:
            out.append(value)
        after_tens = word in _TENS
    return out


_NUMBER_WORDS: Final = number_words().words
_TENS: Final = number_words().tens
_ORDINAL_SUFFIXES: Final = number_words().ordinal_suffixes


def _transpositions(word: str) -> list[str]:
    return [word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1) if word[i] != word[i + 1]]


# Abdul, Abdur... with two neighbouring letters swapped (Adbul, Abudl, Badur): a slip of the hand
# in the commonest name element, where another name follows it (Badal alone is a surname).
_ABD_TRANSPOSED: Final = {typo: form for form in sorted(_ABD) if len(form) == 5 for typo in _transpositions(form)}


def _join_abd(words: list[str]) -> list[str]:
    """'abd al rahman' / 'abdul rahman' / 'abdulrahman' -> 'abdrahman': one theophoric name, not two."""
    out: list[str] = []
    i = 0
    while i < len(words):
        word = _ABD_TRANSPOSED.get(words[i], words[i]) if i + 1 < len(words) else words[i]
        match = _ABD_PREFIX.match(word) if word.startswith("abd") else None
        if match and word not in name_refdata().equivalents:
            out.append("abd" + word[match.end() :])
        elif word in _ABD and i + 1 < len(words):
            nxt = i + 1
            if words[nxt] in ("al", "el", "ul", "ar", "as", "an", "ad", "ur") and nxt + 1 < len(words):
                nxt += 1
            out.append("abd" + words[nxt])
            i = nxt
        else:
            out.append(word)
        i += 1
    return out


def _abd_given_name_first(words: list[str], text: str) -> list[str]:
    """'HAQ, Abdul' -> abdul haq: a list writing FAMILY, Given ends the name with the Abd of the
    theophoric name the family part completes ('Abdul Haq', 'AL-RAHMAN, Abd'), to be joined as it
    is spoken."""
    if len(words) < 2 or words[-1] not in _ABD or "," not in text:
        return words
    head = len(_WORDS.findall(text.partition(",")[0]))
    return [words[-1], *words[:-1]] if 0 < head < len(words) else words


def _latin_with_marks(text: str) -> bool:
    """Latin letters with diacritics ('Société', 'beschränkter'), no other script."""
    if text.isascii():
        return False
    letters = [c for c in text if c.isalpha() and not c.isascii()]
    return bool(letters) and all(unicodedata.name(c, "").startswith("LATIN") for c in letters)


def _without_apostrophes(text: str) -> str:
    """CH'OE -> CHOE. The pattern runs only where it may match: most names are ASCII without one."""
    if text.isascii() and "'" not in text and "`" not in text:
        return text
    return _APOSTROPHES.sub("", text)


def _spelled_words(name: str, kind: str) -> tuple[str, bool, list[str]]:
    """Steps 1 to 3: the name in ASCII, whether it was Hangul, and its words (legal forms as rigour
    writes them: 'limited liability company' -> llc)."""
    text = _without_apostrophes(name)
    if kind in ("person", "any") and not text.isascii():
        text = _RUSSIAN_HONORIFIC.sub("", text)
    hangul = has_hangul(text)
    if hangul:
        text = " ".join(romanize_name(text))
    if kind in ("org", "any") and _latin_with_marks(text):
        # Legal forms as written, before their letters lose their marks ('beschränkter' is not 'beschrankter').
        text = _org_types(text.lower())
    text = _without_apostrophes(to_ascii(text))
    if _DIGIT.search(text):
        # A digit inside a word stands for a letter ('Ig0r Sech1n'): names are written so to slip past filters.
        text = _LEET.sub(lambda m: m.group(0).translate(_LEET_LETTERS), text)
    if kind == "vessel":
        text = _VESSEL_PREFIX.sub(" ", text)
    if kind in ("org", "vessel"):
        text = _join_dotted_letters(text)
    words = _WORDS.findall(text)
    if kind in ("org", "any"):
        words = _WORDS.findall(_org_types(" ".join(words)))
    return text, hangul, words


@lru_cache(maxsize=100_000)
def tokenize_name(name: str, kind: str = "any") -> tuple[Token, ...]:
    """Normalise one name into tokens. `kind` is 'person', 'org', 'vessel' or 'any'."""
    data = name_refdata()
    text, hangul, words = _spelled_words(name, kind)
    if kind == "org":
        words = [
            "ltd" if fold_token(w) in _folded_legal_forms() or _is_mistyped_legal_form(w, i == len(words) - 1) else w
            for i, w in enumerate(words)
        ]
    if kind in ("org", "vessel", "any"):
        words = _numbers_as_digits(words)
    if kind == "vessel":
        words = [_ROMAN.get(w, w) for w in words if w not in ("no", "nr")]
    titles = data.titles if name.isascii() or _latin_with_marks(name) else data.titles - data.title_abbreviations
    if kind == "person":
        # A title's abbreviation last in a name long enough to have been cut short ('... BELKASSEM DR')
        # may be the start of its last word (match.spans reads it so); kept as a particle, it weighs
        # little where it is the title after all ('... YOUSSEF DR' against '... YOUSSEF').
        cut = len(words) > 1 and words[-1] in data.title_abbreviations and may_be_cut(words)
        words = [w for i, w in enumerate(words) if w not in titles or (cut and i == len(words) - 1)] or words
    elif kind == "any" and len(words) > 1 and words[0] in titles:
        words = words[1:]
    if kind in ("person", "any"):
        words = _join_abd(_abd_given_name_first(words, text))
    if kind == "person":
        # Business words and short legal forms are name parts here ('Se', 'Ao', 'Bank'); a long
        # legal form ('LLC', 'GmbH') after a person's name is noise ('Nicolas Maduro LLC').
        # A particle word in a Korean name, or ending a hyphenated one, is a syllable of the name
        # ('Su-bin', 김수빈), not a particle ('bin Laden').
        syllables = set(words) if hangul else _hyphen_finals(text)
        tokens = [
            make_token(w, (TokenKind.WORD if w in syllables else TokenKind.PARTICLE) if w in data.particles else None)
            for w in words
        ]
        tokens = [
            t if t.kind is not TokenKind.ORG_TERM or (t.fold == LEGAL_FORM and (len(t.text) >= 3 or _ends_western_name(
                words, i, text,
            ))) else make_token(t.text, TokenKind.WORD)
            for i, t in enumerate(tokens)
        ]
        if cut:
            tokens[-1] = make_token(tokens[-1].text, TokenKind.PARTICLE)
    else:
        tokens = [make_token(w) for w in words]
    if kind == "org":
        tokens = _legal_form_tail(_mistyped_final_legal_form(tokens))
    # 'Co. Ltd' and 'Company Limited' are one legal form, not two words.
    return tuple(t for i, t in enumerate(tokens) if not (i and t.fold == LEGAL_FORM == tokens[i - 1].fold))


@lru_cache(maxsize=100_000)
def legal_form_kinds(name: str) -> frozenset[str]:
    """The kinds of company an organisation's name says it is by its legal forms (names.yaml
    legal_form_kinds: 'Deutsche Bank AG' -> shares, 'Deutsche Bank GmbH' -> limited liability);
    empty where it names none, or only one that says no more than 'company' (Co., Ltd)."""
    kinds = name_refdata().legal_form_kinds
    return frozenset(kinds[w] for w in _spelled_words(name, "org")[2] if w in kinds)


_SHORT_LEGAL_FORMS: Final = ("inc", "ltd", "llc", "sa", "ca", "cv", "co", "kg", "ag", "bv", "nv", "plc", "doo", "ooo", "jsc")


def _ends_western_name(words: list[str], position: int, text: str) -> bool:
    """A short legal form ('SA', 'AG') that ends a person's name, after two words or more written given names
    first ('Nicolas Maduro SA'): it ends the name where a family name would, and is noise as a long one
    is. Not where the name is written FAMILY, Given (a given name ends it: 'GHALI, Iyad ag'), nor in a
    name of East Asian syllables, which begins with its family name ('PAK SA')."""
    return (
        position == len(words) - 1 >= 2 and "," not in text and words[0] not in name_refdata().east_asian_surnames
    )


def _hyphen_finals(text: str) -> set[str]:
    """The words that end a hyphenated name ('su-bin' -> bin)."""
    return {m.group(1) for m in _HYPHEN_FINAL.finditer(text)} if "-" in text else set()


def _mistyped_final_legal_form(tokens: list[Token]) -> list[Token]:
    """'Planet 2 Reaching, Ic.', 'Averuca, Cc.a.': the last word of an organisation's name, short and
    one letter from a legal form's abbreviation, is that legal form mistyped."""
    if len(tokens) < 2:
        return tokens
    last = tokens[-1]
    if last.kind is not TokenKind.WORD or len(last.text) > 4 or last.fold == LEGAL_FORM:
        return tokens
    if any(_osa_distance(last.text, form, score_cutoff=1) <= 1 for form in _SHORT_LEGAL_FORMS if len(form) > 1):
        return tokens[:-1] + [make_token("ltd")]
    return tokens


def _legal_form_tail(tokens: list[Token]) -> list[Token]:
    """'S.A. de C.V.', 'S. de R.L. de C.V.', 'S.a. De C.vv.': the end of an organisation's name, where
    a legal form stands with its particles and abbreviations, is one legal form however it is spelled."""
    start = len(tokens)
    while start > 1 and (
        tokens[start - 1].fold == LEGAL_FORM
        or tokens[start - 1].kind is TokenKind.PARTICLE
        or (tokens[start - 1].kind is TokenKind.WORD and (
            len(tokens[start - 1].text) <= 3 or _one_letter_from_legal_form(tokens[start - 1].text)
        ))
    ):
        start -= 1
    while start < len(tokens) and tokens[start].fold != LEGAL_FORM:
        start += 1  # the zone opens with a legal form: 'Inversiones RU S.L.' keeps its RU
    if len(tokens) - start < 2 or start == 0:
        return tokens
    return tokens[:start] + [make_token("ltd")]


@lru_cache(maxsize=10_000)
def _one_letter_from_legal_form(word: str) -> bool:
    """'Joynt', 'Stok': a word of four letters or more one letter from a legal form's word ('Joint Stock
    Company'). Within the legal form that ends an organisation's name (_legal_form_tail) it is that
    word mistyped."""
    return len(word) >= 4 and any(
        len(form) >= 4 and abs(len(form) - len(word)) <= 1 and _osa_distance(form, word, score_cutoff=1) <= 1
        for form in name_refdata().legal_forms
    )


def joinable(a: Token, b: Token) -> bool:
    """Two adjacent tokens that may be written as one word ('Jong Un' / 'Jongun', 'de Lourdes' /
    'Delourdes', 'Asia Bridge' / 'Asiabridge'); a legal form is not written onto the next word."""
    return (
        a.kind in (TokenKind.WORD, TokenKind.PARTICLE)
        or (a.kind is TokenKind.ORG_TERM and a.fold != LEGAL_FORM)
    ) and b.kind is TokenKind.WORD


def may_be_cut(words: Sequence[str]) -> bool:
    """Whether a name of these words, spaced, is long enough to have been cut at a field's length
    (CUT_NAME_LENGTH): read so by the tokenizer (a title's abbreviation last) and match.spans."""
    return sum(len(w) + 1 for w in words) - 1 >= CUT_NAME_LENGTH


def word_triples(tokens: Sequence[Token]) -> list[int]:
    """Where three adjacent words of two letters or more begin, which one may write as one word ('Ri
    Chol Ho' / 'Richolho')."""
    return [
        i for i in range(len(tokens) - 2)
        if all(t.kind is TokenKind.WORD and len(t.text) >= 2 for t in tokens[i : i + 3])
    ]


def schema_kind(schema: object) -> str:
    """Map a Schema (or None) to the tokenizer's kind."""
    value = getattr(schema, "value", None)
    if value == "Person":
        return "person"
    if value in ("Vessel", "Aircraft"):
        return "vessel"
    if value in ("Organization", "Company", "LegalEntity"):
        return "org"
    return "any"
