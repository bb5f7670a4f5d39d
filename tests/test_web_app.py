"""The HTTP endpoint's routes in-process (httpx over ASGI): conformance, formats, safety.

The protocol module's own functions (negotiation, request parsing, the service description)
are tested in ``test_web_protocol.py``.

Conformance follows the W3C SPARQL 1.1 Protocol test suite
(``sparql11/protocol/manifest.ttl``). The tests named after its cases are the ones that apply
to a read-only query service:

Query cases, all implemented (``test_query_get`` ... ``test_bad_update_get``):
    query_get, query_post_form, query_post_direct, query_dataset_default_graphs_get,
    query_dataset_default_graphs_post, query_dataset_named_graphs_get,
    query_dataset_named_graphs_post, query_dataset_full, query_multiple_dataset,
    query_content_type_select, query_content_type_ask, query_content_type_describe,
    query_content_type_construct, bad_query_method, bad_multiple_queries,
    bad_query_wrong_media_type, bad_query_missing_form_type, bad_query_missing_direct_type,
    bad_query_non_utf8, bad_query_syntax, bad_update_get.
    The suite's data graphs (``data0.rdf`` ... ``data3.rdf``) are replaced by the store's own
    named graphs (the vocabulary and the CNIPA report chapter); the suite assumes a service
    that may fetch them, which this one never does.

Update cases, which do not apply: update_dataset_default_graph, update_dataset_default_graphs,
    update_dataset_named_graphs, update_dataset_full, update_post_form, update_post_direct,
    update_base_uri expect the update to succeed; this service is read-only by design, so
    ``test_updates_are_refused`` checks instead that each of those requests is refused with a
    4xx JSON error and changes nothing. The negative update cases (bad_multiple_updates,
    bad_update_wrong_media_type, bad_update_missing_form_type, bad_update_non_utf8,
    bad_update_syntax, bad_update_dataset_conflict) expect a 4xx, which a read-only service
    gives them all; they are in the same test.
"""

from __future__ import annotations

import csv
import html as html_module
import io
import json
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic

import ipgraph
from ipgraph import data
from ipgraph.loader import graph_name
from ipgraph.vocab import ID, IPG
from ipgraph.web.app import create_app
from ipgraph.web.protocol import RESULT_FORMATS, SD

pytestmark = pytest.mark.anyio

VOCABULARY = str(graph_name(data.vocabulary_file()))  # the ontology's named graph
FACTS = str(ID["passage/cnipa-ar2021-ch4/intro-p1"])  # a passage graph of the CNIPA chapter
IN_VOCABULARY = "ASK { ipg:Agency a owl:Class }"  # true in the vocabulary graph only
IN_FACTS = "ASK { ?s a ipg:Agency }"  # true in the facts graph only
AGENCIES = (
    "SELECT DISTINCT ?agency WHERE { ?agency a/rdfs:subClassOf* ipg:Agency } ORDER BY ?agency"
)
SPARQL_JSON = "application/sparql-results+json"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
DIRECT = {"Content-Type": "application/sparql-query"}


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="module")
def app(kg: ipgraph.KnowledgeGraph) -> Any:
    return create_app(kg, graphs_dir=None)


async def _client(app: Any) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://ipgraph.test")


@pytest.fixture
async def client(app: Any) -> AsyncIterator[httpx.AsyncClient]:
    async with await _client(app) as http:
        yield http


def boolean(response: httpx.Response) -> bool:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(SPARQL_JSON)
    value = response.json()["boolean"]
    assert isinstance(value, bool)
    return value


