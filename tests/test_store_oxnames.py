"""Reading a graph's names from pyoxigraph (`ipgraph.store.oxnames.graph_records`): what the
name index of an Oxigraph store is built from at every load."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import URIRef

from ipgraph.store import oxnames
from ipgraph.store.oxnames import graph_records

DATA = """
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix dct: <http://purl.org/dc/terms/> .
GRAPH <urn:g> {
  <urn:miit> rdfs:label "Ministry of Industry and Information Technology"@en, "工业和信息化部"@zh ;
      skos:altLabel "MIIT"@en ; rdfs:label "MIIT"@en .
  <urn:miit> skos:altLabel "MIIT"@en .
  <urn:doc> dct:identifier "GB/T 39551-2020" ; rdfs:label "Patent navigation"@en .
  <urn:Agency> a owl:Class ; rdfs:label "Agency"@en .
  _:b rdfs:label "a blank node" .
  <urn:miit> rdfs:comment "not a name" .
}
GRAPH <urn:types> { <urn:miit> a <urn:Ministry>, <urn:Agency> . <urn:doc> a <urn:Standard> . }
GRAPH <urn:elsewhere> { <urn:cnipa> rdfs:label "CNIPA"@en . }
"""


@pytest.fixture
def store() -> ox.Store:
    store = ox.Store()
    store.load(DATA.encode(), format=ox.RdfFormat.TRIG)
    return store


def names(store: ox.Store) -> list[tuple[str, str, str | None, str, tuple[str, ...]]]:
    records = graph_records(ox, store, URIRef("urn:g"))
    return [(r.iri, r.text, r.lang, r.kind, r.types) for r in records]


EXPECTED = [
    ("urn:miit", "Ministry of Industry and Information Technology", "en", "label",
     ("urn:Agency", "urn:Ministry")),
    ("urn:miit", "工业和信息化部", "zh", "label", ("urn:Agency", "urn:Ministry")),
    ("urn:miit", "MIIT", "en", "label", ("urn:Agency", "urn:Ministry")),
    ("urn:miit", "MIIT", "en", "altLabel", ("urn:Agency", "urn:Ministry")),
    ("urn:doc", "Patent navigation", "en", "label", ("urn:Standard",)),
    ("urn:doc", "GB/T 39551-2020", None, "identifier", ("urn:Standard",)),
]  # fmt: skip


def test_names_of_one_graph_with_types_from_any_graph(store: ox.Store) -> None:
    # each name once per kind; vocabulary terms, blank nodes and other graphs left out
    assert sorted(names(store)) == sorted(EXPECTED)


def test_many_entities_read_their_types_in_one_pass(
    store: ox.Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    few = names(store)
    monkeypatch.setattr(oxnames, "_TYPE_LOOKUPS", 0)  # as if the graph named many entities
    assert names(store) == few


def test_a_graph_without_names(store: ox.Store) -> None:
    assert list(graph_records(ox, store, URIRef("urn:types"))) == []
    assert list(graph_records(ox, store, URIRef("urn:absent"))) == []


def test_predicates_of_some_graphs_or_of_all(store: ox.Store) -> None:
    label, comment = "http://www.w3.org/2000/01/rdf-schema#label", RDFS_COMMENT
    found = oxnames.predicates_used(store, [URIRef("urn:types")])
    assert found == {"http://www.w3.org/1999/02/22-rdf-syntax-ns#type"}
    every = oxnames.predicates_used(store, None)
    assert {label, comment, "http://purl.org/dc/terms/identifier"} <= every
    assert every >= found and "urn:miit" not in every


RDFS_COMMENT = "http://www.w3.org/2000/01/rdf-schema#comment"
