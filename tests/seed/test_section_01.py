"""Checklist: section 01, innovative entities.

Held to CNIPA Annual Report 2021, chapter IV. Covers the joint Guiding Opinions, the SME program
with MIIT, the training session with MOE, typical cases, the management-standard pilot, the
committee re-election, the 22nd WIPO-CNIPA Award and the 17th Wuxi design expo. The items are
rows of ``tests/seed/data/*.csv`` with section ``01``.
"""

from __future__ import annotations

from rdflib import Dataset

SECTION = "01"


def test_checklist_item(check, seed_graph: Dataset) -> None:
    check.verify(seed_graph)


def test_every_fact_of_the_section_is_on_the_checklist(unlisted: list[str]) -> None:
    assert unlisted == [], "add these nodes to tests/seed/data/entities.csv or figures.csv"
