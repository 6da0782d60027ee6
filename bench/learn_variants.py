"""Learn spelling equivalences from the real-variant development part, in place of hand-written tables.

    python bench/learn_variants.py [--write]

For every linked pair of the development part (`mine_variants.py`: one party as two lists write it),
each name of one record is aligned with the best-aligned name of the other; every pair of words aligned
but spelled differently (Viktor/Viktar, Gennadievich/Gennadyevich, Natallya/Natallia) is taken apart
into its differing letter segments (rapidfuzz's edit opcodes over the folded forms: y/i, a/o, ie/ye).
The same is done for the words the matcher aligns between a query and the listed parties it is *not*
(the other candidates v1 finds). A segment pair is kept as a spelling equivalence when it is seen in at
least MIN_PAIRS distinct word pairs of the same party, and in at most MAX_NEGATIVE_SHARE of all its
sightings across different parties.

Whole words are learned too: where the alignment of two names of one party leaves one (or two) words
unaligned on each side, those are paired, the more alike together (Hryhorovych / Grigorievich, Igor /
Ihar). The two names are a linked pair's, as above, or any two names one record gives (its aliases:
every record of the three lists but the test part's parties and the UN list's). A pair is kept when
MIN_WORD_PARTIES parties show it and no alignment of different parties does (a record's first name
against the other parties v1 finds for it). Writes src/watchlist/data/spelling_variants.yaml with `--write`.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from pathlib import Path

from rapidfuzz.distance import Levenshtein

sys.path.insert(0, str(Path(__file__).resolve().parent))

from mine_variants import SOURCES, load, mine, mine_un_check, parties, split_of
from real_variants import cases, query_names

from watchlist.engine import Engine
from watchlist.match.algorithm import QueryForm
from watchlist.match.align import QueryAligner
from watchlist.match.types import Query
from watchlist.match.variants import differences, whole
from watchlist.model import Entity
from watchlist.text.tokens import Token, TokenKind, schema_kind, tokenize_name

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "src" / "watchlist" / "data" / "spelling_variants.yaml"
MIN_PAIRS = 2  # distinct word pairs of one party showing the segment pair
MAX_NEGATIVE_SHARE = 0.34  # of its sightings, at most this share between different parties
MIN_WORD_PARTIES = 3  # parties whose records show a word pair before it is an equivalence
MAX_SEGMENT = 3  # letters on either side of a learned segment pair
NEGATIVES_PER_QUERY = 5
MIN_ALIAS_COVERAGE = 0.5  # an alias pair whose words align less than this is another name, not a spelling


def segments(a: str, b: str) -> list[tuple[str, str]]:
    """The differing segments of two spellings, each as an unordered pair ('' for a letter left out):
    each edit, and each run of adjacent edits read whole (match.variants.differences)."""
    out = []
    for run in differences(a, b):
        out.extend(run)
        if len(run) > 1:
            out.append(whole(run))
    return out


def aligned_words(form: QueryForm, engine: Engine, entity_id: str) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """Between the query and the entity's best-aligned name: the folded word pairs aligned but spelled
    differently, and the words left unaligned on both sides, paired in order where each side leaves
    the same number (one or two) of them (Hryhorovych / Grigorievich)."""
    index = engine.index
    entity_pos = index.by_id[entity_id]
    names = engine.candidates(form).get(entity_pos, [])
    best: tuple[float, set[tuple[str, str]], set[tuple[str, str]]] = (-1.0, set(), set())
    for _, aligner in form.aligners(index):
        for candidate in names:
            alignment = aligner.align(candidate.tokens, candidate.weights)
            score = alignment.query_coverage * alignment.candidate_coverage
            if score > best[0]:
                best = (score, _word_pairs(alignment.links, aligner.query, candidate.tokens),
                        _unaligned_pairs(aligner.query, alignment.query_matched, candidate.tokens,
                                         alignment.candidate_matched))
    return best[1], best[2]


def _unaligned_pairs(query: tuple[Token, ...], query_matched: frozenset[int], candidate: tuple[Token, ...],
                     candidate_matched: frozenset[int]) -> set[tuple[str, str]]:
    left = [t.fold for i, t in enumerate(query) if i not in query_matched and t.kind is TokenKind.WORD and len(t.fold) >= 3]
    right = [t.fold for i, t in enumerate(candidate)
             if i not in candidate_matched and t.kind is TokenKind.WORD and len(t.fold) >= 3]
    if not left or len(left) != len(right) or len(left) > 2:
        return set()
    if len(left) == 2 and _likeness(left, right[::-1]) > _likeness(left, right):
        right = right[::-1]  # the order the two names write them in differs (SURNAME, Given)
    return {(a, b) if a <= b else (b, a) for a, b in zip(left, right, strict=True) if a != b}


def _likeness(left: list[str], right: list[str]) -> float:
    return sum(Levenshtein.normalized_similarity(a, b) for a, b in zip(left, right, strict=True))


def _word_pairs(links: list[tuple[float, tuple[int, ...], tuple[int, ...]]], query: tuple[Token, ...],
                candidate: tuple[Token, ...]) -> set[tuple[str, str]]:
    pairs = set()
    for _, q_positions, c_positions in links:
        if len(q_positions) == 1 and len(c_positions) == 1:
            a, b = query[q_positions[0]].fold, candidate[c_positions[0]].fold
            if a != b and min(len(a), len(b)) >= 3:
                pairs.add((a, b) if a <= b else (b, a))
    return pairs


def held_out_ids() -> tuple[set[str], dict[str, str]]:
    """Records whose own names must not teach (the test part's parties and every party on the UN
    list), and the party of each linked record (its records on two lists are one party, not two)."""
    links = mine()
    party = parties(links)
    test = {i for a, _, _ in links if split_of(party[a.id]) == "test" for i in party[a.id]}
    held_out = test | {e.id for a, b, _ in mine_un_check() for e in (a, b)}
    return held_out, {i: min(members) for i, members in party.items()}


def alias_pairs(entity: Entity, engine: Engine) -> set[tuple[str, str]]:
    """The words left unaligned, paired, between every two names of one record: the words one list
    writes for one another in one party's aliases (Alexander Ryhorovich LUKASHENKO a.k.a. Alexander
    Grigorievich LUKASHENKO)."""
    kind = schema_kind(entity.schema)
    names = [tokens for name in query_names(entity) if (tokens := tokenize_name(name, kind))]
    pairs: set[tuple[str, str]] = set()
    for i, first in enumerate(names[:-1]):
        aligner = QueryAligner(first, engine.index)
        for tokens in names[i + 1:]:
            alignment = aligner.align(tokens)
            if min(alignment.query_coverage, alignment.candidate_coverage) >= MIN_ALIAS_COVERAGE:
                pairs |= _unaligned_pairs(first, alignment.query_matched, tokens, alignment.candidate_matched)
    return pairs


def learn_from_aliases(
    engines: dict[str, Engine], held_out: set[str], party_of: dict[str, str],
    words_same: dict[tuple[str, str], set[str]], words_different: Counter[tuple[str, str]],
) -> None:
    """Word pairs from the aliases of every record that may teach, and from its first name against the
    other parties it resembles (the negatives)."""
    for engine in engines.values():
        for entity in engine.index.entities:
            if entity.id in held_out or any(v.strip() for v in entity.extra_values("unReference")):
                continue
            unaligned = alias_pairs(entity, engine)
            if not unaligned:
                continue
            for pair in unaligned:
                words_same[pair].add(party_of.get(entity.id, entity.id))
            query = Query.build(query_names(entity)[0], schema=entity.schema)
            form = QueryForm.of(query)
            for hit in engine.screen(query, algorithm="watchlist-v1", limit=NEGATIVES_PER_QUERY, min_score=0.3):
                if hit.entity.id != entity.id:
                    words_different.update(aligned_words(form, engine, hit.entity.id)[1])


def learn() -> tuple[dict[tuple[str, str], tuple[int, int]], dict[tuple[str, str], tuple[int, int]]]:
    """Letter segments and whole words: how often each pair is seen within one party and across two."""
    engines = {name: Engine.from_entities(load(path)) for name, path in SOURCES.items()}
    held_out, party_of = held_out_ids()
    same: set[tuple[str, str]] = set()
    different: set[tuple[str, str]] = set()
    words_same: dict[tuple[str, str], set[str]] = defaultdict(set)  # word pair -> the parties showing it
    words_different: Counter[tuple[str, str]] = Counter()
    for query_entity, target, _ in cases("dev"):
        engine = engines[next(name for name in engines if name in target.datasets)]
        for name in query_names(query_entity):
            query = Query.build(name, schema=query_entity.schema)
            form = QueryForm.of(query)
            if not form.names:
                continue
            aligned, unaligned = aligned_words(form, engine, target.id)
            same |= aligned
            for pair in unaligned:
                words_same[pair].add(party_of.get(target.id, target.id))
            for hit in engine.screen(query, algorithm="watchlist-v1", limit=NEGATIVES_PER_QUERY, min_score=0.3):
                if hit.entity.id != target.id:
                    aligned, unaligned = aligned_words(form, engine, hit.entity.id)
                    different |= aligned
                    words_different.update(unaligned)
    learn_from_aliases(engines, held_out, party_of, words_same, words_different)
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for side, pairs in ((0, same), (1, different - same)):
        for a, b in pairs:
            for segment in set(segments(a, b)):
                counts[segment][side] += 1
    words = {pair: (len(showing), words_different[pair]) for pair, showing in words_same.items()}
    return {k: (v[0], v[1]) for k, v in counts.items()}, words


def kept_words(counts: dict[tuple[str, str], tuple[int, int]]) -> list[tuple[str, str, int, int]]:
    """Word pairs one party's records show in MIN_WORD_PARTIES parties or more, and no two parties do."""
    out = [(a, b, p, n) for (a, b), (p, n) in counts.items() if p >= MIN_WORD_PARTIES and n == 0]
    return sorted(out, key=lambda r: (-r[2], r[0], r[1]))