def assert_error(response: httpx.Response, status: int, error: str | None = None) -> dict[str, Any]:
    """A JSON error body with ``error`` and ``message``, and the expected status."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body: dict[str, Any] = response.json()
    assert body["message"]
    if error is not None:
        assert body["error"] == error
    return body


def agencies(kg: ipgraph.KnowledgeGraph) -> list[str]:
    return [str(row[0]) for row in kg.query(AGENCIES).rows]


# -- W3C SPARQL 1.1 Protocol: query cases ------------------------------------------------------


async def test_query_get(client: httpx.AsyncClient, kg: ipgraph.KnowledgeGraph) -> None:
    response = await client.get("/sparql", params={"query": AGENCIES})
    assert response.status_code == 200
    assert response.headers["content-type"] == f"{SPARQL_JSON}; charset=utf-8"
    body = response.json()
    assert body["head"]["vars"] == ["agency"]
    got = [row["agency"]["value"] for row in body["results"]["bindings"]]
    assert got == agencies(kg) and len(got) > 5


async def test_query_post_form(client: httpx.AsyncClient, kg: ipgraph.KnowledgeGraph) -> None:
    response = await client.post("/sparql", data={"query": AGENCIES})
    assert response.status_code == 200
    got = [row["agency"]["value"] for row in response.json()["results"]["bindings"]]
    assert got == agencies(kg)


async def test_query_post_direct(client: httpx.AsyncClient) -> None:
    response = await client.post("/sparql", content=IN_FACTS.encode(), headers=DIRECT)
    assert boolean(response) is True


async def test_query_post_direct_chinese_text(client: httpx.AsyncClient) -> None:
    query = 'ASK { ?s rdfs:label "教育部"@zh }'
    response = await client.post(
        "/sparql", content=query.encode(), headers={"Content-Type": DIRECT["Content-Type"]}
    )
    assert boolean(response) is True


async def test_query_dataset_default_graphs_get(client: httpx.AsyncClient) -> None:
    vocabulary_only = {"default-graph-uri": VOCABULARY}
    assert boolean(await client.get("/sparql", params={"query": IN_VOCABULARY, **vocabulary_only}))
    assert not boolean(await client.get("/sparql", params={"query": IN_FACTS, **vocabulary_only}))
    both = {"query": f"{IN_VOCABULARY[:-1]} . ?s a ipg:Agency }}"}
    assert not boolean(await client.get("/sparql", params=both | vocabulary_only))
    merged = [("query", both["query"]), ("default-graph-uri", VOCABULARY)]
    merged.append(("default-graph-uri", FACTS))
    assert boolean(await client.get("/sparql", params=merged))


async def test_query_dataset_default_graphs_post(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/sparql",
        params={"default-graph-uri": FACTS},
        content=IN_VOCABULARY.encode(),
        headers=DIRECT,
    )
    assert boolean(response) is False
    form = {"query": IN_FACTS, "default-graph-uri": FACTS}
    assert boolean(await client.post("/sparql", data=form)) is True


GRAPHS_SEEN = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"


def graphs_in(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [row["g"]["value"] for row in response.json()["results"]["bindings"]]


async def test_query_dataset_named_graphs_get(client: httpx.AsyncClient) -> None:
    response = await client.get(
        "/sparql", params={"query": GRAPHS_SEEN, "named-graph-uri": VOCABULARY}
    )
    assert graphs_in(response) == [VOCABULARY]
    # with named graphs only, the default graph is empty
    response = await client.get(
        "/sparql", params={"query": IN_FACTS, "named-graph-uri": [VOCABULARY, FACTS]}
    )
    assert boolean(response) is False


async def test_query_dataset_named_graphs_post(client: httpx.AsyncClient) -> None:
    form = [("query", GRAPHS_SEEN), ("named-graph-uri", FACTS), ("named-graph-uri", VOCABULARY)]
    response = await client.post("/sparql", content=str(httpx.QueryParams(form)), headers=FORM)
    assert graphs_in(response) == sorted([FACTS, VOCABULARY])


async def test_query_dataset_full(client: httpx.AsyncClient) -> None:
    query = (
        "SELECT DISTINCT ?g WHERE { ipg:Agency a owl:Class . GRAPH ?g { ?agency a ipg:Agency } }"
    )
    params = {"query": query, "default-graph-uri": VOCABULARY, "named-graph-uri": FACTS}
    assert graphs_in(await client.get("/sparql", params=params)) == [FACTS]
    params["default-graph-uri"] = FACTS
    assert graphs_in(await client.get("/sparql", params=params)) == []


async def test_query_multiple_dataset(client: httpx.AsyncClient) -> None:
    """The protocol's data set overrides the query's FROM clause."""
    query = f"ASK FROM <{FACTS}> {{ ipg:Agency a owl:Class }}"
    assert boolean(await client.get("/sparql", params={"query": query})) is False
    response = await client.post(
        "/sparql",
        params={"default-graph-uri": VOCABULARY},
        content=query.encode(),
        headers=DIRECT,
    )
    assert boolean(response) is True


async def test_query_content_type_select(client: httpx.AsyncClient) -> None:
    response = await client.post("/sparql", content=b"SELECT (1 AS ?value) {}", headers=DIRECT)
    assert response.status_code == 200
    media = response.headers["content-type"].split(";")[0]
    assert media in {m for types in RESULT_FORMATS.values() for m in types}
    assert response.json()["results"]["bindings"][0]["value"]["value"] == "1"


async def test_query_content_type_ask(client: httpx.AsyncClient) -> None:
    response = await client.post("/sparql", content=b"ASK {}", headers=DIRECT)
    assert boolean(response) is True
    xml = await client.post(
        "/sparql", content=b"ASK {}", headers=DIRECT | {"Accept": "application/sparql-results+xml"}
    )
    assert xml.headers["content-type"].startswith("application/sparql-results+xml")
    assert "<boolean>true</boolean>" in xml.text


@pytest.mark.parametrize(
    "query",
    [
        "DESCRIBE <https://w3id.org/ipgraph/id/agency/cnipa>",
        "CONSTRUCT { <urn:ex:s> <urn:ex:p> 1 } WHERE {}",
    ],
    ids=["query_content_type_describe", "query_content_type_construct"],
)
async def test_query_content_type_graph(client: httpx.AsyncClient, query: str) -> None:
    response = await client.post("/sparql", content=query.encode(), headers=DIRECT)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/turtle; charset=utf-8"
    graph = Graph().parse(data=response.text, format="turtle")
    assert len(graph) > 0


async def test_bad_query_method(client: httpx.AsyncClient) -> None:
    for method in ("PUT", "DELETE", "PATCH"):
        response = await client.request(method, "/sparql", params={"query": "ASK {}"})
        assert_error(response, 405, "MethodNotAllowed")
        assert "GET" in response.headers["allow"] and "POST" in response.headers["allow"]


async def test_bad_multiple_queries(client: httpx.AsyncClient) -> None:
    response = await client.get("/sparql", params=[("query", "ASK {}"), ("query", "SELECT * {}")])
    assert "exactly one query" in assert_error(response, 400)["message"]
    # one in the URL, one in the body
    response = await client.post(
        "/sparql", params={"query": "ASK {}"}, content=b"ASK {}", headers=DIRECT
    )
    assert_error(response, 400)


async def test_bad_query_wrong_media_type(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/sparql", content=b"ASK {}", headers={"Content-Type": "text/plain"}
    )
    body = assert_error(response, 415, "UnsupportedMediaType")
    assert "application/sparql-query" in body["message"]


async def test_bad_query_missing_form_type(client: httpx.AsyncClient) -> None:
    response = await client.post("/sparql", content=b"query=ASK%20%7B%7D")
    assert_error(response, 415)


async def test_bad_query_missing_direct_type(client: httpx.AsyncClient) -> None:
    response = await client.post("/sparql", content=b"ASK {}")
    assert "Content-Type" in assert_error(response, 415)["message"]


async def test_bad_query_non_utf8(client: httpx.AsyncClient) -> None:
    utf16 = {"Content-Type": "application/sparql-query; charset=UTF-16"}
    response = await client.post("/sparql", content="ASK {}".encode("utf-16"), headers=utf16)
    assert "UTF-8" in assert_error(response, 415)["message"]
    # no charset given, but the bytes are not UTF-8
    response = await client.post("/sparql", content="ASK {}".encode("utf-16"), headers=DIRECT)
    assert_error(response, 400)
    # form and query string with a byte sequence that is not UTF-8
    response = await client.post("/sparql", content=b"query=ASK%20%7B%FF%7D", headers=FORM)
    assert_error(response, 400)
    response = await client.get("/sparql?query=ASK%20%7B%C3%28%7D")
    assert_error(response, 400)


async def test_bad_query_syntax(client: httpx.AsyncClient) -> None:
    response = await client.get("/sparql", params={"query": "SELECT ?s\nWHERE { ?s ?p"})
    body = assert_error(response, 400, "QuerySyntaxError")
    assert body["line"] == 2 and body["column"] is not None


async def test_bad_update_get(client: httpx.AsyncClient, kg: ipgraph.KnowledgeGraph) -> None:
    before = len(kg.graph)
    response = await client.get("/sparql", params={"update": "CLEAR ALL"})
    assert_error(response, 400)
    assert len(kg.graph) == before


# -- updates are refused -----------------------------------------------------------------------

UPDATE = "CLEAR ALL"
INSERT = "INSERT DATA { <urn:ex:s> <urn:ex:p> <urn:ex:o> }"
SU = {"Content-Type": "application/sparql-update"}
SU16 = {"Content-Type": "application/sparql-update; charset=UTF-16"}
TEXT = {"Content-Type": "text/plain"}
UPDATE_REQUESTS: list[tuple[str, dict[str, Any], int]] = [
    # (W3C case, request, expected status)
    ("update_post_form", {"data": {"update": UPDATE}}, 403),
    ("update_post_direct", {"content": UPDATE, "headers": SU}, 403),
    (
        "update_dataset_default_graph",
        {"params": {"using-graph-uri": FACTS}, "content": INSERT, "headers": SU},
        403,
    ),
    ("update_base_uri", {"content": INSERT, "headers": SU}, 403),
    ("bad_multiple_updates", {"data": {"update": [UPDATE, "CLEAR DEFAULT"]}}, 403),
    ("bad_update_wrong_media_type", {"content": UPDATE, "headers": TEXT}, 415),
    ("bad_update_missing_form_type", {"content": "update=CLEAR%20NAMED"}, 415),
    ("bad_update_non_utf8", {"content": UPDATE.encode("utf-16"), "headers": SU16}, 403),
    ("bad_update_syntax", {"data": {"update": "CLEAR XYZ"}}, 403),
    ("update_as_query", {"data": {"query": INSERT}}, 403),
    ("load_as_query", {"data": {"query": "LOAD <http://example.org/data.ttl>"}}, 403),
]


@pytest.mark.parametrize(
    ("case", "request_args", "status"), UPDATE_REQUESTS, ids=[r[0] for r in UPDATE_REQUESTS]
)
async def test_updates_are_refused(
    client: httpx.AsyncClient,
    kg: ipgraph.KnowledgeGraph,
    case: str,
    request_args: dict[str, Any],
    status: int,
) -> None:
    before = len(kg.graph)
    response = await client.post("/sparql", **request_args)
    assert_error(response, status)
    assert len(kg.graph) == before
    assert boolean(await client.get("/sparql", params={"query": IN_FACTS}))


# -- content negotiation -----------------------------------------------------------------------


BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        ("application/sparql-results+json;q=0.9, text/csv;q=1", "text/csv"),
        ("text/csv;q=0.5, text/tab-separated-values", "text/tab-separated-values"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("application/json", SPARQL_JSON),
        ("*/*", SPARQL_JSON),
        ("text/*;q=0.8, */*;q=0.1", "text/csv"),
        (BROWSER, "application/sparql-results+xml"),
        ("text/csv;q=0, */*;q=0.5", SPARQL_JSON),
    ],
)  # fmt: skip
async def test_accept_with_q_values(client: httpx.AsyncClient, accept: str, media: str) -> None:
    response = await client.get("/sparql", params={"query": AGENCIES}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"] == f"{media}; charset=utf-8"
    assert response.headers["vary"].lower().count("accept") >= 1


async def test_not_acceptable(client: httpx.AsyncClient) -> None:
    for accept in ("image/png", "text/csv;q=0", "text/turtle"):
        response = await client.get(
            "/sparql", params={"query": AGENCIES}, headers={"Accept": accept}
        )
        assert "offers" in assert_error(response, 406, "NotAcceptable")["message"]
    response = await client.get(
        "/sparql",
        params={"query": "CONSTRUCT WHERE { ?s a ipg:Agency }"},
        headers={"Accept": "text/csv"},
    )
    assert_error(response, 406)


async def test_format_parameter_overrides_accept(client: httpx.AsyncClient) -> None:
    response = await client.get(
        "/sparql", params={"query": AGENCIES, "format": "tsv"}, headers={"Accept": "text/csv"}
    )
    assert response.headers["content-type"].startswith("text/tab-separated-values")
    response = await client.get(
        "/sparql", params={"query": "CONSTRUCT WHERE { ?s a ipg:Agency }", "format": "csv"}
    )
    assert "ttl" in assert_error(response, 406)["message"]


async def test_select_formats_agree(client: httpx.AsyncClient, kg: ipgraph.KnowledgeGraph) -> None:
    expected = agencies(kg)
    csv_text = (await client.get("/sparql", params={"query": AGENCIES, "format": "csv"})).text
    rows = list(csv.reader(io.StringIO(csv_text)))
    assert rows[0] == ["agency"] and [r[0] for r in rows[1:]] == expected
    tsv_text = (await client.get("/sparql", params={"query": AGENCIES, "format": "tsv"})).text
    lines = tsv_text.splitlines()
    assert lines[0] == "?agency" and lines[1:] == [f"<{iri}>" for iri in expected]
    xml = (await client.get("/sparql", params={"query": AGENCIES, "format": "xml"})).text
    assert all(f"<uri>{iri}</uri>" in xml for iri in expected)


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
    ],
)
async def test_graph_formats_round_trip(
    client: httpx.AsyncClient, kg: ipgraph.KnowledgeGraph, accept: str, rdflib_format: str
) -> None:
    query = "CONSTRUCT { ?a ?p ?o } WHERE { ?a a ipg:Agency ; ?p ?o }"
    response = await client.get("/sparql", params={"query": query}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(accept)
    got = Graph().parse(data=response.text, format=rdflib_format)
    expected = kg.query(query).graph
    assert expected is not None and len(expected) > 20
    assert isomorphic(got, expected)


# -- limits ------------------------------------------------------------------------------------


AGENCY_GRAPH = "CONSTRUCT { ?s a ipg:Agency } WHERE { ?s a/rdfs:subClassOf* ipg:Agency }"


async def test_row_cap_truncates_and_says_so(kg: ipgraph.KnowledgeGraph) -> None:
    async with await _client(create_app(kg, max_rows=3, graphs_dir=None)) as http:
        response = await http.get("/sparql", params={"query": AGENCIES})
        assert response.headers["x-ipgraph-truncated"] == "true"
        assert len(response.json()["results"]["bindings"]) == 3
        small = await http.get("/sparql", params={"query": AGENCIES + " LIMIT 2"})
        assert small.headers["x-ipgraph-truncated"] == "false"
        assert len(small.json()["results"]["bindings"]) == 2
        graph = await http.get("/sparql", params={"query": AGENCY_GRAPH, "format": "nt"})
        assert graph.headers["x-ipgraph-truncated"] == "true"
        assert len(Graph().parse(data=graph.text, format="nt")) == 3


async def test_timeout_answers_503_and_keeps_serving(kg: ipgraph.KnowledgeGraph) -> None:
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    async with await _client(create_app(kg, timeout=0.2, graphs_dir=None)) as http:
        response = await http.get("/sparql", params={"query": slow})
        assert "time limit" in assert_error(response, 503, "QueryTimeout")["message"]
        assert boolean(await http.get("/sparql", params={"query": IN_FACTS}))
        assert (await http.get("/health")).json()["status"] == "ok"


async def test_request_size_is_bounded(kg: ipgraph.KnowledgeGraph) -> None:
    async with await _client(create_app(kg, max_request_bytes=1_000, graphs_dir=None)) as http:
        padded = "ASK {}" + " " * 2_000
        response = await http.post("/sparql", content=padded.encode(), headers=DIRECT)
        assert_error(response, 413, "RequestTooLarge")
        response = await http.post("/sparql", data={"query": padded})
        assert_error(response, 413)
        response = await http.get("/sparql", params={"query": padded})
        assert_error(response, 414, "UriTooLong")

        async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: counted as it comes
            for _ in range(5):
                yield b"#" * 400

        response = await http.post("/sparql", content=chunks(), headers=DIRECT)
        assert_error(response, 413)
        assert boolean(await http.post("/sparql", content=b"ASK {}", headers=DIRECT))


# -- safety ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
        "SELECT * FROM <http://example.org/data.ttl> WHERE { ?s ?p ?o }",
        "SELECT * FROM NAMED <file:///etc/passwd> WHERE { GRAPH ?g { ?s ?p ?o } }",
    ],
    ids=["service", "from-url", "from-named-file"],
)
async def test_remote_data_is_never_fetched(client: httpx.AsyncClient, query: str) -> None:
    response = await client.get("/sparql", params={"query": query})
    assert_error(response, 403, "QueryForbidden")


async def test_unknown_graph_is_refused_like_from(client: httpx.AsyncClient) -> None:
    """Issue 11: ``default-graph-uri`` / ``named-graph-uri`` are treated like ``FROM``.

    A graph the store does not hold used to be an empty graph (200); it is now refused with a
    JSON error that names the graph and lists those the store holds, and is never fetched.
    """
    elsewhere = "http://example.org/not-here.ttl"
    response = await client.get(
        "/sparql", params={"query": "ASK { ?s ?p ?o }", "default-graph-uri": elsewhere}
    )
    body = assert_error(response, 403, "QueryForbidden")
    assert elsewhere in body["message"] and FACTS in body["message"]
    response = await client.get(
        "/sparql",
        params={"query": GRAPHS_SEEN, "named-graph-uri": [elsewhere, FACTS]},
    )
    assert elsewhere in assert_error(response, 403, "QueryForbidden")["message"]
    form = {"query": "ASK {}", "named-graph-uri": "file:///etc/passwd"}
    assert_error(await client.post("/sparql", data=form), 403, "QueryForbidden")
    # held graphs still work
    response = await client.get("/sparql", params={"query": GRAPHS_SEEN, "named-graph-uri": FACTS})
    assert graphs_in(response) == [FACTS]


async def test_engine_failure_is_a_json_500_and_the_server_goes_on(
    fresh_kg: ipgraph.KnowledgeGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("engine exploded")

    async with await _client(create_app(fresh_kg, graphs_dir=None)) as http:
        monkeypatch.setattr(fresh_kg, "query", broken)
        response = await http.get("/sparql", params={"query": "ASK {}"})
        assert "engine exploded" in assert_error(response, 500, "QueryFailed")["message"]
        monkeypatch.undo()
        assert boolean(await http.get("/sparql", params={"query": "ASK {}"}))


async def test_errors_are_json_everywhere(client: httpx.AsyncClient) -> None:
    assert_error(await client.get("/no/such/page"), 404, "NotFound")
    assert_error(await client.get("/static/evil.js"), 404, "NotFound")
    assert_error(await client.post("/sparql", data={"format": "csv"}), 400, "ProtocolError")
    assert_error(await client.get("/sparql", params={"query": "  "}), 400)
    assert_error(await client.post("/health"), 405)


async def test_security_and_cors_headers(client: httpx.AsyncClient) -> None:
    response = await client.get(
        "/sparql", params={"query": "ASK {}"}, headers={"Origin": "https://example.org"}
    )
    assert response.headers["access-control-allow-origin"] == "*"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "x-ipgraph-truncated" in response.headers["access-control-expose-headers"].lower()
    preflight = await client.options(
        "/sparql",
        headers={
            "Origin": "https://example.org",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert preflight.status_code == 200
    assert "POST" in preflight.headers["access-control-allow-methods"]
    page = await client.get("/")
    assert page.headers["content-security-policy"].startswith("default-src 'self'")
    assert page.headers["x-content-type-options"] == "nosniff"


# -- service description and health ------------------------------------------------------------


async def test_service_description(client: httpx.AsyncClient, kg: ipgraph.KnowledgeGraph) -> None:
    for path in ("/sparql", "/service-description"):
        response = await client.get(path)
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/turtle")
        sd = Graph().parse(data=response.text, format="turtle")
        endpoint = URIRef("http://ipgraph.test/sparql")
        assert (endpoint, SD.endpoint, endpoint) in sd
        assert (endpoint, SD.supportedLanguage, SD.SPARQL11Query) in sd
        names = {str(o) for o in sd.objects(None, SD.name)}
        assert names == {str(s.graph) for s in kg.sources()}
    as_nt = await client.get("/service-description", headers={"Accept": "application/n-triples"})
    assert as_nt.headers["content-type"].startswith("application/n-triples")


async def test_health(client: httpx.AsyncClient, kg: ipgraph.KnowledgeGraph) -> None:
    body = (await client.get("/health")).json()
    assert body["status"] == "ok"
    assert body["triples"] == len(kg.graph)
    assert body["version"] == ipgraph.__version__


async def test_prefixes_of_the_data_work_as_on_the_command_line(
    client: httpx.AsyncClient, run: Any
) -> None:
    # Regression: the endpoint bound only the project's prefixes, so `agency:moe` (a CURIE the
    # CLI table prints and accepts) was a syntax error over HTTP.
    query = "SELECT ?doc WHERE { ?doc ipg:issuedBy agency:moe }"
    response = await client.get("/sparql", params={"query": query})
    assert response.status_code == 200, response.text
    over_http = {row["doc"]["value"] for row in response.json()["results"]["bindings"]}
    on_cli = {
        row["doc"]
        for row in map(json.loads, run("query", query, "--format", "jsonl").stdout.splitlines())
    }
    assert over_http == on_cli and len(over_http) >= 1


async def test_page_shows_curies_of_the_data_prefixes(client: httpx.AsyncClient) -> None:
    html = (await client.get("/")).text
    found = re.search(r'data-prefixes="([^"]*)"', html)
    assert found is not None
    prefixes = json.loads(html_module.unescape(found.group(1)))
    assert prefixes["agency"] == str(ID["agency/"])
    assert prefixes["ipg"] == str(IPG)


# -- the query page ----------------------------------------------------------------------------


async def test_page_lists_the_named_queries(
    client: httpx.AsyncClient, kg: ipgraph.KnowledgeGraph
) -> None:
    response = await client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    html = response.text
    named = kg.named_queries()
    assert html.count("<option value=") == len(named) + 1  # plus the "choose" option
    for name in named:
        assert f'<option value="{name}"' in html
    assert 'href="/graphs/"' in html and 'src="/static/query.js"' in html


async def test_page_loads_nothing_from_elsewhere(client: httpx.AsyncClient) -> None:
    html = (await client.get("/")).text
    for attribute in re.findall(r'\b(?:src|href)="([^"]*)"', html):
        assert attribute.startswith("/"), attribute
    for asset in ("/static/query.js", "/static/query.css"):
        response = await client.get(asset)
        assert response.status_code == 200
        assert "http://" not in response.text and "https://" not in response.text
    assert (
        (await client.get("/static/query.js")).headers["content-type"].startswith("text/javascript")
    )


async def test_page_escapes_what_it_echoes(client: httpx.AsyncClient) -> None:
    attack = '</textarea><script>alert("x")</script><img src=x onerror=alert(1)>'
    html = (await client.get("/", params={"query": attack})).text
    assert attack not in html
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;/textarea&gt;&lt;script&gt;" in html
    assert 'data-autorun="true"' in html


async def test_graph_views_are_served_read_only_when_built(
    kg: ipgraph.KnowledgeGraph, tmp_path: Path
) -> None:
    async with await _client(create_app(kg, graphs_dir=tmp_path)) as http:
        missing = await http.get("/graphs/")
        assert missing.status_code == 404 and "ipgraph render --all" in missing.text
        (tmp_path / "index.html").write_text("<h1>views 视图</h1>", encoding="utf-8")
        (tmp_path / "cnipa.html").write_text("<p>CNIPA</p>", encoding="utf-8")
        index = await http.get("/graphs/")
        assert index.status_code == 200 and "视图" in index.text
        assert "default-src 'self'" in index.headers["content-security-policy"]
        assert (await http.get("/graphs/cnipa.html")).text == "<p>CNIPA</p>"
        assert (await http.get("/graphs/../../pyproject.toml")).status_code == 404
        assert (await http.post("/graphs/cnipa.html")).status_code == 405
    page = (await (await _client(create_app(kg, graphs_dir=tmp_path))).get("/")).text
    assert "not built yet" not in page


# -- /views/expand: the neighbours a served graph view fetches ------------------------------


async def test_expand_answers_neighbours_in_the_views_format(
    client: httpx.AsyncClient, kg: ipgraph.KnowledgeGraph
) -> None:
    cnipa = str(kg.resolve("CNIPA"))
    response = await client.get("/views/expand", params={"node": cnipa, "limit": "5"})
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["node"] == cnipa and len(body["nodes"]) == 5
    assert body["neighbours"] > 5 and body["truncated"] is True
    # The same node and link dicts as a page embeds (its reserve).
    embedded = kg.view("CNIPA", depth=1)
    assert set(body["nodes"][0]) == set(embedded.nodes[0]) - {"x", "y"}
    assert set(body["edges"][0]) == set(embedded.edges[0])
    projection = kg.projection()
    around = {str(n) for n in nx_neighbours(projection, URIRef(cnipa))}
    assert {n["id"] for n in body["nodes"]} <= around
    for edge in body["edges"]:
        assert {edge["from"], edge["to"]} <= around | {cnipa}
        assert any(name == "source" for name, _ in edge["info"])
    assert {n["group"] for n in body["nodes"]} <= {g["key"] for g in body["legend"]}
    every = (await client.get("/views/expand", params={"node": cnipa, "limit": "500"})).json()
    assert {n["id"] for n in every["nodes"]} == around and every["truncated"] is False


def nx_neighbours(projection: Any, node: URIRef) -> set[Any]:
    return {*projection.successors(node), *projection.predecessors(node)}


@pytest.mark.parametrize(
    ("params", "status", "error"),
    [
        ({}, 400, "ProtocolError"),
        ({"node": "CNIPA"}, 400, "ProtocolError"),  # an IRI, not a name
        ({"node": "https://example.org/nothing"}, 404, "EntityNotFound"),
        ({"node": "https://w3id.org/ipgraph/id/agency/cnipa", "limit": "0"}, 400, "UsageError"),
        ({"node": "https://w3id.org/ipgraph/id/agency/cnipa", "limit": "501"}, 400, "UsageError"),
        ({"node": "https://w3id.org/ipgraph/id/agency/cnipa", "limit": "-1"}, 400, None),
        ({"node": "https://w3id.org/ipgraph/id/agency/cnipa", "depth": "3"}, 400, None),
    ],
)
async def test_expand_refuses_bad_requests(
    client: httpx.AsyncClient, params: dict[str, str], status: int, error: str | None
) -> None:
    assert_error(await client.get("/views/expand", params=params), status, error)


async def test_expand_is_read_only(client: httpx.AsyncClient) -> None:
    assert_error(await client.post("/views/expand", data={"node": "x"}), 405, "MethodNotAllowed")
