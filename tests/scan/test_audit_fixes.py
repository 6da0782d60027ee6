"""Causes found by the outside-in audit on new documents (bills of lading, ISO 20022 and SWIFT messages,
crew lists, Russian addresses, Korean reports): each test describes a class of wording, not a document."""

from __future__ import annotations

import pytest
from tests.conftest import make_entity

from watchlist.engine import Engine
from watchlist.model import Entity, Schema
from watchlist.scan import Scanner
from watchlist.scan.parties import PartyMention, resolve
from watchlist.scan.places import load_places
from watchlist.scan.runs import fielded
from watchlist.scan.text import Sentences


@pytest.fixture(scope="module")
def scanner() -> Scanner:
    return Scanner(Engine.from_entities([
        make_entity("t-mizan", "MIZAN MACHINERY MANUFACTURING", Schema.ORGANIZATION, aliases=("3M", "3MG"),
                    programs=("IRAN",)),
        make_entity("t-shahr", "BANK-E SHAHR", Schema.ORGANIZATION, programs=("IRAN",)),
        make_entity("t-cnnc", "CHINA NATIONAL NUCLEAR CORPORATION", Schema.ORGANIZATION, aliases=("CNC",)),
        make_entity("t-koryo", "KORYO BANK", Schema.ORGANIZATION, programs=("DPRK",)),
        make_entity("t-kcdb", "KORYO CREDIT DEVELOPMENT BANK", Schema.ORGANIZATION,
                    aliases=("DAESONG CREDIT DEVELOPMENT BANK",), programs=("DPRK",)),
        make_entity("t-kimcholnam", "KIM CHOL NAM", programs=("DPRK",), birth_dates=("1970-02-19",)),
        make_entity("t-rungrado", "KOREA RUNGRADO GENERAL TRADING CORPORATION", Schema.ORGANIZATION, aliases=("RYNRADO",),
                    programs=("DPRK",)),
        make_entity("t-namgang", "NAMGANG CONSTRUCTION", Schema.ORGANIZATION, programs=("DPRK",)),
    ]))


def ids(scanner: Scanner, text: str) -> list[str]:
    return sorted({p.entity.id for p in scanner.scan(text).parties})


# -- parties ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "The customer asked us to confirm a USD 2.3m export of machining centres.",  # decimals of an amount
    "Number of original Bs/L: THREE (3)",  # a number word alone
    "<IntrBkSttlmAmt Ccy=\"RUB\">100.00</IntrBkSttlmAmt>\n<ChrgBr>SHAR</ChrgBr>",  # an ISO 20022 code
    "an export of five-axis CNC machining centres and spare spindles",  # a word of the trade
])
def test_numbers_codes_and_trade_words_name_no_party(scanner: Scanner, text: str) -> None:
    assert ids(scanner, text) == []


def test_a_listed_acronym_or_word_spelt_as_listed_is_still_found(scanner: Scanner) -> None:
    assert ids(scanner, "a labour contract signed with Rynrado last spring") == ["t-rungrado"]


def test_a_swift_field_line_ends_the_name(scanner: Scanner) -> None:
    message = (":20:CV24031500871\n:32A:240315USD126400,\n:52D:DAESONG CREDIT DEVELOPMENT BANK\n"
               "KORYO HOTEL ANNEX\nPYONGYANG\n:57A:BKCHHKHH\n")
    assert fielded(message)
    assert ids(scanner, message) == ["t-kcdb"]
    assert not fielded("An email that quotes one field :20: and nothing else.")


def test_a_namesake_dated_otherwise_in_a_crew_list_is_no_party(scanner: Scanner) -> None:
    crew = ("No.  Family name, given names   Rank     Date of birth\n"
            "1    KIM, CHOL NAM              Master   12.03.1971\n\n"
            "Date and signature by master: 22.08.2024  KIM CHOL NAM\n")
    assert ids(scanner, crew) == []
    listed = crew.replace("12.03.1971", "19.02.1970")
    assert ids(scanner, listed) == ["t-kimcholnam"]
    assert ids(scanner, "The master, KIM CHOL NAM, signed the manifest.") == ["t-kimcholnam"]
    assert ids(scanner, "KIM CHOL NAM was designated on 02.06.2009 for arms sales.") == ["t-kimcholnam"]
    assert ids(scanner, "KIM CHOL NAM (born 12 March 1971) runs a shop in Dandong.") == []


