"""Checklist: section 03, the IP service sector.

Held to CNIPA Annual Report 2021, chapter IV. Covers the Blue Sky campaign, the platform
meetings, the IP Service Tour, the export-base Notice with MOFCOM and the statistical report's
figures. The items are rows of ``tests/seed/data/*.csv`` with section ``03``.
"""

from __future__ import annotations

from rdflib import Dataset

SECTION = "03"


def test_checklist_item(check, seed_graph: Dataset) -> None:
    check.verify(seed_graph)


def test_every_fact_of_the_section_is_on_the_checklist(unlisted: list[str]) -> None:
    assert unlisted == [], "add these nodes to tests/seed/data/entities.csv or figures.csv"