def kept(counts: dict[tuple[str, str], tuple[int, int]]) -> list[tuple[str, str, int, int]]:
    out = []
    for (x, y), (positive, negative) in counts.items():
        if max(len(x), len(y)) > MAX_SEGMENT or positive < MIN_PAIRS:
            continue
        if negative / (positive + negative) <= MAX_NEGATIVE_SHARE:
            out.append((x, y, positive, negative))
    return sorted(out, key=lambda r: (-r[2], r[0], r[1]))


def write(rules: list[tuple[str, str, int, int]], words: list[tuple[str, str, int, int]]) -> None:
    lines = [
        "# Spelling equivalences learned by bench/learn_variants.py from the real-variant development part:",
        "# letter segments that differ between two lists' spellings of one party's name. Each row:",
        "# [segment, segment, word pairs of one party, word pairs of different parties]. Regenerate; do",
        "# not edit by hand. An empty segment is a letter one spelling leaves out.",
        "variants:",
    ]
    lines += [f"  - [{x!r}, {y!r}, {p}, {n}]".replace("'", '"') for x, y, p, n in rules]
    lines += [
        "# Whole words (folded) that one party's records write for one another but no aligner joins",
        "# (Hryhorovych / Grigorievich): [word, word, parties showing the pair, 0].",
        "words:",
    ]
    lines += [f"  - [{x!r}, {y!r}, {p}, {n}]".replace("'", '"') for x, y, p, n in words]
    OUTPUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(rules)} letter equivalences and {len(words)} word equivalences to {OUTPUT}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    segment_counts, word_counts = learn()
    rules, words = kept(segment_counts), kept_words(word_counts)
    for x, y, positive, negative in rules:
        print(f"{x or '-':>4} ~ {y or '-':<4} same party {positive:4d}, different {negative:4d}")
    for x, y, showing, _ in words:
        print(f"{x} ~ {y}: {showing} parties")
    if args.write:
        write(rules, words)


if __name__ == "__main__":
    main()
