"""Path searches (``ipgraph.graph.paths``): shortest, all and k shortest paths, constraints
and neighbours, on the bundled graph and on small graphs built in the tests."""

from __future__ import annotations

import networkx as nx
import pytest
from rdflib import URIRef

import ipgraph
from ipgraph.errors import NoPath, UsageError
from ipgraph.graph.paths import (
    Constraints,
    all_paths,
    k_shortest_paths,
    neighbors,
    shortest_path,
)
from ipgraph.vocab import ID, IPG

MOF = ID["agency/mof"]
SPECIAL_PLAN = ID["program/special-plan-patent-transfer-commercialization"]
PASSAGE = ID["passage/cnipa-ar2021-ch4/s02-p1"]


def x(name: str) -> URIRef:
    return URIRef(f"http://example.org/{name}")


def graph_of(*edges: tuple[str, str, str], types: dict[str, str] | None = None) -> nx.MultiDiGraph:
    """A tiny projection: edges (subject, predicate, object) by local name."""
    G = nx.MultiDiGraph(superclasses={x("Doc"): frozenset({x("Doc")})})
    for name, cls in (types or {}).items():
        G.add_node(x(name), types=(x(cls),), label=name)
    for s, p, o in edges:
        G.add_edge(x(s), x(o), key=x(p))
    return G


def assert_backed(kg: ipgraph.KnowledgeGraph, path: ipgraph.graph.paths.Path) -> None:
    for hop in path.hops:
        assert hop.triple() in kg.graph, hop
    assert [hop.source for hop in path.hops] == path.nodes[:-1]


# -- path ------------------------------------------------------------------------------------


def test_mof_reaches_the_special_plan_in_one_backward_hop(kg: ipgraph.KnowledgeGraph) -> None:
    path = kg.path("财政部", SPECIAL_PLAN)
    assert len(path) == 1
    (hop,) = path.hops
    assert (hop.subject, hop.predicate, hop.object, hop.forward) == (
        SPECIAL_PLAN,
        IPG.inCooperationWith,
        MOF,
        False,
    )
    assert_backed(kg, path)


def test_a_path_from_an_entity_to_itself_is_empty(kg: ipgraph.KnowledgeGraph) -> None:
    path = kg.path("MOE", "教育部")
    assert len(path) == 0 and path.nodes == [kg.resolve("MOE")]


def test_via_a_class_keeps_every_intermediate_in_that_class(kg: ipgraph.KnowledgeGraph) -> None:
    path = kg.path("MOE", "MOST", via="ipg:PolicyDocument")
    assert len(path) == 2
    documents = set(kg.instances(IPG.PolicyDocument))
    assert all(node in documents for node in path.nodes[1:-1])
    # A bare class name means the ipg: class.
    assert kg.path("MOE", "MOST", via="PolicyDocument") == path


def test_via_a_relation_uses_only_that_relation(kg: ipgraph.KnowledgeGraph) -> None:
    path = kg.path("CAS", "MOFCOM", via="ipg:issuedBy")
    assert {hop.predicate for hop in path.hops} == {IPG.issuedBy}
    assert_backed(kg, path)


def test_avoid_an_entity_a_class_or_a_relation(kg: ipgraph.KnowledgeGraph) -> None:
    cnipa = kg.resolve("CNIPA")
    assert cnipa in kg.path("MOF", "MOFCOM").nodes
    around = kg.path("MOF", "MOFCOM", avoid="CNIPA")
    assert cnipa not in around.nodes
    assert_backed(kg, around)
    no_agencies = kg.path("MOF", "MOFCOM", avoid="ipg:Agency")
    assert not set(no_agencies.nodes[1:-1]) & set(kg.instances(IPG.Agency))
    no_launch = kg.path("MOF", "MOFCOM", avoid=["ipg:launchedBy", "CNIPA"])
    assert IPG.launchedBy not in {hop.predicate for hop in no_launch.hops}


def test_constraints_that_cut_every_path_give_no_path(kg: ipgraph.KnowledgeGraph) -> None:
    with pytest.raises(NoPath, match="through part of"):
        kg.path("MOF", "MOE", via="ipg:partOf")


# -- paths -----------------------------------------------------------------------------------


def test_all_paths_are_simple_bounded_shortest_first_and_backed(
    kg: ipgraph.KnowledgeGraph,
) -> None:
    found = kg.paths("MOF", "Zhejiang", max_length=5, limit=50)
    assert len(found) >= 2
    lengths = [len(p) for p in found]
    assert lengths == sorted(lengths) and lengths[0] == len(kg.path("MOF", "Zhejiang"))
    assert max(lengths) <= 5
    assert len({tuple(p.nodes) for p in found}) == len(found)
    for p in found:
        assert len(set(p.nodes)) == len(p.nodes)
        assert p.start == MOF and p.end == ID["region/zhejiang"]
        assert_backed(kg, p)


def test_all_paths_agree_with_networkx_on_the_undirected_view(kg: ipgraph.KnowledgeGraph) -> None:
    G = kg.projection()
    simple = nx.Graph(G.to_undirected(as_view=True))
    a, b = kg.resolve("MIIT"), kg.resolve("MOE")
    expected = {tuple(p) for p in nx.all_simple_paths(simple, a, b, cutoff=4)}
    found = kg.paths(a, b, max_length=4, limit=10_000, timeout=60)
    assert not found.truncated
    assert {tuple(p.nodes) for p in found} == expected


