"""Property tests (hypothesis): RDF → projection → path → the triples that justify each hop.

Over random entity pairs of the seed graph and over random small RDF graphs (with literals,
classes, a subclass axiom, passages, observations and untyped nodes), every returned path:
is made of hops each backed by a triple in its stated direction; is as short as a
breadth-first search finds (and exists exactly when one does); never passes through a
literal, a class, a property or a provenance/observation node unless asked for.
"""

from __future__ import annotations

import itertools

import networkx as nx
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import PROV, RDF, RDFS

import ipgraph
from ipgraph.errors import NoPath
from ipgraph.graph.paths import Constraints, all_paths, k_shortest_paths, shortest_path
from ipgraph.graph.projection import build_projection
from ipgraph.graph.search import LocalSearch
from ipgraph.store.memory import MemoryStore
from ipgraph.vocab import IPG

EX = Namespace("http://example.org/")
INCLUDES = [(), ("observations",), ("provenance",), ("observations", "provenance")]
SETTINGS = settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


# -- the seed graph ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_nodes(kg: ipgraph.KnowledgeGraph) -> dict[tuple[str, ...], list[URIRef]]:
    return {include: sorted(kg.projection(include)) for include in INCLUDES}


def forbidden(kg: ipgraph.KnowledgeGraph, node: URIRef, include: tuple[str, ...]) -> str | None:
    """Why ``node`` may not be on a path (None when it may), decided from the RDF alone."""
    graph = kg.graph
    if isinstance(node, Literal):
        return "literal"
    if (None, RDF.type, node) in graph or (node, RDFS.subClassOf, None) in graph:
        return "class"
    if (None, node, None) in graph:
        return "property"
    kinds = {
        "provenance": (IPG.Source, IPG.Passage),
        "observations": (IPG.Observation, IPG.Unit, IPG.Measure, IPG.Qualifier),
    }
    for group, classes in kinds.items():
        if group not in include and any((node, RDF.type, c) in graph for c in classes):
            return group
    return None


@SETTINGS
@given(data=st.data(), include=st.sampled_from(INCLUDES))
def test_seed_paths_are_backed_shortest_and_clean(
    kg: ipgraph.KnowledgeGraph,
    seed_nodes: dict[tuple[str, ...], list[URIRef]],
    data: st.DataObject,
    include: tuple[str, ...],
) -> None:
    nodes = seed_nodes[include]
    a = data.draw(st.sampled_from(nodes), label="a")
    b = data.draw(st.sampled_from(nodes), label="b")
    reference = nx.Graph(kg.projection(include).to_undirected(as_view=True))
    try:
        path = kg.path(a, b, include=include)
    except NoPath:
        assert not nx.has_path(reference, a, b)
        return
    assert len(path) == nx.shortest_path_length(reference, a, b)
    assert path.nodes[0] == a and path.nodes[-1] == b
    for hop, (here, there) in zip(path.hops, itertools.pairwise(path.nodes), strict=True):
        assert hop.triple() in kg.graph
        assert (hop.subject, hop.object) == ((here, there) if hop.forward else (there, here))
    for node in path.nodes:
        assert forbidden(kg, node, include) is None, (node, forbidden(kg, node, include))


# -- random small graphs -------------------------------------------------------------------------

ENTITIES = [EX[f"e{i}"] for i in range(8)]
CLASSES = [EX.A, EX.B, IPG.Passage, IPG.Source, IPG.Observation]
PREDICATES = [EX.p, EX.q, EX.kind, PROV.wasDerivedFrom]


@st.composite
def rdf_graphs(draw: st.DrawFn) -> Graph:
    """A random graph: typed and untyped entities, literals, a class hierarchy, provenance."""
    g = Graph()
    g.add((EX.B, RDFS.subClassOf, EX.A))
    for entity in ENTITIES[: draw(st.integers(2, len(ENTITIES)))]:
        cls = draw(st.sampled_from([*CLASSES, None]))
        if cls is not None:
            g.add((entity, RDF.type, cls))
        else:
            g.add((entity, RDFS.label, Literal(f"entity {entity[-2:]}", lang="en")))
        if draw(st.booleans()):
            g.add((entity, EX.value, Literal(draw(st.integers(0, 3)))))
    ends = st.sampled_from([*ENTITIES, EX.A, EX.B, EX.ghost])
    for s, p, o in draw(st.lists(st.tuples(ends, st.sampled_from(PREDICATES), ends), max_size=24)):
        g.add((s, p, o))
    return g


