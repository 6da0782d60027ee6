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
from collections.abc import Callable
from enum import IntEnum
from functools import lru_cache
from typing import Final

from anyascii import anyascii
from rapidfuzz.distance import OSA

from watchlist.text.countries import to_country_code
from watchlist.text.hangul import has_hangul, romanize_name
from watchlist.text.refdata import name_refdata

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
LEGAL_FORM: Final = "lf"  # the fold every company legal form shares
# Vessels number their sisters in Roman numerals as often as in digits (SEA STAR III, SEA STAR 3).
_ROMAN: Final = {"ii": "2", "iii": "3", "iv": "4", "vi": "6", "vii": "7", "viii": "8", "ix": "9", "xi": "11", "xii": "12"}
# Ordered orthographic folds for the competing transliteration systems: (pattern, replacement,
# needle). A pattern runs only on a token with its needle, which it cannot match without (the
# test costs far less than the pattern), and a needle ending in '$' must end the token. A
# pattern that is its own needle, unanchored, is a plain string, replaced without a regex.
_FOLD_RULES: Final[tuple[tuple[str, bool, re.Pattern[str] | None, str], ...]] = tuple(
    (needle.rstrip("$"), needle.endswith("$"), None if pattern == needle.rstrip("$") else re.compile(pattern), repl)
    for pattern, repl, needle in (
        ("tch", "ch", "tch"),
        ("shch", "sh", "shch"),
        ("sch", "sh", "sch"),
        ("dzh", "j", "dzh"),
        ("dj", "j", "dj"),
        ("zh", "j", "zh"),
        ("kh", "h", "kh"),
        ("ph", "f", "ph"),
        ("ck", "k", "ck"),
        ("q", "k", "q"),
        ("x", "ks", "x"),
        ("w", "v", "w"),
        ("cz", "ch", "cz"),
        ("tz", "ts", "tz"),
        ("ou", "u", "ou"),
        ("oo", "u", "oo"),
        ("eo", "o", "eo"),
        ("eu", "u", "eu"),
        (r"iy$", "i", "iy$"),
        (r"ii$", "i", "ii$"),
        (r"ij$", "i", "ij$"),
        (r"yy$", "i", "yy$"),
        (r"(?<=[^aeiou])y$", "i", "y$"),
        (r"(?<=[aeo])y$", "i", "y$"),
        ("iya", "ia", "iya"),
        (r"(?:^|(?<=[aeiou]))ya", "ia", "ya"),
        (r"(?<=[^aeiouy])y(?=[^aeiouy])", "i", "y"),  # Volodymyr/Volodimir, Krym/Krim
        (r"(?:^|(?<=[aeiou]))yu", "iu", "yu"),
        (r"^ye(?=[^aeiou])", "e", "ye"),
        ("iye", "ie", "iye"),
        (r"(?:^|(?<=[aeiou]))yo", "io", "yo"),
        (r"(?<=[aeiou])h(?=[^aeiouy]|$)", "", "h"),
        (r"(?<=[aeiou])ff?$", "v", "f$"),
    )
)
# Letter maps, each as a str table and a bytes table: tokens are ASCII, and bytes.translate is a C
# loop over a 256-byte table where str.translate looks each character up in a dict (a new token
# pays both twice); the str tables serve any other text.
_VOICED, _UNVOICED = "gdbj", "ktpc"
_UNVOICE: Final = str.maketrans(_VOICED, _UNVOICED)
_UNVOICE_BYTES: Final = bytes.maketrans(_VOICED.encode(), _UNVOICED.encode())
# The skeleton: 'ch' as 'c', voiced consonants as unvoiced (and l as r), no vowel or h after
# the first letter, no letter twice in a row.
_SKELETON_FROM, _SKELETON_TO, _SKELETON_DROPS = "jgbdzvl", "ckptsfr", "aeiouyh"
_SKELETON_CONSONANTS: Final = str.maketrans(_SKELETON_FROM, _SKELETON_TO)
_SKELETON_CONSONANTS_BYTES: Final = bytes.maketrans(_SKELETON_FROM.encode(), _SKELETON_TO.encode())
_SKELETON_DROPPED: Final = str.maketrans("", "", _SKELETON_DROPS)
_SKELETON_DROPPED_BYTES: Final = _SKELETON_DROPS.encode()