def test_the_limit_truncates_and_says_so(kg: ipgraph.KnowledgeGraph) -> None:
    everything = kg.paths("MOF", "Zhejiang", max_length=6, limit=10_000, timeout=60)
    assert len(everything) > 3 and not everything.truncated and everything.reason is None
    first = kg.paths("MOF", "Zhejiang", max_length=6, limit=3)
    assert first.truncated and first.reason == "limit"
    assert [p.nodes for p in first] == [p.nodes for p in everything[:3]]
    assert first.to_dict()["truncated"] is True and first.to_dict()["count"] == 3


def test_the_time_budget_stops_an_explosive_search() -> None:
    G = nx.MultiDiGraph()
    nodes = [URIRef(f"x:n{i}") for i in range(40)]
    for i, u in enumerate(nodes):
        for v in nodes[i + 1 :]:
            G.add_edge(u, v, key=URIRef("x:p"))
    found = all_paths(G, nodes[0], nodes[-1], max_length=12, limit=10**9, timeout=0.2)
    assert found.reason == "time" and found.truncated
    assert len(found) > 0


def test_k_shortest_paths(kg: ipgraph.KnowledgeGraph) -> None:
    found = kg.paths("MIIT", "universities and colleges", k=4)
    assert 1 <= len(found) <= 4
    lengths = [len(p) for p in found]
    assert lengths == sorted(lengths)
    assert lengths[0] == len(kg.path("MIIT", "universities and colleges"))
    assert len({tuple(p.nodes) for p in found}) == len(found)
    for p in found:
        assert_backed(kg, p)
    short = kg.paths("MIIT", "universities and colleges", k=50, max_length=lengths[0])
    assert {len(p) for p in short} == {lengths[0]}


def test_limit_or_k_zero_lists_every_path(any_kg: ipgraph.KnowledgeGraph) -> None:
    # Regression: 0 was refused, while every other listing takes a limit of 0 as "all".
    every = any_kg.paths("MOF", "Zhejiang", max_length=6, limit=0, timeout=60)
    assert len(every) > len(any_kg.paths("MOF", "Zhejiang", max_length=6, limit=1)) == 1
    assert not every.truncated
    assert every == any_kg.paths("MOF", "Zhejiang", max_length=6, limit=10_000, timeout=60)
    shortest = any_kg.paths("MOF", "Zhejiang", k=0, max_length=6, timeout=60)
    assert {tuple(p.nodes) for p in shortest} == {tuple(p.nodes) for p in every}


def test_bad_bounds_are_usage_errors(kg: ipgraph.KnowledgeGraph) -> None:
    with pytest.raises(UsageError, match="max_length"):
        kg.paths("MOF", "MOE", max_length=0)
    with pytest.raises(UsageError, match="0 \\(all\\) or more, not -1"):
        kg.paths("MOF", "MOE", k=-1)
    with pytest.raises(UsageError, match="0 \\(all\\) or more, not -1"):
        kg.paths("MOF", "MOE", limit=-1)


def test_pure_functions_on_a_small_graph() -> None:
    G = graph_of(("d", "issuedBy", "a"), ("d", "issuedBy", "b"), ("b", "partOf", "a"))
    assert [len(p) for p in all_paths(G, x("a"), x("b"))] == [1, 2]
    assert [len(p) for p in k_shortest_paths(G, x("a"), x("b"), k=1)] == [1]
    only_issued = Constraints(via_predicates=frozenset({x("issuedBy")}))
    path = shortest_path(G, x("a"), x("b"), only_issued)
    assert path.nodes == [x("a"), x("d"), x("b")]
    assert [hop.forward for hop in path.hops] == [False, True]


def test_parallel_relations_prefer_the_forward_hop() -> None:
    G = graph_of(("a", "p", "b"), ("b", "q", "a"))
    (hop,) = shortest_path(G, x("a"), x("b")).hops
    assert (hop.predicate, hop.forward) == (x("p"), True)
    (back,) = shortest_path(G, x("b"), x("a")).hops
    assert (back.predicate, back.forward) == (x("q"), True)


# -- neighbors -------------------------------------------------------------------------------


def test_neighbors_at_depth_two_with_a_type_filter(kg: ipgraph.KnowledgeGraph) -> None:
    cnipa = kg.resolve("CNIPA")
    co = kg.neighbors("CNIPA", depth=2, types="ipg:Organization")
    found = {nb.node for nb in co.neighbors}
    co_issuers = {kg.resolve(name) for name in ("CAS", "CAE", "CAST", "MOE", "MOST", "MOFCOM")}
    assert co_issuers <= found and cnipa not in found
    organizations = set(kg.instances(IPG.Organization))
    assert found <= organizations
    for nb in co.neighbors:
        assert nb.depth in (1, 2)
        assert nb.hop.triple() in kg.graph
        assert nb.hop.target == nb.node
    assert "(from " in co.to_text()


def test_neighbors_list_every_relation_at_depth_one() -> None:
    G = graph_of(("a", "p", "b"), ("b", "q", "a"), ("b", "r", "c"))
    near = neighbors(G, x("a"), depth=2)
    assert sorted((nb.depth, str(nb.hop.predicate)) for nb in near.neighbors) == [
        (1, str(x("p"))),
        (1, str(x("q"))),
        (2, str(x("r"))),
    ]
    assert len(near) == 2
