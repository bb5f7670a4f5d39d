"""The SPARQL 1.1 Protocol endpoint and the query page behind ``ipgraph serve``.

A thin HTTP layer over the facade: every query goes through `KnowledgeGraph.query`, with its
checks, time limit and row cap. This module only speaks the protocol: it reads the request,
negotiates the response format and turns each `IpgraphError` into a JSON body
``{"error": ..., "message": ...}`` with the error's HTTP status.

Routes:

- ``/sparql``: the query operation of the SPARQL 1.1 Protocol. GET ``?query=``, POST
  ``application/x-www-form-urlencoded`` (``query=...``) and POST ``application/sparql-query``
  (the body is the query); ``default-graph-uri`` and ``named-graph-uri`` pick the data set from
  the store's named graphs (an unknown graph is empty, never fetched). Results are negotiated
  from ``Accept`` with q-values, or chosen with ``?format=``: SPARQL results as JSON, XML, CSV
  or TSV; graphs as Turtle, N-Triples, JSON-LD or RDF/XML. A GET without a query returns the
  service description.
- ``/service-description``: the SPARQL 1.1 Service Description (Turtle by default).
- ``/health``: ``{"status": "ok", "triples": ..., "version": ...}``.
- ``/``: the query page (editor, named queries as examples, results table, downloads). It loads
  nothing but this server's own files, under ``Content-Security-Policy: default-src 'self'``.
- ``/graphs/``: the graph views built by ``ipgraph render --all``, read-only, when they exist.

Safe by default. The service is read-only: updates are refused (403 by POST, 400 by GET).
``SERVICE``, ``LOAD`` and ``FROM``/``FROM NAMED`` are refused (403), so nothing is ever
fetched. A query runs at most ``timeout`` seconds (503 after that). A result keeps its first
``max_rows`` rows and says so with the header ``X-Ipgraph-Truncated: true`` (the rows sent are
correct, only incomplete; a client that needs all of them narrows the query or raises
``--max-rows``). A request body over ``max_request_bytes`` gets 413, a longer query string 414.
Other statuses: 400 bad syntax or parameters, 405 a method other than GET/POST, 406 no
acceptable format, 415 a POST body of another media type.

>>> import asyncio, httpx, ipgraph
>>> async def ask(app, query):
...     transport = httpx.ASGITransport(app)
...     async with httpx.AsyncClient(transport=transport, base_url="http://ipgraph") as client:
...         return (await client.get("/sparql", params={"query": query})).json()
>>> app = create_app(ipgraph.load())
>>> asyncio.run(ask(app, "ASK { ?s a ipg:Agency }"))
{'head': {}, 'boolean': True}
>>> asyncio.run(ask(app, "DROP ALL"))["error"]
'QueryForbidden'
"""

from __future__ import annotations

import html
import json
import logging
import socket
import string
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn
from urllib.parse import parse_qsl

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, VOID

from ipgraph.errors import IpgraphError, MissingExtra, QueryForbidden, UsageError

try:
    from starlette.applications import Starlette
    from starlette.concurrency import run_in_threadpool
    from starlette.datastructures import MutableHeaders
    from starlette.exceptions import HTTPException
    from starlette.middleware import Middleware
    from starlette.middleware.cors import CORSMiddleware
    from starlette.requests import Request
    from starlette.responses import HTMLResponse, JSONResponse, Response
    from starlette.routing import Mount, Route
    from starlette.staticfiles import StaticFiles
    from starlette.types import ASGIApp, Message, Receive, Scope, Send
except ImportError as exc:  # pragma: no cover - exercised by a test that hides starlette
    raise MissingExtra("starlette", "server") from exc

if TYPE_CHECKING:
    from ipgraph.kg import KnowledgeGraph
    from ipgraph.sparql.named import NamedQuery

__all__ = [
    "DEFAULT_MAX_REQUEST_BYTES",
    "DEFAULT_MAX_ROWS",
    "DEFAULT_TIMEOUT",
    "create_app",
    "negotiate",
    "serve",
]

log = logging.getLogger("ipgraph.web.app")

DEFAULT_TIMEOUT = 10.0
"""Seconds a query may run before the endpoint answers 503."""
DEFAULT_MAX_ROWS = 10_000
"""Rows (or triples) a result keeps; beyond them it is truncated and flagged."""
DEFAULT_MAX_REQUEST_BYTES = 100_000
"""The largest request body (413 beyond) and query string (414 beyond) accepted."""

