"""Checklist: the introduction.

Held to CNIPA Annual Report 2021, chapter IV. Covers CNIPA and the IP operation system building
project. The items are rows of ``tests/seed/data/*.csv`` with section ``intro``.
"""

from __future__ import annotations

from rdflib import Dataset

SECTION = "intro"


def test_checklist_item(check, seed_graph: Dataset) -> None:
    check.verify(seed_graph)


def test_every_fact_of_the_section_is_on_the_checklist(unlisted: list[str]) -> None:
    assert unlisted == [], "add these nodes to tests/seed/data/entities.csv or figures.csv"
