"""What lowers a name score beyond coverage: the named penalties (a family name missed, different name
parts, a reversed lineage, legal forms of different kinds...), each a factor the scorer's weights give
and a reason its explanation says (match.logic_v1)."""

from __future__ import annotations

from typing import Final

from watchlist.match.algorithm import CandidateName, QueryForm
from watchlist.match.align import MIN_TOKEN_SIM, Alignment, pair_similarity
from watchlist.model import Schema
from watchlist.text.refdata import number_words
from watchlist.text.tokens import Token, TokenKind, legal_form_kinds

PERSON: Final = Schema.PERSON  # compiled, a static read (see logic_v1)
FIXED_NAMES: Final = (Schema.VESSEL, Schema.AIRCRAFT)  # a name that is one fixed string
ORGANISATIONS: Final = (Schema.ORGANIZATION, Schema.COMPANY, Schema.LEGAL_ENTITY)  # Schema.is_organization
NEAR_MISS: Final = 0.5  # two words this alike are one word mistyped, not a conflict

# The penalties a name comparison can carry: key -> the reason the explanation gives.
PENALTY_REASONS: Final = {
    "family_name_missed": "the listed family name is not in the query",
    "query_family_name_missed": "the query's family name is not in the listed name",
    "family_names_crossed": "each family name matches a given name of the other",
    "first_given_name_missed": "the listed first given name is not in the query",
    "names_conflict": "different name parts",
    "kin_names_conflict": "different names of a parent or child (after 'bin', 'abu')",
    "initials_conflict": "different initials",
    "lineage_reversed": "the names either side of 'bin' are swapped",
    "vessel_order_changed": "the words stand in another order",
    "vessel_number_missed": "a number is on one side only",
    "legal_forms_differ": "the legal forms make different kinds of company",
    "series_number_missed": "a number is in one organisation's name only",
}
NO_FORMS: Final[frozenset[str]] = frozenset()



def name_penalties(
    alignment: Alignment, query: tuple[Token, ...], candidate: CandidateName, schema: Schema,
    query_family: tuple[int, ...] = (), query_forms: frozenset[str] = NO_FORMS,
) -> list[tuple[str, str]]:
    """What lowers a name score beyond coverage: (penalty key, detail) for each that applies.
    `query_forms`: the kinds of company the query's legal forms make (text.tokens.legal_form_kinds)."""
    found: list[tuple[str, str]] = []
    listed_family_missed = _listed_family_missed(alignment, candidate)
    if listed_family_missed:
        found.append(("family_name_missed", ""))
    if query_family and not _family_matched(alignment, query_family):
        found.append(("query_family_name_missed", ""))
    elif query_family and not listed_family_missed and _family_names_crossed(alignment, query_family, candidate):
        found.append(("family_names_crossed", ""))
    if schema is PERSON and candidate.family and _first_given_name_missed(alignment, candidate):
        found.append(("first_given_name_missed", ""))
    conflict = _conflicting_words(query, alignment.query_matched, candidate.tokens, alignment.candidate_matched)
    if conflict and schema is PERSON and _kin_names_conflict(
        query, alignment.query_matched, candidate.tokens, alignment.candidate_matched
    ):
        found.append(("kin_names_conflict", conflict))
    elif conflict:
        found.append(("names_conflict", conflict))
    elif initials := _conflicting_initials(query, alignment.query_matched, candidate.tokens, alignment.candidate_matched):
        found.append(("initials_conflict", initials))
    if schema is PERSON and _lineage_reversed(alignment, query, candidate.tokens):
        found.append(("lineage_reversed", ""))
    if schema in FIXED_NAMES:
        # A vessel's name is a fixed string: 'STAR ORION' is not 'ORION STAR', 'SEA STAR III' not 'SEA STAR'.
        if alignment.crossed:
            found.append(("vessel_order_changed", ""))
        if _unmatched_number(query, alignment.query_matched) or _unmatched_number(
            candidate.tokens, alignment.candidate_matched
        ):
            found.append(("vessel_number_missed", ""))
        return found
    if schema in ORGANISATIONS and _series_number_missed(alignment, query, candidate.tokens):
        found.append(("series_number_missed", ""))
    if query_forms and schema is not PERSON:
        listed_forms = legal_form_kinds(candidate.value)
        if listed_forms and query_forms.isdisjoint(listed_forms):
            found.append(("legal_forms_differ", f"{'/'.join(sorted(query_forms))} / {'/'.join(sorted(listed_forms))}"))
    return found