@lru_cache(maxsize=8)
def _transliterator(kind: str) -> object:
    import icu  # PyICU, installed with rigour

    ids = {
        "cyrillic": "Russian-Latin/BGN; Any-Latin; Latin-ASCII",
        "other": "Any-Latin; Latin-ASCII",
    }
    return icu.Transliterator.createInstance(ids[kind])


def to_ascii(text: str) -> str:
    """Any script to lower-case ASCII; Hangul is left for romanize_name.

    Word by word, each word cached with what stands beside it (a space or the edge of the
    name: transliteration rules look one character around), so a word that recurs across
    names (Иван, Мухаммед) is transliterated once. A name with a word of no letters is
    transliterated whole: punctuation takes its script from the words around it (an Arabic
    comma alone is no Arabic).
    """
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFC", text)
    kind = "cyrillic" if any("\u0400" <= c <= "\u04ff" for c in text) else "other"
    words = text.split(" ")
    if any(not word.isascii() and not any(c.isalpha() for c in word) for word in words):
        return _word_to_ascii(text, kind, False, False)
    last = len(words) - 1
    return " ".join([_word_to_ascii(word, kind, i > 0, i < last) for i, word in enumerate(words)])


@lru_cache(maxsize=100_000)
def _word_to_ascii(word: str, kind: str, space_before: bool, space_after: bool) -> str:
    if word.isascii():
        return word.lower()
    context = (" " if space_before else "") + word + (" " if space_after else "")
    out: str = _transliterator(kind).transliterate(context)  # type: ignore[attr-defined]
    if not out.isascii():
        out = "".join(c for c in unicodedata.normalize("NFKD", out) if not unicodedata.combining(c))
    if not out.isascii():
        # Scripts ICU has no Latin transliteration for (Khmer, Lao, Sinhala, Tibetan, Mongolian,
        # Javanese, Cherokee, Canadian syllabics, some Arabic-script letters): anyascii's tables.
        out = anyascii(out)
    return out[1 if space_before else 0 : len(out) - 1 if space_after else len(out)].lower()


@lru_cache(maxsize=200_000)
def fold_token(token: str) -> str:
    data = name_refdata()
    folded = token
    for _ in range(4):  # rules can enable each other ('akh' -> 'ah' -> 'a'): run to a fixed point
        step = _apply_rules(data.equivalents.get(folded, folded))
        if step == folded:
            break
        folded = step
    return folded


def _apply_rules(token: str) -> str:
    for needle, at_end, pattern, repl in _FOLD_RULES:
        if token.endswith(needle) if at_end else needle in token:
            token = token.replace(needle, repl) if pattern is None else pattern.sub(repl, token)
    return squeeze(token)


def squeeze(text: str) -> str:
    """'mohammed' -> 'mohamed': no character twice in a row. By hand: a regex with a
    back-reference in its replacement costs microseconds a call, and this runs for every token."""
    for i in range(1, len(text)):
        if text[i] == text[i - 1]:
            break
    else:
        return text
    kept = [text[0]]
    for char in text[1:]:
        if char != kept[-1]:
            kept.append(char)
    return "".join(kept)


@lru_cache(maxsize=200_000)
def skeleton(fold: str) -> str:
    out = fold.replace("ch", "c")
    if out.isascii():
        consonants = out.encode().translate(_SKELETON_CONSONANTS_BYTES)
        return squeeze((consonants[:1] + consonants[1:].translate(None, _SKELETON_DROPPED_BYTES)).decode())
    out = out.translate(_SKELETON_CONSONANTS)
    return squeeze(out[:1] + out[1:].translate(_SKELETON_DROPPED))


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
    voiceless = fold.encode().translate(_UNVOICE_BYTES).decode() if fold.isascii() else fold.translate(_UNVOICE)
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


_UNITS: Final = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
          "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen")
_ORDINALS: Final = ("zeroth", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
             "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
             "eighteenth", "nineteenth")
_TENS: Final = {"twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
         "eighty": 80, "ninety": 90}
