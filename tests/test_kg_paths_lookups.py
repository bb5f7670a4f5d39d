"""``path --via/--avoid`` and ``neighbors --avoid`` on a persistent store: answered by store
lookups around the entities involved (`ipgraph.graph.search.LocalSearch`), with the same
answers as the whole projection gives on the memory store."""

from __future__ import annotations

import pathlib
import re

import pytest

import ipgraph
from ipgraph.errors import EntityError, NoPath, UsageError
from ipgraph.graph.results import Path
from ipgraph.vocab import ID

PASSAGE = ID["passage/cnipa-ar2021-ch4/s02-p1"]

# (from, to, via, avoid): constraints of every kind, with and without a path.
PATH_CASES = [
    ("MOF", "Zhejiang", None, "CNIPA"),
    ("MOF", "Zhejiang", None, ["CNIPA", "MOE"]),
    ("MOF", "Zhejiang", None, "ipg:Agency"),  # a class with subclasses (ipg:Ministry)
    ("MOF", "CNIPA", None, "ipg:issuedBy"),
    ("MOF", "CNIPA", None, ["ipg:inCooperationWith", "ipg:launchedBy"]),
    ("MOF", "CNIPA", "ipg:Program", None),
    ("MOF", "CNIPA", "ipg:Agency", None),  # no path through agencies alone
    ("MOF", "CNIPA", "ipg:issuedBy", None),  # no path along issuedBy alone
    ("MOF", "CNIPA", ["ipg:inCooperationWith", "ipg:launchedBy"], None),
    ("MOE", "MIIT", "ipg:PolicyDocument", "ipg:concerns"),
    ("Zhejiang", "CNIPA", "PolicyDocument", "MOF"),
    ("CNIPA", "CNIPA", None, "ipg:Agency"),
]


def refuse(*args: object, **kwargs: object) -> None:
    """Stands in for `KnowledgeGraph.projection` where the whole store must not be read."""
    raise AssertionError("projected the whole store")


@pytest.fixture
def no_whole_projection(
    oxigraph_kg: ipgraph.KnowledgeGraph, monkeypatch: pytest.MonkeyPatch
) -> ipgraph.KnowledgeGraph:
    """The Oxigraph store, with projecting the whole store made an error."""
    monkeypatch.setattr(oxigraph_kg, "projection", refuse)
    return oxigraph_kg


def outcome(kg: ipgraph.KnowledgeGraph, a: str, b: str, via: object, avoid: object) -> object:
    """The length of the path found, or the NoPath message."""
    try:
        return len(kg.path(a, b, via=via, avoid=avoid))  # type: ignore[arg-type]
    except NoPath as error:
        return str(error)


def follows(kg: ipgraph.KnowledgeGraph, path: Path, via: object, avoid: object) -> bool:
    """Does every hop of ``path`` exist and keep to the constraints (on the projection)?"""
    G = kg.projection()
    rules = kg.refs.constraints(G, via, avoid)  # type: ignore[arg-type]
    inner = [h.object if h.forward else h.subject for h in path.hops[:-1]]
    superclasses = G.graph["superclasses"]
    for node in inner:
        classes = {c for t in G.nodes[node]["types"] for c in superclasses.get(t, {t})}
        if node in rules.avoid_nodes or classes & rules.avoid_types:
            return False
        if rules.via_types and not classes & rules.via_types:
            return False
    return all(h.triple() in kg.graph and rules.edge_ok(h.predicate) for h in path.hops)


@pytest.mark.parametrize(("a", "b", "via", "avoid"), PATH_CASES)
def test_constrained_paths_by_lookups_equal_the_projections(
    kg: ipgraph.KnowledgeGraph,
    no_whole_projection: ipgraph.KnowledgeGraph,
    a: str,
    b: str,
    via: object,
    avoid: object,
) -> None:
    expected = outcome(kg, a, b, via, avoid)
    assert outcome(no_whole_projection, a, b, via, avoid) == expected
    if isinstance(expected, int):
        path = no_whole_projection.path(a, b, via=via, avoid=avoid)  # type: ignore[arg-type]
        assert follows(kg, path, via, avoid)


def test_the_cases_cover_paths_and_no_paths(kg: ipgraph.KnowledgeGraph) -> None:
    found = [outcome(kg, *case) for case in PATH_CASES]
    assert any(isinstance(f, int) and f > 1 for f in found)
    assert any(isinstance(f, str) for f in found)


