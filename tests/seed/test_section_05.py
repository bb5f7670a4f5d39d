"""Checklist: section 05, guidance at local levels.

Held to CNIPA Annual Report 2021, chapter IV. Covers the 2021 Guidelines, the "one theme for one
region" mechanism in 7 regions, the two national plans and the pilot and demonstration projects.
The items are rows of ``tests/seed/data/*.csv`` with section ``05``.
"""

from __future__ import annotations

from rdflib import Dataset

SECTION = "05"


def test_checklist_item(check, seed_graph: Dataset) -> None:
    check.verify(seed_graph)


def test_every_fact_of_the_section_is_on_the_checklist(unlisted: list[str]) -> None:
    assert unlisted == [], "add these nodes to tests/seed/data/entities.csv or figures.csv"
