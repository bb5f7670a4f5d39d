"""Query results (`ipgraph.sparql.result.QueryResult`): serialised in the SPARQL 1.1 result
formats and RDF formats, parsed back with rdflib's own parsers; media types; plain dicts."""

from __future__ import annotations

import csv
import io
import json

import pytest
from rdflib import BNode, Graph, Literal, Variable, namespace
from rdflib.compare import isomorphic
from rdflib.query import Result

import ipgraph
from ipgraph.errors import UsageError
from ipgraph.sparql import QueryResult
from ipgraph.vocab import ID

MOE = ID["agency/moe"]


@pytest.fixture
def mixed() -> QueryResult:
    """A SELECT result with every kind of term: IRI, blank node, lang, typed, tab, unbound."""
    return QueryResult(
        "SELECT",
        ["s", "label", "n", "note"],
        [
            (
                MOE,
                Literal("教育部", lang="zh"),
                Literal("23000", datatype=namespace.XSD.decimal),
                None,
            ),
            (BNode("b1"), Literal('tab\there "q"\nline'), Literal(2021), Literal("x", lang="en")),
        ],
    )


@pytest.mark.parametrize("fmt", ["json", "xml", "tsv"])
def test_select_round_trips_through_standard_formats(mixed: QueryResult, fmt: str) -> None:
    parsed = Result.parse(io.BytesIO(mixed.serialize(fmt)), format=fmt)
    assert [str(v) for v in parsed.vars or []] == mixed.vars
    got = [tuple(row) for row in parsed]
    assert len(got) == 2
    assert got[0][:3] == mixed.rows[0][:3] and got[0][3] is None
    assert got[1][1:] == mixed.rows[1][1:]
    assert isinstance(got[1][0], BNode)


def test_select_csv_keeps_values_as_text(mixed: QueryResult) -> None:
    data = mixed.serialize("csv")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
    assert rows[0] == ["s", "label", "n", "note"]
    assert rows[1] == [str(MOE), "教育部", "23000", ""]
    assert rows[2][1] == 'tab\there "q"\nline'
    parsed = Result.parse(io.BytesIO(data), format="csv")
    assert len(list(parsed)) == 2


def test_select_csv_is_what_rdflib_writes(mixed: QueryResult) -> None:
    rdflib_result = Result("SELECT")
    rdflib_result.vars = [Variable(v) for v in mixed.vars]
    rdflib_result.bindings = [
        {
            var: value
            for var, value in zip(rdflib_result.vars, row, strict=True)
            if value is not None
        }
        for row in mixed.rows
    ]
    assert mixed.serialize("csv") == rdflib_result.serialize(format="csv", encoding="utf-8")


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_ask_serialises_in_every_result_format(fmt: str) -> None:
    data = QueryResult("ASK", boolean=True).serialize(fmt)
    if fmt in ("json", "xml"):
        assert Result.parse(io.BytesIO(data), format=fmt).askAnswer is True
    else:
        assert data.decode().split() == ["_askResult" if fmt == "csv" else "?_askResult", "true"]


@pytest.mark.parametrize(
    ("fmt", "rdflib_format"),
    [("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld"), ("xml", "xml")],
)
def test_graphs_round_trip(kg: ipgraph.KnowledgeGraph, fmt: str, rdflib_format: str) -> None:
    result = kg.query("DESCRIBE agency:moe")
    assert result.graph is not None
    back = Graph().parse(data=result.serialize(fmt), format=rdflib_format)
    assert isomorphic(back, result.graph)


def test_format_and_kind_must_match(kg: ipgraph.KnowledgeGraph) -> None:
    with pytest.raises(UsageError, match="is for graphs"):
        kg.query("ASK {}").serialize("ttl")
    with pytest.raises(UsageError, match="serialises as ttl, nt, jsonld or xml"):
        kg.query("DESCRIBE agency:moe").serialize("csv")


def test_media_types_follow_the_kind() -> None:
    select = QueryResult("SELECT")
    graph = QueryResult("CONSTRUCT", graph=Graph())
    assert select.media_type("json") == "application/sparql-results+json"
    assert select.media_type("tsv") == "text/tab-separated-values"
    assert graph.media_type("ttl") == "text/turtle"
    assert graph.media_type("xml") == "application/rdf+xml"
    assert set(QueryResult.MEDIA_TYPES) >= {"json", "xml", "csv", "tsv", "ttl", "nt", "jsonld"}


def test_to_dicts_gives_plain_json_ready_values(kg: ipgraph.KnowledgeGraph) -> None:
    rows = kg.query(
        """SELECT ?value ?date ?period ?flag WHERE {
             ?o ipg:value ?value ; ipg:referenceDate ?date .
             OPTIONAL { ?o ipg:referencePeriod ?period }
             BIND(true AS ?flag) } ORDER BY ?value LIMIT 1"""
    ).to_dicts()
    assert rows == [{"value": 6.3, "date": "2020-12-31", "period": None, "flag": True}]
    json.dumps(rows)


def _turtle_label_ok(label: str) -> bool:
    """Whether ``_:label`` is a blank node an independent Turtle parser (rdflib's) reads."""
    try:
        Graph().parse(data=f"_:{label} <urn:p> <urn:o> .", format="turtle")
    except Exception:
        return False
    return True


def test_blank_nodes_are_one_label_in_every_format_and_a_turtle_one() -> None:
    # Regression: a SPARQL server's blank node (Virtuoso: nodeID://b10000) came out of CSV
    # and TSV as `_:nodeID://b10000`, which is no Turtle label as SPARQL CSV/TSV require.
    odd, plain, twin = BNode("nodeID://b1"), BNode("b0"), BNode("nodeIDb1")
    result = QueryResult("SELECT", ["x"], [(odd,), (plain,), (twin,), (odd,)])
    labels = [result.bnode_label(node) for node in (odd, plain, twin)]
    assert labels == ["nodeIDb1_2", "b0", "nodeIDb1"]  # a Turtle label kept, all distinct
    assert all(_turtle_label_ok(label) for label in labels)
    written = [f"_:{label}" for label in labels + labels[:1]]
    assert result.serialize("csv").decode().split()[1:] == written
    assert result.serialize("tsv").decode().split()[1:] == written
    assert [row["x"] for row in result.to_dicts()] == written
    bindings = json.loads(result.serialize("json"))["results"]["bindings"]
    assert [b["x"] for b in bindings] == [{"type": "bnode", "value": w[2:]} for w in written]
    parsed = Result.parse(io.BytesIO(result.serialize("xml")), format="xml")
    assert [str(row[0]) for row in parsed] == [w[2:] for w in written]  # type: ignore[index]


def test_blank_node_labels_that_are_turtle_ones_stay() -> None:
    nodes = [BNode("a9dbb5019194958fb67ec6fbcffdde83"), BNode("N1f2"), BNode("k.1"), BNode("9")]
    result = QueryResult("SELECT", ["x"], [(n,) for n in nodes])
    assert result.serialize("csv").decode().split()[1:] == [f"_:{n}" for n in nodes]
    assert result.rows == [(n,) for n in nodes]
