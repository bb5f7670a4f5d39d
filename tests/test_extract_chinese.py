"""`ipgraph.extract` on a Chinese report written for these tests."""

from __future__ import annotations

from decimal import Decimal

import pytest

from extract_support import DATA, DRAFT, ID, bundled_names
from ipgraph.extract import Draft, extract

TEXT = (DATA / "zh_report.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def draft() -> Draft:
    return extract(TEXT, bundled_names(), source="zh_report.md")


def test_sections_numbered_in_chinese(draft: Draft) -> None:
    assert [(p.section, p.paragraph, p.heading) for p in draft.passages] == [
        ("1", 1, "政策制定"),
        ("1", 2, "政策制定"),
        ("2", 1, "地方工作"),
    ]
    assert draft.source.lang == "zh" and draft.source.year == "2022"


def test_chinese_names_and_short_forms_are_linked(draft: Draft) -> None:
    linked = {m.surface: m.iri for m in draft.linked}
    assert linked["国家知识产权局"] == ID + "agency/cnipa"
    assert linked["教育部"] == ID + "agency/moe"
    assert linked["工信部"] == ID + "agency/miit"  # a short form (skos:altLabel)
    assert linked["浙江省"] == ID + "region/zhejiang"
    assert linked["上海市"] == ID + "region/shanghai"
    assert linked["中小企业"] == ID + "category/smes"
    assert linked["“蓝天”专项整治行动"] == ID + "program/blue-sky-campaign"


def test_short_names_do_not_cut_words(draft: Draft) -> None:
    """浙江 is a province, but not inside 浙江大学, which is proposed as a new organization."""
    assert not any(m.iri == ID + "region/zhejiang" and m.surface == "浙江" for m in draft.mentions)
    new = {m.label: m for m in draft.new}
    assert new["浙江大学"].iri == DRAFT + "org/浙江大学"
    assert new["国家林业和草原局"].cls.endswith("#Agency")
    assert new["国家林业和草原局"].lang == "zh"


def test_document_number_issuers_and_date(draft: Draft) -> None:
    docs = {d.title: d for d in draft.documents}
    opinion = docs["关于加强地理标志保护的指导意见"]
    assert opinion.cls.endswith("#Opinion")
    assert opinion.number == "国知发保字〔2022〕12号"
    assert [i.iri for i in opinion.issuers] == [
        ID + "agency/cnipa",
        DRAFT + "agency/国家林业和草原局",
        ID + "agency/moe",
    ]
    assert opinion.date_in_force == "2022-06-01"
    guide = docs["中小企业知识产权管理指南"]
    assert guide.cls.endswith("#Guideline")
    assert [i.iri for i in guide.issuers] == [ID + "agency/miit"]


@pytest.mark.parametrize(
    ("surface", "value", "qualifier", "unit"),
    [
        ("8.4万家企业", Decimal("84000"), "Exactly", "enterprise"),
        ("超过2.3万次", Decimal("23000"), "MoreThan", "item"),
        ("30%", Decimal("30"), "Exactly", "percent"),
        ("3500亿元", Decimal("350000000000"), "Exactly", "yuan"),
        ("近5000家中小企业", Decimal("5000"), "Nearly", "enterprise"),
        ("约1200名", Decimal("1200"), "Approximately", "person"),
    ],
)
def test_figures(draft: Draft, surface: str, value: Decimal, qualifier: str, unit: str) -> None:
    found = {f.surface: f for f in draft.figures}
    figure = found[surface]
    assert (figure.value, figure.qualifier, figure.unit) == (value, qualifier, unit)
    assert TEXT[figure.start : figure.end] == surface


def test_reference_date_and_period(draft: Draft) -> None:
    found = {f.surface: f for f in draft.figures}
    assert found["8.4万家企业"].date == "2022-12-31"  # 截至2022年底
    assert found["3500亿元"].period == "2022" and found["3500亿元"].date is None


def test_spans_are_exact(draft: Draft) -> None:
    for m in draft.mentions:
        assert TEXT[m.start : m.end] == m.surface
    for d in draft.documents:
        assert TEXT[d.title_start : d.title_end] == d.title
        if d.number_span:
            assert TEXT[slice(*d.number_span)] == d.number
