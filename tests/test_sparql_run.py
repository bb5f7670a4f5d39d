"""SPARQL in the library (`ipgraph.sparql.run`, ``kg.query``) and on the command line."""

from __future__ import annotations

import csv
import io
import json
import re
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import rdflib.plugins.sparql
from rdflib import BNode, Dataset, Graph, Literal, URIRef, namespace
from rdflib.compare import isomorphic
from rdflib.namespace import RDFS
from rdflib.query import Result

import ipgraph
from ipgraph.errors import (
    QueryForbidden,
    QuerySyntaxError,
    QueryTimeout,
    UsageError,
)
from ipgraph.sparql.run import QueryResult, check_query, run_query, to_term
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
    cut = run_query(g, "SELECT ?s WHERE { ?s ?p ?o }", max_rows=3)
    assert len(cut.rows) == 3 and cut.truncated
    whole = run_query(g, "SELECT ?s WHERE { ?s ?p ?o }", max_rows=10)
    assert len(whole.rows) == 10 and not whole.truncated
    graph = run_query(g, "CONSTRUCT WHERE { ?s ?p ?o }", max_rows=4)
    assert graph.graph is not None and len(graph.graph) == 4 and graph.truncated


def test_bad_limits_are_usage_errors() -> None:
    with pytest.raises(UsageError, match="time limit must be positive"):
        run_query(Graph(), "ASK {}", timeout=0)
    with pytest.raises(UsageError, match="row limit"):
        run_query(Graph(), "ASK {}", max_rows=-1)


# -- serialisations, parsed back with rdflib's own result parsers --------------------------


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


# -- syntax errors -------------------------------------------------------------------------


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


# -- refused queries -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "what"),
    [
        ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "INSERT DATA"),
        ("DELETE WHERE { ?s ?p ?o }", "DELETE WHERE"),
        ("LOAD <http://example.org/data.ttl>", "LOAD"),
        ("DROP ALL", "DROP"),
        ("CLEAR DEFAULT", "CLEAR"),
        ("WITH <urn:g> DELETE { ?s ?p ?o } INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }", "DELETE/INSERT"),
    ],
)
def test_updates_are_forbidden(text: str, what: str) -> None:
    with pytest.raises(QueryForbidden, match=f"Update \\({what}\\) is not allowed"):
        check_query(text)


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { ?s ?p ?o OPTIONAL { SERVICE SILENT <http://x.org/> { ?s ?q ?r } } }",
        "ASK { ?s ?p ?o FILTER EXISTS { SERVICE <http://x.org/> { ?s ?p ?o } } }",
    ],
)
def test_service_is_forbidden_wherever_it_hides(text: str) -> None:
    with pytest.raises(QueryForbidden, match=r"SERVICE <http://.*> is not allowed"):
        check_query(text)


def test_the_word_service_in_a_string_is_fine(kg: ipgraph.KnowledgeGraph) -> None:
    result = kg.query('SELECT ?x WHERE { BIND("SERVICE <http://x.org/> LOAD" AS ?x) }')
    assert result.rows == [(Literal("SERVICE <http://x.org/> LOAD"),)]


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
    assert run_query(kg.graph, count, default_graphs=[facts]).rows == [(Literal(1),)]
    named = run_query(
        kg.graph,
        "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?m a ipg:Ministry } }",
        named_graphs=[facts],
    )
    assert named.rows == [(facts,)]
    assert run_query(kg.graph, count, named_graphs=[facts]).rows == [(Literal(0),)]
    with pytest.raises(QueryForbidden, match=r"default-graph-uri <http://example\.org/g>"):
        run_query(kg.graph, count, default_graphs=["http://example.org/g"])


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
    started = time.monotonic()
    with pytest.raises(QueryTimeout, match=r"longer than 0\.2 s"):
        run_query(g, CROSS_PRODUCT, timeout=0.2)
    assert time.monotonic() - started < 5  # raised at the limit, not when the query ends
    deadline = time.monotonic() + 10
    while _query_threads() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _query_threads() == []  # the worker was interrupted, not left running


def test_a_query_within_its_time_limit_answers(kg: ipgraph.KnowledgeGraph) -> None:
    assert kg.query("ASK { ?s a ipg:Ministry }", timeout=30).boolean is True


def test_errors_inside_the_worker_reach_the_caller() -> None:
    with pytest.raises(UsageError):
        run_query(_synthetic(3), "ASK { ?s ?p ?o }", timeout=5, bindings={"nope": 1})


# -- command line --------------------------------------------------------------------------

RunCli = Callable[..., Any]
DOCS_BY_MOE = "SELECT ?doc ?label WHERE { ?doc ipg:issuedBy agency:moe ; rdfs:label ?label }"


def test_cli_table_shows_labels_and_curies(run: RunCli) -> None:
    result = run("query", "SELECT ?org WHERE { ?doc ipg:issuedBy ?org } ORDER BY ?org LIMIT 50")
    assert result.exit_code == 0
    assert "Ministry of Education (agency:moe)" in result.stdout
    assert "rows" in result.stderr and "rows" not in result.stdout


def test_cli_table_aligns_chinese(run: RunCli) -> None:
    result = run(
        "query",
        "SELECT ?zh ?en WHERE { ?a rdfs:label ?zh , ?en FILTER(lang(?zh)='zh' && lang(?en)='en') }",
        "--param",
        "a=agency:moe",
    )
    _header, rule, row = result.stdout.splitlines()
    assert row.startswith("教育部  Ministry")  # 3 wide characters fill the 6-column rule
    assert len(rule.split()[0]) == 6


