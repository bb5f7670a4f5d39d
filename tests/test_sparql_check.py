"""Checking a query (`ipgraph.sparql.check`): parse once, cached by text, prefixes and
engine; syntax errors located by line and column with rdflib's parser and Oxigraph's alike;
checked queries safe to run from many threads."""

from __future__ import annotations

import subprocess
import sys
import threading
from typing import Any

import pytest

import ipgraph
from ipgraph.errors import QueryForbidden, QuerySyntaxError
from ipgraph.sparql import CHECKED, check_query
from ipgraph.vocab import ID


def test_syntax_error_names_line_and_column() -> None:
    text = "SELECT ?s\nWHERE {\n  ?s ?p ?o ,, ?x\n}"
    with pytest.raises(QuerySyntaxError) as caught:
        check_query(text)
    assert (caught.value.line, caught.value.column) == (3, 12)
    assert "line 3, column 12" in str(caught.value)
    assert caught.value.to_dict()["line"] == 3


def test_unknown_prefix_is_located() -> None:
    with pytest.raises(QuerySyntaxError, match="unknown prefix foo:") as caught:
        check_query("SELECT *\nWHERE { ?s foo:bar ?o }")
    assert (caught.value.line, caught.value.column) == (2, 12)


def test_empty_query_is_a_syntax_error() -> None:
    with pytest.raises(QuerySyntaxError, match="empty"):
        check_query("  \n")


def test_queries_parse_safely_from_many_threads(kg: ipgraph.KnowledgeGraph) -> None:
    """rdflib's pyparsing grammar is not thread-safe (RDFLib/rdflib#1282): ipgraph serialises
    parsing, so the endpoint's worker threads never see spurious syntax errors."""
    from concurrent.futures import ThreadPoolExecutor

    # distinct texts, so that every one is really parsed rather than taken from the cache
    texts = [
        f"SELECT ?s WHERE {{ BIND(<http://example.org/{i}> AS ?x) ?s a ipg:Ministry }} "
        f"LIMIT {i + 1}"
        for i in range(160)
    ]
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda text: kg.query(text).vars, texts))
    assert answers == [["s"]] * len(texts)


MOE = ID["agency/moe"]
BY_AGENCY = "SELECT ?doc WHERE { ?doc ipg:issuedBy ?org } ORDER BY ?doc"


def _cells(result: Any) -> list[tuple[str, ...]]:
    return [tuple(str(c) for c in row) for row in result.rows]


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

    monkeypatch.setattr("rdflib.plugins.sparql.processor.prepareQuery", refuse)
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


# -- rdflib's engine: loaded on first use, never loading graphs ---------------------------------

ENGINE_CHECK = """
import sys
{before}
import ipgraph
kg = ipgraph.load()
assert kg.find("MOE")[0].label == "Ministry of Education"
print("rdflib.plugins.sparql" in sys.modules, "pyparsing" in sys.modules)
{after}
import rdflib.plugins.sparql
print(rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS)
"""


def engine_state(before: str = "", after: str = "") -> list[str]:
    """What a fresh process reports: engine loaded after ``find``?, pyparsing loaded?, and
    rdflib's ``SPARQL_LOAD_GRAPHS`` at the end."""
    code = ENGINE_CHECK.format(before=before, after=after)
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_find_starts_without_the_sparql_engine_which_never_loads_graphs() -> None:
    assert engine_state() == ["False", "False", "False"]


def test_graphs_stay_unloaded_whoever_imports_the_engine_first() -> None:
    # a query run by ipgraph, another library importing the engine, or the engine already
    # imported before ipgraph: the switch is off in each case
    ran = "kg.query('ASK { ?s ?p ?o }')"
    assert engine_state(after=ran) == ["False", "False", "False"]
    assert engine_state(after="import pyshacl") == ["False", "False", "False"]
    assert engine_state(before="import rdflib.plugins.sparql")[-1] == "False"
