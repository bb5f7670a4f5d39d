"""The SPARQL 1.1 Protocol as ipgraph speaks it: reading a request, negotiating the format.

Everything here is about the protocol, nothing about routes or the graph's contents:

- `read_request` reads a query request from GET or POST (``query``, ``default-graph-uri``,
  ``named-graph-uri``, ``format``), enforcing the protocol's rules (one query, a known media
  type, UTF-8, no ``update``) and the size limits (413 body, 414 query string);
- `negotiate` and `choose_format` pick the response format from ``Accept`` (q-values, RFC 9110)
  or ``?format=``;
- `service_description` builds the SPARQL 1.1 Service Description of an endpoint.

Every refusal is an `IpgraphError` (`ProtocolError` and its subclasses, `QueryForbidden`) that
the application turns into a JSON body with the error's HTTP status.

>>> choose_format("SELECT", None, "text/csv;q=0.5, application/sparql-results+json")
'json'
>>> choose_format("CONSTRUCT", "ntriples", None)
'nt'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NoReturn
from urllib.parse import parse_qsl

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, VOID

from ipgraph.errors import (
    MissingExtra,
    NotAcceptable,
    ProtocolError,
    QueryForbidden,
    RequestTimeout,
    RequestTooLarge,
    UnsupportedMediaType,
    UriTooLong,
)

try:
    import anyio
    from starlette.requests import Request
except ImportError as exc:  # pragma: no cover - exercised by a test that hides starlette
    raise MissingExtra(exc.name or "starlette", "server") from exc

if TYPE_CHECKING:
    from ipgraph.kg import KnowledgeGraph

__all__ = [
    "FORMATS",
    "GRAPH_FORMATS",
    "RDFLIB_FORMATS",
    "RESULT_FORMATS",
    "SD",
    "ProtocolRequest",
    "choose_format",
    "media_type",
    "negotiate",
    "parse_params",
    "read_request",
    "service_description",
]

# The SPARQL 1.1 Service Description and W3C format vocabularies (used only here).
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")

# Formats by query kind, in the server's order of preference; each lists the media types it
# answers to, the first being the one the response carries.
RESULT_FORMATS: dict[str, tuple[str, ...]] = {
    "json": ("application/sparql-results+json", "application/json"),
    "xml": ("application/sparql-results+xml", "application/xml"),
    "csv": ("text/csv",),
    "tsv": ("text/tab-separated-values",),
}
GRAPH_FORMATS: dict[str, tuple[str, ...]] = {
    "ttl": ("text/turtle", "application/x-turtle"),
    "nt": ("application/n-triples", "text/plain"),
    "jsonld": ("application/ld+json", "application/json"),
    "xml": ("application/rdf+xml", "application/xml", "text/xml"),
}
_FORMAT_ALIASES = {"turtle": "ttl", "ntriples": "nt", "json-ld": "jsonld", "rdfxml": "xml"}
_GRAPH_KINDS = {"CONSTRUCT", "DESCRIBE"}
RDFLIB_FORMATS = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "xml": "xml"}
_SD_FORMATS = {
    "json": FORMATS.SPARQL_Results_JSON,
    "xml": FORMATS.SPARQL_Results_XML,
    "csv": FORMATS.SPARQL_Results_CSV,
    "tsv": FORMATS.SPARQL_Results_TSV,
    "ttl": FORMATS.Turtle,
    "nt": FORMATS["N-Triples"],
    "jsonld": FORMATS["JSON-LD"],
    "rdfxml": FORMATS.RDF_XML,
}


# -- content negotiation -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Range:
    type: str
    subtype: str
    q: float

    def specificity(self, media_type: str) -> int:
        """-1 when this range does not match, else 0 (*/*), 1 (type/*) or 2 (exact)."""
        kind, _, sub = media_type.partition("/")
        if self.type == "*":
            return 0
        if self.type != kind:
            return -1
        if self.subtype == "*":
            return 1
        return 2 if self.subtype == sub else -1


def _parse_accept(header: str) -> list[_Range]:
    ranges: list[_Range] = []
    for item in header.split(","):
        media, *params = (part.strip() for part in item.split(";"))
        kind, slash, sub = media.lower().partition("/")
        if not slash or not kind or not sub:
            continue  # junk in the header is ignored, as RFC 9110 allows
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = min(max(float(value.strip()), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        ranges.append(_Range(kind, sub, q))
    return ranges


def negotiate(accept: str | None, offers: Mapping[str, Sequence[str]]) -> str | None:
    """The offered format the ``Accept`` header prefers, or None when none is acceptable.

    Each media type takes the q-value of the most specific range matching it; the highest
    q wins, ties going to the earlier offer. No header (or an empty one) accepts anything.

    Args:
        accept: the ``Accept`` header, e.g. ``"application/sparql-results+json;q=0.9, text/csv"``.
        offers: format name → the media types that format answers to, in preference order.

    Returns:
        A key of ``offers``, or None.

    >>> negotiate("application/sparql-results+json;q=0.9, text/csv;q=1", RESULT_FORMATS)
    'csv'
    >>> negotiate("text/*", RESULT_FORMATS), negotiate(None, GRAPH_FORMATS)
    ('csv', 'ttl')
    >>> negotiate("image/png", RESULT_FORMATS) is None
    True
    """
    if accept is None or not accept.strip():
        return next(iter(offers), None)
    ranges = _parse_accept(accept)
    best: str | None = None
    best_q = 0.0
    for name, media_types in offers.items():
        for media_type in media_types:
            matching = [(r.specificity(media_type), r.q) for r in ranges]
            matching = [m for m in matching if m[0] >= 0]
            if not matching:
                continue
            q = max(matching)[1]
            if q > best_q:
                best, best_q = name, q
    return best


def _offers(kind: str) -> dict[str, tuple[str, ...]]:
    return GRAPH_FORMATS if kind in _GRAPH_KINDS else RESULT_FORMATS


def choose_format(kind: str, format_param: str | None, accept: str | None) -> str:
    """The response format for a result of ``kind``: ``?format=`` first, else ``Accept``.

    Args:
        kind: the query form: SELECT, ASK, CONSTRUCT or DESCRIBE.
        format_param: the ``format`` parameter (a name such as ``csv`` or ``turtle``, or a
            media type), or None.
        accept: the ``Accept`` header, or None.

    Returns:
        A key of `RESULT_FORMATS` (SELECT, ASK) or `GRAPH_FORMATS` (CONSTRUCT, DESCRIBE).

    Raises:
        NotAcceptable: (406) no offered format fits; the message lists those there are.

    >>> choose_format("SELECT", "tsv", "text/csv"), choose_format("DESCRIBE", "json", None)
    ('tsv', 'jsonld')
    """
    offers = _offers(kind)
    if format_param:
        wanted = format_param.strip().lower()
        wanted = _FORMAT_ALIASES.get(wanted, wanted)
        if wanted == "json" and kind in _GRAPH_KINDS:
            wanted = "jsonld"
        if wanted in offers:
            return wanted
        by_media = negotiate(wanted, offers) if "/" in wanted else None
        if by_media is not None:
            return by_media
        raise NotAcceptable(
            f"format {format_param!r} cannot carry a {kind} result; use one of: {', '.join(offers)}"
        )
    chosen = negotiate(accept, offers)
    if chosen is None:
        media = ", ".join(m for types in offers.values() for m in types)
        raise NotAcceptable(
            f"no acceptable format for a {kind} result (Accept: {accept}); this endpoint "
            f"offers {media}"
        )
    return chosen


def media_type(fmt: str, kind: str) -> str:
    """The ``Content-Type`` of a ``kind`` result in format ``fmt`` (from `choose_format`).

    >>> media_type("ttl", "CONSTRUCT")
    'text/turtle; charset=utf-8'
    """
    return f"{_offers(kind)[fmt][0]}; charset=utf-8"


# -- reading a protocol request ----------------------------------------------------------------


@dataclass
class ProtocolRequest:
    """What a SPARQL protocol request asks: the query, its data set and the wanted format."""

    query: str | None
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)
    format: str | None = None


def parse_params(raw: bytes, where: str) -> list[tuple[str, str]]:
    """Strictly parse ``application/x-www-form-urlencoded`` data (UTF-8 only).

    Args:
        raw: the query string or form body.
        where: what it is, for the message ("query string", "form body").

    Returns:
        The (name, value) pairs in order, repeated names kept.

    Raises:
        ProtocolError: (400) the bytes are not UTF-8 once percent-decoded, or not form data.

    >>> parse_params(b"query=ASK%20%7B%7D&format=csv", "query string")
    [('query', 'ASK {}'), ('format', 'csv')]
    """
    try:
        text = raw.decode("utf-8")
        return parse_qsl(
            text, keep_blank_values=True, encoding="utf-8", errors="strict", max_num_fields=200
        )
    except UnicodeDecodeError:
        raise ProtocolError(f"the {where} is not valid UTF-8; send the query as UTF-8") from None
    except ValueError as exc:
        raise ProtocolError(f"cannot read the {where}: {exc}") from None


def _content_type(request: Request) -> tuple[str, dict[str, str]]:
    header = request.headers.get("content-type", "")
    media, *params = (part.strip() for part in header.split(";"))
    parsed: dict[str, str] = {}
    for param in params:
        name, _, value = param.partition("=")
        parsed[name.strip().lower()] = value.strip().strip('"').lower()
    return media.lower(), parsed


async def _read_body(request: Request, limit: int, timeout: float | None) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise RequestTooLarge(f"the request body is {declared} bytes; the limit is {limit}")
    chunks: list[bytes] = []
    size = 0
    with anyio.move_on_after(timeout) as deadline:
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise RequestTooLarge(f"the request body is over the limit of {limit} bytes")
            chunks.append(chunk)
    if deadline.cancelled_caught:
        raise RequestTimeout(
            f"the request body did not arrive within {timeout:g} s ({size} bytes came); "
            "send the whole body at once"
        )
    return b"".join(chunks)


def _from_params(params: Sequence[tuple[str, str]], body_query: str | None) -> ProtocolRequest:
    if any(name == "update" for name, _ in params):
        _refuse_update()
    queries = [value for name, value in params if name == "query"]
    if body_query is not None:
        queries.append(body_query)
    if len(queries) > 1:
        raise ProtocolError(f"give exactly one query; this request has {len(queries)}")
    if queries and not queries[0].strip():
        raise ProtocolError("the query is empty")
    formats = [value for name, value in params if name == "format"]
    return ProtocolRequest(
        query=queries[0] if queries else None,
        default_graphs=[value for name, value in params if name == "default-graph-uri"],
        named_graphs=[value for name, value in params if name == "named-graph-uri"],
        format=formats[-1] if formats else None,
    )


def _refuse_update() -> NoReturn:
    raise QueryForbidden("this endpoint is read-only: SPARQL updates are refused")


async def read_request(
    request: Request, max_bytes: int, body_timeout: float | None = None
) -> ProtocolRequest:
    """Read a SPARQL 1.1 Protocol query request from GET or POST.

    GET takes its parameters from the query string; POST reads a form body
    (``application/x-www-form-urlencoded``) or the query itself
    (``application/sparql-query``, UTF-8), with any other parameters in the query string.

    Args:
        request: the HTTP request.
        max_bytes: the largest body (413 beyond) and query string (414 beyond).
        body_timeout: seconds the whole body may take to arrive (408 beyond); None: no limit.

    Returns:
        The `ProtocolRequest`; its ``query`` is None when none was given.

    Raises:
        ProtocolError: (400/408/413/414/415) the request breaks the protocol or the limits.
        QueryForbidden: (403) an update.

    >>> import asyncio
    >>> get = Request({"type": "http", "method": "GET", "headers": [],
    ...                "query_string": b"query=ASK%20%7B%7D&default-graph-uri=urn:g"})
    >>> asyncio.run(read_request(get, 1_000))
    ProtocolRequest(query='ASK {}', default_graphs=['urn:g'], named_graphs=[], format=None)
    """
    raw_qs: bytes = request.scope.get("query_string", b"")
    if len(raw_qs) > max_bytes:
        raise UriTooLong(f"the query string is over {max_bytes} bytes; POST the query instead")
    url_params = parse_params(raw_qs, "query string")
    if request.method in ("GET", "HEAD"):
        if any(name == "update" for name, _ in url_params):
            raise ProtocolError(
                "SPARQL updates cannot be sent by GET, and this endpoint is read-only anyway"
            )
        return _from_params(url_params, None)
    media, params = _content_type(request)
    if media == "application/x-www-form-urlencoded":
        body = await _read_body(request, max_bytes, body_timeout)
        return _from_params([*url_params, *parse_params(body, "form body")], None)
    if media == "application/sparql-query":
        charset = params.get("charset", "utf-8")
        if charset not in ("utf-8", "utf8"):
            raise UnsupportedMediaType(
                f"the query must be sent as UTF-8, not {charset}; use charset=utf-8"
            )
        body = await _read_body(request, max_bytes, body_timeout)
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            raise ProtocolError("the request body is not valid UTF-8") from None
        return _from_params(url_params, text)
    if media == "application/sparql-update":
        _refuse_update()
    shown = f"sent as {media}" if media else "without a Content-Type"
    raise UnsupportedMediaType(
        f"cannot read a POST body {shown}; use Content-Type application/x-www-form-urlencoded "
        "(query=...) or application/sparql-query (the query itself)"
    )


def service_description(kg: KnowledgeGraph, endpoint: str) -> Graph:
    """The SPARQL 1.1 Service Description of an endpoint serving ``kg``.

    >>> import ipgraph
    >>> sd = service_description(ipgraph.load(), "http://127.0.0.1:8000/sparql")
    >>> (None, SD.endpoint, URIRef("http://127.0.0.1:8000/sparql")) in sd
    True
    """
    graph = Graph()
    graph.bind("sd", SD)
    graph.bind("void", VOID)
    graph.bind("formats", FORMATS)
    service = URIRef(endpoint)
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, service))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    graph.add((service, SD.feature, SD.UnionDefaultGraph))
    for fmt in _SD_FORMATS.values():
        graph.add((service, SD.resultFormat, fmt))
    dataset = BNode()
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    default = BNode()
    graph.add((dataset, SD.defaultGraph, default))
    graph.add((default, RDF.type, SD.Graph))
    graph.add((default, VOID.triples, Literal(len(kg.graph))))
    for source in kg.sources():
        named, described = BNode(), BNode()
        graph.add((dataset, SD.namedGraph, named))
        graph.add((named, RDF.type, SD.NamedGraph))
        graph.add((named, SD.name, source.graph))
        graph.add((named, SD.graph, described))
        graph.add((described, RDF.type, SD.Graph))
        graph.add((described, VOID.triples, Literal(source.triples)))
    return graph