@pytest.mark.parametrize("text, expected", [
    ("보고서는 파견을 주도한 기관으로 조선릉라도무역총회사와 남강건설을 지목했다.", ["t-namgang", "t-rungrado"]),
    ("남강건설 노동자들은 하루 14시간 일했다.", ["t-namgang"]),
])
def test_korean_company_names_are_read_as_the_lists_write_them(scanner: Scanner, text: str,
                                                               expected: list[str]) -> None:
    assert ids(scanner, text) == expected


def test_korean_words_of_a_company_kind_alone_name_no_party(scanner: Scanner) -> None:
    assert ids(scanner, "현지 무역회사와 건설회사가 계약을 맺었다.") == []


# -- places and sentences --------------------------------------------------------------------------

def codes(text: str) -> list[str]:
    return [m.place.code for m in load_places().find(text) if m.place.reported]


@pytest.mark.parametrize("text", [
    "Адрес продавца: 115093, г. Москва, ул. Донецкая, д. 30, корп. 1",
    "Грузополучатель: склад покупателя, г. Москва, Луганская ул., д. 5",
    "Адрес покупателя: 119049, г. Москва, ул. Крымский Вал, д. 3",
    "вул. Кримська, 12, м. Київ",
    "The office is at 14 Sevastopol Street, Sydney.",
    "a new batch of Syrian hamsters for the laboratory",
    "the Cuban rumba evening moved to Friday",
])
def test_a_place_word_naming_a_street_dish_dance_or_breed_is_no_place(text: str) -> None:
    assert codes(text) == []


@pytest.mark.parametrize("text, code", [
    ("г. Донецк, ул. Артёма, 15", "UA-14"),
    ("Simferopol, ul. Kievskaya 41", "UA-43"),
    ("exports of Syrian phosphate", "SY"),
])
def test_a_place_next_to_an_address_is_still_the_place(text: str, code: str) -> None:
    assert codes(text) == [code]


def test_marks_and_nos_does_not_end_a_sentence() -> None:
    text = "Marks & Nos.      Description of Goods\nN/M   GASOIL IN BULK\n\nShipped on board."
    assert len(Sentences.split(text)) == 2


# -- names a Russian or Ukrainian text translates, and trade names the lists quote ------------------

@pytest.fixture(scope="module")
def ports() -> Scanner:
    return Scanner(Engine.from_entities([
        make_entity("t-kerch", "STATE ENTERPRISE KERCH SEA COMMERCIAL PORT", Schema.ORGANIZATION,
                    aliases=("KERCH COMMERCIAL SEAPORT",), programs=("UKRAINE-EO13685",)),
        make_entity("t-crimeanports", "STATE UNITARY ENTERPRISE OF THE CRIMEAN REPUBLIC 'CRIMEAN SEA PORTS'",
                    Schema.ORGANIZATION, programs=("UKRAINE-EO13685",)),
        make_entity("t-sevport", "SEVASTOPOL SEA PORT", Schema.ORGANIZATION, programs=("UKRAINE-EO13685",)),
        make_entity("t-railway", "CRIMEAN RAILWAY", Schema.ORGANIZATION, programs=("UKRAINE-EO13685",)),
        make_entity("t-optical", "SUE RC 'FEODOSIA OPTICAL PLANT'", Schema.ORGANIZATION, programs=("UKRAINE-EO13685",)),
    ]))


@pytest.mark.parametrize("text, expected", [
    ("суховантажі перед заходом до Керченського морського торговельного порту вимикали АІС", ["t-kerch"]),
    ("Оператором виступає ДУП «Кримські морські порти», яке перебуває під санкціями.", ["t-crimeanports"]),
    ("контракт с ГУП «Севастопольский морской порт» расторгнут", ["t-sevport"]),
    ("The operator is Crimean Sea Ports, a state enterprise.", ["t-crimeanports"]),  # the quoted trade name
    ("ФГУП «Крымская железная дорога» закупила 40 вагонов.", ["t-railway"]),  # железная дорога = Railway
    ("Фирма поставила оборудование Феодосийскому оптическому заводу.", ["t-optical"]),
])
def test_translated_and_quoted_organisation_names_are_found(ports: Scanner, text: str, expected: list[str]) -> None:
    assert ids(ports, text) == expected


