"""SPARQL in the library: `ipgraph.sparql.run.run_query` and ``kg.query``: prefixes,
bindings, the four result kinds, row and time limits, and FROM / the protocol dataset."""

from __future__ import annotations

import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import rdflib.plugins.sparql
from rdflib import Dataset, Graph, Literal, URIRef, namespace
from rdflib.namespace import RDFS

import ipgraph
from bounded import returns_within
from ipgraph.errors import QueryFailed, QueryForbidden, QueryTimeout, UsageError
from ipgraph.sparql.run import run_query
from ipgraph.store import MemoryStore
from ipgraph.terms import to_term
from ipgraph.vocab import ID, IPG

MOE = ID["agency/moe"]
EX = "https://example.org/"

# -- prefixes and bindings ---------------------------------------------------------------


def test_project_prefixes_are_pre_bound(kg: ipgraph.KnowledgeGraph) -> None:
    result = kg.query(
        "SELECT ?m WHERE { ?m a ipg:Ministry ; owl:sameAs ?w FILTER(STRSTARTS(STR(?w), STR(wd:))) }"
    )
    assert result.rows == []  # no ministry has a verified Wikidata link yet
    assert len(kg.query("SELECT ?m WHERE { ?m a ipg:Ministry }").rows) == 6


def test_prefixes_of_the_loaded_files_work_too(kg: ipgraph.KnowledgeGraph) -> None:
    """The table prints CURIEs such as agency:moe; they can be pasted back into a query."""
    assert kg.query("ASK { ?doc ipg:issuedBy agency:moe }").boolean is True


def test_a_prefix_declared_in_the_query_wins(kg: ipgraph.KnowledgeGraph) -> None:
    result = kg.query("PREFIX ipg: <https://example.org/other#> ASK { ?s a ipg:Ministry }")
    assert result.boolean is False


def test_bindings_accept_terms_curies_iris_and_n3_literals(kg: ipgraph.KnowledgeGraph) -> None:
    text = "SELECT ?doc WHERE { ?doc ipg:issuedBy ?org } ORDER BY ?doc"
    by_term = kg.query(text, org=MOE).rows
    assert by_term == [(ID["document/guidelines-ip-terms-cooperation-agreements"],)]
    assert kg.query(text, org="agency:moe").rows == by_term
    assert kg.query(text, org=str(MOE)).rows == by_term
    assert kg.query(text, org=f"<{MOE}>").rows == by_term
    labelled = kg.query("SELECT ?e WHERE { ?e rdfs:label ?l }", l='"教育部"@zh')
    assert labelled.rows == [(MOE,)]


def test_python_values_become_typed_literals(kg: ipgraph.KnowledgeGraph) -> None:
    result = kg.query("SELECT ?award WHERE { ?award ipg:edition ?n }", n=22)
    assert result.rows == [(ID["program/wipo-cnipa-award-22"],)]


def test_a_plain_string_binds_a_plain_literal() -> None:
    assert to_term("Ministry of Education") == Literal("Ministry of Education")
    assert to_term('"2021"^^xsd:gYear') == Literal("2021", datatype=namespace.XSD.gYear)


def test_binding_an_unknown_variable_is_an_error(kg: ipgraph.KnowledgeGraph) -> None:
    with pytest.raises(UsageError, match=r"no variable \?orgg.*\?doc, \?org"):
        kg.query("SELECT ?doc WHERE { ?doc ipg:issuedBy ?org }", orgg=MOE)


def test_bad_binding_values_are_errors() -> None:
    with pytest.raises(UsageError, match="not an N3 literal"):
        to_term('"unterminated')
    with pytest.raises(UsageError, match="cannot bind a list"):
        to_term([1, 2])


# -- the four result kinds ---------------------------------------------------------------


def test_select_rows_vars_and_dicts(kg: ipgraph.KnowledgeGraph) -> None:
    result = kg.query(
        """SELECT ?label ?zh ?missing WHERE {
             ?a rdfs:label ?label , ?zh . OPTIONAL { ?a ipg:edition ?missing }
             FILTER(lang(?label) = "en" && lang(?zh) = "zh") }""",
        a=MOE,
    )
    assert result.kind == "SELECT"
    assert result.vars == ["label", "zh", "missing"]
    assert result.rows == [
        (Literal("Ministry of Education", lang="en"), Literal("教育部", lang="zh"), None)
    ]
    assert result.to_dicts() == [
        {"label": "Ministry of Education", "zh": "教育部", "missing": None}
    ]
    assert len(result) == 1 and not result.truncated


