"""SHACL validation (`ipgraph.validation`): reports a user can act on."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import ipgraph

NEW_DOC = """
@prefix ipg: <https://w3id.org/ipgraph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://example.org/mine/doc> a ipg:Notice ;
    rdfs:label "Notice on trial things"@en , "关于试点的通知"@zh .
"""


def test_violations_in_an_extra_file_name_its_entities_by_label(
    kg: ipgraph.KnowledgeGraph, write: Callable[[str, str], Path]
) -> None:
    # Regression: an entity only in a file checked with `validate FILE` (not loaded) was
    # shown by its IRI twice, because labels came from the loaded graph alone.
    report = kg.validate(write("new.ttl", NEW_DOC))
    assert not report.conforms
    mine = [r for r in report.results if r.focus == "https://example.org/mine/doc"]
    assert mine, "the document lacks an issuer"
    assert {r.focus_label for r in mine} == {"Notice on trial things"}
    assert "Notice on trial things <https://example.org/mine/doc>" in str(mine[0])