def reference_graph(g: Graph, include: tuple[str, ...], only: URIRef | None) -> nx.Graph:
    """The expected walkable graph, from the rules stated plainly over the triples."""
    subjects = {s for s in g.subjects() if isinstance(s, URIRef)}
    classes = set(g.objects(None, RDF.type)) | {EX.A, EX.B}
    predicates = set(g.predicates())
    left_out = set()
    if "provenance" not in include:
        left_out |= set(g.subjects(RDF.type, IPG.Passage)) | set(g.subjects(RDF.type, IPG.Source))
    if "observations" not in include:
        left_out |= set(g.subjects(RDF.type, IPG.Observation))
    entities = subjects - classes - predicates - left_out
    reference = nx.Graph()
    reference.add_nodes_from(entities)
    for s, p, o in g:
        if p in (RDF.type, RDFS.subClassOf) or s not in entities or o not in entities:
            continue
        if s != o and (only is None or p == only):
            reference.add_edge(s, o)
    return reference


@SETTINGS
@given(
    g=rdf_graphs(),
    include=st.sampled_from(INCLUDES),
    only=st.sampled_from([None, EX.p]),
    data=st.data(),
)
def test_random_graph_paths_match_breadth_first_search(
    g: Graph, include: tuple[str, ...], only: URIRef | None, data: st.DataObject
) -> None:
    G = build_projection(g, include)
    reference = reference_graph(g, include, only)
    assert set(G) == set(reference), "the projection's nodes are exactly the entities"
    assume(G.number_of_nodes() >= 2)
    a, b = data.draw(st.lists(st.sampled_from(sorted(G)), min_size=2, max_size=2, unique=True))
    rules = Constraints(via_predicates=frozenset({only})) if only is not None else None

    try:
        path = shortest_path(G, a, b, rules)
    except NoPath:
        assert not nx.has_path(reference, a, b)
    else:
        assert len(path) == nx.shortest_path_length(reference, a, b)
        for hop in path.hops:
            assert hop.triple() in g
            assert only is None or hop.predicate == only
        assert set(path.nodes) <= set(reference)

    expected = {tuple(p) for p in nx.all_simple_paths(reference, a, b, cutoff=4)}
    found = all_paths(G, a, b, rules, max_length=4, limit=10_000, timeout=30)
    assert not found.truncated
    assert {tuple(p.nodes) for p in found} == expected
    assert [len(p) for p in found] == sorted(len(p) for p in found)
    for p in found:
        assert all(hop.triple() in g for hop in p.hops)

    k = data.draw(st.integers(1, 4), label="k")
    shortest = k_shortest_paths(G, a, b, k, rules)
    every_length = sorted(len(p) - 1 for p in nx.all_simple_paths(reference, a, b))
    assert [len(p) for p in shortest] == every_length[:k]
    assert len({tuple(p.nodes) for p in shortest}) == len(shortest)
    assert all(hop.triple() in g for p in shortest for hop in p.hops)


RULES = [
    None,
    Constraints(via_predicates=frozenset({EX.p})),
    Constraints(avoid_predicates=frozenset({EX.q})),
    Constraints(via_types=frozenset({EX.A})),  # EX.B counts: a subclass declared in the data
    Constraints(avoid_types=frozenset({EX.B})),
    Constraints(avoid_nodes=frozenset({ENTITIES[2]})),
]


@SETTINGS
@given(
    g=rdf_graphs(),
    include=st.sampled_from(INCLUDES),
    rules=st.sampled_from(RULES),
    length=st.integers(1, 5),
    data=st.data(),
)
def test_paths_by_lookups_are_those_of_the_whole_projection(
    g: Graph,
    include: tuple[str, ...],
    rules: Constraints | None,
    length: int,
    data: st.DataObject,
) -> None:
    """`LocalSearch.paths` reads enough of the store for `all_paths` to find every path, in
    the same order, with the same hops and labels as on the projection of the whole store."""
    G = build_projection(g, include)
    assume(G.number_of_nodes() >= 2)
    a, b = data.draw(st.lists(st.sampled_from(sorted(G)), min_size=2, max_size=2, unique=True))
    limit = data.draw(st.sampled_from([1, 2, 3, 10_000]), label="limit")
    expected = all_paths(G, a, b, rules, max_length=length, limit=limit, timeout=30)
    store = Dataset(default_union=True)
    store.graph(EX.data).__iadd__(g)
    search = LocalSearch(MemoryStore(store), include, rules)
    ball = search.paths(a, b, length, first=limit + 1)  # as `kg.paths` asks
    assert ball is not None
    found = all_paths(build_projection(ball, include), a, b, rules, max_length=length, limit=limit)
    assert [p.to_dict() for p in found] == [p.to_dict() for p in expected]
    assert found.reason == expected.reason