TRUNCATED_HEADER = "X-Ipgraph-Truncated"

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
_RDFLIB_FORMATS = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "xml": "xml"}
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

_TEMPLATES = Path(__file__).resolve().parent / "templates"
PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
# The rendered graph views inline their scripts: allow that, but still nothing from elsewhere.
GRAPHS_CSP = "default-src 'self' 'unsafe-inline' data: blob:; base-uri 'none'"


# -- errors of the HTTP layer ------------------------------------------------------------------


class ProtocolError(UsageError):
    """A request the SPARQL 1.1 Protocol does not allow (400 unless a subclass says)."""


class MethodNotAllowed(ProtocolError):
    """The endpoint answers GET and POST only."""

    http_status = 405


class NotAcceptable(ProtocolError):
    """No format the client accepts can carry this result."""

    http_status = 406


class RequestTooLarge(ProtocolError):
    """The request body is larger than the server accepts."""

    http_status = 413


class UriTooLong(ProtocolError):
    """The query string is longer than the server accepts."""

    http_status = 414


class UnsupportedMediaType(ProtocolError):
    """A POST body of a media type other than form-encoded or ``application/sparql-query``."""

    http_status = 415


class QueryFailed(IpgraphError):
    """The query engine failed on this query (the server keeps serving)."""

    http_status = 500


class NotFound(ProtocolError):
    """No such route or file."""

    http_status = 404


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


def _choose_format(kind: str, format_param: str | None, accept: str | None) -> str:
    """The response format for a result of ``kind``: ``?format=`` first, else ``Accept``."""
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


def _media_type(fmt: str, kind: str) -> str:
    return f"{_offers(kind)[fmt][0]}; charset=utf-8"


# -- reading a protocol request ----------------------------------------------------------------


@dataclass
class ProtocolRequest:
    """What a SPARQL protocol request asks: the query, its data set and the wanted format."""

    query: str | None
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)
    format: str | None = None


def _parse_params(raw: bytes, where: str) -> list[tuple[str, str]]:
    """Strictly parse ``application/x-www-form-urlencoded`` data (UTF-8 only)."""
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


async def _read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise RequestTooLarge(f"the request body is {declared} bytes; the limit is {limit}")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise RequestTooLarge(f"the request body is over the limit of {limit} bytes")
        chunks.append(chunk)
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


async def _read_request(request: Request, max_bytes: int) -> ProtocolRequest:
    """Read a SPARQL 1.1 Protocol query request from GET or POST.

    Raises:
        ProtocolError: (400/413/414/415) the request breaks the protocol or the limits.
        QueryForbidden: (403) an update.
    """
    raw_qs: bytes = request.scope.get("query_string", b"")
    if len(raw_qs) > max_bytes:
        raise UriTooLong(f"the query string is over {max_bytes} bytes; POST the query instead")
    url_params = _parse_params(raw_qs, "query string")
    if request.method in ("GET", "HEAD"):
        if any(name == "update" for name, _ in url_params):
            raise ProtocolError(
                "SPARQL updates cannot be sent by GET, and this endpoint is read-only anyway"
            )
        return _from_params(url_params, None)
    media, params = _content_type(request)
    if media == "application/x-www-form-urlencoded":
        body = await _read_body(request, max_bytes)
        return _from_params([*url_params, *_parse_params(body, "form body")], None)
    if media == "application/sparql-query":
        charset = params.get("charset", "utf-8")
        if charset not in ("utf-8", "utf8"):
            raise UnsupportedMediaType(
                f"the query must be sent as UTF-8, not {charset}; use charset=utf-8"
            )
        body = await _read_body(request, max_bytes)
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


# -- the data set a request names -------------------------------------------------------------


# -- the application ---------------------------------------------------------------------------


