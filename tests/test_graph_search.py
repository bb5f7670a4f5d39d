"""Path search over a store by lookups (`ipgraph.graph.search`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import BNode, URIRef
from rdflib.namespace import RDF, RDFS

import ipgraph
from ipgraph.graph.paths import constraints, neighbors, shortest_path, term_kind
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


# -- LocalSearch.relations against the projection ------------------------------------------

EX = "https://example.org/around/"
AROUND = f"""@prefix ex: <{EX}> .
@prefix ipg: <https://w3id.org/ipgraph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
ex:hub a ipg:Agency ; rdfs:label "Hub"@en .
ex:d1 a ipg:PolicyDocument ; rdfs:label "B document"@en ; ipg:issuedBy ex:hub .
ex:d2 a ipg:Notice ; rdfs:label "A document"@en, "甲文件"@zh ; ipg:issuedBy ex:hub ;
    ipg:concerns ex:hub .
ex:d3 ipg:issuedBy ex:hub .
ex:d4 a ipg:Notice ; skos:prefLabel "只有中文"@zh ; ipg:issuedBy ex:hub .
ex:org a ipg:Organization ; rdfs:label "Org"@en ; ipg:partOf ex:hub .
ex:hub ipg:partOf ex:org .
ex:passage a ipg:Passage ; ex:mentions ex:hub .
ex:source a ipg:Source ; ex:about ex:hub .
ex:obs a ipg:Observation ; ex:refersTo ex:hub .
ex:hub ex:sameAs ex:external .
ex:hub ex:kind ex:Kind .
ex:thing a ex:Kind .
ex:hub ex:uses ex:rel .
ex:rel rdfs:label "a relation"@en .
ex:a ex:rel ex:b .
ex:a a ipg:Agency .
ex:b a ipg:Agency .
ex:hub ex:uses ex:valued .
ex:valued rdfs:label "a literal-valued term"@en .
ex:a ex:valued "5" .
ex:hub ex:shape ex:Sub .
ex:Sub rdfs:subClassOf ex:Kind .
ex:hub ex:refers <http://purl.org/vocab/vann/madeUp> .
<http://purl.org/vocab/vann/madeUp> rdfs:label "a vocabulary term"@en .
ex:hub ex:self ex:hub .
[] ipg:issuedBy ex:hub ; rdfs:label "an anonymous notice"@en .
ex:hub ex:describedBy [ a ipg:Agency ; rdfs:label "an anonymous agency"@en ] .
"""


@pytest.fixture(scope="module")
def around_kgs(tmp_path_factory: pytest.TempPathFactory) -> list[ipgraph.KnowledgeGraph]:
    """The bundled graph plus a hub with every kind of non-entity neighbour, in memory and
    in Oxigraph."""
    folder = tmp_path_factory.mktemp("around")
    data = folder / "around.ttl"
    data.write_text(AROUND, encoding="utf-8")
    return [
        ipgraph.load(str(data)),
        ipgraph.load(str(data), store=f"oxigraph:{folder / 'store'}"),
    ]


HUB, ORG, D2 = URIRef(EX + "hub"), URIRef(EX + "org"), URIRef(EX + "d2")
RULES = [
    None,
    constraints(avoid=[("entity", ORG, "Org")]),
    constraints(avoid=[("class", IPG.PolicyDocument, "PolicyDocument")]),
    constraints(avoid=[("predicate", IPG.issuedBy, "issued by")]),
    constraints(via=[("class", IPG.Notice, "Notice")]),
]


def expected_relations(
    G: object, center: URIRef, limit: int, rules: object, types: tuple[URIRef, ...] = ()
) -> dict[tuple[str, bool], tuple[int, list[str]]]:
    """Per (predicate, forward): how many entities the projection lists, and the first
    ``limit`` of them by IRI."""
    found = neighbors(G, center, 1, types, rules)  # type: ignore[arg-type]
    expected = {}
    for (_, predicate, forward), members in found.groups().items():
        iris = sorted(str(nb.node) for nb in members)
        expected[(str(predicate), forward)] = (len(iris), iris[:limit] if limit else iris)
    return expected


SETTINGS = [((), rules) for rules in RULES] + [(("provenance",), None), (("observations",), None)]
CASES = [(HUB, 0, ()), (HUB, 2, ()), (HUB, 1, (IPG.PolicyDocument,)), (ORG, 1, ()), (D2, 0, ())]


@pytest.mark.parametrize(("include", "rules"), SETTINGS)
def test_relations_by_lookups_equal_the_projections(
    around_kgs: list[ipgraph.KnowledgeGraph], include: tuple[str, ...], rules: object
) -> None:
    G = build_projection(around_kgs[0].graph, include)
    for kg in around_kgs:
        search = LocalSearch(kg.store, include, rules)  # type: ignore[arg-type]
        for center, limit, types in CASES:
            around = search.relations(center, limit, types)
            assert around is not None
            got = {(r.predicate, r.forward): (r.count, r.members) for r in around.relations}
            assert got == expected_relations(G, center, limit, rules, types), (kg.store, center)
            listed = {m for r in around.relations for m in r.members}
            assert set(around.nodes) == listed
            for m, node in around.nodes.items():
                assert (node.label, node.label_zh) == (
                    G.nodes[URIRef(m)]["label"],
                    G.nodes[URIRef(m)]["label_zh"],
                )
                assert node.types == tuple(str(t) for t in G.nodes[URIRef(m)]["types"])
        assert search.relations(URIRef(EX + "Kind")) is None  # a class is no centre


def test_the_hub_has_every_kind_of_neighbour(around_kgs: list[ipgraph.KnowledgeGraph]) -> None:
    """The cases above cover a class, a passage, a source, an observation, a predicate
    between IRIs, a term used only with literals, a schema term, a vocabulary term, an IRI
    that is never a subject, blank nodes linking to it and linked from it: each a neighbour
    of the hub, none (but the literal-valued term) an entity of the default projection."""
    memory = around_kgs[0]
    G = build_projection(memory.graph)
    near = {str(o) for o in memory.graph.objects(HUB)} | {
        str(s) for s in memory.graph.subjects(None, HUB)
    }
    for name in ("Kind", "passage", "source", "obs", "rel", "Sub", "external"):
        assert EX + name in near and URIRef(EX + name) not in G
    vocabulary = URIRef("http://purl.org/vocab/vann/madeUp")
    assert str(vocabulary) in near and vocabulary not in G
    blanks = [n for n in (*memory.graph.objects(HUB), *memory.graph.subjects(None, HUB))]
    assert len([n for n in blanks if isinstance(n, BNode)]) == 2
    assert not any(isinstance(n, BNode) for n in G)
    assert URIRef(EX + "valued") in G and URIRef(EX + "d4") in G


def test_bounded_neighborhood_counts_what_the_projection_holds(
    around_kgs: list[ipgraph.KnowledgeGraph],
) -> None:
    G = build_projection(around_kgs[0].graph)
    total = 1 + len({nb.node for nb in neighbors(G, HUB).neighbors})
    for kg in around_kgs:
        ball, counted = LocalSearch(kg.store).bounded_neighborhood(HUB, 1, 3)
        assert ball is not None and counted == total
        B = build_projection(ball)
        assert len([n for n in B if B.degree(n)]) == 3  # the hub and the first two by IRI


def test_the_ends_of_a_hubs_links_are_the_same_iris_on_every_store(
    around_kgs: list[ipgraph.KnowledgeGraph],
) -> None:
    # Blank nodes link to the hub and from it; only IRIs are ends a path search walks to.
    memory = around_kgs[0].graph
    ends = {str(o) for _, p, o in memory.triples((HUB, None, None)) if isinstance(o, URIRef)}
    ends |= {str(s) for s, _, _ in memory.triples((None, None, HUB)) if isinstance(s, URIRef)}
    ends -= {str(HUB)} | {str(o) for o in memory.objects(HUB, RDF.type)}
    for kg in around_kgs:
        found = LocalSearch(kg.store).neighbors([str(HUB)]) - {str(HUB)}
        assert found == ends, kg.store


SHARED = f"""@prefix ex: <{EX}> .
@prefix ipg: <https://w3id.org/ipgraph/ontology#> .
ex:a a ipg:Agency .
ex:b a ipg:Agency .
ex:prog-2 a ipg:Program ; ipg:launchedBy ex:a, ex:b .
ex:prog-1 a ipg:Program ; ipg:launchedBy ex:a, ex:b .
""" + "".join(
    f"ex:doc-{n:03} a ipg:PolicyDocument ; ipg:issuedBy ex:a, ex:b .\n" for n in range(100)
)


@pytest.mark.parametrize("via", [None, IPG.Program])
def test_a_meeting_point_after_many_disallowed_ones_is_the_first_allowed(
    tmp_path: Path, via: URIRef | None
) -> None:
    """Two hubs share 100 documents and then (by IRI) two programs: through programs only,
    the search checks the first shared neighbours, then the rest, and finds a path as short
    as the projection's through the first allowed meeting point by IRI."""
    data = tmp_path / "shared.ttl"
    data.write_text(SHARED, encoding="utf-8")
    a, b = URIRef(EX + "a"), URIRef(EX + "b")
    rules = constraints(via=[("class", via, "Program")] if via else [])
    stores = (None, f"oxigraph:{tmp_path / 'store'}")
    for kg in (ipgraph.load(str(data), store=store) for store in stores):
        ball = LocalSearch(kg.store, rules=rules).path(a, b)
        assert ball is not None
        G = kg.projection()
        found = shortest_path(build_projection(ball), a, b, rules).nodes
        assert len(found) == len(shortest_path(G, a, b, rules).nodes) == 3
        assert found[1] == URIRef(EX + ("prog-1" if via else "doc-000"))
