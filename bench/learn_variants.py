"""Learn spelling equivalences from the real-variant development part, in place of hand-written tables.

    python bench/learn_variants.py [--write]

For every linked pair of the development part (`mine_variants.py`: one party as two lists write it),
each name of one record is aligned with the best-aligned name of the other; every pair of words aligned
but spelled differently (Viktor/Viktar, Gennadievich/Gennadyevich, Natallya/Natallia) is taken apart
into its differing letter segments (rapidfuzz's edit opcodes over the folded forms: y/i, a/o, ie/ye).
The same is done for the words the matcher aligns between a query and the listed parties it is *not*
(the other candidates v1 finds). A segment pair is kept as a spelling equivalence when it is seen in at
least MIN_PAIRS distinct word pairs of the same party, and in at most MAX_NEGATIVE_SHARE of all its
sightings across different parties. Writes src/watchlist/data/spelling_variants.yaml with `--write`.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

from rapidfuzz.distance import Levenshtein

sys.path.insert(0, str(Path(__file__).resolve().parent))

from mine_variants import SOURCES, load
from real_variants import cases, query_names

from watchlist.engine import Engine
from watchlist.match.algorithm import QueryForm
from watchlist.match.types import Query
from watchlist.text.tokens import Token

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "src" / "watchlist" / "data" / "spelling_variants.yaml"
MIN_PAIRS = 2  # distinct word pairs of one party showing the segment pair
MAX_NEGATIVE_SHARE = 0.34  # of its sightings, at most this share between different parties
MAX_SEGMENT = 3  # letters on either side of a learned segment pair
NEGATIVES_PER_QUERY = 5


def segments(a: str, b: str) -> list[tuple[str, str]]:
    """The differing segments of two spellings, each as an unordered pair ('' for a letter left out)."""
    out = []
    for tag, i1, i2, j1, j2 in Levenshtein.opcodes(a, b):
        if tag != "equal":
            x, y = a[i1:i2], b[j1:j2]
            out.append((x, y) if x <= y else (y, x))
    return out


def aligned_words(form: QueryForm, engine: Engine, entity_id: str) -> set[tuple[str, str]]:
    """The folded word pairs aligned, spelled differently, between the query and the entity's best name."""
    index = engine.index
    entity_pos = index.by_id[entity_id]
    names = engine.candidates(form).get(entity_pos, [])
    best: tuple[float, set[tuple[str, str]]] = (-1.0, set())
    for _, aligner in form.aligners(index):
        for candidate in names:
            alignment = aligner.align(candidate.tokens, candidate.weights)
            score = alignment.query_coverage * alignment.candidate_coverage
            if score > best[0]:
                best = (score, _word_pairs(alignment.links, aligner.query, candidate.tokens))
    return best[1]


def _word_pairs(links: list[tuple[float, tuple[int, ...], tuple[int, ...]]], query: tuple[Token, ...],
                candidate: tuple[Token, ...]) -> set[tuple[str, str]]:
    pairs = set()
    for _, q_positions, c_positions in links:
        if len(q_positions) == 1 and len(c_positions) == 1:
            a, b = query[q_positions[0]].fold, candidate[c_positions[0]].fold
            if a != b and min(len(a), len(b)) >= 3:
                pairs.add((a, b) if a <= b else (b, a))
    return pairs


def learn() -> dict[tuple[str, str], tuple[int, int]]:
    engines = {name: Engine.from_entities(load(path)) for name, path in SOURCES.items()}
    same: set[tuple[str, str]] = set()
    different: set[tuple[str, str]] = set()
    for query_entity, target, _ in cases("dev"):
        engine = engines[next(name for name in engines if name in target.datasets)]
        for name in query_names(query_entity):
            query = Query.build(name, schema=query_entity.schema)
            form = QueryForm.of(query)
            if not form.names:
                continue
            same |= aligned_words(form, engine, target.id)
            for hit in engine.screen(query, algorithm="watchlist-v1", limit=NEGATIVES_PER_QUERY, min_score=0.3):
                if hit.entity.id != target.id:
                    different |= aligned_words(form, engine, hit.entity.id)
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for side, pairs in ((0, same), (1, different - same)):
        for a, b in pairs:
            for segment in set(segments(a, b)):
                counts[segment][side] += 1
    return {k: (v[0], v[1]) for k, v in counts.items()}


def kept(counts: dict[tuple[str, str], tuple[int, int]]) -> list[tuple[str, str, int, int]]:
    out = []
    for (x, y), (positive, negative) in counts.items():
        if max(len(x), len(y)) > MAX_SEGMENT or positive < MIN_PAIRS:
            continue
        if negative / (positive + negative) <= MAX_NEGATIVE_SHARE:
            out.append((x, y, positive, negative))
    return sorted(out, key=lambda r: (-r[2], r[0], r[1]))


def write(rules: list[tuple[str, str, int, int]]) -> None:
    lines = [
        "# Spelling equivalences learned by bench/learn_variants.py from the real-variant development part:",
        "# letter segments that differ between two lists' spellings of one party's name. Each row:",
        "# [segment, segment, word pairs of one party, word pairs of different parties]. Regenerate; do",
        "# not edit by hand. An empty segment is a letter one spelling leaves out.",
        "variants:",
    ]
    lines += [f"  - [{x!r}, {y!r}, {p}, {n}]".replace("'", '"') for x, y, p, n in rules]
    OUTPUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(rules)} equivalences to {OUTPUT}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    rules = kept(learn())
    for x, y, positive, negative in rules:
        print(f"{x or '-':>4} ~ {y or '-':<4} same party {positive:4d}, different {negative:4d}")
    if args.write:
        write(rules)


if __name__ == "__main__":
    main()