class _SecurityHeaders:
    """Adds ``X-Content-Type-Options`` and ``Referrer-Policy`` to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Referrer-Policy", "no-referrer")
                if scope["path"].startswith("/graphs"):
                    headers.setdefault("Content-Security-Policy", GRAPHS_CSP)
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _error_response(error: IpgraphError, headers: Mapping[str, str] | None = None) -> Response:
    return JSONResponse(error.to_dict(), status_code=error.http_status, headers=headers)


def _page(text: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(text, status_code=status, headers={"Content-Security-Policy": PAGE_CSP})


class _Endpoint:
    """The request handlers, sharing the graph and the limits."""

    def __init__(
        self,
        kg: KnowledgeGraph,
        *,
        timeout: float | None,
        max_rows: int | None,
        max_request_bytes: int,
        graphs_dir: Path | None,
    ) -> None:
        self.kg = kg
        self.timeout = timeout
        self.max_rows = max_rows
        self.max_request_bytes = max_request_bytes
        self.graphs_dir = graphs_dir
        self.page_template = string.Template((_TEMPLATES / "query.html").read_text("utf-8"))
        self.assets = {
            "query.js": ("text/javascript; charset=utf-8", (_TEMPLATES / "query.js").read_bytes()),
            "query.css": ("text/css; charset=utf-8", (_TEMPLATES / "query.css").read_bytes()),
        }

    # /sparql

    async def sparql(self, request: Request) -> Response:
        wanted = await _read_request(request, self.max_request_bytes)
        if wanted.query is None:
            if request.method == "POST":
                raise ProtocolError("the request has no query; send query=... or a query body")
            return self.description(request, wanted.format)
        accept = request.headers.get("accept")
        body, media, truncated = await run_in_threadpool(self._run, wanted, accept)
        return Response(
            body,
            media_type=media,
            headers={TRUNCATED_HEADER: "true" if truncated else "false", "Vary": "Accept"},
        )

    def _run(self, wanted: ProtocolRequest, accept: str | None) -> tuple[bytes, str, bool]:
        """Check, run and serialise the query (in a worker thread)."""
        assert wanted.query is not None
        try:
            # Checked once per text and process (`ipgraph.sparql.run.CHECKED`), with the prefixes of
            # the data too (agency:, doc:, ...), as `ipgraph query` binds them; each run
            # evaluates its own copy, so concurrent requests never share evaluation state.
            parsed = self.kg.check(wanted.query)
            fmt = _choose_format(parsed.kind, wanted.format, accept)  # 406 before running
            result = self.kg.query(
                parsed,
                timeout=self.timeout,
                max_rows=self.max_rows,
                default_graphs=wanted.default_graphs or None,
                named_graphs=wanted.named_graphs or None,
            )
            body = result.serialize(fmt)
        except IpgraphError:
            raise
        except Exception as exc:  # a failure inside the query engine: report, keep serving
            log.exception("query failed")
            raise QueryFailed(
                f"the query failed while running: {type(exc).__name__}: {exc}"
            ) from None
        return body, f"{result.media_type(fmt)}; charset=utf-8", result.truncated

    # /service-description

    def description(self, request: Request, format_param: str | None = None) -> Response:
        """The SPARQL 1.1 Service Description of this endpoint."""
        fmt = _choose_format("CONSTRUCT", format_param, request.headers.get("accept"))
        graph = service_description(self.kg, str(request.url_for("sparql")))
        body = graph.serialize(format=_RDFLIB_FORMATS[fmt], encoding="utf-8")
        return Response(body, media_type=_media_type(fmt, "CONSTRUCT"))

    async def service_description(self, request: Request) -> Response:
        formats = [
            v
            for n, v in _parse_params(request.scope["query_string"], "query string")
            if n == "format"
        ]
        return self.description(request, formats[-1] if formats else None)

    # /health

    async def health(self, request: Request) -> Response:
        from ipgraph import __version__

        return JSONResponse(
            {
                "status": "ok",
                "triples": len(self.kg.graph),
                "graphs": len(self.kg.store.graph_names()),
                "store": self.kg.store.kind,
                "version": __version__,
            }
        )

    # / and its assets

    async def page(self, request: Request) -> Response:
        params = _parse_params(request.scope["query_string"], "query string")
        given = [value for name, value in params if name == "query"]
        named = self.kg.named_queries()
        options = "\n".join(
            '<option value="{}" data-query="{}" data-description="{}">{}</option>'.format(
                html.escape(name),
                html.escape(item.text),
                html.escape(_describe(item)),
                html.escape(f"{name} — {item.title}" if item.title else name),
            )
            for name, item in sorted(named.items())
        )
        first = next(iter(sorted(named.items())), None)
        default_query = given[0] if given else (first[1].text if first else DEFAULT_QUERY)
        prefixes = self.kg.prefixes()  # what queries may use, for showing CURIEs
        graphs_ready = _GraphViews(self.graphs_dir).ready()
        text = self.page_template.safe_substitute(
            options=options,
            query=html.escape(default_query),
            autorun="true" if given else "false",
            prefixes=html.escape(json.dumps(prefixes, sort_keys=True)),
            triples=f"{len(self.kg.graph):,}",
            named_count=str(len(named)),
            graphs_note="" if graphs_ready else GRAPHS_NOTE,
        )
        return _page(text)

    async def asset(self, request: Request) -> Response:
        name = request.path_params["name"]
        if name not in self.assets:
            raise NotFound(f"no asset {name!r}")
        media, body = self.assets[name]
        return Response(body, media_type=media, headers={"Cache-Control": "no-cache"})


class _GraphViews:
    """``/graphs/``: the site ``ipgraph render --all`` built, read-only, once it exists.

    Checked on every request, so views built while the server runs show up without a restart;
    until then every path explains how to build them.
    """

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.files = StaticFiles(directory=folder, html=True, check_dir=False) if folder else None

    def ready(self) -> bool:
        return self.folder is not None and (self.folder / "index.html").is_file()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.files is not None and self.ready():
            await self.files(scope, receive, send)
            return
        if scope["method"] not in ("GET", "HEAD"):
            await _error_response(MethodNotAllowed("the graph views are read-only: use GET"))(
                scope, receive, send
            )
            return
        await _page(GRAPHS_MISSING_PAGE, status=404)(scope, receive, send)


def _describe(item: NamedQuery) -> str:
    """A named query's description for the page, with its parameters."""
    text = item.description or item.title
    if item.params:
        listed = "; ".join(
            f"?{p.name} ({p.kind}{', optional' if p.optional else ''})"
            + (f" {p.description}" if p.description else "")
            for p in item.params
        )
        text += f" Parameters: {listed}. Bind them in the query, e.g. with VALUES."
    return text