def test_ask_true_and_false(kg: ipgraph.KnowledgeGraph) -> None:
    assert kg.query("ASK { ?d ipg:issuedBy ?a , ?b FILTER(?a != ?b) }").boolean is True
    answer = kg.query("ASK { ?x ipg:issuedBy ?x }")
    assert answer.kind == "ASK" and answer.boolean is False
    assert answer.to_dicts() == [{"boolean": False}]


def test_construct_returns_a_graph(kg: ipgraph.KnowledgeGraph) -> None:
    result = kg.query("CONSTRUCT { ?d ipg:issuedBy ?o } WHERE { ?d ipg:issuedBy ?o }", o=MOE)
    assert result.kind == "CONSTRUCT" and result.graph is not None
    assert set(result.graph) == {
        (ID["document/guidelines-ip-terms-cooperation-agreements"], IPG.issuedBy, MOE)
    }
    assert result.to_dicts()[0]["predicate"] == str(IPG.issuedBy)


def test_describe_returns_the_entitys_triples(kg: ipgraph.KnowledgeGraph) -> None:
    result = kg.query("DESCRIBE agency:moe")
    assert result.kind == "DESCRIBE" and result.graph is not None
    assert (MOE, RDFS.label, Literal("教育部", lang="zh")) in result.graph


def test_select_rows_are_cut_at_max_rows() -> None:
    g = Graph()
    for i in range(10):
        g.add((URIRef(f"{EX}s{i}"), RDFS.label, Literal(i)))
    cut = run_query(MemoryStore(g), "SELECT ?s WHERE { ?s ?p ?o }", max_rows=3)
    assert len(cut.rows) == 3 and cut.truncated
    whole = run_query(MemoryStore(g), "SELECT ?s WHERE { ?s ?p ?o }", max_rows=10)
    assert len(whole.rows) == 10 and not whole.truncated
    graph = run_query(MemoryStore(g), "CONSTRUCT WHERE { ?s ?p ?o }", max_rows=4)
    assert graph.graph is not None and len(graph.graph) == 4 and graph.truncated


def test_bad_limits_are_usage_errors() -> None:
    with pytest.raises(UsageError, match="time limit must be positive"):
        run_query(MemoryStore(Graph()), "ASK {}", timeout=0)
    with pytest.raises(UsageError, match="row limit"):
        run_query(MemoryStore(Graph()), "ASK {}", max_rows=-1)