_NUMBER_WORDS: Final = {
    **{w: str(i) for i, w in enumerate(_UNITS) if i},
    **{w: str(i) for i, w in enumerate(_ORDINALS) if i},
    **{w: str(v) for w, v in _TENS.items()},
}
_ORDINAL_SUFFIXES: Final = frozenset({"st", "nd", "rd", "th"})


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


def _without_apostrophes(text: str) -> str:
    """CH'OE -> CHOE. The pattern runs only where it may match: most names are ASCII without one."""
    if text.isascii() and "'" not in text and "`" not in text:
        return text
    return _APOSTROPHES.sub("", text)


@lru_cache(maxsize=100_000)
def tokenize_name(name: str, kind: str = "any") -> tuple[Token, ...]:
    """Normalise one name into tokens. `kind` is 'person', 'org', 'vessel' or 'any'."""
    data = name_refdata()
    text = _without_apostrophes(name)
    if kind in ("person", "any") and not text.isascii():
        text = _RUSSIAN_HONORIFIC.sub("", text)
    hangul = has_hangul(text)
    if hangul:
        text = " ".join(romanize_name(text))
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
    if kind == "org":
        words = [
            "ltd" if fold_token(w) in _folded_legal_forms() or _is_mistyped_legal_form(w, i == len(words) - 1) else w
            for i, w in enumerate(words)
        ]
    if kind in ("org", "vessel", "any"):
        words = _numbers_as_digits(words)
    if kind == "vessel":
        words = [_ROMAN.get(w, w) for w in words if w not in ("no", "nr")]
    if kind == "person":
        words = [w for w in words if w not in data.titles] or words
    elif kind == "any" and len(words) > 1 and words[0] in data.titles:
        words = words[1:]
    if kind in ("person", "any"):
        words = _join_abd(words)
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
            t if t.kind is not TokenKind.ORG_TERM or (t.fold == LEGAL_FORM and len(t.text) >= 3)
            else make_token(t.text, TokenKind.WORD)
            for t in tokens
        ]
    else:
        tokens = [make_token(w) for w in words]
    if kind == "org":
        tokens = _legal_form_tail(_mistyped_final_legal_form(tokens))
    # 'Co. Ltd' and 'Company Limited' are one legal form, not two words.
    return tuple(t for i, t in enumerate(tokens) if not (i and t.fold == LEGAL_FORM == tokens[i - 1].fold))


_SHORT_LEGAL_FORMS: Final = ("inc", "ltd", "llc", "sa", "ca", "cv", "co", "kg", "ag", "bv", "nv", "plc", "doo", "ooo", "jsc")


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
        or (tokens[start - 1].kind is TokenKind.WORD and len(tokens[start - 1].text) <= 3)
    ):
        start -= 1
    while start < len(tokens) and tokens[start].fold != LEGAL_FORM:
        start += 1  # the zone opens with a legal form: 'Inversiones RU S.L.' keeps its RU
    if len(tokens) - start < 2 or start == 0:
        return tokens
    return tokens[:start] + [make_token("ltd")]


_TRAILING_BRACKETS: Final = re.compile(r"\s*[(\[][^()\[\]]*[)\]]\s*$")
_QUALIFIER_AFTER_COLON: Final = re.compile(r"\s*:\s*[^:]*$")


def name_forms(name: str, kind: str, query: bool = False) -> list[str]:
    """An organisation's or vessel's name as written, and without what is added to a name: an acronym
    or other name in trailing brackets ('FOREIGN TRADE BANK (FTB)'), a qualifier after a colon
    ('... CHARITY FOUNDATION : BOSNIA BRANCH') and, in a query, the country it is of ('Foreign Trade
    Bank of the DPRK'; a listed name keeps its country: 'Central Bank of ...' names one bank). A
    person's name is taken as written."""
    forms = [name]
    if kind == "person":
        return forms
    if "(" in name or "[" in name or ":" in name:
        for pattern in (_TRAILING_BRACKETS, _QUALIFIER_AFTER_COLON):
            shorter = pattern.sub("", forms[-1])
            if shorter != forms[-1] and any(c.isalnum() for c in shorter):
                forms.append(shorter)
    shorter = _without_country(forms[-1]) if query else ""
    if shorter and _names_something(shorter):
        forms.append(shorter)
    return forms