DEFAULT_QUERY = "SELECT ?class (COUNT(?s) AS ?n)\nWHERE { ?s a ?class }\nGROUP BY ?class\n"
GRAPHS_NOTE = (
    '<span class="note">(not built yet: run <code>ipgraph render --all</code> in the '
    "directory you started the server from)</span>"
)
GRAPHS_MISSING_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>ipgraph graph views</title>
<link rel="stylesheet" href="/static/query.css"></head>
<body><main><h1>Graph views are not built yet</h1>
<p>The explorable graph views are build output. Build them with</p>
<pre>ipgraph render --all</pre>
<p>in the directory you started <code>ipgraph serve</code> from (it writes
<code>graphs/site/</code>; <code>ipgraph serve --graphs DIR</code> serves another folder), then
reload this page. <a href="/">Back to the query page</a>.</p></main></body></html>
"""


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


def create_app(
    kg: KnowledgeGraph,
    *,
    timeout: float | None = DEFAULT_TIMEOUT,
    max_rows: int | None = DEFAULT_MAX_ROWS,
    max_request_bytes: int = DEFAULT_MAX_REQUEST_BYTES,
    graphs_dir: str | Path | None = "graphs/site",
) -> Starlette:
    """The ASGI application serving ``kg``: the SPARQL endpoint, the query page, health.

    Args:
        kg: the knowledge graph to serve (read-only: nothing here changes it).
        timeout: seconds a query may run (503 after); None for no limit.
        max_rows: rows or triples a result keeps (the rest is cut, flagged by the header
            ``X-Ipgraph-Truncated: true``); None for no cap.
        max_request_bytes: the largest request body (413) and query string (414).
        graphs_dir: the directory ``ipgraph render --all`` built, served read-only at
            ``/graphs/`` when it holds an ``index.html``; None to serve no views.

    Returns:
        A Starlette application; run it with `serve` or any ASGI server.

    >>> import ipgraph
    >>> app = create_app(ipgraph.load(), timeout=5, max_rows=100)
    >>> sorted(r.path for r in app.routes if r.path.startswith("/s"))
    ['/service-description', '/sparql', '/static/{name}']
    """
    folder = Path(graphs_dir) if graphs_dir is not None else None
    endpoint = _Endpoint(
        kg,
        timeout=timeout,
        max_rows=max_rows,
        max_request_bytes=max_request_bytes,
        graphs_dir=folder,
    )
    routes: list[Route | Mount] = [
        Route("/", endpoint.page, methods=["GET"], name="page"),
        Route("/sparql", endpoint.sparql, methods=["GET", "POST"], name="sparql"),
        Route("/service-description", endpoint.service_description, methods=["GET"]),
        Route("/health", endpoint.health, methods=["GET"], name="health"),
        Route("/static/{name}", endpoint.asset, methods=["GET"], name="static"),
    ]
    routes.append(Mount("/graphs", _GraphViews(folder), name="graphs"))
    return Starlette(
        routes=routes,
        middleware=[
            Middleware(_SecurityHeaders),
            Middleware(
                CORSMiddleware,
                allow_origins=["*"],
                allow_methods=["GET", "POST"],
                allow_headers=["Accept", "Content-Type"],
                expose_headers=[TRUNCATED_HEADER],
                max_age=3600,
            ),
        ],
        exception_handlers={
            IpgraphError: _on_ipgraph_error,
            HTTPException: _on_http_error,
            Exception: _on_unexpected,
        },
    )


async def _on_ipgraph_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, IpgraphError)
    return _error_response(exc)


async def _on_http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 405:
        error: IpgraphError = MethodNotAllowed(
            f"{request.method} is not allowed on {request.url.path}; use GET or POST"
        )
    elif exc.status_code == 404:
        error = NotFound(f"nothing at {request.url.path}; try / (query page), /sparql or /health")
    else:
        error = ProtocolError(str(exc.detail))
        error.http_status = exc.status_code
    return _error_response(error, exc.headers)


async def _on_unexpected(request: Request, exc: Exception) -> Response:
    return JSONResponse(
        {"error": "InternalError", "message": f"the server failed on this request: {exc}"},
        status_code=500,
    )


def serve(
    kg: KnowledgeGraph,
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    timeout: float | None = DEFAULT_TIMEOUT,
    max_rows: int | None = DEFAULT_MAX_ROWS,
    max_request_bytes: int = DEFAULT_MAX_REQUEST_BYTES,
    graphs_dir: str | Path | None = "graphs/site",
    on_ready: Callable[[str], None] | None = None,
    log_level: str = "info",
) -> None:
    """Serve ``kg`` over HTTP with uvicorn until interrupted (Ctrl-C).

    Args:
        kg: the knowledge graph to serve.
        host: the interface to listen on; the default, loopback, keeps it on this machine.
        port: the TCP port; 0 picks a free one (``on_ready`` receives the URL).
        timeout, max_rows, max_request_bytes, graphs_dir: as for `create_app`.
        on_ready: called with the base URL (``http://127.0.0.1:8000/``) once listening.
        log_level: uvicorn's log level (``info`` logs each request).

    Raises:
        MissingExtra: starlette or uvicorn is not installed (``pip install 'ipgraph[server]'``).
        UsageError: the address cannot be listened on (in use, or not an address here).
    """
    try:
        import uvicorn
    except ImportError as exc:  # pragma: no cover - depends on the installation
        raise MissingExtra("uvicorn", "server") from exc
    app = create_app(
        kg,
        timeout=timeout,
        max_rows=max_rows,
        max_request_bytes=max_request_bytes,
        graphs_dir=graphs_dir,
    )
    sock = listen(host, port)
    bound_host, bound_port = sock.getsockname()[:2]
    shown = f"[{bound_host}]" if ":" in bound_host else bound_host
    config = uvicorn.Config(app, log_level=log_level, timeout_graceful_shutdown=5)
    server = uvicorn.Server(config)
    if on_ready is not None:
        on_ready(f"http://{shown}:{bound_port}/")
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()


def listen(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host:port`` (port 0: a free one).

    Raises:
        UsageError: the address is in use or not valid here.

    >>> sock = listen("127.0.0.1", 0)
    >>> sock.getsockname()[1] > 0
    True
    >>> sock.close()
    """
    try:
        info = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
        family, kind, proto, _, address = info[0]
        sock = socket.socket(family, kind, proto)
    except (OSError, IndexError) as exc:
        raise UsageError(f"cannot listen on {host}:{port}: {exc}; check --host") from None
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError as exc:
        sock.close()
        reason = exc.strerror or str(exc)
        raise UsageError(
            f"cannot listen on {host}:{port}: {reason}; choose another --port"
        ) from None
    return sock
