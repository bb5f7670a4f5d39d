"""Path search over a store by lookups (`ipgraph.graph.search`)."""

from __future__ import annotations

from rdflib import URIRef
from rdflib.namespace import RDF, RDFS

import ipgraph
from ipgraph.graph.paths import constraints, shortest_path, term_kind
from ipgraph.graph.projection import build_projection
from ipgraph.graph.search import LocalSearch, local_graph
from ipgraph.vocab import IPG


def test_shortest_path_by_lookups_matches_networkx(kg: ipgraph.KnowledgeGraph) -> None:
    a, b = kg.resolve("MOF"), kg.resolve("Zhejiang")
    ball = local_graph(kg.store, a, b)
    assert ball is not None and len(ball) < len(kg.graph)
    hops = shortest_path(build_projection(ball), a, b).hops
    assert a in (hops[0].subject, hops[0].object)
    assert len(kg.path(a, b).hops) == len(hops)


def test_constraints_steer_the_search_and_exhaustion_is_told(kg: ipgraph.KnowledgeGraph) -> None:
    a, b, cnipa = kg.resolve("MOF"), kg.resolve("Zhejiang"), kg.resolve("CNIPA")
    search = LocalSearch(kg.store, rules=constraints(avoid=[("entity", cnipa, "CNIPA")]))
    ball = search.path(a, b)
    assert ball is not None and (cnipa, None, None) not in ball and (None, None, cnipa) not in ball
    agencies = constraints(via=[("class", IPG.Agency, "Agency")])
    stuck = LocalSearch(kg.store, rules=agencies)
    assert stuck.path(a, cnipa) is None and stuck.exhausted


def test_term_kinds_by_lookups_agree_with_the_projection(kg: ipgraph.KnowledgeGraph) -> None:
    G = kg.projection()
    search = LocalSearch(kg.store)
    iris = [IPG.Agency, IPG.Ministry, IPG.issuedBy, RDFS.label, kg.resolve("MOF"), RDF.type]
    iris += [URIRef(str(IPG) + "Ministry of Finance"), URIRef("urn:nothing")]
    assert [search.term_kind(iri) for iri in iris] == [term_kind(G, iri) for iri in iris]
    assert [search.is_entity(iri) for iri in iris] == [iri in G for iri in iris]
