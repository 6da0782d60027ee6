"""The facade every interface calls: open the store and index; screen, compare, search, update.

The index is immutable. `reload()` builds (or loads from disk) a new one and
swaps a single reference, so a request in flight finishes on the version it
started with and none fails during a list update.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from watchlist.errors import ConfigError, IndexNotReadyError, NotFoundError, QueryError
from watchlist.index.retrieval import NameIndex
from watchlist.match.algorithm import Algorithm, CandidateName, QueryForm, Scored
from watchlist.match.candidates import (
    bare_candidate,
    bare_entity,
    bare_names,
    candidate_names,
    query_form,
    scored_pair,
)
from watchlist.match.features import LEGAL_ENTITY, compatible_schemata
from watchlist.match.registry import ALGORITHMS, get_algorithm
from watchlist.match.types import MatchResult, Query, check_threshold
from watchlist.merging import first_of_party, index_parties, keep_best, parties_of, per_party, record_of
from watchlist.model import Entity, Schema, ftm_dataset_name
from watchlist.settings import Settings
from watchlist.store import LoadOutcome, Store
from watchlist.store.links import Linkage, Parties, Party
from watchlist.text.weights import TokenStats

CANDIDATE_NAMES: Final = 40  # names retrieved per query name and scored precisely
# A name scoring s shares at least about this fraction of s of the query's retrieval weight
# (fuzzy keys count 0.8 of a token's weight in retrieval, near misses up to 0.9 in scoring).
RETRIEVAL_SHARE: Final = 0.75
# The bound is empirical: up to a min_score of 0.5 pruning loses no match on the eval set; above
# it, it would drop names that still score as matches, so a higher min_score prunes no further.
PRUNE_UP_TO: Final = 0.5
TIE_MARGIN: Final = 1e-9  # below the top `limit`'s floor by more than this: cannot tie it


def retrieval_floor(min_score: float) -> float:
    """The share of the query's retrieval weight a name needs to be scored, for a given min_score."""
    return min(min_score, PRUNE_UP_TO) * RETRIEVAL_SHARE


@dataclass(frozen=True, slots=True)
class SearchPage:
    total: int
    results: list[MatchResult]


