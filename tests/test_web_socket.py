"""The real server: ``ipgraph serve`` in a subprocess on a free loopback port.

Queried by SPARQLWrapper (a SPARQL client people use) and by a bounded load test: 2,000
requests from 8 concurrent clients, a quarter of them bad in various ways. Every good request
must answer correctly, every bad one with a 4xx JSON error, and the server must be up at the
end. Everything stays on 127.0.0.1.
"""

from __future__ import annotations

import re
import subprocess
import sys
import threading
import time
import urllib.error
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic
from SPARQLWrapper import CSV, JSON, POST, POSTDIRECTLY, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

import ipgraph
from ipgraph import data
from ipgraph.loader import graph_name

pytestmark = pytest.mark.slow

AGENCIES = (
    "SELECT DISTINCT ?agency WHERE { ?agency a/rdfs:subClassOf* ipg:Agency } ORDER BY ?agency"
)
MAX_REQUEST_BYTES = 20_000


@dataclass
class Server:
    url: str  # http://127.0.0.1:PORT/
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def sparql(self) -> str:
        return self.url + "sparql"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``ipgraph serve --port 0`` (a free port) in its own process; stopped at the end."""
    folder = tmp_path_factory.mktemp("serve")
    log = folder / "server.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "ipgraph.cli",
                "serve",
                "--port",
                "0",
                "--timeout",
                "5",
                "--max-request-bytes",
                str(MAX_REQUEST_BYTES),
            ],
            cwd=folder,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    try:
        url = _wait_for_url(log, process)
        assert url.startswith("http://127.0.0.1:")
        yield Server(url, process, log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:  # pragma: no cover - only if shutdown hangs
            process.kill()
            process.wait()


def _wait_for_url(log: Path, process: subprocess.Popen[bytes], limit: float = 60) -> str:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        text = log.read_text(encoding="utf-8", errors="replace")
        match = re.search(r"serving \d+ triples at (http://\S+/) ", text)
        if match:
            url = match.group(1)
            with httpx.Client(trust_env=False) as client:  # ready once it answers
                for _ in range(100):
                    try:
                        if client.get(url + "health").status_code == 200:
                            return url
                    except httpx.TransportError:
                        time.sleep(0.1)
        if process.poll() is not None:
            raise AssertionError(f"ipgraph serve exited early:\n{text}")
        time.sleep(0.1)
    raise AssertionError(f"ipgraph serve did not start:\n{log.read_text(errors='replace')}")


def wrapper(server: Server, query: str, return_format: str = JSON) -> SPARQLWrapper:
    client = SPARQLWrapper(server.sparql)
    client.setQuery(query)
    client.setReturnFormat(return_format)
    client.setTimeout(30)
    return client


# -- SPARQLWrapper ------------------------------------------------------------------------------


def test_sparqlwrapper_select_json(server: Server, kg: ipgraph.KnowledgeGraph) -> None:
    expected = [str(row[0]) for row in kg.query(AGENCIES).rows]
    for method in ("GET", POST):
        client = wrapper(server, AGENCIES)
        client.setMethod(method)
        result = client.queryAndConvert()
        assert isinstance(result, dict)
        assert [b["agency"]["value"] for b in result["results"]["bindings"]] == expected


def test_sparqlwrapper_post_directly(server: Server) -> None:
    client = wrapper(server, 'ASK { ?s rdfs:label "教育部"@zh }')
    client.setMethod(POST)
    client.setRequestMethod(POSTDIRECTLY)
    assert client.queryAndConvert() == {"head": {}, "boolean": True}


def test_sparqlwrapper_ask_xml(server: Server) -> None:
    document = wrapper(server, "ASK { ?s a ipg:Ministry }", XML).queryAndConvert()
    values = [node.firstChild.data for node in document.getElementsByTagName("boolean")]
    assert values == ["true"]


def test_sparqlwrapper_construct_turtle(server: Server, kg: ipgraph.KnowledgeGraph) -> None:
    query = "CONSTRUCT { ?a ?p ?o } WHERE { ?a a ipg:Ministry ; ?p ?o }"
    body = wrapper(server, query, TURTLE).queryAndConvert()
    got = Graph().parse(data=body, format="turtle")
    expected = kg.query(query).graph
    assert expected is not None and len(expected) > 10
    assert isomorphic(got, expected)


def test_sparqlwrapper_csv(server: Server, kg: ipgraph.KnowledgeGraph) -> None:
    body = wrapper(server, AGENCIES, CSV).queryAndConvert()
    lines = body.decode("utf-8").splitlines()
    assert lines == ["agency", *(str(row[0]) for row in kg.query(AGENCIES).rows)]


def test_sparqlwrapper_dataset_parameters(server: Server) -> None:
    vocabulary = str(graph_name(data.vocabulary_file()))
    facts = str(graph_name(data.source_files()[0]))
    client = wrapper(server, "ASK { ipg:Agency a owl:Class }")
    client.addDefaultGraph(facts)
    assert client.queryAndConvert()["boolean"] is False
    client = wrapper(server, "ASK { ipg:Agency a owl:Class }")
    client.addDefaultGraph(vocabulary)
    assert client.queryAndConvert()["boolean"] is True


def test_sparqlwrapper_sees_errors(server: Server) -> None:
    with pytest.raises(QueryBadFormed, match="line 1"):
        wrapper(server, "SELECT * WHERE { ?s ?p").queryAndConvert()
    update = wrapper(server, "INSERT DATA { <urn:ex:s> <urn:ex:p> 1 }")
    update.setMethod(POST)
    with pytest.raises(urllib.error.HTTPError) as refused:
        update.query()
    assert refused.value.code == 403
    assert b"read-only" in refused.value.read()


# -- the bounded load test ----------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    name: str
    send: Callable[[httpx.Client, str], httpx.Response]
    status: int
    check: Callable[[httpx.Response], bool] = lambda response: True


def _form(query: str) -> Callable[[httpx.Client, str], httpx.Response]:
    return lambda client, url: client.post(url, data={"query": query})


def _get(query: str, **headers: str) -> Callable[[httpx.Client, str], httpx.Response]:
    return lambda client, url: client.get(url, params={"query": query}, headers=headers)


def _direct(body: bytes, content_type: str) -> Callable[[httpx.Client, str], httpx.Response]:
    return lambda client, url: client.post(
        url, content=body, headers={"Content-Type": content_type}
    )


def load_cases(kg: ipgraph.KnowledgeGraph) -> list[Case]:
    agencies = [str(row[0]) for row in kg.query(AGENCIES).rows]
    ministries = kg.query("SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE { ?m a ipg:Ministry }")
    ministry_count = str(ministries.rows[0][0])

    def bindings(response: httpx.Response) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = response.json()["results"]["bindings"]
        return result

    return [
        Case(
            "select-get",
            _get(AGENCIES),
            200,
            lambda r: [b["agency"]["value"] for b in bindings(r)] == agencies,
        ),
        Case(
            "count-form",
            _form("SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE { ?m a ipg:Ministry }"),
            200,
            lambda r: bindings(r)[0]["n"]["value"] == ministry_count,
        ),
        Case(
            "ask-direct",
            _direct(b"ASK { ?s a ipg:Ministry }", "application/sparql-query"),
            200,
            lambda r: r.json()["boolean"] is True,
        ),
        Case(
            "csv-accept",
            _get(AGENCIES, accept="text/csv"),
            200,
            lambda r: r.text.splitlines()[1:] == agencies,
        ),
        Case(
            "construct",
            _get("CONSTRUCT WHERE { ?m a ipg:Ministry }", accept="application/n-triples"),
            200,
            lambda r: len(r.text.splitlines()) == int(ministry_count),
        ),
        Case(
            "health",
            lambda client, url: client.get(url.replace("/sparql", "/health")),
            200,
            lambda r: r.json()["status"] == "ok",
        ),
        # the bad ones: each must be a 4xx JSON error
        Case("syntax", _get("SELECT * WHERE { ?s "), 400),
        Case("update-form", lambda c, u: c.post(u, data={"update": "CLEAR ALL"}), 403),
        Case("update-direct", _direct(b"DROP ALL", "application/sparql-update"), 403),
        Case("service", _get("SELECT * { SERVICE <http://example.org/q> { ?s ?p ?o } }"), 403),
        Case("method", lambda c, u: c.put(u, content=b"ASK {}"), 405),
        Case("media-type", _direct(b"ASK {}", "text/plain"), 415),
        Case("not-acceptable", _get(AGENCIES, accept="image/png"), 406),
        Case("too-large", _direct(b"#" * (MAX_REQUEST_BYTES + 1), "application/sparql-query"), 413),
        Case("non-utf8", _direct("ASK {}".encode("utf-16"), "application/sparql-query"), 400),
        Case("two-queries", lambda c, u: c.get(u, params=[("query", "ASK {}")] * 2), 400),
    ]


def test_load_mixed_good_and_bad(server: Server, kg: ipgraph.KnowledgeGraph) -> None:
    total, clients = 2_000, 8
    cases = load_cases(kg)
    good = [c for c in cases if c.status == 200]
    bad = [c for c in cases if c.status != 200]
    # three good requests for each bad one, interleaved
    plan = [good[i % len(good)] if i % 4 else bad[(i // 4) % len(bad)] for i in range(total)]
    failures: list[str] = []
    seen: Counter[str] = Counter()
    lock = threading.Lock()

    def client_loop(index: int) -> None:
        with httpx.Client(trust_env=False, timeout=60) as client:
            for case in plan[index::clients]:
                try:
                    response = case.send(client, server.sparql)
                    ok = response.status_code == case.status
                    if ok and case.status >= 400:
                        body = response.json()
                        ok = response.headers["content-type"].startswith("application/json") and (
                            bool(body["error"]) and bool(body["message"])
                        )
                    elif ok:
                        ok = case.check(response)
                    problem = (
                        None if ok else f"{case.name}: {response.status_code} {response.text[:200]}"
                    )
                except Exception as exc:  # a dropped connection is a failure too
                    problem = f"{case.name}: {type(exc).__name__}: {exc}"
                with lock:
                    seen[case.name] += 1
                    if problem:
                        failures.append(problem)

    started = time.perf_counter()
    threads = [threading.Thread(target=client_loop, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    elapsed = time.perf_counter() - started
    assert not any(thread.is_alive() for thread in threads), "clients did not finish"
    assert sum(seen.values()) == total
    assert set(seen) == {c.name for c in cases}
    assert failures == [], f"{len(failures)} failures, e.g. {failures[:5]}"
    with httpx.Client(trust_env=False) as client:
        assert client.get(server.url + "health").json()["status"] == "ok"
    assert server.process.poll() is None
    print(f"\nload: {total} requests, {clients} clients, {total / elapsed:.0f} req/s")
