"""Node details read ahead in batches (views/readahead.py): the triples a page's details need,
fetched by a few queries, and the small graph that holds them."""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF

import ipgraph
from ipgraph.views.describe import MAX_FIGURES
from ipgraph.views.readahead import Triples, read_ahead
from ipgraph.vocab import IPG

OUTLINE = "document/outline-ip-competitiveness-2021-2035"


def test_the_small_graph_answers_as_a_graph() -> None:
    a, b = URIRef("urn:a"), URIRef("urn:b")
    graph = Triples()
    for triple in [
        (a, RDF.type, IPG.Agency),
        (a, RDF.value, Literal(1)),
        (b, RDF.type, IPG.Agency),
    ]:
        graph.add(triple)
    graph.add((a, RDF.type, IPG.Agency))  # once only
    assert len(graph) == 3
    assert list(graph.objects(a, RDF.type)) == [IPG.Agency]
    assert sorted(graph.subjects(RDF.type, IPG.Agency), key=str) == [a, b]
    assert dict(graph.predicate_objects(a)) == {RDF.type: IPG.Agency, RDF.value: Literal(1)}
    assert (b, RDF.type, IPG.Agency) in graph and (b, RDF.value, Literal(1)) not in graph
    with pytest.raises(NotImplementedError):
        list(graph.triples((None, RDF.type, None)))


def test_read_ahead_holds_what_the_details_of_a_document_read(
    kg: ipgraph.KnowledgeGraph, oxigraph_kg: ipgraph.KnowledgeGraph
) -> None:
    outline = kg.resolve(OUTLINE)
    graph = read_ahead(oxigraph_kg, [outline], MAX_FIGURES)
    whole = oxigraph_kg.graph  # what one lookup at a time reads of the same store
    # Its literals and links to types and passages, as the whole graph has them.
    for predicate in (RDF.type, PROV.wasDerivedFrom, IPG.year):
        assert set(graph.objects(outline, predicate)) == set(whole.objects(outline, predicate))
    # Every figure about it is listed (for the count); the first few are read whole.
    figures = sorted(whole.subjects(IPG.about, outline), key=str)
    assert sorted(graph.subjects(IPG.about, outline), key=str) == figures
    for figure in figures[:MAX_FIGURES]:
        assert graph.value(figure, IPG.value) == whole.value(figure, IPG.value)
    for passage in whole.objects(outline, PROV.wasDerivedFrom):
        assert graph.value(passage, IPG.inSource) == whole.value(passage, IPG.inSource)
