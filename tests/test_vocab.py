"""`ipgraph.vocab` against the ontology file and the vocabulary contract (docs/vocabulary.md)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef

from ipgraph.vocab import ELI, GRAPH, ID, IPG, ORG, PREFIXES, QB, SCHEMA, WD

REPO = Path(__file__).resolve().parents[1]
ONTOLOGY = REPO / "ontology" / "ontology.ttl"
CONTRACT = REPO / "docs" / "vocabulary.md"
IPG_NS = str(PREFIXES["ipg"])


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY, format="turtle")


def declared_terms(graph: Graph) -> set[URIRef]:
    """Every ipg: IRI the ontology says something about."""
    return {s for s in graph.subjects() if isinstance(s, URIRef) and s.startswith(IPG_NS)}


def python_terms() -> set[URIRef]:
    return {IPG[name] for name in IPG.__annotations__}


def test_every_python_term_is_declared_in_the_ontology(ontology: Graph) -> None:
    missing = sorted(python_terms() - declared_terms(ontology))
    assert missing == [], f"in src/ipgraph/vocab.py but not in {ONTOLOGY.name}: {missing}"


def test_every_ontology_term_is_in_the_python_namespace(ontology: Graph) -> None:
    missing = sorted(declared_terms(ontology) - python_terms())
    assert missing == [], f"in {ONTOLOGY.name} but not in src/ipgraph/vocab.py: {missing}"


def test_every_term_in_the_contract_is_declared_and_vice_versa(ontology: Graph) -> None:
    named = {IPG[name] for name in re.findall(r"\bipg:([A-Za-z]+)", CONTRACT.read_text("utf-8"))}
    declared = declared_terms(ontology)
    assert sorted(named - declared) == [], "docs/vocabulary.md names undeclared terms"
    assert sorted(declared - named) == [], "declared terms missing from docs/vocabulary.md"


def test_unknown_terms_fail_loudly() -> None:
    with pytest.raises(AttributeError):
        _ = IPG.NoSuchTerm


@pytest.mark.parametrize("name", sorted(IPG.__annotations__))
def test_term_has_english_and_chinese_label_and_comment(ontology: Graph, name: str) -> None:
    term = IPG[name]
    labels = {
        lit.language for lit in ontology.objects(term, RDFS.label) if isinstance(lit, Literal)
    }
    comments = [c for c in ontology.objects(term, RDFS.comment) if isinstance(c, Literal)]
    assert {"en", "zh"} <= labels, f"{name}: needs rdfs:label @en and @zh, has {labels}"
    assert any(c.language == "en" for c in comments), f"{name}: needs an English rdfs:comment"
    assert (term, RDFS.isDefinedBy, URIRef("https://w3id.org/ipgraph/ontology")) in ontology


def test_classes_and_properties_are_typed_and_aligned(ontology: Graph) -> None:
    kinds = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty}
    for name in IPG.__annotations__:
        term = IPG[name]
        types = set(ontology.objects(term, RDF.type))
        if not types & kinds:
            continue  # an individual: a qualifier or a concept scheme
        if OWL.Class in types:
            assert list(ontology.objects(term, RDFS.subClassOf)), f"{name}: no rdfs:subClassOf"
        else:
            assert list(ontology.objects(term, RDFS.domain)), f"{name}: no rdfs:domain"


def test_prefixes_cover_the_namespace_constants() -> None:
    for namespace in (ELI, ORG, SCHEMA, QB, WD, ID):  # ORG, SCHEMA, QB are rdflib's own
        assert str(namespace) in {str(ns) for ns in PREFIXES.values()}
    assert PREFIXES["ipg"] == IPG_NS == "https://w3id.org/ipgraph/ontology#"
    assert GRAPH["ontology"] == URIRef("https://w3id.org/ipgraph/graph/ontology")
    expected = {"ipg", "org", "eli", "prov", "skos", "schema", "dcterms", "qb", "rdf", "rdfs"}
    expected |= {"owl", "xsd", "sh", "wd", "id"}
    assert expected <= set(PREFIXES)


def test_ontology_prefixes_agree_with_vocab(ontology: Graph) -> None:
    for prefix, namespace in ontology.namespaces():
        if prefix in PREFIXES:
            assert str(namespace) == str(PREFIXES[prefix]), prefix
