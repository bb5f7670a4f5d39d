"""What ipgraph knows about terms (`ipgraph.terms`): `to_term` / `plain` round trips, the
subclass closure, and the "vocabulary term or entity" rule."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDFS, XSD

from ipgraph.errors import UsageError
from ipgraph.terms import is_vocabulary_iri, local_name, plain, subclasses, superclasses, to_term
from ipgraph.vocab import ID, IPG

# text a user binds as a plain string: not an IRI, CURIE or N3 literal
plain_text = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1).filter(
    lambda s: ":" not in s and not s.strip().startswith(("<", '"'))
)
lang_tags = st.from_regex(r"[a-z]{2,3}(-[A-Za-z0-9]{1,8})?", fullmatch=True)
literal_text = st.text(st.characters(blacklist_categories=("Cs", "Cc")))


@given(st.integers())
def test_integers_round_trip(n: int) -> None:
    term = to_term(n)
    assert term == Literal(n) and term.datatype == XSD.integer
    assert plain(term) == n


@given(st.booleans())
def test_booleans_round_trip(b: bool) -> None:
    assert plain(to_term(b)) is b


@given(st.dates())
def test_dates_round_trip_as_iso_text(day: datetime.date) -> None:
    assert plain(to_term(day)) == day.isoformat()


@given(plain_text)
def test_plain_strings_stay_strings(text: str) -> None:
    term = to_term(text)
    assert term == Literal(text)
    assert plain(term) == text


@given(st.from_regex(r"https://example\.org/[A-Za-z0-9/_#-]{0,30}", fullmatch=True))
def test_iris_round_trip(iri: str) -> None:
    assert to_term(iri) == URIRef(iri)
    assert to_term(f"<{iri}>") == URIRef(iri)
    assert plain(to_term(iri)) == iri


@given(literal_text, lang_tags)
def test_n3_literals_with_a_language_round_trip(text: str, lang: str) -> None:
    literal = Literal(text, lang=lang)
    assert to_term(literal.n3()) == literal
    assert plain(to_term(literal.n3())) == text


@given(literal_text)
def test_n3_literals_with_a_datatype_round_trip(text: str) -> None:
    literal = Literal(text, datatype=URIRef("https://example.org/dt"))
    assert to_term(literal.n3()) == literal


def test_curies_use_the_given_prefixes() -> None:
    assert to_term("ipg:Agency") == IPG.Agency
    assert to_term("id:agency/moe") == ID["agency/moe"]
    assert to_term('"2021"^^xsd:gYear') == Literal("2021", datatype=XSD.gYear)
    assert to_term("ex:a", {"ex": "https://example.org/"}) == URIRef("https://example.org/a")
    assert to_term("ipg:Agency", {}) == Literal("ipg:Agency")  # no such prefix: plain text


def test_terms_pass_through_and_bad_values_are_usage_errors() -> None:
    node = BNode()
    assert to_term(node) is node
    with pytest.raises(UsageError, match="cannot bind a list"):
        to_term([1])
    with pytest.raises(UsageError, match="not an N3 literal"):
        to_term('"unterminated')
    with pytest.raises(UsageError, match="unknown prefix 'nope'"):
        to_term('"x"^^nope:t')


def test_plain_values_are_json_ready() -> None:
    assert plain(Literal("23000.0", datatype=XSD.decimal)) == 23000
    assert isinstance(plain(Literal("23000.0", datatype=XSD.decimal)), int)
    assert plain(Literal(Decimal("0.25"))) == 0.25
    assert plain(BNode("b1")) == "_:b1"
    assert plain(Literal("教育部", lang="zh")) == "教育部"
    assert plain(None) is None


def test_superclasses_close_over_a_cycle() -> None:
    a, b, c, d = (URIRef(f"urn:{n}") for n in "abcd")
    closed = superclasses([a, b, d], {a: [b], b: [a, c], c: [], d: []})
    assert closed[a] == closed[b] == frozenset({a, b, c})
    assert closed[d] == frozenset({d})  # every class is its own superclass


def test_subclasses_walk_down_once_each() -> None:
    g = Graph()
    a, b, c = (URIRef(f"urn:{n}") for n in "abc")
    g.add((b, RDFS.subClassOf, a))
    g.add((c, RDFS.subClassOf, b))
    g.add((c, RDFS.subClassOf, a))
    assert subclasses(g, [a]) == [a, b, c] or subclasses(g, [a]) == [a, c, b]
    assert len(subclasses(g, [a, b])) == 3


def test_vocabulary_iris_are_standard_namespaces_only() -> None:
    assert is_vocabulary_iri(URIRef("http://www.w3.org/2004/02/skos/core#Concept"))
    assert is_vocabulary_iri(URIRef("http://www.w3.org/ns/prov#Entity"))
    assert is_vocabulary_iri(URIRef("http://www.w3.org/ns/org#Organization"))
    assert not is_vocabulary_iri(IPG.Agency)  # ours: a class, but by its type, not its IRI
    assert not is_vocabulary_iri(ID["agency/moe"])
    assert not is_vocabulary_iri(Literal("http://www.w3.org/2004/02/skos/core#Concept"))


def test_local_name() -> None:
    assert local_name(IPG.issuedBy) == "issuedBy"
    assert local_name(ID["agency/moe"]) == "moe"
    assert local_name(URIRef("https://example.org/a/")) == "a"