def query_legal_forms(query: QueryForm, name: str) -> frozenset[str]:
    """The kinds of company one of the query's names says by its legal forms, where the query may name
    an organisation only (a person's name ending 'SA' or 'LLC' is no company: text.tokens)."""
    return legal_form_kinds(name) if query.kind == "org" else NO_FORMS


def _conflicting_words(
    query: tuple[Token, ...], query_matched: frozenset[int], candidate: tuple[Token, ...], candidate_matched: frozenset[int]
) -> str:
    """Each name has a word the other lacks, and the two are not near misses of each other: a
    different name part (Mohamed / Ahmed), not one left out or mistyped. Returns them, or ''."""
    left = [t for i, t in enumerate(query) if i not in query_matched and t.kind is WORD and len(t.text) > 1]
    if not left:
        return ""
    right = [t for i, t in enumerate(candidate) if i not in candidate_matched and t.kind is WORD and len(t.text) > 1]
    if not right or any(pair_similarity(a, b, False) >= NEAR_MISS for a in left for b in right):
        return ""
    return f"{' '.join(t.text for t in left)} / {' '.join(t.text for t in right)}"


def _conflicting_initials(
    query: tuple[Token, ...], query_matched: frozenset[int], candidate: tuple[Token, ...], candidate_matched: frozenset[int]
) -> str:
    """Each name has an initial the other lacks, and no two of them agree: 'William G. Frost' is not
    'William W. Frost'. An initial against a word proves nothing: romanisations begin one name with
    different letters ('Olga G.' for 'Olga Hermanovna', Г being G or H). Returns them, or ''."""
    left = [t for i, t in enumerate(query) if i not in query_matched and t.kind is WORD and len(t.text) == 1]
    right = [t for i, t in enumerate(candidate) if i not in candidate_matched and t.kind is WORD and len(t.text) == 1]
    if not left or not right or any(a.text == b.text for a in left for b in right):
        return ""
    return f"{' '.join(t.text for t in left)} / {' '.join(t.text for t in right)}"


def _listed_family_missed(alignment: Alignment, candidate: CandidateName) -> bool:
    """The listed family name is known and the query has none of it. A query word aligned with a
    given name spelled as the family name ('Ahmad Khalil KHALIL') may as well stand for that."""
    matched = alignment.candidate_matched
    if not candidate.family or matched.intersection(candidate.family):
        return False
    family = {candidate.tokens[i].fold for i in candidate.family}
    return not any(candidate.tokens[i].fold in family for i in matched)


def _family_matched(alignment: Alignment, query_family: tuple[int, ...]) -> bool:
    """Whether a query family-name token aligns with a listed word, and not only as a near miss."""
    family = set(query_family)
    return any(sim >= MIN_TOKEN_SIM and family.intersection(q) for sim, q, _ in alignment.links)


def _family_names_crossed(alignment: Alignment, query_family: tuple[int, ...], candidate: CandidateName) -> bool:
    """'CHO, Jong Mun' against 'MUN, Chong Chol': the same words, but each side's family name is a
    given name of the other. False when the listed family name is not known."""
    if not candidate.family:
        return False
    q_family, c_family = set(query_family), set(candidate.family)
    return not any(q_family.intersection(q) and c_family.intersection(c) for _, q, c in alignment.links)


