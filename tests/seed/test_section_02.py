"""Checklist: section 02, IP commercialization and utilization.

Held to CNIPA Annual Report 2021, chapter IV. Covers the special plan with MOF, the patent
transfer and licensing figures, the IP operation notice and centres, and the Guidelines for IP
terms with MOE and MOST. The items are rows of ``tests/seed/data/*.csv`` with section ``02``.
"""

from __future__ import annotations

from rdflib import Dataset

SECTION = "02"


def test_checklist_item(check, seed_graph: Dataset) -> None:
    check.verify(seed_graph)


def test_every_fact_of_the_section_is_on_the_checklist(unlisted: list[str]) -> None:
    assert unlisted == [], "add these nodes to tests/seed/data/entities.csv or figures.csv"
