"""Checklist: section 04, industries and the real economy.

Held to CNIPA Annual Report 2021, chapter IV. Covers patent navigation, China Brand Day 2021
with NDRC, trademark and brand guidance centres, the brand index, and the GI campaign. The items
are rows of ``tests/seed/data/*.csv`` with section ``04``.
"""

from __future__ import annotations

from rdflib import Dataset

SECTION = "04"


def test_checklist_item(check, seed_graph: Dataset) -> None:
    check.verify(seed_graph)


def test_every_fact_of_the_section_is_on_the_checklist(unlisted: list[str]) -> None:
    assert unlisted == [], "add these nodes to tests/seed/data/entities.csv or figures.csv"
