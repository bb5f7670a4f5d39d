"""Figures found in text (`ipgraph.extract.figures`): values, qualifiers, units, periods and
reference dates; years, identifiers and "fewer than" are not proposed."""

from __future__ import annotations

from decimal import Decimal

import pytest

from extract_support import ID, ZH_TEXT
from ipgraph.extract import Draft
from ipgraph.extract.figures import find_figures


def test_figures_are_normalised(en_draft: Draft) -> None:
    got = [(f.value, f.qualifier, f.unit, f.period, f.date) for f in en_draft.figures]
    assert got == [
        (Decimal("5010000"), "MoreThan", "item", None, "2022-12-31"),
        (Decimal("350000000000"), "Approximately", "yuan", None, "2022-12-31"),
        (Decimal("30"), "Exactly", "percent", "2022", None),
        (Decimal("12500"), "Nearly", "enterprise", "2022", None),
    ]
    smes = next(f for f in en_draft.figures if f.unit == "enterprise")
    assert smes.about == [ID + "category/smes"]


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
def test_figures(zh_draft: Draft, surface: str, value: Decimal, qualifier: str, unit: str) -> None:
    found = {f.surface: f for f in zh_draft.figures}
    figure = found[surface]
    assert (figure.value, figure.qualifier, figure.unit) == (value, qualifier, unit)
    assert ZH_TEXT[figure.start : figure.end] == surface


def test_reference_date_and_period(zh_draft: Draft) -> None:
    found = {f.surface: f for f in zh_draft.figures}
    assert found["8.4万家企业"].date == "2022-12-31"  # 截至2022年底
    assert found["3500亿元"].period == "2022" and found["3500亿元"].date is None


def test_less_than_is_not_proposed() -> None:
    """ipgraph has no qualifier for "fewer than": such a figure is left out, not changed."""
    assert find_figures("fewer than 300 enterprises joined", 0, []) == []


def test_years_and_identifiers_are_not_figures() -> None:
    text = "In 2021, the GB/T 39551-2020 standard and the 5G plan for 2021-2035 were issued."
    assert find_figures(text, 0, []) == []


def test_hyphenated_spelled_numbers_are_not_figures() -> None:
    assert find_figures("the 14th Five-Year Plan period", 0, [])[0].unit == "ordinal"
    assert len(find_figures("the 14th Five-Year Plan period", 0, [])) == 1
