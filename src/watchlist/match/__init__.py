"""Pair scoring: how alike a query and a listed party are, and why.

Token alignment (`align`) with learned spelling equivalences (`variants`), attribute evidence
(`features`: birth dates, countries, identifiers, schemata; the one comparison module every interface
uses), the named scorers (`logic_v1`, `logic_v2` with its fitted numbers in `evidence` and
data/scorer-v2.yaml, `ofac`) registered in `registry`, and what they take (`algorithm`, `candidates`).
"""
