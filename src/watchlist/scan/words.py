"""Reference words for reading party mentions: ordinary words per language, vessel prefixes, id labels.

`common_words.json` (derived from wordfreq, see bench/make_common_words.py) holds the words of English,
Russian, Ukrainian and Korean met at least once per million words of ordinary text; a mention made only
of such words needs more evidence that it names a party. `scan_words.yaml` holds the rest.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from watchlist.errors import ConfigError
from watchlist.text.refdata import load_yaml

LANGUAGES = ("en", "ru", "uk", "ko")


@dataclass(frozen=True, slots=True)
class ScanWords:
    common: frozenset[str]  # folded Latin/Cyrillic words and Korean words as written
    vessel_prefixes: frozenset[str]  # lower case, dots and slashes as spaces
    number_marks: frozenset[str]
    identifier_labels: dict[str, tuple[str, ...]]  # identifier type -> labels
    function_words: frozenset[str]  # English function words and day names, lower case
    trade_abbreviations: frozenset[str] = frozenset()  # ETA, FOB, C/P...: lower case, no acronym evidence
    korean_org_words: Mapping[str, str] = field(default_factory=dict)  # 무역회사 -> Trading Company
    korean_qualifiers: Mapping[str, str] = field(default_factory=dict)  # 조선 -> Korea
    cyrillic_org_words: Mapping[str, str] = field(default_factory=dict)  # морськ -> Sea (stem -> English)

    def is_common(self, fold: str) -> bool:
        """Whether a folded word (or a Korean word) is an ordinary word in a supported language."""
        return fold in self.common


@lru_cache(maxsize=1)
def scan_words() -> ScanWords:
    data_dir = resources.files("watchlist.data")
    frequency = json.loads(data_dir.joinpath("common_words.json").read_text(encoding="utf-8"))
    missing = [lang for lang in LANGUAGES if not isinstance(frequency.get(lang), list)]
    if missing:
        raise ConfigError(f"common_words.json: no word list for {', '.join(missing)}")
    common = frozenset(w for lang in LANGUAGES for w in frequency[lang])
    raw = load_yaml(data_dir.joinpath("scan_words.yaml").read_text(encoding="utf-8"))
    labels = raw.get("identifier_labels")
    if not isinstance(labels, dict) or not all(isinstance(v, list) for v in labels.values()):
        raise ConfigError("scan_words.yaml: 'identifier_labels' must map identifier types to lists of labels")
    return ScanWords(
        common=common,
        vessel_prefixes=frozenset(_plain(str(w)) for w in raw.get("vessel_prefixes", [])),
        number_marks=frozenset(str(w).lower() for w in raw.get("number_marks", [])),
        identifier_labels={str(k): tuple(str(v) for v in vs) for k, vs in labels.items()},
        function_words=frozenset(w.lower() for w in _strings(raw, "function_words")),
        trade_abbreviations=frozenset(w.lower() for w in _strings(raw, "trade_abbreviations")),
        korean_org_words=_mapping(raw, "korean_org_words"),
        korean_qualifiers=_mapping(raw, "korean_qualifiers"),
        cyrillic_org_words={k.lower(): v for k, v in _mapping(raw, "cyrillic_org_words").items()},
    )


def _mapping(raw: dict[str, object], key: str) -> dict[str, str]:
    values = raw.get(key, {})
    if not isinstance(values, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in values.items()):
        raise ConfigError(f"scan_words.yaml: '{key}' must map words to their English")
    return dict(values)


def _strings(raw: dict[str, object], key: str) -> list[str]:
    """A list of words, each written as text (unquoted, YAML reads 'no' and 'on' as booleans)."""
    values = raw.get(key, [])
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ConfigError(f"scan_words.yaml: '{key}' must be a list of quoted words")
    return values


def _plain(word: str) -> str:
    return " ".join(word.lower().replace(".", " ").replace("/", " ").split())