@pytest.mark.parametrize("fmt", ["json", "xml", "tsv", "csv"])
def test_cli_result_formats_parse(run: RunCli, fmt: str) -> None:
    result = run("query", DOCS_BY_MOE, "--format", fmt)
    assert result.exit_code == 0
    parsed = Result.parse(io.BytesIO(result.stdout.encode("utf-8")), format=fmt)
    docs = {str(row[0]) for row in parsed}
    assert docs == {str(ID["document/guidelines-ip-terms-cooperation-agreements"])}


def test_cli_jsonl_is_one_object_per_row(run: RunCli) -> None:
    result = run("query", "SELECT ?m WHERE { ?m a ipg:Ministry }", "--format", "jsonl")
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 6 and {"m"} == set(lines[0])


@pytest.mark.parametrize(
    ("fmt", "rdflib_format"), [("ttl", "turtle"), ("nt", "nt"), ("table", "turtle")]
)
def test_cli_graph_formats(run: RunCli, fmt: str, rdflib_format: str) -> None:
    result = run("query", "CONSTRUCT WHERE { agency:moe rdfs:label ?l }", "--format", fmt)
    assert result.exit_code == 0
    graph = Graph().parse(data=result.stdout, format=rdflib_format)
    assert (MOE, RDFS.label, Literal("教育部", lang="zh")) in graph


def test_cli_ask_prints_true_or_false_and_exits_0(run: RunCli) -> None:
    yes = run("query", "ASK { ?d ipg:issuedBy agency:moe }")
    no = run("query", "ASK { ?d ipg:issuedBy ?d }")
    assert (yes.exit_code, yes.stdout) == (0, "true\n")
    assert (no.exit_code, no.stdout) == (0, "false\n")


def test_cli_syntax_error_shows_line_column_and_caret(run: RunCli) -> None:
    result = run("query", "SELECT ?s\nWHERE {\n  ?s ?p ?o ,, ?x\n}")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "line 3, column 12" in result.stderr
    lines = result.stderr.splitlines()
    source, caret = lines[-2], lines[-1]
    assert source.endswith("?s ?p ?o ,, ?x")
    assert caret.index("^") == source.index("|") + 2 + 11  # under column 12


@pytest.mark.parametrize(
    "text",
    [
        "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        "SELECT * FROM <http://example.org/x> WHERE { ?s ?p ?o }",
    ],
)
def test_cli_refused_queries_exit_2(run: RunCli, text: str) -> None:
    result = run("query", text)
    assert result.exit_code == 2
    assert "not allowed" in result.stderr or "never fetches" in result.stderr


def test_cli_timeout_exits_1(run: RunCli) -> None:
    result = run("query", CROSS_PRODUCT, "--timeout", "0.2")
    assert result.exit_code == 1
    assert "longer than 0.2 s" in result.stderr


def test_cli_limit_rows_notes_truncation_on_stderr(run: RunCli) -> None:
    result = run(
        "query", "SELECT ?m WHERE { ?m a ipg:Ministry }", "--limit-rows", "2", "--format", "csv"
    )
    assert result.exit_code == 0
    assert len(result.stdout.strip().splitlines()) == 3  # header and two rows
    assert "cut at 2 rows" in result.stderr


def test_cli_reads_a_query_file_and_stdin(run: RunCli, write: Callable[[str, str], Path]) -> None:
    path = write("q.rq", "ASK { ?d ipg:issuedBy agency:moe }\n")
    assert run("query", "-f", str(path)).stdout == "true\n"
    assert run("query", "-", input="ASK { ?d ipg:issuedBy ?d }").stdout == "false\n"


def test_cli_missing_file_hints_at_format(run: RunCli) -> None:
    result = run("query", "-f", "json")
    assert result.exit_code == 2
    assert "did you mean --format json?" in result.stderr


def test_cli_needs_exactly_one_query(run: RunCli) -> None:
    assert run("query").exit_code == 2
    both = run("query", "ASK {}", "--name", "timeline")
    assert both.exit_code == 2 and "exactly one" in both.stderr


def test_cli_format_mismatch_exits_2(run: RunCli) -> None:
    result = run("query", "SELECT ?m WHERE { ?m a ipg:Ministry }", "--format", "ttl")
    assert result.exit_code == 2 and "is for graphs" in result.stderr


def test_cli_bad_param_exits_2(run: RunCli) -> None:
    result = run("query", "ASK { ?s ?p ?o }", "--param", "novalue")
    assert result.exit_code == 2 and "NAME=VALUE" in result.stderr


def test_cli_help_sparql_examples_run(run: RunCli) -> None:
    # Regression: the first example once used `id:agency/moe`, which is not SPARQL syntax.
    help_text = run("query", "--help").stdout
    examples = re.findall(r"^\s*ipgraph query '([^']+)'\s*$", help_text, flags=re.MULTILINE)
    assert examples, "the help shows at least one inline SPARQL example"
    for sparql in examples:
        result = run("query", sparql)
        assert result.exit_code == 0, (sparql, result.stderr)
        assert "row" in result.stderr and result.stdout.strip()


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
