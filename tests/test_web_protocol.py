"""``ipgraph.web.protocol``: content negotiation, reading protocol requests, the service
description — the protocol's rules as functions, without routes or a server."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import pytest
from rdflib import URIRef
from starlette.requests import Request

import ipgraph
from ipgraph.errors import (
    NotAcceptable,
    ProtocolError,
    QueryForbidden,
    RequestTooLarge,
    UnsupportedMediaType,
    UriTooLong,
)
from ipgraph.web.protocol import (
    GRAPH_FORMATS,
    RESULT_FORMATS,
    SD,
    ProtocolRequest,
    choose_format,
    media_type,
    negotiate,
    parse_params,
    read_request,
    service_description,
)


def request(
    method: str = "GET",
    query_string: bytes = b"",
    body: bytes = b"",
    headers: Sequence[tuple[str, str]] = (),
) -> Request:
    """A starlette request built from an ASGI scope, its body sent in one message."""
    scope = {
        "type": "http",
        "method": method,
        "query_string": query_string,
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers],
    }
    sent = False

    async def receive() -> dict[str, object]:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return Request(scope, receive)


def read(req: Request, max_bytes: int = 1_000) -> ProtocolRequest:
    return asyncio.run(read_request(req, max_bytes))


# -- content negotiation -----------------------------------------------------------------------


def test_negotiate_follows_rfc_9110() -> None:
    # the most specific range decides a type's quality
    assert negotiate("text/*;q=0.1, text/csv;q=0.9, */*;q=0.5", RESULT_FORMATS) == "csv"
    assert negotiate("text/csv;q=0.1, text/*;q=0.9", RESULT_FORMATS) == "tsv"
    # ties go to the server's preference; junk is ignored; q is clamped
    assert negotiate("application/sparql-results+xml, application/json", RESULT_FORMATS) == "json"
    assert negotiate("garbage, ;;, text/turtle;q=7", GRAPH_FORMATS) == "ttl"
    assert negotiate("text/turtle;q=abc", GRAPH_FORMATS) is None
    assert negotiate("", GRAPH_FORMATS) == "ttl"


def test_negotiate_survives_absurd_headers() -> None:
    absurd = ",".join(["x/y;q=0.1"] * 5_000) + ", text/csv;q=0.2"
    assert negotiate(absurd, RESULT_FORMATS) == "csv"
    assert negotiate(";" * 10_000, RESULT_FORMATS) is None
    assert negotiate("\x00/\x00", RESULT_FORMATS) is None
    assert negotiate("*/*;q=nan", RESULT_FORMATS) is None


@pytest.mark.parametrize(
    ("kind", "format_param", "accept", "expected"),
    [
        ("SELECT", None, None, "json"),
        ("SELECT", "csv", "application/sparql-results+xml", "csv"),
        ("ASK", "text/tab-separated-values", None, "tsv"),
        ("CONSTRUCT", "json", None, "jsonld"),
        ("DESCRIBE", "turtle", None, "ttl"),
        ("CONSTRUCT", None, "application/rdf+xml", "xml"),
    ],
)
def test_choose_format(
    kind: str, format_param: str | None, accept: str | None, expected: str
) -> None:
    assert choose_format(kind, format_param, accept) == expected


def test_choose_format_refuses_with_the_offers() -> None:
    with pytest.raises(NotAcceptable, match="ttl"):
        choose_format("CONSTRUCT", "csv", None)
    with pytest.raises(NotAcceptable, match="text/csv"):
        choose_format("SELECT", None, "image/png")


def test_media_types_carry_utf8() -> None:
    assert media_type("json", "SELECT") == "application/sparql-results+json; charset=utf-8"
    assert media_type("jsonld", "DESCRIBE") == "application/ld+json; charset=utf-8"


# -- reading a request -------------------------------------------------------------------------


def test_parse_params_is_strict() -> None:
    assert parse_params(b"a=1&a=2&b=", "query string") == [("a", "1"), ("a", "2"), ("b", "")]
    for raw in (b"query=%FF", b"\xff", b"query=%C3%28"):
        with pytest.raises(ProtocolError, match="UTF-8"):
            parse_params(raw, "query string")
    with pytest.raises(ProtocolError, match="cannot read"):
        parse_params(b"&".join([b"a=1"] * 500), "form body")


FORM = [("Content-Type", "application/x-www-form-urlencoded")]
DIRECT = [("Content-Type", "application/sparql-query")]


def test_read_get_post_form_and_post_direct() -> None:
    get = read(request(query_string=b"query=ASK%20%7B%7D&format=csv&named-graph-uri=urn:n"))
    assert get == ProtocolRequest("ASK {}", [], ["urn:n"], "csv")
    form = read(request("POST", b"default-graph-uri=urn:d", b"query=ASK+%7B%7D", FORM))
    assert form == ProtocolRequest("ASK {}", ["urn:d"], [], None)
    direct = read(request("POST", b"", "ASK { ?s ?p '教育部' }".encode(), DIRECT))
    assert direct.query == "ASK { ?s ?p '教育部' }"
    charset = [("Content-Type", 'application/sparql-query; charset="UTF-8"')]
    assert read(request("POST", b"", b"ASK {}", charset)).query == "ASK {}"
    assert read(request()).query is None  # a GET without a query: the service description


@pytest.mark.parametrize(
    ("req", "error", "words"),
    [
        (request(query_string=b"query=ASK%20%7B%7D&query=ASK%20%7B%7D"), ProtocolError, "one"),
        (request("POST", b"query=ASK%20%7B%7D", b"ASK {}", DIRECT), ProtocolError, "one"),
        (request(query_string=b"query=%20%20"), ProtocolError, "empty"),
        (request(query_string=b"update=CLEAR%20ALL"), ProtocolError, "GET"),
        (request("POST", b"", b"update=CLEAR+ALL", FORM), QueryForbidden, "read-only"),
        (request("POST", b"", b"CLEAR ALL", [("Content-Type", "application/sparql-update")]),
         QueryForbidden, "read-only"),
        (request("POST", b"", b"query=ASK+%7B%7D"), UnsupportedMediaType, "without a Content-Type"),
        (request("POST", b"", b"ASK {}", [("Content-Type", "text/plain")]),
         UnsupportedMediaType, "text/plain"),
        (request("POST", b"", "ASK {}".encode("utf-16"),
                 [("Content-Type", "application/sparql-query; charset=utf-16")]),
         UnsupportedMediaType, "UTF-8"),
        (request("POST", b"", b"ASK {\xff}", DIRECT), ProtocolError, "UTF-8"),
        (request("POST", b"", b"#" * 2_000, DIRECT), RequestTooLarge, "limit"),
        (request("POST", b"", b"ASK {}", [*DIRECT, ("Content-Length", "5000")]),
         RequestTooLarge, "5000"),
        (request(query_string=b"query=" + b"x" * 2_000), UriTooLong, "POST"),
    ],
    ids=[
        "two-queries", "url-and-body", "empty", "update-get", "update-form", "update-direct",
        "no-content-type", "wrong-media-type", "non-utf8-charset", "non-utf8-bytes",
        "body-too-large", "declared-too-large", "uri-too-long",
    ],
)  # fmt: skip
def test_read_request_refusals(req: Request, error: type[Exception], words: str) -> None:
    with pytest.raises(error, match=words):
        read(req)


# -- the service description -------------------------------------------------------------------


def test_service_description_lists_the_named_graphs(kg: ipgraph.KnowledgeGraph) -> None:
    endpoint = URIRef("http://127.0.0.1:8000/sparql")
    sd = service_description(kg, str(endpoint))
    assert (endpoint, SD.endpoint, endpoint) in sd
    assert (endpoint, SD.supportedLanguage, SD.SPARQL11Query) in sd
    assert {str(o) for o in sd.objects(None, SD.name)} == {str(s.graph) for s in kg.sources()}
    assert len(list(sd.objects(endpoint, SD.resultFormat))) == 8
