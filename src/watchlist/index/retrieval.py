"""Candidate retrieval: an inverted index over every name and alias of every listed entity.

Keys are romanisation-folded tokens, adjacent tokens joined (so 'Jongun' finds
'Jong Un'), consonant skeletons, and single-deletion variants of each token
(SymSpell), so a query reaches names across spellings and typos without
scanning every alias. Postings are numpy arrays: a query sums the weights of
the names its words reach, looking up what its common words add only for the
names its rarer words reach (MaxScore), and sorts the few that share enough.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from itertools import pairwise
from pathlib import Path
from typing import Final

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA

from watchlist.index.birthdays import birth_day_postings, born_on
from watchlist.index.hits import GroupHits, essential_groups, maximum, merged_hits, without_both
from watchlist.index.spelling import deletion_variants, letter_mask, spelling_neighbour, within_typos
from watchlist.index.storage import EntityTable, IndexedName, NameTable, Postings, load_index, save_index
from watchlist.model import Entity, Schema
from watchlist.text.dates import DateParts
from watchlist.text.folding import fold_token, skeleton
from watchlist.text.forms import family_positions, name_forms, patronymic_position
from watchlist.text.tokens import Token, TokenKind, joinable, schema_kind, tokenize_name, word_triples
from watchlist.text.wade_giles import NEITHER, Systems, joined_folds, partner_folds, token_systems
from watchlist.text.weights import idf_weight, token_weights

# rapidfuzz's functions bound once: looking one up on its module costs as much as a short call.
_osa_distance: Final = OSA.distance

FORMAT_VERSION: Final = 49
__all__ = ["EntityTable", "IndexedName", "NameIndex", "NameTable", "Postings"]  # the tables live in index.storage
_SAVED: Final = ("version", "entities", "names", "postings", "document_frequency", "skeletons", "deletions",
                  "entity_schema", "entity_datasets", "name_entity", "name_length", "birth_days")
MIN_SHARE: Final = 0.3
RELATIVE_FLOOR: Final = 0.5


@dataclass
class NameIndex:
    # Built, these are Python tables; loaded, read-only views of the mapped file (index.storage).
    version: str
    entities: Sequence[Entity]
    names: Sequence[IndexedName]
    postings: Mapping[str, np.ndarray]  # fold or joined fold -> name positions
    document_frequency: Mapping[str, int]
    skeletons: Mapping[str, tuple[str, ...]]  # skeleton -> folds
    deletions: Mapping[str, tuple[str, ...]]  # deletion variant -> folds
    entity_schema: np.ndarray
    entity_datasets: Sequence[frozenset[str]]
    name_entity: np.ndarray
    name_length: np.ndarray  # tokens per name
    birth_days: Mapping[str, np.ndarray]  # telling birth day -> entity positions (index.birthdays)
    by_id: Mapping[str, int] = field(default_factory=dict)
    _mask_cache: dict[tuple[object, ...], np.ndarray] = field(default_factory=dict, repr=False)
    _weights: dict[str, float] = field(default_factory=dict, repr=False)  # by Token.key
    _group_cache: dict[str, GroupHits] = field(default_factory=dict, repr=False)
    _no_hits: set[str] = field(default_factory=set, repr=False)  # keys of cached groups that reach no name
    _group_cache_size: int = field(default=0, repr=False)  # name positions held in _group_cache
    _fold_buckets: dict[tuple[str, int], list[str]] = field(default_factory=dict, repr=False)
    # (first letter, length) -> the listed folds a word so long may be within two typos of, and the
    # letter mask of each (spelling.letter_mask)
    _near_folds: dict[tuple[str, int], tuple[list[str], np.ndarray]] = field(default_factory=dict, repr=False)
    source: Path | None = field(default=None, repr=False)  # the file a loaded index maps (None: built)

    # -- building -----------------------------------------------------------

    @classmethod
    def build(cls, entities: Iterable[Entity], version: str = "memory") -> NameIndex:
        entity_list: list[Entity] = []
        names: list[IndexedName] = []
        posting_lists: dict[str, list[int]] = defaultdict(list)
        for entity in entities:
            position = len(entity_list)
            entity_list.append(entity)
            kind = schema_kind(entity.schema)
            seen: set[tuple[str, ...]] = set()
            for name in entity.names:
                for value in name_forms(name.value, kind):
                    tokens = tokenize_name(value, kind)
                    key = tuple(t.fold for t in tokens)
                    if not tokens or key in seen:
                        continue
                    seen.add(key)
                    name_pos = len(names)
                    family = family_positions(value, kind, listed=True) if entity.schema is Schema.PERSON else ()
                    names.append(IndexedName(position, value, name.kind, tokens, family,
                                             patronymic=patronymic_position(tokens, family)))
                    for index_key in _index_keys(tokens):
                        posting_lists[index_key].append(name_pos)
        postings = Postings.of(posting_lists)
        folds = {t.fold for n in names for t in n.tokens}
        skeletons: dict[str, set[str]] = defaultdict(set)
        deletions: dict[str, set[str]] = defaultdict(set)
        for fold in folds:
            if len(fold) >= 3:
                skeletons[skeleton(fold)].add(fold)
            if len(fold) >= 4 and not fold.isdigit():
                for variant in deletion_variants(fold):
                    deletions[variant].add(fold)
        schema_codes = {s: i for i, s in enumerate(Schema)}
        index = cls(
            version=version,
            entities=EntityTable(entity_list),
            names=NameTable(names),
            postings=postings,
            document_frequency={k: len(set(v)) for k, v in posting_lists.items()},
            skeletons={k: tuple(sorted(v)) for k, v in skeletons.items() if len(k) >= 2},
            deletions={k: tuple(sorted(v)) for k, v in deletions.items()},
            entity_schema=np.asarray([schema_codes[e.schema] for e in entity_list], dtype=np.int8),
            entity_datasets=[frozenset(e.datasets) for e in entity_list],
            name_entity=np.asarray([n.entity for n in names], dtype=np.int32),
            name_length=np.asarray([len(n.tokens) for n in names], dtype=np.int16),
            birth_days=birth_day_postings(entity_list),
        )
        index.by_id = {e.id: i for i, e in enumerate(entity_list)}
        index.names = NameTable(replace(n, weights=token_weights(n.tokens, index)) for n in names)
        return index

    # -- persistence --------------------------------------------------------

    def save(self, path: Path) -> None:
        """Write the index to `path` as flat arrays that `load` maps read-only (index.storage)."""
        save_index({name: getattr(self, name) for name in _SAVED}, path, FORMAT_VERSION)

    @classmethod
    def load(cls, path: Path) -> NameIndex | None:
        """The index saved at `path`, mapped read-only (processes that load one file share its
        memory), or None if missing or of an older format."""
        state = load_index(path, FORMAT_VERSION)
        return None if state is None else cls(**state, source=path)

    def clear_caches(self) -> None:
        """Empty what queries have cached here (a batch worker over its memory budget starts afresh)."""
        self._clear_groups()
        for table in (self.names, self.entities):
            clear = getattr(table, "clear_cache", None)
            if clear is not None:
                clear()

    # -- weights --------------------------------------------------------------

    def weigh(self, token: Token) -> float:
        """How much a token tells: inverse document frequency, scaled to (0, 1]."""
        weight = self._weights.get(token.key)
        if weight is None:
            weight = idf_weight(self.document_frequency.get(token.fold, 0), len(self.names), token.kind)
            self._weights[token.key] = weight
        return weight

    def schema_of(self, position: int) -> Schema:
        """The schema of the entity at `position`, read without the entity."""
        return _SCHEMATA[int(self.entity_schema[position])]

    def born_on(self, days: Iterable[DateParts]) -> frozenset[int]:
        """The positions of the entities born on one of these telling days (index.birthdays)."""
        return born_on(self.birth_days, days)

    def known(self, token: Token) -> bool:
        """Whether any listed name uses this token."""
        return token.fold in self.document_frequency

    # -- retrieval ------------------------------------------------------------

    def _group_hits(
        self, key: str, make_group: Callable[[], list[tuple[str, float]]], searched: bool = True,
    ) -> GroupHits | None:
        """The names a group of keys reaches, each with the best weight it earns (cached: the
        tokens of customer names repeat, and this is most of a query's retrieval cost). A group
        not `searched` for its keys (a joined pair's or triple's: a lookup or two) is not remembered
        where it reaches no name: most do not, and a worker's life of them held 5 MB."""
        cached = self._group_cache.get(key)
        if cached is not None or key in self._no_hits:
            return cached
        found = [(p, w) for k, w in make_group() if (p := self.postings.get(k)) is not None]
        result = merged_hits(found) if found else None
        if result is None and not searched:
            return None
        self._cache_group(key, result)
        return result

    def expand(self, token: Token) -> list[tuple[str, float]]:
        """Index keys a query token reaches: itself, its typo and spelling neighbours."""
        keys: dict[str, float] = {token.fold: 1.0}
        if token.kind is TokenKind.NUMBER or len(token.fold) < 3:
            return list(keys.items())
        for fold in self.skeletons.get(token.skeleton, ()):
            if fold not in keys and spelling_neighbour(fold, token.fold):
                keys[fold] = 0.8
        if len(token.fold) >= 4:
            for variant in deletion_variants(token.fold) | {token.fold}:
                for fold in self.deletions.get(variant, ()):
                    if fold not in keys and within_typos(fold, token.fold):
                        keys[fold] = 0.8
        elif token.kind is TokenKind.WORD:
            # A short word with a letter dropped after its first ('Mie' for 'Mine'), which the scorer aligns.
            for fold in self.deletions.get(token.fold, ()):
                if fold[0] == token.fold[0]:
                    keys.setdefault(fold, 0.8)
        if len(token.fold) >= TWO_TYPO_LENGTH and not self.known(token):
            # A word no list uses may be a listed one with two typos ('Jinahu' for 'Jianshu').
            for fold in self._two_typo_folds(token.fold):
                keys.setdefault(fold, 0.7)
        return list(keys.items())

    def reach(self, token: Token) -> np.ndarray:
        """Positions of the names holding this token or, for a word of 5+ letters, a spelling or typo
        neighbour of it, or the word a letter shorter ('projects': 'project'), sorted and unique: what
        a gazetteer intersects word by word (the scanner)."""
        keys = [token.fold]
        if len(token.fold) >= 5 and token.kind is not TokenKind.NUMBER:
            keys = [key for key, _ in self.expand(token)] + sorted(deletion_variants(token.fold))
        found = [p for key in keys if (p := self.postings.get(key)) is not None]
        if not found:
            return np.empty(0, dtype=np.int32)
        return found[0] if len(found) == 1 else np.unique(np.concatenate(found))

    def _two_typo_folds(self, fold: str) -> list[str]:
        """Listed folds within two edits of `fold`, among those with its first letter and a near length;
        a word that begins with a vowel, among those beginning with any vowel: an iotated vowel is written
        E, Ye, Ie, Ya or Ia (Yermoshina / Iarmoshina), and the fold drops the Y."""
        # Only the folds that pass a cheap bound are measured: a letter one word has and the other
        # lacks costs an edit at least, so two words with three such letters are over two edits apart.
        folds, masks = self._near_table(fold[0], len(fold))
        mask = np.uint64(letter_mask(fold))
        close = np.flatnonzero((_bit_count(masks & ~mask) <= 2) & (_bit_count(mask & ~masks) <= 2))
        found = process.extract(fold, [folds[i] for i in close.tolist()], scorer=_osa_distance, score_cutoff=2,
                                limit=None)
        return [choice for choice, _, _ in found]

    def _near_table(self, first: str, size: int) -> tuple[list[str], np.ndarray]:
        """The listed folds a word of `size` letters beginning with `first` may be within two typos of
        (_two_typo_folds), and the letter mask of each."""
        starts = _VOWEL_STARTS if first in _VOWEL_STARTS else first
        near = self._near_folds.get((starts, size))
        if near is None:
            buckets = self._folds_by_start_and_length()
            folds = [f for start in starts for length in range(size - 2, size + 3) for f in buckets.get((start, length), ())]
            near = (folds, np.asarray([letter_mask(f) for f in folds], dtype=np.uint64))
            self._near_folds[(starts, size)] = near
        return near

    def prepare_typo_search(self) -> None:
        """Build every table a word's search within two typos reads (a batch parent, before it forks its
        workers: they share the tables' pages, where each built its own copy of the listed folds)."""
        buckets = self._folds_by_start_and_length()
        longest = max((size for _, size in buckets), default=0)
        for first in {start for start, _ in buckets}:
            for size in range(TWO_TYPO_LENGTH, longest + 3):
                self._near_table(first, size)

    def _folds_by_start_and_length(self) -> dict[tuple[str, int], list[str]]:
        buckets = self._fold_buckets
        if not buckets:
            buckets = {}
            for listed in self._listed_folds():
                buckets.setdefault((listed[0], len(listed)), []).append(listed)
            self._fold_buckets = buckets  # built whole, then published: threads share the index
        return buckets

    def _listed_folds(self) -> Iterator[str]:
        """Every listed fold long enough to be looked up with two typos."""
        for folds in self.skeletons.values():
            yield from (f for f in folds if len(f) >= TWO_TYPO_LENGTH - 2)

    def allowed_names(self, schemata: frozenset[Schema] | None, datasets: frozenset[str] | None) -> np.ndarray | None:
        if schemata is None and datasets is None:
            return None
        key = (schemata, datasets)
        mask = self._mask_cache.get(key)
        if mask is None:
            codes = {s: i for i, s in enumerate(Schema)}
            allowed = np.ones(len(self.entities), dtype=bool)
            if schemata is not None:
                allowed &= np.isin(self.entity_schema, [codes[s] for s in schemata])
            if datasets is not None:
                allowed &= np.asarray([bool(d & datasets) for d in self.entity_datasets], dtype=bool)
            mask = allowed[self.name_entity]
            self._mask_cache[key] = mask
        return mask

    def _groups(self, tokens: Sequence[Token]) -> list[GroupHits]:
        """The names each group of the query's keys reaches. A joined pair's group keeps only the names
        that do not hold both its words apart too: those earn both words' weights already, and a listed
        name is also indexed under its adjacent words joined (for a query that writes them as one)."""
        found = [
            (key, self._group_hits(key, group, i < len(tokens)), parts)  # a token's group first, then the joined
            for i, (key, group, parts) in enumerate(_query_groups(self, tokens))
        ]
        groups: list[GroupHits] = []
        for key, hits, parts in found:
            if hits is not None and parts:
                first, second = found[parts[0]][1], found[parts[1]][1]
                if first is not None and second is not None:
                    hits = self._joined_hits(key, hits, first[0], second[0])
            if hits is not None:
                groups.append(hits)
        return groups

    def _joined_hits(self, key: str, hits: GroupHits, first: np.ndarray, second: np.ndarray) -> GroupHits | None:
        """without_both of a joined pair's group (cached beside the group: it depends on the pair's
        two words alone)."""
        key += WITHOUT_BOTH
        cached = self._group_cache.get(key)
        if cached is not None or key in self._no_hits:
            return cached
        result = without_both(hits, first, second)
        self._cache_group(key, result)
        return result

    def _cache_group(self, key: str, result: GroupHits | None) -> None:
        if result is None:
            self._no_hits.add(key)  # a key alone: most groups (an unknown word's) reach no name
            return
        size = len(result[0])
        if self._group_cache_size + size > GROUP_CACHE_SIZE:
            self._clear_groups()
        self._group_cache[key] = result
        self._group_cache_size += size

    def _clear_groups(self) -> None:
        self._group_cache.clear()
        self._no_hits.clear()
        self._group_cache_size = 0

    def candidates(
        self,
        tokens: Sequence[Token],
        limit: int = 40,
        allowed: np.ndarray | None = None,
        min_share: float = MIN_SHARE,
    ) -> list[int]:
        """Positions of the names most likely to match, best first (at most `limit`).

        A name must share `min_share` of the query's information (by retrieval weight).
        """
        if not self.names or not tokens:
            return []
        groups = self._groups(tokens)
        if not groups:
            return []
        floor = max(min_share, MIN_SHARE) * sum(self.weigh(t) for t in tokens)
        essential = essential_groups(groups, floor)
        reached = [names for (names, _, _), needed in zip(groups, essential, strict=True) if needed]
        if not reached:
            return []  # not even every group together reaches the floor
        if len(groups) == 1:
            touched, scores = groups[0][0], groups[0][1]  # a group holds each name once
        else:
            # Only names in an essential group can reach the floor (MaxScore): the others' groups
            # together weigh less. A common word reaches thousands of names; this keeps a query's
            # cost to the names its rarer words reach.
            touched = reached[0] if len(reached) == 1 else np.concatenate(reached)  # a name once per group
            # Sum the groups' weights per name in a scratch array, in group order (the same floats
            # whichever names are summed). Each group holds a name once, so += is exact.
            totals = _scratch(len(self.names))
            try:
                for (names, gains, _), needed in zip(groups, essential, strict=True):
                    if needed:
                        totals[names] += gains
                    else:
                        at = np.minimum(np.searchsorted(names, touched), len(names) - 1)
                        hit = names[at] == touched
                        totals[touched[hit]] += gains[at[hit]]  # a name's copies in touched gain once
                scores = totals[touched]
            finally:
                totals[touched] = 0.0
        if allowed is not None:
            keep = allowed[touched]
            touched, scores = touched[keep], scores[keep]
            if not len(touched):
                return []
        # A name sharing too little of the query's information cannot score as a hit, nor can
        # one sharing far less than the best candidate does.
        floor = max(floor, RELATIVE_FLOOR * maximum(scores))
        keep = scores >= floor
        touched, scores = touched[keep], scores[keep]
        # Best first; among names that share as much of the query, the shorter explains more of
        # itself; then by position. A name in several essential groups is there once per group,
        # and its copies, alike in all three keys, end up side by side.
        touched = touched[np.lexsort((touched, self.name_length[touched], -scores))]
        if len(reached) > 1 and len(touched) > 1:
            first = np.empty(len(touched), dtype=bool)
            first[0] = True
            np.not_equal(touched[1:], touched[:-1], out=first[1:])
            touched = touched[first]
        return list(touched[:limit].tolist())


_SCHEMATA: Final = tuple(Schema)  # by the code entity_schema holds (build: its position here)
_bit_count: Final = np.bitwise_count


_SCRATCH: Final = threading.local()  # per thread: a zeroed float array at least as long as the index


def _scratch(size: int) -> np.ndarray:
    buffer: np.ndarray | None = getattr(_SCRATCH, "buffer", None)
    if buffer is None or len(buffer) < size:
        buffer = _SCRATCH.buffer = np.zeros(size)
    return buffer


_VOWEL_STARTS: Final = "aeiouy"
ROMANISED: Final = 0.9  # share of its weight a query word earns where a name holds it in the other romanisation
TWO_TYPO_LENGTH: Final = 6  # unknown query words this long are looked up with two typos
GROUP_CACHE_SIZE: Final = 4_000_000  # name positions the retrieval cache may hold (about 50 MB)
WITHOUT_BOTH: Final = " -both"  # suffix of the cache key of a joined pair's group less the names with both words
INITIAL_KEY: Final = "1:"  # prefix of the keys that let an initial ('B.') reach the words it may stand for


def _index_keys(tokens: Sequence[Token]) -> set[str]:
    keys = {t.fold for t in tokens}
    keys.update(INITIAL_KEY + t.text[0] for t in tokens if t.kind is TokenKind.WORD and len(t.text) > 1)
    for a, b in pairwise(tokens):
        if joinable(a, b):
            keys.add(a.fold + b.fold)
    return keys


def _query_groups(
    index: NameIndex, tokens: Sequence[Token]
) -> list[tuple[str, Callable[[], list[tuple[str, float]]], tuple[int, ...]]]:
    """Index keys for a query, grouped by the evidence they stand for: one group per query token
    (itself, its spelling neighbours, its initial key, its split forms), in token order, and one per
    joined pair, with the positions of its two tokens' groups. A name earns a group's weight once,
    however many of the group's keys it holds. Each group comes with a key that names it, for
    caching: its keys depend on the token alone."""
    groups: list[tuple[str, Callable[[], list[tuple[str, float]]], tuple[int, ...]]] = []
    weights = token_weights(tokens, index)  # an initial weighs a fraction of a word
    systems = token_systems(tokens)  # a Wade-Giles or Pinyin name: other groups
    mark = f" ~{systems}" if systems != NEITHER else ""
    for token, weight in zip(tokens, weights, strict=True):
        groups.append((token.key + mark, partial(_token_group, index, token, weight, systems), ()))
    for i, ((a, wa), (b, wb)) in enumerate(pairwise(zip(tokens, weights, strict=True))):
        if joinable(a, b):
            groups.append((f"{a.key} {b.key}{mark}", partial(_joined_group, a, b, wa + wb, systems), (i, i + 1)))
    for i in word_triples(tokens):
        # Three words a listed name writes as one ('Ri Chol Ho' / 'RICHOLHO'): no listed name holds that
        # word and the three apart too, so the group reaches no name twice.
        a, b, c = tokens[i : i + 3]
        joined = [(a.fold + b.fold + c.fold, weights[i] + weights[i + 1] + weights[i + 2])]
        groups.append((f"{a.key} {b.key} {c.key}", partial(list, joined), ()))
    return groups


def _joined_group(first: Token, second: Token, weight: float, systems: Systems = NEITHER) -> list[tuple[str, float]]:
    read = joined_folds(first.text, second.text) if systems[0] else ()  # Tse-tung as Pinyin in one word: Zedong
    return [(first.fold + second.fold, weight), *((fold, weight * ROMANISED) for fold in read)]


def _token_group(index: NameIndex, token: Token, weight: float, systems: Systems = NEITHER) -> list[tuple[str, float]]:
    group = [(key, weight * factor) for key, factor in index.expand(token)]
    if len(token.text) == 1 and token.kind is TokenKind.WORD:
        group.append((INITIAL_KEY + token.text, weight))
    if token.kind is TokenKind.WORD and len(token.text) >= 4:
        # A query word may be two listed words written together ('Kwangchun' = 'Kwang Chun').
        for cut in range(2, len(token.text) - 1):
            key = fold_token(token.text[:cut]) + fold_token(token.text[cut:])
            if key != token.fold and key in index.postings:
                group.append((key, index.weigh(token)))
    if systems != NEITHER and token.kind is TokenKind.WORD:  # Hsi / Xi, Chiang / Jiang (text.wade_giles)
        group.extend((fold, weight * ROMANISED) for fold in partner_folds(token.text, *systems))
    if token.text.startswith("abd") and len(token.text) > 5:
        # 'Abdul Khan' is held as one name 'abdkhan'; a list may write the parts apart ('KHAN, Abdul').
        group.append((fold_token(token.text[3:]), weight * 0.8))
    return group
