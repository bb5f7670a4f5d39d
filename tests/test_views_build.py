"""Graph views, the data (views/build.py, views/model.py): what each kind of view draws.

The pages are checked in tests/test_views_html.py (structure, no browser) and
tests/test_views_browser.py (Chromium); the site of named views in tests/test_views_site.py.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from rdflib import URIRef
from rdflib.namespace import RDF

import ipgraph
from ipgraph.errors import EntityNotFound, NoPath, UsageError
from ipgraph.views.build import GROUPS, View, ViewSpec
from ipgraph.views.html import to_html
from ipgraph.vocab import IPG
from pagecheck import embedded

# -- the view data --------------------------------------------------------------------------


def test_overview_draws_every_entity_of_the_projection(kg: ipgraph.KnowledgeGraph) -> None:
    view = kg.view(max_nodes=None)
    projection = kg.projection()
    ids = view.node_ids()
    assert len(ids) == len(view.nodes)  # no node twice
    assert ids == {str(n) for n in projection.nodes}
    assert len(view.edges) == projection.number_of_edges()
    # Provenance and statistical vocabulary are not drawn; agencies are.
    for iri in ids:
        types = set(kg.graph.objects(URIRef(iri), RDF.type))
        assert not types & {IPG.Passage, IPG.Source, IPG.Unit, IPG.Measure, IPG.Qualifier}
    assert str(kg.resolve("MIIT")) in ids


def test_edges_join_drawn_nodes_and_name_their_relation(kg: ipgraph.KnowledgeGraph) -> None:
    view = kg.view()
    ids = view.node_ids()
    for edge in view.edges:
        assert edge["from"] in ids and edge["to"] in ids
        assert edge["label"]
        triple = (URIRef(edge["from"]), URIRef(edge["predicate"]), URIRef(edge["to"]))
        assert triple in kg.graph, f"edge without a triple: {triple}"
    assert len({edge["id"] for edge in view.edges}) == len(view.edges)


def test_nodes_are_sized_by_degree(kg: ipgraph.KnowledgeGraph) -> None:
    view = kg.view()
    degree: dict[str, int] = {n["id"]: 0 for n in view.nodes}
    for edge in view.edges:
        degree[edge["from"]] += 1
        degree[edge["to"]] += 1
    for node in view.nodes:
        assert node["degree"] == degree[node["id"]]
    by_degree = sorted(view.nodes, key=lambda n: n["degree"])
    assert by_degree[0]["size"] < by_degree[-1]["size"]


def test_legend_lists_each_class_drawn_with_its_count(kg: ipgraph.KnowledgeGraph) -> None:
    view = kg.view()
    keys = [entry["key"] for entry in view.legend]
    known = [group.key for group in GROUPS]
    assert keys == [k for k in known if k in keys]  # in the documented order
    for entry in view.legend:
        assert entry["count"] == sum(1 for n in view.nodes if n["group"] == entry["key"])
        assert entry["label"] and entry["label_zh"] and entry["color"].startswith("#")
    assert {"agency", "document", "program", "region"} <= set(keys)
    colours = [(entry["color"], entry["shape"]) for entry in view.legend]
    assert len(set(colours)) == len(colours)


def test_node_classes_follow_the_ontology(kg: ipgraph.KnowledgeGraph) -> None:
    view = kg.view()
    group = {n["id"]: n["group"] for n in view.nodes}
    assert group[str(kg.resolve("MIIT"))] == "agency"
    for iri in kg.instances("ipg:PolicyDocument"):
        if str(iri) in group:
            assert group[str(iri)] == "document"
    for iri in kg.instances("ipg:Region"):
        if str(iri) in group:
            assert group[str(iri)] == "region"


def test_tooltip_rows_give_type_labels_figures_and_source(kg: ipgraph.KnowledgeGraph) -> None:
    view = kg.view()
    miit = next(n for n in view.nodes if n["id"] == str(kg.resolve("MIIT")))
    rows = dict((name, text) for name, text in miit["info"])
    assert rows["English"] == "Ministry of Industry and Information Technology"
    assert rows["中文"] == "工业和信息化部"
    assert "工信部" in rows["also"] and "MIIT" in rows["also"]
    assert "Ministry" in rows["type"]
    # Every figure the entity summary lists is in its tooltip, and so is every source.
    with_figures = [n for n in view.nodes if kg.entity(n["id"]).figures]
    assert with_figures, "the bundled graph has figures about drawn entities"
    for node in with_figures:
        summary = kg.entity(node["id"])
        texts = [text for name, text in node["info"] if name == "figure"]
        # Labelled as in the summary; the value formatted by datatype (tests below).
        assert any(text.startswith(f"{summary.figures[0].label}: ") for text in texts)
        sources = [text for name, text in node["info"] if name == "source"]
        many = len(summary.provenance)
        assert len(sources) == (many if many <= 4 else 5)  # four, then "... and N more"
        assert str(summary.provenance[0]) in sources


def test_neighbourhood_holds_what_is_within_depth(kg: ipgraph.KnowledgeGraph) -> None:
    cnipa = kg.resolve("CNIPA")
    one = kg.view("CNIPA", depth=1, max_nodes=None)
    two = kg.view("国家知识产权局", depth=2, max_nodes=None)
    assert one.meta["focus"] == [str(cnipa)]
    assert one.name == "cnipa-depth-1" and two.name == "cnipa-depth-2"
    assert one.node_ids() < two.node_ids()
    linked = {str(o) for o in kg.graph.objects(cnipa, None)} | {
        str(s) for s in kg.graph.subjects(None, cnipa)
    }
    assert one.node_ids() - {str(cnipa)} <= linked
    # Depth 2 is exactly the nodes reachable in two links in the drawn graph of the overview.
    overview = kg.view(max_nodes=None)
    g = nx.Graph((e["from"], e["to"]) for e in overview.edges)
    g.add_nodes_from(overview.node_ids())
    assert two.node_ids() == set(nx.single_source_shortest_path_length(g, str(cnipa), cutoff=2))


def test_path_view_joins_the_two_entities(kg: ipgraph.KnowledgeGraph) -> None:
    view = kg.view(path=("MOF", "Zhejiang"))
    mof, zhejiang = str(kg.resolve("MOF")), str(kg.resolve("Zhejiang"))
    assert view.kind == "path" and view.name == "path-mof-zhejiang"
    assert set(view.meta["focus"]) == {mof, zhejiang}
    g = nx.Graph((e["from"], e["to"]) for e in view.edges)
    assert nx.has_path(g, mof, zhejiang)
    # Only shortest connections: every node lies on one.
    length = nx.shortest_path_length(g, mof, zhejiang)
    for node in view.node_ids():
        assert (
            nx.shortest_path_length(g, mof, node) + nx.shortest_path_length(g, node, zhejiang)
            == length
        )


def test_path_between_unconnected_entities_is_no_path(
    fresh_kg: ipgraph.KnowledgeGraph, write: Callable[[str, str], Path]
) -> None:
    lonely = write(
        "lonely.ttl",
        "@prefix ipg: <https://w3id.org/ipgraph/ontology#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        '<https://example.org/island> a ipg:Region ; rdfs:label "Lonely Island"@en .\n',
    )
    fresh_kg.add(lonely)
    with pytest.raises(NoPath, match="Lonely Island"):
        fresh_kg.view(path=("MOF", "Lonely Island"))


def test_agency_network_links_bodies_that_worked_together(kg: ipgraph.KnowledgeGraph) -> None:
    view = kg.view(agencies=True)
    organizations = {str(o) for o in kg.instances("ipg:Organization")}
    assert view.node_ids() <= organizations
    assert view.edges, "the seed has jointly issued documents"
    roles = [IPG.issuedBy, IPG.launchedBy, IPG.organizedBy, IPG.carriedOutBy, IPG.inCooperationWith]

    def works(org: str) -> set[Any]:
        return {s for role in roles for s in kg.graph.subjects(role, URIRef(org))}

    for edge in view.edges:
        shared = works(edge["from"]) & works(edge["to"])
        assert shared, f"{edge['from']} and {edge['to']} share no document or program"
        listed = [text for name, text in edge["info"] if name in ("document", "program")]
        assert len(listed) == len(shared)
    # Every pair of co-issuers of a document is linked.
    pairs = {frozenset((e["from"], e["to"])) for e in view.edges}
    for document in set(kg.graph.subjects(IPG.issuedBy, None)):
        issuers = sorted({str(o) for o in kg.graph.objects(document, IPG.issuedBy)} & organizations)
        for i, first in enumerate(issuers):
            for second in issuers[i + 1 :]:
                assert frozenset((first, second)) in pairs


def test_construct_query_draws_its_triples(kg: ipgraph.KnowledgeGraph) -> None:
    sparql = "CONSTRUCT { ?d ipg:issuedBy ?a } WHERE { ?d ipg:issuedBy ?a }"
    view = kg.view(query=sparql)
    constructed = kg.query(sparql).graph
    assert constructed is not None
    assert view.node_ids() == {str(t) for s, _, o in constructed for t in (s, o)}
    assert len(view.edges) == len(constructed)


def test_select_query_draws_the_entities_it_returns(kg: ipgraph.KnowledgeGraph) -> None:
    view = kg.view(query="SELECT ?m WHERE { ?m a ipg:Ministry }")
    assert view.node_ids() == {str(m) for m in kg.graph.subjects(RDF.type, IPG.Ministry)}
    with pytest.raises(UsageError, match="ASK"):
        kg.view(query="ASK { ?s ?p ?o }")
    with pytest.raises(UsageError, match="no entities"):
        kg.view(query='SELECT ?x WHERE { BIND("text" AS ?x) }')


def test_types_keep_only_those_classes(kg: ipgraph.KnowledgeGraph) -> None:
    view = kg.view(types=["ipg:Agency"])
    agencies = {str(a) for a in kg.instances("ipg:Agency")}
    assert view.node_ids() == agencies & kg.view(max_nodes=None).node_ids()


def test_large_views_are_capped_with_a_notice(kg: ipgraph.KnowledgeGraph) -> None:
    full = kg.view(max_nodes=None)
    capped = kg.view(max_nodes=10)
    assert len(capped.nodes) == 10
    assert capped.meta["total_nodes"] == len(full.nodes)
    assert capped.meta["omitted_nodes"] == len(full.nodes) - 10
    notice = capped.meta["notice"]
    assert f"10 of {len(full.nodes)}" in notice and "--max-nodes" in notice
    # The best-connected nodes are kept.
    degree = {n["id"]: n["degree"] for n in full.nodes}
    kept = sorted(degree[i] for i in capped.node_ids())
    left = sorted(degree[i] for i in full.node_ids() - capped.node_ids())
    assert kept[0] >= left[-1]
    assert full.meta["notice"] is None
    page = to_html(capped)
    assert embedded(page)["meta"]["notice"] == notice
    # A neighbourhood keeps its centre whatever its degree.
    centre = str(kg.resolve("Zhejiang"))
    assert centre in kg.view("Zhejiang", depth=3, max_nodes=2).node_ids()


def test_big_views_get_fixed_positions(kg: ipgraph.KnowledgeGraph) -> None:
    fixed = kg.view(layout="fixed")
    assert fixed.meta["layout"] == "fixed"
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in fixed.nodes)
    assert len({(n["x"], n["y"]) for n in fixed.nodes}) == len(fixed.nodes)
    physics = kg.view(layout="physics")
    assert physics.meta["layout"] == "physics" and "x" not in physics.nodes[0]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"entity": "CNIPA", "agencies": True}, "choose one view"),
        ({"entity": "CNIPA", "depth": 0}, "depth"),
        ({"max_nodes": 0}, "max nodes"),
        ({"layout": "spiral"}, "layout"),
        # regressions: a class typo drew an empty page; a path to itself leaked "max_length"
        ({"types": ["ipg:Agncy"]}, "unknown class 'ipg:Agncy'; did you mean ipg:Agency"),
        ({"entity": "CNIPA", "types": ["ipg:Agncy"]}, "unknown class"),
        ({"path": ("MOF", "财政部")}, "same entity"),
    ],
)
def test_bad_view_requests_are_usage_errors(
    kg: ipgraph.KnowledgeGraph, kwargs: dict[str, Any], message: str
) -> None:
    with pytest.raises(UsageError, match=message):
        kg.view(**kwargs)


def test_unknown_entity_lists_near_misses(kg: ipgraph.KnowledgeGraph) -> None:
    with pytest.raises(EntityNotFound, match="Ministry of Finance"):
        kg.view("Ministry of Finanse")


def test_view_repr_and_spec_kind() -> None:
    assert ViewSpec().kind == "overview" and ViewSpec(path=("a", "b")).kind == "path"
    assert repr(View("overview", "overview", "t", "d")) == "<View 'overview': 0 nodes, 0 edges>"


def test_tooltips_format_values_by_datatype(kg: ipgraph.KnowledgeGraph) -> None:
    # Regression: a plan's last year read "exactly 2,035 calendar year".
    outline = kg.view(
        "Outline to Boost China's Competitiveness in the Area of Intellectual Property"
    )
    node = next(n for n in outline.nodes if n["id"] in outline.meta["focus"])
    figures = [text for name, text in node["info"] if name == "figure"]
    assert any(text.endswith(": 2035 (2021)") for text in figures), figures
    assert not any("2,035" in text or "calendar year" in text for text in figures)
    # Units read naturally, as `ipgraph show` reads them (one formatter for both).
    assert any(text.endswith("350 billion yuan (2025)") for text in figures), figures
    assert any("12 patents per 10,000 people (2025)" in text for text in figures), figures
    everything = [t for n in kg.view(max_nodes=None).nodes for k, t in n["info"] if k == "figure"]
    for clumsy in ("100 million yuan", "ordinal number", "(duration)", "exactly ", "peoples"):
        assert not any(clumsy in text for text in everything), clumsy
    # The document's dated, numbered and typed attributes, formatted by datatype.
    rows = dict((name, text) for name, text in node["info"])
    assert rows["date of publication"] == "2021-09-22"
    assert rows["document number"] == "中发〔2021〕32号"
    assert rows["valid"] == "2021 – 2035"
    amounts = [t for n in kg.view().nodes for name, t in n["info"] if name == "figure"]
    assert any(re.search(r"\d{1,3}(,\d{3})+", text) for text in amounts)  # 23,000


def test_agency_line_widths_are_proportional_to_joint_work(kg: ipgraph.KnowledgeGraph) -> None:
    view = kg.view(agencies=True)
    ratios = {edge["width"] / edge["weight"] for edge in view.edges}
    assert len(ratios) == 1
    assert {e["weight"] for e in view.edges} != {1}, "some pairs worked together more than once"
    for edge in view.edges:
        listed = [t for name, t in edge["info"] if name in ("document", "program")]
        assert edge["weight"] == len(listed)
    assert "joint" in view.meta["widths"]


def test_views_carry_positions_so_the_first_frame_is_the_last(kg: ipgraph.KnowledgeGraph) -> None:
    for view in (kg.view(), kg.view("CNIPA", depth=2), kg.view(agencies=True)):
        assert view.meta["layout"] == "fixed"
        points = [(n["x"], n["y"]) for n in view.nodes]
        assert len(set(points)) == len(points)
        # No two discs overlap.
        for i, a in enumerate(view.nodes):
            for b in view.nodes[i + 1 :]:
                assert math.dist((a["x"], a["y"]), (b["x"], b["y"])) >= a["size"] + b["size"] - 1
    assert kg.view().nodes == kg.view().nodes  # seeded: the same view, the same drawing


def test_path_views_run_left_to_right_one_lane_per_path(kg: ipgraph.KnowledgeGraph) -> None:
    view = kg.view(path=("MIIT", "universities"))
    start, end = (str(kg.resolve(r)) for r in ("MIIT", "universities"))
    x = {n["id"]: n["x"] for n in view.nodes}
    assert x[start] == min(x.values()) and x[end] == max(x.values())
    # Every link joins neighbouring columns, evenly spaced (narrower for long chains).
    columns = {abs(x[edge["from"]] - x[edge["to"]]) for edge in view.edges}
    assert len(columns) == 1 and 200.0 <= columns.pop() <= 300.0
    lanes = {n["lane"] for n in view.nodes}
    assert len(lanes) > 1, "MIIT and universities are linked in several ways"
    column = [n for n in view.nodes if n["hop"] == 1]
    assert len({n["y"] for n in column}) == len(column)


def test_views_embed_the_next_ring_for_expansion(kg: ipgraph.KnowledgeGraph) -> None:
    view = kg.view("MOE", depth=1)
    shown = view.node_ids()
    more = {n["id"] for n in view.reserve["nodes"]}
    assert more and not more & shown
    overview = kg.view(max_nodes=None)
    g = nx.Graph((e["from"], e["to"]) for e in overview.edges)
    ring = {other for node in shown for other in g[node]} - shown
    assert more == ring  # under the cap: every neighbour of a drawn node
    for edge in view.reserve["edges"]:
        assert edge["from"] in more or edge["to"] in more
        assert {edge["from"], edge["to"]} <= shown | more
    assert {n["group"] for n in view.reserve["nodes"]} <= {e["key"] for e in view.legend}
    assert kg.view(max_nodes=None).reserve == {"nodes": [], "edges": []}


def test_links_carry_the_sources_of_their_statements(kg: ipgraph.KnowledgeGraph) -> None:
    view = kg.view("Wuxi", depth=1)
    part_of = next(e for e in view.edges if e["predicate"].endswith("#partOf"))
    sources = [value for key, value in part_of["info"] if key == "source"]
    assert sources and sources[0].startswith("inferred")  # general knowledge, not the chapter
    held_in = next(e for e in view.edges if e["predicate"].endswith("#heldIn"))
    assert any(value.startswith("stated") for key, value in held_in["info"] if key == "source")


def test_expansion_and_agency_links_carry_sources(kg: ipgraph.KnowledgeGraph) -> None:
    """Links added by expansion (the embedded reserve) and the agencies view's joint-work links
    list the sources of the statements they stand for, like every other link."""
    reserve = kg.view("MOE", depth=1).reserve["edges"]
    assert reserve and all(any(k == "source" for k, _ in e["info"]) for e in reserve)
    agencies = kg.view(agencies=True).edges
    assert all(any(k == "source" for k, _ in e["info"]) for e in agencies)
    # A co-issued document's link names where its issuers are stated.
    issued = {
        s.to_text()
        for edge in agencies
        for doc in kg.graph.subjects(IPG.issuedBy, URIRef(edge["from"]))
        if (doc, IPG.issuedBy, URIRef(edge["to"])) in kg.graph
        for st in kg.why(doc, "ipg:issuedBy", URIRef(edge["from"]))
        for s in st.sources
    }
    listed = {t for edge in agencies for k, t in edge["info"] if k == "source"}
    assert issued & listed


def test_nodes_count_their_neighbours_for_fetching_more(kg: ipgraph.KnowledgeGraph) -> None:
    view = kg.view("MOE", depth=1)
    g = nx.Graph((e["from"], e["to"]) for e in kg.view(max_nodes=None).edges)
    for node in [*view.nodes, *view.reserve["nodes"]]:
        assert node["neighbours"] == (len(g[node["id"]]) if node["id"] in g else 0)


@pytest.mark.parametrize(
    "command",
    [
        ["render", "CNIPA", "--depth", "2", "--store", "OXIGRAPH"],
        ["render", "CNIPA", "--depth", "1"],
        ["render", "--agencies"],
    ],
    ids=["lookups", "memory-depth-1", "agencies"],
)
def test_every_run_writes_the_same_page_for_the_same_view(
    oxigraph_kg: ipgraph.KnowledgeGraph, tmp_path: Path, command: list[str]
) -> None:
    # Links come from sets (a store read by lookups, rdflib's subjects), whose order follows
    # each process's string hashing: the page must not.
    import os
    import subprocess
    import sys

    command = [oxigraph_kg.store.spec if part == "OXIGRAPH" else part for part in command]
    pages = []
    for seed in ("1", "2"):
        out = tmp_path / f"page-{seed}.html"
        subprocess.run(
            [sys.executable, "-m", "ipgraph.cli", *command, "-o", str(out)],
            env={**os.environ, "PYTHONHASHSEED": seed},
            check=True,
            capture_output=True,
        )
        pages.append(out.read_bytes())
    assert pages[0] == pages[1]
