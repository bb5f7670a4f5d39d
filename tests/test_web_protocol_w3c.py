"""The W3C SPARQL 1.1 Protocol test cases that apply to a read-only query service, run twice:
over a real socket (uvicorn on a free loopback port, with the limits ``ipgraph serve`` sets)
and in-process (httpx's ASGI transport).

Cases from ``sparql11/protocol/manifest.ttl``: query_get, query_post_form, query_post_direct,
query_dataset_default_graph(s)_get/post, query_dataset_named_graphs_get/post,
query_dataset_full, query_multiple_dataset, query_content_type_select/ask/describe/construct,
bad_query_method, bad_multiple_queries, bad_query_wrong_media_type,
bad_query_missing_form_type, bad_query_missing_direct_type, bad_query_non_utf8,
bad_query_syntax, bad_update_get; and the update cases, sent to this query endpoint, which
must all be refused (the service is read-only). The suite's data files are replaced by the
store's own named graphs (the vocabulary and the CNIPA report chapter): this service never
fetches a graph, and refuses a ``default-graph-uri`` it does not hold, as it refuses ``FROM``.
Content negotiation is checked for every result format.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from rdflib import Graph

import ipgraph
from ipgraph import data
from ipgraph.loader import graph_name
from ipgraph.vocab import ID
from ipgraph.web.app import create_app
from web_server import running

pytestmark = pytest.mark.anyio

VOCABULARY = str(graph_name(data.vocabulary_file()))
FACTS = str(ID["passage/cnipa-ar2021-ch4/intro-p1"])  # a passage graph of the chapter
IN_VOCABULARY = "ASK { ipg:Agency a owl:Class }"
IN_FACTS = "ASK { ?s a ipg:Agency }"
GRAPHS_SEEN = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
DIRECT = {"Content-Type": "application/sparql-query"}
UPDATE = {"Content-Type": "application/sparql-update"}
JSON = "application/sparql-results+json"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="module")
def app(kg: ipgraph.KnowledgeGraph) -> Any:
    return create_app(kg, graphs_dir=None)


@pytest.fixture(scope="module")
def socket_url(app: Any) -> Iterator[str]:
    with running(app) as url:
        yield url


@pytest.fixture(params=["socket", "asgi"])
async def client(request: pytest.FixtureRequest, app: Any) -> AsyncIterator[httpx.AsyncClient]:
    if request.param == "socket":
        url = request.getfixturevalue("socket_url")
        http = httpx.AsyncClient(base_url=url, trust_env=False, timeout=30)
    else:
        http = httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://ipgraph.test")
    async with http:
        yield http


def ask(value: bool) -> Callable[[httpx.Response], bool]:
    return lambda r: r.headers["content-type"].startswith(JSON) and r.json()["boolean"] is value


def graphs(*names: str) -> Callable[[httpx.Response], bool]:
    return lambda r: [b["g"]["value"] for b in r.json()["results"]["bindings"]] == sorted(names)


def turtle(r: httpx.Response) -> bool:
    return (
        r.headers["content-type"].startswith("text/turtle")
        and len(Graph().parse(data=r.text, format="turtle")) > 0
    )


@dataclass(frozen=True)
class Case:
    name: str
    method: str
    status: int
    check: Callable[[httpx.Response], bool] = lambda r: True
    args: dict[str, Any] = field(default_factory=dict)


CASES = [
    Case("query_get", "GET", 200, ask(True), {"params": {"query": IN_FACTS}}),
    Case("query_post_form", "POST", 200, ask(True), {"data": {"query": IN_FACTS}}),
    Case("query_post_direct", "POST", 200, ask(True),
         {"content": IN_FACTS.encode(), "headers": DIRECT}),
    Case("query_dataset_default_graph_get", "GET", 200, ask(False),
         {"params": {"query": IN_FACTS, "default-graph-uri": VOCABULARY}}),
    Case("query_dataset_default_graphs_get", "GET", 200, ask(True),
         {"params": [("query", f"{IN_VOCABULARY[:-1]} . ?s a ipg:Agency }}"),
                     ("default-graph-uri", VOCABULARY), ("default-graph-uri", FACTS)]}),
    Case("query_dataset_default_graphs_post", "POST", 200, ask(False),
         {"params": {"default-graph-uri": FACTS}, "content": IN_VOCABULARY.encode(),
          "headers": DIRECT}),
    Case("query_dataset_named_graphs_get", "GET", 200, graphs(VOCABULARY),
         {"params": {"query": GRAPHS_SEEN, "named-graph-uri": VOCABULARY}}),
    Case("query_dataset_named_graphs_post", "POST", 200, graphs(FACTS, VOCABULARY),
         {"data": {"query": GRAPHS_SEEN, "named-graph-uri": [FACTS, VOCABULARY]}}),
    Case("query_dataset_full", "GET", 200, graphs(FACTS),
         {"params": {"query": "SELECT DISTINCT ?g WHERE { ipg:Agency a owl:Class . "
                              "GRAPH ?g { ?a a ipg:Agency } }",
                     "default-graph-uri": VOCABULARY, "named-graph-uri": FACTS}}),
    Case("query_multiple_dataset", "POST", 200, ask(True),
         {"params": {"default-graph-uri": VOCABULARY},
          "content": f"ASK FROM <{FACTS}> {{ ipg:Agency a owl:Class }}".encode(),
          "headers": DIRECT}),
    Case("query_dataset_unknown_graph", "GET", 403, lambda r: "never fetches" in r.text,
         {"params": {"query": IN_FACTS, "default-graph-uri": "http://example.org/data0.rdf"}}),
    Case("query_content_type_select", "POST", 200,
         lambda r: r.json()["results"]["bindings"][0]["v"]["value"] == "1",
         {"content": b"SELECT (1 AS ?v) {}", "headers": DIRECT}),
    Case("query_content_type_ask", "POST", 200, ask(True),
         {"content": b"ASK {}", "headers": DIRECT}),
    Case("query_content_type_describe", "POST", 200, turtle,
         {"content": b"DESCRIBE <https://w3id.org/ipgraph/id/agency/cnipa>", "headers": DIRECT}),
    Case("query_content_type_construct", "POST", 200, turtle,
         {"content": b"CONSTRUCT WHERE { ?s a ipg:Ministry }", "headers": DIRECT}),
    # the bad requests
    Case("bad_query_method", "PUT", 405, lambda r: "POST" in r.headers["allow"],
         {"params": {"query": "ASK {}"}}),
    Case("bad_query_method_delete", "DELETE", 405, args={"params": {"query": "ASK {}"}}),
    Case("bad_query_missing", "POST", 400, lambda r: "no query" in r.json()["message"],
         {"data": {"default-graph-uri": FACTS}}),
    Case("bad_multiple_queries", "GET", 400, args={"params": [("query", "ASK {}")] * 2}),
    Case("bad_multiple_queries_url_and_body", "POST", 400,
         args={"params": {"query": "ASK {}"}, "content": b"ASK {}", "headers": DIRECT}),
    Case("bad_multiple_queries_url_and_form", "POST", 400,
         args={"params": {"query": "ASK {}"}, "data": {"query": "ASK {}"}}),
    Case("bad_query_wrong_media_type", "POST", 415,
         args={"content": b"ASK {}", "headers": {"Content-Type": "text/plain"}}),
    Case("bad_query_missing_form_type", "POST", 415, args={"content": b"query=ASK%20%7B%7D"}),
    Case("bad_query_missing_direct_type", "POST", 415, args={"content": b"ASK {}"}),
    Case("bad_query_non_utf8", "POST", 415,
         args={"content": "ASK {}".encode("utf-16"),
               "headers": {"Content-Type": "application/sparql-query; charset=UTF-16"}}),
    Case("bad_query_syntax", "GET", 400, lambda r: r.json()["line"] == 1,
         {"params": {"query": "SELECT * WHERE { ?s ?p"}}),
    Case("bad_update_get", "GET", 400, args={"params": {"update": "CLEAR ALL"}}),
    Case("update_post_form", "POST", 403, lambda r: "read-only" in r.text,
         {"data": {"update": "CLEAR ALL"}}),
    Case("update_post_direct", "POST", 403, args={"content": b"CLEAR ALL", "headers": UPDATE}),
    Case("update_dataset_default_graph", "POST", 403,
         args={"params": {"using-graph-uri": FACTS},
               "content": b"INSERT DATA { <urn:s> <urn:p> 1 }", "headers": UPDATE}),
    Case("update_as_query", "POST", 403, args={"data": {"query": "DROP ALL"}}),
]  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
async def test_w3c_protocol_case(
    client: httpx.AsyncClient, kg: ipgraph.KnowledgeGraph, case: Case
) -> None:
    before = len(kg.graph)
    response = await client.request(case.method, "/sparql", **case.args)
    assert response.status_code == case.status, response.text
    if case.status >= 400:
        assert response.headers["content-type"].startswith("application/json")
        body = response.json()
        assert body["error"] and body["message"]
    assert case.check(response), response.text
    assert len(kg.graph) == before


# (Accept, the media type answered) for each result format of SELECT / ASK and of graphs.
RESULT_CONNEG = [
    (JSON, JSON),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"),
    ("text/tab-separated-values", "text/tab-separated-values"),
    ("application/json", JSON),
    ("application/xml", "application/sparql-results+xml"),
]
RDFLIB = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
}
GRAPH_CONNEG = [
    ("text/turtle", "text/turtle"),
    ("application/n-triples", "application/n-triples"),
    ("application/ld+json", "application/ld+json"),
    ("application/rdf+xml", "application/rdf+xml"),
]


@pytest.mark.parametrize(("accept", "media"), RESULT_CONNEG)
@pytest.mark.parametrize("query", ["SELECT ?m WHERE { ?m a ipg:Ministry }", "ASK { ?s ?p ?o }"])
async def test_conneg_results(
    client: httpx.AsyncClient, query: str, accept: str, media: str
) -> None:
    response = await client.get("/sparql", params={"query": query}, headers={"Accept": accept})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == media
    assert response.text.strip()


@pytest.mark.parametrize(("accept", "media"), GRAPH_CONNEG)
async def test_conneg_graphs(client: httpx.AsyncClient, accept: str, media: str) -> None:
    response = await client.get(
        "/sparql",
        params={"query": "CONSTRUCT WHERE { ?m a ipg:Ministry }"},
        headers={"Accept": accept},
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == media
    assert len(Graph().parse(data=response.text, format=RDFLIB[media])) > 5


async def test_conneg_refusal_is_406(client: httpx.AsyncClient) -> None:
    response = await client.get(
        "/sparql", params={"query": "ASK {}"}, headers={"Accept": "image/png"}
    )
    assert response.status_code == 406
    assert "offers" in response.json()["message"]