class Engine:
    def __init__(self, settings: Settings, store: Store | None = None, index: NameIndex | None = None) -> None:
        self.settings = settings
        self.store = store
        self._index = index
        self._lock = threading.Lock()
        self._parties: tuple[NameIndex, Parties] | None = None

    # -- construction -------------------------------------------------------

    @classmethod
    def open(cls, settings: Settings | None = None) -> Engine:
        settings = settings or Settings.from_env()
        store = Store.open(settings.db_path, keep_snapshots=settings.keep_snapshots)
        return cls(settings, store)

    @classmethod
    def from_entities(cls, entities: Iterable[Entity], settings: Settings | None = None) -> Engine:
        """An engine over entities held in memory (tests, notebooks)."""
        return cls(settings or Settings(), None, NameIndex.build(entities))

    @classmethod
    def from_lists(cls, paths: Sequence[Path], settings: Settings | None = None) -> Engine:
        """An engine over list files or folders, parsed into memory (no store)."""
        from watchlist.sources import entities_from_paths

        return cls.from_entities(entities_from_paths(paths), settings)

    @classmethod
    def from_index_file(cls, path: Path, settings: Settings | None = None) -> Engine:
        """An engine over a saved index (`save_index`), mapped read-only (processes that open one file
        share it), with the links saved beside it (making them decodes every record: 200 MB a process)."""
        index = NameIndex.load(path)
        if index is None:
            raise ConfigError(f"{path} is not a name index saved by this version of watchlist (save it again)")
        engine = cls(settings or Settings(), None, index)
        linkage = Linkage.load(links_path(path))
        if linkage is not None:
            engine._parties = (index, Parties(linkage, lambda record_id: record_of(index, record_id)))
        return engine

    def save_index(self, path: Path) -> Path:
        """Save the loaded index, and its cross-list links beside it (`links_path`), where
        `from_index_file` (or a Spark job's --index) opens them."""
        index = self.ready_index()
        index.save(path)
        self.parties(index).linkage.save(links_path(path))
        return path

    def saved_index_file(self) -> Path | None:
        """The saved index this engine maps, with its links beside it (`from_index_file`): what batch
        workers and Spark executors can map as it is (saving it again costs a CPU-second). None for a
        store's engine or a built index."""
        source = self._index.source if self._index is not None else None
        if self.store is None and source is not None and source.is_file() and links_path(source).is_file():
            return source
        return None

    def close(self) -> None:
        if self.store is not None:
            self.store.close()

    # -- the index ------------------------------------------------------------

    @property
    def index(self) -> NameIndex:
        index = self._index
        if index is None:
            index = self.reload()
        return index

    def _index_path(self, version: str) -> Path:
        return self.settings.index_dir / f"names-{version}.idx"

    def reload(self) -> NameIndex:
        """Load the index for the store's current lists (from disk if built before) and swap it in."""
        if self.store is None:
            if self._index is None:
                raise IndexNotReadyError("no lists loaded")
            return self._index
        with self._lock:
            version = self.store.version()
            current = self._index
            if current is not None and current.version == version:
                return current
            path = self._index_path(version)
            index = NameIndex.load(path)
            if index is None:
                index = NameIndex.build(self.store.entities(), version=version)
                if index.entities:
                    index.save(path)
                    self._prune_index_files(keep=path)
            self._index = index
            return index

    def _prune_index_files(self, keep: Path) -> None:
        for path in self.settings.index_dir.glob("names-*.*"):
            if path != keep and path.suffix in (".idx", ".pkl"):
                path.unlink(missing_ok=True)

    def ready_index(self) -> NameIndex:
        index = self.index
        if not index.entities:
            raise IndexNotReadyError(
                "no sanctions lists are loaded: run `watchlist fetch` or `watchlist fetch --from PATH`"
            )
        return index

    # -- screening --------------------------------------------------------------

    def screen(
        self,
        query: Query,
        *,
        datasets: Sequence[str] | None = None,
        algorithm: str | None = None,
        threshold: float | None = None,
        limit: int = 10,
        index: NameIndex | None = None,
        min_score: float = 0.0,
        prune: bool = True,
    ) -> list[MatchResult]:
        """Listed entities the query may refer to, best first, each with its score and reasons.

        `min_score` drops weaker results, and (with `prune`) lets retrieval skip names that
        cannot reach it (a batch run that keeps only likely hits runs faster).
        """
        index = index or self.ready_index()
        scorer = get_algorithm(algorithm)
        cutoff = self._cutoff(threshold, scorer)
        form = QueryForm.of(query)
        by_entity = self.candidates(form, datasets=datasets, index=index, min_score=min_score if prune else 0.0)
        parties = self.parties(index)
        results = []
        top: list[float] = []  # the best `limit` scores so far (a min-heap): only those are returned
        seen: set[str] = set()  # parties with a score on the heap (one each: results are per party)
        born = index.born_on(form.telling_days)
        for entity_pos, names in by_entity.items():
            # An entity that cannot reach the current top `limit` need not be scored in full. One that
            # ties it must be: ties rank by id, and the floor's round trip through the calibration
            # and the exponents can cost a tie its last bit (hence the margin).
            floor = max(min_score, top[0] - TIE_MARGIN) if len(top) >= limit > 0 else min_score
            if not scorer.may_reach(form, index.schema_of(entity_pos), names, index, floor, entity_pos in born):
                continue  # most candidates: no name can reach the floor, and the entity is not read
            entity = index.entities[entity_pos]
            scored = scorer.score(form, entity, names, index, floor)
            if scored.score < floor:
                continue
            if first_of_party(seen, parties.party_id(entity.id)):
                keep_best(top, scored.score, limit)
            results.append(
                MatchResult(
                    entity=entity,
                    score=scored.score,
                    match=scored.score >= cutoff,
                    query_name=scored.query_name,
                    matched_name=scored.matched_name,
                    features=scored.features,
                    explanation=scored.reasons(),
                )
            )
        results.sort(key=lambda r: (-r.score, r.entity.id))
        return per_party(results, parties)[:limit]

    def candidates(
        self,
        form: QueryForm,
        *,
        datasets: Sequence[str] | None = None,
        index: NameIndex | None = None,
        min_score: float = 0.0,
    ) -> dict[int, list[CandidateName]]:
        """The listed names retrieved for a query, by entity position: what the scorer gets to see."""
        index = index or self.ready_index()
        if not form.names:
            raise QueryError(f"the query name {form.query.names[0]!r} has no letters or digits to match on")
        allowed = index.allowed_names(
            compatible_schemata(form.query.schema), self._dataset_filter(datasets, index)
        )
        by_entity: dict[int, list[CandidateName]] = {}
        for _, tokens in form.names:
            for position in index.candidates(tokens, CANDIDATE_NAMES, allowed, retrieval_floor(min_score)):
                name = index.names[position]
                by_entity.setdefault(name.entity, []).append(
                    CandidateName(name.value, name.tokens, name.family, name.weights, name.patronymic)
                )
        return by_entity

    def compare(
        self, query: Query, candidate: Entity | str, schema: Schema | None = None, algorithm: str | None = None,
        threshold: float | None = None, explain: bool = True,
    ) -> MatchResult:
        """Score one query against one entity (or a bare name), using the loaded lists' token weights if any.

        With `explain` False the result carries no explanation."""
        entity, scored, cutoff = self._compared(query, candidate, schema, algorithm, threshold)
        return MatchResult(entity, scored.score, scored.score >= cutoff, scored.query_name, scored.matched_name,
                           scored.features, scored.reasons() if explain else ())

    def pair_scorer(self, query: Query, algorithm: str | None = None) -> Callable[[str], tuple[float, bool]]:
        """compare() of this query with bare names, reduced to the score and the decision (for
        files of pairs): the query is prepared once for all the names it is paired with. A name
        with nothing to compare (no letters or digits once normalised) is a QueryError."""
        scorer = get_algorithm(algorithm)
        form = query_form(query)
        stats = self.token_stats()
        cutoff = self._cutoff(None, scorer)
        schema = query.schema or LEGAL_ENTITY
        entity = bare_entity(schema)  # of the query's own schema: no schema check to make

        def score(candidate: str) -> tuple[float, bool]:
            names = bare_names(candidate, schema)
            if not names:  # a score of 0 would say the names differ: they were never compared
                raise QueryError(f"the name {candidate!r} has no letters or digits to match on")
            value = scorer.score(form, entity, names, stats).score
            return value, value >= cutoff

        return score

    def _compared(
        self, query: Query, candidate: Entity | str, schema: Schema | None, algorithm: str | None,
        threshold: float | None,
    ) -> tuple[Entity, Scored, float]:
        names: Sequence[CandidateName]
        if isinstance(candidate, str):
            candidate, names = bare_candidate(candidate, schema or query.schema or LEGAL_ENTITY)
        else:
            names = candidate_names(candidate)
        scorer = get_algorithm(algorithm)
        scored = scored_pair(query_form(query), candidate, names, scorer, self.token_stats())
        return candidate, scored, self._cutoff(threshold, scorer)

    def _cutoff(self, threshold: float | None, scorer: Algorithm) -> float:
        """The match threshold: the call's, else the configured default, else the algorithm's own."""
        return _threshold(threshold if threshold is not None else self.settings.threshold, scorer)

    def token_stats(self) -> TokenStats:
        """The loaded lists' token statistics, or the bundled table when none are loaded."""
        index = self._index
        if index is None and self.store is not None:
            index = self.reload()
        if index is not None and index.entities:
            return index
        from watchlist.text.weights import DEFAULT_STATS

        return DEFAULT_STATS

    # -- lookups ------------------------------------------------------------------

    def parties(self, index: NameIndex | None = None) -> Parties:
        """The parties of an index's records: which records of several lists are one party, and why."""
        index = index or self.ready_index()
        cached = self._parties
        if cached is None or cached[0] is not index:
            same = self.store is not None and index.version == self.store.version()
            cached = self._parties = (index, index_parties(index, self.settings.index_dir if same else None))
        return cached[1]

    def parties_of(self, record_ids: Iterable[str]) -> dict[str, Party]:
        """The party each record belongs to, or belonged to when its list last published it."""
        index = self.ready_index()
        return parties_of(index, self.parties(index), record_ids, self._former)

    def _former(self, record_id: str) -> Entity | None:
        """A record as its list last published it."""
        if self.store is None:
            return None
        return next((e for _, e in self.store.history(record_id) if e is not None), None)

    def get(self, entity_id: str) -> Entity:
        """A listed party by its id or the id of any of its records (`referents`), its records' values merged."""
        index = self._index if self.store is None else self.index
        if index is not None and index.entities:
            party = self.parties(index).entity(entity_id)
            if party is not None:
                return party
        return self.get_record(entity_id)

    def get_record(self, entity_id: str) -> Entity:
        """One list record, as its list publishes it."""
        index = self._index
        entity = None
        if index is not None and entity_id in index.by_id:
            entity = index.entities[index.by_id[entity_id]]
        elif self.store is not None:
            entity = self.store.get(entity_id)
        if entity is None:
            raise NotFoundError(f"no listed entity with id {entity_id!r}")
        return entity

    def search(
        self,
        text: str,
        *,
        schema: Schema | None = None,
        countries: Sequence[str] = (),
        datasets: Sequence[str] | None = None,
        limit: int = 10,
        offset: int = 0,
        threshold: float = 0.5,
    ) -> SearchPage:
        """Free-text name search, best first, paged.

        Unlike screening, a search hit need only contain the words searched for
        ('Mansudae' finds MANSUDAE OVERSEAS PROJECT GROUP): it ranks by how much
        of the search text a name explains, then by how much of the name it covers.
        """
        from watchlist.match.align import QueryAligner
        from watchlist.match.candidates import search_score
        from watchlist.match.features import candidate_countries

        index = self.ready_index()
        query = Query.build(text, schema=schema, country=list(countries))
        form = QueryForm.of(query)
        if not form.names:
            raise QueryError(f"the search text {text!r} has no letters or digits to match on")
        allowed = index.allowed_names(compatible_schemata(schema), self._dataset_filter(datasets, index))
        tokens = form.names[0][1]
        aligner = QueryAligner(tokens, index)
        best: dict[int, MatchResult] = {}
        for position in index.candidates(tokens, 200, allowed):
            name = index.names[position]
            alignment = aligner.align(name.tokens, name.weights)
            score = search_score(alignment)
            if score < threshold or (name.entity in best and best[name.entity].score >= score):
                continue
            entity = index.entities[name.entity]
            if query.countries and not candidate_countries(entity) & set(query.countries):
                continue
            best[name.entity] = MatchResult(entity, score, False, text, name.value, {"name_match": score},
                                            (f"'{text}' found in '{name.value}'",))
        hits = sorted(best.values(), key=lambda r: (-r.score, r.entity.id))
        return SearchPage(total=len(hits), results=hits[offset : offset + limit])

    @staticmethod
    def _dataset_filter(datasets: Sequence[str] | None, index: NameIndex) -> frozenset[str] | None:
        """The loaded dataset names a filter denotes; either spelling works (`ofac-sdn` or `ofac_sdn`)."""
        if not datasets:
            return None
        wanted = {ftm_dataset_name(d) for d in datasets}
        return frozenset(d for d in index_datasets(index) if ftm_dataset_name(d) in wanted) | frozenset(datasets)

    @property
    def datasets(self) -> list[str]:
        if self.store is not None:
            return self.store.source_names()
        index = self._index
        return sorted({d for e in index.entities for d in e.datasets}) if index else []

    def check_datasets(self, names: Iterable[str]) -> None:
        """Every name must be a loaded list: an unknown one is a NotFoundError naming the loaded lists
        (a filter on a list that is not loaded would answer 'no match' for every query)."""
        wanted = list(names)
        if not wanted:
            return
        loaded = self.datasets
        if not loaded:
            raise IndexNotReadyError(
                "no sanctions lists are loaded: run `watchlist fetch` or `watchlist fetch --from PATH`"
            )
        # Either spelling names a dataset (`ofac-sdn` or FtM's `ofac_sdn`); so do the datasets that the
        # entities of an FtM file carry.
        known = {ftm_dataset_name(n) for n in [*loaded, *index_datasets(self.index)]}
        for name in wanted:
            if ftm_dataset_name(name) not in known:
                raise NotFoundError(f"no dataset {name!r}; loaded lists: {', '.join(loaded)}")

    @staticmethod
    def algorithms() -> list[Algorithm]:
        return list(ALGORITHMS.values())

    # -- list updates --------------------------------------------------------------

    def load_paths(self, paths: Sequence[Path], force: bool = False) -> list[LoadOutcome]:
        """Parse local list files or folders into the store (each list on its own), then swap in the new index."""
        from watchlist.sources import load_paths

        if self.store is None:
            raise IndexNotReadyError("this engine has no store to load lists into")
        outcomes = self.store.load_many(load_paths(paths), force=force)
        self.reload()
        return outcomes


_DATASETS_OF: dict[int, tuple[NameIndex, frozenset[str]]] = {}


def index_datasets(index: NameIndex) -> frozenset[str]:
    """Every dataset name the index's entities carry (kept for the last few indexes)."""
    cached = _DATASETS_OF.get(id(index))
    if cached is not None and cached[0] is index:
        return cached[1]
    names: frozenset[str] = frozenset().union(*index.entity_datasets) if index.entity_datasets else frozenset()
    if len(_DATASETS_OF) >= 4:
        _DATASETS_OF.clear()
    _DATASETS_OF[id(index)] = (index, names)
    return names


def links_path(index_path: Path) -> Path:
    """Where `Engine.save_index` keeps an index file's cross-list links."""
    return index_path.with_name(index_path.name + ".links")


def _threshold(threshold: float | None, scorer: Algorithm) -> float:
    checked = check_threshold(threshold)
    return scorer.THRESHOLD if checked is None else checked


def compare(name1: str, name2: str, schema: str | Schema | None = None, algorithm: str | None = None) -> MatchResult:
    """Score two names with no lists loaded (token weights from the bundled frequency table)."""
    query = Query.build(name1, schema=schema)
    return Engine(Settings()).compare(query, name2, schema=query.schema, algorithm=algorithm)
