"""The entity projection (``ipgraph.graph.projection``): what it holds, that it agrees with SPARQL,
that it follows the data, and its GraphML/GEXF export."""

from __future__ import annotations

import io

import networkx as nx
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS

import ipgraph
from ipgraph.errors import UsageError
from ipgraph.graph.projection import build_projection, export_projection, undirected
from ipgraph.vocab import ID, IPG, QB

# The projection's rules written independently, as SPARQL over the same union graph: an
# entity is an IRI that is the subject of some triple and is not a class, a property, another
# vocabulary term, or of a left-out class; an edge is a triple between two entities that is
# neither rdf:type nor a schema statement. (Several small queries: rdflib evaluates these much
# faster than one query with a NOT EXISTS per rule.)
PREFIXES = """
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
SCHEMA = (
    "rdfs:subClassOf rdfs:subPropertyOf rdfs:domain rdfs:range owl:equivalentClass "
    "owl:equivalentProperty owl:inverseOf owl:disjointWith"
)
TERM_TYPES = (
    "owl:Class rdfs:Class rdfs:Datatype rdf:Property owl:ObjectProperty owl:DatatypeProperty "
    "owl:AnnotationProperty owl:TransitiveProperty owl:SymmetricProperty owl:FunctionalProperty "
    "owl:InverseFunctionalProperty owl:Ontology owl:Restriction skos:ConceptScheme"
)
STANDARD = (
    "http://www.w3.org/", "https://schema.org/", "http://purl.org/",
    "http://data.europa.eu/eli/ontology#",
)  # fmt: skip
CANDIDATE_EDGES = (
    PREFIXES
    + f"""SELECT DISTINCT ?s ?p ?o WHERE {{
  ?s ?p ?o .
  FILTER (isIRI(?s) && isIRI(?o) && ?p != rdf:type)
  FILTER (?p NOT IN ({", ".join(SCHEMA.split())}))
}}"""
)
SUBJECTS = PREFIXES + "SELECT DISTINCT ?e WHERE { ?e ?p ?o FILTER (isIRI(?e)) }"
NOT_ENTITIES = (
    PREFIXES
    + f"""SELECT DISTINCT ?e WHERE {{
  {{ ?x rdf:type ?e }}
  UNION {{ ?x ?e ?y }}
  UNION {{ VALUES ?schema {{ {SCHEMA} }} ?e ?schema ?y }}
  UNION {{ VALUES ?schema {{ {SCHEMA} }} ?y ?schema ?e }}
  UNION {{ VALUES ?term {{ {TERM_TYPES} }} ?e rdf:type ?term }}
  UNION {{ VALUES ?left {{ LEFT_OUT }} ?e rdf:type/rdfs:subClassOf* ?left }}
}}"""
)
LEFT_OUT = {
    (): [IPG.Source, IPG.Passage, IPG.Observation, QB.Observation, IPG.Measure, IPG.Unit,
         IPG.Qualifier],
    ("provenance",): [IPG.Observation, QB.Observation, IPG.Measure, IPG.Unit, IPG.Qualifier],
    ("observations",): [IPG.Source, IPG.Passage],
    ("observations", "provenance"): [URIRef("urn:nothing-left-out")],
}  # fmt: skip
OBSERVATION = ID["observation/cnipa-ar2021-ch4/special-plan-provinces"]
PASSAGE = ID["passage/cnipa-ar2021-ch4/s02-p1"]


def sparql_edges(kg: ipgraph.KnowledgeGraph, include: tuple[str, ...]) -> set[tuple[str, ...]]:
    left_out = " ".join(f"<{cls}>" for cls in LEFT_OUT[include])

    def column(query: str) -> set[str]:
        return {str(row[0]) for row in kg.graph.query(query)}  # type: ignore[index]

    entities = {
        e
        for e in column(SUBJECTS) - column(NOT_ENTITIES.replace("LEFT_OUT", left_out))
        if not e.startswith(STANDARD)
    }
    return {
        (str(s), str(p), str(o))
        for s, p, o in kg.graph.query(CANDIDATE_EDGES)  # type: ignore[misc]
        if str(s) in entities and str(o) in entities
    }


def projection_edges(G: nx.MultiDiGraph) -> set[tuple[str, ...]]:
    return {(str(u), str(key), str(v)) for u, v, key in G.edges(keys=True)}


@pytest.mark.parametrize("include", list(LEFT_OUT))
def test_the_projection_has_exactly_the_edges_sparql_finds(
    kg: ipgraph.KnowledgeGraph, include: tuple[str, ...]
) -> None:
    expected = sparql_edges(kg, include)
    assert expected, "the SPARQL side found nothing: the comparison would prove nothing"
    assert projection_edges(kg.projection(include)) == expected


def test_nodes_are_entities_only(kg: ipgraph.KnowledgeGraph) -> None:
    G = kg.projection()
    assert kg.resolve("MOE") in G and ID["region/zhejiang"] in G
    assert not any(isinstance(node, Literal) for node in G)
    classes = set(kg.graph.objects(None, RDF.type)) | set(kg.graph.subjects(RDF.type, OWL.Class))
    assert classes and not classes & set(G)
    properties = set(kg.graph.predicates())
    assert not properties & set(G)
    for cls in (IPG.Passage, IPG.Source, IPG.Observation, IPG.Unit):
        members = set(kg.instances(cls))
        assert members, f"the seed has no {cls}: this check would be empty"
        assert not members & set(G), cls
    assert not any(key in (RDF.type, PROV.wasDerivedFrom) for _, _, key in G.edges(keys=True))


def test_observations_and_provenance_come_when_asked(kg: ipgraph.KnowledgeGraph) -> None:
    with_obs = kg.projection("observations")
    observation = OBSERVATION
    assert observation in with_obs
    assert with_obs.has_edge(
        observation, ID["program/special-plan-patent-transfer-commercialization"], IPG.about
    )
    assert not any(k == PROV.wasDerivedFrom for _, _, k in with_obs.edges(keys=True))
    with_prov = kg.projection(["provenance"])
    passage = PASSAGE
    assert passage in with_prov and observation not in with_prov
    assert with_prov.has_edge(kg.resolve("MOF"), passage, PROV.wasDerivedFrom)


def test_node_and_edge_attributes(kg: ipgraph.KnowledgeGraph) -> None:
    G = kg.projection()
    moe = kg.resolve("MOE")
    assert G.nodes[moe]["label_en"] == "Ministry of Education"
    assert G.nodes[moe]["label_zh"] == "教育部"
    assert G.nodes[moe]["label"] == "Ministry of Education"
    assert G.nodes[moe]["types"] == (IPG.Ministry,)
    guidelines = ID["document/guidelines-ip-terms-cooperation-agreements"]
    edge = G.edges[guidelines, moe, IPG.issuedBy]
    assert edge["predicate"] == IPG.issuedBy
    assert edge["label_en"] == "issued by"
    assert edge["label_zh"] == "发布机关"
    assert not G.has_edge(moe, guidelines), "edges point the way their triples do"


def test_the_superclass_map_includes_the_class_itself_and_its_ancestors(
    kg: ipgraph.KnowledgeGraph,
) -> None:
    superclasses = kg.projection().graph["superclasses"]
    assert {IPG.Ministry, IPG.Agency, IPG.Organization} <= superclasses[IPG.Ministry]


def test_the_builder_takes_any_rdflib_graph(kg: ipgraph.KnowledgeGraph) -> None:
    # The facts alone, without the vocabulary graph: the same entities and relations.
    facts_only = build_projection(kg.data_graph())
    assert projection_edges(facts_only) == projection_edges(kg.projection())


def test_unknown_include_is_a_usage_error(kg: ipgraph.KnowledgeGraph) -> None:
    with pytest.raises(UsageError, match="observations, provenance"):
        kg.projection("passages")


def test_untyped_external_iris_and_blank_nodes_are_left_out() -> None:
    g = Graph().parse(
        format="turtle",
        data="""
        @prefix ex: <http://example.org/> .
        @prefix owl: <http://www.w3.org/2002/07/owl#> .
        ex:a a ex:Thing ; ex:knows ex:b , [ ex:name "anon" ] ; owl:sameAs ex:wikidataItem .
        ex:b ex:knows ex:a .
        """,
    )
    G = build_projection(g)
    assert set(G) == {URIRef("http://example.org/a"), URIRef("http://example.org/b")}
    assert G.number_of_edges() == 2


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_export_round_trips_through_networkx(kg: ipgraph.KnowledgeGraph, fmt: str) -> None:
    G = kg.projection()
    text = kg.export_projection(fmt)
    reader = nx.read_graphml if fmt == "graphml" else nx.read_gexf
    back = reader(io.BytesIO(text.encode("utf-8")))
    assert back.is_directed()
    assert back.number_of_nodes() == G.number_of_nodes()
    assert back.number_of_edges() == G.number_of_edges()
    moe = str(kg.resolve("MOE"))
    assert back.nodes[moe]["label_zh"] == "教育部"
    assert back.nodes[moe]["types"] == "ipg:Ministry"
    relations = {data["relation"] for _, _, data in back.edges(data=True)}
    assert "ipg:issuedBy" in relations


def test_export_rejects_an_unknown_format(kg: ipgraph.KnowledgeGraph) -> None:
    with pytest.raises(UsageError, match="graphml or gexf"):
        export_projection(kg.projection(), "dot")


def test_undirected_merges_both_directions_into_one_edge() -> None:
    G = nx.MultiDiGraph()
    G.add_edge("a", "b", key=URIRef("x:p"))
    G.add_edge("b", "a", key=URIRef("x:q"))
    G.add_node("lonely")
    U = undirected(G)
    assert U.number_of_edges() == 1 and "lonely" in U
    assert U.edges["a", "b"]["predicates"] == {URIRef("x:p"), URIRef("x:q")}


def test_rdfs_labels_win_over_local_names(kg: ipgraph.KnowledgeGraph) -> None:
    G = kg.projection()
    labelled = [n for n in G if kg.graph.value(n, RDFS.label) is not None]
    assert labelled and all(G.nodes[n]["label"] for n in labelled)