def _without_country(name: str) -> str:
    """The name before a country that ends it after 'of', 'in' or a comma, else ''."""
    words = name.split()
    for size in (1, 2, 3):
        if len(words) <= size + 1:
            break
        country = " ".join(words[-size:])
        head = words[:-size]
        if head[-1].lower() == "the":
            head = head[:-1]
        joined = head[-1].endswith(",")
        if head and head[-1].lower() in ("of", "in"):
            head, joined = head[:-1], True
        if joined and head and len(country) > 3 and to_country_code(country.strip(",.")):
            return " ".join(head).rstrip(",")
    return ""


def _names_something(name: str) -> bool:
    """A word in it that is not a legal form or generic business word: 'Foreign Trade Bank' names
    a bank, 'Bank' alone does not ('Bank of China' keeps its country)."""
    generic = name_refdata().org_terms | name_refdata().legal_forms
    return any(len(w) > 2 and w not in generic for w in _WORDS.findall(to_ascii(name)))


def family_positions(name: str, kind: str, listed: bool = False) -> tuple[int, ...]:
    """'KIM, Jong Un' -> (0,): lists write 'FAMILY, Given'; a Korean or Chinese name in its own
    script begins with the family name (김정은, 张伟). A `listed` name follows the lists' conventions
    too: 'Given FAMILY' marks the family name by case ('Svetlana Petrovna GORYACHEVA', as the UK
    and EU lists write names; capitals first are as often given names), and a name of short
    syllables that begins with a Korean or Chinese surname is written family name first
    ('RI CHUN SONG'). Other forms say nothing."""
    head, comma, _ = name.partition(",")
    if comma:
        return tuple(range(len(tokenize_name(head, kind))))
    if kind in ("person", "any") and (has_hangul(name) or _has_han(name)) and len(tokenize_name(name, kind)) >= 2:
        return (0,)
    if listed:
        return _capitalised_family(name, kind) or _east_asian_family(name, kind)
    return ()


def _has_han(text: str) -> bool:
    return not text.isascii() and any("\u4e00" <= c <= "\u9fff" for c in text)


def _east_asian_family(name: str, kind: str) -> tuple[int, ...]:
    tokens = tokenize_name(name, kind)
    if not 2 <= len(tokens) <= 4 or tokens[0].text not in name_refdata().east_asian_surnames:
        return ()
    if not all(_SYLLABLE.match(t.text) for t in tokens):
        return ()  # not a name of syllables ('LEE HARVEY OSWALD')
    return (0,)


_SYLLABLE: Final = re.compile(r"[^aeiouy\W\d]*[aeiouy]+[^aeiouy\W\d]*$")  # one vowel group: 'kim', 'jeong', 'chuang'


def _capitalised_family(name: str, kind: str) -> tuple[int, ...]:
    """'Svetlana Petrovna GORYACHEVA' -> (2,): the capitalised words that end a mixed-case name."""
    words = name.split()
    caps = [_is_capitalised(w) for w in words]
    if not caps or not caps[-1] or caps[0] or not any(c.islower() for c in name):
        return ()
    cut = len(caps) - caps[::-1].index(False)
    if any(caps[:cut]):
        return ()  # capitals here and there: no family name marked
    size = len(tokenize_name(name, kind))
    head = len(tokenize_name(" ".join(words[:cut]), kind))
    if size != head + len(tokenize_name(" ".join(words[cut:]), kind)):
        return ()  # the words tokenise differently apart (titles, joined parts): positions unknown
    return tuple(range(head, size))


def _is_capitalised(word: str) -> bool:
    """'KOZLOV', 'AL-HASSAN', the 'U' of 'HYON U'; not an initial ('X.')."""
    letters = [c for c in word if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters) and (len(letters) > 1 or "." not in word)


def joinable(a: Token, b: Token) -> bool:
    """Two adjacent tokens that may be written as one word ('Jong Un' / 'Jongun', 'de Lourdes' /
    'Delourdes', 'Asia Bridge' / 'Asiabridge'); a legal form is not written onto the next word."""
    return (
        a.kind in (TokenKind.WORD, TokenKind.PARTICLE)
        or (a.kind is TokenKind.ORG_TERM and a.fold != LEGAL_FORM)
    ) and b.kind is TokenKind.WORD


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
