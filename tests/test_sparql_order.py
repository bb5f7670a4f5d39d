"""ORDER BY sorted in Python (`ipgraph.sparql.order`): which queries qualify, and the SPARQL
order of unbound values, blank nodes, IRIs and strings."""

from __future__ import annotations

import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from ipgraph.sparql.order import sort_rows, split_order

Row = tuple[Node | None, ...]


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE { ?s ?p ?o } ORDER BY ?s LIMIT 5",  # the sort picks the rows kept
        "SELECT * WHERE { ?s ?p ?o } ORDER BY ?s OFFSET 5",
        "SELECT * WHERE { ?s ?p ?o } ORDER BY STRLEN(?s)",  # an expression: the engine's
        "SELECT * WHERE { { SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s } }",  # inner order
        "SELECT * WHERE { ?s ?p ?o }",
    ],
)
def test_only_a_final_order_by_of_variables_is_split(text: str) -> None:
    assert split_order(text) is None


def test_split_keeps_the_query_and_reads_directions() -> None:
    text = "SELECT ?a ?b ?c WHERE { ?a ?b ?c }\norder by desc(?c) ASC(?a) $b\n"
    assert split_order(text) == (
        "SELECT ?a ?b ?c WHERE { ?a ?b ?c }\n",
        [("c", True), ("a", False), ("b", False)],
    )


def test_sparql_order_of_kinds_and_directions() -> None:
    a, b = URIRef("urn:a"), URIRef("urn:b")
    values = [Literal("x"), b, None, BNode(), a, Literal("w")]
    rows: list[Row] = [(v, Literal(n)) for n, v in enumerate(values, 1)]
    up = sort_rows(["v", "n"], rows, [("v", False)])
    assert up is not None and [r[1] for r in up] == [Literal(n) for n in (3, 4, 5, 2, 6, 1)]
    down = sort_rows(["v", "n"], rows, [("v", True)])
    assert down is not None and [r[1] for r in down] == [Literal(n) for n in (1, 6, 2, 5, 4, 3)]


def test_later_keys_break_ties_and_equal_rows_keep_their_order() -> None:
    a, b = URIRef("urn:a"), URIRef("urn:b")
    pairs = [(b, a), (a, b), (a, a), (a, b)]
    rows: list[Row] = [(x, y, Literal(n)) for n, (x, y) in enumerate(pairs, 1)]
    ordered = sort_rows(["x", "y", "n"], rows, [("x", False), ("y", True)])
    assert ordered is not None and [r[2] for r in ordered] == [Literal(n) for n in (2, 4, 3, 1)]


@pytest.mark.parametrize(
    "value",
    [
        Literal("x", lang="en"),
        Literal("2021-01-01", datatype=XSD.date),
        Literal("2021", datatype=URIRef("urn:t")),
        Literal("NaN", datatype=XSD.double),
    ],
)
def test_values_whose_order_is_the_engines_are_left_to_it(value: Literal) -> None:
    assert sort_rows(["v"], [(URIRef("urn:a"),), (value,)], [("v", False)]) is None


def test_numbers_sort_by_value_but_not_among_strings() -> None:
    numbers = [Literal(10), Literal("2.5", datatype=XSD.decimal), Literal(3.0), URIRef("urn:a")]
    ordered = sort_rows(["v"], [(n,) for n in numbers], [("v", False)])
    assert ordered is not None and [r[0] for r in ordered] == [numbers[i] for i in (3, 1, 2, 0)]
    assert sort_rows(["v"], [(Literal(1),), (Literal("a"),)], [("v", False)]) is None


def test_a_key_the_rows_do_not_hold_changes_nothing() -> None:
    rows = [(URIRef("urn:b"),), (URIRef("urn:a"),)]
    assert sort_rows(["v"], rows, [("w", False)]) == rows
