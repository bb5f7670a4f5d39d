"""``ipgraph query`` (`ipgraph.cli.sparql`): tables, result formats, exit codes and messages."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import RDFS
from rdflib.query import Result

from ipgraph.sparql import named_queries
from ipgraph.vocab import ID

QUERIES = named_queries()
MOE = ID["agency/moe"]
CROSS_PRODUCT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f }"
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


def test_list_shows_every_named_query_with_its_title(run: Any) -> None:
    result = run("query", "--list")
    assert result.exit_code == 0
    for query in QUERIES.values():
        assert query.name in result.stdout
        assert query.title in result.stdout


def test_list_as_json_carries_text_and_params(run: Any) -> None:
    listed = json.loads(run("query", "--list", "--format", "json").stdout)
    by_name = {q["name"]: q for q in listed}
    assert set(by_name) == set(QUERIES)
    assert by_name["connections"]["params"][0]["kind"] == "entity"
    assert "SELECT" in by_name["joint-documents"]["text"]


def test_cli_runs_a_named_query_with_a_param(run: Any) -> None:
    result = run("query", "--name", "connections", "--param", "entity=MOF", "--format", "csv")
    assert result.exit_code == 0
    assert "https://w3id.org/ipgraph/id/program/special-plan-patent-transfer-commercialization" in (
        result.stdout
    )


def test_cli_show_prints_the_sparql(run: Any) -> None:
    result = run("query", "--name", "joint-documents", "--show")
    assert result.exit_code == 0
    assert result.stdout == QUERIES["joint-documents"].text


@pytest.mark.parametrize("modifier", ["LIMIT 3", "ORDER BY ?s LIMIT 3", "OFFSET 2 LIMIT 3"])
def test_cli_construct_where_with_a_modifier_answers(run: RunCli, modifier: str) -> None:
    # The short form with LIMIT made rdflib fail with a traceback (its template was lost).
    result = run("query", "CONSTRUCT WHERE { ?s a ipg:Ministry } " + modifier, "--format", "nt")
    assert result.exit_code == 0, result.stderr
    triples = Graph().parse(data=result.stdout, format="nt")
    assert len(triples) == 3
    assert all(str(o).endswith("Ministry") for o in triples.objects())


def test_cli_table_shows_the_first_rows_and_says_how_to_get_all(run: RunCli) -> None:
    text = "SELECT ?m WHERE { ?m a ipg:Ministry } ORDER BY ?m"
    every = run("query", text, "--format", "csv").stdout.strip().splitlines()[1:]
    assert len(every) > 3
    cut = run("query", text, "--table-rows", "2")
    assert cut.exit_code == 0
    assert len(cut.stdout.strip().splitlines()) == 2 + 2  # header, rule, two rows
    assert f"{len(every)} rows; the table shows the first 2" in cut.stderr
    assert "--format csv" in cut.stderr
    full = run("query", text, "--table-rows", "0")
    assert len(full.stdout.strip().splitlines()) == 2 + len(every)
    assert f"{len(every)} rows" in full.stderr and "shows the first" not in full.stderr


def test_cli_labels_writes_blank_nodes_as_csv_does(run: RunCli, tmp_path: Path) -> None:
    # Regression: --labels wrote a blank node bare (`b0`), without --labels `_:b0`.
    data = tmp_path / "blank.ttl"
    data.write_text("[ <urn:p> <https://w3id.org/ipgraph/id/agency/moe> ] .\n", encoding="utf-8")
    query = "SELECT ?b ?o WHERE { ?b <urn:p> ?o }"
    for fmt, split in (("csv", ","), ("tsv", "\t")):
        out = run("query", query, "--data", str(data), "--format", fmt)
        labelled = run("query", query, "--data", str(data), "--format", fmt, "--labels")
        row, plain_row = labelled.stdout.splitlines()[1], out.stdout.splitlines()[1]
        cells = row.split(split)
        assert cells[0].startswith("_:") and plain_row.startswith("_:")
        assert cells[1:] == [plain_row.split(split)[1], "Ministry of Education"]


def test_cli_table_and_labels_name_blank_nodes_as_the_formats_do(kg: Any) -> None:
    from rdflib import BNode

    from ipgraph.cli.sparql import labelled_rows, select_table
    from ipgraph.sparql import QueryResult

    result = QueryResult("SELECT", ["b", "o"], [(BNode("nodeID://b7"), MOE)])
    assert "_:nodeIDb7" in select_table(kg, result).splitlines()[2]
    assert labelled_rows(kg, result, "csv").splitlines()[1].startswith("_:nodeIDb7,")
    assert labelled_rows(kg, result, "tsv").splitlines()[1].startswith("_:nodeIDb7\t<")
    assert result.serialize("csv").decode().splitlines()[1].startswith("_:nodeIDb7,")
