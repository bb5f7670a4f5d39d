"""The facade's graph methods (``ipgraph.kg_paths.PathMethods``): references resolved
once, class and relation names checked, the projection cached and rebuilt when data changes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from rdflib import URIRef

import ipgraph
from ipgraph.errors import AmbiguousEntity, EntityNotFound, NoPath, UsageError
from ipgraph.vocab import ID, IPG

MOF = ID["agency/mof"]
PASSAGE = ID["passage/cnipa-ar2021-ch4/s02-p1"]


def test_unconnected_entities_raise_no_path(
    fresh_kg: ipgraph.KnowledgeGraph, write: Callable[[str, str], Path]
) -> None:
    fresh_kg.add(
        write(
            "island.ttl",
            """@prefix ipg: <https://w3id.org/ipgraph/ontology#> .
            @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
            <https://w3id.org/ipgraph/id/org/island> a ipg:Organization ;
                rdfs:label "Island Office"@en .""",
        )
    )
    with pytest.raises(NoPath, match="no connection between Island Office and Ministry of Fin"):
        fresh_kg.path("Island Office", "MOF")
    assert fresh_kg.paths("Island Office", "MOF") == []


def test_references_go_through_resolve(kg: ipgraph.KnowledgeGraph) -> None:
    assert kg.path("id:agency/mof", "MOE").start == MOF
    with pytest.raises(EntityNotFound, match="did you mean"):
        kg.path("Ministry of Finanse", "MOE")
    with pytest.raises(AmbiguousEntity):
        kg.path("national IP pilot and demonstration universities", "MOE")


def test_left_out_endpoints_name_the_include_that_brings_them(kg: ipgraph.KnowledgeGraph) -> None:
    with pytest.raises(UsageError, match="--include provenance"):
        kg.path("MOF", PASSAGE)
    path = kg.path("MOF", PASSAGE, include="provenance")
    assert len(path) == 1 and path.hops[0].predicate == URIRef(
        "http://www.w3.org/ns/prov#wasDerivedFrom"
    )
    with pytest.raises(UsageError, match="not an entity"):
        kg.path("ipg:Agency", "MOF")


def test_via_rejects_what_is_neither_a_class_nor_a_relation(kg: ipgraph.KnowledgeGraph) -> None:
    with pytest.raises(UsageError, match="neither a class nor a relation"):
        kg.path("MOF", "MOE", via="ipg:NoSuchThing")


def test_neighbors_reject_a_bad_depth_or_type(kg: ipgraph.KnowledgeGraph) -> None:
    with pytest.raises(UsageError, match="depth"):
        kg.neighbors("MOF", depth=0)
    with pytest.raises(UsageError):
        kg.neighbors("MOF", types="ipg:issuedBy")


def test_the_projection_is_cached_and_rebuilt_when_data_is_added(
    fresh_kg: ipgraph.KnowledgeGraph, write: Callable[[str, str], Path]
) -> None:
    before = fresh_kg.projection()
    assert fresh_kg.projection() is before
    extra = write(
        "extra.ttl",
        """@prefix ipg: <https://w3id.org/ipgraph/ontology#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        <https://w3id.org/ipgraph/id/document/new-notice> a ipg:Notice ;
            rdfs:label "A new notice"@en ;
            ipg:issuedBy <https://w3id.org/ipgraph/id/agency/moe> .
        """,
    )
    fresh_kg.add(extra)
    after = fresh_kg.projection()
    assert after is not before
    notice = ID["document/new-notice"]
    assert notice not in before
    assert after.has_edge(notice, fresh_kg.resolve("MOE"), IPG.issuedBy)


SEVERAL = [
    ("MOF", "Zhejiang", {"max_length": 5}),
    ("MOF", "Zhejiang", {"max_length": 6, "avoid": "CNIPA"}),
    ("MOE", "MOST", {"max_length": 4, "via": "ipg:PolicyDocument"}),
    ("MOF", "Zhejiang", {"max_length": 6, "limit": 3}),
    ("MOF", "Zhejiang", {"max_length": 4, "include": "provenance"}),
]


def whole_projection_refused(*args: object, **kwargs: object) -> None:
    raise AssertionError("the whole store was projected")


@pytest.mark.parametrize(("a", "b", "options"), SEVERAL, ids=str)
def test_several_paths_by_lookups_are_those_of_the_projection(
    kg: ipgraph.KnowledgeGraph,
    oxigraph_kg: ipgraph.KnowledgeGraph,
    a: str,
    b: str,
    options: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """On a persistent store `paths` reads only what paths short enough may pass through,
    and lists the same paths, in the same order, as on the whole projection."""
    expected = kg.paths(a, b, **options)
    monkeypatch.setattr(oxigraph_kg, "projection", whole_projection_refused)
    found = oxigraph_kg.paths(a, b, **options)
    assert expected
    assert found.to_dict() == expected.to_dict()


def test_k_shortest_by_lookups_have_the_lengths_of_the_projections(
    kg: ipgraph.KnowledgeGraph,
    oxigraph_kg: ipgraph.KnowledgeGraph,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    expected = kg.paths("MOF", "Zhejiang", k=6)
    monkeypatch.setattr(oxigraph_kg, "projection", whole_projection_refused)
    found = oxigraph_kg.paths("MOF", "Zhejiang", k=6)
    assert [len(p) for p in found] == [len(p) for p in expected]
    assert len({tuple(p.nodes) for p in found}) == 6
    assert all(p.hops[0].triple() in kg.graph for p in found)


def test_several_paths_by_lookups_keep_to_the_time_budget(
    oxigraph_kg: ipgraph.KnowledgeGraph,
) -> None:
    found = oxigraph_kg.paths("MOF", "Zhejiang", max_length=6, timeout=0)
    assert found == [] and found.reason == "time"
    with pytest.raises(UsageError, match="timeout"):
        oxigraph_kg.paths("MOF", "Zhejiang", timeout=-1)
