"""Regenerate src/watchlist/data/common_words.json: words common in ordinary text, per language.

    pip install wordfreq   # the bench extra
    python bench/make_common_words.py

The scanner reports a one-word or short mention of a listed organisation only with evidence that it
names a party when its words are ordinary words ('Prospekt' in 'Prospekt Mira' is a street). This
table says which words are ordinary: those at or above ZIPF (once per million words) in the wordfreq
lists of each supported language. Latin and Cyrillic words are stored as the name matcher folds them
(so 'проспект' and 'Prospekt' are one entry); Korean words as written.

Word frequencies: wordfreq by Robyn Speer (https://github.com/rspeer/wordfreq), data CC BY-SA 4.0.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from wordfreq import get_frequency_dict

from watchlist.text.tokens import tokenize_name

ROOT = Path(__file__).resolve().parents[1]
LANGUAGES = ("en", "ru", "uk", "ko")
ZIPF = 3.0


def folded(word: str, lang: str) -> str | None:
    if lang == "ko":
        return word if all("\uac00" <= c <= "\ud7a3" for c in word) else None
    tokens = tokenize_name(word, "any")
    return tokens[0].fold if len(tokens) == 1 and tokens[0].fold.isalpha() else None


def main() -> None:
    out: dict[str, object] = {
        "source": "wordfreq 3 (Robyn Speer et al.), CC BY-SA 4.0; regenerate with bench/make_common_words.py",
        "zipf": ZIPF,
    }
    for lang in LANGUAGES:
        words = {
            f for w, freq in get_frequency_dict(lang).items()
            if math.log10(freq * 1e9) >= ZIPF and (f := folded(w, lang)) is not None and len(f) > 1
        }
        out[lang] = sorted(words)
    target = ROOT / "src" / "watchlist" / "data" / "common_words.json"
    target.write_text(json.dumps(out, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
