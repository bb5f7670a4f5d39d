"""What a graph page says about a node and a link (views/describe.py)."""

from __future__ import annotations

from typing import Any

import ipgraph
from ipgraph.provenance import statement_sources
from ipgraph.views.describe import (
    add_link_sources,
    attributes,
    describe_node,
    describe_nodes,
    link,
    short_label,
)
from ipgraph.vocab import IPG

OUTLINE = "document/outline-ip-competitiveness-2021-2035"


def test_a_document_shows_its_number_dates_and_validity(kg: ipgraph.KnowledgeGraph) -> None:
    rows = dict(attributes(kg, kg.resolve(OUTLINE)))
    assert rows["document number"] == "中发〔2021〕32号"
    assert rows["date of publication"] == "2021-09-22"
    assert rows["valid"] == "2021 – 2035"  # years as years, never 2,035
    assert rows["year"] == "2021"


def test_node_rows_keep_their_order_and_leave_labels_out(kg: ipgraph.KnowledgeGraph) -> None:
    node = describe_node(kg, kg.resolve(OUTLINE))
    names = [name for name, _ in node["info"]]
    assert names[:3] == ["type", "English", "中文"] and names[-1] == "id"
    assert names.index("document number") < names.index("figure") < names.index("source")
    texts = [text for _, text in node["info"]]
    assert texts.count("知识产权强国建设纲要（2021—2035年）") == 1  # the official name once


def test_a_link_lists_its_statements_sources_and_a_derived_link_those_behind_it(
    kg: ipgraph.KnowledgeGraph,
) -> None:
    wuxi, jiangsu = kg.resolve("Wuxi"), kg.resolve("Jiangsu")
    edge = link(kg, "e0", wuxi, IPG.partOf, jiangsu, ("Wuxi", "Jiangsu"))
    plain: dict[str, Any] = link(kg, "e1", wuxi, IPG.partOf, jiangsu, ("Wuxi", "Jiangsu"))
    derived = dict(plain, id="e1", predicate=str(IPG) + "collaboratesWith")
    add_link_sources(kg, [edge, derived], behind={"e1": [(wuxi, IPG.partOf, jiangsu)]})
    expected = [
        s.to_text()
        for s in statement_sources(kg, [(wuxi, IPG.partOf, jiangsu)])[(wuxi, IPG.partOf, jiangsu)]
    ]
    for item in (edge, derived):
        assert [text for name, text in item["info"] if name == "source"] == expected


def test_short_labels_prefer_the_acronym() -> None:
    assert short_label("Ministry of Finance", ["MOF", "财政部"]) == "MOF"
    assert short_label("x" * 40, []) == "x" * 29 + "…"


def test_nodes_described_in_a_batch_read_as_one_by_one_on_every_store(
    kg: ipgraph.KnowledgeGraph, oxigraph_kg: ipgraph.KnowledgeGraph
) -> None:
    # On Oxigraph the triples are read ahead by batched queries; the panels must not change:
    # documents with figures and passages, agencies with acronyms, and a figure itself.
    from rdflib.namespace import RDF

    figure = next(iter(kg.graph.subjects(RDF.type, IPG.Observation)))
    refs = [OUTLINE, "CNIPA", "MOE", "Wuxi", "Jiangsu"]
    iris = [kg.resolve(ref) for ref in refs] + [figure]
    one_by_one = [describe_node(kg, iri) for iri in iris]
    assert describe_nodes(oxigraph_kg, [(iri, None) for iri in iris]) == one_by_one
    assert describe_nodes(kg, [(iri, None) for iri in iris]) == one_by_one
    assert any(name == "figure" for name, _ in one_by_one[0]["info"])
    assert any(name == "source" for name, _ in one_by_one[0]["info"])


def test_a_batch_reads_the_labels_it_shows_in_one_lookup_per_language(
    kg: ipgraph.KnowledgeGraph, oxigraph_kg: ipgraph.KnowledgeGraph, monkeypatch: Any
) -> None:
    # On a server every lookup is a round trip: the labels of the nodes' types, passages'
    # sources, figures and attributes are read together, not one node at a time.
    from rdflib import URIRef
    from rdflib.namespace import RDF

    fresh = ipgraph.KnowledgeGraph(oxigraph_kg.store)  # nothing labelled yet
    asked: list[list[URIRef]] = []
    labels = fresh.names.labels

    def counted(iris: Any, lang: str = "en") -> dict[URIRef, str]:
        asked.append(list(iris))
        return labels(iris, lang)

    monkeypatch.setattr(fresh.names, "labels", counted)
    figures = sorted(kg.graph.subjects(RDF.type, IPG.Observation))[:5]
    documents = sorted(kg.graph.subjects(RDF.type, IPG.PolicyDocument))[:30]
    iris = [kg.resolve(ref) for ref in (OUTLINE, "CNIPA", "MOE", "Wuxi")] + figures + documents
    described = describe_nodes(fresh, [(iri, None) for iri in iris])
    assert len(asked) == 2  # English, then Chinese for the types
    assert described == [describe_node(kg, iri) for iri in iris]
