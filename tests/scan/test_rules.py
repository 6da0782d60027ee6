# ruff: noqa: F811
"""Red-flag rules: bundled typologies fire on context, not keywords; a broken rules file fails at load."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.scan.scan_helpers import DOCS, offline  # noqa: F401  (fixture)

from watchlist.errors import ConfigError
from watchlist.scan import Scanner, ScanOptions, load_rules
from watchlist.scan.places import load_places
from watchlist.scan.rules import parse_rules

REQUIRED = ["dprk-overseas-labour", "dprk-refined-petroleum", "dprk-industrial-machinery", "ship-to-ship-transfer",
            "ais-gap", "in-kind-payment", "sanctioned-region", "forced-labour-indicator"]


def flags(scanner: Scanner, text: str) -> set[str]:
    return {f.code for f in scanner.scan(text).red_flags}


def test_bundled_rules_have_the_required_codes_and_citations() -> None:
    rules = load_rules(None, load_places().keys)
    assert set(REQUIRED) <= set(rules.codes)
    for rule in rules.rules:
        assert rule.rule and rule.title
    by_code = {r.code: r.rule for r in rules.rules}
    assert "UNSCR 2397" in by_code["dprk-overseas-labour"] and "OP8" in by_code["dprk-overseas-labour"]
    assert "OP5" in by_code["dprk-refined-petroleum"] and "OP7" in by_code["dprk-industrial-machinery"]
    assert "2375" in by_code["ship-to-ship-transfer"] and "14065" in by_code["sanctioned-region"]


@pytest.mark.parametrize(
    "text, code",
    [
        ("Some 300 North Korean workers were sent to a building site near Vladivostok.", "dprk-overseas-labour"),
        ("The tanker delivered 5,000 tonnes of diesel to Nampo.", "dprk-refined-petroleum"),
        ("The firm shipped excavators and trucks to Pyongyang via Dandong.", "dprk-industrial-machinery"),
        ("The Panama-flagged tanker conducted a ship-to-ship transfer with a DPRK-flagged vessel.",
         "ship-to-ship-transfer"),
        ("The vessel's AIS was switched off for six days near the Yellow Sea.", "ais-gap"),
        ("The buyer will be compensated with food and fuel instead of cash.", "in-kind-payment"),
        ("The contract covers deliveries of cement to a port in Crimea.", "sanctioned-region"),
        ("The agency retained their passports and the workers toiled 16 hours a day.", "forced-labour-indicator"),
    ],
)
def test_each_rule_fires_in_context(offline: Scanner, text: str, code: str) -> None:
    assert code in flags(offline, text)


@pytest.mark.parametrize(
    "text",
    [
        "Fuel prices in Busan rose as the shipyard ordered diesel for its tugs.",  # fuel, no DPRK
        "South Korea shipped diesel and machinery to Vietnam.",  # South Korea is not KP
        "North Korea tested a missile; separately, fuel prices rose in Europe.",  # fuel prices are noise
        "The AIS conference opened in Oslo.",  # no dark period
        "North Korea held a parade.",  # KP alone
        "Workers in Seoul went on strike over wages.",  # labour, no KP
        "The ship-to-ship transfer of LNG off Malta was routine.",  # STS, no DPRK link
    ],
)
def test_keywords_without_context_do_not_fire(offline: Scanner, text: str) -> None:
    found = flags(offline, text)
    assert not found & {"dprk-refined-petroleum", "dprk-industrial-machinery", "ais-gap", "dprk-overseas-labour",
                        "ship-to-ship-transfer"}


def test_evidence_span_and_triggers_slice_the_text(offline: Scanner) -> None:
    text = "Intro line. North Korea might be compensated with food, fuel and machinery, Lim said. End."
    (flag,) = [f for f in offline.scan(text).red_flags if f.code == "in-kind-payment"]
    assert text[flag.start : flag.end] == flag.evidence
    assert flag.evidence.startswith("North Korea might") and flag.evidence.endswith("Lim said.")
    assert {text[t.start : t.end] for t in flag.triggers} >= {"compensated with", "food"}
    assert flag.to_dict()["rule"] == flag.rule.rule


def test_custom_rules_add_a_typology(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(
        "vocabularies:\n  gold: [gold, bullion]\nrules:\n"
        "  - code: dprk-gold\n    title: Gold to or from the DPRK\n    rule: UNSCR 2270 (2016) OP30\n"
        "    all:\n      - place: [KP]\n      - vocabulary: gold\n",
        encoding="utf-8",
    )
    scanner = Scanner(None, ScanOptions(rules_path=path))
    assert flags(scanner, "Bullion from Pyongyang was sold in Dubai.") == {"dprk-gold"}


RULE = "rules:\n  - code: r1\n    title: t\n    rule: c\n    all:\n      - terms: [x]\n"


@pytest.mark.parametrize(
    "text, message",
    [
        (RULE.replace("    rule: c\n", ""), "rule 'r1': 'rule' must be a non-empty string"),
        (RULE.replace("code: r1", "code: Bad Code"), "rule #1: 'code'"),
        (RULE.replace("- terms: [x]", "- vocabulary: nope"), "rule 'r1': all\\[0\\]: vocabulary 'nope'"),
        (RULE.replace("- terms: [x]", "- place: [ZZ]"), "rule 'r1': all\\[0\\]: unknown place"),
        (RULE.replace("- terms: [x]", "- colour: [x]"), "unknown condition 'colour'"),
        (RULE.replace("    all:\n      - terms: [x]\n", "    all: []\n"), "'all' must list"),
        (RULE + "    window: 9\n", "'window'"),
        (RULE + "    severity: extreme\n", "'severity'"),
        (RULE + "    when: []\n", "unknown field"),
        (RULE + RULE.split("rules:\n")[1], "duplicate code"),
        (RULE.replace("- terms: [x]", "- terms: ['*']"), "bare"),
        ("rules: [", "not valid YAML"),
    ],
)
def test_broken_rules_fail_at_load_naming_rule_and_field(text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_rules(text, "custom.yaml", load_places().keys)


def test_broken_rules_file_fails_when_the_scanner_starts(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(RULE.replace("    rule: c\n", ""), encoding="utf-8")
    with pytest.raises(ConfigError, match="rules.yaml: rule 'r1'"):
        Scanner(None, ScanOptions(rules_path=path))


@pytest.mark.parametrize(
    "name, expected, absent",
    [
        ("dprk_shipping_memo.txt", {"ship-to-ship-transfer", "ais-gap", "dprk-refined-petroleum", "in-kind-payment"},
         {"sanctioned-region", "forced-labour-indicator"}),
        ("busan_shipyard_news.txt", set(), set(REQUIRED)),
        ("fuel_prices_news.txt", set(), set(REQUIRED)),
        ("factory_audit.txt", {"forced-labour-indicator"}, set(REQUIRED) - {"forced-labour-indicator"}),
    ],
)
def test_fixture_documents(offline: Scanner, name: str, expected: set[str], absent: set[str]) -> None:
    found = flags(offline, (DOCS / name).read_text(encoding="utf-8"))
    assert expected <= found and not (found & absent)


# -- multilingual patterns and grouped reports ------------------------------------------


@pytest.mark.parametrize(
    "text, code",
    [
        ("Граждане КНДР работают на стройках в Приморье.", "dprk-overseas-labour"),
        ("Робітники з Північної Кореї працюють на будівництві.", "dprk-overseas-labour"),
        ("북한 노동자들이 러시아 건설 현장에 파견됐다.", "dprk-overseas-labour"),
        ("The two tankers were lying alongside each other for six hours off Nampo.", "ship-to-ship-transfer"),
        ("Танкер ночью стоял борт к борту с судном из КНДР.", "ship-to-ship-transfer"),
        ("For three days the vessel transmitted no AIS position.", "ais-gap"),
        ("Судно отключило АИС на двое суток.", "ais-gap"),
        ("The workers said their passports were held by the company's representative.", "forced-labour-indicator"),
        ("Паспорта рабочих хранились у бригадира.", "forced-labour-indicator"),
        ("관리 책임자가 노동자들의 여권을 걷어 갔다.", "forced-labour-indicator"),
        ("Оплата производится встречной поставкой зерна.", "in-kind-payment"),
        ("Компания поставляет оборудование в Донецк.", "sanctioned-region"),
        ("Контракт на поставки до окупованого Криму.", "sanctioned-region"),
        ("Диспетчеры заметили, что дизельное топливо перекачивают на судно из КНДР.", "dprk-refined-petroleum"),
        ("중국산 굴착기와 트럭이 북한으로 반입됐다.", "dprk-industrial-machinery"),
        ("The tanker bound for Nampho kept her AIS dark for two days.", "ais-gap"),
        ("Goods for Nampho will be paid for in sugar instead of US dollars.", "in-kind-payment"),
        ("Танкер у берегов КНДР принимал дизельное топливо с другого судна.", "ship-to-ship-transfer"),
        ("북한 선박이 다른 선박과 접현해 석유를 옮겨 싣는 장면이 포착됐다.", "ship-to-ship-transfer"),
    ],
)
def test_rules_fire_in_every_supported_language(offline: Scanner, text: str, code: str) -> None:
    assert code in {f.code for f in offline.scan(text).red_flags}


@pytest.mark.parametrize(
    "text",
    [
        "Цены на бензин выросли на 2% за неделю.",  # fuel prices, no DPRK
        "북한산 등산로가 주말에 붐볐다.",  # Bukhansan, a mountain in Seoul
        "The ships lay alongside the quay in Busan for repairs.",  # alongside a quay, not at sea with the DPRK
    ],
)
def test_ordinary_text_raises_nothing(offline: Scanner, text: str) -> None:
    report = offline.scan(text)
    assert report.red_flags == [] and report.places == []


def test_json_groups_red_flags_by_rule_and_keeps_every_span(offline: Scanner) -> None:
    text = ("North Korean workers arrived in March. More North Korean workers came in May. "
            "Passports of the workers were confiscated by the foreman.")
    report = offline.scan(text)
    flags = report.to_dict()["red_flags"]
    assert len({f["code"] for f in flags}) == len(flags)  # one entry per rule
    labour = next(f for f in flags if f["code"] == "dprk-overseas-labour")
    assert labour["count"] == len(labour["findings"]) == 2
    for finding in labour["findings"]:
        start, end = finding["span"]
        assert text[start:end] == finding["evidence"]
    assert labour["span"] == labour["findings"][0]["span"] and labour["description"]
    assert sum(f["count"] for f in flags) == len(report.red_flags)


def test_html_report_lists_each_rule_once_with_every_finding(offline: Scanner) -> None:
    from watchlist.scan.html import render_html

    text = ("North Korean workers arrived in March. The weather was mild. "
            "More North Korean workers came in May.")
    page = render_html(offline.scan(text, "memo.txt"))
    summary = page.split("<h2>Document</h2>")[0]
    assert summary.count(">dprk-overseas-labour<") == 1
    assert "2 findings" in summary and summary.count("<li>") >= 2
