"""Normalising values, qualifiers, units and reference periods (`ipgraph.extract.numbers`)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ipgraph.extract.numbers import parse_number, qualifier_before, reference, unit_after


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("23,000", "23000"),
        ("350 billion", "350000000000"),
        ("5.01 million", "5010000"),
        ("8.4万", "84000"),
        ("3500亿", "350000000000"),
        ("1.25", "1.25"),
        ("两千", "2000"),
        ("twelve", "12"),
    ],
)
def test_parse_number(text: str, value: str) -> None:
    assert parse_number(text) == Decimal(value)
    assert str(parse_number(text)) == value


def test_parse_number_rejects_words() -> None:
    with pytest.raises(ValueError, match="not a number"):
        parse_number("many")


@pytest.mark.parametrize(
    ("before", "qualifier"),
    [
        ("a total of over ", "MoreThan"),
        ("more than ", "MoreThan"),
        ("about ", "Approximately"),
        ("approximately ", "Approximately"),
        ("nearly ", "Nearly"),
        ("超过", "MoreThan"),
        ("约", "Approximately"),
        ("近", "Nearly"),
        ("fewer than ", "LessThan"),
        ("in ", None),
    ],
)
def test_qualifiers(before: str, qualifier: str | None) -> None:
    assert qualifier_before(before) == qualifier


@pytest.mark.parametrize(
    ("after", "unit"),
    [
        ("% of the total", "percent"),
        (" employees.", "person"),
        (" national IP demonstration universities and colleges altogether", "organization"),
        (" typical cases of national IP demonstration enterprises", "case"),
        (" provincial-level regions, including", "provincial-level-region"),
        ("家企业", "enterprise"),
        ("亿元", "yuan"),
        ("件发明专利", "item"),
    ],
)
def test_units(after: str, unit: str) -> None:
    found = unit_after(after)
    assert found is not None and found[0] == unit


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("as of the end of 2020, there were", ("date", "2020-12-31")),
        ("By the end of June 2021, CNIPA", ("date", "2021-06-30")),
        ("截至2021年底，全国", ("date", "2021-12-31")),
        ("截至2022年6月底", ("date", "2022-06-30")),
        ("In 2021, CNIPA", ("period", "2021")),
        ("2021年，国家知识产权局", ("period", "2021")),
        ("the Index 2021-2035 says", None),
    ],
)
def test_reference(text: str, expected: tuple[str, str] | None) -> None:
    assert reference(text) == expected
