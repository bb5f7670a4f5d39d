"""Terms between rdflib and pyoxigraph (`ipgraph.store.oxterms`)."""

from __future__ import annotations

import pyoxigraph
from hypothesis import given
from hypothesis import strategies as st
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier

import ipgraph
from ipgraph.store.oxterms import XSD_INTEGER, ox_converter, ox_result, to_ox
from ipgraph.vocab import ID

MOE = ID["agency/moe"]


def test_a_native_result_has_rdflib_terms(oxigraph_kg: ipgraph.KnowledgeGraph) -> None:
    result = oxigraph_kg.query(
        "SELECT ?m ?n ?l WHERE { BIND(agency:moe AS ?m) BIND(3 AS ?n) BIND('x'@en AS ?l) }"
    )
    assert result.rows == [(MOE, Literal(3), Literal("x", lang="en"))]
    assert isinstance(result.rows[0][0], URIRef)


ox_safe = st.characters(blacklist_categories=("Cs",))
IRI = r"https://example\.org/[A-Za-z0-9/_-]{0,20}(#[A-Za-z0-9_-]{0,8})?"  # one '#' at most
terms = st.one_of(
    st.from_regex(
        r"https://example\.org/[A-Za-z0-9/_-]{0,20}(#[A-Za-z0-9_-]{0,8})?", fullmatch=True
    ).map(URIRef),
    st.text(ox_safe).map(Literal),
    st.tuples(
        st.text(ox_safe), st.from_regex(r"[a-z]{2,3}(-[a-z]{2}|-[0-9]{3})?", fullmatch=True)
    ).map(lambda t: Literal(t[0], lang=t[1])),
    st.integers().map(Literal),
    st.tuples(st.text(ox_safe), st.sampled_from([XSD.gYear, XSD.date, XSD.anyURI])).map(
        lambda t: Literal(t[0], datatype=t[1])
    ),
    st.from_regex(r"[A-Za-z][A-Za-z0-9]{0,15}", fullmatch=True).map(BNode),
)


@given(terms)
def test_terms_round_trip_between_rdflib_and_pyoxigraph(term: Identifier) -> None:
    back = ox_converter(pyoxigraph)(to_ox(pyoxigraph, term))
    assert back == term and type(back) is type(term)
    if isinstance(term, Literal):
        assert (back.language, back.datatype) == (term.language, term.datatype)


def test_a_plain_string_has_no_datatype_on_the_way_back() -> None:
    convert = ox_converter(pyoxigraph)
    assert convert(pyoxigraph.Literal("x")) == Literal("x")
    assert convert(pyoxigraph.Literal("x")).datatype is None
    typed = convert(pyoxigraph.Literal("7", datatype=pyoxigraph.NamedNode(str(XSD_INTEGER))))
    assert typed.toPython() == 7


def test_results_of_every_kind_come_back_as_rdflib() -> None:
    store = pyoxigraph.Store()
    a, p = pyoxigraph.NamedNode("urn:a"), pyoxigraph.NamedNode("urn:p")
    store.add(pyoxigraph.Quad(a, p, pyoxigraph.Literal("甲", language="zh")))
    rows = ox_result(pyoxigraph, store.query("SELECT ?s ?o ?x WHERE { ?s ?p ?o }"))
    assert [tuple(row) for row in rows] == [(URIRef("urn:a"), Literal("甲", lang="zh"), None)]
    assert ox_result(pyoxigraph, store.query("ASK { ?s ?p ?o }")).askAnswer is True
    graph = ox_result(pyoxigraph, store.query("CONSTRUCT WHERE { ?s ?p ?o }")).graph
    assert graph is not None
    assert set(graph) == {(URIRef("urn:a"), URIRef("urn:p"), Literal("甲", lang="zh"))}
