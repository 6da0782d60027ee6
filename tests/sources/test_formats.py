"""Format detection, the hand-written fixtures (EU, OFAC XML, FCDO), and bad input."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from watchlist.errors import SourceError
from watchlist.model import IdType, NameKind, Schema
from watchlist.sources import SOURCE_URLS, load_paths
from watchlist.sources.xlsx import read_rows, read_rows_openpyxl

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "sources"
LISTS = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "lists"


def _one(path: Path):  # type: ignore[no-untyped-def]
    (parsed,) = load_paths([path])
    return parsed, {e.id: e for e in parsed.entities()}


def test_source_urls() -> None:
    assert set(SOURCE_URLS) == {"un", "ofac-sdn", "ofac-cons", "eu", "uk"}
    assert all(url.startswith("https://") for url in SOURCE_URLS.values())


@pytest.mark.parametrize("name", ["eu_fsf_1_1.xml", "eu_fsf_1_1.csv"])
def test_eu(name: str) -> None:
    parsed, entities = _one(FIXTURES / name)
    assert parsed.source == "eu" and parsed.format == ("eu-xml" if name.endswith("xml") else "eu-csv")
    assert parsed.published and parsed.published.startswith("2024-05-31")
    saddam = entities["eu-13"]
    assert saddam.schema is Schema.PERSON and saddam.caption == "Saddam Hussein Al-Tikriti"
    assert saddam.birth_dates == ("1937-04-28", "1936/1938")
    assert saddam.nationalities == ("iq",)
    assert saddam.identifier_values(IdType.PASSPORT) == ("M0001234",)
    assert saddam.programs == ("IRQ",)
    tobacco = entities["eu-139551"]
    assert tobacco.schema is Schema.ORGANIZATION
    assert any(n.original_script and n.lang == "ru" for n in tobacco.names)
    assert tobacco.identifier_values(IdType.REGISTRATION) == ("808000714",)
    assert tobacco.addresses[0].country == "by"


def test_eu_xml_weak_alias() -> None:
    _, entities = _one(FIXTURES / "eu_fsf_1_1.xml")
    assert entities["eu-13"].names_of(NameKind.WEAK_ALIAS) == ("Abu Ali",)


def test_ofac_xml_same_ids_as_csv() -> None:
    parsed, entities = _one(FIXTURES / "ofac_sdn.xml")
    assert (parsed.source, parsed.format, parsed.published) == ("ofac-sdn", "ofac-xml", "2024-05-03")
    assert entities["ofac-42073"].caption == "KHUSNULLIN, Marat Shakirzyanovich"
    assert entities["ofac-42073"].extra_values("gender") == ("male",)
    assert entities["ofac-306"].names_of(NameKind.WEAK_ALIAS) == ("BNC",)
    ebano = entities["ofac-4243"]
    assert ebano.identifier_values(IdType.IMO) == ("7406784",) and ebano.countries == ("pa",)


@pytest.mark.parametrize("name", ["uk_fcdo_sanctions_list.csv", "uk_fcdo_sanctions_list.xml"])
def test_uk_fcdo(name: str) -> None:
    parsed, entities = _one(FIXTURES / name)
    assert parsed.source == "uk" and parsed.published == "2026-02-13"
    ship = entities["uk-DPR0100"]
    assert ship.schema is Schema.VESSEL and ship.identifier_values(IdType.IMO) == ("7408873",)
    assert "kp" in ship.countries and ship.extra_values("flag") == ("kp",)


def test_uk_fcdo_csv_details() -> None:
    _, entities = _one(FIXTURES / "uk_fcdo_sanctions_list.csv")
    akhund = entities["uk-AFG0006"]
    assert akhund.caption == "MOHAMMAD HASSAN AKHUND"
    assert akhund.names_of(NameKind.WEAK_ALIAS) == ("MOHAMMED HASSAN AKHUND",)
    assert akhund.birth_dates == ("1958", "1955")
    assert any(n.original_script for n in akhund.names)


def test_uk_fcdo_xml_details() -> None:
    _, entities = _one(FIXTURES / "uk_fcdo_sanctions_list.xml")
    marat = entities["uk-RUS0691"]
    assert marat.birth_dates == ("1966-08-09",) and marat.nationalities == ("ru",)
    assert marat.identifier_values(IdType.PASSPORT) == ("753480121",)


@pytest.mark.integration
def test_xlsx_fast_reader_matches_openpyxl() -> None:
    path = LISTS / "uk" / "ConList_2025-04-10.xlsx"
    fast = list(read_rows(path))
    slow = list(read_rows_openpyxl(path))
    width = max(len(r) for _, r in fast + slow)
    assert [(n, r + [None] * (width - len(r))) for n, r in fast] == [
        (n, r + [None] * (width - len(r))) for n, r in slow
    ]


# -- bad input ------------------------------------------------------------------


def _raises(path: Path, *fragments: str) -> str:
    with pytest.raises(SourceError) as info:
        for parsed in load_paths([path]):
            for _ in parsed.entities():
                pass
    message = info.value.message
    assert path.name in message
    for fragment in fragments:
        assert fragment in message, message
    return message


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "consolidated.xml"
    path.write_bytes(b"")
    _raises(path, "empty")


def test_png_and_random_bytes(tmp_path: Path) -> None:
    png = tmp_path / "list.xml"
    png.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    _raises(png, "binary")
    noise = tmp_path / "sdn.csv"
    noise.write_bytes(bytes((i * 7919) % 256 for i in range(5000)))
    _raises(noise)


def test_unknown_xml_root(tmp_path: Path) -> None:
    path = tmp_path / "feed.xml"
    path.write_text("<?xml version='1.0'?><rss><channel/></rss>")
    _raises(path, "<rss>")


def test_truncated_xml(tmp_path: Path) -> None:
    source = (FIXTURES / "eu_fsf_1_1.xml").read_bytes()
    path = tmp_path / "eu.xml"
    path.write_bytes(source[: len(source) // 2])
    _raises(path, "line", "truncated")


def test_un_record_without_name(tmp_path: Path) -> None:
    path = tmp_path / "consolidated.xml"
    path.write_text(
        '<?xml version="1.0"?>\n<CONSOLIDATED_LIST dateGenerated="2026-01-01T00:00:00Z">\n<INDIVIDUALS>\n'
        "<INDIVIDUAL><DATAID>123</DATAID><REFERENCE_NUMBER>QDi.999</REFERENCE_NUMBER>\n"
        "<FIRST_NAME/></INDIVIDUAL>\n</INDIVIDUALS></CONSOLIDATED_LIST>\n"
    )
    assert _raises(path, "line 4", "DATAID=123", "has no name")


def test_ofac_record_without_name(tmp_path: Path) -> None:
    path = tmp_path / "sdn.csv"
    path.write_bytes(
        b'36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'
        b'37,-0- ,"individual","CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n\x1a'
    )
    _raises(path, "line 2", "ent_num 37", "no name")


def test_ofac_wrong_columns(tmp_path: Path) -> None:
    path = tmp_path / "sdn.csv"
    path.write_bytes(
        b'36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'
        b'37,"SOMEONE","individual","CUBA"\r\n'
    )
    _raises(path, "line 2", "expected 12 columns")


def test_csv_with_wrong_columns(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text("name,age\nAlice,30\n")
    _raises(path, "unknown format")


def test_uk_conlist_csv_missing_column(tmp_path: Path) -> None:
    path = tmp_path / "ConList.csv"
    path.write_text("Last Updated,10/04/2025\nName 6,Name 1,Regime,Group ID\nX,Y,Z,1\n")
    _raises(path, "line 2", "Group Type")


def test_eu_csv_entity_without_name(tmp_path: Path) -> None:
    lines = (FIXTURES / "eu_fsf_1_1.csv").read_text(encoding="utf-8-sig").splitlines()
    header = lines[0].split(";")
    row = [""] * len(header)
    row[header.index("Entity_LogicalId")] = "999"
    row[header.index("Entity_SubjectType")] = "person"
    path = tmp_path / "eu.csv"
    path.write_text("\n".join([lines[0], ";".join(row)]) + "\n", encoding="utf-8")
    _raises(path, "Entity_LogicalId 999", "no name")


def test_ftm_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "entities.ftm.json"
    path.write_text('{"id": "a", "schema": "Person", "properties": {"name": ["A"]}}\n{"id": \n')
    _raises(path, "line 2", "JSON")


def test_ftm_schemata_and_values_are_read_or_named_never_dropped_unsaid(tmp_path: Path) -> None:
    path = tmp_path / "entities.ftm.json"
    records = [
        {"id": "p1", "schema": "Person", "target": True, "properties": {"name": "Nikita Zakharov", "alias": [{"x": 1}]}},
        {"id": "a1", "schema": "Airplane", "target": True, "properties": {"name": ["EP-AGA"]}},
        {"id": "g1", "schema": "PublicBody", "target": True, "properties": {"name": ["Ministry of Things"]}},
        {"id": "s1", "schema": "Spaceship", "target": True, "properties": {"name": ["Enterprise"]}},
        {"id": "w1", "schema": "CryptoWallet", "target": True, "properties": {"publicKey": ["0xabc"]}},
        {"id": "o1", "schema": "Ownership", "target": False, "properties": {}},
        {"id": "p2", "schema": "Person", "target": True, "caption": "Bo Li", "properties": ["not", "an object"]},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    [parsed] = load_paths([path])
    entities = {e.id: e for e in parsed.entities()}
    assert {i: (e.schema.value, e.caption) for i, e in entities.items()} == {
        "p1": ("Person", "Nikita Zakharov"), "a1": ("Aircraft", "EP-AGA"), "g1": ("Organization", "Ministry of Things"),
        "p2": ("Person", "Bo Li")}
    assert [n.value for n in entities["p1"].names] == ["Nikita Zakharov"]
    notes = [
        "2 listed records of a schema that is no party, vessel or aircraft left out: CryptoWallet (1), Spaceship (1)",
        "1 property value that is no text left out (the first: p1 alias)",
    ]
    assert parsed.notes == notes
    assert len(list(parsed.entities())) == 4 and parsed.notes == notes  # read again: said once


_SDN_ROW = '{n},"COMPANY NUMBER {n}",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'


@pytest.mark.parametrize("damaged, fragments", [
    ('abc,"BAD NUMBER",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n', ("line 1", "ent_num 'abc'")),
    ('36,"CUT SHORT",-0- \r\n', ("line 1", "expected 12 columns, found 3")),
])
def test_an_ofac_file_damaged_in_its_first_row_is_named_at_that_row_not_unknown(
    tmp_path: Path, damaged: str, fragments: tuple[str, ...],
) -> None:
    path = tmp_path / "sdn.csv"
    path.write_text(damaged + "".join(_SDN_ROW.format(n=n) for n in range(100, 140)), encoding="cp1252")
    _raises(path, *fragments)


def test_an_ofac_file_with_a_blank_line_among_its_rows_is_read(tmp_path: Path) -> None:
    path = tmp_path / "sdn.csv"
    rows = [_SDN_ROW.format(n=n) for n in range(100, 140)]
    path.write_text("".join(rows[:5]) + " \r\n" + "".join(rows[5:]), encoding="cp1252")
    [parsed] = load_paths([path])
    assert len(list(parsed.entities())) == 40


def test_ftm_line_nested_too_deep(tmp_path: Path) -> None:
    path = tmp_path / "entities.ftm.json"
    path.write_text('{"id": "a", "schema": "Person", "properties": {"name": ["A"]}}\n' + "[" * 100_000 + "]" * 100_000)
    _raises(path, "line 2", "nested too deep")


def test_missing_path(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="no such file"):
        load_paths([tmp_path / "nope.xml"])


def test_orphan_supplement_named_explicitly(tmp_path: Path) -> None:
    path = tmp_path / "alt.csv"
    path.write_bytes(b'36,12,"aka","AERO-CARIBBEAN",-0- \r\n')
    _raises(path, "without their sdn.csv")


def test_detection_ignores_extension(tmp_path: Path) -> None:
    path = tmp_path / "download.bin.csv"
    shutil.copy(FIXTURES / "ofac_sdn.xml", path)
    (parsed,) = load_paths([path])
    assert parsed.format == "ofac-xml"


def test_entities_is_restartable() -> None:
    (parsed,) = load_paths([FIXTURES / "eu_fsf_1_1.xml"])
    assert [e.id for e in parsed.entities()] == [e.id for e in parsed.entities()]


def test_uk_un_reference_is_the_number_and_the_narrative_a_note() -> None:
    from watchlist.sources.common import EntityBuilder
    from watchlist.sources.uk_fcdo import add_un_reference

    builder = EntityBuilder("uk-1", Schema.ORGANIZATION, "uk")
    builder.add_name("MANSUDAE OVERSEAS PROJECT GROUP OF COMPANIES")
    add_un_reference(builder, "KPe.050. Mansudae Overseas Project Group of Companies engaged in exports.")
    entity = builder.build()
    assert entity.extra_values("unReference") == ("KPe.050",)
    assert entity.remarks == ("Mansudae Overseas Project Group of Companies engaged in exports",)
