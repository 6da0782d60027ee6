"""Legal forms of different kinds part two companies (names.yaml legal_form_kinds): a company of
shares is not one of limited liability nor a partnership ('X AG' / 'X GmbH', 'X, Inc.' / 'X, L.P.').
A form however it is spelled is of one kind; forms that say only 'company' (Co., Ltd) differ from none.

The names are of the kinds the lists and screening queries hold, not rows of an evaluation set.
"""

from __future__ import annotations

import pytest
from tests.conftest import penalty_keys

from watchlist import compare
from watchlist.model import Schema
from watchlist.text.tokens import legal_form_kinds


def _penalties(query: str, listed: str, schema: Schema = Schema.COMPANY) -> list[str]:
    return penalty_keys(query, listed, schema, legal_forms=True)


@pytest.mark.parametrize(("name", "kind"), [
    ("Nordwind Logistik AG", "shares"),
    ("Nordwind Logistik Aktiengesellschaft", "shares"),
    ("Open Joint Stock Company Nordwind", "shares"),
    ("Harwick Freight, Inc.", "shares"),
    ("Nordwind Logistik GmbH", "limited_liability"),
    ("Nordwind Logistik G.m.b.H.", "limited_liability"),
    ("Limited Liability Company Nordwind", "limited_liability"),
    ("ООО Нордвинд", "limited_liability"),
    ("Harwick Freight, L.P.", "partnership"),
])
def test_a_legal_form_is_of_one_kind_however_spelled(name: str, kind: str) -> None:
    assert legal_form_kinds(name) == {kind}


@pytest.mark.parametrize("name", ["Nordwind Logistik", "Nordwind Logistik Co., Ltd.", "Nordwind Logistik Limited"])
def test_a_name_without_a_telling_legal_form_has_no_kind(name: str) -> None:
    assert legal_form_kinds(name) == frozenset()


def test_legal_forms_of_different_kinds_are_penalised() -> None:
    assert "legal_forms_differ" in _penalties("Nordwind Logistik AG", "Nordwind Logistik GmbH")
    assert "legal_forms_differ" in _penalties("Harwick Freight Solutions, Inc.", "Harwick Freight Enterprises, L.P.")


@pytest.mark.parametrize(("query", "listed"), [
    ("Nordwind Logistik OAO", "Nordwind Logistik JSC"),  # one kind, two spellings
    ("Nordwind Logistik LLC", "OOO Nordwind Logistik"),
    ("Nordwind Logistik Ltd", "Nordwind Logistik AG"),  # Ltd says only 'company'
    ("Nordwind Logistik", "Nordwind Logistik GmbH"),  # a form on one side only
])
def test_legal_forms_of_one_kind_or_none_are_not_penalised(query: str, listed: str) -> None:
    assert "legal_forms_differ" not in _penalties(query, listed)


def test_a_different_kind_of_company_parts_names_that_also_differ_in_a_word() -> None:
    assert compare("Harwick Freight Solutions, Inc.", "Harwick Freight Enterprises, Inc.", "Company").match
    assert not compare("Harwick Freight Solutions, Inc.", "Harwick Freight Enterprises, L.P.", "Company").match


def test_a_different_kind_of_company_alone_does_not_part_names_that_agree_wholly() -> None:
    # Lists record one company before and after it changed its form ('LLC X BANK' / 'X BANK JSC').
    assert compare("Nordwind Logistik AG", "Nordwind Logistik GmbH", "Company").match


def test_only_an_organisation_is_weighed_by_its_legal_form() -> None:
    assert "legal_forms_differ" not in _penalties("Anna Berg AG", "Anna Berg GmbH", Schema.PERSON)