# -- FROM and the protocol dataset: only graphs the store holds ---------------------------


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record (and block) any attempt to open a URL or parse a remote/file source."""
    attempts: list[str] = []

    def refuse(*args: Any, **kwargs: Any) -> Any:
        attempts.append(repr(args[:1]))
        raise AssertionError("a query tried to fetch a graph")

    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    monkeypatch.setattr(Graph, "parse", refuse)
    return attempts


def test_from_a_url_is_refused_and_never_fetched(
    kg: ipgraph.KnowledgeGraph, no_network: list[str]
) -> None:
    for clause in ("FROM", "FROM NAMED"):
        with pytest.raises(QueryForbidden, match="never fetches"):
            kg.query(f"SELECT * {clause} <http://example.org/data.ttl> WHERE {{ ?s ?p ?o }}")
    assert no_network == []
    assert rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS is False


def test_from_a_local_file_is_refused_and_never_read(
    kg: ipgraph.KnowledgeGraph, write: Callable[[str, str], Path], no_network: list[str]
) -> None:
    path = write("secret.ttl", "<urn:a> <urn:b> <urn:c> .")
    with pytest.raises(QueryForbidden):
        kg.query(f"ASK FROM <{path.as_uri()}> {{ <urn:a> ?p ?o }}")
    assert no_network == []


def test_rdflib_itself_does_not_fetch_even_without_the_check(no_network: list[str]) -> None:
    """Belt and braces: SPARQL_LOAD_GRAPHS is off, so rdflib alone does not load FROM <url>."""
    ds = Dataset(default_union=True)
    assert not ds.query("ASK FROM <http://example.org/x.ttl> { ?s ?p ?o }").askAnswer
    assert no_network == []


def test_from_a_graph_the_store_holds_selects_it(kg: ipgraph.KnowledgeGraph) -> None:
    text = "SELECT (COUNT(?m) AS ?n) FROM <{}> WHERE {{ ?m a ipg:Ministry }}"
    passage = ID["passage/cnipa-ar2021-ch4/s01-p1"]  # names MIIT (one graph per passage)
    facts = kg.query(text.format(passage))
    assert facts.rows == [(Literal(1),)]
    names = [s.graph for s in kg.sources() if s.graph != passage]
    vocabulary_only = kg.query(text.format(names[0]))
    assert vocabulary_only.rows == [(Literal(0),)]


def test_protocol_dataset_override(kg: ipgraph.KnowledgeGraph) -> None:
    facts = ID["passage/cnipa-ar2021-ch4/s01-p1"]  # names MIIT (one graph per passage)
    count = "SELECT (COUNT(?m) AS ?n) WHERE { ?m a ipg:Ministry }"
    assert run_query(kg.store, count, default_graphs=[facts]).rows == [(Literal(1),)]
    named = run_query(
        kg.store,
        "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?m a ipg:Ministry } }",
        named_graphs=[facts],
    )
    assert named.rows == [(facts,)]
    assert run_query(kg.store, count, named_graphs=[facts]).rows == [(Literal(0),)]
    with pytest.raises(QueryForbidden, match=r"default-graph-uri <http://example\.org/g>"):
        run_query(kg.store, count, default_graphs=["http://example.org/g"])


# -- time limit ----------------------------------------------------------------------------


def _synthetic(n: int) -> Graph:
    g = Graph()
    for i in range(n):
        g.add((URIRef(f"{EX}s{i}"), URIRef(f"{EX}p{i % 7}"), Literal(i)))
    return g


CROSS_PRODUCT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f }"


def _query_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "ipgraph-query"]


def test_a_query_over_its_time_limit_raises_and_its_worker_stops() -> None:
    g = _synthetic(300)  # 27 million rows to count: minutes in rdflib
    with pytest.raises(QueryTimeout, match=r"longer than 0\.2 s"):  # raised at the limit,
        returns_within(5, run_query, MemoryStore(g), CROSS_PRODUCT, timeout=0.2)  # not the end
    deadline = time.monotonic() + 10
    while _query_threads() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _query_threads() == []  # the worker was interrupted, not left running


def test_a_query_within_its_time_limit_answers(kg: ipgraph.KnowledgeGraph) -> None:
    assert kg.query("ASK { ?s a ipg:Ministry }", timeout=30).boolean is True


def test_errors_inside_the_worker_reach_the_caller() -> None:
    with pytest.raises(UsageError):
        run_query(MemoryStore(_synthetic(3)), "ASK { ?s ?p ?o }", timeout=5, bindings={"nope": 1})


def test_from_a_url_is_refused_on_oxigraph(oxigraph_kg: ipgraph.KnowledgeGraph) -> None:
    with pytest.raises(QueryForbidden, match="never fetches"):
        oxigraph_kg.query("SELECT * FROM <http://example.org/data.ttl> WHERE { ?s ?p ?o }")
    with pytest.raises(QueryForbidden, match="never fetches"):
        oxigraph_kg.query("SELECT * FROM NAMED <file:///etc/passwd> WHERE { ?s ?p ?o }")


def test_from_a_graph_the_store_holds_works_on_oxigraph(
    kg: ipgraph.KnowledgeGraph, oxigraph_kg: ipgraph.KnowledgeGraph
) -> None:
    graph = kg.sources()[-1].graph
    text = f"SELECT (COUNT(*) AS ?n) FROM <{graph}> WHERE {{ ?s ?p ?o }}"
    assert (
        oxigraph_kg.query(text).rows
        == kg.query(text).rows
        == [(Literal(len(kg.graph.graph(graph))),)]
    )


def test_an_engine_fault_is_query_failed_not_a_traceback(
    kg: ipgraph.KnowledgeGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Whatever an engine raises on a query it cannot handle, the caller gets one ipgraph
    # error (exit code 2, HTTP 500) naming it, never the engine's own exception.
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise TypeError("'NoneType' object is not iterable")

    monkeypatch.setattr(kg.store, "execute", broken)
    with pytest.raises(QueryFailed, match="TypeError: 'NoneType' object is not iterable"):
        run_query(kg.store, "ASK { ?s ?p ?o }")
