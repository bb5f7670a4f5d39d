"""Path queries (``ipgraph.graph.paths``) through the facade and the CLI, on the bundled graph and
on small graphs built in the tests."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from rdflib import URIRef

import ipgraph
from ipgraph.errors import AmbiguousEntity, EntityNotFound, NoPath, UsageError
from ipgraph.graph.paths import (
    Constraints,
    all_paths,
    k_shortest_paths,
    neighbors,
    shortest_path,
)
from ipgraph.graph.rank import pagerank
from ipgraph.vocab import ID, IPG

MOF = ID["agency/mof"]
SPECIAL_PLAN = ID["program/special-plan-patent-transfer-commercialization"]
PASSAGE = ID["passage/cnipa-ar2021-ch4/s02-p1"]

Run = Callable[..., Any]


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


def test_path_text_in_both_languages(kg: ipgraph.KnowledgeGraph) -> None:
    path = kg.path("MOF", SPECIAL_PLAN)
    plan = "Special plan on patent technology transfer and commercialization"
    assert path.to_text(lang="en") == f"Ministry of Finance ←in cooperation with— {plan}"
    assert path.to_text(lang="zh") == "财政部 ←合作单位— 专利转化专项计划"
    assert (
        path.to_text()
        == f"Ministry of Finance 财政部 ←in cooperation with— {plan} 专利转化专项计划"
    )
    assert str(path) == path.to_text()
    # an entity with no Chinese label falls back to its English one
    bases = kg.path("MOFCOM", "program/export-bases-ip-services").to_text(lang="zh")
    assert bases.startswith("商务部 ←发布机关— Notice on Application for Establishing Export Bases")
    assert bases.endswith("←贯彻落实— Export bases for IP services")
    with pytest.raises(UsageError, match="both, en, zh"):
        path.to_text(lang="fr")


def test_forward_hops_point_right(kg: ipgraph.KnowledgeGraph) -> None:
    path = kg.path(SPECIAL_PLAN, "CNIPA")
    assert path.to_text(lang="en").endswith(
        "—launched by→ China National Intellectual Property Administration"
    )
    assert path.hops[0].forward


def test_path_as_json_data(kg: ipgraph.KnowledgeGraph) -> None:
    data = json.loads(json.dumps(kg.path("MOF", "Zhejiang").to_dict()))
    assert data["start"]["iri"] == str(MOF) and data["start"]["label_zh"] == "财政部"
    assert data["end"]["iri"] == str(ID["region/zhejiang"])
    assert data["length"] == len(data["hops"]) == len(data["nodes"]) - 1
    steps = zip(data["nodes"], data["nodes"][1:], strict=False)
    for hop, (here, there) in zip(data["hops"], steps, strict=True):
        walked = (here["iri"], there["iri"]) if hop["forward"] else (there["iri"], here["iri"])
        assert (hop["subject"]["iri"], hop["object"]["iri"]) == walked
        assert hop["predicate"]["iri"].startswith("https://w3id.org/ipgraph/ontology#")
        assert hop["predicate"]["label"]
    assert "Zhejiang" in data["text"]


def test_a_path_from_an_entity_to_itself_is_empty(kg: ipgraph.KnowledgeGraph) -> None:
    path = kg.path("MOE", "教育部")
    assert len(path) == 0 and path.nodes == [kg.resolve("MOE")]


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


def test_via_rejects_what_is_neither_a_class_nor_a_relation(kg: ipgraph.KnowledgeGraph) -> None:
    with pytest.raises(UsageError, match="neither a class nor a relation"):
        kg.path("MOF", "MOE", via="ipg:NoSuchThing")


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


def test_bad_bounds_are_usage_errors(kg: ipgraph.KnowledgeGraph) -> None:
    with pytest.raises(UsageError, match="max_length"):
        kg.paths("MOF", "MOE", max_length=0)
    with pytest.raises(UsageError, match="1 or more"):
        kg.paths("MOF", "MOE", k=0)
    with pytest.raises(UsageError, match="1 or more"):
        kg.paths("MOF", "MOE", limit=0)


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


def test_neighbors_are_grouped_by_relation_and_direction(kg: ipgraph.KnowledgeGraph) -> None:
    around = kg.neighbors("MOF")
    groups = around.groups()
    assert (1, IPG.inCooperationWith, False) in groups
    assert [nb.node for nb in groups[(1, IPG.inCooperationWith, False)]] == [SPECIAL_PLAN]
    data = around.to_dict()
    assert data["center"]["label_zh"] == "财政部"
    assert {g["direction"] for g in data["groups"]} <= {"in", "out"}
    text = around.to_text(lang="en")
    assert "←in cooperation with— (1)" in text and "Special plan" in text


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


def test_neighbors_reject_a_bad_depth_or_type(kg: ipgraph.KnowledgeGraph) -> None:
    with pytest.raises(UsageError, match="depth"):
        kg.neighbors("MOF", depth=0)
    with pytest.raises(UsageError):
        kg.neighbors("MOF", types="ipg:issuedBy")


def test_neighbors_list_every_relation_at_depth_one() -> None:
    G = graph_of(("a", "p", "b"), ("b", "q", "a"), ("b", "r", "c"))
    near = neighbors(G, x("a"), depth=2)
    assert sorted((nb.depth, str(nb.hop.predicate)) for nb in near.neighbors) == [
        (1, str(x("p"))),
        (1, str(x("q"))),
        (2, str(x("r"))),
    ]
    assert len(near) == 2


# -- rank and communities --------------------------------------------------------------------


def test_cnipa_is_the_most_central_agency_by_every_measure(kg: ipgraph.KnowledgeGraph) -> None:
    for measure in ("degree", "betweenness", "pagerank"):
        top = kg.rank(measure, type="ipg:Agency", limit=3)
        assert top[0].iri == kg.resolve("CNIPA"), measure
        assert [r.score for r in top] == sorted((r.score for r in top), reverse=True)
        agencies = set(kg.instances(IPG.Agency))
        assert all(r.iri in agencies for r in top)


def test_degree_counts_relations_in_both_directions(kg: ipgraph.KnowledgeGraph) -> None:
    G = kg.projection()
    ranked = {r.iri: r.score for r in kg.rank("degree")}
    moe = kg.resolve("MOE")
    assert ranked[moe] == G.in_degree(moe) + G.out_degree(moe)


def test_pagerank_matches_networkx(kg: ipgraph.KnowledgeGraph) -> None:
    from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python

    G = kg.projection()
    ours = pagerank(G)
    reference = _pagerank_python(G)
    assert ours.keys() == reference.keys()
    assert max(abs(ours[n] - reference[n]) for n in G) < 1e-5
    assert abs(sum(ours.values()) - 1.0) < 1e-9


def test_rank_rejects_unknown_measures_and_types(kg: ipgraph.KnowledgeGraph) -> None:
    with pytest.raises(UsageError, match="degree, betweenness, pagerank"):
        kg.rank("closeness")
    with pytest.raises(UsageError, match="class"):
        kg.rank(type="ipg:issuedBy")


def test_communities_partition_the_projection_deterministically(
    kg: ipgraph.KnowledgeGraph,
) -> None:
    groups = kg.communities()
    members = [m for c in groups for m in c.members]
    assert len(members) == len(set(members)) == kg.projection().number_of_nodes()
    assert [len(c) for c in groups] == sorted((len(c) for c in groups), reverse=True)
    from ipgraph.graph.rank import communities

    assert [c.members for c in communities(kg.projection())] == [c.members for c in groups]
    cnipa_group = next(c for c in groups if kg.resolve("CNIPA") in c.members)
    assert cnipa_group.members[0] == kg.resolve("CNIPA")  # most connected first


# -- CLI -------------------------------------------------------------------------------------


def test_cli_path_text_and_json(run: Run) -> None:
    result = run("path", "MOF", "Zhejiang", "--lang", "en")
    assert result.exit_code == 0
    assert result.stdout.startswith("Ministry of Finance ←in cooperation with— ")
    assert result.stdout.rstrip().endswith("Zhejiang")
    data = json.loads(run("path", "财政部", "浙江", "--format", "json").stdout)
    assert data["start"]["iri"] == str(MOF)


def test_cli_path_all_numbers_paths_and_reports_truncation(run: Run) -> None:
    result = run("path", "MOF", "Zhejiang", "--all", "--max-length", "6", "--limit", "2")
    lines = result.stdout.splitlines()
    assert result.exit_code == 0 and len(lines) == 2
    assert lines[0].startswith("1. [3] ") and lines[1].startswith("2. [")
    assert "raise --limit" in result.stderr
    data = json.loads(run("path", "MOF", "Zhejiang", "--k", "2", "--format", "json").stdout)
    assert data["count"] == 2 and data["truncated"] is False


def test_cli_no_connection_exits_1_with_one_line(run: Run) -> None:
    result = run("path", "MOF", "MOE", "--via", "ipg:partOf")
    assert result.exit_code == 1
    assert result.stderr.startswith("ipgraph: error: no connection between Ministry of Finance")
    assert "Traceback" not in result.stderr
    bounded = run("path", "MOF", "Zhejiang", "--all", "--max-length", "2")
    assert bounded.exit_code == 1 and "within 2 hops" in bounded.stderr


def test_cli_bad_references_exit_2(run: Run) -> None:
    result = run("path", "Ministry of Magic", "MOE")
    assert result.exit_code == 2 and "no entity matches" in result.stderr
    assert run("path", "MOF", "MOE", "--via", "ipg:Nope").exit_code == 2


def test_cli_neighbors_and_rank(run: Run) -> None:
    result = run("neighbors", "CNIPA", "--depth", "2", "--type", "ipg:Ministry", "--lang", "en")
    assert result.exit_code == 0 and "Ministry of Education" in result.stdout
    data = json.loads(run("neighbors", "MOF", "--format", "json").stdout)
    assert data["center"]["iri"] == str(MOF)
    ranked = json.loads(run("rank", "--type", "ipg:Agency", "--format", "json").stdout)
    assert ranked[0]["label"] == "China National Intellectual Property Administration"
    table = run("rank", "--measure", "pagerank", "--limit", "3").stdout.splitlines()
    assert table[0].split()[:3] == ["#", "pagerank", "label"] and len(table) == 5
