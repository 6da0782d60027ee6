"""Regenerate src/watchlist/data/org_meanings.json: the words of organisation names that say what the
organisation is or does, by meaning, in the languages the lists and their customers write.

    pip install wordfreq   # the bench extra
    python bench/make_org_meanings.py

rigour (OpenSanctions' name library) gives such words a symbol: 'company', 'kompaniya' and
'компания' are SYMBOL:CO, 'finance' and 'finans' DOMAIN:FINANCIAL (text.symbols). Asking rigour costs
tens of microseconds a word, too much for every pair of words a batch compares, so this script asks
it once for a vocabulary and keeps the words that have a meaning, stored as the name matcher writes
them (a token's ASCII text). The vocabulary: each word of ZIPF or more in the wordfreq lists of
LANGUAGES (in its own script: rigour reads Cyrillic 'центр'; stored as 'tsentr'), and every word of an
organisation's or vessel's name on the shared lists. Meanings rigour gives a word in its own script
and as transliterated are both kept.

Word frequencies: wordfreq by Robyn Speer (https://github.com/rspeer/wordfreq), data CC BY-SA 4.0.
"""

from __future__ import annotations

import json
import math
import sys
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from wordfreq import get_frequency_dict

from watchlist.model import Schema
from watchlist.sources import entities_from_paths
from watchlist.text.symbols import rigour_meanings
from watchlist.text.tokens import LEGAL_FORM, tokenize_name

ROOT = Path(__file__).resolve().parents[1]
LISTS = ROOT.parent / "shared" / "data" / "lists"
TARGET = ROOT / "src" / "watchlist" / "data" / "org_meanings.json"
LANGUAGES = ("en", "ru", "uk", "bg", "de", "fr", "es", "it", "pt", "nl", "pl", "tr", "ro", "ar", "fa")
MIN_LENGTH = 3  # shorter words are initials, particles and syllables of names ('Bo', 'Im')
ZIPF = 2.5  # about once in 300 million words: rare trade words ('metallurgical') included


def vocabulary() -> Iterator[str]:
    for lang in LANGUAGES:
        yield from (w for w, freq in get_frequency_dict(lang).items() if math.log10(freq * 1e9) >= ZIPF)
    for entity in entities_from_paths(sorted(p for p in LISTS.iterdir() if p.is_dir())):
        if entity.schema is not Schema.PERSON:
            for name in entity.names:
                yield from name.value.split()


def main() -> None:
    meanings: dict[str, set[str]] = defaultdict(set)
    seen: set[str] = set()
    for word in vocabulary():
        if word in seen:
            continue
        seen.add(word)
        tokens = tokenize_name(word, "org")
        if len(tokens) != 1 or len(tokens[0].text) < MIN_LENGTH or not tokens[0].text.isalpha() or tokens[0].fold == LEGAL_FORM:
            continue  # a legal form is one already, whatever its words mean (text.tokens)
        text = tokens[0].text
        found = rigour_meanings(word) | rigour_meanings(text)
        if found:
            meanings[text] |= found
    source = ("rigour's name symbols (SYMBOL, DOMAIN) for the words of wordfreq 3 (Robyn Speer et al., "
              "CC BY-SA 4.0) and of the shared lists' organisation names; regenerate with bench/make_org_meanings.py")
    rows = ",\n".join(f"{json.dumps(w)}:{json.dumps(sorted(m))}" for w, m in sorted(meanings.items()))
    TARGET.write_text(f'{{"source":{json.dumps(source)},\n"words":{{\n{rows}\n}}}}\n', encoding="utf-8")
    print(f"{len(seen)} words asked, {len(meanings)} with a meaning -> {TARGET}", file=sys.stderr)


if __name__ == "__main__":
    main()