@pytest.mark.parametrize(
    ("center", "avoid"),
    [
        ("MOF", "CNIPA"),
        ("CNIPA", "ipg:issuedBy"),
        ("CNIPA", ["ipg:issuedBy", "ipg:launchedBy"]),
        ("Zhejiang", "ipg:PolicyDocument"),
        ("MOE", "ipg:Agency"),
    ],
)
@pytest.mark.parametrize("depth", [1, 2, 3])
def test_neighbors_avoiding_by_lookups_equal_the_projections(
    kg: ipgraph.KnowledgeGraph,
    no_whole_projection: ipgraph.KnowledgeGraph,
    center: str,
    avoid: object,
    depth: int,
) -> None:
    expected = kg.neighbors(center, depth, avoid=avoid)  # type: ignore[arg-type]
    found = no_whole_projection.neighbors(center, depth, avoid=avoid)  # type: ignore[arg-type]
    assert found.neighbors == expected.neighbors
    assert found.to_text() == expected.to_text()
    typed = no_whole_projection.neighbors(center, depth, "ipg:Agency", avoid=avoid)  # type: ignore[arg-type]
    assert typed.neighbors == kg.neighbors(center, depth, "ipg:Agency", avoid=avoid).neighbors  # type: ignore[arg-type]


def _key(group: dict[str, object]) -> tuple[object, ...]:
    return (group["depth"], str(group["predicate"]), group["direction"])


@pytest.mark.parametrize("center", ["MOF", "CNIPA", "Zhejiang", "MOE"])
def test_neighbors_at_depth_one_by_bounded_reads_equal_the_projections(
    kg: ipgraph.KnowledgeGraph, no_whole_projection: ipgraph.KnowledgeGraph, center: str
) -> None:
    expected = kg.neighbors(center)
    assert no_whole_projection.neighbors(center).neighbors == expected.neighbors
    every = {_key(g): g for g in expected.to_dict()["groups"]}
    for limit in (1, 2):
        groups = no_whole_projection.neighbors(center, limit=limit).to_dict(limit)["groups"]
        assert [_key(g) for g in groups] == list(every)  # the same relations, in order
        for group in groups:
            whole = every[_key(group)]
            first = sorted(e["iri"] for e in whole["entities"])[:limit]  # the first by IRI
            assert group["count"] == whole["count"]
            assert group["listed"] == len(first)
            assert sorted(e["iri"] for e in group["entities"]) == first
    typed = no_whole_projection.neighbors(center, types="ipg:Agency")
    assert typed.neighbors == kg.neighbors(center, types="ipg:Agency").neighbors
    with pytest.raises(UsageError) as raised:
        no_whole_projection.neighbors(center, types="ipg:issuedBy")
    assert "must be classes" in str(raised.value)


@pytest.mark.parametrize(
    ("via", "avoid", "message"),
    [
        ("ipg:NoSuchThing", None, "neither a class nor a relation"),
        (None, PASSAGE, "--include provenance"),
        (None, "Ministry of Finanse", "did you mean"),
        ("ipg:Agency", "ipg:Agncy", "did you mean|not found|no entity"),
    ],
)
def test_bad_constraints_raise_the_projections_errors(
    kg: ipgraph.KnowledgeGraph,
    no_whole_projection: ipgraph.KnowledgeGraph,
    via: object,
    avoid: object,
    message: str,
) -> None:
    errors = []
    for graph in (kg, no_whole_projection):
        with pytest.raises((UsageError, EntityError)) as raised:
            graph.path("MOF", "CNIPA", via=via, avoid=avoid)  # type: ignore[arg-type]
        errors.append((type(raised.value), str(raised.value)))
    assert errors[0] == errors[1]
    assert re.search(message, errors[1][1])


ISLAND = """@prefix ipg: <https://w3id.org/ipgraph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://w3id.org/ipgraph/id/org/island> a ipg:Organization ; rdfs:label "Island Office"@en .
<https://w3id.org/ipgraph/id/org/isle> a ipg:Organization ; rdfs:label "Isle Office"@en ;
    ipg:partOf <https://w3id.org/ipgraph/id/org/island> .
"""


@pytest.mark.parametrize(("a", "b"), [("Island Office", "MOF"), ("Isle Office", "MOF")])
def test_no_path_without_constraints_is_worded_from_lookups(
    tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch, a: str, b: str
) -> None:
    island = tmp_path / "island.ttl"
    island.write_text(ISLAND, encoding="utf-8")
    messages = []
    for spec in ("memory", f"oxigraph:{tmp_path / 'store'}"):
        graph = ipgraph.load(island, store=spec)
        if spec != "memory":
            monkeypatch.setattr(graph, "projection", refuse)
        with pytest.raises(NoPath) as raised:
            graph.path(a, b)
        messages.append(str(raised.value))
        graph.close()
    assert messages[0] == messages[1]
