"""The fast query path (`ipgraph.sparql.check`, behind `ipgraph.sparql.run`): the cache of checked
queries, the token scan that refuses SERVICE and updates wherever they hide, and checking with
Oxigraph's parser on native backends. The security tests run on the memory and the embedded
Oxigraph backend alike."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from rdflib import Literal, URIRef

import ipgraph
from ipgraph.errors import QueryForbidden, QuerySyntaxError
from ipgraph.sparql import CHECKED, check_query
from ipgraph.sparql import check as sparql_check
from ipgraph.vocab import ID

MOE = ID["agency/moe"]
BY_AGENCY = "SELECT ?doc WHERE { ?doc ipg:issuedBy ?org } ORDER BY ?doc"


@pytest.fixture(scope="module")
def oxigraph_kg(tmp_path_factory: pytest.TempPathFactory) -> ipgraph.KnowledgeGraph:
    return ipgraph.load(store=f"oxigraph:{tmp_path_factory.mktemp('kgdb') / 'store'}")


@pytest.fixture(params=["memory", "oxigraph"])
def any_kg(request: pytest.FixtureRequest, kg: ipgraph.KnowledgeGraph) -> ipgraph.KnowledgeGraph:
    if request.param == "memory":
        return kg
    return request.getfixturevalue("oxigraph_kg")  # type: ignore[no-any-return]


def _cells(result: Any) -> list[tuple[str, ...]]:
    return [tuple(str(c) for c in row) for row in result.rows]


# -- the cache -----------------------------------------------------------------------------


def test_a_checked_query_is_cached_by_text_prefixes_and_engine() -> None:
    text = "SELECT ?s WHERE { ?s a ipg:Ministry } # cache test"
    first = check_query(text)
    assert check_query(text) is first
    assert check_query(text, native=True) is not first
    other = check_query(text, prefixes={"ipg": "https://example.org/other#"})
    assert other is not first and other.prefixes != first.prefixes


def test_the_cache_is_bounded() -> None:
    size = CHECKED.size
    try:
        CHECKED.size = 3
        for n in range(10):
            check_query(f"ASK {{ ?s ?p {n} }}")
        assert len(CHECKED) == 3
    finally:
        CHECKED.size = size


def test_refused_queries_are_not_cached() -> None:
    before = len(CHECKED)
    with pytest.raises(QueryForbidden):
        check_query("ASK { SERVICE <http://x.org/uncached> { } }")
    assert len(CHECKED) <= before


def test_cached_queries_give_the_same_answers(any_kg: ipgraph.KnowledgeGraph) -> None:
    text = "SELECT ?m ?label WHERE { ?m a ipg:Ministry ; rdfs:label ?label } ORDER BY ?m ?label"
    answers = [_cells(any_kg.query(text)) for _ in range(3)]
    assert answers[0] and answers[0] == answers[1] == answers[2]


def test_bindings_do_not_leak_between_runs(any_kg: ipgraph.KnowledgeGraph) -> None:
    everything = _cells(any_kg.query(BY_AGENCY))
    by_moe = _cells(any_kg.query(BY_AGENCY, org=MOE))
    again = _cells(any_kg.query(BY_AGENCY))
    by_cnipa = _cells(any_kg.query(BY_AGENCY, org=ID["agency/cnipa"]))
    assert 0 < len(by_moe) < len(everything)
    assert again == everything
    assert by_cnipa and by_cnipa != by_moe
    assert set(by_moe) <= set(everything) and set(by_cnipa) <= set(everything)


def test_one_query_runs_in_many_threads_at_once(kg: ipgraph.KnowledgeGraph) -> None:
    """rdflib keeps evaluation state in a parsed query: each run must get its own copy."""
    text = (
        "SELECT ?agency (COUNT(?doc) AS ?n) WHERE { ?doc ipg:issuedBy ?agency "
        'FILTER(STRLEN(STR(?doc)) > 0 && CONTAINS(STR(?agency), "agency")) } '
        "GROUP BY ?agency ORDER BY ?agency"
    )
    expected = _cells(kg.query(text))
    found: list[list[tuple[str, ...]]] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(5):
                found.append(_cells(kg.query(text)))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(found) == 30 and all(answer == expected for answer in found)


def test_a_native_check_does_not_parse_with_rdflib(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("rdflib parsed a query checked for a native engine")

    monkeypatch.setattr(sparql_check, "prepareQuery", refuse)
    parsed = check_query(
        "SELECT ?d (COUNT(?p) AS ?n) WHERE { ?d ipg:issuedBy ?a ; ?p ?o } GROUP BY ?d # native",
        native=True,
    )
    assert parsed.kind == "SELECT"
    assert parsed.vars == ("d", "n")
    assert parsed.variables == {"d", "n", "p", "a", "o"}
    assert check_query("ASK { ?s ?p ?o } # native ask", native=True).kind == "ASK"


def test_a_store_checks_queries_for_its_engine(
    kg: ipgraph.KnowledgeGraph, oxigraph_kg: ipgraph.KnowledgeGraph
) -> None:
    text = "SELECT ?s WHERE { ?s a ipg:Agency } # engine"
    assert kg.store.check(text) is check_query(text, prefixes=kg.store.prefixes())
    native = oxigraph_kg.store.check(text)
    assert native is check_query(text, prefixes=oxigraph_kg.store.prefixes(), native=True)


# -- refused wherever they hide --------------------------------------------------------------

SERVICE_CALLS = [
    "SELECT * WHERE { SERVICE <http://x.org/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o OPTIONAL { SeRvIcE SILENT <http://x.org/> { ?s ?q ?r } } }",
    "ASK { ?s ?p ?o FILTER NOT EXISTS { { service <http://x.org/> { ?s ?p ?o } } } }",
    "SELECT * WHERE { { SELECT ?s WHERE { SERVICE ?endpoint { ?s ?p ?o } } } }",
    "SELECT * WHERE { ?s ?p ?o MINUS { SERVICE <http://x.org/> { ?s ?p ?o } } }",
    # glued to the next token: Oxigraph's grammar accepts these
    "SELECT * WHERE { SERVICE<http://x.org/>{ ?s ?p ?o } }",
    "SELECT * WHERE { SERVICESILENT<http://x.org/>{ ?s ?p ?o } }",
    "PREFIX SERVICEipg: <http://e.org/> SELECT * WHERE { SERVICEipg:x { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p 12SERVICE<http://x.org/>{ ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p trueSERVICE <http://x.org/> { ?s ?p ?o } }",
    # a comparison that looks like the start of an IRI
    "SELECT * WHERE { ?s ?p ?o FILTER(?o<?s) SERVICE <http://x.org/> { ?s ?p ?o } }",
    # a comment holding quotes, then the real thing on the next line
    "# it's \"quoted\n SELECT * WHERE { SERVICE <http://x.org/> { ?s ?p ?o } }",
    # codepoint escapes: decoded outside strings by some engines, inside only by others
    "SELECT * WHERE { \\u0053ERVICE <http://x.org/> { ?s ?p ?o } }",
    'SELECT * WHERE { BIND("a\\u0022" AS ?x) SERVICE <http://x.org/> { } BIND("b" AS ?y) }',
    "SELECT * WHERE { BIND(<http://x.org/\\u0041#> AS ?x) SERVICE <http://x.org/> { } }",
]


@pytest.mark.parametrize("text", SERVICE_CALLS)
def test_service_is_refused_wherever_it_hides(any_kg: ipgraph.KnowledgeGraph, text: str) -> None:
    with pytest.raises(QueryForbidden, match=r"SERVICE .* is not allowed"):
        any_kg.query(text)


UPDATES = [
    ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "INSERT DATA"),
    ("delete where { ?s ?p ?o }", "DELETE WHERE"),
    ("LOAD <http://example.org/data.ttl>", "LOAD"),
    ("CLEAR ALL", "CLEAR"),
    ("DROP GRAPH <urn:g>", "DROP"),
    ("CREATE GRAPH <urn:g>", "CREATE"),
    ("ADD DEFAULT TO <urn:g>", "ADD"),
    ("Move <urn:a> TO <urn:b>", "MOVE"),
    ("COPY <urn:a> TO <urn:b>", "COPY"),
    ("SELECT * WHERE { ?s ?p ?o } ;\n insert data { <urn:a> <urn:b> <urn:c> }", "INSERT"),
    ("SELECT * WHERE { ?s ?p ?o OPTIONAL { LOAD <http://x.org/d.ttl> } }", "LOAD"),
    ("ASK { FILTER EXISTS { DELETE { ?s ?p ?o } } }", "DELETE"),
]


@pytest.mark.parametrize(("text", "what"), UPDATES)
def test_updates_are_refused_wherever_they_hide(
    any_kg: ipgraph.KnowledgeGraph, text: str, what: str
) -> None:
    with pytest.raises(QueryForbidden, match=f"Update \\({what}\\) is not allowed"):
        any_kg.query(text)


HARMLESS = [
    ('SELECT ?x WHERE { BIND("SERVICE <http://x.org/> { } LOAD" AS ?x) }', "SERVICE"),
    ("SELECT ?x WHERE { BIND('it\\'s a SERVICE, DROP it' AS ?x) }", "DROP"),
    ('SELECT ?x WHERE { BIND("""INSERT DATA\n{ } "quoted" DELETE""" AS ?x) }', "DELETE"),
    ("SELECT ?x WHERE { BIND('''CLEAR ALL ''SERVICE''' AS ?x) }", "CLEAR"),
    ('SELECT ?x WHERE { BIND("copy"@en AS ?x) }', "copy"),
    ("SELECT ?x WHERE { BIND(<http://example.org/SERVICE/LOAD#DROP> AS ?x) }", "SERVICE"),
    ("SELECT ?x WHERE { # SERVICE <http://x.org/> { } and LOAD <x>\n BIND(1 AS ?x) }", "1"),
    ("SELECT ?service WHERE { BIND(ipg:SERVICE AS ?service) }", "SERVICE"),
    ("SELECT ?load WHERE { VALUES ?load { 'MOVE' } }", "MOVE"),
]


@pytest.mark.parametrize(("text", "within"), HARMLESS)
def test_the_words_in_strings_iris_comments_and_names_are_fine(
    any_kg: ipgraph.KnowledgeGraph, text: str, within: str
) -> None:
    result = any_kg.query(text)
    assert len(result.rows) == 1
    assert within in str(result.rows[0][0])


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


# -- syntax errors on the native path ----------------------------------------------------------


def test_syntax_errors_name_the_same_place_on_both_backends(
    any_kg: ipgraph.KnowledgeGraph,
) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        any_kg.query("SELECT ?s\nWHERE {\n  ?s ?p ?o ,, ?x\n}")
    assert (caught.value.line, caught.value.column) == (3, 12)


def test_unknown_prefix_is_located_on_oxigraph(oxigraph_kg: ipgraph.KnowledgeGraph) -> None:
    with pytest.raises(QuerySyntaxError, match="unknown prefix nope:") as caught:
        oxigraph_kg.query("SELECT *\nWHERE { ?s nope:bar ?o }")
    assert (caught.value.line, caught.value.column) == (2, 12)


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("SELECT * WHERE { ?s <relative> ?o }", (1, 31)),
        ("ASK { ?s <relative> ?o }", (1, 20)),
        ("ASK {\n  ?s <relative> ?o\n}", (2, 16)),
    ],
)
def test_oxigraph_only_errors_keep_oxigraph_position(
    oxigraph_kg: ipgraph.KnowledgeGraph, text: str, where: tuple[int, int]
) -> None:
    """rdflib accepts a relative IRI, Oxigraph does not: its own position is reported (an ASK
    is checked as a SELECT, and the column is mapped back)."""
    with pytest.raises(QuerySyntaxError) as caught:
        oxigraph_kg.query(text)
    assert (caught.value.line, caught.value.column) == where


def test_a_native_result_has_rdflib_terms(oxigraph_kg: ipgraph.KnowledgeGraph) -> None:
    result = oxigraph_kg.query(
        "SELECT ?m ?n ?l WHERE { BIND(agency:moe AS ?m) BIND(3 AS ?n) BIND('x'@en AS ?l) }"
    )
    assert result.rows == [(MOE, Literal(3), Literal("x", lang="en"))]
    assert isinstance(result.rows[0][0], URIRef)


def test_max_rows_stops_reading_native_rows(oxigraph_kg: ipgraph.KnowledgeGraph) -> None:
    result = oxigraph_kg.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o }", max_rows=5)
    assert len(result.rows) == 5 and result.truncated
