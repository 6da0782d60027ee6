"""Sanctioned places: a YAML gazetteer (watchlist/data/places.yaml) of names, adjectives and aliases."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from watchlist.errors import ConfigError
from watchlist.scan.phrases import PhraseMatcher
from watchlist.text.refdata import load_yaml

SANCTIONS = ("comprehensive", "territorial", "context")
_CODE = re.compile(r"^[A-Z]{2}(?:-[A-Z0-9]{1,3})?$")


@dataclass(frozen=True, slots=True)
class Place:
    id: str
    name: str
    code: str
    codes: tuple[str, ...]
    sanctions: str
    source: str
    terms: tuple[str, ...]

    @property
    def reported(self) -> bool:
        return self.sanctions != "context"

    @property
    def keys(self) -> frozenset[str]:
        """What a rule may call it: its id and every code it stands for."""
        return frozenset((self.id, *self.codes))


@dataclass(frozen=True, slots=True)
class PlaceMention:
    place: Place
    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.place.name,
            "code": self.place.code,
            "codes": list(self.place.codes),
            "sanctions": self.place.sanctions,
            "mention": self.text,
            "span": [self.start, self.end],
        }


_WORD_BEFORE = re.compile(r"([^\W\d_]+)\.?[ \t]*$")  # a word, its abbreviation's full stop, spaces
_WORD_AFTER = re.compile(r"^[ \t\-\u2010\u2011]*([^\W\d_]+)")  # spaces or a hyphen ('Korean-style'), a word
_NEIGHBOUR_REACH = 24  # characters read either side of a place mention for its neighbouring word


@dataclass(frozen=True, slots=True)
class SenseWords:
    """Words beside a place word that give it another sense (places.yaml `street_words`, `sense_words`)."""

    streets: frozenset[str] = frozenset()  # before or after: a street named after the place (ул. Донецкая)
    senses: frozenset[str] = frozenset()  # after: a dish, dance, breed named after it (Syrian hamsters)

    def other_sense(self, text: str, start: int, end: int) -> bool:
        before = _WORD_BEFORE.search(text, max(0, start - _NEIGHBOUR_REACH), start)
        after = _WORD_AFTER.search(text[end : end + _NEIGHBOUR_REACH])
        following = after.group(1).lower() if after else ""
        preceding = before.group(1).lower() if before else ""
        return preceding in self.streets or following in self.streets or following in self.senses


class PlaceGazetteer:
    def __init__(self, places: tuple[Place, ...], negative: tuple[str, ...],
                 sense_words: SenseWords | None = None) -> None:
        self.places = places
        entries: list[tuple[str, Place | None]] = [(t, p) for p in places for t in p.terms]
        entries += [(t, None) for t in negative]
        self._matcher: PhraseMatcher[Place | None] = PhraseMatcher(entries)
        self.keys = frozenset(k for p in places for k in p.keys)
        self.sense_words = sense_words or SenseWords()

    def find(self, text: str) -> list[PlaceMention]:
        """Every place mention (context places included), in text order; a place word that names a street
        ('ул. Донецкая', 'Луганская ул.') or, before a dish, dance or breed word, something else
        ('Syrian hamsters') is none."""
        out = []
        for hit in self._matcher.find(text):
            if hit.value is not None and not self.sense_words.other_sense(text, hit.start, hit.end):
                out.append(PlaceMention(hit.value, hit.start, hit.end, text[hit.start : hit.end]))
        return out


def load_places(path: Path | None = None) -> PlaceGazetteer:
    """Load and validate a places file (the bundled one by default); errors name the place and field."""
    if path is None:
        return _bundled()
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the places file ({exc.strerror})") from exc
    return parse_places(text, str(path))


@lru_cache(maxsize=1)
def _bundled() -> PlaceGazetteer:
    text = resources.files("watchlist.data").joinpath("places.yaml").read_text(encoding="utf-8")
    return parse_places(text, "places.yaml")


def parse_places(text: str, origin: str = "places.yaml") -> PlaceGazetteer:
    try:
        data = load_yaml(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{origin}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("places"), list):
        raise ConfigError(f"{origin}: expected a mapping with a 'places' list")
    places: list[Place] = []
    seen_terms: dict[str, str] = {}
    ids: set[str] = set()
    for number, raw in enumerate(data["places"], 1):
        where = f"{origin}: place #{number}"
        if not isinstance(raw, dict):
            raise ConfigError(f"{where}: must be a mapping with id, name, code, sanctions, terms")
        pid = raw.get("id")
        if not isinstance(pid, str) or not pid:
            raise ConfigError(f"{where}: 'id' is missing")
        where = f"{origin}: place {pid!r}"
        if pid in ids:
            raise ConfigError(f"{where}: duplicate id")
        ids.add(pid)
        unknown = set(raw) - {"id", "name", "code", "codes", "sanctions", "source", "terms"}
        if unknown:
            raise ConfigError(f"{where}: unknown field(s) {sorted(unknown)}")
        for key in ("name", "code", "sanctions", "source"):
            if not isinstance(raw.get(key), str) or not raw[key].strip():
                raise ConfigError(f"{where}: '{key}' must be a non-empty string")
        if not _CODE.match(raw["code"]):
            raise ConfigError(f"{where}: 'code' {raw['code']!r} is not an ISO 3166 code such as KP or UA-43")
        codes = raw.get("codes", [raw["code"]])
        if not isinstance(codes, list) or not all(isinstance(c, str) and _CODE.match(c) for c in codes):
            raise ConfigError(f"{where}: 'codes' must be a list of ISO 3166 codes")
        if raw["sanctions"] not in SANCTIONS:
            raise ConfigError(f"{where}: 'sanctions' must be one of {', '.join(SANCTIONS)}")
        terms = raw.get("terms")
        if not isinstance(terms, list) or not terms or not all(isinstance(t, str) and t.strip() for t in terms):
            raise ConfigError(f"{where}: 'terms' must be a non-empty list of strings")
        for term in terms:
            key = term.strip().lower()
            if key in seen_terms and seen_terms[key] != pid:
                raise ConfigError(f"{where}: term {term!r} is also a term of place {seen_terms[key]!r}")
            seen_terms[key] = pid
        places.append(
            Place(pid, raw["name"], raw["code"], tuple(codes), raw["sanctions"], raw["source"],
                  tuple(t.strip() for t in terms))
        )
    negative = data.get("negative", [])
    if not isinstance(negative, list) or not all(isinstance(t, str) for t in negative):
        raise ConfigError(f"{origin}: 'negative' must be a list of phrases")
    for term in negative:
        if term.strip().lower() in seen_terms:
            raise ConfigError(f"{origin}: negative phrase {term!r} is also a term of place "
                              f"{seen_terms[term.strip().lower()]!r}")
    return PlaceGazetteer(tuple(places), tuple(negative),
                          SenseWords(_word_set(data, "street_words", origin), _word_set(data, "sense_words", origin)))


def _word_set(data: dict[str, Any], key: str, origin: str) -> frozenset[str]:
    words = data.get(key, [])
    if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() and " " not in w.strip()
                                              for w in words):
        raise ConfigError(f"{origin}: '{key}' must be a list of single words")
    return frozenset(w.strip().lower().rstrip(".") for w in words)
