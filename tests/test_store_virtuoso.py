"""The remote SPARQL store against a real Virtuoso 7 (Debian's package; `tests/virtuoso.py`):
read commands through the CLI, timeouts, and the bounded remote name search."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner, Result
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from bounded import returns_within
from ipgraph.cli import cli
from ipgraph.errors import StoreError
from ipgraph.store import open_store
from ipgraph.store.base import Store
from ipgraph.store.remote_names import remote_name_search, text_index_available
from ipgraph.vocab import GRAPH, ID

if TYPE_CHECKING:
    from virtuoso import VirtuosoServer

pytestmark = pytest.mark.slow
pytest_plugins = ["virtuoso"]  # the `virtuoso` and `virtuoso_url` fixtures (tests/virtuoso.py)

MIIT = str(ID["agency/miit"])
IPGRAPH = str(Path(sys.executable).parent / "ipgraph")  # the console script, as users run it


@pytest.fixture
def remote(virtuoso_url: str) -> Callable[..., Result]:
    """Run an ``ipgraph`` command in-process against the Virtuoso store."""
    runner = CliRunner()

    def invoke(*args: str) -> Result:
        result = runner.invoke(cli, [*args, "--store", f"sparql:{virtuoso_url}"])
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            result.output,
            result.exception,
        )
        return result

    return invoke


def test_virtuoso_holds_the_loaded_graphs(virtuoso_url: str) -> None:
    store = open_store(f"sparql:{virtuoso_url}")
    names = set(store.graph_names())
    assert {GRAPH["ontology"], ID["passage/cnipa-ar2021-ch4/s01-p1"]} <= names  # TriG graphs kept
    assert 19_000 < store.graph_size(GRAPH["synth"]) < 21_000


def test_query_answers_over_form_post(virtuoso_url: str) -> None:
    # The regression: rdflib's direct POST (application/sparql-query) hung on Virtuoso.
    store = open_store(f"sparql:{virtuoso_url}")

    def ask_and_select() -> tuple[bool, list[str]]:
        rows = store.query('SELECT ?s WHERE { ?s skos:altLabel "MIIT"@en }')
        return bool(store.query("ASK { ?s ?p ?o }")), [str(r[0]) for r in rows]  # type: ignore[index]

    assert returns_within(10, ask_and_select) == (True, [MIIT])  # both answered within 10 s


def test_info(remote: Callable[..., Result]) -> None:
    result = remote("info", "--format", "json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["triples"] > 20_000
    assert summary["entities"] > 100


def test_find(remote: Callable[..., Result]) -> None:
    result = remote("find", "MIIT", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)[0]["iri"] == MIIT
    zh = remote("find", "工信部", "--format", "json")
    assert json.loads(zh.output)[0]["iri"] == MIIT


def test_show(remote: Callable[..., Result]) -> None:
    result = remote("show", "MIIT")
    assert result.exit_code == 0, result.output
    assert "Ministry of Industry and Information Technology" in result.output
    assert "工业和信息化部" in result.output


def test_query(remote: Callable[..., Result]) -> None:
    result = remote(
        "query",
        'SELECT ?zh WHERE { ?a skos:altLabel "MIIT"@en ; rdfs:label ?zh FILTER(lang(?zh) = "zh") }',
        "--format",
        "csv",
    )
    assert result.exit_code == 0, result.output
    assert "工业和信息化部" in result.output
    named = remote("query", "--name", "joint-documents", "--format", "json")
    assert named.exit_code == 0, named.output
    assert json.loads(named.output)
    # A parameter binds a variable the query does not return (Virtuoso refused the VALUES
    # block rdflib appends after the query: "No column entity").
    bound = remote("query", "--name", "connections", "--param", "entity=MIIT", "--format", "json")
    assert bound.exit_code == 0, bound.output
    rows = json.loads(bound.output)["results"]["bindings"]
    assert rows and all("entity" not in row for row in rows)


def test_path(remote: Callable[..., Result]) -> None:
    result = remote("path", "MOF", "Zhejiang", "--format", "json")
    assert result.exit_code == 0, result.output
    assert "zhejiang" in result.output and "agency/mof" in result.output


def test_neighbors(remote: Callable[..., Result], run: Callable[..., Result]) -> None:
    result = remote("neighbors", "CNIPA", "--depth", "1", "--format", "json")
    assert result.exit_code == 0, result.output
    assert "agency/cnipa" in result.output
    # Read by bounded lookups on the server (`LocalSearch.relations`): the same relations,
    # counts and entities as the whole projection in memory.
    local = run("neighbors", "CNIPA", "--depth", "1", "--format", "json")
    assert json.loads(result.output) == json.loads(local.output)


def test_query_as_a_whole_process(virtuoso_url: str) -> None:
    done = subprocess.run(
        [IPGRAPH, "query", "ASK { ?s ?p ?o }", "--store", f"sparql:{virtuoso_url}"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "true" in done.stdout.lower()


# -- failures are one clear line, never a hang ------------------------------------------------


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A TCP server that accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/sparql"
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    listener.close()


def test_a_server_that_never_answers_times_out(
    silent_server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IPGRAPH_SPARQL_TIMEOUT", "1")
    store = open_store(f"sparql:{silent_server}")
    with pytest.raises(StoreError, match=r"did not answer within 1 s") as info:
        returns_within(5, store.query, "ASK {}")
    assert "\n" not in str(info.value)


def test_a_refused_connection_is_one_line() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again: nobody listens there
    store = open_store(f"sparql:http://127.0.0.1:{port}/sparql")
    with pytest.raises(StoreError, match="refused the connection"):
        store.query("ASK {}")


def test_cli_reports_a_timeout_and_exits(silent_server: str) -> None:
    done = subprocess.run(
        [IPGRAPH, "find", "MIIT", "--store", f"sparql:{silent_server}"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, "IPGRAPH_SPARQL_TIMEOUT": "1"},
    )
    assert done.returncode != 0
    assert "did not answer within 1 s" in done.stderr
    assert "Traceback" not in done.stderr


# -- remote name search ---------------------------------------------------------------------


def test_remote_name_search_without_and_with_the_text_index(virtuoso: VirtuosoServer) -> None:
    store = open_store(f"sparql:{virtuoso.url}")
    if not text_index_available(store):  # out of the box: no literal is text-indexed
        hits = remote_name_search(store, "Industry and Information", limit=5)
        assert MIIT in [h.iri for h in hits]
        assert {h.how for h in hits} <= {"exact", "contains"}
        virtuoso.enable_text_index()
    assert text_index_available(store)
    for query in ("Industry and Information", "MIIT", "工信部", "信息化"):
        hits = remote_name_search(store, query, limit=5)
        assert MIIT in [h.iri for h in hits], query
        assert {h.how for h in hits} <= {"exact", "bif:contains"}
    assert len(remote_name_search(store, "synthetic", limit=7)) == 7


def test_lookups_read_csv_results_with_the_same_terms(virtuoso_url: str) -> None:
    # Virtuoso writes CSV several times faster than JSON; the terms must come back the same
    # as through rdflib's JSON results (`Store.select` / `Store.objects`, the generic path).
    store = open_store(f"sparql:{virtuoso_url}")
    synth = GRAPH["synth"]
    # (Virtuoso writes booleans as 1 and 0 in CSV: no lookup reads a boolean.)
    text = (
        f"SELECT ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != <{synth}>) "
        "FILTER(!isLiteral(?o) || DATATYPE(?o) != xsd:boolean) }"
    )
    rows = store.select(text)
    assert len(rows) > 3_000
    assert sorted(rows) == sorted(Store.select(store, text))
    subjects = sorted({URIRef(s) for s, _, _ in rows if s.startswith("http")})
    predicates = sorted({URIRef(p) for _, p, _ in rows})
    assert set(store.objects(subjects, predicates)) == set(
        Store.objects(store, subjects, predicates)
    )
    # Rows of terms (`Store.terms`: what a page's details read ahead) keep blank nodes
    # (Virtuoso's isIRI holds for one as a subject) and booleans (which it writes 1 and 0).
    pattern = f"GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != <{synth}>)"
    generic = Store.terms(store, ("s", "p", "o"), pattern)
    for iris in [("p",), ("s", "p")]:  # a subject read with its kind, and without
        terms = store.terms(("s", "p", "o"), pattern, iris=iris)
        assert len(terms) == len(generic) > 3_000 and set(terms) == set(generic)
    assert any(isinstance(s, BNode) for s, _, _ in terms)
    assert any(isinstance(o, Literal) and o.datatype == XSD.boolean for _, _, o in terms)


def test_show_counts_and_marks_as_the_memory_store_does(
    remote: Callable[..., Result], run: Callable[..., Result]
) -> None:
    # The counts per relation (COUNT DISTINCT per predicate) and the inferred marks (a
    # FILTER NOT EXISTS over GRAPH) are SPARQL that Virtuoso must answer as rdflib does.
    for ref in ("Wuxi", "CNIPA"):
        here = json.loads(run("show", ref, "--limit", "3", "--format", "json").output)
        there = json.loads(remote("show", ref, "--limit", "3", "--format", "json").output)
        assert there["relations"] == here["relations"]
        assert there["incoming"] == here["incoming"] and there["outgoing"] == here["outgoing"]


def test_select_results_come_as_xml_with_the_same_terms(virtuoso_url: str) -> None:
    # Virtuoso writes XML results several times faster than JSON; `execute` asks it for XML
    # and must read the same terms as rdflib's JSON path does.
    store = open_store(f"sparql:{virtuoso_url}")
    text = "SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER(?p != rdf:type) } ORDER BY ?s ?p ?o LIMIT 3000"
    result = store.execute(store.check(text), {})
    assert store.server.startswith("Virtuoso/")
    assert len(result.rows) == 3000
    assert result.rows == [tuple(row) for row in store.query(text)]  # type: ignore[arg-type]