def _first_given_name_missed(alignment: Alignment, candidate: CandidateName) -> bool:
    """'IBRAHIM, Ayman Ahmad' for 'Ibrahim Ahmad': a person is known by the first given name;
    a query that leaves it out and matches a later one more likely names a relative."""
    family = set(candidate.family)
    given = [i for i, t in enumerate(candidate.tokens) if i not in family and t.kind is WORD and len(t.text) > 1]
    matched = alignment.candidate_matched
    return len(given) >= 2 and given[0] not in matched and any(i in matched for i in given[1:])


WORD: Final = TokenKind.WORD  # a name word (not a particle, legal form or number); one letter is an initial
PARTICLE: Final = TokenKind.PARTICLE
_LINEAGE: Final = frozenset({"bin", "ibn", "ben", "bint", "binti", "ould"})
_KUNYA: Final = frozenset({"abu", "abou", "umm"})  # 'father of', 'mother of': a name taken from one's child


def _kin_names_conflict(
    query: tuple[Token, ...], query_matched: frozenset[int], candidate: tuple[Token, ...], candidate_matched: frozenset[int]
) -> bool:
    """Each name has a word the other lacks where it names a parent or a child: after 'bin' (son of)
    or 'abu' (father of). Two names there say two people of one family ('Noureddine ben Ali' is the
    brother of 'Noureddine ben Mohamed'), more surely than a different word anywhere else does."""
    return _kin_name_left(query, query_matched) and _kin_name_left(candidate, candidate_matched)


def _kin_name_left(tokens: tuple[Token, ...], matched: frozenset[int]) -> bool:
    """Whether a word not aligned follows 'bin' or 'abu', articles between ('abu el Hassan')."""
    for i, token in enumerate(tokens):
        if i in matched or token.kind is not WORD or len(token.text) < 2:
            continue
        before = i - 1
        while before >= 0 and tokens[before].kind is PARTICLE and tokens[before].text not in _LINEAGE:
            before -= 1
        if before >= 0 and (tokens[before].text in _LINEAGE or tokens[before].text in _KUNYA):
            return True
    return False


def _lineage_reversed(alignment: Alignment, query: tuple[Token, ...], candidate: tuple[Token, ...]) -> bool:
    """'Salman bin Muhammad' is not 'Muhammad bin Salman': around 'son of' the order of the two
    names says who is whose son, so the query may not swap them. The query must say so too, with
    its own 'son of' between them: 'bin Salman Mohammed' is the same name with its words moved."""
    query_position = {c[0]: q[0] for _, q, c in alignment.links if len(q) == 1 and len(c) == 1}
    for i in range(1, len(candidate) - 1):
        if candidate[i].text in _LINEAGE:
            before, after = query_position.get(i - 1), query_position.get(i + 1)
            if before is not None and after is not None and before > after and any(
                t.text in _LINEAGE for t in query[after + 1 : before]
            ):
                return True
    return False


_ROMAN: Final = number_words().roman  # 'ii', 'xiv'; 'i', 'v', 'x' are initials


def _series_number_missed(alignment: Alignment, query: tuple[Token, ...], candidate: tuple[Token, ...]) -> bool:
    """One organisation's name carries a number (or a Roman one) the other lacks, and the other none
    it lacks: a number added to a name names another of a series ('Solutions II', a successor; 'Fund
    3'). Two numbers that differ are weighed as any two words that do: one may be the other mistyped."""
    return _unmatched_ordinal(query, alignment.query_matched) != _unmatched_ordinal(
        candidate, alignment.candidate_matched
    )


def _unmatched_ordinal(tokens: tuple[Token, ...], matched: frozenset[int]) -> bool:
    return any(
        i not in matched and (
            t.kind is TokenKind.NUMBER or (t.kind is WORD and t.text in _ROMAN)
        )
        for i, t in enumerate(tokens)
    )


def _unmatched_number(tokens: tuple[Token, ...], matched: frozenset[int]) -> bool:
    return any(t.kind is TokenKind.NUMBER and i not in matched for i, t in enumerate(tokens))