@pytest.mark.parametrize("text", [
    "Порт Керчі приймав судна під іноземними прапорами.",  # the port of a place, no listed name
    "Иван Банков работает в порту.",  # a surname that starts like an organisation word
])
def test_organisation_words_alone_name_no_port(ports: Scanner, text: str) -> None:
    assert ids(ports, text) == []


@pytest.fixture(scope="module")
def banks() -> Scanner:
    return Scanner(Engine.from_entities([
        make_entity("t-rncb", "RUSSIAN NATIONAL COMMERCIAL BANK", Schema.ORGANIZATION, aliases=("RNKB OAO",),
                    programs=("UKRAINE-EO13685",)),
        make_entity("t-daesong", "KOREA DAESONG BANK", Schema.ORGANIZATION, aliases=("TAESONG BANK",),
                    programs=("DPRK",)),
    ]))


def test_a_kind_word_another_listed_name_of_the_party_has_may_stand_beside_its_acronym(banks: Scanner) -> None:
    assert ids(banks, "The beneficiary's bank is RNKB Bank PAO, Simferopol.") == ["t-rncb"]


@pytest.mark.parametrize("text", ["Its agent, Taesong Logistics, is a Malaysian forwarder.",
                                  "shares in RNKB Holdings were sold"])
def test_a_word_no_listed_name_of_the_party_has_keeps_the_mention_apart(banks: Scanner, text: str) -> None:
    assert ids(banks, text) == []


def test_on_one_span_a_party_the_words_fit_clearly_worse_gives_way() -> None:
    koryo = make_entity("t-koryo", "KORYO BANK", Schema.ORGANIZATION)
    commercial = make_entity("t-kcb", "KORYO COMMERCIAL BANK LTD.", Schema.ORGANIZATION)
    uk = make_entity("uk-koryo", "KORYO BANK", Schema.ORGANIZATION)

    def at_one_span(*found: tuple[Entity, float, tuple[str, ...]]) -> list[str]:
        mentions = [PartyMention(e, 13, 23, "Koryo Bank", score, e.caption, referents=refs) for e, score, refs in found]
        return sorted(m.entity.id for m in resolve(mentions))

    assert at_one_span((koryo, 0.95, ()), (commercial, 0.76, ())) == ["t-koryo"]
    assert at_one_span((koryo, 0.95, ()), (commercial, 0.9, ())) == ["t-kcb", "t-koryo"]  # as good: both
    same_party = ("t-koryo", "uk-koryo")
    assert at_one_span((koryo, 0.95, same_party), (uk, 0.7, same_party)) == ["t-koryo", "uk-koryo"]


@pytest.mark.parametrize("hidden", ["\u200b", "\u00ad", "\u200c", "\u2060", "\ufeff", "\u200e"])
def test_a_character_that_prints_as_nothing_inside_a_name_hides_no_party(scanner: Scanner, hidden: str) -> None:
    text = f"Payment by Kim Chol Na{hidden}m through Kor{hidden}yo Bank in Pyongyang."
    report = scanner.scan(text)
    assert {p.entity.id for p in report.parties} == {"t-kimcholnam", "t-koryo"}
    assert report.text == "Payment by Kim Chol Nam through Koryo Bank in Pyongyang."
    assert report.notes[-1].startswith("2 invisible characters")
    assert {report.text[p.start:p.end] for p in report.parties} == {"Kim Chol Nam", "Koryo Bank"}


def test_a_name_mentioned_many_times_is_dated_once_per_place_not_once_per_pair(
    scanner: Scanner, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each mention looked up every place the name stands: 2,000 mentions of one name made 4 million line
    reads (minutes); now each place is read once."""
    from watchlist.scan import namesakes

    reads = 0
    read = namesakes.birth_years_on_line

    def counted(text: str, start: int, end: int) -> set[str]:
        nonlocal reads
        reads += 1
        return read(text, start, end)

    monkeypatch.setattr(namesakes, "birth_years_on_line", counted)
    report = scanner.scan("\n".join(["Crew: Kim Chol Nam"] * 200))
    assert [p.entity.id for p in report.parties] == ["t-kimcholnam"] * 200
    assert reads == 200
